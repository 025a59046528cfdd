"""Asynchronous comparison by enumeration (verifier.engines.explicit_async), DESIGN 2.5.

The brute-force reference runs :func:`verifier.reference.simulate` for many rounds and decides
finite vs infinite from the state lasso it sees itself; random models are compared with
themselves, with re-timed copies (delayed by a start flag, slowed down by a toggle) and with
small mutants, and the shared examples give the known answers.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import attentions, bnl_programs, circuits, formulas, sc_programs
from verifier.engines.base import Options
from verifier.engines.explicit_async import (
    Delay,
    OutputSequence,
    Verdict,
    compare_output_sequences,
    first_difference,
    output_phase,
)
from verifier.formats.registry import load
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.compile import compile_model
from verifier.ir.system import TransitionSystem, check
from verifier.models import (
    AttentionRounds,
    BnlProgram,
    Circuit,
    Progression,
    ScProgram,
)
from verifier.reference import satisfies_assumptions, simulate

Model = BnlProgram | ScProgram | Circuit

# round_sets() in tests/strategies.py: rounds <= 12, progression starts <= 6, steps 1..4. So
# from round 13 on, output rounds by the rounds alone repeat with a period dividing 12.
ROUNDS_SETTLED, ROUNDS_PERIOD = 13, 12


def models() -> st.SearchStrategy[Model]:
    return st.one_of(bnl_programs(), sc_programs(), circuits())


# --- re-timed copies ---------------------------------------------------------------------------


def retimed(ts: TransitionSystem, *, slow: bool) -> TransitionSystem:
    """A copy of ``ts`` with one extra state bit ``flag`` (initially 0).

    ``slow=False``: the flag turns 1 after round 0 and the copy stands still until then, so
    its round t+1 is round t of ``ts`` and round 0 is no output round (delay: t' = t + 1).
    ``slow=True``: the flag toggles and the copy steps only when it is 1, so its round 2t is
    round t of ``ts``; odd rounds are no output rounds (t' = 2t).
    """
    n, s = ts.num_inputs, ts.num_state
    b = AigBuilder(n + 1 + s)
    ins = [b.input(i) for i in range(n)]
    flag = b.input(n)
    xs = [b.input(n + 1 + j) for j in range(s)]
    f = b.embed(ts.aig, [*ins, *xs])
    next_state = [flag ^ 1 if slow else TRUE]
    next_state += [b.mux(flag, f(lit), x) for lit, x in zip(ts.next_state, xs, strict=True)]
    showing = flag ^ 1 if slow else flag
    if isinstance(ts.output, AttentionRounds):
        output: int | AttentionRounds = AttentionRounds(
            tuple(_retime_item(item, slow) for item in ts.output.items)
        )
    else:
        output = b.and_(showing, f(ts.output))
    result = TransitionSystem(
        aig=b.build(),
        input_names=ts.input_names,
        state_names=(_fresh("<flag>", ts.state_names), *ts.state_names),
        init=(FALSE, *(f(lit) for lit in ts.init)),
        next_state=tuple(next_state),
        print_=tuple(f(lit) for lit in ts.print_),
        print_names=ts.print_names,
        output=output,
        assumptions=tuple(f(lit) for lit in ts.assumptions),
    )
    check(result)
    return result


def _fresh(name: str, taken: tuple[str, ...]) -> str:
    while name in taken:
        name += "'"
    return name


def _retime_item(item: int | Progression, slow: bool) -> int | Progression:
    if isinstance(item, int):
        return 2 * item if slow else item + 1
    if slow:
        return Progression(2 * item.start, 2 * item.step)
    return Progression(item.start + 1, item.step)


# --- mutants -----------------------------------------------------------------------------------


@st.composite
def mutants(draw: st.DrawFn, model: Model) -> Model:
    """A small change of ``model`` keeping its inputs and print width: an iteration body,
    an initial value, the output condition or a print bit (often without effect)."""
    kind = draw(st.sampled_from(["body", "init", "attention", "print"]))
    if kind == "print" and model.print_:
        prints = list(model.print_)
        choices = list(range(len(model.inputs))) if isinstance(model, Circuit) else model.names
        prints[draw(st.integers(0, len(prints) - 1))] = draw(st.sampled_from(choices))
        if len(set(prints)) == len(prints):
            return replace(model, print_=tuple(prints))
    if isinstance(model, BnlProgram):
        names = list(model.names)
        if kind == "attention":
            return replace(model, attention=draw(attentions(names)))
        heads = list(model.heads)
        k = draw(st.integers(0, len(heads) - 1))
        if kind == "init" and heads[k].init is not None:
            heads[k] = replace(heads[k], init=not heads[k].init)
        else:
            heads[k] = replace(heads[k], body=draw(formulas(names, max_leaves=4)))
        return replace(model, heads=tuple(heads))
    if isinstance(model, ScProgram):
        names = list(model.names)
        if kind == "attention":
            return replace(model, attention=draw(attentions(names)))
        variables = list(model.vars)
        k = draw(st.integers(0, len(variables) - 1))
        if kind == "init":
            terminal = draw(formulas(list(model.props), max_leaves=3))
            variables[k] = replace(variables[k], terminal=terminal)
        else:
            body = draw(formulas(list(model.props) + names, max_leaves=4))
            variables[k] = replace(variables[k], body=body)
        return replace(model, vars=tuple(variables))
    positions = list(range(len(model.inputs)))
    if kind == "attention":
        return replace(model, attention=draw(attentions(positions)))
    k = draw(st.sampled_from(positions))
    if kind == "init" and model.init[k] is not None:
        init = list(model.init)
        init[k] = not init[k]
        return replace(model, init=tuple(init))
    defined = list(model.inputs) + [g.name for g in model.gates]
    outputs = list(model.outputs)
    outputs[k] = draw(st.sampled_from(defined))
    return replace(model, outputs=tuple(outputs))


# --- the brute-force reference -----------------------------------------------------------------


def reference_outputs(model: Model, bits: tuple[bool, ...]) -> tuple[list[tuple[int, str]], bool]:
    """The output rounds and prints within a long horizon, and whether the sequence is
    infinite (an output round within one full period after everything has settled)."""
    first = simulate(model, bits, 0)
    states = len(first[0].config)
    seen: dict[str, int] = {}
    for step in simulate(model, bits, 2**states):
        if step.config in seen:
            mu, lam = seen[step.config], step.round - seen[step.config]
            break
        seen[step.config] = step.round
    settled = max(mu, ROUNDS_SETTLED)
    window = ROUNDS_PERIOD * lam
    horizon = max(4 * 2**states + 8, settled + window)
    trace = simulate(model, bits, horizon)
    outputs = [(s.round, s.print) for s in trace if s.output]
    infinite = any(s.output for s in trace[settled : settled + window])
    return outputs, infinite


def reference_verdict(
    a: Model, b: Model, bits: tuple[bool, ...]
) -> tuple[bool, list[tuple[int, str]], list[tuple[int, str]]]:
    """(whether a difference shows within the horizon, A's outputs, B's outputs)."""
    (sa, ia), (sb, ib) = reference_outputs(a, bits), reference_outputs(b, bits)
    common = min(len(sa), len(sb))
    if any(sa[i][1] != sb[i][1] for i in range(common)) or ia != ib:
        return True, sa, sb
    return (not ia and len(sa) != len(sb)), sa, sb


def valid_inputs(a: Model, b: Model) -> list[tuple[bool, ...]]:
    n = len(a.input_names)
    return [
        bits
        for bits in itertools.product([False, True], repeat=n)
        if satisfies_assumptions(a, bits) and satisfies_assumptions(b, bits)
    ]


def check_against_reference(a: Model, b: Model) -> None:
    result = compare_output_sequences(compile_model(a), compile_model(b))
    inputs = valid_inputs(a, b)
    if result.verdict is Verdict.DIFFERENT:
        d = result.difference
        assert d is not None
        position = inputs.index(d.inputs)
        assert result.checked == position
        for bits in inputs[:position]:
            assert not reference_verdict(a, b, bits)[0], bits
        # The reported difference is real: replay far enough to see it.
        rounds = max(r for r in (d.round_a, d.round_b, 0) if r is not None)
        seqs = []
        for model, rnd, prt, length in (
            (a, d.round_a, d.print_a, d.length_a),
            (b, d.round_b, d.print_b, d.length_b),
        ):
            outputs, infinite = reference_outputs(model, d.inputs)
            outputs += [
                (s.round, s.print) for s in simulate(model, d.inputs, rounds + 1) if s.output
            ]
            outputs = sorted(set(outputs))
            assert infinite == (length is None)
            if rnd is None:
                assert length == d.index == len(outputs)
            else:
                assert outputs[d.index] == (rnd, prt)
            seqs.append([p for _, p in outputs])
        assert seqs[0][: d.index] == seqs[1][: d.index]
        assert d.round_a is None or d.round_b is None or d.print_a != d.print_b
    else:
        assert result.verdict is Verdict.EQUAL, result
        assert result.checked == len(inputs)
        for bits in inputs:
            shown, sa, sb = reference_verdict(a, b, bits)
            assert not shown, bits
            if result.delay is not None:
                d, c = result.delay.factor, result.delay.offset
                assert all(tb == d * ta + c for (ta, _), (tb, _) in zip(sa, sb, strict=False))


# --- tests -------------------------------------------------------------------------------------


@settings(max_examples=100)
@given(st.data())
def test_against_the_reference_on_mutants(data: st.DataObject) -> None:
    a = data.draw(models())
    b = data.draw(mutants(a))
    check_against_reference(a, b)


@settings(max_examples=60)
@given(models())
def test_a_model_equals_itself_and_its_retimed_copies(model: Model) -> None:
    ts = compile_model(model)
    same = compare_output_sequences(ts, ts)
    assert same.verdict is Verdict.EQUAL and same.checked == len(valid_inputs(model, model))
    has_output = same.detail.find("no output rounds") < 0
    expected = {(False,): (1, 1), (True,): (2, 0), (True, False): (2, 1), (False, True): (2, 2)}
    assert same.delay is not None
    assert (same.delay.factor, same.delay.offset) == (1, 0)
    for slows, (d, c) in expected.items():
        other = ts
        for slow in slows:
            other = retimed(other, slow=slow)
        forward = compare_output_sequences(ts, other)
        assert forward.verdict is Verdict.EQUAL
        assert forward.delay is not None
        if has_output and forward.delay.determined:
            assert (forward.delay.factor, forward.delay.offset) == (d, c)
            if forward.delay.determined and d == 1:
                backward = compare_output_sequences(other, ts)
                assert backward.delay == Delay(1, -c)


def test_shared_examples(examples) -> None:
    sc = compile_model(load(examples / "small.sc"))
    bnl = compile_model(load(examples / "small_from_sc.bnl"))
    result = compare_output_sequences(sc, bnl)
    assert result.verdict is Verdict.EQUAL and result.delay == Delay(1, 1)
    assert "t'_i = 1*t_i + 1" in result.detail
    bad = compile_model(load(examples / "parity4_bad.bnl"))
    circ = compile_model(load(examples / "parity4.circ"))
    result = compare_output_sequences(bad, circ)
    assert result.verdict is Verdict.DIFFERENT and result.difference is not None
    d = result.difference
    assert (d.inputs, d.index, d.round_a, d.round_b) == ((False, False, False, True), 0, 1, 3)
    assert (d.print_a, d.print_b) == ("0", "1")
    assert result.detail.startswith("input 0001: output 0 differs")
    good = compile_model(load(examples / "parity4.bnl"))
    result = compare_output_sequences(good, circ)
    assert result.verdict is Verdict.EQUAL and result.delay == Delay(1, 0)
    assert result.checked == 16


def seq(rounds: list[int], prints: str, prefix: int, period: int) -> OutputSequence:
    rows = np.array([[c == "1"] for c in prints], dtype=bool).reshape(len(prints), 1)
    return OutputSequence(np.array(rounds, dtype=np.int64), rows, prefix, period)


def test_sequences_compare_exactly() -> None:
    # 0 (10)^omega against (01)^omega: equal, however the cycles are cut.
    a = seq([0, 3, 4], "010", 1, 2)
    b = seq([0, 1], "01", 0, 2)
    assert first_difference(a, b) is None
    assert a.take(6)[0].tolist() == [0, 3, 4, 5, 6, 7]
    # A cycle of length 3 against one of length 2 over the same print: equal.
    assert first_difference(seq([0, 1, 2], "111", 0, 3), seq([5, 6], "11", 0, 2)) is None
    # The same prefix, but one sequence ends: they differ at its end.
    finite = seq([0, 1], "01", 2, 2)
    assert finite.length == 2 and first_difference(finite, b) == 2
    assert first_difference(finite, seq([0], "0", 1, 1)) == 1
    # A late difference in a long cycle is found.
    assert first_difference(seq([0, 1, 2, 3, 4], "00001", 0, 5), seq([0], "0", 0, 1)) == 4


def test_output_phase() -> None:
    rounds = AttentionRounds((3, Progression(5, 2), Progression(1, 3), 9))
    assert output_phase(rounds) == (10, 6)
    assert output_phase(AttentionRounds((0, 4))) == (5, 1)
    assert output_phase(TRUE) == (0, 1)


def counter_system(bits: int, inputs: int = 1) -> TransitionSystem:
    """A ``bits``-bit counter (lasso 2**bits rounds), output when it is 0, print bit 0."""
    b = AigBuilder(inputs + bits)
    cnt = [b.input(inputs + j) for j in range(bits)]
    nxt, carry = [], TRUE
    for j in range(bits):
        nxt.append(b.xor(cnt[j], carry))
        carry = b.and_(cnt[j], carry)
    zero = b.and_all(c ^ 1 for c in cnt)
    return TransitionSystem(
        aig=b.build(),
        input_names=tuple(f"i{i}" for i in range(inputs)),
        state_names=tuple(f"c{j}" for j in range(bits)),
        init=(FALSE,) * bits,
        next_state=tuple(nxt),
        print_=(cnt[0],),
        print_names=("c0",),
        output=zero,
    )


def test_long_lassos_and_delay_factor() -> None:
    short, long_ = counter_system(3), counter_system(6)
    result = compare_output_sequences(short, long_)
    assert result.verdict is Verdict.EQUAL  # both print 0 forever
    assert result.delay == Delay(8, 0)  # rounds 0, 8, 16, ... against 0, 64, 128, ...
    # A slowed down: rounds 0, 16, 32, ... against 0, 64, 128, ...
    mixed = compare_output_sequences(retimed(short, slow=True), long_)
    assert mixed.verdict is Verdict.EQUAL and mixed.delay == Delay(4, 0)


def test_deadline_and_limits() -> None:
    slow = counter_system(40, inputs=2)
    started = time.monotonic()
    result = compare_output_sequences(slow, slow, Options(deadline=time.monotonic() + 0.3))
    assert time.monotonic() - started < 2
    assert result.verdict is Verdict.UNKNOWN and "deadline" in result.detail
    assert result.checked == 0
    wide = counter_system(2, inputs=5)
    limited = compare_output_sequences(wide, wide, max_inputs=8)
    assert limited.verdict is Verdict.UNKNOWN and "2^5" in limited.detail
    with pytest.raises(ValueError, match="inputs"):
        compare_output_sequences(counter_system(2, 1), counter_system(2, 2))


def test_chunks_and_first_difference_order() -> None:
    # B prints its input bit 2 instead of bit 0 (A): they differ first on input 001.
    b = AigBuilder(3 + 1)
    x = [b.input(i) for i in range(3)]
    state = b.input(3)
    common = dict(
        input_names=("x0", "x1", "x2"), state_names=("s",), init=(FALSE,), next_state=(state,)
    )
    a_ts = TransitionSystem(aig=b.build(), print_=(x[0],), print_names=("p",), **common)
    b_ts = TransitionSystem(aig=b.build(), print_=(x[2],), print_names=("p",), **common)
    for chunk in (1, 3, 64):
        result = compare_output_sequences(a_ts, b_ts, chunk=chunk)
        assert result.difference is not None
        assert result.difference.inputs == (False, False, True)
        assert result.checked == 1
