"""The cost semantics ``Ops`` of the essay (``../shared/seeds/post-tech-tree-cost-calculus.txt``),
exactly, with a derivation that says which sub-terms contribute.

Rules (docs/ops.md):

* a constant or a variable costs 0, and a λ adds nothing to its body;
* a primitive application ``(+ a b)``, ``(* a b)``, ``(relu a)`` costs 1 plus its arguments; the
  n-ary ``(+ a b c ...)`` is the left fold, so it costs n - 1 plus its arguments ("n-ary + as 2
  binary +");
* ``(let ((x e1) ...) e)`` costs each bound expression once plus the body;
* a library name costs its own computed cost (a base case) wherever it appears, applied or
  passed as a value: ``(neg y)`` costs 1, ``(shift (neg mr) (inv m))`` costs shift + neg + inv;
* applying a variable (higher-order, ``(f (g x))`` inside compose) costs 0 plus the arguments;
* applying a λ directly, or any other compound function, costs the function plus the arguments
  (for a λ: its body).

The cost is static: it reads the program once and never runs it, so a λ bound by a ``let`` and
applied twice is counted once (its body where it is bound, 0 at each application).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from verifier.errors import InputError
from verifier.ops.syntax import PRIMITIVES, App, Definition, Expr, Lam, Let, Library, Num, Sym, show

__all__ = ["RULES", "DefinitionCost", "Derivation", "cost", "library_costs"]

RULES: dict[str, str] = {
    "constant": "a constant costs 0",
    "variable": "a variable costs 0",
    "library": "a library name costs its own cost (a base case)",
    "lambda": "a λ costs its body",
    "let": "a let costs each bound expression once plus its body",
    "primitive": "a primitive application costs 1 plus its arguments",
    "apply-library": "applying a library name costs its cost plus the arguments",
    "apply-variable": "applying a variable (higher-order) costs 0 plus the arguments",
    "apply": "applying a compound function costs the function plus the arguments",
}
"""The rule names of :attr:`Derivation.rule` and what each says."""

_CHARGED = ("primitive", "library", "apply-library")


@dataclass(frozen=True)
class Derivation:
    """Why ``term`` costs ``cost``: ``own`` is charged at this node (1 for a binary primitive
    application, n - 1 for an n-ary one, the cost of a library name; 0 otherwise) to ``head``
    (the primitive or library name, or the variable applied), and ``children`` are the
    sub-terms whose costs are added (an application's arguments, and its function when that is
    compound). ``cost == own + sum(child.cost for child in children)``."""

    term: str
    cost: int
    rule: str
    own: int = 0
    head: str | None = None
    note: str = ""
    children: tuple[Derivation, ...] = field(default=())

    def nodes(self) -> Iterator[Derivation]:
        """This node and every node below it, in preorder."""
        yield self
        for child in self.children:
            yield from child.nodes()

    def contributions(self) -> list[tuple[str, int, str]]:
        """``(head, own, note)`` of every charged node (primitive applications and library
        names), in preorder: the terms of the sum."""
        return [
            (node.head or node.term, node.own, node.note)
            for node in self.nodes()
            if node.rule in _CHARGED
        ]

    def summary(self) -> str:
        """``"4 = + 1 + relu 1 + relu 1 + neg 1"``: the cost as the sum of its contributions
        (``"0 (applied variables cost 0: f, g)"`` when nothing is charged but variables are
        applied)."""
        parts = [
            f"{head} {own}" + (f" ({note})" if note else "")
            for head, own, note in self.contributions()
        ]
        if parts:
            return f"{self.cost} = {' + '.join(parts)}"
        applied = [n.head for n in self.nodes() if n.rule == "apply-variable"]
        if applied:
            names = ", ".join(dict.fromkeys(h for h in applied if h))
            return f"{self.cost} (applied variables cost 0: {names})"
        return str(self.cost)

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "cost": self.cost,
            "rule": self.rule,
            "own": self.own,
            "head": self.head,
            "note": self.note,
            "children": [child.to_json() for child in self.children],
        }


class DefinitionCost(NamedTuple):
    """One library definition costed: ``ok`` is None when it claims no cost."""

    definition: Definition
    derivation: Derivation
    claimed: int | None
    ok: bool | None

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def cost(self) -> int:
        return self.derivation.cost


class _Costing:
    """Costs over one library, each library name's cost computed once."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.names: dict[str, int] = {}

    def of_name(self, name: str) -> int:
        if name not in self.names:
            # Definitions are closed and use only earlier names: no cycle is possible.
            self.names[name] = self.derive(self.library[name].expr, frozenset()).cost
        return self.names[name]

    def derive(self, expr: Expr, bound: frozenset[str]) -> Derivation:
        term = show(expr)
        if isinstance(expr, Num):
            return Derivation(term, 0, "constant")
        if isinstance(expr, Sym):
            if expr.name in bound:
                return Derivation(term, 0, "variable")
            if expr.name in self.library:
                own = self.of_name(expr.name)
                return Derivation(term, own, "library", own, expr.name)
            if expr.name in PRIMITIVES:
                raise InputError(f"the primitive {expr.name} must be applied")
            raise InputError(f"unknown name {expr.name!r}")
        if isinstance(expr, Lam):
            body = self.derive(expr.body, bound | set(expr.params))
            return Derivation(term, body.cost, "lambda", children=(body,))
        if isinstance(expr, Let):
            children = []
            inner = bound
            for name, value in expr.bindings:
                children.append(self.derive(value, inner))
                inner = inner | {name}
            children.append(self.derive(expr.body, inner))
            return Derivation(term, sum(c.cost for c in children), "let", children=tuple(children))
        return self.application(expr, term, bound)

    def application(self, expr: App, term: str, bound: frozenset[str]) -> Derivation:
        args = tuple(self.derive(arg, bound) for arg in expr.args)
        below = sum(a.cost for a in args)
        fn = expr.fn
        if isinstance(fn, Sym) and fn.name in bound:
            return Derivation(term, below, "apply-variable", 0, fn.name, children=args)
        if isinstance(fn, Sym) and fn.name in self.library:
            own = self.of_name(fn.name)
            return Derivation(term, own + below, "apply-library", own, fn.name, children=args)
        if isinstance(fn, Sym):
            if fn.name not in PRIMITIVES:
                raise InputError(f"unknown name {fn.name!r}")
            own = max(len(args) - 1, 1)
            note = f"n-ary {fn.name} as {own} binary {fn.name}" if len(args) > 2 else ""
            return Derivation(term, own + below, "primitive", own, fn.name, note, args)
        head = self.derive(fn, bound)
        return Derivation(term, head.cost + below, "apply", children=(head, *args))


def cost(expr: Expr, library: Library | None = None) -> Derivation:
    """The cost of ``expr`` (free names are ``library``'s definitions) with its derivation."""
    return _Costing(library or Library()).derive(expr, frozenset())


def library_costs(library: Library) -> list[DefinitionCost]:
    """Every definition of ``library`` in file order, costed, with its claim checked."""
    costing = _Costing(library)
    results = []
    for definition in library.definitions:
        derivation = costing.derive(definition.expr, frozenset())
        costing.names[definition.name] = derivation.cost
        claimed = definition.claimed
        ok = None if claimed is None else claimed == derivation.cost
        results.append(DefinitionCost(definition, derivation, claimed, ok))
    return results
