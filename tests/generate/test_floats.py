"""The floating-point multiplication and addition generators (Lemmas 3.8 and 3.7, correctly
rounded): ``verify arith`` passes them exhaustively, an independent bit-parallel simulation against
verifier.arith.floats agrees, the rounding boundaries (ties to even, a carry into a new
exponent, saturation, flushing to +0, zeros, signs; for addition also cancellation and the
far case) print the reference result, the claimed
time T is the real halting time, a program with one literal flipped is refused with the
operands as the paper writes them exactly when the oracle finds it wrong, and
encodings/float/ is what the generator writes today."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
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
from verifier.generate.floats import (
    fadd_program,
    float_assumptions,
    float_input_names,
    fmul_program,
)
from verifier.ir.compile import compile_model
from verifier.ir.simulate import simulate
from verifier.models import AttentionBits, BnlProgram
from verifier.translate.mutate import flip, sites

PASS, FAIL = VerdictKind.PASS, VerdictKind.FAIL
EXHAUSTIVE = ArithOptions(method="exhaustive")
SMALL = [(2, 1, 1), (2, 2, 1), (2, 3, 1), (2, 2, 2), (3, 1, 1), (3, 2, 1), (4, 1, 1), (5, 1, 1)]
"""(b, p, q) checked exhaustively (and (2, 4, 2), the largest, for fmul, (2, 3, 2) for fadd)."""
OPS = ["fmul", "fadd"]
FLOAT = Path(__file__).resolve().parents[2] / "encodings" / "float"
FILE_NAME = re.compile(r"^(fadd|fmul)_b(\d+)_p(\d+)_q(\d+)\.bnl$")
DETAIL = re.compile(r"^x = (\S+), y = (\S+): ")
F = Fraction
GENERATORS: dict[str, Callable[[int, int, int], BnlProgram]] = {
    "fmul": fmul_program,
    "fadd": fadd_program,
}
SPECS = {"fmul": "float-mul", "fadd": "float-add"}
"""The catalog name of each operation."""


def operation(f: FloatSystem, op: str) -> Callable[[Fraction, Fraction], Fraction]:
    """The reference: ``f.mul`` or ``f.add``."""
    return {"fmul": f.mul, "fadd": f.add}[op]


@cache
def program_for(b: int, p: int, q: int, op: str = "fmul") -> BnlProgram:
    return GENERATORS[op](b, p, q)


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


def failing_pairs(program: BnlProgram, b: int, p: int, q: int, T: int, op: str = "fmul") -> set:
    """The operand values of the valid pairs violating a claim of ``verify arith``: the
    assumptions reject them, configuration T is not a fixed point, some round t <= T+1 is an
    output round iff configuration t is not a fixed point, or the print at round T is not
    ``f.encode(f.mul(x, y))`` (``f.add`` for ``op="fadd"``; bit-parallel simulation of rounds
    0 .. T+2)."""
    f = FloatSystem(p, q, b)
    reference_op = operation(f, op)
    inputs, pairs = valid_pairs(b, p, q)
    result = simulate(compile_model(program), inputs, T + 2)
    configs, outputs, prints = result.configs, result.outputs, result.prints
    fixed = np.all(configs[:-1] == configs[1:], axis=2)  # (T+2, runs)
    wrong_outputs = np.any(outputs[: T + 2] != fixed, axis=0)
    encoded: dict[Fraction, tuple[bool, ...]] = {}
    bad = set()
    for k, (x, y) in enumerate(pairs):
        want = reference_op(x, y)
        if want not in encoded:
            encoded[want] = f.encode(want)
        printed = tuple(bool(bit) for bit in prints[T, k])
        if not result.valid[k] or not fixed[T, k] or wrong_outputs[k] or printed != encoded[want]:
            bad.add((x, y))
    return bad


# --- the generated programs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "b", "p", "q"),
    [("fmul", *s) for s in [*SMALL, (2, 4, 2)]] + [("fadd", *s) for s in [*SMALL, (2, 3, 2)]],
)
def test_exhaustive_check_passes(op: str, b: int, p: int, q: int) -> None:
    program = program_for(b, p, q, op)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    count = FloatSystem(p, q, b).count()
    assert verdict.extra["inputs_checked"] == count**2
    assert verdict.extra["op"] == op and verdict.extra["time"] == meta_time(program)
    assert (verdict.extra["base"], verdict.extra["p"], verdict.extra["q"]) == (b, p, q)
    assert f"all {count**2} valid operand pairs of F({p}, {q}, {b})" in verdict.detail


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize(("b", "p", "q"), [(2, 1, 2), (2, 3, 1), (3, 2, 1), (4, 1, 1)])
def test_the_oracle_agrees_on_the_correct_programs(op: str, b: int, p: int, q: int) -> None:
    program = program_for(b, p, q, op)
    assert failing_pairs(program, b, p, q, meta_time(program), op) == set()


@pytest.mark.parametrize("op", OPS)
def test_the_oracle_sees_a_wrong_program(op: str) -> None:
    """A program claiming one round too few is caught (not a fixed point by then), and so is
    the other operation's program (the oracle really compares against ``op``)."""
    program = program_for(2, 2, 1, op)
    T = meta_time(program)
    assert failing_pairs(program, 2, 2, 1, T - 1, op)
    other = next(o for o in OPS if o != op)
    assert failing_pairs(program, 2, 2, 1, T, other)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize(("b", "p", "q"), [*SMALL, (2, 4, 2), (3, 1, 2), (10, 1, 1)])
