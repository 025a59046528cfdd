"""Bit-parallel simulation of transition systems with numpy (DESIGN.md sections 4 and 5).

Many inputs run at once: input ``64*w + b`` of a batch is bit ``b`` of word ``w`` of every
signal, so one signal of ``k`` runs is a row of ``ceil(k / 64)`` uint64 words. The AIG is
evaluated level by level: gates are renumbered once so that each level occupies a contiguous
block of rows of a workspace, and per level numpy gathers the fanin rows (fancy indexing), ANDs
them into the level's block and writes the complements into a mirror block. Python work is
per level, not per gate; the complement of every signal is stored beside it, so a complemented
fanin is just a different row and costs no extra pass.

Public API: :func:`simulate` (whole runs, :class:`SimResult`), :func:`traces` (per-input
:class:`~verifier.trace.Trace`, for comparison with :mod:`verifier.reference`), :func:`step`
and :class:`BitSimulator` (one packed step, for explicit-state engines), :func:`pack`,
:func:`unpack` and :func:`all_inputs`.

>>> from verifier.formula import Var, Not
>>> from verifier.models import BnlProgram, Head
>>> from verifier.ir.compile import compile_model
>>> ts = compile_model(BnlProgram(heads=(Head("X", Not(Var("X"))),), print_=("X",)))
>>> result = simulate(ts, all_inputs(1), rounds=2)
>>> result.configs[:, :, 0].astype(int).tolist()  # rounds x inputs
[[0, 1], [1, 0], [0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from verifier.ir.aig import Aig
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds
from verifier.trace import Step, Trace

__all__ = [
    "BitSimulator",
    "SimResult",
    "all_inputs",
    "num_words",
    "pack",
    "simulate",
    "step",
    "traces",
    "unpack",
]

WORD_BITS = 64
ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


def num_words(k: int) -> int:
    """Words needed for ``k`` parallel runs."""
    return (k + WORD_BITS - 1) // WORD_BITS


def pack(bits: np.ndarray) -> np.ndarray:
    """Pack a ``(k, n)`` bool array (k runs of n signals) into ``(n, ceil(k/64))`` uint64
    words; run ``r`` is bit ``r % 64`` of word ``r // 64``; padding bits are 0."""
    bits = np.asarray(bits, dtype=bool)
    if bits.ndim != 2:
        raise ValueError(f"expected a (runs, signals) array, got shape {bits.shape}")
    k, n = bits.shape
    words = num_words(k)
    padded = np.zeros((words * WORD_BITS, n), dtype=bool)
    padded[:k] = bits
    # Little bit order within bytes and little-endian bytes within words: run r -> bit r.
    packed = np.packbits(padded, axis=0, bitorder="little")  # (8 * words, n) bytes
    return np.ascontiguousarray(packed.T).view("<u8").astype(np.uint64, copy=False)


def unpack(words: np.ndarray, k: int) -> np.ndarray:
    """Inverse of :func:`pack` on the last axis: ``(..., n, W)`` words to ``(..., k, n)``
    bools (the run axis moves before the signal axis)."""
    words = np.ascontiguousarray(words, dtype=np.uint64)
    as_bytes = words.astype("<u8", copy=False).view(np.uint8)
    bits = np.unpackbits(as_bytes, axis=-1, count=k, bitorder="little").astype(bool)
    return np.swapaxes(bits, -1, -2)


def all_inputs(n: int, start: int = 0, count: int | None = None) -> np.ndarray:
    """Inputs of ``n`` bits as a bool array with one row per input, in the lexicographic order
    of the bit strings (row i is i in binary, most significant bit = first input).

    By default all ``2**n`` of them; ``start`` and ``count`` select the block of inputs
    ``start .. start+count-1``, so that large input spaces can be enumerated in chunks.

    >>> all_inputs(2).astype(int).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> all_inputs(3, start=6).astype(int).tolist()
    [[1, 1, 0], [1, 1, 1]]
    """
    if not 0 <= n <= 62:
        raise ValueError(f"inputs of {n} bits cannot be enumerated")
    total = 1 << n
    if count is None:
        count = total - start
    if not (0 <= start <= total and 0 <= count <= total - start):
        raise ValueError(f"block {start}+{count} is not within the {total} inputs of {n} bits")
    if count * max(n, 1) > 1 << 31:
        raise ValueError(f"{count} inputs of {n} bits do not fit in memory; enumerate in chunks")
    rows = np.arange(start, start + count, dtype=np.int64)[:, None]
    shifts = np.arange(n - 1, -1, -1, dtype=np.int64)[None, :]
    return ((rows >> shifts) & 1).astype(bool)


