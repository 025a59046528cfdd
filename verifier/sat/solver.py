"""A thin wrapper around an incremental PySAT solver (CaDiCaL 1.9.5 by default).

Contract of :meth:`SatSolver.solve`: ``True`` (satisfiable; the model is then readable with
:meth:`SatSolver.values`), ``False`` (unsatisfiable under the assumptions) or ``None`` (the
deadline, a :func:`time.monotonic` instant, passed first). PySAT cannot interrupt CaDiCaL, so
the deadline is honoured with conflict budgets: the solver runs in slices of a few thousand
conflicts, the budget adapted so that a slice takes about :data:`SLICE` seconds, and the clock
is checked between slices. Learnt clauses survive between slices and between calls.

Clauses are added in bulk from numpy clause blocks (see :mod:`verifier.sat.cnf`): one
``tolist`` per block and one C call per clause, with no per-clause Python method layers.
Kissat is deliberately not offered: in PySAT it ignores assumptions and cannot take clauses
after a solve.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import numpy as np
import pysolvers
from pysat.solvers import Cadical195, Solver

from verifier.collector import paused_gc
from verifier.errors import VerifierError

__all__ = ["DEFAULT_SOLVER", "SLICE", "OutOfTime", "SatSolver"]

DEFAULT_SOLVER = "cadical195"
"""PySAT's name of the default solver."""

SLICE = 0.1
"""Target seconds of one conflict-budgeted solver call (the deadline's granularity)."""

_MIN_BUDGET, _MAX_BUDGET, _FIRST_BUDGET = 200, 2_000_000, 5_000


def _clause_adder(solver: Solver) -> Callable[[list[int]], object]:
    """The cheapest way to add one clause: for CaDiCaL 1.9.5 PySAT's C entry point itself
    (half the cost of the Python method around it, measured 0.38 vs 0.72 us per clause), else
    the backend's ``add_clause``."""
    backend = getattr(solver, "solver", solver)
    raw = getattr(pysolvers, "cadical195_add_cl", None)
    handle = getattr(backend, "cadical", None)
    if isinstance(backend, Cadical195) and raw is not None and handle is not None:
        return partial(raw, handle)
    return backend.add_clause


class OutOfTime(VerifierError):
    """A deadline passed before a SAT-based function could answer (callers that can say
    UNKNOWN catch it)."""


class SatSolver:
    """One incremental solver instance (use as a context manager, or call :meth:`close`).

    Counts the clauses added (:attr:`num_clauses`) and the wall time spent inside solve calls
    (:attr:`solve_time`), for progress lines and benchmarks.
    """

    def __init__(self, name: str = DEFAULT_SOLVER) -> None:
        self.name = name
        self._solver = Solver(name=name)
        self._add = _clause_adder(self._solver)
        self._budget = _FIRST_BUDGET
        self._model: np.ndarray | None = None
        self._satisfied = False  # the last solve said True and no clause was added since
        self.num_clauses = 0
        self.solve_time = 0.0
        self.solve_calls = 0

    def __enter__(self) -> SatSolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Free the solver (idempotent)."""
        if self._solver is not None:
            self._solver.delete()
            self._solver = None  # type: ignore[assignment]

    # --- clauses ---------------------------------------------------------------------------

    def add_clause(self, clause: Sequence[int]) -> None:
        """Add one clause (DIMACS literals)."""
        self._satisfied = False
        self._add([int(lit) for lit in clause])
        self.num_clauses += 1

    def add_clauses(self, clauses: Iterable[Sequence[int]]) -> None:
        """Add clauses given as lists of ints."""
        clauses = clauses if isinstance(clauses, list) else list(clauses)
        self._satisfied = False
        deque(map(self._add, clauses), maxlen=0)
        self.num_clauses += len(clauses)

    def add_blocks(self, blocks: Iterable[np.ndarray | list[list[int]]]) -> None:
        """Add clause blocks (2-d int arrays with one clause per row, or lists of clauses)."""
        with paused_gc():
            for block in blocks:
                if len(block):
                    self.add_clauses(block.tolist() if isinstance(block, np.ndarray) else block)

    # --- solving ---------------------------------------------------------------------------

    def solve(self, assumptions: Iterable[int] = (), deadline: float | None = None) -> bool | None:
        """Satisfiability under ``assumptions``; None if ``deadline`` passed first (see the
        module docstring). Without a deadline the solver runs to the end."""
        assume = [int(lit) for lit in assumptions]
        self._model = None
        self.solve_calls += 1
        start = time.monotonic()
        result = None
        try:
            if deadline is None:
                result = self._solver.solve(assumptions=assume)
                return result
            while True:
                now = time.monotonic()
                left = deadline - now
                if left <= 0:
                    return None
                self._solver.conf_budget(self._budget)
                result = self._solver.solve_limited(assumptions=assume)
                if result is not None:
                    return result
                self._adapt(time.monotonic() - now, left)
        finally:
            self._satisfied = result is True
            self.solve_time += time.monotonic() - start

    def solve_limited(self, assumptions: Iterable[int], conflicts: int) -> bool | None:
        """Satisfiability under ``assumptions`` within ``conflicts`` conflicts (None: the
        budget ran out first; at once for a budget <= 0, which PySAT would read as none)."""
        if conflicts <= 0:
            return None
        assume = [int(lit) for lit in assumptions]
        self._model = None
        self.solve_calls += 1
        start = time.monotonic()
        result = None
        try:
            self._solver.conf_budget(conflicts)
            result = self._solver.solve_limited(assumptions=assume)
            return result
        finally:
            self._satisfied = result is True
            self.solve_time += time.monotonic() - start

    def _adapt(self, took: float, left: float) -> None:
        """Scale the conflict budget so that the next slice takes about SLICE seconds (less
        when the deadline is nearer)."""
        target = max(min(SLICE, left / 4), 0.005)
        scale = min(max(target / max(took, 1e-4), 0.25), 4.0)
        self._budget = int(min(max(self._budget * scale, _MIN_BUDGET), _MAX_BUDGET))

    # --- models ----------------------------------------------------------------------------

    def _model_array(self) -> np.ndarray:
        if self._model is None:
            if not self._satisfied:
                # CaDiCaL aborts the process when asked for a model it no longer has.
                raise RuntimeError("no model: the last solve was not SAT, or clauses came since")
            model = self._solver.get_model()
            if model is None:
                raise RuntimeError("no model: the last solve call did not return True")
            # values[v] is the value of variable v; variables the solver never saw are False.
            values = np.zeros(len(model) + 1, dtype=bool)
            values[1:] = np.asarray(model, dtype=np.int64) > 0
            self._model = values
        return self._model

    def values(self, lits: Sequence[int] | np.ndarray) -> np.ndarray:
        """The model's truth value of each DIMACS literal in ``lits`` (a bool array of the
        same shape). Only between a satisfiable :meth:`solve` and the next added clause."""
        lits = np.asarray(lits, dtype=np.int64)
        model = self._model_array()
        var = np.abs(lits)
        known = var < len(model)
        value = np.where(known, model[np.where(known, var, 0)], False)
        return value ^ (lits < 0)

    def value(self, lit: int) -> bool:
        """The model's truth value of one literal."""
        return bool(self.values([lit])[0])
