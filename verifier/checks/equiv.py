"""``verify equiv``: global and asynchronous equivalence (DESIGN.md 2.5 and 4).

The check compiles both models to the IR, aligns them, and tries arguments from the cheapest
up, stopping at the first that settles the question:

global mode
  1. the combinational test: over a shared state, A's and B's initial values, next-state
     functions, output and print bits are equal for every state (SAT, after strashing). For
     models in which every state is initial (BoolNet models) a difference is a counterexample,
     and every differing rule is named;
  2. the global miter (:mod:`verifier.checks.miter`) decided by an engine: explicit
     enumeration when the input space is small, else random simulation for differences,
     then induction (signal correspondence, k-induction, whose base case is bounded model
     checking), then PDR.

asynchronous mode
  1. a stride hint (D, C) from the command line or a ``meta stride=D offset=C`` line: the
     stride miter, decided as above;
  2. explicit comparison of the exact output sequences when the input space is small;
  3. global equivalence (implies asynchronous) when the configurations can be aligned;
  4. the identity stride (D, C) = (1, 0) and the stride observed in simulation;
  5. the halting argument, for output rounds that depend on the input: when both sides are
     proved halting (DESIGN 2.6) with transient times T_A and T_B, each output sequence is
     the print string of its fixed point repeated forever, so the two are equal iff the
     print strings of configurations T_A and T_B agree on every valid input -- one
     combinational SAT miter, complete because the halting proofs are;
  otherwise UNKNOWN, saying what was shown.

Every difference an engine finds is replayed through the reference simulators of both
formalisms (:mod:`verifier.checks.replay`) before it is reported; one that does not replay is
an internal error (:class:`ReplayError`), never a verdict.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from verifier.checks import replay
from verifier.checks.alignment import Alignment, NameMap, align
from verifier.checks.dynamics import DynamicsOptions, check_halting
from verifier.checks.miter import align_system, final_prints, global_miter, stride_miter
from verifier.checks.verdict import Counterexample, Verdict, VerdictKind
from verifier.engines import base
from verifier.engines.base import Options, Outcome, Status
from verifier.errors import InputError, VerifierError
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.compile import compile_model
from verifier.ir.safety import SafetyProblem
from verifier.ir.simulate import simulate
from verifier.ir.system import TransitionSystem
from verifier.models import AttentionRounds, Model
from verifier.sat.combinational import find_difference
from verifier.sat.solver import OutOfTime

__all__ = ["EquivOptions", "ReplayError", "check_equiv", "stride_hint"]

ENGINE_NAMES = ("auto", "explicit", "bmc", "induction", "pdr")
EXPLICIT_LIMIT = 1 << 16  # inputs enumerated automatically (explicit is complete)

PROBE = 0.25
"""Seconds a SAT engine runs in this process, honouring its deadline through conflict
budgets, before it is started again in a killable child process (see :func:`_run`)."""
_PROBED = frozenset({"bmc", "induction"})


class ReplayError(VerifierError):
    """An engine's counterexample did not replay in the reference simulators: a bug."""


@dataclass(frozen=True)
class EquivOptions:
    """What the user asked for (see ``verify equiv --help``)."""

    mode: str = "async"
    engine: str = "auto"
    bound: int | None = None
    timeout: float | None = None
    stride: tuple[int, int] | None = None
    name_map: NameMap = field(default_factory=NameMap)
    progress: Callable[[str], None] | None = field(default=None, compare=False)


@dataclass
class _Context:
    """Everything the steps of one check share."""

    a: Model
    b: Model
    ts_a: TransitionSystem
    ts_b: TransitionSystem
    options: EquivOptions
    deadline: float | None
    shown: list[str] = field(default_factory=list)  # what inconclusive steps established

    def engine_options(self, bound: int | None = None) -> Options:
        return Options(bound=bound, deadline=self.deadline, progress=self.options.progress)

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline


def check_equiv(a: Model, b: Model, options: EquivOptions) -> Verdict:
    """Decide whether ``a`` and ``b`` are equivalent in ``options.mode``."""
    if options.mode not in ("async", "global"):
        raise InputError(f"unknown mode {options.mode!r}; expected global or async")
    if options.engine not in ENGINE_NAMES:
        raise InputError(f"unknown engine {options.engine!r}; expected {', '.join(ENGINE_NAMES)}")
    if options.mode == "global" and options.stride not in (None, (1, 0)):
        raise InputError("--stride applies to asynchronous equivalence (--mode async)")
    deadline = None if options.timeout is None else time.monotonic() + options.timeout
    ctx = _Context(a, b, compile_model(a), compile_model(b), options, deadline)
    if options.mode == "global":
        return _check_global(ctx)
    return _check_async(ctx)