def test_meta_line_and_interface(op: str, b: int, p: int, q: int) -> None:
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q, op)
    T = meta_time(program)
    assert T >= 1
    assert program.meta == (
        f"arith op={op} encoding=float base={b} p={p} q={q} time={T} operands=x,y",
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


@pytest.mark.parametrize("op", OPS)
def test_assumptions_admit_exactly_the_normalized_encodings(op: str) -> None:
    """Every one of the 2^width bit strings of F(2, 1, 2): accepted iff it decodes and is the
    canonical encoding of its value."""
    f = FloatSystem(1, 2, 2)
    program = program_for(2, 1, 2, op)
    valid = {f.encode(v) for v in f.values()}
    zero_y = f.encode(0)
    for n in range(1 << f.width):
        x = tuple(bool(n >> (f.width - 1 - i) & 1) for i in range(f.width))
        accepted = reference.satisfies_assumptions(program, x + zero_y)
        assert accepted == (x in valid), bit_string(x)


@pytest.mark.parametrize("op", OPS)
def test_catalog_cli_and_bad_parameters(
    op: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert generate(f"{SPECS[op]} base=3 p=2 q=1") == program_for(3, 2, 1, op)
    path = tmp_path / f"{op}.bnl"
    assert main(["gen", op, "--base", "2", "-p", "2", "-q", "2", "-o", str(path)]) == 0
    assert load(path) == program_for(2, 2, 2, op)
    capsys.readouterr()
    assert main(["arith", str(path)]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    for base, p, q in [(1, 1, 1), (2, 0, 1), (2, 1, 0), (True, 1, 1)]:
        with pytest.raises(ValueError, match="needs"):
            GENERATORS[op](base, p, q)


# --- the rounding boundaries, one input each through the reference simulator --------------


@dataclass(frozen=True)
class Case:
    system: tuple[int, int, int]  # (b, p, q)
    x: Fraction
    y: Fraction
    want: Fraction  # round(x * y) (round(x + y) in ADD_CASES), by hand


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


def assert_rounding_is_what_it_says(
    name: str, f: FloatSystem, exact: Fraction, got: Fraction
) -> None:
    """The rounding phrases of a case name (tie, rounds up or down, odd base, carry into a new
    exponent, overflow) hold of the exact result and the rounded one."""
    if "tie" in name:
        assert scaled(f, exact).denominator == 2  # exactly halfway between two mantissas
        even = round(scaled(f, exact))  # Fraction rounds half to even
        assert even % 2 == 0 and ("rounds up" in name) == (even > scaled(f, exact))
    if "rounds up" in name or "round up" in name or "round-up" in name:
        assert abs(got) > abs(exact) or abs(exact) > f.largest
    if "rounds down" in name:
        assert 0 < abs(got) < abs(exact)
    if "odd base" in name:  # no ties: never a whole or half mantissa
        assert f.b % 2 == 1 and scaled(f, exact).denominator not in (1, 2)
    if "carr" in name:  # the rounded mantissa is b^p: one more exponent than the exact value
        assert round(scaled(f, exact)) == f.b**f.p
    if "new exponent" in name:
        assert exponent_of(got, f.b) == exponent_of(exact, f.b) + 1
    if "overflow" in name:
        assert got == (f.largest if exact > 0 else -f.largest)
        assert ("-largest" in name) == (exact < 0)
        if "carry" in name:
            assert exponent_of(exact, f.b) == f.emax and exact > f.largest
        else:
            assert exponent_of(exact, f.b) > f.emax


def assert_case_is_what_it_says(name: str, f: FloatSystem, case: Case) -> None:
    exact = case.x * case.y
    got = case.want
    assert_rounding_is_what_it_says(name, f, exact, got)
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


def assert_prints(op: str, case: Case) -> None:
    """One input (x, y) through the reference simulator: valid, the print at the claimed time
    T is the encoding of ``case.want``, T is a fixed point and the output rounds are exactly
    the fixed-point rounds."""
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q, op)
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


@pytest.mark.parametrize("name", list(CASES))
def test_rounding_boundary(name: str) -> None:
    case = CASES[name]
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    assert f.mul(case.x, case.y) == case.want  # the reference agrees with the hand computation
    assert_case_is_what_it_says(name, f, case)
    assert_prints("fmul", case)


def test_every_boundary_kind_is_covered() -> None:
    names = " ".join(CASES)
    for kind in ("tie", "carries into a new exponent", "overflow", "underflow", "zero", "opposite"):
        assert kind in names


# --- halting and time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "b", "p", "q", "engine"),
    [
        ("fmul", 2, 1, 1, "explicit"),
        ("fmul", 2, 2, 1, "explicit"),
        ("fmul", 3, 1, 1, "explicit"),
        ("fmul", 2, 2, 2, "sat"),
        ("fadd", 2, 1, 1, "explicit"),
        ("fadd", 3, 1, 1, "explicit"),
        ("fadd", 2, 2, 1, "sat"),
    ],
)
def test_halting_at_the_claimed_time(op: str, b: int, p: int, q: int, engine: str) -> None:
    program = program_for(b, p, q, op)
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


def judge_flips(op: str, b: int, p: int, q: int, chosen: list[tuple[int, int]]) -> int:
    """Flip each site of ``chosen`` in the ``op`` program of F(p, q, b): ``verify arith``
    refuses the mutant (check_refusal) exactly when the oracle finds a failing pair, else it
    passes. The number refused."""
    f = FloatSystem(p, q, b)
    program = program_for(b, p, q, op)
    T = meta_time(program)
    refused = 0
    for site in chosen:
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram) and mutant != program
        bad = failing_pairs(mutant, b, p, q, T, op)
        verdict = check_arith(mutant, EXHAUSTIVE)
        if bad:
            check_refusal(verdict, mutant, f, bad)
        else:
            assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    return refused


