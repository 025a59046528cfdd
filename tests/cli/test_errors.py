"""Bad input reaches the user as one located message with exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli.main import main

BAD_FILES = {
    "unknown_directive.bnl": ("X :- X\nfrobnicate X\n", 2, 1),
    "undefined.bnl": ("X :- X & Y\n", 1, 10),
    "cycle.circ": ("inputs x\noutputs g\ng = and(x, h)\nh = not(g)\n", 3, 1),
    "empty.sc": ("# nothing here\n", 1, 1),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_location_and_status_2(capsys, tmp_path: Path, name: str) -> None:
    text, line, _col = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text)
    for command in (["info", str(path)], ["sim", str(path), "--all-inputs"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"{path}:{line}:")
        assert "error:" in err and "Traceback" not in err


def test_binary_file_is_rejected(capsys, tmp_path: Path) -> None:
    path = tmp_path / "blob.bnl"
    path.write_bytes(b"X :- X\n\x00\x01\x02")
    assert main(["info", str(path)]) == 2
    assert f"{path}:2:1" in capsys.readouterr().err


def test_missing_file_and_unknown_suffix(capsys, tmp_path: Path) -> None:
    assert main(["info", str(tmp_path / "nope.bnl")]) == 2
    assert "nope.bnl" in capsys.readouterr().err
    other = tmp_path / "model.txt"
    other.write_text("X :- X\n")
    assert main(["info", str(other)]) == 2
    assert "unknown file type '.txt'" in capsys.readouterr().err


def test_console_entry_point_shows_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.bnl"
    path.write_text("X :- (X &\n")
    result = subprocess.run(
        [sys.executable, "-m", "verifier", "info", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert f"{path}:1:" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_is_status_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sim"])
    assert exit_info.value.code == 2