# ----------------------------------------------------------------------------- alignment


def _alignment(ctx: _Context, with_state: bool) -> Alignment:
    ts_a, ts_b = ctx.ts_a, ctx.ts_b
    if (
        with_state
        and ts_a.num_state != ts_b.num_state
        and not (ctx.options.name_map.by_name or ctx.options.name_map.renaming)
    ):
        raise InputError(
            f"global equivalence compares configurations, but A has {ts_a.num_state} "
            f"heads/positions and B has {ts_b.num_state}: not comparable (use --mode async)"
        )
    return align(
        ts_a.input_names,
        ts_b.input_names,
        replay.print_names(ctx.a),
        replay.print_names(ctx.b),
        ctx.options.name_map,
        ts_a.state_names if with_state else None,
        ts_b.state_names if with_state else None,
    )


# ----------------------------------------------------------------------------- global


def _check_global(ctx: _Context) -> Verdict:
    alignment = _alignment(ctx, with_state=True)
    if ctx.options.engine == "auto":
        verdict = _combinational(ctx, alignment)
        if verdict is not None:
            return verdict
    problem = global_miter(ctx.ts_a, ctx.ts_b, alignment)
    outcome = _decide(ctx, problem, ctx.options.engine)
    return _global_verdict(ctx, alignment, outcome)


def _global_verdict(ctx: _Context, alignment: Alignment, outcome: Outcome) -> Verdict:
    if outcome.status is Status.SAFE:
        return Verdict(VerdictKind.PASS, outcome.method, "globally equivalent: " + outcome.detail)
    if outcome.status is Status.UNKNOWN:
        return _unknown(ctx, outcome)
    assert outcome.cex is not None
    return _replay_global(ctx, alignment, outcome.cex.inputs, outcome.cex.depth, outcome.method)


def _replay_global(
    ctx: _Context,
    alignment: Alignment,
    bits: tuple[bool, ...],
    depth: int,
    method: str,
    rules: tuple[str, ...] = (),
) -> Verdict:
    difference, ta, tb = replay.first_global_difference(ctx.a, ctx.b, alignment, bits, depth)
    if difference is None or difference.round != depth:
        raise ReplayError(
            f"{method} reported a global difference in round {depth} for input "
            f"{_bits(bits)}, but the reference simulators "
            + ("agree" if difference is None else f"first differ in round {difference.round}")
        )
    cex = Counterexample(
        a_input=_bits(bits),
        b_input=_bits(alignment.b_inputs(bits)),
        round=depth,
        reason=difference.reason,
        trace_a=ta,
        trace_b=tb,
        rules=rules,
    )
    return Verdict(VerdictKind.FAIL, method, f"not globally equivalent: {difference.reason}", cex)


def _shared_state_pairs(
    ctx: _Context, alignment: Alignment
) -> tuple[AigBuilder, list[tuple[int, int]], list[str], list[int]] | None:
    """A's and B's functions over one shared state: (builder, literal pairs, pair labels,
    constraints), or None when an output condition is a round set (not a state function)."""
    a, b = ctx.ts_a, ctx.ts_b
    rounds_a, rounds_b = (
        isinstance(a.output, AttentionRounds),
        isinstance(b.output, AttentionRounds),
    )
    if rounds_a != rounds_b or (rounds_a and a.output != b.output):
        return None
    assert alignment.state is not None
    n_in = a.num_inputs
    builder = AigBuilder(n_in + a.num_state)
    ins = [builder.input(i) for i in range(n_in)]
    state = [builder.input(n_in + j) for j in range(a.num_state)]
    b_ins = [FALSE] * len(alignment.inputs)
    for i, j in enumerate(alignment.inputs):
        b_ins[j] = ins[i]
    b_state = [FALSE] * a.num_state
    for i, j in enumerate(alignment.state):
        b_state[j] = state[i]
    la = builder.embed(a.aig, [*ins, *state])
    lb = builder.embed(b.aig, [*b_ins, *b_state])
    pairs: list[tuple[int, int]] = []
    labels: list[str] = []
    for i, j in enumerate(alignment.state):
        pairs.append((la(a.init[i]), lb(b.init[j])))
        labels.append(f"init {a.state_names[i]}")
    for i, j in enumerate(alignment.state):
        pairs.append((la(a.next_state[i]), lb(b.next_state[j])))
        labels.append(a.state_names[i])
    if not rounds_a:
        out_a, out_b = la(a.output), lb(b.output)  # type: ignore[arg-type]
        pairs.append((out_a, out_b))
        labels.append("output condition")
    else:
        out_a = TRUE  # both sides output in the same fixed rounds
    for k, j in enumerate(alignment.prints):
        pairs.append((builder.and_(out_a, la(a.print_[k])), builder.and_(out_a, lb(b.print_[j]))))
        labels.append(f"print bit {k + 1}")
    constraints = [la(x) for x in a.assumptions] + [lb(x) for x in b.assumptions]
    return builder, pairs, labels, constraints


