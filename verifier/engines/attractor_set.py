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
   reached (no self-loop, in no strongly connected component of several bits, feeding no
   bit that is) influences none of the bits that decide the attractors: it is dropped. On an
   attractor its value at round ``t`` is a function of the kept bits at rounds ``t-1, ...,
   t-L``, where ``L`` is its level (1 + the largest level of the dropped bits it reads), so
   the attractors of the reduced system and of the original one correspond one to one with
   the same periods (a dropped bit repeats with the kept ones).

**Attractors of the reduced system.** Up to :data:`TABLE_BITS` kept bits, its whole state
graph: one bit-parallel step of all ``2^k`` states gives the successor table, and the image
of ``F^t`` is iterated until it stops shrinking: what is left are the states on cycles.
Above that, a SAT loop (:class:`_Closure`) proves that every run enters the attractors found
so far within ``m`` rounds; for systems with very many attractors it hands over to
:func:`verifier.engines.dynamics_sat.analyse` on the reduced system, which lists cubes of
them at once (and is also used with ``max_period``).

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
    inputs_of_states,
    row_strings,
    string_rows,
    with_examples,
)
from verifier.engines.dynamics_explicit import lane_dynamics
from verifier.engines.explicit import lane_mask
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.simulate import ONES, BitSimulator, num_words, pack, unpack
from verifier.ir.system import InvariantError, TransitionSystem
from verifier.sat.solver import OutOfTime

__all__ = ["TABLE_BITS", "Reduction", "attractors", "lift", "reduce_for_attractors"]

TABLE_BITS = 18
"""Largest reduced system whose whole state graph is built (2^18 states)."""

CLOSURE_LIMIT = 512
"""The SAT loop hands over to :func:`verifier.engines.dynamics_sat.analyse` (which lists
whole cubes of attractors at once) after finding this many attractors one at a time."""

SEED_STATES = 1024
"""Random states simulated to seed the SAT loop."""

LIFT_BITS = 1 << 26
"""Bits of simulated rounds held at once while lifting cycles (64 MB as numpy bools)."""


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
    reads = aig.supports(next_lits)
    live = [j for j in range(n) if j not in constants]
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(live)
    graph.add_edges_from((i, j) for j in live for i in reads[j])
    cyclic = {j for j in live if graph.has_edge(j, j)}
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cyclic |= component
    needed, stack = set(cyclic), list(cyclic)  # the cyclic bits and all that feed them
    while stack:
        for i in graph.predecessors(stack.pop()):
            if i not in needed:
                needed.add(i)
                stack.append(i)
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
        (TRUE if constants[j] else FALSE) if j in constants else builder.input(j) for j in range(n)
    ]
    lit = builder.embed(ts.aig, leaves)
    return builder.build(), [lit(literal) for literal in ts.next_state]


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


@dataclass(frozen=True)
class _Solved:
    """The cycles of one reduced system, and how they were found."""

    cycles: list[list[str]]
    complete: bool
    max_period: int | None
    method: str
    detail: str


def attractors(ts: TransitionSystem, options: Options, max_period: int | None = None) -> Dynamics:
    """Every attractor of ``ts`` (free initial states), complete unless the SAT engine on
    the reduced system runs out of time (then as that engine says, with ``max_period`` as
    there). ``transient`` and ``witness`` are None; each example is the attractor's first
    state as the input, with transient 0."""
    reduction = reduce_for_attractors(ts)
    solved = _solve(reduction.system, options, max_period)
    input_of = inputs_of_states(ts)
    examples = {
        a: Witness(input_of(string_rows(a.states[:1])[0]), 0, a.period)
        for a in lift(ts, reduction, solved.cycles)
    }
    listed, witnesses = with_examples(examples)
    return Dynamics(
        attractors=listed,
        complete=solved.complete,
        max_period=solved.max_period,
        transient=None,
        witness=None,
        method=f"reduction to {reduction.describe(ts.num_state)}, then {solved.method}",
        detail=solved.detail,
        examples=witnesses,
    )


