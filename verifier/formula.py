"""Propositional formulas of BNL and SC (DESIGN.md 2.1), immutable and hash-consed by value.

Connectives are binary, as in the paper: ``a & b & c`` is ``And(And(a, b), c)``. Formulas taken
from published models can be thousands of levels deep (one rule of the BBM colorectal model has
over 30 000 connectives), so nothing here recurses on the formula's depth: traversals use an
explicit stack (:func:`postorder`, :func:`fold`), hashes are computed once at construction, and
equality is checked iteratively.

Examples
--------
>>> f = Or(Var("a"), Not(Var("b")))
>>> size(f), depth(f)
(7, 2)
>>> evaluate(f, {"a": False, "b": False})
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = [
    "And",
    "Bottom",
    "Formula",
    "Not",
    "Or",
    "Top",
    "Var",
    "conjunction",
    "depth",
    "disjunction",
    "evaluate",
    "fold",
    "names",
    "postorder",
    "rename",
    "size",
]

T = TypeVar("T")


class Formula:
    """Base class of formula nodes. Nodes are immutable; ``children`` lists the operands."""

    __slots__ = ("_hash",)
    children: tuple[Formula, ...] = ()

    def _key(self) -> tuple[object, ...]:
        """The node's own data, children excluded."""
        return ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Formula):
            return NotImplemented
        stack: list[tuple[Formula, Formula]] = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a is b:
                continue
            if (
                type(a) is not type(b)
                or a._hash != b._hash
                or a._key() != b._key()
                or len(a.children) != len(b.children)
            ):
                return False
            stack.extend(zip(a.children, b.children, strict=True))
        return True

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self) -> str:
        from verifier.formats.formula_text import format_formula

        return f"<{format_formula(self)}>"

    def _set_hash(self, value: int) -> None:
        object.__setattr__(self, "_hash", value)


class Top(Formula):
    """The constant true (``1``, ``true``, ``⊤``)."""

    __slots__ = ()

    def __init__(self) -> None:
        self._set_hash(hash("Top"))

    def __reduce__(self) -> tuple[object, ...]:
        return (Top, ())


class Bottom(Formula):
    """The constant false (``0``, ``false``, ``⊥``); the paper reads it as ``!1``."""

    __slots__ = ()

    def __init__(self) -> None:
        self._set_hash(hash("Bottom"))

    def __reduce__(self) -> tuple[object, ...]:
        return (Bottom, ())


class Var(Formula):
    """A name: a head predicate, schema variable, proposition symbol or input gate."""

    __slots__ = ("name",)
    name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "name", name)
        self._set_hash(hash(("Var", name)))

    def _key(self) -> tuple[object, ...]:
        return (self.name,)

    def __reduce__(self) -> tuple[object, ...]:
        return (Var, (self.name,))


class Not(Formula):
    """Negation ``!arg``."""

    __slots__ = ("children",)

    def __init__(self, arg: Formula) -> None:
        object.__setattr__(self, "children", (arg,))
        self._set_hash(hash(("Not", arg._hash)))

    @property
    def arg(self) -> Formula:
        return self.children[0]

    def __reduce__(self) -> tuple[object, ...]:
        return (Not, self.children)


class _Binary(Formula):
    __slots__ = ("children",)
    _TAG: str

    def __init__(self, left: Formula, right: Formula) -> None:
        object.__setattr__(self, "children", (left, right))
        # Computed once from the children's cached hashes: constant time at any depth.
        self._set_hash(hash((self._TAG, left._hash, right._hash)))

    @property
    def left(self) -> Formula:
        return self.children[0]

    @property
    def right(self) -> Formula:
        return self.children[1]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self.children)


class And(_Binary):
    """Conjunction ``left & right``."""

    __slots__ = ()
    _TAG = "And"


class Or(_Binary):
    """Disjunction ``left | right``; the paper reads it as ``!(!left & !right)``."""

    __slots__ = ()
    _TAG = "Or"


def conjunction(parts: list[Formula] | tuple[Formula, ...]) -> Formula:
    """The left-nested conjunction of ``parts`` (``Top()`` when empty)."""
    if not parts:
        return Top()
    result = parts[0]
    for part in parts[1:]:
        result = And(result, part)
    return result