def _every_state_initial(ts: TransitionSystem) -> bool:
    """Every state bit starts at its own input and nothing is assumed (BoolNet models)."""
    return (
        ts.num_inputs == ts.num_state
        and not ts.assumptions
        and sorted(ts.init) == [ts.input_lit(i) for i in range(ts.num_inputs)]
    )


def _combinational(ctx: _Context, alignment: Alignment) -> Verdict | None:
    """Step 1 of global mode: PASS when the functions agree on every state; FAIL when they
    differ on a state that is initial; None to go on."""
    from verifier.sat.combinational import differing_pairs, find_difference

    built = _shared_state_pairs(ctx, alignment)
    if built is None:
        return None
    builder, pairs, labels, constraints = built
    aig = builder.build()
    found = find_difference(aig, pairs, constraints, deadline=ctx.deadline)
    if found is None:
        return Verdict(
            VerdictKind.PASS,
            "combinational check",
            "globally equivalent: initial values, next-state functions, output condition and "
            "print bits are equal on every state (SAT after structural hashing)",
        )
    ctx.shown.append("the next-state functions differ on some state (combinational check)")
    if not (_every_state_initial(ctx.ts_a) and _every_state_initial(ctx.ts_b)):
        return None
    differing = differing_pairs(aig, pairs, constraints, deadline=ctx.deadline)
    rules = tuple(labels[k] for k in differing if not labels[k].startswith("init "))
    assignment = found.inputs
    n_in = ctx.ts_a.num_inputs
    state = assignment[n_in:]
    # Every state is initial: the input that starts in `state` distinguishes the two.
    bits = [False] * n_in
    for j, lit in enumerate(ctx.ts_a.init):
        bits[(lit >> 1) - 1] = state[j]
    # Pairs are: initial values (n), next-state functions (n), output condition, print bits.
    # Initial values show a difference in round 0, next-state functions in round 1, the
    # output condition and print bits in round 0 -- unless the output rounds are a fixed
    # set without round 0, where print bits are read in no round of this run at all.
    n = len(ctx.ts_a.state_names)
    initial = any(k < n for k in found.differing)
    following = any(n <= k < 2 * n for k in found.differing)
    output = ctx.ts_a.output
    round_zero_read = not isinstance(output, AttentionRounds) or output.is_output_round(0)
    read_now = round_zero_read and any(k >= 2 * n for k in found.differing)
    if initial or read_now:
        depth = 0
    elif following:
        depth = 1
    else:
        return None  # only prints differ, in a state not read: the miter decides
    return _replay_global(ctx, alignment, tuple(bits), depth, "combinational check", rules)


# ----------------------------------------------------------------------------- async


def stride_hint(model: Model) -> tuple[int, int] | None:
    """(D, C) from ``meta`` lines ``stride=D offset=C`` (as written by translations)."""
    values: dict[str, int] = {}
    for line in model.meta:
        for word in line.split():
            key, _, value = word.partition("=")
            if key in ("stride", "offset") and value.isdigit():
                values[key] = int(value)
    if "stride" not in values:
        return None
    return values["stride"], values.get("offset", 0)


