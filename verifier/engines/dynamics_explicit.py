"""Dynamics by enumeration of every input (DESIGN.md 2.6 and 4, "explicit-state").

All ``2**num_inputs`` inputs are simulated in chunks of lanes with the vectorised Brent search
of :mod:`verifier.engines.explicit` (:func:`~verifier.engines.explicit.find_lassos` gives each
lane's exact period and a round on its cycle, :func:`~verifier.engines.explicit.transients`
its exact transient). Then every valid lane is advanced to the chunk's largest transient
``R`` (so each lane's configuration is on its cycle), the lanes are deduplicated by that
configuration (and by the inputs the next-state functions read, if any: under different
inputs one configuration may lie on different cycles), and each distinct representative
walks its period once, bit-parallel, to list the cycle's states. Representatives already
covered by a listed cycle are skipped.

:func:`analyse` returns a complete :class:`~verifier.engines.dynamics.Dynamics` unless the
deadline passes; :func:`output_violation` checks the halting output condition for every
valid input over a window of rounds that covers the eventually periodic behaviour of both
the run and the output rounds (see its docstring). :func:`run_lasso` runs one input exactly
(the SAT engine simulates its witnesses with it) and :func:`lane_dynamics` one chunk of
lanes (the SAT engine seeds its loop with random inputs through it).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from verifier.engines.base import Options
from verifier.engines.dynamics import (
    Attractor,
    Dynamics,
    OutputCheck,
    OutputViolation,
    Witness,
    bits,
    inputs_read_by_next,
    row_strings,
    with_examples,
)
from verifier.engines.explicit import (
    CHUNK,
    MAX_INPUTS,
    PROGRESS_INTERVAL,
    chunk_size,
    equal_lanes,
    find_lassos,
    input_block,
    input_chunks,
    input_count_ok,
    input_space,
    lanes_of,
    transients,
)
from verifier.ir.simulate import ONES, BitSimulator, all_inputs, pack, simulate, unpack
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds

__all__ = [
    "LaneDynamics",
    "Lasso",
    "analyse",
    "first_output_violation",
    "lane_dynamics",
    "output_violation",
    "run_lasso",
]

WALK_CELLS = 1 << 25
"""Bound on ``period x lanes x state bits`` recorded at once when walking cycles."""

CHECK_EVERY = 256
"""Single-input runs look at the clock every this many rounds."""


# --- helpers -----------------------------------------------------------------------------------


def _check_size(ts: TransitionSystem, max_inputs: int) -> None:
    if not input_count_ok(ts, max_inputs):
        raise ValueError(
            f"{ts.num_inputs} inputs give 2^{ts.num_inputs} input combinations, above the"
            f" explicit limit of {max_inputs}"
        )


# --- one input ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lasso:
    """The exact lasso of one input: ``valid`` (the assumptions hold), the ``transient`` mu,
    the ``period`` lambda and the ``cycle`` (configurations ``mu .. mu+lambda-1``)."""

    inputs: tuple[bool, ...]
    valid: bool
    transient: int
    period: int
    cycle: tuple[str, ...]

    @property
    def attractor(self) -> Attractor:
        return Attractor.of_cycle(self.cycle)


def run_lasso(
    system: TransitionSystem | BitSimulator,
    inputs: Sequence[bool],
    options: Options | None = None,
) -> Lasso | None:
    """Run one input until a configuration repeats (every configuration is remembered, so
    memory grows with the lasso); None if ``options.deadline`` passes first."""
    options = options or Options()
    sim = system if isinstance(system, BitSimulator) else BitSimulator(system)
    ts = sim.ts
    inputs = tuple(bool(b) for b in inputs)
    if len(inputs) != ts.num_inputs:
        raise ValueError(f"expected {ts.num_inputs} input bits, got {len(inputs)}")
    words = pack(np.array([inputs], dtype=bool).reshape(1, ts.num_inputs))
    state, valid_words = sim.initial(words)
    seen: dict[bytes, int] = {}
    history: list[np.ndarray] = []
    t = 0
    while True:
        key = (state & np.uint64(1)).tobytes()  # lane 0 only: padding lanes run too
        if key in seen:
            mu = seen[key]
            cycle = (np.stack(history[mu:])[:, :, 0] & np.uint64(1)).astype(bool)
            states = row_strings(cycle.reshape(t - mu, ts.num_state))
            return Lasso(inputs, bool(valid_words[0] & 1), mu, t - mu, tuple(states))
        seen[key] = t
        history.append(state)
        state = sim.step(state, words)
        t += 1
        if t % CHECK_EVERY == 0 and options.expired():
            return None


def first_output_violation(
    system: TransitionSystem | BitSimulator, inputs: Sequence[bool], rounds: int
) -> tuple[int, bool] | None:
    """For one input, the first round ``t < rounds`` in which "t is an output round" differs
    from ``config_t == config_{t+1}``, with whether t is an output round; None if none."""
    sim = system if isinstance(system, BitSimulator) else BitSimulator(system)
    result = simulate(sim, np.array([tuple(inputs)], dtype=bool), rounds)
    configs, outputs = result.configs[:, 0], result.outputs[:, 0]
    for t in range(rounds):
        fixed = bool(np.array_equal(configs[t], configs[t + 1]))
        if bool(outputs[t]) != fixed:
            return t, bool(outputs[t])
    return None


# --- one chunk of lanes ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LaneDynamics:
    """Per lane of a chunk: ``valid``, the exact ``transient`` and ``period`` (-1 and 0 for
    invalid lanes); ``attractors`` maps each attractor of the valid lanes to the lowest lane
    whose run ends in it."""

    valid: np.ndarray
    transient: np.ndarray
    period: np.ndarray
    attractors: dict[Attractor, int]

    def example(self, attractor: Attractor, inputs: np.ndarray) -> Witness:
        """The attractor's example: its lowest lane, whose input is row ``lane`` of the
        ``(count, num_inputs)`` bool array ``inputs``."""
        lane = self.attractors[attractor]
        x = tuple(bool(b) for b in inputs[lane])
        return Witness(x, int(self.transient[lane]), int(self.period[lane]))


def lane_dynamics(
    sim: BitSimulator,
    input_words: np.ndarray,
    mask: np.ndarray,
    *,
    count: int,
    options: Options | None = None,
    label: str = "dynamics",
) -> LaneDynamics | None:
    """Lassos and cycles of the ``count`` lanes of ``input_words`` in ``mask`` (see the module
    docstring); None if ``options.deadline`` passes first."""
    options = options or Options()
    lassos = find_lassos(sim, input_words, mask, count=count, options=options, label=label)
    if lassos.interrupted:
        return None
    valid = lassos.valid
    if not valid.any():
        empty = np.full(count, -1, dtype=np.int64)
        return LaneDynamics(valid, empty, np.zeros(count, dtype=np.int64), {})
    mu = transients(sim, input_words, lassos, options)
    if mu is None:
        return None
    period = np.where(valid, lassos.period, 0)
    mu = np.where(valid, mu, -1)
    cycles = _cycles(sim, input_words, valid, mu, period, options)
    if cycles is None:
        return None
    return LaneDynamics(valid, mu, period, cycles)


def _cycles(
    sim: BitSimulator,
    input_words: np.ndarray,
    valid: np.ndarray,
    mu: np.ndarray,
    period: np.ndarray,
    options: Options,
) -> dict[Attractor, int] | None:
    """The cycles of the valid lanes, each with the lowest lane ending in it (see the module
    docstring)."""
    ts = sim.ts
    count = len(valid)
    n = ts.num_state
    state, _ = sim.initial(input_words)
    for _ in range(int(mu.max())):
        state = sim.step(state, input_words)
        if options.expired():
            return None
    lanes = np.flatnonzero(valid)
    on_cycle = unpack(state, count)[lanes]  # (k, n): each lane's state is on its cycle
    inputs = unpack(input_words, count)[lanes]  # (k, num_inputs)
    relevant = list(inputs_read_by_next(ts))
    keys = np.concatenate([on_cycle, inputs[:, relevant]], axis=1)
    packed = np.packbits(keys, axis=1) if keys.shape[1] else np.zeros((len(keys), 1), np.uint8)
    _, first = np.unique(packed, axis=0, return_index=True)
    # The representatives: the lowest lane of each distinct (configuration, relevant inputs).
    rep_rows = first
    # The attractor of every key on a listed cycle; fixed points need no walk.
    covered: dict[bytes, Attractor] = {}
    one = period[lanes[rep_rows]] == 1
    for row, text in zip(rep_rows[one], row_strings(on_cycle[rep_rows[one]]), strict=True):
        covered[packed[row].tobytes()] = Attractor((text,))
    rest = rep_rows[~one]
    rest = rest[np.argsort(period[lanes[rest]], kind="stable")]
    i = 0
    while i < len(rest):
        # A batch of representatives not yet on a listed cycle (periods ascending, so the
        # last one taken has the longest walk; the recorded walk stays within WALK_CELLS).
        batch: list[int] = []
        while i < len(rest) and len(batch) < 4096:
            row = int(rest[i])
            p = int(period[lanes[row]])
            if batch and p * (len(batch) + 1) * max(n, 1) > WALK_CELLS:
                break
            if packed[row].tobytes() not in covered:
                batch.append(row)
            i += 1
        if not batch:
            continue
        rows = np.array(batch)
        periods = period[lanes[rows]]
        steps = int(periods.max())
        st = pack(on_cycle[rows])
        words = pack(inputs[rows])
        record = np.empty((steps, n, st.shape[1]), dtype=np.uint64)
        for t in range(steps):
            record[t] = st
            st = sim.step(st, words)
            if options.expired():
                return None
        walked = unpack(record, len(rows))  # (steps, lanes, n)
        for k, row in enumerate(batch):
            p = int(periods[k])
            cycle = walked[:p, k]
            attractor = Attractor.of_cycle(row_strings(cycle))
            rel = inputs[row, relevant]
            for state_row in cycle:
                key = np.concatenate([state_row, rel])
                covered[(np.packbits(key) if key.size else np.zeros(1, np.uint8)).tobytes()] = (
                    attractor
                )
    found: dict[Attractor, int] = {}
    for row in rep_rows:
        attractor = covered[packed[row].tobytes()]
        lane = int(lanes[row])
        if lane < found.get(attractor, count):
            found[attractor] = lane
    return found


# --- the analyses ------------------------------------------------------------------------------


def analyse(
    ts: TransitionSystem,
    options: Options | None = None,
    *,
    max_inputs: int = MAX_INPUTS,
    chunk: int = CHUNK,
) -> Dynamics:
    """Attractors and exact transient time of ``ts`` by running every input.

    Raises ValueError when ``2**num_inputs > max_inputs``. Complete unless
    ``options.deadline`` passes (then the attractors of the inputs finished so far are
    listed, ``max_period`` is None and ``detail`` says how many inputs were checked). The
    witness is the lowest input (in the order of :func:`~verifier.ir.simulate.all_inputs`)
    attaining the transient, and each attractor's example the lowest input ending in it.
    """
    options = options or Options()
    _check_size(ts, max_inputs)
    n = ts.num_inputs
    total = input_space(n)
    sim = BitSimulator(ts)
    chunk = chunk_size(ts, chunk)
    found: dict[Attractor, Witness] = {}  # the lowest input ending in each attractor
    best: Witness | None = None
    valid_count = done = 0
    method = f"explicit ({total} input{'s' * (total != 1)})"
    last_report = time.monotonic()
    for start, count in input_chunks(n, chunk):
        words, mask = input_block(n, start, count)
        label = f"dynamics: inputs {start}..{start + count - 1} of {total}"
        lanes = lane_dynamics(sim, words, mask, count=count, options=options, label=label)
        if lanes is None:
            attractors, examples = with_examples(found)
            return Dynamics(
                attractors=attractors,
                examples=examples,
                complete=False,
                max_period=None,
                transient=None,
                witness=best,
                method=method,
                detail=f"deadline reached after {done} of the {total} inputs; the attractors"
                " of those are listed, others may exist",
                valid_inputs=True,
            )
        if lanes.attractors:
            inputs = all_inputs(n, start, count)
            for attractor in lanes.attractors:
                if attractor not in found:  # earlier chunks hold lower inputs
                    found[attractor] = lanes.example(attractor, inputs)
        valid_count += int(np.count_nonzero(lanes.valid))
        done += count
        if lanes.valid.any():
            lane = int(np.argmax(lanes.transient))  # first lane with the largest transient
            mu = int(lanes.transient[lane])
            if best is None or mu > best.transient:
                x = tuple(bool(b) for b in all_inputs(n, start + lane, 1)[0])
                best = Witness(x, mu, int(lanes.period[lane]))
        now = time.monotonic()
        if now - last_report >= PROGRESS_INTERVAL:
            last_report = now
            options.report(f"dynamics: {done} of {total} inputs done")
    if valid_count == 0:
        return Dynamics(
            (),
            True,
            None,
            None,
            None,
            method,
            "no input satisfies the assumptions",
            valid_inputs=False,
        )
    attractors, examples = with_examples(found)
    assert best is not None
    return Dynamics(
        attractors=attractors,
        examples=examples,
        complete=True,
        max_period=None,
        transient=best.transient,
        witness=best,
        method=method,
        detail=f"ran all {valid_count} valid inputs (of {total}) to the end of their lassos:"
        f" {len(attractors)} attractor(s), transient time {best.transient}",
    )


def _horizons(ts: TransitionSystem, mu: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Per lane, rounds ``0..h-1`` to check: past them both "output round" and "fixed
    point" repeat what was checked. For an output literal both are functions of the
    configuration, periodic with the lane's period from its transient on; for output rounds
    periodic with ``L`` from ``P`` on (:meth:`AttentionRounds.eventual_period`), the pair is
    periodic with ``lcm(period, L)`` from ``max(mu, P)`` on."""
    if isinstance(ts.output, AttentionRounds):
        prefix, step = ts.output.eventual_period()
        lcm = np.array([math.lcm(int(p), step) for p in period], dtype=np.int64)
        return np.maximum(mu, prefix) + lcm
    return mu + period


