"""`verify transient`, `verify attractors`, `verify halting`: the answers of
../shared/examples/README.md, the JSON of DESIGN.md section 4, exit statuses, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MODELS
from verifier.checks import dynamics as dynamics_checks
from verifier.checks.dynamics import FixedPointReport
from verifier.cli.attractors import format_fixed_points
from verifier.cli.main import main
from verifier.engines import fixed_points_count
from verifier.sat.solver import OutOfTime


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_transient_of_parity4_is_3(capsys, examples: Path, engine: str) -> None:
    code, out = run_json(capsys, "transient", str(examples / "parity4.circ"), "--engine", engine)
    assert code == 0 and out["verdict"] == "PASS"
    assert out["transient"] == 3 and len(out["witness"]) == 4


def test_transient_bound_below_is_refuted_with_a_trace(capsys, examples: Path) -> None:
    code, out = run_json(capsys, "transient", str(examples / "parity4.circ"), "--bound", "2")
    assert code == 1 and out["verdict"] == "FAIL"
    cex = out["counterexample"]
    assert cex["round"] == 2 and [s["round"] for s in cex["trace"]][:3] == [0, 1, 2]
    assert main(["transient", str(examples / "parity4.circ"), "--bound", "3"]) == 0
    assert "PASS" in capsys.readouterr().out


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_halting(capsys, examples: Path, engine: str) -> None:
    assert main(["halting", str(examples / "parity4.circ"), "--engine", engine]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    code, out = run_json(capsys, "halting", str(examples / "counter3.bnl"), "--engine", engine)
    assert code == 1 and "loops" in out["detail"]
    # The faulty attention rule outputs before the fixed point (README: input 0001, round 1).
    code, out = run_json(capsys, "halting", str(examples / "parity4_bad.bnl"))
    assert code == 1 and out["counterexample"]["round"] == 1


@pytest.mark.parametrize("engine", ["explicit", "sat"])
def test_attractors_of_counter3(capsys, examples: Path, engine: str) -> None:
    code, out = run_json(capsys, "attractors", str(examples / "counter3.bnl"), "--engine", engine)
    assert code == 0 and out["complete"] is True and out["transient"] == 0
    assert out["attractors"] == [{"period": 3, "states": ["001", "100", "010"]}]


def test_attractors_text_of_a_published_model(capsys) -> None:
    assert main(["attractors", str(MODELS / "faure_cellcycle.bnet")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1 fixed point, 1 cycle (periods 7); complete")
    assert "replayed through the reference simulator: 2 of 2" in text


def test_bad_input_exits_2(capsys, tmp_path: Path, examples: Path) -> None:
    broken = tmp_path / "broken.bnl"
    broken.write_text("X :- (X &\n")
    for command in ("transient", "attractors", "halting"):
        assert main([command, str(broken)]) == 2
        err = capsys.readouterr().err
        assert "broken.bnl:" in err and "Traceback" not in err
        assert main([command, str(tmp_path / "missing.bnl")]) == 2
        capsys.readouterr()
    with pytest.raises(SystemExit) as exited:  # argparse: a usage error
        main(["transient", str(examples / "parity4.circ"), "--bound", "-1"])
    assert exited.value.code == 2


def test_explicit_refuses_large_input_spaces(capsys) -> None:
    path = MODELS / "bbm-012_T-CELL-RECEPTOR-SIGNALING.bnet"  # 101 variables
    assert main(["attractors", str(path), "--engine", "explicit"]) == 2
    assert "use --engine sat" in capsys.readouterr().err


def stops(*args: object, **kwargs: object) -> None:
    raise OutOfTime("stopped by the test")


@pytest.fixture
def bdd_only(monkeypatch) -> None:
    """The fixed points are counted by the BDDs alone (no model counting in the race)."""
    monkeypatch.setattr(fixed_points_count, "AVAILABLE", False)


@pytest.fixture
def counting_only(monkeypatch) -> None:
    """The BDDs stop at once, so model counting answers."""
    if not fixed_points_count.AVAILABLE:
        pytest.fail("pyganak is a dependency of this project on this platform")
    monkeypatch.setattr(dynamics_checks, "fixed_point_set", stops)


def test_fixed_points_counted_symbolically(capsys, bdd_only) -> None:
    code, out = run_json(
        capsys, "attractors", str(MODELS / "jaoude_thdiff.bnet"), "--fixed-points", "--limit", "4"
    )
    assert code == 0 and out["complete"] and out["count"] == 5_875_504
    assert len(out["fixed_points"]) == 4 and not out["listed_all"] and out["replayed"] == 4
    assert out["method"].startswith("BDD")


def test_fixed_points_counted_by_model_counting(capsys, counting_only) -> None:
    code, out = run_json(
        capsys, "attractors", str(MODELS / "jaoude_thdiff.bnet"), "--fixed-points", "--limit", "4"
    )
    assert code == 0 and out["complete"] and out["count"] == 5_875_504
    assert len(set(out["fixed_points"])) == 4 and not out["listed_all"]
    assert out["replayed"] == 4 and out["method"].startswith("model counting")


def calzone_by_the_bdds(capsys, monkeypatch) -> tuple[str, dict]:
    """calzone's path and its fixed points as the BDDs alone answer (27, all listed)."""
    path = str(MODELS / "calzone_cellfate.bnet")
    with monkeypatch.context() as patch:
        patch.setattr(fixed_points_count, "AVAILABLE", False)
        code, by_bdd = run_json(capsys, "attractors", path, "--fixed-points")
    assert code == 0 and by_bdd["count"] == 27 and by_bdd["method"].startswith("BDD")
    return path, by_bdd


