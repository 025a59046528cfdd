"""The synchronous attractors of a system with free initial states (every ``.bnet`` model),
without the transient time: what BoolNet's ``getAttractors`` answers, by structural reduction
first, then the state graph of the reduced system or the SAT engine on it.

**Reduction** (DESIGN 2.6; the decompositions of AEON and pystablemotifs, restricted to what
preserves synchronous attractors exactly):

1. *Constants.* A bit whose next-state function is constant (after substituting the constants
   found so far) holds that value from round 1 on, so on every attractor. It is substituted
   into its readers and dropped; substituting may make more bits constant, to a fixpoint. The
   reduced system agrees with the original one on the subspace where every constant holds its
   value, and that subspace is closed under the step and contains every attractor.
2. *Bits that reach no cycle.* A bit from which no cycle of the dependency graph can be
   reached (no self-loop, in no strongly connected component of several bits, and reading
   into none) is read by nothing that matters for the rest: it is dropped. On an attractor
   its value at round ``t`` is a function of the kept bits at rounds ``t-1, ..., t-L``, where
   ``L`` is its level (1 + the largest level of the dropped bits it reads), so the attractors
   of the reduced system and of the original one correspond one to one with the same
   periods (a dropped bit repeats with the kept ones).

**Attractors of the reduced system.** Up to :data:`TABLE_BITS` kept bits, its whole state
graph: one bit-parallel step of all ``2^k`` states gives the successor table, the states that
are not on a cycle are peeled off (in-degree zero, repeatedly), and the rest are the cycles.
Above that, :func:`verifier.engines.dynamics_sat.analyse` on the reduced system.

**Lifting.** Each reduced cycle is completed with the constants (and zeros for the dropped
bits) and simulated ``L`` rounds on the original system, after which it is on the original
attractor; its next ``p`` states are that attractor, and the run must return to its start
after ``p`` rounds (checked: a failure is an :class:`~verifier.ir.system.InvariantError`).

The transient time is not computed (that is :func:`verifier.engines.dynamics_sat.analyse`'s
job, for ``verify transient``): the reduction does not preserve it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from verifier.engines import dynamics_sat
from verifier.engines.base import Options
from verifier.engines.dynamics import (
    Attractor,
    Dynamics,
    Witness,
    free_initial_states,
    row_strings,
    with_examples,
)
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.simulate import BitSimulator, num_words, pack, unpack
from verifier.ir.system import InvariantError, TransitionSystem
from verifier.sat.solver import OutOfTime

__all__ = ["TABLE_BITS", "Reduction", "attractors", "reduce_for_attractors"]

TABLE_BITS = 16
"""Largest reduced system whose whole state graph is built (2^16 states)."""


@dataclass(frozen=True)
class Reduction:
    """A free-initial system reduced for its attractors (module docstring).

    ``system`` has the kept bits only, in their original order, and free initial states;
    ``kept`` are their indices in the original system, ``constants`` the bits fixed on every
    attractor with their values, ``dropped`` the number of bits that reach no cycle and
    ``settle`` the largest level of those (rounds after which a completed state of a reduced
    attractor is on the original attractor).
    """

    system: TransitionSystem
    kept: tuple[int, ...]
    constants: tuple[tuple[int, bool], ...]
    dropped: int
    settle: int

    def describe(self, total: int) -> str:
        return (
            f"{len(self.kept)} of {total} state bits kept ({len(self.constants)} constant on"
            f" attractors, {self.dropped} reaching no cycle)"
        )


def reduce_for_attractors(ts: TransitionSystem) -> Reduction:
    """The reduction of the module docstring. ``ts`` must have free initial states
    (:func:`~verifier.engines.dynamics.free_initial_states`); raises ValueError otherwise."""
    if free_initial_states(ts) is None:
        raise ValueError("the attractor reduction needs a system with free initial states")
    n = ts.num_state
    constants: dict[int, bool] = {}
    while True:
        aig, next_lits = _substituted(ts, constants)
        found = {
            j: lit == TRUE
            for j, lit in enumerate(next_lits)
            if j not in constants and lit in (FALSE, TRUE)
        }
        if not found:
            break
        constants.update(found)
    reads = _supports(aig, n, next_lits)
    live = [j for j in range(n) if j not in constants]
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(live)
    graph.add_edges_from((i, j) for j in live for i in reads[j])
    cyclic = {j for j in live if graph.has_edge(j, j)}
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cyclic |= component
    needed = set(cyclic)
    for j in cyclic:
        needed |= nx.ancestors(graph, j)
    kept = tuple(j for j in live if j in needed)
    level: dict[int, int] = {}
    for j in nx.topological_sort(graph.subgraph(set(live) - needed)):
        level[j] = 1 + max((level[i] for i in reads[j] if i in level), default=0)
    return Reduction(
        system=_reduced_system(ts, constants, kept),
        kept=kept,
        constants=tuple(sorted(constants.items())),
        dropped=len(level),
        settle=max(level.values(), default=0),
    )


def _substituted(ts: TransitionSystem, constants: dict[int, bool]) -> tuple[Aig, list[int]]:
    """The next-state literals of all state bits over the state bits (as the inputs
    ``0..n-1`` of a new graph), with the constants substituted and folded."""
    n = ts.num_state
    builder = AigBuilder(n)
    leaves = [FALSE] * ts.num_inputs + [
        (TRUE if constants[j] else FALSE) if j in constants else builder.input(j)
        for j in range(n)
    ]
    lit = builder.embed(ts.aig, leaves)
    return builder.build(), [lit(literal) for literal in ts.next_state]


def _supports(aig: Aig, n: int, lits: Sequence[int]) -> list[set[int]]:
    """For each literal of ``lits`` (over the inputs ``0..n-1`` of ``aig``), the inputs it
    reads."""
    support: list[frozenset[int]] = [frozenset()] * aig.num_vars
    for j in range(n):
        support[1 + j] = frozenset((j,))
    for v, a, b in aig.gates():
        support[v] = support[a >> 1] | support[b >> 1]
    return [set(support[lit >> 1]) for lit in lits]


def _reduced_system(
    ts: TransitionSystem, constants: dict[int, bool], kept: tuple[int, ...]
) -> TransitionSystem:
    """The kept bits as a free-initial system of their own (input ``i`` is the initial value
    of kept bit ``i``); no print bits, every round an output round."""
    k = len(kept)
    builder = AigBuilder(2 * k)
    position = {j: i for i, j in enumerate(kept)}
    leaves = [FALSE] * ts.num_inputs + [
        builder.input(k + position[j])
        if j in position
        else (TRUE if constants.get(j, False) else FALSE)
        for j in range(ts.num_state)
    ]
    lit = builder.embed(ts.aig, leaves)
    next_state = tuple(lit(ts.next_state[j]) for j in kept)
    return TransitionSystem(
        aig=builder.build(),
        input_names=tuple(f"init.{ts.state_names[j]}" for j in kept),
        state_names=tuple(ts.state_names[j] for j in kept),
        init=tuple(builder.input(i) for i in range(k)),
        next_state=next_state,
        print_=(),
        print_names=(),
    )


# --- the attractors ----------------------------------------------------------------------------


def attractors(ts: TransitionSystem, options: Options, max_period: int | None = None) -> Dynamics:
    """Every attractor of ``ts`` (free initial states), complete unless the SAT engine on
    the reduced system runs out of time (then as that engine says, with ``max_period`` as
    there). ``transient`` and ``witness`` are None; each example is the attractor's first
    state as the input, with transient 0."""
    reduction = reduce_for_attractors(ts)
    small = reduction.system
    k = small.num_state
    if k <= TABLE_BITS:
        cycles = _table_cycles(small, options)
        complete, reached, how = True, None, f"the state graph of its 2^{k} states"
        detail = "every cycle of the reduced state graph"
    else:
        dyn = dynamics_sat.analyse(small, options, max_period=max_period)
        cycles = [list(a.states) for a in dyn.attractors]
        complete, reached, how = dyn.complete, dyn.max_period, dyn.method
        detail = dyn.detail
    lifted = lift(ts, reduction, cycles)
    pairs = free_initial_states(ts)
    assert pairs is not None
    examples = {a: _example(a, pairs) for a in lifted}
    listed, witnesses = with_examples(examples)
    return Dynamics(
        attractors=listed,
        complete=complete,
        max_period=reached,
        transient=None,
        witness=None,
        method=f"reduction to {reduction.describe(ts.num_state)}, then {how}",
        detail=detail,
        examples=witnesses,
    )


def _example(attractor: Attractor, pairs: tuple[tuple[int, bool], ...]) -> Witness:
    """The input whose initial configuration is the attractor's first state."""
    state = attractor.states[0]
    inputs = [False] * len(pairs)
    for j, (i, negated) in enumerate(pairs):
        inputs[i] = (state[j] == "1") != negated
    return Witness(tuple(inputs), 0, attractor.period)


