"""The one-operand float programs: normalization of a raw number (Lemma 3.6,
:func:`fnormalize_program`) and piecewise polynomials (Theorem 3.9, :func:`poly_program`).

``verify arith`` passes them exhaustively; an independent bit-parallel simulation (its own
enumeration of the raw encodings, its own rounding) agrees with verifier.arith.floats; the
assumptions admit every raw encoding and only one-hot digits; the normalization boundaries
(zero fractions with either sign, exponent 0 written with sign 1, d0 != 0, leading zeros,
ties, carries into a new exponent, saturation, flushing, rescue to smallest_normal, odd base)
print the reference result; the exact shortcuts of a polynomial (0 * x, 1 * x, -1 * x, 0 + x)
hold for negative and zero x; random piece lists are evaluated like the reference; the claimed
time is the real halting time; a program with one literal flipped is refused, with the operand
as the paper writes it, exactly when the oracle finds it wrong; and the one-operand files of
encodings/float/ are what the generators write today."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import reference
from verifier.arith.floats import FloatSystem, Piece, RawFloat, RawSystem, Term, exponent_of
from verifier.arith.pieces import SHORTCUTS, format_pieces, load_pieces, parse_pieces
from verifier.checks.arith import ArithOptions, check_arith
from verifier.checks.dynamics import DynamicsOptions, check_halting, check_transient
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.cli.main import main
from verifier.formats.registry import dumps, load
from verifier.generate.catalog import generate
from verifier.generate.floats import (
    float_assumptions,
    float_input_names,
    fnormalize_program,
    poly_program,
    raw_input_names,
)
from verifier.ir.compile import compile_model
from verifier.ir.simulate import simulate
from verifier.models import AttentionBits, BnlProgram
from verifier.translate.mutate import flip, sites

PASS, FAIL = VerdictKind.PASS, VerdictKind.FAIL
EXHAUSTIVE = ArithOptions(method="exhaustive")
FLOAT = Path(__file__).resolve().parents[2] / "encodings" / "float"
F = Fraction
SMOOTH_RELU = ("..-2: 0", "-2..2: 1/8*x^2 + 1/2*x + 1/2", "2..: x")
DETAIL = re.compile(r"^x = (\S+): ")
NORMALIZE_FILE = re.compile(r"^fnormalize_b(\d+)_p(\d+)_q(\d+)\.bnl$")


@cache
def normalizer(
    b: int, p: int, q: int, raw_p: int | None = None, raw_q: int | None = None
) -> BnlProgram:
    return fnormalize_program(b, p, q, raw_p, raw_q)


@cache
def polynomial(b: int, p: int, q: int, pieces: tuple[Piece, ...]) -> BnlProgram:
    return poly_program(b, p, q, pieces)


def shortcut(name: str) -> tuple[Piece, ...]:
    return parse_pieces(SHORTCUTS[name])


def raw_of(b: int, p: int, q: int, raw_p: int | None, raw_q: int | None) -> RawSystem:
    """The raw system of ``fnormalize_program(b, p, q, raw_p, raw_q)`` (p' = p + 1, q' = q)."""
    return RawSystem(p + 1 if raw_p is None else raw_p, q if raw_q is None else raw_q, b)


def meta_fields(program: BnlProgram) -> dict[str, str]:
    (line,) = [m for m in program.meta if m.startswith("arith ")]
    return dict(token.split("=", 1) for token in line.split()[1:])


def meta_time(program: BnlProgram) -> int:
    return int(meta_fields(program)["time"])


def bit_string(bits: Sequence[bool]) -> str:
    return "".join("1" if bit else "0" for bit in bits)


# --- an oracle independent of verify arith --------------------------------------------------


def one_hot(d: int, b: int) -> tuple[bool, ...]:
    return tuple(i == d for i in range(b))


@cache
def raw_inputs(b: int, raw_p: int, raw_q: int) -> tuple[np.ndarray, tuple[RawFloat, ...]]:
    """Every raw encoding of F*(raw_p, raw_q, b), built here (not by RawSystem): both signs,
    every exponent digit pattern (so exponent 0 with either sign), every digit pattern of
    d0 .. dp'; with the raw number each one means."""
    rows, values = [], []
    for exponent_negative, negative in itertools.product((False, True), repeat=2):
        for exponent_digits in itertools.product(range(b), repeat=raw_q):
            magnitude = 0
            for d in exponent_digits:  # most significant first
                magnitude = magnitude * b + d
            for digits in itertools.product(range(b), repeat=raw_p + 1):
                bits = [exponent_negative, negative]
                for d in (*exponent_digits, *digits):
                    bits += one_hot(d, b)
                rows.append(bits)
                e = -magnitude if exponent_negative else magnitude
                values.append(RawFloat(negative, digits, e))
    return np.array(rows, dtype=bool), tuple(values)


@cache
def float_inputs(b: int, p: int, q: int) -> tuple[np.ndarray, tuple[Fraction, ...]]:
    f = FloatSystem(p, q, b)
    values = tuple(f.values())
    return np.array([f.encode(v) for v in values], dtype=bool), values


def hand_round(f: FloatSystem, r: Fraction) -> Fraction:
    """DESIGN 2.8's rounding written out independently of FloatSystem.round: |r| = m b^e with
    1/b <= m < 1, m b^p rounded half to even (Fraction's round), a carry renormalized, then
    saturation above b^emax and flushing below b^-(emax+1)."""
    if r == 0:
        return F(0)
    b, p, magnitude = f.b, f.p, abs(r)
    e = 0
    while magnitude >= F(b) ** e:
        e += 1
    while magnitude < F(b) ** (e - 1):
        e -= 1
    mantissa = round(magnitude * F(b) ** (p - e))
    if mantissa == b**p:
        mantissa, e = b ** (p - 1), e + 1
    if e > f.emax:
        out = (1 - F(b) ** -p) * F(b) ** f.emax
    elif e < -f.emax:
        return F(0)
    else:
        out = mantissa * F(b) ** (e - p)
    return out if r > 0 else -out


def hand_poly(f: FloatSystem, pieces: Sequence[Piece], x: Fraction) -> Fraction:
    """The first piece containing x; every term's factors (a, x, .., x) and then the terms
    multiplied/added pairwise level by level, each result hand-rounded."""

    def reduce(values: list[Fraction], op: Callable[[Fraction, Fraction], Fraction]) -> Fraction:
        while len(values) > 1:
            values = [op(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)] + (
                values[-1:] if len(values) % 2 else []
            )
        return values[0]

    piece = next(pc for pc in pieces if pc.contains(x))
    terms = [
        reduce([t.coefficient] + [x] * t.power, lambda u, v: hand_round(f, u * v))
        for t in piece.terms
    ]
    return reduce(terms, lambda u, v: hand_round(f, u + v)) if terms else F(0)


