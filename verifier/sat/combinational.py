"""Combinational equivalence of literal pairs over an AIG's inputs (a SAT miter).

For pairs of literals ``(a_i, b_i)`` of one AIG, decide whether ``a_i == b_i`` for every
assignment of the AIG's inputs (all its leaves) that makes every constraint literal true. One
Tseitin copy of the cone of all pairs and constraints is made; pair ``i`` gets a literal
``d_i -> (a_i xor b_i)`` and a query asks for some ``d_i`` (the classic miter, with the OR over
the pairs in one clause so that a single UNSAT answer proves every pair).

* :func:`find_difference`: None if all pairs are equal, else one input and every pair that
  differs under it;
* :func:`differing_pairs`: every pair that differs, each with a witness input -- the answer of a
  separate check per pair, but found with one SAT call per distinct witness plus one final
  UNSAT call (each satisfying model retires every pair it separates).

Checks use these for the cheap combinational test of two next-state functions over a shared
state (latch-by-latch equivalence), and to list which rules of two networks differ.
A deadline that passes raises :class:`~verifier.sat.solver.OutOfTime`.

>>> from verifier.ir.aig import AigBuilder
>>> b = AigBuilder(2)
>>> x, y = b.input(0), b.input(1)
>>> pairs = [(b.and_(x, y), b.and_(y, x)), (b.or_(x, y), b.xor(x, y))]
>>> find_difference(b.build(), pairs)
Difference(inputs=(True, True), differing=(1,))
>>> find_difference(b.build(), pairs, constraints=[x ^ 1]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from verifier.ir.aig import Aig
from verifier.sat.cnf import VarPool, cone, differ_if, tseitin
from verifier.sat.solver import OutOfTime, SatSolver

__all__ = ["Difference", "differing_pairs", "find_difference"]


@dataclass(frozen=True)
class Difference:
    """An input assignment (one bool per AIG input) and the indices of the pairs that differ
    under it."""

    inputs: tuple[bool, ...]
    differing: tuple[int, ...]


class _Miter:
    """The shared encoding: inputs, constraints asserted, a difference literal per candidate
    pair (a pair of two different literals; a pair of one literal can never differ, and
    leaving it out keeps its cone out of the encoding)."""

    def __init__(
        self, aig: Aig, pairs: Sequence[tuple[int, int]], constraints: Sequence[int]
    ) -> None:
        self.candidates = [i for i, (a, b) in enumerate(pairs) if a != b]
        chosen = np.array([pairs[i] for i in self.candidates], dtype=np.int64).reshape(-1, 2)
        roots = [*chosen.ravel().tolist(), *constraints]
        self.solver = SatSolver()
        pool = VarPool()
        true_lit = pool.fresh()
        self.input_lits = pool.block(aig.num_inputs)
        enc = tseitin(cone(aig, roots), self.input_lits, true_lit, pool)
        self.a = enc.literals(chosen[:, 0])
        self.b = enc.literals(chosen[:, 1])
        self.diff = pool.block(len(chosen))
        self.pool = pool
        units = enc.literals(list(constraints))[:, None]
        self.solver.add_blocks([np.array([[true_lit]]), *enc.clauses, units])
        self.solver.add_blocks([differ_if(self.diff, self.a, self.b)])

    def query(self, positions: Sequence[int], deadline: float | None) -> Difference | None:
        """A model in which some candidate of ``positions`` (indices into
        :attr:`candidates`) differs, or None; its ``differing`` lists pair indices."""
        if not positions:
            return None
        q = self.pool.fresh()
        self.solver.add_clause([-q, *self.diff[list(positions)].tolist()])
        result = self.solver.solve([q], deadline)
        if result is None:
            raise OutOfTime("deadline passed during a combinational equivalence check")
        found = None
        if result:
            inputs = tuple(bool(v) for v in self.solver.values(self.input_lits))
            differs = self.solver.values(self.a) != self.solver.values(self.b)
            found = Difference(inputs, tuple(self.candidates[k] for k in np.flatnonzero(differs)))
        self.solver.add_clause([-q])  # retire the query
        return found


def find_difference(
    aig: Aig,
    pairs: Sequence[tuple[int, int]],
    constraints: Sequence[int] = (),
    deadline: float | None = None,
) -> Difference | None:
    """None if ``a_i == b_i`` for every pair and every input satisfying ``constraints``;
    otherwise such an input and the indices of all pairs that differ under it."""
    miter = _Miter(aig, pairs, constraints)
    try:
        return miter.query(range(len(miter.candidates)), deadline)
    finally:
        miter.solver.close()


def differing_pairs(
    aig: Aig,
    pairs: Sequence[tuple[int, int]],
    constraints: Sequence[int] = (),
    deadline: float | None = None,
) -> dict[int, tuple[bool, ...]]:
    """Every pair index ``i`` for which some input satisfying ``constraints`` makes
    ``a_i != b_i``, mapped to such an input (in index order); the other pairs are proved
    equal."""
    miter = _Miter(aig, pairs, constraints)
    witnesses: dict[int, tuple[bool, ...]] = {}
    remaining = range(len(miter.candidates))
    try:
        while remaining:
            found = miter.query(remaining, deadline)
            if found is None:
                break
            for i in found.differing:
                witnesses.setdefault(i, found.inputs)
            done = set(found.differing)
            remaining = [k for k in remaining if miter.candidates[k] not in done]
    finally:
        miter.solver.close()
    return dict(sorted(witnesses.items()))
