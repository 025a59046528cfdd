"""Graphviz DOT text for directed graphs (pictures of models, ``verify graph``).

A small, pure writer: a :class:`DotGraph` record (nodes, edges, clusters, attributes, comments)
becomes DOT text with :func:`dumps`. Every identifier and attribute value is written as a
double-quoted string (:func:`quote`), so names that are DOT keywords (``node``, ``graph``),
contain spaces, dots, brackets, quotes or backslashes, or start with a digit are all safe.
networkx's own DOT export needs pydot or pygraphviz, which are not dependencies of the project.

>>> g = DotGraph(
...     nodes=(DotNode("P[1]", {"shape": "box"}), DotNode("say \\"hi\\"")),
...     edges=(DotEdge("P[1]", 'say "hi"'),),
...     comments=("two nodes",),
... )
>>> print(dumps(g), end="")
// two nodes
digraph "G" {
  "P[1]" [shape="box"];
  "say \\"hi\\"";
  "P[1]" -> "say \\"hi\\"";
}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DotCluster", "DotEdge", "DotGraph", "DotNode", "dumps", "quote"]

_ATTR_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def quote(text: str) -> str:
    """``text`` as a double-quoted DOT string.

    Backslashes and double quotes are escaped (``\\\\``, ``\\"``) and line breaks become the
    DOT escape ``\\n``, so the result is one line and reads back as ``text`` (in labels, which
    Graphviz interprets as escape strings, ``\\\\`` shows as one backslash).

    >>> print(quote('a "b" \\\\ c'))
    "a \\"b\\" \\\\ c"
    >>> print(quote("two\\nlines"))
    "two\\nlines"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{escaped}"'


@dataclass(frozen=True)
class DotNode:
    """A node: its identifier and its attributes (``label``, ``shape``, ``fillcolor``, ...)."""

    id: str
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DotEdge:
    """An edge ``source -> target`` with its attributes."""

    source: str
    target: str
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DotCluster:
    """A cluster (``subgraph cluster_<name>``) drawn around the nodes ``members``.

    Each member must be a node of the graph and belong to at most one cluster.
    """

    name: str
    members: tuple[str, ...]
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DotGraph:
    """A directed graph to write as DOT.

    ``graph_attrs``, ``node_defaults`` and ``edge_defaults`` become the ``graph [...]``,
    ``node [...]`` and ``edge [...]`` statements; ``comments`` are written as ``//`` lines
    before the graph (a legend for readers of the text).
    """

    nodes: tuple[DotNode, ...]
    edges: tuple[DotEdge, ...] = ()
    clusters: tuple[DotCluster, ...] = ()
    name: str = "G"
    graph_attrs: Mapping[str, str] = field(default_factory=dict)
    node_defaults: Mapping[str, str] = field(default_factory=dict)
    edge_defaults: Mapping[str, str] = field(default_factory=dict)
    comments: tuple[str, ...] = ()


def _attr_list(attrs: Mapping[str, str]) -> str:
    """`` [k="v", ...]`` (empty for no attributes); ValueError for a malformed attribute name."""
    if not attrs:
        return ""
    parts = []
    for key, value in attrs.items():
        if not _ATTR_NAME_RE.fullmatch(key):
            raise ValueError(f"invalid DOT attribute name {key!r}")
        parts.append(f"{key}={quote(str(value))}")
    return " [" + ", ".join(parts) + "]"


def dumps(graph: DotGraph) -> str:
    """The DOT text of ``graph`` (ends with a newline).

    Raises ValueError if an edge or a cluster names a node that is not in ``graph.nodes``, a
    node is listed twice or lies in two clusters, or an attribute name is not an identifier.
    """
    ids = [n.id for n in graph.nodes]
    known = set(ids)
    if len(known) != len(ids):
        raise ValueError("a node is listed twice")
    for edge in graph.edges:
        for end in (edge.source, edge.target):
            if end not in known:
                raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: unknown node {end!r}")
    owner: dict[str, str] = {}
    for cluster in graph.clusters:
        for member in cluster.members:
            if member not in known:
                raise ValueError(f"cluster {cluster.name!r}: unknown node {member!r}")
            if member in owner:
                raise ValueError(
                    f"node {member!r} is in clusters {owner[member]!r} and {cluster.name!r}"
                )
            owner[member] = cluster.name
    lines = [f"// {line}".rstrip() for c in graph.comments for line in c.splitlines() or [""]]
    lines.append(f"digraph {quote(graph.name)} {{")
    for keyword, attrs in (
        ("graph", graph.graph_attrs),
        ("node", graph.node_defaults),
        ("edge", graph.edge_defaults),
    ):
        if attrs:
            lines.append(f"  {keyword}{_attr_list(attrs)};")
    by_id = {n.id: n for n in graph.nodes}
    for cluster in graph.clusters:
        lines.append(f"  subgraph {quote('cluster_' + cluster.name)} {{")
        lines.extend(f"    {key}={quote(str(value))};" for key, value in _checked(cluster.attrs))
        lines.extend(f"    {quote(m)}{_attr_list(by_id[m].attrs)};" for m in cluster.members)
        lines.append("  }")
    lines.extend(f"  {quote(n.id)}{_attr_list(n.attrs)};" for n in graph.nodes if n.id not in owner)
    lines.extend(
        f"  {quote(e.source)} -> {quote(e.target)}{_attr_list(e.attrs)};" for e in graph.edges
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _checked(attrs: Mapping[str, str]) -> list[tuple[str, str]]:
    _attr_list(attrs)  # validates the names
    return list(attrs.items())