def wrong_runs(program: BnlProgram, inputs: np.ndarray, want: Sequence[tuple[bool, ...]]) -> set:
    """The rows violating a claim of ``verify arith`` with the claimed time T: the assumptions
    reject them, configuration T is not a fixed point, some round t <= T+1 is an output round
    iff configuration t is not a fixed point, or the print at round T is not ``want[row]``
    (bit-parallel simulation of rounds 0 .. T+2)."""
    T = meta_time(program)
    result = simulate(compile_model(program), inputs, T + 2)
    configs = result.configs
    fixed = np.all(configs[:-1] == configs[1:], axis=2)  # (T+2, runs)
    wrong_outputs = np.any(result.outputs[: T + 2] != fixed, axis=0)
    bad = set()
    for k, expected in enumerate(want):
        printed = tuple(bool(bit) for bit in result.prints[T, k])
        if not result.valid[k] or not fixed[T, k] or wrong_outputs[k] or printed != expected:
            bad.add(k)
    return bad


def never_fixed_before(program: BnlProgram, inputs: np.ndarray) -> bool:
    """No run is at a fixed point at round T-1: T is the exact halting time of every input."""
    T = meta_time(program)
    configs = simulate(compile_model(program), inputs, T).configs
    return bool(np.all(np.any(configs[T - 1] != configs[T], axis=1)))


def normalize_failures(program: BnlProgram, f: FloatSystem, raw: RawSystem) -> set[int]:
    """The rows of :func:`raw_inputs` on which the program is wrong (reference:
    ``f.normalize``)."""
    inputs, values = raw_inputs(raw.b, raw.p, raw.q)
    encoded: dict[Fraction, tuple[bool, ...]] = {}
    want = []
    for x in values:
        value = f.normalize(x)
        want.append(encoded.setdefault(value, f.encode(value)))
    return wrong_runs(program, inputs, want)


def poly_failures(program: BnlProgram, f: FloatSystem, pieces: Sequence[Piece]) -> set[Fraction]:
    """The x of F(p, q, b) on which the program is wrong (reference: ``f.poly``)."""
    inputs, values = float_inputs(f.b, f.p, f.q)
    bad = wrong_runs(program, inputs, [f.encode(f.poly(pieces, x)) for x in values])
    return {values[k] for k in bad}


# --- normalization: exhaustive ----------------------------------------------------------------


NORMALIZE_SYSTEMS = [
    # (b, p, q, raw_p, raw_q); None: the default p' = p + 1, q' = q
    (2, 1, 1, None, None),
    (2, 2, 1, None, None),
    (2, 3, 1, None, None),
    (2, 2, 2, None, None),
    (2, 1, 2, None, None),
    (3, 1, 1, None, None),
    (3, 2, 1, None, None),
    (4, 1, 1, None, None),
    (10, 1, 1, None, None),
    (2, 2, 1, 1, None),  # p' = 1 < p
    (2, 3, 1, 1, None),
    (2, 3, 1, 2, None),
    (2, 2, 1, 2, None),  # p' = p
    (2, 2, 1, 4, None),  # p' = 2p
    (2, 3, 1, 6, None),
    (2, 1, 1, 3, None),
    (2, 2, 1, None, 2),  # q' = q + 1: exponents beyond emax
    (2, 1, 1, None, 3),
    (2, 2, 2, None, 3),
    (2, 2, 2, None, 1),  # q' < q
    (2, 1, 2, 1, 1),
    (3, 2, 1, 1, None),
    (3, 1, 1, 3, None),
    (3, 1, 1, None, 2),
    (3, 1, 2, None, 1),
    (4, 1, 1, 3, None),
    (4, 2, 1, 1, None),
    (4, 1, 1, None, 2),
    (10, 2, 1, 1, None),
]


def system_id(system: tuple) -> str:
    b, p, q, raw_p, raw_q = system
    return f"b{b}p{p}q{q}" + (f"-rp{raw_p}" if raw_p else "") + (f"-rq{raw_q}" if raw_q else "")


@pytest.mark.parametrize("system", NORMALIZE_SYSTEMS, ids=system_id)
def test_normalize_exhaustive_check_passes(system: tuple) -> None:
    b, p, q = system[:3]
    raw = raw_of(*system)
    program = normalizer(*system)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    assert verdict.extra["inputs_checked"] == raw.count() == 4 * b ** (raw.q + 1 + raw.p)
    assert verdict.extra["op"] == "fnormalize" and verdict.extra["time"] == meta_time(program)
    assert (verdict.extra["base"], verdict.extra["p"], verdict.extra["q"]) == (b, p, q)
    assert (verdict.extra["raw_p"], verdict.extra["raw_q"]) == (raw.p, raw.q)
    assert f"all {raw.count()} valid inputs of F*({raw.p}, {raw.q}, {b})" in verdict.detail


@pytest.mark.parametrize(
    "system",
    [s for s in NORMALIZE_SYSTEMS if s[0] != 10] + [(10, 2, 1, 1, None)],
    ids=system_id,
)
def test_normalize_oracle_agrees(system: tuple) -> None:
    """Every raw encoding (this file's own enumeration) simulated bit-parallel prints
    ``FloatSystem.normalize``; no run halts before the claimed time."""
    raw = raw_of(*system)
    b, p, q = system[:3]
    program = normalizer(*system)
    assert normalize_failures(program, FloatSystem(p, q, b), raw) == set()
    assert never_fixed_before(program, raw_inputs(raw.b, raw.p, raw.q)[0])


def test_the_oracle_sees_a_wrong_normalizer() -> None:
    """One round too few, or a wrong print string, is caught."""
    program = normalizer(2, 2, 1)
    raw = raw_of(2, 2, 1, None, None)
    T = meta_time(program)
    lying = BnlProgram(
        heads=program.heads,
        print_=program.print_,
        attention=program.attention,
        assumptions=program.assumptions,
        meta=tuple(m.replace(f"time={T}", f"time={T - 1}") for m in program.meta),
    )
    assert normalize_failures(lying, FloatSystem(2, 1, 2), raw)
    # the last fraction digit's two print predicates swapped: every print is wrong
    *rest, d0, d1 = program.print_
    swapped = BnlProgram(
        heads=program.heads,
        print_=(*rest, d1, d0),
        attention=program.attention,
        assumptions=program.assumptions,
        meta=program.meta,
    )
    assert normalize_failures(swapped, FloatSystem(2, 1, 2), raw) == set(range(raw.count()))


@pytest.mark.parametrize(
    ("b", "raw_p", "raw_q"), [(2, 1, 1), (2, 3, 2), (3, 2, 1), (4, 1, 2), (10, 2, 1)]
)
def test_my_enumeration_is_every_raw_encoding(b: int, raw_p: int, raw_q: int) -> None:
    """The oracle's inputs are exactly RawSystem.valid_encodings, decoded alike (exponent 0
    with sign 1 reads as exponent 0), including -0.0..0 fractions."""
    raw = RawSystem(raw_p, raw_q, b)
    rows, values = raw_inputs(b, raw_p, raw_q)
    mine = [tuple(bool(x) for x in row) for row in rows]
    theirs = list(raw.valid_encodings())
    assert len(mine) == len(set(mine)) == raw.count() == len(theirs)
    assert set(mine) == set(theirs)
    for bits, value in zip(mine, values, strict=True):
        assert raw.decode(bits) == value
    assert any(bits[0] and v.exponent == 0 for bits, v in zip(mine, values, strict=True))
    assert any(v.negative and not any(v.digits) for v in values)


