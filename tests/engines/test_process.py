"""Engines in a killable child process (verifier.engines.process)."""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.engines.test_explicit import counter_problem
from verifier.engines import explicit
from verifier.engines.base import Options, Outcome, Status
from verifier.engines.process import (
    ChildError,
    RemoteTraceback,
    Timeout,
    race,
    run_engine,
    run_in_subprocess,
)
from verifier.ir.safety import SafetyProblem

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")


def gone(pid: int, within: float = 2.0) -> bool:
    """Whether process ``pid`` has ended (reaped, or a zombie waiting for a parent that is
    not ours) within ``within`` seconds."""
    stop = time.monotonic() + within
    while time.monotonic() < stop:
        stat = Path(f"/proc/{pid}/stat")
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.02)
    return False


def reaped(pid: int) -> bool:
    """Whether ``pid`` no longer exists at all (no zombie either)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def sleeper(options: Options) -> None:
    options.report(f"pid {os.getpid()}")
    time.sleep(60)


def test_a_sleeping_child_is_killed_at_the_timeout() -> None:
    lines: list[str] = []
    started = time.monotonic()
    with pytest.raises(Timeout) as caught:
        run_in_subprocess(sleeper, Options(), timeout=1, progress=lines.append)
    elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.2
    assert lines and lines[0].startswith("pid ")
    assert caught.value.last_progress == lines[-1]
    assert "timed out after" in str(caught.value)
    assert reaped(int(lines[0].split()[1]))
    assert multiprocessing.active_children() == []


def spawner(options: Options) -> None:
    child = subprocess.Popen(["sleep", "300"])  # outlives the child if not killed
    options.report(str(child.pid))
    time.sleep(60)


def test_the_childs_own_children_are_killed_too() -> None:
    lines: list[str] = []
    with pytest.raises(Timeout):
        run_in_subprocess(spawner, Options(), timeout=0.3, grace=0.1, progress=lines.append)
    assert gone(int(lines[0]))


def test_an_engine_result_comes_back_intact() -> None:
    unsafe = counter_problem(6, 6)
    safe = SafetyProblem(**{**unsafe.__dict__, "bad": 0})
    for problem in (unsafe, safe):
        expected = explicit.run(problem, Options())
        got = run_in_subprocess(explicit.run, problem, Options(), timeout=30)
        assert isinstance(got, Outcome) and got == expected
    assert run_engine(explicit.run, safe, Options()) == explicit.run(safe, Options())


def chatty(options: Options, count: int) -> int:
    for i in range(count):
        options.report(f"line {i}")
    return count


def test_progress_lines_arrive_in_order() -> None:
    lines: list[str] = []
    assert run_in_subprocess(chatty, Options(), 5, timeout=10, progress=lines.append) == 5
    assert lines == [f"line {i}" for i in range(5)]
    # By keyword too, and without a callback in the parent.
    assert run_in_subprocess(chatty, options=Options(), count=3, timeout=None) == 3
    # An engine's own progress lines reach the callback of its options.
    engine_lines: list[str] = []
    run_engine(explicit.run, counter_problem(4, 4), Options(progress=engine_lines.append))
    assert engine_lines and engine_lines[0].startswith("explicit")


def failing(x: int) -> None:
    raise ValueError(f"bad value {x}")


class Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a} and {b}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        raise pickle.PicklingError("no")


def unpicklable_error() -> None:
    raise Unpicklable(1, 2)


def dying() -> None:
    os._exit(3)


def unpicklable_result() -> object:
    return lambda: None


def test_exceptions_propagate_with_the_child_traceback() -> None:
    with pytest.raises(ValueError, match="bad value 7") as caught:
        run_in_subprocess(failing, 7, timeout=10)
    cause = caught.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "in failing" in cause.text and "ValueError: bad value 7" in cause.text
    with pytest.raises(ChildError, match="Unpicklable: 1 and 2") as child_error:
        run_in_subprocess(unpicklable_error, timeout=10)
    assert "in unpicklable_error" in (child_error.value.remote_traceback or "")
    with pytest.raises(ChildError, match="exit code 3"):
        run_in_subprocess(dying, timeout=10)
    with pytest.raises(ChildError, match="could not be sent"):
        run_in_subprocess(unpicklable_result, timeout=10)
    assert multiprocessing.active_children() == []


def stuck_engine(problem: SafetyProblem, options: Options) -> Outcome:
    options.report("stuck: started")
    time.sleep(60)
    raise AssertionError("unreachable")


def test_run_engine_turns_a_timeout_into_unknown() -> None:
    started = time.monotonic()
    outcome = run_engine(stuck_engine, counter_problem(2, 2), Options(), timeout=0.3, grace=0.1)
    assert time.monotonic() - started < 1.5
    assert outcome.status is Status.UNKNOWN and outcome.method == "stuck_engine"
    assert "time limit of 0.3 s" in outcome.detail and "stuck: started" in outcome.detail
    # The deadline of the options is the default limit.
    options = Options(deadline=time.monotonic() + 0.3)
    assert run_engine(stuck_engine, counter_problem(2, 2), options, grace=0.1).status is (
        Status.UNKNOWN
    )


def answer_after(options: Options, seconds: float, value: int) -> int:
    options.report(f"pid {os.getpid()}")
    time.sleep(seconds)
    return value


def test_race_the_first_answer_wins_and_the_others_are_killed() -> None:
    lines: list[str] = []
    started = time.monotonic()
    calls = [
        functools.partial(answer_after, Options(), 60, 1),
        functools.partial(answer_after, Options(), 0.2, 2),
    ]
    assert race(calls, timeout=None, progress=lines.append) == (1, 2)
    assert time.monotonic() - started < 5
    pids = {int(line.split()[1]) for line in lines}
    assert len(pids) == 2 and all(reaped(pid) for pid in pids)
    assert multiprocessing.active_children() == []


def test_race_expected_failures_drop_out() -> None:
    calls = [functools.partial(failing, 1), functools.partial(answer_after, Options(), 0.3, 7)]
    assert race(calls, timeout=10, expected=(ValueError,)) == (1, 7)
    # When every child drops out, the first failure is re-raised.
    calls = [functools.partial(failing, 1), functools.partial(failing, 2)]
    with pytest.raises(ValueError, match="bad value"):
        race(calls, timeout=10, expected=(ValueError,))
    assert multiprocessing.active_children() == []


def test_race_other_failures_end_it_at_once() -> None:
    started = time.monotonic()
    calls = [functools.partial(answer_after, Options(), 60, 1), functools.partial(failing, 3)]
    with pytest.raises(ValueError, match="bad value 3"):
        race(calls, timeout=None, expected=(KeyError,))
    assert time.monotonic() - started < 5
    assert multiprocessing.active_children() == []


def test_race_timeout_kills_every_child() -> None:
    lines: list[str] = []
    calls = [functools.partial(answer_after, Options(), 60, i) for i in range(2)]
    with pytest.raises(Timeout):
        race(calls, timeout=0.5, grace=0.1, progress=lines.append)
    pids = [int(line.split()[1]) for line in lines]
    assert len(pids) == 2 and all(reaped(pid) for pid in pids)
    assert multiprocessing.active_children() == []
