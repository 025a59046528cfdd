"""Theorem 2.5 (formula-tree variant) checked by the engines, not by eye."""

from __future__ import annotations

from hypothesis import given, settings

from tests.strategies import bnl_programs
from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.formats import circ_text
from verifier.formats.registry import load
from verifier.translate.bnl_to_circuit import bnl_to_circuit


@settings(max_examples=100)
@given(bnl_programs())
def test_translation_is_globally_equivalent(program) -> None:
    circuit = bnl_to_circuit(program)
    assert circ_text.loads(circ_text.dumps(circuit)) == circuit
    for engine in ("explicit", "induction"):
        verdict = check_equiv(program, circuit, EquivOptions(mode="global", engine=engine))
        assert verdict.kind is VerdictKind.PASS, verdict.detail


def test_parity_program_becomes_a_circuit_of_the_same_depth(examples) -> None:
    program = load(examples / "parity4.bnl")
    circuit = bnl_to_circuit(program)
    assert circuit.depth == program.depth
    assert check_equiv(program, circuit, EquivOptions(mode="global")).kind is VerdictKind.PASS