@pytest.mark.parametrize(
    ("b", "p", "q", "raw_p", "raw_q"),
    [(2, 2, 1, 3, 2), (2, 1, 2, 4, 1), (3, 2, 1, 3, 1), (4, 1, 1, 2, 2), (10, 1, 1, 2, 1)],
)
def test_the_reference_normalization_is_the_hand_rounding(
    b: int, p: int, q: int, raw_p: int, raw_q: int
) -> None:
    """FloatSystem.normalize (the oracle's reference) equals this file's own rounding of the
    raw value, for every raw number."""
    f = FloatSystem(p, q, b)
    for x in raw_inputs(b, raw_p, raw_q)[1]:
        assert f.normalize(x) == hand_round(f, x.value(b)), x


@pytest.mark.parametrize(
    ("b", "p", "q", "raw_p", "raw_q"), [(2, 2, 1, 2, 2), (3, 1, 1, 1, 1), (2, 1, 2, 1, 1)]
)
def test_assumptions_admit_every_raw_encoding_and_only_one_hot_digits(
    b: int, p: int, q: int, raw_p: int, raw_q: int
) -> None:
    """All 2^width bit strings: accepted iff every digit block (exponent digits, d0 .. dp') is
    one-hot; so every raw encoding, with any signs (exponent 0 with sign 1, -0.0..0)."""
    raw = RawSystem(raw_p, raw_q, b)
    program = normalizer(b, p, q, raw_p, raw_q)
    valid = set(raw.valid_encodings())
    blocks = raw.q + 1 + raw.p
    accepted_count = 0
    for n in range(1 << raw.width):
        x = tuple(bool(n >> (raw.width - 1 - i) & 1) for i in range(raw.width))
        one_hot_blocks = all(sum(x[2 + k * b : 2 + (k + 1) * b]) == 1 for k in range(blocks))
        accepted = reference.satisfies_assumptions(program, x)
        assert accepted == one_hot_blocks == (x in valid), bit_string(x)
        accepted_count += accepted
    assert accepted_count == raw.count()


@pytest.mark.parametrize("system", NORMALIZE_SYSTEMS[:12], ids=system_id)
def test_normalize_meta_line_and_interface(system: tuple) -> None:
    b, p, q, _, _ = system
    f, raw = FloatSystem(p, q, b), raw_of(*system)
    program = normalizer(*system)
    T = meta_time(program)
    assert T >= 1
    assert program.meta == (
        f"arith op=fnormalize encoding=float base={b} p={p} q={q} raw_p={raw.p}"
        f" raw_q={raw.q} time={T} operands=x",
    )
    assert program.attention == AttentionBits((f"F{T}",))
    assert program.input_names == tuple(raw_input_names("X", raw))
    assert len(program.input_names) == raw.width
    assert program.print_ == tuple(float_input_names("Z", f))


def test_raw_input_names() -> None:
    raw = RawSystem(2, 2, 3)
    digits = [f"E1_{d}" for d in range(3)] + [f"E0_{d}" for d in range(3)]
    digits += [f"D{j}_{d}" for j in (0, 1, 2) for d in range(3)]
    assert raw_input_names("X", raw) == ["XES", "XFS", *(f"X{s}" for s in digits)]


def test_normalize_defaults_catalog_and_bad_parameters() -> None:
    assert normalizer(2, 2, 1) == fnormalize_program(2, 2, 1, 3, 1)
    assert generate("float-normalize base=3 p=2 q=1") == normalizer(3, 2, 1)
    spec = "float-normalize base=2 p=2 q=1 raw_p=1 raw_q=2"
    assert generate(spec) == fnormalize_program(2, 2, 1, 1, 2)
    for args in [(1, 1, 1), (2, 0, 1), (2, 1, 0), (2, 1, 1, 0, None), (2, 1, 1, None, 0)]:
        with pytest.raises(ValueError, match="needs"):
            fnormalize_program(*args)


@pytest.mark.parametrize(("b", "p", "q", "raw_p", "raw_q"), [(2, 2, 2, 3, 2), (3, 1, 1, 1, 2)])
def test_normalize_sat_method_agrees(b: int, p: int, q: int, raw_p: int, raw_q: int) -> None:
    """The SAT method proves the program and judges corrupted ones like the exhaustive one."""
    program = normalizer(b, p, q, raw_p, raw_q)
    sat = check_arith(program, ArithOptions(method="sat"))
    assert sat.kind is PASS and sat.method.startswith("sat"), sat.detail
    for seed in range(3):
        mutant = flip(program, random.Random(seed).choice(head_sites(program)))
        exhaustive = check_arith(mutant, EXHAUSTIVE)
        refuted = check_arith(mutant, ArithOptions(method="sat"))
        assert refuted.kind is exhaustive.kind, (seed, refuted.detail, exhaustive.detail)
        if refuted.kind is FAIL:
            assert DETAIL.match(refuted.detail), refuted.detail


# --- normalization: the boundaries, one input each through the reference simulator ---------


@dataclass(frozen=True)
class NCase:
    system: tuple[int, int, int]  # (b, p, q) of F(p, q, b)
    raw: tuple[int, int]  # (p', q') of F*(p', q', b)
    x: RawFloat
    want: Fraction  # round(x), by hand
    sign_one_exponent: bool = False  # exponent 0 written with exponent sign 1


def R(negative: bool, digits: str, exponent: int) -> RawFloat:
    """``R(False, "1.011", -1)``: the raw number as written (digits 0-9)."""
    head, tail = digits.split(".")
    return RawFloat(negative, tuple(int(d) for d in head + tail), exponent)


