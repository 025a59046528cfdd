"""Tseitin CNF of and-inverter graphs and unrolling of safety problems (DESIGN.md section 5).

Everything here is a pure function returning a small record: clause *blocks* (2-d numpy arrays
of DIMACS literals, one clause per row, or lists of clauses) and literal maps.
Fresh variables come from a :class:`VarPool` passed in by the caller, in contiguous blocks.

The Tseitin encoding (Tseitin 1968) of gate ``g = a & b`` is the three clauses
``(-g | a)``, ``(-g | b)``, ``(g | -a | -b)``. Only the cone of influence of the requested roots
is encoded, and the clause *pattern* of a cone (:class:`Cone`) is computed once, in AIG
literals: encoding one copy of it (:func:`tseitin`) maps the AIG literals to the copy's DIMACS
literals with one numpy gather. Unrolling a problem over frames is therefore one gather per
frame, the same pattern at a new variable offset.

A :class:`~verifier.ir.safety.SafetyProblem` is unrolled as its oracle
:func:`~verifier.ir.safety.run_problem` runs it:

* the inputs are frozen: one set of variables shared by every frame (:func:`encode_inputs`);
  the constraints, evaluated with every latch 0, are asserted once as unit clauses;
* the initial state is ``init`` evaluated on the inputs with every latch 0
  (:func:`initial_state`); for induction the state of frame 0 is free instead
  (:func:`free_state`);
* frame ``t`` evaluates ``bad`` and the next state on the inputs and the frame's state
  (:func:`encode_frame`); its next state is the state of frame ``t + 1``.

Only the latches in the cone of influence of ``bad`` (and of any extra roots) are kept
(:func:`plan_unrolling`); the others cannot affect the answer.

Two ways to encode a copy (:func:`tseitin`):

* *pattern* (no :class:`Strash` given): one numpy gather, every gate of the cone gets a fresh
  variable -- the fastest way to *generate* clauses (tens of millions per second);
* *hashed* (a :class:`Strash` table shared by all copies in one solver): each gate's fanins are
  first mapped to DIMACS literals, constants are folded and a gate whose (ordered) fanin pair was
  encoded before, in any copy, reuses that variable -- structural hashing across frames, as
  ABC's unrollers do. A Python loop per gate, but it emits fewer clauses: logic over the frozen
  inputs only is encoded once for all frames, constant initial values fold, and the two halves
  of a miter of structurally equal systems collapse into one (then ``bad`` folds to false).
  Since loading a clause into the solver costs more than hashing a gate, this is what the
  engines use. A :class:`Substitution` (proved signal equalities) additionally replaces each
  member signal by its representative.

Variable 0 of the AIG (constant false) is the negation of a *true literal* that the caller
asserts (:func:`encode_inputs` allocates it and adds the unit clause).

>>> from verifier.ir.aig import AigBuilder
>>> b = AigBuilder(2)
>>> g = b.and_(b.input(0), b.input(1) ^ 1)
>>> pool = VarPool()
>>> true = pool.fresh()
>>> enc = tseitin(cone(b.build(), [g]), [pool.fresh(), pool.fresh()], true, pool)
>>> enc.lit(g), enc.lit(g ^ 1), [block.tolist() for block in enc.clauses]
(4, -4, [[[-4, -3], [-4, 2]], [[4, 3, -2]]])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from verifier.ir.aig import Aig
from verifier.ir.safety import SafetyProblem

__all__ = [
    "Cone",
    "Encoding",
    "Frame",
    "Inputs",
    "State",
    "Strash",
    "Substitution",
    "UnrollPlan",
    "Unrolled",
    "VarPool",
    "clause_lists",
    "coi_latches",
    "cone",
    "count_clauses",
    "differ_if",
    "distinct",
    "encode_frame",
    "encode_inputs",
    "equal",
    "equal_if",
    "free_state",
    "initial_state",
    "plan_unrolling",
    "tseitin",
    "unroll",
]

Block = np.ndarray | list[list[int]]
"""A clause block: a 2-d int64 array with one clause per row, or a list of clauses as lists
of ints (DIMACS literals, no terminating 0)."""


class VarPool:
    """Fresh DIMACS variables ``1, 2, ...``, handed out in contiguous blocks.

    The counter that every encoding function takes (PySAT's ``IDPool`` without names: names
    per variable would cost a dict entry per gate and frame).
    """

    def __init__(self, top: int = 0) -> None:
        self.top = top

    def fresh(self, count: int = 1) -> int:
        """The first of ``count`` new consecutive variables."""
        if count < 0:
            raise ValueError("count must be >= 0")
        first = self.top + 1
        self.top += count
        return first

    def block(self, count: int) -> np.ndarray:
        """``count`` new consecutive variables as an int64 array."""
        first = self.fresh(count)
        return np.arange(first, first + count, dtype=np.int64)


def count_clauses(blocks: Iterable[Block]) -> int:
    """The number of clauses in ``blocks``."""
    return sum(len(block) for block in blocks)


def clause_lists(blocks: Iterable[Block]) -> list[list[int]]:
    """All clauses of ``blocks`` as lists of ints."""
    out: list[list[int]] = []
    for block in blocks:
        out.extend(block.tolist() if isinstance(block, np.ndarray) else block)
    return out


# --- Tseitin encoding of a cone --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Cone:
    """The gates of an AIG in the cone of influence of some roots, with their clause pattern.

    ``gates`` are the cone's gate variables in topological order and ``leaves`` its leaf
    indices (0-based inputs of the AIG). ``binary`` (two rows per gate) and ``ternary`` (one
    row per gate) are the Tseitin clauses written in AIG literals; :func:`tseitin` turns them
    into DIMACS clauses of one copy.
    """

    num_vars: int
    num_leaves: int
    leaves: np.ndarray
    gates: np.ndarray
    binary: np.ndarray
    ternary: np.ndarray

    @property
    def num_gates(self) -> int:
        return len(self.gates)

    @property
    def num_clauses(self) -> int:
        return 3 * len(self.gates)

    @cached_property
    def triples(self) -> list[tuple[int, int, int]]:
        """``(gate, left, right)`` of the cone's gates as Python ints (the hashed encoder's
        loop)."""
        gates = self.gates.tolist()
        fanins = self.ternary[:, 1:].tolist()
        return [(g, a ^ 1, b ^ 1) for g, (a, b) in zip(gates, fanins, strict=True)]


def cone(aig: Aig, roots: Iterable[int]) -> Cone:
    """The cone of influence of the literals ``roots`` in ``aig`` (see :class:`Cone`)."""
    roots = list(roots)
    if any(not 0 <= lit < 2 * aig.num_vars for lit in roots):
        raise ValueError("a root literal is not in this AIG")
    needed = np.array(aig.cone(roots), dtype=bool)
    first = aig.first_and_var
    leaves = np.flatnonzero(needed[1:first]).astype(np.int64)
    index = np.flatnonzero(needed[first:]).astype(np.int64)
    gates = index + first
    left = np.asarray(aig.left, dtype=np.int64)[index]
    right = np.asarray(aig.right, dtype=np.int64)[index]
    pos = 2 * gates
    neg = pos + 1
    binary = np.stack([np.concatenate([neg, neg]), np.concatenate([left, right])], axis=1)
    ternary = np.stack([pos, left ^ 1, right ^ 1], axis=1)
    for array in (leaves, gates, binary, ternary):
        array.flags.writeable = False
    return Cone(aig.num_vars, aig.num_inputs, leaves, gates, binary, ternary)


@dataclass(frozen=True, eq=False)
class Encoding:
    """One Tseitin copy of a cone: ``lits[l]`` is the DIMACS literal of AIG literal ``l`` (0
    for variables outside the cone) and ``clauses`` the copy's clause blocks."""

    lits: np.ndarray
    clauses: tuple[Block, ...]

    def lit(self, aig_lit: int) -> int:
        """The DIMACS literal of ``aig_lit`` in this copy."""
        value = int(self.lits[aig_lit])
        if value == 0:
            raise KeyError(f"AIG literal {aig_lit} is not in the encoded cone")
        return value

    def literals(self, aig_lits: Sequence[int] | np.ndarray) -> np.ndarray:
        """The DIMACS literals of an array of AIG literals (0 where not encoded)."""
        return self.lits[np.asarray(aig_lits, dtype=np.int64)]


