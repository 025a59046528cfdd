"""Signal correspondence of a safety problem (van Eijk, "Sequential equivalence checking based
on structural similarities", IEEE TCAD 19(7), 2000).

Finds the largest set of equalities between signals of the problem's AIG (gates, latches,
inputs and the constant, each possibly complemented) that is *inductive*: it holds in the
initial state of every valid input, and whenever it holds in a state it holds in the next one.
Such a set holds in every reachable state, so

* if it puts ``bad`` in the class of the constant false, the problem is safe;
* otherwise it is a strengthening invariant for k-induction (asserted in every step frame).

Method (the classic fixed point, as in van Eijk 2000 and ABC's ``scorr``):

1. candidates: simulate random valid inputs bit-parallel from the initial state for some rounds
   and group the signals whose value sequences are equal or complementary
   (:func:`simulate_classes`); every class has the smallest variable as representative, the
   constant false (variable 0) representing the constants;
2. base case: one SAT query (an OR over all candidate pairs) asks for a valid input under which
   some pair differs in the initial state; a model splits the classes by its values;
3. step case: assume every candidate equality in an arbitrary state (activation literal per
   pair), ask for a pair that differs in the next state; a model splits the classes; repeat
   until UNSAT (splitting only refines an equivalence relation, so the base case, once shown,
   stays shown).

Every model splits at least one class, so the loop ends; the result is sound whatever the
simulation proposed (it only affects how much survives).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from verifier.ir.aig import Aig
from verifier.sat.cnf import (
    Cone,
    Strash,
    Substitution,
    UnrollPlan,
    VarPool,
    cone,
    differ_if,
    encode_frame,
    encode_inputs,
    equal_if,
    free_state,
    initial_state,
)
from verifier.sat.solver import OutOfTime, SatSolver

__all__ = [
    "ConeEvaluator",
    "Equivalences",
    "signal_correspondence",
    "signals_of",
    "simulate_classes",
]

ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
_MIX = np.uint64(0x9E37_79B9_7F4A_7C15)


@dataclass(frozen=True, eq=False)
class Equivalences:
    """Signal equalities ``member[i] == rep[i] xor phase[i]`` (AIG variables; rep 0 is the
    constant false), each member in one class. Proved by :func:`signal_correspondence` to
    hold in every reachable state of every valid input."""

    members: np.ndarray
    reps: np.ndarray
    phases: np.ndarray

    def __len__(self) -> int:
        return len(self.members)

    def literal_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The equalities as two arrays of AIG literals ``(member, rep ^ phase)``."""
        return 2 * self.members, 2 * self.reps + self.phases.astype(np.int64)

    def substitution(self, num_vars: int) -> Substitution:
        """The equalities as rewrites (member -> representative literal) for the hashed
        encoder."""
        return Substitution.of(num_vars, self.members, self.literal_pairs()[1])

    def is_false(self, lit: int) -> bool:
        """Whether the equalities make the literal ``lit`` constantly false."""
        var, neg = lit >> 1, lit & 1
        if var == 0:
            return neg == 0
        hit = np.flatnonzero(self.members == var)
        return bool(hit.size) and self.reps[hit[0]] == 0 and int(self.phases[hit[0]]) == neg

    @property
    def num_constants(self) -> int:
        return int(np.count_nonzero(self.reps == 0))


# --- Bit-parallel simulation of every signal of a cone ---------------------------------------


class ConeEvaluator:
    """Levelised bit-parallel evaluation of every variable of a cone: ``run(leaves)`` takes
    ``(num_leaves, W)`` uint64 words and returns ``(num_vars, W)`` words (rows of variables
    outside the cone are 0). One numpy gather-and-AND per level of the cone."""

    def __init__(self, aig: Aig, part: Cone) -> None:
        self.num_vars = aig.num_vars
        self.num_leaves = aig.num_inputs
        levels = np.asarray(aig.levels(), dtype=np.int64)[part.gates]
        order = np.argsort(levels, kind="stable")
        gates = part.gates[order]
        left = np.asarray(aig.left, dtype=np.int64)[gates - aig.first_and_var]
        right = np.asarray(aig.right, dtype=np.int64)[gates - aig.first_and_var]
        cuts = np.flatnonzero(np.diff(levels[order])) + 1
        self._levels = [
            (
                g,
                a >> 1,
                np.where(a & 1, ONES, 0).astype(np.uint64)[:, None],
                b >> 1,
                np.where(b & 1, ONES, 0).astype(np.uint64)[:, None],
            )
            for g, a, b in zip(
                np.split(gates, cuts), np.split(left, cuts), np.split(right, cuts), strict=True
            )
            if len(g)
        ]

    def run(self, leaves: np.ndarray) -> np.ndarray:
        values = np.zeros((self.num_vars, leaves.shape[1]), dtype=np.uint64)
        values[1 : 1 + self.num_leaves] = leaves
        for gates, a, a_neg, b, b_neg in self._levels:
            values[gates] = (values[a] ^ a_neg) & (values[b] ^ b_neg)
        return values


