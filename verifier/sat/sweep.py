"""SAT sweeping: prove a combinational miter by first proving its internal equivalences.

A miter of two differently built circuits for the same function (a carry-lookahead adder tree
against a ripple-carry one, say) is hard for a SAT solver asked only about the outputs: it
would have to rediscover that the two circuits compute the same intermediate values. Sweeping
(the "fraiging" of ABC's ``fraig`` and of van Eijk's method, here for one frame) finds those
values first:

1. simulate the AIG on sample inputs (Python ints as bit vectors, :meth:`Aig.evaluate`), so
   that every variable has a *signature*; variables with equal or complementary signatures
   (or constant ones) are candidates for equivalence;
2. in topological order, ask the solver whether each variable can differ from the first
   earlier variable of its class (under the care literal, e.g. "the inputs are valid", and a
   conflict budget); a proof adds the equivalence as two binary clauses, which makes the later
   queries local; a counterexample is added to the signatures (from the solver's model, which
   holds every variable's value) and splits the classes;
3. finally ask for the root.

Many miters need no sweeping (adders of a few dozen digits: CaDiCaL proves them directly in
seconds, faster than thousands of candidate queries), so :func:`sweep_solve` first asks for
the root directly with a conflict budget (:data:`DIRECT_CONFLICTS`) and sweeps only when that
does not decide it.

Every equivalence is proved before it is used and the root query runs in the same solver, so
the answer is exactly the satisfiability of ``care & root``; sweeping only makes it faster.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from verifier.ir.aig import Aig
from verifier.sat.cnf import VarPool, cone, tseitin
from verifier.sat.solver import OutOfTime, SatSolver

__all__ = ["SweepStats", "sweep_solve"]

DIRECT_SOLVER = "cadical195"
SWEEP_SOLVER = "m22"
"""MiniSat 2.2: thousands of small incremental queries cost it half of what they cost CaDiCaL
(measured on the arithmetic miters)."""

DIRECT_CONFLICTS = 100_000
"""Conflicts of the direct attempt (CaDiCaL) before sweeping."""

QUERY_CONFLICTS = 2000
"""Conflicts one candidate equivalence may take before it is given up (left unproved)."""


@dataclass(frozen=True)
class SweepStats:
    """What sweeping did: candidate queries, equivalences proved, counterexamples found,
    queries given up, seconds spent."""

    queries: int
    proved: int
    refuted: int
    given_up: int
    seconds: float


@dataclass(frozen=True)
class SweepResult:
    """``satisfiable``: whether ``care & root`` holds for some input (None: out of time);
    ``inputs``: such an input; ``stats``: the sweep's figures."""

    satisfiable: bool | None
    inputs: tuple[bool, ...] | None
    stats: SweepStats


def _signatures(aig: Aig, samples: np.ndarray) -> tuple[list[int], int]:
    """Every variable's values on the sample inputs (a ``(k, num_inputs)`` bool array), as one
    int per variable whose bit i is the value under sample i; and the mask of k bits."""
    k = samples.shape[0]
    mask = (1 << k) - 1
    packed = np.packbits(np.asarray(samples, dtype=bool).T, axis=1, bitorder="little")
    leaves = [int.from_bytes(row.tobytes(), "little") for row in packed]
    return aig.evaluate(leaves, mask), mask


def sweep_solve(
    aig: Aig,
    root: int,
    care: int,
    samples: np.ndarray,
    *,
    cube: Sequence[int] = (),
    deadline: float | None = None,
    direct_conflicts: int = DIRECT_CONFLICTS,
) -> SweepResult:
    """Is ``care & root`` satisfiable (under the ``cube``, input literals assumed true)?
    Sweep the cone of both first (see the module docstring). ``samples``: sample inputs that
    satisfy ``care`` and the cube (a bool array, one row per input); they decide the
    candidates only, never the answer. Equivalences are proved under the cube."""
    start = time.monotonic()
    if deadline is not None and start > deadline:
        return SweepResult(None, None, SweepStats(0, 0, 0, 0, 0.0))
    with _Encoded(aig, root, care, cube, DIRECT_SOLVER) as direct:
        answer = direct.solver.solve_limited([direct.root], direct_conflicts)
        if answer is not None:
            inputs = direct.inputs() if answer else None
            return SweepResult(answer, inputs, SweepStats(0, 0, 0, 0, time.monotonic() - start))
    sigs, mask = _signatures(aig, samples)
    encoded = _Encoded(aig, root, care, cube, SWEEP_SOLVER)
    solver, pool, enc = encoded.solver, encoded.pool, encoded.enc
    var_lit = enc.lits[0::2]  # DIMACS literal of each AIG variable (0 outside the cone)
    in_cone = np.flatnonzero(var_lit[1:]) + 1
    queries = proved = refuted = given_up = 0
    classes = _Classes(sigs, mask, aig.num_vars)
    try:
        for var in in_cone.tolist():
            while True:
                found = classes.find(var)
                if found is None or var < aig.first_and_var:
                    classes.add(var)
                    break
                rep, rep_phase = found
                phase = classes.phase(var)
                # The candidate: var and rep, each complemented by its phase, are equal.
                a = int(var_lit[var]) * (-1 if phase else 1)
                b = int(var_lit[rep]) * (-1 if rep_phase else 1)
                queries += 1
                diff = pool.fresh()
                solver.add_clauses([[-diff, a, b], [-diff, -a, -b]])
                answer = _limited(solver, [diff], deadline)
                values = solver.values(var_lit) if answer else None
                solver.add_clause([-diff])
                if answer is False:
                    proved += 1
                    solver.add_clauses([[-a, b], [a, -b]])
                    break
                if answer is None:
                    given_up += 1
                    classes.add(var)
                    break
                refuted += 1
                classes.add_counterexample(values)
        answer = solver.solve([encoded.root], deadline)
        inputs = encoded.inputs() if answer else None
    except OutOfTime:
        answer, inputs = None, None
    finally:
        solver.close()
    stats = SweepStats(queries, proved, refuted, given_up, time.monotonic() - start)
    return SweepResult(answer, inputs, stats)