N_CASES = {
    # F(2, 2, 1) from F*(3, 1, 2) unless said otherwise: emax 1, 0.10e-1 = 1/4 .. 0.11e+1 = 3/2.
    "zero fraction with sign + is +0": NCase((2, 2, 1), (3, 1), R(False, "0.000", 1), F(0)),
    "zero fraction with sign - is +0": NCase((2, 2, 1), (3, 1), R(True, "0.000", -1), F(0)),
    "zero fraction with sign - and exponent 0 written with sign 1 is +0": NCase(
        (2, 2, 1), (3, 1), R(True, "0.000", 0), F(0), sign_one_exponent=True
    ),
    "zero fraction at the largest raw exponent is +0": NCase(
        (2, 2, 1), (3, 2), R(True, "0.000", 3), F(0)
    ),
    "zero fraction at the smallest raw exponent is +0 in base 3": NCase(
        (3, 1, 1), (2, 2), R(False, "0.00", -8), F(0)
    ),
    # 0.110e+0 with the exponent sign set on exponent 0: the same number, 0.11e+0.
    "exponent 0 written with sign 1": NCase(
        (2, 2, 1), (3, 1), R(False, "0.110", 0), F(3, 4), sign_one_exponent=True
    ),
    # -1.100e+0 = -0.11e+1, exact.
    "exponent 0 written with sign 1, d0 != 0 and sign -": NCase(
        (2, 2, 1), (3, 1), R(True, "1.100", 0), F(-3, 2), sign_one_exponent=True
    ),
    # 1.100e-1 = 0.11e+0: shifted right by one, nothing to round.
    "d0 != 0 shifts right exactly": NCase((2, 2, 1), (3, 1), R(False, "1.100", -1), F(3, 4)),
    # 1.001e+0 = 0.1001e+1: 10|01 below half: 0.10e+1.
    "d0 != 0 rounds down": NCase((2, 2, 1), (3, 1), R(False, "1.001", 0), F(1)),
    # 1.011e+0 = 0.1011e+1: 10|11 above half: 0.11e+1.
    "d0 != 0 rounds up": NCase((2, 2, 1), (3, 1), R(False, "1.011", 0), F(3, 2)),
    # -1.010e+0 = -0.1010e+1: 10|10 a tie, 10 even: down to -0.10e+1.
    "d0 != 0 tie to even rounds down": NCase((2, 2, 1), (3, 1), R(True, "1.010", 0), F(-1)),
    # F(2, 3, 1) from F*(4, 1, 2): 1.0110e+0 = 0.10110e+1: 101|10 a tie, 101 odd: 0.110e+1.
    "d0 != 0 tie to even rounds up": NCase((2, 3, 1), (4, 1), R(False, "1.0110", 0), F(3, 2)),
    # 1.110e-1 = 0.1110e+0: 11|10 a tie, 11 odd: up to 100, one more exponent: 0.10e+1.
    "d0 != 0 tie to even rounds up and carries into a new exponent": NCase(
        (2, 2, 1), (3, 1), R(False, "1.110", -1), F(1)
    ),
    # 1.111e-1 = 0.1111e+0: 11|11 above half: 100, one more exponent: 0.10e+1.
    "d0 != 0 round up carries into a new exponent": NCase(
        (2, 2, 1), (3, 1), R(True, "1.111", -1), F(-1)
    ),
    # 0.110e+0 = 0.11e+0: the leading digit is d1, exact.
    "leading zeros shift left by 1": NCase((2, 2, 1), (3, 1), R(False, "0.110", 0), F(3, 4)),
    # 0.011e+1 = 0.11e+0.
    "leading zeros shift left by 2": NCase((2, 2, 1), (3, 1), R(True, "0.011", 1), F(-3, 4)),
    # 0.001e+1 = 0.10e-1 = smallest_normal.
    "leading zeros shift left by 3": NCase((2, 2, 1), (3, 1), R(False, "0.001", 1), F(1, 4)),
    # F(2, 2, 1) from F*(4, 1, 2): 0.0001e+1 = 0.10e-2, below smallest_normal: +0.
    "leading zeros shift left by 4 and the result flushes to +0": NCase(
        (2, 2, 1), (4, 1), R(False, "0.0001", 1), F(0)
    ),
    # F*(4, 1, 2): 0.0111e+1 = 0.111e+0: 11|1 a tie, 11 odd: up to 100: 0.10e+1.
    "leading zeros shift left by 2, tie to even rounds up and carries into a new exponent": NCase(
        (2, 2, 1), (4, 1), R(False, "0.0111", 1), F(1)
    ),
    # F*(4, 1, 2): 0.1101e+0: 11|01 below half: 0.11e+0.
    "leading zeros shift left by 1 and rounds down": NCase(
        (2, 2, 1), (4, 1), R(False, "0.1101", 0), F(3, 4)
    ),
    # F(2, 2, 1) from F*(1, 1, 2), p' < p: 0.1e+1 = 0.10e+1, padded with zeros.
    "p' < p pads with zeros": NCase((2, 2, 1), (1, 1), R(False, "0.1", 1), F(1)),
    "p' < p pads with zeros, d0 != 0": NCase((2, 2, 1), (1, 1), R(True, "1.1", 0), F(-3, 2)),
    # F(10, 2, 1) from F*(1, 1, 10): 0.7e+1 = 0.70e+1.
    "p' < p pads with zeros in base 10": NCase((10, 2, 1), (1, 1), R(False, "0.7", 1), F(7)),
    # F*(3, 2, 2): 0.100e+3 = 4 > 3/2: the exponent 3 > emax = 1.
    "raw exponent beyond emax saturates to +largest": NCase(
        (2, 2, 1), (3, 2), R(False, "0.100", 3), F(3, 2)
    ),
    # -1.000e+1 = -0.1e+2: exponent 2 > emax.
    "d0 != 0 overflow saturates to -largest": NCase(
        (2, 2, 1), (3, 1), R(True, "1.000", 1), F(-3, 2)
    ),
    # 1.111e+0 = 0.1111e+1 in range, rounds up to 0.10e+2: saturates.
    "round-up carry overflows and saturates to +largest": NCase(
        (2, 2, 1), (3, 1), R(False, "1.111", 0), F(3, 2)
    ),
    # F*(3, 2, 2): 0.001e-3 = 0.1e-5, far below smallest_normal = 0.10e-1: +0.
    "underflow flushes to +0": NCase((2, 2, 1), (3, 2), R(False, "0.001", -3), F(0)),
    "negative underflow flushes to +0": NCase((2, 2, 1), (3, 2), R(True, "0.100", -2), F(0)),
    # F*(4, 2, 2): 0.1101e-2: 11|01 rounds down to 0.11e-2, still below: +0.
    "negative value rounds down and still flushes to +0": NCase(
        (2, 2, 1), (4, 2), R(True, "0.1101", -2), F(0)
    ),
    # F*(4, 2, 2): 0.1111e-2 = 15/64 < 1/4: 11|11 rounds up to 0.10e-1 = smallest_normal.
    "just below smallest_normal round-up carry rescues it": NCase(
        (2, 2, 1), (4, 2), R(False, "0.1111", -2), F(1, 4)
    ),
    # F*(4, 2, 2): 1.1111e-3 = 0.11111e-2: up to 0.10e-1.
    "d0 != 0 just below smallest_normal round-up carry rescues it": NCase(
        (2, 2, 1), (4, 2), R(True, "1.1111", -3), F(-1, 4)
    ),
    # F(3, 1, 1) from F*(2, 1, 3): 0.12 (base 3): 1|2 = 2/3 of a unit, above half: 0.2.
    "odd base rounds up in base 3": NCase((3, 1, 1), (2, 1), R(False, "0.12", 0), F(2, 3)),
    # 0.11: 1|1 = 1/3 of a unit, below half: 0.1.
    "odd base rounds down in base 3": NCase((3, 1, 1), (2, 1), R(True, "0.11", 0), F(-1, 3)),
    # 1.11 = 0.111e+1: 1|11 = 4/9, the closest below half: down to 0.1e+1.
    "odd base d0 != 0 rounds down in base 3": NCase((3, 1, 1), (2, 1), R(False, "1.11", 0), F(1)),
    # 2.22 = 0.222e+1: 2|22 above half: 10, one more exponent: 0.1e+2.
    "odd base d0 != 0 round up carries into a new exponent in base 3": NCase(
        (3, 1, 1), (2, 1), R(False, "2.22", 0), F(3)
    ),
    # F(4, 1, 1) from F*(2, 1, 4): 0.12 (base 4): 1|2 a tie, 1 odd: up to 0.2.
    "tie to even rounds up in base 4": NCase((4, 1, 1), (2, 1), R(False, "0.12", 0), F(1, 2)),
    "tie to even rounds down in base 4": NCase((4, 1, 1), (2, 1), R(True, "0.22", 0), F(-1, 2)),
    # F(10, 1, 1) from F*(2, 1, 10): 0.25: 2|5 a tie, 2 even: 0.2; 0.35: 3 odd: 0.4.
    "tie to even rounds down in base 10": NCase((10, 1, 1), (2, 1), R(False, "0.25", 0), F(1, 5)),
    "tie to even rounds up in base 10": NCase((10, 1, 1), (2, 1), R(False, "0.35", 0), F(2, 5)),
    # -9.50 = -0.950e+1: 9|50 a tie, 9 odd: up to 10: -0.1e+2.
    "d0 != 0 tie to even rounds up and carries into a new exponent in base 10": NCase(
        (10, 1, 1), (2, 1), R(True, "9.50", 0), F(-10)
    ),
}


