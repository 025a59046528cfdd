"""Proof obligations of the translations: the claimed relation proved against the source, and
broken copies (one observable flipped literal) refuted with a counterexample."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.translation import MAX_TRIES, broken_copy, check_translation
from verifier.checks.verdict import Counterexample, VerdictKind
from verifier.errors import InputError
from verifier.formats.registry import load, loads
from verifier.models import ScProgram
from verifier.translate import mutate
from verifier.translate.registry import translate

CASES = [
    ("parity4.bnl", "fully-open", "fully-open (Theorem 2.2)"),
    ("small.sc", "bnl", "sc-to-bnl (Theorem 2.1)"),
    ("parity4.circ", "bnl", "circuit-to-bnl (Theorem 2.6)"),
]

# Nothing any literal does can reach the output: the only print predicate P is constant and
# the output rounds are a fixed attention function. X and Y compute (Y keeps changing while X
# is 1), so the bodies have literals, and flipping them changes the configurations -- but
# never a print string nor an output round.
NOTHING_OBSERVABLE = """\
order X Y P
print P
attention rounds 0, 2+3k
P(0) :- 1
Y(0) :- 0
P :- 1
X :- X & Y | !Y & X
Y :- !X | !Y
"""


@pytest.mark.parametrize(("name", "target", "step"), CASES)
def test_the_claim_is_proved(examples: Path, name: str, target: str, step: str) -> None:
    verdict = check_translation(load(examples / name), target)
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.counterexample is None
    relation = translate(load(examples / name), target).relation
    assert verdict.detail.startswith(f"{step}, {relation}: ")
    assert "from B's meta lines" in verdict.detail
    assert "broken copy" not in verdict.detail


def test_a_chained_claim_is_proved(examples: Path) -> None:
    verdict = check_translation(load(examples / "small.sc"), "fully-open", timeout=60)
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.detail.startswith("sc-to-bnl (Theorem 2.1) + fully-open (Theorem 2.2), ")


@pytest.mark.parametrize(("name", "target", "step"), CASES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_broken_copy_fails(examples: Path, name: str, target: str, step: str, seed: int) -> None:
    verdict = check_translation(load(examples / name), target, mutate_seed=seed)
    assert verdict.kind is VerdictKind.FAIL, verdict.detail
    assert isinstance(verdict.counterexample, Counterexample)
    _, site = broken_copy(translate(load(examples / name), target), seed)
    note = f"broken copy (clause {site[0] + 1}, literal {site[1] + 1} negated): "
    assert verdict.detail.startswith(step) and note in verdict.detail


@pytest.mark.parametrize(("name", "target", "step"), CASES)
def test_broken_copy_is_one_flip_and_deterministic(
    examples: Path, name: str, target: str, step: str
) -> None:
    translated = translate(load(examples / name), target)
    broken, site = broken_copy(translated, 0)
    assert site in mutate.sites(translated.model)
    assert broken == mutate.flip(translated.model, site)
    assert broken_copy(translated, 0) == (broken, site)
    # The broken copy differs from the unbroken translation, too.
    verdict = check_equiv(translated.model, broken, EquivOptions(mode="global"))
    assert verdict.kind is VerdictKind.FAIL


def test_seeds_pick_different_sites(examples: Path) -> None:
    translated = translate(load(examples / "parity4.bnl"), "fully-open")
    picked = {broken_copy(translated, seed)[1] for seed in range(8)}
    assert len(picked) > 1


def test_no_observable_flip_is_an_input_error() -> None:
    program = loads(NOTHING_OBSERVABLE, ".bnl")
    for target in ("sc", "circ", "fully-open"):
        translated = translate(program, target)
        count = len(mutate.sites(translated.model))
        assert 0 < count <= MAX_TRIES
        with pytest.raises(InputError, match=f"none of {count} single-literal flips"):
            broken_copy(translated, 0)
    # The unbroken obligation holds; the negative one cannot be set up, and says so.
    assert check_translation(program, "circ").kind is VerdictKind.PASS
    with pytest.raises(InputError, match="changes its output sequence on 64 random inputs"):
        check_translation(program, "circ", mutate_seed=3)


def test_a_translation_without_literals_cannot_be_broken() -> None:
    program = loads("print X\nX(0) :- 1\nY(0) :- 0\nX :- 1\nY :- 0\n", ".bnl")
    translated = translate(program, "sc")
    assert mutate.sites(translated.model) == []
    with pytest.raises(InputError, match="none of 0 single-literal flips"):
        broken_copy(translated, 0)


def test_flips_that_are_masked_are_skipped() -> None:
    """Y is read by nobody but itself and is not printed: no flip in its clause is observable,
    so whatever the seed, the flip chosen is in X's or Z's clause."""
    program = loads(
        "order X Y Z\nprint Z\nY(0) :- 1\nZ(0) :- 0\nX :- X\nY :- !Y | X\nZ :- X | Z\n",
        ".bnl",
    )
    translated = translate(program, "sc")
    assert isinstance(translated.model, ScProgram)
    dead = [v.name for v in translated.model.vars].index("Y")
    assert sum(k == dead for k, _ in mutate.sites(translated.model)) == 2
    clauses = {broken_copy(translated, seed)[1][0] for seed in range(10)}
    assert clauses and dead not in clauses
