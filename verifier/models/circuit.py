"""Self-feeding Boolean circuits (DESIGN.md 2.4; paper Section 2.3).

A circuit is a DAG of gates over n ordered input gates, with n ordered output gates. Position i
(0-based here, 1-based in files) is fed the input in round 0 if it is an input position, else its
``init`` value; in round t+1 it holds output gate i evaluated on the round-t configuration.

The model keeps the circuit as written: each named definition ``g = expr`` with its expression
tree, where nested expressions are anonymous gates and a bare name is an alias (``o4 = x4``:
no new gate). ``!a`` is the same gate as ``not(a)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NoReturn

import networkx as nx

from verifier.errors import ModelError
from verifier.formula import Formula
from verifier.models.attention import Attention, AttentionAll, AttentionBits
from verifier.models.common import check_assumptions, check_unique

__all__ = ["Circuit", "GateApp", "GateDef", "GateExpr", "GateRef"]

Op = Literal["and", "or", "not"]


@dataclass(frozen=True, slots=True)
class GateRef:
    """A reference to a named gate (an input gate or a defined gate)."""

    name: str


@dataclass(frozen=True, slots=True, eq=False)
class GateApp:
    """A gate ``op(args...)``: ``and``/``or`` of any fan-in (``and()`` = 1, ``or()`` = 0),
    ``not`` of fan-in 1.

    Gate expressions can be nested thousands deep, so the hash is computed once from the
    arguments' hashes and equality is checked with an explicit stack (as for formulas).
    """

    op: Op
    args: tuple[GateExpr, ...]
    _hash: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.op not in ("and", "or", "not"):
            raise ModelError(f"unknown gate type {self.op!r}: expected and, or, not")
        object.__setattr__(self, "_hash", hash((self.op, *(hash(a) for a in self.args))))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GateApp):
            return NotImplemented
        stack: list[tuple[GateExpr, GateExpr]] = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a is b:
                continue
            if isinstance(a, GateRef) or isinstance(b, GateRef):
                if a != b:
                    return False
                continue
            if a._hash != b._hash or a.op != b.op or len(a.args) != len(b.args):
                return False
            stack.extend(zip(a.args, b.args, strict=True))
        return True


GateExpr = GateRef | GateApp


@dataclass(frozen=True, slots=True)
class GateDef:
    """A named definition ``name = expr``."""

    name: str
    expr: GateExpr


def iter_apps(expr: GateExpr) -> Iterator[GateApp]:
    """Every gate application in ``expr`` (the gates it creates), outermost first."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, GateApp):
            yield node
            stack.extend(node.args)


