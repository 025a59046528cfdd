"""The halting argument of asynchronous equivalence: output rounds that depend on the input.

Theorem 2.3's parity circuit outputs from round ceil(log2 n) + 1 on for most inputs but from
round 0 for an input whose positions 2..n are 0; the straightforward program outputs from
round 1. No stride relates them, and above 2^16 inputs nothing is enumerated: both are
proved halting and their final print strings compared by one SAT miter.
"""

from __future__ import annotations

from dataclasses import replace

from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.formula import And, Formula, Not, Or, Var, conjunction
from verifier.generate.parity import parity_circuit, parity_program
from verifier.models import BnlProgram
from verifier.reference import simulate

N = 20  # 2^20 inputs: above the explicit engine's automatic limit


def _wrong_on_all_ones(program: BnlProgram) -> BnlProgram:
    """The program with its print negated on the input 11...1 only: random inputs miss it."""
    name = program.print_[0]
    ones = conjunction([Var(x) for x in program.input_names])

    def wrong(body: Formula) -> Formula:
        return Or(And(body, Not(ones)), And(Not(body), ones))

    heads = tuple(replace(h, body=wrong(h.body)) if h.name == name else h for h in program.heads)
    return replace(program, heads=heads)


def test_parity_program_and_circuit_are_equivalent_by_the_halting_argument() -> None:
    verdict = check_equiv(parity_program(N), parity_circuit(N), EquivOptions(mode="async"))
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.method.startswith("halting argument")
    assert "round 1 in A and 6 in B" in verdict.detail  # ceil(log2 20) + 1 = 6


def test_a_wrong_final_print_is_refuted_and_replayed() -> None:
    wrong = _wrong_on_all_ones(parity_program(N))
    circuit = parity_circuit(N)
    verdict = check_equiv(wrong, circuit, EquivOptions(mode="async"))
    assert verdict.kind is VerdictKind.FAIL, verdict.detail
    assert verdict.method.startswith("halting argument")
    cex = verdict.counterexample
    assert cex is not None and cex.a_input == "1" * N
    bits = (True,) * N
    parity = N % 2
    # The reference simulators, independently: the circuit prints the parity at its fixed
    # point, the wrong program its negation.
    final_a = simulate(wrong, bits, 8)[-1]
    final_b = simulate(circuit, bits, 8)[-1]
    assert final_b.output and final_b.print == str(parity)
    assert final_a.output and final_a.print == str(1 - parity)
