"""`verify prove`: obligations from TOML files, the table, JSON, JUnit XML and exit statuses."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from concurrent.futures import Future
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MODELS, REPO
from verifier.checks.obligations import Obligation
from verifier.checks.verdict import VerdictKind
from verifier.cli import prove
from verifier.cli.main import main

PROOFS = REPO / "proofs"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")


def obligation(name: str, left: Path, right: Path, expect: str, **keys: object) -> str:
    """One [[obligation]] table of check equiv (absolute paths)."""
    lines = [
        "[[obligation]]",
        f'name = "{name}"',
        'check = "equiv"',
        f'left = "{left}"',
        f'right = "{right}"',
        f'expect = "{expect}"',
    ]
    lines += [f"{key} = {json.dumps(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """One obligation of each outcome: OK (PASS), OK (FAIL), MISMATCH, ERROR, ERROR."""
    broken = tmp_path / "broken.bnl"
    broken.write_text("X :- X & Y\n")
    text = (
        obligation("ok-pass", EXAMPLES / "parity4.bnl", EXAMPLES / "parity4.circ", "pass",
                   mode="global")
        + obligation("ok-fail", EXAMPLES / "parity4_bad.bnl", EXAMPLES / "parity4.circ", "fail",
                     mode="global")
        + obligation("mismatch", EXAMPLES / "counter3.bnl", EXAMPLES / "counter3.bnl", "fail",
                     mode="global")
        + obligation("not-comparable", EXAMPLES / "small.sc", EXAMPLES / "small_from_sc.bnl",
                     "pass", mode="global")
        + obligation("bad-model", broken, EXAMPLES / "counter3.bnl", "pass", mode="global")
    )  # fmt: skip
    path = tmp_path / "mixed.toml"
    path.write_text(text)
    return path


def run_prove(capsys, *args: object) -> tuple[int, str, str]:
    status = main(["prove", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows(out: str) -> dict[str, list[str]]:
    """The table's rows by name, split at runs of two or more spaces."""
    lines = out.strip().splitlines()
    return {line.split()[0]: re.split(r"\s{2,}", line) for line in lines[1:-2]}


# ----------------------------------------------------------------------------- the table


def test_table_summary_and_exit_status(capsys, mixed: Path) -> None:
    status, out, _ = run_prove(capsys, mixed)
    assert status == 1
    lines = out.splitlines()
    assert lines[0].split() == [
        "name", "expected", "verdict", "method", "time", "result", "detail"
    ]  # fmt: skip
    assert lines[-2] == "" and lines[-1] == "2 passed, 3 failed"
    table = rows(out)
    assert list(table) == ["ok-pass", "ok-fail", "mismatch", "not-comparable", "bad-model"]
    assert table["ok-pass"][1:3] == ["pass", "PASS"] and table["ok-pass"][5] == "OK"
    assert table["ok-fail"][1:3] == ["fail", "FAIL"] and table["ok-fail"][5] == "OK"
    assert re.match(r"input 0001, round \d+: ", table["ok-fail"][6])
    assert table["mismatch"][2] == "PASS" and table["mismatch"][5] == "MISMATCH"
    assert table["mismatch"][6].startswith("globally equivalent")
    assert table["not-comparable"][2:4] == ["-", "-"] and table["not-comparable"][5] == "ERROR"
    assert "not comparable" in table["not-comparable"][6]
    assert table["bad-model"][5] == "ERROR"
    assert table["bad-model"][6].startswith(f"{mixed.parent / 'broken.bnl'}:1:10: error:")
    assert all(re.fullmatch(r"\d+\.\d\d s", row[4]) for row in table.values())