@dataclass(frozen=True, eq=False)
class _Schedule:
    """A levelised evaluation plan for the cone of some root literals of an AIG.

    Workspace rows ``0..size-1`` hold signal values and rows ``size..2*size-1`` their
    complements: row 0 is the constant false, rows ``1..num_leaves`` the AIG's leaves, then the
    cone's gates grouped by level. Level ``i`` fills rows ``starts[i]:stops[i]`` from the
    workspace rows ``left[i]`` and ``right[i]``; only its first ``negs[i]`` gates are ever read
    complemented, so only those get a complement row. ``roots[r]`` is the workspace row of
    root literal ``r``.
    """

    num_leaves: int
    size: int
    starts: tuple[int, ...]
    stops: tuple[int, ...]
    negs: tuple[int, ...]
    left: tuple[np.ndarray, ...]
    right: tuple[np.ndarray, ...]
    roots: np.ndarray
    num_gates: int
    max_width: int

    @staticmethod
    def build(aig: Aig, roots: Sequence[int]) -> _Schedule:
        first, num_vars = aig.first_and_var, aig.num_vars
        root_lits = np.asarray(roots, dtype=np.int64).reshape(-1)
        needed = np.frombuffer(bytes(aig.cone(root_lits.tolist())), dtype=bool)
        gates = first + np.flatnonzero(needed[first:])
        fanins = np.array([aig.left, aig.right], dtype=np.int64).reshape(2, -1)[:, gates - first]
        # Which variables are read complemented (by a gate in the cone or as a root).
        negated = np.zeros(num_vars, dtype=bool)
        for lits in (fanins[0], fanins[1], root_lits):
            negated[lits[(lits & 1) == 1] >> 1] = True
        # By level, complemented-read gates first within a level; gates of one level do not
        # read each other, so any order within a level is topological.
        level = np.asarray(aig.levels(), dtype=np.int64)[gates]
        order = np.lexsort((~negated[gates], level))
        gates, level, fanins = gates[order], level[order], fanins[:, order]
        row = np.zeros(num_vars, dtype=np.intp)
        row[:first] = np.arange(first)
        row[gates] = np.arange(first, first + len(gates))
        size = first + len(gates)

        def rows(lits: np.ndarray) -> np.ndarray:
            out = row[lits >> 1] + size * (lits & 1)
            out.flags.writeable = False
            return out

        begins = np.flatnonzero(np.diff(level, prepend=-1))  # where each level starts
        ends = np.append(begins[1:], len(gates))[: len(begins)]
        no_gates = np.zeros(0, dtype=np.int64)
        negs = np.add.reduceat(negated[gates], begins) if len(gates) else no_gates
        cuts = begins[1:]
        return _Schedule(
            num_leaves=aig.num_inputs,
            size=size,
            starts=tuple((first + begins).tolist()),
            stops=tuple((first + ends).tolist()),
            negs=tuple(negs.tolist()),
            left=tuple(np.split(rows(fanins[0]), cuts)) if len(gates) else (),
            right=tuple(np.split(rows(fanins[1]), cuts)) if len(gates) else (),
            roots=rows(root_lits),
            num_gates=len(gates),
            max_width=int((ends - begins).max(initial=0)),
        )


class _Workspace:
    """Scratch arrays for evaluating a :class:`_Schedule` on ``words`` words per signal."""

    def __init__(self, schedule: _Schedule, words: int) -> None:
        self.values = np.zeros((2 * schedule.size, words), dtype=np.uint64)
        self.values[schedule.size] = ONES  # complement of the constant false
        self.buf_a = np.empty((schedule.max_width, words), dtype=np.uint64)
        self.buf_b = np.empty((schedule.max_width, words), dtype=np.uint64)


def _evaluate(schedule: _Schedule, ws: _Workspace, leaves: np.ndarray) -> None:
    """Fill ``ws.values`` from the leaf words ``leaves`` (``num_leaves`` rows)."""
    values, size, n = ws.values, schedule.size, schedule.num_leaves
    values[1 : 1 + n] = leaves
    np.invert(values[1 : 1 + n], out=values[size + 1 : size + 1 + n])
    for start, stop, neg, left, right in zip(
        schedule.starts, schedule.stops, schedule.negs, schedule.left, schedule.right, strict=True
    ):
        m = stop - start
        a, b = ws.buf_a[:m], ws.buf_b[:m]
        # mode="clip" skips the bounds check; the rows were computed in range.
        np.take(values, left, axis=0, out=a, mode="clip")
        np.take(values, right, axis=0, out=b, mode="clip")
        np.bitwise_and(a, b, out=values[start:stop])
        if neg:
            np.invert(values[start : start + neg], out=values[size + start : size + start + neg])


