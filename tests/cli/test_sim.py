"""`verify sim` on the examples with known answers (../shared/examples/README.md)."""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

import pytest

from verifier.cli.main import main


def sim_json(capsys, path: Path, *args: str) -> list[dict]:
    assert main(["sim", str(path), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["trace"]


# The paper's own tables for parity4.circ (examples/README.md); parity4.bnl is globally
# equivalent, so it has the same traces.
PARITY_TRACES = {
    "0100": (["01000", "10000", "10001", "10001"], [False, False, True, True], "1"),
    "0110": (["01100", "11000", "00000", "00001"], [False, False, False, True], "0"),
}


@pytest.mark.parametrize("name", ["parity4.circ", "parity4.bnl"])
@pytest.mark.parametrize("bits", sorted(PARITY_TRACES))
def test_parity4_traces_are_the_papers(capsys, examples: Path, name: str, bits: str) -> None:
    configs, outputs, printed = PARITY_TRACES[bits]
    trace = sim_json(capsys, examples / name, "--input", bits, "--rounds", "3")
    assert [s["round"] for s in trace] == [0, 1, 2, 3]
    assert [s["config"] for s in trace] == configs
    assert [s["output"] for s in trace] == outputs
    assert all(s["print"] == printed for s, out in zip(trace, outputs, strict=True) if out)
    assert [s["print"] for s in trace] == [c[0] for c in configs]


def test_table_marks_output_rounds(capsys, examples: Path) -> None:
    assert main(["sim", str(examples / "parity4.circ"), "-i", "0110", "-n", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "config bits: x1 x2 x3 x4 a"
    rows = [line.split() for line in lines[2:]]
    assert rows == [
        ["0", "01100", "0"],
        ["1", "11000", "1"],
        ["2", "00000", "0"],
        ["3", "00001", "*", "0"],
    ]


def test_counter3_loops_through_one_hot_states(capsys, examples: Path) -> None:
    trace = sim_json(capsys, examples / "counter3.bnl", "--rounds", "6")
    assert [s["config"] for s in trace] == ["100", "010", "001"] * 2 + ["100"]
    assert all(s["output"] for s in trace)


def output_sequence(trace: list[dict]) -> list[tuple[int, str]]:
    return [(s["round"], s["print"]) for s in trace if s["output"]]


@pytest.mark.parametrize("bits", ["".join(b) for b in product("01", repeat=2)])
def test_small_sc_and_its_translation_are_one_round_apart(
    capsys, examples: Path, bits: str
) -> None:
    sc = output_sequence(sim_json(capsys, examples / "small.sc", "-i", bits, "-n", "12"))
    bnl = output_sequence(sim_json(capsys, examples / "small_from_sc.bnl", "-i", bits, "-n", "13"))
    assert sc, "small.sc has output rounds"
    assert [(t + 1, p) for t, p in sc] == bnl


def test_faulty_parity_outputs_early(capsys, examples: Path) -> None:
    # examples/README.md: on input 0001 parity4_bad.bnl outputs 0 in round 1, the circuit
    # first outputs 1 in round 3.
    bad = output_sequence(sim_json(capsys, examples / "parity4_bad.bnl", "-i", "0001", "-n", "3"))
    good = output_sequence(sim_json(capsys, examples / "parity4.circ", "-i", "0001", "-n", "3"))
    assert bad[0] == (1, "0")
    assert good[0] == (3, "1")


def test_vcd_is_written_and_never_overwritten(capsys, examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.vcd"
    args = ["sim", str(examples / "parity4.circ"), "-i", "0110", "-n", "3", "--vcd", str(out)]
    assert main(args) == 0
    text = out.read_text()
    assert "$var wire 1" in text and "x1" in text and "output_round" in text
    assert "#3" in text
    out.write_text("mine")
    assert main(args) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert out.read_text() == "mine"
    assert main([*args, "--force"]) == 0


@pytest.mark.parametrize(
    ("bits", "message"),
    [(None, "--input is required"), ("011", "has 3 bit(s)"), ("01a0", "0s and 1s")],
)
def test_bad_input_bits_are_usage_errors(capsys, examples: Path, bits, message) -> None:
    args = ["sim", str(examples / "parity4.circ")] + ([] if bits is None else ["-i", bits])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_all_inputs_agrees_with_single_runs(capsys, examples: Path) -> None:
    path = examples / "parity4.circ"
    assert main(["sim", str(path), "--all-inputs", "-n", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["skipped"] == 0
    runs = {run["input"]: run["trace"] for run in payload["runs"]}
    assert sorted(runs) == ["".join(b) for b in product("01", repeat=4)]
    for bits, trace in runs.items():
        assert trace == sim_json(capsys, path, "-i", bits, "-n", "4")
    # Every input of the parity circuit outputs its parity from round 3 at the latest.
    for bits, trace in runs.items():
        assert trace[-1]["output"] and trace[-1]["print"] == str(bits.count("1") % 2)


def test_all_inputs_skips_inputs_outside_the_assumptions(capsys, tmp_path: Path) -> None:
    path = tmp_path / "onehot.bnl"
    path.write_text("assume !(A & B)\nA :- A\nB :- B\n")
    assert main(["sim", str(path), "--all-inputs", "-n", "1"]) == 0
    out = capsys.readouterr().out
    assert "3 input(s)" in out and "1 skipped" in out
    assert "\n11:" not in out


def test_all_inputs_refuses_too_many(capsys, examples: Path) -> None:
    path = examples / "parity4.circ"
    assert main(["sim", str(path), "--all-inputs", "--max-inputs", "8"]) == 2
    assert "exceed --max-inputs" in capsys.readouterr().err
