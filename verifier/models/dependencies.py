"""Dependency graphs of models and the structural facts ``verify info`` reports.

The dependency graph has one node per configuration bit (head predicate, schema variable or
position) and an edge u -> v when the next value of v reads the current value of u. For a
circuit, position j reads position i when input gate i lies in the cone of output gate j.
"""

from __future__ import annotations

import networkx as nx

from verifier import formula as fm
from verifier.formula import And, Bottom, Formula, Not, Top, Var
from verifier.models.bnl import BnlProgram
from verifier.models.circuit import Circuit, iter_refs
from verifier.models.sc import ScProgram

__all__ = ["dependency_graph", "is_elementary", "is_fully_open", "nontrivial_sccs", "reads"]


def reads(model: BnlProgram | ScProgram | Circuit) -> dict[str, tuple[str, ...]]:
    """For each configuration bit, the configuration bits its next value reads, in order."""
    if isinstance(model, BnlProgram):
        return {h.name: fm.names(h.body) for h in model.heads}
    if isinstance(model, ScProgram):
        variables = set(model.names)
        return {v.name: tuple(n for n in fm.names(v.body) if n in variables) for v in model.vars}
    return _circuit_reads(model)


def _circuit_reads(circuit: Circuit) -> dict[str, tuple[str, ...]]:
    inputs = set(circuit.inputs)
    exprs = {g.name: g.expr for g in circuit.gates}
    cones: dict[str, tuple[str, ...]] = {}
    graph = circuit.dependency_graph()
    for name in nx.topological_sort(graph):
        if name in inputs:
            cones[name] = (name,)
            continue
        found: dict[str, None] = {}
        for ref in iter_refs(exprs[name]):
            found.update(dict.fromkeys(cones[ref]))
        cones[name] = tuple(found)
    return {pos: cones[out] for pos, out in zip(circuit.inputs, circuit.outputs, strict=True)}


def dependency_graph(model: BnlProgram | ScProgram | Circuit) -> nx.DiGraph:
    """The dependency graph over the configuration bits (see the module docstring)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(model.config_names)
    for target, sources in reads(model).items():
        graph.add_edges_from((source, target) for source in sources)
    return graph


def nontrivial_sccs(graph: nx.DiGraph) -> list[list[str]]:
    """Strongly connected components with a cycle (two or more nodes, or a self-loop),
    largest first, each listed in the graph's node order."""
    order = {node: i for i, node in enumerate(graph.nodes)}
    comps = [
        sorted(c, key=order.__getitem__)
        for c in nx.strongly_connected_components(graph)
        if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))
    ]
    return sorted(comps, key=lambda c: (-len(c), order[c[0]]))


def is_elementary(body: Formula) -> bool:
    """Whether ``body`` is an iteration body of the fully-open form (paper, before Theorem 2.2).

    The paper's list lost its symbols in the source text; we read it as: ``1``, ``0`` (= ``!1``),
    a head ``Y``, a negated head ``!Y``, or a conjunction of two heads ``Y & Z`` -- exactly the
    bodies that the construction of Theorem 2.2 produces (dummy predicates copy ``Y``).
    """
    if isinstance(body, (Top, Bottom, Var)):
        return True
    if isinstance(body, Not):
        return isinstance(body.arg, (Var, Top))
    if isinstance(body, And):
        return isinstance(body.left, Var) and isinstance(body.right, Var)
    return False


def is_fully_open(program: BnlProgram) -> bool:
    """Whether every iteration body of ``program`` is elementary (:func:`is_elementary`)."""
    return all(is_elementary(h.body) for h in program.heads)