def iter_refs(expr: GateExpr) -> Iterator[str]:
    """Every name referenced in ``expr``."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, GateRef):
            yield node.name
        else:
            stack.extend(node.args)


@dataclass(frozen=True)
class Circuit:
    """A self-feeding circuit.

    ``inputs``: input gate names (position i is ``inputs[i]``); ``outputs``: the names of the
    output gates, in position order; ``gates``: the named definitions, in file order;
    ``init``: per position, ``None`` for an input position or the initial bit of an auxiliary
    one; ``print_``: print positions (0-based); ``attention``: an :class:`AttentionBits` holds
    0-based positions; ``assumptions``: formulas over the names of input positions.
    """

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    gates: tuple[GateDef, ...]
    init: tuple[bool | None, ...]
    print_: tuple[int, ...]
    attention: Attention = field(default_factory=AttentionAll)
    assumptions: tuple[Formula, ...] = ()
    meta: tuple[str, ...] = ()
    _order: tuple[GateDef, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.inputs)
        check_unique(self.inputs, "input gate", "input")
        check_unique([g.name for g in self.gates], "gate", "gate")
        inputs = set(self.inputs)
        for gate in self.gates:
            if gate.name in inputs:
                raise ModelError(
                    f"gate {gate.name!r} is already an input gate", ("gate", gate.name)
                )
            for app in iter_apps(gate.expr):
                if app.op == "not" and len(app.args) != 1:
                    raise ModelError(
                        f"not() takes exactly one argument, got {len(app.args)}",
                        ("gate", gate.name),
                    )
        if len(self.outputs) != n:
            raise ModelError(
                f"{n} input gates but {len(self.outputs)} output gates: a self-feeding circuit"
                " needs one output gate per position",
                ("outputs",),
            )
        if len(self.init) != n:
            raise ModelError(f"init has {len(self.init)} entries for {n} positions", ("outputs",))
        defined = inputs | {g.name for g in self.gates}
        for gate in self.gates:
            for name in iter_refs(gate.expr):
                if name not in defined:
                    raise ModelError(
                        f"undefined gate {name!r} in the definition of {gate.name}",
                        ("gate_ref", gate.name, name),
                    )
        for name in self.outputs:
            if name not in defined:
                raise ModelError(f"output gate {name!r} is not defined", ("output", name))
        object.__setattr__(self, "_order", self._definition_order())
        for what, positions in (("print", self.print_), ("attention", self.attention_positions)):
            for p in positions:
                if not 0 <= p < n:
                    raise ModelError(f"{what} position {p + 1} is out of range 1..{n}", (what, p))
        input_positions = {self.inputs[i] for i in range(n) if self.init[i] is None}
        check_assumptions(self.assumptions, input_positions, "input position")

    def _definition_order(self) -> tuple[GateDef, ...]:
        """The definitions in file order, except that each comes after the definitions it
        references (a depth-first search with an explicit stack); a :class:`ModelError`
        names a gate cycle, starting at its gate defined first in the file."""
        by_name = {g.name: g for g in self.gates}
        on_path: dict[str, int] = {}  # name -> index in `path` while it is being expanded
        path: list[str] = []
        done: set[str] = set()
        order: list[GateDef] = []
        for gate in self.gates:
            if gate.name in done:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(gate.name, iter_refs(gate.expr))]
            on_path[gate.name] = 0
            path.append(gate.name)
            while stack:
                name, refs = stack[-1]
                ref = next((r for r in refs if r in by_name and r not in done), None)
                if ref is None:
                    stack.pop()
                    del on_path[path.pop()]
                    done.add(name)
                    order.append(by_name[name])
                elif ref in on_path:
                    self._report_cycle(path[on_path[ref] :])
                else:
                    on_path[ref] = len(path)
                    path.append(ref)
                    stack.append((ref, iter_refs(by_name[ref].expr)))
        return tuple(order)

    def _report_cycle(self, names: list[str]) -> NoReturn:
        # From its gate defined first in the file, so the location is stable. `names` lists
        # each gate before the one it references: reverse it to follow the data flow.
        names = names[::-1]
        order = {g.name: i for i, g in enumerate(self.gates)}
        first = min(range(len(names)), key=lambda i: order[names[i]])
        names = names[first:] + names[:first]
        raise ModelError("gate cycle: " + " -> ".join([*names, names[0]]), ("gate", names[0]))

    @property
    def ordered_gates(self) -> tuple[GateDef, ...]:
        """The named definitions, each after every definition it references (file order
        otherwise): evaluating them in this order never reads an undefined gate."""
        return self._order

    def dependency_graph(self) -> nx.DiGraph:
        """Directed graph with an edge u -> g when gate g's definition uses the name u."""
        graph = nx.DiGraph()
        graph.add_nodes_from(self.inputs)
        for gate in self.gates:
            graph.add_node(gate.name)
            for name in iter_refs(gate.expr):
                graph.add_edge(name, gate.name)
        return graph

    @property
    def n(self) -> int:
        """The number of positions."""
        return len(self.inputs)

    @property
    def input_positions(self) -> tuple[int, ...]:
        """Positions fed by the input (no ``init``), ascending."""
        return tuple(i for i, v in enumerate(self.init) if v is None)

    @property
    def config_names(self) -> tuple[str, ...]:
        """Names of the bits of the global configuration, in order."""
        return self.inputs

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names of the input positions, in position order."""
        return tuple(self.inputs[i] for i in self.input_positions)

    @property
    def attention_positions(self) -> tuple[int, ...]:
        return self.attention.bits if isinstance(self.attention, AttentionBits) else ()

    def definition(self, name: str) -> GateExpr | None:
        """The expression defining ``name``, or None for an input gate."""
        for gate in self.gates:
            if gate.name == name:
                return gate.expr
        if name in self.inputs:
            return None
        raise KeyError(name)

    @property
    def size(self) -> int:
        """Number of gates as written: input gates plus every named and anonymous gate."""
        return self.n + sum(1 for g in self.gates for _ in iter_apps(g.expr))

    @property
    def depth(self) -> int:
        """Longest path, in edges, from a gate of fan-in 0 to an output gate."""
        level: dict[str, int] = dict.fromkeys(self.inputs, 0)
        for gate in self.ordered_gates:
            level[gate.name] = _expr_depth(gate.expr, level)
        return max((level[o] for o in self.outputs), default=0)

    @property
    def max_fanin(self) -> int:
        return max((len(a.args) for g in self.gates for a in iter_apps(g.expr)), default=0)


def _expr_depth(expr: GateExpr, level: dict[str, int]) -> int:
    """Depth of ``expr`` given the levels of the names it references (an alias adds no edge)."""
    if isinstance(expr, GateRef):
        return level[expr.name]
    # Post-order over the anonymous gates of this one definition.
    results: dict[int, int] = {}
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if isinstance(node, GateRef):
            results[id(node)] = level[node.name]
        elif done:
            results[id(node)] = 1 + max((results[id(a)] for a in node.args), default=-1)
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args)
    return results[id(expr)]
