"""One literal flipped: the deliberately broken copies of the negative proof obligations.

A *site* is ``(k, i)``: the i-th distinct name node (in postorder) of the k-th iteration
body of a BNL or SC program, or of the k-th gate definition of a circuit. Flipping it wraps
that node in a negation. Formulas are hash-consed, so a name shared inside one body is one
node and is flipped everywhere in that body (still one literal of the DAG); gate expressions
are trees, so there each site is one occurrence.
"""

from __future__ import annotations

from dataclasses import replace

from verifier import formula as fm
from verifier.formula import Formula, Not, Var
from verifier.models import BnlProgram, Circuit, GateApp, GateDef, GateRef, Model, ScProgram
from verifier.models.circuit import GateExpr

__all__ = ["flip", "sites"]


def _formula_sites(body: Formula) -> int:
    return sum(1 for node in fm.postorder(body) if isinstance(node, Var))


def _gate_nodes(expr: GateExpr) -> list[GateExpr]:
    """The nodes of ``expr`` in postorder (a tree; iterative for deep expressions)."""
    order: list[GateExpr] = []
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if done or isinstance(node, GateRef):
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((arg, False) for arg in reversed(node.args))
    return order


def _bodies(model: Model) -> list[Formula | GateExpr]:
    if isinstance(model, Circuit):
        return [g.expr for g in model.gates]
    if isinstance(model, BnlProgram):
        return [h.body for h in model.heads]
    return [v.body for v in model.vars]


def sites(model: Model) -> list[tuple[int, int]]:
    """Every site of ``model``, clause by clause."""
    found: list[tuple[int, int]] = []
    for k, body in enumerate(_bodies(model)):
        if isinstance(body, Formula):
            count = _formula_sites(body)
        else:
            count = sum(1 for node in _gate_nodes(body) if isinstance(node, GateRef))
        found.extend((k, i) for i in range(count))
    return found


def _flip_formula(body: Formula, index: int) -> Formula:
    seen = [0]

    def combine(node: Formula, kids: list[Formula]) -> Formula:
        if isinstance(node, Var):
            seen[0] += 1
            return Not(node) if seen[0] - 1 == index else node
        if not kids or all(k is c for k, c in zip(kids, node.children, strict=True)):
            return node
        return type(node)(*kids)

    return fm.fold(body, combine)


def _flip_gate(expr: GateExpr, index: int) -> GateExpr:
    """``expr`` with its ``index``-th reference (in postorder) negated. Rebuilt by position,
    not by object identity: a translation may put one expression object at several places
    of a tree, and each place is a site of its own (iterative for deep expressions)."""
    built: list[GateExpr] = []
    refs = 0
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, GateRef):
            built.append(GateApp("not", (node,)) if refs == index else node)
            refs += 1
        elif not done:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        else:
            start = len(built) - len(node.args)
            args = tuple(built[start:])
            del built[start:]
            same = all(a is b for a, b in zip(args, node.args, strict=True))
            built.append(node if same else GateApp(node.op, args))
    return built[0]


def flip(model: Model, site: tuple[int, int]) -> Model:
    """``model`` with the name at ``site`` (see :func:`sites`) negated."""
    k, i = site
    if isinstance(model, Circuit):
        gates = list(model.gates)
        gates[k] = GateDef(gates[k].name, _flip_gate(gates[k].expr, i))
        return replace(model, gates=tuple(gates))
    if isinstance(model, BnlProgram):
        heads = list(model.heads)
        heads[k] = replace(heads[k], body=_flip_formula(heads[k].body, i))
        return replace(model, heads=tuple(heads))
    assert isinstance(model, ScProgram)
    variables = list(model.vars)
    variables[k] = replace(variables[k], body=_flip_formula(variables[k].body, i))
    return replace(model, vars=tuple(variables))
