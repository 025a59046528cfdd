"""The numpy bit-parallel simulator against a plain-Python run of the same transition system."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tests.example_models import counter3, parity4_circ, small_sc
from tests.strategies import transition_systems
from verifier.ir.aig import Aig
from verifier.ir.compile import compile_model
from verifier.ir.simulate import (
    BitSimulator,
    all_inputs,
    num_words,
    pack,
    simulate,
    step,
    unpack,
)
from verifier.ir.system import TransitionSystem
from verifier.models import AttentionRounds


def python_run(ts: TransitionSystem, bits: list[bool], rounds: int) -> list[tuple]:
    """Per round: (config, output, print) by :meth:`Aig.evaluate`, one input at a time."""
    aig: Aig = ts.aig
    inputs = [int(b) for b in bits]
    zero = [0] * ts.num_state
    values = aig.evaluate(inputs + zero)
    state = [aig.value(values, lit) for lit in ts.init]
    run = []
    for t in range(rounds + 1):
        values = aig.evaluate(inputs + state)
        if isinstance(ts.output, AttentionRounds):
            out = ts.output.is_output_round(t)
        else:
            out = bool(aig.value(values, ts.output))
        prints = tuple(aig.value(values, lit) for lit in ts.print_)
        run.append((tuple(state), out, prints))
        state = [aig.value(values, lit) for lit in ts.next_state]
    return run


@given(transition_systems(), st.data())
def test_bit_parallel_equals_plain_python(ts: TransitionSystem, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, 70))  # more than one word, and the empty batch
    inputs = data.draw(hnp.arrays(bool, (k, ts.num_inputs)))
    result = simulate(ts, inputs, 6)
    assert result.configs.shape == (7, k, ts.num_state)
    assert result.outputs.shape == (7, k) and result.prints.shape == (7, k, len(ts.print_))
    for row in range(k):
        expected = python_run(ts, list(inputs[row]), 6)
        got = [
            (
                tuple(int(b) for b in result.configs[t, row]),
                bool(result.outputs[t, row]),
                tuple(int(b) for b in result.prints[t, row]),
            )
            for t in range(7)
        ]
        assert got == expected
        values = ts.aig.evaluate([int(b) for b in inputs[row]] + [0] * ts.num_state)
        assert result.valid[row] == all(ts.aig.value(values, a) for a in ts.assumptions)


@given(transition_systems(), st.data())
def test_step_is_one_round(ts: TransitionSystem, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 130))
    inputs = data.draw(hnp.arrays(bool, (k, ts.num_inputs)))
    states = data.draw(hnp.arrays(bool, (k, ts.num_state)))
    got = unpack(step(ts, pack(states), pack(inputs)), k)
    for row in range(k):
        values = ts.aig.evaluate([int(b) for b in inputs[row]] + [int(b) for b in states[row]])
        assert [bool(b) for b in got[row]] == [ts.aig.value(values, x) for x in ts.next_state]


@given(hnp.arrays(bool, st.tuples(st.integers(0, 200), st.integers(0, 5))))
def test_pack_unpack_round_trip(bits: np.ndarray) -> None:
    words = pack(bits)
    assert words.dtype == np.uint64 and words.shape == (bits.shape[1], num_words(bits.shape[0]))
    assert np.array_equal(unpack(words, bits.shape[0]), bits)


def test_pack_layout_run_r_is_bit_r() -> None:
    bits = np.zeros((70, 1), dtype=bool)
    bits[[0, 3, 64, 69], 0] = True
    assert pack(bits).tolist() == [[0b1001, 0b100001]]


def test_all_inputs_is_lexicographic() -> None:
    assert all_inputs(0).shape == (1, 0)
    rows = ["".join("1" if b else "0" for b in r) for r in all_inputs(3)]
    assert rows == sorted(rows) == [format(i, "03b") for i in range(8)]
    assert np.array_equal(all_inputs(5, start=7, count=9), all_inputs(5)[7:16])
    assert all_inputs(40, start=2**40 - 1).tolist() == [[True] * 40]
    for bad in ({"n": 63}, {"n": 3, "start": 9}, {"n": 3, "count": 9}, {"n": 40}):
        with pytest.raises(ValueError):
            all_inputs(**bad)


def test_simulator_object_is_reusable_and_steps_match_simulate() -> None:
    ts = compile_model(parity4_circ())
    sim = BitSimulator(ts)
    inputs = all_inputs(4)
    result = simulate(sim, inputs, 4)
    state, valid = sim.initial(pack(inputs))
    assert np.array_equal(unpack(state, 16), result.configs[0]) and unpack(valid[None], 16).all()
    for t in range(4):
        state = step(sim, state, pack(inputs))
        assert np.array_equal(unpack(state, 16), result.configs[t + 1])
    assert sim.num_step_gates > 0 and sim.num_levels > 0


def test_record_configs_false_keeps_the_last_configuration() -> None:
    ts = compile_model(counter3())
    full = simulate(ts, all_inputs(0), 7)
    last = simulate(ts, all_inputs(0), 7, record_configs=False)
    assert last.configs.shape == (1, 1, 3)
    assert np.array_equal(last.configs[0], full.configs[7])
    assert np.array_equal(last.outputs, full.outputs) and np.array_equal(last.prints, full.prints)


def test_attention_rounds_are_the_same_for_every_input() -> None:
    ts = compile_model(small_sc())
    rounds = AttentionRounds((0, 3))
    result = simulate(replace(ts, output=rounds), all_inputs(2), 4)
    assert result.outputs.tolist() == [[r in (0, 3)] * 4 for r in range(5)]


def test_bad_shapes_are_rejected() -> None:
    ts = compile_model(parity4_circ())
    with pytest.raises(ValueError, match="shape"):
        simulate(ts, np.zeros((2, 3), dtype=bool), 1)
    with pytest.raises(ValueError, match="rounds"):
        simulate(ts, all_inputs(4), -1)
    sim = BitSimulator(ts)
    with pytest.raises(ValueError, match="input rows"):
        sim.step(np.zeros((5, 1), dtype=np.uint64), np.zeros((3, 1), dtype=np.uint64))
    with pytest.raises(ValueError, match="state words"):
        sim.step(np.zeros((4, 1), dtype=np.uint64), np.zeros((4, 1), dtype=np.uint64))


@given(transition_systems(), st.data())
def test_chunking_does_not_change_results(ts: TransitionSystem, data: st.DataObject) -> None:
    inputs = data.draw(hnp.arrays(bool, (data.draw(st.integers(0, 200)), ts.num_inputs)))
    whole = simulate(ts, inputs, 3)
    for record in (True, False):
        chunked = simulate(ts, inputs, 3, chunk_words=1, record_configs=record)
        assert np.array_equal(chunked.state_words, whole.state_words[-len(chunked.state_words) :])
        assert np.array_equal(chunked.output_words, whole.output_words)
        assert np.array_equal(chunked.print_words, whole.print_words)
        assert np.array_equal(chunked.valid_words, whole.valid_words)
