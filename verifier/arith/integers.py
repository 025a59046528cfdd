"""Integers Z(n, b) in one-hot base-b representation (DESIGN.md 2.7, paper Lemmas 3.2-3.4).

A value x with |x| <= b^n - 1 is written as a sign bit (1 = negative) followed by the n digits of
|x|, most significant first, each as b bits where bit j is 1 iff the digit is j:

>>> z = IntSystem(2, 3)
>>> "".join("1" if bit else "0" for bit in z.encode(-5))
'1010001'
>>> z.decode(z.encode(-5))
-5

Negative zero (sign 1, all digits 0) is a valid *input* encoding and decodes to 0; every output
zero, i.e. ``encode(0)``, has sign 0. Addition and subtraction map Z(n, b) x Z(n, b) to Z(n+1, b),
multiplication to Z(2n, b), so no operation overflows; comparison gives one bit, 1 iff x > y.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product

__all__ = ["OPERATIONS", "IntSystem", "one_hot", "read_one_hot"]

#: The binary operations of DESIGN 2.7, in the order the generators list them.
OPERATIONS = ("compare", "add", "sub", "mul")


def one_hot(digit: int, base: int) -> tuple[bool, ...]:
    """The b bits of one digit: bit j is 1 iff the digit is j."""
    return tuple(j == digit for j in range(base))


def read_one_hot(bits: Sequence[bool], base: int, what: str) -> int:
    """The digit whose one-hot block is ``bits``; ValueError naming ``what`` otherwise."""
    ones = [j for j, bit in enumerate(bits) if bit]
    if len(ones) != 1:
        pattern = "".join("1" if bit else "0" for bit in bits)
        raise ValueError(
            f"{what}: {pattern!r} is not a one-hot digit of base {base} "
            f"({len(ones)} bits set, expected exactly 1)"
        )
    return ones[0]


@dataclass(frozen=True)
class IntSystem:
    """Z(n, b): the integers x with |x| <= b^n - 1, n digits in base b."""

    n: int
    b: int

    def __post_init__(self) -> None:
        if not isinstance(self.n, int) or self.n < 1:
            raise ValueError(f"Z(n, b) needs n >= 1 digits, got n = {self.n!r}")
        if not isinstance(self.b, int) or self.b < 2:
            raise ValueError(f"Z(n, b) needs a base b >= 2, got b = {self.b!r}")

    def __str__(self) -> str:
        return f"Z({self.n}, {self.b})"

    @property
    def max_value(self) -> int:
        """The largest magnitude, b^n - 1."""
        return self.b**self.n - 1

    @property
    def width(self) -> int:
        """Bits of one encoding: 1 + n*b."""
        return 1 + self.n * self.b

    def values(self) -> range:
        """All representable integers, ascending (each once: negative zero is 0)."""
        return range(-self.max_value, self.max_value + 1)

    def contains(self, x: object) -> bool:
        """Whether ``x`` is an int (not a bool) of Z(n, b)."""
        return isinstance(x, int) and not isinstance(x, bool) and abs(x) <= self.max_value

    def check(self, x: object) -> int:
        """``x`` itself if representable, else ValueError."""
        if not self.contains(x):
            raise ValueError(f"{x!r} is not in {self} (|x| <= {self.max_value})")
        return x  # type: ignore[return-value]

    def digits(self, x: int) -> tuple[int, ...]:
        """The n digits of |x|, most significant first."""
        magnitude = abs(self.check(x))
        out = []
        for _ in range(self.n):
            magnitude, digit = divmod(magnitude, self.b)
            out.append(digit)
        return tuple(reversed(out))

    def encode(self, x: int) -> tuple[bool, ...]:
        """The one-hot encoding of ``x``; zero has sign 0."""
        bits: list[bool] = [x < 0]
        for digit in self.digits(x):
            bits.extend(one_hot(digit, self.b))
        return tuple(bits)

    def decode(self, bits: Sequence[bool]) -> int:
        """The integer encoded by ``bits`` (negative zero gives 0); ValueError if invalid."""
        bits = tuple(bool(bit) for bit in bits)
        if len(bits) != self.width:
            raise ValueError(
                f"an encoding of {self} has {self.width} bits (1 sign + {self.n} digits x "
                f"{self.b}), got {len(bits)}"
            )
        magnitude = 0
        for i in range(self.n):
            block = bits[1 + i * self.b : 1 + (i + 1) * self.b]
            magnitude = magnitude * self.b + read_one_hot(block, self.b, f"digit {i + 1}")
        return -magnitude if bits[0] else magnitude

    def valid_encodings(self) -> Iterator[tuple[bool, ...]]:
        """Every valid input encoding (2 * b^n of them, negative zero included)."""
        blocks = [one_hot(digit, self.b) for digit in range(self.b)]
        for sign in (False, True):
            for digits in product(blocks, repeat=self.n):
                yield (sign, *(bit for block in digits for bit in block))

    def result_system(self, op: str) -> IntSystem | None:
        """The system of the result of ``op`` (None for compare, whose result is one bit)."""
        if op == "compare":
            return None
        if op in ("add", "sub"):
            return IntSystem(self.n + 1, self.b)
        if op == "mul":
            return IntSystem(2 * self.n, self.b)
        raise ValueError(f"unknown operation {op!r}; expected one of {', '.join(OPERATIONS)}")

    def add(self, x: int, y: int) -> int:
        """x + y, an element of Z(n+1, b)."""
        return self.check(x) + self.check(y)

    def sub(self, x: int, y: int) -> int:
        """x - y, an element of Z(n+1, b)."""
        return self.check(x) - self.check(y)

    def mul(self, x: int, y: int) -> int:
        """x * y, an element of Z(2n, b)."""
        return self.check(x) * self.check(y)

    def compare(self, x: int, y: int) -> bool:
        """1 iff x > y."""
        return self.check(x) > self.check(y)

    def apply(self, op: str, x: int, y: int) -> int | bool:
        """The operation named ``op`` (one of :data:`OPERATIONS`) on x and y."""
        if op not in OPERATIONS:
            raise ValueError(f"unknown operation {op!r}; expected one of {', '.join(OPERATIONS)}")
        return getattr(self, op)(x, y)

    def encode_result(self, op: str, x: int, y: int) -> tuple[bool, ...]:
        """The encoding of op(x, y) in its result system (one bit for compare)."""
        result = self.apply(op, x, y)
        system = self.result_system(op)
        return (bool(result),) if system is None else system.encode(int(result))
