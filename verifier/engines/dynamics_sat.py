"""Dynamics by SAT (DESIGN.md 2.6 and 4): transient time, attractors and the halting output
condition for input spaces too large to enumerate.

**The lasso loop** (counterexample-guided, complete). Keep a bound ``T`` and a set of periods
``P`` (an antichain under divisibility), and ask for a valid input ``x`` with

    config_T(x) != config_{T+p}(x)   for every p in P

on the unrolling of ``T + max(P)`` frames from ``init(x)`` (one incremental CaDiCaL, frames
added as ``T`` and ``P`` grow, the query under a fresh activation literal). UNSAT proves that
every valid input is on its cycle by round ``T`` and that its period divides some ``p`` in
``P``. A model ``x`` is simulated exactly (:func:`~verifier.engines.dynamics_explicit.
run_lasso`): its transient ``mu`` and period ``lambda`` violate the current claim, so
``T := max(T, mu)`` and ``lambda`` joins ``P``; repeat. ``T`` is always the transient of a
simulated input (the witness), so at UNSAT it is the exact transient time of the system. A
batch of random inputs, simulated bit-parallel, seeds ``T`` and ``P``. (This is the lcm
formulation ``config_T != config_{T+lcm(P)}`` with one disequality per period instead, which
needs ``max(P)`` rather than ``lcm(P)`` extra frames.)

**Attractors.** When every configuration is initial and the next state reads no input
(:func:`~verifier.engines.dynamics.free_initial_states`; every ``.bnet`` file), the reachable
attractors are the cycles of the state graph: states ``s`` with ``s = F^p(s)`` for some
``p`` in ``P``, enumerated on the frames from the free round-0 state, each found cycle read
from the model and all its states blocked. With ``max_period`` these systems first get all
cycles of minimal period exactly ``p = 1..max_period`` (``s = F^p(s)`` and ``s != F^q(s)``
for ``q = p/r``, ``r`` a prime factor of ``p``: BoolNet's ``sat.restricted``), a useful
answer even when the loop cannot finish. In general (restricted initial states) the distinct
``config_T(x)`` over valid ``x`` are enumerated on the loop's unrolling; a found cycle ``C`` is
blocked at frame ``T`` only for inputs under which ``C`` is a cycle (a condition over the
inputs the next state reads, encoded once per cycle), so that each attractor is found exactly
once even when the next state reads inputs.

**Cubes.** Real networks often have thousands of attractors that differ only in bits that
nothing else reads (free inputs written ``x, x``, and the like). After each cycle found on a
free system, the single-bit flips of its (constant) bits are simulated; the flips that give
cycles again span a cube that a second solver checks (:class:`_Cubes`), and every cycle of
the cube is listed and blocked by one clause per cycle position. **Fixed points** of systems
with free initial states (:func:`fixed_points`) use this on one frame, ``s = F(s)``: a fast
path for the common query (e.g. 32768 fixed points of a 139-variable model in 0.1 s).
Listing stops, incomplete, past :func:`default_limit` states.

**Halting output condition** (:func:`output_violation`): with ``T`` and ``P`` proved, one
query on ``T + max(P)`` frames (more for a fixed set of output rounds) asks for an input and
a round where "output round" differs from "fixed point"; past that window both repeat.

Every SAT call and simulation honours ``options.deadline``; a result is then incomplete and
says what was shown.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from verifier.collector import paused_gc
from verifier.engines.base import Options
from verifier.engines.dynamics import (
    Attractor,
    Dynamics,
    OutputCheck,
    OutputViolation,
    Witness,
    bits,
    free_initial_states,
    inputs_of_states,
    inputs_read_by_next,
    row_strings,
    string_rows,
    with_examples,
)
from verifier.engines.dynamics_explicit import (
    first_output_violation,
    lane_dynamics,
    run_lasso,
)
from verifier.engines.explicit import lane_mask
from verifier.ir.simulate import BitSimulator, all_inputs, num_words, pack, unpack
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds
from verifier.sat.cnf import Strash, VarPool, cone, differ_if, equal, equal_if, tseitin
from verifier.sat.solver import OutOfTime, SatSolver

__all__ = [
    "FIXED_POINT_LIMIT",
    "LISTED_BITS",
    "SEED_INPUTS",
    "Frames",
    "LassoBound",
    "analyse",
    "default_limit",
    "fixed_points",
    "lasso_bound",
    "new_solver",
    "output_violation",
    "seeding_options",
]

SEED_INPUTS = 1024
"""Random inputs simulated to seed the lasso loop (all inputs when there are fewer)."""

SEED_SECONDS = 1.0
"""At most this long (and a tenth of the time left) is spent on seeding."""

FIXED_POINT_LIMIT = 1 << 20
"""Default cap on the number of fixed points listed (the list is then incomplete)."""

LISTED_BITS = 1 << 25
"""The default cap is lowered so that the listed states hold at most this many bits."""


def default_limit(ts: TransitionSystem) -> int:
    """The default number of fixed points listed: :data:`FIXED_POINT_LIMIT`, fewer for many
    state bits (:data:`LISTED_BITS`)."""
    return max(1, min(FIXED_POINT_LIMIT, LISTED_BITS // max(1, ts.num_state)))


PROGRESS_INTERVAL = 1.0

MAX_VARIABLES = 2_500_000
"""An unrolling stops (the answer is then incomplete) before its solver would exceed this
many variables (a few GB with the structural hash table)."""

_MAX_CUBE_BITS = 16
"""Largest cube listed at once (``2**16`` cycles)."""

_FIRST_BUDGET = 100
"""Conflicts of a solver's first deadline slice: :class:`SatSolver` starts at 5000, which
takes half a minute on deep unrollings (measured: bbm-002 at 470 frames, 6 ms a conflict);
the solver adapts the budget from there."""


def seeding_options(options: Options) -> Options:
    """``options`` with a deadline for random seeding: :data:`SEED_SECONDS`, or a tenth of
    the time left when that is shorter."""
    left = options.time_left()
    budget = SEED_SECONDS if left is None else min(SEED_SECONDS, left / 10)
    return Options(deadline=time.monotonic() + budget, progress=options.progress)


def new_solver() -> SatSolver:
    """A :class:`SatSolver` whose first deadline slice is short (see :data:`_FIRST_BUDGET`)."""
    solver = SatSolver()
    if hasattr(solver, "_budget"):
        solver._budget = _FIRST_BUDGET  # no public knob (yet): keep deadlines tight
    return solver


class _Progress:
    """Rate-limited progress lines (at most one per :data:`PROGRESS_INTERVAL`)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.last = time.monotonic()

    def __call__(self, line: Callable[[], str]) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            self.options.report(line())


