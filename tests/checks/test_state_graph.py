"""The state-transition graph against the reference simulators and a brute-force search."""

from __future__ import annotations

import dataclasses
import doctest
import json
from itertools import product

import networkx as nx
import pytest
from hypothesis import given, settings

from tests.conftest import MODELS, scaled
from tests.strategies import bnl_programs, circuits, sc_programs
from verifier import reference
from verifier.checks import state_graph as sg
from verifier.checks.state_graph import StateGraphTooLarge, state_graph
from verifier.formats.registry import load
from verifier.formula import Bottom, Not, Top, Var
from verifier.ir.compile import compile_model
from verifier.models import (
    AttentionAll,
    BnlProgram,
    Circuit,
    Head,
    Model,
    SchemaVar,
    ScProgram,
)


def bits(n: int) -> list[str]:
    return ["".join(b) for b in product("01", repeat=n)]


def reference_step(model: Model, config: str, read_inputs: dict[str, str]) -> str:
    """The next configuration after ``config`` by one round of the reference simulator: the
    model is made to start in ``config`` (every bit an input, or SC terminal clauses set to
    the bits) and run for one round; ``read_inputs`` fixes proposition symbols (others 0)."""
    plain = {"print_": (), "attention": AttentionAll(), "assumptions": ()}
    if isinstance(model, BnlProgram):
        start = BnlProgram(heads=tuple(Head(h.name, h.body) for h in model.heads), print_=())
        return reference.simulate(start, config, 1)[1].config
    if isinstance(model, ScProgram):
        variables = tuple(
            SchemaVar(v.name, Top() if b == "1" else Bottom(), v.body)
            for v, b in zip(model.vars, config, strict=True)
        )
        start = dataclasses.replace(model, vars=variables, **plain)
        props = "".join(read_inputs.get(p, "0") for p in model.props)
        return reference.simulate(start, props, 1)[1].config
    assert isinstance(model, Circuit)
    start = dataclasses.replace(model, init=(None,) * model.n, **plain)
    return reference.simulate(start, config, 1)[1].config


def node_parts(graph: nx.DiGraph, node: str) -> tuple[str, dict[str, str]]:
    data = graph.nodes[node]
    names = graph.graph["input_names"]
    return data["config"], dict(zip(names, data["inputs"], strict=True))


def check_against_reference(model: Model, *, all_states: bool) -> nx.DiGraph:
    graph = state_graph(compile_model(model), all_states=all_states)
    n = len(model.config_names)
    read = graph.graph["input_names"]
    assert graph.graph["state_names"] == model.config_names

    def key(config: str, inputs: dict[str, str]) -> str:
        return "".join(inputs[p] for p in read) + ":" + config if read else config

    # Every edge is one reference step; every node has exactly one successor.
    succ: dict[str, str] = {}
    for node in graph:
        config, inputs = node_parts(graph, node)
        (target,) = graph.successors(node)
        assert target == key(reference_step(model, config, inputs), inputs)
        succ[node] = target

    # Nodes and initial flags: brute force over every valid input with the reference.
    initial, reachable, valuations = set(), set(), set()
    for word in bits(len(model.input_names)):
        if not reference.satisfies_assumptions(model, word):
            continue
        env = dict(zip(model.input_names, word, strict=True))
        inputs = {p: env[p] for p in read}
        valuations.add(tuple(inputs.items()))
        trace = reference.simulate(model, word, 2**n + 1)
        initial.add(key(trace[0].config, inputs))
        reachable.update(key(step.config, inputs) for step in trace)
    if all_states:
        expected = {key(c, dict(v)) for v in (valuations if read else [()]) for c in bits(n)}
    else:
        expected = reachable
    assert set(graph) == expected
    assert {v for v, d in graph.nodes(data="initial") if d} == initial

    # Attractors and basins: follow the reference successors until a node repeats.
    attractors = graph.graph["attractors"]
    for node in graph:
        path = [node]
        while succ[path[-1]] not in path:
            path.append(succ[path[-1]])
        cycle = path[path.index(succ[path[-1]]) :]
        found = attractors[graph.nodes[node]["basin"]]
        assert set(found.nodes) == set(cycle)
        assert (graph.nodes[node]["attractor"] is not None) == (node in cycle)
    for index, attractor in enumerate(attractors):
        assert attractor.index == index
        assert attractor.nodes[0] == min(attractor.nodes)
        for a, b in zip(attractor.nodes, attractor.nodes[1:] + attractor.nodes[:1], strict=True):
            assert succ[a] == b
    return graph


@settings(max_examples=scaled(60))
@given(bnl_programs())
def test_bnl_programs_match_the_reference(program: BnlProgram) -> None:
    for all_states in (False, True):
        graph = check_against_reference(program, all_states=all_states)
        assert graph.graph["input_names"] == ()


