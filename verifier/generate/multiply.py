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

from verifier.formula import And, Not, Or, Var
from verifier.generate.digits import Builder, Number, product
from verifier.generate.integers import _check, conjunction, digit, operand_program
from verifier.models import BnlProgram

__all__ = ["mul_program"]


def _digits_of(prefix: str, base: int, digits: int) -> Number:
    """The magnitude of an operand, straight from its input predicates."""
    held = tuple(tuple(digit(prefix, p, d) for d in range(base)) for p in range(digits))
    return Number(0, held, base**digits - 1)


def mul_program(base: int, digits: int) -> BnlProgram:
    """Lemma 3.4: x * y for x, y in Z(digits, base), result in Z(2 digits, base), by the tree
    of additions; halting, computation time O(log digits + log base) (see the module
    docstring for T)."""
    _check(base, digits)
    b, n = base, digits
    builder = Builder(b)
    x = _digits_of("X", b, n)
    product_ = product(builder, x, _digits_of("Y", b, n), "Z")
    nonzero = [Not(conjunction([digit(prefix, p, 0) for p in range(n)])) for prefix in ("X", "Y")]
    xs, ys = Var("XS"), Var("YS")
    sign = conjunction([Or(And(xs, Not(ys)), And(Not(xs), ys)), *nonzero])
    builder.head("ZS", sign, keep=True)
    printed = ["ZS"] + [f"Z{p}_{d}" for p in reversed(range(2 * n)) for d in range(b)]
    for name in printed[1:]:
        if name not in builder.level:  # n = 1 (no addition), or a digit above the product's
            p, d = (int(part) for part in name[1:].split("_"))
            builder.head(name, product_.at(p, b)[d], keep=True)
    heads = builder.live(printed)
    time = max(builder.level[h.name] for h in heads)
    return operand_program(heads, printed, "mul", b, n, time)
