"""The explicit engine against brute force (verifier.engines.explicit).

The oracle is :func:`verifier.ir.safety.run_problem`: a valid input reaches bad iff it does
within ``2**latches`` rounds (a run visits at most that many states), and its first bad round
is the cex depth. Lassos are computed in plain Python from the AIG's own evaluator.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings

from tests.strategies import safety_problems
from verifier.engines import explicit
from verifier.engines.base import ENGINES, Cex, Options, Status
from verifier.ir.aig import AigBuilder
from verifier.ir.safety import SafetyProblem, run_problem
from verifier.ir.simulate import BitSimulator


def first_bad(problem: SafetyProblem) -> tuple[tuple[bool, ...], int] | None:
    """The valid input with the smallest first bad round (lexicographically first among
    equals), by brute force; None if no valid input reaches bad."""
    rounds = 2**problem.num_latches + 1
    best = None
    for bits in itertools.product([False, True], repeat=problem.num_inputs):
        valid, bad = run_problem(problem, bits, rounds)
        if valid and any(bad) and (best is None or bad.index(True) < best[1]):
            best = (bits, bad.index(True))
    return best


def lasso(problem: SafetyProblem, bits: tuple[bool, ...]) -> tuple[int, int]:
    """(transient, period) of one input's run, in plain Python."""
    aig, ins = problem.aig, [int(b) for b in bits]
    values = aig.evaluate([*ins, *[0] * problem.num_latches])
    state = tuple(aig.value(values, lit) for lit in problem.init)
    seen: dict[tuple[int, ...], int] = {}
    t = 0
    while state not in seen:
        seen[state] = t
        values = aig.evaluate([*ins, *state])
        state = tuple(aig.value(values, lit) for lit in problem.next_state)
        t += 1
    return seen[state], t - seen[state]


def valid_inputs(problem: SafetyProblem) -> list[tuple[bool, ...]]:
    return [
        bits
        for bits in itertools.product([False, True], repeat=problem.num_inputs)
        if run_problem(problem, bits, 0)[0]
    ]


def assert_replays(problem: SafetyProblem, inputs: tuple[bool, ...], depth: int) -> None:
    valid, bad = run_problem(problem, inputs, depth)
    assert valid and bad[depth] and not any(bad[:depth])


@settings(max_examples=500)
@given(safety_problems())
def test_explicit_agrees_with_brute_force(problem: SafetyProblem) -> None:
    outcome = explicit.run(problem, Options())
    expected = first_bad(problem)
    if expected is None:
        assert outcome.status is Status.SAFE, outcome
        valid = valid_inputs(problem)
        assert f"checked all {len(valid)} valid inputs" in outcome.detail
        longest = max((sum(lasso(problem, bits)) for bits in valid), default=0)
        assert f"longest lasso {longest} rounds" in outcome.detail
    else:
        # One chunk: the cex has the smallest first-bad depth of all inputs, and among inputs
        # with that depth the first one.
        assert outcome.status is Status.UNSAFE, outcome
        assert outcome.cex is not None
        assert (outcome.cex.inputs, outcome.cex.depth) == expected
        assert_replays(problem, outcome.cex.inputs, outcome.cex.depth)
    # Many chunks: the same verdict; a cex is the earliest of its chunk and replays exactly.
    chunked = explicit.run(problem, Options(), chunk=3, lasso_lengths=False)
    assert chunked.status is outcome.status
    if chunked.cex is not None:
        assert_replays(problem, chunked.cex.inputs, chunked.cex.depth)
        assert chunked.cex.depth >= outcome.cex.depth  # type: ignore[union-attr]


@settings(max_examples=60)
@given(safety_problems(max_inputs=3, max_latches=4))
def test_lassos_and_transients_are_exact(problem: SafetyProblem) -> None:
    sim = BitSimulator(explicit.as_system(problem))
    n = problem.num_inputs
    count = 2**n
    words, mask = explicit.input_block(n, 0, count)
    found = explicit.find_lassos(sim, words, mask, count=count)
    mu = explicit.transients(sim, words, found)
    assert mu is not None and found.complete
    for lane, bits in enumerate(itertools.product([False, True], repeat=n)):
        if not run_problem(problem, bits, 0)[0]:
            assert not found.valid[lane]
            continue
        transient, period = lasso(problem, bits)
        assert found.valid[lane] and found.closed[lane]
        assert (int(mu[lane]), int(found.period[lane])) == (transient, period)
        assert found.on_cycle[lane] >= transient


# --- hand-made problems ------------------------------------------------------------------------


def counter_problem(
    inputs: int, bits: int, *, constrain_first: bool = False, count_down: bool = False
) -> SafetyProblem:
    """A ``bits``-bit counter from 0; bad when it equals the inputs read as a number (input
    0 is the most significant bit). So the input ``k`` reaches bad in
    round ``k``. With ``count_down`` the inputs are complemented first (input ``k`` reaches
    bad in round ``2**inputs - 1 - k`` if ``inputs == bits``). With ``constrain_first``,
    input 0 must be 0."""
    b = AigBuilder(inputs + bits)
    ins = [b.input(i) for i in range(inputs)]
    cnt = [b.input(inputs + j) for j in range(bits)]  # cnt[0] is the least significant bit
    nxt, carry = [], 1
    for j in range(bits):
        nxt.append(b.xor(cnt[j], carry))
        carry = b.and_(cnt[j], carry)
    wanted = [ins[inputs - 1 - j] ^ count_down if j < inputs else 0 for j in range(bits)]
    high = [ins[inputs - 1 - j] ^ 1 ^ count_down for j in range(bits, inputs)]
    bad = b.and_all([*(b.xor(cnt[j], wanted[j]) ^ 1 for j in range(bits)), *high])
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"i{i}" for i in range(inputs)),
        latch_names=tuple(f"c{j}" for j in range(bits)),
        init=(0,) * bits,
        next_state=tuple(nxt),
        bad=bad,
        constraints=(ins[0] ^ 1,) if constrain_first else (),
    )


