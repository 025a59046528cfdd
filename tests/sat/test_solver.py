"""The solver wrapper: answers, models, deadlines through conflict budgets."""

from __future__ import annotations

import time

import numpy as np
import pytest
from pysat.examples.genhard import PHP

from verifier.sat.solver import SatSolver


def test_answers_and_model_values() -> None:
    with SatSolver() as solver:
        solver.add_blocks([np.array([[1, 2], [-1, 3]]), [[-3]]])
        assert solver.solve() is True
        assert solver.values([1, -1, 2, 3]).tolist() == [False, True, True, False]
        assert solver.solve([1]) is False
        assert solver.solve([2], deadline=time.monotonic() + 10) is True
        assert solver.value(7) is False  # a variable the solver never saw
        assert solver.num_clauses == 3 and solver.solve_calls == 3


def test_no_model_after_unsat_or_new_clauses() -> None:
    with SatSolver() as solver:
        solver.add_clause([1])
        assert solver.solve() is True
        solver.add_clause([2])
        with pytest.raises(RuntimeError):
            solver.values([1])  # CaDiCaL itself would abort the process here
        assert solver.solve([-1]) is False
        with pytest.raises(RuntimeError):
            solver.value(1)


def test_deadline_in_the_past_answers_none_at_once() -> None:
    with SatSolver() as solver:
        solver.add_clause([1])
        start = time.monotonic()
        assert solver.solve(deadline=start - 1) is None
        assert time.monotonic() - start < 0.05


def test_hard_instance_stops_near_the_deadline() -> None:
    with SatSolver() as solver:
        solver.add_clauses(PHP(11).clauses)  # pigeonhole 12 -> 11: far beyond half a second
        start = time.monotonic()
        assert solver.solve(deadline=start + 0.5) is None
        assert time.monotonic() - start < 1.0


def test_solve_limited_budget() -> None:
    """A budget of 0 (or less) gives up at once (PySAT would read 0 as no budget); a budget
    that suffices decides; pigeonhole 8 needs more than one conflict."""

    with SatSolver() as solver:
        solver.add_clauses(PHP(8).clauses)
        assert solver.solve_limited([], 0) is None
        assert solver.solve_limited([], -5) is None
        assert solver.solve_limited([], 1) is None
    with SatSolver() as solver:
        solver.add_clauses([[1, 2], [-1]])
        assert solver.solve_limited([], 10) is True and solver.value(2)
        assert solver.solve_limited([-2], 10) is False
