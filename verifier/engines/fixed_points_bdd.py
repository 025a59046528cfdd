"""Fixed points of systems with free initial states, symbolically with BDDs (CUDD through the
``dd`` package): the whole set, counted exactly, even when it has 10^17 members.

The SAT engine (:mod:`verifier.engines.dynamics_sat`) lists fixed points one cube at a time;
models whose free inputs multiply them (``jaoude_thdiff``: 5,875,504; ``bbm-261``: about
2.9 * 10^17) cannot be listed that way. Here the fixed-point set is built as one BDD:

1. **Reduction** (Naldi, Remy, Thieffry, Chaouiya 2011; Veliz-Cuba 2011): a state bit ``j``
   whose next-state function ``f_j`` does not read ``x_j`` is eliminated by substituting
   ``f_j`` for ``x_j`` in every other function. The fixed points of the reduced network are in
   bijection with those of the original one: an eliminated bit is recovered as the value of
   its function on the bits left when it was eliminated. Bits are eliminated cheapest first
   (fewest readers times the size of ``f_j``); every cycle of the dependency graph keeps a bit,
   so the bits left are a feedback vertex set, usually a small one (bbm-252: 79 of 760).
2. **Conjunction** of ``x_r <-> g_r`` over the bits ``r`` left, in topological order of their
   strongly connected components; bits whose function is ``x_r`` itself (free inputs
   ``x, x``) give no constraint. The number of fixed points is the number of models of the
   conjunction over the bits left, counted exactly with Python integers.
3. **Listing**: assignments of the bits left are read off the BDD and completed by evaluating
   the eliminated bits' functions in reverse elimination order (all listed states at once,
   on numpy arrays); every completed state is checked to be a fixed point by one simulated
   step.

The variable order is the reverse Cuthill-McKee order of the undirected dependency graph
(related bits close together); CUDD's dynamic reordering is switched on only when the manager
grows past :data:`REORDER_AT` nodes, because sifting costs more than it saves on the small
BDDs of most models. A single BDD operation cannot be interrupted: callers that must honour a
deadline strictly run :func:`fixed_point_set` in a killable process; between operations the
deadline is checked and :class:`~verifier.sat.solver.OutOfTime` raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from verifier.engines.base import Options
from verifier.engines.dynamics import free_initial_states, row_strings
from verifier.ir.simulate import BitSimulator, num_words, pack, unpack
from verifier.ir.system import TransitionSystem
from verifier.sat.solver import OutOfTime

try:  # CUDD, compiled, in the dd wheels for Linux/macOS; the pure-Python BDDs otherwise
    from dd import cudd as _bdd_module

    BACKEND = "CUDD"
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from dd import autoref as _bdd_module  # type: ignore[no-redef]

    BACKEND = "dd.autoref"

__all__ = ["BACKEND", "REORDER_AT", "FixedPointSet", "fixed_point_set"]

REORDER_AT = 15_000
"""Manager size (nodes) past which CUDD's dynamic reordering is switched on."""

INITIAL_CACHE = 1 << 16
"""Entries of CUDD's computed table when a manager is made (it grows as needed)."""


@dataclass(frozen=True)
class FixedPointSet:
    """The fixed points of a system with free initial states.

    ``count`` is exact. ``states`` lists fixed points as bit strings in configuration order:
    all of them, sorted, when ``listed_all``; otherwise the first ``len(states)`` read off
    the BDD. ``kept`` is the number of state bits left after the reduction and
    ``bdd_nodes`` the size of the BDD of their fixed points.
    """

    count: int
    states: tuple[str, ...]
    listed_all: bool
    kept: int
    bdd_nodes: int

    @property
    def method(self) -> str:
        return (
            f"BDD ({BACKEND}): {self.kept} state bit(s) left after eliminating those without"
            f" a self-loop, {self.bdd_nodes} BDD node(s)"
        )


