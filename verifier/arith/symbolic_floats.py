"""The floating-point reference semantics of DESIGN.md 2.8 (addition and multiplication) as an
and-inverter graph, for the SAT method of ``verify arith``.

Built apart from the generated programs (:mod:`verifier.generate.floats`), with the integer
circuits of :mod:`verifier.arith.symbolic`: schoolbook fraction products and ripple-carry sums
and differences; the exponents compared, subtracted and adjusted *digit by digit* by that
module's signed integer comparison and addition (the generator decodes exponents into
values); the rest compared with half an ulp by a ripple comparator. What the two share is the
arithmetic fact both rely on: for addition, operands more than p + 2 places apart give the
larger operand, and otherwise a window of 2p + 2 digits holds the exact sum. Tested against
:class:`~verifier.arith.floats.FloatSystem` on every input pair of small systems
(``tests/arith/test_symbolic_floats.py``).

Encoding layout (DESIGN 2.8): exponent sign, fraction sign, q exponent digits most significant
first, then d1 .. dp, each digit one-hot.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.arith.floats import FloatSystem, RawSystem
from verifier.arith.integers import IntSystem
from verifier.arith.symbolic import (
    Digit,
    constant,
    encoding,
    magnitude_product,
    nonzero,
    pad,
    reference,
    ripple,
    select,
)
from verifier.ir.aig import FALSE, TRUE, AigBuilder

__all__ = ["float_reference", "float_valid", "normalize_reference", "raw_valid"]


def _fields(f: FloatSystem, bits: Sequence[int]) -> tuple[int, int, list[Digit], list[Digit]]:
    """Exponent sign, fraction sign, exponent digits and fraction digits (least significant
    first) of an encoding."""
    if len(bits) != f.width:
        raise ValueError(f"an encoding of {f} has {f.width} bits, got {len(bits)}")
    b = f.b
    digits = [list(bits[2 + i * b : 2 + (i + 1) * b]) for i in range(f.q + f.p)]
    return bits[0], bits[1], digits[: f.q][::-1], digits[f.q :][::-1]


def float_valid(g: AigBuilder, f: FloatSystem, bits: Sequence[int]) -> int:
    """True iff ``bits`` is a normalized encoding of F(p, q, b): one-hot digits; d1 = 0 only
    in the canonical zero (fraction 0, sign +, exponent -(b^q - 1)); exponent 0 with sign +."""
    es, fs, exponent, fraction = _fields(f, bits)
    conditions = []
    for d in exponent + fraction:
        conditions.append(g.or_all(d))
        conditions += [g.and_(d[i], d[j]) ^ 1 for i in range(len(d)) for j in range(i)]
    zero = fraction[-1][0]
    canonical = g.and_all([*(d[0] for d in fraction), fs ^ 1, es, *(d[f.b - 1] for d in exponent)])
    conditions.append(g.or_(zero ^ 1, canonical))
    conditions.append(g.or_(nonzero(g, exponent), es ^ 1))
    return g.and_all(conditions)


def _greater(g: AigBuilder, digits: list[Digit], value: int) -> tuple[int, int]:
    """(number > value, number == value) for a number's digits (least significant first), by a
    ripple comparison from the least significant digit up."""
    b = len(digits[0])
    if value >= b ** len(digits):
        return FALSE, FALSE  # too large for these digits
    greater, equal = FALSE, TRUE
    for d in digits:
        value, c = divmod(value, b)
        above = g.or_all(d[c + 1 :])
        greater = g.or_(above, g.and_(d[c], greater))
        equal = g.and_(d[c], equal)
    return greater, equal


def _mul(g: AigBuilder, f: FloatSystem, x: Sequence[int], y: Sequence[int]) -> list[int]:
    b, p, q = f.b, f.p, f.q
    xes, xfs, xe, xd = _fields(f, x)
    yes, yfs, ye, yd = _fields(f, y)
    zero = g.or_(xd[-1][0], yd[-1][0])
    product = magnitude_product(g, xd, yd)  # 2p digits
    top = product[-1][0] ^ 1
    mantissa = select(g, top, product[p:], product[p - 1 : 2 * p - 1])
    rest = select(g, top, product[:p], [constant(0, b), *product[: p - 1]])
    greater, equal = _greater(g, rest, b**p // 2)
    odd = g.or_all(mantissa[0][1::2]) if b % 2 == 0 else FALSE
    up = g.or_(greater, g.and_(equal, odd))
    rounded, carry = ripple(
        g, mantissa, [[up ^ 1, up, *[FALSE] * (b - 2)]] + [constant(0, b)] * (p - 1), +1
    )
    digits = select(g, carry, [constant(0, b)] * (p - 1) + [constant(1, b)], rounded)
    # The exponent: ex + ey, then + (top + carry - 1), by signed integer addition.
    z1, z2 = IntSystem(q, b), IntSystem(q + 1, b)
    s1 = reference(g, "add", z1, encoding(xes, xe), encoding(yes, ye))
    minus = g.and_(top ^ 1, carry ^ 1)
    one = g.xor(top, carry) ^ 1  # |adjustment| = 1 unless exactly one of top, carry
    adjustment = encoding(minus, [[one ^ 1, one, *[FALSE] * (b - 2)]] + [constant(0, b)] * q)
    s2 = reference(g, "add", z2, s1, adjustment)  # Z(q + 2, b)
    sign, magnitude = s2[0], [s2[1 + i * b : 1 + (i + 1) * b] for i in range(q + 2)][::-1]
    out_of_range = nonzero(g, magnitude[q:])
    over = g.and_(sign ^ 1, out_of_range)
    under = g.and_(sign, out_of_range)
    is_zero = g.or_(zero, under)
    normal = g.and_(is_zero ^ 1, over ^ 1)
    negative = g.and_(g.xor(xfs, yfs), is_zero ^ 1)
    largest = constant(b - 1, b)
    out = [g.or_(is_zero, g.and_(normal, sign)), negative]
    for i in reversed(range(q)):
        out += [
            g.or_(g.and_(g.or_(is_zero, over), largest[d]), g.and_(normal, magnitude[i][d]))
            for d in range(b)
        ]
    for j in reversed(range(p)):
        out += [
            g.or_all(
                [
                    g.and_(is_zero, TRUE if d == 0 else FALSE),
                    g.and_(over, largest[d]),
                    g.and_(normal, digits[j][d]),
                ]
            )
            for d in range(b)
        ]
    return out


def _shift_left(g: AigBuilder, digits: list[Digit], lead: list[int]) -> list[Digit]:
    """``digits`` shifted left so that the digit at position L (``lead[L]`` true) lands at the
    top position; zeros come in from below."""
    top, b = len(digits) - 1, len(digits[0])
    out = []
    for pos in range(len(digits)):
        cells = []
        for d in range(b):
            terms = [
                g.and_(lead[L], digits[pos - top + L][d])
                for L in range(len(lead))
                if pos - top + L >= 0
            ]
            if d == 0:
                terms += [lead[L] for L in range(len(lead)) if pos - top + L < 0]
            cells.append(g.or_all(terms))
        out.append(cells)
    return out


def _signed_value(g: AigBuilder, z: IntSystem, cases: list[tuple[int, int]]) -> list[int]:
    """The encoding in ``z`` of the integer v_i of the case whose literal holds (exactly one
    holds), for ``cases`` = [(literal, v_i)]."""
    b = z.b
    sign = g.or_all(lit for lit, v in cases if v < 0)
    digits = []
    for i in range(z.n):
        digits.append(
            [g.or_all(lit for lit, v in cases if abs(v) // b**i % b == d) for d in range(b)]
        )
    return encoding(sign, digits)


def _add(g: AigBuilder, f: FloatSystem, x: Sequence[int], y: Sequence[int]) -> list[int]:
    b, p, q = f.b, f.p, f.q
    W = 2 * p + 2
    xes, xfs, xe, xd = _fields(f, x)
    yes, yfs, ye, yd = _fields(f, y)
    zq = IntSystem(q, b)
    ex, ey = encoding(xes, xe), encoding(yes, ye)
    # Order by magnitude: the exponents as signed integers, then the fractions.
    e_greater = reference(g, "compare", zq, ey, ex)[0]
    e_less = reference(g, "compare", zq, ex, ey)[0]
    _, fraction_smaller = ripple(g, xd, yd, -1)
    swap = g.or_(e_greater, g.and_all([e_greater ^ 1, e_less ^ 1, fraction_smaller]))
    big, small = select(g, swap, yd, xd), select(g, swap, xd, yd)
    big_e = [g.mux(swap, a, c) for a, c in zip(ey, ex, strict=True)]
    big_e_digits = [big_e[1 + i * b : 1 + (i + 1) * b] for i in range(q)][::-1]
    small_e = [g.mux(swap, a, c) for a, c in zip(ex, ey, strict=True)]
    as_big = [g.mux(swap, a, c) for a, c in zip(y, x, strict=True)]  # big's own encoding
    difference = reference(g, "sub", zq, big_e, small_e)  # Z(q + 1), >= 0
    k_digits = [difference[1 + i * b : 1 + (i + 1) * b] for i in range(q + 1)][::-1]
    shift = [_greater(g, k_digits, k)[1] for k in range(p + 3)]
    far = g.or_all(shift) ^ 1
    # The window: big at positions W-p .. W-1, small shifted right by k, every digit kept.
    window_big = [constant(0, b)] * (W - p) + big
    window_small = []
    for pos in range(W):
        cells = []
        for d in range(b):
            terms = [
                g.and_(shift[k], small[pos - (W - p) + k][d])
                for k in range(p + 3)
                if 0 <= pos - (W - p) + k < p
            ]
            if d == 0:
                terms += [shift[k] for k in range(p + 3) if not 0 <= pos - (W - p) + k < p]
                terms.append(far)
            cells.append(g.or_all(terms))
        window_small.append(cells)
    subtracting = g.xor(xfs, yfs)
    total, carry_out = ripple(g, window_big, window_small, +1)
    minus, _ = ripple(g, window_big, window_small, -1)
    exact = select(
        g,
        subtracting,
        [*minus, constant(0, b)],
        [*total, [carry_out ^ 1, carry_out, *[FALSE] * (b - 2)]],
    )
    return _finish(g, f, exact, big_e[0], big_e_digits, as_big[1], (far, as_big))


def _finish(
    g: AigBuilder,
    f: FloatSystem,
    exact: list[Digit],
    exponent_sign: int,
    exponent: list[Digit],
    negative: int,
    bypass: tuple[int, Sequence[int]] | None = None,
) -> list[int]:
    """The encoding of round(sum(exact[i] b^(i - W)) * b^e) (W = len(exact) - 1; the exponent
    e given by its sign and digits, least significant first; the sign ``negative``): the
    leading digit shifted to the top, rounded half to even, the exponent adjusted by signed
    integer addition, then the range check. With ``bypass = (far, encoding)``, that encoding
    when ``far``."""
    b, p, q = f.b, f.p, f.q
    far, as_big = bypass if bypass is not None else (FALSE, [FALSE] * f.width)
    exact = [constant(0, b)] * (p + 1 - len(exact)) + exact  # at least one digit below p
    W = len(exact) - 1
    nonzero_at = [d[0] ^ 1 for d in exact]
    lead = [
        g.and_all([nonzero_at[L], *(nonzero_at[m] ^ 1 for m in range(L + 1, W + 1))])
        for L in range(W + 1)
    ]
    cancelled = nonzero(g, exact) ^ 1
    normalized = _shift_left(g, exact, lead)
    mantissa, rest = normalized[W - p + 1 :], normalized[: W - p + 1]
    greater, equal = _greater(g, rest, b ** len(rest) // 2)
    odd = g.or_all(mantissa[0][1::2]) if b % 2 == 0 else FALSE
    up = g.or_(greater, g.and_(equal, odd))
    increment = [[up ^ 1, up, *[FALSE] * (b - 2)]] + [constant(0, b)] * (p - 1)
    rounded, carry = ripple(g, mantissa, increment, +1)
    digits = select(g, carry, [constant(0, b)] * (p - 1) + [constant(1, b)], rounded)
    # The exponent: e + 1 - (W - L) + carry, by signed integer addition.
    width = max(len(exponent), 2)
    while b**width <= W + 2:  # |adjustment| <= W + 1
        width += 1
    zw = IntSystem(width, b)
    cases = [
        (g.and_(lead[L], c_lit), 1 - (W - L) + c)
        for L in range(W + 1)
        for c, c_lit in ((0, carry ^ 1), (1, carry))
    ]
    adjustment = _signed_value(g, zw, cases)
    padded_e = encoding(exponent_sign, pad(exponent, width, b))
    final = reference(g, "add", zw, padded_e, adjustment)  # Z(width + 1)
    sign = final[0]
    magnitude = [final[1 + i * b : 1 + (i + 1) * b] for i in range(width + 1)][::-1]
    out_of_range = nonzero(g, magnitude[q:])
    near = far ^ 1
    over = g.and_all([near, sign ^ 1, out_of_range, cancelled ^ 1])
    under = g.and_all([sign, out_of_range])
    is_zero = g.and_(near, g.or_(cancelled, under))
    normal = g.and_all([near, is_zero ^ 1, over ^ 1])
    largest = constant(b - 1, b)
    out = [
        g.or_all([g.and_(far, as_big[0]), is_zero, g.and_(normal, sign)]),
        g.or_(g.and_(far, as_big[1]), g.and_(g.or_(normal, over), negative)),
    ]
    for i in reversed(range(q)):
        for d in range(b):
            out.append(
                g.or_all(
                    [
                        g.and_(far, as_big[2 + (q - 1 - i) * b + d]),
                        g.and_(g.or_(is_zero, over), largest[d]),
                        g.and_(normal, magnitude[i][d]),
                    ]
                )
            )
    for j in reversed(range(p)):
        for d in range(b):
            out.append(
                g.or_all(
                    [
                        g.and_(far, as_big[2 + (q + p - 1 - j) * b + d]),
                        g.and_(is_zero, TRUE if d == 0 else FALSE),
                        g.and_(over, largest[d]),
                        g.and_(normal, digits[j][d]),
                    ]
                )
            )
    return out


def _raw_fields(raw: RawSystem, bits: Sequence[int]) -> tuple[int, int, list[Digit], list[Digit]]:
    """Exponent sign, fraction sign, exponent digits and the digits d0 .. dp' of a raw
    encoding, each list least significant first."""
    if len(bits) != raw.width:
        raise ValueError(f"an encoding of {raw} has {raw.width} bits, got {len(bits)}")
    b = raw.b
    digits = [list(bits[2 + i * b : 2 + (i + 1) * b]) for i in range(raw.q + 1 + raw.p)]
    return bits[0], bits[1], digits[: raw.q][::-1], digits[raw.q :][::-1]


def raw_valid(g: AigBuilder, raw: RawSystem, bits: Sequence[int]) -> int:
    """True iff every digit of the raw encoding ``bits`` is one-hot (any signs, any digits)."""
    _, _, exponent, fraction = _raw_fields(raw, bits)
    conditions = []
    for d in exponent + fraction:
        conditions.append(g.or_all(d))
        conditions += [g.and_(d[i], d[j]) ^ 1 for i in range(len(d)) for j in range(i)]
    return g.and_all(conditions)


def normalize_reference(
    g: AigBuilder, raw: RawSystem, f: FloatSystem, bits: Sequence[int]
) -> list[int]:
    """The literals of ``f.encode(f.normalize(x))`` for the raw encoding ``bits`` of
    F*(p', q', b) (Lemma 3.6; unspecified on encodings with a digit that is not one-hot)."""
    if raw.b != f.b:
        raise ValueError(f"{raw} and {f} have different bases")
    es, fs, exponent, fraction = _raw_fields(raw, bits)
    return _finish(g, f, fraction, es, exponent, fs)


def float_reference(
    g: AigBuilder, op: str, f: FloatSystem, x: Sequence[int], y: Sequence[int]
) -> list[int]:
    """The literals of ``f.encode(round(x op y))`` for normalized encodings ``x``, ``y``
    (unspecified on others); ``op`` is ``fadd`` or ``fmul``."""
    if op not in ("fadd", "fmul"):
        raise ValueError(f"the symbolic float reference covers fadd and fmul, not {op!r}")
    return (_add if op == "fadd" else _mul)(g, f, x, y)
