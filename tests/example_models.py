"""The models of ../shared/examples built in code, transcribed exactly from the files.

Parsers are tested elsewhere; these let the simulators be checked against the known traces of
../shared/examples/README.md without depending on them.
"""

from __future__ import annotations

from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import (
    AttentionBits,
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Head,
    SchemaVar,
    ScProgram,
)

__all__ = [
    "counter3",
    "parity4_bad_bnl",
    "parity4_bnl",
    "parity4_circ",
    "small_from_sc",
    "small_sc",
]


def _and(*parts: Formula) -> Formula:
    """Left-nested, as the parser reads ``a & b & c``."""
    result = parts[0]
    for part in parts[1:]:
        result = And(result, part)
    return result


def _ref(name: str) -> GateRef:
    return GateRef(name)


def _not(name: str) -> GateApp:
    """``!name``: shorthand for a ``not`` gate."""
    return GateApp("not", (GateRef(name),))


def parity4_circ() -> Circuit:
    """parity4.circ: Theorem 2.3's parity circuit for n = 4 (inputs x1..x4, auxiliary a = 0)."""
    x1, x2, x3, x4, a = (_ref(n) for n in ("x1", "x2", "x3", "x4", "a"))
    gates = (
        GateDef(
            "o1",
            GateApp("or", (GateApp("and", (x1, _not("x2"))), GateApp("and", (_not("x1"), x2)))),
        ),
        GateDef(
            "o2",
            GateApp("or", (GateApp("and", (x3, _not("x4"))), GateApp("and", (_not("x3"), x4)))),
        ),
        GateDef("o3", GateApp("or", ())),
        GateDef("o4", GateApp("or", ())),
        GateDef(
            "oa",
            GateApp("or", (GateApp("and", (_not("x2"), _not("x3"), _not("x4"))), a)),
        ),
    )
    return Circuit(
        inputs=("x1", "x2", "x3", "x4", "a"),
        outputs=("o1", "o2", "o3", "o4", "oa"),
        gates=gates,
        init=(None, None, None, None, False),
        print_=(0,),
        attention=AttentionBits((4,)),
    )


def _parity4_heads(attention_body: Formula) -> tuple[Head, ...]:
    x1, x2, x3, x4 = (Var(n) for n in ("X1", "X2", "X3", "X4"))
    return (
        Head("X1", Or(And(x1, Not(x2)), And(Not(x1), x2))),
        Head("X2", Or(And(x3, Not(x4)), And(Not(x3), x4))),
        Head("X3", Bottom()),
        Head("X4", Bottom()),
        Head("A", attention_body, init=False),
    )


def parity4_bnl() -> BnlProgram:
    """parity4.bnl: the parity circuit as a BNL program (``A :- (!X2 & !X3 & !X4) | A``)."""
    x2, x3, x4, a = (Var(n) for n in ("X2", "X3", "X4", "A"))
    body = Or(_and(Not(x2), Not(x3), Not(x4)), a)
    return BnlProgram(_parity4_heads(body), print_=("X1",), attention=AttentionBits(("A",)))


def parity4_bad_bnl() -> BnlProgram:
    """parity4_bad.bnl: the attention rule forgets X4 (``A :- (!X2 & !X3) | A``)."""
    x2, x3, a = (Var(n) for n in ("X2", "X3", "A"))
    body = Or(_and(Not(x2), Not(x3)), a)
    return BnlProgram(_parity4_heads(body), print_=("X1",), attention=AttentionBits(("A",)))


def counter3() -> BnlProgram:
    """counter3.bnl: a one-hot counter of length 3, no inputs (print: all heads, by default)."""
    return BnlProgram(
        heads=(
            Head("C0", Var("C2"), init=True),
            Head("C1", Var("C0"), init=False),
            Head("C2", Var("C1"), init=False),
        ),
        print_=("C0", "C1", "C2"),
    )


def small_sc() -> ScProgram:
    """small.sc: props p q; X(0) :- p & !q; Y(0) :- q; X :- Y | (X & p); Y :- !Y."""
    p, q, x, y = (Var(n) for n in ("p", "q", "X", "Y"))
    return ScProgram(
        props=("p", "q"),
        vars=(
            SchemaVar("X", And(p, Not(q)), Or(y, And(x, p))),
            SchemaVar("Y", q, Not(y)),
        ),
        print_=("X",),
        attention=AttentionBits(("Y",)),
    )


def small_from_sc() -> BnlProgram:
    """small_from_sc.bnl: small.sc by Theorem 2.1 (start flag S, inputs P and Q)."""
    x, y, p, q, s = (Var(n) for n in ("X", "Y", "P", "Q", "S"))
    return BnlProgram(
        heads=(
            Head("X", Or(_and(Not(s), p, Not(q)), And(s, Or(y, And(x, p)))), init=False),
            Head("Y", Or(And(Not(s), q), And(s, Not(y))), init=False),
            Head("P", p),
            Head("Q", q),
            Head("S", Top(), init=False),
        ),
        print_=("X",),
        attention=AttentionBits(("Y",)),
    )
