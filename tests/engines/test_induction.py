"""The induction engine: its methods, bounds and what it says (soundness against brute force
is in test_sat_soundness)."""

from __future__ import annotations

from tests.engines.problems import long_counter, miter
from verifier.engines import induction
from verifier.engines.base import Options, Status, get
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.safety import SafetyProblem


def wrapping_counter(width: int, wrap: int, bad_value: int) -> SafetyProblem:
    """A counter from 0 that wraps after ``wrap``; bad = it equals ``bad_value``."""
    b = AigBuilder(width)
    bits = [b.input(j) for j in range(width)]

    def equals(value: int) -> int:
        return b.and_all(x if (value >> j) & 1 else x ^ 1 for j, x in enumerate(bits))

    carry, inc = TRUE, []
    for x in bits:
        inc.append(b.xor(x, carry))
        carry = b.and_(x, carry)
    at_wrap = equals(wrap)
    next_state = tuple(b.and_(x, at_wrap ^ 1) for x in inc)
    bad = equals(bad_value)
    return SafetyProblem(
        aig=b.build(),
        input_names=(),
        latch_names=tuple(f"c{j}" for j in range(width)),
        init=(FALSE,) * width,
        next_state=next_state,
        bad=bad,
    )


def test_registered() -> None:
    assert get("induction") is induction.run


def test_miter_of_equal_systems_is_register_correspondence() -> None:
    # Twin latches are equal: the cheap register pass proves it before any gate is a candidate.
    outcome = induction.run(miter(long_counter(32)), Options())
    assert outcome.status is Status.SAFE and outcome.method == "register correspondence"


def test_unreachable_value_needs_deep_induction() -> None:
    # 0..5 then wrap: the values 6..15 are unreachable; 12 is 6 steps above 6, which has no
    # predecessor, so plain induction needs k = 7 -- unless the runs from the initial state
    # are seen to repeat first (0..5 is a loop of 6 states).
    outcome = induction.prove(wrapping_counter(4, 5, 12), Options(), correspondence=False)
    assert outcome.status is Status.SAFE and outcome.method == "k-induction (k=6)"
    assert "every valid run repeats a state by round 6" in outcome.detail
    wide = induction.prove(wrapping_counter(8, 5, 12), Options(), correspondence=False)
    assert wide.status is Status.SAFE and wide.method == "k-induction (k=6)"


def test_step_case_proof() -> None:
    # Wrap at 200 in 8 bits, bad = 203: the step case closes at k = 4 long before the initial
    # runs repeat (after 201 rounds).
    outcome = induction.prove(wrapping_counter(8, 200, 203), Options(), correspondence=False)
    assert outcome.status is Status.SAFE and outcome.method == "k-induction (k=3)"
    assert "no path of 4 distinct states" in outcome.detail


def test_bound_gives_unknown_saying_what_was_shown() -> None:
    outcome = induction.prove(wrapping_counter(8, 200, 203), Options(bound=2), correspondence=False)
    assert outcome.status is Status.UNKNOWN and outcome.bound == 2
    assert outcome.detail.startswith("bad is false in rounds 0..2 for every valid input")
    assert "no k-induction proof for k <= 2" in outcome.detail


def test_counterexample_at_first_depth() -> None:
    outcome = induction.run(long_counter(6), Options())
    assert outcome.status is Status.UNSAFE and outcome.cex is not None
    assert outcome.cex.depth == 63 and outcome.cex.inputs == ()


def test_progress_lines() -> None:
    lines: list[str] = []
    induction.run(long_counter(5), Options(progress=lines.append))
    assert any(line.startswith("induction: k=") for line in lines)
