"""BoolNet / PyBoolNet ``.bnet`` import and export (DESIGN.md 3.2) on the published models of
``shared/models``, on hand-written syntax variants and on random programs."""

from __future__ import annotations

import doctest
import functools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MODELS
from tests.strategies import bnl_programs
from verifier import formula as fm
from verifier.errors import ModelError, ParseError
from verifier.formats import bnet
from verifier.formula import And, Bottom, Not, Or, Top, Var
from verifier.models import AttentionBits, AttentionRounds, BnlProgram, Head, Progression

MODEL_FILES = sorted(p.name for p in MODELS.glob("*.bnet"))
# One row of the table in INDEX.md: file, vars, targets, free inputs, `x, x` rules, constants.
INDEX_ROW = re.compile(r"\| \d+ \| `([^`]+)`[^|]*\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|")


@functools.cache
def load_model(name: str) -> BnlProgram:
    path = MODELS / name
    return bnet.loads(path.read_text(encoding="utf-8"), str(path))


def index_rows() -> dict[str, tuple[int, ...]]:
    text = (MODELS / "INDEX.md").read_text(encoding="utf-8")
    return {m.group(1): tuple(map(int, m.groups()[1:])) for m in INDEX_ROW.finditer(text)}


def test_the_index_lists_every_model() -> None:
    assert len(MODEL_FILES) == 65
    assert sorted(index_rows()) == MODEL_FILES


@pytest.mark.parametrize("name", MODEL_FILES)
def test_published_model_matches_its_index_counts(name: str) -> None:
    """Heads = defined targets (in line order) + free inputs with identity rules (DESIGN 3.2)."""
    program = load_model(name)
    variables, targets, free, ident, const = index_rows()[name]
    assert len(program.heads) == variables
    assert program.input_names == program.names  # every head is an input predicate
    assert program.print_ == program.names
    assert program.meta == ()  # no published name needs renaming
    defined, free_heads = program.heads[:targets], program.heads[targets:]
    assert len(free_heads) == free
    assert all(h.body == Var(h.name) for h in free_heads)
    assert sum(h.body == Var(h.name) for h in defined) == ident
    assert sum(isinstance(h.body, (Top, Bottom)) for h in defined) == const


@pytest.mark.parametrize("name", MODEL_FILES)
def test_published_model_round_trips(name: str) -> None:
    program = load_model(name)
    text = bnet.dumps(program)
    again = bnet.loads(text, "<dumped>")
    assert again == program
    assert bnet.dumps(again) == text


def test_free_inputs_come_after_the_defined_heads_in_order_of_first_use() -> None:
    program = bnet.loads("B, Z & !Y\nA, B | X | Z\n")
    assert program.names == ("B", "A", "Z", "Y", "X")
    assert program.head("Z").body == Var("Z")


def test_biggest_rule_of_bbm_079_parses_without_recursion() -> None:
    program = load_model("bbm-079_COLORECTAL-TUMORIGENESIS.bnet")
    assert max(fm.size(h.body) for h in program.heads) > 30000


def test_precedence_and_left_associativity() -> None:
    body = bnet.loads("x, a | b & !c | d & e & f\n").heads[0].body
    a, b, c, d, e, f = map(Var, "abcdef")
    assert body == Or(Or(a, And(b, Not(c))), And(And(d, e), f))
    assert bnet.loads("x, !!(a | b)\n").heads[0].body == Not(Not(Or(a, b)))


@pytest.mark.parametrize(
    "text",
    [
        "targets, factors\nA, B & !C\n",
        "targets,factors\nA,B&!C\n",
        "TARGETS ,  Factors  \r\nA,\tB & ! C\r\n",
        "\ufeff# comment\n\n  targets, factors  # header\nA, (B) & (!C)  # rule\n\n",
        "A, B ∧ ¬C\n",
    ],
)
def test_syntax_variants(text: str) -> None:
    program = bnet.loads(text)
    assert program.heads[0] == Head("A", And(Var("B"), Not(Var("C"))))
    assert program.names == ("A", "B", "C")


def test_constants() -> None:
    program = bnet.loads("a, 1\nb, 0\nc, true | false\nd, ⊤ & ⊥\ne, 1a | true_x\n")
    bodies = [h.body for h in program.heads]
    assert bodies[:4] == [Top(), Bottom(), Or(Top(), Bottom()), And(Top(), Bottom())]
    assert program.names[5:] == ("_1a", "true_x")


def test_names_that_bnl_cannot_hold_are_renamed_reversibly() -> None:
    text = "targets, factors\n4EBP1, !5HT & _4EBP1\n_4EBP1, 4EBP1\n"
    program = bnet.loads(text)
    assert program.names == ("__4EBP1", "_4EBP1", "_5HT")
    assert program.head("__4EBP1").body == And(Not(Var("_5HT")), Var("_4EBP1"))
    assert program.meta == (
        "bnet.name=4EBP1 head=__4EBP1",
        "bnet.name=5HT head=_5HT",
    )
    assert bnet.dumps(program) == text + "5HT, 5HT\n"
    assert bnet.loads(bnet.dumps(program)) == program


def test_meta_lines_travel_as_comments() -> None:
    program = BnlProgram(heads=(Head("X", Not(Var("X"))),), print_=("X",), meta=("source=a b",))
    text = bnet.dumps(program)
    assert text == "# verify: meta source=a b\ntargets, factors\nX, !X\n"
    assert bnet.loads(text) == program