def test_model_counting_and_sat_list_the_same_fixed_points_as_the_bdds(capsys, monkeypatch) -> None:
    path, by_bdd = calzone_by_the_bdds(capsys, monkeypatch)
    monkeypatch.setattr(dynamics_checks, "fixed_point_set", stops)
    code, counted = run_json(capsys, "attractors", path, "--fixed-points")
    assert code == 0 and counted["method"].startswith("model counting")
    assert counted["count"] == 27 and counted["listed_all"]
    assert counted["fixed_points"] == by_bdd["fixed_points"]


def test_fixed_points_of_bbm_243_are_counted(capsys) -> None:
    """The BDDs do not finish on this model (nor AEON's); model counting does, in seconds.
    The count is Ganak's (no other engine here finishes); SAT lists 31,184 distinct fixed
    points of it under a time limit (the test below), consistent with it."""
    path = MODELS / "bbm-243_RHEUMATOID-ARTHRITIS-MULTI-CELLULAR.bnet"
    code, out = run_json(capsys, "attractors", str(path), "--fixed-points", "--limit", "20")
    assert code == 0 and out["complete"] and not out["listed_all"]
    assert out["count"] == 38576012248491046960991563393986711155812937201188959109526402891776
    assert out["method"].startswith("model counting") and len(set(out["fixed_points"])) == 20
    assert out["replayed"] == 20


def test_model_counting_disagreeing_with_sat_is_an_internal_error(capsys, monkeypatch) -> None:
    monkeypatch.setattr(dynamics_checks, "fixed_point_set", stops)
    monkeypatch.setattr(fixed_points_count, "AVAILABLE", True)
    monkeypatch.setattr(fixed_points_count, "count_fixed_points", lambda ts: 26)
    assert main(["attractors", str(MODELS / "calzone_cellfate.bnet"), "--fixed-points"]) == 4
    assert "model counting finds 26 fixed point(s), SAT lists 27" in capsys.readouterr().err


def test_large_counts_get_their_magnitude_in_the_text() -> None:
    def head(count: int) -> str:
        report = FixedPointReport(count, (), False, True, "m", "d", ("a",), 0)
        return format_fixed_points(report).splitlines()[0]

    assert head(5_875_504) == "5875504 fixed points; complete: the count is exact"
    assert head(288_843_903_640_010_752).startswith(
        "288843903640010752 fixed points (about 2.9 * 10^17); complete"
    )
    assert "(about 8.1 * 10^323)" in head(2**1076)  # past a float's range


def test_fixed_points_text_and_other_formalisms(capsys, examples: Path) -> None:
    assert main(["attractors", str(MODELS / "raf.bnet"), "--fixed-points"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1 fixed point; complete") and "fixed point  001" in text
    code, out = run_json(capsys, "attractors", str(examples / "parity4.circ"), "--fixed-points")
    assert code == 0 and out["fixed_points"] == ["00001", "10001"] and out["count"] == 2


def test_fixed_points_timeout_is_unknown_with_fixed_points_listed_by_sat(
    capsys, monkeypatch
) -> None:
    """bbm-243's BDDs do not finish, and model counting is stopped: the count is unknown,
    and SAT lists fixed points."""
    monkeypatch.setattr(fixed_points_count, "count_fixed_points", stops)
    path = MODELS / "bbm-243_RHEUMATOID-ARTHRITIS-MULTI-CELLULAR.bnet"
    code, out = run_json(
        capsys, "attractors", str(path), "--fixed-points", "--timeout", "4", "--limit", "50"
    )
    assert code == 3 and out["count"] is None and not out["complete"]
    assert out["method"].startswith("SAT") and "at least" in out["detail"]
    states = out["fixed_points"]
    assert 0 < len(states) <= 50 and len(set(states)) == len(states)
    assert out["replayed"] == len(states)  # each one a fixed point of the reference simulator


def test_fixed_points_listed_by_sat_are_counted_when_all_are_listed(capsys, monkeypatch) -> None:
    """When both counts stop but SAT lists every fixed point, the count is exact: calzone's
    27, as the BDDs count them."""
    path, by_bdd = calzone_by_the_bdds(capsys, monkeypatch)
    monkeypatch.setattr(dynamics_checks, "fixed_point_set", stops)
    monkeypatch.setattr(fixed_points_count, "count_fixed_points", stops)
    code, by_sat = run_json(capsys, "attractors", path, "--fixed-points")
    assert code == 0 and by_sat["complete"] and by_sat["method"].startswith("SAT")
    assert by_sat["count"] == 27 and by_sat["fixed_points"] == by_bdd["fixed_points"]
    code, few = run_json(capsys, "attractors", path, "--fixed-points", "--limit", "5")
    assert code == 0 and few["count"] == 27 and not few["listed_all"]
    assert few["fixed_points"] == by_bdd["fixed_points"][:5] and few["replayed"] == 5
