"""The number of fixed points of a system with free initial states, by exact model counting
(Ganak, through the ``pyganak`` bindings): the count only, no states.

The fixed points are the models of one CNF: the state bits ``s``, the next-state functions
Tseitin-encoded over them, and ``s_j <-> F_j(s)`` for every bit (bits with ``F_j(s) = s_j``,
the free inputs ``x, x`` of a ``.bnet`` file, get no clause). Every gate variable is a
function of ``s``, so counting the models projected on ``s`` (Ganak's sampling set) counts
the fixed points exactly. Ganak simplifies the formula, splits it into independent
components, caches their counts and follows a tree decomposition of the primal graph: that
counts the fixed points of ``bbm-243`` (1076 bits, about 3.9 * 10^67 of them), which the BDDs
of :mod:`verifier.engines.fixed_points_bdd` do not finish, while those are faster on models
whose next-state functions have large circuits (``bbm-079``: 119,000 clauses).

A Ganak call cannot be interrupted: callers with a deadline run :func:`count_fixed_points`
in a killable process (:mod:`verifier.engines.process`). The count is trusted as Ganak's; the
tests compare it with exhaustive enumeration on random systems and with the BDD engine on
the published models, and :func:`verifier.checks.dynamics.fixed_points` compares it with the
SAT engine's listing whenever that is complete.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from verifier.engines.dynamics import free_initial_states
from verifier.ir.system import TransitionSystem
from verifier.sat.cnf import Strash, VarPool, clause_lists, cone, equal, tseitin

try:  # wheels exist for Linux (glibc >= 2.34) and macOS on arm64
    from pyganak import Counter as _Counter

    AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the platform
    AVAILABLE = False

__all__ = ["AVAILABLE", "FixedPointCnf", "count_fixed_points", "fixed_point_cnf"]


@dataclass(frozen=True)
class FixedPointCnf:
    """Clauses over variables ``1..num_vars`` whose models, projected on ``state`` (the
    DIMACS variables of the state bits, in order), are the fixed points."""

    num_vars: int
    clauses: tuple[tuple[int, ...], ...]
    state: tuple[int, ...]


def fixed_point_cnf(ts: TransitionSystem) -> FixedPointCnf:
    """The CNF of the module docstring. ``ts`` must have free initial states (then the
    next-state functions read no input); ValueError otherwise."""
    if free_initial_states(ts) is None:
        raise ValueError("counting fixed points needs a system with free initial states")
    pool = VarPool()
    true = pool.fresh()
    state = pool.block(ts.num_state)
    leaves = np.concatenate([np.full(ts.num_inputs, -true, dtype=np.int64), state])
    enc = tseitin(cone(ts.aig, ts.next_state), leaves, true, pool, strash=Strash())
    following = enc.literals(ts.next_state)
    moving = state != following
    clauses = [[true], *clause_lists(enc.clauses)]
    clauses += clause_lists([equal(state[moving], following[moving])])
    return FixedPointCnf(pool.top, tuple(tuple(c) for c in clauses), tuple(int(v) for v in state))


def count_fixed_points(ts: TransitionSystem) -> int:
    """The exact number of states ``s`` with ``F(s) = s`` of ``ts`` (free initial states
    required). Raises RuntimeError when ``pyganak`` is not installed."""
    if not AVAILABLE:
        raise RuntimeError("counting fixed points needs the pyganak package")
    cnf = fixed_point_cnf(ts)
    if not cnf.state:
        return 1
    counter = _Counter()
    counter.new_vars(cnf.num_vars)
    counter.add_clauses(cnf.clauses)
    counter.set_sampling_set(cnf.state)
    with _stdout_silenced():
        return int(counter.count())


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """File descriptor 1 points to the null device meanwhile: Ganak prints comment lines
    (``c o intermediate count: 0``) even when not verbose, which would corrupt ``--json``."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).fflush(None)  # what the C library buffered goes to null too
        os.dup2(saved, 1)
        os.close(saved)
