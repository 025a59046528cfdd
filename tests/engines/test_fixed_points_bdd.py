"""The symbolic fixed-point engine against exhaustive enumeration (random systems with free
initial states, the published models) and on counts beyond a double's precision."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, MODELS, bnet_models, scaled
from tests.strategies import free_systems
from verifier.engines import dynamics_sat
from verifier.engines.base import Options
from verifier.engines.fixed_points_bdd import fixed_point_set
from verifier.formats.registry import load, loads
from verifier.ir.aig import Aig
from verifier.ir.compile import compile_model
from verifier.ir.system import TransitionSystem
from verifier.sat.solver import OutOfTime


def brute_fixed_points(ts: TransitionSystem) -> list[str]:
    """Every state s with F(s) = s, by the AIG's own evaluator, sorted."""
    found = []
    for state in itertools.product([0, 1], repeat=ts.num_state):
        values = ts.aig.evaluate([0] * ts.num_inputs + list(state))
        if all(
            Aig.value(values, lit) == bit for lit, bit in zip(ts.next_state, state, strict=True)
        ):
            found.append("".join(map(str, state)))
    return sorted(found)


@settings(max_examples=scaled(300))
@given(free_systems(max_state=7, max_ands=30), st.integers(0, 6))
def test_random_free_systems_match_enumeration(ts: TransitionSystem, limit: int) -> None:
    truth = brute_fixed_points(ts)
    everything = fixed_point_set(ts, limit=1 << ts.num_state)
    assert everything.count == len(truth)
    assert everything.listed_all and list(everything.states) == truth
    some = fixed_point_set(ts, limit=limit)
    assert some.count == len(truth)
    assert len(some.states) == min(limit, len(truth)) and set(some.states) <= set(truth)
    assert some.listed_all == (limit >= len(truth))


def test_bits_left_acyclic_only_after_substitution() -> None:
    """a' = b and b' = !a | b: eliminating a leaves b' = !b | b = true, so b is eliminated
    too although a and b form a cycle; completing a state must not simulate that cycle."""
    ts = compile_model(loads("a, b\nb, !a | b\n", ".bnet"))
    found = fixed_point_set(ts)
    assert (found.count, found.states) == (1, ("11",)) == (1, tuple(brute_fixed_points(ts)))


def test_count_is_exact_beyond_double_precision() -> None:
    """40 independent copies of a' = a | b, b' = b (3 fixed points each): 3**40 > 2**53."""
    rules = "".join(f"a{i}, a{i} | b{i}\nb{i}, b{i}\n" for i in range(40))
    found = fixed_point_set(compile_model(loads(rules, ".bnet")), limit=5)
    assert found.count == 3**40 and len(found.states) == 5 and not found.listed_all


def test_no_state_bits() -> None:
    ts = TransitionSystem(Aig(0), (), (), (), (), (), ())
    assert fixed_point_set(ts).states == ("",)


def test_refuses_systems_without_free_initial_states() -> None:
    with pytest.raises(ValueError, match="free initial states"):
        fixed_point_set(compile_model(load(EXAMPLES / "counter3.bnl")))


def test_expired_deadline() -> None:
    ts = compile_model(load(MODELS / "jaoude_thdiff.bnet"))
    with pytest.raises(OutOfTime):
        fixed_point_set(ts, Options(deadline=time.monotonic() - 1))


@pytest.mark.parametrize("path", bnet_models(61))
def test_models_agree_with_the_sat_engine(path: object) -> None:
    """Every model of at most 61 variables: the same fixed points as the SAT engine's
    listing (itself checked against exhaustive enumeration in test_dynamics.py)."""
    ts = compile_model(load(path))
    listed, complete = dynamics_sat.fixed_points(ts)
    found = fixed_point_set(ts, limit=len(listed) + 1)
    assert complete and found.listed_all and found.states == tuple(listed)
    assert found.count == len(listed)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("jaoude_thdiff", 5_875_504),
        ("bbm-002_SIGNAL-TRANSDUCTION-IN-FIBROBLASTS", 32_768),
        ("bbm-261_SARS-COV-2-HOST-INTERACTION", 288_843_903_640_010_752),
    ],
)
def test_large_models_counted(name: str, count: int) -> None:
    """Counts too large to list. bbm-002's is also the SAT engine's complete listing; the
    listed states of all are checked to be fixed points by the engine itself."""
    found = fixed_point_set(compile_model(load(MODELS / f"{name}.bnet")), limit=20)
    assert found.count == count and len(found.states) == 20
