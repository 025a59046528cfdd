"""Bounded model checking on an incrementally unrolled CNF (Biere, Cimatti, Clarke, Zhu, TACAS
1999), registered as ``"bmc"``.

One incremental CaDiCaL instance holds the unrolling from the initial state (frozen inputs
shared by all frames, constraints asserted once; :mod:`verifier.sat.unroll`). At depth ``t`` the
engine adds frame ``t`` and asks whether bad can hold in it, with bad of frame ``t`` as the only
assumption. UNSAT makes ``not bad_t`` a permanent unit clause (true for every valid input), so
later depths ask for the *first* round in which bad holds.

Answers: UNSAFE with the input and the first depth; SAFE only in the trivial cases (bad is the
constant false, or no input satisfies the constraints); otherwise UNKNOWN with
"bad is false in rounds 0..N for every valid input" and ``bound = N``.
"""

from __future__ import annotations

import time

from verifier.engines.base import Cex, Options, Outcome, Status, register
from verifier.ir.aig import FALSE
from verifier.ir.safety import SafetyProblem
from verifier.sat.cnf import plan_unrolling
from verifier.sat.solver import SatSolver
from verifier.sat.unroll import Unrolling

__all__ = ["DEFAULT_BOUND", "run"]

DEFAULT_BOUND = 50
"""Rounds unrolled when ``options.bound`` is None."""

METHOD = "bmc"


def bounded_detail(depth: int) -> str:
    """What a clean bounded run up to round ``depth`` has shown."""
    if depth < 0:
        return "no round was checked"
    return f"bad is false in rounds 0..{depth} for every valid input"


def first_bad_detail(depth: int) -> str:
    """What a counterexample of first depth ``depth`` shows."""
    earlier = f" (and false in rounds 0..{depth - 1} for every valid input)" if depth else ""
    return f"bad is true in round {depth}{earlier}"


def _unknown(depth: int, why: str) -> Outcome:
    detail = bounded_detail(depth) + (f" ({why})" if why else "")
    return Outcome(Status.UNKNOWN, METHOD, detail, bound=depth if depth >= 0 else None)


@register("bmc")
def run(problem: SafetyProblem, options: Options) -> Outcome:
    """Check rounds ``0..bound`` (``options.bound``, default :data:`DEFAULT_BOUND`)."""
    bound = DEFAULT_BOUND if options.bound is None else options.bound
    if problem.bad == FALSE:
        return Outcome(Status.SAFE, METHOD, "bad is the constant false")
    if options.expired():
        return _unknown(-1, "deadline")
    started = time.monotonic()
    with SatSolver() as solver:
        unrolling = Unrolling(plan_unrolling(problem), solver, initial=True)
        valid = solver.solve([], options.deadline)
        if valid is None:
            return _unknown(-1, "deadline")
        if not valid:
            return Outcome(Status.SAFE, METHOD, "no input satisfies the constraints")
        for depth in range(bound + 1):
            if options.expired():
                return _unknown(depth - 1, "deadline")
            bad = unrolling.extend().bad
            result = solver.solve([bad], options.deadline)
            if result is None:
                return _unknown(depth - 1, "deadline")
            if result:
                cex = Cex(unrolling.input_values(), depth)
                return Outcome(Status.UNSAFE, METHOD, first_bad_detail(depth), cex=cex)
            solver.add_clause([-bad])
            options.report(
                f"bmc: depth {depth} clean, {solver.num_clauses} clauses, "
                f"{time.monotonic() - started:.1f} s"
            )
    return _unknown(bound, "")
