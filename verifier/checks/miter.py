"""Miters: equivalence of two transition systems as one safety problem (DESIGN.md 2.5, 4).

Both systems are put side by side in one AIG over shared, frozen inputs (B's inputs are wired
to A's matched inputs) and the property "bad never holds" is built so that it holds iff

* **global mode**: in every round the aligned configurations are equal, the output flags are
  equal, and in output rounds the aligned print strings are equal;
* **stride mode** (asynchronous equivalence with a known computation delay, DESIGN 2.5):
  output round t of A is output round ``D*t + C`` of B with the same print string, and B has no
  other output round. B is composed D times per step after C initial steps, so the check is
  synchronous; its PASS implies that the output sequences are identical (same length too).

Output rounds given as a fixed set of rounds (``attention rounds``) are produced by a one-hot
*phase monitor* over the eventually periodic round set (prefix P, period L): one latch per
phase, advanced with the system. The latches of the problem are A's configuration, B's, then
the monitors' phases and a "first round" flag when needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from verifier.checks.alignment import Alignment
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.safety import SafetyProblem
from verifier.ir.system import TransitionSystem
from verifier.models.attention import AttentionRounds

__all__ = [
    "FinalPrints",
    "PhaseMonitor",
    "align_system",
    "final_prints",
    "global_miter",
    "stride_miter",
]


@dataclass(frozen=True)
class PhaseMonitor:
    """The phases 0..P+L-1 of an eventually periodic set of rounds: round t has phase t for
    t < P, then ``P + (t - P) % L``; ``members`` are the phases that are output rounds."""

    prefix: int
    period: int
    members: frozenset[int]

    @classmethod
    def of(cls, rounds: AttentionRounds) -> PhaseMonitor:
        prefix, period = rounds.eventual_period()
        members = frozenset(p for p in range(prefix + period) if rounds.is_output_round(p))
        return cls(prefix, period, members)

    @property
    def size(self) -> int:
        return self.prefix + self.period

    def advance(self, phase: int, steps: int = 1) -> int:
        for _ in range(steps):
            phase = phase + 1 if phase + 1 < self.size else self.prefix
        return phase


@dataclass
class _Side:
    """One system placed in the miter: its literals at the current step."""

    ts: TransitionSystem
    state: list[int]  # latch literals of the configuration
    phase: list[int]  # one-hot phase latches (empty without a monitor)
    monitor: PhaseMonitor | None


def _evaluate(
    builder: AigBuilder, ts: TransitionSystem, inputs: list[int], state: list[int]
) -> Callable[[int], int]:
    """Map literals of ``ts`` to the builder for the given input and state literals."""
    return builder.embed(ts.aig, [*inputs, *state])


def _output(side: _Side, lit: Callable[[int], int], phase: list[int], b: AigBuilder) -> int:
    if side.monitor is None:
        assert not isinstance(side.ts.output, AttentionRounds)
        return lit(side.ts.output)
    return b.or_all(phase[p] for p in sorted(side.monitor.members))


def _advance_phase(monitor: PhaseMonitor, phase: list[int], steps: int, b: AigBuilder) -> list[int]:
    """One-hot phase literals after ``steps`` further rounds."""
    sources: list[list[int]] = [[] for _ in range(monitor.size)]
    for p in range(monitor.size):
        sources[monitor.advance(p, steps)].append(phase[p])
    return [b.or_all(s) for s in sources]


class _Layout:
    """Allocates the latches of the miter: A's state, B's state, monitors, a first flag."""

    def __init__(self, num_inputs: int) -> None:
        self.num_inputs = num_inputs
        self.names: list[str] = []

    def add(self, names: list[str]) -> range:
        start = len(self.names)
        self.names.extend(names)
        return range(start, len(self.names))

    def lit(self, j: int) -> int:
        return 2 * (1 + self.num_inputs + j)


def _monitor(ts: TransitionSystem) -> PhaseMonitor | None:
    return PhaseMonitor.of(ts.output) if isinstance(ts.output, AttentionRounds) else None


def _b_input_lits(alignment: Alignment, a_input_lits: list[int]) -> list[int]:
    lits = [FALSE] * len(alignment.inputs)
    for i, j in enumerate(alignment.inputs):
        lits[j] = a_input_lits[i]
    return lits


@dataclass(frozen=True)
class FinalPrints:
    """A combinational miter over A's inputs: ``pairs`` are (A's print bit i in round
    ``rounds[0]``, B's matched print bit in round ``rounds[1]``) and ``constraints`` are the
    assumptions of both sides."""

    aig: Aig
    pairs: tuple[tuple[int, int], ...]
    constraints: tuple[int, ...]


def final_prints(
    a: TransitionSystem, b: TransitionSystem, alignment: Alignment, rounds: tuple[int, int]
) -> FinalPrints:
    """The print strings of A in round ``rounds[0]`` and of B in round ``rounds[1]``, both
    unrolled from their initial configurations on the same (aligned) input."""
    builder = AigBuilder(a.num_inputs)
    in_a = [builder.input(i) for i in range(a.num_inputs)]
    in_b = _b_input_lits(alignment, in_a)
    constraints: list[int] = []
    prints: list[list[int]] = []
    for system, inputs, depth in ((a, in_a, rounds[0]), (b, in_b, rounds[1])):
        roots = [*system.init, *system.assumptions]
        first = builder.embed(system.aig, [*inputs, *[FALSE] * system.num_state], roots)
        constraints += [first(x) for x in system.assumptions]
        state = [first(x) for x in system.init]
        lit = builder.embed(system.aig, [*inputs, *state])
        for _ in range(depth):
            state = [lit(x) for x in system.next_state]
            lit = builder.embed(system.aig, [*inputs, *state])
        prints.append([lit(x) for x in system.print_])
    pairs = tuple((prints[0][i], prints[1][j]) for i, j in enumerate(alignment.prints))
    return FinalPrints(builder.build(), pairs, tuple(constraints))


def global_miter(a: TransitionSystem, b: TransitionSystem, alignment: Alignment) -> SafetyProblem:
    """Bad iff configurations, output flags, or (in output rounds) print strings differ."""
    if alignment.state is None:
        raise ValueError("global equivalence needs aligned configurations")
    return _build(a, b, alignment, stride=1, offset=0, compare_state=True)


def stride_miter(
    a: TransitionSystem, b: TransitionSystem, alignment: Alignment, stride: int, offset: int
) -> SafetyProblem:
    """Bad iff A's output round t is not B's output round ``stride*t + offset`` with the same
    print string, or B outputs in a round of no such form."""
    if stride < 1 or offset < 0:
        raise ValueError("the stride must be >= 1 and the offset >= 0")
    return _build(a, b, alignment, stride=stride, offset=offset, compare_state=False)


def _build(
    a: TransitionSystem,
    b: TransitionSystem,
    alignment: Alignment,
    *,
    stride: int,
    offset: int,
    compare_state: bool,
) -> SafetyProblem:
    layout = _Layout(a.num_inputs)
    a_rng = layout.add([f"A.{n}" for n in a.state_names])
    b_rng = layout.add([f"B.{n}" for n in b.state_names])
    mon_a, mon_b = _monitor(a), _monitor(b)
    pa_rng = layout.add([f"A.phase{p}" for p in range(mon_a.size)] if mon_a else [])
    pb_rng = layout.add([f"B.phase{p}" for p in range(mon_b.size)] if mon_b else [])
    first_rng = layout.add(["first"] if offset > 0 else [])

    builder = AigBuilder(a.num_inputs + len(layout.names))
    in_a = [builder.input(i) for i in range(a.num_inputs)]
    in_b = _b_input_lits(alignment, in_a)
    side_a = _Side(a, [layout.lit(j) for j in a_rng], [layout.lit(j) for j in pa_rng], mon_a)
    side_b = _Side(b, [layout.lit(j) for j in b_rng], [layout.lit(j) for j in pb_rng], mon_b)

    # Round 0. A starts at its init; B at its init advanced `offset` steps (its outputs in
    # rounds 0..offset-1 are "stray": no round of A corresponds to them).
    # Init and assumptions read the inputs only: one copy of their cone per side.
    lit_a0 = builder.embed(a.aig, [*in_a, *[FALSE] * a.num_state], [*a.init, *a.assumptions])
    init_a = [lit_a0(x) for x in a.init]
    lit_b0 = builder.embed(b.aig, [*in_b, *[FALSE] * b.num_state], [*b.init, *b.assumptions])
    state_b = [lit_b0(x) for x in b.init]
    phase_b0 = [TRUE if p == 0 else FALSE for p in range(mon_b.size)] if mon_b else []
    stray_init: list[int] = []
    for _ in range(offset):
        lit = _evaluate(builder, b, in_b, state_b)
        stray_init.append(_output(side_b, lit, phase_b0, builder))
        state_b = [lit(x) for x in b.next_state]
        if mon_b:
            phase_b0 = _advance_phase(mon_b, phase_b0, 1, builder)
    init_pa = [TRUE if p == 0 else FALSE for p in range(mon_a.size)] if mon_a else []

    # One step of the product from the current latches.
    lit_a = _evaluate(builder, a, in_a, side_a.state)
    out_a = _output(side_a, lit_a, side_a.phase, builder)
    next_a = [lit_a(x) for x in a.next_state]
    next_pa = _advance_phase(mon_a, side_a.phase, 1, builder) if mon_a else []

    lit_b = _evaluate(builder, b, in_b, side_b.state)
    out_b = _output(side_b, lit_b, side_b.phase, builder)
    print_b = [lit_b(x) for x in b.print_]
    stray: list[int] = []
    state, phase = [lit_b(x) for x in b.next_state], side_b.phase
    if mon_b:
        phase = _advance_phase(mon_b, phase, 1, builder)
    for _ in range(stride - 1):  # B's rounds strictly between two sampled rounds
        lit = _evaluate(builder, b, in_b, state)
        stray.append(_output(side_b, lit, phase, builder))
        state = [lit(x) for x in b.next_state]
        if mon_b:
            phase = _advance_phase(mon_b, phase, 1, builder)
    next_b, next_pb = state, phase

    print_a = [lit_a(x) for x in a.print_]
    differ = [builder.xor(out_a, out_b)]
    prints_differ = builder.or_all(
        builder.xor(pa, print_b[j]) for pa, j in zip(print_a, alignment.prints, strict=True)
    )
    differ.append(builder.and_(out_a, prints_differ))
    if compare_state:
        assert alignment.state is not None
        differ.extend(
            builder.xor(sa, side_b.state[j])
            for sa, j in zip(side_a.state, alignment.state, strict=True)
        )
    differ.extend(stray)
    if offset > 0:
        first = layout.lit(first_rng[0])
        differ.append(builder.and_(first, builder.or_all(stray_init)))
    bad = builder.or_all(differ)

    constraints = [lit_a0(x) for x in a.assumptions] + [lit_b0(x) for x in b.assumptions]

    init = [*init_a, *state_b, *init_pa, *phase_b0, *([TRUE] if offset > 0 else [])]
    next_state = [*next_a, *next_b, *next_pa, *next_pb, *([FALSE] if offset > 0 else [])]
    return SafetyProblem(
        aig=builder.build(),
        input_names=a.input_names,
        latch_names=tuple(layout.names),
        init=tuple(init),
        next_state=tuple(next_state),
        bad=bad,
        constraints=tuple(c for c in constraints if c != TRUE),
    )


def align_system(b: TransitionSystem, alignment: Alignment) -> TransitionSystem:
    """B with its inputs and print bits renumbered to A's order (input i of the result is the
    B input matched with A's input i; likewise print bits), for engines that need aligned
    systems. The state and its order are unchanged."""
    n_in = len(alignment.inputs)
    builder = AigBuilder(n_in + b.num_state)
    leaves = [FALSE] * n_in
    for i, j in enumerate(alignment.inputs):
        leaves[j] = builder.input(i)
    lit = builder.embed(b.aig, [*leaves, *(builder.input(n_in + k) for k in range(b.num_state))])
    output = b.output if isinstance(b.output, AttentionRounds) else lit(b.output)
    return TransitionSystem(
        aig=builder.build(),
        input_names=tuple(b.input_names[j] for j in alignment.inputs),
        state_names=b.state_names,
        init=tuple(lit(x) for x in b.init),
        next_state=tuple(lit(x) for x in b.next_state),
        print_=tuple(lit(b.print_[j]) for j in alignment.prints),
        print_names=tuple(b.print_names[j] for j in alignment.prints),
        output=output,
        assumptions=tuple(lit(x) for x in b.assumptions),
    )