@settings(max_examples=scaled(60))
@given(sc_programs())
def test_sc_programs_match_the_reference(program: ScProgram) -> None:
    for all_states in (False, True):
        check_against_reference(program, all_states=all_states)


@settings(max_examples=scaled(60))
@given(circuits())
def test_circuits_match_the_reference(circuit: Circuit) -> None:
    for all_states in (False, True):
        check_against_reference(circuit, all_states=all_states)


def test_doctests() -> None:
    result = doctest.testmod(sg)
    assert result.failed == 0 and result.attempted > 0


def test_sc_splits_only_on_propositions_the_next_state_reads() -> None:
    program = ScProgram(
        props=("p", "q"),
        vars=(SchemaVar("X", Var("q"), Var("p")), SchemaVar("Y", Var("p"), Not(Var("Y")))),
        print_=("X",),
    )
    graph = check_against_reference(program, all_states=False)
    assert graph.graph["input_names"] == ("p",)
    assert {d for _, d in graph.nodes(data="inputs")} == {"0", "1"}
    assert all(node.startswith(d["inputs"] + ":") for node, d in graph.nodes(data=True))


def test_bnet_model_has_every_state_initial_and_pyboolnets_attractors() -> None:
    """Tournier's apoptosis model (12 variables, the limit): every edge against the reference,
    attractors by brute force, and containing the synchronous attractors pyboolnet ships with
    it (recorded as incomplete, see shared/models/INDEX.md)."""
    model = load(MODELS / "tournier_apoptosis.bnet")
    graph = state_graph(compile_model(model))
    assert graph.number_of_nodes() == 2**12
    assert all(initial for _, initial in graph.nodes(data="initial"))
    succ = {config: reference_step(model, config, {}) for config in bits(12)}
    assert set(graph.edges) == set(succ.items())
    cycles = set()
    for node in succ:
        seen = [node]
        while succ[seen[-1]] not in seen:
            seen.append(succ[seen[-1]])
        cycles.add(frozenset(seen[seen.index(succ[seen[-1]]) :]))
    attractors = graph.graph["attractors"]
    assert {frozenset(a.nodes) for a in attractors} == cycles
    recorded = json.loads((MODELS / "tournier_apoptosis_attrs_sync.json").read_text())
    for attractor in recorded["attractors"]:
        state = "".join(str(attractor["state"]["dict"][name]) for name in model.config_names)
        found = attractors[graph.nodes[state]["basin"]]
        assert state in found.nodes
        assert (found.period == 1) == attractor["is_steady"]


def test_reachable_only_unless_all_states() -> None:
    # X(0) = 0, Y(0) = 1, X :- Y, Y :- X: only 01 <-> 10 is reachable.
    program = BnlProgram(
        heads=(Head("X", Var("Y"), False), Head("Y", Var("X"), True)), print_=("X",)
    )
    ts = compile_model(program)
    graph = state_graph(ts)
    assert set(graph) == {"01", "10"}
    assert dict(graph.nodes(data="initial")) == {"01": True, "10": False}
    everything = state_graph(ts, all_states=True)
    assert set(everything) == {"00", "01", "10", "11"}
    assert [a.nodes for a in everything.graph["attractors"]] == [("00",), ("01", "10"), ("11",)]


def test_assumptions_restrict_the_initial_states() -> None:
    program = BnlProgram(
        heads=(Head("A", Var("A")), Head("B", Var("B"))),
        print_=("A",),
        assumptions=(Not(Var("A")),),
    )
    graph = state_graph(compile_model(program))
    assert set(graph) == {"00", "01"}


def test_too_many_state_bits_are_refused() -> None:
    heads = tuple(Head(f"X{i}", Var(f"X{i}")) for i in range(13))
    ts = compile_model(BnlProgram(heads=heads, print_=()))
    with pytest.raises(StateGraphTooLarge, match=r"13 state bits.*at most 12"):
        state_graph(ts)
    assert state_graph(ts, max_bits=13).number_of_nodes() == 2**13


def test_read_propositions_count_towards_the_limit() -> None:
    variables = tuple(SchemaVar(f"X{i}", Top(), Var("p")) for i in range(11))
    program = ScProgram(props=("p", "q"), vars=variables, print_=())
    state_graph(compile_model(program))  # 1 + 11 bits
    both = dataclasses.replace(program, vars=(*variables[:-1], SchemaVar("X10", Top(), Var("q"))))
    with pytest.raises(StateGraphTooLarge, match=r"frozen inputs p q.*2 input bits"):
        state_graph(compile_model(both))