def scaled(f: FloatSystem, r: Fraction) -> Fraction:
    """|r| = m x b^e with 1/b <= m < 1: m x b^p, the exact mantissa before rounding."""
    return abs(r) * Fraction(f.b) ** (f.p - exponent_of(r, f.b))


def raw_bits(case: NCase) -> tuple[bool, ...]:
    b = case.system[0]
    raw = RawSystem(*case.raw, b)
    bits = raw.encode(case.x)
    if case.sign_one_exponent:
        assert case.x.exponent == 0 and bits[0] is False
        bits = (True, *bits[1:])
    return bits


def assert_normalization_is_what_it_says(name: str, case: NCase) -> None:
    """Each phrase of ``name`` holds of the raw number, its exact value and the result."""
    b, p, q = case.system
    f, raw = FloatSystem(p, q, b), RawSystem(*case.raw, b)
    x, got = case.x, case.want
    exact = x.value(b)
    digits = x.digits
    assert len(digits) == raw.p + 1 and abs(x.exponent) <= raw.emax
    assert raw.decode(raw_bits(case)) == x  # the bits really are this raw number
    base = re.search(r"in base (\d+)", name)
    assert f.b == (int(base[1]) if base else 2)
    if "+0" in name:
        assert got == 0 and f.encode(got) == f.encode(0) and f.encode(got)[1] is False
    if "zero fraction" in name:
        assert not any(digits) and exact == 0
    if "sign -" in name:
        assert x.negative
    if "sign +" in name:
        assert not x.negative
    if "written with sign 1" in name:
        assert case.sign_one_exponent and x.exponent == 0
    else:
        assert not case.sign_one_exponent
    if "largest raw exponent" in name:
        assert x.exponent == raw.emax > f.emax
    if "smallest raw exponent" in name:
        assert x.exponent == -raw.emax < -f.emax
    if "d0 != 0" in name:
        assert digits[0] != 0 and exponent_of(exact, b) == x.exponent + 1
    if "shifts right exactly" in name:
        assert got == exact
    shift = re.search(r"shift left by (\d+)", name)
    if shift:
        k = int(shift[1])
        assert 1 <= k <= raw.p and not any(digits[:k]) and digits[k] != 0
        assert exponent_of(exact, b) == x.exponent + 1 - k
    if "pads" in name:
        assert raw.p < f.p and got == exact
    if "tie" in name:
        assert scaled(f, exact).denominator == 2  # exactly halfway between two mantissas
        even = round(scaled(f, exact))  # Fraction rounds half to even
        assert even % 2 == 0 and ("rounds up" in name) == (even > scaled(f, exact))
    if "rounds up" in name or "round up" in name or "round-up" in name:
        assert round(scaled(f, exact)) > scaled(f, exact)
    if "rounds down" in name:
        assert round(scaled(f, exact)) < scaled(f, exact)
    if "odd base" in name:  # no ties: never a whole or half mantissa
        assert f.b % 2 == 1 and scaled(f, exact).denominator not in (1, 2)
    if "carr" in name:  # the rounded mantissa is b^p: one more exponent than the exact value
        assert round(scaled(f, exact)) == f.b**f.p
    if "new exponent" in name:
        assert exponent_of(got, b) == exponent_of(exact, b) + 1
    if "exponent 0 written" in name or "exactly" in name or "pads" in name:
        assert got == exact
    if "saturates" in name:
        assert got == (f.largest if exact > 0 else -f.largest) and abs(exact) > f.largest
        assert ("-largest" in name) == (exact < 0)
        if "carry" in name:
            assert exponent_of(exact, b) == f.emax
        else:
            assert exponent_of(exact, b) > f.emax
    if "beyond emax" in name:
        assert x.exponent > f.emax
    if "flushes" in name:
        assert 0 < abs(exact) < f.smallest_normal and got == 0
        assert ("negative" in name) == (exact < 0)
    if "rescues" in name:
        assert 0 < abs(exact) < f.smallest_normal
        assert got == (f.smallest_normal if exact > 0 else -f.smallest_normal)


def assert_prints_normalization(case: NCase) -> None:
    """The raw input through the reference simulator: accepted, the print at the claimed T is
    the encoding of ``case.want``, T is a fixed point and the output rounds are exactly the
    fixed-point rounds."""
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    program = normalizer(b, p, q, *case.raw)
    T = meta_time(program)
    inputs = bit_string(raw_bits(case))
    assert reference.satisfies_assumptions(program, inputs)
    trace = reference.simulate(program, inputs, T + 1)
    assert trace[T].print == bit_string(f.encode(case.want)), f.format(case.want)
    assert f.decode(tuple(c == "1" for c in trace[T].print)) == case.want
    assert trace[T].config == trace[T + 1].config
    assert trace[T - 1].config != trace[T].config
    assert [s.output for s in trace[: T + 1]] == [
        trace[t].config == trace[t + 1].config for t in range(T + 1)
    ]
    assert trace[T + 1].output


@pytest.mark.parametrize("name", list(N_CASES))
def test_normalization_boundary(name: str) -> None:
    case = N_CASES[name]
    b, p, q = case.system
    f = FloatSystem(p, q, b)
    assert f.normalize(case.x) == case.want  # the reference agrees with the hand computation
    assert hand_round(f, case.x.value(b)) == case.want
    assert_normalization_is_what_it_says(name, case)
    assert_prints_normalization(case)


