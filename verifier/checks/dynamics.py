"""``verify transient``, ``verify attractors``, ``verify halting`` (DESIGN.md 2.6 and 4).

The check compiles the model to the IR and asks a dynamics engine
(:mod:`verifier.engines.dynamics_explicit` when the input space is small, else
:mod:`verifier.engines.dynamics_sat`) for the attractors and the exact transient time; both
engines prove what they report complete. Then:

* transient time: PASS with the exact value and an input attaining it (with ``--bound T``:
  PASS if it is at most T, FAIL with an input still transient at round T);
* attractors: the list, and whether it is complete (or complete up to a period). For systems
  whose every configuration is initial (every ``.bnet``), the automatic choice is
  :mod:`verifier.engines.attractor_set` (structural reduction, then the state graph or SAT),
  which does not compute the transient time: that is ``verify transient``'s question;
* halting (every valid input reaches a fixed point, and round t is an output round exactly
  when configuration t is a fixed point): FAIL with an input that loops, or with one whose
  output rounds are wrong.

Every input reported (witness or counterexample) is replayed through the reference simulator
of the model's formalism (:mod:`verifier.reference`, independent of the IR) before it is
printed, and so is every attractor (within :data:`REPLAY_BUDGET`); a disagreement is an
internal error (:class:`ReplayError`), never an answer.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verifier import reference
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.engines import (
    attractor_set,
    dynamics_explicit,
    dynamics_sat,
    fixed_points_count,
)
from verifier.engines.base import Options
from verifier.engines.dynamics import (
    Attractor,
    Dynamics,
    OutputCheck,
    Witness,
    bits,
    free_initial_states,
)
from verifier.engines.dynamics_sat import LassoBound
from verifier.engines.explicit import input_space
from verifier.engines.fixed_points_bdd import BACKEND, fixed_point_set
from verifier.engines.process import Timeout, race
from verifier.errors import InputError, VerifierError
from verifier.ir.compile import compile_model
from verifier.ir.system import TransitionSystem
from verifier.models import Model
from verifier.sat.solver import OutOfTime
from verifier.trace import Trace

__all__ = [
    "ENGINE_NAMES",
    "EXPLICIT_LIMIT",
    "AttractorReport",
    "DynamicsOptions",
    "EngineDisagreement",
    "FixedPointReport",
    "ReplayError",
    "analyse",
    "attractors",
    "check_halting",
    "check_transient",
    "fixed_points",
]


ENGINE_NAMES = ("auto", "explicit", "sat")
EXPLICIT_LIMIT = 1 << 12
"""In auto mode the explicit engine runs when there are at most this many inputs (above
about 2**12 the SAT engine is faster on the published models: docs/benchmarks.md)."""

REPLAY_BUDGET = 2_000_000
"""Attractors are replayed through the reference simulator while the rounds simulated times
the model's size stay below this (about a second or two; counterexamples and witnesses are
always replayed, and so are the first :data:`REPLAY_ALWAYS` attractors)."""

REPLAY_ALWAYS = 10


class ReplayError(VerifierError):
    """An engine's answer did not replay in the reference simulator: a bug."""


class EngineDisagreement(VerifierError):
    """Two engines gave different answers to one question: a bug in one of them."""


@dataclass(frozen=True)
class DynamicsOptions:
    """``engine``: auto, explicit or sat; ``timeout`` in seconds (None: no limit);
    ``max_period``: with the SAT engine, list every attractor of period up to this even if
    the complete answer is out of reach; ``progress`` receives status lines."""

    engine: str = "auto"
    timeout: float | None = None
    max_period: int | None = None
    progress: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINE_NAMES:
            raise ValueError(f"unknown engine {self.engine!r}")


# --- the analysis ------------------------------------------------------------------------------


def analyse(model: Model, options: DynamicsOptions) -> tuple[TransitionSystem, Dynamics]:
    """The model's IR and its :class:`~verifier.engines.dynamics.Dynamics` by the chosen
    engine (see the module docstring)."""
    ts = compile_model(model)
    return ts, _analyse(ts, options, _engine_options(options))