def _table_cycles(ts: TransitionSystem, options: Options) -> list[list[str]]:
    """The cycles of the state graph of a free system of ``k`` bits, each in visiting order
    as bit strings (configuration order). State ``s`` is the integer with bit ``j`` =
    state bit ``j``."""
    k = ts.num_state
    size = 1 << k
    states = np.arange(size, dtype=np.int64)
    state_bits = ((states[:, None] >> np.arange(k)) & 1).astype(bool)
    words = pack(state_bits)
    nxt = BitSimulator(ts).step(words, np.zeros((ts.num_inputs, num_words(size)), np.uint64))
    succ = unpack(nxt, size).astype(np.int64) @ (np.int64(1) << np.arange(k, dtype=np.int64))
    indegree = np.bincount(succ, minlength=size)
    frontier = np.flatnonzero(indegree == 0)
    on_cycle = np.ones(size, dtype=bool)
    rounds = 0
    while frontier.size:
        on_cycle[frontier] = False
        targets = succ[frontier]
        np.subtract.at(indegree, targets, 1)
        frontier = np.unique(targets[indegree[targets] == 0])
        rounds += 1
        if rounds % 64 == 0 and options.expired():
            raise OutOfTime("deadline while peeling the state graph")
    cycles: list[list[str]] = []
    seen = np.zeros(size, dtype=bool)
    for start in np.flatnonzero(on_cycle).tolist():
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        s = int(succ[start])
        while s != start:
            seen[s] = True
            cycle.append(s)
            s = int(succ[s])
        cycles.append(row_strings(state_bits[cycle]))
    return cycles