def test_every_normalization_boundary_kind_is_covered() -> None:
    names = " ".join(N_CASES)
    kinds = [
        "zero fraction with sign +",
        "zero fraction with sign -",
        "exponent 0 written with sign 1",
        "d0 != 0 shifts right",
        "d0 != 0 rounds down",
        "d0 != 0 rounds up",
        "d0 != 0 tie to even rounds down",
        "d0 != 0 tie to even rounds up",
        "carries into a new exponent",
        *(f"shift left by {k}" for k in range(1, 5)),
        "saturates to +largest",
        "saturates to -largest",
        "flushes to +0",
        "rescues",
        "in base 3",
        "in base 4",
        "in base 10",
    ]
    for kind in kinds:
        assert kind in names, kind
    # every shift 1 .. p' = 3 of F*(3, 1, 2) into F(2, 1, 2), and p' = 4 of F*(4, 1, 2)
    shifts = {
        (c.raw[0], next(k for k, d in enumerate(c.x.digits) if d))
        for c in N_CASES.values()
        if c.system == (2, 2, 1) and any(c.x.digits)
    }
    assert {(3, 1), (3, 2), (3, 3), (4, 4)} <= shifts, shifts


# --- piecewise polynomials -----------------------------------------------------------------


POLY_SYSTEMS = [
    (2, 1, 1),
    (2, 2, 1),
    (2, 3, 2),
    (2, 4, 2),
    (3, 1, 1),
    (3, 2, 1),
    (4, 1, 2),
    (10, 1, 1),
]
HAND: dict[str, Callable[[Fraction], Fraction]] = {
    "relu": lambda x: max(F(0), x),
    "heaviside": lambda x: F(1) if x >= 0 else F(0),
    "identity": lambda x: x,
}


@pytest.mark.parametrize("name", list(SHORTCUTS))
@pytest.mark.parametrize(("b", "p", "q"), POLY_SYSTEMS)
def test_shortcut_functions_pass(name: str, b: int, p: int, q: int) -> None:
    f = FloatSystem(p, q, b)
    pieces = shortcut(name)
    program = polynomial(b, p, q, pieces)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    assert verdict.extra["inputs_checked"] == f.count()
    assert verdict.extra["op"] == "poly" and verdict.extra["time"] == meta_time(program)
    assert verdict.extra["pieces"] == format_pieces(pieces)
    assert f"all {f.count()} valid inputs of {f}" in verdict.detail
    assert poly_failures(program, f, pieces) == set()
    inputs = float_inputs(b, p, q)[0]
    assert never_fixed_before(program, inputs)
    for x in f.values():  # the reference is the paper's function (exact on F)
        assert f.poly(pieces, x) == HAND[name](x)


@pytest.mark.parametrize(
    ("pieces", "b", "p", "q"),
    [
        (SMOOTH_RELU, 2, 2, 2),
        (SMOOTH_RELU, 2, 3, 2),
        (("..0: -1/2*x", "0..1: x^2 - x", "1..: 1/2*x^3 + 1"), 2, 2, 2),
        (("..: x^3 + x^2 + x + 1",), 3, 1, 1),
    ],
)
def test_polynomials_pass(pieces: tuple[str, ...], b: int, p: int, q: int) -> None:
    f = FloatSystem(p, q, b)
    parsed = parse_pieces(pieces)
    program = polynomial(b, p, q, parsed)
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail
    assert poly_failures(program, f, parsed) == set()
    assert never_fixed_before(program, float_inputs(b, p, q)[0])
    for x in f.values():
        assert f.poly(parsed, x) == hand_poly(f, parsed, x)


EXACT = {
    # pieces, the value by hand (exact: no rounding), and whether an fmul/fadd is built
    "-1 * x negates": (("..: -1*x",), lambda f, x: -x, False),
    "1 * x^0 is the constant 1": (("..: 1*x^0",), lambda f, x: F(1), False),
    "0 * x is +0": (("..: 0*x",), lambda f, x: F(0), False),
    "0 * x^3 is +0": (("..: 0*x^3",), lambda f, x: F(0), False),
    "1 * x is x": (("..: 1*x",), lambda f, x: x, False),
    "0 + x is x": (("..: 0 + x",), lambda f, x: x, False),
    "x + 0 is x": (("..: x + 0",), lambda f, x: x, False),
    "0 * x^2 + x is x": (("..: 0*x^2 + x",), lambda f, x: x, False),
    "-1 * x + 0 * x is -x": (("..: -1*x + 0*x",), lambda f, x: -x, False),
    "0 * x - x is -x": (("..: 0*x - x",), lambda f, x: -x, False),
    "the constant -1": (("..: -1",), lambda f, x: F(-1), False),
    "the constant 0": (("..: 0",), lambda f, x: F(0), False),
    "absolute value by -1 * x": (("..0: -1*x", "0..: x"), lambda f, x: abs(x), False),
    # with a rounded operation fed by a shortcut
    "x - x is +0": (("..: x - x",), lambda f, x: F(0), True),
    "-1 * x^2 is -round(x^2)": (("..: -1*x^2",), lambda f, x: -f.round(x * x), True),
    "-1 * x - 1 is round(-x - 1)": (("..: -1*x - 1",), lambda f, x: f.round(-x - 1), True),
}
OPERATION_HEAD = re.compile(r"^P\d+[MA]\d+")


@pytest.mark.parametrize("name", list(EXACT))
@pytest.mark.parametrize(("b", "p", "q"), [(2, 2, 1), (3, 1, 2)])
def test_exact_shortcuts_for_negative_and_zero_x(name: str, b: int, p: int, q: int) -> None:
    """Multiplying by 0, 1, -1 and adding 0 are exact: the program prints the value by hand
    for every x, in particular +0 (fraction sign +, exponent -emax) for x = 0 and 0 * x, and
    -x for negative x; no multiplier or adder is built unless the pieces need one."""
    f = FloatSystem(p, q, b)
    texts, value, rounded = EXACT[name]
    pieces = parse_pieces(texts)
    program = polynomial(b, p, q, pieces)
    assert any(OPERATION_HEAD.match(h.name) for h in program.heads) == rounded
    inputs, xs = float_inputs(b, p, q)
    T = meta_time(program)
    prints = simulate(compile_model(program), inputs, T).prints[T]
    assert any(x < 0 for x in xs) and F(0) in xs
    for x, printed in zip(xs, prints, strict=True):
        want = value(f, x)
        assert f.poly(pieces, x) == want, f.format(x)
        assert tuple(bool(v) for v in printed) == f.encode(want), (f.format(x), f.format(want))
    zero = reference.simulate(program, bit_string(f.encode(0)), T)[T].print
    assert zero == bit_string(f.encode(value(f, F(0))))
    assert poly_failures(program, f, pieces) == set()
    assert check_arith(program, EXHAUSTIVE).kind is PASS


