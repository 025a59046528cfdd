"""The reference simulators on the models of ../shared/examples (known answers in its README)."""

from __future__ import annotations

import itertools

import pytest

from tests.example_models import (
    counter3,
    parity4_bad_bnl,
    parity4_bnl,
    parity4_circ,
    small_from_sc,
    small_sc,
)
from verifier.reference import simulate
from verifier.trace import Trace

ALL4 = ["".join(bits) for bits in itertools.product("01", repeat=4)]


def configs(trace: Trace) -> list[str]:
    return [s.config for s in trace]


def output_rounds(trace: Trace) -> list[int]:
    return [s.round for s in trace if s.output]


def outputs(trace: Trace) -> list[str]:
    return [s.print for s in trace if s.output]


@pytest.mark.parametrize(
    ("inputs", "expected_configs", "first_output", "printed"),
    [
        ("0100", ["01000", "10000", "10001", "10001"], 2, "1"),
        ("0110", ["01100", "11000", "00000", "00001"], 3, "0"),
    ],
)
def test_parity4_circ_paper_tables(
    inputs: str, expected_configs: list[str], first_output: int, printed: str
) -> None:
    trace = simulate(parity4_circ(), inputs, 8)
    assert configs(trace)[:4] == expected_configs
    assert output_rounds(trace) == list(range(first_output, 9))
    assert set(outputs(trace)) == {printed}


@pytest.mark.parametrize("inputs", ALL4)
def test_parity4_circuit_computes_parity_and_halts_by_round_3(inputs: str) -> None:
    trace = simulate(parity4_circ(), inputs, 10)
    parity = str(inputs.count("1") % 2)
    assert outputs(trace)[0] == parity
    # Halting (README): a fixed point by round 3, output rounds = rounds at a fixed point.
    fixed = [t for t in range(10) if trace[t].config == trace[t + 1].config]
    assert fixed and fixed[0] <= 3 and fixed == list(range(fixed[0], 10))
    assert output_rounds(trace)[:-1] == fixed


def test_parity4_transient_time_is_3_witnessed_by_0110() -> None:
    def transient(trace: Trace) -> int:
        seen = configs(trace)
        return min(t for t in range(len(seen)) if seen[t] in seen[t + 1 :])

    times = {i: transient(simulate(parity4_circ(), i, 12)) for i in ALL4}
    assert max(times.values()) == 3
    assert times["0110"] == 3


@pytest.mark.parametrize("inputs", ALL4)
def test_parity4_bnl_is_globally_equivalent_to_the_circuit(inputs: str) -> None:
    assert simulate(parity4_bnl(), inputs, 10) == simulate(parity4_circ(), inputs, 10)


def test_parity4_bad_differs_on_0001() -> None:
    bad = simulate(parity4_bad_bnl(), "0001", 6)
    good = simulate(parity4_circ(), "0001", 6)
    assert output_rounds(bad)[0] == 1 and bad[1].print == "0"
    assert output_rounds(good)[0] == 3 and good[3].print == "1"


@pytest.mark.parametrize("inputs", ["00", "01", "10", "11"])
def test_small_sc_and_its_bnl_translation_are_asynchronously_equivalent(inputs: str) -> None:
    sc = simulate(small_sc(), inputs, 20)
    bnl = simulate(small_from_sc(), inputs, 21)
    # Output round t of small.sc is round t+1 of the BNL program (README).
    assert [t + 1 for t in output_rounds(sc)] == output_rounds(bnl)[: len(output_rounds(sc))]
    assert outputs(sc) == outputs(bnl)[: len(outputs(sc))]
    assert len(sc[0].config) == 2 and len(bnl[0].config) == 5  # not globally comparable


def test_small_sc_hand_trace() -> None:
    # p=1, q=0: X(0) = 1, Y(0) = 0; then X = Y | (X & p), Y = !Y.
    trace = simulate(small_sc(), "10", 3)
    assert configs(trace) == ["10", "11", "10", "11"]
    assert output_rounds(trace) == [1, 3]


def test_counter3_cycles_with_period_3_from_round_0() -> None:
    trace = simulate(counter3(), "", 6)
    assert configs(trace) == ["100", "010", "001", "100", "010", "001", "100"]
    assert all(s.output for s in trace)
    assert [s.print for s in trace] == configs(trace)
