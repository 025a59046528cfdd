"""Regressions found by the differential tests, pinned as plain examples."""

from __future__ import annotations

from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.formats import bnl_text


def test_round0_difference_of_boolnet_like_models_is_reported_at_round_0() -> None:
    # Every state is initial, so the combinational check answers; the output conditions
    # differ in the state itself (round 0), not one round later (found in CI by hypothesis:
    # the replay caught the wrong round and refused to print the counterexample).
    a = bnl_text.loads("attention X\nX :- X\nY :- Y\n")
    b = bnl_text.loads("X :- X\nY :- Y\n")
    verdict = check_equiv(a, b, EquivOptions(mode="global"))
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.counterexample is not None and verdict.counterexample.round == 0
    assert verdict.counterexample.a_input[0] == "0"


def test_next_state_difference_of_boolnet_like_models_is_reported_at_round_1() -> None:
    a = bnl_text.loads("X :- X & Y\nY :- Y\n")
    b = bnl_text.loads("X :- X | Y\nY :- Y\n")
    verdict = check_equiv(a, b, EquivOptions(mode="global"))
    assert verdict.counterexample is not None and verdict.counterexample.round == 1
    assert verdict.counterexample.rules == ("X",)


def test_print_difference_in_a_round_that_is_no_output_round_is_not_replayed_at_round_0() -> None:
    # Found by hypothesis: with `attention rounds 1`, print bits that differ on a state are
    # read in round 1 only; the combinational check must not claim a round-0 difference.
    from verifier.formats.registry import loads

    a = loads("order X Y\nprint X\nattention rounds 1\nX :- X\nY :- X\n", ".bnl")
    b = loads("order Y X\nprint X\nattention rounds 1\nY :- X\nX :- X\n", ".bnl")
    verdict = check_equiv(a, b, EquivOptions(mode="global"))
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.counterexample is not None


def test_output_condition_and_next_state_differ_is_replayed_at_round_0() -> None:
    # Found by hypothesis: the attention bit differs in round 0 and a next-state function
    # too; the difference is seen in round 0.
    from verifier.formats.registry import loads

    a = loads("order X Y\nprint\nattention X\nX :- X\nY :- X\n", ".bnl")
    b = loads("order Y X\nprint\nattention X\nY :- X\nX :- X\n", ".bnl")
    verdict = check_equiv(a, b, EquivOptions(mode="global"))
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.counterexample is not None and verdict.counterexample.round == 0