@pytest.mark.parametrize(
    ("pieces", "b", "p", "q"),
    [
        (shortcut("relu"), 2, 4, 2),
        (shortcut("heaviside"), 3, 1, 1),
        (shortcut("identity"), 2, 2, 1),
        (parse_pieces(SMOOTH_RELU), 2, 3, 2),
        (parse_pieces(("..: x^3 + x^2 + x + 1",)), 3, 1, 1),
    ],
    ids=["relu", "heaviside", "identity", "smooth-relu", "cubic"],
)
def test_poly_meta_line_and_halting_time(pieces: tuple[Piece, ...], b: int, p: int, q: int) -> None:
    """``pieces=`` is exactly format_pieces (and reads back as the pieces), ``time=`` is the
    exact halting time (verify halting, verify transient)."""
    f = FloatSystem(p, q, b)
    program = polynomial(b, p, q, pieces)
    T = meta_time(program)
    assert T >= 1
    assert program.meta == (
        f"arith op=poly encoding=float base={b} p={p} q={q} time={T}"
        f" pieces={format_pieces(pieces)} operands=x",
    )
    assert meta_fields(program)["pieces"] == format_pieces(pieces)
    assert parse_pieces(meta_fields(program)["pieces"].split(";")) == pieces
    assert program.attention == AttentionBits((f"F{T}",))
    assert program.input_names == tuple(float_input_names("X", f))
    assert program.print_ == tuple(float_input_names("Z", f))
    assert program.assumptions == tuple(float_assumptions("X", f))
    options = DynamicsOptions(engine="explicit")
    halting = check_halting(program, options)
    assert halting.kind is PASS, halting.detail
    transient = check_transient(program, None, options)
    assert transient.kind is PASS and transient.extra["transient"] == T


@pytest.mark.parametrize(
    ("b", "p", "q", "raw_p", "raw_q", "engine"),
    [(2, 2, 1, None, None, "explicit"), (3, 1, 1, 1, 2, "explicit"), (2, 2, 2, 4, 3, "sat")],
)
def test_normalize_halting_time(b: int, p: int, q: int, raw_p, raw_q, engine: str) -> None:  # type: ignore[no-untyped-def]
    program = normalizer(b, p, q, raw_p, raw_q)
    options = DynamicsOptions(engine=engine)
    assert check_halting(program, options).kind is PASS
    transient = check_transient(program, None, options)
    assert transient.kind is PASS and transient.extra["transient"] == meta_time(program)


def test_poly_is_not_covered_by_the_sat_method() -> None:
    """No false PASS: ``--method sat`` on a polynomial says it does not cover it."""
    verdict = check_arith(polynomial(2, 2, 1, shortcut("relu")), ArithOptions(method="sat"))
    assert verdict.kind is VerdictKind.UNKNOWN
    assert "does not cover poly" in verdict.detail


def test_pieces_must_be_a_function_on_f() -> None:
    with pytest.raises(ValueError, match="no piece contains"):
        poly_program(2, 2, 1, parse_pieces(["0..: x"]))
    with pytest.raises(ValueError, match="not a number of"):
        poly_program(2, 2, 1, parse_pieces(SMOOTH_RELU))  # -2 is beyond F(2, 1, 2)
    with pytest.raises(ValueError, match="coefficient 1/3 is not in"):
        poly_program(2, 2, 1, parse_pieces(["..: 1/3*x"]))


# --- random piece lists ---------------------------------------------------------------------


@st.composite
def piece_lists(draw: st.DrawFn, f: FloatSystem) -> tuple[Piece, ...]:
    """A partition of the line at 0-2 cut points of F (the first piece unbounded below, the
    last above: everything covered), plus up to one more piece with bounds from F or None,
    all in a random order (the first piece containing x wins); terms with coefficients 0, 1,
    -1 or any value of F, powers 0 .. 3."""
    values = f.values()
    cuts = sorted(draw(st.sets(st.sampled_from(values), max_size=2)))
    bounds: list[Fraction | None] = [None, *cuts, None]
    intervals = [(bounds[i], bounds[i + 1]) for i in range(len(cuts) + 1)]
    if draw(st.booleans()):
        low, high = sorted(draw(st.sets(st.sampled_from(values), min_size=2, max_size=2)))
        intervals.append((draw(st.sampled_from([low, None])), draw(st.sampled_from([high, None]))))
    coefficient = st.one_of(st.sampled_from([F(0), F(1), F(-1)]), st.sampled_from(values))
    term = st.builds(Term, coefficient, st.integers(0, 3))
    return tuple(
        Piece(low, high, tuple(draw(st.lists(term, max_size=3))))
        for low, high in draw(st.permutations(intervals))
    )


def random_poly_check(f: FloatSystem, pieces: tuple[Piece, ...]) -> None:
    program = poly_program(f.b, f.p, f.q, pieces)
    assert meta_fields(program)["pieces"] == format_pieces(pieces)
    # the meta line reads back as the same function (a piece without terms as the term 0)
    read = parse_pieces(format_pieces(pieces).split(";"))
    assert format_pieces(read) == format_pieces(pieces)
    for x in f.values():
        assert f.poly(pieces, x) == hand_poly(f, pieces, x) == f.poly(read, x)
    assert poly_failures(program, f, pieces) == set(), format_pieces(pieces)
    assert never_fixed_before(program, float_inputs(f.b, f.p, f.q)[0])
    verdict = check_arith(program, EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail


@pytest.mark.parametrize(
    "f", [FloatSystem(2, 1, 2), FloatSystem(3, 1, 2), FloatSystem(1, 1, 3)], ids=str
)
def test_random_piece_lists(f: FloatSystem) -> None:
    @settings(max_examples=10, deadline=None, derandomize=True)
    @given(piece_lists(f))
    def check(pieces: tuple[Piece, ...]) -> None:
        random_poly_check(f, pieces)

    check()


# --- corrupted programs ---------------------------------------------------------------------


def head_sites(program: BnlProgram) -> list[tuple[int, int]]:
    """The mutation sites (verifier.translate.mutate) in the bodies of non-input heads."""
    inputs = set(program.input_names)
    return [s for s in sites(program) if program.heads[s[0]].name not in inputs]


def check_refusal(verdict: Verdict, mutant: BnlProgram, shown: str, wrong: bool) -> None:
    """A FAIL naming the operand as the paper writes it (``shown``, decoded from the
    counterexample's input), on which the oracle finds the mutant wrong, input replayed."""
    assert verdict.kind is FAIL, verdict.detail
    assert verdict.detail.startswith(f"x = {shown}: "), verdict.detail
    match = DETAIL.match(verdict.detail)
    assert match and match[1] == verdict.extra["x"] == shown
    assert wrong
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample)
    assert cex.trace == reference.simulate(mutant, cex.input, len(cex.trace) - 1)


