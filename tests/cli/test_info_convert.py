"""`verify info` and `verify convert`."""

from __future__ import annotations

import json
from pathlib import Path

from verifier.cli.main import main
from verifier.formats.registry import load


def info(capsys, path: Path) -> dict:
    assert main(["info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_info_of_parity_circuit(capsys, examples: Path) -> None:
    facts = info(capsys, examples / "parity4.circ")
    assert facts["kind"] == "self-feeding circuit"
    assert facts["positions"] == 5
    assert facts["inputs"] == ["x1", "x2", "x3", "x4"]
    assert facts["aux_positions"] == ["a=0"]
    # By hand from the file: o1 has or, 2 and, 2 not (5); o2 likewise (5); o3, o4 (2);
    # oa has or, and, 3 not (5): 17 gates plus 5 input gates.
    assert facts["size"] == 22
    assert facts["gates"] == 17
    # x2 -> not -> and -> or: 3 edges.
    assert facts["depth"] == 3
    assert facts["max_fanin"] == 3
    assert facts["fully_open"] is None
    # a reads itself; x1 reads x1, x2.
    assert ["x1"] in facts["sccs"] and ["a"] in facts["sccs"]


def test_info_of_bnl_program(capsys, examples: Path) -> None:
    facts = info(capsys, examples / "counter3.bnl")
    assert facts["heads"] == 3 and facts["inputs"] == []
    assert facts["fully_open"] is True
    assert facts["sccs"] == [["C0", "C1", "C2"]]
    # Three terminal clauses (2 + 3 + 3) and three iteration clauses (2 each).
    assert facts["size"] == 14
    parity = info(capsys, examples / "parity4.bnl")
    assert parity["fully_open"] is False
    assert parity["depth"] == 4


def test_info_text_mentions_everything(capsys, examples: Path) -> None:
    assert main(["info", str(examples / "small.sc")]) == 0
    out = capsys.readouterr().out
    for key in ("kind: SC program", "props: 2: p q", "size:", "depth:", "sccs:"):
        assert key in out


def test_convert_circuit_through_aiger_and_back(examples: Path, tmp_path: Path) -> None:
    original = load(examples / "parity4.circ")
    for suffix in (".aag", ".aig"):
        out = tmp_path / f"p{suffix}"
        assert main(["convert", str(examples / "parity4.circ"), "-o", str(out)]) == 0
        again = tmp_path / f"p{suffix}.circ"
        assert main(["convert", str(out), "-o", str(again)]) == 0
        back = load(again)
        assert back.inputs == original.inputs and back.init == original.init
        assert back.print_ == original.print_ and back.attention == original.attention


def test_convert_never_overwrites(capsys, examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.bnl"
    out.write_text("keep me")
    assert main(["convert", str(examples / "counter3.bnl"), "-o", str(out)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert out.read_text() == "keep me"


def test_convert_refuses_to_write_a_circuit_as_bnl(capsys, examples: Path, tmp_path: Path) -> None:
    assert main(["convert", str(examples / "parity4.circ"), "-o", str(tmp_path / "p.bnl")]) == 2
    assert "cannot be written as .bnl" in capsys.readouterr().err
    assert not (tmp_path / "p.bnl").exists()


def test_bnet_to_bnl_and_back(capsys, tmp_path: Path) -> None:
    from tests.conftest import MODELS

    src = MODELS / "faure_cellcycle.bnet"
    bnl = tmp_path / "f.bnl"
    assert main(["convert", str(src), "-o", str(bnl)]) == 0
    assert load(bnl) == load(src)
    bnet = tmp_path / "f.bnet"
    assert main(["convert", str(bnl), "-o", str(bnet)]) == 0
    assert load(bnet) == load(src)


ARITH = Path(__file__).resolve().parents[2] / "encodings" / "arith"


def test_info_of_arithmetic_program(capsys, tmp_path: Path) -> None:
    facts = info(capsys, ARITH / "mul_b2_n4.bnl")
    assert facts["arith"] == "mul on Z(4, 2) x Z(4, 2) -> Z(8, 2)"
    assert facts["computation_time"] == 7
    facts = info(capsys, ARITH / "compare_b3_n2.bnl")
    assert facts["arith"] == "compare on Z(2, 3) x Z(2, 3) -> one bit (x > y)"
    assert facts["computation_time"] == 3
    assert "computation_time" not in info(capsys, ARITH.parents[1] / "encodings/paper/parity4.bnl")
    broken = tmp_path / "broken.bnl"
    text = (ARITH / "add_b2_n2.bnl").read_text().replace("time=3", "time=soon")
    broken.write_text(text)
    facts = info(capsys, broken)
    assert facts["arith"].startswith("malformed meta line") and "time" in facts["arith"]
    assert main(["info", str(ARITH / "add_b2_n2.bnl")]) == 0
    assert "computation time: 3 (claimed by the meta line" in capsys.readouterr().out