def _solve(system: TransitionSystem, options: Options, max_period: int | None) -> _Solved:
    """The cycles of a reduced system: its state graph when small, else SAT."""
    k = system.num_state
    if k <= TABLE_BITS:
        try:
            cycles = _table_cycles(system, options)
        except OutOfTime as stop:
            return _Solved([], False, None, "the state graph", str(stop))
        return _Solved(
            cycles, True, None, "the state graph", "every cycle of the reduced state graph"
        )
    if max_period is None:
        closure = _Closure(system)
        try:
            closure.seed(options)
            closure.prove(options)
        except OutOfTime as stop:
            detail = f"{stop}; the attractors found so far are listed"
        else:
            detail = (
                "every run of the reduced system reaches a listed attractor within"
                f" {closure.depth} rounds"
            )
        finally:
            closure.close()
        if closure.proved or closure.new_cycles <= CLOSURE_LIMIT:
            method = f"SAT ({closure.refinements} refinements, {closure.depth} frames)"
            return _Solved(closure.cycles, closure.proved, None, method, detail)
    dyn = dynamics_sat.analyse(system, options, max_period=max_period)
    cycles = [list(a.states) for a in dyn.attractors]
    detail = f"on the reduced system: {dyn.detail}"
    return _Solved(cycles, dyn.complete, dyn.max_period, dyn.method, detail)


def _table_cycles(ts: TransitionSystem, options: Options) -> list[list[str]]:
    """The cycles of the state graph of a free system of ``k`` bits, each in visiting order
    as bit strings (configuration order). State ``s`` is the integer with bit ``j`` =
    state bit ``j``, so that all ``2^k`` states packed are fixed bit patterns."""
    k = ts.num_state
    size = 1 << k
    succ = _successors(ts, _all_states(k), size)
    # The image of F^t shrinks to the states on cycles: F^t(all) = F^(t+1)(all) exactly
    # when t is at least the longest transient.
    states = _image(succ, succ, size)
    rounds = 0
    while True:
        image = _image(succ[states], succ, size)
        if len(image) == len(states):
            break
        states = image
        rounds += 1
        if rounds % 64 == 0 and options.expired():
            raise OutOfTime("deadline while computing the image of the state graph")
    cycles: list[list[str]] = []
    seen: set[int] = set()
    for start in states.tolist():
        if start in seen:
            continue
        cycle = [start]
        s = int(succ[start])
        while s != start:
            cycle.append(s)
            s = int(succ[s])
        seen.update(cycle)
        ints = np.array(cycle, dtype=np.int64)
        cycles.append(row_strings((ints[:, None] >> np.arange(k)) & 1))
    return cycles


def _all_states(k: int) -> np.ndarray:
    """All ``2^k`` states packed as ``(k, W)`` words: run ``s`` is state ``s``."""
    words = num_words(1 << k)
    result = np.empty((k, words), dtype=np.uint64)
    index = np.arange(words, dtype=np.uint64)
    for j in range(k):
        if j < 6:  # within a word: bit b of the word is bit j of b
            result[j] = _WORD_PATTERNS[j]
        else:  # whole words: bit j - 6 of the word index
            result[j] = np.where((index >> np.uint64(j - 6)) & np.uint64(1), ONES, np.uint64(0))
    return result


_WORD_PATTERNS = tuple(np.uint64(sum(1 << b for b in range(64) if b >> j & 1)) for j in range(6))
"""Bit ``j < 6`` of the states ``0..63`` as one word (0xAAAA..., 0xCCCC..., ...)."""


def _successors(ts: TransitionSystem, states: np.ndarray, size: int) -> np.ndarray:
    """The successor of every state as an integer array. The next-state words are bit-sliced
    (byte ``b`` of row ``j`` holds bit ``j`` of states ``8b..8b+7``); :data:`_SPREAD` turns
    each such byte into bit ``j % 8`` of eight state bytes, so that eight rows fill one byte
    per state with one table lookup each (the table of 2^17 states of bbm-074 takes 0.87 ms
    with the step, against 1.10 ms unpacking every row)."""
    inputs = np.zeros((ts.num_inputs, states.shape[1]), dtype=np.uint64)
    rows = BitSimulator(ts).step(states, inputs).astype("<u8", copy=False).view(np.uint8)
    groups = np.zeros((max(1, (len(rows) + 7) >> 3), rows.shape[1]), dtype=np.uint64)
    for j, row in enumerate(rows):
        groups[j >> 3] |= _SPREAD[j & 7][row]
    # row g of lanes: byte s holds bits 8g..8g+7 of the successor of state s
    lanes = groups.astype("<u8", copy=False).view(np.uint8)
    succ = lanes[0, :size].astype(np.uint32)
    for g in range(1, len(lanes)):
        succ |= lanes[g, :size].astype(np.uint32) << np.uint32(8 * g)
    return succ


