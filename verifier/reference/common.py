"""Pieces shared by the reference simulators (DESIGN.md 2.2-2.4): inputs, output rounds, steps.

The reference simulators are the oracle of the project (DESIGN.md section 5): they replay every
counterexample and differential-test the engines, so they are written directly from the
semantics, in plain Python, and import nothing from :mod:`verifier.ir`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from verifier.errors import InputError
from verifier.models.attention import Attention, AttentionAll, AttentionBits, AttentionRounds
from verifier.trace import Step

__all__ = ["InvalidInputError", "bit_string", "check_rounds", "make_step", "parse_inputs"]

K = TypeVar("K", str, int)


class InvalidInputError(InputError, ValueError):
    """An input bit string that does not fit the model (wrong length or a character not 0/1).

    It is a :class:`ValueError` for library callers and an :class:`~verifier.errors.InputError`
    so that the CLI reports it as bad input (exit status 2) rather than as an internal error.
    """


def parse_inputs(inputs: str | Sequence[bool], names: Sequence[str], what: str) -> tuple[bool, ...]:
    """The input bits, one per name in ``names`` (in order), from a ``"0110"`` string or a
    sequence of booleans (0/1 accepted).

    Raises :class:`InvalidInputError` naming the expected count and ``what`` the bits feed
    (e.g. "input predicate") when the length is wrong or a bit is not 0/1.
    """
    if isinstance(inputs, str):
        bad = [c for c in inputs if c not in "01"]
        if bad:
            raise InvalidInputError(
                f"input {inputs!r} contains {bad[0]!r}: an input is a string of 0s and 1s"
            )
        bits = tuple(c == "1" for c in inputs)
    else:
        values = list(inputs)
        for value in values:
            # `in (0, 1)` accepts bool, int and numpy bools, and rejects 2, 0.5, "1", None.
            if isinstance(value, str) or value not in (0, 1):
                raise InvalidInputError(f"input bit {value!r} is not 0/1 or a boolean")
        bits = tuple(bool(v) for v in values)
    if len(bits) != len(names):
        listed = " ".join(names) if names else "none"
        raise InvalidInputError(
            f"expected {len(names)} input bit(s), one per {what} ({listed}), got {len(bits)}"
        )
    return bits


def check_rounds(rounds: int) -> None:
    """Raise ValueError unless ``rounds`` is a non-negative integer."""
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 0:
        raise ValueError(f"rounds must be a non-negative integer, got {rounds!r}")


def bit_string(bits: Sequence[bool]) -> str:
    """``"0110"`` for ``(False, True, True, False)``."""
    return "".join("1" if b else "0" for b in bits)


def is_output_round(attention: Attention, t: int, value: Callable[[K], bool]) -> bool:
    """Whether round ``t`` is an output round (DESIGN.md 2.2): any attention bit true in round
    ``t``, ``t`` in the attention function's set of rounds, or always (no attention given).

    ``value`` gives the round-``t`` value of an attention predicate (or position).
    """
    if isinstance(attention, AttentionAll):
        return True
    if isinstance(attention, AttentionRounds):
        return attention.is_output_round(t)
    if isinstance(attention, AttentionBits):
        return any(value(bit) for bit in attention.bits)
    raise TypeError(f"unknown output condition {attention!r}")


def make_step(
    t: int,
    config: Sequence[bool],
    value: Callable[[K], bool],
    print_: Sequence[K],
    attention: Attention,
) -> Step:
    """The :class:`~verifier.trace.Step` of round ``t`` whose configuration is ``config`` and in
    which the print / attention bit ``b`` has the value ``value(b)``."""
    return Step(
        round=t,
        config=bit_string(config),
        output=is_output_round(attention, t, value),
        print=bit_string([value(p) for p in print_]),
    )
