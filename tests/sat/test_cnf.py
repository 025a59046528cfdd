"""Tseitin encoding and unrolling, checked by exhaustive enumeration and model counting."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import raw_aigs, safety_problems
from verifier.ir.aig import Aig, AigBuilder
from verifier.ir.safety import SafetyProblem, run_problem
from verifier.sat.cnf import (
    Strash,
    Substitution,
    VarPool,
    clause_lists,
    coi_latches,
    cone,
    count_clauses,
    distinct,
    plan_unrolling,
    tseitin,
    unroll,
)
from verifier.sat.solver import SatSolver


def encode_all(aig: Aig, strash: Strash | None):
    """Every variable of ``aig`` encoded, inputs on variables 2.., true literal 1."""
    pool = VarPool()
    true_lit = pool.fresh()
    inputs = pool.block(aig.num_inputs)
    roots = [2 * v for v in range(aig.num_vars)]
    enc = tseitin(cone(aig, roots), inputs, true_lit, pool, strash=strash)
    return pool, true_lit, inputs, enc


@pytest.mark.parametrize("hashed", [False, True])
@settings(max_examples=150)
@given(aig=raw_aigs())
def test_tseitin_models_are_exactly_the_evaluations(aig: Aig, hashed: bool) -> None:
    """Model counting: the CNF has exactly one model per input assignment (gate variables are
    functionally determined), and in it every literal has the value the AIG evaluates to."""
    pool, true_lit, inputs, enc = encode_all(aig, Strash() if hashed else None)
    lits = enc.literals(np.arange(2 * aig.num_vars))
    all_vars = list(range(1, pool.top + 1))
    seen: set[tuple[bool, ...]] = set()
    with SatSolver() as solver:
        solver.add_clause([true_lit])
        solver.add_blocks(enc.clauses)
        # Variables no clause mentions would multiply the count: pin them to false.
        mentioned = {abs(x) for c in clause_lists(enc.clauses) for x in c} | {true_lit}
        mentioned |= set(inputs.tolist())
        for v in all_vars:
            if v not in mentioned:
                solver.add_clause([-v])
        while solver.solve():
            values = solver.values(lits)
            bits = tuple(bool(b) for b in solver.values(inputs))
            assert bits not in seen
            seen.add(bits)
            expected = aig.evaluate([int(b) for b in bits])
            for lit in range(2 * aig.num_vars):
                assert values[lit] == bool(Aig.value(expected, lit))
            model = solver.values(all_vars)
            solver.add_clause([-v if b else v for v, b in zip(all_vars, model, strict=True)])
    assert len(seen) == 2**aig.num_inputs


@given(aig=raw_aigs(), data=st.data())
def test_cone_holds_only_what_the_roots_need(aig: Aig, data: st.DataObject) -> None:
    roots = data.draw(st.lists(st.integers(0, 2 * aig.num_vars - 1), max_size=3))
    part = cone(aig, roots)
    needed = aig.cone(roots)
    assert part.gates.tolist() == [v for v in range(aig.first_and_var, aig.num_vars) if needed[v]]
    assert part.leaves.tolist() == [i for i in range(aig.num_inputs) if needed[i + 1]]
    assert part.num_clauses == 3 * part.num_gates


def test_hashing_folds_constants_and_shares_across_copies() -> None:
    b = AigBuilder(3)
    x, y, z = (b.input(i) for i in range(3))
    g = b.and_(b.and_(x, y), z)
    part = cone(b.build(), [g])
    pool, strash = VarPool(), Strash()
    true_lit = pool.fresh()
    leaves = pool.block(3)
    first = tseitin(part, leaves, true_lit, pool, strash=strash)
    again = tseitin(part, leaves, true_lit, pool, strash=strash)
    assert again.lit(g) == first.lit(g) and again.clauses == () and strash.hits == 2
    folded = tseitin(part, [leaves[0], -true_lit, leaves[2]], true_lit, pool, strash=strash)
    assert folded.lit(g) == -true_lit and folded.clauses == ()
    same = tseitin(part, [leaves[0], true_lit, leaves[2]], true_lit, pool, strash=strash)
    assert count_clauses(same.clauses) == 3  # x & 1 = x, then one new gate x & z


def test_substitution_rewrites_members() -> None:
    b = AigBuilder(2)
    x, y = b.input(0), b.input(1)
    g = b.and_(x, y)
    aig = b.build()
    pool = VarPool()
    true_lit = pool.fresh()
    leaves = pool.block(2)
    # Claim y == !x: then x & y folds to false.
    subst = Substitution.of(aig.num_vars, np.array([y >> 1]), np.array([x ^ 1]))
    enc = tseitin(cone(aig, [g]), leaves, true_lit, pool, strash=Strash(), substitute=subst)
    assert enc.lit(y) == -leaves[0] and enc.lit(g) == -true_lit
    with pytest.raises(ValueError, match="hashed"):
        tseitin(cone(aig, [g]), leaves, true_lit, pool, substitute=subst)


def test_leaf_without_literal_is_an_error() -> None:
    b = AigBuilder(2)
    g = b.and_(b.input(0), b.input(1))
    with pytest.raises(ValueError, match="leaf"):
        tseitin(cone(b.build(), [g]), [2, 0], 1, VarPool(1))


@pytest.mark.parametrize("hashed", [False, True])
@settings(max_examples=80)
@given(problem=safety_problems(), frames=st.integers(1, 6))
def test_unrolling_matches_run_problem(problem: SafetyProblem, frames: int, hashed: bool) -> None:
    """For every input: the unrolling is satisfiable iff the input is valid, and then bad in
    each frame is what the oracle computes."""
    unrolled = unroll(problem, frames, VarPool(), strash=Strash() if hashed else None)
    bads = [frame.bad for frame in unrolled.frames]
    with SatSolver() as solver:
        solver.add_blocks(unrolled.clauses())
        for bits in itertools.product((False, True), repeat=problem.num_inputs):
            lits = unrolled.inputs.lits.tolist()
            assume = [lit if b else -lit for lit, b in zip(lits, bits, strict=True)]
            valid, bad = run_problem(problem, bits, frames - 1)
            result = solver.solve(assume)
            assert result == valid
            if valid:
                assert solver.values(bads).tolist() == bad


@settings(max_examples=50)
@given(problem=safety_problems())
def test_coi_latches_are_closed_under_next_state(problem: SafetyProblem) -> None:
    latches = set(coi_latches(problem, [problem.bad]))
    aig = problem.aig
    for j in latches:
        needed = aig.cone([problem.next_state[j]])
        read = {k for k in range(problem.num_latches) if needed[problem.num_inputs + 1 + k]}
        assert read <= latches
    plan = plan_unrolling(problem)
    assert set(plan.latches.tolist()) == latches


def test_distinct_forces_a_difference() -> None:
    pool = VarPool(4)
    with SatSolver() as solver:
        solver.add_blocks(distinct([1, 2], [3, 4], pool))
        assert solver.solve([1, 2, 3, 4]) is False
        assert solver.solve([1, 2, 3, -4]) is True
    with SatSolver() as solver:
        solver.add_blocks(distinct([], [], VarPool()))  # empty vectors never differ
        assert solver.solve() is False
