"""Verdicts of checks (DESIGN.md section 4): PASS, FAIL with a replayed counterexample, UNKNOWN."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from verifier.trace import Step, Trace

__all__ = ["Counterexample", "RunCounterexample", "Verdict", "VerdictKind"]


class VerdictKind(enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"

    @property
    def exit_code(self) -> int:
        return {"PASS": 0, "FAIL": 1, "UNKNOWN": 3}[self.value]


@dataclass(frozen=True)
class Counterexample:
    """A distinguishing input, replayed by the reference simulators of both sides.

    ``a_input``/``b_input``: the input bits in each side's own input order; ``round``: the first
    round where the runs are told apart; ``output_index``: for asynchronous differences, the
    (0-based) index of the first differing output; ``reason``: one sentence; ``trace_a`` /
    ``trace_b``: the reference traces up to and including ``round``; ``rules``: for models whose
    every state is initial, the rules (heads) whose next-state functions differ.
    """

    a_input: str
    b_input: str
    round: int
    reason: str
    trace_a: Trace
    trace_b: Trace
    output_index: int | None = None
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunCounterexample:
    """A counterexample of a check on one model (transient time, halting): a valid input in
    the model's input order, the round that shows the claim false, one sentence saying why,
    and the model's reference trace (which the check has replayed) up to that point."""

    input: str
    round: int
    reason: str
    trace: Trace

    def to_json(self) -> dict[str, object]:
        return {
            "input": self.input,
            "round": self.round,
            "reason": self.reason,
            "trace": [_step(s) for s in self.trace],
        }


@dataclass(frozen=True)
class Verdict:
    """The answer of a check: ``method`` names the argument, ``detail`` what was shown."""

    kind: VerdictKind
    method: str
    detail: str
    counterexample: Counterexample | RunCounterexample | None = None
    delay: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.kind is VerdictKind.FAIL) != (self.counterexample is not None):
            raise ValueError("a FAIL verdict carries a counterexample, and only it")

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code

    def to_json(self) -> dict[str, object]:
        """The JSON object of DESIGN.md section 4."""
        out: dict[str, object] = {
            "verdict": self.kind.value,
            "method": self.method,
            "detail": self.detail,
        }
        if self.delay is not None:
            out["delay"] = self.delay
        out.update(self.extra)
        cex = self.counterexample
        if isinstance(cex, RunCounterexample):
            out["counterexample"] = cex.to_json()
        elif cex is not None:
            out["counterexample"] = {
                "input": cex.a_input,
                "input_b": cex.b_input,
                "round": cex.round,
                "output_index": cex.output_index,
                "reason": cex.reason,
                "rules": list(cex.rules),
                "trace_a": [_step(s) for s in cex.trace_a],
                "trace_b": [_step(s) for s in cex.trace_b],
            }
        return out


def _step(step: Step) -> dict[str, object]:
    return {"round": step.round, "config": step.config, "output": step.output, "print": step.print}
