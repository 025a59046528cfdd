"""Integer comparison, addition and subtraction as halting BNL programs (paper Lemmas 3.2, 3.3).

Interface (DESIGN.md 2.7): the input predicates are the one-hot encodings of x and then y in
Z(n, b) -- ``XS`` (sign), then ``X{p}_{d}`` for the digit positions p = n-1 .. 0 (most
significant first; p is the power of b) and the digit values d = 0 .. b-1 -- and likewise
``YS``, ``Y{p}_{d}``. ``assume`` lines restrict them to valid encodings (each digit block
exactly one bit; the sign is free, so negative zero is a valid input). The print predicates are
the result: ``GT`` for comparison (1 iff x > y); ``ZS``, ``Z{p}_{d}`` (p = n .. 0) for addition
and subtraction, the encoding of x + y or x - y in Z(n+1, b) (a zero result has sign 0).

Every head except the inputs belongs to one of three layers, each computed from the layers
before it (the inputs keep their values, ``X :- X``), so layer k holds its final value from
round k on:

1. per digit position p, from the inputs (Lemma 3.2's digit comparison and Lemma 3.3's digit
   sums): ``GX{p}`` (x's digit is larger), ``LX{p}`` (smaller), ``EQ{p}`` (equal), and, for
   addition and subtraction, ``GEN{p}`` (the digits sum to b or more: a carry is generated),
   ``PRO{p}`` (they sum to b - 1: an incoming carry is propagated), ``S{p}_{d}`` (the digit
   sum mod b is d), ``D{p}_{d}`` (x's digit minus y's is d mod b); ``NZ`` (x or y is nonzero);
2. the lookahead (Lemma 3.3): the carry into position p of |x| + |y|,
   ``C{p}`` = OR over j < p of (GEN{j} and PRO{k} for every j < k < p); the borrow into
   position p of |x| - |y|, ``BXY{p}``, the same with generate ``LX`` and propagate ``EQ``;
   the borrow of |y| - |x|, ``BYX{p}``, with ``GX`` and ``EQ``. The borrow out of the top
   position is the comparison of magnitudes (Lemma 3.2): ``BYX{n}`` iff |x| > |y| and
   ``BXY{n}`` iff |x| < |y|; the comparison program has just these two (``MG``, ``ML``);
3. the result, from the signs (as in Lemma 3.3's proof): with equal effective signs the
   magnitudes are added (``S`` corrected by the carry ``C``) and the result has their sign;
   otherwise the smaller magnitude is subtracted from the larger (``D`` corrected by the
   borrow) and the result has the sign of the larger; a zero result has sign 0. Subtraction
   is addition with y's sign negated. Comparison: ``GT`` from the signs, ``MG``, ``ML``, ``NZ``.

Output rounds: the flags ``F1 :- 1``, ``F2 :- F1``, ``F3 :- F2`` (terminal 0) turn on in rounds
1, 2, 3; ``F3`` is the attention predicate. Layer k and flag Fk are constant from round k on, and
F3 changes between rounds 2 and 3, so for every valid input configuration t is a fixed point iff
t >= 3 iff F3 is on: the program halts, and its computation time is T = 3 (:data:`TIME`).
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import AttentionBits, BnlProgram, Head

__all__ = [
    "TIME",
    "add_program",
    "compare_program",
    "conjunction",
    "digit",
    "disjunction",
    "flags",
    "input_names",
    "integer_program",
    "meta_lines",
    "one_hot_assumptions",
    "operand_program",
    "simplify",
    "sub_program",
]

#: The computation time (the round of the fixed point) of every program of this module.
TIME = 3


def _check(base: int, digits: int) -> None:
    for name, value, low in (("base", base, 2), ("digits", digits, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"integer arithmetic needs {name} >= {low}, got {value!r}")


def _balanced(parts: list[Formula], op: type[And] | type[Or], empty: Formula) -> Formula:
    """``parts`` joined by ``op`` as a balanced tree (depth log2 of the count)."""
    if not parts:
        return empty
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return op(_balanced(parts[:half], op, empty), _balanced(parts[half:], op, empty))


def conjunction(parts: list[Formula]) -> Formula:
    """The balanced conjunction of ``parts`` (``Top()`` when empty)."""
    return _balanced(parts, And, Top())


def disjunction(parts: list[Formula]) -> Formula:
    """The balanced disjunction of ``parts`` (``Bottom()`` when empty)."""
    return _balanced(parts, Or, Bottom())


def _v(name: str) -> Var:
    return Var(name)


def digit(prefix: str, p: int, d: int) -> Var:
    return Var(f"{prefix}{p}_{d}")


def input_names(prefix: str, base: int, digits: int) -> list[str]:
    """Sign, then the digit blocks most significant first (DESIGN 2.7)."""
    return [f"{prefix}S"] + [
        f"{prefix}{p}_{d}" for p in reversed(range(digits)) for d in range(base)
    ]


def one_hot_assumptions(prefix: str, base: int, digits: int) -> list[Formula]:
    """One assumption per digit block: at least one bit and no two bits."""
    out: list[Formula] = []
    for p in reversed(range(digits)):
        bits = [digit(prefix, p, d) for d in range(base)]
        pairs = [Not(And(bits[i], bits[j])) for i in range(base) for j in range(i + 1, base)]
        out.append(conjunction([disjunction(bits), *pairs]))
    return out


def _pairs(base: int, p: int, keep: Callable[[int, int], bool]) -> Formula:
    """OR of ``X{p}_u & Y{p}_v`` over the digit pairs (u, v) with ``keep(u, v)``."""
    return disjunction(
        [
            And(digit("X", p, u), digit("Y", p, v))
            for u in range(base)
            for v in range(base)
            if keep(u, v)
        ]
    )


def _lookahead(gen: str, pro: str, p: int) -> Formula:
    """The carry into position p: OR over j < p of gen_j and pro_k for all j < k < p."""
    return disjunction(
        [
            conjunction([_v(f"{gen}{j}"), *(_v(f"{pro}{k}") for k in range(j + 1, p))])
            for j in range(p)
        ]
    )


def _comparison_layer(base: int, digits: int) -> list[Head]:
    heads: list[Head] = []
    for p in reversed(range(digits)):
        heads.append(Head(f"GX{p}", _pairs(base, p, lambda u, v: u > v), False))
        heads.append(Head(f"LX{p}", _pairs(base, p, lambda u, v: u < v), False))
        heads.append(Head(f"EQ{p}", _pairs(base, p, lambda u, v: u == v), False))
    both_zero = conjunction([And(digit("X", p, 0), digit("Y", p, 0)) for p in range(digits)])
    heads.append(Head("NZ", Not(both_zero), False))
    return heads


def flags(time: int) -> list[Head]:
    """The timing flags ``F1 :- 1``, ``Fk :- F(k-1)`` up to ``F{time}``: Fk turns on in round k,
    so ``F{time}`` (the attention predicate) is on exactly from round ``time`` on."""
    heads = [Head("F1", Top(), False)]
    heads += [Head(f"F{k}", _v(f"F{k - 1}"), False) for k in range(2, time + 1)]
    return heads


def meta_lines(op: str, base: int, digits: int, time: int = TIME) -> tuple[str, ...]:
    """The ``meta arith`` line read by ``verify arith`` (DESIGN 2.7 interface)."""
    return (f"arith op={op} encoding=int base={base} digits={digits} time={time} operands=x,y",)


def operand_program(
    heads: list[Head], print_: list[str], op: str, base: int, digits: int, time: int = TIME
) -> BnlProgram:
    """The program with inputs x, y of Z(digits, base) (input heads ``X :- X`` first), the
    given heads, the flags up to ``time`` (attention ``F{time}``), the one-hot assumptions and
    the meta line."""
    inputs = input_names("X", base, digits) + input_names("Y", base, digits)
    all_heads = [Head(name, _v(name)) for name in inputs] + heads + flags(time)
    assumptions = one_hot_assumptions("X", base, digits) + one_hot_assumptions("Y", base, digits)
    return BnlProgram(
        heads=tuple(all_heads),
        print_=tuple(print_),
        attention=AttentionBits((f"F{time}",)),
        assumptions=tuple(assumptions),
        meta=meta_lines(op, base, digits, time),
    )


def compare_program(base: int, digits: int) -> BnlProgram:
    """Lemma 3.2: ``GT`` is 1 iff x > y, for x, y in Z(digits, base); halts in round 3."""
    _check(base, digits)
    n = digits
    heads = _comparison_layer(base, n)
    heads.append(Head("MG", _lookahead("GX", "EQ", n), False))  # |x| > |y|
    heads.append(Head("ML", _lookahead("LX", "EQ", n), False))  # |x| < |y|
    xs, ys = _v("XS"), _v("YS")
    gt = disjunction(
        [
            conjunction([Not(xs), Not(ys), _v("MG")]),
            conjunction([xs, ys, _v("ML")]),
            conjunction([Not(xs), ys, _v("NZ")]),  # x >= 0 >= y, not both zero
        ]
    )
    heads.append(Head("GT", gt, False))
    return operand_program(heads, ["GT"], "compare", base, n)


def integer_program(op: str, base: int, digits: int) -> BnlProgram:
    """Lemma 3.3: x + y (``op="add"``) or x - y (``op="sub"``) in Z(digits + 1, base) by
    base-b carry-lookahead, signed via the comparison of magnitudes; halts in round 3."""
    if op not in ("add", "sub"):
        raise ValueError(f"integer_program computes add or sub, not {op!r}")
    _check(base, digits)
    b, n = base, digits
    heads = _comparison_layer(b, n)
    for p in reversed(range(n)):
        heads.append(Head(f"GEN{p}", _pairs(b, p, lambda u, v: u + v >= b), False))
        heads.append(Head(f"PRO{p}", _pairs(b, p, lambda u, v: u + v == b - 1), False))
        for d in range(b):
            heads.append(Head(f"S{p}_{d}", _pairs(b, p, lambda u, v, d=d: (u + v) % b == d), False))
        for d in range(b):
            heads.append(Head(f"D{p}_{d}", _pairs(b, p, lambda u, v, d=d: (u - v) % b == d), False))
    # Layer 2: carries of |x| + |y|, borrows of |x| - |y| and of |y| - |x|, into p = 1 .. n.
    for p in range(1, n + 1):
        heads.append(Head(f"C{p}", _lookahead("GEN", "PRO", p), False))
        heads.append(Head(f"BXY{p}", _lookahead("LX", "EQ", p), False))
        heads.append(Head(f"BYX{p}", _lookahead("GX", "EQ", p), False))
    # Layer 3: the result.
    xs = _v("XS")
    ys: Formula = _v("YS") if op == "add" else Not(_v("YS"))  # y's effective sign
    same = Or(And(xs, ys), And(Not(xs), Not(ys)))
    differ = Or(And(xs, Not(ys)), And(Not(xs), ys))
    larger_x = _v(f"BYX{n}")  # |x| > |y|
    smaller_x = _v(f"BXY{n}")  # |x| < |y|

    def carry(name: str, p: int) -> Formula:
        return Bottom() if p == 0 else _v(f"{name}{p}")

    sign = simplify(
        disjunction(
            [
                conjunction([same, xs, _v("NZ")]),
                conjunction([differ, xs, larger_x]),
                conjunction([differ, ys, smaller_x]),
            ]
        )
    )
    result = [Head("ZS", sign, False)]
    top = [
        simplify(Or(Not(same), Not(_v(f"C{n}")))),  # digit 0
        And(same, _v(f"C{n}")),  # digit 1: the carry out of |x| + |y|
    ] + [Bottom()] * (b - 2)
    result += [Head(f"Z{n}_{d}", simplify(top[d]), False) for d in range(b)]
    for p in reversed(range(n)):
        c, bxy, byx = carry("C", p), carry("BXY", p), carry("BYX", p)
        for d in range(b):
            added = Or(And(digit("S", p, d), Not(c)), And(digit("S", p, (d - 1) % b), c))
            x_minus_y = Or(And(digit("D", p, d), Not(bxy)), And(digit("D", p, (d + 1) % b), bxy))
            # y - x = -(x - y): its digit d is D{p}_{-d}, less the borrow.
            y_minus_x = Or(
                And(digit("D", p, (-d) % b), Not(byx)),
                And(digit("D", p, (-d - 1) % b), byx),
            )
            body = disjunction(
                [
                    And(same, added),
                    conjunction([differ, Not(smaller_x), x_minus_y]),
                    conjunction([differ, smaller_x, y_minus_x]),
                ]
            )
            result.append(Head(f"Z{p}_{d}", simplify(body), False))
    heads += result
    return operand_program(heads, [h.name for h in result], op, b, n)


def simplify(formula: Formula) -> Formula:
    """Fold the constant ``Bottom`` (the carry into position 0) away."""
    if isinstance(formula, Not):
        inner = simplify(formula.arg)
        if isinstance(inner, Bottom):
            return Top()
        if isinstance(inner, Top):
            return Bottom()
        return inner.arg if isinstance(inner, Not) else Not(inner)
    if isinstance(formula, And | Or):
        left, right = simplify(formula.left), simplify(formula.right)
        absorbing, neutral = (Bottom, Top) if isinstance(formula, And) else (Top, Bottom)
        if isinstance(left, absorbing) or isinstance(right, absorbing):
            return absorbing()
        if isinstance(left, neutral):
            return right
        if isinstance(right, neutral):
            return left
        return type(formula)(left, right)
    return formula


def add_program(base: int, digits: int) -> BnlProgram:
    """x + y for x, y in Z(digits, base), result in Z(digits + 1, base); halts in round 3."""
    return integer_program("add", base, digits)


def sub_program(base: int, digits: int) -> BnlProgram:
    """x - y for x, y in Z(digits, base), result in Z(digits + 1, base); halts in round 3."""
    return integer_program("sub", base, digits)
