"""The floating-point reference semantics of DESIGN.md 2.8 as an and-inverter graph, for the
SAT method of ``verify arith`` (multiplication so far).

Built independently of the generated programs (:mod:`verifier.generate.floats`): the
fractions are multiplied by the schoolbook circuit of :mod:`verifier.arith.symbolic`, the
exponents are added *digit by digit* with that module's signed integer addition (the
generator decodes them into values), and the rounding compares the rest with half an ulp by
a ripple comparator. Tested against :class:`~verifier.arith.floats.FloatSystem` on every input
pair of small systems (``tests/arith/test_symbolic_floats.py``).

Encoding layout (DESIGN 2.8): exponent sign, fraction sign, q exponent digits most significant
first, then d1 .. dp, each digit one-hot.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.arith.floats import FloatSystem
from verifier.arith.integers import IntSystem
from verifier.arith.symbolic import (
    Digit,
    constant,
    encoding,
    magnitude_product,
    nonzero,
    reference,
    ripple,
    select,
)
from verifier.ir.aig import FALSE, TRUE, AigBuilder

__all__ = ["float_reference", "float_valid"]


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


def float_reference(
    g: AigBuilder, op: str, f: FloatSystem, x: Sequence[int], y: Sequence[int]
) -> list[int]:
    """The literals of ``f.encode(round(x op y))`` for normalized encodings ``x``, ``y``
    (unspecified on others); ``op`` is ``fmul`` (``fadd`` is not written yet)."""
    if op != "fmul":
        raise ValueError(f"the symbolic float reference covers fmul only, not {op!r}")
    return _mul(g, f, x, y)
