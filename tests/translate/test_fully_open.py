"""Theorem 2.2 (BNL to fully-open BNL) checked by the engines and the reference simulator."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.strategies import bnl_programs
from verifier import formula as fm
from verifier import reference
from verifier.checks.equiv import EquivOptions, check_equiv, stride_hint
from verifier.checks.verdict import VerdictKind
from verifier.cli.main import main
from verifier.formats import bnl_text
from verifier.formats.registry import load
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import AttentionBits, AttentionRounds, BnlProgram, Head
from verifier.models.attention import Progression
from verifier.models.dependencies import is_fully_open
from verifier.translate.fully_open import fully_open

ENGINES = ("explicit", "induction")


def rewritten_depth(body: Formula) -> int:
    """The depth after ``a | b`` -> ``!(!a & !b)`` and ``0`` -> ``!1`` (the paper's d)."""

    def combine(node: Formula, kids: list[int]) -> int:
        if isinstance(node, Bottom):
            return 1
        if isinstance(node, Or):
            return 3 + max(kids)
        return 1 + max(kids) if kids else 0

    return fm.fold(body, combine)


def expected_stride(program: BnlProgram) -> int:
    """D of the module docstring, computed independently of the implementation."""
    if is_fully_open(program):
        return 1
    levels = {h.name: rewritten_depth(h.body) for h in program.heads}
    d = max(levels.values())
    if d <= 1:
        return 1
    return max([d, *(levels[a] + 1 for a in program.attention_names)])


def assert_equivalent(program: BnlProgram, result: BnlProgram) -> None:
    for engine in ENGINES:
        verdict = check_equiv(program, result, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


def assert_samples(program: BnlProgram, result: BnlProgram, rounds: int = 4) -> None:
    """Reference simulation, every input: round D*t of the result holds P's configuration of
    round t on P's heads, outputs iff P does, and never outputs in other rounds."""
    stride, offset = stride_hint(result) or (0, 0)
    assert offset == 0
    n = len(program.heads)
    for bits in itertools.product((False, True), repeat=len(program.input_names)):
        ta = reference.simulate(program, bits, rounds)
        tb = reference.simulate(result, bits, stride * rounds)
        for step in tb:
            t, rem = divmod(step.round, stride)
            if rem:
                assert not step.output, (bits, step.round)
                continue
            assert step.config[:n] == ta[t].config, (bits, t)
            assert step.output == ta[t].output, (bits, t)
            if step.output:
                assert step.print == ta[t].print, (bits, t)


def check_shape(program: BnlProgram, result: BnlProgram) -> int:
    """The structural claims; returns the stride D."""
    stride = expected_stride(program)
    meta = f"translation=fully-open theorem=2.2 relation=async stride={stride} offset=0"
    assert result.meta == (meta,)
    assert stride_hint(result) == (stride, 0)
    assert is_fully_open(result)
    assert bnl_text.loads(bnl_text.dumps(result)) == result
    n = len(program.heads)
    assert [(h.name, h.init) for h in result.heads[:n]] == [(h.name, h.init) for h in program.heads]
    assert result.input_names == program.input_names
    assert result.print_ == program.print_
    assert result.assumptions == program.assumptions
    new_heads = result.heads[n:]
    assert all(h.init is not None for h in new_heads)  # no new input predicates
    att = program.attention
    if is_fully_open(program) or isinstance(att, AttentionBits):
        assert result.attention == att
    elif isinstance(att, AttentionRounds):
        assert isinstance(result.attention, AttentionRounds)
        rounds = result.attention.rounds_upto(stride * 40)
        assert rounds == tuple(stride * t for t in att.rounds_upto(40))
    else:
        assert isinstance(result.attention, AttentionBits)
        (counter,) = result.attention.bits
        assert counter not in program.names and result.head(counter).init is True
    # Size (module docstring): at most n*D + D + 1 + D*s heads, s the distinct compound
    # subformulas after rewriting, which the paper's size of the bodies bounds.
    s = sum(fm.size(h.body) for h in program.heads)
    assert len(result.heads) <= n * stride + stride + 1 + stride * s
    return stride


@settings(max_examples=40)
@given(bnl_programs(max_heads=4, max_inputs=3))
def test_random_programs(program: BnlProgram) -> None:
    result = fully_open(program)
    check_shape(program, result)
    assert_samples(program, result)
    assert_equivalent(program, result)


def test_parity4(examples: Path) -> None:
    program = load(examples / "parity4.bnl")
    result = fully_open(program)
    # A :- (!X2 & !X3 & !X4) | A has rewritten depth 6, the largest, and A is the attention
    # predicate: its flag needs one more round, D = 7.
    assert check_shape(program, result) == 7
    assert result.attention == AttentionBits(("A",))
    assert_samples(program, result)
    assert_equivalent(program, result)


def test_parity4_negated_print_predicate_fails(examples: Path) -> None:
    program = load(examples / "parity4.bnl")
    result = fully_open(program)
    target = program.print_[0]
    heads = tuple(replace(h, body=Not(h.body)) if h.name == target else h for h in result.heads)
    broken = replace(result, heads=heads)
    assert is_fully_open(broken)
    for engine in ENGINES:
        verdict = check_equiv(program, broken, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.FAIL, (engine, verdict.detail)
        assert verdict.counterexample is not None


def test_counter3_is_already_fully_open(examples: Path) -> None:
    program = load(examples / "counter3.bnl")
    result = fully_open(program)
    assert check_shape(program, result) == 1
    assert result.heads == program.heads and result.attention == program.attention
    assert_equivalent(program, result)
    assert fully_open(result) == result  # idempotent


def test_counter_with_disjunctions() -> None:
    program = bnl_text.loads(
        "C0(0) :- 1\nC1(0) :- 0\nC2(0) :- 0\n"
        "C0 :- C2 | 0\nC1 :- C0 & 1\nC2 :- !!C1\nprint C0 C1 C2\n"
    )
    result = fully_open(program)
    assert check_shape(program, result) == 4  # C2 | 0 is !(!C2 & !!1): depth 4
    assert isinstance(result.attention, AttentionBits)  # attention all -> _c0
    assert_samples(program, result, rounds=6)
    assert_equivalent(program, result)
    assert fully_open(result).heads == result.heads  # the result is left alone


INPUT_ATTENTION_DEEP = """\
# A is an input predicate, an attention predicate and has the deepest body.
inputs A B
print B A
attention A
A :- !(A & B) | B
B :- A | !B
"""

INPUT_ATTENTION_SHALLOW = """\
# The attention predicates A (input) and C are shallow; B is deep.
order A B C
print B
attention A C
C(0) :- 1
A :- C
B :- (A & !B) | (!A & C)
C :- !B
"""

INPUT_ATTENTION_FLAT = """\
# Depth <= 1 but not fully open (Y & 1): D = 1, nothing flagged.
inputs A B
attention A
A :- B & 1
B :- !B
"""


@pytest.mark.parametrize(
    ("text", "stride"),
    [(INPUT_ATTENTION_DEEP, 6), (INPUT_ATTENTION_SHALLOW, 5), (INPUT_ATTENTION_FLAT, 1)],
)
def test_attention_on_input_predicates(text: str, stride: int) -> None:
    program = bnl_text.loads(text)
    assert set(program.attention_names) & set(program.input_names)
    result = fully_open(program)
    assert check_shape(program, result) == stride
    # The attention predicates are the same heads; an input one stays an input predicate.
    assert result.attention == program.attention
    assert set(result.input_names) >= set(program.attention_names) & set(program.input_names)
    assert_samples(program, result, rounds=6)
    assert_equivalent(program, result)


def test_attention_rounds_are_stretched() -> None:
    program = bnl_text.loads(
        "attention rounds 0, 3, 5+2k\nX(0) :- 1\nY(0) :- 0\nX :- X | Y\nY :- !X\n"
    )
    result = fully_open(program)
    assert check_shape(program, result) == 3  # X | Y is !(!X & !Y)
    assert result.attention == AttentionRounds((0, 9, Progression(15, 6)))
    assert_samples(program, result, rounds=8)
    assert_equivalent(program, result)


def test_fresh_names_do_not_clash() -> None:
    program = bnl_text.loads(
        "order X _c0 _s1 _one _d1_X _d2_X\n"
        "print X _c0 _one\nattention _c0\n"
        "_s1(0) :- 1\n_one(0) :- 0\n_d1_X(0) :- 0\n_d2_X(0) :- 1\n"
        "X :- !(_s1 & 1) | _d1_X\n_c0 :- X & 1\n_s1 :- !!_s1\n"
        "_one :- _c0 | X\n_d1_X :- _one\n_d2_X :- _d2_X\n"
    )
    result = fully_open(program)
    check_shape(program, result)
    assert len(set(result.names)) == len(result.names)
    assert_samples(program, result)
    assert_equivalent(program, result)


def test_indexed_and_dotted_names_round_trip() -> None:
    program = bnl_text.loads("P[3,1](0) :- 0\nc.d(0) :- 1\nP[3,1] :- !!c.d\nc.d :- P[3,1] | c.d\n")
    result = fully_open(program)
    check_shape(program, result)  # includes loads(dumps(result)) == result
    assert_equivalent(program, result)


def test_very_deep_body_no_recursion() -> None:
    body: Formula = Var("X")
    for _ in range(3000):
        body = Not(body)
    program = BnlProgram(heads=(Head("X", body, False),), print_=("X",))
    result = fully_open(program)
    assert check_shape(program, result) == 3000
    assert len(result.heads) == 1 + 3000 + 2999  # X, the counter, the chain of negations


def test_deep_chain_is_equivalent() -> None:
    body: Formula = Var("X")
    for k in range(30):
        body = Not(body) if k % 3 else And(body, Var("Y"))
    program = BnlProgram(
        heads=(Head("X", body, None), Head("Y", Or(Var("Y"), Top()), None)),
        print_=("X",),
        attention=AttentionBits(("X",)),
    )
    result = fully_open(program)
    assert check_shape(program, result) == 31
    assert_equivalent(program, result)


def test_info_reports_fully_open(capsys, tmp_path: Path, examples: Path) -> None:
    result = fully_open(load(examples / "parity4.bnl"))
    out = tmp_path / "parity4_open.bnl"
    out.write_text(bnl_text.dumps(result))
    assert main(["info", str(out)]) == 0
    assert "fully open: yes" in capsys.readouterr().out.splitlines()
    assert main(["info", str(examples / "parity4.bnl")]) == 0
    assert "fully open: no" in capsys.readouterr().out.splitlines()
