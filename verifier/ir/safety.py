"""Safety problems: the one question every engine answers (DESIGN.md sections 4 and 5).

A :class:`SafetyProblem` is a deterministic transition system with *frozen* primary inputs
(chosen once, before round 0, and visible in every round) and latches:

* round 0: latch j holds ``init[j]`` evaluated on the inputs;
* round t+1: latch j holds ``next_state[j]`` evaluated on the round-t latches and the inputs;
* only inputs making every literal of ``constraints`` true are considered;
* the property: ``bad`` (over latches and inputs) is false in every round, for every valid
  input.

The AIG's leaves are the inputs (literals 2, 4, ...) followed by the latches, exactly as in
:class:`~verifier.ir.system.TransitionSystem`. Checks (equivalence miters, halting, transient
time) build a SafetyProblem; engines (:mod:`verifier.engines`) decide it.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.ir.aig import Aig

__all__ = ["SafetyProblem", "run_problem"]


@dataclass(frozen=True)
class SafetyProblem:
    """Frozen inputs, latches with init/next literals, input constraints, and a bad literal."""

    aig: Aig
    input_names: tuple[str, ...]
    latch_names: tuple[str, ...]
    init: tuple[int, ...]
    next_state: tuple[int, ...]
    bad: int
    constraints: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.aig.num_inputs != len(self.input_names) + len(self.latch_names):
            raise ValueError("the AIG's leaves must be the inputs followed by the latches")
        if not len(self.init) == len(self.next_state) == len(self.latch_names):
            raise ValueError("one init and one next-state literal per latch")

    @property
    def num_inputs(self) -> int:
        return len(self.input_names)

    @property
    def num_latches(self) -> int:
        return len(self.latch_names)

    def input_lit(self, i: int) -> int:
        """The literal of input ``i``."""
        return 2 * (1 + i)

    def latch_lit(self, j: int) -> int:
        """The literal of latch ``j`` (its current value)."""
        return 2 * (1 + self.num_inputs + j)


def run_problem(
    problem: SafetyProblem, inputs: tuple[bool, ...], rounds: int
) -> tuple[bool, list[bool]]:
    """Plain-Python run of one input for rounds ``0..rounds``.

    Returns (whether the input satisfies the constraints, ``bad`` per round). The oracle that
    engines' counterexamples are checked against at the problem level (the models' reference
    simulators check them again at the user's level).
    """
    if len(inputs) != problem.num_inputs:
        raise ValueError(f"expected {problem.num_inputs} input bits, got {len(inputs)}")
    aig = problem.aig
    ins = [int(b) for b in inputs]
    zeros = [0] * problem.num_latches
    values = aig.evaluate([*ins, *zeros])
    valid = all(aig.value(values, c) for c in problem.constraints)
    state = [aig.value(values, lit) for lit in problem.init]
    bad: list[bool] = []
    for _ in range(rounds + 1):
        values = aig.evaluate([*ins, *state])
        bad.append(bool(aig.value(values, problem.bad)))
        state = [aig.value(values, lit) for lit in problem.next_state]
    return valid, bad
