"""Results of the dynamics analyses (DESIGN.md 2.6): transient time, attractors, halting.

Two engines compute them on a :class:`~verifier.ir.system.TransitionSystem`:
:mod:`verifier.engines.dynamics_explicit` (every input, bit-parallel simulation) and
:mod:`verifier.engines.dynamics_sat` (a counterexample-guided SAT loop, for large input
spaces). Both return the types of this module, so checks and tests can compare them.

Definitions, for one *valid* input ``x`` (one that makes every assumption true): the run
``config_0 = init(x)``, ``config_{t+1} = next(config_t, x)`` is a lasso, since the inputs are
frozen for the whole run. Its *transient* is the least ``t`` with ``config_t = config_{t+p}``
for some ``p >= 1``; its *period* the least such ``p``; the transient of the system is the
maximum over valid inputs. A configuration is written as a bit string over the state bits in
``state_names`` order (``'0'``/``'1'``).

An :class:`Attractor` is the cycle of one lasso as a sequence of configurations, rotated to
start at the lexicographically smallest one. Attractors are *cycles of configurations*: two
inputs whose runs end in the same cycle give one attractor. For SC programs and any system
whose next-state functions read the frozen inputs, the inputs are not part of an attractor:
one configuration may lie on different cycles under different inputs, and each such cycle is
reported (once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from verifier.ir.system import TransitionSystem

__all__ = [
    "Attractor",
    "Dynamics",
    "OutputCheck",
    "OutputViolation",
    "Witness",
    "bits",
    "free_initial_states",
    "inputs_of_states",
    "inputs_read_by_next",
    "row_strings",
    "sorted_attractors",
    "string_rows",
    "with_examples",
]


def bits(row: Iterable[bool] | np.ndarray) -> str:
    """A configuration (or input) as a ``'0'``/``'1'`` string."""
    return "".join("1" if b else "0" for b in row)


def row_strings(rows: np.ndarray) -> list[str]:
    """Each row of a ``(k, n)`` bool array as a ``'0'``/``'1'`` string (vectorised
    :func:`bits`)."""
    chars = np.ascontiguousarray(np.asarray(rows, dtype=bool).astype(np.uint8) + ord("0"))
    return [row.tobytes().decode("ascii") for row in chars]


def string_rows(strings: Sequence[str]) -> np.ndarray:
    """The inverse of :func:`row_strings`: equal-length ``'0'``/``'1'`` strings as the rows
    of a bool array."""
    width = len(strings[0]) if strings else 0
    chars = np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8)
    return chars.reshape(len(strings), width) == ord("1")


@dataclass(frozen=True)
class Attractor:
    """A cycle of configurations: ``states`` in visiting order (``states[i+1]`` follows
    ``states[i]``, and ``states[0]`` follows the last), starting at the lexicographically
    smallest, all distinct. Build it with :meth:`of_cycle`."""

    states: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.states:
            raise ValueError("an attractor has at least one state")
        if len(set(self.states)) != len(self.states):
            raise ValueError(f"the states of a cycle are distinct: {self.states}")
        if min(self.states) != self.states[0]:
            raise ValueError("an attractor starts at its smallest state; use Attractor.of_cycle")

    @property
    def period(self) -> int:
        """The cycle length (1 for a fixed point)."""
        return len(self.states)

    @staticmethod
    def of_cycle(states: Sequence[str]) -> Attractor:
        """The attractor of a cycle given in visiting order from any of its states (rotated
        to start at the smallest; raises ValueError if ``states`` repeats a state)."""
        states = tuple(states)
        if not states:
            raise ValueError("an attractor has at least one state")
        k = states.index(min(states))
        return Attractor(states[k:] + states[:k])


def sorted_attractors(attractors: Iterable[Attractor]) -> tuple[Attractor, ...]:
    """``attractors`` without duplicates, sorted by ``(period, states)``."""
    return tuple(sorted(set(attractors), key=lambda a: (a.period, a.states)))


def with_examples(
    examples: Mapping[Attractor, Witness],
) -> tuple[tuple[Attractor, ...], tuple[Witness, ...]]:
    """The attractors of ``examples`` sorted by ``(period, states)``, and their examples in
    the same order (the ``attractors`` and ``examples`` fields of :class:`Dynamics`)."""
    attractors = sorted_attractors(examples)
    return attractors, tuple(examples[a] for a in attractors)


@dataclass(frozen=True)
class Witness:
    """A valid input (one bool per primary input), its exact transient and its period."""

    inputs: tuple[bool, ...]
    transient: int
    period: int


@dataclass(frozen=True)
class Dynamics:
    """The attractors and the transient time of a system (DESIGN 2.6).

    Fields
    ------
    attractors:
        Attractors reachable from valid inputs, sorted by ``(period, states)``. Every listed
        one is genuine (the cycle of some valid input's run), complete or not.
    complete:
        Every attractor reachable from a valid input is listed (and ``transient`` is exact).
    max_period:
        When not complete but every attractor of period ``<= P`` is listed: that ``P``;
        otherwise None.
    transient:
        The exact transient time of the system (max over valid inputs) when complete, some
        input is valid and the engine computes it (:mod:`~verifier.engines.attractor_set`
        does not); None otherwise.
    witness:
        A valid input attaining ``transient`` (when complete; when not, the input with the
        largest transient seen, as a lower bound); None if no valid input was seen.
    method:
        How it was shown, e.g. ``"explicit (4096 inputs)"``.
    detail:
        One sentence on what was shown, in particular why it is incomplete.
    valid_inputs:
        False if no input satisfies the assumptions (then everything is vacuous and
        complete, with no attractors and no transient).
    examples:
        One per attractor, in the same order: a valid input whose run ends in that cycle,
        with the input's exact transient and period (so that checks can replay it).
    """

    attractors: tuple[Attractor, ...]
    complete: bool
    max_period: int | None
    transient: int | None
    witness: Witness | None
    method: str
    detail: str
    valid_inputs: bool = True
    examples: tuple[Witness, ...] = ()

    def __post_init__(self) -> None:
        if len(self.examples) != len(self.attractors):
            raise ValueError(f"{len(self.attractors)} attractors but {len(self.examples)} examples")
        for a, x in zip(self.attractors, self.examples, strict=True):
            if x.period != a.period:
                raise ValueError(f"example of period {x.period} for an attractor of {a.period}")

    @property
    def fixed_points(self) -> tuple[str, ...]:
        """The states of the attractors of period 1, sorted."""
        return tuple(sorted(a.states[0] for a in self.attractors if a.period == 1))

    @property
    def periods(self) -> tuple[int, ...]:
        """The distinct periods of the listed attractors, ascending."""
        return tuple(sorted({a.period for a in self.attractors}))


@dataclass(frozen=True)
class OutputViolation:
    """The halting output condition fails: for the valid input ``inputs``, ``round`` is the
    first round t where "t is an output round" differs from "config_t is a fixed point"
    (``config_t == config_{t+1}``); ``output`` says whether round t is an output round."""

    inputs: tuple[bool, ...]
    round: int
    output: bool


@dataclass(frozen=True)
class OutputCheck:
    """The answer of an ``output_violation`` function (the second condition of a halting
    program, DESIGN 2.6: round t is an output round iff configuration t is a fixed point).

    ``violation`` is a counterexample or None. ``decided`` is True when the answer is final:
    a violation was found, or none exists for any valid input and round (proved); False
    when a limit stopped the check first (``detail`` says what was shown)."""

    violation: OutputViolation | None
    decided: bool
    method: str
    detail: str

    @property
    def holds(self) -> bool | None:
        """True (proved: no violation), False (a violation) or None (undecided)."""
        if self.violation is not None:
            return False
        return True if self.decided else None


# --- structure of a system ---------------------------------------------------------------------


def inputs_read_by_next(ts: TransitionSystem) -> tuple[int, ...]:
    """The primary inputs (indices) that some next-state function reads. Empty for BNL
    programs and circuits, whose runs depend on the input only through round 0."""
    needed = ts.aig.cone(ts.next_state)
    return tuple(i for i in range(ts.num_inputs) if needed[1 + i])


def free_initial_states(ts: TransitionSystem) -> tuple[tuple[int, bool], ...] | None:
    """If every configuration is the initial configuration of exactly one valid input and
    the next-state functions read no input (every ``.bnet`` file, DESIGN 3.2), then for each
    state bit ``j`` the pair ``(i, negated)`` with ``init[j]`` = input ``i`` (complemented
    when ``negated``); None otherwise.

    Then the attractors reachable from valid inputs are exactly the cycles of the state
    graph, and the input of a state ``s`` is ``x[i] = s[j] xor negated``.
    """
    if ts.assumptions or ts.num_inputs != ts.num_state or inputs_read_by_next(ts):
        return None
    pairs = []
    seen: set[int] = set()
    for lit in ts.init:
        i = (lit >> 1) - 1
        if not 0 <= i < ts.num_inputs or i in seen:
            return None
        seen.add(i)
        pairs.append((i, bool(lit & 1)))
    return tuple(pairs)


def inputs_of_states(ts: TransitionSystem) -> Callable[[np.ndarray], tuple[bool, ...]]:
    """For a system with free initial states: the input whose initial state is a given
    configuration (a bool row)."""
    pairs = free_initial_states(ts)
    if pairs is None:
        raise ValueError("not every configuration of this system is initial")
    index = np.array([i for i, _ in pairs], dtype=np.int64)
    flip = np.array([neg for _, neg in pairs], dtype=bool)

    def input_of(row: np.ndarray) -> tuple[bool, ...]:
        x = np.zeros(ts.num_inputs, dtype=bool)
        x[index] = np.asarray(row, dtype=bool) ^ flip
        return tuple(x.tolist())  # Python bools; a generator costs 10x more on 1000 bits

    return input_of
