"""The translation registry: every (source, target) pair, the claimed relation written in one
meta line and proved by the equivalence checker, composition of relations, and errors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import scaled
from tests.strategies import bnl_programs, circuits, sc_programs
from verifier.checks.equiv import EquivOptions, check_equiv, stride_hint
from verifier.checks.verdict import VerdictKind
from verifier.errors import InputError
from verifier.formats.registry import load
from verifier.formula import Not, Var
from verifier.models import BnlProgram, Circuit, Head, Model, ScProgram
from verifier.translate import registry
from verifier.translate.registry import TARGETS, Relation, relation_of, translate

PASS = VerdictKind.PASS
SAME_KIND = {ScProgram: "sc", BnlProgram: "bnl", Circuit: "circ"}
RESULT_KIND = {
    "bnl": BnlProgram,
    "sc": ScProgram,
    "circ": Circuit,
    "circ-balanced": Circuit,
    "fully-open": BnlProgram,
}
EXAMPLE_FILES = ("small.sc", "parity4.bnl", "counter3.bnl", "parity4.circ")
SUFFIX_KIND = {".sc": "sc", ".bnl": "bnl", ".circ": "circ"}
PAIRS = [
    (name, target)
    for name in EXAMPLE_FILES
    for target in TARGETS
    if target != SUFFIX_KIND[Path(name).suffix]
]


ONE_HEAD = BnlProgram(heads=(Head("X", Not(Var("X")), False),), print_=("X",))


def targets_for(model: Model) -> list[str]:
    return [t for t in TARGETS if t != SAME_KIND[type(model)]]


def assert_claim_holds(source: Model, result: Model, relation: Relation, **options) -> None:
    """The claim of ``result``'s meta line, proved against ``source`` by ``verify equiv``."""
    verdict = check_equiv(source, result, EquivOptions(mode=relation.mode, **options))
    assert verdict.kind is PASS, verdict.detail
    if relation.mode == "async":
        # The stride is the one of the meta line, not one found by simulation.
        assert stride_hint(result) == (relation.stride, relation.offset)
        needle = f"stride {relation.stride}, offset {relation.offset} (from B's meta lines)"
        assert needle in verdict.detail


# ----------------------------------------------------------------------------- every pair


def test_the_pairs_cover_every_source_kind_and_target() -> None:
    assert len(PAIRS) == 4 * len(TARGETS) - 4
    assert {t for _, t in PAIRS} == set(TARGETS)


@pytest.mark.parametrize(("name", "target"), PAIRS)
def test_every_pair_states_and_keeps_its_claim(examples: Path, name: str, target: str) -> None:
    source = load(examples / name)
    done = translate(source, target, source_path=str(examples / name))
    assert isinstance(done.model, RESULT_KIND[target])
    assert done.steps[-1].target == target
    # BNL is the hub: one step from BNL or into BNL, two otherwise.
    assert len(done.steps) == (1 if isinstance(source, BnlProgram) or target == "bnl" else 2)
    names = "+".join(s.name for s in done.steps)
    theorems = "+".join(s.theorem for s in done.steps)
    assert done.model.meta == (
        f"translation={names} theorem={theorems} {done.relation}",
        f"source={examples / name}",
    )
    assert relation_of(done.model) == done.relation
    assert_claim_holds(source, done.model, done.relation)


def test_without_a_source_path_there_is_one_meta_line(examples: Path) -> None:
    done = translate(load(examples / "small.sc"), "bnl")
    assert done.model.meta == (
        "translation=sc-to-bnl theorem=2.1 relation=async stride=1 offset=1",
    )


def test_relations_fixed_by_the_theorems(examples: Path) -> None:
    """Theorem 2.1 SC to BNL: one round of delay; BNL to SC and 2.5: global; 2.6: stride =
    the circuit's depth."""
    small, parity, circuit = (
        load(examples / n) for n in ("small.sc", "parity4.bnl", "parity4.circ")
    )
    assert translate(small, "bnl").relation == Relation("async", 1, 1)
    for target in ("sc", "circ", "circ-balanced"):
        assert translate(parity, target).relation == Relation("global")
    assert translate(circuit, "bnl").relation == Relation("async", circuit.depth, 0)
    assert circuit.depth == 3


def test_source_meta_lines_are_replaced(examples: Path) -> None:
    """A model that is itself a translation: its old claim must not leak into the new one."""
    stale = replace(
        load(examples / "parity4.bnl"),
        meta=("translation=x theorem=9 relation=async stride=5 offset=4", "generator=y"),
    )
    done = translate(stale, "sc")
    assert done.relation == Relation("global")
    assert done.model.meta == ("translation=bnl-to-sc theorem=2.1 relation=global",)


# ----------------------------------------------------------------------------- chains


@pytest.mark.parametrize(
    ("name", "target", "steps"),
    [
        ("small.sc", "circ", ("sc-to-bnl", "bnl-to-circuit")),
        ("small.sc", "fully-open", ("sc-to-bnl", "fully-open")),
        ("parity4.circ", "fully-open", ("circuit-to-bnl", "fully-open")),
        ("parity4.circ", "circ-balanced", ("circuit-to-bnl", "bnl-to-circuit-balanced")),
    ],
)
def test_chains_go_through_bnl_and_compose(
    examples: Path, name: str, target: str, steps: tuple[str, ...]
) -> None:
    source = load(examples / name)
    done = translate(source, target)
    assert tuple(s.name for s in done.steps) == steps
    # The composed claim is the composition of the claims of the two steps, taken one by one.
    middle = translate(source, "bnl")
    onward = translate(middle.model, target)
    assert done.relation == middle.relation.then(onward.relation)
    assert done.model == replace(onward.model, meta=done.model.meta)
    assert_claim_holds(source, done.model, done.relation)


