"""The attractor set of free-initial systems (:mod:`verifier.engines.attractor_set`) against
exhaustive enumeration, on every path: the state graph, the SAT loop, and its hand-over to
the lasso engine; on the published models against the explicit engine and against BoolNet's
recorded answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from tests.conftest import MODELS, bnet_models, scaled
from tests.engines.test_dynamics import brute, states_of
from tests.strategies import free_systems
from verifier.engines import attractor_set, dynamics_explicit
from verifier.engines.attractor_set import TABLE_BITS, attractors, reduce_for_attractors
from verifier.engines.base import Options
from verifier.formats.registry import load
from verifier.ir.aig import TRUE, AigBuilder
from verifier.ir.compile import compile_model
from verifier.ir.simulate import BitSimulator, num_words, pack, unpack
from verifier.ir.system import TransitionSystem

BOOLNET = Path(__file__).resolve().parents[2] / "bench" / "results" / "boolnet_attractors.jsonl"


def _check(ts: TransitionSystem) -> None:
    truth = brute(ts)
    d = attractors(ts, Options())
    assert d.complete, d.detail
    assert states_of(d) == truth.attractors
    assert d.transient is None and d.witness is None
    for attractor, example in zip(d.attractors, d.examples, strict=True):
        assert truth.ends[example.inputs] == attractor.states
        assert truth.lassos[example.inputs] == (0, attractor.period)


@settings(max_examples=scaled(300))
@given(free_systems(max_state=6))
def test_state_graph_path(ts: TransitionSystem) -> None:
    _check(ts)


@settings(max_examples=scaled(100))
@given(free_systems(max_state=TABLE_BITS, max_ands=40))
def test_successor_table_is_one_step_of_every_state(ts: TransitionSystem) -> None:
    k = ts.num_state
    size = 1 << k
    table = attractor_set._successors(ts, attractor_set._all_states(k), size)
    rows = (np.arange(size)[:, None] >> np.arange(k)) & 1 == 1  # state s has bit j = s >> j & 1
    inputs = np.zeros((ts.num_inputs, num_words(size)), dtype=np.uint64)
    following = unpack(BitSimulator(ts).step(pack(rows), inputs), size)
    assert table.dtype == np.uint32
    assert table.tolist() == (following.astype(np.int64) << np.arange(k)).sum(axis=1).tolist()


def _check_with(ts: TransitionSystem, **constants: int) -> None:
    """:func:`_check` with module constants of :mod:`attractor_set` changed."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in constants.items():
            patch.setattr(attractor_set, name, value)
        _check(ts)


@settings(max_examples=scaled(200))
@given(free_systems(max_state=6))
def test_sat_path(ts: TransitionSystem) -> None:
    # One seed: SAT finds most attractors itself.
    _check_with(ts, TABLE_BITS=0, SEED_STATES=1)


@settings(max_examples=scaled(100))
@given(free_systems(max_state=6))
def test_hand_over_to_the_lasso_engine(ts: TransitionSystem) -> None:
    _check_with(ts, TABLE_BITS=0, SEED_STATES=1, CLOSURE_LIMIT=0)


@settings(max_examples=scaled(100))
@given(free_systems(max_state=6))
def test_lifting_one_cycle_at_a_time(ts: TransitionSystem) -> None:
    _check_with(ts, LIFT_BITS=1)


def test_lifting_in_batches_keeps_the_order() -> None:
    """calzone: 97 attractors of periods 1 to 8, three bits dropped by the reduction. Lifted
    in batches of one, of a few, and all at once, the answers are the same list."""
    ts = compile_model(load(MODELS / "calzone_cellfate.bnet"))
    reduction = reduce_for_attractors(ts)
    assert reduction.dropped > 0
    cycles = [list(a.states) for a in attractors(reduction.system, Options()).attractors]
    cycles.reverse()  # not sorted by period
    assert len({len(c) for c in cycles}) > 3
    whole = attractor_set.lift(ts, reduction, cycles)
    for budget in (1, 40 * ts.num_state):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(attractor_set, "LIFT_BITS", budget)
            assert attractor_set.lift(ts, reduction, cycles) == whole
    assert [a.period for a in whole] == [len(c) for c in cycles]


def _layered() -> TransitionSystem:
    """Bits: c0 = 1 (constant), x = !x (a 2-cycle) and three bits that reach no cycle:
    c1 = c0 & x (level 1), y = x & c1 (level 2), z = !y (level 3)."""
    n = 5
    b = AigBuilder(2 * n)
    c0, c1, x, y, _z = (b.input(n + j) for j in range(n))
    next_state = (TRUE, b.and_(c0, x), x ^ 1, b.and_(x, c1), y ^ 1)
    return TransitionSystem(
        aig=b.build(),
        input_names=tuple(f"i{j}" for j in range(n)),
        state_names=("c0", "c1", "x", "y", "z"),
        init=tuple(b.input(j) for j in range(n)),
        next_state=next_state,
        print_=(),
        print_names=(),
    )


def test_reduction_of_a_layered_system() -> None:
    ts = _layered()
    reduction = reduce_for_attractors(ts)
    assert reduction.constants == ((0, True),)
    assert reduction.kept == (2,)
    assert reduction.dropped == 3 and reduction.settle == 3
    _check(ts)


@pytest.mark.parametrize("path", bnet_models(14))
def test_models_agree_with_the_explicit_engine(path: Path) -> None:
    ts = compile_model(load(path))
    assert attractors(ts, Options()).attractors == dynamics_explicit.analyse(ts).attractors


def _boolnet_answers() -> list[pytest.param]:
    out = []
    for line in BOOLNET.read_text().splitlines():
        row = json.loads(line)
        if row["status"] == "ok" and row["variables"] <= 62:
            out.append(pytest.param(row, id=Path(row["file"]).stem))
    return out


@pytest.mark.parametrize("row", _boolnet_answers())
def test_models_agree_with_boolnet(row: dict[str, object]) -> None:
    """BoolNet's recorded ``sat.exhaustive`` answers (bench/boolnet.py: states over our
    variable order), an oracle independent of this code."""
    ts = compile_model(load(MODELS / str(row["file"])))
    d = attractors(ts, Options(deadline=time.monotonic() + 120))
    assert d.complete, d.detail
    ours = {frozenset(a.states) for a in d.attractors}
    theirs = {frozenset(states) for states in row["states"]}  # type: ignore[union-attr]
    assert ours == theirs


def test_deadline_gives_an_incomplete_answer() -> None:
    ts = compile_model(load(MODELS / "bbm-002_SIGNAL-TRANSDUCTION-IN-FIBROBLASTS.bnet"))
    started = time.monotonic()
    d = attractors(ts, Options(deadline=time.monotonic() + 1))
    assert time.monotonic() - started < 10
    assert not d.complete and d.transient is None
