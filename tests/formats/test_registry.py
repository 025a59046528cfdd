"""Every shared example and published model loads by suffix, prints, re-parses equal and
simulates identically on the reference simulator and the IR (issue 2 acceptance)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import EXAMPLES, MODELS
from verifier import reference
from verifier.errors import InputError
from verifier.formats.registry import FORMATS, dumps, format_for, load, loads, save
from verifier.ir.compile import compile_model
from verifier.ir.simulate import traces

SHARED_FILES = sorted(
    p for folder in (EXAMPLES, MODELS) for p in folder.iterdir() if p.suffix in FORMATS
)


def test_the_shared_folders_are_there() -> None:
    assert len([p for p in SHARED_FILES if p.suffix == ".bnet"]) >= 60
    assert {p.suffix for p in SHARED_FILES} >= {".bnl", ".sc", ".circ", ".bnet"}


@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_shared_file_round_trips_and_simulates(path: Path) -> None:
    model = load(path)
    suffix = format_for(path).suffix
    assert loads(dumps(model, suffix), suffix) == model
    if suffix == ".bnet":
        # A BoolNet model is a BNL program: it prints as .bnl too.
        assert loads(dumps(model, ".bnl"), ".bnl") == model
    rng = random.Random(path.name)
    bits = [rng.random() < 0.5 for _ in model.input_names]
    expected = reference.simulate(model, bits, 8)
    assert len(expected) == 9
    got = traces(compile_model(model), np.array([bits], dtype=bool).reshape(1, -1), 8)
    assert got == [expected]


def test_save_refuses_to_overwrite_and_writes_atomically(tmp_path: Path) -> None:
    model = load(EXAMPLES / "counter3.bnl")
    target = tmp_path / "c.bnl"
    save(model, target)
    assert load(target) == model
    with pytest.raises(InputError, match="refusing to overwrite"):
        save(model, target)
    save(model, target, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["c.bnl"]


def test_unknown_suffix_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"expected one of \.bnl"):
        format_for(tmp_path / "x.json")


def test_saved_files_get_the_mode_of_a_plain_open(tmp_path) -> None:
    import os

    from verifier.formats.registry import save_content

    mask = os.umask(0o022)
    os.umask(mask)
    save_content("x\n", tmp_path / "a.bnl")
    (tmp_path / "b.bnl").write_text("x\n")
    assert (tmp_path / "a.bnl").stat().st_mode == (tmp_path / "b.bnl").stat().st_mode
