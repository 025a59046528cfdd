"""`verify gen`: the generator table, writing, refusing to overwrite, bad parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.cli.gen import GENERATORS
from verifier.cli.main import main
from verifier.formats.registry import load
from verifier.generate.parity import parity_circuit, parity_program


def test_writes_files_that_load_back(capsys, tmp_path: Path) -> None:
    circ, bnl, aig = tmp_path / "p5.circ", tmp_path / "p5.bnl", tmp_path / "p5.aig"
    assert main(["gen", "parity", "--n", "5", "-o", str(circ)]) == 0
    assert "self-feeding circuit, 6 positions (1 auxiliary)" in capsys.readouterr().out
    assert load(circ) == parity_circuit(5)
    assert main(["gen", "parity-program", "--n", "5", "-o", str(bnl)]) == 0
    assert load(bnl) == parity_program(5)
    assert main(["gen", "parity", "--n", "5", "-o", str(aig)]) == 0
    assert main(["equiv", str(bnl), str(aig)]) == 0


def test_without_output_prints_the_default_format(capsys) -> None:
    assert main(["gen", "parity", "--n", "4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("inputs x1 x2 x3 x4 a\n")
    assert "meta generator=parity theorem=2.3 n=4" in out
    assert main(["gen", "parity-program", "--n", "2"]) == 0
    assert "P :- X1 & !X2 | !X1 & X2" in capsys.readouterr().out


def test_refuses_to_overwrite_unless_forced(capsys, tmp_path: Path) -> None:
    out = tmp_path / "p.circ"
    out.write_text("mine\n")
    assert main(["gen", "parity", "--n", "3", "-o", str(out)]) == 2
    assert "file exists; refusing to overwrite it (use --force)" in capsys.readouterr().err
    assert out.read_text() == "mine\n"
    assert main(["gen", "parity", "--n", "3", "-o", str(out), "--force"]) == 0
    assert load(out) == parity_circuit(3)


def test_bad_parameters_and_suffixes(capsys, tmp_path: Path) -> None:
    for n in ("0", "-3", "two"):
        with pytest.raises(SystemExit) as exited:
            main(["gen", "parity", "--n", n, "-o", str(tmp_path / "x.circ")])
        assert exited.value.code == 2
        assert "argument --n: expected a" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["gen", "parity"])  # --n is required
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["gen", "nosuch", "--n", "3"])
    assert exited.value.code == 2
    capsys.readouterr()
    assert main(["gen", "parity", "--n", "3", "-o", str(tmp_path / "x.bnl")]) == 2
    assert "expected OUT ending in .circ, .aag or .aig" in capsys.readouterr().err
    assert main(["gen", "parity", "--n", "3", "-o", str(tmp_path / "x")]) == 2
    assert "unknown file type" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_every_generator_has_help(capsys) -> None:
    for name in GENERATORS:
        with pytest.raises(SystemExit) as exited:
            main(["gen", name, "--help"])
        assert exited.value.code == 0
        assert "-o OUT" in capsys.readouterr().out
