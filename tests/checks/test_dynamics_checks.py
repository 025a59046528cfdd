"""The dynamics checks (transient time, attractors, halting) against an oracle built on the
reference simulators alone: every valid input simulated past ``2**state`` rounds, its lasso
read off the configurations. Both engines, on random BNL programs, SC programs and circuits,
plus the answers of ../shared/examples/README.md."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, scaled
from tests.strategies import bnl_programs, circuits, sc_programs
from verifier import reference
from verifier.checks.dynamics import (
    DynamicsOptions,
    attractors,
    check_halting,
    check_transient,
)
from verifier.checks.verdict import RunCounterexample, VerdictKind
from verifier.engines.dynamics import Attractor
from verifier.formats.registry import load

Model = object


@dataclass(frozen=True)
class Truth:
    transient: int | None  # None: no valid input
    attractors: frozenset[Attractor]
    halting: bool


def truth(model) -> Truth:  # type: ignore[no-untyped-def]
    """Brute force through the reference simulator (independent of the IR and engines)."""
    n_state = len(model.config_names)
    # A run repeats with its period p from round mu < 2**n; fixed output rounds (attention
    # rounds, tests/strategies.round_sets) repeat with period L <= 12 from round 13 at the
    # latest; so the pattern of both is periodic (lcm(p, L) <= 12 * 2**n) from round
    # 13 + 2**n, and that many rounds again decide every round.
    rounds = 13 + 13 * 2**n_state + 1
    transient = None
    found: set[Attractor] = set()
    halting = True
    for bits in itertools.product((False, True), repeat=len(model.input_names)):
        if not reference.satisfies_assumptions(model, bits):
            continue
        trace = reference.simulate(model, bits, rounds)
        configs = [s.config for s in trace]
        first = {}
        for t, c in enumerate(configs):
            if c in first:
                mu, period = first[c], t - first[c]
                break
            first[c] = t
        transient = mu if transient is None else max(transient, mu)
        found.add(Attractor.of_cycle(configs[mu : mu + period]))
        if period > 1:
            halting = False
        # Output round t iff configuration t is a fixed point.
        for t in range(rounds - 1):
            if trace[t].output != (configs[t] == configs[t + 1]):
                halting = False
    return Truth(transient, frozenset(found), halting)


def check_against_truth(model, engine: str) -> None:  # type: ignore[no-untyped-def]
    expected = truth(model)
    options = DynamicsOptions(engine=engine)
    verdict = check_transient(model, None, options)
    report = attractors(model, options)
    halting = check_halting(model, options)
    if expected.transient is None:  # no valid input: vacuous
        assert verdict.kind is VerdictKind.PASS and halting.kind is VerdictKind.PASS
        assert report.dynamics.attractors == ()
        return
    assert verdict.kind is VerdictKind.PASS, verdict
    assert verdict.extra["transient"] == expected.transient
    assert report.dynamics.complete
    assert frozenset(report.dynamics.attractors) == expected.attractors
    assert report.replayed == len(report.dynamics.attractors)
    assert (halting.kind is VerdictKind.PASS) == expected.halting, halting
    assert halting.kind is not VerdictKind.UNKNOWN
    if expected.transient > 0:
        bounded = check_transient(model, expected.transient - 1, options)
        assert bounded.kind is VerdictKind.FAIL
        cex = bounded.counterexample
        assert isinstance(cex, RunCounterexample) and cex.round == expected.transient - 1
    assert check_transient(model, expected.transient, options).kind is VerdictKind.PASS


ENGINES = st.sampled_from(("explicit", "sat"))


@settings(max_examples=scaled(120))
@given(bnl_programs(max_heads=4, max_inputs=3), ENGINES)
def test_bnl_programs(program, engine: str) -> None:  # type: ignore[no-untyped-def]
    check_against_truth(program, engine)


@settings(max_examples=scaled(60))
@given(sc_programs(max_vars=3, max_props=2), ENGINES)
def test_sc_programs(program, engine: str) -> None:  # type: ignore[no-untyped-def]
    check_against_truth(program, engine)


@settings(max_examples=scaled(60))
@given(circuits(max_positions=4, max_gates=4), ENGINES)
def test_circuits(circuit, engine: str) -> None:  # type: ignore[no-untyped-def]
    check_against_truth(circuit, engine)


# --- ../shared/examples/README.md ---------------------------------------------------------------


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_parity4_transient_3_and_halting(engine: str) -> None:
    model = load(EXAMPLES / "parity4.circ")
    options = DynamicsOptions(engine=engine)
    verdict = check_transient(model, None, options)
    assert verdict.kind is VerdictKind.PASS and verdict.extra["transient"] == 3
    # The witness reaches its fixed point in round 3 (the README names 0110; any attaining
    # input will do, so check the claim itself).
    witness = str(verdict.extra["witness"])
    trace = reference.simulate(model, witness, 4)
    assert trace[3].config == trace[4].config and trace[2].config != trace[3].config
    assert check_halting(model, options).kind is VerdictKind.PASS
    assert check_transient(model, 2, options).kind is VerdictKind.FAIL


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_counter3_one_3_cycle_transient_0(engine: str) -> None:
    model = load(EXAMPLES / "counter3.bnl")
    options = DynamicsOptions(engine=engine)
    report = attractors(model, options)
    assert report.dynamics.complete and report.exit_code == 0
    assert [a.period for a in report.dynamics.attractors] == [3]
    assert report.dynamics.transient == 0
    halting = check_halting(model, options)
    assert halting.kind is VerdictKind.FAIL  # it loops
    assert "loops" in halting.detail
