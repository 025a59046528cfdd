"""The PDR engine (z3 Spacer) against brute force, on structured miters, and at its deadline."""

from __future__ import annotations

import re
import time

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engines.brute import ground_truth, replays
from tests.engines.problems import counter_problems, long_counter, miter
from tests.strategies import safety_problems
from verifier.engines import pdr
from verifier.engines.base import ENGINES, Cex, Options, Outcome, Status
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.safety import SafetyProblem, run_problem

# --- ground truth -------------------------------------------------------------------------------


def assert_exact(problem: SafetyProblem, outcome: Outcome) -> None:
    """The outcome agrees with brute force over every input; an UNSAFE one names a valid input
    and the first round in which it makes bad true."""
    assert outcome.method == pdr.METHOD
    if ground_truth(problem).first_bad is None:
        assert outcome.status is Status.SAFE, outcome
        return
    assert outcome.status is Status.UNSAFE, outcome
    assert outcome.cex is not None and replays(problem, outcome.cex), outcome


def run_from(
    problem: SafetyProblem, inputs: list[int], state: list[int], rounds: int
) -> list[bool]:
    """``bad`` per round when the latches start in ``state`` (reachable or not)."""
    aig = problem.aig
    bad = []
    for _ in range(rounds + 1):
        values = aig.evaluate([*inputs, *state])
        bad.append(bool(aig.value(values, problem.bad)))
        state = [aig.value(values, lit) for lit in problem.next_state]
    return bad


# --- structured instances -------------------------------------------------------------------


def increment(b: AigBuilder, bits: list[int]) -> list[int]:
    """Ripple-carry ``bits + 1`` (little-endian, wrapping)."""
    carry, out = TRUE, []
    for x in bits:
        out.append(b.xor(x, carry))
        carry = b.and_(x, carry)
    return out


def onehot_vs_binary(width: int, positions: int | None = None) -> SafetyProblem:
    """A ``width``-bit binary counter beside a one-hot ring of ``positions`` (default
    ``2**width``) latches, both stepping once per round from 0; bad: the ring's encoded position
    differs from the counter. With the default ring the property holds, but proving it needs
    the invariant "exactly the counter's bit of the ring is set": from the unreachable state
    with ring bits {0, 2**(width-1)} and counter 2**(width-1) it holds for 2**(width-1) rounds
    before it fails, so k-induction needs k > 2**(width-1)."""
    ring = 2**width if positions is None else positions
    b = AigBuilder(width + ring)
    count = [b.input(i) for i in range(width)]
    hot = [b.input(width + i) for i in range(ring)]
    encoded = [b.or_all(hot[i] for i in range(ring) if i >> k & 1) for k in range(width)]
    bad = b.or_all(b.xor(e, c) for e, c in zip(encoded, count, strict=True))
    nxt = increment(b, count) + [hot[(i - 1) % ring] for i in range(ring)]
    return SafetyProblem(
        aig=b.build(),
        input_names=(),
        latch_names=tuple(f"c{i}" for i in range(width)) + tuple(f"h{i}" for i in range(ring)),
        init=(FALSE,) * width + (TRUE,) + (FALSE,) * (ring - 1),
        next_state=tuple(nxt),
        bad=bad,
    )


def ring_beside_counter(width: int) -> SafetyProblem:
    """A one-hot ring of three latches (rotating, from 100) beside a ``width``-bit counter that
    starts at a frozen input value; bad: ring bits 0 and 1 both set while the counter is all
    ones.

    Safe because the ring stays one-hot: PDR needs the three clauses "not two ring bits", at
    any width. Induction does not find it: for even ``width``, from the unreachable state
    (ring 110, counter 0) bad first holds in round ``2**width - 1``, so k-induction needs
    k >= 2**width, and runs from the initial states first repeat after ``3 * 2**width``
    rounds; no latch is constant or equivalent to another, which leaves signal correspondence
    nothing to find.
    """
    b = AigBuilder(width + 3 + width)
    start = [b.input(i) for i in range(width)]
    ring = [b.input(width + i) for i in range(3)]
    count = [b.input(width + 3 + i) for i in range(width)]
    bad = b.and_(b.and_(ring[0], ring[1]), b.and_all(count))
    nxt = [ring[2], ring[0], ring[1], *increment(b, count)]
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"t{i}" for i in range(width)),
        latch_names=("r0", "r1", "r2", *(f"c{i}" for i in range(width))),
        init=(TRUE, FALSE, FALSE, *start),
        next_state=tuple(nxt),
        bad=bad,
    )