def test_all_expected_exits_0(capsys, tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(
        obligation("a", EXAMPLES / "parity4.bnl", EXAMPLES / "parity4.circ", "pass",
                   mode="global")
        + obligation("b", EXAMPLES / "counter3.bnl", EXAMPLES / "counter3.bnl", "pass",
                     mode="global")
    )  # fmt: skip
    status, out, _ = run_prove(capsys, path)
    assert status == 0
    assert out.splitlines()[-1] == "2 passed, 0 failed"


def test_bad_obligation_file_exits_2_and_runs_nothing(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(obligation("x", EXAMPLES / "parity4.bnl", EXAMPLES / "parity4.circ", "passes"))
    status, out, err = run_prove(capsys, path, "--junit", tmp_path / "report.xml")
    assert status == 2 and out == ""
    assert err.startswith(f"{path}:6:10: error: obligation 'x': expect:")
    assert not (tmp_path / "report.xml").exists()


def test_missing_path_and_usage_errors(capsys, tmp_path: Path) -> None:
    assert run_prove(capsys, tmp_path / "nope.toml")[0] == 2
    with pytest.raises(SystemExit) as info:
        main(["prove"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["prove", str(PROOFS), "--jobs", "-1"])
    capsys.readouterr()


def test_junit_into_missing_directory_fails_before_running(capsys, mixed: Path) -> None:
    status, out, err = run_prove(capsys, mixed, "--junit", mixed.parent / "no" / "r.xml")
    assert status == 2 and out == "" and "does not exist" in err


def test_help_documents_the_format(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["prove", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "[[obligation]]" in out and "--junit" in out and "--jobs" in out


# ----------------------------------------------------------------------------- JSON, JUnit


def test_json_is_one_object(capsys, mixed: Path) -> None:
    status, out, _ = run_prove(capsys, mixed, "--json")
    assert status == 1
    report = json.loads(out)
    assert (report["passed"], report["failed"], report["errors"]) == (2, 3, 2)
    by_name = {o["name"]: o for o in report["obligations"]}
    assert by_name["ok-fail"]["verdict"]["counterexample"]["input"] == "0001"
    assert by_name["ok-fail"]["expect"] == "fail" and by_name["ok-fail"]["line"] == 9
    assert by_name["mismatch"]["status"] == "MISMATCH"
    assert by_name["bad-model"]["verdict"] is None
    assert by_name["bad-model"]["error"].startswith(str(mixed.parent / "broken.bnl"))
    assert by_name["ok-pass"]["file"] == str(mixed)


def test_junit_report_parses_back_with_the_right_counts(capsys, mixed: Path) -> None:
    report = mixed.parent / "report.xml"
    report.write_text("an old report, replaced")
    status, out, _ = run_prove(capsys, mixed, "--junit", report)
    assert status == 1 and SUMMARY.match(out.splitlines()[-1])
    assert report.read_text(encoding="utf-8").startswith("<?xml version")
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    for element in (root, suite):
        counts = {k: element.get(k) for k in ("tests", "failures", "errors", "skipped")}
        assert counts == {"tests": "5", "failures": "1", "errors": "2", "skipped": "0"}
        assert float(element.get("time", "-1")) >= 0
    assert suite.get("name") == str(mixed)
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["ok-pass", "ok-fail", "mismatch", "not-comparable", "bad-model"]
    assert {case.get("classname") for case in cases.values()} == {
        ".".join(p for p in mixed.with_suffix("").parts if p != "/")
    }
    assert cases["ok-pass"].find("failure") is None and cases["ok-pass"].find("error") is None
    assert (cases["ok-pass"].findtext("system-out") or "").startswith("PASS")
    assert "counterexample: input 0001" in (cases["ok-fail"].findtext("system-out") or "")
    failure = cases["mismatch"].find("failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith("expected fail, got PASS")
    for name in ("not-comparable", "bad-model"):
        error = cases[name].find("error")
        assert error is not None and error.get("type") == "input error"
        assert cases[name].find("system-out") is None
    assert "not comparable" in (cases["not-comparable"].find("error").get("message") or "")


def test_junit_groups_files_into_suites(capsys, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(
            obligation(name, EXAMPLES / "counter3.bnl", EXAMPLES / "counter3.bnl", "pass",
                       mode="global")
        )  # fmt: skip
    report = tmp_path / "report.xml"
    assert run_prove(capsys, tmp_path, "--junit", report, "--json")[0] == 0
    root = ET.parse(report).getroot()
    assert [s.get("name") for s in root] == [str(tmp_path / "a.toml"), str(tmp_path / "b.toml")]
    assert root.get("tests") == "2" and root.get("failures") == "0"


def test_a_dead_worker_is_an_error_row() -> None:
    future: Future = Future()
    future.set_exception(RuntimeError("worker killed"))
    obligation = Obligation(name="x", check="equiv", expect=VerdictKind.PASS)
    result = prove._collect(future, obligation)
    assert result.status == "ERROR" and result.internal
    assert "worker killed" in (result.error or "")


# ----------------------------------------------------------------------------- parallel


def test_jobs_2_gives_the_results_of_jobs_1(capsys, mixed: Path) -> None:
    def essentials(out: str) -> list[tuple[object, ...]]:
        return [
            (
                o["name"],
                o["status"],
                o["error"],
                json.dumps({k: v for k, v in (o["verdict"] or {}).items()}, sort_keys=True),
            )
            for o in json.loads(out)["obligations"]
        ]

    status_1, out_1, _ = run_prove(capsys, mixed, "--json", "--jobs", "1")
    status_2, out_2, _ = run_prove(capsys, mixed, "--json", "--jobs", "2")
    assert status_1 == status_2 == 1
    assert essentials(out_1) == essentials(out_2)


# ----------------------------------------------------------------------------- proofs/


def test_examples_obligations_pass(capsys) -> None:
    status, out, _ = run_prove(capsys, PROOFS / "examples.toml")
    assert out.splitlines()[-1] == "8 passed, 0 failed", out
    assert status == 0


def test_the_whole_proofs_folder_passes(capsys) -> None:
    status, out, _ = run_prove(capsys, PROOFS, "--json", "--jobs", "2")
    report = json.loads(out)
    assert report["failed"] == 0, [o for o in report["obligations"] if o["status"] != "OK"]
    assert status == 0


# The rules the TOML comments of proofs/models.toml say differ (A's names).
DIFFERING_RULES = {
    "klamt-tcr-pyboolnet-bbm032": {"PAGCsk", "Ras", "TCRphos"},
    "tlgl-zhang-bbm014": {"CREB"},
    "tlgl-bbm014-bbm025": {"v_CREB", "v_MCL1", "v_sFas"},
    "tlgl-zhang-bbm025": {"MCL1", "sFas"},
}


def test_models_failures_name_the_documented_rules(capsys) -> None:
    status, out, _ = run_prove(capsys, PROOFS / "models.toml", "--json")
    by_name = {o["name"]: o for o in json.loads(out)["obligations"]}
    for name, rules in DIFFERING_RULES.items():
        verdict = by_name[name]["verdict"]
        assert verdict is not None, by_name[name]["error"]
        assert set(verdict["counterexample"]["rules"]) == rules, name
    assert status == 0


def test_padded_models_are_the_published_ones_plus_one_free_input() -> None:
    padded = {
        "zhang_tlgl+IFN.bnet": ("zhang_tlgl.bnet", "IFN, IFN"),
        "bbm-025+IFN.bnet": ("bbm-025_T-LGL-SURVIVAL-NETWORK-2011.bnet", "v_IFN, v_IFN"),
    }
    for name, (original, line) in padded.items():
        text = (PROOFS / "padded" / name).read_text(encoding="utf-8")
        published = (MODELS / original).read_text(encoding="utf-8")
        assert text.startswith(published)
        added = [x for x in text[len(published) :].splitlines() if x and not x.startswith("#")]
        assert added == [line]


def test_readme_example_is_taken_from_proofs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Proof obligations", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^    \[\[obligation\]\]\n(?:    .*\n)*", section, re.MULTILINE)
    assert block is not None
    example = textwrap.dedent(block.group(0))
    assert example in (PROOFS / "examples.toml").read_text(encoding="utf-8")
