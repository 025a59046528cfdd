"""Parity: the self-feeding circuit of Theorem 2.3 and a straightforward reference program.

The circuit (:func:`parity_circuit`) has the n input positions ``x1..xn`` and one auxiliary
position ``a`` (init 0), which is the attention position; position 1 is printed. Every round
it applies the paper's "cutting method" once: output gate i is the XOR of positions 2i-1 and
2i, so the pairwise parities move into the leftmost half, and the gates of the right half are
constant ``or()``. The paper pads the input to 2^k positions (k the least with 2^k >= n) with
constant-0 gates ``z``; here those gates are folded away instead: a neighbour beyond position
n is 0, and ``x XOR 0 = x``, so when n is odd the odd one out is copied (``o = x``, an alias,
no gate). No padding *position* is needed, so the circuit keeps the theorem's n input
positions and exactly one auxiliary position.

Why it works: the positions beyond ceil(n / 2^t) are 0 after round t, and round t holds, in
positions 1..ceil(n / 2^t), the parities of the consecutive blocks of 2^t input bits (the last
block possibly shorter). The XOR of all positions is the parity of the input in every round.
So after k rounds position 1 holds the parity and positions 2..n are 0. The attention gate
``oa = or(and(!x2, ..., !xn), a)`` turns on in the round after positions 2..n are all 0 and
stays on; from that round on the configuration is the fixed point (parity, 0, ..., 0, 1).
For n = 4 this is exactly ``parity4.circ`` of the shared examples.

Facts (checked by the tests with the engines):

* transient time = halting round = ceil(log2 n) + 1 for every n >= 1 (the input with a 1 in
  position 2^(k-1) + 1 keeps position 2 nonzero until round k - 1; for n = 1 the attention
  gate ``and()`` of fan-in 0 is 1 and the fixed point is reached in round 1);
* depth 3 with unbounded fan-in (input -> not -> and -> or; 1 for n = 1); the attention
  gate's ``and`` has fan-in n - 1, every other gate fan-in at most 2;
* size (gates as written, input gates included): n + 1 input gates, 5 per XOR pair, one
  ``or()`` per right-half position and n + 1 for the attention gate, in all
  2n + 2 + 6 floor(n/2) <= 5n + 2, so O(n).

The reference program (:func:`parity_program`) is the obvious BNL program: the inputs keep
their value (``Xi :- Xi``), ``P`` (terminal 0) becomes the XOR of X1..Xn as a balanced tree in
round 1, and ``D :- 1`` (terminal 0) is the attention predicate. It halts with its fixed point
in round 1, and is asynchronously equivalent to the circuit. Its size grows as about n^2
(each XOR mentions both operands twice).
"""

from __future__ import annotations

from verifier.formula import And, Formula, Not, Or, Top, Var
from verifier.models import AttentionBits, BnlProgram, Circuit, GateApp, GateDef, GateRef, Head
from verifier.models.circuit import GateExpr

__all__ = ["parity_circuit", "parity_program", "parity_rounds"]


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"parity needs n >= 1 input bits, got {n!r}")


def parity_rounds(n: int) -> int:
    """The number of cutting rounds, k = the least k with 2^k >= n (0 for n = 1)."""
    _check_n(n)
    return (n - 1).bit_length()


def _xor_gate(a: str, b: str) -> GateApp:
    """``or(and(a, !b), and(!a, b))``, as in ``parity4.circ``."""
    x, y = GateRef(a), GateRef(b)
    return GateApp(
        "or",
        (
            GateApp("and", (x, GateApp("not", (y,)))),
            GateApp("and", (GateApp("not", (x,)), y)),
        ),
    )


def parity_circuit(n: int) -> Circuit:
    """Theorem 2.3's self-feeding circuit for the parity of n >= 1 bits (see the module
    docstring): positions ``x1..xn`` (input) and ``a`` (auxiliary, init 0, attention),
    print position 1."""
    _check_n(n)
    xs = [f"x{i}" for i in range(1, n + 1)]
    gates: list[GateDef] = []
    for i in range(1, n + 1):
        left, right = 2 * i - 1, 2 * i
        expr: GateExpr
        if right <= n:
            expr = _xor_gate(xs[left - 1], xs[right - 1])
        elif left <= n:
            expr = GateRef(xs[left - 1])  # XOR with the padding 0: a copy
        else:
            expr = GateApp("or", ())  # the right half: constant 0
        gates.append(GateDef(f"o{i}", expr))
    all_zero = GateApp("and", tuple(GateApp("not", (GateRef(x),)) for x in xs[1:]))
    gates.append(GateDef("oa", GateApp("or", (all_zero, GateRef("a")))))
    return Circuit(
        inputs=(*xs, "a"),
        outputs=(*(g.name for g in gates[:-1]), "oa"),
        gates=tuple(gates),
        init=(*([None] * n), False),
        print_=(0,),
        attention=AttentionBits((n,)),
        meta=(f"generator=parity theorem=2.3 n={n}",),
    )


def _xor(a: Formula, b: Formula) -> Formula:
    return Or(And(a, Not(b)), And(Not(a), b))


def _balanced_xor(parts: list[Formula]) -> Formula:
    """The XOR of ``parts`` as a balanced tree (recursion depth log2 of the count)."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _xor(_balanced_xor(parts[:half]), _balanced_xor(parts[half:]))


def parity_program(n: int) -> BnlProgram:
    """A straightforward BNL program for the parity of n >= 1 bits: inputs ``X1..Xn``
    (identity rules), ``P`` (terminal 0) the balanced XOR tree of the inputs, ``D :- 1``
    (terminal 0) the attention predicate; prints ``P``. Halting, fixed point in round 1."""
    _check_n(n)
    xs = [f"X{i}" for i in range(1, n + 1)]
    heads = [Head(x, Var(x)) for x in xs]
    heads.append(Head("P", _balanced_xor([Var(x) for x in xs]), init=False))
    heads.append(Head("D", Top(), init=False))
    return BnlProgram(
        heads=tuple(heads),
        print_=("P",),
        attention=AttentionBits(("D",)),
        meta=(f"generator=parity-reference n={n}",),
    )
