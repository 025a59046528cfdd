"""F(p, q, b) reference semantics (DESIGN.md 2.8) against brute force and independent oracles.

Oracles:

- brute force: the nearest element of an explicit enumeration of representable values (found by
  bisection in a sorted list, ties to the even integer mantissa in the binade of r);
- Python's :mod:`decimal` for b = 10, see :func:`decimal_round`;
- z3's FloatingPoint theory for b = 2, see :func:`z3_round`.
"""

from __future__ import annotations

import bisect
import decimal
import doctest
import itertools
import math
import random
from fractions import Fraction
from functools import cache

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

import verifier.arith.floats as floats_module
from verifier.arith.floats import (
    FloatSystem,
    Piece,
    RawFloat,
    RawSystem,
    Term,
    exponent_of,
    pairwise,
)

F = Fraction
EXHAUSTIVE_LIMIT = 20_000  # systems with at most this many values are enumerated completely
ROUND_TRIP = [FloatSystem(p, q, b) for b in (2, 3, 10) for p in range(1, 5) for q in (1, 2)]
CROSS = [(p, q) for p in range(1, 9) for q in (1, 2, 3)]  # the acceptance range


def bits(text: str) -> tuple[bool, ...]:
    return tuple(ch == "1" for ch in text.replace(" ", ""))


def nth_positive(f: FloatSystem, i: int) -> Fraction:
    """The i-th positive value (0-based, ascending), computed without exponent_of/round."""
    per_binade = f.b**f.p - f.b ** (f.p - 1)
    e, k = divmod(i, per_binade)
    return F(f.b ** (f.p - 1) + k) * F(f.b) ** (e - f.emax - f.p)


def sample_values(f: FloatSystem, rng: random.Random, k: int) -> list[Fraction]:
    n = (f.count() - 1) // 2
    return [rng.choice((1, -1)) * nth_positive(f, rng.randrange(n)) for _ in range(k)]


@cache
def all_values(f: FloatSystem) -> list[Fraction]:
    return f.values()


