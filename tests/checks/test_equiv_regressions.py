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
