"""Integer multiplication as a halting BNL program by a tree of additions (paper Lemma 3.4).

Interface as for :mod:`verifier.generate.integers` (DESIGN.md 2.7): inputs ``XS``,
``X{p}_{d}`` then ``YS``, ``Y{p}_{d}`` (x, y in Z(n, b)); print predicates ``ZS``,
``Z{p}_{d}`` for p = 2n-1 .. 0, the encoding of x * y in Z(2n, b) (a zero product has sign 0).

The construction follows the proof of Lemma 3.4 (appendix): |x| * |y| is the sum of the
partial products |x| * y_j * b^j, computed in two steps, every addition being the unsigned
carry-lookahead addition of Lemma 3.3 (three layers: digit predicates, carries, result digits):

1. *Bottom layer.* The multiples k * |x| for k = 2 .. b-1 by a binary tree of additions of
   |x| with itself (``M{2k} = M{k} + M{k}``, ``M{2k+1} = M{k+1} + M{k}``, depth
   ceil(log2(b - 1)) additions). The paper runs such a tree for every digit y_j; the multiples
   do not depend on j, so they are computed once and shared, and each partial product
   ``P{j}`` selects the multiple named by the one-hot digit y_j (one layer), shifted by j.
2. *Higher layers.* The n partial products are added pairwise level by level (an odd one out
   carried up), ceil(log2 n) levels of additions.

The sign is (XS xor YS) unless a factor is zero. Digits known to be zero are constants and
are folded away (the shifted partial products have zeros below position j; an addition that
cannot carry out of its top digit, by the bound on its operands' values, has no top digit).

Timing: every head gets a *level*: 1 + the largest level among the heads its body reads
(inputs have level 0), so a head of level k holds its final value from round k on. The
computation time T is the largest level; flags ``F1 .. F{T}`` (``F{T}`` the attention
predicate) make round t an output round exactly when t >= T, which is exactly when
configuration t is a fixed point (``F{T}`` changes between rounds T-1 and T). Each addition
adds at most three levels (fewer where carries fold to constants), the selection one, and the
copy of the single partial product when n = 1 one more: T <= 3 (ceil(log2(b-1)) +
ceil(log2 n)) + 2, O(log n + log b) as the lemma says. The meta line states the exact T.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var, names
from verifier.generate.integers import (
    _check,
    conjunction,
    digit,
    disjunction,
    operand_program,
    simplify,
)
from verifier.models import BnlProgram, Head

__all__ = ["mul_program"]


@dataclass(frozen=True)
class Number:
    """A non-negative integer held as one-hot digits: ``digits[i]`` is the list of b formulas
    (heads, inputs or constants) of position ``low + i``; positions outside are zero.
    ``bound`` is an upper bound on its value (it decides how many digits a sum needs)."""

    low: int
    digits: tuple[tuple[Formula, ...], ...]
    bound: int

    @property
    def high(self) -> int:
        """One past the highest position held."""
        return self.low + len(self.digits)

    def at(self, p: int, base: int) -> tuple[Formula, ...]:
        """The one-hot formulas of position ``p`` (the constant zero digit outside)."""
        if self.low <= p < self.high:
            return self.digits[p - self.low]
        return zero_digit(base)


def zero_digit(base: int) -> tuple[Formula, ...]:
    """The one-hot digit 0 as constants."""
    return (Top(), *[Bottom()] * (base - 1))


class _Builder:
    """Collects heads with their levels; bodies are simplified, and a body that folds to a
    constant or a single variable becomes no head at all (the formula is used directly)."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.heads: list[Head] = []
        self.level: dict[str, int] = {}

    def level_of(self, formula: Formula) -> int:
        """1 + the largest level of a variable in ``formula`` (inputs and constants: 0)."""
        return max((self.level.get(name, 0) for name in names(formula)), default=0) + 1

    def head(self, name: str, body: Formula, *, keep: bool = False) -> Formula:
        """A head ``name :- body`` (terminal 0); its variable, or, unless ``keep``, the
        folded body itself when that is a constant or a variable."""
        body = simplify(body)
        if not keep and isinstance(body, Top | Bottom | Var):
            return body
        self.level[name] = self.level_of(body)
        self.heads.append(Head(name, body, False))
        return Var(name)

    def live(self, roots: list[str]) -> list[Head]:
        """The heads ``roots`` read, directly or not (a generate or propagate predicate that
        every carry folded away is left out), in the order they were made."""
        body = {h.name: h.body for h in self.heads}
        needed, stack = set(roots), list(roots)
        while stack:
            for name in names(body.get(stack.pop(), Top())):
                if name in body and name not in needed:
                    needed.add(name)
                    stack.append(name)
        return [h for h in self.heads if h.name in needed]


def _digits_of(prefix: str, base: int, digits: int) -> Number:
    """The magnitude of an operand, straight from its input predicates."""
    held = tuple(tuple(digit(prefix, p, d) for d in range(base)) for p in range(digits))
    return Number(0, held, base**digits - 1)


def _pair_sum(a: tuple[Formula, ...], b: tuple[Formula, ...], keep) -> Formula:
    """OR of ``a[u] & b[v]`` over the digit pairs with ``keep(u, v)``."""
    n = len(a)
    return disjunction([And(a[u], b[v]) for u in range(n) for v in range(n) if keep(u, v)])


def _lookahead(gen: list[Formula], pro: list[Formula], p: int) -> Formula:
    """The carry into position ``p`` (relative): OR over j < p of gen_j & pro_k, j < k < p."""
    return disjunction(
        [conjunction([gen[j], *(pro[k] for k in range(j + 1, p))]) for j in range(p)]
    )


