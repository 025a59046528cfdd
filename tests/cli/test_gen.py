"""`verify gen`: the generator table, writing, refusing to overwrite, bad parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.arith.pieces import parse_pieces
from verifier.cli.gen import GENERATORS
from verifier.cli.main import main
from verifier.formats.registry import load
from verifier.generate.floats import poly_program
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


# -- poly (Theorem 3.9) and fnormalize (Lemma 3.6) -------------------------------------------------

F312 = ["--base", "2", "-p", "3", "-q", "1"]  # F(3, 1, 2): 25 values
SMOOTH = ["..-1/2: 0", "-1/2..1/2: 1/2*x^2 + x + 1/4", "1/2..: x"]  # a quadratic smoothed relu


def meta_arith(path: Path) -> str:
    lines = [line for line in path.read_text().splitlines() if line.startswith("meta arith ")]
    assert len(lines) == 1, lines
    return lines[0]


def assert_arith_passes(capsys, path: Path) -> None:
    capsys.readouterr()
    assert main(["arith", str(path)]) == 0
    assert capsys.readouterr().out.startswith("PASS")


@pytest.mark.parametrize(
    ("function", "system", "pieces"),
    [
        ("relu", F312, "..0:0;0..:x"),
        ("heaviside", ["--base", "3", "-p", "2", "-q", "1"], "..0:0;0..:1"),
        ("identity", ["--base", "2", "-p", "2", "-q", "1"], "..:x"),
    ],
)
def test_poly_from_a_named_function(
    capsys, tmp_path: Path, function: str, system: list[str], pieces: str
) -> None:
    out = tmp_path / f"{function}.bnl"
    assert main(["gen", "poly", *system, "--function", function, "-o", str(out)]) == 0
    assert f"{out}: BNL program" in capsys.readouterr().out
    b, p, q = system[1], system[3], system[5]
    meta = meta_arith(out)
    assert meta.startswith(f"meta arith op=poly encoding=float base={b} p={p} q={q} time=")
    assert meta.endswith(f" pieces={pieces} operands=x")
    assert_arith_passes(capsys, out)


def test_arith_checks_the_pieces_of_the_meta_line(capsys, tmp_path: Path) -> None:
    """The PASS above is not vacuous: relu's program claimed to be heaviside fails at x = 0."""
    out = tmp_path / "relu.bnl"
    assert main(["gen", "poly", *F312, "--function", "relu", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.count(" pieces=..0:0;0..:x ") == 1
    out.write_text(text.replace(" pieces=..0:0;0..:x ", " pieces=..0:0;0..:1 "))
    capsys.readouterr()
    assert main(["arith", str(out)]) == 1
    assert "x = 0: expected 0.100e+1, program gives 0" in capsys.readouterr().out


def test_poly_from_pieces_and_from_a_file(capsys, tmp_path: Path) -> None:
    by_flags, by_file = tmp_path / "flags.bnl", tmp_path / "file.bnl"
    flags = [arg for piece in SMOOTH for arg in ("--piece", piece)]
    assert main(["gen", "poly", *F312, *flags, "-o", str(by_flags)]) == 0
    assert load(by_flags) == poly_program(2, 3, 1, parse_pieces(SMOOTH))
    assert " pieces=..-1/2:0;-1/2..1/2:1/2*x^2+x+1/4;1/2..:x " in meta_arith(by_flags)
    assert_arith_passes(capsys, by_flags)
    toml = tmp_path / "smooth.toml"
    lines = "".join(f'  "{piece}",\n' for piece in SMOOTH)
    toml.write_text(f"# smoothed relu\npieces = [\n{lines}]\n")
    assert main(["gen", "poly", *F312, "--pieces", str(toml), "-o", str(by_file)]) == 0
    assert by_file.read_text() == by_flags.read_text()


def test_poly_without_output_prints_the_program(capsys) -> None:
    assert main(["gen", "poly", "--base", "2", "-p", "1", "-q", "1", "--function", "identity"]) == 0
    out = capsys.readouterr().out
    assert "meta arith op=poly encoding=float base=2 p=1 q=1 time=" in out
    assert " pieces=..:x operands=x" in out


def _refused(capsys, args: list[str]) -> str:
    """The message of a 'verify gen' run that must exit 2 (bad input, no traceback)."""
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    return err


def test_poly_needs_exactly_one_source_of_pieces(capsys, tmp_path: Path) -> None:
    out = tmp_path / "p.bnl"
    toml = tmp_path / "relu.toml"
    toml.write_text('pieces = ["..0: 0", "0..: x"]\n')
    message = (
        "verify gen poly: give the pieces once: --piece (repeated), --pieces FILE or"
        " --function relu|heaviside|identity"
    )
    for sources in (
        [],
        ["--function", "relu", "--piece", "..: x"],
        ["--piece", "..: x", "--pieces", str(toml)],
        ["--function", "relu", "--pieces", str(toml)],
        ["--function", "relu", "--pieces", str(toml), "--piece", "..: x"],
    ):
        assert message in _refused(capsys, ["gen", "poly", *F312, *sources, "-o", str(out)])
    with pytest.raises(SystemExit) as exited:
        main(["gen", "poly", *F312, "--function", "softplus", "-o", str(out)])
    assert exited.value.code == 2
    assert "invalid choice: 'softplus'" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        (["..0: 0"], "no piece contains x = 0 (0) of F(3, 1, 2)"),
        (["..-1/2: 0", "0..: x"], "no piece contains x = -0.100e+0 (-1/2) of F(3, 1, 2)"),
        (["..: x", "..: 1/3*x"], "piece 2: coefficient 1/3 is not in F(3, 1, 2)"),
        (["..: 9/16*x"], "piece 1: coefficient 9/16 is not in F(3, 1, 2)"),
        (["..1/16: 0", "1/16..: x"], "piece 1: upper bound 1/16 is not a number of F(3, 1, 2)"),
        (["..0: 0", "0..: x x"], "piece '0..: x x': terms must be joined by + or -, at 'x'"),
        (["1..1: x"], "piece '1..1: x': the interval [1, 1) is empty"),
    ],
)
def test_poly_refuses_pieces_that_are_not_a_function(
    capsys, tmp_path: Path, pieces: list[str], message: str
) -> None:
    out = tmp_path / "p.bnl"
    flags = [arg for piece in pieces for arg in ("--piece", piece)]
    err = _refused(capsys, ["gen", "poly", *F312, *flags, "-o", str(out)])
    assert f"verify gen poly: {message}" in err
    assert not out.exists()


