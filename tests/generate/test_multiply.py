"""The multiplication generator (Lemma 3.4): ``verify arith`` passes it by both methods, the
claimed time T is within the lemma's bound and is the program's real halting time, and a
program with one literal flipped in a head body is refused with the operands decoded, by
both methods (an independent bit-parallel simulation against verifier.arith.integers decides
which flips break the program at all)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from verifier import reference
from verifier.arith.integers import IntSystem
from verifier.checks.arith import ArithOptions, check_arith
from verifier.checks.dynamics import DynamicsOptions, check_halting, check_transient
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.cli.main import main
from verifier.formats.registry import load
from verifier.generate.catalog import generate
from verifier.generate.multiply import mul_program
from verifier.ir.compile import compile_model
from verifier.ir.simulate import simulate
from verifier.models import AttentionBits, BnlProgram
from verifier.translate.mutate import flip, sites

PASS, FAIL = VerdictKind.PASS, VerdictKind.FAIL
EXHAUSTIVE = ArithOptions(method="exhaustive")
SAT = ArithOptions(method="sat")
SMALL = [(2, 1), (2, 2), (2, 3), (2, 4), (3, 1), (3, 2), (4, 1), (5, 1), (10, 1)]
"""(b, n) checked exhaustively."""
BY_SAT = [(2, 2), (3, 1), (3, 2), (2, 6)]
HALTING = [(2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (4, 1)]
MUTATED = [(2, 2), (3, 1), (2, 3)]
SEEDS = range(6)
DETAIL = re.compile(r"^x = (-?\d+), y = (-?\d+): ")


def meta_time(program: BnlProgram) -> int:
    (line,) = [m for m in program.meta if m.startswith("arith ")]
    return int(dict(t.split("=") for t in line.split()[1:])["time"])


def clog2(k: int) -> int:
    """ceil(log2 k) for k >= 1 (0 for k = 1)."""
    return (k - 1).bit_length()


def bound(b: int, n: int) -> int:
    return 3 * (clog2(b - 1) + clog2(n)) + 2


# --- an oracle independent of verify arith ------------------------------------------------


def valid_pairs(z: IntSystem) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Every valid input pair (negative zero included) as rows, with the decoded values."""
    encodings = list(z.valid_encodings())
    rows = [(*ex, *ey) for ex in encodings for ey in encodings]
    values = [(z.decode(ex), z.decode(ey)) for ex in encodings for ey in encodings]
    return np.array(rows, dtype=bool), values


def failing_pairs(program: BnlProgram, b: int, n: int, T: int) -> set[tuple[int, int]]:
    """The operand values of the valid pairs violating a claim of ``verify arith``: the
    assumptions reject them, configuration T is not a fixed point, some round t <= T+1 is an
    output round iff configuration t is not a fixed point, or the print at round T is not
    ``encode_result("mul", x, y)`` (bit-parallel simulation of rounds 0 .. T+2)."""
    z = IntSystem(n, b)
    inputs, values = valid_pairs(z)
    result = simulate(compile_model(program), inputs, T + 2)
    configs = result.configs
    bad = set()
    for k, (x, y) in enumerate(values):
        fixed = [bool((configs[t, k] == configs[t + 1, k]).all()) for t in range(T + 2)]
        outputs = [bool(result.outputs[t, k]) for t in range(T + 2)]
        printed = tuple(bool(bit) for bit in result.prints[T, k])
        if (
            not result.valid[k]
            or not fixed[T]
            or outputs != fixed
            or printed != z.encode_result("mul", x, y)
        ):
            bad.add((x, y))
    return bad


# --- the generated programs ----------------------------------------------------------------


@pytest.mark.parametrize(("b", "n"), SMALL)
def test_exhaustive_check_passes(b: int, n: int) -> None:
    program = mul_program(b, n)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    assert verdict.extra["inputs_checked"] == (2 * b**n) ** 2
    assert verdict.extra["op"] == "mul" and verdict.extra["time"] == meta_time(program)


@pytest.mark.parametrize(("b", "n"), [(2, 2), (3, 1), (10, 1)])
def test_the_oracle_agrees_on_the_correct_programs(b: int, n: int) -> None:
    program = mul_program(b, n)
    assert failing_pairs(program, b, n, meta_time(program)) == set()


@pytest.mark.parametrize(("b", "n"), BY_SAT)
def test_sat_check_passes(b: int, n: int) -> None:
    verdict = check_arith(mul_program(b, n), SAT)
    assert verdict.kind is PASS, verdict.detail
    assert verdict.method.startswith("sat")
    assert verdict.extra["refuted"] == verdict.extra["cubes"] == 1


@pytest.mark.parametrize(("b", "n"), [*SMALL, (2, 5), (2, 6), (2, 8), (3, 3), (7, 2), (10, 2)])
def test_time_within_the_lemma_bound(b: int, n: int) -> None:
    program = mul_program(b, n)
    T = meta_time(program)
    assert 1 <= T <= bound(b, n)
    assert program.meta == (f"arith op=mul encoding=int base={b} digits={n} time={T} operands=x,y",)
    assert program.attention == AttentionBits((f"F{T}",))


