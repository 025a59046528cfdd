"""Ground truth for small safety problems by brute force over every input (the oracle
:func:`verifier.ir.safety.run_problem`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from verifier.engines.base import Cex
from verifier.ir.safety import SafetyProblem, run_problem


@dataclass(frozen=True)
class Truth:
    """The first round in which some valid input makes bad true (None: never), and the
    number of valid inputs."""

    first_bad: int | None
    valid_inputs: int


def horizon(problem: SafetyProblem) -> int:
    """Rounds after which nothing new happens: with frozen inputs a run visits at most
    ``2**latches`` distinct states, so the first bad round (if any) is below that."""
    return 2**problem.num_latches


def ground_truth(problem: SafetyProblem) -> Truth:
    first: int | None = None
    valid_count = 0
    for bits in itertools.product((False, True), repeat=problem.num_inputs):
        valid, bad = run_problem(problem, bits, horizon(problem))
        if not valid:
            continue
        valid_count += 1
        if True in bad:
            depth = bad.index(True)
            first = depth if first is None else min(first, depth)
    return Truth(first, valid_count)


def replays(problem: SafetyProblem, cex: Cex) -> bool:
    """Whether the counterexample's input is valid and bad is first true at its depth."""
    if len(cex.inputs) != problem.num_inputs:
        return False
    valid, bad = run_problem(problem, cex.inputs, cex.depth)
    return valid and bad[-1] and not any(bad[:-1])
