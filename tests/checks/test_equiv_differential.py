"""Soundness: every engine's verdict agrees with an oracle built only from the reference
simulators, on random small programs and random mutations of them (issue 3)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import scaled
from tests.strategies import bnl_mutants, bnl_programs, circuits
from verifier import reference
from verifier.checks import replay
from verifier.checks.alignment import Alignment
from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.models import Model


def oracle(a: Model, b: Model, mode: str) -> bool:
    """True iff equivalent, by brute force over every input on the reference simulators.

    Global: both runs are lassos, so their product repeats from round max(mu) with period
    lcm(lambda); comparing rounds 0..max(mu) + lcm(lambda) decides. Asynchronous: the exact
    comparison of the output sequences of :func:`replay.first_async_difference`.
    """
    n = len(a.input_names)
    alignment = Alignment(
        inputs=tuple(range(n)),
        prints=tuple(range(len(replay.print_names(a)))),
        state=tuple(range(len(a.config_names))) if mode == "global" else None,
    )
    for bits in itertools.product([False, True], repeat=n):
        if not all(reference.satisfies_assumptions(m, bits) for m in (a, b)):
            continue
        if mode == "global":
            la, lb = replay.lasso(a, bits), replay.lasso(b, bits)
            assert la is not None and lb is not None
            horizon = max(la.mu, lb.mu) + math.lcm(la.lam, lb.lam)
            diff, _, _ = replay.first_global_difference(a, b, alignment, bits, horizon)
        else:
            compared = replay.first_async_difference(a, b, alignment, bits)
            assert compared is not None
            diff = compared[0]
        if diff is not None:
            return False
    return True


def _check(a: Model, b: Model, mode: str, engine: str) -> VerdictKind:
    return check_equiv(a, b, EquivOptions(mode=mode, engine=engine, bound=12)).kind


def _agrees(truth: bool, kind: VerdictKind, engine: str, mode: str) -> bool:
    """PASS only when equivalent, FAIL only when not. UNKNOWN is allowed only where the method
    is not complete: BMC (bounded), and asynchronous mode without the explicit comparison
    (a proof there needs a stride that may not exist). Explicit and auto are complete here."""
    if kind is VerdictKind.UNKNOWN:
        incomplete = engine == "bmc" or (mode == "async" and engine in ("induction", "pdr"))
        return incomplete
    return (kind is VerdictKind.PASS) == truth


ENGINES = ["explicit", "auto", "bmc", "induction", "pdr"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("mode", ["global", "async"])
@settings(max_examples=scaled(200))
@given(data=st.data())
def test_program_against_mutant(engine: str, mode: str, data) -> None:
    a = data.draw(bnl_programs(max_heads=4, max_inputs=3))
    b = data.draw(bnl_mutants(a))
    if mode == "global" and len(b.heads) != len(a.heads):
        return  # different widths are an input error in global mode, tested elsewhere
    if len(b.print_) != len(a.print_):
        return
    truth = oracle(a, b, mode)
    kind = _check(a, b, mode, engine)
    assert _agrees(truth, kind, engine, mode), (mode, engine, truth, kind)


@pytest.mark.parametrize("engine", ["explicit", "induction"])
@settings(max_examples=scaled(60))
@given(circuit=circuits(max_positions=4, max_gates=5))
def test_circuit_against_its_aiger_form(engine: str, circuit) -> None:
    """A circuit is globally equivalent to itself read back through AIGER (new gate names)."""
    from verifier.formats import aiger

    again = aiger.loads_aig(aiger.dumps_aig(circuit))
    assert _check(circuit, again, "global", engine) is VerdictKind.PASS
