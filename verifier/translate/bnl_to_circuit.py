"""BNL program to self-feeding circuit, formula-tree variant (paper, Theorem 2.5).

Position i of the circuit is head i of the program: its input gate carries the head's name,
heads with a terminal clause become auxiliary positions initialised to that value, and output
gate i is the iteration body of head i written as a tree of gates (``1`` is ``and()``, ``0``
is ``or()``). Print and attention predicates become the positions of those heads, attention
rounds and assumptions carry over. The circuit is globally equivalent to the program; its
size is linear in the program's and its depth equals the program's depth.
"""

from __future__ import annotations

from verifier import formula as fm
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import AttentionBits, BnlProgram, Circuit, GateApp, GateDef, GateRef
from verifier.models.circuit import GateExpr

__all__ = ["bnl_to_circuit"]

_RESERVED = {"and", "or", "not", "true", "false"}


def _gate_tree(body: Formula) -> GateExpr:
    """The body as nested gates (iteratively: bodies can be very deep)."""

    def combine(node: Formula, kids: list[GateExpr]) -> GateExpr:
        if isinstance(node, Var):
            return GateRef(node.name)
        if isinstance(node, Top):
            return GateApp("and", ())
        if isinstance(node, Bottom):
            return GateApp("or", ())
        if isinstance(node, Not):
            return GateApp("not", (kids[0],))
        assert isinstance(node, And | Or)
        return GateApp("and" if isinstance(node, And) else "or", (kids[0], kids[1]))

    return fm.fold(body, combine)


def _fresh(base: str, taken: set[str]) -> str:
    name = base
    while name in taken or name in _RESERVED:
        name = "_" + name
    taken.add(name)
    return name


def bnl_to_circuit(program: BnlProgram) -> Circuit:
    """The formula-tree circuit of ``program`` (Theorem 2.5), globally equivalent to it."""
    heads = program.names
    clash = [h for h in heads if h in _RESERVED]
    if clash:
        raise ValueError(f"heads named {', '.join(clash)} cannot be circuit gate names")
    taken = set(heads)
    position = {name: i for i, name in enumerate(heads)}
    outputs: list[str] = []
    gates: list[GateDef] = []
    for head in program.heads:
        tree = _gate_tree(head.body)
        if isinstance(tree, GateRef):
            outputs.append(tree.name)  # the body is a head: output that input gate directly
            continue
        name = _fresh(f"next_{head.name}", taken)
        gates.append(GateDef(name, tree))
        outputs.append(name)
    attention = program.attention
    if isinstance(attention, AttentionBits):
        attention = AttentionBits(tuple(position[n] for n in attention.bits))
    return Circuit(
        inputs=heads,
        outputs=tuple(outputs),
        gates=tuple(gates),
        init=tuple(h.init for h in program.heads),
        print_=tuple(position[n] for n in program.print_),
        attention=attention,
        assumptions=program.assumptions,
        meta=("translation=bnl-to-circuit theorem=2.5 relation=global",),
    )