def _engine_options(options: DynamicsOptions) -> Options:
    """Engine options with the deadline of ``options.timeout`` from now."""
    deadline = None if options.timeout is None else time.monotonic() + options.timeout
    return Options(deadline=deadline, progress=options.progress)


def _engine(ts: TransitionSystem, options: DynamicsOptions) -> str:
    if options.engine != "auto":
        return options.engine
    return "explicit" if input_space(ts.num_inputs) <= EXPLICIT_LIMIT else "sat"


def _analyse(ts: TransitionSystem, options: DynamicsOptions, engine_options: Options) -> Dynamics:
    if _engine(ts, options) == "explicit":
        if input_space(ts.num_inputs) > dynamics_explicit.MAX_INPUTS:
            raise InputError(
                f"--engine explicit enumerates every input: {ts.num_inputs} input bits are "
                f"2^{ts.num_inputs} inputs, above its limit of {dynamics_explicit.MAX_INPUTS};"
                " use --engine sat"
            )
        return dynamics_explicit.analyse(ts, engine_options)
    return dynamics_sat.analyse(ts, engine_options, max_period=options.max_period)


def _output_check(
    ts: TransitionSystem, options: DynamicsOptions, engine_options: Options, lasso: LassoBound
) -> OutputCheck:
    if _engine(ts, options) == "explicit":
        return dynamics_explicit.output_violation(ts, engine_options)
    return dynamics_sat.output_violation(ts, engine_options, bound=lasso)


# --- replay through the reference simulator ----------------------------------------------------


def _lasso(trace: Trace) -> tuple[int, int] | None:
    """``(transient, period)`` of the configurations of ``trace``, if it repeats one."""
    seen: dict[str, int] = {}
    for step in trace:
        if step.config in seen:
            first = seen[step.config]
            return first, step.round - first
        seen[step.config] = step.round
    return None


def _replay_lasso(model: Model, inputs: tuple[bool, ...], transient: int, period: int) -> Trace:
    """The reference trace of ``inputs`` up to round ``transient + period``, after checking
    that the input is valid and that its run has exactly this transient and period."""
    if not reference.satisfies_assumptions(model, inputs):
        raise ReplayError(f"input {bits(inputs)} violates the model's assumptions")
    trace = reference.simulate(model, inputs, transient + period)
    if _lasso(trace) != (transient, period):
        raise ReplayError(
            f"input {bits(inputs)}: the engine says transient {transient}, period {period};"
            f" the reference simulator gives {_lasso(trace)}"
        )
    return trace


def _replay_attractors(
    model: Model, ts: TransitionSystem, dynamics: Dynamics, deadline: float | None
) -> int:
    """Replay each attractor's example input: its run must have the example's transient and
    end in exactly the attractor's cycle. The first :data:`REPLAY_ALWAYS` are always
    replayed; the others while the work stays within :data:`REPLAY_BUDGET` and before
    ``deadline``. Returns how many were replayed."""
    size = 1 + ts.num_state + ts.aig.num_ands
    spent = replayed = 0
    for attractor, example in zip(dynamics.attractors, dynamics.examples, strict=True):
        spent += (example.transient + attractor.period + 1) * size
        late = deadline is not None and time.monotonic() > deadline
        if replayed >= REPLAY_ALWAYS and (spent > REPLAY_BUDGET or late):
            break
        trace = _replay_lasso(model, example.inputs, example.transient, example.period)
        cycle = [step.config for step in trace[example.transient : -1]]
        if Attractor.of_cycle(cycle) != attractor:
            raise ReplayError(
                f"attractor {' -> '.join(attractor.states)}: the reference run of input "
                f"{bits(example.inputs)} ends in {' -> '.join(cycle)}"
            )
        replayed += 1
    return replayed


def _input_text(inputs: tuple[bool, ...]) -> str:
    return f"input {bits(inputs)}" if inputs else "the run (the model has no inputs)"