def _add(builder: _Builder, tag: str, x: Number, y: Number, result: str | None = None) -> Number:
    """x + y by the three layers of Lemma 3.3 (heads named ``{tag}G``/``P``/``S``/``C``/``R``,
    or the result digits ``{result}{p}_{d}``, every one a head, when ``result`` is given).

    Positions below both operands are zero; positions where only one operand has digits
    fold to copies of its digits (no head). Only the predicates some carry reads are heads:
    the carry into position i reads generate j < i and propagate 0 < k < i, and the carry
    out of the top position exists only when the operands' bounds allow it."""
    b = builder.base
    low = min(x.low, y.low)
    bound = x.bound + y.bound
    top = max(x.high, y.high)
    width = top - low
    carry_out = bound >= b**top
    last = width if carry_out else width - 1  # the highest carry needed
    gen: list[Formula] = []
    pro: list[Formula] = []
    sums: list[list[Formula]] = []
    for i in range(width):
        p = low + i
        u, v = x.at(p, b), y.at(p, b)
        generates = _pair_sum(u, v, lambda s, t: s + t >= b)
        propagates = _pair_sum(u, v, lambda s, t: s + t == b - 1)
        gen.append(builder.head(f"{tag}G{p}", generates) if i < last else Bottom())
        pro.append(builder.head(f"{tag}P{p}", propagates) if 0 < i < last else Bottom())
        sums.append(
            [
                builder.head(f"{tag}S{p}_{d}", _pair_sum(u, v, lambda s, t, d=d: (s + t) % b == d))
                for d in range(b)
            ]
        )
    carries: list[Formula] = [Bottom()] + [
        builder.head(f"{tag}C{low + i}", _lookahead(gen, pro, i)) for i in range(1, last + 1)
    ]
    bodies = [
        [Or(And(sums[i][d], Not(c)), And(sums[i][(d - 1) % b], c)) for d in range(b)]
        for i, c in enumerate(carries[:width])
    ]
    if carry_out:
        out = carries[width]
        bodies.append([Not(out), out, *[Bottom()] * (b - 2)])
    name = f"{tag}R" if result is None else result
    digits = tuple(
        tuple(
            builder.head(f"{name}{low + i}_{d}", body, keep=result is not None)
            for d, body in enumerate(position)
        )
        for i, position in enumerate(bodies)
    )
    return Number(low, digits, bound)


def _multiples(builder: _Builder, x: Number) -> dict[int, Number]:
    """k * |x| for k = 1 .. b-1 by the doubling tree (k = 1 is |x| itself)."""
    multiples = {1: x}
    for k in range(2, builder.base):
        half = k // 2
        multiples[k] = _add(builder, f"M{k}", multiples[k - half], multiples[half])
    return multiples


def _partial_product(builder: _Builder, j: int, multiples: dict[int, Number], y_digit) -> Number:
    """|x| * y_j * b^j: the multiple selected by the one-hot digit y_j, shifted by j."""
    b = builder.base
    width = max(m.high for m in multiples.values())
    digits = []
    for p in range(width):
        digits.append(
            tuple(
                builder.head(
                    f"P{j}_{p + j}_{d}",
                    disjunction(
                        ([y_digit[0]] if d == 0 else [])
                        + [And(y_digit[k], multiples[k].at(p, b)[d]) for k in range(1, b)]
                    ),
                )
                for d in range(b)
            )
        )
    return Number(j, tuple(digits), (b - 1) * multiples[1].bound * b**j)


def _sum_tree(builder: _Builder, numbers: list[Number], result: str) -> Number:
    """The numbers added pairwise level by level, an odd one out carried up; the digits of
    the last addition are the heads ``{result}{p}_{d}``."""
    level = 0
    while len(numbers) > 1:
        level += 1
        last = len(numbers) == 2
        paired = [
            _add(
                builder,
                f"A{level}x{i // 2}",
                numbers[i],
                numbers[i + 1],
                result if last else None,
            )
            for i in range(0, len(numbers) - 1, 2)
        ]
        if len(numbers) % 2:
            paired.append(numbers[-1])
        numbers = paired
    return numbers[0]


def mul_program(base: int, digits: int) -> BnlProgram:
    """Lemma 3.4: x * y for x, y in Z(digits, base), result in Z(2 digits, base), by the tree
    of additions; halting, computation time O(log digits + log base) (see the module
    docstring for T)."""
    _check(base, digits)
    b, n = base, digits
    builder = _Builder(b)
    x = _digits_of("X", b, n)
    multiples = _multiples(builder, x)
    partials = [
        _partial_product(builder, j, multiples, tuple(digit("Y", j, d) for d in range(b)))
        for j in range(n)
    ]
    product = _sum_tree(builder, partials, "Z")
    nonzero = [Not(conjunction([digit(prefix, p, 0) for p in range(n)])) for prefix in ("X", "Y")]
    xs, ys = Var("XS"), Var("YS")
    sign = conjunction([Or(And(xs, Not(ys)), And(Not(xs), ys)), *nonzero])
    builder.head("ZS", sign, keep=True)
    printed = ["ZS"] + [f"Z{p}_{d}" for p in reversed(range(2 * n)) for d in range(b)]
    for name in printed[1:]:
        if name not in builder.level:  # n = 1 (no addition), or a digit above the product's
            p, d = (int(part) for part in name[1:].split("_"))
            builder.head(name, product.at(p, b)[d], keep=True)
    heads = builder.live(printed)
    time = max(builder.level[h.name] for h in heads)
    return operand_program(heads, printed, "mul", b, n, time)