def test_counter_cex_is_the_earliest_input() -> None:
    problem = counter_problem(6, 8)
    outcome = explicit.run(problem)
    assert outcome.status is Status.UNSAFE and outcome.cex is not None
    assert outcome.cex.inputs == (False,) * 6 and outcome.cex.depth == 0


def test_constraints_exclude_inputs() -> None:
    b = AigBuilder(3)
    x, y, latch = b.input(0), b.input(1), b.input(2)
    bad = b.and_(latch, y)  # the latch copies x; bad = x & y from round 1 on
    problem = SafetyProblem(b.build(), ("x", "y"), ("l",), (x,), (latch,), bad)
    outcome = explicit.run(problem)
    assert outcome.status is Status.UNSAFE and outcome.cex == Cex((True, True), 0)
    constrained = SafetyProblem(b.build(), ("x", "y"), ("l",), (x,), (latch,), bad, (x ^ 1,))
    outcome = explicit.run(constrained)
    assert outcome.status is Status.SAFE
    assert "checked all 2 valid inputs (of 4)" in outcome.detail
    nothing_valid = SafetyProblem(b.build(), ("x", "y"), ("l",), (x,), (latch,), bad, (0,))
    assert "checked all 0 valid inputs" in explicit.run(nothing_valid).detail


@pytest.mark.parametrize("chunk", [1, 64, 100, 1000, explicit.CHUNK])
def test_chunk_size_does_not_change_the_answer(chunk: int) -> None:
    safe = counter_problem(10, 4)  # inputs above 15 never match a 4-bit counter ...
    safe = replace(safe, constraints=(safe.input_lit(5),))  # ... the constraint keeps those
    outcome = explicit.run(safe, chunk=chunk)
    assert outcome.status is Status.SAFE
    assert outcome.detail.startswith("checked all 512 valid inputs (of 1024)")
    assert "longest lasso 16 rounds" in outcome.detail
    unsafe = counter_problem(10, 10, constrain_first=True)
    outcome = explicit.run(unsafe, chunk=chunk)
    assert outcome.status is Status.UNSAFE and outcome.cex is not None
    assert outcome.cex.depth == 0 and not any(outcome.cex.inputs)


def test_cex_is_the_earliest_in_its_chunk() -> None:
    # Input k reaches bad in round 7 - k; inputs 0..2 are excluded. With chunks of two
    # inputs, the chunk {2, 3} answers input 3 at depth 4 before input 7 (depth 0) is seen.
    base = counter_problem(3, 3, count_down=True)
    builder = AigBuilder(base.aig.num_inputs)
    lit = builder.embed(base.aig, [builder.input(i) for i in range(base.aig.num_inputs)])
    x0, x1, x2 = (lit(base.input_lit(i)) for i in range(3))
    at_least_3 = builder.or_(x0, builder.and_(x1, x2))
    problem = replace(
        base,
        aig=builder.build(),
        init=tuple(lit(x) for x in base.init),
        next_state=tuple(lit(x) for x in base.next_state),
        bad=lit(base.bad),
        constraints=(at_least_3,),
    )
    assert explicit.run(problem, chunk=2).cex == Cex((False, True, True), 4)
    assert explicit.run(problem).cex == Cex((True, True, True), 0)


def test_input_limit() -> None:
    problem = counter_problem(12, 2)
    assert explicit.input_count_ok(problem)
    assert not explicit.input_count_ok(problem, limit=4095)
    outcome = explicit.run(problem, max_inputs=1000)
    assert outcome.status is Status.UNKNOWN and "2^12" in outcome.detail
    assert explicit.input_count_ok(problem, limit=1 << 12)
    assert explicit.MAX_INPUTS == 1 << 20


def test_deadline_gives_unknown_quickly() -> None:
    # A 40-bit counter never closes its lasso in reasonable time.
    problem = replace(counter_problem(2, 40), bad=0)
    started = time.monotonic()
    outcome = explicit.run(problem, Options(deadline=time.monotonic() + 0.3))
    assert time.monotonic() - started < 2
    assert outcome.status is Status.UNKNOWN
    assert "deadline" in outcome.detail and "0 of the 4 inputs fully checked" in outcome.detail


def test_progress_lines_and_registration() -> None:
    lines: list[str] = []
    explicit.run(replace(counter_problem(4, 4), bad=0), Options(progress=lines.append), chunk=4)
    assert lines and all(line.startswith("explicit") for line in lines)
    assert ENGINES["explicit"] is explicit.run


def test_no_inputs_and_no_latches() -> None:
    b = AigBuilder(0)
    problem = SafetyProblem(b.build(), (), (), (), (), 0)
    assert explicit.run(problem).status is Status.SAFE
    problem = SafetyProblem(b.build(), (), (), (), (), 1)
    assert explicit.run(problem).cex == Cex((), 0)


def test_lanes_of() -> None:
    mask = np.array([0b101, 0, 1 << 63], dtype=np.uint64)
    assert explicit.lanes_of(mask).tolist() == [0, 2, 191]
    assert explicit.lanes_of(mask[2:], np.array([5])).tolist() == [383]