# --- transient time ----------------------------------------------------------------------------


def _lasso_bound(
    ts: TransitionSystem, options: DynamicsOptions, engine_options: Options
) -> tuple[LassoBound | None, str]:
    """Transient time and periods of every valid input, or None and what was shown. The SAT
    engine needs only its lasso loop for this (no attractor listing); the explicit engine
    has them from its complete analysis."""
    if _engine(ts, options) == "explicit":
        dynamics = _analyse(ts, options, engine_options)
        if not dynamics.complete:
            return None, dynamics.detail
        bound = LassoBound(
            dynamics.transient or 0,
            dynamics.periods,
            dynamics.witness,
            dynamics.examples,
            dynamics.method,
        )
        return bound, dynamics.detail
    try:
        bound = dynamics_sat.lasso_bound(ts, engine_options)
    except OutOfTime as why:
        return None, f"stopped while proving the transient time ({why})"
    return bound, f"proved by {bound.method}"


def check_transient(model: Model, bound: int | None, options: DynamicsOptions) -> Verdict:
    """Transient time (DESIGN 2.6): the exact value with a witness, or (with ``bound``)
    whether every valid input is on its attractor by round ``bound``."""
    ts = compile_model(model)
    lasso, shown = _lasso_bound(ts, options, _engine_options(options))
    if lasso is None:
        return Verdict(VerdictKind.UNKNOWN, _engine(ts, options), shown)
    method = lasso.method
    if not lasso.valid_inputs:
        return Verdict(VerdictKind.PASS, method, "no input satisfies the assumptions (vacuous)")
    witness = lasso.witness
    assert witness is not None
    extra = {"transient": lasso.transient, "witness": bits(witness.inputs)}
    if bound is not None and witness.transient > bound:
        trace = _replay_lasso(model, witness.inputs, witness.transient, witness.period)
        cex = RunCounterexample(
            bits(witness.inputs),
            bound,
            f"configuration {bound} is not yet on its cycle (transient {witness.transient},"
            f" period {witness.period})",
            trace,
        )
        return Verdict(
            VerdictKind.FAIL,
            method,
            f"{_input_text(witness.inputs)} is still transient at round {bound}: it reaches its"
            f" cycle (period {witness.period}) at round {witness.transient}",
            cex,
            extra=extra,
        )
    _replay_lasso(model, witness.inputs, witness.transient, witness.period)
    exact = (
        f"the transient time is {lasso.transient}: {_input_text(witness.inputs)} reaches its"
        f" cycle at round {lasso.transient}, and every valid input is on its cycle by then"
    )
    if bound is not None:
        exact = f"every valid input is on its attractor by round {bound}; {exact}"
    return Verdict(VerdictKind.PASS, method, exact, extra=extra)


# --- attractors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttractorReport:
    """The answer of ``verify attractors``: the engine's result, the state names, and how
    many attractors were replayed through the reference simulator."""

    dynamics: Dynamics
    state_names: tuple[str, ...]
    replayed: int

    @property
    def exit_code(self) -> int:
        """0 when complete, 3 (UNKNOWN) otherwise."""
        return 0 if self.dynamics.complete else 3

    def to_json(self) -> dict[str, object]:
        """DESIGN.md section 4: ``{"complete": ..., "attractors": [...]}`` and more."""
        d = self.dynamics
        return {
            "complete": d.complete,
            "max_period": d.max_period,
            "attractors": [{"period": a.period, "states": list(a.states)} for a in d.attractors],
            "state_names": list(self.state_names),
            "transient": d.transient,
            "method": d.method,
            "detail": d.detail,
            "replayed": self.replayed,
        }


def attractors(model: Model, options: DynamicsOptions) -> AttractorReport:
    """All attractors reachable from valid inputs, replayed (see the module docstring)."""
    ts = compile_model(model)
    engine_options = _engine_options(options)
    if options.engine == "auto" and free_initial_states(ts) is not None:
        dynamics = attractor_set.attractors(ts, engine_options, max_period=options.max_period)
    else:
        dynamics = _analyse(ts, options, engine_options)
    replayed = _replay_attractors(model, ts, dynamics, engine_options.deadline)
    return AttractorReport(dynamics, ts.state_names, replayed)


