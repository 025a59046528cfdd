"""The symbolic float reference (fadd, fmul) against FloatSystem: every pair of normalized
encodings of small systems (bit-parallel AIG evaluation), and the validity literal on every
bit pattern of tiny systems."""

from __future__ import annotations

import itertools

import pytest

from verifier.arith.floats import FloatSystem
from verifier.arith.symbolic_floats import float_reference, float_valid
from verifier.ir.aig import Aig, AigBuilder


def evaluate(f: FloatSystem, op: str, pairs: list[tuple[tuple[bool, ...], tuple[bool, ...]]]):  # type: ignore[no-untyped-def]
    """The reference's output bits and validity of both operands for every pair."""
    g = AigBuilder(2 * f.width)
    x = [g.input(i) for i in range(f.width)]
    y = [g.input(f.width + i) for i in range(f.width)]
    out = float_reference(g, op, f, x, y)
    ok = g.and_(float_valid(g, f, x), float_valid(g, f, y))
    aig = g.build()
    mask = (1 << len(pairs)) - 1
    leaves = [0] * (2 * f.width)
    for k, (a, b) in enumerate(pairs):
        for i, bit in enumerate(a + b):
            if bit:
                leaves[i] |= 1 << k
    values = aig.evaluate(leaves, mask)
    bits = [Aig.value(values, lit, mask) for lit in out]
    rows = [tuple(bool(v >> k & 1) for v in bits) for k in range(len(pairs))]
    return rows, Aig.value(values, ok, mask)


@pytest.mark.parametrize(
    ("p", "q", "b"), [(1, 1, 2), (2, 1, 2), (3, 1, 2), (2, 2, 2), (1, 1, 3), (2, 1, 3), (1, 1, 4)]
)
@pytest.mark.parametrize("op", ["fadd", "fmul"])
def test_reference_on_every_pair(op: str, p: int, q: int, b: int) -> None:
    f = FloatSystem(p, q, b)
    apply = {"fadd": f.add, "fmul": f.mul}[op]
    encodings = list(f.valid_encodings())
    pairs = list(itertools.product(encodings, encodings))
    rows, valid = evaluate(f, op, pairs)
    assert valid == (1 << len(pairs)) - 1
    for (a, c), got in zip(pairs, rows, strict=True):
        assert got == f.encode(apply(f.decode(a), f.decode(c))), (f.decode(a), f.decode(c))


@pytest.mark.parametrize(("p", "q", "b"), [(1, 1, 2), (2, 1, 2), (1, 1, 3)])
def test_validity_is_exactly_normalization(p: int, q: int, b: int) -> None:
    f = FloatSystem(p, q, b)
    patterns = list(itertools.product([False, True], repeat=f.width))
    g = AigBuilder(f.width)
    ok = float_valid(g, f, [g.input(i) for i in range(f.width)])
    aig = g.build()
    valid = set(f.valid_encodings())
    for bits in patterns:
        values = aig.evaluate([int(v) for v in bits])
        assert bool(Aig.value(values, ok)) == (bits in valid), bits


def test_unknown_operation() -> None:
    f = FloatSystem(1, 1, 2)
    g = AigBuilder(2 * f.width)
    with pytest.raises(ValueError, match="covers fadd and fmul, not 'fdiv'"):
        float_reference(g, "fdiv", f, [g.input(i) for i in range(f.width)], [0] * f.width)