def random_sites(op: str, b: int, p: int, q: int, seed: int, count: int) -> list[tuple[int, int]]:
    candidates = head_sites(program_for(b, p, q, op))
    random.Random(seed).shuffle(candidates)
    return candidates[:count]


def test_every_flip_is_judged_like_the_oracle() -> None:
    """F(2, 1, 2), every site: FAIL exactly when the oracle finds a failing pair (some flips
    are harmless, e.g. in a head no print bit reads for a valid input)."""
    b, p, q = 2, 1, 2
    chosen = head_sites(program_for(b, p, q))
    assert judge_flips("fmul", b, p, q, chosen) >= len(chosen) // 2


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("b", "p", "q"), [(2, 3, 1), (3, 1, 1), (2, 2, 2)])
def test_random_flips_are_judged_like_the_oracle(b: int, p: int, q: int, seed: int) -> None:
    """A few random sites per seed; at least one of them breaks the program."""
    assert judge_flips("fmul", b, p, q, random_sites("fmul", b, p, q, seed, 5))


# --- encodings/float/ ------------------------------------------------------------------------


def float_files() -> list[Path]:
    """The fmul and fadd programs (the one-operand files: tests/generate/test_float_unary.py)."""
    return sorted(path for path in FLOAT.glob("*.bnl") if FILE_NAME.match(path.name))


