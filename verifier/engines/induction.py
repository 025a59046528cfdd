"""Unbounded proof by induction, registered as ``"induction"``: signal correspondence (van Eijk
2000) and k-induction with simple-path constraints (Sheeran, Singh, Stålmarck, "Checking safety
properties using induction and a SAT-solver", FMCAD 2000).

The engine, in order:

1. trivial answers: bad is the constant false; no input satisfies the constraints;
2. a shallow bounded check of rounds ``0..SHALLOW`` (counterexamples of miters are typically
   shallow);
3. signal correspondence (:mod:`verifier.sat.correspondence`), given half the remaining time:
   if the inductive signal equalities make bad constant false, SAFE ("signal correspondence");
   otherwise the equalities are invariants, used as rewrites (each signal replaced by its
   class representative) in every later frame, which strengthens the induction step;
4. k-induction for ``k = 1, 2, ...``, with two incremental solvers:

   * *base* (from the initial states; frozen inputs shared by all frames): bad is false in rounds
     ``0..k-1`` as permanent units; bad in round ``k`` SAT means UNSAFE with that input and
     depth ``k``. It also answers Sheeran et al.'s first termination test: if no valid input
     has pairwise distinct states in rounds ``0..k``, every reachable state occurs in rounds
     ``0..k-1``, so the bounded result is already complete (SAFE);
   * *step* (from an arbitrary state, same frozen input in every frame): bad false in frames
     ``0..k-1``, bad in frame ``k``, all states of the path pairwise distinct. UNSAT means SAFE
     (``k``-induction). The distinctness (simple-path) constraints are added lazily, for the
     pairs of equal states that the models exhibit.

   With frozen inputs two frames are in the same state exactly when their latches are equal, so
   the simple-path constraints make the step case fail for only finitely many ``k``: the method
   is complete for these finite systems. Only latches in the cone of influence of bad are kept.

Answers: SAFE (method "signal correspondence" or "k-induction (k=K)"), UNSAFE with a
counterexample (first depth), or UNKNOWN when the deadline passes or ``k`` would exceed
``options.bound``, saying which rounds are known to be bad-free.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from verifier.engines.base import Cex, Options, Outcome, Status, register
from verifier.engines.bmc import bounded_detail, first_bad_detail
from verifier.ir.aig import FALSE
from verifier.ir.safety import SafetyProblem
from verifier.sat.cnf import UnrollPlan, plan_unrolling
from verifier.sat.correspondence import Equivalences, signal_correspondence, signals_of
from verifier.sat.solver import OutOfTime, SatSolver
from verifier.sat.unroll import Unrolling, first_repeat

__all__ = ["SC_MAX_SIGNALS", "SHALLOW", "prove", "run"]

SHALLOW = 2
"""Rounds ``0..SHALLOW`` are checked before signal correspondence."""

SC_MAX_SIGNALS = 400_000
"""Signal correspondence is tried when one frame has at most this many signals."""


class _Timeout(Exception):
    """The deadline passed (internal: becomes an UNKNOWN outcome)."""


@dataclass
class _Shown:
    """What has been shown so far (for UNKNOWN answers)."""

    depth: int = -1  # bad is false in rounds 0..depth for every valid input
    k: int = 0  # the step case failed for every k' <= k
    equalities: int | None = None  # proved signal equalities, if signal correspondence ran

    def detail(self, why: str) -> str:
        parts = [bounded_detail(self.depth)]
        if self.k:
            parts.append(f"no k-induction proof for k <= {self.k}")
        if self.equalities is not None:
            parts.append(f"{self.equalities} signal equalities proved inductive")
        return "; ".join(parts) + f" ({why})"


class _Induction:
    """The two unrollings of k-induction and the facts shown so far."""

    def __init__(self, plan: UnrollPlan, options: Options) -> None:
        self.plan = plan
        self.options = options
        self.shown = _Shown()
        self.base_solver = SatSolver()
        self.step_solver = SatSolver()
        self.base = Unrolling(plan, self.base_solver, initial=True)
        self.step = Unrolling(plan, self.step_solver, initial=False)
        self.strengthening: Equivalences | None = None

    def close(self) -> None:
        self.base_solver.close()
        self.step_solver.close()

    def _solve(self, solver: SatSolver, assumptions: list[int]) -> bool:
        result = solver.solve(assumptions, self.options.deadline)
        if result is None:
            raise _Timeout
        return result

    def has_valid_input(self) -> bool:
        return self._solve(self.base_solver, [])

    def base_case(self, depth: int) -> Cex | None:
        """Check round ``depth`` (rounds before it are known bad-free): a counterexample, or
        None after recording that bad is false in round ``depth``."""
        while self.base.depth <= depth:
            self.base.extend()
        bad = self.base.bads[depth]
        if self._solve(self.base_solver, [bad]):
            return Cex(self.base.input_values(), depth)
        self.base_solver.add_clause([-bad])
        self.shown.depth = depth
        return None

    def runs_repeat(self, k: int) -> bool:
        """Whether every valid run repeats a state among rounds ``0..k`` (needs rounds
        ``0..k-1`` bad-free; then every reachable state is bad-free)."""
        while True:
            if not self._solve(self.base_solver, []):
                return True
            repeats = first_repeat(self.base.state_values(k))
            if not repeats:
                return False
            for i, j in repeats:
                self.base.make_distinct(i, j)

    def strengthen(self, eq: Equivalences) -> None:
        """Use proved invariant equalities as rewrites in the frames made from now on: in the
        step case they strengthen the induction hypothesis; in the base case (reachable
        states, where they hold) they only shrink the frames."""
        self.strengthening = eq
        if len(eq):
            substitution = eq.substitution(self.plan.problem.aig.num_vars)
            self.step.substitute = substitution
            self.base.substitute = substitution

    def step_case(self, k: int) -> bool:
        """Whether every path of ``k + 1`` distinct states, bad-free in the first ``k``, is
        bad-free in the last (then the problem is safe)."""
        while self.step.depth <= k:
            self.step.extend()
        bad = self.step.bads[k]
        while True:
            if not self._solve(self.step_solver, [bad]):
                return True
            repeats = first_repeat(self.step.state_values(k))
            if not repeats:
                self.step_solver.add_clause([-bad])
                self.shown.k = k
                return False
            for i, j in repeats:
                self.step.make_distinct(i, j)


def _safe(method: str, detail: str) -> Outcome:
    return Outcome(Status.SAFE, method, detail)


@register("induction")
def run(problem: SafetyProblem, options: Options) -> Outcome:
    """Decide ``problem`` by signal correspondence and k-induction (see the module
    docstring); ``options.bound`` caps ``k`` and the depth of the base case."""
    return prove(problem, options)


def prove(problem: SafetyProblem, options: Options, *, correspondence: bool = True) -> Outcome:
    """:func:`run`, with signal correspondence optional (``correspondence=False`` gives plain
    k-induction with simple-path constraints)."""
    if problem.bad == FALSE:
        return _safe("structural", "bad is the constant false")
    if options.expired():
        return Outcome(Status.UNKNOWN, "induction", _Shown().detail("deadline"))
    started = time.monotonic()
    plan = plan_unrolling(problem)
    proof = _Induction(plan, options)
    try:
        return _decide(proof, options, started, correspondence)
    except _Timeout:
        return Outcome(
            Status.UNKNOWN,
            "induction",
            proof.shown.detail("deadline"),
            bound=proof.shown.depth if proof.shown.depth >= 0 else None,
        )
    finally:
        proof.close()


def _decide(proof: _Induction, options: Options, started: float, correspondence: bool) -> Outcome:
    bound = options.bound
    shown = proof.shown
    if not proof.has_valid_input():
        return _safe("structural", "no input satisfies the constraints")
    for depth in range(SHALLOW + 1 if bound is None else min(SHALLOW, bound) + 1):
        cex = proof.base_case(depth)
        if cex is not None:
            return _unsafe(cex)

    if correspondence and len(signals_of(proof.plan)) <= SC_MAX_SIGNALS:
        outcome = _correspondence(proof, options)
        if outcome is not None:
            return outcome

    k = 1
    while bound is None or k <= bound:
        if proof.runs_repeat(k):
            return _safe(
                f"k-induction (k={k})",
                f"{bounded_detail(k - 1)}, and every valid run repeats a state by round {k}",
            )
        if proof.step_case(k):
            return _safe(f"k-induction (k={k})", _step_detail(k, proof.strengthening))
        if shown.depth < k:
            cex = proof.base_case(k)
            if cex is not None:
                return _unsafe(cex)
        options.report(
            f"induction: k={k} open, bad-free to round {shown.depth}, "
            f"{time.monotonic() - started:.1f} s"
        )
        k += 1
    return Outcome(
        Status.UNKNOWN, "induction", shown.detail(f"bound {bound} reached"), bound=shown.depth
    )


def _correspondence(proof: _Induction, options: Options) -> Outcome | None:
    """Register correspondence (latches and ``bad`` only; cheap), then signal
    correspondence, each with half the remaining time; SAFE if either proves bad false, else None
    (the equalities of the full run, if it finished, strengthen the step case)."""
    for registers in (True, False):
        left = options.time_left()
        share = 2
        deadline = None if left is None else time.monotonic() + left / share
        what = "register" if registers else "signal"
        try:
            eq = signal_correspondence(proof.plan, deadline, registers=registers)
        except OutOfTime:
            options.report(f"induction: {what} correspondence ran out of its time share")
            if options.expired():
                raise _Timeout from None
            continue
        proof.shown.equalities = len(eq)
        if eq.is_false(proof.plan.problem.bad):
            return _safe(
                f"{what} correspondence",
                f"{len(eq)} {what} equalities are inductive (van Eijk) and make bad constant "
                "false in every reachable state of every valid input",
            )
        if not registers:
            proof.strengthen(eq)
        options.report(f"induction: {len(eq)} {what} equalities proved; bad not among them")
    return None


def _step_detail(k: int, eq: Equivalences | None) -> str:
    text = (
        f"{bounded_detail(k - 1)}, and no path of {k + 1} distinct states that is bad-free "
        f"in its first {k} ends in bad"
    )
    if eq is not None and len(eq):
        text += f" (strengthened by {len(eq)} inductive signal equalities)"
    return text


def _unsafe(cex: Cex) -> Outcome:
    return Outcome(Status.UNSAFE, "induction (base case)", first_bad_detail(cex.depth), cex=cex)
