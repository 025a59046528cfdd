"""The floating-point multiplication generator (Lemma 3.8, correctly rounded): ``verify arith``
passes it exhaustively, an independent bit-parallel simulation against
verifier.arith.floats agrees, the rounding boundaries (ties to even, a carry into a new
exponent, saturation, flushing to +0, zeros, signs) print the reference result, the claimed
time T is the real halting time, a program with one literal flipped is refused with the
operands as the paper writes them exactly when the oracle finds it wrong, and
encodings/float/ is what the generator writes today."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from verifier import reference
from verifier.arith.floats import FloatSystem, exponent_of
from verifier.checks.arith import ArithOptions, check_arith
from verifier.checks.dynamics import DynamicsOptions, check_halting, check_transient
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.cli.main import main
from verifier.formats.registry import dumps, load
from verifier.generate.catalog import generate
from verifier.generate.floats import float_assumptions, float_input_names, fmul_program
from verifier.ir.compile import compile_model
from verifier.ir.simulate import simulate
from verifier.models import AttentionBits, BnlProgram
from verifier.translate.mutate import flip, sites

PASS, FAIL = VerdictKind.PASS, VerdictKind.FAIL
EXHAUSTIVE = ArithOptions(method="exhaustive")
SMALL = [(2, 1, 1), (2, 2, 1), (2, 3, 1), (2, 2, 2), (3, 1, 1), (3, 2, 1), (4, 1, 1), (5, 1, 1)]
"""(b, p, q) checked exhaustively (and (2, 4, 2), the largest, below)."""
FLOAT = Path(__file__).resolve().parents[2] / "encodings" / "float"
FILE_NAME = re.compile(r"^fmul_b(\d+)_p(\d+)_q(\d+)\.bnl$")
DETAIL = re.compile(r"^x = (\S+), y = (\S+): ")
F = Fraction


@cache
def program_for(b: int, p: int, q: int) -> BnlProgram:
    return fmul_program(b, p, q)


def meta_time(program: BnlProgram) -> int:
    (line,) = [m for m in program.meta if m.startswith("arith ")]
    return int(dict(t.split("=") for t in line.split()[1:])["time"])


def bit_string(bits: tuple[bool, ...]) -> str:
    return "".join("1" if bit else "0" for bit in bits)


# --- an oracle independent of verify arith ------------------------------------------------


@cache
def valid_pairs(b: int, p: int, q: int) -> tuple[np.ndarray, tuple[tuple[Fraction, Fraction], ...]]:
    """Every valid input pair as rows (x's encoding, then y's), with the values."""
    f = FloatSystem(p, q, b)
    values = f.values()
    encodings = [f.encode(v) for v in values]
    rows = [(*ex, *ey) for ex in encodings for ey in encodings]
    pairs = tuple((x, y) for x in values for y in values)
    return np.array(rows, dtype=bool), pairs


def failing_pairs(program: BnlProgram, b: int, p: int, q: int, T: int) -> set:
    """The operand values of the valid pairs violating a claim of ``verify arith``: the
    assumptions reject them, configuration T is not a fixed point, some round t <= T+1 is an
    output round iff configuration t is not a fixed point, or the print at round T is not
    ``f.encode(f.mul(x, y))`` (bit-parallel simulation of rounds 0 .. T+2)."""
    f = FloatSystem(p, q, b)
    inputs, pairs = valid_pairs(b, p, q)
    result = simulate(compile_model(program), inputs, T + 2)
    configs, outputs, prints = result.configs, result.outputs, result.prints
    fixed = np.all(configs[:-1] == configs[1:], axis=2)  # (T+2, runs)
    wrong_outputs = np.any(outputs[: T + 2] != fixed, axis=0)
    encoded: dict[Fraction, tuple[bool, ...]] = {}
    bad = set()
    for k, (x, y) in enumerate(pairs):
        want = f.mul(x, y)
        if want not in encoded:
            encoded[want] = f.encode(want)
        printed = tuple(bool(bit) for bit in prints[T, k])
        if not result.valid[k] or not fixed[T, k] or wrong_outputs[k] or printed != encoded[want]:
            bad.add((x, y))
    return bad


# --- the generated programs ----------------------------------------------------------------


@pytest.mark.parametrize(("b", "p", "q"), [*SMALL, (2, 4, 2)])
def test_exhaustive_check_passes(b: int, p: int, q: int) -> None:
    program = program_for(b, p, q)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    count = FloatSystem(p, q, b).count()
    assert verdict.extra["inputs_checked"] == count**2
    assert verdict.extra["op"] == "fmul" and verdict.extra["time"] == meta_time(program)
    assert (verdict.extra["base"], verdict.extra["p"], verdict.extra["q"]) == (b, p, q)
    assert f"all {count**2} valid operand pairs of F({p}, {q}, {b})" in verdict.detail


@pytest.mark.parametrize(("b", "p", "q"), [(2, 1, 2), (2, 3, 1), (3, 2, 1), (4, 1, 1)])
def test_the_oracle_agrees_on_the_correct_programs(b: int, p: int, q: int) -> None:
    program = program_for(b, p, q)
    assert failing_pairs(program, b, p, q, meta_time(program)) == set()


def test_the_oracle_sees_a_wrong_program() -> None:
    """A program claiming one round too few is caught (not a fixed point by then)."""
    program = program_for(2, 2, 1)
    T = meta_time(program)
    assert failing_pairs(program, 2, 2, 1, T - 1)


@pytest.mark.parametrize(("b", "p", "q"), [*SMALL, (2, 4, 2), (3, 1, 2), (10, 1, 1)])
def test_meta_line_and_interface(b: int, p: int, q: int) -> None:
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q)
    T = meta_time(program)
    assert T >= 1
    assert program.meta == (
        f"arith op=fmul encoding=float base={b} p={p} q={q} time={T} operands=x,y",
    )
    assert program.attention == AttentionBits((f"F{T}",))
    assert program.input_names == tuple(float_input_names("X", f) + float_input_names("Y", f))
    assert len(program.input_names) == 2 * f.width
    assert program.print_ == tuple(float_input_names("Z", f))
    assert program.assumptions == tuple(float_assumptions("X", f) + float_assumptions("Y", f))


def test_input_names() -> None:
    f = FloatSystem(2, 2, 3)
    digits = [f"E1_{d}" for d in range(3)] + [f"E0_{d}" for d in range(3)]
    digits += [f"D{j}_{d}" for j in (1, 2) for d in range(3)]
    assert float_input_names("X", f) == ["XES", "XFS", *(f"X{s}" for s in digits)]


def test_assumptions_admit_exactly_the_normalized_encodings() -> None:
    """Every one of the 2^width bit strings of F(2, 1, 2): accepted iff it decodes and is the
    canonical encoding of its value."""
    f = FloatSystem(1, 2, 2)
    program = program_for(2, 1, 2)
    valid = {f.encode(v) for v in f.values()}
    zero_y = f.encode(0)
    for n in range(1 << f.width):
        x = tuple(bool(n >> (f.width - 1 - i) & 1) for i in range(f.width))
        accepted = reference.satisfies_assumptions(program, x + zero_y)
        assert accepted == (x in valid), bit_string(x)


def test_catalog_cli_and_bad_parameters(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert generate("float-mul base=3 p=2 q=1") == program_for(3, 2, 1)
    path = tmp_path / "fmul.bnl"
    assert main(["gen", "fmul", "--base", "2", "-p", "2", "-q", "2", "-o", str(path)]) == 0
    assert load(path) == program_for(2, 2, 2)
    capsys.readouterr()
    assert main(["arith", str(path)]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    for base, p, q in [(1, 1, 1), (2, 0, 1), (2, 1, 0), (True, 1, 1)]:
        with pytest.raises(ValueError, match="needs"):
            fmul_program(base, p, q)


# --- the rounding boundaries, one input each through the reference simulator --------------


@dataclass(frozen=True)
class Case:
    system: tuple[int, int, int]  # (b, p, q)
    x: Fraction
    y: Fraction
    want: Fraction  # round(x * y), by hand


CASES = {
    # F(2, 3, 1): 0.110 x 0.110 = 0.100100, mantissa 100|100: a tie, 100 is even: down.
    "tie to even rounds down": Case((2, 3, 1), F(3, 4), F(3, 4), F(1, 2)),
    # F(2, 3, 1): 0.101 x 0.110 = 0.011110 = 0.11110 x 2^-1: 111|10 is a tie, 111 odd: up to
    # 1000, which carries into the exponent: 0.100 x 2^0.
    "tie to even rounds up and carries into a new exponent": Case(
        (2, 3, 1), F(5, 8), F(3, 4), F(1, 2)
    ),
    # F(4, 1, 1): 0.2 x 0.3 = 0.12 (base 4): 1|2 is a tie, 1 odd: up to 0.2.
    "tie to even rounds up in base 4": Case((4, 1, 1), F(1, 2), F(3, 4), F(1, 2)),
    # F(2, 4, 2): 0.1001 x 0.1110 = 0.01111110 = 0.1111110 x 2^-1: 1111|110 is above half:
    # up to 10000, one more exponent: 0.1000 x 2^0.
    "round up carries into a new exponent": Case((2, 4, 2), F(9, 16), F(7, 8), F(1, 2)),
    # F(3, 2, 1): 0.12 x 0.21 (base 3) = 35/81 = 0.1022: 10|22 is above half (odd base, no
    # ties): up to 0.11.
    "odd base rounds up": Case((3, 2, 1), F(5, 9), F(7, 9), F(4, 9)),
    # F(3, 1, 2): 0.2 x 0.2 = 0.11 (base 3): 1|1 is below half: down to 0.1.
    "odd base rounds down": Case((3, 1, 2), F(2, 3), F(2, 3), F(1, 3)),
    # F(2, 1, 2): 0.1e+3 x 0.1e+3 = 0.1e+5: saturates to 0.1e+3 = 4.
    "overflow saturates to +largest": Case((2, 1, 2), F(4), F(4), F(4)),
    "overflow saturates to -largest": Case((2, 1, 2), F(-4), F(4), F(-4)),
    "negative times negative overflow saturates to +largest": Case((2, 1, 2), F(-4), F(-2), F(4)),
    # F(2, 3, 1): 0.101e+1 x 0.110e+1 = 0.11110e+1 is in range before rounding, the round-up
    # carries it out of range: saturates to 0.111e+1 = 7/4.
    "round-up carry overflows and saturates": Case((2, 3, 1), F(5, 4), F(3, 2), F(7, 4)),
    # F(2, 1, 2): 0.1e-3 x 0.1e-3 = 0.1e-7, below 0.1e-3 = smallest_normal: +0.
    "underflow flushes to +0": Case((2, 1, 2), F(1, 16), F(1, 16), F(0)),
    "negative underflow flushes to +0": Case((2, 1, 2), F(-1, 16), F(1, 2), F(0)),
    # F(2, 4, 2): 0.1001e-3 x 0.1110e+0 = 0.1111110e-4 is below smallest_normal = 0.1000e-3,
    # but rounds up to it.
    "round-up carry rescues a product below smallest_normal": Case(
        (2, 4, 2), F(9, 128), F(7, 8), F(1, 16)
    ),
    "zero times zero": Case((2, 1, 2), F(0), F(0), F(0)),
    "zero times negative": Case((2, 1, 2), F(0), F(-4), F(0)),
    "negative times zero": Case((3, 1, 2), F(-2, 27), F(0), F(0)),
    "opposite signs": Case((2, 1, 2), F(-1, 2), F(2), F(-1)),
    "opposite signs in base 3": Case((3, 1, 2), F(2, 3), F(-3), F(-2)),
    "both negative": Case((2, 1, 2), F(-1, 2), F(-2), F(1)),
}


def scaled(f: FloatSystem, r: Fraction) -> Fraction:
    """|r| = m x b^e with 1/b <= m < 1: m x b^p, the exact mantissa before rounding."""
    return abs(r) * Fraction(f.b) ** (f.p - exponent_of(r, f.b))


def assert_case_is_what_it_says(name: str, f: FloatSystem, case: Case) -> None:
    exact = case.x * case.y
    got = case.want
    if "tie" in name:
        assert scaled(f, exact).denominator == 2  # exactly halfway between two mantissas
        even = round(scaled(f, exact))  # Fraction rounds half to even
        assert even % 2 == 0 and ("rounds up" in name) == (even > scaled(f, exact))
    if "rounds up" in name or "round up" in name or "round-up" in name:
        assert abs(got) > abs(exact) or abs(exact) > f.largest
    if "rounds down" in name:
        assert 0 < abs(got) < abs(exact)
    if "odd base" in name:
        assert f.b % 2 == 1 and scaled(f, exact).denominator != 1
    if "carr" in name:  # the rounded mantissa is b^p: one more exponent than the exact value
        assert round(scaled(f, exact)) == f.b**f.p
    if "new exponent" in name:
        assert exponent_of(got, f.b) == exponent_of(exact, f.b) + 1
    if "overflow" in name:
        assert got == (f.largest if exact > 0 else -f.largest)
        if "carry" in name:
            assert exponent_of(exact, f.b) == f.emax and exact > f.largest
        else:
            assert exponent_of(exact, f.b) > f.emax
    if "underflow" in name:
        assert 0 < abs(exact) < f.smallest_normal and got == 0
        assert f.encode(got)[1] is False  # +0: fraction sign bit 0
    if "rescues" in name:
        assert 0 < abs(exact) < f.smallest_normal and got == f.smallest_normal
        assert exponent_of(exact, f.b) < -f.emax
    if "zero" in name and "underflow" not in name:
        assert 0 in (case.x, case.y) and got == 0
    if "opposite signs" in name:
        assert (case.x < 0) != (case.y < 0) and got < 0
    if "both negative" in name:
        assert case.x < 0 and case.y < 0 and got > 0


@pytest.mark.parametrize("name", list(CASES))
def test_rounding_boundary(name: str) -> None:
    case = CASES[name]
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    assert f.mul(case.x, case.y) == case.want  # the reference agrees with the hand computation
    assert_case_is_what_it_says(name, f, case)
    program = program_for(b, p, q)
    T = meta_time(program)
    inputs = bit_string(f.encode(case.x) + f.encode(case.y))
    assert reference.satisfies_assumptions(program, inputs)
    trace = reference.simulate(program, inputs, T + 1)
    assert trace[T].print == bit_string(f.encode(case.want)), f.format(case.want)
    assert f.decode(tuple(c == "1" for c in trace[T].print)) == case.want
    assert trace[T].config == trace[T + 1].config
    assert [s.output for s in trace[: T + 1]] == [
        trace[t].config == trace[t + 1].config for t in range(T + 1)
    ]
    assert trace[T + 1].output


def test_every_boundary_kind_is_covered() -> None:
    names = " ".join(CASES)
    for kind in ("tie", "carries into a new exponent", "overflow", "underflow", "zero", "opposite"):
        assert kind in names


# --- halting and time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("b", "p", "q", "engine"),
    [(2, 1, 1, "explicit"), (2, 2, 1, "explicit"), (3, 1, 1, "explicit"), (2, 2, 2, "sat")],
)
def test_halting_at_the_claimed_time(b: int, p: int, q: int, engine: str) -> None:
    program = program_for(b, p, q)
    options = DynamicsOptions(engine=engine)
    halting = check_halting(program, options)
    assert halting.kind is PASS, halting.detail
    transient = check_transient(program, None, options)
    assert transient.kind is PASS and transient.extra["transient"] == meta_time(program)


# --- corrupted programs --------------------------------------------------------------------


def head_sites(program: BnlProgram) -> list[tuple[int, int]]:
    """The mutation sites (verifier.translate.mutate) in the bodies of non-input heads."""
    inputs = set(program.input_names)
    return [s for s in sites(program) if program.heads[s[0]].name not in inputs]


def check_refusal(verdict: Verdict, mutant: BnlProgram, f: FloatSystem, bad: set) -> None:
    """A FAIL naming a failing pair as the paper writes it, with its input replayed."""
    assert verdict.kind is FAIL, verdict.detail
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample)
    row = tuple(c == "1" for c in cex.input)
    x, y = f.decode(row[: f.width]), f.decode(row[f.width :])
    assert verdict.detail.startswith(f"x = {f.format(x)}, y = {f.format(y)}: "), verdict.detail
    match = DETAIL.match(verdict.detail)
    assert match and (match[1], match[2]) == (verdict.extra["x"], verdict.extra["y"])
    assert (x, y) in bad
    assert cex.trace == reference.simulate(mutant, cex.input, len(cex.trace) - 1)


def test_every_flip_is_judged_like_the_oracle() -> None:
    """F(2, 1, 2), every site: FAIL exactly when the oracle finds a failing pair (some flips
    are harmless, e.g. in a head no print bit reads for a valid input)."""
    b, p, q = 2, 1, 2
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q)
    T = meta_time(program)
    refused = 0
    for site in head_sites(program):
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram) and mutant != program
        bad = failing_pairs(mutant, b, p, q, T)
        verdict = check_arith(mutant, EXHAUSTIVE)
        if bad:
            check_refusal(verdict, mutant, f, bad)
        else:
            assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    assert refused >= len(head_sites(program)) // 2


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("b", "p", "q"), [(2, 3, 1), (3, 1, 1), (2, 2, 2)])
def test_random_flips_are_judged_like_the_oracle(b: int, p: int, q: int, seed: int) -> None:
    """A few random sites per seed; at least one of them breaks the program."""
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q)
    T = meta_time(program)
    candidates = head_sites(program)
    random.Random(seed).shuffle(candidates)
    refused = 0
    for site in candidates[:5]:
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram)
        bad = failing_pairs(mutant, b, p, q, T)
        verdict = check_arith(mutant, EXHAUSTIVE)
        if bad:
            check_refusal(verdict, mutant, f, bad)
        else:
            assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    assert refused


# --- encodings/float/ ------------------------------------------------------------------------


def float_files() -> list[Path]:
    return sorted(FLOAT.glob("*.bnl"))


def parameters(path: Path) -> tuple[int, int, int]:
    match = FILE_NAME.match(path.name)
    assert match, path.name
    b, p, q = (int(g) for g in match.groups())
    return b, p, q


def test_the_float_encodings_are_there() -> None:
    assert float_files()
    assert {p.name for p in FLOAT.iterdir()} == {p.name for p in float_files()}


@pytest.mark.parametrize("path", float_files(), ids=lambda p: p.name)
def test_regenerating_is_byte_identical(path: Path, capsys: pytest.CaptureFixture) -> None:
    b, p, q = parameters(path)
    model = generate(f"float-mul base={b} p={p} q={q}")
    assert dumps(model, ".bnl") == path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    f = FloatSystem(p, q, b)
    assert facts["arith"] == f"fmul on {f} x {f} -> {f}"
    assert facts["arith"] == f"fmul on F({p}, {q}, {b}) x F({p}, {q}, {b}) -> F({p}, {q}, {b})"
    assert facts["computation_time"] == meta_time(model) == meta_time(load(path))