class BitSimulator:
    """A transition system prepared for bit-parallel simulation (schedules built once).

    All state and input arguments are packed words: ``(num_state, W)`` and ``(num_inputs, W)``
    uint64 arrays for ``64 * W`` runs (see :func:`pack`). Workspaces are cached per ``W``; the
    object is not thread-safe.
    """

    def __init__(self, ts: TransitionSystem) -> None:
        self.ts = ts
        n_in, n_state = ts.num_inputs, ts.num_state
        out = () if ts.output_lit is None else (ts.output_lit,)
        # Init and assumptions read inputs only; next state, print and output read both.
        self._init: _Schedule | None = None  # built on first use: many callers only step
        self._step = _Schedule.build(ts.aig, (*ts.next_state, *ts.print_, *out))
        self._n_in, self._n_state, self._n_print = n_in, n_state, len(ts.print_)
        self._workspaces: dict[tuple[int, int], _Workspace] = {}

    @property
    def num_step_gates(self) -> int:
        """AND gates evaluated per step (the cone of next state, print and output)."""
        return self._step.num_gates

    @property
    def num_levels(self) -> int:
        return len(self._step.starts)

    def _workspace(self, which: int, schedule: _Schedule, words: int) -> _Workspace:
        key = (which, words)
        ws = self._workspaces.get(key)
        if ws is None:
            ws = self._workspaces[key] = _Workspace(schedule, words)
        return ws

    def _leaves(self, state: np.ndarray | None, inputs: np.ndarray) -> np.ndarray:
        words = inputs.shape[1]
        if inputs.shape[0] != self._n_in:
            raise ValueError(f"expected {self._n_in} input rows, got {inputs.shape[0]}")
        if state is None:
            state = np.zeros((self._n_state, words), dtype=np.uint64)
        elif state.shape != (self._n_state, words):
            raise ValueError(f"expected state words of shape {(self._n_state, words)}")
        return np.concatenate([inputs, state]).astype(np.uint64, copy=False)

    def initial(self, input_words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Round-0 state words and the words of valid inputs (all assumptions true)."""
        if self._init is None:
            self._init = _Schedule.build(self.ts.aig, (*self.ts.init, *self.ts.assumptions))
        sched = self._init
        ws = self._workspace(0, sched, input_words.shape[1])
        _evaluate(sched, ws, self._leaves(None, input_words))
        roots = ws.values[sched.roots]
        valid = np.bitwise_and.reduce(roots[self._n_state :], axis=0, initial=ONES)
        return roots[: self._n_state], valid

    def evaluate(
        self, state_words: np.ndarray, input_words: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Next-state words, print words ``(num_print, W)`` and output words ``(W,)`` (None
        for a fixed set of output rounds) of the given round."""
        sched = self._step
        ws = self._workspace(1, sched, input_words.shape[1])
        _evaluate(sched, ws, self._leaves(state_words, input_words))
        roots = ws.values[sched.roots]
        n, p = self._n_state, self._n_print
        output = None if self.ts.output_lit is None else roots[n + p]
        return roots[:n], roots[n : n + p], output

    def step(self, state_words: np.ndarray, input_words: np.ndarray) -> np.ndarray:
        """The next-state words of a packed batch of states (one round)."""
        return self.evaluate(state_words, input_words)[0]


def step(
    system: TransitionSystem | BitSimulator, state_words: np.ndarray, input_words: np.ndarray
) -> np.ndarray:
    """One synchronous step of a packed batch: ``(num_state, W)`` state words and
    ``(num_inputs, W)`` input words to the ``(num_state, W)`` next-state words.

    Pass a :class:`BitSimulator` when stepping repeatedly: a bare system is re-scheduled on
    every call.
    """
    sim = system if isinstance(system, BitSimulator) else BitSimulator(system)
    return sim.step(state_words, input_words)


@dataclass(frozen=True, eq=False)
class SimResult:
    """Packed result of :func:`simulate` for ``k`` runs of rounds ``0..rounds``.

    The ``*_words`` arrays are packed (see :func:`pack`); the properties unpack them to
    ``configs`` ``(rounds+1, k, num_state)``, ``outputs`` ``(rounds+1, k)``, ``prints``
    ``(rounds+1, k, num_print)`` and ``valid`` ``(k,)`` (input satisfies the assumptions).
    """

    k: int
    state_words: np.ndarray
    output_words: np.ndarray
    print_words: np.ndarray
    valid_words: np.ndarray

    @property
    def rounds(self) -> int:
        return self.state_words.shape[0] - 1

    @cached_property
    def configs(self) -> np.ndarray:
        return unpack(self.state_words, self.k)

    @cached_property
    def outputs(self) -> np.ndarray:
        return unpack(self.output_words[:, None, :], self.k)[:, :, 0]

    @cached_property
    def prints(self) -> np.ndarray:
        return unpack(self.print_words, self.k)

    @cached_property
    def valid(self) -> np.ndarray:
        return unpack(self.valid_words[None, :], self.k)[:, 0]

    def trace(self, run: int) -> Trace:
        """The :class:`~verifier.trace.Trace` of run ``run``, as the reference reports it."""
        configs, outputs, prints = self.configs[:, run], self.outputs[:, run], self.prints[:, run]
        return tuple(
            Step(t, _bits(configs[t]), bool(outputs[t]), _bits(prints[t]))
            for t in range(self.rounds + 1)
        )


def _bits(row: np.ndarray) -> str:
    return "".join("1" if b else "0" for b in row)


def simulate(
    system: TransitionSystem | BitSimulator,
    inputs: np.ndarray,
    rounds: int,
    *,
    record_configs: bool = True,
    chunk_words: int = 64,
) -> SimResult:
    """Run every row of ``inputs`` (a ``(k, num_inputs)`` bool array) for rounds ``0..rounds``.

    Semantics of DESIGN.md 2.2-2.4 on the IR: round 0 is the init literals on the input; round
    t+1 the next-state literals on round t. Inputs violating the assumptions are simulated too
    and flagged in :attr:`SimResult.valid`. With ``record_configs=False`` only the last
    configuration is kept (``state_words`` then has one row) to save memory on long runs.
    Runs are simulated ``64 * chunk_words`` at a time.
    """
    sim = system if isinstance(system, BitSimulator) else BitSimulator(system)
    ts = sim.ts
    inputs = np.asarray(inputs, dtype=bool)
    if inputs.ndim != 2 or inputs.shape[1] != ts.num_inputs:
        raise ValueError(f"expected inputs of shape (k, {ts.num_inputs}), got {inputs.shape}")
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 0:
        raise ValueError(f"rounds must be a non-negative integer, got {rounds!r}")
    if chunk_words < 1:
        raise ValueError(f"chunk_words must be >= 1, got {chunk_words}")
    k = inputs.shape[0]
    in_words = pack(inputs)
    words = in_words.shape[1]
    kept = rounds + 1 if record_configs else 1
    states = np.empty((kept, ts.num_state, words), dtype=np.uint64)
    prints = np.empty((rounds + 1, len(ts.print_), words), dtype=np.uint64)
    outputs = np.empty((rounds + 1, words), dtype=np.uint64)
    valid = np.empty(words, dtype=np.uint64)
    fixed_rounds = ts.output if isinstance(ts.output, AttentionRounds) else None
    if fixed_rounds is not None:
        for t in range(rounds + 1):
            outputs[t] = ONES if fixed_rounds.is_output_round(t) else 0
    # Runs are independent: simulate them in chunks of words so that the workspace stays
    # small (cache-friendly, and bounded memory for large batches).
    for lo in range(0, words, chunk_words):
        hi = min(lo + chunk_words, words)
        chunk = np.ascontiguousarray(in_words[:, lo:hi])
        state, valid[lo:hi] = sim.initial(chunk)
        for t in range(rounds + 1):
            if record_configs:
                states[t, :, lo:hi] = state
            nxt, prints[t, :, lo:hi], out = sim.evaluate(state, chunk)
            if out is not None:
                outputs[t, lo:hi] = out
            if t < rounds:
                state = nxt
        if not record_configs:
            states[0, :, lo:hi] = state
    return SimResult(k, states, outputs, prints, valid)


def traces(system: TransitionSystem | BitSimulator, inputs: np.ndarray, rounds: int) -> list[Trace]:
    """The trace of every row of ``inputs`` (see :func:`simulate`), comparable with
    :func:`verifier.reference.simulate`."""
    result = simulate(system, inputs, rounds)
    return [result.trace(r) for r in range(result.k)]
