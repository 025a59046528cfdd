"""Cube and conquer: one satisfiability question split into cubes, solved in parallel processes.

A *cube* is a conjunction of input literals; when the cubes cover every assignment of
interest (for example, every value of some one-hot digits), the question is unsatisfiable iff
it is under every cube. :func:`solve_cubes` takes the cubes and a function that decides one
cube (``solve(cube, deadline)``, for instance a sweep of a miter under the cube's literals,
:func:`verifier.sat.sweep.sweep_solve`). Worker processes take cubes one at a time from a
shared counter (so hard and easy cubes balance out); the first satisfiable cube stops
everyone, and so does the deadline (answer: unknown, with the number of cubes refuted).

The workers are forked children that the parent kills when it has its answer (CaDiCaL cannot be
interrupted); without ``fork`` (or with one job) the cubes are solved in this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CubeResult", "solve_cubes"]

GRACE = 1.0
"""Seconds past the deadline the parent waits for its workers before killing them."""


@dataclass(frozen=True)
class CubeResult:
    """``satisfiable``: True (``inputs`` is a satisfying assignment of the AIG's inputs), False
    (every cube refuted) or None (the deadline came first); ``refuted``: cubes proved
    unsatisfiable; ``cubes``: cubes in all."""

    satisfiable: bool | None
    refuted: int
    cubes: int
    inputs: tuple[bool, ...] | None = None


Solve = Callable[[Sequence[int], "float | None"], tuple["bool | None", "tuple[bool, ...] | None"]]
"""Decide one cube: (True, a satisfying input), (False, None) or (None, None) out of time."""


def _serial(
    solve: Solve,
    cubes: Sequence[Sequence[int]],
    deadline: float | None,
    progress: Callable[[int], None] | None,
) -> CubeResult:
    for refuted, cube in enumerate(cubes):
        answer, inputs = solve(cube, deadline)
        if answer is None:
            return CubeResult(None, refuted, len(cubes))
        if answer:
            return CubeResult(True, refuted, len(cubes), inputs)
        if progress is not None:
            progress(refuted + 1)
    return CubeResult(False, len(cubes), len(cubes))


def _worker(
    solve: Solve,
    cubes: Sequence[Sequence[int]],
    counter: Any,
    results: Any,
    deadline: float | None,
) -> None:
    """Take cubes from ``counter`` until none are left; report ("refuted", None) per cube,
    ("sat", inputs) or ("unknown", None), and finally ("done", None)."""
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(cubes):
            results.put(("done", None))
            return
        answer, inputs = solve(cubes[index], deadline)
        if answer is None:
            results.put(("unknown", None))
            return
        if answer:
            results.put(("sat", inputs))
            return
        results.put(("refuted", None))


def solve_cubes(
    solve: Solve,
    cubes: Sequence[Sequence[int]],
    *,
    jobs: int = 1,
    deadline: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> CubeResult:
    """Decide every cube with ``solve`` in up to ``jobs`` processes (see the module
    docstring); ``progress`` is called with the number of cubes refuted so far."""
    cubes = [list(cube) for cube in cubes]
    jobs = max(1, min(jobs, len(cubes)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _serial(solve, cubes, deadline, progress)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(solve, cubes, counter, results, deadline), daemon=True)
        for _ in range(jobs)
    ]
    for worker in workers:
        worker.start()
    refuted, running = 0, jobs
    try:
        while running:
            wait = None if deadline is None else deadline + GRACE - time.monotonic()
            if wait is not None and wait <= 0:
                return CubeResult(None, refuted, len(cubes))
            try:
                kind, payload = results.get(timeout=1.0 if wait is None else min(wait, 1.0))
            except queue.Empty:
                if any(worker.is_alive() for worker in workers):
                    continue
                try:  # a last answer may have arrived just after the poll timed out
                    kind, payload = results.get(timeout=GRACE)
                except queue.Empty:
                    raise RuntimeError("every cube worker ended without an answer") from None
            if kind == "sat":
                return CubeResult(True, refuted, len(cubes), payload)
            if kind == "unknown":
                return CubeResult(None, refuted, len(cubes))
            if kind == "done":
                running -= 1
                continue
            refuted += 1
            if progress is not None:
                progress(refuted)
        if refuted != len(cubes):
            raise RuntimeError(f"workers refuted {refuted} of {len(cubes)} cubes and stopped")
        return CubeResult(False, refuted, len(cubes))
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
        with contextlib.suppress(Exception):
            results.close()