def parameters(path: Path) -> tuple[str, int, int, int]:
    """(op, b, p, q) from ``{op}_b{b}_p{p}_q{q}.bnl``."""
    match = FILE_NAME.match(path.name)
    assert match, path.name
    b, p, q = (int(g) for g in match.groups()[1:])
    return match[1], b, p, q


ONE_OPERAND_FILES = {
    "fnormalize_b10_p1_q1.bnl",
    "fnormalize_b2_p2_q2.bnl",
    "fnormalize_b2_p4_q2.bnl",
    "fnormalize_b3_p2_q1.bnl",
    "relu_b2_p4_q2.bnl",
    "heaviside_b2_p4_q2.bnl",
    "smooth_relu_b2_p4_q2.bnl",
    "smooth_relu.toml",
}
"""The normalization and polynomial files (checked by tests/generate/test_float_unary.py)."""


def test_the_float_encodings_are_there() -> None:
    """fmul and fadd programs named by their parameters, both operations, and exactly the
    one-operand files; nothing else."""
    assert float_files()
    names = {p.name for p in FLOAT.iterdir()}
    assert names == {p.name for p in float_files()} | ONE_OPERAND_FILES
    assert {parameters(path)[0] for path in float_files()} == set(OPS)


@pytest.mark.parametrize("path", float_files(), ids=lambda p: p.name)
def test_regenerating_is_byte_identical(path: Path, capsys: pytest.CaptureFixture) -> None:
    op, b, p, q = parameters(path)
    model = generate(f"{SPECS[op]} base={b} p={p} q={q}")
    assert model == program_for(b, p, q, op)
    assert dumps(model, ".bnl") == path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    f = FloatSystem(p, q, b)
    assert facts["arith"] == f"{op} on {f} x {f} -> {f}"
    assert facts["arith"] == f"{op} on F({p}, {q}, {b}) x F({p}, {q}, {b}) -> F({p}, {q}, {b})"
    assert facts["computation_time"] == meta_time(model) == meta_time(load(path))


# --- addition: the boundaries of round(x + y), one input each ------------------------------


