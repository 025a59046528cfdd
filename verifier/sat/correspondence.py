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
3. step case by *speculative reduction* (Mishchenko et al., ICCAD 2008, as in ``scorr``): two
   frames from an arbitrary state in which every member's fanouts read its representative; the
   pairs are constrained in the first frame, and the query asks for a member of the second
   frame whose own gate differs from its representative. Structural hashing merges most of
   those pairs outright, so the solver sees few. A model's first frame satisfies every pair,
   so simulating it exactly splits some class of the second frame; repeat until UNSAT
   (splitting only refines an equivalence relation, so the base case, once shown, stays
   shown).

Every model splits at least one class, so the loop ends; the result is sound whatever the
simulation proposed (it only affects how much survives).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
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
    equal,
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

STEP_MODELS = 32
"""Counterexamples to induction collected per step-case encoding before refining."""
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


def signals_of(plan: UnrollPlan, *, registers: bool = False) -> np.ndarray:
    """The candidate signals: the constant, the leaves and the gates of one frame's cone
    (sorted AIG variables); with ``registers``, only the constant, the leaves and ``bad``
    (register correspondence, which proves the problem when the latches alone carry the
    invariant -- e.g. a translation whose heads copy the source's heads)."""
    part = plan.step_cone
    gates = [plan.problem.bad >> 1] if registers else part.gates
    return np.unique(np.concatenate([[0], part.leaves + 1, gates])).astype(np.int64)


