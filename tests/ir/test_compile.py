"""Compilation of models to transition systems: invariants, structure, and traces equal to the
reference simulators' (differential tests over random models and all their inputs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hypothesis import given, settings

from tests.example_models import (
    counter3,
    parity4_bad_bnl,
    parity4_bnl,
    parity4_circ,
    small_from_sc,
    small_sc,
)
from tests.strategies import bnl_programs, circuits, sc_programs, transition_systems
from verifier import reference
from verifier.ir.aig import FALSE, TRUE
from verifier.ir.compile import compile_model
from verifier.ir.simulate import all_inputs, simulate, traces
from verifier.ir.system import InvariantError, TransitionSystem, check
from verifier.models import AttentionRounds, BnlProgram, Circuit, Model, ScProgram

ROUNDS = 12
EXAMPLES = [parity4_circ, parity4_bnl, parity4_bad_bnl, small_sc, small_from_sc, counter3]


def assert_same_traces(model: Model) -> None:
    """Compile ``model``, check the IR, and compare traces and validity on every input."""
    ts = compile_model(model)
    check(ts)
    inputs = all_inputs(ts.num_inputs)
    result = simulate(ts, inputs, ROUNDS)
    for row, bits in enumerate(inputs):
        assert result.trace(row) == reference.simulate(model, list(bits), ROUNDS)
        assert result.valid[row] == reference.satisfies_assumptions(model, list(bits))


@pytest.mark.parametrize("make", EXAMPLES, ids=lambda f: f.__name__)
def test_examples_compile_to_equivalent_systems(make: Callable[[], Model]) -> None:
    assert_same_traces(make())


@settings(max_examples=60)
@given(bnl_programs())
def test_bnl_ir_traces_equal_reference(program: BnlProgram) -> None:
    assert_same_traces(program)


@settings(max_examples=60)
@given(sc_programs())
def test_sc_ir_traces_equal_reference(program: ScProgram) -> None:
    assert_same_traces(program)


@settings(max_examples=60)
@given(circuits())
def test_circuit_ir_traces_equal_reference(circuit: Circuit) -> None:
    assert_same_traces(circuit)


def test_bnl_structure() -> None:
    ts = compile_model(parity4_bnl())
    assert ts.input_names == ("X1", "X2", "X3", "X4")
    assert ts.state_names == ("X1", "X2", "X3", "X4", "A")
    assert ts.init == (*(ts.input_lit(i) for i in range(4)), FALSE)
    assert ts.next_state[2] == FALSE == ts.next_state[3]
    assert ts.print_ == (ts.state_lit(0),) and ts.print_names == ("X1",)
    assert ts.output == ts.state_lit(4)


def test_sc_next_state_reads_the_frozen_props() -> None:
    ts = compile_model(small_sc())
    assert ts.input_names == ("p", "q") and ts.state_names == ("X", "Y")
    assert ts.init[1] == ts.input_lit(1)  # Y(0) :- q
    assert ts.next_state[1] == ts.state_lit(1) ^ 1  # Y :- !Y


def test_circuit_structure() -> None:
    circuit = parity4_circ()
    ts = compile_model(circuit)
    assert ts.input_names == ("x1", "x2", "x3", "x4") and ts.state_names == circuit.inputs
    assert ts.init[4] == FALSE and ts.next_state[2] == FALSE == ts.next_state[3]
    assert ts.print_names == ("x1",)
    # The IR merges identical gates; the circuit's reported size (as written) is unaffected.
    assert ts.aig.num_ands < circuit.size


def test_attention_all_and_rounds() -> None:
    assert compile_model(counter3()).output == TRUE
    rounds = AttentionRounds((2,))
    ts = compile_model(dataclasses.replace(counter3(), attention=rounds))
    assert ts.output is rounds and ts.output_lit is None


def test_compile_rejects_other_objects() -> None:
    with pytest.raises(TypeError):
        compile_model(object())  # type: ignore[arg-type]


@given(transition_systems())
def test_random_systems_satisfy_the_checker_unnormalised(ts: TransitionSystem) -> None:
    check(ts, normalised=False)


def _broken(ts: TransitionSystem, **changes: object) -> TransitionSystem:
    return dataclasses.replace(ts, **changes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ts: {"init": (ts.state_lit(0), *ts.init[1:])}, "depends on state"),
        (lambda ts: {"assumptions": (ts.state_lit(0),)}, "depends on state"),
        (lambda ts: {"next_state": ts.next_state[:-1]}, "next-state"),
        (lambda ts: {"print_": (2 * ts.aig.num_vars,)}, "out of range"),
        (lambda ts: {"print_names": ()}, "print"),
        (lambda ts: {"state_names": ("a", "a", "b", "c", "d")}, "duplicate"),
        (lambda ts: {"input_names": ts.input_names[:-1]}, "leaves"),
        (lambda ts: {"output": None}, "output"),
    ],
)
def test_checker_catches_broken_systems(
    change: Callable[[TransitionSystem], dict[str, object]], message: str
) -> None:
    ts = compile_model(parity4_circ())
    check(ts)
    with pytest.raises(InvariantError, match=message):
        check(_broken(ts, **change(ts)))


def test_traces_convenience_matches_reference() -> None:
    model = parity4_circ()
    got = traces(compile_model(model), all_inputs(4), 5)
    assert got[0b0110] == reference.simulate(model, "0110", 5)