# --- an unrolling of a transition system -------------------------------------------------------


class Frames:
    """Frames ``0, 1, ...`` of ``ts`` in ``solver``, from ``init(x)``: frozen input literals
    ``inputs``, the assumptions asserted, ``states[t]`` the state literals of round ``t``
    (one more state than frames) and ``extras[t]`` the literals of ``extra`` roots in round
    ``t``. Gates are structurally hashed across frames (one table per solver)."""

    def __init__(self, ts: TransitionSystem, solver: SatSolver, extra: Sequence[int] = ()) -> None:
        self.ts = ts
        self.solver = solver
        self.pool = VarPool()
        self.strash = Strash()
        self.true = self.pool.fresh()
        solver.add_clause([self.true])
        self.inputs = self.pool.block(ts.num_inputs)
        aig = ts.aig
        leaves = self.leaves(None)
        if ts.assumptions:
            enc = tseitin(
                cone(aig, ts.assumptions), leaves, self.true, self.pool, strash=self.strash
            )
            solver.add_blocks([*enc.clauses, enc.literals(ts.assumptions)[:, None]])
        enc = tseitin(cone(aig, ts.init), leaves, self.true, self.pool, strash=self.strash)
        solver.add_blocks(enc.clauses)
        self.states: list[np.ndarray] = [enc.literals(ts.init)]
        self.extra = tuple(extra)
        self.extras: list[np.ndarray] = []
        self.step_cone = cone(aig, (*ts.next_state, *self.extra))

    def leaves(self, state: np.ndarray | None) -> np.ndarray:
        """Leaf literals: the inputs, then ``state`` (all false when None)."""
        ts = self.ts
        leaf = np.empty(ts.aig.num_inputs, dtype=np.int64)
        leaf[: ts.num_inputs] = self.inputs
        leaf[ts.num_inputs :] = -self.true if state is None else state
        return leaf

    @property
    def depth(self) -> int:
        return len(self.states) - 1

    def extend_to(self, frames: int, options: Options) -> None:
        """Encode frames until ``states[frames]`` exists."""
        while self.depth < frames:
            if options.expired():
                raise OutOfTime("deadline passed while unrolling")
            if self.pool.top > MAX_VARIABLES:
                raise OutOfTime(f"unrolling {frames} frames needs over {MAX_VARIABLES} variables")
            with paused_gc():
                enc = tseitin(
                    self.step_cone,
                    self.leaves(self.states[-1]),
                    self.true,
                    self.pool,
                    strash=self.strash,
                )
                self.solver.add_blocks(enc.clauses)
            self.states.append(enc.literals(self.ts.next_state))
            self.extras.append(enc.literals(self.extra))

    def step_of(self, state: np.ndarray) -> np.ndarray:
        """The next-state literals (over the inputs) of a constant configuration."""
        lits = np.where(state, self.true, -self.true).astype(np.int64)
        with paused_gc():
            enc = tseitin(
                self.step_cone, self.leaves(lits), self.true, self.pool, strash=self.strash
            )
            self.solver.add_blocks(enc.clauses)
        return enc.literals(self.ts.next_state)

    def fresh(self) -> int:
        return self.pool.fresh()

    def differ_if(self, act: int, a: np.ndarray, b: np.ndarray) -> None:
        """``act -> a != b`` (``act`` false when the vectors are empty)."""
        e = self.pool.block(len(a))
        self.solver.add_blocks([differ_if(e, a, b), [[-act, *e.tolist()]]])

    def equal_if(self, act: int, a: np.ndarray, b: np.ndarray) -> None:
        """``act -> a == b``."""
        if len(a):
            self.solver.add_blocks([equal_if(np.full(len(a), act), a, b)])

    def solve(self, assumptions: Iterable[int], options: Options) -> bool:
        result = self.solver.solve(assumptions, options.deadline)
        if result is None:
            raise OutOfTime("deadline passed during a SAT call")
        return result

    def values(self, lits: np.ndarray) -> np.ndarray:
        return self.solver.values(lits)

    def input_values(self) -> tuple[bool, ...]:
        return tuple(bool(b) for b in self.solver.values(self.inputs))


