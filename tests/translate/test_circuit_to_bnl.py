"""Theorem 2.6 (self-feeding circuit to BNL) checked by the engines, not by eye."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import scaled
from tests.strategies import circuits
from verifier.checks.equiv import EquivOptions, check_equiv, stride_hint
from verifier.checks.verdict import VerdictKind
from verifier.formats import bnl_text
from verifier.formats.registry import load
from verifier.formula import Not
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Progression,
)
from verifier.models.circuit import GateExpr, iter_apps
from verifier.translate.circuit_to_bnl import circuit_to_bnl

ENGINES = ("explicit", "induction")


def _assert_async_equivalent(circuit: Circuit, engines: tuple[str, ...] = ENGINES) -> None:
    program = circuit_to_bnl(circuit)
    for engine in engines:
        verdict = check_equiv(circuit, program, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


@settings(max_examples=scaled(100))
@given(circuits())
def test_translation_is_asynchronously_equivalent(circuit) -> None:
    program = circuit_to_bnl(circuit)
    depth = max(1, circuit.depth)
    stride, offset = stride_hint(program)
    assert stride == depth and offset in (0, 1)
    assert program.input_names == circuit.input_names
    assert len(program.print_) == len(circuit.print_)
    assert bnl_text.loads(bnl_text.dumps(program)) == program
    edges = sum(len(a.args) for g in circuit.gates for a in iter_apps(g.expr))
    assert program.size <= 16 * circuit.size + 8 * circuit.n + 5 * depth + 10 * edges
    for engine in ENGINES:
        verdict = check_equiv(circuit, program, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.PASS, (engine, verdict.detail)


@st.composite
def deep_circuits(draw: st.DrawFn) -> Circuit:
    """A random circuit whose output gates are each fed through 0-4 extra ``not`` gates (as
    named gates or nested), so that heights differ and strides above 2 are common."""
    circuit = draw(circuits(max_positions=4, max_gates=5))
    gates = list(circuit.gates)
    outputs = []
    for i, out in enumerate(circuit.outputs):
        expr: GateExpr = GateRef(out)
        for k in range(draw(st.integers(0, 4))):
            if draw(st.booleans()):
                gates.append(GateDef(f"deep{i}_{k}", expr))  # 5+ characters: no clash
                expr = GateRef(f"deep{i}_{k}")
            expr = GateApp("not", (expr,))
        gates.append(GateDef(f"deep{i}", expr))
        outputs.append(f"deep{i}")
    return replace(circuit, gates=tuple(gates), outputs=tuple(outputs))


@settings(max_examples=scaled(60))
@given(deep_circuits())
def test_deeper_translations_are_asynchronously_equivalent(circuit) -> None:
    _assert_async_equivalent(circuit)


def test_parity_circuit(examples) -> None:
    circuit = load(examples / "parity4.circ")
    program = circuit_to_bnl(circuit)
    assert program.meta == (
        "translation=circuit-to-bnl theorem=2.6 relation=async stride=3 offset=0",
    )
    assert program.input_names == ("x1", "x2", "x3", "x4")
    assert program.print_ == ("x1",)
    _assert_async_equivalent(circuit)


def test_a_flipped_print_head_is_refuted(examples) -> None:
    circuit = load(examples / "parity4.circ")
    program = circuit_to_bnl(circuit)
    heads = tuple(
        replace(h, body=Not(h.body)) if h.name == program.print_[0] else h for h in program.heads
    )
    broken = replace(program, heads=heads)
    for engine in ENGINES:
        verdict = check_equiv(circuit, broken, EquivOptions(mode="async", engine=engine))
        assert verdict.kind is VerdictKind.FAIL, (engine, verdict.detail)
        assert verdict.counterexample is not None


def _mixed_circuit(attention, init=(None, None, False)) -> Circuit:
    """Depth 3, with gates whose arguments have different heights (0, 1 and 2)."""
    x, y, z = GateRef("x"), GateRef("y"), GateRef("z")
    gates = (
        GateDef("n", GateApp("not", (x,))),  # height 1
        GateDef("m", GateApp("and", (GateRef("n"), y))),  # height 2
        GateDef("ox", GateApp("or", (GateRef("m"), x, GateApp("and", ())))),  # height 3
        GateDef("oy", GateApp("and", (GateRef("n"), z))),  # height 2
        GateDef("oz", GateApp("or", (GateRef("m"), GateRef("n"), z))),  # height 3
    )
    return Circuit(
        inputs=("x", "y", "z"),
        outputs=("ox", "oy", "oz"),
        gates=gates,
        init=init,
        print_=(0, 2),
        attention=attention,
    )


def test_attention_on_an_input_position_is_delayed_by_one_round() -> None:
    circuit = _mixed_circuit(AttentionBits((2, 0)))
    program = circuit_to_bnl(circuit)
    assert stride_hint(program) == (3, 1)
    assert program.input_names == ("x", "y")
    _assert_async_equivalent(circuit)


def test_attention_on_auxiliary_positions_only_has_no_offset() -> None:
    circuit = _mixed_circuit(AttentionBits((2,)))
    assert stride_hint(circuit_to_bnl(circuit)) == (3, 0)
    _assert_async_equivalent(circuit)


def test_attention_all_and_rounds_are_scaled() -> None:
    for attention in (AttentionAll(), AttentionRounds((1, Progression(2, 3)))):
        circuit = _mixed_circuit(attention)
        program = circuit_to_bnl(circuit)
        assert stride_hint(program) == (3, 0)
        if isinstance(attention, AttentionRounds):
            assert program.attention == AttentionRounds((3, Progression(6, 9)))
        _assert_async_equivalent(circuit)


def test_depth_one_is_globally_equivalent() -> None:
    x, y = GateRef("x"), GateRef("y")
    circuit = Circuit(
        inputs=("x", "y"),
        outputs=("o", "x"),
        gates=(GateDef("o", GateApp("and", (x, y))),),
        init=(None, True),
        print_=(1,),
        attention=AttentionBits((0,)),
    )
    program = circuit_to_bnl(circuit)
    assert program.names == ("x", "y")
    assert stride_hint(program) == (1, 0)
    verdict = check_equiv(circuit, program, EquivOptions(mode="global"))
    assert verdict.kind is VerdictKind.PASS, verdict.detail


def test_names_do_not_clash() -> None:
    # Gate names that look like the generated ones: c[0], att.x, o.1.
    x = GateRef("x")
    gates = (
        GateDef("c[0]", GateApp("not", (x,))),
        GateDef("att.x", GateApp("not", (GateRef("c[0]"),))),
        GateDef("o.1", GateApp("and", (GateRef("att.x"), x))),
        GateDef("o", GateApp("or", (GateApp("and", (GateRef("o.1"), x)), x))),
    )
    circuit = Circuit(("x",), ("o",), gates, (None,), (0,), AttentionBits((0,)))
    program = circuit_to_bnl(circuit)
    assert len(set(program.names)) == len(program.names)
    assert bnl_text.loads(bnl_text.dumps(program)) == program
    _assert_async_equivalent(circuit)


def _chain(length: int, nested: bool) -> Circuit:
    """Position x is fed not^length(x): named gates g1..g<length>, or one nested expression."""
    if nested:
        expr = GateRef("x")
        for _ in range(length):
            expr = GateApp("not", (expr,))
        gates = (GateDef("g", expr),)
    else:
        gates = tuple(
            GateDef(f"g{k}", GateApp("not", (GateRef(f"g{k - 1}" if k > 1 else "x"),)))
            for k in range(1, length + 1)
        )
    return Circuit(("x",), (gates[-1].name,), gates, (None,), (0,), AttentionBits((0,)))


def test_deep_circuits_translate_without_recursion() -> None:
    for nested in (False, True):
        circuit = _chain(2000, nested)
        program = circuit_to_bnl(circuit)
        assert stride_hint(program) == (2000, 1)
        assert len(program.heads) == 1 + 2000 + 1999 + 1  # position, counter, gates, attention
        if not nested:  # parsing 4,000 clauses takes a second: once is enough
            assert bnl_text.loads(bnl_text.dumps(program)) == program


def test_short_chains_are_equivalent() -> None:
    for nested in (False, True):
        _assert_async_equivalent(_chain(7, nested))