ADD_CASES = {
    # F(2, 3, 1): 0.101e+0 + -0.101e+0 = 0: +0, canonically encoded.
    "exact cancellation gives +0": Case((2, 3, 1), F(5, 8), F(-5, 8), F(0)),
    "exact cancellation of a negative x gives +0": Case((2, 3, 1), F(-3, 2), F(3, 2), F(0)),
    # F(2, 4, 2): 0.1001e+1 - 0.1000e+1 = 0.0001e+1 = 0.1000e-2: three binades lower, exact.
    "massive cancellation is exact": Case((2, 4, 2), F(9, 8), F(-1), F(1, 8)),
    # F(2, 4, 2): -0.1000e+1 + 0.1111e+0 = -0.0001e+0 = -0.1000e-3: four binades lower.
    "massive cancellation with a negative result is exact": Case(
        (2, 4, 2), F(-1), F(15, 16), F(-1, 16)
    ),
    # F(2, 2, 2): 0.11e+3 + 0.10e-3: exponents 6 > p + 2 = 4 apart: the larger.
    "far case gives the larger operand": Case((2, 2, 2), F(6), F(1, 16), F(6)),
    # F(2, 2, 2): 0.10e+2 - 0.11e-3 = 0.0111101e+2 = 0.111101e+1: exponents p + 3 = 5 apart,
    # the exact difference lies in the binade below 0.10e+2, and rounds back up to it.
    "far case subtracted from a power of b rounds back to it": Case(
        (2, 2, 2), F(2), F(-3, 32), F(2)
    ),
    # F(2, 3, 2): 0.100e+3 - 0.111e-3 = 0.11111001e+2: exponents 6 > 5 apart, back to 4.
    "far case subtracted from a power of b rounds back to it, p = 3": Case(
        (2, 3, 2), F(4), F(-7, 64), F(4)
    ),
    # F(3, 1, 2): 0.1e+1 - 0.2e-3 = 0.2222e+0 (base 3): exponents 4 > 3 apart, back to 1.
    "far case subtracted from a power of b rounds back to it in base 3": Case(
        (3, 1, 2), F(1), F(-2, 81), F(1)
    ),
    # F(2, 3, 2): 0.100e+1 + 0.100e-2 = 0.1001e+1: 100|1 is a tie, 100 even: down.
    "tie to even rounds down in base 2": Case((2, 3, 2), F(1), F(1, 8), F(1)),
    # F(2, 3, 2): 0.101e+1 + 0.100e-2 = 0.1011e+1: 101|1 is a tie, 101 odd: up to 0.110e+1.
    "tie to even rounds up in base 2": Case((2, 3, 2), F(5, 4), F(1, 8), F(3, 2)),
    # F(2, 3, 2): 0.100e+1 - 0.100e-3 = 0.1111e+0: 111|1 is a tie, 111 odd: up to 1000, which
    # carries back into the exponent of x: 0.100e+1.
    "tie after a subtraction rounds up and carries into a new exponent": Case(
        (2, 3, 2), F(1), F(-1, 16), F(1)
    ),
    # F(4, 1, 1): 0.1e+1 + 0.2e+0 = 0.12e+1 (base 4): 1|2 is a tie, 1 odd: up to 0.2e+1.
    "tie to even rounds up in base 4": Case((4, 1, 1), F(1), F(1, 2), F(2)),
    # F(4, 1, 1): 0.2e+1 + 0.2e+0 = 0.22e+1: 2|2 is a tie, 2 even: down to 0.2e+1.
    "tie to even rounds down in base 4": Case((4, 1, 1), F(2), F(1, 2), F(2)),
    # F(3, 2, 1): 0.10e+1 + 0.12e-1 = 0.1012e+1 (base 3): 10|12, 12 > half: up to 0.11e+1.
    "odd base rounds up": Case((3, 2, 1), F(1), F(5, 27), F(4, 3)),
    # F(3, 2, 1): 0.10e+1 + 0.11e-1 = 0.1011e+1: 10|11, 11 < half: down to 0.10e+1.
    "odd base rounds down": Case((3, 2, 1), F(1), F(4, 27), F(1)),
    # F(2, 3, 2): 0.111e+0 + 0.110e-3 = 0.11111e+0: 111|11 is above half: 1000, carried into
    # one more exponent: 0.100e+1.
    "round up carries into a new exponent": Case((2, 3, 2), F(7, 8), F(3, 32), F(1)),
    # F(2, 2, 1): 0.11e+1 + 0.11e+1 = 0.11e+2: exponent 2 > emax = 1: saturates.
    "overflow saturates to +largest": Case((2, 2, 1), F(3, 2), F(3, 2), F(3, 2)),
    "overflow saturates to -largest": Case((2, 2, 1), F(-3, 2), F(-3, 2), F(-3, 2)),
    # F(2, 3, 2): 0.111e+3 + 0.101e+0 = 0.111101e+3 is in range, rounding up carries it out.
    "round-up carry overflows and saturates": Case((2, 3, 2), F(7), F(5, 8), F(7)),
    # F(2, 3, 1): 0.101e-1 - 0.100e-1 = 0.001e-1 is below smallest_normal = 0.100e-1: +0.
    "difference below smallest_normal flushes to +0": Case((2, 3, 1), F(5, 16), F(-1, 4), F(0)),
    "negative difference below smallest_normal flushes to +0": Case(
        (2, 3, 1), F(1, 4), F(-5, 16), F(0)
    ),
    "zero plus y is y": Case((2, 3, 1), F(0), F(-5, 8), F(-5, 8)),
    "x plus zero is x": Case((2, 3, 1), F(7, 4), F(0), F(7, 4)),
    "zero plus smallest_normal is smallest_normal": Case((3, 1, 2), F(0), F(1, 3**9), F(1, 3**9)),
    "zero plus zero is +0": Case((2, 3, 1), F(0), F(0), F(0)),
    # F(2, 3, 1): 0.101e+0 - 0.110e+1 = -0.111e+0: |y| > |x|, y's sign.
    "opposite signs take the sign of the larger y": Case((2, 3, 1), F(5, 8), F(-3, 2), F(-7, 8)),
    "opposite signs take the sign of the larger positive y": Case(
        (2, 3, 1), F(-1, 2), F(3, 2), F(1)
    ),
    # F(2, 3, 1): 0.101e+1 - 0.111e+1: same exponent, the fractions decide: -0.100e+0.
    "opposite signs with the same exponent take the sign of the larger y": Case(
        (2, 3, 1), F(5, 4), F(-7, 4), F(-1, 2)
    ),
}