def _check_async(ctx: _Context) -> Verdict:
    alignment = _alignment(ctx, with_state=False)
    engine = ctx.options.engine
    hint, hint_source = _hint(ctx)
    if hint is not None:
        verdict = _try_stride(
            ctx, alignment, hint, f"stride {hint[0]}, offset {hint[1]} ({hint_source})", engine
        )
        if verdict is not None:
            return verdict
    if engine in ("auto", "explicit") and _explicit_ok(ctx):
        return _async_explicit(ctx, alignment)
    if engine == "explicit":
        raise InputError(
            f"--engine explicit enumerates every input: {ctx.ts_a.num_inputs} input bits are "
            f"too many (limit 2^{EXPLICIT_LIMIT.bit_length() - 1})"
        )
    verdict = _async_via_global(ctx)
    if verdict is not None:
        return verdict
    for stride in _candidate_strides(ctx, alignment, hint):
        if ctx.expired():
            break
        verdict = _try_stride(
            ctx,
            alignment,
            stride,
            f"stride {stride[0]}, offset {stride[1]} (observed in simulation)",
            engine,
        )
        if verdict is not None:
            return verdict
    if not ctx.expired():
        verdict = _async_via_halting(ctx, alignment)
        if verdict is not None:
            return verdict
    detail = "; ".join(ctx.shown) or "no argument applied"
    return Verdict(VerdictKind.UNKNOWN, "asynchronous", detail)


def _hint(ctx: _Context) -> tuple[tuple[int, int] | None, str]:
    if ctx.options.stride is not None:
        return ctx.options.stride, "from the command line"
    hint = stride_hint(ctx.b)
    if hint is not None:
        return hint, "from B's meta lines"
    return None, ""


def _explicit_ok(ctx: _Context) -> bool:
    return (1 << ctx.ts_a.num_inputs) <= EXPLICIT_LIMIT


def _try_stride(
    ctx: _Context, alignment: Alignment, stride: tuple[int, int], label: str, engine: str
) -> Verdict | None:
    """Prove B(D*t + C) = A(t) on outputs; PASS, FAIL (if the difference is a real
    asynchronous one), or None with what was shown recorded."""
    problem = stride_miter(ctx.ts_a, ctx.ts_b, alignment, *stride)
    outcome = _decide(ctx, problem, engine)
    delay = f"output round t of A is round {stride[0]}*t + {stride[1]} of B"
    if outcome.status is Status.SAFE:
        return Verdict(
            VerdictKind.PASS,
            outcome.method,
            f"asynchronously equivalent with {label}: {outcome.detail}",
            delay=delay,
        )
    if outcome.status is Status.UNSAFE:
        assert outcome.cex is not None
        verdict = _replay_async(ctx, alignment, outcome.cex.inputs, outcome.method)
        if verdict is not None:
            return verdict
        ctx.shown.append(
            f"{label} does not hold (input {_bits(outcome.cex.inputs)}, round "
            f"{outcome.cex.depth}), though the output sequences agree there"
        )
        return None
    ctx.shown.append(f"{label}: {outcome.detail}")
    return None


def _replay_async(
    ctx: _Context, alignment: Alignment, bits: tuple[bool, ...], method: str
) -> Verdict | None:
    """FAIL when the output sequences really differ on ``bits`` (exact, by lassos)."""
    compared = replay.first_async_difference(ctx.a, ctx.b, alignment, bits)
    if compared is None:
        ctx.shown.append(f"input {_bits(bits)}: a run too long to compare exactly")
        return None
    difference, la, lb = compared
    if difference is None:
        return None
    rounds = [o[0] for o in (difference.a, difference.b) if o is not None]
    last = max(rounds) if rounds else max(len(la.trace), len(lb.trace)) - 1
    ta = replay.reference.simulate(ctx.a, bits, last)
    tb = replay.reference.simulate(ctx.b, alignment.b_inputs(bits), last)
    cex = Counterexample(
        a_input=_bits(bits),
        b_input=_bits(alignment.b_inputs(bits)),
        round=last,
        reason=difference.reason,
        trace_a=ta,
        trace_b=tb,
        output_index=difference.index,
    )
    return Verdict(
        VerdictKind.FAIL, method, f"not asynchronously equivalent: {difference.reason}", cex
    )