# --- fixed points ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedPointReport:
    """The answer of ``verify attractors --fixed-points``: ``count`` fixed points (None when
    unknown), the first of them in ``states`` (all when ``listed_all``), whether the count is
    proved (``complete``), and how many listed states the reference simulator confirmed."""

    count: int | None
    states: tuple[str, ...]
    listed_all: bool
    complete: bool
    method: str
    detail: str
    state_names: tuple[str, ...]
    replayed: int

    @property
    def exit_code(self) -> int:
        """0 when the set is known exactly, 3 (UNKNOWN) otherwise."""
        return 0 if self.complete else 3

    def to_json(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "count": self.count,
            "listed_all": self.listed_all,
            "fixed_points": list(self.states),
            "state_names": list(self.state_names),
            "method": self.method,
            "detail": self.detail,
            "replayed": self.replayed,
        }


SAT_RESERVE = 1.0
"""With a timeout, the seconds kept (at most a quarter of it) for listing fixed points by SAT
when neither count finishes; the counting engines get the rest. SAT lists bbm-243's first
31,184 fixed points in under a second."""


def fixed_points(model: Model, options: DynamicsOptions, limit: int) -> FixedPointReport:
    """The fixed points reachable from valid inputs, at most ``limit`` listed.

    With free initial states (every ``.bnet`` file) and ``--engine auto`` two engines race
    in killable processes (:func:`verifier.engines.process.race`; neither a BDD operation nor
    a Ganak call can be interrupted), for all of the timeout but :data:`SAT_RESERVE`: the
    symbolic set (:mod:`verifier.engines.fixed_points_bdd`: the count and the first
    ``limit`` states) and exact model counting
    (:mod:`verifier.engines.fixed_points_count`, where ``pyganak`` is installed: the count,
    then SAT lists up to ``limit`` states, :func:`_counted`). The BDDs are faster when the
    next-state functions have large circuits, model counting when the reduced equations stay
    coupled (bbm-243). When neither finishes, SAT lists fixed points cube by cube in the
    time left (:func:`_listed_by_sat`). Other systems, or another engine: that engine's
    attractors of period 1. Listed states are replayed through the reference simulator
    (each input whose initial configuration is the state stays there for a round)."""
    ts = compile_model(model)
    free = free_initial_states(ts)
    if free is None or options.engine != "auto":
        dynamics = _analyse(ts, options, _engine_options(options))
        points = dynamics.fixed_points
        kept = [i for i, a in enumerate(dynamics.attractors) if a.period == 1]
        only_fixed = dataclasses.replace(
            dynamics,
            attractors=tuple(dynamics.attractors[i] for i in kept),
            examples=tuple(dynamics.examples[i] for i in kept),
        )
        replayed = _replay_attractors(model, ts, only_fixed, None)
        count = len(points) if dynamics.complete else None
        return FixedPointReport(
            count,
            points[:limit],
            dynamics.complete and len(points) <= limit,
            dynamics.complete,
            dynamics.method,
            dynamics.detail,
            ts.state_names,
            replayed,
        )
    engine_options = _engine_options(options)
    timeout = None
    if options.timeout is not None:
        timeout = options.timeout - min(SAT_RESERVE, options.timeout / 4)
    calls = [functools.partial(fixed_point_set, ts, engine_options, limit=limit)]
    if fixed_points_count.AVAILABLE:
        calls.append(functools.partial(fixed_points_count.count_fixed_points, ts))
    try:
        # The reserve is SAT's: a BDD operation or a Ganak call does not answer late.
        _, found = race(calls, timeout=timeout, grace=0.0, expected=(OutOfTime,))
    except (OutOfTime, Timeout) as why:
        return _listed_by_sat(model, ts, free, engine_options, limit, str(why))
    if isinstance(found, int):
        return _counted(model, ts, free, engine_options, limit, found)
    replayed = _replay_fixed_points(model, ts, free, found.states)
    detail = f"{found.count} fixed point(s), counted exactly"
    if not found.listed_all:
        detail += f"; the first {len(found.states)} are listed (--limit)"
    return FixedPointReport(
        found.count,
        found.states,
        found.listed_all,
        True,
        found.method,
        detail,
        ts.state_names,
        replayed,
    )


