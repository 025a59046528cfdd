"""Fixed points counted by model counting (Ganak) against exhaustive enumeration (random
systems with free initial states) and against the BDD engine (the published models)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.conftest import EXAMPLES, MODELS, scaled
from tests.engines.test_fixed_points_bdd import brute_fixed_points
from tests.strategies import free_systems
from verifier.engines.fixed_points_bdd import fixed_point_set
from verifier.engines.fixed_points_count import AVAILABLE, count_fixed_points, fixed_point_cnf
from verifier.formats.registry import load, loads
from verifier.ir.aig import Aig
from verifier.ir.compile import compile_model
from verifier.ir.system import TransitionSystem

if not AVAILABLE:  # pragma: no cover - pyganak is a dependency where it has wheels
    pytest.fail("pyganak is not installed", pytrace=False)

SLOW_TO_COUNT = {
    "bbm-079_COLORECTAL-TUMORIGENESIS",
    "bbm-243_RHEUMATOID-ARTHRITIS-MULTI-CELLULAR",
    "bbm-252_MAMMALIAN-EPIDERMIS-2D",
    "bbm-261_SARS-COV-2-HOST-INTERACTION",
}
"""Models on which Ganak takes 3 to 7 s here (bbm-243 is counted in tests/cli)."""


@settings(max_examples=scaled(200), deadline=None)
@given(free_systems(max_state=7, max_ands=30))
def test_random_free_systems_match_enumeration(ts: TransitionSystem) -> None:
    assert count_fixed_points(ts) == len(brute_fixed_points(ts))


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.stem)
        for path in sorted(MODELS.glob("*.bnet"))
        if path.stem not in SLOW_TO_COUNT
    ],
)
def test_models_agree_with_the_bdds(path: object) -> None:
    ts = compile_model(load(path))
    assert count_fixed_points(ts) == fixed_point_set(ts, limit=0).count


def test_count_is_exact_beyond_double_precision() -> None:
    """40 independent copies of a' = a | b, b' = b (3 fixed points each), and 30 free
    inputs besides (no clause: a factor of 2 each)."""
    rules = "".join(f"a{i}, a{i} | b{i}\nb{i}, b{i}\n" for i in range(40))
    rules += "".join(f"x{i}, x{i}\n" for i in range(30))
    assert count_fixed_points(compile_model(loads(rules, ".bnet"))) == 3**40 * 2**30


def test_no_state_bits_and_no_fixed_point(capfd) -> None:
    assert count_fixed_points(TransitionSystem(Aig(0), (), (), (), (), (), ())) == 1
    assert count_fixed_points(compile_model(loads("a, !a\nb, b\n", ".bnet"))) == 0
    # Ganak's comment lines ("c o intermediate count: 0") must not reach stdout (--json).
    assert capfd.readouterr().out == ""


def test_refuses_systems_without_free_initial_states() -> None:
    with pytest.raises(ValueError, match="free initial states"):
        fixed_point_cnf(compile_model(load(EXAMPLES / "counter3.bnl")))
