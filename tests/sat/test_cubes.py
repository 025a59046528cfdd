"""solve_cubes with toy cube solvers, in this process (jobs = 1) and in forked workers
(jobs = 2): every cube refuted, one satisfiable cube and its input, an unknown cube, progress
counts, the deadline, and workers that raise or die (an error, not a hang).

Every parallel call gets a deadline as a safety net: were the parent to wait for a worker that
will never answer, it would return "unknown" after the deadline instead of hanging the test.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from verifier.sat.cubes import GRACE, CubeResult, solve_cubes

CUBES = [[2], [3], [4, 6], [5, 6], [4, 7], [5, 7]]
JOBS = [1, 2]
SAFETY = 30.0
"""Seconds of the safety-net deadline."""


def marker(cube: Sequence[int]) -> tuple[bool, ...]:
    """The "satisfying input" the toy solver reports for ``cube``."""
    return (*(lit % 2 == 0 for lit in cube), True, False, True)


def safety() -> float:
    return time.monotonic() + SAFETY


def unsat(cube: Sequence[int], deadline: float | None) -> tuple[bool | None, None]:
    return False, None


def sat_on(target: Sequence[int]):  # type: ignore[no-untyped-def]
    """A solver satisfiable exactly on the cube ``target``."""

    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        if list(cube) == list(target):
            return True, marker(cube)
        return False, None

    return solve


def unknown_on(target: Sequence[int]):  # type: ignore[no-untyped-def]
    """A solver that runs out of time exactly on ``target`` and refutes the others."""

    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        return (None, None) if list(cube) == list(target) else (False, None)

    return solve


@pytest.mark.parametrize("jobs", JOBS)
def test_every_cube_refuted(jobs: int) -> None:
    calls: list[int] = []
    result = solve_cubes(unsat, CUBES, jobs=jobs, deadline=safety(), progress=calls.append)
    assert result == CubeResult(False, len(CUBES), len(CUBES), None)
    assert calls == list(range(1, len(CUBES) + 1))


@pytest.mark.parametrize("jobs", JOBS)
@pytest.mark.parametrize("index", [0, 3, len(CUBES) - 1])
def test_one_satisfiable_cube(jobs: int, index: int) -> None:
    calls: list[int] = []
    target = CUBES[index]
    result = solve_cubes(sat_on(target), CUBES, jobs=jobs, deadline=safety(), progress=calls.append)
    assert result.satisfiable is True
    assert result.inputs == marker(target)
    assert result.cubes == len(CUBES)
    assert 0 <= result.refuted <= len(CUBES) - 1
    assert calls == list(range(1, result.refuted + 1))
    if jobs == 1:  # in order: the cubes before the satisfiable one are refuted, no others
        assert result.refuted == index


@pytest.mark.parametrize("jobs", JOBS)
@pytest.mark.parametrize("index", [0, 4])
def test_an_unknown_cube_gives_unknown(jobs: int, index: int) -> None:
    calls: list[int] = []
    result = solve_cubes(
        unknown_on(CUBES[index]), CUBES, jobs=jobs, deadline=safety(), progress=calls.append
    )
    assert result.satisfiable is None and result.inputs is None
    assert result.cubes == len(CUBES) and 0 <= result.refuted <= len(CUBES) - 1
    assert calls == list(range(1, result.refuted + 1))
    if jobs == 1:
        assert result.refuted == index


@pytest.mark.parametrize("jobs", JOBS)
def test_no_cubes_and_more_jobs_than_cubes(jobs: int) -> None:
    assert solve_cubes(unsat, [], jobs=jobs) == CubeResult(False, 0, 0)
    result = solve_cubes(sat_on([9]), [[9]], jobs=jobs + 3, deadline=safety())
    assert result == CubeResult(True, 0, 1, marker([9]))
    assert solve_cubes(unsat, [[1]], jobs=8, deadline=safety()) == CubeResult(False, 1, 1)


def test_without_progress_callback() -> None:
    for jobs in JOBS:
        assert solve_cubes(unsat, CUBES, jobs=jobs, deadline=safety()).refuted == len(CUBES)


def test_the_solver_sees_each_cube_and_the_deadline() -> None:
    seen: list[tuple[list[int], float | None]] = []

    def solve(cube: Sequence[int], deadline: float | None) -> tuple[bool, None]:
        seen.append((list(cube), deadline))
        return False, None

    deadline = safety()
    cubes = [(1, 2), (3,), ()]  # any sequences: passed on as lists
    assert solve_cubes(solve, cubes, jobs=1, deadline=deadline).satisfiable is False
    assert seen == [([1, 2], deadline), ([3], deadline), ([], deadline)]


def slow_except_on(target: Sequence[int]):  # type: ignore[no-untyped-def]
    """Satisfiable at once on ``target``; every other cube takes a minute (and ignores the
    deadline, like CaDiCaL in the middle of a solve)."""

    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        if list(cube) == list(target):
            return True, marker(cube)
        time.sleep(60)
        return False, None

    return solve


def test_a_satisfiable_cube_stops_the_busy_workers() -> None:
    start = time.monotonic()
    result = solve_cubes(slow_except_on([3]), [[2], [3]], jobs=2, deadline=safety())
    assert result == CubeResult(True, 0, 2, marker([3]))
    assert time.monotonic() - start < 10


def test_the_deadline_stops_workers_that_do_not_answer() -> None:
    start = time.monotonic()
    result = solve_cubes(slow_except_on([99]), [[2], [3]], jobs=2, deadline=start + 0.5)
    took = time.monotonic() - start
    assert result == CubeResult(None, 0, 2)
    assert 0.5 + GRACE - 0.1 <= took < 10


def test_the_deadline_is_passed_to_the_serial_solver() -> None:
    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        assert deadline is not None
        return (None, None) if time.monotonic() > deadline else (False, None)

    result = solve_cubes(solve, CUBES, jobs=1, deadline=time.monotonic() - 1)
    assert result == CubeResult(None, 0, len(CUBES))


# --- workers that fail ---------------------------------------------------------------------


class Broken(Exception):
    """Raised by a solve function that fails."""


def raise_on(target: Sequence[int]):  # type: ignore[no-untyped-def]
    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        if list(cube) == list(target):
            raise Broken(f"cube {cube}")
        return False, None

    return solve


def die_on(target: Sequence[int]):  # type: ignore[no-untyped-def]
    def solve(cube: Sequence[int], deadline: float | None):  # type: ignore[no-untyped-def]
        if list(cube) == list(target):
            os._exit(3)  # the worker process ends at once (as if killed)
        return False, None

    return solve


def always_raise(cube: Sequence[int], deadline: float | None) -> tuple[bool, None]:
    raise Broken("every cube")


def test_a_raising_solver_raises_in_this_process() -> None:
    with pytest.raises(Broken, match=r"cube \[4, 6\]"):
        solve_cubes(raise_on([4, 6]), CUBES, jobs=1, deadline=safety())


@pytest.mark.parametrize(
    ("make", "index"),
    [(raise_on, 0), (die_on, 2), (raise_on, len(CUBES) - 1)],
    ids=["raises-first", "dies-middle", "raises-last"],
)
def test_a_failing_worker_is_an_error_not_a_hang(make, index: int) -> None:  # type: ignore[no-untyped-def]
    """One worker fails on one cube, the other refutes the rest: the parent must not claim
    UNSAT (a cube was never decided) and must not wait for ever."""
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="cube worker"):
        solve_cubes(make(CUBES[index]), CUBES, jobs=2, deadline=safety())
    assert time.monotonic() - start < SAFETY / 2


def test_every_worker_failing_is_an_error() -> None:
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="every cube worker ended without an answer"):
        solve_cubes(always_raise, CUBES, jobs=2, deadline=safety())
    assert time.monotonic() - start < SAFETY / 2


class Hung(Exception):
    """Raised when a call that should return at once hangs (the SIGALRM guard)."""


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Raise :class:`Hung` in this process after ``seconds`` (SIGALRM; forked children do not
    inherit the pending alarm)."""

    def ring(signum: int, frame: object) -> None:
        raise Hung(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")
def test_a_failing_worker_without_a_deadline_is_an_error_too() -> None:
    """No deadline, so no safety net inside solve_cubes: an alarm stands in for one."""
    with alarm(int(SAFETY)), pytest.raises(RuntimeError, match="cube worker"):
        solve_cubes(die_on([2]), [[2], [3]], jobs=2)
