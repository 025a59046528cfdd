"""Floating-point multiplication and addition as halting BNL programs (paper Lemmas 3.8 and
3.7), correctly rounded: :func:`fmul_program` (described here) and :func:`fadd_program` (its
docstring).

Interface (DESIGN.md 2.8): the inputs are the one-hot encodings of x then y in F(p, q, b) --
``XES`` (exponent sign), ``XFS`` (fraction sign), ``XE{i}_{d}`` for the exponent digits
i = q-1 .. 0 (i the power of b), ``XD{j}_{d}`` for the fraction digits d1 .. dp (j = 1 .. p)
-- and likewise ``Y...``; the print predicates ``ZES``, ``ZFS``, ``ZE{i}_{d}``, ``ZD{j}_{d}``
are the encoding of round(x * y) (or x + y). ``assume`` lines admit exactly the normalized
encodings.

The construction follows the proof of Lemma 3.8, with the rounding made exact:

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

from verifier.arith.floats import FloatSystem
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.generate.digits import Builder, Number, add, pair_sum, product, subtract
from verifier.generate.integers import conjunction, disjunction, flags
from verifier.models import AttentionBits, BnlProgram, Head

__all__ = ["float_assumptions", "float_input_names", "fmul_program"]


def _v(name: str) -> Var:
    return Var(name)


def float_input_names(prefix: str, f: FloatSystem) -> list[str]:
    """Exponent sign, fraction sign, exponent digits (most significant first), d1 .. dp."""
    names = [f"{prefix}ES", f"{prefix}FS"]
    names += [f"{prefix}E{i}_{d}" for i in reversed(range(f.q)) for d in range(f.b)]
    names += [f"{prefix}D{j}_{d}" for j in range(1, f.p + 1) for d in range(f.b)]
    return names


def _exponent_digit(prefix: str, i: int, d: int) -> Var:
    return _v(f"{prefix}E{i}_{d}")


def _fraction_digit(prefix: str, j: int, d: int) -> Var:
    return _v(f"{prefix}D{j}_{d}")


def _one_hot(bits: list[Formula]) -> Formula:
    pairs = [Not(And(bits[i], bits[j])) for i in range(len(bits)) for j in range(i + 1, len(bits))]
    return conjunction([disjunction(bits), *pairs])


def float_assumptions(prefix: str, f: FloatSystem) -> list[Formula]:
    """Exactly the normalized encodings (DESIGN 2.8): one-hot digit blocks; d1 = 0 only for
    zero, written with fraction digits 0, fraction sign + and exponent -(b^q - 1); an exponent
    of 0 has sign +."""
    b = f.b
    out: list[Formula] = []
    for i in reversed(range(f.q)):
        out.append(_one_hot([_exponent_digit(prefix, i, d) for d in range(b)]))
    for j in range(1, f.p + 1):
        out.append(_one_hot([_fraction_digit(prefix, j, d) for d in range(b)]))
    zero_fraction = _fraction_digit(prefix, 1, 0)
    canonical_zero = conjunction(
        [_fraction_digit(prefix, j, 0) for j in range(2, f.p + 1)]
        + [Not(_v(f"{prefix}FS")), _v(f"{prefix}ES")]
        + [_exponent_digit(prefix, i, b - 1) for i in range(f.q)]
    )
    out.append(Or(Not(zero_fraction), canonical_zero))
    exponent_zero = conjunction([_exponent_digit(prefix, i, 0) for i in range(f.q)])
    out.append(Or(Not(exponent_zero), Not(_v(f"{prefix}ES"))))
    return out


def _fraction(prefix: str, f: FloatSystem) -> Number:
    """The fraction d1 .. dp as a p-digit integer (d1 at position p-1)."""
    digits = tuple(
        tuple(_fraction_digit(prefix, f.p - position, d) for d in range(f.b))
        for position in range(f.p)
    )
    return Number(0, digits, f.b**f.p - 1)


def _exponent_values(builder: Builder, prefix: str, f: FloatSystem) -> dict[int, Formula]:
    """One head per exponent value v (|v| <= b^q - 1): true iff the exponent is v."""
    out = {}
    for v in range(-f.emax, f.emax + 1):
        magnitude, digits = abs(v), []
        for i in range(f.q):
            magnitude, d = divmod(magnitude, f.b)
            digits.append(_exponent_digit(prefix, i, d))
        sign = _v(f"{prefix}ES") if v < 0 else Not(_v(f"{prefix}ES"))
        out[v] = builder.head(f"{prefix}V{_signed(v)}", conjunction([sign, *digits]))
    return out


def _const(flag: bool) -> Formula:
    return Top() if flag else Bottom()


def _signed(v: int) -> str:
    """A value in a head name: 3 -> p3, -3 -> m3."""
    return f"m{-v}" if v < 0 else f"p{v}"


def _greater_than(
    builder: Builder, rest: list[tuple[Formula, ...]], constant: int, tag: str
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


def fmul_program(base: int, p: int, q: int) -> BnlProgram:
    """round(x * y) for x, y in F(p, q, base) (Lemma 3.8, correctly rounded; module docstring)."""
    f = FloatSystem(p, q, base)
    b = base
    builder = Builder(b)
    zero = Or(_fraction_digit("X", 1, 0), _fraction_digit("Y", 1, 0))
    # 1. the fractions' product, 2p digits.
    prod = product(builder, _fraction("X", f), _fraction("Y", f), "PR", "F")

    def digit_of(position: int) -> tuple[Formula, ...]:
        return prod.at(position, b)

    top = builder.head("TOP", Not(digit_of(2 * p - 1)[0]))
    # 2. mantissa and rest, by the position of the leading digit.
    mantissa, rest = [], []
    for i in range(p):
        mantissa.append(
            tuple(
                builder.head(
                    f"MA{i}_{d}",
                    Or(And(top, digit_of(p + i)[d]), And(Not(top), digit_of(p - 1 + i)[d])),
                )
                for d in range(b)
            )
        )
        below = digit_of(i - 1) if i > 0 else (Top(), *[Bottom()] * (b - 1))
        rest.append(
            tuple(
                builder.head(f"RE{i}_{d}", Or(And(top, digit_of(i)[d]), And(Not(top), below[d])))
                for d in range(b)
            )
        )
    # 3. round half to even.
    greater, equal = _greater_than(builder, rest, b**p // 2, "H")
    if b % 2 == 0:
        odd = disjunction([mantissa[0][d] for d in range(1, b, 2)])
        up = builder.head("UP", Or(greater, And(equal, odd)))
    else:
        up = greater  # no ties: b^p / 2 is not an integer
    increment = Number(0, ((Not(up), up, *[Bottom()] * (b - 2)),), 1)
    rounded = add(builder, "RU", Number(0, tuple(mantissa), b**p - 1), increment)
    carry = rounded.at(p, b)[1]
    # 4. the exponent: ex + ey - 1 + top + carry, as values.
    ex, ey = _exponent_values(builder, "X", f), _exponent_values(builder, "Y", f)
    sums = {}
    for s in range(-2 * f.emax, 2 * f.emax + 1):
        pairs = [And(ex[u], ey[s - u]) for u in ex if s - u in ey]
        sums[s] = builder.head(f"ES{_signed(s)}", disjunction(pairs))
    minus = builder.head("ADJM", And(Not(top), Not(carry)))
    plus = builder.head("ADJP", And(top, carry))
    same = builder.head("ADJ0", Or(And(top, Not(carry)), And(Not(top), carry)))
    final: dict[int, Formula] = {}
    for t in range(-2 * f.emax - 1, 2 * f.emax + 2):
        parts = [And(sums[t + 1], minus)] if t + 1 in sums else []
        parts += [And(sums[t], same)] if t in sums else []
        parts += [And(sums[t - 1], plus)] if t - 1 in sums else []
        final[t] = builder.head(f"EF{_signed(t)}", disjunction(parts))
    over = builder.head("OVER", disjunction([final[t] for t in final if t > f.emax]))
    under = builder.head("UNDER", disjunction([final[t] for t in final if t < -f.emax]))
    nonzero = builder.head("NZ", And(Not(zero), Not(under)))
    normal = builder.head("NORMAL", And(nonzero, Not(over)))
    # 5. the encoding.
    sign = Or(And(_v("XFS"), Not(_v("YFS"))), And(Not(_v("XFS")), _v("YFS")))
    heads = ["ZES", "ZFS"]
    builder.head(
        "ZES",
        Or(Not(nonzero), And(normal, disjunction([final[t] for t in final if -f.emax <= t < 0]))),
        keep=True,
    )
    builder.head("ZFS", And(nonzero, sign), keep=True)
    for i in reversed(range(q)):
        for d in range(b):
            values = [final[t] for t in range(-f.emax, f.emax + 1) if abs(t) // b**i % b == d]
            saturated = And(Or(Not(nonzero), over), _const(d == b - 1))
            name = f"ZE{i}_{d}"
            builder.head(name, Or(saturated, And(normal, disjunction(values))), keep=True)
            heads.append(name)
    for j in range(1, p + 1):
        digit = rounded.at(p - j, b)
        renormalized = 1 if j == 1 else 0  # digit j of 0.10..0, the mantissa after a carry out
        for d in range(b):
            value = Or(And(carry, _const(d == renormalized)), And(Not(carry), digit[d]))
            special = Or(And(Not(nonzero), _const(d == 0)), And(over, _const(d == b - 1)))
            name = f"ZD{j}_{d}"
            builder.head(name, Or(special, And(normal, value)), keep=True)
            heads.append(name)
    return _float_program(builder, heads, "fmul", f)


def _mux(select: Formula, then: Formula, else_: Formula) -> Formula:
    return Or(And(select, then), And(Not(select), else_))


def _float_program(builder: Builder, printed: list[str], op: str, f: FloatSystem) -> BnlProgram:
    """The program of the heads ``printed`` reads: inputs x, y of F(p, q, b), the flags up to
    the largest level, the assumptions of normalized encodings and the meta line."""
    live = builder.live(printed)
    time = max(builder.level[h.name] for h in live)
    inputs = float_input_names("X", f) + float_input_names("Y", f)
    all_heads = [Head(name, _v(name)) for name in inputs] + live + flags(time)
    return BnlProgram(
        heads=tuple(all_heads),
        print_=tuple(printed),
        attention=AttentionBits((f"F{time}",)),
        assumptions=tuple(float_assumptions("X", f) + float_assumptions("Y", f)),
        meta=(f"arith op={op} encoding=float base={f.b} p={f.p} q={f.q} time={time} operands=x,y",),
    )


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
    4. Normalize: shift the leading nonzero digit to the top (one-hot over its position), then
       round half to even on the digits below the top p, with the carry out as in
       :func:`fmul_program`; exponent = big's + 1 - shift + carry, then the range check.

    (k <= p + 2 puts small's last digit at W - 2p - 2 = 0: nothing is lost.) ``window``
    (default 2p + 2) narrows the window for experiments: with ``window = p`` the smaller
    fraction's digits shifted below p digits are dropped, the paper's text taken literally,
    and ``verify arith`` refutes the program (docs/arithmetic.md); the meta line still claims
    correct rounding.
    """
    f = FloatSystem(p, q, base)
    b, W = base, 2 * p + 2 if window is None else window
    if not p <= W <= 2 * p + 2:
        raise ValueError(f"the window must hold p to 2p + 2 digits, got {W}")
    builder = Builder(b)
    ex, ey = _exponent_values(builder, "X", f), _exponent_values(builder, "Y", f)
    # 1. |x| < |y|?
    e_less = disjunction([And(ex[u], ey[v]) for u in ex for v in ey if u < v])
    e_equal = disjunction([And(ex[v], ey[v]) for v in ex])
    x_digits = [tuple(_fraction_digit("X", j, d) for d in range(b)) for j in range(1, p + 1)]
    y_digits = [tuple(_fraction_digit("Y", j, d) for d in range(b)) for j in range(1, p + 1)]
    lt = [pair_sum(x_digits[j], y_digits[j], lambda s, t: s < t) for j in range(p)]
    eq = [pair_sum(x_digits[j], y_digits[j], lambda s, t: s == t) for j in range(p)]
    f_less = disjunction([conjunction([lt[j], *eq[:j]]) for j in range(p)])
    swap = builder.head("SWAP", Or(e_less, And(e_equal, f_less)))
    big = [
        tuple(
            builder.head(f"BG{j + 1}_{d}", _mux(swap, y_digits[j][d], x_digits[j][d]))
            for d in range(b)
        )
        for j in range(p)
    ]
    small = [
        tuple(
            builder.head(f"SM{j + 1}_{d}", _mux(swap, x_digits[j][d], y_digits[j][d]))
            for d in range(b)
        )
        for j in range(p)
    ]
    e_big = {v: builder.head(f"EB{_signed(v)}", _mux(swap, ey[v], ex[v])) for v in ex}
    shift = {}
    for k in range(p + 3):
        pairs = [
            Or(And(Not(swap), And(ex[u], ey[u - k])), And(swap, And(ey[u], ex[u - k])))
            for u in ex
            if u - k in ex
        ]
        shift[k] = builder.head(f"K{k}", disjunction(pairs))
    far = builder.head("FAR", Not(disjunction(list(shift.values()))))
    # 2. the window: big's digit j at W - j, small's at W - j - k.
    big_number = Number(W - p, tuple(big[W - pos - 1] for pos in range(W - p, W)), b**W)
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
            cells.append(builder.head(f"AL{pos}_{d}", disjunction(terms)))
        aligned.append(tuple(cells))
    small_number = Number(0, tuple(aligned), b**W - 1)
    # 3. exact sum or difference.
    subtracting = Or(And(_v("XFS"), Not(_v("YFS"))), And(Not(_v("XFS")), _v("YFS")))
    total = add(builder, "SU", big_number, small_number)
    difference = subtract(builder, "DI", big_number, small_number)
    exact = [
        tuple(
            builder.head(
                f"EX{pos}_{d}", _mux(subtracting, difference.at(pos, b)[d], total.at(pos, b)[d])
            )
            for d in range(b)
        )
        for pos in range(W + 1)
    ]
    nonzero_at = [Not(exact[pos][0]) for pos in range(W + 1)]
    lead = {
        pos: builder.head(
            f"LD{pos}",
            conjunction([nonzero_at[pos], *(Not(nonzero_at[m]) for m in range(pos + 1, W + 1))]),
        )
        for pos in range(W + 1)
    }
    cancelled = builder.head("CANCEL", conjunction([Not(z) for z in nonzero_at]))
    # 4. normalize: the leading digit to position W.
    normalized = []
    for pos in range(W + 1):
        cells = []
        for d in range(b):
            terms = [And(lead[L], exact[pos - W + L][d]) for L in lead if pos - W + L >= 0]
            if d == 0:
                terms += [lead[L] for L in lead if pos - W + L < 0] + [cancelled]
            cells.append(builder.head(f"NO{pos}_{d}", disjunction(terms)))
        normalized.append(tuple(cells))
    mantissa = normalized[W - p + 1 : W + 1]  # least significant first
    rest = normalized[: W - p + 1]
    greater, equal = _greater_than(builder, rest, b ** len(rest) // 2, "H")
    if b % 2 == 0:
        odd = disjunction([mantissa[0][d] for d in range(1, b, 2)])
        up = builder.head("UP", Or(greater, And(equal, odd)))
    else:
        up = greater
    increment = Number(0, ((Not(up), up, *[Bottom()] * (b - 2)),), 1)
    rounded = add(builder, "RU", Number(0, tuple(mantissa), b**p - 1), increment)
    carry = rounded.at(p, b)[1]
    final: dict[int, Formula] = {}
    for v in e_big:
        for L in lead:
            for c, c_lit in ((0, Not(carry)), (1, carry)):
                t = v + 1 - (W - L) + c
                final.setdefault(t, Bottom())
                final[t] = Or(final[t], conjunction([e_big[v], lead[L], c_lit]))
    final = {t: builder.head(f"EF{_signed(t)}", body) for t, body in sorted(final.items())}
    over = builder.head("OVER", disjunction([final[t] for t in final if t > f.emax]))
    under = builder.head("UNDER", disjunction([final[t] for t in final if t < -f.emax]))
    near = Not(far)
    nonzero = builder.head("NZ", conjunction([near, Not(cancelled), Not(under)]))
    normal = builder.head("NORMAL", And(nonzero, Not(over)))
    is_zero = And(near, Not(nonzero))
    # 5. the encoding: big itself when far, else as for fmul.
    printed = ["ZES", "ZFS"]
    negative_exponent = disjunction([final[t] for t in final if -f.emax <= t < 0])
    big_es, big_fs = _mux(swap, _v("YES"), _v("XES")), _mux(swap, _v("YFS"), _v("XFS"))
    builder.head(
        "ZES", Or(And(far, big_es), Or(is_zero, And(normal, negative_exponent))), keep=True
    )
    builder.head("ZFS", Or(And(far, big_fs), And(nonzero, big_fs)), keep=True)
    for i in reversed(range(q)):
        for d in range(b):
            values = [final[t] for t in final if -f.emax <= t <= f.emax and abs(t) // b**i % b == d]
            saturated = And(Or(is_zero, And(near, over)), _const(d == b - 1))
            as_big = And(far, _mux(swap, _exponent_digit("Y", i, d), _exponent_digit("X", i, d)))
            name = f"ZE{i}_{d}"
            builder.head(
                name, disjunction([as_big, saturated, And(normal, disjunction(values))]), keep=True
            )
            printed.append(name)
    for j in range(1, p + 1):
        digit = rounded.at(p - j, b)
        renormalized = 1 if j == 1 else 0
        for d in range(b):
            value = Or(And(carry, _const(d == renormalized)), And(Not(carry), digit[d]))
            special = Or(And(is_zero, _const(d == 0)), And(And(near, over), _const(d == b - 1)))
            name = f"ZD{j}_{d}"
            builder.head(
                name, disjunction([And(far, big[j - 1][d]), special, And(normal, value)]), keep=True
            )
            printed.append(name)
    return _float_program(builder, printed, "fadd", f)