@pytest.mark.parametrize(
    ("text", "line", "col", "expected"),
    [
        ("A, B\nB, A\nA, !B\n", 3, 1, "expected a new target: A already has a rule on line 1"),
        ("A, B\n  B  , A\n B, A\n", 3, 2, "B already has a rule on line 2"),
        ("A B\n", 1, 4, "expected `,` between the target and its rule"),
        ("A,\n", 1, 3, "expected a name, a constant (0, 1), `!` or `(`, found the end of the rule"),
        ("A, B &\n", 1, 7, "found the end of the rule"),
        ("A, B & & C\n", 1, 8, "expected a name, a constant (0, 1), `!` or `(`, found '&'"),
        ("A, B C\n", 1, 6, "expected `&`, `|`, `)` or the end of the rule, found 'C'"),
        ("A, B ^ C\n", 1, 6, "found '^'"),
        ("A, (B & (C | D)\n", 1, 4, "`(` is never closed"),
        ("A, B)\n", 1, 5, "found `)` without a matching `(`"),
        ("A, B, 0.5\n", 1, 5, "expected `&`, `|`, `)` or the end of the rule, found ','"),
        ("A, B[-1]\n", 1, 5, "found '['"),
        (", B\n", 1, 1, "expected a target name"),
        ("1, B\n", 1, 1, "expected a target name"),
        ("A-1, B\n", 1, 1, "expected a target name (letters, digits, `_`, `.`) before the comma"),
        ("# nothing\n\n", 2, 1, "expected at least one `target, rule` line, found none"),
        ("", 1, 1, "expected at least one `target, rule` line"),
        ("targets, factors, probabilities\n", 1, 17, "probabilistic BoolNet networks"),
        ("A, B\ntargets, factors\n", 2, 1, "the header `targets, factors` must come before"),
        ("# verify: meta bnet.name=1 head=_1\nA, A\n", 1, 1, "expected a meta comment other"),
    ],
)
def test_errors_name_line_column_and_what_was_expected(
    text: str, line: int, col: int, expected: str
) -> None:
    with pytest.raises(ParseError) as info:
        bnet.loads(text, "net.bnet")
    err = info.value
    assert (err.file, err.line, err.col) == ("net.bnet", line, col)
    assert expected in err.message
    assert str(err).startswith(f"net.bnet:{line}:{col}: error: ")


def test_deep_nesting_does_not_recurse() -> None:
    depth = 20_000
    program = bnet.loads("A, " + "A & (" * depth + "!(" * depth + "A" + ")" * 2 * depth)
    assert fm.depth(program.heads[0].body) == 2 * depth
    assert bnet.loads(bnet.dumps(program)) == program


def _plain(name: str, body: fm.Formula) -> Head:
    return Head(name, body)


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        (
            BnlProgram(heads=(Head("X", Var("X"), True),), print_=("X",)),
            "head X has the terminal clause X(0) :- 1",
        ),
        (
            BnlProgram(heads=(_plain("X", Var("Y")), _plain("Y", Var("X"))), print_=("Y",)),
            "the print predicates are not all heads in order",
        ),
        (
            BnlProgram(
                heads=(_plain("X", Var("X")),), print_=("X",), attention=AttentionBits(("X",))
            ),
            "attention condition",
        ),
        (
            BnlProgram(
                heads=(_plain("X", Var("X")),),
                print_=("X",),
                attention=AttentionRounds((Progression(0, 2),)),
            ),
            "attention condition",
        ),
        (
            BnlProgram(heads=(_plain("X", Var("X")),), print_=("X",), assumptions=(Var("X"),)),
            "assumptions",
        ),
        (
            BnlProgram(heads=(_plain("P[3,1]", Top()),), print_=("P[3,1]",)),
            "cannot be written as .bnet",
        ),
        (
            BnlProgram(
                heads=(_plain("a", Top()), _plain("_a", Top())),
                print_=("a", "_a"),
                meta=("bnet.name=a head=_a",),
            ),
            "would both be written as 'a'",
        ),
    ],
)
def test_export_refuses_what_bnet_cannot_hold(program: BnlProgram, reason: str) -> None:
    with pytest.raises(ModelError, match=re.escape(reason)):
        bnet.dumps(program)


# Index brackets and commas cannot appear in .bnet names; the strategies' pool has a few.
_PLAIN = {"P[1]": "P_1", "P[3,1]": "P_3_1", "Q[0]": "Q_0"}


@st.composite
def bnet_programs(draw: st.DrawFn) -> BnlProgram:
    """Random programs that .bnet can hold: inputs only, default print and attention."""
    program = draw(bnl_programs())
    heads = tuple(
        Head(_PLAIN.get(h.name, h.name), fm.rename(h.body, _PLAIN)) for h in program.heads
    )
    names = tuple(h.name for h in heads)
    return BnlProgram(heads=heads, print_=names, meta=program.meta)


@given(bnet_programs())
def test_random_programs_round_trip(program: BnlProgram) -> None:
    text = bnet.dumps(program)
    assert bnet.loads(text) == program


def test_module_examples() -> None:
    assert doctest.testmod(bnet).failed == 0
