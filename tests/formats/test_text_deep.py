"""Deep formulas and gate expressions parse and print without recursing on their depth."""

from __future__ import annotations

from verifier.formats import bnl_text, circ_text
from verifier.formula import And, Var, depth

N = 20_000


def test_bnl_body_with_20000_nested_connectives():
    # X & (X & (X & ...)): every level needs its parentheses, the worst case for both sides.
    text = "X :- " + "X & (" * (N - 1) + "X & X" + ")" * (N - 1) + "\n"
    program = bnl_text.loads(text)
    body = program.heads[0].body
    assert depth(body) == N
    assert isinstance(body, And) and body.left == Var("X")
    printed = bnl_text.dumps(program)
    assert printed.endswith("\n" + text)
    assert bnl_text.loads(printed) == program


def test_bnl_body_with_20000_negations():
    program = bnl_text.loads("X :- " + "!" * N + "X\n")
    assert depth(program.heads[0].body) == N
    assert bnl_text.loads(bnl_text.dumps(program)) == program


def test_circ_gate_with_20000_nested_gates():
    text = "inputs x\noutputs g\ng = " + "!" * N + "x\n"
    circuit = circ_text.loads(text)
    assert circuit.size == 1 + N
    assert circuit.depth == N
    printed = circ_text.dumps(circuit)
    assert printed.endswith("g = not(" + "!" * (N - 1) + "x)\n")
    again = circ_text.loads(printed)
    assert again == circuit and hash(again) == hash(circuit)