def lift(
    ts: TransitionSystem, reduction: Reduction, cycles: Sequence[Sequence[str]]
) -> list[Attractor]:
    """The attractors of ``ts`` that the reduced cycles stand for (module docstring,
    Lifting): all cycles as parallel runs of the original system."""
    if not cycles:
        return []
    runs = len(cycles)
    start = np.zeros((runs, ts.num_state), dtype=bool)
    kept = list(reduction.kept)
    start[:, kept] = np.array([[c == "1" for c in cycle[0]] for cycle in cycles], dtype=bool)
    for j, value in reduction.constants:
        start[:, j] = value
    sim = BitSimulator(ts)
    inputs = np.zeros((ts.num_inputs, num_words(runs)), dtype=np.uint64)
    words = pack(start)
    for _ in range(reduction.settle):
        words = sim.step(words, inputs)
    periods = np.array([len(cycle) for cycle in cycles])
    history = [unpack(words, runs)]
    for _ in range(int(periods.max())):
        words = sim.step(words, inputs)
        history.append(unpack(words, runs))
    rows = np.stack(history)  # (rounds, runs, bits)
    result = []
    for r, p in enumerate(periods.tolist()):
        if not np.array_equal(rows[p, r], rows[0, r]):
            raise InvariantError(
                f"a reduced cycle of period {p} does not lift to a cycle of the system"
            )
        result.append(Attractor.of_cycle(row_strings(rows[:p, r])))
    return result