def assert_sum_case_is_what_it_says(name: str, f: FloatSystem, case: Case) -> None:
    """Each phrase of ``name`` holds of the operands and the exact sum."""
    x, y, got = case.x, case.y, case.want
    exact = x + y
    opposite = x != 0 and y != 0 and (x < 0) != (y < 0)
    big, small = (x, y) if abs(x) >= abs(y) else (y, x)
    base = re.search(r"in base (\d+)", name)
    if base:
        assert f.b == int(base[1])
    if "exact cancellation" in name:
        assert x == -y != 0 and got == 0
    if "+0" in name:
        assert got == 0 and f.encode(got) == f.encode(0) and f.encode(got)[1] is False
    if "massive cancellation" in name:  # close numbers, several binades lost, no rounding
        assert opposite and got == exact != 0
        assert abs(exponent_of(x, f.b) - exponent_of(y, f.b)) <= 1
        assert exponent_of(exact, f.b) <= exponent_of(big, f.b) - 3
        assert ("negative result" in name) == (got < 0)
    if "far case" in name:
        assert exponent_of(big, f.b) - exponent_of(small, f.b) > f.p + 2
        assert got == big != exact
    if "power of b" in name:  # big = 0.10..0 x b^e, and big - |small| falls in the binade below
        assert f.split(big)[2] == f.b ** (f.p - 1)
        assert opposite and exponent_of(exact, f.b) == exponent_of(big, f.b) - 1
        assert round(scaled(f, exact)) == f.b**f.p  # it rounds up out of that binade
    if "p = 3" in name:
        assert f.p == 3
    assert_rounding_is_what_it_says(name, f, exact, got)
    if "subtraction" in name:
        assert opposite
    if "flushes" in name:
        assert opposite and 0 < abs(exact) < f.smallest_normal and got == 0
        assert ("negative difference" in name) == (exact < 0)
    if "zero" in name:
        assert 0 in (x, y) and got == exact  # no rounding: the other operand itself
    if "smallest_normal is" in name:
        assert got == f.smallest_normal
    if "opposite signs" in name:
        assert opposite and abs(y) > abs(x) and (got < 0) == (y < 0) and got != 0
        assert ("positive y" in name) == (y > 0)
    if "same exponent" in name:
        assert exponent_of(x, f.b) == exponent_of(y, f.b)