def _block(state_lits: np.ndarray, config: np.ndarray) -> list[int]:
    """The clause "``state_lits`` is not ``config``"."""
    return np.where(config, -state_lits, state_lits).tolist()


def _period_of(rows: np.ndarray) -> int:
    """The least ``k >= 1`` with ``rows[k] == rows[0]`` (rows of one run from a cycle)."""
    for k in range(1, len(rows)):
        if np.array_equal(rows[k], rows[0]):
            return k
    raise RuntimeError("a configuration claimed to be on a cycle does not return; this is a bug")


# --- the lasso loop ----------------------------------------------------------------------------


class _Loop:
    """The counterexample-guided lasso loop (module docstring), with its solver and frames."""

    def __init__(self, ts: TransitionSystem, sim: BitSimulator) -> None:
        self.ts = ts
        self.sim = sim
        self.solver = new_solver()
        self.frames = Frames(ts, self.solver)
        self.T = 0
        self.periods: list[int] = []
        self.witness: Witness | None = None
        self.seen: dict[Attractor, Witness] = {}  # simulated cycles, with their inputs
        self.refinements = 0
        self.proved = False

    def close(self) -> None:
        self.solver.close()

    @property
    def max_period(self) -> int:
        return max(self.periods, default=0)

    def note(self, x: tuple[bool, ...], mu: int, period: int) -> None:
        """Record a simulated input's lasso."""
        if self.witness is None or mu > self.witness.transient:
            self.witness = Witness(x, mu, period)
        self.T = max(self.T, mu)
        if not any(p % period == 0 for p in self.periods):
            self.periods = [p for p in self.periods if period % p != 0] + [period]

    def seed(self, count: int, options: Options) -> None:
        """Simulate up to ``count`` random inputs (all of them when fewer)."""
        n = self.ts.num_inputs
        if count <= 0:
            return
        seed_options = seeding_options(options)
        if n <= 20 and 1 << n <= count:
            x = all_inputs(n)
        else:
            x = np.random.default_rng(0).random((count, n)) < 0.5
        k = len(x)
        lanes = lane_dynamics(
            self.sim,
            pack(x),
            lane_mask(k),
            count=k,
            options=seed_options,
            label="dynamics: seeding",
        )
        if lanes is None:
            return
        for attractor in lanes.attractors:
            self.seen.setdefault(attractor, lanes.example(attractor, x))
        valid = np.flatnonzero(lanes.valid)
        if not len(valid):
            return
        mu, period = lanes.transient[valid], lanes.period[valid]
        # The first lane of the largest transient (the witness), then one lane per period:
        # what noting every lane in order would record.
        picks = [int(np.argmax(mu))]
        picks += [int(np.argmax(period == p)) for p in np.unique(period).tolist()]
        for i in picks:
            self.note(tuple(x[valid[i]].tolist()), int(mu[i]), int(period[i]))

    def prove(self, options: Options) -> None:
        """Run the loop until UNSAT (``proved``); raises OutOfTime at the deadline."""
        frames = self.frames
        progress = _Progress(options)
        while True:
            frames.extend_to(self.T + self.max_period, options)
            act = frames.fresh()
            here = frames.states[self.T]
            for p in self.periods:
                frames.differ_if(act, here, frames.states[self.T + p])
            sat = frames.solve([act], options)
            x = frames.input_values() if sat else ()
            self.solver.add_clause([-act])
            if not sat:
                self.proved = True
                return
            lasso = run_lasso(self.sim, x, options)
            if lasso is None:
                raise OutOfTime("deadline passed while simulating a witness")
            if not lasso.valid:
                raise RuntimeError(f"SAT gave the invalid input {bits(x)}; this is a bug")
            if lasso.transient <= self.T and any(p % lasso.period == 0 for p in self.periods):
                raise RuntimeError(f"input {bits(x)} does not refute the claim; this is a bug")
            self.refinements += 1
            self.seen.setdefault(lasso.attractor, Witness(x, lasso.transient, lasso.period))
            self.note(x, lasso.transient, lasso.period)
            progress(
                lambda: (
                    f"dynamics: {self.refinements} refinements, transient >= {self.T},"
                    f" periods {sorted(self.periods)}"
                )
            )

    @property
    def valid_inputs(self) -> bool:
        return self.witness is not None

    def describe(self) -> str:
        return f"SAT ({self.refinements} refinements, unrolled {self.frames.depth} frames)"