@dataclass(eq=False)
class Strash:
    """The structural hash table of one solver: ordered DIMACS fanin pair -> gate variable
    (the pair ``x < y`` keyed as the int ``(x << 32) ^ y``, unique for variables < 2**31).

    Shared by every copy encoded into that solver (never across solvers: a hit means the
    gate's clauses are already there). ``hits`` counts the gates it saved.
    """

    table: dict[int, int] = field(default_factory=dict)
    hits: int = 0


@dataclass(frozen=True, eq=False)
class Substitution:
    """Signal equalities used as rewrites: ``rep_lit[v]`` is the AIG literal that variable
    ``v`` equals (its class representative, a smaller variable, possibly complemented), or -1.
    Only sound where the equalities hold (e.g. proved invariants, in reachable states)."""

    rep_lit: tuple[int, ...]

    @staticmethod
    def of(num_vars: int, members: np.ndarray, rep_lits: np.ndarray) -> Substitution:
        table = np.full(num_vars, -1, dtype=np.int64)
        table[np.asarray(members, dtype=np.int64)] = rep_lits
        return Substitution(tuple(table.tolist()))


def tseitin(
    cone: Cone,
    leaf_lits: Sequence[int] | np.ndarray,
    true_lit: int,
    pool: VarPool,
    *,
    strash: Strash | None = None,
    substitute: Substitution | None = None,
    own: list[int] | None = None,
) -> Encoding:
    """Tseitin-encode one copy of ``cone`` whose leaf ``i`` is the DIMACS literal
    ``leaf_lits[i]`` (only the cone's leaves are read; others may be 0) and whose constant
    false is ``-true_lit``.

    Without ``strash`` every gate gets a fresh variable from ``pool`` (the pattern encoder);
    with it, gates are folded and hashed (see the module docstring) and only new gates get
    variables and clauses. ``substitute`` (which needs ``strash``) rewrites member signals,
    leaves included, to their representatives; with ``own`` (a list of ``cone.num_vars``
    ints) it also records, for each rewritten gate, the literal of the gate's own function of
    its (rewritten) fanins (speculative reduction compares the two).
    """
    leaf = np.asarray(leaf_lits, dtype=np.int64)
    if leaf.shape != (cone.num_leaves,):
        raise ValueError(f"expected {cone.num_leaves} leaf literals, got shape {leaf.shape}")
    if np.any(leaf[cone.leaves] == 0):
        raise ValueError("a leaf of the cone has no literal")
    if strash is not None:
        return _tseitin_hashed(cone, leaf, true_lit, pool, strash, substitute, own)
    if substitute is not None:
        raise ValueError("a substitution needs the hashed encoder (pass a Strash)")
    lits = np.zeros(2 * cone.num_vars, dtype=np.int64)
    lits[0], lits[1] = -true_lit, true_lit
    stop = 2 + 2 * cone.num_leaves
    lits[2:stop:2] = leaf
    lits[3:stop:2] = -leaf
    if cone.num_gates == 0:
        return Encoding(lits, ())
    fresh = pool.block(cone.num_gates)
    lits[2 * cone.gates] = fresh
    lits[2 * cone.gates + 1] = -fresh
    return Encoding(lits, (lits[cone.binary], lits[cone.ternary]))


