"""Output conditions shared by every formalism (DESIGN.md 2.2, paper Section 2.1).

A model has print bits and one of three output conditions:

* :class:`AttentionAll` -- every round is an output round (the default);
* :class:`AttentionBits` -- attention predicates / positions: round t is an output round iff at
  least one of them is true in round t (round 0 included);
* :class:`AttentionRounds` -- an attention function: a fixed set of rounds, the same for every
  input, written ``attention rounds 0, 3, 5+2k`` (finite rounds and progressions a + b*k, k >= 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from verifier.errors import ModelError

__all__ = [
    "Attention",
    "AttentionAll",
    "AttentionBits",
    "AttentionRounds",
    "Progression",
]

Bit = TypeVar("Bit", str, int)


@dataclass(frozen=True, slots=True)
class Progression:
    """The rounds ``start + step*k`` for every k >= 0 (``step`` >= 1)."""

    start: int
    step: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.step < 1:
            raise ModelError(
                f"invalid progression {self.start}+{self.step}k: expected start >= 0, step >= 1",
                ("attention",),
            )

    def __contains__(self, t: int) -> bool:
        return t >= self.start and (t - self.start) % self.step == 0

    def __str__(self) -> str:
        return f"{self.start}+{self.step}k"


@dataclass(frozen=True, slots=True)
class AttentionAll:
    """Every round is an output round."""

    def is_output_round(self, t: int) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class AttentionRounds:
    """An attention function: the output rounds ``items`` (rounds and progressions), as written."""

    items: tuple[int | Progression, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise ModelError("attention rounds needs at least one round", ("attention",))
        for item in self.items:
            if isinstance(item, int) and item < 0:
                raise ModelError(f"negative output round {item}", ("attention",))

    def is_output_round(self, t: int) -> bool:
        return any(t == item if isinstance(item, int) else t in item for item in self.items)

    def rounds_upto(self, horizon: int) -> tuple[int, ...]:
        """The output rounds smaller than ``horizon``, ascending."""
        return tuple(t for t in range(horizon) if self.is_output_round(t))

    def eventual_period(self) -> tuple[int, int]:
        """``(P, L)`` such that for every t >= P, round t is an output round iff round
        ``P + (t - P) % L`` is: P passes every listed round and every progression's start,
        L is the lcm of the steps (1 when there are none)."""
        prefix, period = 0, 1
        for item in self.items:
            if isinstance(item, int):
                prefix = max(prefix, item + 1)
            else:
                prefix = max(prefix, item.start)
                period = math.lcm(period, item.step)
        return prefix, period

    @property
    def is_finite(self) -> bool:
        return all(isinstance(item, int) for item in self.items)

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self.items)


@dataclass(frozen=True, slots=True)
class AttentionBits(Generic[Bit]):
    """Attention predicates (names, in BNL/SC) or positions (0-based ints, in circuits)."""

    bits: tuple[Bit, ...]

    def __post_init__(self) -> None:
        if not self.bits:
            raise ModelError("attention needs at least one predicate or position", ("attention",))


Attention = AttentionAll | AttentionBits | AttentionRounds
