"""Formula balancing (paper, Lemma 2.4, after Spira 1971 and Brent 1974).

A formula with ``L`` occurrences of names becomes an equivalent circuit of fan-in at most 2
(``and``/``or`` of two arguments, ``not`` of one) whose depth is logarithmic in ``L``:

    depth <= 2 * log_{3/2}(L) + 1  (about 3.42 * log2(L) + 1),   gates <= 3 * L**2,

and since ``L`` is at most the paper's size ``s`` of the formula, the same bounds hold with
``s`` (:func:`depth_bound`, :func:`size_bound`). A formula equivalent to a constant after
simplification becomes the single gate ``and()`` or ``or()`` (depth 0).

Method
------
1. Negation normal form: negations are pushed onto the names (De Morgan), constants are
   simplified away (``1 & f = f``, ``0 & f = 0``, ...) and ``f & f = f``. Nodes are interned,
   so equal subformulas are one node; ``leaves`` counts the name occurrences of the tree.
2. Balancing ``F`` with ``L`` leaves: if ``F`` is already shallow (depth at most
   ``2 * log_{3/2}(L)``) it is copied as a tree. Otherwise walk down from the root, always into
   the child with more leaves, to the first node ``G`` with at most ``2L/3`` leaves; it has more
   than ``L/3`` (its parent had more than ``2L/3``). ``F`` is monotone in that occurrence of
   ``G`` (only ``&`` and ``|`` lie above it), so

       F = (G & F[G:=1]) | F[G:=0],

   where ``F[G:=c]`` substitutes that one occurrence and re-simplifies the path above it: it
   has at most ``L - |G| < 2L/3`` leaves. The three parts are balanced recursively and joined
   by two gates. Depth: ``D(L) <= 2 + D(2L/3)``, so ``D(L) <= 2 log_{3/2} L`` by induction (the
   shallow case meets the bound by its test), plus one ``not`` at a negated name. Size: the
   recursion ``S(L) <= S(aL) + 2 S((1-a)L) + 2`` with ``1/3 < a <= 2/3`` gives
   ``S(L) <= 3 L**2 - 1``; in practice it grows far slower (see ``tests/translate``).
3. Gates are interned too (equal gates are one gate, also across formulas balanced by one
   :class:`Balancer`), and balanced parts are memoized per normal-form node. When written out,
   a gate used more than once is a named definition and a gate used once is nested anonymously
   in its user, so ``Circuit.size`` counts every gate once.

Nothing recurses on the formula's depth: the input formula is read with :func:`fm.fold`; the
recursion of step 2 is at most ``log_{3/2}(L) + 1`` calls deep, and copies are iterative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from verifier import formula as fm
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models.circuit import GateApp, GateDef, GateExpr, GateRef
from verifier.translate.names import fresh

__all__ = [
    "Balanced",
    "Balancer",
    "balance",
    "depth_bound",
    "size_bound",
]

# Gate types and constants: a gate with such a name could not be written in a .circ file.

_LOG_3_2 = math.log(1.5)


def _shallow(leaves: int) -> float:
    """``2 * log_{3/2}(leaves)``: the depth of and/or gates the balancing guarantees."""
    return 2 * math.log(leaves) / _LOG_3_2


def depth_bound(size: int) -> int:
    """The guaranteed depth for a formula of paper size (or name occurrences) ``size``."""
    return math.floor(_shallow(size) + 1e-9) + 1 if size >= 1 else 0


def size_bound(size: int) -> int:
    """The guaranteed number of gates (input gates not counted) for a formula of that size."""
    return 3 * size * size


# ---------------------------------------------------------------------------------------------
# Negation normal form, interned: node ids index parallel lists.

_TOP, _BOT, _LIT, _AND, _OR = range(5)


class _Nnf:
    TOP = 0
    BOT = 1

    def __init__(self) -> None:
        self.op: list[int] = [_TOP, _BOT]
        self.a: list[int] = [-1, -1]  # children of and/or
        self.b: list[int] = [-1, -1]
        self.name: list[str] = ["", ""]  # literals: the name
        self.positive: list[bool] = [True, True]  # literals: un-negated?
        self.leaves: list[int] = [0, 0]
        self.depth: list[int] = [0, 0]
        self._index: dict[tuple[object, ...], int] = {}

    def _new(self, key: tuple[object, ...], op: int, a: int, b: int, name: str, pos: bool) -> int:
        found = self._index.get(key)
        if found is not None:
            return found
        node = len(self.op)
        self._index[key] = node
        self.op.append(op)
        self.a.append(a)
        self.b.append(b)
        self.name.append(name)
        self.positive.append(pos)
        if op == _LIT:
            self.leaves.append(1)
            self.depth.append(0)
        else:
            self.leaves.append(self.leaves[a] + self.leaves[b])
            self.depth.append(1 + max(self.depth[a], self.depth[b]))
        return node

    def lit(self, name: str, positive: bool) -> int:
        return self._new((_LIT, name, positive), _LIT, -1, -1, name, positive)

    def binary(self, op: int, x: int, y: int) -> int:
        """``x & y`` (``op == _AND``) or ``x | y``, with constants simplified away."""
        absorbing, neutral = (self.BOT, self.TOP) if op == _AND else (self.TOP, self.BOT)
        if x == absorbing or y == absorbing:
            return absorbing
        if x in (neutral, y):
            return y
        if y == neutral:
            return x
        if x > y:
            x, y = y, x
        return self._new((op, x, y), op, x, y, "", True)

    def convert(self, formula: Formula) -> int:
        """The normal form of ``formula`` (iteratively: formulas can be very deep)."""

        def combine(node: Formula, kids: list[tuple[int, int]]) -> tuple[int, int]:
            # (node, its negation)
            if isinstance(node, Var):
                return self.lit(node.name, True), self.lit(node.name, False)
            if isinstance(node, Top):
                return self.TOP, self.BOT
            if isinstance(node, Bottom):
                return self.BOT, self.TOP
            if isinstance(node, Not):
                return kids[0][1], kids[0][0]
            (p, n), (q, m) = kids
            if isinstance(node, And):
                return self.binary(_AND, p, q), self.binary(_OR, n, m)
            assert isinstance(node, Or)
            return self.binary(_OR, p, q), self.binary(_AND, n, m)

        return fm.fold(formula, combine)[0]


# ---------------------------------------------------------------------------------------------
# Gates, interned: gate ids index parallel lists, every argument has a smaller id.


class _Gates:
    def __init__(self) -> None:
        self.op: list[str] = ["and", "or"]  # "input", "not", "and", "or"
        self.args: list[tuple[int, ...]] = [(), ()]
        self.name: list[str] = ["", ""]  # input gates
        self._index: dict[tuple[object, ...], int] = {}
        self.TRUE = 0  # and()
        self.FALSE = 1  # or()

    def _new(self, op: str, args: tuple[int, ...], name: str = "") -> int:
        key = (op, name, *args)
        found = self._index.get(key)
        if found is not None:
            return found
        gate = len(self.op)
        self._index[key] = gate
        self.op.append(op)
        self.args.append(args)
        self.name.append(name)
        return gate

    def input(self, name: str) -> int:
        return self._new("input", (), name)

    def not_(self, x: int) -> int:
        return self._new("not", (x,))

    def binary(self, op: str, x: int, y: int) -> int:
        absorbing, neutral = (self.FALSE, self.TRUE) if op == "and" else (self.TRUE, self.FALSE)
        if x == absorbing or y == absorbing:
            return absorbing
        if x in (neutral, y):
            return y
        if y == neutral:
            return x
        return self._new(op, (min(x, y), max(x, y)))


@dataclass(frozen=True)
class Balanced:
    """A balanced formula: ``gates`` are the named (shared) gates, each defined before its
    first use, and ``output`` the formula's value over them and the formula's names."""

    gates: tuple[GateDef, ...]
    output: GateExpr


class Balancer:
    """Balances formulas into one DAG of fan-in-2 gates; equal gates are shared across all the
    formulas given to :meth:`add`, then :meth:`emit` writes the DAG out."""

    def __init__(self) -> None:
        self._nnf = _Nnf()
        self._gates = _Gates()
        self._balanced: dict[int, int] = {}  # normal-form node -> gate
        self._copied: dict[int, int] = {}  # normal-form node -> gate of its tree copy

    def add(self, formula: Formula) -> int:
        """Balance ``formula``; returns its gate (a handle for :meth:`emit`)."""
        return self._balance(self._nnf.convert(formula))

    def _balance(self, node: int) -> int:
        found = self._balanced.get(node)
        if found is not None:
            return found
        nnf, gates = self._nnf, self._gates
        leaves = nnf.leaves[node]
        if leaves == 0 or nnf.depth[node] <= _shallow(leaves) + 1e-9:
            gate = self._copy(node)
        else:
            # Walk into the child with more leaves down to the first node with <= 2L/3 leaves,
            # remembering each node on the way and the sibling of the step taken.
            path: list[tuple[int, int]] = []
            sub = node
            while 3 * nnf.leaves[sub] > 2 * leaves:
                a, b = nnf.a[sub], nnf.b[sub]
                if nnf.leaves[a] >= nnf.leaves[b]:
                    path.append((sub, b))
                    sub = a
                else:
                    path.append((sub, a))
                    sub = b
            when_true = self._substitute(path, nnf.TOP)
            when_false = self._substitute(path, nnf.BOT)
            gate = gates.binary(
                "or",
                gates.binary("and", self._balance(sub), self._balance(when_true)),
                self._balance(when_false),
            )
        self._balanced[node] = gate
        return gate

    def _substitute(self, path: list[tuple[int, int]], constant: int) -> int:
        """The root of ``path`` with the node below its last step replaced by ``constant``."""
        nnf = self._nnf
        result = constant
        for node, sibling in reversed(path):
            result = nnf.binary(nnf.op[node], result, sibling)
        return result

    def _copy(self, root: int) -> int:
        """The normal-form tree of ``root`` as gates (iteratively)."""
        nnf, gates, copied = self._nnf, self._gates, self._copied
        stack = [root]
        while stack:
            node = stack[-1]
            if node in copied:
                stack.pop()
                continue
            op = nnf.op[node]
            if op == _TOP:
                copied[node] = gates.TRUE
            elif op == _BOT:
                copied[node] = gates.FALSE
            elif op == _LIT:
                gate = gates.input(nnf.name[node])
                copied[node] = gate if nnf.positive[node] else gates.not_(gate)
            else:
                pending = [c for c in (nnf.a[node], nnf.b[node]) if c not in copied]
                if pending:
                    stack.extend(pending)
                    continue
                kind = "and" if op == _AND else "or"
                copied[node] = gates.binary(kind, copied[nnf.a[node]], copied[nnf.b[node]])
            stack.pop()
        return copied[root]

    def emit(
        self,
        roots: Sequence[tuple[int, str | None]],
        taken: set[str],
        prefix: str = "g",
    ) -> tuple[list[GateDef], list[GateExpr]]:
        """Write out the gates the ``roots`` use; returns the definitions and, per root, its
        expression.

        Each root is a gate from :meth:`add` with a preferred name or None. A root with a name
        that is not an input gate is defined under a fresh version of that name (a root
        reached again is referred to by the first name); a gate used twice or more is defined
        under a fresh name ``{prefix}{k}``; other gates are nested in their single user (a
        root without a name is returned as an expression). ``taken`` holds the names in use
        (input gates included) and receives the new ones.
        """
        gates = self._gates
        uses: dict[int, int] = {}
        stack = [gate for gate, _ in roots]
        while stack:
            gate = stack.pop()
            seen = gate in uses
            uses[gate] = uses.get(gate, 0) + 1
            if not seen:
                stack.extend(gates.args[gate])
        for gate, _ in roots:
            uses[gate] -= 1  # count uses by other gates only
        names: dict[int, str] = {}
        for gate, preferred in roots:
            if preferred is not None and gates.op[gate] != "input" and gate not in names:
                names[gate] = fresh(preferred, taken)
        counter = 0
        exprs: dict[int, GateExpr] = {}
        defs: list[GateDef] = []
        for gate in sorted(uses):  # ids ascend with dependencies
            op = gates.op[gate]
            if op == "input":
                exprs[gate] = GateRef(gates.name[gate])
                continue
            expr = GateApp(op, tuple(exprs[a] for a in gates.args[gate]))  # type: ignore[arg-type]
            if gate not in names and uses[gate] >= 2:
                counter += 1
                names[gate] = fresh(f"{prefix}{counter}", taken)
            if gate in names:
                defs.append(GateDef(names[gate], expr))
                exprs[gate] = GateRef(names[gate])
            else:
                exprs[gate] = expr
        return defs, [exprs[gate] for gate, _ in roots]


def balance(formula: Formula, taken: set[str] | None = None, prefix: str = "g") -> Balanced:
    """An equivalent fan-in-2 circuit of ``formula`` of depth at most
    ``depth_bound(fm.size(formula))`` and at most ``size_bound(fm.size(formula))`` gates
    (Lemma 2.4). Shared gates are named ``{prefix}{k}``, avoiding ``taken`` (default: the
    formula's names) and the gate keywords."""
    balancer = Balancer()
    root = balancer.add(formula)
    used = set(fm.names(formula)) if taken is None else taken
    defs, (output,) = balancer.emit([(root, None)], used, prefix)
    return Balanced(tuple(defs), output)