@dataclass(frozen=True)
class LassoBound:
    """What the lasso loop alone proves, without listing attractors: every valid input is on
    its cycle by round ``transient`` (exact: ``witness`` attains it) with a period dividing
    one of ``periods``; ``examples`` holds one simulated input per cycle seen (so one of
    every period in ``periods``). ``witness`` is None when no input is valid."""

    transient: int
    periods: tuple[int, ...]
    witness: Witness | None
    examples: tuple[Witness, ...]
    method: str

    @property
    def valid_inputs(self) -> bool:
        return self.witness is not None


def lasso_bound(
    ts: TransitionSystem, options: Options | None = None, *, seeds: int = SEED_INPUTS
) -> LassoBound:
    """The lasso loop of the module docstring, run to its proof; raises
    :class:`~verifier.sat.solver.OutOfTime` at the deadline. This is all that transient
    time and halting need: a program with 2^64 fixed points (every input its own) is
    settled by one UNSAT query where listing its attractors never ends."""
    options = options or Options()
    loop = _Loop(ts, BitSimulator(ts))
    try:
        loop.seed(seeds, options)
        loop.prove(options)
    finally:
        loop.close()
    return LassoBound(
        loop.T,
        tuple(sorted(loop.periods)),
        loop.witness,
        tuple(loop.seen.values()),
        loop.describe(),
    )


# --- attractor enumeration ---------------------------------------------------------------------


