"""Z(n, b) reference semantics (DESIGN.md 2.7): encodings and operations against Python ints."""

from __future__ import annotations

import doctest
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import verifier.arith.integers as integers_module
from verifier.arith.integers import OPERATIONS, IntSystem

SMALL = [IntSystem(n, b) for b in (2, 3, 10) for n in (1, 2, 3)]


def bits(text: str) -> tuple[bool, ...]:
    return tuple(ch == "1" for ch in text.replace(" ", ""))


def test_doctests() -> None:
    assert doctest.testmod(integers_module).failed == 0


def test_design_example() -> None:
    z = IntSystem(2, 3)
    assert z.encode(-5) == bits("1 010 001")
    assert z.decode(bits("1 010 001")) == -5
    assert z.width == 7 and z.max_value == 8


@pytest.mark.parametrize("z", SMALL, ids=str)
def test_round_trip_every_value(z: IntSystem) -> None:
    values = list(z.values())
    assert values == sorted(values) and len(values) == 2 * z.b**z.n - 1
    assert values[0] == -z.max_value and values[-1] == z.max_value == z.b**z.n - 1
    for x in values:
        code = z.encode(x)
        assert len(code) == z.width == 1 + z.n * z.b
        assert z.decode(code) == x
    assert z.encode(0)[0] is False


@pytest.mark.parametrize("z", SMALL, ids=str)
def test_valid_encodings_are_exactly_the_decodable_ones(z: IntSystem) -> None:
    valid = list(z.valid_encodings())
    assert len(valid) == len(set(valid)) == 2 * z.b**z.n
    decoded = [z.decode(code) for code in valid]
    assert sorted(set(decoded)) == list(z.values())
    if z.width <= 13:  # every bit string: exactly the valid ones decode
        valid_set = set(valid)
        for code in itertools.product((False, True), repeat=z.width):
            if code in valid_set:
                z.decode(code)
            else:
                with pytest.raises(ValueError):
                    z.decode(code)


@pytest.mark.parametrize("z", SMALL, ids=str)
def test_negative_zero_decodes_to_zero(z: IntSystem) -> None:
    negative_zero = (True, *z.encode(0)[1:])
    assert z.decode(negative_zero) == 0
    assert negative_zero in set(z.valid_encodings())


def test_invalid_encodings_rejected_with_reason() -> None:
    z = IntSystem(2, 3)
    with pytest.raises(ValueError, match=r"7 bits.*got 6"):
        z.decode(bits("1 010 00"))
    with pytest.raises(ValueError, match=r"digit 1.*'011'.*2 bits set"):
        z.decode(bits("0 011 001"))
    with pytest.raises(ValueError, match=r"digit 2.*'000'.*0 bits set"):
        z.decode(bits("0 010 000"))
    with pytest.raises(ValueError, match="not in Z"):
        z.encode(9)
    with pytest.raises(ValueError, match="not in Z"):
        z.encode(True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n >= 1"):
        IntSystem(0, 2)
    with pytest.raises(ValueError, match="b >= 2"):
        IntSystem(2, 1)
    with pytest.raises(ValueError, match="unknown operation"):
        z.result_system("div")


def test_result_systems() -> None:
    z = IntSystem(3, 10)
    assert z.result_system("add") == z.result_system("sub") == IntSystem(4, 10)
    assert z.result_system("mul") == IntSystem(6, 10)
    assert z.result_system("compare") is None


@pytest.mark.parametrize("z", [IntSystem(n, b) for b in (2, 3) for n in (1, 2)], ids=str)
def test_operations_exhaustively(z: IntSystem) -> None:
    for x, y in itertools.product(z.values(), repeat=2):
        assert z.add(x, y) == x + y
        assert z.sub(x, y) == x - y
        assert z.mul(x, y) == x * y
        assert z.compare(x, y) is (x > y)
        for op in OPERATIONS:
            code = z.encode_result(op, x, y)
            system = z.result_system(op)
            if system is None:
                assert code == (x > y,)
            else:
                assert system.decode(code) == z.apply(op, x, y)


@given(st.data(), st.sampled_from([(b, n) for b in (2, 3, 10) for n in (1, 4, 8)]))
def test_operations_never_overflow(data: st.DataObject, bn: tuple[int, int]) -> None:
    z = IntSystem(bn[1], bn[0])
    x = data.draw(st.integers(-z.max_value, z.max_value))
    y = data.draw(st.integers(-z.max_value, z.max_value))
    for op, expected in (("add", x + y), ("sub", x - y), ("mul", x * y)):
        system = z.result_system(op)
        assert system is not None and system.contains(expected)
        assert system.decode(z.encode_result(op, x, y)) == expected
    assert z.encode_result("compare", x, y) == (x > y,)
    # the extreme cases reach the result systems' bounds
    m = z.max_value
    assert z.mul(m, -m) == -(z.b ** (2 * z.n)) + 2 * z.b**z.n - 1
    assert IntSystem(z.n + 1, z.b).contains(z.sub(-m, m))
