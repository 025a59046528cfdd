"""Theorem 2.1 (SC to BNL asynchronously, BNL to SC globally) checked by the engines."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from tests.strategies import bnl_programs, sc_programs
from verifier import formula as fm
from verifier.checks.equiv import EquivOptions, check_equiv, stride_hint
from verifier.checks.verdict import VerdictKind
from verifier.formats import bnl_text, sc_text
from verifier.formats.registry import load
from verifier.formula import And, Formula, Not, Or, Top, Var
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Head,
    Progression,
    SchemaVar,
    ScProgram,
)
from verifier.translate.bnl_to_sc import bnl_to_sc
from verifier.translate.sc_to_bnl import sc_to_bnl

SC_META = ("translation=sc-to-bnl theorem=2.1 relation=async stride=1 offset=1",)
BNL_META = ("translation=bnl-to-sc theorem=2.1 relation=global",)


def _flat(formula: Formula) -> object:
    """``formula`` as nested tuples with chains of ``&`` (of ``|``) flattened: equal iff the
    formulas are equal up to the associativity of ``&`` and ``|``."""

    def combine(node: Formula, kids: list[object]) -> object:
        if isinstance(node, Var):
            return ("var", node.name)
        if not isinstance(node, And | Or):
            return (type(node).__name__, *kids)
        tag = type(node).__name__
        items: list[object] = []
        for kid in kids:
            if isinstance(kid, tuple) and kid[0] == tag:
                items.extend(kid[1:])
            else:
                items.append(kid)
        return (tag, *items)

    return fm.fold(formula, combine)


def _negate_body(program: BnlProgram, name: str) -> BnlProgram:
    heads = tuple(replace(h, body=Not(h.body)) if h.name == name else h for h in program.heads)
    return replace(program, heads=heads)


# ----------------------------------------------------------------------------- SC to BNL


@settings(max_examples=60)
@given(sc_programs())
def test_sc_to_bnl_is_asynchronously_equivalent(program: ScProgram) -> None:
    result = sc_to_bnl(program)
    assert result.meta == SC_META
    assert stride_hint(result) == (1, 1)
    assert len(result.input_names) == len(program.props)
    assert bnl_text.loads(bnl_text.dumps(result)) == result
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, result, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


def test_small_sc_matches_the_example(examples) -> None:
    program = load(examples / "small.sc")
    expected = load(examples / "small_from_sc.bnl")
    result = sc_to_bnl(program)
    assert isinstance(expected, BnlProgram)
    # Structurally the same up to renaming (heads are ordered as in the example).
    assert len(result.heads) == len(expected.heads)
    assert result.size == expected.size
    to_example = dict(zip(result.names, expected.names, strict=True))
    for mine, theirs in zip(result.heads, expected.heads, strict=True):
        assert mine.init == theirs.init
        assert _flat(fm.rename(mine.body, to_example)) == _flat(theirs.body)
    assert tuple(to_example[n] for n in result.print_) == expected.print_
    assert isinstance(result.attention, AttentionBits)
    assert tuple(to_example[n] for n in result.attention.bits) == expected.attention.bits
    # Checked by the engines, too.
    assert check_equiv(result, expected, EquivOptions(mode="global")).kind is VerdictKind.PASS
    assert check_equiv(program, expected, EquivOptions(mode="async")).kind is VerdictKind.PASS
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, result, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


def test_sc_to_bnl_negated_print_predicate_is_caught(examples) -> None:
    program = load(examples / "small.sc")
    broken = _negate_body(sc_to_bnl(program), "X")
    for engine in ("auto", "explicit", "induction"):
        verdict = check_equiv(program, broken, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.FAIL, (engine, verdict.detail)


def test_sc_to_bnl_wrong_start_flag_is_caught(examples) -> None:
    program = load(examples / "small.sc")
    result = sc_to_bnl(program)
    start = result.heads[-1]
    assert start.name == "S" and start.init is False
    broken = replace(result, heads=(*result.heads[:-1], replace(start, init=True)))
    verdict = check_equiv(program, broken, EquivOptions(mode="async", engine="explicit"))
    assert verdict.kind is VerdictKind.FAIL, verdict.detail


def test_sc_to_bnl_attention_all_uses_the_start_flag() -> None:
    program = ScProgram(
        props=("a",),
        vars=(SchemaVar("X", Var("a"), Not(Var("X"))),),
        print_=("X",),
        attention=AttentionAll(),
    )
    result = sc_to_bnl(program)
    assert result.names == ("X", "a", "S")
    assert result.attention == AttentionBits(("S",))
    assert check_equiv(program, result, EquivOptions(mode="async")).kind is VerdictKind.PASS


def test_sc_to_bnl_shifts_attention_rounds() -> None:
    rounds = AttentionRounds((0, 3, Progression(5, 2)))
    program = ScProgram(
        props=("a",),
        vars=(SchemaVar("X", Var("a"), Not(Var("X"))),),
        print_=("X",),
        attention=rounds,
    )
    result = sc_to_bnl(program)
    assert result.attention == AttentionRounds((1, 4, Progression(6, 2)))
    assert check_equiv(program, result, EquivOptions(mode="async")).kind is VerdictKind.PASS


def test_sc_to_bnl_unused_propositions_and_clashing_names() -> None:
    # 'S' is a schema variable, so the start flag needs a fresh name; 'q' occurs nowhere but
    # still gets an input predicate (same number of inputs); the assumption moves along.
    program = ScProgram(
        props=("p", "q", "_S"),
        vars=(
            SchemaVar("S", Var("p"), And(Var("S"), Var("_S"))),
            SchemaVar("T", Top(), Or(Var("S"), Var("T"))),
        ),
        print_=("S", "T"),
        assumptions=(Or(Not(Var("p")), Not(Var("q"))),),
    )
    result = sc_to_bnl(program)
    assert result.input_names == ("p", "q", "_S")
    start = result.names[-1]
    assert start not in {"S", "T", "p", "q", "_S"}
    assert result.attention == AttentionBits((start,))
    assert result.assumptions == program.assumptions
    assert bnl_text.loads(bnl_text.dumps(result)) == result
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, result, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


# ----------------------------------------------------------------------------- BNL to SC


@settings(max_examples=60)
@given(bnl_programs())
def test_bnl_to_sc_is_globally_equivalent(program: BnlProgram) -> None:
    result = bnl_to_sc(program)
    assert result.meta == BNL_META
    assert result.names == program.names
    assert len(result.props) == len(program.input_names)
    assert tuple(v.body for v in result.vars) == tuple(h.body for h in program.heads)
    assert sc_text.loads(sc_text.dumps(result)) == result
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, result, EquivOptions(mode="global", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


def test_bnl_to_sc_of_the_example(examples) -> None:
    program = load(examples / "small_from_sc.bnl")
    result = bnl_to_sc(program)
    assert result.props == ("p_P", "p_Q")
    assert [v.terminal for v in result.vars] == [
        fm.Bottom(),
        fm.Bottom(),
        Var("p_P"),
        Var("p_Q"),
        fm.Bottom(),
    ]
    assert check_equiv(program, result, EquivOptions(mode="global")).kind is VerdictKind.PASS


def test_bnl_to_sc_fresh_proposition_names() -> None:
    program = BnlProgram(
        heads=(
            Head("X", Var("X")),
            Head("p_X", Not(Var("X")), True),
            Head("Y", Var("Y")),
        ),
        print_=("p_X",),
        attention=AttentionBits(("Y",)),
        assumptions=(Or(Var("X"), Var("Y")),),
    )
    result = bnl_to_sc(program)
    assert len(set(result.props) | set(result.names)) == 5
    assert result.props[1] == "p_Y"
    assert result.assumptions == (Or(Var(result.props[0]), Var("p_Y")),)
    assert result.attention == program.attention
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, result, EquivOptions(mode="global", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


def test_bnl_to_sc_negated_print_predicate_is_caught(examples) -> None:
    program = load(examples / "small_from_sc.bnl")
    result = bnl_to_sc(program)
    broken = replace(
        result,
        vars=tuple(replace(v, body=Not(v.body)) if v.name == "X" else v for v in result.vars),
    )
    for mode in ("global", "async"):
        verdict = check_equiv(program, broken, EquivOptions(mode=mode, engine="explicit"))
        assert verdict.kind is VerdictKind.FAIL, (mode, verdict.detail)