_SPREAD = tuple(
    np.array(
        [sum(1 << (8 * b + j) for b in range(8) if byte >> b & 1) for byte in range(256)],
        dtype=np.uint64,
    )
    for j in range(8)
)
"""``_SPREAD[j][byte]``: bit ``b`` of ``byte`` moved to bit ``j`` of byte ``b`` of a word."""


def _image(targets: np.ndarray, succ: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of ``targets`` (states), sorted: by sorting when ``targets`` is
    small, else by a mask over all states (``np.unique`` would do, but its first call
    imports ``numpy.ma``, 13 ms)."""
    if len(targets) < size >> 6:
        ordered = np.sort(targets)
        return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    mask = np.zeros(size, dtype=bool)
    mask[targets] = True
    return np.flatnonzero(mask)


class _Closure:
    """The SAT loop for a reduced free system: with ``A`` the states of the attractors
    found so far (closed under the step), ask for a state ``s`` with ``F^m(s)`` not in
    ``A``. UNSAT proves that every run enters ``A`` within ``m`` rounds, so that no other
    attractor exists. A model is simulated from ``F^m(s)``: it ends in a new attractor
    (added to ``A``) or enters ``A`` after more than ``m`` rounds (``m`` grows to that
    depth). Random states, simulated bit-parallel, seed ``A`` and ``m``. Past
    :data:`CLOSURE_LIMIT` attractors found by SAT, :meth:`prove` returns unproved."""

    def __init__(self, ts: TransitionSystem) -> None:
        self.ts = ts
        self.sim = BitSimulator(ts)
        self.solver = dynamics_sat.new_solver()
        self.frames = dynamics_sat.Frames(ts, self.solver)
        self.cycles: list[list[str]] = []
        self.known: set[bytes] = set()
        self.depth = 0
        self.refinements = 0
        self.new_cycles = 0  # found by SAT rather than by the seeds
        self.proved = False

    def close(self) -> None:
        self.solver.close()

    def _add(self, rows: np.ndarray) -> None:
        """A new attractor, its states in visiting order."""
        self.cycles.append(row_strings(rows))
        self.known.update(np.packbits(row, bitorder="little").tobytes() for row in rows)

    def seed(self, options: Options) -> None:
        """Simulate :data:`SEED_STATES` random states, within the lasso engine's seeding
        budget (:func:`~verifier.engines.dynamics_sat.seeding_options`); without seeds when
        that is too short."""
        k = self.ts.num_state
        rows = np.random.default_rng(0).random((SEED_STATES, k)) < 0.5
        lanes = lane_dynamics(
            self.sim,
            pack(rows),
            lane_mask(SEED_STATES),
            count=SEED_STATES,
            options=dynamics_sat.seeding_options(options),
        )
        if lanes is None:
            return
        for attractor in lanes.attractors:
            self._add(string_rows(attractor.states))
        self.depth = int(lanes.transient.max())

    def prove(self, options: Options) -> None:
        frames = self.frames
        blocked_at = -1
        act = 0
        blocked = 0
        while True:
            frames.extend_to(self.depth, options)
            here = frames.states[self.depth]
            if blocked_at != self.depth:
                if act:
                    self.solver.add_clause([-act])
                act, blocked, blocked_at = frames.fresh(), 0, self.depth
            lits = here.tolist()
            clauses = [
                [-act, *_differs(lits, state)] for cycle in self.cycles[blocked:] for state in cycle
            ]
            self.solver.add_clauses(clauses)
            blocked = len(self.cycles)
            if not frames.solve([act], options):
                self.proved = True
                return
            self.refinements += 1
            self._follow(frames.values(here), options)
            if self.new_cycles > CLOSURE_LIMIT:
                return

    def _follow(self, row: np.ndarray, options: Options) -> None:
        """Simulate from ``row`` (a state outside ``A``) until the run enters ``A`` or
        closes a new cycle."""
        inputs = np.zeros((self.ts.num_inputs, 1), dtype=np.uint64)
        words = pack(row[None, :])
        seen: dict[bytes, int] = {}
        rows: list[np.ndarray] = []
        while True:
            state = unpack(words, 1)[0]
            key = np.packbits(state, bitorder="little").tobytes()
            if key in self.known:
                self.depth += len(rows)
                return
            if key in seen:
                self._add(np.array(rows[seen[key] :]))
                self.new_cycles += 1
                return
            seen[key] = len(rows)
            rows.append(state)
            words = self.sim.step(words, inputs)
            if len(rows) % 256 == 0 and options.expired():
                raise OutOfTime("deadline while simulating a run")


def _differs(lits: list[int], state: str) -> list[int]:
    """The literals of the clause "``lits`` is not ``state``"."""
    return [-lit if c == "1" else lit for lit, c in zip(lits, state, strict=True)]


def lift(
    ts: TransitionSystem, reduction: Reduction, cycles: Sequence[Sequence[str]]
) -> list[Attractor]:
    """The attractors of ``ts`` that the reduced cycles stand for, in the order of ``cycles``
    (module docstring, Lifting): the cycles as parallel runs of the original system, in
    batches of similar periods whose recorded rounds hold at most :data:`LIFT_BITS` bits (a
    timed-out listing can hand over tens of thousands of cycles of a 1000-bit model). When
    the reduction kept every bit, the reduced cycles already are the attractors."""
    if len(reduction.kept) == ts.num_state:
        return [Attractor.of_cycle(cycle) for cycle in cycles]
    lifted: dict[int, Attractor] = {}
    sim = BitSimulator(ts)
    for batch in _batches([len(cycle) for cycle in cycles], ts.num_state):
        found = _lift_batch(ts, reduction, sim, [cycles[r] for r in batch])
        lifted.update(zip(batch, found, strict=True))
    return [lifted[r] for r in range(len(cycles))]


def _batches(periods: list[int], bits: int) -> list[list[int]]:
    """Indices of ``periods`` in order of period, cut into batches whose runs of ``bits``
    bits over their longest period plus one rounds fit in :data:`LIFT_BITS` (at least one
    run each)."""
    batches: list[list[int]] = []
    for r in sorted(range(len(periods)), key=periods.__getitem__):
        batch = batches[-1] if batches else None
        if batch and (len(batch) + 1) * (periods[r] + 1) * bits <= LIFT_BITS:
            batch.append(r)
        else:
            batches.append([r])
    return batches


def _lift_batch(
    ts: TransitionSystem,
    reduction: Reduction,
    sim: BitSimulator,
    cycles: Sequence[Sequence[str]],
) -> list[Attractor]:
    """:func:`lift` for one batch of cycles, simulated side by side."""
    runs = len(cycles)
    start = np.zeros((runs, ts.num_state), dtype=bool)
    start[:, list(reduction.kept)] = string_rows([cycle[0] for cycle in cycles])
    for j, value in reduction.constants:
        start[:, j] = value
    inputs = np.zeros((ts.num_inputs, num_words(runs)), dtype=np.uint64)
    words = pack(start)
    for _ in range(reduction.settle):
        words = sim.step(words, inputs)
    periods = [len(cycle) for cycle in cycles]
    history = [unpack(words, runs)]
    for _ in range(max(periods)):
        words = sim.step(words, inputs)
        history.append(unpack(words, runs))
    rows = np.stack(history)  # (rounds, runs, bits)
    result = []
    for r, p in enumerate(periods):
        if not np.array_equal(rows[p, r], rows[0, r]):
            raise InvariantError(
                f"a reduced cycle of period {p} does not lift to a cycle of the system"
            )
        result.append(Attractor.of_cycle(row_strings(rows[:p, r])))
    return result