def _counted(
    model: Model,
    ts: TransitionSystem,
    free: tuple[tuple[int, bool], ...],
    engine_options: Options,
    limit: int,
    count: int,
) -> FixedPointReport:
    """The answer when model counting finished first: the exact ``count``, and up to
    ``limit`` fixed points listed by SAT (:func:`verifier.engines.dynamics_sat.fixed_points`)
    in the time left. When SAT lists them all, the two counts must agree."""
    found, complete = dynamics_sat.fixed_points(ts, engine_options, limit=limit)
    if (complete and len(found) != count) or len(found) > count:
        raise EngineDisagreement(
            f"model counting finds {count} fixed point(s), SAT lists {len(found)}"
            + (" and no other" if complete else "")
        )
    replayed = _replay_fixed_points(model, ts, free, found)
    listed_all = len(found) == count
    detail = f"{count} fixed point(s), counted exactly by model counting"
    if listed_all:
        detail += " and listed by SAT, which then finds no other"
    else:
        detail += f"; {len(found)} of them are listed (by SAT; --limit {limit})"
    method = "model counting (Ganak), fixed points listed by SAT"
    return FixedPointReport(
        count, found, listed_all, True, method, detail, ts.state_names, replayed
    )


def _listed_by_sat(
    model: Model,
    ts: TransitionSystem,
    free: tuple[tuple[int, bool], ...],
    engine_options: Options,
    limit: int,
    why: str,
) -> FixedPointReport:
    """The answer when no count finished: SAT lists fixed points cube by cube
    (:func:`verifier.engines.dynamics_sat.fixed_points`, up to its default cap) until the
    deadline, and the first ``limit`` are shown. The count is exact only when SAT lists them
    all (its last query, every one blocked, unsatisfiable); otherwise it is unknown, and at
    least the number listed."""
    found, complete = dynamics_sat.fixed_points(ts, engine_options)
    states = found[:limit]
    replayed = _replay_fixed_points(model, ts, free, states)
    method = f"SAT (cubes of fixed points), after {_counters()} did not finish"
    shown = "" if len(found) <= limit else f"; the first {limit} are listed (--limit)"
    if complete:
        detail = (
            f"{len(found)} fixed point(s), counted exactly: listed by SAT, which then finds"
            f" no other{shown}; {_counters()} stopped at the time limit ({why})"
        )
        return FixedPointReport(
            len(found), states, not shown, True, method, detail, ts.state_names, replayed
        )
    cap = dynamics_sat.default_limit(ts)
    stop = f"its cap of {cap}" if len(found) >= cap else "the time limit"
    detail = (
        f"{_counters()} stopped at the time limit ({why}), so the fixed points are not counted:"
        f" there are at least {len(found)}, the number SAT listed before {stop}{shown}"
    )
    return FixedPointReport(None, states, False, False, method, detail, ts.state_names, replayed)


def _counters() -> str:
    """The counting engines that ran (for messages)."""
    bdd = f"BDD ({BACKEND})"
    return f"{bdd} and model counting (Ganak)" if fixed_points_count.AVAILABLE else bdd