def disjunction(parts: list[Formula] | tuple[Formula, ...]) -> Formula:
    """The left-nested disjunction of ``parts`` (``Bottom()`` when empty)."""
    if not parts:
        return Bottom()
    result = parts[0]
    for part in parts[1:]:
        result = Or(result, part)
    return result


def postorder(formula: Formula) -> list[Formula]:
    """Every distinct node (by identity) of ``formula``, each after all of its children.

    Shared sub-objects are listed once, so the cost is linear in the DAG, not the tree.
    """
    order: list[Formula] = []
    seen: set[int] = set()
    # A node with children is pushed twice: above a None marker to be expanded, then found
    # below the marker once its children are done, and listed.
    stack: list[Formula | None] = [formula]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())  # type: ignore[arg-type]
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = node.children
        if not children:
            order.append(node)
            continue
        stack.append(node)
        stack.append(None)
        for child in reversed(children):
            if id(child) not in seen:
                stack.append(child)
    return order


def fold(formula: Formula, combine: Callable[[Formula, list[T]], T]) -> T:
    """Evaluate ``formula`` bottom-up: ``combine(node, [results of its children])``."""
    results: dict[int, T] = {}
    for node in postorder(formula):
        results[id(node)] = combine(node, [results[id(c)] for c in node.children])
    return results[id(formula)]


# Paper's size (DESIGN.md 2.1): `|` is `!(!a & !b)`, i.e. four connectives; `0` is `!1`.
_SIZE_OF_NODE = {Top: 1, Bottom: 2, Var: 1, Not: 1, And: 1, Or: 4}


def size(formula: Formula) -> int:
    """The paper's size: occurrences of 1, names, ``!`` and ``&``, with ``|`` and ``0`` expanded.

    >>> size(Bottom()), size(And(Var("x"), Var("y"))), size(Or(Var("x"), Var("y")))
    (2, 3, 6)
    """
    return fold(formula, lambda node, kids: _SIZE_OF_NODE[type(node)] + sum(kids))


def depth(formula: Formula) -> int:
    """The paper's depth: atoms 0, every connective adds 1 to the deepest operand."""
    return fold(formula, lambda node, kids: 1 + max(kids) if kids else 0)


def names(formula: Formula) -> tuple[str, ...]:
    """The names occurring in ``formula``, each once, in order of first occurrence."""
    found: dict[str, None] = {}
    for node in postorder(formula):
        if isinstance(node, Var):
            found.setdefault(node.name)
    return tuple(found)


def evaluate(formula: Formula, env: Mapping[str, bool]) -> bool:
    """The truth value of ``formula`` when each name ``n`` has the value ``env[n]``."""
    # The reference simulators spend their time here, on the same formulas round after round.
    values: list[bool] = []
    for op, a, b, name in _straight_line(formula):
        if op is Var:
            values.append(bool(env[name]))  # type: ignore[index]
        elif op is Not:
            values.append(not values[a])
        elif op is And:
            values.append(values[a] and values[b])
        elif op is Or:
            values.append(values[a] or values[b])
        else:
            values.append(op is Top)
    return values[-1]


_Step = tuple[type, int, int, "str | None"]


@functools.lru_cache(maxsize=1 << 12)
def _straight_line(formula: Formula) -> tuple[_Step, ...]:
    """``formula`` as straight-line code, one step per distinct node in :func:`postorder`:
    ``(type of the node, position of its first operand, of its second, its name)``, the
    last step the root. Cached: a model's bodies are evaluated once per round."""
    position: dict[int, int] = {}
    steps: list[_Step] = []
    for node in postorder(formula):
        kids = [position[id(c)] for c in node.children] + [-1, -1]
        name = node.name if isinstance(node, Var) else None
        position[id(node)] = len(steps)
        steps.append((type(node), kids[0], kids[1], name))
    return tuple(steps)


def rename(formula: Formula, mapping: Mapping[str, str]) -> Formula:
    """``formula`` with each name ``n`` in ``mapping`` replaced by ``mapping[n]``."""

    def combine(node: Formula, kids: list[Formula]) -> Formula:
        if isinstance(node, Var):
            new = mapping.get(node.name)
            return node if new is None else Var(new)
        if not kids or all(k is c for k, c in zip(kids, node.children, strict=True)):
            return node
        return type(node)(*kids)

    return fold(formula, combine)
