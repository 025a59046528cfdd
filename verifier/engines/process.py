"""Run an engine in a separate, killable process, so that ``--timeout`` holds whatever the
engine does (DESIGN.md section 4: UNKNOWN on a resource limit).

Engines honour :attr:`~verifier.engines.base.Options.deadline` cooperatively, but not every
solver can be interrupted (CaDiCaL's search cannot; z3 may overrun its timeout).
:func:`run_in_subprocess` runs a callable in a child process (the ``fork`` start method where
available, so closures and unpicklable arguments work; ``spawn`` elsewhere, where ``fn`` and
its arguments must be picklable) and:

* forwards progress: in the child, every :class:`~verifier.engines.base.Options` among the
  arguments gets a ``progress`` callback that sends each line through a pipe; the parent
  passes each line to its ``progress`` callback as it arrives;
* returns the child's result (it must be picklable: the engines' dataclasses are);
* re-raises an exception of the child in the parent: the same exception type when it can be
  pickled, chained (``__cause__``) to a :class:`RemoteTraceback` holding the child's
  traceback text; otherwise a :class:`ChildError` with that text. A child that dies without
  an answer (a crash, a signal) raises :class:`ChildError` too;
* at ``timeout`` seconds plus ``grace`` it kills the child and everything the child started
  (the child leads its own process group; SIGKILL to the group) and raises :class:`Timeout`,
  which carries the last progress line.

The child is always reaped before the call returns (no zombies); on Linux it is also killed
if the parent dies (``PR_SET_PDEATHSIG``). :func:`run_engine` wraps an engine call and turns
a timeout into an UNKNOWN :class:`~verifier.engines.base.Outcome`.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import multiprocessing
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, NoReturn, TypeVar

from verifier.engines.base import ENGINES, Engine, Options, Outcome, Status
from verifier.ir.safety import SafetyProblem

__all__ = [
    "GRACE",
    "ChildError",
    "RemoteTraceback",
    "Timeout",
    "race",
    "run_engine",
    "run_in_subprocess",
]

T = TypeVar("T")

GRACE = 0.5
"""Seconds the child is given beyond its timeout to answer by itself before it is killed."""

_PR_SET_PDEATHSIG = 1


class Timeout(Exception):
    """The child did not answer within its time; it has been killed and reaped.

    ``elapsed``: seconds since the start; ``last_progress``: the last progress line the child
    sent (None if none).
    """

    def __init__(self, elapsed: float, last_progress: str | None) -> None:
        self.elapsed = elapsed
        self.last_progress = last_progress
        tail = f"; last progress: {last_progress}" if last_progress else ""
        super().__init__(f"timed out after {elapsed:.1f} s{tail}")


class ChildError(RuntimeError):
    """The child failed in a way that cannot be re-raised as its own exception (the
    exception does not pickle, or the process died). ``remote_traceback``: the child's
    traceback text, when there is one."""

    def __init__(self, message: str, remote_traceback: str | None = None) -> None:
        self.remote_traceback = remote_traceback
        text = message if remote_traceback is None else f"{message}\n\n{remote_traceback}"
        super().__init__(text)


class RemoteTraceback(Exception):
    """The ``__cause__`` of an exception re-raised from the child: its traceback text."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(text)

    def __str__(self) -> str:
        return f'\n"""\n{self.text}"""'


# --- the child ---------------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Linux: ask for SIGKILL when the parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _with_progress(values: tuple[Any, ...], sink: Callable[[str], None] | None) -> tuple[Any, ...]:
    """``values`` with the ``progress`` of every :class:`Options` among them set to ``sink``."""
    return tuple(
        dataclasses.replace(v, progress=sink) if isinstance(v, Options) else v for v in values
    )


