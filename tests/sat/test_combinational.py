"""find_difference and differing_pairs against exhaustive evaluation."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.engines.problems import commutativity_miter
from tests.strategies import raw_aigs
from verifier.ir.aig import Aig
from verifier.sat.combinational import Difference, differing_pairs, find_difference
from verifier.sat.solver import OutOfTime


def witnesses(aig: Aig, pairs, constraints) -> dict[int, list[tuple[bool, ...]]]:
    """For every pair, the valid inputs under which it differs (by evaluation)."""
    found: dict[int, list[tuple[bool, ...]]] = {i: [] for i in range(len(pairs))}
    for bits in itertools.product((False, True), repeat=aig.num_inputs):
        values = aig.evaluate([int(b) for b in bits])
        if not all(Aig.value(values, c) for c in constraints):
            continue
        for i, (a, b) in enumerate(pairs):
            if Aig.value(values, a) != Aig.value(values, b):
                found[i].append(bits)
    return found


@st.composite
def miters(draw: st.DrawFn):
    aig = draw(raw_aigs(max_inputs=5, max_ands=20))
    lit = st.integers(0, 2 * aig.num_vars - 1)
    # Pairs of one literal too: they are left out of the encoding and must never differ.
    pairs = draw(st.lists(st.tuples(lit, lit) | lit.map(lambda x: (x, x)), max_size=5))
    constraints = draw(st.lists(lit, max_size=2))
    return aig, pairs, constraints


@given(miters())
def test_find_difference_is_exact(case) -> None:
    aig, pairs, constraints = case
    truth = witnesses(aig, pairs, constraints)
    found = find_difference(aig, pairs, constraints)
    if found is None:
        assert not any(truth.values())
        return
    assert isinstance(found, Difference) and len(found.inputs) == aig.num_inputs
    assert found.differing and all(found.inputs in truth[i] for i in found.differing)
    others = set(range(len(pairs))) - set(found.differing)
    assert not any(found.inputs in truth[i] for i in others)


@given(miters())
def test_differing_pairs_lists_every_differing_pair(case) -> None:
    aig, pairs, constraints = case
    truth = witnesses(aig, pairs, constraints)
    found = differing_pairs(aig, pairs, constraints)
    assert sorted(found) == [i for i, inputs in truth.items() if inputs]
    assert all(found[i] in truth[i] for i in found)


def test_deadline_raises_out_of_time() -> None:
    problem = commutativity_miter(16)
    start = time.monotonic()
    with pytest.raises(OutOfTime):
        find_difference(problem.aig, [(problem.bad, 0)], deadline=start + 0.5)
    assert time.monotonic() - start < 1.5