def _literal_words(values: np.ndarray, lits: np.ndarray) -> np.ndarray:
    neg = np.where(lits & 1, ONES, 0).astype(np.uint64)[:, None]
    return values[lits >> 1] ^ neg


def signals_of(plan: UnrollPlan) -> np.ndarray:
    """The candidate signals: the constant, the leaves and the gates of one frame's cone
    (sorted AIG variables)."""
    part = plan.step_cone
    return np.unique(np.concatenate([[0], part.leaves + 1, part.gates])).astype(np.int64)


def simulate_classes(
    plan: UnrollPlan,
    signals: np.ndarray,
    valid_input: tuple[bool, ...],
    *,
    rounds: int = 32,
    words: int = 4,
    seed: int = 0,
    deadline: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate classes by random simulation: ``(cls, pol)`` with ``cls[i]`` the class index
    of ``signals[i]`` and ``pol[i]`` its polarity (signals with equal ``cls`` satisfy
    ``s ^ pol[s] == t ^ pol[t]`` in every simulated valid run and round).

    Run 0 uses ``valid_input``; the others are random (invalid ones are masked out).
    """
    problem = plan.problem
    aig = problem.aig
    n_in = problem.num_inputs
    rng = np.random.default_rng(seed)
    inputs = rng.integers(0, ONES, size=(n_in, words), dtype=np.uint64, endpoint=True)
    inputs[:, 0] &= ~np.uint64(1)
    inputs[:, 0] |= np.array(valid_input, dtype=np.uint64)
    # Constraints and initial state: every latch 0.
    start = cone(aig, (*problem.constraints, *(problem.init[j] for j in plan.latches)))
    leaves = np.zeros((aig.num_inputs, words), dtype=np.uint64)
    leaves[:n_in] = inputs
    values = ConeEvaluator(aig, start).run(leaves)
    valid = np.full(words, ONES, dtype=np.uint64)
    for lit in problem.constraints:
        valid &= _literal_words(values, np.array([lit]))[0]
    latch_rows = n_in + plan.latches
    state = _literal_words(values, np.array([problem.init[j] for j in plan.latches], np.int64))
    step = ConeEvaluator(aig, plan.step_cone)
    next_lits = np.array([problem.next_state[j] for j in plan.latches], dtype=np.int64)
    hashes = np.zeros(len(signals), dtype=np.uint64)
    pol = np.zeros(len(signals), dtype=bool)
    for r in range(rounds):
        if deadline is not None and time.monotonic() >= deadline:
            raise OutOfTime("deadline passed during simulation")
        leaves[latch_rows] = state
        values = step.run(leaves)
        sig = values[signals]
        if r == 0:
            pol = (sig[:, 0] & np.uint64(1)).astype(bool)
        sig ^= np.where(pol, ONES, 0).astype(np.uint64)[:, None]
        sig &= valid
        for w in range(words):
            hashes = (hashes ^ sig[:, w]) * _MIX
            hashes ^= hashes >> np.uint64(29)
        state = _literal_words(values, next_lits)
    _, cls = np.unique(hashes, return_inverse=True)
    return cls.ravel(), pol


def _representatives(cls: np.ndarray) -> np.ndarray:
    """For each signal index, the index of its class's first (smallest) signal."""
    _, first, inverse = np.unique(cls, return_index=True, return_inverse=True)
    return first[inverse.ravel()]


def _split(cls: np.ndarray, pol: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Refine the classes by one assignment of every signal (``values``, bools)."""
    _, refined = np.unique(2 * cls + (values ^ pol), return_inverse=True)
    return refined.ravel()


class _Refiner:
    """The SAT side: inputs, the initial frame, and two frames from a free state."""

    def __init__(self, plan: UnrollPlan, signals: np.ndarray) -> None:
        self.solver = SatSolver()
        self.pool = pool = VarPool()
        strash = Strash()
        inputs = encode_inputs(plan, pool, strash)
        init = initial_state(plan, inputs, pool, strash)
        at_init = encode_frame(plan, inputs, init.lits, pool, strash)
        free = free_state(plan, pool)
        first = encode_frame(plan, inputs, free.lits, pool, strash)
        second = encode_frame(plan, inputs, first.next_state, pool, strash)
        for part in (inputs, init, at_init, first, second):
            self.solver.add_blocks(part.clauses)
        self.inputs = inputs.lits
        self.at_init = at_init.encoding.lits[2 * signals]
        self.first = first.encoding.lits[2 * signals]
        self.second = second.encoding.lits[2 * signals]
        self._literals: dict[tuple[str, int, int], int] = {}

    def literals(
        self, kind: str, members: np.ndarray, reps: np.ndarray, pol: np.ndarray
    ) -> list[int]:
        """Per pair (signal indices), the literal of kind ``act`` (pair equal in the free
        state), ``base`` (pair differs in the initial state) or ``step`` (differs in the next
        state), made on first use."""
        keys = list(zip(members.tolist(), reps.tolist(), strict=True))
        new = [i for i, (m, r) in enumerate(keys) if (kind, m, r) not in self._literals]
        if new:
            idx = np.array(new, dtype=np.int64)
            fresh = self.pool.block(len(idx))
            frame = {"act": self.first, "base": self.at_init, "step": self.second}[kind]
            m, r = members[idx], reps[idx]
            x = frame[m]
            y = frame[r] * np.where(pol[m] ^ pol[r], -1, 1)
            make = equal_if if kind == "act" else differ_if
            self.solver.add_blocks([make(fresh, x, y)])
            for i, lit in zip(new, fresh.tolist(), strict=True):
                self._literals[(kind, *keys[i])] = lit
        return [self._literals[(kind, *key)] for key in keys]

    def ask(self, diffs: list[int], assume: list[int], deadline: float | None) -> bool:
        """Whether some ``diffs`` literal can be true under ``assume`` (the query clause is
        guarded by a fresh literal; :meth:`retire` disables it once the model is read)."""
        self._query = self.pool.fresh()
        self.solver.add_clause([-self._query, *diffs])
        result = self.solver.solve([self._query, *assume], deadline)
        if result is None:
            raise OutOfTime("deadline passed during signal correspondence")
        return result

    def retire(self) -> None:
        self.solver.add_clause([-self._query])


def signal_correspondence(
    plan: UnrollPlan,
    deadline: float | None = None,
    *,
    rounds: int = 32,
    words: int = 4,
    seed: int = 0,
) -> Equivalences:
    """The inductive signal equalities of ``plan``'s problem (see the module docstring).

    Raises :class:`~verifier.sat.solver.OutOfTime` when ``deadline`` passes first. When no
    input satisfies the constraints, every signal is (vacuously) equal to the constant.
    """
    signals = signals_of(plan)
    refiner = _Refiner(plan, signals)
    solver = refiner.solver
    try:
        found = solver.solve([], deadline)
        if found is None:
            raise OutOfTime("deadline passed during signal correspondence")
        if not found:  # no valid input: nothing is reachable
            rest = signals[1:]
            zeros = np.zeros(len(rest), dtype=np.int64)
            return Equivalences(rest, zeros, zeros.astype(bool))
        valid_input = tuple(bool(v) for v in solver.values(refiner.inputs))
        cls, pol = simulate_classes(
            plan, signals, valid_input, rounds=rounds, words=words, seed=seed, deadline=deadline
        )
        base_done = False
        while True:
            rep = _representatives(cls)
            members = np.flatnonzero(rep != np.arange(len(signals)))
            reps = rep[members]
            if not len(members):
                break
            if not base_done:
                diffs = refiner.literals("base", members, reps, pol)
                if refiner.ask(diffs, [], deadline):
                    cls = _split(cls, pol, solver.values(refiner.at_init))
                    refiner.retire()
                    continue
                refiner.retire()
                base_done = True
            acts = refiner.literals("act", members, reps, pol)
            diffs = refiner.literals("step", members, reps, pol)
            if not refiner.ask(diffs, acts, deadline):
                refiner.retire()
                break
            cls = _split(cls, pol, solver.values(refiner.second))
            refiner.retire()
        rep = _representatives(cls)
        members = np.flatnonzero(rep != np.arange(len(signals)))
        reps = rep[members]
        return Equivalences(signals[members], signals[reps], pol[members] ^ pol[reps])
    finally:
        solver.close()
