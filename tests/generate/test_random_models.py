"""Random BNL programs, SC programs and circuits from a seed, and the catalog of generator
specs that obligations name models by."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import scaled
from verifier import formula as fm
from verifier.formats.registry import dumps, loads
from verifier.generate.catalog import GENERATORS, generate
from verifier.generate.parity import parity_circuit, parity_program
from verifier.generate.random_models import random_bnl, random_circuit, random_sc
from verifier.ir.compile import compile_model
from verifier.models import AttentionBits, BnlProgram, Circuit, GateApp, Model, ScProgram
from verifier.reference import simulate

SUFFIX = {BnlProgram: ".bnl", ScProgram: ".sc", Circuit: ".circ"}


def assert_valid_and_round_trips(model: Model) -> None:
    """The model compiles, simulates, has outputs, and survives its text format."""
    system = compile_model(model)
    assert system.num_inputs == len(model.input_names)
    trace = simulate(model, "1" * len(model.input_names), 4)
    assert len(trace) == 5
    assert model.print_ and len(model.print_) <= 3
    assert isinstance(model.attention, AttentionBits) and len(model.attention.bits) == 1
    suffix = SUFFIX[type(model)]
    text = dumps(model, suffix)
    assert isinstance(text, str)
    assert loads(text, suffix) == model


def leaves_of(formula: fm.Formula) -> int:
    return sum(isinstance(node, fm.Var) for node in fm.postorder(formula))


# ----------------------------------------------------------------------------- BNL


def test_bnl_is_a_function_of_its_parameters() -> None:
    assert random_bnl(40, 6, seed=3) == random_bnl(40, 6, seed=3)
    assert random_bnl(40, 6, seed=3) != random_bnl(40, 6, seed=4)
    assert random_bnl(40, 6, seed=3, leaves=5) != random_bnl(40, 6, seed=3)


@pytest.mark.parametrize(
    ("heads", "inputs", "leaves"), [(1, 0, 1), (1, 1, 2), (12, 4, 4), (300, 12, 6)]
)
def test_bnl_sizes(heads: int, inputs: int, leaves: int) -> None:
    program = random_bnl(heads, inputs, seed=1, leaves=leaves)
    assert len(program.heads) == heads
    assert len(program.input_names) == inputs
    assert program.input_names == tuple(h.name for h in program.heads[:inputs])
    assert all(leaves_of(h.body) == leaves for h in program.heads)
    attention = program.attention.bits[0]  # type: ignore[union-attr]
    assert (attention in program.input_names) == (inputs == heads)
    assert program.meta == (
        f"generator=random-bnl heads={heads} inputs={inputs} seed=1 leaves={leaves}",
    )
    assert_valid_and_round_trips(program)


@pytest.mark.parametrize(
    "args", [(0, 0, 1), (3, 4, 1), (3, -1, 1)], ids=["no-heads", "inputs>heads", "negative"]
)
def test_bnl_bad_parameters(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="expected 0 <= inputs <= heads and heads >= 1"):
        random_bnl(*args)


# ----------------------------------------------------------------------------- SC


def test_sc_is_a_function_of_its_parameters() -> None:
    assert random_sc(20, 4, seed=9) == random_sc(20, 4, seed=9)
    assert random_sc(20, 4, seed=9) != random_sc(20, 4, seed=10)


@pytest.mark.parametrize(
    ("variables", "props", "leaves"), [(1, 0, 1), (3, 0, 4), (8, 3, 3), (200, 10, 5)]
)
def test_sc_sizes(variables: int, props: int, leaves: int) -> None:
    program = random_sc(variables, props, seed=2, leaves=leaves)
    assert len(program.vars) == variables
    assert len(program.props) == props == len(program.input_names)
    assert all(leaves_of(v.body) == leaves for v in program.vars)
    assert all(set(fm.names(v.terminal)) <= set(program.props) for v in program.vars)
    assert_valid_and_round_trips(program)


def test_sc_bad_parameters() -> None:
    with pytest.raises(ValueError, match="variables >= 1"):
        random_sc(0, 2, seed=1)


@pytest.mark.parametrize("function", [random_bnl, random_sc])
def test_no_leaves_is_a_value_error(function) -> None:
    """Regression: ``leaves=0`` was an IndexError, which the obligation loader does not catch
    (``verify prove`` reported an internal error instead of a located one)."""
    with pytest.raises(ValueError, match="expected leaves >= 1, got 0"):
        function(3, 1, seed=1, leaves=0)


# ----------------------------------------------------------------------------- circuits


def test_circuit_is_a_function_of_its_parameters() -> None:
    assert random_circuit(10, 3, 60, seed=5) == random_circuit(10, 3, 60, seed=5)
    assert random_circuit(10, 3, 60, seed=5) != random_circuit(10, 3, 60, seed=6)


@pytest.mark.parametrize(
    ("positions", "inputs", "gates"),
    [(1, 0, 1), (1, 1, 1), (5, 2, 3), (4, 4, 9), (16, 6, 100), (40, 12, 1000)],
)
def test_circuit_sizes(positions: int, inputs: int, gates: int) -> None:
    circuit = random_circuit(positions, inputs, gates, seed=7)
    assert len(circuit.inputs) == len(circuit.outputs) == positions
    assert len(circuit.input_names) == inputs
    assert circuit.init[:inputs] == (None,) * inputs
    assert None not in circuit.init[inputs:]
    assert len(circuit.gates) == gates
    for gate in circuit.gates:
        assert isinstance(gate.expr, GateApp)
        assert 1 <= len(gate.expr.args) <= 3
        assert gate.expr.op != "not" or len(gate.expr.args) == 1
    names = [g.name for g in circuit.gates]
    if gates >= positions:
        assert circuit.outputs == tuple(names[-positions:])
    attention = circuit.attention.bits[0]  # type: ignore[union-attr]
    assert attention >= inputs or inputs == positions
    assert_valid_and_round_trips(circuit)


@pytest.mark.parametrize("args", [(0, 0, 1), (2, 3, 1), (2, 1, 0)])
def test_circuit_bad_parameters(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="gates >= 1"):
        random_circuit(*args, seed=0)


# ----------------------------------------------------------------------------- any parameters


@settings(max_examples=scaled(25))
@given(st.integers(1, 25), st.data(), st.integers(0, 2**32), st.integers(1, 8))
def test_random_parameters(size: int, data: st.DataObject, seed: int, leaves: int) -> None:
    inputs = data.draw(st.integers(0, size))
    program = random_bnl(size, inputs, seed, leaves)
    assert len(program.heads) == size and len(program.input_names) == inputs
    assert_valid_and_round_trips(program)
    sc = random_sc(size, inputs, seed, leaves)
    assert (len(sc.vars), len(sc.props)) == (size, inputs)
    assert_valid_and_round_trips(sc)
    gates = data.draw(st.integers(1, 40))
    circuit = random_circuit(size, inputs, gates, seed)
    assert (len(circuit.inputs), len(circuit.input_names), len(circuit.gates)) == (
        size,
        inputs,
        gates,
    )
    assert_valid_and_round_trips(circuit)


# ----------------------------------------------------------------------------- the catalog


def test_every_generator_takes_exactly_its_declared_keys() -> None:
    for kind, (function, keys) in GENERATORS.items():
        assert tuple(inspect.signature(function).parameters) == keys, kind


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("parity n=4", lambda: parity_circuit(4)),
        ("parity-program n=3", lambda: parity_program(3)),
        ("random-bnl heads=12 inputs=3 seed=1", lambda: random_bnl(12, 3, 1)),
        ("random-bnl seed=1 inputs=3 heads=12 leaves=2", lambda: random_bnl(12, 3, 1, 2)),
        ("  random-sc   variables=5 props=2 seed=0 ", lambda: random_sc(5, 2, 0)),
        ("random-sc variables=5 props=2 seed=0 leaves=7", lambda: random_sc(5, 2, 0, 7)),
        ("random-circ positions=6 inputs=2 gates=30 seed=4", lambda: random_circuit(6, 2, 30, 4)),
    ],
)
def test_generate_parses_specs(spec: str, expected) -> None:
    assert generate(spec) == expected()


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ("", "unknown generator ''; expected one of parity, parity-program, random-bnl"),
        (
            "random-circuit positions=2 inputs=1 gates=3 seed=1",
            "unknown generator 'random-circuit'",
        ),
        ("Parity n=4", "unknown generator 'Parity'"),
        ("parity", "parity: parity_circuit() missing 1 required positional argument: 'n'"),
        ("random-bnl heads=3", "missing 2 required positional arguments: 'inputs' and 'seed'"),
        ("parity n", "bad parameter 'n' for parity; expected n=N"),
        ("parity n=", "bad parameter 'n=' for parity"),
        ("parity n=-1", "bad parameter 'n=-1' for parity"),
        ("parity n=2.5", "bad parameter 'n=2.5'"),
        ("parity m=4", "bad parameter 'm=4' for parity; expected n=N"),
        ("parity n = 4", "bad parameter 'n'"),
        ("random-bnl heads=3 inputs=1 seed=1 gates=4", "expected heads=N inputs=N seed=N leaves=N"),
        ("random-circ positions=2 inputs=1 gates=3 seed=1 leaves=2", "bad parameter 'leaves=2'"),
        ("parity n=0", "parity needs n >= 1 input bits, got 0"),
        ("random-bnl heads=3 inputs=4 seed=1", "expected 0 <= inputs <= heads"),
        ("random-bnl heads=3 inputs=1 seed=1 leaves=0", "expected leaves >= 1, got 0"),
        ("random-sc variables=3 props=1 seed=1 leaves=0", "expected leaves >= 1, got 0"),
        ("random-circ positions=2 inputs=1 gates=0 seed=1", "gates >= 1"),
    ],
)
def test_generate_rejects_malformed_specs(spec: str, needle: str) -> None:
    with pytest.raises(ValueError) as info:
        generate(spec)
    assert needle in str(info.value)