def output_violation(
    ts: TransitionSystem,
    options: Options | None = None,
    *,
    max_inputs: int = MAX_INPUTS,
    chunk: int = CHUNK,
) -> OutputCheck:
    """Check, for every valid input and every round t, that t is an output round iff
    ``config_t == config_{t+1}`` (the second condition of a halting program, DESIGN 2.6).

    Rounds ``0 .. h-1`` of each input are checked, ``h`` from :func:`_horizons`, which is
    enough for all rounds. A violation is reported for the lowest violating input, at its
    first violating round. Raises ValueError when ``2**num_inputs > max_inputs``; undecided
    when ``options.deadline`` passes.
    """
    options = options or Options()
    _check_size(ts, max_inputs)
    n = ts.num_inputs
    total = input_space(n)
    sim = BitSimulator(ts)
    chunk = chunk_size(ts, chunk)
    method = f"explicit ({total} input{'s' * (total != 1)})"
    rounds_output = ts.output if isinstance(ts.output, AttentionRounds) else None
    done = 0

    def timeout() -> OutputCheck:
        return OutputCheck(
            None,
            False,
            method,
            f"deadline reached: no violation for the first {done} of the {total} inputs",
        )

    for start, count in input_chunks(n, chunk):
        words, mask = input_block(n, start, count)
        lassos = find_lassos(sim, words, mask, count=count, options=options)
        if lassos.interrupted:
            return timeout()
        if not lassos.valid.any():
            done += count
            continue
        mu = transients(sim, words, lassos, options)
        if mu is None:
            return timeout()
        horizon = np.where(lassos.valid, _horizons(ts, mu, lassos.period), 0)
        first = np.full(count, -1, dtype=np.int64)
        live = pack(lassos.valid[:, None])[0]
        ends: dict[int, list[int]] = {}
        for lane in np.flatnonzero(lassos.valid):
            ends.setdefault(int(horizon[lane]), []).append(int(lane))
        state, _ = sim.initial(words)
        for t in range(int(horizon.max())):
            if t in ends:
                gone = np.zeros(count, dtype=bool)
                gone[ends[t]] = True
                live &= ~pack(gone[:, None])[0]
            if not live.any():
                break
            nxt, _, out = sim.evaluate(state, words)
            if rounds_output is not None:
                out = np.full(
                    live.shape, ONES if rounds_output.is_output_round(t) else 0, dtype=np.uint64
                )
            bad = (out ^ equal_lanes(state, nxt)) & live
            if bad.any():
                hit = lanes_of(bad)
                first[hit] = t
                live &= ~bad
            state = nxt
            if options.expired():
                return timeout()
        hits = np.flatnonzero(first >= 0)
        if hits.size:
            lane = int(hits[0])
            x = tuple(bool(b) for b in all_inputs(n, start + lane, 1)[0])
            t = int(first[lane])
            replay = first_output_violation(sim, x, t + 1)
            if replay is None or replay[0] != t:
                raise RuntimeError(
                    f"output violation of {bits(x)} at round {t} does not replay; this is a bug"
                )
            return OutputCheck(
                OutputViolation(x, t, replay[1]),
                True,
                method,
                f"input {bits(x)}: round {t} is {'an' if replay[1] else 'not an'} output round"
                f" but configuration {t} is {'not ' if replay[1] else ''}a fixed point",
            )
        done += count
    return OutputCheck(
        None,
        True,
        method,
        f"for all valid inputs (of {total}), every round is an output round exactly when its"
        " configuration is a fixed point",
    )
