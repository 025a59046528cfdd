"""BMC: the default bound, progress lines, deep counterexamples, miters folded by structural
hashing (soundness against brute force is in test_sat_soundness)."""

from __future__ import annotations

from tests.engines.problems import long_counter, miter
from verifier.engines import bmc
from verifier.engines.base import Cex, Options, Status, get


def test_default_bound_and_progress() -> None:
    lines: list[str] = []
    outcome = bmc.run(long_counter(8), Options(progress=lines.append))
    assert outcome.status is Status.UNKNOWN and outcome.bound == bmc.DEFAULT_BOUND
    assert len(lines) == bmc.DEFAULT_BOUND + 1 and lines[0].startswith("bmc: depth 0")


def test_long_counter_cex_at_depth_255() -> None:
    outcome = bmc.run(long_counter(8), Options(bound=300))
    assert outcome.status is Status.UNSAFE and outcome.cex == Cex((), 255)


def test_miter_of_equal_copies_folds_to_false() -> None:
    # Structural hashing merges the two copies frame by frame: bad folds to constant false.
    problem = miter(long_counter(12))
    outcome = bmc.run(problem, Options(bound=100))
    assert outcome.status is Status.UNKNOWN and outcome.bound == 100


def test_registered() -> None:
    assert get("bmc") is bmc.run
