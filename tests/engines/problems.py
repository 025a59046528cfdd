"""Safety problems for the SAT engines' tests, beside ``safety_problems()`` of tests/strategies:
deep ones (counters: first bad rounds and induction depths beyond 1), miters of two copies of a
system (the verifier's typical problem), and hard instances for deadline tests."""

from __future__ import annotations

from hypothesis import strategies as st

from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.safety import SafetyProblem


def _equals(builder: AigBuilder, bits: list[int], value: int) -> int:
    return builder.and_all(b if (value >> j) & 1 else b ^ 1 for j, b in enumerate(bits))


def _increment(builder: AigBuilder, bits: list[int], carry: int) -> list[int]:
    out = []
    for b in bits:
        out.append(builder.xor(b, carry))
        carry = builder.and_(b, carry)
    return out


@st.composite
def counter_problems(draw: st.DrawFn, max_inputs: int = 3, max_latches: int = 5) -> SafetyProblem:
    """A counter with a frozen enable, an optional wrap-around at M, an optional input twist
    of one bit, init over the inputs, and bad = "the counter equals B" (possibly gated by an
    input). Reachable first bad rounds go up to ``2**latches - 1``; unreachable values just
    above M need k-induction with k > 1."""
    n_in = draw(st.integers(0, max_inputs))
    n_latch = draw(st.integers(1, max_latches))
    b = AigBuilder(n_in + n_latch)
    ins = [b.input(i) for i in range(n_in)]
    bits = [b.input(n_in + j) for j in range(n_latch)]
    input_lits = [FALSE, TRUE, *ins, *(x ^ 1 for x in ins)]
    nxt = _increment(b, bits, draw(st.sampled_from([TRUE, *ins])))
    if draw(st.booleans()):
        wrap = _equals(b, bits, draw(st.integers(0, 2**n_latch - 1)))
        nxt = [b.and_(x, wrap ^ 1) for x in nxt]
    if ins and draw(st.booleans()):
        j = draw(st.integers(0, n_latch - 1))
        nxt[j] = b.xor(nxt[j], draw(st.sampled_from(ins)))
    init = tuple(draw(st.sampled_from(input_lits)) for _ in range(n_latch))
    bad = _equals(b, bits, draw(st.integers(0, 2**n_latch - 1)))
    if ins and draw(st.booleans()):
        bad = b.and_(bad, draw(st.sampled_from(input_lits)))
    constraints = tuple(draw(st.lists(st.sampled_from(input_lits[2:]), max_size=1))) if ins else ()
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"i{j}" for j in range(n_in)),
        latch_names=tuple(f"c{j}" for j in range(n_latch)),
        init=init,
        next_state=tuple(nxt),
        bad=bad,
        constraints=constraints,
    )


def miter(problem: SafetyProblem, mutate: tuple[int, int] | None = None) -> SafetyProblem:
    """Two copies of ``problem``'s latches side by side over shared inputs; bad = some latch
    pair differs. ``mutate = (j, lit)`` XORs copy B's next state of latch ``j`` with copy B's
    signal ``lit`` (a literal of ``problem``): the copies then diverge exactly when that signal
    is ever true in a reachable state -- often not, so the miter stays safe while the copies
    differ structurally."""
    n_in, n_latch = problem.num_inputs, problem.num_latches
    b = AigBuilder(n_in + 2 * n_latch)
    ins = [b.input(i) for i in range(n_in)]
    side_a = b.embed(problem.aig, [*ins, *(b.input(n_in + j) for j in range(n_latch))])
    side_b = b.embed(problem.aig, [*ins, *(b.input(n_in + n_latch + j) for j in range(n_latch))])
    next_b = [side_b(x) for x in problem.next_state]
    if mutate is not None:
        j, lit = mutate
        next_b[j] = b.xor(next_b[j], side_b(lit))
    latches_a = [b.input(n_in + j) for j in range(n_latch)]
    latches_b = [b.input(n_in + n_latch + j) for j in range(n_latch)]
    bad = b.or_all(b.xor(x, y) for x, y in zip(latches_a, latches_b, strict=True))
    return SafetyProblem(
        aig=b.build(),
        input_names=problem.input_names,
        latch_names=tuple(f"a.{n}" for n in problem.latch_names)
        + tuple(f"b.{n}" for n in problem.latch_names),
        init=tuple(side_a(x) for x in problem.init) + tuple(side_b(x) for x in problem.init),
        next_state=tuple(side_a(x) for x in problem.next_state) + tuple(next_b),
        bad=bad,
        constraints=tuple(side_a(x) for x in problem.constraints),
    )


def _multiply(b: AigBuilder, x: list[int], y: list[int]) -> list[int]:
    """Array multiplier, rows added in the order of ``y``'s bits (ripple-carry adders)."""
    width = len(x)
    acc = [FALSE] * width
    for j, yj in enumerate(y):
        row = [FALSE] * j + [b.and_(xi, yj) for xi in x][: width - j]
        carry = FALSE
        out = []
        for p, q in zip(acc, row, strict=True):
            s = b.xor(p, q)
            out.append(b.xor(s, carry))
            carry = b.or_(b.and_(p, q), b.and_(s, carry))
        acc = out
    return acc


def commutativity_miter(width: int) -> SafetyProblem:
    """bad = ``x * y != y * x`` (mod 2**width) in round 0: no latches, a hard SAT miter (the
    two array multipliers add their rows in different orders)."""
    b = AigBuilder(2 * width)
    x = [b.input(i) for i in range(width)]
    y = [b.input(width + i) for i in range(width)]
    xy, yx = _multiply(b, x, y), _multiply(b, y, x)
    bad = b.or_all(b.xor(p, q) for p, q in zip(xy, yx, strict=True))
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"x{i}" for i in range(width)) + tuple(f"y{i}" for i in range(width)),
        latch_names=(),
        init=(),
        next_state=(),
        bad=bad,
    )


def long_counter(width: int) -> SafetyProblem:
    """A ``width``-bit counter from 0; bad = all ones (first true in round ``2**width - 1``)."""
    b = AigBuilder(width)
    bits = [b.input(j) for j in range(width)]
    next_state = tuple(_increment(b, bits, TRUE))
    bad = b.and_all(bits)
    return SafetyProblem(
        aig=b.build(),
        input_names=(),
        latch_names=tuple(f"c{j}" for j in range(width)),
        init=(FALSE,) * width,
        next_state=next_state,
        bad=bad,
    )