def boundary_values(f: FloatSystem) -> list[Fraction]:
    """Operands that reach the boundary cases: extremes, binade ends, ulps, neighbours of 1."""
    b, p = F(f.b), f.p
    ulp1 = b**-p  # the spacing of [1/b, 1)
    pos = {
        f.largest,
        f.largest - b ** (f.emax - p),  # the neighbour below the largest
        f.smallest_normal,
        f.smallest_normal * (1 + b ** (1 - p)) if p > 1 else f.smallest_normal * b,
        1 - ulp1,  # 0.(b-1)...(b-1): adding half an ulp carries into a new digit
        F(1, f.b),
        F(1),
        1 + b ** (1 - p) if p > 1 else b,
        F(f.b // 2 + 1, f.b),  # 0.(b/2+1): a square below 1/b
        ulp1 * b ** (-1),  # 0.1 x b^(-p): half an ulp of the binade below 1 when b = 2
        F(f.b // 2, f.b) * b ** (-p) if f.b % 2 == 0 else ulp1,  # exactly half an ulp of 1 - ulp
        b ** (f.emax // 2),
        b ** (-(f.emax // 2)),
    }
    pos = {f.round(v) for v in pos if f.smallest_normal <= v <= f.largest}
    return sorted(pos | {-v for v in pos} | {F(0)})


# -- construction, enumeration, encoding ----------------------------------------------------------


def test_doctests() -> None:
    assert doctest.testmod(floats_module).failed == 0


def test_parameters_and_range() -> None:
    f = FloatSystem(3, 1, 10)
    assert f.emax == 9 and f.width == 2 + 10 * 4
    assert f.largest == F(999, 1000) * 10**9
    assert f.smallest_normal == F(1, 10**10)
    for bad in ((0, 1, 2), (1, 0, 2), (1, 1, 1), (True, 1, 2)):
        with pytest.raises(ValueError, match=r"F\(p, q, b\) needs"):
            FloatSystem(*bad)


@pytest.mark.parametrize("f", ROUND_TRIP, ids=str)
def test_round_trip_every_value(f: FloatSystem) -> None:
    """encode/decode and round are the identity on values; sampled for the big systems."""
    if f.count() <= EXHAUSTIVE_LIMIT:
        values = all_values(f)
        assert len(values) == len(set(values)) == f.count()
        assert values == sorted(values)
        assert values[-1] == f.largest and values[0] == -f.largest
        assert min(v for v in values if v > 0) == f.smallest_normal
        assert F(0) in values
    else:
        values = [*sample_values(f, random.Random(str(f)), 2000), F(0), f.largest]
    for v in values:
        code = f.encode(v)
        assert len(code) == f.width
        assert f.decode(code) == v
        assert f.round(v) == v
        assert f.contains(v)


@pytest.mark.parametrize(
    "f", [FloatSystem(p, 1, 2) for p in (1, 2)] + [FloatSystem(1, 1, 3)], ids=str
)
def test_exactly_the_valid_encodings_decode(f: FloatSystem) -> None:
    valid = set(f.valid_encodings())
    assert len(valid) == f.count()
    for code in itertools.product((False, True), repeat=f.width):
        if code in valid:
            f.decode(code)
        else:
            with pytest.raises(ValueError):
                f.decode(code)


def test_encoding_layout() -> None:
    f = FloatSystem(2, 1, 3)  # emax = 2; layout: exp sign, frac sign, e1, d1, d2
    assert f.encode(0) == bits("1 0 001 100 100")  # zero: digits 0, sign +, exponent -2
    assert f.encode(F(1, 3)) == bits("0 0 100 010 100")  # 0.10 x 3^0: exponent 0 has sign +
    assert f.encode(F(-5, 27)) == bits("1 1 010 010 001")  # -0.12 x 3^-1
    assert f.encode(f.largest) == bits("0 0 001 001 001")
    with pytest.raises(ValueError, match="not representable"):
        f.encode(F(1, 2))


def test_decode_names_the_problem() -> None:
    f = FloatSystem(2, 1, 3)
    cases = {
        "1 0 100 010 100": "exponent 0 must have sign",
        "0 0 100 100 010": "leading fraction digit d1 is 0",
        "1 1 001 100 100": "zero must have fraction sign",
        "0 0 100 100 100": "zero must have exponent -2",
        "0 0 110 010 100": "exponent digit 1",
        "0 0 100 010 000": "fraction digit 2",
        "0 0 100 010 10": "has 11 bits.*got 10",
    }
    for text, message in cases.items():
        with pytest.raises(ValueError, match=message):
            f.decode(bits(text))


# -- rounding against brute force ------------------------------------------------------------------


def brute_round(f: FloatSystem, r: Fraction, values: list[Fraction]) -> Fraction:
    """The nearest element of ``values`` to r, for smallest_normal <= |r| <= largest.

    A tie goes to the neighbour whose mantissa is even, both counted in units of the spacing of
    r's binade [b^(e-1), b^e) (so the upper end b^e counts as the mantissa b^p).
    """
    assert f.smallest_normal <= abs(r) <= f.largest
    i = bisect.bisect_left(values, r)
    if values[i] == r:
        return r
    lo, hi = values[i - 1], values[i]
    if r - lo != hi - r:
        return lo if r - lo < hi - r else hi
    e = binade_estimate(r, f.b)  # corrected exactly:
    while F(f.b) ** (e - 1) > abs(r):
        e -= 1
    while F(f.b) ** e <= abs(r):
        e += 1
    ulp = F(f.b) ** (e - f.p)
    return lo if (lo / ulp) % 2 == 0 else hi


SMALL = [f for f in ROUND_TRIP if f.count() <= EXHAUSTIVE_LIMIT]


@pytest.mark.parametrize("f", [f for f in SMALL if f.count() <= 3000], ids=str)
def test_every_midpoint_and_quarter_rounds_to_brute_force(f: FloatSystem) -> None:
    values = all_values(f)
    positive = [v for v in values if v > 0]
    for lo, hi in itertools.pairwise(positive):
        for t in (F(1, 4), F(1, 2), F(3, 4)):
            r = lo + t * (hi - lo)
            assert f.round(r) == brute_round(f, r, values), (lo, hi, t)
            assert f.round(-r) == -f.round(r)


@st.composite
def in_range(draw: st.DrawFn) -> tuple[FloatSystem, Fraction]:
    f = draw(st.sampled_from(SMALL))
    values = all_values(f)
    positive = values[len(values) // 2 + 1 :]
    i = draw(st.integers(0, len(positive) - 2))
    t = draw(st.one_of(st.just(F(1, 2)), st.fractions(0, 1, max_denominator=10**6)))
    r = positive[i] + t * (positive[i + 1] - positive[i])
    return f, r if draw(st.booleans()) else -r


@given(in_range())
def test_round_is_nearest_ties_to_even(case: tuple[FloatSystem, Fraction]) -> None:
    f, r = case
    assert f.round(r) == brute_round(f, r, all_values(f))


@st.composite
def system_and_two_rationals(draw: st.DrawFn) -> tuple[FloatSystem, Fraction, Fraction]:
    f = draw(st.sampled_from(ROUND_TRIP))
    scale = F(f.b) ** draw(st.integers(-f.emax - 3, f.emax + 3))
    x = draw(st.fractions(-10, 10, max_denominator=10**4)) * scale
    y = draw(st.fractions(-10, 10, max_denominator=10**4)) * scale
    return f, x, y


@given(system_and_two_rationals())
def test_round_is_monotone_idempotent_and_odd_in_range(case) -> None:
    f, x, y = case
    lo, hi = sorted((x, y))
    assert f.round(lo) <= f.round(hi)
    assert f.round(f.round(x)) == f.round(x)
    assert f.contains(f.round(x))
    if f.round(x) != 0:  # only the flush to +0 breaks the symmetry (no negative zero)
        assert f.round(-x) == -f.round(x)


def test_exponent_of() -> None:
    assert exponent_of(F(1), 10) == 1 and exponent_of(F(1, 10), 10) == 0
    assert exponent_of(F(99, 1000), 10) == -1
    assert exponent_of(F(10) ** 500 - 1, 10) == 500 and exponent_of(F(10) ** 500, 10) == 501
    assert exponent_of(F(-3, 2**70), 2) == -68
    with pytest.raises(ValueError):
        exponent_of(F(0), 2)


# -- overflow, underflow, cancellation -------------------------------------------------------------


@pytest.mark.parametrize(
    "f", [FloatSystem(p, q, b) for b in (2, 3, 10) for p in (1, 3) for q in (1, 2)], ids=str
)
def test_saturation_flush_and_cancellation(f: FloatSystem) -> None:
    top, tiny = f.largest, f.smallest_normal
    assert f.add(top, top) == top and f.add(-top, -top) == -top
    assert f.mul(top, top) == top and f.mul(top, -top) == -top
    assert f.round(F(f.b) ** f.emax) == top  # the first exponent out of range
    assert f.round(-(F(f.b) ** (f.emax + 5))) == -top
    assert f.mul(tiny, tiny) == 0 and f.mul(-tiny, tiny) == 0
    assert f.round(tiny / f.b) == 0 and f.round(-tiny / f.b) == 0
    ulp_below = F(f.b) ** (-f.emax - 1 - f.p)  # the spacing just below the smallest normal
    assert f.round(tiny - ulp_below) == 0  # e = -emax-1 and no carry: flushed
    if f.b % 2 == 0:
        assert f.round(tiny - ulp_below / 2) == tiny  # the carry renormalises into range
    assert f.round(tiny - ulp_below / 3) == tiny
    for v in [top, tiny, F(1, f.b), -F(1), *sample_values(f, random.Random(1), 20)]:
        assert f.add(v, -v) == 0 and f.add(-v, v) == 0
        assert f.mul(v, 0) == 0 and f.mul(0, -v) == 0


def test_hand_examples() -> None:
    f = FloatSystem(3, 1, 10)
    assert f.add(F(999, 1000), F(5, 10000)) == 1  # tie 999.5 -> 1000 (even) -> renormalised
    assert f.add(F(998, 1000), F(5, 10000)) == F(998, 1000)  # tie 998.5 -> 998 (even)
    assert f.add(F(997, 1000), F(5, 10000)) == F(998, 1000)  # tie 997.5 -> 998
    assert f.mul(F(3, 10), F(3, 10)) == F(9, 100)
    g = FloatSystem(2, 1, 3)  # odd base: a tie goes to the even integer mantissa
    assert g.round(F(7, 2) / 9) == F(4, 9)  # 3.5 -> 4
    assert g.round(F(9, 2) / 9) == F(4, 9)  # 4.5 -> 4
    assert g.round(F(17, 2) / 9) == F(8, 9)  # 8.5 -> 8: no carry, although 9 = b^p is nearer up
    with pytest.raises(ValueError, match="not representable"):
        f.add(F(1, 3), 0)
    with pytest.raises(TypeError):
        f.round(0.5)  # type: ignore[arg-type]


# -- decimal oracle (b = 10) -----------------------------------------------------------------------


def decimal_context(p: int) -> decimal.Context:
    """prec = p digits, half to even, and an exponent range so wide nothing over- or underflows."""
    return decimal.Context(
        prec=p,
        rounding=decimal.ROUND_HALF_EVEN,
        Emax=decimal.MAX_EMAX,
        Emin=decimal.MIN_EMIN,
        traps=[],
    )


def to_decimal(x: Fraction) -> decimal.Decimal:
    """The exact Decimal of a value with at most 20 significant digits and a terminating
    expansion (the Inexact trap guards the exactness)."""
    exact = decimal.Context(prec=20, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    exact.traps[decimal.Inexact] = True
    return exact.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))


def decimal_round(f: FloatSystem, d: decimal.Decimal) -> Fraction:
    """Map decimal's correctly rounded p-digit result d to F(p, q, 10).

    decimal writes d = d1.d2...dp x 10^A (A = ``d.adjusted()``), we write 0.d1...dp x 10^e, so
    e = A + 1. Rounding to p digits with an unbounded exponent range (no subnormals, no overflow
    to infinity) is DESIGN 2.8's rounding before the range check; the range check is then done on
    e: e > emax saturates to +-largest, e < -emax flushes to +0.
    """
    if d.is_zero():
        return F(0)
    e = d.adjusted() + 1
    if e > f.emax:
        return f.largest if d > 0 else -f.largest
    if e < -f.emax:
        return F(0)
    return F(d)


@pytest.mark.parametrize(("p", "q"), CROSS)
def test_decimal_oracle(p: int, q: int) -> None:
    f = FloatSystem(p, q, 10)
    ctx = decimal_context(p)
    rng = random.Random(f"decimal {p} {q}")
    edge = boundary_values(f)
    operands = list(itertools.product(edge, repeat=2))
    sample = sample_values(f, rng, 60) + edge
    operands += [(rng.choice(sample), rng.choice(sample)) for _ in range(300)]
    # operands close in magnitude, so that sums cancel or carry
    for _ in range(100):
        x = sample_values(f, rng, 1)[0]
        operands.append((x, -f.round(x * (1 + F(rng.randint(-30, 30), 10**p)))))
    for x, y in operands:
        dx, dy = to_decimal(x), to_decimal(y)
        assert f.add(x, y) == decimal_round(f, ctx.add(dx, dy)), ("add", x, y)
        assert f.mul(x, y) == decimal_round(f, ctx.multiply(dx, dy)), ("mul", x, y)
    for _ in range(200):  # rounding of arbitrary rationals: decimal's division rounds correctly
        num = rng.randint(-(10 ** (p + 3)), 10 ** (p + 3))
        den = rng.randint(1, 10 ** (p + 2)) * F(10) ** rng.randint(-f.emax - 2, f.emax + 2)
        r = F(num) / den
        expected = decimal_round(f, ctx.divide(decimal.Decimal(r.numerator), r.denominator))
        assert f.round(r) == expected, r


# -- z3 FloatingPoint oracle (b = 2) ---------------------------------------------------------------


def z3_sort(f: FloatSystem) -> z3.FPSortRef:
    """An IEEE sort whose normal range holds every exact result of F(p, q, 2) operands.

    F(p, q, 2) writes 0.1d2...dp x 2^e, IEEE writes 1.d2...dp x 2^E with sbits = p significand
    bits (hidden bit included), so the significands agree and E = e - 1. Products reach
    2^(2 emax) and 2^(-2 emax - 2); with ebits = q + 4 the bias 2^(q+3) - 1 exceeds 2 emax + 3,
    so every operand and result is normal and finite in IEEE, RNE rounding there is DESIGN 2.8's
    rounding before the range check, and the range check is done on e as for decimal.
    """
    assert f.b == 2 and f.p >= 3  # z3 needs at least 3 significand bits
    return z3.FPSort(f.q + 4, f.p)


def z3_value(x: Fraction, sort: z3.FPSortRef) -> z3.FPRef:
    return z3.fpToFP(z3.RNE(), z3.RealVal(f"{x.numerator}/{x.denominator}"), sort)


def z3_round(f: FloatSystem, term: z3.FPRef) -> Fraction:
    value = z3.simplify(z3.fpToReal(term)).as_fraction()
    if value == 0:
        return F(0)
    e = exponent_of(value, 2)
    if e > f.emax:
        return f.largest if value > 0 else -f.largest
    if e < -f.emax:
        return F(0)
    return value


@pytest.mark.parametrize(("p", "q"), [(p, q) for p, q in CROSS if p >= 3])
def test_z3_oracle(p: int, q: int) -> None:
    f = FloatSystem(p, q, 2)
    sort = z3_sort(f)
    rne = z3.RNE()
    rng = random.Random(f"z3 {p} {q}")
    edge = boundary_values(f)
    operands = list(itertools.product(edge, repeat=2))
    sample = sample_values(f, rng, 40) + edge
    operands += [(rng.choice(sample), rng.choice(sample)) for _ in range(100)]
    for x, y in operands:
        zx, zy = z3_value(x, sort), z3_value(y, sort)
        assert z3_round(f, zx) == x  # the operand itself is exact in the sort
        assert f.add(x, y) == z3_round(f, z3.fpAdd(rne, zx, zy)), ("add", x, y)
        assert f.mul(x, y) == z3_round(f, z3.fpMul(rne, zx, zy)), ("mul", x, y)


# -- larger systems, brute force on the binades around r ------------------------------------------


def binade_estimate(r: Fraction, b: int) -> int:
    """An estimate (within 1) of the e with b^(e-1) <= |r| < b^e, from floating-point logs."""
    return math.floor((math.log(abs(r.numerator)) - math.log(r.denominator)) / math.log(b)) + 1


def local_values(f: FloatSystem, r: Fraction) -> list[Fraction]:
    """Every value with the sign of r in the binades around r (two either side of the estimate)."""
    e = binade_estimate(r, f.b)
    out: list[Fraction] = []
    for k in range(max(e - 2, -f.emax), min(e + 2, f.emax) + 1):
        unit = F(f.b) ** (k - f.p)
        out += [m * unit for m in range(f.b ** (f.p - 1), f.b**f.p)]
    return out if r > 0 else [-v for v in reversed(out)]


@pytest.mark.parametrize(("b", "p", "q"), [(b, p, q) for b in (2, 3) for p, q in CROSS])
def test_add_mul_round_against_local_enumeration(b: int, p: int, q: int) -> None:
    """The acceptance grid p in 1..8, q in 1..3 for b = 2, 3 (b = 10: the decimal oracle)."""
    f = FloatSystem(p, q, b)
    rng = random.Random(str(f))
    edge = boundary_values(f)
    checked = 0
    for _ in range(12):
        x, y = rng.choice(edge), *sample_values(f, rng, 1)
        if rng.random() < 0.5:
            x = sample_values(f, rng, 1)[0]
        e = exponent_of(y, b)
        for r, got in (
            (x + y, f.add(x, y)),
            (x * y, f.mul(x, y)),
            (y + F(rng.randint(1, 7), 8) * F(b) ** (e - p), None),
        ):
            if f.smallest_normal <= abs(r) <= f.largest:
                local = local_values(f, r)
                if local[0] < r < local[-1]:
                    expected = brute_round(f, r, local)
                    assert f.round(r) == expected, r
                    assert got is None or got == expected, (x, y)
                    checked += 1
    assert checked >= 12


# -- normalization of raw numbers ------------------------------------------------------------------


def test_normalize_raw_numbers() -> None:
    f = FloatSystem(3, 1, 10)
    # the three cases of Lemma 3.6: zero fraction, 0 < fraction < 1, fraction >= 1
    assert f.normalize(RawFloat(True, (0, 0, 0, 0, 0), 5)) == 0
    assert f.normalize(RawFloat(False, (0, 0, 0, 1, 2), 3)) == F(12, 10)  # 0.0012e3 = 0.120e1 = 1.2
    assert f.normalize(RawFloat(True, (9, 9, 9, 5, 0), 0)) == -10  # 9.9950 -> 0.99950e1 -> 0.100e2
    assert f.normalize(RawFloat(False, (9, 9, 9, 5, 0), 8)) == f.largest  # 0.100e10 saturates
    assert f.normalize(RawFloat(False, (0, 0, 0, 1, 0), -9)) == 0  # 0.1e-12 flushes to +0
    ctx = decimal_context(3)
    rng = random.Random(7)
    for _ in range(300):
        raw = RawFloat(
            rng.random() < 0.5, tuple(rng.randrange(10) for _ in range(7)), rng.randint(-12, 12)
        )
        fraction = "".join(map(str, raw.digits[1:]))
        text = f"{'-' if raw.negative else ''}{raw.digits[0]}.{fraction}E{raw.exponent}"
        assert f.normalize(raw) == decimal_round(f, ctx.plus(decimal.Decimal(text))), raw
    with pytest.raises(ValueError, match="not a digit"):
        f.normalize(RawFloat(False, (10, 0), 0))


def test_raw_system_encoding() -> None:
    raw_system = RawSystem(2, 1, 3)  # +-d0.d1d2 x 3^e, |e| <= 2
    assert raw_system.width == 2 + 3 * 4
    raw = RawFloat(True, (2, 0, 1), -1)
    assert raw_system.encode(raw) == bits("1 1 010 001 100 010")
    assert raw_system.decode(raw_system.encode(raw)) == raw
    everything = [
        RawFloat(s, d, e)
        for s in (False, True)
        for d in itertools.product(range(3), repeat=3)
        for e in range(-2, 3)
    ]
    for raw in everything:
        assert raw_system.decode(raw_system.encode(raw)) == raw
    assert raw_system.decode(bits("1 1 100 100 100 100")) == RawFloat(True, (0, 0, 0), 0)
    with pytest.raises(ValueError, match="exponent digit 1"):
        raw_system.decode(bits("0 0 000 100 100 100"))
    with pytest.raises(ValueError, match="3 digits"):
        raw_system.encode(RawFloat(False, (1, 0), 0))


# -- piecewise polynomials -------------------------------------------------------------------------


def test_pairwise_order() -> None:
    def show(x, y):
        return f"({x} {y})"

    assert pairwise(["a"], show) == "a"
    assert pairwise(["a", "b", "c"], show) == "((a b) c)"
    assert pairwise(list("abcde"), show) == "(((a b) (c d)) e)"
    assert pairwise(list("abcdefg"), show) == "(((a b) (c d)) ((e f) g))"
    with pytest.raises(ValueError):
        pairwise([], show)


def test_poly_canonical_order_and_pieces() -> None:
    f = FloatSystem(2, 1, 10)
    c = F(46, 10000)  # 0.46 x 10^-2
    terms = (Term(F(1, 10), 0), Term(c, 0), Term(c, 0), Term(c, 0))
    pieces = [Piece(None, F(0), ()), Piece(F(0), None, terms)]
    # pairwise: (0.10 + 0.0046 -> 0.10) + (0.0046 + 0.0046 = 0.0092) = 0.1092 -> 0.11;
    # left to right would stay at 0.10
    assert f.poly(pieces, F(3)) == F(11, 100)
    assert f.poly(pieces, F(0)) == F(11, 100)  # 0 lies in [0, oo): closed on the left
    assert f.poly(pieces, F(-1, 10)) == 0  # the empty polynomial
    # a cube: factors (a, x, x, x) -> (a*x, x*x) -> product, each rounded
    x, a = F(13, 10), F(7, 10)
    cube = [Piece(None, None, (Term(a, 3),))]
    expected = f.round(f.round(a * x) * f.round(x * x))
    assert f.poly(cube, x) == expected == F(15, 10)
    assert f.round(a * x**3) == F(15, 10)  # here the same; the order is what is specified
    relu = [Piece(None, F(0), ()), Piece(F(0), None, (Term(F(1), 1),))]
    for v in (F(-5), F(0), F(27, 10), -f.largest, f.largest):
        assert f.poly(relu, v) == max(v, 0)
    with pytest.raises(ValueError, match="no piece contains"):
        f.poly([Piece(F(0), F(1), ())], F(1))  # open on the right
    with pytest.raises(ValueError, match="not representable"):
        f.poly([Piece(None, None, (Term(F(1, 3), 1),))], F(1))


@given(system_and_two_rationals(), st.integers(0, 6))
def test_poly_matches_manual_tree(case, power: int) -> None:
    f, x, a = case
    x, a = f.round(x), f.round(a)
    got = f.poly([Piece(None, None, (Term(a, power), Term(a, 0)))], x)
    factors = [a] + [x] * power
    while len(factors) > 1:
        factors = [f.mul(factors[i], factors[i + 1]) for i in range(0, len(factors) - 1, 2)] + (
            [factors[-1]] if len(factors) % 2 else []
        )
    assert got == f.add(factors[0], a)


def test_format_writes_the_papers_notation() -> None:
    f = FloatSystem(3, 2, 2)
    assert f.format(Fraction(-5, 2)) == "-0.101e+2"
    assert f.format(Fraction(3, 8)) == "0.110e-1"
    assert f.format(0) == "0"
    assert FloatSystem(2, 1, 16).format(FloatSystem(2, 1, 16).largest) == "0.[15][15]e+15"
    # Every value reads back: digits times b^(e-p), with the sign.
    for value in FloatSystem(2, 1, 3).values():
        text = FloatSystem(2, 1, 3).format(value)
        if value:
            mantissa, exponent = text.lstrip("-").removeprefix("0.").split("e")
            back = Fraction(int(mantissa, 3), 9) * Fraction(3) ** int(exponent)
            assert (-back if text.startswith("-") else back) == value