class _Runs:
    """Bit-parallel runs of the problem from its initial state (every latch 0 before ``init``,
    as :func:`~verifier.ir.safety.run_problem`), read at the candidate signals."""

    def __init__(self, plan: UnrollPlan, signals: np.ndarray) -> None:
        problem = plan.problem
        aig = problem.aig
        self.plan = plan
        self.signals = signals
        self.start = ConeEvaluator(
            aig, cone(aig, (*problem.constraints, *(problem.init[j] for j in plan.latches)))
        )
        self.step = ConeEvaluator(aig, plan.step_cone)
        self.init_lits = np.array([problem.init[j] for j in plan.latches], dtype=np.int64)
        self.next_lits = np.array([problem.next_state[j] for j in plan.latches], dtype=np.int64)

    def polarity(self, valid_input: tuple[bool, ...]) -> np.ndarray:
        """Each signal's value in round 0 of ``valid_input``'s run (the normal form that
        lets one class hold a signal and the complement of another)."""
        words = np.array(valid_input, dtype=np.uint64)[:, None]
        first, _ = next(iter(self._round_values(words, 1)))
        return (first[:, 0] & np.uint64(1)).astype(bool)

    def hashes(
        self, inputs: np.ndarray, pol: np.ndarray, rounds: int, deadline: float | None
    ) -> np.ndarray:
        """Per signal, a hash of ``signal ^ pol`` over ``rounds`` rounds of the runs of the
        lanes of ``inputs`` (``(num_inputs, W)`` words) that satisfy the constraints."""
        flip = np.where(pol, ONES, 0).astype(np.uint64)[:, None]
        hashes = np.zeros(len(self.signals), dtype=np.uint64)
        for sig, valid in self._round_values(inputs, rounds, deadline):
            sig = (sig ^ flip) & valid
            for w in range(sig.shape[1]):
                hashes = (hashes ^ sig[:, w]) * _MIX
                hashes ^= hashes >> np.uint64(29)
        return hashes

    def second_frame(self, input_bits: np.ndarray, state_bits: np.ndarray) -> np.ndarray:
        """The signals' values (bools) in the frame after the one with these inputs and
        plan latches (the problem's own logic)."""
        problem = self.plan.problem
        n_in = problem.num_inputs
        leaves = np.zeros((problem.aig.num_inputs, 1), dtype=np.uint64)
        leaves[:n_in, 0] = input_bits
        leaves[n_in + self.plan.latches, 0] = state_bits
        leaves[n_in + self.plan.latches] = _literal_words(self.step.run(leaves), self.next_lits)
        return (self.step.run(leaves)[self.signals, 0] & np.uint64(1)).astype(bool)

    def sampled_step(
        self, cls: np.ndarray, pol: np.ndarray, words: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """One step from ``64 * words`` random states that satisfy every candidate pair:
        each class gets a random value (the constant's class false), each leaf signal the
        value of its class; lanes whose inputs violate a constraint, or whose computed
        signals (``bad``) break a pair, are masked out. Returns the signals' words in the
        second frame (``^ pol``, masked) and the mask. Only registers mode samples this way:
        there every member but ``bad`` is a leaf, so almost every lane satisfies the pairs."""
        problem = self.plan.problem
        aig = problem.aig
        flip = np.where(pol, ONES, 0).astype(np.uint64)[:, None]
        class_words = rng.integers(
            0, ONES, size=(int(cls.max()) + 1, words), dtype=np.uint64, endpoint=True
        )
        class_words[cls[0]] = flip[0]  # signals[0] is the constant false
        wanted = class_words[cls] ^ flip
        leaves = rng.integers(0, ONES, size=(aig.num_inputs, words), dtype=np.uint64, endpoint=True)
        is_leaf = (self.signals >= 1) & (self.signals <= aig.num_inputs)
        leaves[self.signals[is_leaf] - 1] = wanted[is_leaf]
        ok = np.full(words, ONES, dtype=np.uint64)
        start = self.start.run(leaves)
        for lit in problem.constraints:
            ok &= _literal_words(start, np.array([lit]))[0]
        first = self.step.run(leaves)
        ok &= np.bitwise_and.reduce(~(first[self.signals] ^ wanted), axis=0)
        n_in = problem.num_inputs
        leaves[n_in + self.plan.latches] = _literal_words(first, self.next_lits)
        second = self.step.run(leaves)[self.signals]
        return (second ^ flip) & ok, ok

    def _round_values(
        self, inputs: np.ndarray, rounds: int, deadline: float | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The signals' words in rounds ``0..rounds-1``, with the mask of the lanes that
        satisfy the constraints."""
        problem = self.plan.problem
        n_in = problem.num_inputs
        leaves = np.zeros((problem.aig.num_inputs, inputs.shape[1]), dtype=np.uint64)
        leaves[:n_in] = inputs
        values = self.start.run(leaves)
        valid = np.full(inputs.shape[1], ONES, dtype=np.uint64)
        for lit in problem.constraints:
            valid &= _literal_words(values, np.array([lit]))[0]
        state = _literal_words(values, self.init_lits)
        latch_rows = n_in + self.plan.latches
        for _ in range(rounds):
            if deadline is not None and time.monotonic() >= deadline:
                raise OutOfTime("deadline passed during simulation")
            leaves[latch_rows] = state
            values = self.step.run(leaves)
            yield values[self.signals], valid
            state = _literal_words(values, self.next_lits)


def _neighbours(valid_input: np.ndarray, words: int, rng: np.random.Generator) -> np.ndarray:
    """``words * 64`` inputs: ``valid_input`` in lane 0, the others it with a few random bits
    flipped (runs near a known valid one; invalid ones are masked by the simulation)."""
    n = len(valid_input)
    base = np.where(valid_input, ONES, 0).astype(np.uint64)[:, None]
    draws = rng.integers(0, ONES, size=(3, n, words), dtype=np.uint64, endpoint=True)
    flips = draws[0] & draws[1] & draws[2]  # each bit flipped with probability 1/8
    flips[:, 0] &= ~np.uint64(1)
    return base ^ flips


def simulate_classes(
    runs: _Runs,
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

    Half the runs are random inputs, half are ``valid_input`` with a few bits flipped (random
    inputs rarely satisfy many constraints); invalid ones are masked out.
    """
    rng = np.random.default_rng(seed)
    pol = runs.polarity(valid_input)
    n_in = runs.plan.problem.num_inputs
    near = _neighbours(np.array(valid_input, dtype=bool), max(1, words // 2), rng)
    far = rng.integers(
        0, ONES, size=(n_in, max(1, words - words // 2)), dtype=np.uint64, endpoint=True
    )
    inputs = np.concatenate([near, far], axis=1)
    hashes = runs.hashes(inputs, pol, rounds, deadline)
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


def _sampled_refinement(
    runs: _Runs,
    cls: np.ndarray,
    pol: np.ndarray,
    rng: np.random.Generator,
    deadline: float | None,
    words: int = 4,
    patience: int = 3,
) -> np.ndarray:
    """Split the classes by simulated steps from random states satisfying every pair
    (:meth:`_Runs.sampled_step`) until ``patience`` batches in a row split nothing. Each
    such step is a counterexample to induction that costs no SAT call; splitting is always
    sound, and the SAT step case still decides."""
    idle = 0
    while idle < patience:
        if deadline is not None and time.monotonic() >= deadline:
            raise OutOfTime("deadline passed during signal correspondence")
        values, ok = runs.sampled_step(cls, pol, words, rng)
        if not ok.any():
            break
        keys = np.column_stack([cls.astype(np.uint64), values])
        _, refined = np.unique(keys, axis=0, return_inverse=True)
        refined = refined.ravel()
        idle = idle + 1 if refined.max() == cls.max() else 0
        cls = refined
    return cls


def _candidates(cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs of the classes: every member (signal index) and its
    representative (the class's first signal)."""
    rep = _representatives(cls)
    members = np.flatnonzero(rep != np.arange(len(cls)))
    return members, rep[members]


_Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Candidate pairs: member and representative signal indices, and whether they are
complementary."""


def _pairs(cls: np.ndarray, pol: np.ndarray) -> _Pairs | None:
    """The candidate pairs of the classes, or None if there are none."""
    members, reps = _candidates(cls)
    return (members, reps, pol[members] ^ pol[reps]) if len(members) else None


def _holds(values: np.ndarray, pol: np.ndarray, pairs: _Pairs) -> bool:
    """Whether every pair holds under one assignment of the signals."""
    members, reps, flip = pairs
    return bool(np.all(values[members] == (values[reps] ^ flip)))


class _Refiner:
    """The base case in one incremental solver: the inputs and the initial frame."""

    def __init__(self, plan: UnrollPlan, signals: np.ndarray) -> None:
        self.plan = plan
        self.signals = signals
        self.solver = SatSolver()
        self.pool = pool = VarPool()
        strash = Strash()
        inputs = encode_inputs(plan, pool, strash)
        init = initial_state(plan, inputs, pool, strash)
        at_init = encode_frame(plan, inputs, init.lits, pool, strash)
        for part in (inputs, init, at_init):
            self.solver.add_blocks(part.clauses)
        self.inputs = inputs.lits
        self.frame = at_init.encoding.lits[2 * signals]
        self._differ: dict[tuple[int, int], int] = {}

    def valid_input(self, deadline: float | None) -> tuple[bool, ...] | None:
        """Some valid input, or None if there is none."""
        found = self._ask([], deadline, self.inputs)
        return None if found is None else tuple(found.tolist())

    def differing_initial_frame(self, pairs: _Pairs, deadline: float | None) -> np.ndarray | None:
        """The signals' values in the initial frame of a valid input under which some pair
        differs there, or None."""
        return self._ask(self._differs(pairs), deadline, self.frame)

    def _ask(self, diffs: list[int], deadline: float | None, read: np.ndarray) -> np.ndarray | None:
        """The values of ``read`` in a model where some ``diffs`` literal is true (no
        ``diffs``: any model), or None if there is none. The query clause is guarded by a
        fresh literal, disabled after the call."""
        query = self.pool.fresh() if diffs else 0
        if query:
            self.solver.add_clause([-query, *diffs])
        found = _solved(self.solver.solve([query] if query else [], deadline))
        values = self.solver.values(read) if found else None
        if query:
            self.solver.add_clause([-query])
        return values

    def _differs(self, pairs: _Pairs) -> list[int]:
        """Per pair, a literal implying that it differs in the initial frame (made on first
        use)."""
        members, reps, flip = pairs
        keys = list(zip(members.tolist(), reps.tolist(), strict=True))
        new = [i for i, key in enumerate(keys) if key not in self._differ]
        if new:
            idx = np.array(new, dtype=np.int64)
            fresh = self.pool.block(len(idx))
            x = self.frame[members[idx]]
            y = self.frame[reps[idx]] * np.where(flip[idx], -1, 1)
            self.solver.add_blocks([differ_if(fresh, x, y)])
            self._differ.update(zip((keys[i] for i in new), fresh.tolist(), strict=True))
        return [self._differ[key] for key in keys]

    def close(self) -> None:
        self.solver.close()


def _solved(result: bool | None) -> bool:
    if result is None:
        raise OutOfTime("deadline passed during signal correspondence")
    return result


def _step_case(
    plan: UnrollPlan,
    signals: np.ndarray,
    pairs: _Pairs,
    deadline: float | None,
    models: int = STEP_MODELS,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The step case by *speculative reduction* (Mishchenko et al., "Scalable and
    scalably-verifiable sequential synthesis", ICCAD 2008; ABC's ``scorr``): ``[]`` if the
    pairs are inductive, else up to ``models`` (inputs, state) of first frames in which every
    pair holds and after which some pair differs, each found with the pairs that earlier
    models already separate left out of the query (one encoding serves many refinements).

    Two frames from a free state, both encoded with every member's fanouts reading its
    representative instead, and each member's own gate kept as well. In the first frame each
    member's own gate is constrained equal to its representative (the hypothesis); then the
    rewriting is exact there, by induction in topological order. The query asks for a member
    of the second frame whose own gate differs from its representative; if none can, every
    pair holds in the second frame (same induction). Most such local pairs are merged by
    structural hashing, so the solver sees few of them. Pairs of two inputs hold by the base
    case (inputs are frozen) and are skipped.
    """
    members, reps, flip = pairs
    problem = plan.problem
    pool = VarPool()
    strash = Strash()
    substitute = Substitution.of(problem.aig.num_vars, signals[members], 2 * signals[reps] + flip)
    gates = signals[members] >= problem.aig.first_and_var
    inputs = encode_inputs(plan, pool, strash)
    free = free_state(plan, pool)
    own = [0] * problem.aig.num_vars
    first = encode_frame(plan, inputs, free.lits, pool, strash, substitute, own)
    hypothesis = _member_sides(first.encoding.lits, np.array(own), signals, pairs, gates)
    own = [0] * problem.aig.num_vars
    second = encode_frame(plan, inputs, first.next_state, pool, strash, substitute, own)
    own_lits = np.array(own, dtype=np.int64)
    own_lits[1 + problem.num_inputs + plan.latches] = first.next_state  # before rewriting
    latches_or_gates = signals[members] > problem.num_inputs
    x, y = _member_sides(second.encoding.lits, own_lits, signals, pairs, latches_or_gates)
    open_ = x != y
    if not open_.any():
        return []
    found: list[tuple[np.ndarray, np.ndarray]] = []
    with SatSolver() as solver:
        for part in (inputs, first, second):
            solver.add_blocks(part.clauses)
        solver.add_blocks([equal(*hypothesis)])
        fresh = pool.block(int(np.count_nonzero(open_)))
        solver.add_blocks([differ_if(fresh, x[open_], y[open_])])
        read = first.encoding.lits[2 * np.arange(1, problem.aig.num_inputs + 1)]
        left = fresh
        while len(found) < models and len(left):
            act = pool.fresh()
            solver.add_clause([-act, *left.tolist()])
            if not _solved(solver.solve([act], deadline)):
                break
            leaves = solver.values(read)  # the inputs and latches as the first frame reads them
            found.append((leaves[: problem.num_inputs], leaves[problem.num_inputs + plan.latches]))
            left = left[~solver.values(left)]
            solver.add_clause([-act])
    return found


def _member_sides(
    lits: np.ndarray, own: np.ndarray, signals: np.ndarray, pairs: _Pairs, which: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For the pairs selected by ``which``: each member's own literal, and its
    representative's literal (complemented where the pair is)."""
    members, reps, flip = pairs
    x = own[signals[members[which]]]
    y = lits[2 * signals[reps[which]]] * np.where(flip[which], -1, 1)
    return x, y


def signal_correspondence(
    plan: UnrollPlan,
    deadline: float | None = None,
    *,
    rounds: int = 32,
    words: int = 4,
    seed: int = 0,
    registers: bool = False,
) -> Equivalences:
    """The inductive signal equalities of ``plan``'s problem (see the module docstring);
    with ``registers``, among the candidates of ``signals_of(plan, registers=True)`` only.

    Raises :class:`~verifier.sat.solver.OutOfTime` when ``deadline`` passes first. When no
    input satisfies the constraints, every signal is (vacuously) equal to the constant.
    """
    signals = signals_of(plan, registers=registers)
    refiner = _Refiner(plan, signals)
    try:
        valid_input = refiner.valid_input(deadline)
        if valid_input is None:  # no valid input: nothing is reachable
            rest = signals[1:]
            zeros = np.zeros(len(rest), dtype=np.int64)
            return Equivalences(rest, zeros, zeros.astype(bool))
        runs = _Runs(plan, signals)
        cls, pol = simulate_classes(
            runs, valid_input, rounds=rounds, words=words, seed=seed, deadline=deadline
        )
        # Base case: every model is a valid input; its initial frame splits the classes.
        while (pairs := _pairs(cls, pol)) is not None:
            values = refiner.differing_initial_frame(pairs, deadline)
            if values is None:
                break
            cls = _split(cls, pol, values)
        # Step case (refinement keeps the base case: it only splits classes). A model's
        # first frame satisfies every pair, so its exact second frame splits some class.
        rng = np.random.default_rng(seed)
        while _pairs(cls, pol) is not None:
            if registers:
                cls = _sampled_refinement(runs, cls, pol, rng, deadline)
            pairs = _pairs(cls, pol)
            if pairs is None:
                break
            models = _step_case(plan, signals, pairs, deadline)
            if not models:
                break
            refined = cls
            for model in models:
                refined = _split(refined, pol, runs.second_frame(*model))
            if refined.max() == cls.max():
                raise RuntimeError("signal correspondence: step models split no class (a bug)")
            cls = refined
        members, reps = _candidates(cls)
        return Equivalences(signals[members], signals[reps], pol[members] ^ pol[reps])
    finally:
        refiner.close()
