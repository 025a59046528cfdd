"""BNL program to self-feeding circuit (paper, Theorem 2.5), in two variants.

Position i of the circuit is head i of the program: its input gate carries the head's name,
heads with a terminal clause become auxiliary positions initialised to that value, and output
gate i computes the iteration body of head i. Print and attention predicates become the
positions of those heads, attention rounds and assumptions carry over. Both circuits are
globally equivalent to the program.

- :func:`bnl_to_circuit`: each body written as a tree of gates (``1`` is ``and()``, ``0`` is
  ``or()``); size linear in the program's, depth equal to the program's depth.
- :func:`bnl_to_circuit_balanced`: each body balanced by Lemma 2.4
  (:mod:`verifier.translate.balance`), fan-in at most 2, equal gates shared across heads;
  depth at most ``2 log_{3/2}(s) + 1`` for the largest body size ``s``, at most ``3 s**2``
  gates per body.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier import formula as fm
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import AttentionBits, BnlProgram, Circuit, GateApp, GateDef, GateRef
from verifier.models.circuit import GateExpr
from verifier.translate.balance import Balancer
from verifier.translate.names import RESERVED, fresh

__all__ = ["bnl_to_circuit", "bnl_to_circuit_balanced"]

META = "translation=bnl-to-circuit theorem=2.5 relation=global"
META_BALANCED = "translation=bnl-to-circuit-balanced theorem=2.5 lemma=2.4 relation=global"

# Builds the gate definitions and, per head in order, the name of its output gate; the set
# holds the names in use (the heads) and receives the new ones.
_Bodies = Callable[[BnlProgram, set[str]], tuple[list[GateDef], list[str]]]


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


def _tree_bodies(program: BnlProgram, taken: set[str]) -> tuple[list[GateDef], list[str]]:
    outputs: list[str] = []
    gates: list[GateDef] = []
    for head in program.heads:
        tree = _gate_tree(head.body)
        if isinstance(tree, GateRef):
            outputs.append(tree.name)  # the body is a head: output that input gate directly
            continue
        name = fresh(f"next_{head.name}", taken)
        gates.append(GateDef(name, tree))
        outputs.append(name)
    return gates, outputs


def _balanced_bodies(program: BnlProgram, taken: set[str]) -> tuple[list[GateDef], list[str]]:
    balancer = Balancer()
    roots = [(balancer.add(head.body), f"next_{head.name}") for head in program.heads]
    gates, exprs = balancer.emit(roots, taken)
    outputs = []
    for expr in exprs:
        assert isinstance(expr, GateRef)  # every root is named or is an input gate
        outputs.append(expr.name)
    return gates, outputs


def _translate(program: BnlProgram, bodies: _Bodies, meta: str) -> Circuit:
    heads = program.names
    clash = [h for h in heads if h in RESERVED]
    if clash:
        raise ValueError(f"heads named {', '.join(clash)} cannot be circuit gate names")
    position = {name: i for i, name in enumerate(heads)}
    gates, outputs = bodies(program, set(heads))
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
        meta=(meta,),
    )


def bnl_to_circuit(program: BnlProgram) -> Circuit:
    """The formula-tree circuit of ``program`` (Theorem 2.5), globally equivalent to it."""
    return _translate(program, _tree_bodies, META)


def bnl_to_circuit_balanced(program: BnlProgram) -> Circuit:
    """The balanced circuit of ``program`` (Theorem 2.5 with Lemma 2.4), globally equivalent to
    it: fan-in at most 2 and depth logarithmic in the size of the largest body."""
    return _translate(program, _balanced_bodies, META_BALANCED)
