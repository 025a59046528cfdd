"""Every equivalence verdict of ../shared/examples/README.md, through the CLI and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.checks.equiv import EquivOptions, check_equiv, stride_hint
from verifier.checks.verdict import VerdictKind
from verifier.cli.main import main
from verifier.errors import InputError
from verifier.formats.registry import load

ENGINES = ["auto", "explicit", "induction", "pdr"]


def verdict(examples: Path, a: str, b: str, **options) -> VerdictKind:
    return check_equiv(load(examples / a), load(examples / b), EquivOptions(**options)).kind


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["global", "async"])
def test_parity4_program_and_circuit_are_equivalent(examples: Path, mode: str, engine: str):
    assert verdict(examples, "parity4.bnl", "parity4.circ", mode=mode, engine=engine) is (
        VerdictKind.PASS
    )


@pytest.mark.parametrize("engine", [*ENGINES, "bmc"])
@pytest.mark.parametrize("mode", ["global", "async"])
def test_faulty_parity_is_refuted(capsys, examples: Path, mode: str, engine: str):
    args = ["equiv", str(examples / "parity4_bad.bnl"), str(examples / "parity4.circ")]
    assert main([*args, "--mode", mode, "--engine", engine, "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"] == "FAIL"
    cex = result["counterexample"]
    # The faulty attention rule forgets X4: any input with x4 = 1 and x2 = x3 = 0 outputs
    # too early (examples/README.md names 0001).
    assert cex["input"][1:] == "001"


def test_faulty_parity_counterexample_matches_the_readme(capsys, examples: Path):
    # examples/README.md: on input 0001 the faulty program outputs 0 in round 1, the circuit
    # first outputs 1 in round 3.
    a, b = load(examples / "parity4_bad.bnl"), load(examples / "parity4.circ")
    result = check_equiv(a, b, EquivOptions(mode="async"))
    cex = result.counterexample
    assert cex is not None and cex.output_index == 0
    assert cex.a_input in ("0001", "1001")
    if cex.a_input == "0001":
        assert cex.trace_a[1].output and cex.trace_a[1].print == "0"
        assert [s.round for s in cex.trace_b if s.output][:1] == [3]


@pytest.mark.parametrize("engine", ENGINES)
def test_sc_program_and_its_translation_are_asynchronously_equivalent(examples, engine):
    result = check_equiv(
        load(examples / "small.sc"),
        load(examples / "small_from_sc.bnl"),
        EquivOptions(mode="async", engine=engine),
    )
    assert result.kind is VerdictKind.PASS


def test_the_stride_hint_proves_the_translation(examples: Path):
    result = check_equiv(
        load(examples / "small.sc"),
        load(examples / "small_from_sc.bnl"),
        EquivOptions(mode="async", engine="induction", stride=(1, 1)),
    )
    assert result.kind is VerdictKind.PASS
    assert result.delay == "output round t of A is round 1*t + 1 of B"


def test_a_wrong_stride_hint_never_gives_a_wrong_verdict(examples: Path):
    result = check_equiv(
        load(examples / "small.sc"),
        load(examples / "small_from_sc.bnl"),
        EquivOptions(mode="async", stride=(2, 0)),
    )
    assert result.kind is VerdictKind.PASS  # the hint fails, the explicit comparison decides


def test_global_mode_refuses_configurations_of_different_width(capsys, examples: Path):
    with pytest.raises(InputError, match="not comparable"):
        verdict(examples, "small.sc", "small_from_sc.bnl", mode="global")
    args = ["equiv", str(examples / "small.sc"), str(examples / "small_from_sc.bnl")]
    assert main([*args, "--mode", "global"]) == 2
    assert "not comparable" in capsys.readouterr().err


def test_text_report_shows_a_side_by_side_table(capsys, examples: Path, tmp_path: Path):
    vcd, cex = tmp_path / "c.vcd", tmp_path / "c.json"
    args = ["equiv", str(examples / "parity4_bad.bnl"), str(examples / "parity4.circ")]
    assert main([*args, "--mode", "global", "--vcd", str(vcd), "--cex", str(cex)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL")
    assert "A config" in out and "B config" in out and "<-" in out
    assert "$scope module A $end" in vcd.read_text() and "$scope module B $end" in vcd.read_text()
    assert json.loads(cex.read_text())["verdict"] == "FAIL"


def test_counter_is_equivalent_to_itself_with_its_cycle(examples: Path):
    assert verdict(examples, "counter3.bnl", "counter3.bnl", mode="global") is VerdictKind.PASS


def test_stride_hint_from_meta_lines(examples: Path, tmp_path: Path):
    text = (examples / "small_from_sc.bnl").read_text()
    path = tmp_path / "t.bnl"
    path.write_text("meta theorem=2.1 stride=1 offset=1\n" + text)
    assert stride_hint(load(path)) == (1, 1)
    result = check_equiv(load(examples / "small.sc"), load(path), EquivOptions(engine="pdr"))
    assert result.kind is VerdictKind.PASS and "from B's meta lines" in result.detail
