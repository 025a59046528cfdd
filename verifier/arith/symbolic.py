"""The integer reference semantics of DESIGN.md 2.7 as an and-inverter graph, for SAT proofs.

``verify arith``'s SAT method compares a program's print bits with these circuits. They are
built to be *independent* of the generated programs (:mod:`verifier.generate`): schoolbook
ripple-carry arithmetic digit by digit, where the programs use carry-lookahead, a comparison
of magnitudes and trees of additions. Each digit is a one-hot list of b literals, as in the
encoding; a number is its digits least significant first.

* :func:`valid` -- the literal "these bits are a valid encoding of Z(n, b)";
* :func:`reference` -- the literals of ``IntSystem(n, b).encode_result(op, x, y)``.

The tests evaluate both against :class:`~verifier.arith.integers.IntSystem` on every input
of small systems and on random inputs of larger ones. The digit-level helpers (``ripple``,
``select``, ``magnitude_product``, ...) are public for :mod:`verifier.arith.symbolic_floats`.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.arith.integers import IntSystem
from verifier.ir.aig import FALSE, TRUE, AigBuilder

__all__ = [
    "Digit",
    "blocks",
    "constant",
    "encoding",
    "magnitude_product",
    "nonzero",
    "pad",
    "reference",
    "ripple",
    "select",
    "valid",
]

Digit = list[int]
"""A one-hot digit: literal j is true iff the digit is j."""


def blocks(z: IntSystem, bits: Sequence[int]) -> tuple[int, list[Digit]]:
    """The sign literal and the digits (least significant first) of an encoding."""
    if len(bits) != z.width:
        raise ValueError(f"an encoding of {z} has {z.width} bits, got {len(bits)}")
    digits = [list(bits[1 + i * z.b : 1 + (i + 1) * z.b]) for i in range(z.n)]
    return bits[0], digits[::-1]


def encoding(sign: int, digits: list[Digit]) -> list[int]:
    """Sign, then the digits most significant first."""
    return [sign] + [lit for d in reversed(digits) for lit in d]


def valid(g: AigBuilder, z: IntSystem, bits: Sequence[int]) -> int:
    """True iff every digit block of ``bits`` has exactly one bit set (the sign is free)."""
    _, digits = blocks(z, bits)
    conditions = []
    for d in digits:
        conditions.append(g.or_all(d))
        conditions += [g.and_(d[i], d[j]) ^ 1 for i in range(len(d)) for j in range(i)]
    return g.and_all(conditions)


def constant(value: int, base: int) -> Digit:
    """The one-hot digit ``value`` as constants."""
    return [TRUE if j == value else FALSE for j in range(base)]


def _values(g: AigBuilder, table: dict[int, list[int]], size: int) -> list[int]:
    """One-hot over 0 .. size-1 from a table value -> literals whose OR means that value."""
    return [g.or_all(table.get(v, [])) for v in range(size)]


def _digit_sum(g: AigBuilder, a: Digit, b: Digit, carry: int, sign: int) -> tuple[Digit, int]:
    """``a + b + carry`` (sign = +1) or ``a - b - carry`` (sign = -1), as a digit and the
    carry (or borrow) out."""
    base = len(a)
    table: dict[int, list[int]] = {}
    for u in range(base):
        for v in range(base):
            for c, c_lit in ((0, carry ^ 1), (1, carry)):
                total = u + sign * (v + c)
                table.setdefault(total, []).append(g.and_all([a[u], b[v], c_lit]))
    digit = [g.or_all(table.get(d, []) + table.get(d + sign * base, [])) for d in range(base)]
    out = [lit for total, lits in table.items() if not 0 <= total < base for lit in lits]
    return digit, g.or_all(out)


def ripple(g: AigBuilder, a: list[Digit], b: list[Digit], sign: int) -> tuple[list[Digit], int]:
    """a + b (sign = +1) or a - b (sign = -1, modulo b^len) digit by digit, and the final
    carry or borrow; ``a`` and ``b`` have the same length."""
    out, carry = [], FALSE
    for u, v in zip(a, b, strict=True):
        d, carry = _digit_sum(g, u, v, carry, sign)
        out.append(d)
    return out, carry


def pad(digits: list[Digit], length: int, base: int) -> list[Digit]:
    """``digits`` (least significant first) with zero digits added up to ``length``."""
    return digits + [constant(0, base) for _ in range(length - len(digits))]


def nonzero(g: AigBuilder, digits: list[Digit]) -> int:
    """True iff some digit is not 0."""
    return g.or_all(d[0] ^ 1 for d in digits)


def select(g: AigBuilder, sel: int, then: list[Digit], else_: list[Digit]) -> list[Digit]:
    """Digit by digit, ``then`` where ``sel`` is true, else ``else_``."""
    return [
        [g.mux(sel, t, e) for t, e in zip(dt, de, strict=True)]
        for dt, de in zip(then, else_, strict=True)
    ]


def _times_digit(g: AigBuilder, x: list[Digit], y: Digit) -> list[Digit]:
    """x * y for one digit y: the digit products' low digits plus their high digits shifted
    one place (len(x) + 1 digits)."""
    base = len(y)
    low, high = [], []
    for xd in x:
        by_low: dict[int, list[int]] = {}
        by_high: dict[int, list[int]] = {}
        for u in range(base):
            for v in range(base):
                lit = g.and_(xd[u], y[v])
                by_low.setdefault(u * v % base, []).append(lit)
                by_high.setdefault(u * v // base, []).append(lit)
        low.append(_values(g, by_low, base))
        high.append(_values(g, by_high, base))
    width = len(x) + 1
    total, _ = ripple(g, pad(low, width, base), [constant(0, base), *high], +1)
    return total


def magnitude_product(g: AigBuilder, x: list[Digit], y: list[Digit]) -> list[Digit]:
    """|x| * |y| (2n digits): the rows x * y_j * b^j summed pairwise level by level with
    ripple-carry adders (an odd one out carried up)."""
    base, width = len(x[0]), 2 * len(x)
    rows = [
        pad([constant(0, base)] * j + _times_digit(g, x, yd), width, base)[:width]
        for j, yd in enumerate(y)
    ]
    while len(rows) > 1:
        paired = [ripple(g, rows[i], rows[i + 1], +1)[0] for i in range(0, len(rows) - 1, 2)]
        rows = paired + rows[len(rows) - len(rows) % 2 :]
    return rows[0]


def reference(
    g: AigBuilder, op: str, z: IntSystem, x: Sequence[int], y: Sequence[int]
) -> list[int]:
    """The literals of ``z.encode_result(op, x, y)`` for the encodings ``x`` and ``y`` (valid
    ones; on invalid inputs the result is unspecified): one bit for ``compare``."""
    xs, xd = blocks(z, x)
    ys, yd = blocks(z, y)
    b, n = z.b, z.n
    x_neg = g.and_(xs, nonzero(g, xd))  # negative zero is zero
    y_neg = g.and_(ys, nonzero(g, yd))
    if op == "compare":
        _, x_smaller = ripple(g, xd, yd, -1)  # borrow of |x| - |y|
        _, y_smaller = ripple(g, yd, xd, -1)
        both_neg, none_neg = g.and_(x_neg, y_neg), g.and_(x_neg ^ 1, y_neg ^ 1)
        gt = g.or_all(
            [
                g.and_(x_neg ^ 1, y_neg),
                g.and_(none_neg, y_smaller),
                g.and_(both_neg, x_smaller),
            ]
        )
        return [gt]
    if op == "mul":
        magnitude = magnitude_product(g, xd, yd)
        sign = g.and_(g.xor(xs, ys), nonzero(g, magnitude))
        return encoding(sign, magnitude)
    if op not in ("add", "sub"):
        raise ValueError(f"unknown operation {op!r}")
    y_neg = y_neg if op == "add" else g.and_(ys ^ 1, nonzero(g, yd))
    wide_x, wide_y = pad(xd, n + 1, b), pad(yd, n + 1, b)
    total, _ = ripple(g, wide_x, wide_y, +1)
    x_minus_y, x_smaller = ripple(g, wide_x, wide_y, -1)
    y_minus_x, _ = ripple(g, wide_y, wide_x, -1)
    same = g.xor(x_neg, y_neg) ^ 1
    difference = select(g, x_smaller, y_minus_x, x_minus_y)
    magnitude = select(g, same, total, difference)
    negative = g.mux(same, x_neg, g.mux(x_smaller, y_neg, x_neg))
    sign = g.and_(negative, nonzero(g, magnitude))
    return encoding(sign, magnitude)
