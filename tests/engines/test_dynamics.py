"""The dynamics engines (transient time, attractors, halting output condition) against a
brute-force oracle and against each other.

The oracle runs every valid input in plain Python on the AIG's own evaluator, remembering
every configuration until one repeats. The explicit engine must equal it exactly (including
the lowest witness input); the SAT engine must give the same attractors, transient time,
fixed points and existence of an output violation, and its witness must attain the
transient when re-simulated.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, MODELS, bnet_models, scaled
from tests.engines.problems import counter_problems
from tests.strategies import (
    bnl_programs,
    circuits,
    free_systems,
    sc_programs,
    transition_systems,
)
from verifier.engines import dynamics_explicit, dynamics_sat
from verifier.engines.base import Options
from verifier.engines.dynamics import (
    Attractor,
    Dynamics,
    free_initial_states,
    inputs_read_by_next,
)
from verifier.engines.explicit import as_system
from verifier.formats.registry import load
from verifier.ir.aig import Aig, AigBuilder
from verifier.ir.compile import compile_model
from verifier.ir.safety import SafetyProblem
from verifier.ir.simulate import simulate
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds

# --- the oracle --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    attractors: frozenset[tuple[str, ...]]  # canonical rotations
    transient: int | None
    witnesses: frozenset[tuple[bool, ...]]  # inputs attaining the transient
    lowest_witness: tuple[bool, ...] | None
    violation: bool  # some valid input violates the halting output condition
    lassos: dict[tuple[bool, ...], tuple[int, int]]  # per valid input
    ends: dict[tuple[bool, ...], tuple[str, ...]]  # per valid input, its attractor


def _rotate(cycle: list[str]) -> tuple[str, ...]:
    k = cycle.index(min(cycle))
    return tuple(cycle[k:] + cycle[:k])


def _s(state: tuple[int, ...]) -> str:
    return "".join(str(b) for b in state)


def brute(ts: TransitionSystem) -> Truth:
    aig = ts.aig
    n = ts.num_state
    attractors: set[tuple[str, ...]] = set()
    lassos: dict[tuple[bool, ...], tuple[int, int]] = {}
    ends: dict[tuple[bool, ...], tuple[str, ...]] = {}
    violation = False
    for x in itertools.product([False, True], repeat=ts.num_inputs):
        ins = [int(b) for b in x]
        values = aig.evaluate([*ins, *[0] * n])
        if not all(Aig.value(values, lit) for lit in ts.assumptions):
            continue
        state = tuple(Aig.value(values, lit) for lit in ts.init)
        seen: dict[tuple[int, ...], int] = {}
        seq: list[tuple[int, ...]] = []
        outs: list[int] = []
        while state not in seen:
            seen[state] = len(seq)
            seq.append(state)
            values = aig.evaluate([*ins, *state])
            if ts.output_lit is not None:
                outs.append(Aig.value(values, ts.output_lit))
            state = tuple(Aig.value(values, lit) for lit in ts.next_state)
        mu, lam = seen[state], len(seq) - seen[state]
        lassos[x] = (mu, lam)
        ends[x] = _rotate([_s(c) for c in seq[mu:]])
        attractors.add(ends[x])

        def config(t: int, seq: list = seq, mu: int = mu, lam: int = lam) -> tuple[int, ...]:
            return seq[t] if t < len(seq) else seq[mu + (t - mu) % lam]

        if isinstance(ts.output, AttentionRounds):
            prefix, step = ts.output.eventual_period()
            horizon = max(mu, prefix) + math.lcm(lam, step)
        else:
            horizon = mu + lam
        for t in range(horizon):
            if isinstance(ts.output, AttentionRounds):
                out = ts.output.is_output_round(t)
            else:
                out = bool(outs[t] if t < len(outs) else outs[mu + (t - mu) % lam])
            if out != (config(t) == config(t + 1)):
                violation = True
    transient = max((mu for mu, _ in lassos.values()), default=None)
    witnesses = frozenset(x for x, (mu, _) in lassos.items() if mu == transient)
    return Truth(
        frozenset(attractors),
        transient,
        witnesses,
        min(witnesses, key=lambda x: [int(b) for b in x]) if witnesses else None,
        violation,
        lassos,
        ends,
    )


def states_of(dynamics: Dynamics) -> frozenset[tuple[str, ...]]:
    return frozenset(a.states for a in dynamics.attractors)


def assert_matches(ts: TransitionSystem, truth: Truth, d: Dynamics, *, lowest: bool) -> None:
    assert d.complete, d.detail
    if truth.transient is None:
        assert not d.valid_inputs
        assert d.attractors == () and d.transient is None and d.witness is None
        return
    assert d.valid_inputs
    assert states_of(d) == truth.attractors
    assert list(d.attractors) == sorted(d.attractors, key=lambda a: (a.period, a.states))
    assert d.transient == truth.transient
    assert d.witness is not None
    assert d.witness.inputs in truth.witnesses
    assert truth.lassos[d.witness.inputs] == (d.witness.transient, d.witness.period)
    if lowest:
        assert d.witness.inputs == truth.lowest_witness
    # One example per attractor: a valid input ending in it, with its exact lasso.
    assert len(d.examples) == len(d.attractors)
    for a, example in zip(d.attractors, d.examples, strict=True):
        assert truth.ends[example.inputs] == a.states
        assert truth.lassos[example.inputs] == (example.transient, example.period)
        if lowest:
            order = [[int(b) for b in x] for x, end in truth.ends.items() if end == a.states]
            assert [int(b) for b in example.inputs] == min(order)
    # Re-simulated independently of the oracle too.
    lasso = dynamics_explicit.run_lasso(ts, d.witness.inputs)
    assert lasso is not None and lasso.valid
    assert (lasso.transient, lasso.period) == (d.witness.transient, d.witness.period)


def check_all(ts: TransitionSystem, *, seeds: tuple[int, ...] = (0, 64)) -> None:
    truth = brute(ts)
    explicit = dynamics_explicit.analyse(ts)
    assert_matches(ts, truth, explicit, lowest=True)
    for k in seeds:
        assert_matches(ts, truth, dynamics_sat.analyse(ts, seeds=k), lowest=False)
    points, complete = dynamics_sat.fixed_points(ts)
    assert complete
    assert points == tuple(sorted(a[0] for a in truth.attractors if len(a) == 1))
    assert points == explicit.fixed_points
    ex = dynamics_explicit.output_violation(ts)
    sat = dynamics_sat.output_violation(ts, seeds=seeds[0])
    given_dyn = dynamics_sat.output_violation(ts, dynamics=explicit)
    for check in (ex, sat, given_dyn):
        assert check.decided
        assert (check.violation is not None) == truth.violation, check.detail
        if check.violation is not None:
            v = check.violation
            assert v.inputs in truth.lassos
            assert dynamics_explicit.first_output_violation(ts, v.inputs, v.round + 1) == (
                v.round,
                v.output,
            )


# --- random systems ----------------------------------------------------------------------------


@settings(max_examples=scaled(400))
@given(transition_systems())
def test_random_systems(ts: TransitionSystem) -> None:
    check_all(ts)


@settings(max_examples=scaled(250))
@given(free_systems())
def test_random_free_systems(ts: TransitionSystem) -> None:
    assert free_initial_states(ts) is not None
    check_all(ts)


@settings(max_examples=scaled(100))
@given(free_systems(), st.integers(1, 4))
def test_max_period_when_complete(ts: TransitionSystem, bound: int) -> None:
    truth = brute(ts)
    d = dynamics_sat.analyse(ts, max_period=bound, seeds=0)
    assert d.complete and d.max_period is None and states_of(d) == truth.attractors


def _long_counter(bits: int) -> TransitionSystem:
    """Every state initial: a counter ``c`` that counts up from any nonzero value to its
    wrap-around and then stays 0 (transient up to ``2**bits - 1``), beside two bits that swap
    (``a' = b, b' = a``). Attractors: c = 0 with ab = 00 or 11 (fixed points) or 01 <-> 10."""
    n = bits + 2
    b = AigBuilder(2 * n)
    c = [b.input(n + j) for j in range(bits)]  # little-endian counter bits
    nonzero = b.or_all(c)
    carry, nxt = nonzero, []
    for x in c:
        nxt.append(b.xor(x, carry))
        carry = b.and_(x, carry)
    a, bb = b.input(n + bits), b.input(n + bits + 1)
    return TransitionSystem(
        aig=b.build(),
        input_names=tuple(f"i{j}" for j in range(n)),
        state_names=tuple(f"s{j}" for j in range(n)),
        init=tuple(b.input(j) for j in range(n)),
        next_state=(*nxt, bb, a),
        print_=(),
        print_names=(),
    )


def test_max_period_lists_short_cycles_when_the_loop_cannot_finish() -> None:
    ts = _long_counter(24)
    assert free_initial_states(ts) is not None
    started = time.monotonic()
    d = dynamics_sat.analyse(ts, Options(deadline=time.monotonic() + 3), max_period=2)
    assert time.monotonic() - started < 6
    assert not d.complete and d.max_period == 2 and d.transient is None
    zero = "0" * 24
    assert [a.states for a in d.attractors] == [
        (zero + "00",),
        (zero + "11",),
        (zero + "01", zero + "10"),
    ]
    small = _long_counter(3)
    assert_matches(small, brute(small), dynamics_sat.analyse(small, max_period=2), lowest=False)
    assert dynamics_sat.analyse(small).transient == 7


@settings(max_examples=scaled(100))
@given(st.one_of(bnl_programs(), sc_programs(), circuits()))
def test_randombnet_models(model: object) -> None:
    check_all(compile_model(model), seeds=(0,))


@settings(max_examples=scaled(60))
@given(counter_problems())
def test_random_counters(problem: SafetyProblem) -> None:
    """Long transients and periods (up to 2**5): several refinements of the loop."""
    check_all(as_system(problem))


# --- the examples with known answers (shared/examples/README.md) -------------------------------


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_parity4_circ_transient_3_and_halting(engine: str) -> None:
    ts = compile_model(load(EXAMPLES / "parity4.circ"))
    if engine == "explicit":
        d, check = dynamics_explicit.analyse(ts), dynamics_explicit.output_violation(ts)
    else:
        d, check = dynamics_sat.analyse(ts), dynamics_sat.output_violation(ts)
    assert d.complete and d.transient == 3
    assert d.witness is not None and d.witness.transient == 3
    assert all(a.period == 1 for a in d.attractors)
    assert check.decided and check.violation is None and check.holds
    lasso = dynamics_explicit.run_lasso(ts, (False, True, True, False))
    assert lasso is not None and (lasso.transient, lasso.period) == (3, 1)
    assert lasso.cycle == ("00001",)


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_counter3_one_cycle_of_period_3(engine: str) -> None:
    ts = compile_model(load(EXAMPLES / "counter3.bnl"))
    d = (dynamics_explicit if engine == "explicit" else dynamics_sat).analyse(ts)
    assert d.complete and d.transient == 0
    assert len(d.attractors) == 1 and d.attractors[0].period == 3
    assert d.fixed_points == ()
    assert sorted(d.attractors[0].states) == ["001", "010", "100"]


def test_parity4_bad_violates_the_output_condition() -> None:
    ts = compile_model(load(EXAMPLES / "parity4_bad.bnl"))
    for check in (dynamics_explicit.output_violation(ts), dynamics_sat.output_violation(ts)):
        assert check.decided and check.violation is not None and check.holds is False


# --- real models -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", bnet_models(20 if os.environ.get("VERIFY_SLOW") == "1" else 16))
def test_models_sat_agrees_with_explicit(path: Path) -> None:
    """Every model of at most 16 variables (20 with --slow: 2**20 inputs each)."""
    ts = compile_model(load(path))
    explicit = dynamics_explicit.analyse(ts)
    sat = dynamics_sat.analyse(ts)
    assert explicit.complete and sat.complete
    assert sat.attractors == explicit.attractors
    assert sat.transient == explicit.transient
    points, complete = dynamics_sat.fixed_points(ts)
    assert complete and points == explicit.fixed_points
    bounded = dynamics_sat.analyse(ts, max_period=2)
    assert bounded.attractors == explicit.attractors
    assert sat.witness is not None
    lasso = dynamics_explicit.run_lasso(ts, sat.witness.inputs)
    assert lasso is not None and lasso.transient == sat.transient


@pytest.mark.parametrize("name", ["tournier_apoptosis", "grieco_mapk"])
def test_models_contain_pyboolnets_recorded_attractors(name: str) -> None:
    model = load(MODELS / f"{name}.bnet")
    ts = compile_model(model)
    d = dynamics_sat.analyse(ts, Options(deadline=time.monotonic() + 60))
    assert d.complete, d.detail
    states = {s for a in d.attractors for s in a.states}
    recorded = json.loads((MODELS / f"{name}_attrs_sync.json").read_text())
    assert recorded["attractors"]
    for attractor in recorded["attractors"]:
        state = "".join(str(attractor["state"]["dict"][x]) for x in ts.state_names)
        assert state in states
        if attractor["is_steady"]:
            assert Attractor((state,)) in d.attractors


# --- deadlines and large models ----------------------------------------------------------------


def test_expired_deadline_gives_an_honest_incomplete_answer() -> None:
    ts = compile_model(load(MODELS / "bbm-002_SIGNAL-TRANSDUCTION-IN-FIBROBLASTS.bnet"))
    started = time.monotonic()
    d = dynamics_sat.analyse(ts, Options(deadline=time.monotonic() + 1.0))
    assert time.monotonic() - started < 4
    assert not d.complete and d.transient is None and d.max_period is None
    assert "stopped" in d.detail
    # What is listed is genuine, and each example replays into its attractor.
    assert len(d.examples) == len(d.attractors) > 0
    for a, example in list(zip(d.attractors, d.examples, strict=True))[:50]:
        lasso = dynamics_explicit.run_lasso(ts, example.inputs)
        assert lasso is not None and lasso.attractor == a
        assert (lasso.transient, lasso.period) == (example.transient, example.period)
    check = dynamics_sat.output_violation(ts, Options(deadline=time.monotonic() + 0.5))
    assert not check.decided and check.holds is None


def test_max_period_on_a_large_model() -> None:
    """All cycles of period <= 4 of a 133-variable model whose loop does not finish soon."""
    ts = compile_model(load(MODELS / "bbm-151_TCR-REDOX-METABOLISM.bnet"))
    d = dynamics_sat.analyse(ts, Options(deadline=time.monotonic() + 4), max_period=4)
    assert not d.complete and d.max_period == 4, d.detail
    points, complete = dynamics_sat.fixed_points(ts)
    assert complete and d.fixed_points == points
    assert any(a.period == 4 for a in d.attractors)
    for a, example in zip(d.attractors, d.examples, strict=True):
        lasso = dynamics_explicit.run_lasso(ts, example.inputs)
        assert lasso is not None and lasso.attractor == a
        assert (lasso.transient, lasso.period) == (example.transient, example.period)


def test_fixed_points_of_a_large_model_in_cubes() -> None:
    ts = compile_model(load(MODELS / "bbm-002_SIGNAL-TRANSDUCTION-IN-FIBROBLASTS.bnet"))
    points, complete = dynamics_sat.fixed_points(ts)
    assert complete and len(points) == 32768
    sample = points[:: len(points) // 64]
    result = simulate(ts, np.array([[c == "1" for c in s] for s in sample]), 1)
    assert (result.configs[0] == result.configs[1]).all()
    truncated, complete = dynamics_sat.fixed_points(ts, limit=1000)
    assert not complete and len(truncated) == 1000 and set(truncated) <= set(points)


def test_explicit_deadline() -> None:
    ts = compile_model(load(MODELS / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet"))
    d = dynamics_explicit.analyse(ts, Options(deadline=time.monotonic()))
    assert not d.complete and d.transient is None and d.max_period is None
    assert "deadline" in d.detail
    check = dynamics_explicit.output_violation(ts, Options(deadline=time.monotonic()))
    assert not check.decided and check.holds is None


def test_explicit_refuses_large_input_spaces() -> None:
    ts = compile_model(load(MODELS / "bbm-002_SIGNAL-TRANSDUCTION-IN-FIBROBLASTS.bnet"))
    with pytest.raises(ValueError, match="above the explicit limit"):
        dynamics_explicit.analyse(ts)
    with pytest.raises(ValueError, match="above the explicit limit"):
        dynamics_explicit.output_violation(ts)


def test_inputs_read_by_next() -> None:
    sc = compile_model(load(EXAMPLES / "small.sc"))
    circ = compile_model(load(EXAMPLES / "parity4.circ"))
    assert inputs_read_by_next(circ) == ()
    assert free_initial_states(circ) is None
    assert free_initial_states(compile_model(load(MODELS / "raf.bnet"))) is not None
    assert isinstance(inputs_read_by_next(sc), tuple)


def test_attractor_rotation() -> None:
    a = Attractor.of_cycle(["10", "01", "00"])
    assert a.states == ("00", "10", "01") and a.period == 3
    with pytest.raises(ValueError):
        Attractor(("10", "01"))
    with pytest.raises(ValueError):
        Attractor.of_cycle(["0", "0"])
