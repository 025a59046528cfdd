"""The SAT miter of ``verify arith``: every claim about an integer arithmetic program in one
literal (DESIGN.md 2.7, issue 6 part 3).

:func:`arith_miter` unrolls the program's transition system combinationally for rounds
0 .. T+1 over symbolic inputs (one AIG, structurally hashed: a head that is stable from round k
on is the same literal in every later frame, so the unrolling costs little more than one copy
of the program) and puts the reference circuit of :mod:`verifier.arith.symbolic` (integers) or
:mod:`verifier.arith.symbolic_floats` (floats) beside it.
Its ``bad`` literal is true exactly for the inputs that are valid operand encodings (by the
reference's own one-hot test, not the program's assumptions) and violate a claim:

(a) the program's assumptions reject the input;
(b) configuration T differs from configuration T+1;
(c) for some t in 0 .. T+1, round t is an output round but configuration t is not a fixed
    point, or the converse (configuration T+1 is a fixed point whenever T is, so (b) and (c)
    together cover every later round for output conditions given by attention bits);
(d) the print bits of round T differ from the reference's encoding of the result.

So ``bad`` is unsatisfiable iff the exhaustive method would find no failure: the SAT method
proves the same statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.arith.floats import FloatSystem, RawSystem
from verifier.arith.integers import IntSystem
from verifier.arith.symbolic import reference, valid
from verifier.arith.symbolic_floats import (
    float_reference,
    float_valid,
    normalize_reference,
    raw_valid,
)
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.system import TransitionSystem

__all__ = ["ArithMiter", "arith_miter"]


@dataclass(frozen=True)
class ArithMiter:
    """``aig`` has the program's inputs as its inputs; ``bad`` is the miter literal, ``valid``
    the literal "both operands are valid encodings" (``bad`` implies it); the x
    digits' input literals, most significant first (``x_digits[i][d]``), are for cubes."""

    aig: Aig
    bad: int
    valid: int
    x_digits: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class _Unrolled:
    """Per configuration t = 0 .. rounds: ``states[t]``; per round t < rounds: ``prints[t]``
    and ``outputs[t]``; and the assumption literals."""

    states: list[list[int]]
    prints: list[list[int]]
    outputs: list[int]
    assumptions: list[int]


def _unroll(g: AigBuilder, ts: TransitionSystem, rounds: int) -> _Unrolled:
    """Rounds 0 .. rounds-1 of ``ts`` over the builder's inputs."""
    inputs = [g.input(i) for i in range(ts.num_inputs)]
    lit = g.embed(ts.aig, inputs + [FALSE] * ts.num_state, [*ts.init, *ts.assumptions])
    out = _Unrolled([[lit(x) for x in ts.init]], [], [], [lit(a) for a in ts.assumptions])
    for _ in range(rounds):
        lit = g.embed(ts.aig, inputs + out.states[-1])
        out.prints.append([lit(x) for x in ts.print_])
        out.outputs.append(TRUE if ts.output_lit is None else lit(ts.output_lit))
        out.states.append([lit(x) for x in ts.next_state])
    return out


def arith_miter(
    ts: TransitionSystem,
    op: str,
    z: IntSystem | FloatSystem,
    time: int,
    raw: RawSystem | None = None,
) -> ArithMiter:
    """The miter of the claims (a)-(d) for the program ``ts`` computing ``op`` on Z(n, b) or
    F(p, q, b) with computation time ``time`` (see the module docstring); for ``fnormalize``
    the one operand is a raw number of ``raw``, the result in F(p, q, b) = ``z``."""
    operand = raw if op == "fnormalize" else z
    if operand is None:
        raise ValueError("fnormalize needs the raw system of its operand")
    arity = 1 if op == "fnormalize" else 2
    if ts.num_inputs != arity * operand.width:
        raise ValueError(
            f"{op} on {operand} needs {arity * operand.width} inputs,"
            f" the program has {ts.num_inputs}"
        )
    g = AigBuilder(ts.num_inputs)
    x = [g.input(i) for i in range(operand.width)]
    y = [g.input(operand.width + i) for i in range(operand.width if arity == 2 else 0)]
    run = _unroll(g, ts, time + 2)
    states, prints = run.states, run.prints
    fixed = [
        g.and_all(g.xor(a, b) ^ 1 for a, b in zip(states[t], states[t + 1], strict=True))
        for t in range(time + 1)
    ]
    fixed.append(fixed[time])  # configuration T+1 is fixed when T is; else (b) fails anyway
    rounds = ts.output if ts.output_lit is None else None
    claims = [g.and_all(run.assumptions) ^ 1, fixed[time] ^ 1]
    for t in range(time + 2):
        output = (
            run.outputs[t] if rounds is None else (TRUE if rounds.is_output_round(t) else FALSE)
        )
        claims.append(g.xor(output, fixed[t]))
    if raw is not None and isinstance(z, FloatSystem):
        expected = normalize_reference(g, raw, z, x)
        operands_valid = raw_valid(g, raw, x)
        first = 2 + raw.q * raw.b
    elif isinstance(z, FloatSystem):
        expected = float_reference(g, op, z, x, y)
        operands_valid = g.and_(float_valid(g, z, x), float_valid(g, z, y))
        first = 2 + z.q * z.b  # cubes fix x's leading fraction digits
    else:
        expected = reference(g, op, z, x, y)
        operands_valid = g.and_(valid(g, z, x), valid(g, z, y))
        first = 1
    if len(expected) != len(prints[time]):
        raise ValueError(
            f"{op} on {z} prints {len(expected)} bits, the program {len(prints[time])}"
        )
    claims += [g.xor(a, b) for a, b in zip(prints[time], expected, strict=True)]
    bad = g.and_(operands_valid, g.or_all(claims))
    count = (len(x) - first) // z.b
    x_digits = tuple(tuple(x[first + i * z.b + d] for d in range(z.b)) for i in range(count))
    return ArithMiter(g.build(), bad, operands_valid, x_digits)
