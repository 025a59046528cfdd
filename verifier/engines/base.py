"""The engine contract: options in, an :class:`Outcome` out.

An engine answers a :class:`~verifier.ir.safety.SafetyProblem` with

* ``SAFE``: proved for every valid input and every round (an unbounded, complete argument);
* ``UNSAFE`` with a :class:`Cex`: an input and the first round in which ``bad`` is true;
* ``UNKNOWN``: a resource limit or only a bounded argument, with ``detail`` saying exactly what
  was shown (e.g. "bad is false in rounds 0..40 for every valid input").

Engines never print. They honour ``options.deadline`` (a :func:`time.monotonic` instant)
cooperatively -- SAT calls use conflict budgets, z3 its timeout -- and the caller additionally
runs them in a killable process (:mod:`verifier.engines.process`).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from verifier.ir.safety import SafetyProblem

__all__ = ["ENGINES", "Cex", "Engine", "Options", "Outcome", "Status", "get", "register"]


class Status(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Cex:
    """A counterexample: the valid input (one bool per problem input) and the first round in
    which ``bad`` holds."""

    inputs: tuple[bool, ...]
    depth: int


@dataclass(frozen=True)
class Outcome:
    """An engine's answer. ``method`` names the argument (e.g. "2-induction"); ``detail`` says
    what was shown; ``bound`` is the number of rounds checked exhaustively, when known."""

    status: Status
    method: str
    detail: str
    cex: Cex | None = None
    bound: int | None = None

    def __post_init__(self) -> None:
        if (self.status is Status.UNSAFE) != (self.cex is not None):
            raise ValueError("an UNSAFE outcome carries a counterexample, and only it")


@dataclass(frozen=True)
class Options:
    """What the caller allows: ``bound`` caps the rounds a bounded engine unrolls (None: the
    engine's default); ``deadline`` is an absolute :func:`time.monotonic` instant;
    ``progress`` receives short status lines (e.g. "bmc: depth 17, 3.2 s")."""

    bound: int | None = None
    deadline: float | None = None
    progress: Callable[[str], None] | None = field(default=None, compare=False)

    def time_left(self) -> float | None:
        """Seconds until the deadline (never negative), or None without a deadline."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def report(self, line: str) -> None:
        if self.progress is not None:
            self.progress(line)


Engine = Callable[[SafetyProblem, Options], Outcome]

ENGINES: dict[str, Engine] = {}


def register(name: str) -> Callable[[Engine], Engine]:
    """Decorator: make an engine reachable as ``get(name)``."""

    def decorate(engine: Engine) -> Engine:
        ENGINES[name] = engine
        return engine

    return decorate


def get(name: str) -> Engine:
    """The engine registered as ``name`` (imports the engine modules on first use)."""
    from verifier.engines import bmc, explicit, induction, pdr, random_sim  # noqa: F401

    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; known: {', '.join(sorted(ENGINES))}") from None
