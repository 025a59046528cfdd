"""Floating-point programs (paper Lemmas 3.6-3.8 and Theorem 3.9), correctly rounded:
normalization of a raw number (:func:`fnormalize_program`), addition (:func:`fadd_program`),
multiplication (:func:`fmul_program`, described here) and piecewise polynomials
(:func:`poly_program`). The operations are sub-circuits on :class:`Operand` (numbers as
formulas), so that a polynomial composes them; they share the rounding (:func:`_round`), the
normalization (:func:`_normalize`) and the range check with the encoding (:func:`_encode`).

Interface (DESIGN.md 2.8): the inputs are the one-hot encodings of x then y in F(p, q, b) --
``XES`` (exponent sign), ``XFS`` (fraction sign), ``XE{i}_{d}`` for the exponent digits
i = q-1 .. 0 (i the power of b), ``XD{j}_{d}`` for the fraction digits d1 .. dp (j = 1 .. p)
-- and likewise ``Y...``; the print predicates ``ZES``, ``ZFS``, ``ZE{i}_{d}``, ``ZD{j}_{d}``
are the encoding of round(x * y) (or x + y). ``assume`` lines admit exactly the normalized
encodings.

Multiplication follows the proof of Lemma 3.8, with the rounding made exact:

1. the fractions, as p-digit integers, are multiplied by Lemma 3.4's tree of additions
   (:func:`verifier.generate.digits.product`): a 2p-digit product P;
2. P >= b^(2p-1) (its top digit is nonzero) or not: the mantissa is P's top p digits or the
   p digits below, and the *rest* the digits below the mantissa (one digit fewer, padded);
3. round half to even: up iff rest > b^p / 2, or rest = b^p / 2 and the mantissa is odd
   (for odd b, b^p / 2 is no integer and there are no ties); the mantissa plus ``up`` by the
   addition of Lemma 3.3; a carry out of it (the mantissa was b^p - 1) gives 0.10..0 and one
   more exponent;
4. the exponent ex + ey - 1 + [top digit nonzero] + [carry out], then DESIGN 2.8's range
   check: above b^q - 1 the result saturates to the largest magnitude (with the sign),
   below -(b^q - 1) it is +0; a zero factor gives +0.

The paper's proof only says "normalize" in step 3; step 2's choice between two positions and
step 3's carry out are what normalization means here, since a product of two normalized
fractions lies in [1/b^2, 1).

Exponents are added as *values*, not digit by digit: each exponent is decoded into one head per
value (2(b^q - 1) + 1 of them), the sum into one head per possible value. That is
O(b^(2q)) symbols, fine for the small exponent ranges of the issue (q <= 3 in base 2, q = 1 in
base 10) but not the paper's digit-wise exponent arithmetic; docs/arithmetic.md records this.

Timing as for the integer programs: every head has a level, T is the largest, and the flags
``F1 .. F{T}`` make the output rounds exactly the fixed-point rounds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from verifier.arith.floats import FloatSystem, Piece, RawSystem
from verifier.arith.pieces import check_pieces, format_pieces
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.generate.digits import (
    Builder,
    Number,
    add,
    pair_sum,
    product,
    subtract,
    zero_digit,
)
from verifier.generate.integers import conjunction, disjunction, flags
from verifier.models import AttentionBits, BnlProgram, Head

__all__ = [
    "Operand",
    "fadd_program",
    "float_assumptions",
    "float_input_names",
    "fmul_program",
    "fnormalize_program",
    "poly_program",
    "raw_input_names",
]

Digit = tuple[Formula, ...]


@dataclass(frozen=True)
class Operand:
    """A number of F(p, q, b), or a raw number of F*(p', q', b), as formulas (heads, input
    predicates or constants): the two signs, ``exponent[i]`` the one-hot digit of b^i, and
    ``fraction[j]`` the digit d_{j+1} (raw numbers: d_j, from d0)."""

    exponent_sign: Formula
    fraction_sign: Formula
    exponent: tuple[Digit, ...]
    fraction: tuple[Digit, ...]

    def bits(self) -> list[Formula]:
        """The encoding's bits in DESIGN 2.8's order (exponent most significant first)."""
        out = [self.exponent_sign, self.fraction_sign]
        for digit in [*reversed(self.exponent), *self.fraction]:
            out += digit
        return out


def _v(name: str) -> Var:
    return Var(name)


def _names(prefix: str, q: int, b: int, fraction: range) -> list[str]:
    names = [f"{prefix}ES", f"{prefix}FS"]
    names += [f"{prefix}E{i}_{d}" for i in reversed(range(q)) for d in range(b)]
    names += [f"{prefix}D{j}_{d}" for j in fraction for d in range(b)]
    return names


def float_input_names(prefix: str, f: FloatSystem) -> list[str]:
    """Exponent sign, fraction sign, exponent digits (most significant first), d1 .. dp."""
    return _names(prefix, f.q, f.b, range(1, f.p + 1))


def raw_input_names(prefix: str, raw: RawSystem) -> list[str]:
    """As :func:`float_input_names`, with the digit d0 left of the radix point first."""
    return _names(prefix, raw.q, raw.b, range(raw.p + 1))


def _input(prefix: str, q: int, b: int, fraction: range) -> Operand:
    return Operand(
        _v(f"{prefix}ES"),
        _v(f"{prefix}FS"),
        tuple(tuple(_v(f"{prefix}E{i}_{d}") for d in range(b)) for i in range(q)),
        tuple(tuple(_v(f"{prefix}D{j}_{d}") for d in range(b)) for j in fraction),
    )


def _constant(f: FloatSystem, value: Fraction) -> Operand:
    """The encoding of a representable constant, as the constants Top and Bottom."""
    bits = [Top() if bit else Bottom() for bit in f.encode(value)]
    b, q = f.b, f.q
    digits = [tuple(bits[2 + k * b : 2 + (k + 1) * b]) for k in range(q + f.p)]
    return Operand(bits[0], bits[1], tuple(reversed(digits[:q])), tuple(digits[q:]))


def _one_hot(bits: list[Formula]) -> Formula:
    pairs = [Not(And(bits[i], bits[j])) for i in range(len(bits)) for j in range(i + 1, len(bits))]
    return conjunction([disjunction(bits), *pairs])


def _one_hot_blocks(x: Operand) -> list[Formula]:
    return [_one_hot(list(digit)) for digit in [*reversed(x.exponent), *x.fraction]]


def float_assumptions(prefix: str, f: FloatSystem) -> list[Formula]:
    """Exactly the normalized encodings (DESIGN 2.8): one-hot digit blocks; d1 = 0 only for
    zero, written with fraction digits 0, fraction sign + and exponent -(b^q - 1); an exponent
    of 0 has sign +."""
    x = _input(prefix, f.q, f.b, range(1, f.p + 1))
    canonical_zero = conjunction(
        [digit[0] for digit in x.fraction[1:]]
        + [Not(x.fraction_sign), x.exponent_sign]
        + [digit[f.b - 1] for digit in x.exponent]
    )
    exponent_zero = conjunction([digit[0] for digit in x.exponent])
    return [
        *_one_hot_blocks(x),
        Or(Not(x.fraction[0][0]), canonical_zero),
        Or(Not(exponent_zero), Not(x.exponent_sign)),
    ]


def _fraction(x: Operand, f: FloatSystem) -> Number:
    """The fraction d1 .. dp as a p-digit integer (d1 at position p-1)."""
    return Number(0, tuple(x.fraction[f.p - 1 - pos] for pos in range(f.p)), f.b**f.p - 1)


def _exponent_values(builder: Builder, x: Operand, emax: int, tag: str) -> dict[int, Formula]:
    """One head ``{tag}V..`` per exponent value v (|v| <= emax): true iff x's exponent is v
    (exponent 0 with either sign)."""
    out = {}
    for v in range(-emax, emax + 1):
        magnitude, digits = abs(v), []
        for digit in x.exponent:
            magnitude, d = divmod(magnitude, builder.base)
            digits.append(digit[d])
        # a raw exponent 0 may have either sign (normalized operands have +)
        sign = [x.exponent_sign] if v < 0 else [Not(x.exponent_sign)] if v > 0 else []
        out[v] = builder.head(f"{tag}V{_signed(v)}", conjunction([*sign, *digits]))
    return out


def _const(flag: bool) -> Formula:
    return Top() if flag else Bottom()


def _signed(v: int) -> str:
    """A value in a head name: 3 -> p3, -3 -> m3."""
    return f"m{-v}" if v < 0 else f"p{v}"


def _mux(select: Formula, then: Formula, else_: Formula) -> Formula:
    return Or(And(select, then), And(Not(select), else_))


def _greater_than(
    builder: Builder, rest: Sequence[Digit], constant: int, tag: str
) -> tuple[Formula, Formula]:
    """(rest > constant, rest == constant) for the digits ``rest`` (least significant first)."""
    b = builder.base
    digits = []
    for _ in rest:
        constant, d = divmod(constant, b)
        digits.append(d)
    gt = [
        disjunction(list(rest[k][d + 1 :])) if d + 1 < b else Bottom() for k, d in enumerate(digits)
    ]
    eq = [rest[k][d] for k, d in enumerate(digits)]
    positions = range(len(rest))
    greater = disjunction(
        [conjunction([gt[k], *(eq[m] for m in positions if m > k)]) for k in positions]
    )
    return builder.head(f"{tag}GT", greater), builder.head(f"{tag}EQ", conjunction(eq))


# --- rounding and the encoding of a result (shared by every operation) --------------------------


def _round(
    builder: Builder, tag: str, mantissa: Sequence[Digit], rest: Sequence[Digit]
) -> tuple[Number, Formula]:
    """Round half to even: the p-digit ``mantissa`` plus one iff ``rest`` (the digits below
    it, least significant first, at least one) exceeds half a unit, or equals it and the
    mantissa is odd (for odd b half a unit is no integer: no ties). Returns the p+1-digit
    result of Lemma 3.3's addition and its carry out (the mantissa was b^p - 1)."""
    b, p = builder.base, len(mantissa)
    greater, equal = _greater_than(builder, rest, b ** len(rest) // 2, f"{tag}H")
    if b % 2 == 0:
        odd = disjunction([mantissa[0][d] for d in range(1, b, 2)])
        up = builder.head(f"{tag}UP", Or(greater, And(equal, odd)))
    else:
        up = greater
    increment = Number(0, ((Not(up), up, *[Bottom()] * (b - 2)),), 1)
    rounded = add(builder, f"{tag}RU", Number(0, tuple(mantissa), b**p - 1), increment)
    return rounded, rounded.at(p, b)[1]


@dataclass(frozen=True)
class _Result:
    """A rounded result before the range check: ``final[t]`` true iff its exponent is t
    (exactly one when it is nonzero), ``rounded`` the mantissa plus the rounding increment
    (p+1 digits), ``carry`` its top digit, ``zero`` true iff the exact result is 0, and
    ``negative`` its sign when nonzero."""

    final: dict[int, Formula]
    rounded: Number
    carry: Formula
    zero: Formula
    negative: Formula


def _encode(
    builder: Builder,
    f: FloatSystem,
    tag: str,
    out: str,
    result: _Result,
    *,
    keep: bool = False,
    bypass: tuple[Formula, Operand] | None = None,
) -> Operand:
    """The encoding of ``result`` after DESIGN 2.8's range check (an exponent above b^q - 1
    saturates to the largest magnitude with the sign, below -(b^q - 1) flushes to +0; zero is
    +0 with exponent -(b^q - 1)), as heads ``{out}ES``, ``{out}FS``, ``{out}E{i}_{d}``,
    ``{out}D{j}_{d}``. With ``bypass = (far, big)``, the operand ``big`` itself when ``far``."""
    b, p, q, emax = f.b, f.p, f.q, f.emax
    final = result.final
    far, big = bypass if bypass is not None else (Bottom(), _constant(f, Fraction(0)))
    near = Not(far)
    over = builder.head(f"{tag}OVER", And(near, disjunction([final[t] for t in final if t > emax])))
    under = builder.head(f"{tag}UNDER", disjunction([final[t] for t in final if t < -emax]))
    nonzero = builder.head(f"{tag}NZ", conjunction([near, Not(result.zero), Not(under)]))
    normal = builder.head(f"{tag}NORMAL", And(nonzero, Not(over)))
    is_zero = And(near, Not(nonzero))
    in_range = {t: final[t] for t in final if -emax <= t <= emax}
    negative_exponent = disjunction([lit for t, lit in in_range.items() if t < 0])
    exponent_sign = builder.head(
        f"{out}ES",
        disjunction([And(far, big.exponent_sign), is_zero, And(normal, negative_exponent)]),
        keep=keep,
    )
    fraction_sign = builder.head(
        f"{out}FS",
        Or(And(far, big.fraction_sign), And(nonzero, result.negative)),
        keep=keep,
    )
    exponent: list[Digit] = [() for _ in range(q)]
    for i in reversed(range(q)):
        digit = []
        for d in range(b):
            values = [lit for t, lit in in_range.items() if abs(t) // b**i % b == d]
            body = disjunction(
                [
                    And(far, big.exponent[i][d]),
                    And(Or(is_zero, over), _const(d == b - 1)),
                    And(normal, disjunction(values)),
                ]
            )
            digit.append(builder.head(f"{out}E{i}_{d}", body, keep=keep))
        exponent[i] = tuple(digit)
    fraction = []
    for j in range(1, p + 1):
        rounded = result.rounded.at(p - j, b)
        renormalized = 1 if j == 1 else 0  # digit j of 0.10..0, the mantissa after a carry out
        digit = []
        for d in range(b):
            value = _mux(result.carry, _const(d == renormalized), rounded[d])
            special = Or(And(is_zero, _const(d == 0)), And(over, _const(d == b - 1)))
            body = disjunction([And(far, big.fraction[j - 1][d]), special, And(normal, value)])
            digit.append(builder.head(f"{out}D{j}_{d}", body, keep=keep))
        fraction.append(tuple(digit))
    return Operand(exponent_sign, fraction_sign, tuple(exponent), tuple(fraction))


def _normalize(
    builder: Builder,
    f: FloatSystem,
    tag: str,
    exact: Sequence[Digit],
    exponent: dict[int, Formula],
    negative: Formula,
) -> _Result:
    """Lemma 3.6's normalization of the exact magnitude sum(exact[i] b^(i - W)) * b^v, W =
    len(exact) - 1 (a raw number d0.d1...dW x b^v: d0 = exact[W]), with ``exponent[v]`` true
    iff the exponent is v: the leading nonzero digit (one-hot over its position L) is
    shifted to the top, the digits below the top p are rounded (:func:`_round`), and the
    exponent is v + 1 - (W - L) + carry. All zero digits: ``zero``."""
    b, p = builder.base, f.p
    exact = [zero_digit(b)] * (p + 1 - len(exact)) + list(exact)  # at least one rest digit
    W = len(exact) - 1
    nonzero_at = [Not(digit[0]) for digit in exact]
    lead = {
        pos: builder.head(
            f"{tag}LD{pos}",
            conjunction([nonzero_at[pos], *(Not(nonzero_at[m]) for m in range(pos + 1, W + 1))]),
        )
        for pos in range(W + 1)
    }
    zero = builder.head(f"{tag}CANCEL", conjunction([Not(z) for z in nonzero_at]))
    normalized = []
    for pos in range(W + 1):
        cells = []
        for d in range(b):
            terms = [And(lead[L], exact[pos - W + L][d]) for L in lead if pos - W + L >= 0]
            if d == 0:
                terms += [lead[L] for L in lead if pos - W + L < 0] + [zero]
            cells.append(builder.head(f"{tag}NO{pos}_{d}", disjunction(terms)))
        normalized.append(tuple(cells))
    rounded, carry = _round(builder, tag, normalized[W - p + 1 :], normalized[: W - p + 1])
    final: dict[int, Formula] = {}
    for v, is_v in exponent.items():
        for L in lead:
            for c, c_lit in ((0, Not(carry)), (1, carry)):
                t = v + 1 - (W - L) + c
                final[t] = Or(final.get(t, Bottom()), conjunction([is_v, lead[L], c_lit]))
    final = {t: builder.head(f"{tag}EF{_signed(t)}", body) for t, body in sorted(final.items())}
    return _Result(final, rounded, carry, zero, negative)


# --- the operations as sub-circuits --------------------------------------------------------------


def fmul(
    builder: Builder,
    f: FloatSystem,
    x: Operand,
    y: Operand,
    tag: str = "",
    out: str = "Z",
    keep: bool = False,
) -> Operand:
    """round(x * y) (Lemma 3.8, correctly rounded; the module docstring's steps 1-4), heads
    named from ``tag`` and the result's ``{out}..`` (kept as heads with ``keep``)."""
    b, p = f.b, f.p
    prod = product(builder, _fraction(x, f), _fraction(y, f), f"{tag}PR", f"{tag}F")

    def digit_of(position: int) -> Digit:
        return prod.at(position, b)

    top = builder.head(f"{tag}TOP", Not(digit_of(2 * p - 1)[0]))
    mantissa, rest = [], []
    for i in range(p):
        mantissa.append(
            tuple(
                builder.head(
                    f"{tag}MA{i}_{d}", _mux(top, digit_of(p + i)[d], digit_of(p - 1 + i)[d])
                )
                for d in range(b)
            )
        )
        below = digit_of(i - 1) if i > 0 else zero_digit(b)
        rest.append(
            tuple(
                builder.head(f"{tag}RE{i}_{d}", _mux(top, digit_of(i)[d], below[d]))
                for d in range(b)
            )
        )
    rounded, carry = _round(builder, tag, mantissa, rest)
    ex = _exponent_values(builder, x, f.emax, f"{tag}X")
    ey = _exponent_values(builder, y, f.emax, f"{tag}Y")
    sums = {}
    for s in range(-2 * f.emax, 2 * f.emax + 1):
        pairs = [And(ex[u], ey[s - u]) for u in ex if s - u in ey]
        sums[s] = builder.head(f"{tag}ES{_signed(s)}", disjunction(pairs))
    minus = builder.head(f"{tag}ADJM", And(Not(top), Not(carry)))
    plus = builder.head(f"{tag}ADJP", And(top, carry))
    same = builder.head(f"{tag}ADJ0", Or(And(top, Not(carry)), And(Not(top), carry)))
    final: dict[int, Formula] = {}
    for t in range(-2 * f.emax - 1, 2 * f.emax + 2):
        parts = [And(sums[t + 1], minus)] if t + 1 in sums else []
        parts += [And(sums[t], same)] if t in sums else []
        parts += [And(sums[t - 1], plus)] if t - 1 in sums else []
        final[t] = builder.head(f"{tag}EF{_signed(t)}", disjunction(parts))
    zero = Or(x.fraction[0][0], y.fraction[0][0])
    negative = Or(
        And(x.fraction_sign, Not(y.fraction_sign)), And(Not(x.fraction_sign), y.fraction_sign)
    )
    return _encode(builder, f, tag, out, _Result(final, rounded, carry, zero, negative), keep=keep)


def fadd(
    builder: Builder,
    f: FloatSystem,
    x: Operand,
    y: Operand,
    tag: str = "",
    out: str = "Z",
    keep: bool = False,
    window: int | None = None,
) -> Operand:
    """round(x + y) (Lemma 3.7, correctly rounded; :func:`fadd_program`'s steps), heads named
    from ``tag`` and the result's ``{out}..`` (kept as heads with ``keep``)."""
    b, p = f.b, f.p
    W = 2 * p + 2 if window is None else window
    if not p <= W <= 2 * p + 2:
        raise ValueError(f"the window must hold p to 2p + 2 digits, got {W}")
    ex = _exponent_values(builder, x, f.emax, f"{tag}X")
    ey = _exponent_values(builder, y, f.emax, f"{tag}Y")
    # 1. |x| < |y|?
    e_less = disjunction([And(ex[u], ey[v]) for u in ex for v in ey if u < v])
    e_equal = disjunction([And(ex[v], ey[v]) for v in ex])
    xd, yd = x.fraction, y.fraction
    lt = [pair_sum(xd[j], yd[j], lambda s, t: s < t) for j in range(p)]
    eq = [pair_sum(xd[j], yd[j], lambda s, t: s == t) for j in range(p)]
    f_less = disjunction([conjunction([lt[j], *eq[:j]]) for j in range(p)])
    swap = builder.head(f"{tag}SWAP", Or(e_less, And(e_equal, f_less)))

    def pick(name: str, j: int, first: Digit, second: Digit) -> Digit:
        return tuple(
            builder.head(f"{tag}{name}{j + 1}_{d}", _mux(swap, first[d], second[d]))
            for d in range(b)
        )

    big_digits = [pick("BG", j, yd[j], xd[j]) for j in range(p)]
    small = [pick("SM", j, xd[j], yd[j]) for j in range(p)]
    big = Operand(
        _mux(swap, y.exponent_sign, x.exponent_sign),
        _mux(swap, y.fraction_sign, x.fraction_sign),
        tuple(
            tuple(_mux(swap, u[d], v[d]) for d in range(b))
            for u, v in zip(y.exponent, x.exponent, strict=True)
        ),
        tuple(big_digits),
    )
    e_big = {v: builder.head(f"{tag}EB{_signed(v)}", _mux(swap, ey[v], ex[v])) for v in ex}
    shift = {}
    for k in range(p + 3):
        pairs = [
            Or(And(Not(swap), And(ex[u], ey[u - k])), And(swap, And(ey[u], ex[u - k])))
            for u in ex
            if u - k in ex
        ]
        shift[k] = builder.head(f"{tag}K{k}", disjunction(pairs))
    far = builder.head(f"{tag}FAR", Not(disjunction(list(shift.values()))))
    # 2. the window: big's digit j at W - j, small's at W - j - k.
    big_number = Number(W - p, tuple(big_digits[W - pos - 1] for pos in range(W - p, W)), b**W)
    aligned = []
    for pos in range(W):
        cells = []
        for d in range(b):
            terms = [
                And(shift[k], small[W - pos - k - 1][d]) for k in shift if 0 <= W - pos - k - 1 < p
            ]
            if d == 0:
                outside = [shift[k] for k in shift if not 0 <= W - pos - k - 1 < p]
                terms += [*outside, far]
            cells.append(builder.head(f"{tag}AL{pos}_{d}", disjunction(terms)))
        aligned.append(tuple(cells))
    small_number = Number(0, tuple(aligned), b**W - 1)
    # 3. exact sum or difference.
    subtracting = Or(
        And(x.fraction_sign, Not(y.fraction_sign)), And(Not(x.fraction_sign), y.fraction_sign)
    )
    total = add(builder, f"{tag}SU", big_number, small_number)
    difference = subtract(builder, f"{tag}DI", big_number, small_number)
    exact = [
        tuple(
            builder.head(
                f"{tag}EX{pos}_{d}",
                _mux(subtracting, difference.at(pos, b)[d], total.at(pos, b)[d]),
            )
            for d in range(b)
        )
        for pos in range(W + 1)
    ]
    # 4. normalize and round; 5. the encoding (big itself when far).
    result = _normalize(builder, f, tag, exact, e_big, big.fraction_sign)
    return _encode(builder, f, tag, out, result, keep=keep, bypass=(far, big))


# --- programs ------------------------------------------------------------------------------------


def _program(
    builder: Builder,
    f: FloatSystem,
    inputs: list[str],
    assumptions: list[Formula],
    meta: str,
) -> BnlProgram:
    """The program printing ``Z`` (the encoding in F(p, q, b)) from ``inputs``: the heads it
    reads, the flags up to the largest level (``time=`` on the meta line), ``assumptions``."""
    printed = float_input_names("Z", f)
    live = builder.live(printed)
    time = max(builder.level[h.name] for h in live)
    all_heads = [Head(name, _v(name)) for name in inputs] + live + flags(time)
    return BnlProgram(
        heads=tuple(all_heads),
        print_=tuple(printed),
        attention=AttentionBits((f"F{time}",)),
        assumptions=tuple(assumptions),
        meta=(meta.format(time=time),),
    )


def _binary_program(builder: Builder, op: str, f: FloatSystem) -> BnlProgram:
    return _program(
        builder,
        f,
        float_input_names("X", f) + float_input_names("Y", f),
        float_assumptions("X", f) + float_assumptions("Y", f),
        f"arith op={op} encoding=float base={f.b} p={f.p} q={f.q} time={{time}} operands=x,y",
    )


def _float_input(prefix: str, f: FloatSystem) -> Operand:
    return _input(prefix, f.q, f.b, range(1, f.p + 1))


def fmul_program(base: int, p: int, q: int) -> BnlProgram:
    """round(x * y) for x, y in F(p, q, base) (Lemma 3.8, correctly rounded; module docstring)."""
    f = FloatSystem(p, q, base)
    builder = Builder(base)
    fmul(builder, f, _float_input("X", f), _float_input("Y", f), keep=True)
    return _binary_program(builder, "fmul", f)


def fadd_program(base: int, p: int, q: int, window: int | None = None) -> BnlProgram:
    """round(x + y) for x, y in F(p, q, base) (Lemma 3.7, correctly rounded).

    1. Order the operands by magnitude (exponents, then fractions, Lemma 3.2's comparison):
       ``big`` and ``small``, and the exponent difference k.
    2. k > p + 2: the result is ``big`` itself (``small`` is below a b^-3 ulp of it, so
       round(big +- small) = big, also when big is a power of b and the difference falls in
       the binade below). Otherwise align: a window of W = 2p + 2 digits holds big's
       mantissa at the top and small's shifted right by k, *all* of small's digits (the
       paper's shifting would drop those below p digits; for odd b the rounding can depend on
       every one of them, so they are kept: exact arithmetic on the window).
    3. Add the mantissas (same signs) or subtract small from big (Lemma 3.3); the result is
       exact and non-negative; zero (exact cancellation) gives +0.
    4. Normalize (Lemma 3.6, :func:`fnormalize_program`'s construction): shift the leading
       nonzero digit to the top (one-hot over its position), then round half to even on the
       digits below the top p, with the carry out as in :func:`fmul_program`; exponent =
       big's + 1 - shift + carry, then the range check.

    (k <= p + 2 puts small's last digit at W - 2p - 2 = 0: nothing is lost.) ``window``
    (default 2p + 2) narrows the window for experiments: with ``window = p`` the smaller
    fraction's digits shifted below p digits are dropped, the paper's text taken literally,
    and ``verify arith`` refutes the program (docs/arithmetic.md); the meta line still claims
    correct rounding.
    """
    f = FloatSystem(p, q, base)
    builder = Builder(base)
    fadd(builder, f, _float_input("X", f), _float_input("Y", f), keep=True, window=window)
    return _binary_program(builder, "fadd", f)


def fnormalize_program(
    base: int, p: int, q: int, raw_p: int | None = None, raw_q: int | None = None
) -> BnlProgram:
    """The normalization (Lemma 3.6) of a raw number x = +-d0.d1...dp' x b^e of F*(p', q', b)
    (default p' = p + 1, q' = q) into F(p, q, b): round(x) of DESIGN 2.8.

    The paper's three cases are one construction here: the leading nonzero digit among
    d0 .. dp' (one-hot over its position) is shifted to the top -- to the right by one when
    d0 != 0 (case 3), to the left over the leading zeros (case 2) -- the digits below the top
    p are rounded half to even, a carry out renormalizes once more, and the exponent is
    e + 1 - shift + carry; all digits zero gives +0 (case 1); then the range check
    (saturation, flush to zero). Every raw encoding is a valid input (either sign, any
    digits), so the ``assume`` lines only ask for one-hot digits."""
    f = FloatSystem(p, q, base)
    raw = RawSystem(p + 1 if raw_p is None else raw_p, q if raw_q is None else raw_q, base)
    builder = Builder(base)
    x = _input("X", raw.q, base, range(raw.p + 1))
    values = _exponent_values(builder, x, raw.emax, "X")
    exact = [x.fraction[raw.p - pos] for pos in range(raw.p + 1)]  # d0 at the top
    result = _normalize(builder, f, "", exact, values, x.fraction_sign)
    _encode(builder, f, "", "Z", result, keep=True)
    return _program(
        builder,
        f,
        raw_input_names("X", raw),
        _one_hot_blocks(x),
        f"arith op=fnormalize encoding=float base={base} p={p} q={q} raw_p={raw.p}"
        f" raw_q={raw.q} time={{time}} operands=x",
    )


# --- piecewise polynomials (Theorem 3.9) ---------------------------------------------------------

_Value = tuple[Operand, Fraction | None]
"""An operand and, when it is a constant, its value (for the exact shortcuts below)."""


def _negate(x: Operand) -> Operand:
    """-x: the fraction sign flipped unless x is zero (exact)."""
    flipped = And(Not(x.fraction_sign), Not(x.fraction[0][0]))
    return Operand(x.exponent_sign, flipped, x.exponent, x.fraction)


class _Evaluator:
    """Builds the rounded operations of the pieces, with tags ``{prefix}M{k}``/``{prefix}A{k}``
    numbered in order. Exact shortcuts (true of DESIGN 2.8's rounding because the operands are
    representable): 0 * x = +0, 1 * x = x, -1 * x = -x, 0 + x = x."""

    def __init__(self, builder: Builder, f: FloatSystem, prefix: str) -> None:
        self.builder, self.f, self.prefix, self.count = builder, f, prefix, 0

    def _tag(self, kind: str) -> str:
        self.count += 1
        return f"{self.prefix}{kind}{self.count}"

    def times(self, u: _Value, v: _Value) -> _Value:
        for (_, c), other in ((u, v), (v, u)):
            if c == 0:
                return _constant(self.f, Fraction(0)), Fraction(0)
            if c == 1:
                return other
            if c == -1:
                return _negate(other[0]), None if other[1] is None else -other[1]
        tag = self._tag("M")
        return fmul(self.builder, self.f, u[0], v[0], f"{tag}_", f"{tag}Z"), None

    def plus(self, u: _Value, v: _Value) -> _Value:
        if u[1] == 0:
            return v
        if v[1] == 0:
            return u
        tag = self._tag("A")
        return fadd(self.builder, self.f, u[0], v[0], f"{tag}_", f"{tag}Z"), None


def _pairwise(values: list[_Value], op: Callable[[_Value, _Value], _Value]) -> _Value:
    """DESIGN 2.8's canonical order: pairwise level by level, an odd one out carried up."""
    while len(values) > 1:
        paired = [op(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
        values = paired + values[len(values) - len(values) % 2 :]
    return values[0]


def _at_least(
    builder: Builder, f: FloatSystem, x: Operand, values: dict[int, Formula], c: Fraction, tag: str
) -> Formula:
    """x >= c for the constant c (Lemma 3.2's comparison: signs, exponents, fraction digits)."""
    if c == 0:
        return Not(x.fraction_sign)
    _, e, mantissa = f.split(c)
    fraction_gt, fraction_eq = _greater_than(
        builder, [x.fraction[f.p - 1 - k] for k in range(f.p)], mantissa, tag
    )
    e_gt = disjunction([lit for v, lit in values.items() if v > e])
    above = Or(e_gt, And(values[e], fraction_gt))  # |x| > |c|
    equal = And(values[e], fraction_eq)
    if c > 0:
        return And(Not(x.fraction_sign), Or(above, equal))
    return Or(Not(x.fraction_sign), Not(above))


def poly_program(base: int, p: int, q: int, pieces: Sequence[Piece]) -> BnlProgram:
    """A piecewise polynomial activation on F(p, q, base) (Theorem 3.9): the value of the first
    piece whose interval lower <= x < upper contains x, each piece evaluated in DESIGN 2.8's
    canonical order with every * and + rounded (:func:`fmul`, :func:`fadd`).

    All pieces are evaluated in parallel, as in the theorem's proof; the comparisons of x with
    the bounds choose one (one flag per piece), and the print predicates copy the chosen
    piece's value. The pieces must be a function on F (:func:`check_pieces`). Multiplication
    by the constants 0, 1 and -1 and addition of the constant 0 are exact and built as such
    (relu and heaviside need no multiplier)."""
    f = FloatSystem(p, q, base)
    check_pieces(f, pieces)
    builder = Builder(base)
    x = _float_input("X", f)
    x_values = _exponent_values(builder, x, f.emax, "X")
    inside = []
    for i, piece in enumerate(pieces, 1):
        bounds = []
        if piece.lower is not None:
            bounds.append(_at_least(builder, f, x, x_values, piece.lower, f"L{i}"))
        if piece.upper is not None:
            bounds.append(Not(_at_least(builder, f, x, x_values, piece.upper, f"U{i}")))
        inside.append(builder.head(f"IN{i}", conjunction(bounds)))
    chosen = [
        builder.head(f"SEL{i + 1}", conjunction([inside[i], *(Not(o) for o in inside[:i])]))
        for i in range(len(pieces))
    ]
    results = []
    for i, piece in enumerate(pieces, 1):
        evaluator = _Evaluator(builder, f, f"P{i}")
        terms = [
            _pairwise(
                [(_constant(f, t.coefficient), t.coefficient)] + [(x, None)] * t.power,
                evaluator.times,
            )
            for t in piece.terms
        ]
        zero = (_constant(f, Fraction(0)), Fraction(0))
        results.append(_pairwise(terms, evaluator.plus)[0] if terms else zero[0])
    for k, name in enumerate(float_input_names("Z", f)):
        body = disjunction([And(chosen[i], r.bits()[k]) for i, r in enumerate(results)])
        builder.head(name, body, keep=True)
    return _program(
        builder,
        f,
        float_input_names("X", f),
        float_assumptions("X", f),
        f"arith op=poly encoding=float base={base} p={p} q={q} time={{time}}"
        f" pieces={format_pieces(pieces)} operands=x",
    )
