"""Proof obligations of the translations: the claimed relation, proved by ``verify equiv``.

:func:`check_translation` translates a model (:mod:`verifier.translate.registry`) and proves
the relation the translation claims -- global equivalence, or asynchronous equivalence with
the stride and offset of its meta line -- with the equivalence check, whose PASS is complete
and whose FAIL carries a counterexample replayed through both reference simulators.

The negative obligations (``mutate``) break the translation's output by negating one literal
(:mod:`verifier.translate.mutate`). Not every flip changes behaviour (a literal in dead logic,
or one masked by the rest of its clause), and an obligation that expects FAIL must be about
a copy that really is broken: so the flip is the first site, in an order fixed by ``seed``,
whose mutant's output sequence differs from the unbroken translation's within a few
periods on some of 64 random inputs (bit-parallel simulation). That filter only picks the
site; the verdict is still the equivalence check's, against the *source* model.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import Verdict
from verifier.errors import InputError
from verifier.ir.compile import compile_model
from verifier.ir.simulate import BitSimulator, simulate
from verifier.models import Model
from verifier.translate import mutate
from verifier.translate.registry import Relation, Translated, translate

__all__ = ["MAX_TRIES", "broken_copy", "check_translation"]

MAX_TRIES = 200
"""Sites tried before giving up on finding an observable flip."""

SAMPLE = 64


def check_translation(
    model: Model,
    target: str,
    *,
    mutate_seed: int | None = None,
    timeout: float | None = None,
) -> Verdict:
    """Translate ``model`` to ``target`` and check the claimed relation against ``model``;
    with ``mutate_seed``, check a broken copy of the translation instead (expected: FAIL)."""
    translated = translate(model, target)
    result, note = translated.model, ""
    if mutate_seed is not None:
        result, site = broken_copy(translated, mutate_seed)
        note = f"broken copy (clause {site[0] + 1}, literal {site[1] + 1} negated): "
    relation = translated.relation
    # The stride hint comes from the result's meta line, as for `verify equiv SRC OUT`.
    options = EquivOptions(mode=relation.mode, timeout=timeout)
    verdict = check_equiv(model, result, options)
    steps = " + ".join(f"{s.name} (Theorem {s.theorem})" for s in translated.steps)
    return replace(verdict, detail=f"{steps}, {relation}: {note}{verdict.detail}")


def broken_copy(translated: Translated, seed: int) -> tuple[Model, tuple[int, int]]:
    """The translation with one literal negated whose effect is observable (module
    docstring), and the site flipped; InputError if none of :data:`MAX_TRIES` sites is."""
    good = translated.model
    sites = mutate.sites(good)
    random.Random(seed).shuffle(sites)
    rounds = _horizon(translated.relation)
    inputs = _sample_inputs(good, seed)
    expected = _output_prints(good, inputs, rounds)
    for site in sites[:MAX_TRIES]:
        broken = mutate.flip(good, site)
        if _differs(expected, _output_prints(broken, inputs, rounds)):
            return broken, site
    raise InputError(
        f"none of {min(len(sites), MAX_TRIES)} single-literal flips of the translation changes"
        f" its output sequence on {SAMPLE} random inputs within {rounds} rounds"
    )


def _horizon(relation: Relation) -> int:
    return min(2000, 16 * relation.stride + relation.offset + 16)


def _sample_inputs(model: Model, seed: int) -> np.ndarray:
    n = len(model.input_names)
    return np.random.default_rng(seed).random((SAMPLE, n)) < 0.5


def _output_prints(model: Model, inputs: np.ndarray, rounds: int) -> list[list[bytes]]:
    """Per valid input, the print strings of its output rounds up to ``rounds``."""
    result = simulate(BitSimulator(compile_model(model)), inputs, rounds, record_configs=False)
    outputs, prints, valid = result.outputs, result.prints, result.valid
    return [
        [prints[t, run].tobytes() for t in range(rounds + 1) if outputs[t, run]]
        if valid[run]
        else []
        for run in range(result.k)
    ]


def _differs(a: list[list[bytes]], b: list[list[bytes]]) -> bool:
    """Whether some run's output sequences differ on their common prefix (so they differ)."""
    return any(x[: len(y)] != y[: len(x)] for x, y in zip(a, b, strict=True))
