"""The reference simulators follow DESIGN.md 2.2-2.4 to the letter."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.example_models import parity4_circ, small_sc
from tests.strategies import bnl_programs, circuits, sc_programs
from verifier import formula as fm
from verifier.errors import InputError
from verifier.formula import And, Bottom, Not, Or, Top, Var
from verifier.models import (
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Head,
    Progression,
    SchemaVar,
    ScProgram,
)
from verifier.reference import InvalidInputError, satisfies_assumptions, simulate
from verifier.reference.circuit import netlist


def test_bnl_round0_uses_inputs_then_terminal_values_in_head_order() -> None:
    program = BnlProgram(
        heads=(
            Head("A", Var("A")),
            Head("B", Var("B"), init=True),
            Head("C", Var("C")),
            Head("D", Var("D"), init=False),
        ),
        print_=("D", "A"),
    )
    trace = simulate(program, "01", 1)
    assert trace[0].config == "0110" and trace[0].print == "00"
    assert trace[1].config == "0110"


def test_bnl_update_is_synchronous() -> None:
    # A swap only works if both heads read the old configuration.
    program = BnlProgram(
        heads=(Head("A", Var("B"), init=True), Head("B", Var("A"), init=False)), print_=()
    )
    assert [s.config for s in simulate(program, "", 3)] == ["10", "01", "10", "01"]
    assert all(s.print == "" for s in simulate(program, "", 3))


def test_attention_rounds_and_attention_bits_include_round_0() -> None:
    heads = (Head("A", Not(Var("A")), init=True),)
    by_bits = BnlProgram(heads, print_=("A",), attention=AttentionBits(("A",)))
    assert [s.output for s in simulate(by_bits, "", 3)] == [True, False, True, False]
    rounds = AttentionRounds((1, Progression(5, 2)))
    by_rounds = BnlProgram(heads, print_=("A",), attention=rounds)
    assert [s.round for s in simulate(by_rounds, "", 9) if s.output] == [1, 5, 7, 9]


def test_sc_props_keep_their_input_values_in_every_round() -> None:
    program = ScProgram(
        props=("p",),
        vars=(SchemaVar("X", Bottom(), Var("p")), SchemaVar("Y", Var("p"), Not(Var("Y")))),
        print_=("X",),
    )
    assert [s.config for s in simulate(program, "1", 3)] == ["01", "10", "11", "10"]
    assert [s.config for s in simulate(program, "0", 3)] == ["00", "01", "00", "01"]


def test_circuit_constants_aliases_and_forward_references() -> None:
    circuit = Circuit(
        inputs=("x", "y", "z"),
        outputs=("k1", "y", "late"),  # an input gate can be an output gate
        gates=(
            GateDef("late", GateRef("k0")),  # alias of a gate defined further down
            GateDef("k1", GateApp("and", ())),
            GateDef("k0", GateApp("or", ())),
        ),
        init=(False, None, True),
        print_=(2, 1),
    )
    trace = simulate(circuit, [True], 2)
    assert [s.config for s in trace] == ["011", "110", "110"]
    assert [s.print for s in trace] == ["11", "01", "01"]


def test_circuit_evaluates_each_written_gate_once() -> None:
    net = netlist(parity4_circ())
    # o1: or, 2 and, 2 not; o2 likewise; o3, o4: or(); oa: or, and, 3 not.
    assert len(net.gates) == parity4_circ().size - parity4_circ().n == 17


def test_deep_models_do_not_recurse() -> None:
    depth = 20_000
    body = Var("A")
    for _ in range(depth):
        body = Not(body)
    program = BnlProgram((Head("A", body),), print_=("A",))
    assert [s.config for s in simulate(program, "1", 2)] == ["1", "1", "1"]
    expr: GateApp | GateRef = GateRef("x")
    for _ in range(depth):
        expr = GateApp("not", (expr,))
    gates = [GateDef("g0", GateApp("not", (GateRef("x"),)))]
    gates += [GateDef(f"g{i}", GateApp("and", (GateRef(f"g{i - 1}"),))) for i in range(1, depth)]
    chain = Circuit(
        inputs=("x", "y"),
        outputs=(f"g{depth - 1}", "t"),
        gates=(*gates, GateDef("t", expr)),
        init=(None, None),
        print_=(0,),
    )
    assert [s.config for s in simulate(chain, "10", 2)] == ["10", "01", "10"]


@pytest.mark.parametrize("bad", ["011", "1", "0a", [True, False, True], [2, 0], ["1", "0"]])
def test_wrong_inputs_raise_a_clear_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="input") as info:
        simulate(parity4_circ(), bad, 1)  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidInputError) and isinstance(info.value, InputError)


def test_wrong_length_message_names_the_inputs() -> None:
    with pytest.raises(ValueError, match=r"expected 2 input bit\(s\), one per proposition symbol"):
        simulate(small_sc(), "1", 1)


def test_negative_rounds_and_unknown_models_are_rejected() -> None:
    with pytest.raises(ValueError, match="rounds"):
        simulate(small_sc(), "10", -1)
    with pytest.raises(TypeError):
        simulate(object(), "", 1)  # type: ignore[arg-type]


def test_inputs_may_be_a_sequence_of_bools_or_bits() -> None:
    assert simulate(small_sc(), [1, 0], 2) == simulate(small_sc(), "10", 2)
    assert simulate(small_sc(), (True, False), 2) == simulate(small_sc(), "10", 2)


def test_satisfies_assumptions() -> None:
    one_hot = [Or(Var("a"), Var("b")), Not(And(Var("a"), Var("b")))]
    program = BnlProgram(
        heads=(Head("a", Var("a")), Head("b", Var("b")), Head("c", Top(), init=False)),
        print_=(),
        assumptions=tuple(one_hot),
    )
    assert [satisfies_assumptions(program, i) for i in ("00", "01", "10", "11")] == [
        False,
        True,
        True,
        False,
    ]
    assert satisfies_assumptions(small_sc(), "11")
    with pytest.raises(ValueError):
        satisfies_assumptions(program, "0")


@given(bnl_programs())
def test_bnl_traces_have_the_documented_shape(program: BnlProgram) -> None:
    inputs = "1" * len(program.input_names)
    trace = simulate(program, inputs, 4)
    assert [s.round for s in trace] == list(range(5))
    assert all(len(s.config) == len(program.heads) for s in trace)
    assert all(len(s.print) == len(program.print_) for s in trace)
    index = {n: i for i, n in enumerate(program.names)}
    assert all(s.print == "".join(s.config[index[p]] for p in program.print_) for s in trace)


@given(sc_programs())
def test_sc_round0_is_the_terminal_clauses(program: ScProgram) -> None:
    inputs = [i % 2 == 0 for i in range(len(program.props))]
    env = dict(zip(program.props, inputs, strict=True))
    first = simulate(program, inputs, 0)[0].config
    assert first == "".join("1" if fm.evaluate(v.terminal, env) else "0" for v in program.vars)


@given(circuits())
def test_circuit_round0_is_inputs_and_init(circuit: Circuit) -> None:
    inputs = [True] * len(circuit.input_positions)
    first = simulate(circuit, inputs, 0)[0].config
    assert first == "".join("1" if v is None or v else "0" for v in circuit.init)