class _Encoded:
    """The cone of ``root`` and ``care`` in a new solver: ``care`` and the cube's literals
    asserted as units (the solver is this call's own, so equivalences proved in it hold under
    the cube, which is all the call answers for)."""

    def __init__(self, aig: Aig, root: int, care: int, cube: Sequence[int], name: str) -> None:
        for lit in cube:
            if not 2 <= lit < 2 * (1 + aig.num_inputs):
                raise ValueError(f"cube literal {lit} is not an input literal")
        self.solver = SatSolver(name)
        self.pool = VarPool()
        true_lit = self.pool.fresh()
        self.input_lits = self.pool.block(aig.num_inputs)
        self.enc = tseitin(cone(aig, [root, care]), self.input_lits, true_lit, self.pool)
        units = [[true_lit], [self.enc.lit(care)]]
        units += [[int(self.input_lits[(lit >> 1) - 1]) * (-1 if lit & 1 else 1)] for lit in cube]
        self.solver.add_blocks([units, *self.enc.clauses])
        self.root = self.enc.lit(root)

    def inputs(self) -> tuple[bool, ...]:
        return tuple(bool(v) for v in self.solver.values(self.input_lits))

    def __enter__(self) -> _Encoded:
        return self

    def __exit__(self, *exc: object) -> None:
        self.solver.close()


class _Classes:
    """Candidate classes of the variables seen so far: equal signatures on the samples,
    refined by the counterexamples found since (one bool column per counterexample, so that
    a counterexample costs one column write; a class re-indexes its members lazily, when it
    is next looked up). Each variable is normalized by its *phase*, its value on the first
    sample, so that complementary variables fall into one class; the constant (variable 0)
    is in the class of signature 0."""

    def __init__(self, sigs: list[int], mask: int, num_vars: int) -> None:
        self.sigs = sigs
        self.mask = mask
        self.cex = np.zeros((num_vars, 8), dtype=bool)
        self.count = 0  # counterexample columns in use
        self.members: dict[int, list[int]] = {0: [0]}
        self.index: dict[int, tuple[int, dict[bytes, int]]] = {}

    def phase(self, var: int) -> int:
        return self.sigs[var] & 1

    def _base(self, var: int) -> int:
        sig = self.sigs[var]
        return sig ^ self.mask if sig & 1 else sig

    def _key(self, var: int) -> bytes:
        return (self.cex[var, : self.count] ^ bool(self.phase(var))).tobytes()

    def _lookup(self, base: int) -> dict[bytes, int]:
        version, table = self.index.get(base, (-1, {}))
        if version != self.count:
            table = {}
            for member in self.members.get(base, ()):
                table.setdefault(self._key(member), member)
            self.index[base] = (self.count, table)
        return table

    def find(self, var: int) -> tuple[int, int] | None:
        """An earlier variable of ``var``'s class and its phase, or None."""
        rep = self._lookup(self._base(var)).get(self._key(var))
        return None if rep is None else (rep, self.phase(rep))

    def add(self, var: int) -> None:
        base = self._base(var)
        self.members.setdefault(base, []).append(var)
        self._lookup(base).setdefault(self._key(var), var)

    def add_counterexample(self, values: np.ndarray) -> None:
        """Refine by one more input: ``values[v]`` is variable v's value under it."""
        if self.count == self.cex.shape[1]:
            self.cex = np.concatenate([self.cex, np.zeros_like(self.cex)], axis=1)
        self.cex[: len(values), self.count] = values[: self.cex.shape[0]]
        self.count += 1


def _limited(solver: SatSolver, assumptions: list[int], deadline: float | None) -> bool | None:
    """One query with a conflict budget; None when the budget runs out. OutOfTime past the
    deadline."""
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime("deadline passed while sweeping")
    return solver.solve_limited(assumptions, QUERY_CONFLICTS)
