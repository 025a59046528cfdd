"""The explicit-state engine: every valid input, every run to the end of its lasso
(DESIGN.md section 4, "explicit-state ... complete when the input space is small").

Inputs are frozen for a whole run, so a run is a deterministic walk through the
``2**latches`` states: it is eventually periodic, a *lasso* of a transient (tail) of ``mu``
rounds and a cycle of ``lambda`` rounds (DESIGN 2.6). The engine enumerates all ``2**n``
inputs in chunks of lanes, simulates a chunk bit-parallel (:class:`~verifier.ir.simulate.
BitSimulator`, 64 runs per uint64 word) and finds every lane's lasso with Brent's cycle
detection, vectorised: all lanes step in lock-step (the *hare*, one round per step), a
*tortoise* copy of the state is taken at rounds 0, 1, 3, 7, ..., 2**k - 1, and a lane is
closed when its hare equals its tortoise. Then the tortoise's round ``p`` is on the cycle
(``p >= mu``), the period is the gap (hare round - ``p``), and the hare has visited every
state of the lasso, each of which was checked for ``bad``.

Since all lanes are in the same round, the first round in which some open valid lane has
``bad`` is that lane's first bad round, and it is the smallest first-bad round of the chunk.
So the engine answers

* ``UNSAFE`` at the first such round, with the lowest such lane's input (the cex replays with
  :func:`~verifier.ir.safety.run_problem` to exactly that depth);
* ``SAFE`` when every valid input's lasso closed without ``bad`` (a complete argument: every
  reachable state of every valid input was checked);
* ``UNKNOWN`` if the input space exceeds ``max_inputs`` (:data:`MAX_INPUTS`) or the deadline
  passes, saying how many inputs were fully checked.

:func:`find_lassos` and :func:`transients` are the reusable parts (the asynchronous
comparison of :mod:`verifier.engines.explicit_async` uses them on transition systems).
``Options.bound`` does not apply: the engine is complete.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from verifier.engines.base import Cex, Options, Outcome, Status, register
from verifier.ir.safety import SafetyProblem, run_problem
from verifier.ir.simulate import BitSimulator, all_inputs, pack
from verifier.ir.system import TransitionSystem

__all__ = [
    "CHUNK",
    "MAX_INPUTS",
    "Lassos",
    "as_system",
    "chunk_size",
    "equal_lanes",
    "find_lassos",
    "input_block",
    "input_count_ok",
    "input_space",
    "lanes_of",
    "run",
    "transients",
]

MAX_INPUTS = 1 << 20
"""Default limit on the number of inputs (``2**num_inputs``) the engine enumerates."""

CHUNK = 1 << 16
"""Default number of inputs (lanes) simulated together."""

WORKSPACE_BYTES = 256 << 20
"""Chunks are made smaller when the simulator's workspace (two uint64 words per AIG variable
and word of lanes) would exceed this."""

PROGRESS_INTERVAL = 1.0
"""Seconds between progress lines within a chunk."""

REPLAY_BUDGET = 1_000_000
"""Counterexamples are replayed through :func:`run_problem` when rounds x gates is below this
(a self-check; the checks replay them again through the reference simulators)."""

_ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


# --- input spaces ------------------------------------------------------------------------------


def input_space(num_inputs: int) -> int:
    """The number of inputs of ``num_inputs`` bits (valid or not)."""
    return 1 << num_inputs


def input_count_ok(problem: SafetyProblem | TransitionSystem, limit: int = MAX_INPUTS) -> bool:
    """Whether the explicit engine would enumerate the inputs of ``problem`` (``2**n <=
    limit``); checks use it to choose this engine automatically."""
    return problem.num_inputs <= 62 and input_space(problem.num_inputs) <= limit


def chunk_size(system: SafetyProblem | TransitionSystem, chunk: int) -> int:
    """``chunk``, made smaller (a multiple of 64, at least 64) for a large AIG so that the
    simulator's workspace stays within :data:`WORKSPACE_BYTES`."""
    words = max(1, WORKSPACE_BYTES // (16 * system.aig.num_vars))
    return max(1, min(chunk, words * 64))


def input_chunks(num_inputs: int, chunk: int) -> Iterator[tuple[int, int]]:
    """``(start, count)`` blocks covering all inputs of ``num_inputs`` bits, in order."""
    if chunk < 1:
        raise ValueError(f"chunk must be >= 1, got {chunk}")
    total = input_space(num_inputs)
    for start in range(0, total, chunk):
        yield start, min(chunk, total - start)


def input_block(num_inputs: int, start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The packed words ``(num_inputs, W)`` of inputs ``start .. start+count-1`` (lane ``r``
    is input ``start + r``, see :func:`~verifier.ir.simulate.all_inputs`) and the ``(W,)``
    mask of the lanes in use (the padding lanes of the last word are 0)."""
    words = pack(all_inputs(num_inputs, start, count))
    return words, lane_mask(count)


def lane_mask(count: int) -> np.ndarray:
    """``(ceil(count/64),)`` words with the first ``count`` lane bits set."""
    return pack(np.ones((count, 1), dtype=bool))[0]


def lanes_of(mask: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
    """The lane numbers (ascending within each word) of the set bits of ``mask`` ``(w,)``;
    word ``i`` of ``mask`` is word ``idx[i]`` of the chunk (default: ``i``)."""
    nonzero = np.flatnonzero(mask)
    if nonzero.size == 0:
        return np.zeros(0, dtype=np.int64)
    as_bytes = np.ascontiguousarray(mask[nonzero]).astype("<u8", copy=False).view(np.uint8)
    bits = np.unpackbits(as_bytes.reshape(-1, 8), axis=1, bitorder="little")
    word, bit = np.nonzero(bits)
    base = nonzero if idx is None else idx[nonzero]
    return base[word].astype(np.int64) * 64 + bit


def equal_lanes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(W,)`` words: lanes where the ``(n, W)`` states ``a`` and ``b`` agree on every bit."""
    if a.shape[0] == 0:
        return np.full(a.shape[1], _ONES, dtype=np.uint64)
    return ~np.bitwise_or.reduce(a ^ b, axis=0)


def as_system(problem: SafetyProblem) -> TransitionSystem:
    """``problem`` as a transition system: latches as state bits, constraints as
    assumptions, ``bad`` as the output literal, no print bits (for :class:`BitSimulator`)."""
    return TransitionSystem(
        aig=problem.aig,
        input_names=problem.input_names,
        state_names=problem.latch_names,
        init=problem.init,
        next_state=problem.next_state,
        print_=(),
        print_names=(),
        output=problem.bad,
        assumptions=problem.constraints,
    )


# --- vectorised lasso detection ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Lassos:
    """Per lane of a chunk (arrays of length ``count``), what :func:`find_lassos` found.

    ``valid``: the lane was considered (in the chunk's mask and satisfying the assumptions).
    ``closed``: its lasso closed. ``on_cycle``: a round whose state is on the cycle (so the
    transient is at most this; -1 if not closed). ``period``: the exact cycle length (0 if not
    closed). ``rounds``: rounds simulated. ``bad``: ``(lane, round)`` of the first bad state
    if the search stopped there. ``interrupted``: the deadline stopped it.
    """

    valid: np.ndarray
    closed: np.ndarray
    on_cycle: np.ndarray
    period: np.ndarray
    rounds: int
    bad: tuple[int, int] | None = None
    interrupted: bool = False

    @property
    def count(self) -> int:
        return int(self.valid.shape[0])

    @property
    def complete(self) -> bool:
        """Every valid lane's lasso closed."""
        return bool(np.all(self.closed[self.valid]))


class _Batch:
    """The words still being simulated: ``idx`` maps them to the chunk's words.

    When at most half of them hold open lanes, they are compacted to the open words, padded
    with closed ones to a power of two (so that the simulator caches few workspace sizes).
    """

    def __init__(self, input_words: np.ndarray, open_: np.ndarray, *arrays: np.ndarray):
        self.idx = np.arange(input_words.shape[1])
        self.inputs = input_words
        self.open = open_
        self.arrays = list(arrays)

    def compact(self) -> None:
        live = np.flatnonzero(self.open)
        width = len(self.idx)
        target = 1 << max(0, (len(live) - 1).bit_length())
        if width < 16 or target > width // 2:
            return
        if target > len(live):
            dead = np.flatnonzero(self.open == 0)[: target - len(live)]
            live = np.sort(np.concatenate([live, dead]))
        self.idx = self.idx[live]
        self.inputs = np.ascontiguousarray(self.inputs[:, live])
        self.open = self.open[live]
        self.arrays = [np.ascontiguousarray(a[:, live]) for a in self.arrays]


def find_lassos(
    sim: BitSimulator,
    input_words: np.ndarray,
    mask: np.ndarray,
    *,
    count: int,
    watch_bad: bool = False,
    options: Options | None = None,
    label: str = "explicit",
) -> Lassos:
    """Brent's cycle detection on every lane of ``input_words`` in ``mask`` that satisfies
    the system's assumptions (``count`` lanes; see the module docstring).

    With ``watch_bad`` the system's output literal is the bad signal: the search stops at the
    first round in which an open lane's state is bad and reports the lowest such lane. Stops
    early (``interrupted``) when ``options.deadline`` passes; reports progress through
    ``options.report`` at most every :data:`PROGRESS_INTERVAL` seconds.
    """
    options = options or Options()
    n = count
    state, valid_words = sim.initial(input_words)
    open_ = mask & valid_words
    valid = np.zeros(n, dtype=bool)
    valid[lanes_of(open_)] = True
    closed = np.zeros(n, dtype=bool)
    on_cycle = np.full(n, -1, dtype=np.int64)
    period = np.zeros(n, dtype=np.int64)
    batch = _Batch(input_words, open_, state, state.copy())  # hare, tortoise
    t, saved, save_at = 0, 0, 0
    last_report = time.monotonic()

    def result(bad: tuple[int, int] | None = None, interrupted: bool = False) -> Lassos:
        return Lassos(valid, closed, on_cycle, period, t, bad, interrupted)

    while batch.open.any():
        hare, tortoise = batch.arrays
        nxt, _, bad = sim.evaluate(hare, batch.inputs)
        if watch_bad and bad is not None:
            hit = bad & batch.open
            if hit.any():
                return result(bad=(int(lanes_of(hit, batch.idx).min()), t))
        if t == save_at:
            tortoise[...] = hare
            saved, save_at = t, 2 * t + 1
        t += 1
        batch.arrays[0] = hare = nxt
        done = equal_lanes(hare, tortoise) & batch.open
        if done.any():
            lanes = lanes_of(done, batch.idx)
            closed[lanes] = True
            on_cycle[lanes] = saved
            period[lanes] = t - saved
            batch.open = batch.open & ~done
            batch.compact()
        if options.expired():
            return result(interrupted=True)
        now = time.monotonic()
        if now - last_report >= PROGRESS_INTERVAL:
            last_report = now
            open_lanes = int(np.count_nonzero(valid & ~closed))
            options.report(f"{label}: round {t}, {open_lanes} runs still open")
    return result()


def _select(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lane-wise ``mask ? a : b`` on packed words."""
    return (a & mask) | (b & ~mask)


def transients(
    sim: BitSimulator,
    input_words: np.ndarray,
    lassos: Lassos,
    options: Options | None = None,
) -> np.ndarray | None:
    """The exact transient ``mu`` of every closed lane of ``lassos`` (-1 for the others), or
    None if the deadline passed.

    Brent's second phase, vectorised: ``b`` is advanced by each lane's period (lanes freeze
    once they reach it), then ``a`` (from round 0) and ``b`` step together; a lane's
    transient is the first round where they agree (DESIGN 2.6: configuration t = t + p).
    """
    options = options or Options()
    n = lassos.count
    mu = np.full(n, -1, dtype=np.int64)
    x0, _ = sim.initial(input_words)
    b = x0.copy()
    for s in range(int(lassos.period.max(initial=0))):
        moving = pack((lassos.period > s)[:, None])[0]
        b = _select(moving, sim.step(b, input_words), b)
        if options.expired():
            return None
    a, words = x0, input_words.shape[1]
    open_ = pack(lassos.closed[:, None])[0]
    doubled = np.concatenate([input_words, input_words], axis=1)
    s = 0
    while True:
        done = equal_lanes(a, b) & open_
        if done.any():
            mu[lanes_of(done)] = s
            open_ &= ~done
        if not open_.any():
            return mu
        both = sim.step(np.concatenate([a, b], axis=1), doubled)
        a, b = both[:, :words], both[:, words:]
        s += 1
        if options.expired():
            return None


# --- the engine --------------------------------------------------------------------------------


def _bits(inputs: tuple[bool, ...]) -> str:
    return "".join("1" if b else "0" for b in inputs)


def _replay(problem: SafetyProblem, cex: Cex) -> None:
    """Raise RuntimeError unless ``cex`` is valid and first bad in round ``cex.depth``
    (skipped when too costly; see :data:`REPLAY_BUDGET`)."""
    if (cex.depth + 1) * (problem.aig.num_ands + 1) > REPLAY_BUDGET:
        return
    valid, bad = run_problem(problem, cex.inputs, cex.depth)
    if not (valid and bad[-1] and not any(bad[:-1])):
        raise RuntimeError(
            f"explicit engine: counterexample {_bits(cex.inputs)} at depth {cex.depth} does"
            " not replay; this is a bug"
        )


@register("explicit")
def run(
    problem: SafetyProblem,
    options: Options | None = None,
    *,
    max_inputs: int = MAX_INPUTS,
    chunk: int = CHUNK,
    lasso_lengths: bool = True,
) -> Outcome:
    """Decide ``problem`` by enumerating all ``2**n`` inputs (see the module docstring).

    ``chunk`` inputs are simulated together (fewer for a large AIG, see :func:`chunk_size`).
    Without a deadline the engine runs until every lasso has closed, which for a counter of
    many bits is never in practice: callers set a deadline and run engines in a killable
    process (:mod:`verifier.engines.process`). With ``lasso_lengths`` a SAFE answer reports
    the longest lasso exactly (transient + period over all valid inputs, the second phase of
    Brent's algorithm, roughly doubling the work); without it, only the longest period and
    the round by which every run had closed its lasso.
    """
    options = options or Options()
    n = problem.num_inputs
    if not input_count_ok(problem, max_inputs):
        return Outcome(
            Status.UNKNOWN,
            "explicit",
            f"not run: {n} inputs give 2^{n} input combinations, above the explicit limit of"
            f" {max_inputs}",
        )
    sim = BitSimulator(as_system(problem))
    chunk = chunk_size(problem, chunk)
    total = input_space(n)
    checked = valid_total = longest = longest_period = closed_by = 0
    started = last_report = time.monotonic()
    options.report(f"explicit: {total} inputs in chunks of {min(chunk, total)}")
    for start, count in input_chunks(n, chunk):
        words, mask = input_block(n, start, count)
        label = f"explicit: inputs {start}..{start + count - 1} of {total}"
        lassos = find_lassos(
            sim, words, mask, count=count, watch_bad=True, options=options, label=label
        )
        if lassos.bad is not None:
            lane, depth = lassos.bad
            cex = Cex(tuple(bool(b) for b in all_inputs(n, start + lane, 1)[0]), depth)
            _replay(problem, cex)
            return Outcome(
                Status.UNSAFE,
                "explicit",
                f"input {_bits(cex.inputs)} reaches bad in round {depth} (the earliest among"
                f" inputs {start}..{start + count - 1}; {checked} inputs checked before)",
                cex=cex,
            )
        if lassos.interrupted:
            return _timeout(checked + int(np.count_nonzero(lassos.closed)), total)
        valid_total += int(np.count_nonzero(lassos.valid))
        checked += int(np.count_nonzero(lassos.valid))
        longest_period = max(longest_period, int(lassos.period.max(initial=0)))
        closed_by = max(closed_by, lassos.rounds)
        if lasso_lengths and lassos.valid.any():
            mu = transients(sim, words, lassos, options)
            if mu is None:
                return _timeout(checked, total)
            longest = max(longest, int((mu + lassos.period)[lassos.valid].max()))
        now = time.monotonic()
        if now - last_report >= PROGRESS_INTERVAL:
            last_report = now
            done = start + count
            options.report(f"explicit: {done} of {total} inputs done, {now - started:.1f} s")
    if lasso_lengths:
        shape = f"longest lasso {longest} rounds"
    else:
        shape = f"every run closed its lasso by round {closed_by}"
    return Outcome(
        Status.SAFE,
        "explicit",
        f"checked all {valid_total} valid inputs (of {total}): bad unreachable; {shape},"
        f" longest period {longest_period}",
    )


def _timeout(checked: int, total: int) -> Outcome:
    return Outcome(
        Status.UNKNOWN,
        "explicit",
        f"deadline reached: {checked} of the {total} inputs fully checked (bad unreachable"
        " from them); the others were not finished",
    )
