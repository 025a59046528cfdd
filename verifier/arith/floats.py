"""Floating point F(p, q, b): exact reference semantics (DESIGN.md 2.8, paper Section 3.2).

A number is +-0.d1...dp x b^e with |e| <= emax = b^q - 1. Numbers are represented by their exact
value as a :class:`fractions.Fraction`; zero is ``Fraction(0)`` (there is one zero). Every result
is :meth:`FloatSystem.round` of the exact rational result:

- r = 0 gives +0;
- otherwise |r| = m x b^e with 1/b <= m < 1; m*b^p is rounded to an integer M, half to even (a tie
  goes to the even *integer*); if M = b^p the number is renormalized (M = b^(p-1), e = e + 1);
- then e > emax saturates to the largest magnitude with the sign of r, and e < -emax flushes
  to +0.

>>> f = FloatSystem(3, 1, 10)             # 0.d1d2d3 x 10^e, |e| <= 9
>>> f.add(Fraction(999, 1000), Fraction(1, 2000))   # 0.9995 is a tie: 999|5 -> 1000 -> 0.100e1
Fraction(1, 1)
>>> f.mul(f.largest, 2) == f.largest     # overflow saturates
True
>>> f.mul(f.smallest_normal, Fraction(1, 10))   # underflow flushes to +0
Fraction(0, 1)

One-hot encoding (2 + b(q+p) bits): exponent sign (1 = negative), fraction sign (1 = negative),
the q exponent digits most significant first, then d1..dp, each one-hot in b bits. Zero has
fraction digits 0, fraction sign + and exponent -emax; exponent 0 has sign +.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

from verifier.arith.integers import one_hot, read_one_hot

__all__ = [
    "FloatSystem",
    "Piece",
    "RawFloat",
    "RawSystem",
    "Term",
    "exponent_of",
    "pairwise",
    "round_half_even",
]

Number = Fraction | int


def _fraction(r: object) -> Fraction:
    if isinstance(r, bool) or not isinstance(r, Rational):
        raise TypeError(f"expected an exact rational (Fraction or int), got {r!r}")
    return Fraction(r)


def exponent_of(r: Fraction, b: int) -> int:
    """The e with b^(e-1) <= |r| < b^e, i.e. |r| = m x b^e with 1/b <= m < 1 (r != 0)."""
    a = abs(Fraction(r))
    if a == 0:
        raise ValueError("zero has no exponent")
    # first estimate from the bit lengths, then correct exactly
    e = int((a.numerator.bit_length() - a.denominator.bit_length()) / math.log2(b))
    while _power(b, e - 1) > a:
        e -= 1
    while _power(b, e) <= a:
        e += 1
    return e


def _power(b: int, e: int) -> Fraction:
    return Fraction(b) ** e


def round_half_even(r: Fraction) -> int:
    """The integer nearest to r; a tie goes to the even integer."""
    floor = r.numerator // r.denominator
    rest = r - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        return floor + 1
    return floor


def pairwise(values: Sequence[Fraction], op: Callable[[Fraction, Fraction], Fraction]) -> Fraction:
    """Reduce ``values`` pairwise level by level (v1 op v2, v3 op v4, ...; an odd one out is
    carried up unchanged), until one value is left: DESIGN 2.8's canonical order."""
    level = list(values)
    if not level:
        raise ValueError("pairwise reduction of no values")
    while len(level) > 1:
        nxt = [op(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


@dataclass(frozen=True)
class Term:
    """One term ``coefficient * x^power`` of a polynomial (coefficient representable)."""

    coefficient: Fraction
    power: int


@dataclass(frozen=True)
class Piece:
    """A polynomial on the half-open interval ``lower <= x < upper`` (None: unbounded).

    The polynomial is the sum of ``terms`` in the order given; the bounds are representable.
    """

    lower: Fraction | None
    upper: Fraction | None
    terms: tuple[Term, ...]

    def contains(self, x: Fraction) -> bool:
        """Whether lower <= x < upper (closed on the left, open on the right)."""
        return (self.lower is None or self.lower <= x) and (self.upper is None or x < self.upper)


@dataclass(frozen=True)
class RawFloat:
    """A raw number +-d0.d1...dk x b^exponent (paper Section 3.2, the raw system F*(p', q', b)).

    ``digits[0]`` is the digit d0 to the left of the radix point, ``digits[1:]`` are d1..dk to its
    right; any digits (leading zeros, d0 != 0, all zeros) are allowed. Its value is
    ``(-1 if negative else 1) * sum(digits[i] * b^-i) * b^exponent``.
    """

    negative: bool
    digits: tuple[int, ...]
    exponent: int

    def value(self, b: int) -> Fraction:
        """The exact value of this raw number in base b."""
        if not self.digits:
            raise ValueError("a raw number needs at least the digit left of the radix point")
        for digit in self.digits:
            if not isinstance(digit, int) or not 0 <= digit < b:
                raise ValueError(f"digit {digit!r} is not a digit of base {b}")
        magnitude = sum(Fraction(d, b**i) for i, d in enumerate(self.digits))
        magnitude *= _power(b, self.exponent)
        return -magnitude if self.negative else magnitude


@dataclass(frozen=True)
class FloatSystem:
    """F(p, q, b): p fraction digits, q exponent digits, base b."""

    p: int
    q: int
    b: int

    def __post_init__(self) -> None:
        for name, low in (("p", 1), ("q", 1), ("b", 2)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"F(p, q, b) needs {name} >= {low}, got {name} = {value!r}")

    def __str__(self) -> str:
        return f"F({self.p}, {self.q}, {self.b})"

    # -- the range -------------------------------------------------------------------------

    @property
    def emax(self) -> int:
        """The largest exponent b^q - 1 (the smallest is -emax)."""
        return self.b**self.q - 1

    @property
    def width(self) -> int:
        """Bits of one encoding: 2 + b(q+p)."""
        return 2 + self.b * (self.q + self.p)

    @property
    def largest(self) -> Fraction:
        """The largest representable value 0.(b-1)...(b-1) x b^emax."""
        return (1 - _power(self.b, -self.p)) * _power(self.b, self.emax)

    @property
    def smallest_normal(self) -> Fraction:
        """The smallest positive value 0.10...0 x b^-emax."""
        return _power(self.b, -self.emax - 1)

    def count(self) -> int:
        """The number of representable values (one zero)."""
        return 2 * (2 * self.emax + 1) * (self.b**self.p - self.b ** (self.p - 1)) + 1

    def values(self) -> list[Fraction]:
        """Every representable value, ascending (0 once)."""
        positive = [
            Fraction(mant) * _power(self.b, e - self.p)
            for e in range(-self.emax, self.emax + 1)
            for mant in range(self.b ** (self.p - 1), self.b**self.p)
        ]
        return [-v for v in reversed(positive)] + [Fraction(0)] + positive

    def contains(self, x: object) -> bool:
        """Whether ``x`` is an exact rational that F(p, q, b) represents."""
        try:
            x = _fraction(x)
        except TypeError:
            return False
        return self.round(x) == x

    def check(self, x: object) -> Fraction:
        """``x`` as a Fraction if representable, else ValueError."""
        x = _fraction(x)
        if self.round(x) != x:
            raise ValueError(f"{x} is not representable in {self}")
        return x

    def split(self, x: Number) -> tuple[bool, int, int]:
        """(negative, e, M) with x = +-M x b^(e-p), b^(p-1) <= M < b^p (x representable, != 0)."""
        x = self.check(x)
        if x == 0:
            raise ValueError("zero has no exponent and mantissa")
        e = exponent_of(x, self.b)
        mant = abs(x) * _power(self.b, self.p - e)
        assert mant.denominator == 1
        return x < 0, e, int(mant)

    # -- rounding and operations -----------------------------------------------------------

    def round(self, r: Number) -> Fraction:
        """The value of F(p, q, b) that the exact result r rounds to (DESIGN 2.8)."""
        r = _fraction(r)
        if r == 0:
            return Fraction(0)
        e = exponent_of(r, self.b)
        mant = round_half_even(abs(r) * _power(self.b, self.p - e))
        if mant == self.b**self.p:
            mant, e = self.b ** (self.p - 1), e + 1
        if e > self.emax:
            return self.largest if r > 0 else -self.largest
        if e < -self.emax:
            return Fraction(0)
        value = Fraction(mant) * _power(self.b, e - self.p)
        return value if r > 0 else -value

    def add(self, x: Number, y: Number) -> Fraction:
        """round(x + y) for representable x, y."""
        return self.round(self.check(x) + self.check(y))

    def mul(self, x: Number, y: Number) -> Fraction:
        """round(x * y) for representable x, y."""
        return self.round(self.check(x) * self.check(y))

    def normalize(self, raw: RawFloat) -> Fraction:
        """The normalization (Lemma 3.6) of a raw number: the rounding of its exact value."""
        return self.round(raw.value(self.b))

    def poly(self, pieces: Sequence[Piece], x: Number) -> Fraction:
        """A piecewise polynomial activation (Theorem 3.9) at representable x.

        The first piece whose interval [lower, upper) contains x is used (ValueError if none).
        Each term a*x^k has the factors (a, x, ..., x) (k copies of x), multiplied pairwise level
        by level with every product rounded; then the terms, in the order of the piece, are
        summed pairwise level by level with every sum rounded. A term of power 0 is a itself;
        a piece without terms is 0.
        """
        x = self.check(x)
        for piece in pieces:
            for bound in (piece.lower, piece.upper):
                if bound is not None:
                    self.check(bound)
        piece = next((pc for pc in pieces if pc.contains(x)), None)
        if piece is None:
            raise ValueError(f"no piece contains x = {x}")
        values = []
        for term in piece.terms:
            if not isinstance(term.power, int) or term.power < 0:
                raise ValueError(f"power {term.power!r} is not a non-negative integer")
            factors = [self.check(term.coefficient)] + [x] * term.power
            values.append(pairwise(factors, self.mul))
        return pairwise(values, self.add) if values else Fraction(0)

    def format(self, x: Number) -> str:
        """``x`` as the paper writes it: sign, 0.d1...dp in base b, then e and the exponent in
        decimal (``-0.101e+1`` in base 2 is -2.5); zero is ``0``. Digits above 9 are written
        in brackets (``0.[11]3e-1``)."""
        if self.check(x) == 0:
            return "0"
        negative, e, mant = self.split(x)
        digits = "".join(str(d) if d < 10 else f"[{d}]" for d in self._digits(mant, self.p))
        return f"{'-' if negative else ''}0.{digits}e{e:+d}"

    # -- encodings ---------------------------------------------------------------------------

    def _digits(self, value: int, count: int) -> list[int]:
        out = []
        for _ in range(count):
            value, digit = divmod(value, self.b)
            out.append(digit)
        assert value == 0
        return out[::-1]

    def encode(self, x: Number) -> tuple[bool, ...]:
        """The normalized one-hot encoding of representable x."""
        if self.check(x) == 0:
            negative, e, fraction = False, -self.emax, [0] * self.p
        else:
            negative, e, mant = self.split(x)
            fraction = self._digits(mant, self.p)
        bits: list[bool] = [e < 0, negative]
        for digit in self._digits(abs(e), self.q) + fraction:
            bits.extend(one_hot(digit, self.b))
        return tuple(bits)

    def decode(self, bits: Sequence[bool]) -> Fraction:
        """The value of a valid normalized encoding; ValueError naming the problem otherwise."""
        bits = tuple(bool(bit) for bit in bits)
        if len(bits) != self.width:
            raise ValueError(
                f"an encoding of {self} has {self.width} bits (2 signs + {self.q} exponent "
                f"digits + {self.p} fraction digits, {self.b} bits each), got {len(bits)}"
            )
        exp_negative, negative = bits[0], bits[1]
        digits = [
            read_one_hot(
                bits[2 + i * self.b : 2 + (i + 1) * self.b],
                self.b,
                f"exponent digit {i + 1}" if i < self.q else f"fraction digit {i - self.q + 1}",
            )
            for i in range(self.q + self.p)
        ]
        magnitude = 0
        for digit in digits[: self.q]:
            magnitude = magnitude * self.b + digit
        e = -magnitude if exp_negative else magnitude
        if exp_negative and magnitude == 0:
            raise ValueError("not normalized: exponent 0 must have sign + (exponent sign bit 0)")
        fraction = digits[self.q :]
        if fraction[0] == 0:
            if any(fraction):
                raise ValueError("not normalized: leading fraction digit d1 is 0 but d1..dp != 0")
            if negative:
                raise ValueError("not normalized: zero must have fraction sign + (bit 0)")
            if e != -self.emax:
                raise ValueError(f"not normalized: zero must have exponent -{self.emax}, got {e}")
            return Fraction(0)
        mant = 0
        for digit in fraction:
            mant = mant * self.b + digit
        value = Fraction(mant) * _power(self.b, e - self.p)
        return -value if negative else value

    def valid_encodings(self) -> Iterator[tuple[bool, ...]]:
        """Every valid (normalized) encoding, in the order of :meth:`values`."""
        return (self.encode(v) for v in self.values())


@dataclass(frozen=True)
class RawSystem:
    """Raw numbers F*(p', q', b) of the paper: +-d0.d1...dp' x b^e, |e| <= b^q' - 1.

    Encoding (2 + b(q'+1+p') bits): exponent sign, fraction sign (1 = negative), the q' exponent
    digits most significant first, then d0, d1..dp', each one-hot in b bits. Any digit pattern
    and either sign is a valid raw input (an exponent 0 or a zero fraction with sign 1 means the
    same as with sign 0); :meth:`encode` writes exponent 0 with sign +.
    """

    p: int
    q: int
    b: int

    def __post_init__(self) -> None:
        FloatSystem(self.p, self.q, self.b)  # same parameter checks

    @property
    def emax(self) -> int:
        """The largest raw exponent b^q' - 1."""
        return self.b**self.q - 1

    @property
    def width(self) -> int:
        """Bits of one raw encoding: 2 + b(q'+1+p')."""
        return 2 + self.b * (self.q + 1 + self.p)

    def encode(self, raw: RawFloat) -> tuple[bool, ...]:
        """The one-hot encoding of ``raw`` (which must have 1 + p' digits and |e| <= emax)."""
        if len(raw.digits) != 1 + self.p:
            raise ValueError(f"a raw number of {self} has {1 + self.p} digits (d0..dp')")
        if abs(raw.exponent) > self.emax:
            raise ValueError(f"raw exponent {raw.exponent} exceeds {self.emax}")
        raw.value(self.b)  # digit checks
        bits: list[bool] = [raw.exponent < 0, raw.negative]
        magnitude = abs(raw.exponent)
        exponent_digits = []
        for _ in range(self.q):
            magnitude, digit = divmod(magnitude, self.b)
            exponent_digits.append(digit)
        for digit in exponent_digits[::-1] + list(raw.digits):
            bits.extend(one_hot(digit, self.b))
        return tuple(bits)

    def decode(self, bits: Sequence[bool]) -> RawFloat:
        """The raw number encoded by ``bits``; ValueError for a wrong length or a bad digit."""
        bits = tuple(bool(bit) for bit in bits)
        if len(bits) != self.width:
            raise ValueError(f"a raw encoding of {self} has {self.width} bits, got {len(bits)}")
        digits = [
            read_one_hot(
                bits[2 + i * self.b : 2 + (i + 1) * self.b],
                self.b,
                f"exponent digit {i + 1}" if i < self.q else f"fraction digit d{i - self.q}",
            )
            for i in range(self.q + 1 + self.p)
        ]
        magnitude = 0
        for digit in digits[: self.q]:
            magnitude = magnitude * self.b + digit
        return RawFloat(bits[1], tuple(digits[self.q :]), -magnitude if bits[0] else magnitude)

    def count(self) -> int:
        """The number of raw encodings (all valid): 4 b^(q'+1+p')."""
        return 4 * self.b ** (self.q + 1 + self.p)

    def valid_encodings(self) -> Iterator[tuple[bool, ...]]:
        """Every raw encoding: both signs, every exponent digit pattern (so exponent 0 with
        either sign) and every fraction digit pattern."""
        blocks = [one_hot(d, self.b) for d in range(self.b)]
        for signs in itertools.product((False, True), repeat=2):
            for digits in itertools.product(blocks, repeat=self.q + 1 + self.p):
                yield signs + tuple(bit for block in digits for bit in block)

    def format(self, raw: RawFloat) -> str:
        """``raw`` as written in the paper, digits as they are: ``-1.0110e-3`` is
        -1.0110 (base b) x b^-3; digits above 9 in brackets, as :meth:`FloatSystem.format`."""
        text = [str(d) if d < 10 else f"[{d}]" for d in raw.digits]
        sign = "-" if raw.negative else ""
        return f"{sign}{text[0]}.{''.join(text[1:])}e{raw.exponent:+d}"

    def __str__(self) -> str:
        return f"F*({self.p}, {self.q}, {self.b})"