@pytest.mark.parametrize("name", list(ADD_CASES))
def test_addition_boundary(name: str) -> None:
    case = ADD_CASES[name]
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    assert f.add(case.x, case.y) == case.want  # the reference agrees with the hand computation
    assert f.add(case.y, case.x) == case.want
    assert_sum_case_is_what_it_says(name, f, case)
    assert_prints("fadd", case)


def test_every_addition_boundary_kind_is_covered() -> None:
    names = " ".join(ADD_CASES)
    kinds = [
        "exact cancellation",
        "massive cancellation",
        "far case",
        "power of b",
        "tie to even rounds up in base 2",
        "tie to even rounds down in base 2",
        "tie to even rounds up in base 4",
        "tie to even rounds down in base 4",
        "odd base rounds up",
        "odd base rounds down",
        "carries into a new exponent",
        "overflow saturates to +largest",
        "overflow saturates to -largest",
        "flushes to +0",
        "zero plus y",
        "zero plus zero",
        "opposite signs",
    ]
    for kind in kinds:
        assert kind in names, kind


# --- addition: corrupted programs ------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("b", "p", "q"), [(2, 2, 1), (3, 1, 1)])
def test_random_fadd_flips_are_judged_like_the_oracle(b: int, p: int, q: int, seed: int) -> None:
    """Six random sites per seed of the (larger) fadd programs; at least one breaks it."""
    assert judge_flips("fadd", b, p, q, random_sites("fadd", b, p, q, seed, 6))


@pytest.mark.parametrize(
    ("b", "p", "q", "window", "detail"),
    [
        (2, 3, 1, 3, "x = -0.111e+1, y = 0.111e-1: expected -0.101e+1, program gives -0.110e+1"),
        (2, 3, 2, 6, "x = -0.100e+3, y = 0.101e-1: expected -0.111e+2, program gives -0.100e+3"),
    ],
)
def test_the_papers_literal_alignment_is_refuted(
    b: int, p: int, q: int, window: int, detail: str
) -> None:
    """Dropping the smaller fraction's digits shifted out of a narrower window (the paper's
    text: shift into p digits, add, normalize) rounds wrongly; the tool finds the pair named
    in docs/arithmetic.md. The full window passes on the same system."""
    verdict = check_arith(fadd_program(b, p, q, window=window))
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.detail == detail
    assert check_arith(fadd_program(b, p, q)).kind is VerdictKind.PASS


def test_window_bounds() -> None:
    for window in (1, 2 * 2 + 3):
        with pytest.raises(ValueError, match="window must hold p to 2p \\+ 2 digits"):
            fadd_program(2, 2, 1, window=window)


@pytest.mark.parametrize("build", [fadd_program, fmul_program], ids=["fadd", "fmul"])
@pytest.mark.parametrize(("b", "p", "q"), [(2, 2, 1), (2, 3, 2), (3, 2, 1), (4, 1, 1)])
def test_sat_method_agrees(build, b: int, p: int, q: int) -> None:  # type: ignore[no-untyped-def]
    """The SAT method (symbolic float reference, sweeping) proves the correct programs and
    refutes corrupted ones with the same kind of verdict as the exhaustive method."""
    program = build(b, p, q)
    sat = check_arith(program, ArithOptions(method="sat"))
    assert sat.kind is PASS and sat.method.startswith("sat"), sat.detail
    for seed in range(3):
        mutant = flip(program, random.Random(seed).choice(sites(program)))
        exhaustive = check_arith(mutant, ArithOptions(method="exhaustive"))
        refuted = check_arith(mutant, ArithOptions(method="sat"))
        assert refuted.kind is exhaustive.kind, (seed, refuted.detail, exhaustive.detail)
        if refuted.kind is FAIL:
            assert refuted.detail.startswith("x = ") and ", y = " in refuted.detail
            assert isinstance(refuted.counterexample, RunCounterexample)
