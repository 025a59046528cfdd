"""Explicit asynchronous comparison of two transition systems (DESIGN.md 2.5 and 2.6).

Asynchronous equivalence: for every input satisfying both systems' assumptions, the *output
sequences* (the print strings at the output rounds, in order) are identical, including their
length (finite vs infinite). :func:`compare_output_sequences` decides it exactly for small
input spaces by enumeration:

1. every input is run on both sides; each side's run is eventually periodic in (state,
   phase of the output rounds). The state lasso comes from the vectorised Brent search of
   :func:`verifier.engines.explicit.find_lassos` (a round ``p`` on the cycle, the exact period
   ``lambda``). For an :class:`~verifier.models.attention.AttentionRounds` output (items are
   rounds and progressions ``a + b*k``) membership is periodic with ``L = lcm(steps)`` from
   ``P = max(int items + 1, starts)`` on; for an output literal, ``P = 0, L = 1``. So from
   round ``m = max(p, P)`` the pair (state, phase) repeats every ``lcm(lambda, L)`` rounds;
2. the output rounds and print strings of rounds ``0 .. m + period - 1`` are recorded
   (bit-parallel simulation), giving the sequence as ``u v^omega``: ``u`` the outputs before
   ``m``, ``v`` those of one period (empty ``v``: a finite sequence);
3. two such sequences are compared exactly: finite ones element by element and by length; a
   finite against an infinite one differs at the end of the finite one; two infinite ones are
   equal iff they agree on their first ``max(|u|, |u'|) + |v| + |v'|`` elements (Fine and
   Wilf: past both prefixes, a common segment with periods ``|v|`` and ``|v'|`` that long has
   period ``gcd``, and determines both tails).

When all sequences are equal the computation delay of DESIGN 2.5 is reported: whether one
``(D, C)`` satisfies ``t'_i = D * t_i + C`` for the output rounds ``t_i`` of A and ``t'_i``
of B of every input. Checked exactly on the same principle: the round differences are
eventually periodic in ``i``, so agreement on the first ``max(|u|, |u'|) + |v| + |v'| + 1``
rounds implies agreement everywhere.
"""

from __future__ import annotations

import enum
import math
import time
from dataclasses import dataclass

import numpy as np

from verifier.engines.base import Options
from verifier.engines.explicit import (
    MAX_INPUTS,
    PROGRESS_INTERVAL,
    Lassos,
    chunk_size,
    find_lassos,
    input_block,
    input_chunks,
    input_count_ok,
    input_space,
)
from verifier.ir.simulate import BitSimulator, all_inputs, simulate
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds

__all__ = [
    "AsyncComparison",
    "Delay",
    "Difference",
    "OutputSequence",
    "Verdict",
    "compare_output_sequences",
    "output_phase",
]

CHUNK = 1 << 12
"""Default number of inputs whose lassos are searched together."""

RECORD_BYTES = 64 << 20
"""Memory for the recorded output and print bits of one block of inputs (unpacked)."""


class Verdict(enum.Enum):
    EQUAL = "equal"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Difference:
    """The first distinguishing input and where its output sequences part.

    ``index`` is the 0-based number of the first output at which the sequences differ: both
    have it with different print strings, or only one has it (the other's sequence has
    ``index`` elements). ``round_*`` / ``print_*`` describe that output on each side (None
    where the side has no such output); ``length_*`` is each sequence's length (None:
    infinite).
    """

    inputs: tuple[bool, ...]
    index: int
    round_a: int | None
    round_b: int | None
    print_a: str | None
    print_b: str | None
    length_a: int | None
    length_b: int | None


@dataclass(frozen=True)
class Delay:
    """``t'_i = factor * t_i + offset`` for the i-th output rounds of A and B, for every
    input. ``determined`` is False when no input has two output rounds on which to measure
    ``factor`` (then ``factor = 1`` is the choice; with no output rounds at all, ``(1, 0)``
    holds vacuously)."""

    factor: int
    offset: int
    determined: bool = True

    def __str__(self) -> str:
        sign = "+" if self.offset >= 0 else "-"
        return f"t'_i = {self.factor}*t_i {sign} {abs(self.offset)}"