def _minimal_period_divisors(p: int) -> list[int]:
    """``p / r`` for every prime ``r`` dividing ``p``."""
    out, m, r = [], p, 2
    while r * r <= m:
        if m % r == 0:
            out.append(p // r)
            while m % r == 0:
                m //= r
        r += 1
    if m > 1:
        out.append(p // m)
    return out


class _Cubes:
    """Generalises a cycle of a system with free initial states (rows ``c_0 .. c_{p-1}``,
    a fixed point when ``p = 1``) to a cube of cycles: free bits ``K``, constant along the
    cycle, such that for every assignment ``a`` of ``K`` the states ``c_i[K := a]`` form a
    cycle too. Candidates are the bits whose single flip gives a cycle (simulated, all
    candidates at once); the cube is then checked by SAT on one frame from a free state:
    for each ``i``, no ``s`` agreeing with ``c_i`` outside ``K`` has a successor that
    disagrees with ``c_{i+1}`` outside ``K`` or changes a bit of ``K``. A counterexample
    puts half of the free bits where it differs back (at least one) and the check repeats.
    Flips are no longer tried after 64 cycles without a candidate."""

    def __init__(self, ts: TransitionSystem) -> None:
        self.ts = ts
        self.sim = BitSimulator(ts)
        self.solver: SatSolver | None = None
        self.frames: Frames | None = None
        self.moved: np.ndarray | None = None  # moved[v] -> bit v differs in the step
        self.tried = self.hits = 0

    def close(self) -> None:
        if self.solver is not None:
            self.solver.close()

    def keep(self, rows: np.ndarray, options: Options) -> np.ndarray:
        """The bits fixed in the cube of the cycle ``rows`` (all of them: no cube)."""
        n = rows.shape[1]
        keep = np.ones(n, dtype=bool)
        if n == 0 or not (self.tried < 64 or self.hits):
            return keep
        self.tried += 1
        candidates = np.flatnonzero((rows == rows[0]).all(axis=0))
        if not candidates.size:
            return keep
        flipped = np.repeat(rows[None, :, :], len(candidates), axis=0)
        flipped[np.arange(len(candidates)), :, candidates] ^= True
        flat = flipped.reshape(-1, n)
        zeros = np.zeros((self.ts.num_inputs, num_words(len(flat))), dtype=np.uint64)
        after = unpack(self.sim.step(pack(flat), zeros), len(flat)).reshape(flipped.shape)
        ok = (after == np.roll(flipped, -1, axis=1)).all(axis=(1, 2))
        free = candidates[ok][:_MAX_CUBE_BITS]
        if not free.size:
            return keep
        self.hits += 1
        keep[free] = False
        return self._verify(rows, keep, options)

    def _verify(self, rows: np.ndarray, keep: np.ndarray, options: Options) -> np.ndarray:
        if self.frames is None:
            self.solver = new_solver()
            self.frames = Frames(self.ts, self.solver)
            self.frames.extend_to(1, options)
            self.moved = self.frames.pool.block(self.ts.num_state)
            self.solver.add_blocks([differ_if(self.moved, *self.frames.states[:2])])
        frames, moved = self.frames, self.moved
        assert moved is not None
        start, succ = frames.states[0], frames.states[1]
        p = len(rows)
        while not keep.all():
            failed: tuple[int, np.ndarray] | None = None
            for i in range(p):
                act = frames.fresh()
                wrong = np.where(rows[(i + 1) % p], -succ, succ)[keep]
                frames.solver.add_clause([-act, *wrong.tolist(), *moved[~keep].tolist()])
                here = np.where(rows[i], start, -start)[keep]
                sat = frames.solve([act, *here.tolist()], options)
                other = frames.values(start) if sat else None
                frames.solver.add_clause([-act])
                if other is not None:
                    failed = (i, other)
                    break
            if failed is None:
                return keep
            i, other = failed
            differ = np.flatnonzero(~keep & (other != rows[i]))
            keep[differ[: max(1, len(differ) // 2)]] = True
        return keep


def _cube_rows(rows: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``(2**k, p, n)``: the cycle ``rows`` under every assignment of the ``k`` free bits."""
    free = np.flatnonzero(~keep)
    k = len(free)
    out = np.repeat(rows[None, :, :], 1 << k, axis=0)
    if k:
        combos = ((np.arange(1 << k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
        out[:, :, free] = combos[:, None, :]
    return out


class _FreeCycles:
    """Cycles of the state graph of a system with free initial states, on frames from the
    free round-0 state in a solver of its own (only as many frames as the longest period:
    the loop's deeper unrolling would slow every enumeration step). Found cycles are
    blocked for good, under :attr:`guard` (assumed by every enumeration)."""

    def __init__(self, ts: TransitionSystem) -> None:
        self.solver = new_solver()
        self.frames = Frames(ts, self.solver)
        self.found: dict[Attractor, Witness] = {}
        self.input_of = inputs_of_states(ts)
        self.empty_done = False  # no state bits: the one configuration was listed
        self.guard = self.frames.fresh()
        self.cubes = _Cubes(ts)
        self.limit = default_limit(ts)

    def close(self) -> None:
        self.solver.close()
        self.cubes.close()

    def _example(self, rows: np.ndarray) -> Witness:
        """The input whose initial state is ``rows[0]`` (transient 0)."""
        return Witness(self.input_of(rows[0]), 0, len(rows))

    def _add(
        self, rows: np.ndarray, options: Options | None = None, example: Witness | None = None
    ) -> None:
        """List the cycle ``rows`` (and, with ``options``, its cube) and block it."""
        attractor = Attractor.of_cycle(row_strings(rows))
        if attractor in self.found:
            raise RuntimeError(f"cycle {attractor.states} found twice; this is a bug")
        self.found[attractor] = example or self._example(rows)
        if rows.shape[1] == 0:
            self.empty_done = True
            return
        keep = np.ones(rows.shape[1], dtype=bool)
        if options is not None:
            keep = self.cubes.keep(rows, options)
            for cycle in _cube_rows(rows, keep):  # includes `rows` again
                self.found.setdefault(Attractor.of_cycle(row_strings(cycle)), self._example(cycle))
        if len(self.found) > self.limit:
            raise OutOfTime(f"more than {self.limit} attractors")
        start = self.frames.states[0][keep]
        self.frames.solver.add_clauses([[-self.guard, *_block(start, row[keep])] for row in rows])

    def block(self, attractors: Iterable[tuple[Attractor, Witness]]) -> None:
        """Block known attractors (e.g. the seeds' cycles) and list them."""
        for a, example in attractors:
            if a not in self.found:
                rows = string_rows(a.states)
                self._add(rows.reshape(a.period, self.frames.ts.num_state), example=example)

    def _enumerate(self, act: int, horizon: int, options: Options) -> None:
        frames = self.frames
        progress = _Progress(options)
        while not self.empty_done:
            if not frames.solve([act, self.guard], options):
                return
            rows = frames.values(np.stack(frames.states[: horizon + 1]))
            self._add(rows[: _period_of(rows)], options)
            progress(lambda: f"dynamics: {len(self.found)} cycles listed")

    def exact_period(self, p: int, options: Options) -> None:
        """List every cycle of minimal period ``p``."""
        frames = self.frames
        frames.extend_to(p, options)
        act = frames.fresh()
        start = frames.states[0]
        frames.equal_if(act, start, frames.states[p])
        for q in _minimal_period_divisors(p):
            frames.differ_if(act, start, frames.states[q])
        try:
            self._enumerate(act, p, options)
        finally:
            frames.solver.add_clause([-act])

    def dividing(self, periods: Sequence[int], options: Options, *, skip_fixed: bool) -> None:
        """List every cycle whose period divides some ``p`` in ``periods`` (with
        ``skip_fixed``, except fixed points)."""
        frames = self.frames
        top = max(periods)
        frames.extend_to(top, options)
        act = frames.fresh()
        start = frames.states[0]
        choices = []
        for p in periods:
            eq = frames.fresh()
            frames.equal_if(eq, start, frames.states[p])
            choices.append(eq)
        frames.solver.add_clause([-act, *choices])
        if skip_fixed:
            frames.differ_if(act, start, frames.states[1])
        try:
            self._enumerate(act, top, options)
        finally:
            frames.solver.add_clause([-act])


def _general_cycles(loop: _Loop, options: Options) -> dict[Attractor, Witness]:
    """The attractors of every valid input, after the loop proved ``T`` and ``P``: distinct
    ``config_T(x)``, each found cycle blocked at frame ``T`` for the inputs under which it is
    a cycle."""
    frames = loop.frames
    ts = loop.ts
    T, top = loop.T, loop.max_period
    reads_inputs = bool(inputs_read_by_next(ts))
    here = frames.states[T]
    found: dict[Attractor, Witness] = {}
    progress = _Progress(options)
    while True:
        progress(lambda: f"dynamics: {len(found)} attractors listed")
        if not frames.solve([], options):
            return found
        run = frames.values(np.stack(frames.states[: T + top + 1]))
        p = _period_of(run[T:])
        cycle = run[T : T + p]
        attractor = Attractor.of_cycle(row_strings(cycle))
        if attractor in found:
            raise RuntimeError(f"cycle {attractor.states} found twice; this is a bug")
        mu = next(t for t in range(T + 1) if np.array_equal(run[t], run[t + p]))
        found[attractor] = Witness(frames.input_values(), mu, p)
        if ts.num_state == 0:
            return found
        if not reads_inputs:
            frames.solver.add_clauses([_block(here, row) for row in cycle])
            continue
        # c -> blocked; c is forced true by every input under which `cycle` is a cycle.
        c = frames.fresh()
        mismatch: list[int] = []
        for k, row in enumerate(cycle):
            succ = cycle[(k + 1) % len(cycle)]
            nxt = frames.step_of(row)
            for lit in np.where(succ, -nxt, nxt).tolist():
                if lit == frames.true:
                    raise RuntimeError("a simulated cycle is not a cycle; this is a bug")
                if lit != -frames.true:
                    mismatch.append(lit)
        frames.solver.add_clause([c, *mismatch])
        frames.solver.add_clauses([[*_block(here, row), -c] for row in cycle])


# --- public API --------------------------------------------------------------------------------


def analyse(
    ts: TransitionSystem,
    options: Options | None = None,
    *,
    max_period: int | None = None,
    seeds: int = SEED_INPUTS,
) -> Dynamics:
    """Attractors and exact transient time of ``ts`` by SAT (see the module docstring).

    Complete when the lasso loop finishes and every attractor has been enumerated before
    ``options.deadline``. With ``max_period`` and free initial states
    (:func:`~verifier.engines.dynamics.free_initial_states`), all attractors of period
    ``<= max_period`` are listed first; if the loop or the enumeration then runs out of time
    the answer is incomplete with ``max_period`` set (to the largest period fully done). For
    other systems ``max_period`` is ignored (reachability from the initial states needs the
    loop). An incomplete answer still lists only genuine attractors (those of simulated
    inputs and of finished enumerations). ``seeds`` random inputs seed the loop.
    """
    options = options or Options()
    if max_period is not None and max_period < 1:
        raise ValueError(f"max_period must be >= 1, got {max_period}")
    sim = BitSimulator(ts)
    loop = _Loop(ts, sim)
    free = free_initial_states(ts) is not None
    cycles = _FreeCycles(ts) if free else None
    bounded = 0  # every attractor of period <= bounded is listed
    fixed: list[str] = []  # fixed points listed (free initial states)
    fixed_done = False
    found: dict[Attractor, Witness] = {}
    stage = "seeding"

    def fixed_examples() -> dict[Attractor, Witness]:
        assert cycles is not None
        return {Attractor((s,)): Witness(cycles.input_of(string_rows([s])[0]), 0, 1) for s in fixed}

    def list_fixed() -> None:
        nonlocal fixed, fixed_done
        fixed, fixed_done = _free_fixed_points(ts, options, default_limit(ts))
        if not fixed_done:
            raise OutOfTime(f"deadline, or more than {default_limit(ts)} fixed points")

    try:
        loop.seed(seeds, options)
        if cycles is not None and max_period is not None:
            stage = "listing fixed points"
            list_fixed()
            bounded = 1
            for p in range(2, max_period + 1):
                stage = f"listing cycles of period {p}"
                cycles.exact_period(p, options)
                bounded = p
                options.report(f"dynamics: all cycles of period <= {p} listed")
        stage = "proving the transient time"
        loop.prove(options)
        if not loop.valid_inputs:
            return Dynamics(
                (),
                True,
                None,
                None,
                None,
                loop.describe(),
                "no input satisfies the assumptions",
                valid_inputs=False,
            )
        stage = "listing attractors"
        if cycles is not None:
            if not fixed_done:
                list_fixed()
            cycles.block((a, x) for a, x in loop.seen.items() if a.period > 1)
            if loop.max_period > 1:
                cycles.dividing(loop.periods, options, skip_fixed=True)
            found = {**fixed_examples(), **cycles.found}
        else:
            found = _general_cycles(loop, options)
    except OutOfTime as why:
        listed = dict(loop.seen)
        if cycles is not None:
            listed.update(fixed_examples())
            listed.update(cycles.found)
        attractors, examples = with_examples(listed)
        if bounded:
            shown = f"every attractor of period <= {bounded} is listed"
        else:
            shown = "the listed attractors are genuine, others may exist"
        return Dynamics(
            attractors=attractors,
            examples=examples,
            complete=False,
            max_period=bounded or None,
            transient=None,
            witness=loop.witness,
            method=loop.describe(),
            detail=f"stopped while {stage} ({why}): {shown}; transient time >= {loop.T}"
            f" (after {loop.refinements} refinements, periods so far {sorted(loop.periods)})",
        )
    finally:
        loop.close()
        if cycles is not None:
            cycles.close()
    missing = set(loop.seen) - set(found)
    if missing:
        raise RuntimeError(f"enumeration missed simulated attractors {missing}; this is a bug")
    attractors, examples = with_examples(found)
    return Dynamics(
        attractors=attractors,
        examples=examples,
        complete=True,
        max_period=None,
        transient=loop.T,
        witness=loop.witness,
        method=loop.describe(),
        detail=f"proved every valid input is on its cycle by round {loop.T} with a period"
        f" dividing one of {sorted(loop.periods)}: {len(attractors)} attractor(s), transient"
        f" time {loop.T}",
    )


def _free_fixed_points(
    ts: TransitionSystem, options: Options, limit: int | None
) -> tuple[list[str], bool]:
    """Fixed points of a system with free initial states (module docstring), sorted, and
    whether that is all of them (False at the deadline or past ``limit``)."""
    n = ts.num_state
    found: set[str] = set()
    cubes = _Cubes(ts)
    with new_solver() as solver:
        try:
            frames = Frames(ts, solver)
            frames.extend_to(1, options)
            start = frames.states[0]
            solver.add_blocks([equal(start, frames.states[1])])
            progress = _Progress(options)
            while True:
                progress(lambda: f"dynamics: {len(found)} fixed points listed")
                if not frames.solve([], options):
                    return sorted(found), True
                s = frames.values(start)
                if n == 0:
                    return [""], True
                keep = cubes.keep(s[None, :], options)
                cube = [
                    c for c in row_strings(_cube_rows(s[None, :], keep)[:, 0]) if c not in found
                ]
                if limit is not None and len(found) + len(cube) > limit:
                    found.update(cube[: max(0, limit - len(found))])
                    return sorted(found), False
                found.update(cube)
                if not keep.any():  # every state is a fixed point
                    return sorted(found), True
                solver.add_clause(_block(start[keep], s[keep]))
        except OutOfTime:
            return sorted(found), False
        finally:
            cubes.close()


def fixed_points(
    ts: TransitionSystem,
    options: Options | None = None,
    *,
    limit: int | None = None,
) -> tuple[tuple[str, ...], bool]:
    """The fixed points reachable from valid inputs (sorted) and whether the list is
    complete.

    Systems with free initial states take the fast path of the module docstring (at most
    ``limit`` fixed points are listed, default :func:`default_limit`; past it the list is
    incomplete); others run
    :func:`analyse` and keep the attractors of period 1 (complete when it is). Incomplete
    when ``options.deadline`` passes.
    """
    options = options or Options()
    limit = default_limit(ts) if limit is None else limit
    if free_initial_states(ts) is not None:
        found, complete = _free_fixed_points(ts, options, limit)
        return tuple(found), complete
    dynamics = analyse(ts, options)
    points = dynamics.fixed_points
    complete = dynamics.complete
    if len(points) > limit:
        return points[:limit], False
    return points, complete


def output_violation(
    ts: TransitionSystem,
    options: Options | None = None,
    *,
    dynamics: Dynamics | None = None,
    bound: LassoBound | None = None,
    seeds: int = SEED_INPUTS,
) -> OutputCheck:
    """Check, for every valid input and every round t, that t is an output round iff
    ``config_t == config_{t+1}`` (the second condition of a halting program, DESIGN 2.6).

    Needs the transient ``T`` and the periods ``P`` of every valid input: from a complete
    ``dynamics`` of ``ts`` or a ``bound`` if given, else from the lasso loop. Then both
    sides are periodic past the window of rounds ``0 .. h-1`` with ``h = T + max(P)`` for an
    output literal and ``h = max(T, a) + max(lcm(p, L))`` for fixed output rounds periodic
    with ``L`` from ``a`` on, so one SAT query over that window decides. A violation is replayed by
    simulation and reported at the input's first violating round.
    """
    options = options or Options()
    sim = BitSimulator(ts)
    loop: _Loop | None = None
    method = "SAT"
    try:
        if bound is not None:
            if not bound.valid_inputs:
                return OutputCheck(None, True, method, "no input satisfies the assumptions")
            T, periods = bound.transient, list(bound.periods)
        elif dynamics is not None and dynamics.complete:
            if not dynamics.valid_inputs:
                return OutputCheck(None, True, method, "no input satisfies the assumptions")
            assert dynamics.transient is not None
            T, periods = dynamics.transient, list(dynamics.periods)
        else:
            loop = _Loop(ts, sim)
            loop.seed(seeds, options)
            loop.prove(options)
            method = loop.describe()
            if not loop.valid_inputs:
                return OutputCheck(None, True, method, "no input satisfies the assumptions")
            T, periods = loop.T, loop.periods
        if isinstance(ts.output, AttentionRounds):
            prefix, step = ts.output.eventual_period()
            horizon = max(T, prefix) + max(math.lcm(p, step) for p in periods)
        else:
            horizon = T + max(periods)
        return _output_query(ts, sim, horizon, options)
    except OutOfTime:
        return OutputCheck(
            None,
            False,
            method,
            "deadline reached before the transient time"
            " and periods were proved (no violation found)",
        )
    finally:
        if loop is not None:
            loop.close()


def _output_query(
    ts: TransitionSystem, sim: BitSimulator, horizon: int, options: Options
) -> OutputCheck:
    """One SAT query: a valid input and a round ``t < horizon`` with output != fixed."""
    rounds = ts.output if isinstance(ts.output, AttentionRounds) else None
    extra = () if ts.output_lit is None else (ts.output_lit,)
    method = f"SAT (one query over {horizon} rounds)"
    with new_solver() as solver:
        frames = Frames(ts, solver, extra)
        frames.extend_to(horizon, options)
        pool = frames.pool
        violations: list[int] = []
        clauses: list[list[int]] = []
        for t in range(horizon):
            a, b = frames.states[t], frames.states[t + 1]
            # d <-> some bit differs (config_t is not a fixed point).
            d = pool.fresh()
            xs = pool.block(len(a)).tolist()
            for x, p, q in zip(xs, a.tolist(), b.tolist(), strict=True):
                clauses += [[-x, p, q], [-x, -p, -q], [x, -p, q], [x, p, -q]]
            clauses.append([-d, *xs])
            clauses += [[d, -x] for x in xs]
            v = pool.fresh()
            if rounds is not None:
                # Output round: violated when not fixed (d); otherwise when fixed (-d).
                clauses.append([-v, d if rounds.is_output_round(t) else -d])
            else:
                out = int(frames.extras[t][0])
                # Violated when out == d (output and not fixed, or fixed and no output).
                clauses += [[-v, -out, d], [-v, out, -d]]
            violations.append(v)
        clauses.append(violations)
        solver.add_clauses(clauses)
        if not frames.solve([], options):
            return OutputCheck(
                None,
                True,
                method,
                f"for every valid input, rounds 0..{horizon - 1} (after which everything"
                " repeats) are output rounds exactly when the configuration is a fixed point",
            )
        x = frames.input_values()
    found = first_output_violation(sim, x, horizon)
    if found is None:
        raise RuntimeError(f"output violation of {bits(x)} does not replay; this is a bug")
    t, output = found
    return OutputCheck(
        OutputViolation(x, t, output),
        True,
        method,
        f"input {bits(x) or '(none)'}: round {t} is {'an' if output else 'not an'} output round"
        f" but configuration {t} is {'not ' if output else ''}a fixed point",
    )
