"""The parity generators: Theorem 2.3's circuit against the reference program, checked by the
engines (equivalence, transient time, halting), and its size and depth."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from verifier.checks.dynamics import DynamicsOptions, check_halting, check_transient
from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.formats.registry import dumps, load, loads
from verifier.generate.parity import parity_circuit, parity_program, parity_rounds
from verifier.models import AttentionBits
from verifier.reference import simulate

PASS = VerdictKind.PASS
SMALL = range(1, 13)  # explicit enumeration of all 2^n inputs stays fast
LARGE = (16, 33, 64)


def test_n4_is_globally_equivalent_to_the_shared_example(examples: Path) -> None:
    example = load(examples / "parity4.circ")
    circuit = parity_circuit(4)
    assert check_equiv(example, circuit, EquivOptions(mode="global")).kind is PASS
    # It is the example gate for gate, too.
    assert circuit.size == example.size == 22 and circuit.depth == example.depth == 3
    program = load(examples / "parity4.bnl")
    assert check_equiv(program, circuit, EquivOptions(mode="global")).kind is PASS


@pytest.mark.parametrize("n", SMALL)
def test_async_equivalent_to_the_reference_program(n: int) -> None:
    verdict = check_equiv(
        parity_program(n), parity_circuit(n), EquivOptions(mode="async", engine="explicit")
    )
    assert verdict.kind is PASS, verdict.detail


@pytest.mark.parametrize("n", [*SMALL, *LARGE])
def test_transient_time_and_halting(n: int) -> None:
    """The fixed point is reached in round ceil(log2 n) + 1: k cutting rounds bring the
    parity to position 1 and zeros elsewhere, one more turns the attention position on."""
    engine = "explicit" if n <= 12 else "sat"
    circuit = parity_circuit(n)
    k = parity_rounds(n)
    assert k == math.ceil(math.log2(n))
    transient = check_transient(circuit, None, DynamicsOptions(engine=engine))
    assert transient.kind is PASS and transient.extra["transient"] == k + 1
    halting = check_halting(circuit, DynamicsOptions(engine=engine))
    assert halting.kind is PASS and halting.extra["transient"] == k + 1


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_reference_program_halts_in_round_one(n: int) -> None:
    program = parity_program(n)
    transient = check_transient(program, None, DynamicsOptions(engine="explicit"))
    assert transient.kind is PASS and transient.extra["transient"] == 1
    assert check_halting(program, DynamicsOptions(engine="explicit")).kind is PASS


@pytest.mark.parametrize("n", [*SMALL, *LARGE, 100, 257])
def test_size_linear_depth_constant_one_auxiliary_position(n: int) -> None:
    circuit = parity_circuit(n)
    assert circuit.n == n + 1
    assert circuit.input_names == tuple(f"x{i}" for i in range(1, n + 1))
    assert circuit.init[-1] is False and circuit.input_positions == tuple(range(n))
    assert circuit.print_ == (0,) and circuit.attention == AttentionBits((n,))
    # n + 1 input gates, 5 gates per XOR pair, a constant or() per right-half position,
    # the attention gate's or, and and n - 1 nots: at most 5n + 2.
    assert circuit.size == 2 * n + 2 + 6 * (n // 2) <= 5 * n + 2
    assert circuit.depth == (1 if n == 1 else 3)  # input -> not -> and -> or
    assert circuit.max_fanin == max(2, n - 1)  # the attention gate's and
    assert circuit.meta == (f"generator=parity theorem=2.3 n={n}",)


def test_reference_program_shape() -> None:
    program = parity_program(5)
    assert program.names == ("X1", "X2", "X3", "X4", "X5", "P", "D")
    assert program.input_names == ("X1", "X2", "X3", "X4", "X5")
    assert program.print_ == ("P",) and program.attention == AttentionBits(("D",))
    assert program.meta == ("generator=parity-reference n=5",)
    # Balanced tree: depth 3 XOR levels of depth 3 each; the size grows about as n^2.
    assert program.depth == 3 * parity_rounds(5)
    assert parity_program(64).size < 64 * 64 * 6


@pytest.mark.parametrize("n", [1, 3, 4, 7])
def test_text_round_trip(n: int) -> None:
    for model, suffix in ((parity_circuit(n), ".circ"), (parity_program(n), ".bnl")):
        text = dumps(model, suffix)
        assert isinstance(text, str)
        assert loads(text, suffix) == model


def test_paper_traces(examples: Path) -> None:
    """The traces of examples/README.md, from the generated circuit."""
    circuit = parity_circuit(4)
    for bits, configs in (
        ("0100", ["01000", "10000", "10001", "10001"]),
        ("0110", ["01100", "11000", "00000", "00001"]),
    ):
        trace = simulate(circuit, tuple(b == "1" for b in bits), 3)
        assert [step.config for step in trace] == configs


@pytest.mark.parametrize("n", [0, -1])
def test_rejects_n_below_one(n: int) -> None:
    with pytest.raises(ValueError, match="n >= 1"):
        parity_circuit(n)
    with pytest.raises(ValueError, match="n >= 1"):
        parity_program(n)
