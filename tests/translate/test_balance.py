"""Lemma 2.4 (formula balancing) and the balanced variant of Theorem 2.5.

The balanced circuit is checked against the formula on every assignment (reference circuit
simulator), its depth against the stated bound ``2 log_{3/2}(L) + 1`` for ``L`` name
occurrences (at most the paper's size ``s``), and the translated programs by the engines.
"""

from __future__ import annotations

import functools
import math
import operator
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import bnl_programs, formulas, names
from verifier import formula as fm
from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.formats import circ_text
from verifier.formats.registry import load
from verifier.formula import And, Formula, Not, Or, Var
from verifier.models import AttentionBits, BnlProgram, Circuit, GateDef, GateRef, Head
from verifier.reference.circuit import evaluate, netlist
from verifier.translate.balance import (
    Balanced,
    balance,
    depth_bound,
    size_bound,
)
from verifier.translate.bnl_to_circuit import bnl_to_circuit_balanced
from verifier.translate.names import fresh

META = ("translation=bnl-to-circuit-balanced theorem=2.5 lemma=2.4 relation=global",)


def occurrences(formula: Formula) -> int:
    """The number of name occurrences (leaves that are names) of the formula tree."""
    return fm.fold(formula, lambda node, kids: int(isinstance(node, Var)) + sum(kids))


def as_circuit(balanced: Balanced, variables: tuple[str, ...]) -> Circuit:
    """A circuit whose position 0 outputs the balanced formula (the others are identities)."""
    inputs = variables or ("dummy",)
    gates = balanced.gates
    if isinstance(balanced.output, GateRef):
        out = balanced.output.name
    else:
        out = fresh("out", set(inputs) | {g.name for g in gates})
        gates = (*gates, GateDef(out, balanced.output))
    return Circuit(
        inputs=inputs,
        outputs=(out, *inputs[1:]),
        gates=gates,
        init=(None,) * len(inputs),
        print_=(),
    )


def gates_of(circuit: Circuit) -> int:
    return circuit.size - circuit.n


def check_equivalent(formula: Formula, circuit: Circuit) -> None:
    """The circuit's position 0 computes ``formula`` on every assignment of its names.

    Bit-parallel: bit ``j`` of a value is its value under the ``j``-th assignment."""
    full = (1 << (1 << circuit.n)) - 1
    column = {
        name: sum(1 << j for j in range(1 << circuit.n) if j >> i & 1)
        for i, name in enumerate(circuit.inputs)
    }

    def combine(node: Formula, kids: list[int]) -> int:
        if isinstance(node, Var):
            return column[node.name]
        if isinstance(node, fm.Top | fm.Bottom):
            return full if isinstance(node, fm.Top) else 0
        if isinstance(node, Not):
            return full & ~kids[0]
        return kids[0] & kids[1] if isinstance(node, And) else kids[0] | kids[1]

    net = netlist(circuit)
    values = [column[name] for name in circuit.inputs]
    for op, args in net.gates:
        if op == "not":
            values.append(full & ~values[args[0]])
        elif op == "and":
            values.append(functools.reduce(operator.and_, (values[a] for a in args), full))
        else:
            values.append(functools.reduce(operator.or_, (values[a] for a in args), 0))
    assert values[net.outputs[0]] == fm.fold(formula, combine)
    # The bit-parallel reading agrees with the reference evaluator on a few assignments.
    for j in (0, (1 << circuit.n) - 1):
        bits = tuple(bool(j >> i & 1) for i in range(circuit.n))
        assert evaluate(net, bits)[0] == bool(values[net.outputs[0]] >> j & 1)


def check_balanced(formula: Formula) -> Circuit:
    """Balance ``formula`` and check the bounds that :mod:`balance` states; returns the
    circuit of :func:`as_circuit`."""
    circuit = as_circuit(balance(formula), fm.names(formula))
    s, leaves = fm.size(formula), occurrences(formula)
    assert circuit.max_fanin <= 2
    assert circuit.depth <= depth_bound(leaves) <= depth_bound(s)
    assert circuit.depth <= 3.42 * math.log2(max(s, 1)) + 1
    assert gates_of(circuit) <= size_bound(max(leaves, 1)) <= size_bound(s)
    return circuit