def counter_to_target(width: int) -> SafetyProblem:
    """Frozen inputs t (``width`` bits, constrained to t >= 2**(width-1)) and a counter from 0;
    bad: counter == t. Every valid input reaches bad first in round t."""
    b = AigBuilder(2 * width)
    target = [b.input(i) for i in range(width)]
    count = [b.input(width + i) for i in range(width)]
    bad = b.and_all(b.xor(t, c) ^ 1 for t, c in zip(target, count, strict=True))
    nxt = increment(b, count)
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"t{i}" for i in range(width)),
        latch_names=tuple(f"c{i}" for i in range(width)),
        init=(FALSE,) * width,
        next_state=tuple(nxt),
        bad=bad,
        constraints=(target[-1],),
    )


# --- against brute force --------------------------------------------------------------------


@settings(max_examples=200)
@given(safety_problems(max_inputs=4, max_latches=5, max_ands=25))
def test_agrees_with_brute_force(problem: SafetyProblem) -> None:
    outcome = pdr.run(problem, Options(deadline=time.monotonic() + 20))
    assert_exact(problem, outcome)


@settings(max_examples=60)
@given(counter_problems())
def test_counters_agree_with_brute_force(problem: SafetyProblem) -> None:
    """Counters: first bad rounds up to 2**latches - 1, unreachable values beyond a wrap."""
    assert_exact(problem, pdr.run(problem, Options(deadline=time.monotonic() + 20)))


@settings(max_examples=40)
@given(safety_problems(max_inputs=3, max_latches=3, max_ands=20), st.data())
def test_miters_agree_with_brute_force(problem: SafetyProblem, data: st.DataObject) -> None:
    """Two copies side by side, copy B's next state perhaps XORed with one of its signals."""
    mutate = data.draw(
        st.none()
        | st.tuples(
            st.integers(0, problem.num_latches - 1), st.integers(0, 2 * problem.aig.num_vars - 1)
        )
    )
    pair = miter(problem, mutate)
    assert_exact(pair, pdr.run(pair, Options(deadline=time.monotonic() + 20)))


