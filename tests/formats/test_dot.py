"""The DOT writer: quoting, structure, and (when Graphviz is installed) that dot reads it."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.formats import dot
from verifier.formats.dot import DotCluster, DotEdge, DotGraph, DotNode, dumps, quote

AWKWARD = [
    "node",
    "graph",
    "a b",
    'say "hi"',
    "back\\slash",
    "P[3,1]",
    "c.d",
    "4EBP1",
    "ümlaut",
    "-",
]


def unquote(text: str) -> str:
    """Inverse of :func:`quote` (what a reader of the escapes gets back)."""
    assert text.startswith('"') and text.endswith('"')
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text[1:-1])


def test_doctests() -> None:
    result = doctest.testmod(dot)
    assert result.failed == 0 and result.attempted > 0


@given(st.text(alphabet=st.characters(blacklist_characters="\r", blacklist_categories=["Cs"])))
def test_quote_is_one_line_and_reversible(text: str) -> None:
    quoted = quote(text)
    assert "\n" not in quoted
    # No unescaped quote inside: every inner quote is preceded by an odd number of backslashes.
    inner = quoted[1:-1]
    for match in re.finditer('"', inner):
        run = len(inner[: match.start()]) - len(inner[: match.start()].rstrip("\\"))
        assert run % 2 == 1
    assert unquote(quoted) == text


def test_structure_clusters_defaults_and_comments() -> None:
    graph = DotGraph(
        nodes=(DotNode("a", {"shape": "box"}), DotNode("b"), DotNode("c")),
        edges=(DotEdge("a", "b", {"color": "red"}), DotEdge("b", "b")),
        clusters=(DotCluster("one", ("b", "c"), {"label": "SCC"}),),
        name="my graph",
        graph_attrs={"label": "two\nlines"},
        node_defaults={"style": "filled"},
        comments=("legend", "second\nthird"),
    )
    text = dumps(graph)
    assert text.splitlines() == [
        "// legend",
        "// second",
        "// third",
        'digraph "my graph" {',
        '  graph [label="two\\nlines"];',
        '  node [style="filled"];',
        '  subgraph "cluster_one" {',
        '    label="SCC";',
        '    "b";',
        '    "c";',
        "  }",
        '  "a" [shape="box"];',
        '  "a" -> "b" [color="red"];',
        '  "b" -> "b";',
        "}",
    ]


@pytest.mark.parametrize(
    "graph",
    [
        DotGraph(nodes=(DotNode("a"),), edges=(DotEdge("a", "z"),)),
        DotGraph(nodes=(DotNode("a"), DotNode("a"))),
        DotGraph(nodes=(DotNode("a"),), clusters=(DotCluster("c", ("z",)),)),
        DotGraph(
            nodes=(DotNode("a"),), clusters=(DotCluster("c", ("a",)), DotCluster("d", ("a",)))
        ),
        DotGraph(nodes=(DotNode("a", {"bad key": "1"}),)),
    ],
)
def test_malformed_graphs_are_refused(graph: DotGraph) -> None:
    with pytest.raises(ValueError):
        dumps(graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_graphviz_reads_awkward_names_back() -> None:
    nodes = tuple(DotNode(name, {"label": name}) for name in AWKWARD)
    edges = tuple(DotEdge(a, b) for a, b in pairwise(AWKWARD))
    text = dumps(
        DotGraph(
            nodes=nodes,
            edges=edges,
            clusters=(DotCluster("x y", (AWKWARD[0], AWKWARD[1])),),
            comments=('a "comment" with } and {',),
        )
    )
    proc = subprocess.run(
        [shutil.which("dot") or "dot", "-Tjson0"], input=text.encode(), capture_output=True
    )
    assert proc.returncode == 0, proc.stderr.decode()
    objects = json.loads(proc.stdout)["objects"]
    # dot keeps the escapes of IDs as written (it unescapes only \"), labels are escString.
    names = {o["name"].replace("\\\\", "\\") for o in objects if "nodes" not in o}
    assert names == set(AWKWARD)
    assert len(json.loads(proc.stdout)["edges"]) == len(edges)
