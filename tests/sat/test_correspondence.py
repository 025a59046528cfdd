"""Signal correspondence: what it proves holds in every reachable state (brute force)."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engines.problems import counter_problems, long_counter, miter
from tests.strategies import safety_problems
from verifier.ir.aig import Aig
from verifier.ir.safety import SafetyProblem
from verifier.sat.cnf import plan_unrolling
from verifier.sat.correspondence import signal_correspondence, signals_of
from verifier.sat.solver import OutOfTime


def reachable_values(problem: SafetyProblem):
    """The values of every AIG variable in every reachable state of every valid input."""
    aig = problem.aig
    for bits in itertools.product((0, 1), repeat=problem.num_inputs):
        zeros = aig.evaluate([*bits, *[0] * problem.num_latches])
        if not all(Aig.value(zeros, c) for c in problem.constraints):
            continue
        state = tuple(Aig.value(zeros, lit) for lit in problem.init)
        seen = set()
        while state not in seen:  # frozen inputs: the run is a lasso
            seen.add(state)
            values = aig.evaluate([*bits, *state])
            yield values
            state = tuple(Aig.value(values, lit) for lit in problem.next_state)


def check_invariant(problem: SafetyProblem, registers: bool = False) -> None:
    eq = signal_correspondence(plan_unrolling(problem), registers=registers)
    members, reps = eq.literal_pairs()
    pairs = list(zip(members.tolist(), reps.tolist(), strict=True))
    bad_false = eq.is_false(problem.bad)
    for values in reachable_values(problem):
        for m, r in pairs:
            assert Aig.value(values, m) == Aig.value(values, r), (m, r)
        assert not (bad_false and Aig.value(values, problem.bad))


@settings(max_examples=120)
@given(safety_problems(), st.booleans())
def test_equalities_hold_in_every_reachable_state(problem: SafetyProblem, registers: bool) -> None:
    check_invariant(problem, registers)


@settings(max_examples=60)
@given(counter_problems(), st.booleans())
def test_equalities_hold_on_counters(problem: SafetyProblem, registers: bool) -> None:
    check_invariant(problem, registers)


@settings(max_examples=60)
@given(safety_problems())
def test_register_candidates_are_leaves_and_bad(problem: SafetyProblem) -> None:
    plan = plan_unrolling(problem)
    signals = set(signals_of(plan, registers=True).tolist())
    assert signals <= set(signals_of(plan).tolist()) | {problem.bad >> 1}
    eq = signal_correspondence(plan, registers=True)
    gates = {v for v in eq.members.tolist() if v >= problem.aig.first_and_var}
    assert gates <= {problem.bad >> 1}


def test_register_correspondence_proves_equal_counters() -> None:
    problem = miter(long_counter(24))
    eq = signal_correspondence(plan_unrolling(problem), registers=True)
    assert eq.is_false(problem.bad)


def test_miter_of_equal_counters_is_proved_at_once() -> None:
    problem = miter(long_counter(24))
    eq = signal_correspondence(plan_unrolling(problem))
    assert eq.is_false(problem.bad)
    # Every latch of copy B equals its twin of copy A.
    n = problem.num_latches // 2
    latch_b = {1 + problem.num_inputs + n + j for j in range(n)}
    assert latch_b <= set(eq.members.tolist())


def test_deadline_raises_out_of_time() -> None:
    problem = miter(long_counter(24))
    with pytest.raises(OutOfTime):
        signal_correspondence(plan_unrolling(problem), deadline=time.monotonic() - 1)