def _async_explicit(ctx: _Context, alignment: Alignment) -> Verdict:
    from verifier.engines.explicit_async import Verdict as Comparison
    from verifier.engines.explicit_async import compare_output_sequences

    b_aligned = align_system(ctx.ts_b, alignment)
    result = compare_output_sequences(ctx.ts_a, b_aligned, ctx.engine_options())
    if result.verdict is Comparison.EQUAL:
        delay = None if result.delay is None else str(result.delay)
        return Verdict(
            VerdictKind.PASS,
            "explicit",
            "asynchronously equivalent: " + result.detail,
            delay=delay,
        )
    if result.verdict is Comparison.UNKNOWN:
        return _unknown(ctx, Outcome(Status.UNKNOWN, "explicit", result.detail))
    assert result.difference is not None
    bits = result.difference.inputs
    verdict = _replay_async(ctx, alignment, bits, "explicit")
    if verdict is None:
        raise ReplayError(
            f"the explicit engine reported different output sequences for input "
            f"{_bits(bits)}, but the reference simulators agree"
        )
    return verdict


def _async_via_global(ctx: _Context) -> Verdict | None:
    """Global equivalence implies asynchronous equivalence; only a PASS is conclusive."""
    try:
        alignment = _alignment(ctx, with_state=True)
    except InputError:
        return None
    global_ctx = replace(ctx, shown=ctx.shown)
    verdict = _check_global(global_ctx)
    if verdict.kind is VerdictKind.PASS:
        return replace(
            verdict,
            detail=verdict.detail + " (global equivalence implies asynchronous)",
            delay="none: output rounds are equal",
        )
    if verdict.kind is VerdictKind.FAIL:
        assert verdict.counterexample is not None
        bits = tuple(c == "1" for c in verdict.counterexample.a_input)
        async_alignment = replace(alignment, state=None)
        confirmed = _replay_async(ctx, async_alignment, bits, verdict.method)
        if confirmed is not None and confirmed.counterexample is not None:
            rules = verdict.counterexample.rules
            return replace(confirmed, counterexample=replace(confirmed.counterexample, rules=rules))
        ctx.shown.append(
            "not globally equivalent, but that does not decide asynchronous equivalence"
        )
    else:
        ctx.shown.append("global equivalence: " + verdict.detail)
    return None


def _async_via_halting(ctx: _Context, alignment: Alignment) -> Verdict | None:
    """Step 5 of the module docstring: PASS or FAIL when both sides are proved halting."""
    transients: list[int] = []
    for side, model in (("A", ctx.a), ("B", ctx.b)):
        left = None if ctx.deadline is None else max(0.0, ctx.deadline - time.monotonic())
        halting = check_halting(model, DynamicsOptions(timeout=left))
        if halting.kind is not VerdictKind.PASS:
            ctx.shown.append(f"halting argument: {side} is not proved halting ({halting.detail})")
            return None
        transient = halting.extra.get("transient") if halting.extra else None
        transients.append(int(transient) if isinstance(transient, int) else 0)
    rounds = (transients[0], transients[1])
    miter = final_prints(ctx.ts_a, ctx.ts_b, alignment, rounds)
    try:
        found = find_difference(miter.aig, miter.pairs, miter.constraints, ctx.deadline)
    except OutOfTime:
        ctx.shown.append("halting argument: time limit reached in the final-print miter")
        return None
    method = "halting argument (dynamics, SAT)"
    if found is None:
        return Verdict(
            VerdictKind.PASS,
            method,
            f"asynchronously equivalent: both are halting (every valid input is at its fixed"
            f" point by round {rounds[0]} in A and {rounds[1]} in B, and outputs exactly"
            " there), and the print strings of those configurations agree on every valid input",
            delay="input-dependent: each side outputs from the round its fixed point is reached",
        )
    shown = len(ctx.shown)
    verdict = _replay_async(ctx, alignment, found.inputs, method)
    if verdict is None and len(ctx.shown) == shown:
        raise ReplayError(
            f"the halting argument found different final print strings for input "
            f"{_bits(found.inputs)}, but the reference simulators agree"
        )
    return verdict


def _candidate_strides(
    ctx: _Context, alignment: Alignment, tried: tuple[int, int] | None
) -> list[tuple[int, int]]:
    """(1, 0), then the relation t' = D*t + C observed on a sample of inputs, if any."""
    candidates = [(1, 0)]
    observed = _observed_stride(ctx, alignment)
    if observed is not None:
        candidates.append(observed)
    return [c for c in dict.fromkeys(candidates) if c != tried]


