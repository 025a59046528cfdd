"""An unrolling kept inside one incremental solver, extended frame by frame.

The stateful counterpart of :func:`verifier.sat.cnf.unroll`, shared by BMC, k-induction and
signal correspondence: it owns a :class:`~verifier.sat.solver.SatSolver` and a
:class:`~verifier.sat.cnf.VarPool`, adds each frame's clauses as the frame is made, and keeps
only the state and bad literals of the frames (a frame's full literal map is handed to the
caller once, by :meth:`Unrolling.extend`, and then dropped).
"""

from __future__ import annotations

import numpy as np

from verifier.collector import paused_gc
from verifier.sat.cnf import (
    Frame,
    Inputs,
    Strash,
    Substitution,
    UnrollPlan,
    VarPool,
    distinct,
    encode_frame,
    encode_inputs,
    free_state,
    initial_state,
)
from verifier.sat.solver import SatSolver

__all__ = ["Unrolling", "first_repeat"]


class Unrolling:
    """Frames ``0, 1, ...`` of a plan in ``solver``: from the initial state (``initial``) or
    from a free state (induction's step case).

    ``states[t]`` holds the latch literals read by frame ``t`` (there is one more state than
    frames: the last is the state the next frame will read); ``bads[t]`` is bad in frame ``t``.

    Frames are hashed (:class:`~verifier.sat.cnf.Strash`, one table per solver) unless
    ``strash`` is false. :attr:`substitute`, when set, rewrites the frames made afterwards by
    proved signal equalities (and the states they read are then the rewritten ones).
    """

    def __init__(
        self,
        plan: UnrollPlan,
        solver: SatSolver,
        *,
        initial: bool,
        strash: bool = True,
    ) -> None:
        self.plan = plan
        self.solver = solver
        self.pool = VarPool()
        self.strash = Strash() if strash else None
        self.substitute: Substitution | None = None
        self.inputs: Inputs = encode_inputs(plan, self.pool, self.strash)
        solver.add_blocks(self.inputs.clauses)
        if initial:
            start = initial_state(plan, self.inputs, self.pool, self.strash)
        else:
            start = free_state(plan, self.pool)
        solver.add_blocks(start.clauses)
        self.states: list[np.ndarray] = [start.lits]
        self.bads: list[int] = []
        self._distinct: set[tuple[int, int]] = set()

    @property
    def depth(self) -> int:
        """The number of frames encoded."""
        return len(self.bads)

    def extend(self) -> Frame:
        """Encode the next frame, add its clauses, and return it."""
        with paused_gc():
            frame = encode_frame(
                self.plan, self.inputs, self.states[-1], self.pool, self.strash, self.substitute
            )
            self.solver.add_blocks(frame.clauses)
        self.states[-1] = frame.state  # the state actually read (rewritten by substitute)
        self.states.append(frame.next_state)
        self.bads.append(frame.bad)
        return frame

    def input_values(self) -> tuple[bool, ...]:
        """The inputs of the solver's current model."""
        return tuple(bool(v) for v in self.solver.values(self.inputs.lits))

    def state_values(self, upto: int) -> np.ndarray:
        """The model's latch values of states ``0..upto`` as a ``(upto + 1, latches)`` array."""
        lits = np.stack(self.states[: upto + 1]) if self.plan.num_latches else None
        if lits is None:
            return np.zeros((upto + 1, 0), dtype=bool)
        return self.solver.values(lits)

    def make_distinct(self, i: int, j: int) -> None:
        """Add the simple-path constraint: states ``i`` and ``j`` differ (once per pair)."""
        key = (min(i, j), max(i, j))
        if key in self._distinct:
            return
        self._distinct.add(key)
        self.solver.add_blocks(distinct(self.states[i], self.states[j], self.pool))


def first_repeat(states: np.ndarray) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of equal rows of a bool matrix: for every row equal to an
    earlier one, the pair with the earliest equal row (the lazy simple-path check)."""
    seen: dict[bytes, int] = {}
    repeats: list[tuple[int, int]] = []
    packed = np.packbits(states, axis=1) if states.shape[1] else np.zeros((len(states), 0))
    for j, row in enumerate(packed):
        key = row.tobytes()
        if key in seen:
            repeats.append((seen[key], j))
        else:
            seen[key] = j
    return repeats