def test_composed_strides_of_the_examples(examples: Path) -> None:
    """The numbers: SC to BNL is t -> t+1, the circuit's Theorem 2.6 is t -> 3t; fully-open
    multiplies by its own stride."""
    small, circuit = load(examples / "small.sc"), load(examples / "parity4.circ")
    open_small = translate(translate(small, "bnl").model, "fully-open").relation
    assert translate(small, "fully-open").relation == Relation(
        "async", open_small.stride, open_small.stride + open_small.offset
    )
    open_circuit = translate(translate(circuit, "bnl").model, "fully-open").relation
    assert translate(circuit, "fully-open").relation == Relation(
        "async", 3 * open_circuit.stride, open_circuit.offset
    )
    assert translate(circuit, "circ-balanced").relation == Relation("async", 3, 0)


# ----------------------------------------------------------------------------- Relation.then

relations = st.one_of(
    st.just(Relation("global")),
    st.builds(Relation, st.just("async"), st.integers(1, 40), st.integers(0, 40)),
)


def as_map(relation: Relation) -> tuple[int, int]:
    """Output round t -> D*t + C; global keeps the output rounds (D, C) = (1, 0)."""
    return (1, 0) if relation.mode == "global" else (relation.stride, relation.offset)


@settings(max_examples=scaled(200))
@given(relations, relations)
def test_then_composes_the_round_maps(first: Relation, second: Relation) -> None:
    composed = first.then(second)
    (d1, c1), (d2, c2) = as_map(first), as_map(second)
    if first.mode == second.mode == "global":
        assert composed == Relation("global")
        return
    assert composed.mode == "async"
    assert (composed.stride, composed.offset) == (d1 * d2, d2 * c1 + c2)
    d, c = as_map(composed)
    for t in range(6):  # against the definition: round t of A -> d1*t+c1 of B -> ... of C
        assert d * t + c == d2 * (d1 * t + c1) + c2


@settings(max_examples=scaled(100))
@given(relations)
def test_global_is_neutral(relation: Relation) -> None:
    glob = Relation("global")
    assert glob.then(relation) == relation
    assert relation.then(glob) == relation


@settings(max_examples=scaled(100))
@given(relations, relations, relations)
def test_then_is_associative(a: Relation, b: Relation, c: Relation) -> None:
    assert a.then(b).then(c) == a.then(b.then(c))


# ----------------------------------------------------------------------------- relation_of


@settings(max_examples=scaled(100))
@given(relations, st.sampled_from(["", "translation=x theorem=2.1 "]))
def test_relation_of_reads_what_str_writes(relation: Relation, prefix: str) -> None:
    program = ONE_HEAD
    assert relation_of(program) is None
    program = replace(program, meta=("generator=parity n=3", f"{prefix}{relation}", "x=1"))
    assert relation_of(program) == relation


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("relation=async stride=4", Relation("async", 4, 0)),
        ("offset=2 relation=async stride=3", Relation("async", 3, 2)),
        ("relation=async", None),
        ("relation=async stride=x offset=1", None),
        ("stride=2 offset=1", None),
        ("relation=sync", None),
        ("relation=global stride=7 offset=1", Relation("global")),
    ],
)
def test_relation_of_lines(line: str, expected: Relation | None) -> None:
    assert relation_of(replace(ONE_HEAD, meta=(line,))) == expected


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", ["small.sc", "parity4.bnl", "parity4.circ"])
def test_a_same_kind_target_is_refused(examples: Path, name: str) -> None:
    model = load(examples / name)
    with pytest.raises(InputError, match=r"is already a \w+ model: nothing to translate"):
        translate(model, SAME_KIND[type(model)])


def test_an_unknown_target_is_refused(examples: Path) -> None:
    with pytest.raises(InputError, match="unknown target 'aig'; expected one of bnl, sc"):
        translate(load(examples / "parity4.bnl"), "aig")


def test_a_pair_with_no_route_is_refused(examples: Path, monkeypatch) -> None:
    """Without Theorem 2.6 a circuit has no way into BNL, so none to SC either."""
    steps = tuple(s for s in registry.STEPS if s.name != "circuit-to-bnl")
    monkeypatch.setattr(registry, "STEPS", steps)
    with pytest.raises(InputError, match="no translation from a self-feeding circuit to sc"):
        translate(load(examples / "parity4.circ"), "sc")


# ----------------------------------------------------------------------------- random models


def _translate_and_prove(model: Model, target: str) -> None:
    done = translate(model, target)
    assert relation_of(done.model) == done.relation
    assert_claim_holds(model, done.model, done.relation, engine="explicit")


@settings(max_examples=scaled(40))
@given(st.data())
def test_random_sc_programs(data: st.DataObject) -> None:
    model = data.draw(sc_programs())
    _translate_and_prove(model, data.draw(st.sampled_from(targets_for(model))))


@settings(max_examples=scaled(40))
@given(st.data())
def test_random_bnl_programs(data: st.DataObject) -> None:
    model = data.draw(bnl_programs())
    _translate_and_prove(model, data.draw(st.sampled_from(targets_for(model))))


@settings(max_examples=scaled(40))
@given(st.data())
def test_random_circuits(data: st.DataObject) -> None:
    model = data.draw(circuits())
    _translate_and_prove(model, data.draw(st.sampled_from(targets_for(model))))
