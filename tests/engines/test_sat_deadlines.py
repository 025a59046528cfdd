"""Deadlines: the SAT engines answer UNKNOWN at once for a past deadline, and within about a
second of a deadline on instances far too hard for it (CaDiCaL cannot be interrupted: conflict
budgets bound each solver call)."""

from __future__ import annotations

import time

import pytest

from tests.engines.problems import commutativity_miter, long_counter
from verifier.engines import bmc, induction
from verifier.engines.base import Options, Status
from verifier.ir.safety import SafetyProblem

ENGINES = {"bmc": bmc.run, "induction": induction.run}
HARD = {
    # x * y != y * x for 16-bit array multipliers: one very hard SAT call in round 0.
    "multiplier": lambda: commutativity_miter(16),
    # bad first true in round 2**64 - 1: an endless unrolling, and no induction proof.
    "counter": lambda: long_counter(64),
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_past_deadline_is_unknown_at_once(engine: str) -> None:
    problem = commutativity_miter(16)
    start = time.monotonic()
    outcome = ENGINES[engine](problem, Options(deadline=start - 1))
    assert outcome.status is Status.UNKNOWN and "no round was checked" in outcome.detail
    assert time.monotonic() - start < 0.2


@pytest.mark.parametrize("instance", sorted(HARD))
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_hard_instance_returns_near_a_one_second_deadline(engine: str, instance: str) -> None:
    problem: SafetyProblem = HARD[instance]()
    start = time.monotonic()
    outcome = ENGINES[engine](problem, Options(bound=10**9, deadline=start + 1.0))
    took = time.monotonic() - start
    assert outcome.status is Status.UNKNOWN and "(deadline)" in outcome.detail
    assert took < 2.0, took
