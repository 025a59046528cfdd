"""The SAT engines against brute force on many small random problems (every input, 2**latches
rounds: with frozen inputs a run repeats a state by then).

* bmc: a counterexample iff one exists within the bound, at the first depth, replaying through
  the oracle; SAFE only in the trivial cases; otherwise UNKNOWN saying exactly the bound;
* induction (with and without signal correspondence): SAFE exactly when no valid input ever
  reaches bad, else UNSAFE with a replaying counterexample at the first depth. No bound and no
  deadline are given, so UNKNOWN is never acceptable here.

Each example goes through all three so that the (costly) generation is shared.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engines.brute import Truth, ground_truth, replays
from tests.engines.problems import counter_problems, miter
from tests.strategies import safety_problems
from verifier.engines import bmc, induction
from verifier.engines.base import Options, Outcome, Status
from verifier.ir.safety import SafetyProblem


def check_bmc(problem: SafetyProblem, truth: Truth, bound: int) -> None:
    outcome = bmc.run(problem, Options(bound=bound))
    if truth.first_bad is not None and truth.first_bad <= bound:
        assert outcome.status is Status.UNSAFE, (outcome, truth)
        assert outcome.cex is not None and outcome.cex.depth == truth.first_bad
        assert replays(problem, outcome.cex)
    elif outcome.status is Status.SAFE:
        # Only the trivial proofs: bad is constant false, or there is no valid input.
        assert truth.first_bad is None
        assert problem.bad == 0 or truth.valid_inputs == 0, outcome
    else:
        assert outcome.status is Status.UNKNOWN, outcome
        assert outcome.bound == bound
        assert outcome.detail == f"bad is false in rounds 0..{bound} for every valid input"


def check_proof(problem: SafetyProblem, truth: Truth, outcome: Outcome) -> None:
    if truth.first_bad is None:
        assert outcome.status is Status.SAFE, (outcome, truth)
    else:
        assert outcome.status is Status.UNSAFE, (outcome, truth)
        assert outcome.cex is not None and outcome.cex.depth == truth.first_bad
        assert replays(problem, outcome.cex)


def check_all(problem: SafetyProblem, bound: int) -> None:
    truth = ground_truth(problem)
    check_bmc(problem, truth, bound)
    check_proof(problem, truth, induction.run(problem, Options()))
    check_proof(problem, truth, induction.prove(problem, Options(), correspondence=False))


@settings(max_examples=500)
@given(safety_problems(), st.integers(0, 6))
def test_random_problems(problem: SafetyProblem, bound: int) -> None:
    check_all(problem, bound)


@settings(max_examples=200)
@given(counter_problems(), st.integers(0, 40))
def test_counters(problem: SafetyProblem, bound: int) -> None:
    check_all(problem, bound)


@settings(max_examples=150)
@given(safety_problems(max_latches=3), st.data())
def test_miters(problem: SafetyProblem, data: st.DataObject) -> None:
    signal = st.integers(0, 2 * problem.aig.num_vars - 1)
    mutate = data.draw(st.none() | st.tuples(st.integers(0, problem.num_latches - 1), signal))
    check_all(miter(problem, mutate), 8)