def left_chain(n: int, rng: random.Random, variables: int | None = None) -> Formula:
    """``n`` left-nested conjunctions and disjunctions with negations on the way (and on some
    names): as deep as it is long. Names ``x0..`` repeat modulo ``variables`` if given."""
    f: Formula = Var("x0")
    for i in range(1, n + 1):
        leaf: Formula = Var(f"x{i if variables is None else i % variables}")
        if rng.random() < 0.3:
            leaf = Not(leaf)
        f = (And if rng.random() < 0.5 else Or)(f, leaf)
        if rng.random() < 0.2:
            f = Not(f)
    return f


def random_formula(n: int, rng: random.Random, variables: int) -> Formula:
    """A random formula with ``n`` leaves: adjacent parts joined at random."""
    parts: list[Formula] = [Var(f"x{rng.randrange(variables)}") for _ in range(n)]
    while len(parts) > 1:
        i = rng.randrange(len(parts) - 1)
        joined: Formula = (And if rng.random() < 0.5 else Or)(parts[i], parts[i + 1])
        parts[i : i + 2] = [Not(joined) if rng.random() < 0.2 else joined]
    return parts[0]


# ---------------------------------------------------------------------------------------------
# Lemma 2.4


@settings(max_examples=100)
@given(st.data())
def test_balanced_formula_is_equivalent_and_within_bounds(data) -> None:
    atoms = data.draw(names(0, 4))
    formula = data.draw(formulas(atoms, max_leaves=40))
    check_equivalent(formula, check_balanced(formula))


@st.composite
def chains(draw: st.DrawFn, atoms: list[str]) -> Formula:
    """Deep formulas: a random formula extended step by step by a name, on either side, with
    ``&`` or ``|``, negating the name and the result or not."""
    f = draw(formulas(atoms, max_leaves=6))
    steps = st.tuples(st.sampled_from(atoms).map(Var), st.integers(0, 15))
    for leaf, bits in draw(st.lists(steps, min_size=10, max_size=80)):
        part = Not(leaf) if bits & 1 else leaf
        op = And if bits & 2 else Or
        f = op(f, part) if bits & 4 else op(part, f)
        if bits & 8:
            f = Not(f)
    return f


@settings(max_examples=100)
@given(st.data())
def test_balanced_chain_is_equivalent_and_within_bounds(data) -> None:
    atoms = data.draw(names(1, 5))
    formula = data.draw(chains(atoms))
    check_equivalent(formula, check_balanced(formula))


def test_constant_formula_becomes_one_constant_gate() -> None:
    x = Var("x")
    formula = And(Not(Or(x, fm.Top())), left_chain(100, random.Random(1), variables=3))
    circuit = check_balanced(formula)
    check_equivalent(formula, circuit)
    assert circuit.depth == 0 and gates_of(circuit) == 1


def test_deep_chains_are_equivalent_and_logarithmic() -> None:
    rng = random.Random(7)
    for n in (1000, 3000):
        formula = left_chain(n, rng, variables=6)
        assert fm.depth(formula) > n
        circuit = check_balanced(formula)
        check_equivalent(formula, circuit)
        assert circuit.depth <= 40


def test_right_leaning_and_random_formulas_are_logarithmic() -> None:
    rng = random.Random(3)
    right: Formula = Var("y")
    for i in range(2000):
        right = Not(Or(Var(f"x{i % 5}"), right)) if i % 3 else And(Not(Var("y")), right)
    circuit = check_balanced(right)
    check_equivalent(right, circuit)
    for n in (10, 100, 1000, 4000):
        formula = random_formula(n, rng, variables=6)
        check_equivalent(formula, check_balanced(formula))


