"""`verify translate`: the written file and its meta lines, --check, the hand-over to
`verify equiv`, and refusals (existing output, output = input, same kind, bad source)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verifier.cli.main import main
from verifier.formats.registry import load
from verifier.translate.registry import Relation, relation_of


def run(capsys, *args: object) -> tuple[int, str, str]:
    status = main(["translate", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_writes_the_translation_with_its_meta_lines(capsys, examples: Path, tmp_path: Path) -> None:
    source, out = examples / "small.sc", tmp_path / "small.bnl"
    status, stdout, stderr = run(capsys, source, "--to", "bnl", "-o", out)
    assert (status, stderr) == (0, "")
    assert stdout.startswith(f"wrote {out}: 5 heads, size ")
    assert "(Theorem 2.1; relation=async stride=1 offset=1)" in stdout
    lines = out.read_text().splitlines()
    assert "meta translation=sc-to-bnl theorem=2.1 relation=async stride=1 offset=1" in lines
    assert f"meta source={source}" in lines
    model = load(out)
    assert relation_of(model) == Relation("async", 1, 1)
    assert model.meta == (
        "translation=sc-to-bnl theorem=2.1 relation=async stride=1 offset=1",
        f"source={source}",
    )


def test_a_chain_writes_one_claim(capsys, examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "parity4.sc"
    status, stdout, _ = run(capsys, examples / "parity4.circ", "--to", "sc", "-o", out)
    assert status == 0 and "Theorem 2.6, Theorem 2.1;" in stdout
    model = load(out)
    assert relation_of(model) == Relation("async", 3, 0)
    assert model.meta[0] == (
        "translation=circuit-to-bnl+bnl-to-sc theorem=2.6+2.1 relation=async stride=3 offset=0"
    )
    out = tmp_path / "parity4.circ"
    status, stdout, _ = run(capsys, examples / "parity4.bnl", "--to", "circ", "-o", out)
    assert status == 0 and "5 positions" in stdout and "relation=global" in stdout


@pytest.mark.parametrize(
    ("name", "target", "suffix"),
    [
        ("small.sc", "bnl", ".bnl"),
        ("parity4.bnl", "circ-balanced", ".circ"),
        ("parity4.circ", "fully-open", ".bnl"),
    ],
)
def test_check_proves_the_claim(
    capsys, examples: Path, tmp_path: Path, name: str, target: str, suffix: str
) -> None:
    out = tmp_path / f"out{suffix}"
    status, stdout, _ = run(capsys, examples / name, "--to", target, "-o", out, "--check")
    assert status == 0
    assert stdout.splitlines()[0].startswith(f"wrote {out}")
    assert stdout.splitlines()[1].startswith("PASS")


def test_verify_equiv_reads_the_stride_from_the_output(
    capsys, examples: Path, tmp_path: Path
) -> None:
    for name, stride in (
        ("small.sc", "stride 1, offset 1"),
        ("parity4.circ", "stride 3, offset 0"),
    ):
        out = tmp_path / f"{name}.bnl"
        assert run(capsys, examples / name, "--to", "bnl", "-o", out)[0] == 0
        assert main(["equiv", str(examples / name), str(out)]) == 0
        stdout = capsys.readouterr().out
        assert stdout.startswith("PASS")
        assert f"{stride} (from B's meta lines)" in stdout


def test_an_existing_output_is_kept_unless_forced(capsys, examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.bnl"
    out.write_text("# mine\n")
    status, stdout, stderr = run(capsys, examples / "small.sc", "--to", "bnl", "-o", out)
    assert status == 2 and stdout == ""
    assert str(out) in stderr and "Traceback" not in stderr
    assert out.read_text() == "# mine\n"
    status, _, stderr = run(capsys, examples / "small.sc", "--to", "bnl", "-o", out, "--force")
    assert (status, stderr) == (0, "")
    assert relation_of(load(out)) == Relation("async", 1, 1)


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_the_output_may_not_be_the_source(capsys, examples: Path, tmp_path: Path, force) -> None:
    source = tmp_path / "parity4.bnl"
    shutil.copy(examples / "parity4.bnl", source)
    before = source.read_bytes()
    for spelling in (source, tmp_path / "." / "parity4.bnl"):
        status, _, stderr = run(capsys, source, "--to", "fully-open", "-o", spelling, *force)
        assert status == 2
        assert "the output would overwrite the input file" in stderr
        assert source.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "target"), [("small.sc", "sc"), ("parity4.bnl", "bnl"), ("parity4.circ", "circ")]
)
def test_a_same_kind_target_is_refused(
    capsys, examples: Path, tmp_path: Path, name: str, target: str
) -> None:
    out = tmp_path / f"out.{target}"
    status, stdout, stderr = run(capsys, examples / name, "--to", target, "-o", out)
    assert (status, stdout) == (2, "")
    assert "nothing to translate" in stderr
    assert not out.exists()


def test_an_output_of_the_wrong_format_is_refused(capsys, examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.bnl"
    status, _, stderr = run(capsys, examples / "parity4.bnl", "--to", "circ", "-o", out)
    assert status == 2 and "cannot be written as .bnl" in stderr
    assert not out.exists()


def test_an_unknown_target_is_a_usage_error(capsys, examples: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["translate", str(examples / "parity4.bnl"), "--to", "aig", "-o", str(tmp_path / "x")])
    assert info.value.code == 2
    assert "invalid choice: 'aig'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("X :- X &\n", "1:9", "expected a formula"),
        ("# a comment\nX(0) :- 1\nX :- Y\n", "3:6", "undefined name 'Y'"),
    ],
)
def test_a_bad_source_is_located(
    capsys, tmp_path: Path, text: str, where: str, needle: str
) -> None:
    source = tmp_path / "bad.bnl"
    source.write_text(text)
    out = tmp_path / "out.sc"
    status, stdout, stderr = run(capsys, source, "--to", "sc", "-o", out, "--check")
    assert (status, stdout) == (2, "")
    assert stderr.startswith(f"{source}:{where}: error: ")
    assert needle in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_a_missing_source(capsys, tmp_path: Path) -> None:
    status, _, stderr = run(capsys, tmp_path / "nope.bnl", "--to", "sc", "-o", tmp_path / "o.sc")
    assert status == 2 and "nope.bnl" in stderr
