"""Reference simulator of SC programs, straight from DESIGN.md 2.3 (paper Section 2.2).

Round 0: each schema variable takes its terminal body evaluated on the input (the values of
the proposition symbols). Round t+1: each takes its iteration body evaluated on round t, where
the proposition symbols keep their input values in every round.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier import formula as fm
from verifier.models.sc import ScProgram
from verifier.reference.common import check_rounds, make_step, parse_inputs
from verifier.trace import Trace

__all__ = ["initial_config", "simulate_sc", "successor"]


def _props(program: ScProgram, inputs: str | Sequence[bool]) -> dict[str, bool]:
    bits = parse_inputs(inputs, program.props, "proposition symbol")
    return dict(zip(program.props, bits, strict=True))


def initial_config(program: ScProgram, inputs: str | Sequence[bool]) -> tuple[bool, ...]:
    """The round-0 configuration: every terminal body evaluated on the input."""
    props = _props(program, inputs)
    return tuple(fm.evaluate(v.terminal, props) for v in program.vars)


def successor(
    program: ScProgram, props: dict[str, bool], config: Sequence[bool]
) -> tuple[bool, ...]:
    """The configuration of round t+1 given that of round t and the (fixed) input ``props``."""
    env = {**props, **dict(zip(program.names, config, strict=True))}
    return tuple(fm.evaluate(v.body, env) for v in program.vars)


def simulate_sc(program: ScProgram, inputs: str | Sequence[bool], rounds: int) -> Trace:
    """The steps of rounds ``0..rounds`` (inclusive) of ``program`` on ``inputs``.

    ``inputs`` has one bit per proposition symbol, in order; a wrong length raises
    :class:`~verifier.reference.common.InvalidInputError` (a ValueError).
    """
    check_rounds(rounds)
    props = _props(program, inputs)
    config = tuple(fm.evaluate(v.terminal, props) for v in program.vars)
    steps = []
    for t in range(rounds + 1):
        env = dict(zip(program.names, config, strict=True))
        steps.append(make_step(t, config, env.__getitem__, program.print_, program.attention))
        if t < rounds:
            config = successor(program, props, config)
    return tuple(steps)