def judge_normalize_flips(system: tuple, chosen: list[tuple[int, int]]) -> int:
    b, p, q = system[:3]
    f, raw = FloatSystem(p, q, b), raw_of(*system)
    program = normalizer(*system)
    inputs, values = raw_inputs(raw.b, raw.p, raw.q)
    rows = {tuple(bool(v) for v in row): k for k, row in enumerate(inputs)}
    refused = 0
    for site in chosen:
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram) and mutant != program
        bad = normalize_failures(mutant, f, raw)
        verdict = check_arith(mutant, EXHAUSTIVE)
        if bad:
            assert isinstance(verdict.counterexample, RunCounterexample), verdict.detail
            k = rows[tuple(c == "1" for c in verdict.counterexample.input)]
            check_refusal(verdict, mutant, raw.format(values[k]), k in bad)
        else:
            assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    return refused


def judge_poly_flips(f: FloatSystem, pieces: tuple[Piece, ...], chosen: list) -> int:
    program = polynomial(f.b, f.p, f.q, pieces)
    refused = 0
    for site in chosen:
        mutant = flip(program, site)
        assert isinstance(mutant, BnlProgram) and mutant != program
        bad = poly_failures(mutant, f, pieces)
        verdict = check_arith(mutant, EXHAUSTIVE)
        if bad:
            assert isinstance(verdict.counterexample, RunCounterexample), verdict.detail
            x = f.decode(tuple(c == "1" for c in verdict.counterexample.input))
            check_refusal(verdict, mutant, f.format(x), x in bad)
        else:
            assert verdict.kind is PASS, (site, verdict.detail)
        refused += bool(bad)
    return refused


def sample(candidates: list, seed: int, count: int) -> list:
    candidates = list(candidates)
    random.Random(seed).shuffle(candidates)
    return candidates[:count]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    "system", [(2, 2, 1, None, None), (3, 1, 1, None, None), (2, 1, 1, 1, 2)], ids=system_id
)
def test_normalize_flips_are_judged_like_the_oracle(system: tuple, seed: int) -> None:
    chosen = sample(head_sites(normalizer(*system)), seed, 6)
    assert judge_normalize_flips(system, chosen)


def test_every_normalize_flip_of_a_small_program_is_judged_like_the_oracle() -> None:
    system = (2, 1, 1, 1, 1)
    chosen = head_sites(normalizer(*system))
    assert judge_normalize_flips(system, chosen) >= len(chosen) // 2


@pytest.mark.parametrize("seed", range(3))
def test_smooth_relu_flips_are_judged_like_the_oracle(seed: int) -> None:
    """On F(2, 2, 2), the smallest binary system holding the bounds -2 and 2 (F(3, 1, 2)
    ends at 7/4): three random sites per seed (each refusal replays 70 rounds)."""
    f = FloatSystem(2, 2, 2)
    pieces = parse_pieces(SMOOTH_RELU)
    chosen = sample(head_sites(polynomial(2, 2, 2, pieces)), seed, 3)
    assert judge_poly_flips(f, pieces, chosen)


@pytest.mark.parametrize("name", ["relu", "heaviside"])
def test_every_relu_flip_is_judged_like_the_oracle(name: str) -> None:
    f = FloatSystem(2, 2, 2)
    chosen = head_sites(polynomial(2, 2, 2, shortcut(name)))
    assert judge_poly_flips(f, shortcut(name), chosen) >= len(chosen) // 2


# --- encodings/float/ -------------------------------------------------------------------------


def normalize_files() -> list[Path]:
    return sorted(p for p in FLOAT.glob("fnormalize_*.bnl"))


POLY_FILES = {
    "relu_b2_p4_q2.bnl": lambda: shortcut("relu"),
    "heaviside_b2_p4_q2.bnl": lambda: shortcut("heaviside"),
    "smooth_relu_b2_p4_q2.bnl": lambda: load_pieces(FLOAT / "smooth_relu.toml"),
}


def test_the_one_operand_files_are_there() -> None:
    assert {p.name for p in normalize_files()} == {
        "fnormalize_b10_p1_q1.bnl",
        "fnormalize_b2_p2_q2.bnl",
        "fnormalize_b2_p4_q2.bnl",
        "fnormalize_b3_p2_q1.bnl",
    }
    for name in [*POLY_FILES, "smooth_relu.toml"]:
        assert (FLOAT / name).is_file(), name
    assert load_pieces(FLOAT / "smooth_relu.toml") == parse_pieces(SMOOTH_RELU)


def info(path: Path, capsys: pytest.CaptureFixture) -> dict:
    capsys.readouterr()
    assert main(["info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("path", normalize_files(), ids=lambda p: p.name)
def test_regenerating_normalize_is_byte_identical(
    path: Path, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    match = NORMALIZE_FILE.match(path.name)
    assert match, path.name
    b, p, q = (int(g) for g in match.groups())
    model = generate(f"float-normalize base={b} p={p} q={q}")
    assert model == normalizer(b, p, q) == load(path)
    text = path.read_text(encoding="utf-8")
    assert dumps(model, ".bnl") == text
    out = tmp_path / path.name
    args = ["gen", "fnormalize", "--base", str(b), "-p", str(p), "-q", str(q), "-o", str(out)]
    assert main(args) == 0
    assert out.read_text(encoding="utf-8") == text
    facts = info(path, capsys)
    assert facts["arith"] == f"fnormalize on F*({p + 1}, {q}, {b}) -> F({p}, {q}, {b})"
    assert facts["computation_time"] == meta_time(model)
    if b != 10:  # F*(2, 1, 10) has 40000 raw inputs: test_normalize_exhaustive_check_passes
        verdict = check_arith(load(path), EXHAUSTIVE)
        assert verdict.kind is PASS, verdict.detail


@pytest.mark.parametrize("name", list(POLY_FILES))
def test_regenerating_poly_is_byte_identical(
    name: str, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    path = FLOAT / name
    pieces = POLY_FILES[name]()
    model = poly_program(2, 4, 2, pieces)
    assert model == load(path)
    text = path.read_text(encoding="utf-8")
    assert dumps(model, ".bnl") == text
    out = tmp_path / name
    source = (
        ["--pieces", str(FLOAT / "smooth_relu.toml")]
        if name.startswith("smooth")
        else ["--function", name.split("_")[0]]
    )
    assert main(["gen", "poly", "--base", "2", "-p", "4", "-q", "2", *source, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text
    facts = info(path, capsys)
    shown = format_pieces(pieces).replace(";", "; ")
    assert facts["arith"] == f"poly on F(4, 2, 2) -> F(4, 2, 2), pieces {shown}"
    assert facts["computation_time"] == meta_time(model)
    verdict = check_arith(load(path), EXHAUSTIVE)
    assert verdict.kind is PASS, verdict.detail


def test_smooth_relu_info_text(capsys: pytest.CaptureFixture) -> None:
    facts = info(FLOAT / "smooth_relu_b2_p4_q2.bnl", capsys)
    assert facts["arith"] == (
        "poly on F(4, 2, 2) -> F(4, 2, 2), pieces ..-2:0; -2..2:1/8*x^2+1/2*x+1/2; 2..:x"
    )
    assert facts["computation_time"] == 74
