"""parse_formula / format_formula: the formula syntax of DESIGN.md 2.1."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.strategies import NAME_POOL, formulas
from verifier.errors import ParseError
from verifier.formats.formula_text import format_formula, parse_formula
from verifier.formula import And, Bottom, Not, Or, Top, Var

a, b, c = Var("a"), Var("b"), Var("c")


@given(formulas(NAME_POOL, max_leaves=12))
def test_parse_inverts_format(f):
    assert parse_formula(format_formula(f)) == f


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a & !b | c", Or(And(a, Not(b)), c)),
        ("a | b & c", Or(a, And(b, c))),
        ("a & b & c", And(And(a, b), c)),
        ("a | b | c", Or(Or(a, b), c)),
        ("a & (b & c)", And(a, And(b, c))),
        ("!!a", Not(Not(a))),
        ("!(a | b)", Not(Or(a, b))),
        ("((a))", a),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert parse_formula(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", Top()),
        ("true", Top()),
        ("⊤", Top()),
        ("0", Bottom()),
        ("false", Bottom()),
        ("⊥", Bottom()),
        ("¬a ∧ b ∨ c", Or(And(Not(a), b), c)),
        ("trueish & false_", And(Var("trueish"), Var("false_"))),
    ],
)
def test_synonyms(text, expected):
    assert parse_formula(text) == expected


def test_names_dotted_and_indexed_with_blanks_dropped():
    assert parse_formula("c.d & P[ 3 , 1 ] | Q[0]") == Or(
        And(Var("c.d"), Var("P[3,1]")), Var("Q[0]")
    )


def test_directive_words_are_names_in_formulas():
    assert parse_formula("print & order | all") == Or(And(Var("print"), Var("order")), Var("all"))


@pytest.mark.parametrize(
    ("text", "col", "phrase"),
    [
        ("a &", 4, "expected a formula, got the end of the formula"),
        ("", 1, "expected a formula"),
        ("a b", 3, "expected '&', '|' or the end of the formula, got 'b'"),
        ("(a | b", 7, "expected ')'"),
        ("a $ b", 3, "got '$'"),
    ],
)
def test_errors(text, col, phrase):
    with pytest.raises(ParseError) as info:
        parse_formula(text, "cli")
    assert (info.value.file, info.value.line, info.value.col) == ("cli", 1, col)
    assert phrase in info.value.message
