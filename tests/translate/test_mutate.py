"""Single-literal flips (the broken copies of the negative obligations): sites and flips of
BNL programs, SC programs and circuits, shared nodes, and bodies thousands of levels deep."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import scaled
from tests.strategies import bnl_programs, circuits, sc_programs
from verifier.formats.registry import load
from verifier.formula import And, Formula, Not, Or, Top, Var
from verifier.generate.random_models import random_bnl, random_sc
from verifier.models import (
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Head,
    Model,
    SchemaVar,
    ScProgram,
)
from verifier.models.circuit import GateExpr
from verifier.translate.mutate import flip, sites
from verifier.translate.registry import translate

DEEP = 3000  # well past Python's default recursion limit of 1000


# ----------------------------------------------------------------------------- helpers
# Written independently of the module under test: explicit stacks, identity sets.


def formula_nodes(formula: Formula) -> list[Formula]:
    """The distinct nodes (by identity) of ``formula``, in postorder, children left to right."""
    order: list[Formula] = []
    seen: set[int] = set()
    stack: list[tuple[Formula, bool]] = [(formula, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children))
    return order


def gate_nodes(expr: GateExpr) -> list[GateExpr]:
    """Every node occurrence of the tree ``expr`` (shared objects once per place), postorder."""
    order: list[GateExpr] = []
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, done = stack.pop()
        if done or isinstance(node, GateRef):
            order.append(node)
        else:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
    return order


def clauses(model: Model) -> list[Formula | GateExpr]:
    """The iteration bodies (gate expressions) that hold the sites, in order."""
    if isinstance(model, Circuit):
        return [g.expr for g in model.gates]
    if isinstance(model, BnlProgram):
        return [h.body for h in model.heads]
    return [v.body for v in model.vars]


def names_in(clause: Formula | GateExpr) -> list[str]:
    """The names at the sites of one clause, in site order."""
    if isinstance(clause, Formula):
        return [n.name for n in formula_nodes(clause) if isinstance(n, Var)]
    return [n.name for n in gate_nodes(clause) if isinstance(n, GateRef)]


def negations(clause: Formula | GateExpr) -> int:
    """Distinct ``Not`` nodes of a formula; ``not`` gate occurrences of a gate expression."""
    if isinstance(clause, Formula):
        return sum(isinstance(n, Not) for n in formula_nodes(clause))
    return sum(isinstance(n, GateApp) and n.op == "not" for n in gate_nodes(clause))


def negated_at(clause: Formula | GateExpr, index: int) -> bool:
    """Whether the ``index``-th site of ``clause`` sits directly under a negation."""
    if isinstance(clause, Formula):
        nodes = formula_nodes(clause)
        target = [n for n in nodes if isinstance(n, Var)][index]
        return any(isinstance(n, Not) and n.arg is target for n in nodes)
    nodes = gate_nodes(clause)
    refs = [i for i, n in enumerate(nodes) if isinstance(n, GateRef)]
    after = nodes[refs[index] + 1] if refs[index] + 1 < len(nodes) else None
    # In postorder the node right after a reference is its parent when it is a `not`.
    return isinstance(after, GateApp) and after.op == "not" and len(after.args) == 1


def assert_one_flip(model: Model, site: tuple[int, int]) -> Model:
    """``flip(model, site)`` changes clause ``site[0]`` only, by one more negation, and keeps
    the names at the sites (and everything but the clauses) as they were."""
    flipped = flip(model, site)
    assert type(flipped) is type(model)
    before, after = clauses(model), clauses(flipped)
    assert len(before) == len(after)
    changed = [k for k, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [site[0]]
    k, i = site
    assert negations(after[k]) == negations(before[k]) + 1
    assert names_in(after[k]) == names_in(before[k])
    assert negated_at(after[k], i)
    assert sites(flipped) == sites(model)
    # Everything else is untouched: put the old clause back and the models are equal.
    assert _with_clause(flipped, k, before[k]) == model
    return flipped


def _with_clause(model: Model, k: int, clause: Formula | GateExpr) -> Model:
    if isinstance(model, Circuit):
        gates = list(model.gates)
        gates[k] = GateDef(gates[k].name, clause)  # type: ignore[arg-type]
        return replace(model, gates=tuple(gates))
    if isinstance(model, BnlProgram):
        heads = list(model.heads)
        heads[k] = replace(heads[k], body=clause)
        return replace(model, heads=tuple(heads))
    variables = list(model.vars)
    variables[k] = replace(variables[k], body=clause)
    return replace(model, vars=tuple(variables))


def name_nodes(model: Model) -> int:
    return sum(len(names_in(c)) for c in clauses(model))


# ----------------------------------------------------------------------------- sites


@pytest.mark.parametrize("name", ["parity4.bnl", "counter3.bnl", "small.sc", "parity4.circ"])
def test_sites_of_the_examples(examples: Path, name: str) -> None:
    model = load(examples / name)
    found = sites(model)
    assert len(found) == name_nodes(model)
    assert len(set(found)) == len(found)
    # Clause by clause, literals numbered from 0.
    for k, clause in enumerate(clauses(model)):
        assert [i for kk, i in found if kk == k] == list(range(len(names_in(clause))))
    for site in found:
        assert_one_flip(model, site)


def test_counts_by_hand(examples: Path) -> None:
    # counter3: C0 :- C2, C1 :- C0, C2 :- C1.
    assert sites(load(examples / "counter3.bnl")) == [(0, 0), (1, 0), (2, 0)]
    # parity4.circ: o1 reads x1 x2 x1 x2, o2 x3 x4 x3 x4, o3 and o4 nothing, oa x2 x3 x4 a.
    assert [k for k, _ in sites(load(examples / "parity4.circ"))] == [0] * 4 + [1] * 4 + [4] * 4


def test_constant_bodies_have_no_sites() -> None:
    program = BnlProgram(
        heads=(Head("X", Top(), False), Head("Y", Not(Top()), True)), print_=("X", "Y")
    )
    assert sites(program) == []


@settings(max_examples=scaled(60))
@given(st.one_of(bnl_programs(), sc_programs(), circuits()), st.data())
def test_random_models(model: Model, data: st.DataObject) -> None:
    found = sites(model)
    assert len(found) == name_nodes(model)
    if found:
        assert_one_flip(model, data.draw(st.sampled_from(found)))


# ----------------------------------------------------------------------------- shared nodes


def test_a_shared_name_node_is_one_site_of_its_formula() -> None:
    """Formulas are DAGs: one ``Var`` object used twice is one site, flipped everywhere in its
    body; an equal but distinct object is a site of its own."""
    x = Var("X")
    program = BnlProgram(
        heads=(Head("X", Or(And(x, Var("Y")), x)), Head("Y", Var("X"), False)),
        print_=("X",),
    )
    assert sites(program) == [(0, 0), (0, 1), (1, 0)]
    flipped = assert_one_flip(program, (0, 0))
    assert flipped.heads[0].body == Or(And(Not(x), Var("Y")), Not(x))
    assert flipped.heads[1] == program.heads[1]


def test_a_shared_gate_object_is_one_site_per_place() -> None:
    """Gate expressions are trees: one ``GateRef`` (or sub-expression) object at two places is
    two sites, and flipping one negates that place only. (Regression: the flip was keyed by
    object identity, so it was lost, or made at both places.)"""
    x, y = GateRef("x"), GateRef("y")
    shared_app = GateApp("or", (x, y))
    expr = GateApp("and", (x, GateApp("or", (x, y)), shared_app, shared_app))
    circuit = Circuit(
        inputs=("x", "y"),
        outputs=("o", "y"),
        gates=(GateDef("o", expr),),
        init=(None, None),
        print_=(0,),
    )
    assert len(sites(circuit)) == 7
    for site in sites(circuit):
        assert_one_flip(circuit, site)
    assert flip(circuit, (0, 0)).gates[0].expr == GateApp(
        "and", (GateApp("not", (x,)), GateApp("or", (x, y)), shared_app, shared_app)
    )
    assert flip(circuit, (0, 6)).gates[0].expr == GateApp(
        "and", (x, GateApp("or", (x, y)), shared_app, GateApp("or", (x, GateApp("not", (y,)))))
    )


@pytest.mark.parametrize("target", ["circ", "circ-balanced"])
def test_every_site_of_translated_circuits(examples: Path, target: str) -> None:
    """The balanced translation shares sub-expressions inside a gate: each flip still negates
    exactly one place."""
    sources = [load(examples / "parity4.bnl"), load(examples / "small.sc")]
    sources += [random_bnl(20, 5, seed=1), random_sc(5, 3, seed=1)]
    for source in sources:
        circuit = translate(source, target).model
        assert len(sites(circuit)) == name_nodes(circuit)
        for site in sites(circuit):
            assert_one_flip(circuit, site)


# ----------------------------------------------------------------------------- deep bodies


def _deep_formula(depth: int) -> Formula:
    """``((X & !Y) | X) & !Y ...`` with ``depth`` levels and ``depth + 1`` distinct names."""
    body: Formula = Var("X")
    for level in range(depth):
        leaf: Formula = Var("Y") if level % 2 else Not(Var("X"))
        body = And(body, leaf) if level % 3 else Or(leaf, body)
    return body


def test_deep_bnl_body() -> None:
    program = BnlProgram(
        heads=(Head("X", _deep_formula(DEEP)), Head("Y", Var("X"), False)), print_=("X",)
    )
    found = sites(program)
    assert len(found) == DEEP + 2
    for site in ((0, 0), (0, DEEP // 2), (0, DEEP), (1, 0)):
        assert_one_flip(program, site)


def test_deep_sc_body() -> None:
    program = ScProgram(
        props=("Y",),
        vars=(SchemaVar("X", Var("Y"), _deep_formula(DEEP)),),
        print_=("X",),
    )
    assert len(sites(program)) == DEEP + 1
    for site in ((0, 0), (0, 1234), (0, DEEP)):
        assert_one_flip(program, site)


def test_deep_gate_expression() -> None:
    expr: GateExpr = GateRef("x")
    for level in range(DEEP):
        other: GateExpr = GateRef("y") if level % 2 else GateApp("not", (GateRef("x"),))
        expr = GateApp("and" if level % 3 else "or", (expr, other))
    circuit = Circuit(
        inputs=("x", "y"),
        outputs=("o", "y"),
        gates=(GateDef("o", expr),),
        init=(None, None),
        print_=(0,),
    )
    assert len(sites(circuit)) == DEEP + 1
    for site in ((0, 0), (0, DEEP // 3), (0, DEEP)):
        assert_one_flip(circuit, site)
