"""With a deadline, the SAT engines first run in this process for equiv.PROBE seconds; only an
undecided probe starts the killable child process, and the deadline still holds."""

from __future__ import annotations

import time

import pytest

from tests.engines.problems import commutativity_miter, long_counter
from verifier.checks import equiv
from verifier.engines import process
from verifier.engines.base import Status
from verifier.formats import bnl_text
from verifier.ir.compile import compile_model


def _context(timeout: float) -> equiv._Context:
    model = bnl_text.loads("X :- X\n")
    ts = compile_model(model)
    options = equiv.EquivOptions(mode="global", timeout=timeout)
    return equiv._Context(model, model, ts, ts, options, time.monotonic() + timeout)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engines started in a child process (the real run_engine still runs them)."""
    started: list[str] = []
    real = process.run_engine

    def spy(engine, problem, options):  # type: ignore[no-untyped-def]
        started.append(engine.__module__)
        return real(engine, problem, options)

    monkeypatch.setattr(process, "run_engine", spy)
    return started


@pytest.mark.parametrize("engine", ["bmc", "induction"])
def test_an_easy_problem_is_decided_without_a_child(engine: str, children: list[str]) -> None:
    outcome = equiv._run(_context(30), engine, commutativity_miter(3), 4)
    # BMC proves the bound (UNKNOWN by design), induction the property.
    expected = Status.SAFE if engine == "induction" else Status.UNKNOWN
    assert outcome.status is expected and outcome.bound in (None, 4) and not children


def test_an_undecided_probe_moves_to_a_child_within_the_deadline(children: list[str]) -> None:
    start = time.monotonic()
    outcome = equiv._run(_context(1.5), "induction", long_counter(64), None)
    assert outcome.status is Status.UNKNOWN
    assert children == ["verifier.engines.induction"]
    assert time.monotonic() - start < 1.5 + process.GRACE + 1.5
