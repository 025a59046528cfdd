"""`verify graph`: dependency and state-transition pictures, DOT and SVG, and their errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import MODELS
from verifier.cli import graph as graph_cli
from verifier.cli.main import main

FAURE = MODELS / "faure_cellcycle.bnet"
HAS_DOT = shutil.which("dot") is not None


def nodes_of(text: str) -> dict[str, str]:
    """Node statements of DOT text written by verify: id -> attribute text."""
    return dict(re.findall(r'^\s+"([^"]*)"(?: \[(.*)\])?;$', text, re.MULTILINE))


def edges_of(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r'^\s+"([^"]*)" -> "([^"]*)"(?: \[(.*)\])?;$', text, re.MULTILINE)


def test_deps_of_a_bnet_model(tmp_path: Path) -> None:
    out = tmp_path / "deps.dot"
    assert main(["graph", str(FAURE), "--deps", "-o", str(out)]) == 0
    text = out.read_text()
    nodes = nodes_of(text)
    assert set(nodes) == {"CycD", "Rb", "E2F", "CycE", "CycA", "p27", "Cdc20", "cdh1", "UbcH10",
                          "CycB"}  # fmt: skip
    assert 'shape="box"' in nodes["CycD"]  # CycD, CycD: a constant input
    assert "peripheries" not in text  # every bit is an input: not marked
    # One SCC of nine nodes, drawn as a cluster; CycD is outside it.
    assert text.count("subgraph") == 1 and "SCC 1 (9 nodes)" in text
    assert "fillcolor" not in nodes["CycD"] and "fillcolor" in nodes["Rb"]
    edges = {(u, v): attrs for u, v, attrs in edges_of(text)}
    # Rb, !CycD & !CycE & ...: negative reads (red tee); CycD, CycD: a positive self-loop.
    assert "tee" in edges[("CycD", "Rb")]
    assert edges[("CycD", "CycD")] is None or "tee" not in edges[("CycD", "CycD")]


def test_deps_signs_inputs_and_propositions(tmp_path: Path) -> None:
    model = tmp_path / "m.sc"
    model.write_text("props p q\nX(0) :- p\nY(0) :- q\nX :- !X & p\nY :- Y | !Y\n")
    out = tmp_path / "m.dot"
    assert main(["graph", str(model), "--deps", "-o", str(out)]) == 0
    text = out.read_text()
    edges = {(u, v): attrs or "" for u, v, attrs in edges_of(text)}
    assert "tee" in edges[("X", "X")] and "tee" not in edges[("p", "X")]
    assert "odiamond" in edges[("Y", "Y")]
    assert "rounded" in nodes_of(text)["p"] and "q" in nodes_of(text)
    circ = tmp_path / "c.circ"
    circ.write_text("inputs x a\noutputs n a\ninit a=0\nn = not(and(x, a))\n")
    assert main(["graph", str(circ), "--deps", "-o", str(tmp_path / "c.dot")]) == 0
    text = (tmp_path / "c.dot").read_text()
    assert 'peripheries="2"' in nodes_of(text)["x"]  # an input position
    assert 'shape="box"' in nodes_of(text)["a"]  # output a = input gate a: constant
    edges = {(u, v): attrs or "" for u, v, attrs in edges_of(text)}
    assert "tee" in edges[("x", "x")] and "tee" in edges[("a", "x")]


def test_states_of_a_bnet_model(tmp_path: Path) -> None:
    out = tmp_path / "stg.dot"
    assert main(["graph", str(FAURE), "--states", "-o", str(out)]) == 0
    text = out.read_text()
    nodes = nodes_of(text)
    assert len(nodes) == 2**10 and len(edges_of(text)) == 2**10
    assert all(re.fullmatch("[01]{10}", n) for n in nodes)
    assert 'shape="box"' not in text  # every configuration is initial
    assert "// node label = configuration bits in state order: CycD Cdc20 CycA CycB" in text
    assert "every node is a round-0 configuration" in text
    # Faure et al. (2006), synchronous: a fixed point (CycD = 0) and a cycle of period 7.
    assert "2 attractor(s)" in text
    assert re.search(r"attractor 1: fixed point 0\d{9}; basin \d+", text)
    assert re.search(r"attractor 2: cycle of period 7: 1[01]{9}( [01]{10}){6}; basin", text)
    on_cycle = [n for n, attrs in nodes.items() if 'peripheries="2"' in attrs]
    assert len(on_cycle) == 8
    assert len({re.search(r'fillcolor="([^"]+)"', a).group(1) for a in nodes.values()}) == 2


def test_states_reachable_and_all(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "c.dot"
    assert main(["graph", str(examples / "counter3.bnl"), "--states", "-o", str(out)]) == 0
    nodes = nodes_of(out.read_text())
    assert set(nodes) == {"100", "010", "001"}
    assert [n for n, a in nodes.items() if 'shape="box"' in a] == ["100"]
    every = tmp_path / "all.dot"
    cmd = ["graph", str(examples / "counter3.bnl"), "--states", "--all-states", "-o", str(every)]
    assert main(cmd) == 0
    assert len(nodes_of(every.read_text())) == 8


def test_states_of_sc_split_by_read_propositions(tmp_path: Path, examples: Path) -> None:
    out = tmp_path / "s.dot"
    assert main(["graph", str(examples / "small.sc"), "--states", "-o", str(out)]) == 0
    text = out.read_text()
    assert 'label="p=0"' in text and 'label="p=1"' in text
    assert set(nodes_of(text)) == {"0:00", "0:01", "0:10", "1:01", "1:10", "1:11"}


def test_too_many_state_bits_is_a_clear_error(capsys, tmp_path: Path) -> None:
    path = MODELS / "bbm-003_MAMMALIAN-CELL-CYCLE.bnet"  # 20 variables
    assert main(["graph", str(path), "--states", "-o", str(tmp_path / "x.dot")]) == 2
    err = capsys.readouterr().err
    assert f"{path}: the model has 20 state bits" in err and "at most 12" in err
    assert "--deps" in err and "Traceback" not in err
    assert not (tmp_path / "x.dot").exists()
    assert main(["graph", str(path), "--deps", "-o", str(tmp_path / "x.dot")]) == 0


def test_bad_model_file_is_located(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.bnl"
    path.write_text("X :- X & Y\n")
    for kind in ("--deps", "--states"):
        assert main(["graph", str(path), kind, "-o", str(tmp_path / "g.dot")]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"{path}:1:10: error:") and "Traceback" not in err


def test_usage_errors(capsys, tmp_path: Path) -> None:
    out = tmp_path / "g.png"
    assert main(["graph", str(FAURE), "--deps", "-o", str(out)]) == 2
    assert "expected OUT ending in .dot or .svg" in capsys.readouterr().err
    assert main(["graph", str(FAURE), "--deps", "--all-states", "-o", str(tmp_path / "a.dot")]) == 2
    assert "--all-states applies to --states only" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", str(FAURE), "-o", str(tmp_path / "a.dot")])  # neither --deps nor --states
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["graph", str(FAURE), "--deps", "--states", "-o", str(tmp_path / "a.dot")])


def test_never_overwrites_without_force(capsys, tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    out.write_text("mine\n")
    assert main(["graph", str(FAURE), "--deps", "-o", str(out)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert out.read_text() == "mine\n"
    assert main(["graph", str(FAURE), "--deps", "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("// dependency graph of faure_cellcycle.bnet")


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz dot is not installed")
def test_svg_with_graphviz(capsys, tmp_path: Path) -> None:
    for kind in ("--deps", "--states"):
        out = tmp_path / f"g{kind}.svg"
        assert main(["graph", str(FAURE), kind, "-o", str(out)]) == 0
        assert "<svg" in out.read_text()
        assert not out.with_suffix(".dot").exists()
        assert capsys.readouterr().err == ""


def test_svg_without_graphviz_writes_dot(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(graph_cli.shutil, "which", lambda name: None)
    out = tmp_path / "g.svg"
    assert main(["graph", str(FAURE), "--deps", "-o", str(out)]) == 0
    assert not out.exists()
    fallback = tmp_path / "g.dot"
    assert fallback.read_text().startswith("// dependency graph")
    err = capsys.readouterr().err
    assert "Graphviz `dot` was not found" in err and str(fallback) in err
    # The fallback file is not overwritten either, unless --force.
    assert main(["graph", str(FAURE), "--deps", "-o", str(out)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main(["graph", str(FAURE), "--deps", "-o", str(out), "--force"]) == 0


@pytest.mark.skipif(shutil.which("false") is None, reason="no `false` program")
def test_svg_when_dot_fails_writes_dot(capsys, monkeypatch, tmp_path: Path) -> None:
    false = shutil.which("false")
    monkeypatch.setattr(graph_cli.shutil, "which", lambda name: false)
    out = tmp_path / "g.svg"
    assert main(["graph", str(FAURE), "--states", "-o", str(out)]) == 0
    assert not out.exists() and (tmp_path / "g.dot").exists()
    assert "`dot -Tsvg` failed" in capsys.readouterr().err
