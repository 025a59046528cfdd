"""Random simulation against brute force: a counterexample it reports replays (first bad in
exactly its round), it never claims SAFE, and with every input among its runs it finds the
first bad round whenever one is within its rounds."""

from __future__ import annotations

from hypothesis import given, settings

from tests.engines.brute import ground_truth
from tests.engines.problems import long_counter
from tests.strategies import safety_problems
from verifier.engines import random_sim
from verifier.engines.base import Cex, Options, Status, get
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.safety import SafetyProblem, run_problem


@settings(max_examples=300)
@given(safety_problems())
def test_agrees_with_brute_force(problem: SafetyProblem) -> None:
    truth = ground_truth(problem)
    outcome = random_sim.run(problem)
    assert outcome.status is not Status.SAFE
    if outcome.status is Status.UNSAFE:
        assert outcome.cex is not None
        valid, bad = run_problem(problem, outcome.cex.inputs, outcome.cex.depth)
        assert valid and bad[-1] and not any(bad[:-1])
        assert truth.first_bad is not None and truth.first_bad <= outcome.cex.depth
    # A few inputs: 1024 random runs cover all of them (with overwhelming probability; the
    # seed is fixed, so this is deterministic), so the earliest bad round is found.
    elif truth.first_bad is not None and problem.num_inputs <= 4:
        assert truth.first_bad >= random_sim.ROUNDS, (outcome, truth)


def test_bound_limits_the_rounds() -> None:
    problem = long_counter(4)  # bad in round 15
    assert random_sim.run(problem, Options(bound=14)).status is Status.UNKNOWN
    assert random_sim.run(problem, Options(bound=15)).cex == Cex((), 15)


def test_registered() -> None:
    assert get("random") is random_sim.run


def test_gives_up_at_once_when_no_random_input_is_valid() -> None:
    """40 inputs that must all be true: 1024 random inputs miss (the chance of a hit is
    1024 / 2**40), so nothing is simulated; the answer stays UNKNOWN, never SAFE."""
    n = 40
    b = AigBuilder(n + 1)
    problem = SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"x{i}" for i in range(n)),
        latch_names=("l",),
        init=(FALSE,),
        next_state=(TRUE,),
        bad=b.input(n),
        constraints=tuple(b.input(i) for i in range(n)),
    )
    outcome = random_sim.run(problem)
    assert outcome.status is Status.UNKNOWN
    assert "satisfies the assumptions" in outcome.detail