def _replay_fixed_points(
    model: Model, ts: TransitionSystem, free: tuple[tuple[int, bool], ...], states: Sequence[str]
) -> int:
    """Replay listed fixed points: round 0 of the input whose initial configuration is the
    state, and round 1, must both be the state. The first :data:`REPLAY_ALWAYS` always, then
    up to ten times as many while the work stays within :data:`REPLAY_BUDGET` (as
    :func:`_replay_attractors` measures it). Returns how many were replayed."""
    size = 1 + ts.num_state + ts.aig.num_ands
    replayed = 0
    for state in states[: REPLAY_ALWAYS * 10]:
        if replayed >= REPLAY_ALWAYS and (replayed + 1) * 2 * size > REPLAY_BUDGET:
            break
        inputs = [False] * len(free)
        for j, (i, negated) in enumerate(free):
            inputs[i] = (state[j] == "1") != negated
        trace = reference.simulate(model, inputs, 1)
        if [step.config for step in trace] != [state, state]:
            raise ReplayError(
                f"fixed point {state}: the reference run of input {bits(inputs)} gives"
                f" {' -> '.join(step.config for step in trace)}"
            )
        replayed += 1
    return replayed


# --- halting -----------------------------------------------------------------------------------


def check_halting(model: Model, options: DynamicsOptions) -> Verdict:
    """Halting (DESIGN 2.6): every valid input reaches a fixed point, and round t is an output
    round exactly when configuration t is a fixed point."""
    ts = compile_model(model)
    engine_options = _engine_options(options)
    lasso, shown = _lasso_bound(ts, options, engine_options)
    if lasso is None:
        return Verdict(VerdictKind.UNKNOWN, _engine(ts, options), shown)
    method = lasso.method
    if not lasso.valid_inputs:
        return Verdict(VerdictKind.PASS, method, "no input satisfies the assumptions (vacuous)")
    for example in lasso.examples:
        if example.period > 1:
            return _loops(model, example, method)
    check = _output_check(ts, options, engine_options, lasso)
    if check.violation is not None:
        return _wrong_output(model, check)
    T = lasso.transient
    if not check.decided:
        return Verdict(
            VerdictKind.UNKNOWN,
            check.method,
            f"every valid input reaches a fixed point by round {T}; the output"
            f" rounds were not fully checked: {check.detail}",
        )
    assert lasso.witness is not None
    return Verdict(
        VerdictKind.PASS,
        method if check.method == method else f"{method}; {check.method}",
        f"every valid input reaches a fixed point by round {T}, and round t"
        " is an output round exactly when configuration t is a fixed point",
        extra={"transient": T, "witness": bits(lasso.witness.inputs)},
    )


def _loops(model: Model, example: Witness, method: str) -> Verdict:
    """FAIL: ``example`` ends in a cycle of period > 1 (replayed)."""
    trace = _replay_lasso(model, example.inputs, example.transient, example.period)
    mu, period = example.transient, example.period
    cex = RunCounterexample(
        bits(example.inputs),
        mu,
        f"the run enters a cycle of period {period} and never reaches a fixed point",
        trace,
    )
    return Verdict(
        VerdictKind.FAIL,
        method,
        f"{_input_text(example.inputs)} loops: from round {mu} it cycles with period {period}"
        " and never reaches a fixed point",
        cex,
    )


def _wrong_output(model: Model, check: OutputCheck) -> Verdict:
    """FAIL: an output round that is not a fixed point, or the reverse (replayed)."""
    v = check.violation
    assert v is not None
    trace = reference.simulate(model, v.inputs, v.round + 1)
    step, after = trace[v.round], trace[v.round + 1]
    fixed = step.config == after.config
    if step.output != v.output or fixed == v.output:
        raise ReplayError(
            f"input {bits(v.inputs)}, round {v.round}: the engine says output={v.output}; the"
            f" reference simulator gives output={step.output}, fixed point={fixed}"
        )
    reason = (
        "an output round, but not a fixed point"
        if v.output
        else "a fixed point, but not an output round"
    )
    cex = RunCounterexample(bits(v.inputs), v.round, f"round {v.round} is {reason}", trace)
    return Verdict(
        VerdictKind.FAIL,
        check.method,
        f"{_input_text(v.inputs)}: round {v.round} is {reason}",
        cex,
    )