def _tseitin_hashed(
    cone: Cone,
    leaf: np.ndarray,
    true_lit: int,
    pool: VarPool,
    strash: Strash,
    substitute: Substitution | None,
    own: list[int] | None = None,
) -> Encoding:
    """The hashed encoder: one Python loop over the cone's gates, clauses emitted in bulk."""
    false = -true_lit
    val = [0] * cone.num_vars  # DIMACS literal of each AIG variable
    val[0] = false
    for i, lit in zip(cone.leaves.tolist(), leaf[cone.leaves].tolist(), strict=True):
        val[i + 1] = lit
    rep = substitute.rep_lit if substitute is not None else None
    if rep is not None:
        for i in cone.leaves.tolist():
            r = rep[i + 1]
            if r >= 0:
                val[i + 1] = -val[r >> 1] if r & 1 else val[r >> 1]
    table, get = strash.table, strash.table.get
    top = pool.top
    hits = 0
    clauses: list[list[int]] = []
    emit = clauses.append
    for g, a, b in cone.triples:
        replaced = rep is not None and rep[g] >= 0
        if replaced and own is None:
            r = rep[g]
            val[g] = -val[r >> 1] if r & 1 else val[r >> 1]
            continue
        x = -val[a >> 1] if a & 1 else val[a >> 1]
        y = -val[b >> 1] if b & 1 else val[b >> 1]
        if x == false or y == false or x == -y:
            out = false
        elif x in (true_lit, y):
            out = y
        elif y == true_lit:
            out = x
        else:
            # One int per ordered pair (ints, unlike tuples, are not tracked by the GC).
            key = (x << 32) ^ y if x < y else (y << 32) ^ x
            out = get(key)
            if out is None:
                top += 1
                table[key] = out = top
                # Emitted as Python lists right away: cheaper than a numpy round trip.
                emit([-top, x])
                emit([-top, y])
                emit([top, -x, -y])
            else:
                hits += 1
        if replaced:
            own[g] = out  # type: ignore[index]
            r = rep[g]  # type: ignore[index]
            out = -val[r >> 1] if r & 1 else val[r >> 1]
        val[g] = out
    pool.top = top
    strash.hits += hits
    values = np.array(val, dtype=np.int64)
    lits = np.empty(2 * cone.num_vars, dtype=np.int64)
    lits[0::2] = values
    lits[1::2] = -values
    return Encoding(lits, (clauses,) if clauses else ())


