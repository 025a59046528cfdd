"""encodings/parity/ is what `verify gen` writes today, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.formats.registry import dumps
from verifier.generate.catalog import generate

PARITY = Path(__file__).resolve().parents[2] / "encodings" / "parity"


def _spec(path: Path) -> str:
    stem = path.stem.removeprefix("parity")
    if stem.endswith("_program"):
        return f"parity-program n={stem.removesuffix('_program')}"
    return f"parity n={stem}"


@pytest.mark.parametrize("path", sorted(PARITY.iterdir()), ids=lambda p: p.name)
def test_regenerating_is_byte_identical(path: Path) -> None:
    assert dumps(generate(_spec(path)), path.suffix) == path.read_text(encoding="utf-8")


def test_every_family_member_is_there() -> None:
    names = {p.name for p in PARITY.iterdir()}
    for n in (4, 8, 16, 32, 64):
        assert {f"parity{n}.circ", f"parity{n}_program.bnl"} <= names
