"""Traces: what a simulator reports for one input, round by round (DESIGN.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Step", "Trace"]


@dataclass(frozen=True, slots=True)
class Step:
    """One round of a run: the global configuration, whether the round is an output round, and
    the print string (the print bits of the configuration, in print order)."""

    round: int
    config: str
    output: bool
    print: str


Trace = tuple[Step, ...]
