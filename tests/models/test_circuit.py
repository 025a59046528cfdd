"""Circuit.ordered_gates (the evaluation order of compile, the reference simulator and the
translations) and the gate-cycle message, on circuits whose definitions are shuffled."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import circuits
from verifier.errors import ModelError
from verifier.models.circuit import Circuit, GateApp, GateDef, GateRef, iter_refs


@given(circuits(max_gates=8), st.data())
def test_ordered_gates_put_every_definition_after_those_it_reads(circuit: Circuit, data) -> None:
    assert circuit.ordered_gates == circuit.gates  # written in order: file order is kept
    shuffled = replace(circuit, gates=tuple(data.draw(st.permutations(circuit.gates))))
    order = shuffled.ordered_gates
    assert sorted(g.name for g in order) == sorted(g.name for g in circuit.gates)
    position = {g.name: i for i, g in enumerate(order)}
    for i, gate in enumerate(order):
        assert all(position.get(ref, -1) < i for ref in iter_refs(gate.expr))


def _not(name: str) -> GateApp:
    return GateApp("not", (GateRef(name),))


@pytest.mark.parametrize(
    ("gates", "message"),
    [
        ((GateDef("a", _not("c")), GateDef("b", _not("a")), GateDef("c", _not("b"))),
         "gate cycle: a -> b -> c -> a"),
        ((GateDef("c", _not("b")), GateDef("a", _not("c")), GateDef("b", _not("a"))),
         "gate cycle: c -> a -> b -> c"),
        ((GateDef("a", GateApp("and", (GateRef("x"), GateRef("a")))),), "gate cycle: a -> a"),
    ],
)  # fmt: skip
def test_a_cycle_is_named_from_its_first_definition_along_the_data_flow(gates, message) -> None:
    with pytest.raises(ModelError, match=message):
        Circuit(inputs=("x",), outputs=("x",), gates=gates, init=(None,), print_=())