@settings(max_examples=40)
@given(safety_problems(max_inputs=4, max_latches=5, max_ands=25))
def test_bmc_extraction_is_exact(problem: SafetyProblem) -> None:
    """With the ground refutation unusable, the BMC fallback still gives the exact cex."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdr, "_refutation_input", lambda fp, enc: None)
        assert_exact(problem, pdr.run(problem, Options()))


def test_is_registered() -> None:
    assert ENGINES["pdr"] is pdr.run


@pytest.mark.parametrize(
    ("bad", "constraints", "status"),
    [(FALSE, (), Status.SAFE), (TRUE, (), Status.UNSAFE), (TRUE, (FALSE,), Status.SAFE)],
)
def test_no_latches(bad: int, constraints: tuple[int, ...], status: Status) -> None:
    problem = SafetyProblem(Aig(0), (), (), (), (), bad, constraints)
    outcome = pdr.run(problem, Options())
    assert outcome.status is status
    assert_exact(problem, outcome)


def test_cone_of_influence_drops_unrelated_latches_and_inputs() -> None:
    # Inputs a, b; latches p (toggles), q (copies b forever); bad = p & a.
    b = AigBuilder(4)
    a, _, p, q = (b.input(i) for i in range(4))
    bad = b.and_(p, a)
    problem = SafetyProblem(b.build(), ("a", "b"), ("p", "q"), (FALSE, 4), (p ^ 1, q), bad)
    cone = pdr.cone_of_influence(problem)
    assert (cone.inputs, cone.latches, cone.gates) == ((0,), (0,), 1)
    outcome = pdr.run(problem, Options())
    assert outcome.cex == Cex((True, False), 1)


# --- counterexamples deeper than one round --------------------------------------------------


def test_deep_counterexample_depth_is_the_target() -> None:
    problem = counter_to_target(4)
    outcome = pdr.run(problem, Options())
    assert outcome.status is Status.UNSAFE and outcome.cex is not None
    target = sum(bit << i for i, bit in enumerate(outcome.cex.inputs))
    assert outcome.cex.depth == target >= 8
    assert_exact(problem, outcome)


def test_counter_reaches_all_ones() -> None:
    outcome = pdr.run(long_counter(4), Options())
    assert outcome.cex == Cex((), 15)


# --- invariants that k-induction needs many rounds for --------------------------------------


def test_onehot_ring_vs_binary_counter_is_safe_though_k_induction_needs_k_over_8() -> None:
    width = 4
    problem = onehot_vs_binary(width)
    half = 2 ** (width - 1)
    bogus = [int(half >> i & 1) for i in range(width)] + [
        int(i in (0, half)) for i in range(2**width)
    ]
    assert run_from(problem, [], bogus, half) == [False] * half + [True]
    assert not any(run_problem(problem, (), 2**width + 1)[1])
    lines: list[str] = []
    outcome = pdr.run(problem, Options(deadline=time.monotonic() + 20, progress=lines.append))
    assert outcome.status is Status.SAFE, outcome
    assert "inductive invariant" in outcome.detail
    assert lines and all(line.startswith("pdr: ") for line in lines)


def test_onehot_ring_one_short_fails_when_the_counter_reaches_its_length() -> None:
    problem = onehot_vs_binary(4, positions=15)
    outcome = pdr.run(problem, Options(deadline=time.monotonic() + 20))
    assert outcome.cex == Cex((), 15)


def test_ring_beside_counter_is_safe_though_k_induction_needs_k_of_2_to_the_width() -> None:
    width = 12
    hard = ring_beside_counter(width)
    rounds = 2**width - 1
    bad = run_from(hard, [0] * width, [1, 1, 0] + [0] * width, rounds)
    assert bad == [False] * rounds + [True]
    outcome = pdr.run(ring_beside_counter(32), Options(deadline=time.monotonic() + 20))
    assert outcome.status is Status.SAFE, outcome
    lemmas = re.search(r"invariant of (\d+) lemmas", outcome.detail)
    assert lemmas is not None and int(lemmas.group(1)) <= 10, outcome.detail


# --- never trust the solver -----------------------------------------------------------------


def test_wrong_refutation_input_is_not_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """An input from the refutation that does not replay is replaced by the BMC search."""
    monkeypatch.setattr(pdr, "_refutation_input", lambda fp, enc: ((False,) * 4, 20))
    problem = counter_to_target(4)
    assert_exact(problem, pdr.run(problem, Options()))


def test_bmc_counterexample_that_does_not_replay_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdr, "_refutation_input", lambda fp, enc: None)
    monkeypatch.setattr(pdr, "_bmc_counterexample", lambda enc, options, depth: ((True,) * 4, 3))
    with pytest.raises(pdr.PdrError, match="does not replay"):
        pdr.run(counter_to_target(4), Options())


def test_invariant_that_is_not_inductive_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdr, "_invariant", lambda fp, enc: z3.BoolVal(True, enc.ctx))
    with pytest.raises(pdr.PdrError, match="safety"):
        pdr.run(onehot_vs_binary(2), Options())


# --- deadline -------------------------------------------------------------------------------


def test_deadline_gives_unknown_within_a_second() -> None:
    """A 30-bit counter reaches all ones only in round 2**30 - 1: Spacer cannot finish."""
    problem = long_counter(30)
    start = time.monotonic()
    outcome = pdr.run(problem, Options(deadline=start + 1.0))
    elapsed = time.monotonic() - start
    assert outcome.status is Status.UNKNOWN, outcome
    assert elapsed < 2.0
    assert "no inductive invariant and no counterexample" in outcome.detail


def test_expired_deadline_returns_at_once() -> None:
    outcome = pdr.run(long_counter(30), Options(deadline=time.monotonic() - 1))
    assert outcome.status is Status.UNKNOWN
    assert outcome.cex is None and outcome.bound is None
