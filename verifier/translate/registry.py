"""The paper's Section 2 translations by target, and the relation each one claims.

======================  ==================  ================================================
source                  ``--to``            translation
======================  ==================  ================================================
SC program              ``bnl``             Theorem 2.1, SC to BNL (asynchronous, stride 1,
                                            offset 1)
BNL program             ``sc``              Theorem 2.1, BNL to SC (global)
BNL program             ``fully-open``      Theorem 2.2 (asynchronous, stride d, or d+1
                                            when an attention body has the largest depth)
BNL program             ``circ``            Theorem 2.5, formula-tree variant (global)
BNL program             ``circ-balanced``   Theorem 2.5 with Lemma 2.4 (global)
self-feeding circuit    ``bnl``             Theorem 2.6 (asynchronous, stride = depth)
======================  ==================  ================================================

Any other pair goes through BNL (an SC program ``--to circ`` is Theorem 2.1 then 2.5, a circuit
``--to fully-open`` is 2.6 then 2.2) and the claimed relations compose: global after global is
global, and output round t -> D1*t + C1 -> D2*(D1*t + C1) + C2.

Each translation writes its claim in one ``meta`` line of its result (``translation=... theorem=...
relation=global`` or ``relation=async stride=D offset=C``); :func:`translate` replaces the lines
of the steps by one line for the whole chain, followed by ``source=...`` when a source path is
given, so that ``verify equiv SRC OUT`` reads the stride hint (B's ``stride=D offset=C``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from verifier.errors import InputError
from verifier.models import BnlProgram, Circuit, Model, ScProgram
from verifier.translate.bnl_to_circuit import bnl_to_circuit, bnl_to_circuit_balanced
from verifier.translate.bnl_to_sc import bnl_to_sc
from verifier.translate.circuit_to_bnl import circuit_to_bnl
from verifier.translate.fully_open import fully_open
from verifier.translate.sc_to_bnl import sc_to_bnl

__all__ = ["TARGETS", "Relation", "Step", "Translated", "relation_of", "translate"]


@dataclass(frozen=True)
class Relation:
    """What a translation claims: ``global`` equivalence, or ``async`` with output round t of
    the source being output round ``stride*t + offset`` of the result."""

    mode: str
    stride: int = 1
    offset: int = 0

    def then(self, other: Relation) -> Relation:
        """This relation followed by ``other`` (source -> middle -> result)."""
        if self.mode == other.mode == "global":
            return self
        return Relation(
            "async", self.stride * other.stride, other.stride * self.offset + other.offset
        )

    def __str__(self) -> str:
        if self.mode == "global":
            return "relation=global"
        return f"relation=async stride={self.stride} offset={self.offset}"


@dataclass(frozen=True)
class Step:
    """One translation: source model type, target name, the function and its theorem."""

    source: type
    target: str
    function: Callable[..., Model]
    name: str
    theorem: str


STEPS = (
    Step(ScProgram, "bnl", sc_to_bnl, "sc-to-bnl", "2.1"),
    Step(BnlProgram, "sc", bnl_to_sc, "bnl-to-sc", "2.1"),
    Step(BnlProgram, "fully-open", fully_open, "fully-open", "2.2"),
    Step(BnlProgram, "circ", bnl_to_circuit, "bnl-to-circuit", "2.5"),
    Step(BnlProgram, "circ-balanced", bnl_to_circuit_balanced, "bnl-to-circuit-balanced", "2.5"),
    Step(Circuit, "bnl", circuit_to_bnl, "circuit-to-bnl", "2.6"),
)

TARGETS = ("bnl", "sc", "circ", "circ-balanced", "fully-open")

_KIND = {BnlProgram: "BNL program", ScProgram: "SC program", Circuit: "self-feeding circuit"}
_TARGET_KIND = {"bnl": BnlProgram, "sc": ScProgram, "circ": Circuit}


@dataclass(frozen=True)
class Translated:
    """The result of :func:`translate`: the model, the steps taken and the claimed relation."""

    model: Model
    steps: tuple[Step, ...]
    relation: Relation


def relation_of(model: Model) -> Relation | None:
    """The relation claimed in ``model``'s meta lines (as written by a translation)."""
    for line in model.meta:
        words = dict(w.partition("=")[::2] for w in line.split() if "=" in w)
        mode = words.get("relation")
        if mode == "global":
            return Relation("global")
        if mode == "async" and words.get("stride", "").isdigit():
            offset = words.get("offset", "0")
            return Relation("async", int(words["stride"]), int(offset) if offset.isdigit() else 0)
    return None


def _plan(source: type, target: str) -> tuple[Step, ...]:
    """The steps from a model of type ``source`` to ``target``: one, or two through BNL."""
    if target not in TARGETS:
        raise InputError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    if _TARGET_KIND.get(target) is source:
        raise InputError(f"a {_KIND[source]} is already a {target} model: nothing to translate")
    direct = [s for s in STEPS if s.source is source and s.target == target]
    if direct:
        return (direct[0],)
    if source is not BnlProgram:
        to_bnl = next((s for s in STEPS if s.source is source and s.target == "bnl"), None)
        onward = [s for s in STEPS if s.source is BnlProgram and s.target == target]
        if to_bnl is not None and onward:
            return (to_bnl, onward[0])
    raise InputError(f"no translation from a {_KIND[source]} to {target}")


def translate(model: Model, target: str, source_path: str | None = None) -> Translated:
    """``model`` translated to ``target`` (see the module docstring), with one meta line that
    states the whole chain's claimed relation (and ``source=PATH`` when given)."""
    steps = _plan(type(model), target)
    relation: Relation | None = None
    result = model
    for step in steps:
        result = step.function(result)
        claimed = relation_of(result)
        if claimed is None:  # pragma: no cover - every step writes its claim
            raise AssertionError(f"{step.name} wrote no relation= meta line")
        relation = claimed if relation is None else relation.then(claimed)
    assert relation is not None
    names = "+".join(s.name for s in steps)
    theorems = "+".join(s.theorem for s in steps)
    meta = [f"translation={names} theorem={theorems} {relation}"]
    if source_path is not None:
        meta.append(f"source={source_path}")
    return Translated(replace(result, meta=tuple(meta)), steps, relation)
