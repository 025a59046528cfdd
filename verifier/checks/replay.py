"""Replaying counterexamples through the reference simulators (DESIGN.md section 4).

Engines work on the IR; before a difference is reported it is reproduced here with the
formalisms' own reference simulators (:mod:`verifier.reference`), which share no code with the
IR. For asynchronous equivalence the output sequences are computed *exactly*: a run is
eventually periodic in (configuration, phase of the attention rounds), so simulating until
that pair repeats yields the whole, possibly infinite, output sequence as a prefix and a cycle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from verifier import reference
from verifier.checks.alignment import Alignment
from verifier.models import AttentionRounds, Circuit, Model
from verifier.trace import Step, Trace

__all__ = [
    "AsyncDifference",
    "GlobalDifference",
    "Lasso",
    "first_async_difference",
    "first_global_difference",
    "lasso",
    "print_names",
]

MAX_LASSO_ROUNDS = 1 << 17


@dataclass(frozen=True)
class Lasso:
    """A run up to its first repetition: rounds ``0..mu+lam-1``; round ``mu+lam`` is round
    ``mu`` again (configuration and attention phase)."""

    trace: Trace
    mu: int
    lam: int

    def outputs(self) -> tuple[list[Step], list[Step]]:
        """The output rounds of the prefix and of the cycle."""
        prefix = [s for s in self.trace[: self.mu] if s.output]
        cycle = [s for s in self.trace[self.mu :] if s.output]
        return prefix, cycle

    def output(self, index: int) -> tuple[int, str] | None:
        """The ``index``-th output (round, print), or None past the end of a finite sequence."""
        prefix, cycle = self.outputs()
        if index < len(prefix):
            return prefix[index].round, prefix[index].print
        if not cycle:
            return None
        k, r = divmod(index - len(prefix), len(cycle))
        return cycle[r].round + k * self.lam, cycle[r].print

    @property
    def finite_length(self) -> int | None:
        """The number of outputs when finite, None when infinitely many."""
        prefix, cycle = self.outputs()
        return None if cycle else len(prefix)


def _phase(model: Model, t: int) -> int:
    if isinstance(model.attention, AttentionRounds):
        prefix, period = model.attention.eventual_period()
        return t if t < prefix else prefix + (t - prefix) % period
    return 0


def lasso(model: Model, inputs: Sequence[bool]) -> Lasso | None:
    """The run of ``inputs`` up to its first repetition, or None beyond MAX_LASSO_ROUNDS."""
    rounds = 64
    while rounds <= MAX_LASSO_ROUNDS:
        trace = reference.simulate(model, tuple(inputs), rounds)
        seen: dict[tuple[str, int], int] = {}
        for step in trace:
            key = (step.config, _phase(model, step.round))
            if key in seen:
                mu = seen[key]
                return Lasso(trace[: step.round], mu, step.round - mu)
            seen[key] = step.round
        rounds *= 4
    return None


@dataclass(frozen=True)
class GlobalDifference:
    """The first round in which two runs are not globally equivalent, and why."""

    round: int
    reason: str


def first_global_difference(
    a: Model, b: Model, alignment: Alignment, a_inputs: Sequence[bool], rounds: int
) -> tuple[GlobalDifference | None, Trace, Trace]:
    """Simulate both on the aligned input for rounds 0..``rounds`` and find the first round
    where the aligned configurations, the output flags, or the printed strings differ."""
    assert alignment.state is not None
    ta = reference.simulate(a, tuple(a_inputs), rounds)
    tb = reference.simulate(b, alignment.b_inputs(a_inputs), rounds)
    names_a, names_b = a.config_names, b.config_names
    for sa, sb in zip(ta, tb, strict=True):
        bits = [i for i, j in enumerate(alignment.state) if sa.config[i] != sb.config[j]]
        if bits:
            shown = ", ".join(
                f"{names_a[i]}={sa.config[i]} vs {names_b[alignment.state[i]]}="
                f"{sb.config[alignment.state[i]]}"
                for i in bits[:6]
            )
            return GlobalDifference(sa.round, f"configurations differ: {shown}"), ta, tb
        if sa.output != sb.output:
            which = "A" if sa.output else "B"
            return GlobalDifference(sa.round, f"only {which} has an output round"), ta, tb
        if sa.output and _aligned_print(sb.print, alignment) != sa.print:
            b_print = _aligned_print(sb.print, alignment)
            return (
                GlobalDifference(sa.round, f"prints differ: {sa.print} vs {b_print}"),
                ta,
                tb,
            )
    return None, ta, tb


def _aligned_print(b_print: str, alignment: Alignment) -> str:
    return "".join(b_print[j] for j in alignment.prints)


@dataclass(frozen=True)
class AsyncDifference:
    """Where two output sequences first differ: the output index, A's and B's (round, print)
    at that index (None past the end of a finite sequence), and a sentence."""

    index: int
    a: tuple[int, str] | None
    b: tuple[int, str] | None
    reason: str


def first_async_difference(
    a: Model, b: Model, alignment: Alignment, a_inputs: Sequence[bool]
) -> tuple[AsyncDifference | None, Lasso, Lasso] | None:
    """Compare the complete output sequences of both on the aligned input (exactly, through
    their lassos). None if a run is too long to close its lasso."""
    la, lb = lasso(a, a_inputs), lasso(b, alignment.b_inputs(a_inputs))
    if la is None or lb is None:
        return None
    pa, ca = la.outputs()
    pb, cb = lb.outputs()
    # Ultimately periodic sequences u v^w and u' v'^w are equal iff they agree on the first
    # max(|u|, |u'|) + lcm(|v|, |v'|) letters (finite sequences: on their lengths + 1).
    cycle = math.lcm(len(ca) or 1, len(cb) or 1)
    horizon = max(len(pa), len(pb)) + cycle + 1
    for i in range(horizon):
        oa, ob = la.output(i), lb.output(i)
        if oa is None and ob is None:
            return None, la, lb
        if oa is None or ob is None:
            n = i
            longer = "B" if oa is None else "A"
            reason = (
                f"A has {n} output(s) and B more"
                if oa is None
                else f"B has {n} output(s) and A more"
            )
            if (la.finite_length is None) != (lb.finite_length is None):
                reason += f" ({longer}'s output sequence is infinite)"
            return AsyncDifference(i, oa, ob, reason), la, lb
        b_print = _aligned_print(ob[1], alignment)
        if b_print != oa[1]:
            reason = (
                f"output {i + 1} differs: A prints {oa[1]} in round {oa[0]}, "
                f"B prints {b_print} in round {ob[0]}"
                + ("" if b_print == ob[1] else " (B's print bits in A's order)")
            )
            return AsyncDifference(i, oa, ob, reason), la, lb
    return None, la, lb


def print_names(model: Model) -> tuple[str, ...]:
    """The names of the print bits, in print order."""
    if isinstance(model, Circuit):
        return tuple(model.inputs[p] for p in model.print_)
    return tuple(model.print_)