# --- Small constraint blocks -----------------------------------------------------------------


def _pairs(x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray) -> tuple[np.ndarray, ...]:
    a = np.asarray(x, dtype=np.int64)
    b = np.asarray(y, dtype=np.int64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("expected two literal vectors of one length")
    return a, b


def equal(x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray) -> Block:
    """Clauses ``x[i] <-> y[i]`` for every ``i``."""
    a, b = _pairs(x, y)
    return np.concatenate([np.stack([-a, b], axis=1), np.stack([a, -b], axis=1)])


def equal_if(
    guard: Sequence[int] | np.ndarray, x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray
) -> Block:
    """Clauses ``guard[i] -> (x[i] <-> y[i])`` (activation literals for retractable facts)."""
    a, b = _pairs(x, y)
    g, _ = _pairs(guard, a)
    return np.concatenate([np.stack([-g, -a, b], axis=1), np.stack([-g, a, -b], axis=1)])


def differ_if(
    guard: Sequence[int] | np.ndarray, x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray
) -> Block:
    """Clauses ``guard[i] -> (x[i] xor y[i])``."""
    a, b = _pairs(x, y)
    g, _ = _pairs(guard, a)
    return np.concatenate([np.stack([-g, a, b], axis=1), np.stack([-g, -a, -b], axis=1)])


def distinct(
    x: Sequence[int] | np.ndarray, y: Sequence[int] | np.ndarray, pool: VarPool
) -> tuple[Block, ...]:
    """Clauses forcing the vectors ``x`` and ``y`` to differ somewhere: one fresh literal per
    position, ``e[i] -> (x[i] xor y[i])``, and the clause ``e[0] | ... | e[n-1]`` (the empty
    clause when ``n = 0``: empty vectors are never distinct). The simple-path constraint of
    Sheeran, Singh and Stålmarck (FMCAD 2000) for one pair of states."""
    a, _ = _pairs(x, y)
    e = pool.block(len(a))
    return differ_if(e, x, y), e[None, :]


# --- Unrolling of a safety problem -----------------------------------------------------------


def coi_latches(problem: SafetyProblem, roots: Iterable[int]) -> tuple[int, ...]:
    """The latches in the sequential cone of influence of ``roots``: those read by the roots,
    by the next-state functions of those, and so on (sorted indices)."""
    aig = problem.aig
    first_latch = 1 + problem.num_inputs
    first_gate = aig.first_and_var
    seen = bytearray(aig.num_vars)
    stack = [lit >> 1 for lit in roots]
    latches: list[int] = []
    left, right, next_state = aig.left, aig.right, problem.next_state
    while stack:
        var = stack.pop()
        if seen[var]:
            continue
        seen[var] = 1
        if var >= first_gate:
            stack.append(left[var - first_gate] >> 1)
            stack.append(right[var - first_gate] >> 1)
        elif var >= first_latch:
            latches.append(var - first_latch)
            stack.append(next_state[var - first_latch] >> 1)
    return tuple(sorted(latches))


@dataclass(frozen=True, eq=False)
class UnrollPlan:
    """What unrolling ``problem`` encodes: the cone-of-influence latches ``latches`` (sorted
    indices), the cones of the constraints and of the initial state (both evaluated with every
    latch 0, as :func:`~verifier.ir.safety.run_problem` does) and the cone of one frame (bad,
    the next state of ``latches`` and ``extra`` roots)."""

    problem: SafetyProblem
    latches: np.ndarray
    extra: tuple[int, ...]
    constraint_cone: Cone
    init_cone: Cone
    step_cone: Cone

    @property
    def num_latches(self) -> int:
        return len(self.latches)

    def latch_vars(self) -> np.ndarray:
        """The AIG variables of ``latches``."""
        return self.latches + 1 + self.problem.num_inputs


def plan_unrolling(problem: SafetyProblem, extra: Iterable[int] = ()) -> UnrollPlan:
    """The :class:`UnrollPlan` of ``problem``; ``extra`` literals (over inputs and latches)
    are kept in every frame besides ``bad`` and the next state."""
    extra = tuple(extra)
    latches = coi_latches(problem, (problem.bad, *extra))
    aig = problem.aig
    latch_array = np.array(latches, dtype=np.int64)
    latch_array.flags.writeable = False
    return UnrollPlan(
        problem=problem,
        latches=latch_array,
        extra=extra,
        constraint_cone=cone(aig, problem.constraints),
        init_cone=cone(aig, [problem.init[j] for j in latches]),
        step_cone=cone(aig, (problem.bad, *extra, *(problem.next_state[j] for j in latches))),
    )


@dataclass(frozen=True, eq=False)
class Inputs:
    """The frozen inputs: the true literal, one DIMACS literal per problem input, and the
    clauses asserting the true literal and the constraints."""

    true_lit: int
    lits: np.ndarray
    clauses: tuple[Block, ...]


@dataclass(frozen=True, eq=False)
class State:
    """The state of frame 0: one DIMACS literal per cone-of-influence latch, and the clauses
    defining them."""

    lits: np.ndarray
    clauses: tuple[Block, ...]


@dataclass(frozen=True, eq=False)
class Frame:
    """One frame: the step cone encoded over the inputs and ``state``; ``next_state`` is the
    state of the following frame and ``bad`` the DIMACS literal of bad in this frame."""

    encoding: Encoding
    state: np.ndarray
    next_state: np.ndarray
    bad: int

    @property
    def clauses(self) -> tuple[Block, ...]:
        return self.encoding.clauses


def _leaves(plan: UnrollPlan, inputs: Inputs, state: np.ndarray | None) -> np.ndarray:
    """Leaf literals: the inputs, then the latches (``state`` for the plan's latches, or all
    latches false when ``state`` is None)."""
    n_in = plan.problem.num_inputs
    leaf = np.zeros(plan.problem.aig.num_inputs, dtype=np.int64)
    leaf[:n_in] = inputs.lits
    if state is None:
        leaf[n_in:] = -inputs.true_lit
    else:
        leaf[n_in + plan.latches] = state
    return leaf


def encode_inputs(plan: UnrollPlan, pool: VarPool, strash: Strash | None = None) -> Inputs:
    """A true literal, fresh variables for every input, and the constraints asserted."""
    true_lit = pool.fresh()
    n_in = plan.problem.num_inputs
    inputs = Inputs(true_lit, pool.block(n_in), ())
    leaves = _leaves(plan, inputs, None)
    enc = tseitin(plan.constraint_cone, leaves, true_lit, pool, strash=strash)
    units = enc.literals(plan.problem.constraints)[:, None]
    clauses = (np.array([[true_lit]], dtype=np.int64), *enc.clauses, units)
    return Inputs(true_lit, inputs.lits, clauses)


def initial_state(
    plan: UnrollPlan, inputs: Inputs, pool: VarPool, strash: Strash | None = None
) -> State:
    """The initial state: ``init`` of the plan's latches on the inputs, every latch 0."""
    leaves = _leaves(plan, inputs, None)
    enc = tseitin(plan.init_cone, leaves, inputs.true_lit, pool, strash=strash)
    return State(enc.literals([plan.problem.init[j] for j in plan.latches]), enc.clauses)


def free_state(plan: UnrollPlan, pool: VarPool) -> State:
    """An arbitrary state: a fresh variable per latch of the plan, no clauses."""
    return State(pool.block(plan.num_latches), ())


def encode_frame(
    plan: UnrollPlan,
    inputs: Inputs,
    state: np.ndarray,
    pool: VarPool,
    strash: Strash | None = None,
    substitute: Substitution | None = None,
    own: list[int] | None = None,
) -> Frame:
    """One frame over ``inputs`` and the latch literals ``state`` (see :class:`Frame`; with a
    substitution, the frame's ``state`` is the rewritten one; ``own`` as for :func:`tseitin`)."""
    enc = tseitin(
        plan.step_cone,
        _leaves(plan, inputs, state),
        inputs.true_lit,
        pool,
        strash=strash,
        substitute=substitute,
        own=own,
    )
    problem = plan.problem
    next_state = enc.literals([problem.next_state[j] for j in plan.latches])
    return Frame(enc, enc.lits[2 * plan.latch_vars()], next_state, enc.lit(problem.bad))


@dataclass(frozen=True, eq=False)
class Unrolled:
    """A whole unrolling: inputs, frame-0 state and the frames (see :func:`unroll`)."""

    plan: UnrollPlan
    inputs: Inputs
    start: State
    frames: tuple[Frame, ...]

    def clauses(self) -> list[Block]:
        blocks = [*self.inputs.clauses, *self.start.clauses]
        for frame in self.frames:
            blocks.extend(frame.clauses)
        return blocks


def unroll(
    problem: SafetyProblem | UnrollPlan,
    frames: int,
    pool: VarPool,
    *,
    initial: bool = True,
    strash: Strash | None = None,
) -> Unrolled:
    """``frames`` frames of ``problem`` from its initial state (or a free state when
    ``initial`` is false), frame ``t + 1`` reading the next state of frame ``t``; hashed when
    a ``strash`` table is given."""
    plan = problem if isinstance(problem, UnrollPlan) else plan_unrolling(problem)
    inputs = encode_inputs(plan, pool, strash)
    start = initial_state(plan, inputs, pool, strash) if initial else free_state(plan, pool)
    built: list[Frame] = []
    state = start.lits
    for _ in range(frames):
        frame = encode_frame(plan, inputs, state, pool, strash)
        built.append(frame)
        state = frame.next_state
    return Unrolled(plan, inputs, start, tuple(built))
