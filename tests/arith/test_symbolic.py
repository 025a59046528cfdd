"""The reference circuits of verifier.arith.symbolic against the Python semantics of
verifier.arith.integers: every valid input pair of small systems (negative zero included) and
hypothesis-drawn pairs of larger ones, evaluated bit-parallel (one bit position per pair), and
the validity literal on every bit pattern of tiny systems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.arith.integers import OPERATIONS, IntSystem
from verifier.arith.symbolic import reference, valid
from verifier.ir.aig import Aig, AigBuilder

SMALL = [(1, 2), (2, 2), (1, 3), (2, 3), (3, 2), (1, 10), (2, 4)]
"""(n, b) of the systems checked on every valid input pair."""
TINY = [(1, 2), (2, 2), (1, 3), (2, 3), (3, 2), (1, 10), (2, 4), (1, 5), (4, 2)]
"""(n, b) of the systems whose validity literal is checked on every bit pattern."""


@dataclass(frozen=True)
class Circuits:
    """One AIG over the inputs x (bits 0 .. width-1) and y (the next width bits): the
    reference literals of every operation and the validity literals of both operands."""

    z: IntSystem
    aig: Aig
    outputs: dict[str, list[int]]
    valid_x: int
    valid_y: int


@cache
def circuits(n: int, b: int) -> Circuits:
    z = IntSystem(n, b)
    g = AigBuilder(2 * z.width)
    x = [g.input(i) for i in range(z.width)]
    y = [g.input(z.width + i) for i in range(z.width)]
    outputs = {op: reference(g, op, z, x, y) for op in OPERATIONS}
    valid_x, valid_y = valid(g, z, x), valid(g, z, y)
    return Circuits(z, g.build(), outputs, valid_x, valid_y)


def pack(rows: Sequence[Sequence[bool]]) -> tuple[list[int], int]:
    """Rows of bits as one int per column (bit k of column i = rows[k][i]) and the mask."""
    width = len(rows[0])
    columns = [0] * width
    for k, row in enumerate(rows):
        for i, bit in enumerate(row):
            if bit:
                columns[i] |= 1 << k
    return columns, (1 << len(rows)) - 1


def operand(z: IntSystem, value: int, negative_zero: bool = False) -> tuple[bool, ...]:
    """The encoding of ``value``, with the sign bit set if it is zero and ``negative_zero``."""
    bits = z.encode(value)
    return (True, *bits[1:]) if value == 0 and negative_zero else bits


def mismatches(
    c: Circuits,
    op: str,
    pairs: Sequence[tuple[tuple[bool, ...], tuple[bool, ...]]],
    expect_op: str | None = None,
) -> list[str]:
    """The pairs of encodings on which the circuit of ``op`` differs from
    ``encode_result(expect_op or op, ...)`` of the decoded operands (all pairs evaluated at
    once, one bit position each), or on which an operand is not reported valid."""
    z = c.z
    leaves, mask = pack([(*ex, *ey) for ex, ey in pairs])
    values = c.aig.evaluate(leaves, mask)
    got = [Aig.value(values, lit, mask) for lit in c.outputs[op]]
    bad = []
    for k, (ex, ey) in enumerate(pairs):
        x, y = z.decode(ex), z.decode(ey)
        want = z.encode_result(expect_op or op, x, y)
        have = tuple(bool(column >> k & 1) for column in got)
        if have != want:
            bad.append(f"{op}: x = {x} ({int(ex[0])}), y = {y} ({int(ey[0])}): {have} != {want}")
        for lit, what in ((c.valid_x, "x"), (c.valid_y, "y")):
            if not Aig.value(values, lit, mask) >> k & 1:
                bad.append(f"{what} of x = {x}, y = {y} not reported valid")
    return bad


def all_pairs(z: IntSystem) -> list[tuple[tuple[bool, ...], tuple[bool, ...]]]:
    encodings = list(z.valid_encodings())
    return [(ex, ey) for ex in encodings for ey in encodings]


# --- every valid pair of small systems ----------------------------------------------------


@pytest.mark.parametrize("op", OPERATIONS)
@pytest.mark.parametrize(("n", "b"), SMALL)
def test_every_valid_pair_gives_the_reference_result(n: int, b: int, op: str) -> None:
    c = circuits(n, b)
    pairs = all_pairs(c.z)
    assert len(pairs) == (2 * b**n) ** 2
    assert any(ex == operand(c.z, 0, negative_zero=True) for ex, _ in pairs)  # -0 is there
    assert mismatches(c, op, pairs) == []


@pytest.mark.parametrize(("n", "b"), SMALL)
def test_result_widths(n: int, b: int) -> None:
    c = circuits(n, b)
    z = c.z
    assert len(c.outputs["compare"]) == 1
    for op in ("add", "sub", "mul"):
        system = z.result_system(op)
        assert system is not None and len(c.outputs[op]) == system.width


@pytest.mark.parametrize(
    ("op", "wrong"), [("add", "sub"), ("sub", "add"), ("mul", "add"), ("compare", "compare")]
)
def test_the_comparison_can_fail(op: str, wrong: str) -> None:
    """The harness itself: a circuit checked against another operation's results, or with one
    output literal negated, shows mismatches (n = 1: add, sub and mul results have the same
    width)."""
    c = circuits(1, 3)
    pairs = all_pairs(c.z)
    if op == wrong:
        outputs = dict(c.outputs)
        outputs[op] = [outputs[op][0] ^ 1]
        c = Circuits(c.z, c.aig, outputs, c.valid_x, c.valid_y)
    else:
        assert len(c.outputs[op]) == len(c.outputs[wrong])
    assert mismatches(c, op, pairs, expect_op=wrong)


def test_negative_zero_operands() -> None:
    """-0 and +0 give the same results, and every zero result has sign 0."""
    for n, b in SMALL:
        c = circuits(n, b)
        z = c.z
        values = [0, 1, -1, z.max_value, -z.max_value]
        pairs = [
            (operand(z, x, nx), operand(z, y, ny))
            for x in values
            for y in values
            for nx in (False, True)
            for ny in (False, True)
        ]
        for op in OPERATIONS:
            assert mismatches(c, op, pairs) == []


# --- the validity literal on every bit pattern --------------------------------------------


@pytest.mark.parametrize(("n", "b"), TINY)
def test_valid_on_every_bit_pattern(n: int, b: int) -> None:
    z = IntSystem(n, b)
    g = AigBuilder(z.width)
    lit = valid(g, z, [g.input(i) for i in range(z.width)])
    aig = g.build()
    patterns = 1 << z.width
    mask = (1 << patterns) - 1
    # Input i of pattern k is bit (width - 1 - i) of k: pattern k read as a binary number.
    leaves = [
        sum(1 << k for k in range(patterns) if k >> (z.width - 1 - i) & 1) for i in range(z.width)
    ]
    got = Aig.value(aig.evaluate(leaves, mask), lit, mask)
    accepted = 0
    for k in range(patterns):
        bits = tuple(bool(k >> (z.width - 1 - i) & 1) for i in range(z.width))
        blocks = [bits[1 + i * b : 1 + (i + 1) * b] for i in range(n)]
        one_hot = all(sum(block) == 1 for block in blocks)
        try:
            z.decode(bits)
            decodes = True
        except ValueError:
            decodes = False
        assert one_hot == decodes
        assert bool(got >> k & 1) == one_hot, bits
        accepted += one_hot
    assert accepted == 2 * b**n  # the sign is free: -0 included


def test_valid_rejects_each_kind_of_bad_block() -> None:
    z = IntSystem(2, 3)
    g = AigBuilder(z.width)
    lit = valid(g, z, [g.input(i) for i in range(z.width)])
    aig = g.build()

    def accepts(text: str) -> bool:
        return bool(Aig.value(aig.evaluate([c == "1" for c in text]), lit))

    assert accepts("0" + "100" + "001") and accepts("1" + "100" + "100")  # -0 is valid
    assert not accepts("0" + "000" + "001")  # no bit in the high digit
    assert not accepts("0" + "100" + "011")  # two bits in the low digit
    assert not accepts("1" + "111" + "010")  # three bits
    assert not accepts("0" + "000" + "000")


def test_bad_arguments() -> None:
    z = IntSystem(1, 2)
    g = AigBuilder(2 * z.width)
    x = [g.input(i) for i in range(z.width)]
    y = [g.input(z.width + i) for i in range(z.width)]
    with pytest.raises(ValueError, match="unknown operation"):
        reference(g, "div", z, x, y)
    with pytest.raises(ValueError, match="bits"):
        reference(g, "add", z, x[:-1], y)
    with pytest.raises(ValueError, match="bits"):
        valid(g, z, [*x, y[0]])


# --- random pairs of larger systems --------------------------------------------------------


@st.composite
def systems_and_pairs(
    draw: st.DrawFn,
) -> tuple[int, int, list[tuple[tuple[bool, ...], tuple[bool, ...]]]]:
    """A system Z(n, b) (n <= 6, 2 <= b <= 10) and up to 24 valid operand pairs; values near
    zero and the extremes are favoured, negative zero is drawn as well."""
    n = draw(st.integers(1, 6))
    b = draw(st.integers(2, 10))
    z = IntSystem(n, b)
    top = z.max_value
    value = st.one_of(
        st.integers(-top, top),
        st.sampled_from([0, 1, -1, top, -top, top - 1, -(top - 1), b ** (n - 1), -(b ** (n - 1))]),
    )
    one = st.tuples(value, st.booleans()).map(lambda t: operand(z, *t))
    pairs = draw(st.lists(st.tuples(one, one), min_size=1, max_size=24))
    return n, b, pairs


@settings(max_examples=80, deadline=None)
@given(systems_and_pairs())
def test_random_pairs_of_larger_systems(
    drawn: tuple[int, int, list[tuple[tuple[bool, ...], tuple[bool, ...]]]],
) -> None:
    n, b, pairs = drawn
    c = circuits(n, b)
    for op in OPERATIONS:
        assert mismatches(c, op, pairs) == []


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 6), st.integers(2, 10), st.data())
def test_digitwise_random_pairs_with_long_carry_chains(n: int, b: int, data: st.DataObject) -> None:
    """y's digits equal to x's, or to b-1 minus x's, so that carries and borrows run along
    the whole number (uniform values rarely do)."""
    z = IntSystem(n, b)
    c = circuits(n, b)
    digits = st.lists(st.integers(0, b - 1), min_size=n, max_size=n)
    pairs = []
    for _ in range(8):
        dx = data.draw(digits)
        for dy in (dx, [b - 1 - d for d in dx]):
            x = sum(d * b**i for i, d in enumerate(dx))
            y = sum(d * b**i for i, d in enumerate(dy))
            sx, sy = data.draw(st.booleans()), data.draw(st.booleans())
            pairs.append((operand(z, -x if sx else x, sx), operand(z, -y if sy else y, sy)))
    for op in OPERATIONS:
        assert mismatches(c, op, pairs) == []
