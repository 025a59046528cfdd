"""Round trips ``loads(dumps(m)) == m`` of the .bnl/.sc/.circ formats, and what the readers
accept (DESIGN.md 3.1): directive order, defaults, synonyms, keywords used as names."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.strategies import bnl_programs, circuits, sc_programs
from verifier.formats import bnl_text, circ_text, sc_text
from verifier.formula import And, Not, Or, Top, Var
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Head,
    Progression,
)


@given(bnl_programs())
def test_bnl_round_trip(program):
    text = bnl_text.dumps(program)
    assert bnl_text.loads(text) == program
    assert bnl_text.dumps(bnl_text.loads(text)) == text


@given(sc_programs())
def test_sc_round_trip(program):
    text = sc_text.dumps(program)
    assert sc_text.loads(text) == program
    assert sc_text.dumps(sc_text.loads(text)) == text


@given(circuits())
def test_circ_round_trip(circuit):
    text = circ_text.dumps(circuit)
    assert circ_text.loads(text) == circuit
    assert circ_text.dumps(circ_text.loads(text)) == text


# -- BNL


def test_bnl_defaults():
    program = bnl_text.loads("Y(0) :- 1\nX :- Y\nY :- !Y\n")
    assert program.names == ("Y", "X")  # order of first appearance, terminal clauses included
    assert program.input_names == ("X",)
    assert program.print_ == ("Y", "X")  # default: every head, in order
    assert program.attention == AttentionAll()
    assert program.assumptions == () and program.meta == ()


def test_bnl_directives_anywhere_and_everything_read():
    text = """
# comment line
X :- X | Y    # trailing comment
meta source=paper theorem=2.3
Y(0) :- true
assume !X | X
order Y X
Y :- !Y & X
print X Y
attention X
inputs X
meta second
"""
    program = bnl_text.loads(text)
    assert program == BnlProgram(
        heads=(Head("Y", And(Not(Var("Y")), Var("X")), True), Head("X", Or(Var("X"), Var("Y")))),
        print_=("X", "Y"),
        attention=AttentionBits(("X",)),
        assumptions=(Or(Not(Var("X")), Var("X")),),
        meta=("source=paper theorem=2.3", "second"),
    )


@pytest.mark.parametrize(
    ("line", "attention"),
    [
        ("attention all", AttentionAll()),
        ("attention rounds 0, 3, 5+2k", AttentionRounds((0, 3, Progression(5, 2)))),
        ("attention rounds 7 + 1k,2", AttentionRounds((Progression(7, 1), 2))),
        ("attention X all", AttentionBits(("X", "all"))),
        ("attention rounds X", None),  # a syntax error: `rounds` starts a list of rounds
    ],
)
def test_bnl_attention_forms(line, attention):
    text = f"{line}\nX :- X\nall :- all\n"
    if attention is None:
        with pytest.raises(Exception, match="malformed 'attention rounds'"):
            bnl_text.loads(text)
    else:
        assert bnl_text.loads(text).attention == attention


def test_bnl_empty_print_and_windows_line_ends_and_no_final_newline():
    program = bnl_text.loads("print\r\nX(0) :- 0\r\nX :- X\r\nmeta a=1 \r\n# end")
    assert program.print_ == ()
    assert program.meta == ("a=1",)
    assert bnl_text.loads(bnl_text.dumps(program)) == program


def test_directive_words_can_be_heads():
    text = "order print meta\nprint(0) :- 1\nprint :- print & meta\nmeta :- !print\nprint meta\n"
    program = bnl_text.loads(text)
    assert program.names == ("print", "meta")
    assert program.print_ == ("meta",)
    assert program.head("print").init is True
    assert bnl_text.loads(bnl_text.dumps(program)) == program


def test_indexed_names_are_normalised():
    program = bnl_text.loads("P[ 3, 1 ] :- P[3,1] & !Q[0]\nQ[0] :- 1\nprint P[3 ,1]\n")
    assert program.names == ("P[3,1]", "Q[0]")
    assert program.print_ == ("P[3,1]",)


def test_dumps_refuses_what_the_format_cannot_express():
    body = Var("X")
    with pytest.raises(ValueError, match="cannot be written"):
        bnl_text.dumps(
            BnlProgram((Head("X", body), Head("all", body)), (), AttentionBits(("all",)))
        )
    with pytest.raises(ValueError, match="meta text"):
        bnl_text.dumps(BnlProgram((Head("X", body),), (), meta=("a # b",)))
    with pytest.raises(ValueError, match="name 'a b'"):
        bnl_text.dumps(BnlProgram((Head("a b", Top()),), ()))


# -- SC


def test_sc_reads_props_and_clauses():
    program = sc_text.loads("X :- X & q\nprops p q\nX(0) :- p\ninputs p q\n")
    assert program.props == ("p", "q")
    assert program.names == ("X",)
    assert program.vars[0].terminal == Var("p")
    assert program.print_ == ("X",)


# -- circuits


def test_circ_nested_gates_and_shorthands():
    circuit = circ_text.loads("inputs x y\noutputs o y\no = or(and(x, !y), not(and()))\ny2 = y\n")
    assert circuit.gates == (
        GateDef(
            "o",
            GateApp(
                "or",
                (
                    GateApp("and", (GateRef("x"), GateApp("not", (GateRef("y"),)))),
                    GateApp("not", (GateApp("and", ()),)),
                ),
            ),
        ),
        GateDef("y2", GateRef("y")),
    )
    assert circuit.init == (None, None)
    assert circuit.print_ == (0, 1)  # default: every position
    assert circuit.size == 2 + 5


def test_circ_positions_by_index_or_name_and_keyword_names():
    text = (
        "inputs all x rounds\noutputs print all rounds\ninit x=1\n"
        "print 3 x\nattention all x\nprint = and(all, rounds)\n"
    )
    with pytest.raises(Exception, match="malformed 'attention'"):
        circ_text.loads(text)
    circuit = circ_text.loads(text.replace("attention all x", "attention 1 x"))
    assert circuit.print_ == (2, 1)
    assert circuit.attention == AttentionBits((0, 1))
    assert circuit.init == (None, True, None)
    # An input named `all` is written by its index after `attention`.
    assert "attention 1 x\n" in circ_text.dumps(circuit)
    assert circ_text.loads(circ_text.dumps(circuit)) == circuit


def test_circ_dumps_writes_positions_by_name():
    circuit = Circuit(
        inputs=("x", "a"),
        outputs=("g", "a"),
        gates=(GateDef("g", GateApp("not", (GateRef("x"),))),),
        init=(None, False),
        print_=(1, 0),
        attention=AttentionBits((1,)),
        assumptions=(Var("x"),),
        meta=("k=v",),
    )
    assert circ_text.dumps(circuit) == (
        "inputs x a\noutputs g a\ninit a=0\nprint a x\nattention a\nassume x\nmeta k=v\n"
        "g = not(x)\n"
    )
