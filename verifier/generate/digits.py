"""One-hot digit arithmetic that emits BNL heads: the building blocks of the generated
arithmetic programs (paper Lemmas 3.3-3.4, and the floating-point lemmas built on them).

A :class:`Number` is a non-negative integer whose digits are one-hot lists of formulas
(heads, input predicates or constants); a :class:`Builder` collects the heads that compute
new numbers, each with its *level* (1 + the largest level of the heads its body reads; input
predicates have level 0), so a head of level k holds its final value from round k on and a
program whose attention flag turns on at the largest level halts exactly there.

* :func:`add` -- the unsigned three-layer carry-lookahead addition of Lemma 3.3;
* :func:`multiples`, :func:`partial_product`, :func:`sum_tree` -- Lemma 3.4's tree of
  additions (the multiples k * x shared by every partial product).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var, names
from verifier.generate.integers import conjunction, disjunction, simplify
from verifier.models import Head

__all__ = [
    "Builder",
    "Number",
    "add",
    "lookahead",
    "multiples",
    "pair_sum",
    "partial_product",
    "product",
    "subtract",
    "sum_tree",
    "zero_digit",
]


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


class Builder:
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


def pair_sum(
    a: tuple[Formula, ...], b: tuple[Formula, ...], keep: Callable[[int, int], bool]
) -> Formula:
    """OR of ``a[u] & b[v]`` over the digit pairs with ``keep(u, v)``."""
    n = len(a)
    return disjunction([And(a[u], b[v]) for u in range(n) for v in range(n) if keep(u, v)])


def lookahead(gen: list[Formula], pro: list[Formula], p: int) -> Formula:
    """The carry into position ``p`` (relative): OR over j < p of gen_j & pro_k, j < k < p."""
    return disjunction(
        [conjunction([gen[j], *(pro[k] for k in range(j + 1, p))]) for j in range(p)]
    )


def add(builder: Builder, tag: str, x: Number, y: Number, result: str | None = None) -> Number:
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
        generates = pair_sum(u, v, lambda s, t: s + t >= b)
        propagates = pair_sum(u, v, lambda s, t: s + t == b - 1)
        gen.append(builder.head(f"{tag}G{p}", generates) if i < last else Bottom())
        pro.append(builder.head(f"{tag}P{p}", propagates) if 0 < i < last else Bottom())
        sums.append(
            [
                builder.head(f"{tag}S{p}_{d}", pair_sum(u, v, lambda s, t, d=d: (s + t) % b == d))
                for d in range(b)
            ]
        )
    carries: list[Formula] = [Bottom()] + [
        builder.head(f"{tag}C{low + i}", lookahead(gen, pro, i)) for i in range(1, last + 1)
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


def subtract(builder: Builder, tag: str, x: Number, y: Number) -> Number:
    """x - y for x >= y (unsigned; Lemma 3.3's subtraction: digit differences, the borrows by
    lookahead with generate "x's digit < y's" and propagate "equal", then the digits less the
    borrow), over x's positions; heads ``{tag}B``/``Q``/``D``/``W``/``R``."""
    b = builder.base
    low, top = min(x.low, y.low), max(x.high, y.high)
    width = top - low
    gen: list[Formula] = []
    pro: list[Formula] = []
    diffs: list[list[Formula]] = []
    for i in range(width):
        u, v = x.at(low + i, b), y.at(low + i, b)
        gen.append(builder.head(f"{tag}B{low + i}", pair_sum(u, v, lambda s, t: s < t)))
        pro.append(builder.head(f"{tag}Q{low + i}", pair_sum(u, v, lambda s, t: s == t)))
        diffs.append(
            [
                builder.head(
                    f"{tag}D{low + i}_{d}", pair_sum(u, v, lambda s, t, d=d: (s - t) % b == d)
                )
                for d in range(b)
            ]
        )
    borrows: list[Formula] = [Bottom()] + [
        builder.head(f"{tag}W{low + i}", lookahead(gen, pro, i)) for i in range(1, width)
    ]
    digits = tuple(
        tuple(
            builder.head(
                f"{tag}R{low + i}_{d}",
                Or(And(diffs[i][d], Not(w)), And(diffs[i][(d + 1) % b], w)),
            )
            for d in range(b)
        )
        for i, w in enumerate(borrows)
    )
    return Number(low, digits, x.bound)


def multiples(builder: Builder, x: Number, tag: str = "") -> dict[int, Number]:
    """k * x for k = 1 .. b-1 by the doubling tree (k = 1 is x itself); heads ``{tag}M{k}...``."""
    table = {1: x}
    for k in range(2, builder.base):
        half = k // 2
        table[k] = add(builder, f"{tag}M{k}", table[k - half], table[half])
    return table


def partial_product(
    builder: Builder,
    j: int,
    multiples: dict[int, Number],
    y_digit: tuple[Formula, ...],
    tag: str = "",
) -> Number:
    """x * y_j * b^j: the multiple of x selected by the one-hot digit y_j, shifted by j
    (heads ``{tag}P{j}_...``)."""
    b = builder.base
    width = max(m.high for m in multiples.values())
    digits = []
    for p in range(width):
        digits.append(
            tuple(
                builder.head(
                    f"{tag}P{j}_{p + j}_{d}",
                    disjunction(
                        ([y_digit[0]] if d == 0 else [])
                        + [And(y_digit[k], multiples[k].at(p, b)[d]) for k in range(1, b)]
                    ),
                )
                for d in range(b)
            )
        )
    return Number(j, tuple(digits), (b - 1) * multiples[1].bound * b**j)


def sum_tree(builder: Builder, numbers: list[Number], result: str, tag: str = "") -> Number:
    """The numbers added pairwise level by level, an odd one out carried up (heads
    ``{tag}A{level}x{i}...``); the digits of the last addition are the heads
    ``{result}{p}_{d}``."""
    level = 0
    while len(numbers) > 1:
        level += 1
        last = len(numbers) == 2
        paired = [
            add(
                builder,
                f"{tag}A{level}x{i // 2}",
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


def product(builder: Builder, x: Number, y: Number, result: str, tag: str = "") -> Number:
    """x * y by Lemma 3.4's tree of additions (``y`` held from position 0); the last
    addition's digits are the heads ``{result}{p}_{d}`` (with one partial product, no
    addition: its digits as they are)."""
    table = multiples(builder, x, tag)
    partials = [
        partial_product(builder, j, table, y.at(j, builder.base), tag) for j in range(y.high)
    ]
    return sum_tree(builder, partials, result, tag)