def test_bound_values() -> None:
    assert [bound(2, n) for n in (1, 2, 3, 4, 5)] == [2, 5, 8, 8, 11]
    assert [bound(b, 1) for b in (2, 3, 4, 5, 9, 10)] == [2, 5, 8, 8, 11, 14]


@pytest.mark.parametrize(("b", "n"), HALTING)
def test_halting_at_the_claimed_time(b: int, n: int) -> None:
    program = mul_program(b, n)
    options = DynamicsOptions(engine="explicit" if 2 * (1 + n * b) <= 14 else "sat")
    halting = check_halting(program, options)
    assert halting.kind is PASS, halting.detail
    transient = check_transient(program, None, options)
    assert transient.kind is PASS and transient.extra["transient"] == meta_time(program)


@pytest.mark.parametrize(("b", "n"), [(2, 2), (3, 2)])
def test_cli_gen_then_halting_and_arith(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], b: int, n: int
) -> None:
    path = tmp_path / f"mul_b{b}_n{n}.bnl"
    assert main(["gen", "mul", "--base", str(b), "--digits", str(n), "-o", str(path)]) == 0
    assert load(path) == mul_program(b, n)
    capsys.readouterr()
    assert main(["halting", str(path)]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    assert main(["arith", str(path), "--method", "sat"]) == 0
    assert capsys.readouterr().out.startswith("PASS")


def test_interface() -> None:
    b, n = 3, 2
    program = mul_program(b, n)
    digits = [f"{p}_{d}" for p in (1, 0) for d in range(b)]
    x, y = (tuple(f"{side}{s}" for s in digits) for side in "XY")
    assert program.input_names == ("XS", *x, "YS", *y)
    result = [f"Z{p}_{d}" for p in (3, 2, 1, 0) for d in range(b)]
    assert program.print_ == ("ZS", *result)
    assert len(program.assumptions) == 2 * n


def test_catalog_and_bad_parameters() -> None:
    assert generate("int-mul base=3 digits=2") == mul_program(3, 2)
    for base, digits in [(1, 2), (2, 0), (True, 1)]:
        with pytest.raises(ValueError, match="needs"):
            mul_program(base, digits)


# --- corrupted programs --------------------------------------------------------------------


def head_sites(program: BnlProgram) -> list[tuple[int, int]]:
    """The mutation sites (verifier.translate.mutate) in the bodies of non-input heads."""
    inputs = set(program.input_names)
    return [s for s in sites(program) if program.heads[s[0]].name not in inputs]


def check_refusal(verdict: Verdict, mutant: BnlProgram, b: int, n: int, bad: set) -> None:
    """A FAIL naming a failing pair as decoded numbers, with its input and trace replayed."""
    z = IntSystem(n, b)
    assert verdict.kind is FAIL, verdict.detail
    match = DETAIL.match(verdict.detail)
    assert match, verdict.detail
    x, y = int(match[1]), int(match[2])
    assert (x, y) == (verdict.extra["x"], verdict.extra["y"])
    assert (x, y) in bad
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample)
    bits = tuple(c == "1" for c in cex.input)
    assert (z.decode(bits[: z.width]), z.decode(bits[z.width :])) == (x, y)
    assert cex.trace == reference.simulate(mutant, cex.input, len(cex.trace) - 1)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("b", "n"), MUTATED)
def test_a_flipped_literal_is_refused_by_both_methods(b: int, n: int, seed: int) -> None:
    program = mul_program(b, n)
    T = meta_time(program)
    candidates = head_sites(program)
    random.Random(seed).shuffle(candidates)
    for site in candidates:  # the first flip that breaks the program (most do)
        mutant = flip(program, site)
        bad = failing_pairs(mutant, b, n, T)
        if bad:
            break
    else:
        pytest.fail("no flip breaks the program")
    assert isinstance(mutant, BnlProgram) and mutant != program
    for options in (EXHAUSTIVE, SAT):
        check_refusal(check_arith(mutant, options), mutant, b, n, bad)


@pytest.mark.parametrize(("b", "n"), [(2, 2), (3, 1), (2, 3)])
def test_every_flip_is_judged_like_the_oracle(b: int, n: int) -> None:
    """Every site: FAIL exactly when the oracle finds a failing pair (some flips are
    harmless, e.g. in a propagate head that no carry reads), by both methods."""
    program = mul_program(b, n)
    T = meta_time(program)
    refused = 0
    for site in head_sites(program):
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram)
        bad = failing_pairs(mutant, b, n, T)
        for options in (EXHAUSTIVE, SAT):
            verdict = check_arith(mutant, options)
            if bad:
                check_refusal(verdict, mutant, b, n, bad)
            else:
                assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    assert refused >= len(head_sites(program)) * 3 // 4
