"""The free-input convention of .bnet import (DESIGN.md 3.2) and how `verify info` states it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MODELS
from verifier.cli.main import main
from verifier.formats import bnet
from verifier.formula import Var

DEATH_RECEPTOR = MODELS / "bbm-008_DEATH-RECEPTOR-SIGNALING.bnet"  # reads FASL, FADD, TNF


def test_loads_import_separates_free_inputs_from_identity_rules() -> None:
    imported = bnet.loads_import("B, Z & !Y\nC, C\nA, B | X | Z\n")
    assert imported.program == bnet.loads("B, Z & !Y\nC, C\nA, B | X | Z\n")
    assert imported.program.names == ("B", "C", "A", "Z", "Y", "X")
    assert imported.free_inputs == ("Z", "Y", "X")
    assert imported.identity_rules == ("C",)
    for name in ("Z", "Y", "X", "C"):
        head = imported.program.head(name)
        assert head.body == Var(name) and head.is_input


def test_free_inputs_are_renamed_like_heads() -> None:
    imported = bnet.loads_import("A, 4EBP1 & A\n")
    assert imported.free_inputs == ("_4EBP1",)
    assert imported.identity_rules == ()


def test_a_round_trip_turns_free_inputs_into_identity_rules() -> None:
    first = bnet.loads_import("A, !B\n")
    again = bnet.loads_import(bnet.dumps(first.program))
    assert again.program == first.program
    assert (first.free_inputs, first.identity_rules) == (("B",), ())
    assert (again.free_inputs, again.identity_rules) == ((), ("B",))


def test_published_model_with_free_inputs() -> None:
    text = DEATH_RECEPTOR.read_text()
    imported = bnet.loads_import(text, str(DEATH_RECEPTOR))
    targets = {line.split(",")[0].strip() for line in text.splitlines()[1:] if "," in line}
    assert imported.free_inputs == ("v_FASL", "v_FADD", "v_TNF")
    assert not set(imported.free_inputs) & targets
    assert imported.program.names[-3:] == imported.free_inputs


def info_json(capsys, path: Path) -> dict:
    assert main(["info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_info_lists_free_inputs(capsys) -> None:
    facts = info_json(capsys, DEATH_RECEPTOR)
    assert facts["free_inputs"] == ["v_FASL", "v_FADD", "v_TNF"]
    assert facts["identity_rules"] == []
    assert main(["info", str(DEATH_RECEPTOR)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "free inputs (no rule in the file; kept constant, x :- x, DESIGN 3.2): 3:"
        " v_FASL v_FADD v_TNF"
    ) in out
    assert "identity rules: none" in out


def test_info_lists_identity_rules(capsys) -> None:
    facts = info_json(capsys, MODELS / "faure_cellcycle.bnet")
    assert facts["free_inputs"] == [] and facts["identity_rules"] == ["CycD"]
    assert main(["info", str(MODELS / "faure_cellcycle.bnet")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "free inputs: none" in out
    assert "identity rules (x, x in the file; constant inputs): 1: CycD" in out


@pytest.mark.parametrize("name", ["counter3.bnl", "small.sc", "parity4.circ"])
def test_other_formats_have_no_free_input_keys(capsys, examples: Path, name: str) -> None:
    facts = info_json(capsys, examples / name)
    assert "free_inputs" not in facts and "identity_rules" not in facts


def test_bad_bnet_file_is_located(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.bnet"
    path.write_text("A, B &\n")
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:1:") and "Traceback" not in err
    assert main(["info", str(tmp_path / "missing.bnet")]) == 2
    assert "missing.bnet" in capsys.readouterr().err