def test_poly_refuses_a_bad_pieces_file(capsys, tmp_path: Path) -> None:
    out = tmp_path / "p.bnl"
    toml = tmp_path / "bad.toml"
    toml.write_text('pieces = [\n  "..0: 0",\n  "0..: 2x^",\n]\n')
    err = _refused(capsys, ["gen", "poly", *F312, "--pieces", str(toml), "-o", str(out)])
    assert f"{toml}:3:4: piece '0..: 2x^': cannot read a term at '^'" in err
    toml.write_text('pieces = ["..0: 0"\n')
    assert f"{toml}: " in _refused(
        capsys, ["gen", "poly", *F312, "--pieces", str(toml), "-o", str(out)]
    )
    toml.write_text("pieces = []\n")
    assert "pieces is empty" in _refused(
        capsys, ["gen", "poly", *F312, "--pieces", str(toml), "-o", str(out)]
    )
    assert not out.exists()


def test_poly_refuses_a_missing_pieces_file(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    err = _refused(capsys, ["gen", "poly", *F312, "--pieces", str(missing)])
    assert str(missing) in err


@pytest.mark.parametrize(
    ("raw", "raw_p", "raw_q"),
    [([], 3, 1), (["--raw-p", "2", "--raw-q", "2"], 2, 2), (["--raw-q", "2"], 3, 2)],
)
def test_fnormalize(capsys, tmp_path: Path, raw: list[str], raw_p: int, raw_q: int) -> None:
    out = tmp_path / "n.bnl"
    system = ["--base", "2", "-p", "2", "-q", "1"]
    assert main(["gen", "fnormalize", *system, *raw, "-o", str(out)]) == 0
    meta = meta_arith(out)
    assert meta.startswith(
        f"meta arith op=fnormalize encoding=float base=2 p=2 q=1 raw_p={raw_p} raw_q={raw_q} time="
    )
    assert_arith_passes(capsys, out)


def test_poly_and_fnormalize_refuse_to_overwrite_unless_forced(capsys, tmp_path: Path) -> None:
    out = tmp_path / "f.bnl"
    for args in (
        ["gen", "poly", *F312, "--function", "relu", "-o", str(out)],
        ["gen", "fnormalize", "--base", "2", "-p", "2", "-q", "1", "-o", str(out)],
    ):
        out.write_text("mine\n")
        assert "refusing to overwrite it (use --force)" in _refused(capsys, args)
        assert out.read_text() == "mine\n"
        assert main([*args, "--force"]) == 0
        assert_arith_passes(capsys, out)