def _child(
    conn: Connection,
    parent: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Entry point of the child: run ``fn`` and send ("result", value) or ("error", ...)."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    _die_with_parent(parent)

    def sink(line: str) -> None:
        conn.send(("progress", str(line)))

    args = _with_progress(args, sink)
    kwargs = dict(zip(kwargs, _with_progress(tuple(kwargs.values()), sink), strict=True))
    try:
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            conn.send(("error", _pickled(exc), _describe(exc), traceback.format_exc()))
            return
        try:
            conn.send(("result", result))
        except Exception as exc:  # the result does not pickle
            text = traceback.format_exc()
            conn.send(("error", None, f"the result could not be sent: {_describe(exc)}", text))
    finally:
        conn.close()


def _pickled(exc: BaseException) -> bytes | None:
    """``exc`` pickled, if it is an Exception that survives a pickle round trip."""
    if not isinstance(exc, Exception):
        return None
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
    except Exception:
        return None
    return data


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"


# --- the parent --------------------------------------------------------------------------------


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _stop(proc: Any, wait: float) -> None:
    """Let ``proc`` exit for ``wait`` seconds, then SIGKILL its process group (or it alone)
    and reap it."""
    proc.join(wait)
    group = None
    with contextlib.suppress(OSError):
        group = os.getpgid(proc.pid)
    if group == proc.pid:
        # Also reaches whatever the child started; it is still ours until joined below.
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    elif proc.is_alive():
        proc.kill()
    proc.join()
    with contextlib.suppress(AttributeError, ValueError):
        proc.close()


def _raise_child_error(payload: bytes | None, description: str, text: str) -> NoReturn:
    if payload is not None:
        exc = pickle.loads(payload)
        raise exc from RemoteTraceback(text)
    raise ChildError(f"the engine's process failed: {description}", text)


def run_in_subprocess(
    fn: Callable[..., T],
    *args: Any,
    timeout: float | None,
    progress: Callable[[str], None] | None = None,
    grace: float = GRACE,
    **kwargs: Any,
) -> T:
    """``fn(*args, **kwargs)`` in a child process; see the module docstring.

    ``timeout``: seconds (None: no limit); the child is killed at ``timeout + grace`` and
    :class:`Timeout` is raised. ``progress`` receives the child's progress lines (from any
    :class:`Options` argument's ``progress``) in the parent, as they arrive. An exception of
    the child is re-raised (or :class:`ChildError`). The child is reaped in every case,
    including when the parent is interrupted (KeyboardInterrupt kills it first).
    """
    call = functools.partial(fn, *args, **kwargs)
    return race([call], timeout=timeout, progress=progress, grace=grace)[1]


def race(
    calls: Sequence[functools.partial[Any]],
    *,
    timeout: float | None,
    progress: Callable[[str], None] | None = None,
    grace: float = GRACE,
    expected: tuple[type[Exception], ...] = (),
) -> tuple[int, Any]:
    """Every call in its own child process at once (as :func:`run_in_subprocess`); the
    first to return wins: ``(its index, its result)``, and the others are killed.

    A child that raises one of ``expected`` drops out of the race; when every child has
    dropped out, the first of those exceptions is re-raised. Any other exception of a child
    (or :class:`ChildError`) is re-raised at once. At ``timeout + grace`` all are killed and
    :class:`Timeout` is raised, with the last progress line of any of them. Every child is
    reaped before the call returns.
    """
    ctx = _context()
    started = time.monotonic()
    limit = None if timeout is None else started + max(0.0, timeout) + grace
    children: list[tuple[Connection, Any]] = []
    answered: set[int] = set()
    dropped: list[tuple[bytes | None, str, str]] = []
    last: str | None = None
    try:
        for call in calls:
            children.append(_start(ctx, call))
        running = {reader: index for index, (reader, _) in enumerate(children)}
        while running:
            wait = None if limit is None else limit - time.monotonic()
            if wait is not None and wait <= 0:
                raise Timeout(time.monotonic() - started, last)
            for reader in multiprocessing.connection.wait(list(running), wait):
                assert isinstance(reader, Connection)
                index = running[reader]
                try:
                    message = reader.recv()
                except EOFError:
                    proc = children[index][1]
                    proc.join(grace)
                    raise ChildError(
                        f"the engine's process ended without an answer (exit code"
                        f" {proc.exitcode})" + (f"; last progress: {last}" if last else "")
                    ) from None
                if message[0] == "progress":
                    last = message[1]
                    if progress is not None:
                        progress(last)
                    continue
                answered.add(index)
                if message[0] == "result":
                    return index, message[1]
                if not _is_expected(message[1], expected):
                    _raise_child_error(*message[1:])
                dropped.append(message[1:])
                del running[reader]
        _raise_child_error(*dropped[0])
    finally:
        for index, (reader, proc) in enumerate(children):
            reader.close()
            _stop(proc, grace if index in answered else 0.0)


def _start(ctx: Any, call: functools.partial[Any]) -> tuple[Connection, Any]:
    """A started child running ``call`` (module docstring) and the end of its pipe."""
    reader, writer = ctx.Pipe(duplex=False)
    # The parent's callbacks stay here (and need not pickle under "spawn"); the child
    # installs its own sink.
    args = _with_progress(call.args, None)
    kwargs = dict(
        zip(call.keywords, _with_progress(tuple(call.keywords.values()), None), strict=True)
    )
    proc = ctx.Process(target=_child, args=(writer, os.getpid(), call.func, args, kwargs))
    proc.start()
    writer.close()
    with contextlib.suppress(OSError):
        os.setpgid(proc.pid, proc.pid)  # as the child does: whoever runs first wins the race
    return reader, proc


def _is_expected(payload: bytes | None, expected: tuple[type[Exception], ...]) -> bool:
    """Whether a child's pickled exception is an instance of one of ``expected``."""
    return payload is not None and isinstance(pickle.loads(payload), expected)


def _engine_name(engine: Engine) -> str:
    for name, registered in ENGINES.items():
        if registered is engine:
            return name
    return getattr(engine, "__name__", "engine")


def run_engine(
    engine: Engine,
    problem: SafetyProblem,
    options: Options,
    *,
    timeout: float | None = None,
    grace: float = GRACE,
) -> Outcome:
    """``engine(problem, options)`` in a child process (:func:`run_in_subprocess`), with the
    progress lines going to ``options.progress``.

    ``timeout`` defaults to the time left until ``options.deadline`` (no limit without one).
    A timeout becomes an UNKNOWN :class:`Outcome` naming the limit and the last progress line;
    exceptions propagate.
    """
    if timeout is None:
        timeout = options.time_left()
    try:
        return run_in_subprocess(
            engine, problem, options, timeout=timeout, progress=options.progress, grace=grace
        )
    except Timeout as err:
        tail = f"; last progress: {err.last_progress}" if err.last_progress else ""
        return Outcome(
            Status.UNKNOWN,
            _engine_name(engine),
            f"time limit of {timeout:g} s reached; the engine was stopped{tail}",
        )
