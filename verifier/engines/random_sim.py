"""Random simulation, registered as ``"random"``: a cheap search for counterexamples before
any SAT work (the first thing ABC's ``dprove`` does, too).

Simulates :data:`RUNS` random inputs bit-parallel (:class:`~verifier.ir.simulate.
BitSimulator`) for :data:`ROUNDS` rounds, or until ``options.bound`` rounds; since all runs
are in the same round, the first round in which some valid run is bad is that run's first bad
round. Answers ``UNSAFE`` with the lowest such run's input, or ``UNKNOWN`` (it never proves
anything: random inputs cover a sliver of the input space, and inputs that must satisfy many
assumptions are rarely valid).
"""

from __future__ import annotations

import numpy as np

from verifier.engines.base import Cex, Options, Outcome, Status, register
from verifier.engines.explicit import as_system, lanes_of
from verifier.ir.safety import SafetyProblem
from verifier.ir.simulate import BitSimulator, unpack

__all__ = ["ROUNDS", "RUNS", "run"]

RUNS = 1024
"""Random inputs simulated together."""

ROUNDS = 64
"""Rounds simulated (unless ``options.bound`` is smaller)."""


@register("random")
def run(problem: SafetyProblem, options: Options | None = None, *, seed: int = 0) -> Outcome:
    """Search for a bad round in random runs (see the module docstring)."""
    options = options or Options()
    rounds = ROUNDS if options.bound is None else min(ROUNDS, options.bound + 1)
    rng = np.random.default_rng(seed)
    words = RUNS // 64
    inputs = rng.integers(0, 2**64, size=(problem.num_inputs, words), dtype=np.uint64)
    sim = BitSimulator(as_system(problem))
    state, valid = sim.initial(inputs)
    if not valid.any():  # e.g. many assumptions: simulating invalid runs shows nothing
        return Outcome(
            Status.UNKNOWN,
            "random simulation",
            f"none of {RUNS} random inputs satisfies the assumptions",
        )
    checked = 0
    for t in range(rounds):
        if options.expired():
            break
        state, _, bad = sim.evaluate(state, inputs)
        hit = bad & valid if bad is not None else valid & 0
        if hit.any():
            lane = int(lanes_of(hit).min())
            bits = unpack(inputs, RUNS)[lane]
            cex = Cex(tuple(bool(b) for b in bits), t)
            return Outcome(
                Status.UNSAFE,
                "random simulation",
                f"input {''.join('1' if b else '0' for b in cex.inputs)} reaches bad in round"
                f" {t} (found among {RUNS} random inputs)",
                cex=cex,
            )
        checked = t + 1
    valid_runs = int(sum(bin(int(w)).count("1") for w in valid))
    return Outcome(
        Status.UNKNOWN,
        "random simulation",
        f"no bad round in rounds 0..{checked - 1} of {valid_runs} valid random inputs (of {RUNS})",
    )