def test_size_grows_polynomially_with_a_small_exponent() -> None:
    """Chains with distinct names (no sharing): measured growth about L**1.17 (bound L**2)."""
    rng = random.Random(11)
    measured = []
    for n in (250, 1000, 4000):
        formula = left_chain(n, rng)
        measured.append((occurrences(formula), gates_of(check_balanced(formula))))
    (l1, g1), (l2, g2) = measured[0], measured[-1]
    exponent = math.log(g2 / g1) / math.log(l2 / l1)
    assert exponent < 1.3, measured


def test_equal_subformulas_become_one_gate() -> None:
    part = left_chain(200, random.Random(5), variables=4)
    one = gates_of(check_balanced(part))
    y = Var("y")
    twice = Or(And(y, part), And(Not(y), Not(Not(part))))  # ``part`` written twice
    circuit = check_balanced(twice)
    check_equivalent(twice, circuit)
    assert gates_of(circuit) <= one + 10


def test_gate_names_avoid_the_formula_names() -> None:
    rng = random.Random(2)
    formula = left_chain(300, rng, variables=3)
    formula = fm.rename(formula, {"x0": "g1", "x1": "_g2", "x2": "not"})
    result = balance(formula)
    assert {g.name for g in result.gates}.isdisjoint({"g1", "_g2", "not", "and", "or"})


# ---------------------------------------------------------------------------------------------
# Theorem 2.5, balanced


def check_translation(program: BnlProgram, engines=("explicit", "induction")) -> Circuit:
    circuit = bnl_to_circuit_balanced(program)
    assert circuit.meta == META
    assert circuit.max_fanin <= 2
    biggest = max(fm.size(h.body) for h in program.heads)
    assert circuit.depth <= depth_bound(biggest)
    assert gates_of(circuit) <= sum(size_bound(fm.size(h.body)) for h in program.heads)
    assert circ_text.loads(circ_text.dumps(circuit)) == circuit
    for engine in engines:
        verdict = check_equiv(program, circuit, EquivOptions(mode="global", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)
    return circuit


@settings(max_examples=50)
@given(bnl_programs())
def test_balanced_translation_is_globally_equivalent(program) -> None:
    check_translation(program)


@st.composite
def deep_programs(draw: st.DrawFn) -> BnlProgram:
    """Programs whose bodies are :func:`chains` (deep enough to be split by the balancing)."""
    heads = draw(names(1, 4))
    inits = st.sampled_from([None, None, None, False, True])  # mostly inputs: all states seen
    built = [Head(h, draw(chains(heads)), draw(inits)) for h in heads]
    return BnlProgram(heads=tuple(built), print_=tuple(heads))


@settings(max_examples=25)
@given(deep_programs())
def test_balanced_translation_of_deep_bodies_is_globally_equivalent(program) -> None:
    check_translation(program)


def test_parity_program(examples) -> None:
    circuit = check_translation(load(examples / "parity4.bnl"))
    assert circuit.inputs == ("X1", "X2", "X3", "X4", "A")


def test_program_with_a_2000_deep_body() -> None:
    rng = random.Random(13)
    heads = ("X0", "X1", "X2", "X3", "A")
    deep = fm.rename(left_chain(2000, rng, variables=4), {f"x{i}": f"X{i}" for i in range(4)})
    assert fm.depth(deep) >= 2000
    program = BnlProgram(
        heads=(
            Head("X0", deep, None),
            Head("X1", Not(Var("X0")), None),
            Head("X2", deep, None),  # the same body: the same gates
            Head("X3", Var("X1"), False),
            Head("A", Or(Var("A"), And(Var("X0"), Var("X3"))), False),
        ),
        print_=("X0", "A"),
        attention=AttentionBits(("A",)),
    )
    circuit = check_translation(program)
    assert circuit.depth <= 40
    alone = BnlProgram(
        heads=tuple(Head(h, deep if h == "X0" else Var(h), None) for h in heads), print_=heads
    )
    assert gates_of(circuit) <= gates_of(bnl_to_circuit_balanced(alone)) + 4
    assert circuit.outputs[2] == circuit.outputs[0]
