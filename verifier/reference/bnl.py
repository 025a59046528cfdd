"""Reference simulator of BNL programs, straight from DESIGN.md 2.2 (paper Section 2.2).

Round 0: each input predicate takes its input bit, every other head its terminal value.
Round t+1: every head takes its iteration body evaluated on round t, all heads in parallel.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier import formula as fm
from verifier.models.bnl import BnlProgram
from verifier.reference.common import check_rounds, make_step, parse_inputs
from verifier.trace import Trace

__all__ = ["initial_config", "simulate_bnl", "successor"]


def initial_config(program: BnlProgram, inputs: str | Sequence[bool]) -> tuple[bool, ...]:
    """The round-0 configuration: input bits for input predicates, terminal values otherwise."""
    bits = iter(parse_inputs(inputs, program.input_names, "input predicate"))
    return tuple(next(bits) if h.init is None else h.init for h in program.heads)


def successor(program: BnlProgram, config: Sequence[bool]) -> tuple[bool, ...]:
    """The configuration of round t+1 given that of round t (synchronous update)."""
    env = dict(zip(program.names, config, strict=True))
    return tuple(fm.evaluate(h.body, env) for h in program.heads)


def simulate_bnl(program: BnlProgram, inputs: str | Sequence[bool], rounds: int) -> Trace:
    """The steps of rounds ``0..rounds`` (inclusive) of ``program`` on ``inputs``.

    ``inputs`` has one bit per input predicate, in head order; a wrong length raises
    :class:`~verifier.reference.common.InvalidInputError` (a ValueError).
    """
    check_rounds(rounds)
    config = initial_config(program, inputs)
    steps = []
    for t in range(rounds + 1):
        env = dict(zip(program.names, config, strict=True))
        steps.append(make_step(t, config, env.__getitem__, program.print_, program.attention))
        if t < rounds:
            config = successor(program, config)
    return tuple(steps)
