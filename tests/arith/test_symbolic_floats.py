"""The symbolic float reference (fadd, fmul, fnormalize) against FloatSystem: every pair of
normalized encodings (every raw encoding for fnormalize) of small systems (bit-parallel AIG
evaluation), and the validity literals on every bit pattern of tiny systems."""

from __future__ import annotations

import itertools
import random

import pytest

from verifier.arith.floats import FloatSystem, RawSystem
from verifier.arith.symbolic_floats import (
    float_reference,
    float_valid,
    normalize_reference,
    raw_valid,
)
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


# --- fnormalize: the normalization of a raw number (Lemma 3.6) -------------------------------


def evaluate_rows(
    aig: Aig, lits: list[int], rows: list[tuple[bool, ...]]
) -> list[tuple[bool, ...]]:
    """The values of ``lits`` on every input row, all rows at once (bit k = row k)."""
    mask = (1 << len(rows)) - 1
    leaves = [0] * aig.num_inputs
    for k, row in enumerate(rows):
        for i, bit in enumerate(row):
            if bit:
                leaves[i] |= 1 << k
    values = aig.evaluate(leaves, mask)
    words = [Aig.value(values, lit, mask) for lit in lits]
    return [tuple(bool(w >> k & 1) for w in words) for k in range(len(rows))]


def normalize_circuit(raw: RawSystem, f: FloatSystem) -> tuple[Aig, list[int], int]:
    """The AIG of the normalization reference and of the raw validity literal."""
    g = AigBuilder(raw.width)
    x = [g.input(i) for i in range(raw.width)]
    out = normalize_reference(g, raw, f, x)
    ok = raw_valid(g, raw, x)
    return g.build(), out, ok


# (raw p', q', b) -> (p, q, b): raw_p below, at and above p + 1; raw_q below, at and above q
# (raw exponents beyond emax saturate or flush); bases 2 to 5.
NORMALIZE_SYSTEMS = [
    ((1, 1, 2), (2, 1, 2)),
    ((4, 1, 2), (2, 2, 2)),
    ((3, 2, 2), (3, 1, 2)),
    ((2, 1, 2), (1, 1, 2)),
    ((3, 1, 2), (2, 1, 2)),
    ((5, 1, 2), (2, 1, 2)),
    ((2, 1, 3), (2, 1, 3)),
    ((3, 1, 3), (1, 1, 3)),
    ((4, 1, 3), (1, 1, 3)),
    ((1, 2, 3), (1, 1, 3)),
    ((2, 1, 4), (1, 1, 4)),
    ((1, 1, 4), (2, 2, 4)),
    ((2, 1, 5), (2, 1, 5)),
]


@pytest.mark.parametrize(
    ("raw_params", "f_params"), NORMALIZE_SYSTEMS, ids=[f"{r}->{f}" for r, f in NORMALIZE_SYSTEMS]
)
def test_normalize_reference_on_every_raw_encoding(
    raw_params: tuple[int, int, int], f_params: tuple[int, int, int]
) -> None:
    raw, f = RawSystem(*raw_params), FloatSystem(*f_params)
    aig, out, ok = normalize_circuit(raw, f)
    encodings = list(raw.valid_encodings())
    assert len(encodings) == raw.count()
    results = evaluate_rows(aig, [*out, ok], encodings)
    for encoding, got in zip(encodings, results, strict=True):
        x = raw.decode(encoding)
        assert got[-1], raw.format(x)  # every raw encoding is valid
        want = f.normalize(x)
        assert got[:-1] == f.encode(want), (raw.format(x), f.format(want))


def test_normalize_reference_sees_saturation_and_flush() -> None:
    # The systems above include raw numbers that overflow, underflow and cancel to zero.
    raw, f = RawSystem(3, 2, 2), FloatSystem(3, 1, 2)
    results = {f.normalize(raw.decode(e)) for e in raw.valid_encodings()}
    assert {f.largest, -f.largest, 0, f.smallest_normal} <= results


def one_hot_blocks(raw: RawSystem, row: tuple[bool, ...]) -> bool:
    """Whether every digit block of a raw encoding has exactly one bit set (the signs free)."""
    b = raw.b
    return all(sum(row[2 + i * b : 2 + (i + 1) * b]) == 1 for i in range(raw.q + 1 + raw.p))


@pytest.mark.parametrize(("p", "q", "b"), [(1, 1, 2), (2, 1, 2), (1, 1, 3)])
def test_raw_validity_on_every_bit_pattern(p: int, q: int, b: int) -> None:
    raw = RawSystem(p, q, b)
    aig, _, ok = normalize_circuit(raw, FloatSystem(1, 1, b))
    patterns = list(itertools.product([False, True], repeat=raw.width))
    got = evaluate_rows(aig, [ok], patterns)
    valid = set(raw.valid_encodings())
    for bits, (value,) in zip(patterns, got, strict=True):
        assert value == (bits in valid) == one_hot_blocks(raw, bits), bits


@pytest.mark.parametrize(("p", "q", "b"), [(4, 1, 2), (3, 1, 3), (2, 2, 5)])
def test_raw_validity_on_random_rows(p: int, q: int, b: int) -> None:
    """Valid encodings with one digit block broken (no bit, two bits, every bit), and
    uniformly random rows (almost never one-hot)."""
    raw = RawSystem(p, q, b)
    aig, _, ok = normalize_circuit(raw, FloatSystem(1, 1, b))
    rng = random.Random(7)
    encodings = list(raw.valid_encodings())
    blocks = raw.q + 1 + raw.p
    rows = []
    for _ in range(300):
        row = list(rng.choice(encodings))
        first = 2 + rng.randrange(blocks) * b
        block = row[first : first + b]
        kind = rng.randrange(3)
        if kind == 0:
            block = [False] * b
        elif kind == 1:
            extra = rng.choice([i for i in range(b) if not block[i]])
            block[extra] = True
        else:
            block = [True] * b
        row[first : first + b] = block
        rows.append(tuple(row))
    rows += [tuple(rng.random() < 0.5 for _ in range(raw.width)) for _ in range(300)]
    rows += rng.sample(encodings, 50)
    got = evaluate_rows(aig, [ok], rows)
    expected = [one_hot_blocks(raw, row) for row in rows]
    assert expected.count(False) >= 300
    assert [value for (value,) in got] == expected


def test_normalize_reference_needs_one_base() -> None:
    raw = RawSystem(2, 1, 3)
    g = AigBuilder(raw.width)
    x = [g.input(i) for i in range(raw.width)]
    with pytest.raises(ValueError, match=r"F\*\(2, 1, 3\) and F\(2, 1, 2\) have different bases"):
        normalize_reference(g, raw, FloatSystem(2, 1, 2), x)
    with pytest.raises(ValueError, match="has 14 bits, got 13"):
        normalize_reference(g, raw, FloatSystem(2, 1, 3), x[:-1])