def fixed_point_set(
    ts: TransitionSystem, options: Options | None = None, *, limit: int = 1000
) -> FixedPointSet:
    """All fixed points ``s = F(s)`` of ``ts``, which must have free initial states
    (:func:`~verifier.engines.dynamics.free_initial_states`, e.g. every ``.bnet`` model), so
    that every fixed point is an attractor reached from a valid input. At most ``limit``
    states are listed; the count is always exact. Raises
    :class:`~verifier.sat.solver.OutOfTime` past ``options.deadline`` (checked between BDD
    operations) and ValueError for other systems."""
    options = options or Options()
    if free_initial_states(ts) is None:
        raise ValueError("symbolic fixed points need a system with free initial states")
    n = ts.num_state
    if n == 0:
        return FixedPointSet(1, ("",), True, 0, 1)
    bdd = _new_manager()
    bdd.configure(reordering=False)
    names = [f"s{j}" for j in range(n)]
    bdd.declare(*(names[j] for j in _variable_order(ts)))
    functions = _next_state_bdds(ts, bdd, names, options)
    kept, eliminated = _eliminate(bdd, names, functions, options)
    constraint = _conjoin(bdd, names, functions, kept, options)
    count = _count_models(bdd, constraint, n) >> (n - len(kept))
    listed = list(_assignments(bdd, constraint, [names[j] for j in kept], limit))
    rows = _complete(bdd, n, kept, eliminated, listed)
    _check_fixed(ts, rows)
    states = row_strings(rows)
    listed_all = len(states) == count
    strings = tuple(sorted(states) if listed_all else states)
    return FixedPointSet(count, strings, listed_all, len(kept), len(constraint))


def _new_manager() -> Any:
    """A BDD manager. CUDD's default first cache (256K entries) takes 8 ms to allocate, most
    of the time on small models; it grows on demand, so it starts at 64K entries."""
    if BACKEND == "CUDD":
        return _bdd_module.BDD(initial_cache_size=INITIAL_CACHE)
    return _bdd_module.BDD()  # pragma: no cover - depends on the platform's wheel


def _supports(ts: TransitionSystem) -> list[frozenset[int]]:
    """The state bits each next-state function reads (structurally, through the AIG)."""
    first = ts.num_inputs
    return [
        frozenset(i - first for i in reads if i >= first)
        for reads in ts.aig.supports(ts.next_state)
    ]


def _variable_order(ts: TransitionSystem) -> list[int]:
    """Reverse Cuthill-McKee order of the undirected dependency graph."""
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(range(ts.num_state))
    for j, reads in enumerate(_supports(ts)):
        graph.add_edges_from((i, j) for i in reads if i != j)
    return list(nx.utils.reverse_cuthill_mckee_ordering(graph))


def _next_state_bdds(
    ts: TransitionSystem, bdd: Any, names: list[str], options: Options
) -> dict[int, Any]:
    """``{j: BDD of f_j}`` over the state bits (the next state reads no input here)."""
    aig, first = ts.aig, 1 + ts.num_inputs
    node: dict[int, Any] = {0: bdd.false}
    for j in range(ts.num_state):
        node[first + j] = bdd.var(names[j])

    def lit(literal: int) -> Any:
        f = node[literal >> 1]
        return ~f if literal & 1 else f

    needed = aig.cone(ts.next_state)
    for v, a, b in aig.gates():
        if needed[v]:
            node[v] = lit(a) & lit(b)
            if v % 1024 == 0 and options.expired():
                raise OutOfTime("deadline while building the next-state BDDs")
    return {j: lit(literal) for j, literal in enumerate(ts.next_state)}


def _eliminate(
    bdd: Any, names: list[str], functions: dict[int, Any], options: Options
) -> tuple[list[int], list[tuple[int, Any]]]:
    """Eliminates every bit it can (module docstring, step 1), updating ``functions`` in
    place. Returns the bits kept (sorted) and the eliminated ones with their functions, in
    elimination order."""
    index = {name: j for j, name in enumerate(names)}
    reads = {j: {index[v] for v in bdd.support(f)} for j, f in functions.items()}
    readers: dict[int, set[int]] = {j: set() for j in functions}
    for j, used in reads.items():
        for i in used:
            readers[i].add(j)
    alive = set(functions)
    eliminated: list[tuple[int, Any]] = []
    while True:
        candidates = [j for j in alive if j not in reads[j]]
        if not candidates:
            break
        j = min(candidates, key=lambda c: (len(readers[c]) * len(functions[c]), c))
        for k in readers[j] - {j}:
            before = reads[k]
            functions[k] = bdd.let({names[j]: functions[j]}, functions[k])
            reads[k] = {index[v] for v in bdd.support(functions[k])}
            for i in before - reads[k]:
                readers[i].discard(k)
            for i in reads[k] - before:
                readers[i].add(k)
        alive.discard(j)
        eliminated.append((j, functions.pop(j)))
        for i in reads[j]:
            readers[i].discard(j)
        if options.expired():
            raise OutOfTime(f"deadline while reducing ({len(alive)} bits left)")
    return sorted(alive), eliminated