def _observed_stride(ctx: _Context, alignment: Alignment) -> tuple[int, int] | None:
    """Fit t'_i = D*t_i + C to the output rounds of both sides on a few random inputs
    (bit-parallel simulation of the IR: this only proposes a stride, the miter decides)."""
    if ctx.expired():
        return None
    n = ctx.ts_a.num_inputs
    a_bits = np.random.default_rng(0).random((8, n)) < 0.5
    b_bits = np.array([alignment.b_inputs(row) for row in a_bits.tolist()], dtype=bool)
    b_bits = b_bits.reshape(len(a_bits), ctx.ts_b.num_inputs)
    outputs_a = simulate(ctx.ts_a, a_bits, 64, record_configs=False).outputs
    outputs_b = simulate(ctx.ts_b, b_bits, 256, record_configs=False).outputs
    fits: set[tuple[int, int]] = set()
    for run in range(len(a_bits)):
        ra = np.flatnonzero(outputs_a[:, run]).tolist()
        rb = np.flatnonzero(outputs_b[:, run]).tolist()
        if len(ra) >= 2 and len(rb) >= 2 and ra[1] > ra[0]:
            d, rem = divmod(rb[1] - rb[0], ra[1] - ra[0])
            if rem == 0 and d >= 1 and rb[0] - d * ra[0] >= 0:
                fits.add((d, rb[0] - d * ra[0]))
    return fits.pop() if len(fits) == 1 else None


# ----------------------------------------------------------------------------- engines


def _decide(ctx: _Context, problem: SafetyProblem, engine: str) -> Outcome:
    """Run one engine, or in auto mode the sequence explicit | random simulation, induction,
    pdr.

    Induction comes before any separate BMC run: its base case is BMC (rounds 0, 1, ... as k
    grows), so a shallow difference is still found early, while an equivalent pair is not
    first unrolled for nothing (SAT-hard frames of arithmetic, e.g. counters, cost seconds).
    """
    if engine != "auto":
        return _run(ctx, engine, problem, ctx.options.bound)
    if (1 << problem.num_inputs) <= EXPLICIT_LIMIT:
        return _run(ctx, "explicit", problem, None)
    quick = base.get("random")(problem, ctx.engine_options(ctx.options.bound))
    if quick.status is Status.UNSAFE:
        return quick
    shown = [quick.detail]
    # With a deadline, induction gets 60% of what is left so that PDR has its turn (they are
    # strong on different problems); without one, induction runs to completion.
    for name, share in (("induction", 0.6), ("pdr", 1.0)):
        if ctx.expired():
            break
        outcome = _run(ctx, name, problem, None, share)
        if outcome.status is not Status.UNKNOWN:
            return outcome
        shown.append(f"{name}: {outcome.detail}")
    return Outcome(Status.UNKNOWN, "induction, pdr", "; ".join(shown))


def _run(
    ctx: _Context, name: str, problem: SafetyProblem, bound: int | None, share: float = 1.0
) -> Outcome:
    """Run engine ``name`` with ``share`` of the time left. With a deadline it runs in a
    killable child process, except that the SAT engines first get :data:`PROBE` seconds in
    this process: their solver calls are conflict-budgeted, so they stop near the probe's
    end by themselves, and only an undecided probe pays for the child."""
    if ctx.expired():
        return Outcome(Status.UNKNOWN, name, "time limit reached before this step")
    engine = base.get(name)
    options = ctx.engine_options(bound)
    if ctx.deadline is not None and share < 1.0:
        left = ctx.deadline - time.monotonic()
        options = replace(options, deadline=time.monotonic() + share * left)
    if ctx.deadline is None:
        return engine(problem, options)
    if name in _PROBED:
        # Easy problems end here, without the cost of a child process (about 20 ms).
        assert options.deadline is not None
        probe_end = min(options.deadline, time.monotonic() + PROBE)
        outcome = engine(problem, replace(options, deadline=probe_end))
        if outcome.status is not Status.UNKNOWN or time.monotonic() < probe_end:
            return outcome  # decided, or undecided for a reason other than the probe's time
        if ctx.expired():
            return outcome
    from verifier.engines.process import run_engine

    # In a child process that is killed at the deadline: CaDiCaL cannot be interrupted.
    return run_engine(engine, problem, options)


def _unknown(ctx: _Context, outcome: Outcome) -> Verdict:
    detail = "; ".join([*ctx.shown, outcome.detail])
    return Verdict(VerdictKind.UNKNOWN, outcome.method, detail)


def _bits(bits: tuple[bool, ...] | list[bool]) -> str:
    return "".join("1" if b else "0" for b in bits)