@dataclass(frozen=True)
class AsyncComparison:
    """The answer of :func:`compare_output_sequences`.

    ``checked``: valid inputs whose sequences were found equal (all of them for EQUAL; those
    before the distinguishing one for DIFFERENT); ``total``: the
    ``2**n`` inputs enumerated (valid or not). EQUAL carries ``delay`` (None when no single
    ``(D, C)`` fits every input); DIFFERENT carries ``difference``.
    """

    verdict: Verdict
    detail: str
    checked: int
    total: int
    delay: Delay | None = None
    difference: Difference | None = None


# --- one side's sequence on one input ----------------------------------------------------------


def output_phase(output: int | AttentionRounds) -> tuple[int, int]:
    """``(P, L)``: whether a round is an output round (by the rounds alone) is periodic with
    period ``L`` from round ``P`` on; ``(0, 1)`` for an output literal."""
    if not isinstance(output, AttentionRounds):
        return 0, 1
    ints = [item for item in output.items if isinstance(item, int)]
    progressions = [item for item in output.items if not isinstance(item, int)]
    start = max([t + 1 for t in ints] + [p.start for p in progressions], default=0)
    return start, math.lcm(*(p.step for p in progressions)) if progressions else 1


@dataclass(frozen=True, eq=False)
class OutputSequence:
    """An ultimately periodic output sequence: the output ``rounds`` (ascending) and their
    ``prints`` (bool rows) among rounds ``0 .. start + period - 1``. The first ``prefix`` of
    them lie before ``start``; the rest (the cycle) repeat every ``period`` rounds forever. An
    empty cycle means a finite sequence."""

    rounds: np.ndarray
    prints: np.ndarray
    prefix: int
    period: int

    @property
    def cycle(self) -> int:
        return len(self.rounds) - self.prefix

    @property
    def length(self) -> int | None:
        """The number of outputs, None if infinite."""
        return None if self.cycle else len(self.rounds)

    def take(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rounds and print rows of the first ``k`` outputs (``k <= length``)."""
        idx = np.arange(k)
        if k <= len(self.rounds):
            return self.rounds[:k], self.prints[:k]
        q, r = np.divmod(np.maximum(idx - self.prefix, 0), self.cycle)
        before = idx < self.prefix
        pos = np.where(before, idx, self.prefix + r)
        return self.rounds[pos] + np.where(before, 0, q * self.period), self.prints[pos]


def _sequence(outputs: np.ndarray, prints: np.ndarray, start: int, period: int) -> OutputSequence:
    """The sequence from one lane's recorded ``outputs`` ``(H,)`` and ``prints`` ``(H, p)``."""
    rounds = np.flatnonzero(outputs[: start + period])
    prefix = int(np.searchsorted(rounds, start))
    return OutputSequence(rounds, prints[rounds], prefix, period)


def _horizon(a: OutputSequence, b: OutputSequence) -> int:
    """How many leading outputs decide the comparison of two infinite sequences."""
    return max(a.prefix, b.prefix) + a.cycle + b.cycle


def first_difference(a: OutputSequence, b: OutputSequence) -> int | None:
    """The index of the first output where ``a`` and ``b`` differ (in print or existence),
    None if the sequences are equal (see the module docstring)."""
    la, lb = a.length, b.length
    finite = [x for x in (la, lb) if x is not None]
    k = min(finite) if finite else _horizon(a, b)
    pa, pb = a.take(k)[1], b.take(k)[1]
    differ = np.flatnonzero(np.any(pa != pb, axis=1))
    if differ.size:
        return int(differ[0])
    return None if la == lb else k


class _DelayFit:
    """Accumulates per-input output rounds and decides whether one ``(D, C)`` fits all."""

    def __init__(self) -> None:
        self.fit: tuple[int, int] | None = None
        self.points: set[tuple[int, int]] = set()
        self.broken = False

    def _holds(self, ra: np.ndarray, rb: np.ndarray) -> bool:
        assert self.fit is not None
        d, c = self.fit
        return bool(np.all(rb == d * ra + c))

    def _settle(self, fit: tuple[int, int]) -> None:
        self.fit = fit
        if fit[0] < 1 or not all(t2 == fit[0] * t1 + fit[1] for t1, t2 in self.points):
            self.broken = True

    def add(self, ra: np.ndarray, rb: np.ndarray) -> None:
        """The first output rounds of A (``ra``) and B (``rb``) on one input, equally many."""
        if self.broken or len(ra) == 0:
            return
        if self.fit is None and len(ra) >= 2:
            d, rem = divmod(int(rb[1] - rb[0]), int(ra[1] - ra[0]))
            if rem:
                self.broken = True
                return
            self._settle((d, int(rb[0]) - d * int(ra[0])))
        if self.fit is None:
            self.points.add((int(ra[0]), int(rb[0])))
        elif not self._holds(ra, rb):
            self.broken = True

    def result(self) -> Delay | None:
        if self.broken:
            return None
        if self.fit is not None:
            return Delay(*self.fit)
        if not self.points:
            return Delay(1, 0, determined=False)
        by_t = sorted(self.points)
        (t1, u1), (t2, u2) = by_t[0], by_t[-1]
        if t1 == t2:
            return Delay(1, u1 - t1, determined=False) if len(by_t) == 1 else None
        d, rem = divmod(u2 - u1, t2 - t1)
        if rem or d < 1 or not all(u == d * t + (u1 - d * t1) for t, u in by_t):
            return None
        return Delay(d, u1 - d * t1)


# --- the comparison ----------------------------------------------------------------------------


def _bits(row: np.ndarray | tuple[bool, ...]) -> str:
    return "".join("1" if b else "0" for b in row)


def _start_period(lassos: Lassos, phase: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Per lane: the round ``m`` from which (state, phase) is periodic, and that period."""
    start = np.maximum(lassos.on_cycle, phase[0])
    period = np.lcm(lassos.period, phase[1])
    return start, period


@dataclass(frozen=True, eq=False)
class _Side:
    """One system prepared for the comparison."""

    ts: TransitionSystem
    sim: BitSimulator
    phase: tuple[int, int]

    @staticmethod
    def of(ts: TransitionSystem) -> _Side:
        return _Side(ts, BitSimulator(ts), output_phase(ts.output))


def _check_aligned(a: TransitionSystem, b: TransitionSystem) -> None:
    if a.num_inputs != b.num_inputs:
        raise ValueError(
            f"the systems have {a.num_inputs} and {b.num_inputs} inputs; align them first"
        )
    if len(a.print_) != len(b.print_):
        raise ValueError(
            f"the systems have {len(a.print_)} and {len(b.print_)} print bits; output"
            " sequences of different widths are not comparable"
        )


def _difference_at(
    inputs: tuple[bool, ...], index: int, a: OutputSequence, b: OutputSequence
) -> Difference:
    def at(seq: OutputSequence) -> tuple[int | None, str | None]:
        length = seq.length
        if length is not None and index >= length:
            return None, None
        rounds, prints = seq.take(index + 1)
        return int(rounds[index]), _bits(prints[index])

    (ra, pa), (rb, pb) = at(a), at(b)
    return Difference(inputs, index, ra, rb, pa, pb, a.length, b.length)


def _describe(d: Difference) -> str:
    def side(name: str, rnd: int | None, prt: str | None, length: int | None) -> str:
        if rnd is None:
            return f"{name}'s sequence ends after {length} outputs"
        return f"{name} prints {prt or '(empty)'} in round {rnd}"

    a = side("A", d.round_a, d.print_a, d.length_a)
    b = side("B", d.round_b, d.print_b, d.length_b)
    return f"input {_bits(d.inputs) or '(empty)'}: output {d.index} differs: {a}, {b}"


def compare_output_sequences(
    system_a: TransitionSystem,
    system_b: TransitionSystem,
    options: Options | None = None,
    *,
    max_inputs: int = MAX_INPUTS,
    chunk: int = CHUNK,
) -> AsyncComparison:
    """Decide asynchronous equivalence (DESIGN 2.5) of two systems by enumeration.

    The inputs must be aligned by the caller (same count, same order; input ``i`` of A is
    input ``i`` of B), and the print widths equal (ValueError otherwise). Every input valid
    for both (all assumptions of both) is compared exactly (see the module docstring).
    Returns EQUAL with the observed delay, DIFFERENT with the first distinguishing input (in
    the order of :func:`~verifier.ir.simulate.all_inputs`), or UNKNOWN when the deadline of
    ``options`` passes or ``2**n`` exceeds ``max_inputs``, saying how many inputs were compared.
    """
    options = options or Options()
    _check_aligned(system_a, system_b)
    n = system_a.num_inputs
    total = input_space(n) if n <= 62 else 0
    if not input_count_ok(system_a, max_inputs):
        return AsyncComparison(
            Verdict.UNKNOWN,
            f"not run: {n} inputs give 2^{n} input combinations, above the explicit limit of"
            f" {max_inputs}",
            0,
            total,
        )
    sides = (_Side.of(system_a), _Side.of(system_b))
    chunk = min(chunk_size(system_a, chunk), chunk_size(system_b, chunk))
    fit = _DelayFit()
    checked = 0
    started = last_report = time.monotonic()
    options.report(f"explicit-async: {total} inputs in chunks of {min(chunk, total)}")
    for start, count in input_chunks(n, chunk):
        compared, interrupted, difference = _compare_chunk(sides, start, count, fit, options)
        checked += compared
        if difference is not None:
            return AsyncComparison(
                Verdict.DIFFERENT, _describe(difference), checked, total, difference=difference
            )
        if interrupted:
            return AsyncComparison(
                Verdict.UNKNOWN,
                f"deadline reached: {checked} valid inputs compared (equal output sequences"
                f" on all of them); the rest of the {total} inputs were not",
                checked,
                total,
            )
        now = time.monotonic()
        if now - last_report >= PROGRESS_INTERVAL:
            last_report = now
            done = start + count
            options.report(f"explicit-async: {done} of {total} inputs done, {now - started:.1f} s")
    delay = fit.result()
    if delay is None:
        relation = "the output rounds are not related by one t'_i = D*t_i + C for all inputs"
    elif not delay.determined and not fit.points:
        relation = "no output rounds on either side"
    else:
        relation = f"output rounds: {delay} for every input"
        if not delay.determined:
            relation += " (D not determined: no input has two output rounds)"
    return AsyncComparison(
        Verdict.EQUAL,
        f"equal output sequences for all {checked} valid inputs (of {total}); {relation}",
        checked,
        total,
        delay=delay,
    )


def _compare_chunk(
    sides: tuple[_Side, _Side], start: int, count: int, fit: _DelayFit, options: Options
) -> tuple[int, bool, Difference | None]:
    """Compare the inputs ``start .. start+count-1``: (number of valid inputs found equal,
    whether the deadline interrupted, the first difference)."""
    n = sides[0].ts.num_inputs
    words, mask = input_block(n, start, count)
    for side in sides:
        mask = mask & side.sim.initial(words)[1]
    lassos = []
    for name, side in zip("AB", sides, strict=True):
        label = f"explicit-async: {name}, inputs {start}..{start + count - 1}"
        found = find_lassos(side.sim, words, mask, count=count, options=options, label=label)
        if found.interrupted:
            return 0, True, None
        lassos.append(found)
    valid = lassos[0].valid
    bounds = [_start_period(lasso, side.phase) for lasso, side in zip(lassos, sides, strict=True)]
    horizon = [s + p for s, p in bounds]
    width = max(1, len(sides[0].ts.print_))
    longest = max(int(h[valid].max(initial=1)) for h in horizon)
    block = max(64, RECORD_BYTES // (longest * (width + 1) * 2) // 64 * 64)
    compared = 0
    for lo in range(0, count, block):
        hi = min(count, lo + block)
        lanes = np.flatnonzero(valid[lo:hi]) + lo
        if lanes.size == 0:
            continue
        if options.expired():
            return compared, True, None
        inputs = all_inputs(n, start + lo, hi - lo)
        records = [
            simulate(side.sim, inputs, int(h[lanes].max()) - 1, record_configs=False)
            for side, h in zip(sides, horizon, strict=True)
        ]
        outs = [r.outputs for r in records]
        prints = [r.prints for r in records]
        for lane in lanes:
            seqs = [
                _sequence(outs[k][:, lane - lo], prints[k][:, lane - lo], *_lane(bounds[k], lane))
                for k in range(2)
            ]
            index = first_difference(*seqs)
            if index is not None:
                bits = tuple(bool(b) for b in inputs[lane - lo])
                return compared, False, _difference_at(bits, index, *seqs)
            _fit_lane(fit, *seqs)
            compared += 1
            if compared % 256 == 0 and options.expired():
                return compared, True, None
    return compared, False, None


def _lane(bounds: tuple[np.ndarray, np.ndarray], lane: int) -> tuple[int, int]:
    return int(bounds[0][lane]), int(bounds[1][lane])


def _fit_lane(fit: _DelayFit, a: OutputSequence, b: OutputSequence) -> None:
    """Feed the output rounds of one input with equal sequences to the delay fit."""
    length = a.length
    k = _horizon(a, b) + 1 if length is None else length
    fit.add(a.take(k)[0], b.take(k)[0])