def _conjoin(
    bdd: Any, names: list[str], functions: dict[int, Any], kept: list[int], options: Options
) -> Any:
    """The conjunction of ``x_r <-> g_r`` over the kept bits (module docstring, step 2)."""
    graph: nx.DiGraph = nx.DiGraph()
    constrained = [r for r in kept if functions[r] != bdd.var(names[r])]
    graph.add_nodes_from(constrained)
    index = {name: j for j, name in enumerate(names)}
    for r in constrained:
        graph.add_edges_from((index[v], r) for v in bdd.support(functions[r]) if index[v] in graph)
    condensed = nx.condensation(graph)
    result = bdd.true
    for component in nx.topological_sort(condensed):
        for r in sorted(condensed.nodes[component]["members"]):
            result &= bdd.var(names[r]).equiv(functions[r])
            if len(bdd) > REORDER_AT:
                bdd.configure(reordering=True)
            if options.expired():
                raise OutOfTime("deadline while conjoining the fixed-point equations")
    return result


def _regular(f: Any) -> Any:
    """The regular (non-complemented) node of ``f``: CUDD stores a complemented node as a
    flag on the edge, and ``low``/``high`` are the children as stored."""
    return ~f if f.negated else f


def _postorder(bdd: Any, roots: Iterable[Any]) -> list[Any]:
    """The regular inner nodes below ``roots``, children before parents (iteratively: BDDs
    may be deeper than Python's recursion limit)."""
    terminal = {bdd.true, bdd.false}
    order: list[Any] = []
    seen: set[Any] = set()
    stack = [(_regular(r), False) for r in roots if r not in terminal]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((_regular(c), False) for c in (node.low, node.high) if c not in terminal)
    return order


def _count_models(bdd: Any, u: Any, n: int) -> int:
    """The number of assignments of all ``n`` declared variables satisfying ``u``, exactly
    (CUDD's own count is a double)."""
    count: dict[Any, int] = {}  # regular node -> models over its level and below

    def level(f: Any) -> int:
        return n if f in (bdd.true, bdd.false) else f.level

    def models(f: Any) -> int:
        if f in (bdd.true, bdd.false):
            return int(f == bdd.true)
        below = count[_regular(f)]
        return (1 << (n - f.level)) - below if f.negated else below

    for node in _postorder(bdd, [u]):
        count[node] = sum(models(c) << (level(c) - node.level - 1) for c in (node.low, node.high))
    return models(u) << level(u)


def _evaluate(
    bdd: Any, roots: list[Any], values: dict[str, np.ndarray], k: int
) -> list[np.ndarray]:
    """The values of the functions ``roots`` under ``k`` assignments at once: ``values``
    maps each variable read to a ``(k,)`` bool array."""
    value: dict[Any, np.ndarray] = {}

    def of(f: Any) -> np.ndarray:
        if f in (bdd.true, bdd.false):
            return np.full(k, f == bdd.true)
        v = value[_regular(f)]
        return ~v if f.negated else v

    for node in _postorder(bdd, roots):
        value[node] = np.where(values[node.var], of(node.high), of(node.low))
    return [of(r) for r in roots]


def _assignments(bdd: Any, u: Any, care: list[str], limit: int) -> Iterator[dict[str, bool]]:
    """At most ``limit`` satisfying assignments of the ``care`` variables."""
    if limit <= 0:
        return
    for k, assignment in enumerate(bdd.pick_iter(u, care_vars=care)):
        if k >= limit:
            return
        yield assignment


def _complete(
    bdd: Any,
    n: int,
    kept: list[int],
    eliminated: list[tuple[int, Any]],
    assignments: list[dict[str, bool]],
) -> np.ndarray:
    """``(k, n)`` full fixed points from assignments of the kept bits: in reverse elimination
    order, each eliminated bit is its function of the bits alive when it was eliminated
    (kept ones and those eliminated later, already known)."""
    k = len(assignments)
    values = {f"s{j}": np.array([a[f"s{j}"] for a in assignments], dtype=bool) for j in kept}
    for j, function in reversed(eliminated):
        values[f"s{j}"] = _evaluate(bdd, [function], values, k)[0]
    rows = np.zeros((k, n), dtype=bool)
    for j in range(n):
        rows[:, j] = values[f"s{j}"]
    return rows


def _check_fixed(ts: TransitionSystem, rows: np.ndarray) -> None:
    """Every row is a fixed point (one simulated step), or the reduction has a bug."""
    k = len(rows)
    zeros = np.zeros((ts.num_inputs, num_words(k)), dtype=np.uint64)
    after = unpack(BitSimulator(ts).step(pack(rows), zeros), k)
    if not (after == rows).all():
        raise RuntimeError("a state read off the fixed-point BDD is not a fixed point; a bug")
