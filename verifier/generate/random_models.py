"""Random BNL programs, SC programs and self-feeding circuits from a fixed seed.

The proof obligations of the translations (``proofs/translations.toml``) and the benchmark
``bench/translations.py`` need families of unstructured models at sizes far beyond what the
hypothesis strategies of the tests draw (1,000+ heads or gates), and they need the *same*
model every time: each function here is a pure function of its arguments (a private
:class:`random.Random` seeded with ``seed``), so an obligation names its model by its
parameters, e.g. ``generate = "random-bnl heads=1000 inputs=12 seed=1"``
(:mod:`verifier.generate.catalog`).

Every model has inputs, terminal values, print predicates and an attention predicate, so
that translations are exercised on all of their parts; bodies are random formulas over
``leaves`` leaves (each a possibly negated head), which keeps their depth near log2(leaves).
"""

from __future__ import annotations

import random

from verifier.formula import And, Formula, Not, Or, Top, Var
from verifier.models import (
    AttentionBits,
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateExpr,
    GateRef,
    Head,
    SchemaVar,
    ScProgram,
)

__all__ = ["random_bnl", "random_circuit", "random_sc"]


def _formula(rng: random.Random, atoms: list[str], leaves: int) -> Formula:
    """A random formula with ``leaves`` leaves drawn from ``atoms`` (balanced-ish shape)."""
    parts: list[Formula] = []
    for _ in range(leaves):
        leaf: Formula = Var(rng.choice(atoms))
        parts.append(Not(leaf) if rng.random() < 0.3 else leaf)
    while len(parts) > 1:
        i = rng.randrange(len(parts) - 1)
        left, right = parts[i], parts[i + 1]
        node: Formula = And(left, right) if rng.random() < 0.5 else Or(left, right)
        if rng.random() < 0.15:
            node = Not(node)
        parts[i : i + 2] = [node]
    return parts[0]


def _outputs(rng: random.Random, names: list[str]) -> tuple[tuple[str, ...], str]:
    """A few print predicates and one attention predicate."""
    prints = tuple(rng.sample(names, min(3, len(names))))
    return prints, rng.choice(names)


def random_bnl(heads: int, inputs: int, seed: int, leaves: int = 4) -> BnlProgram:
    """A BNL program with ``heads`` heads, the first ``inputs`` of them input predicates; the
    attention predicate is a non-input head when there is one."""
    if not 0 <= inputs <= heads or heads < 1:
        raise ValueError("expected 0 <= inputs <= heads and heads >= 1")
    if leaves < 1:
        raise ValueError(f"expected leaves >= 1, got {leaves}")
    rng = random.Random(seed)
    names = [f"x{i + 1}" for i in range(inputs)] + [f"h{i + 1}" for i in range(heads - inputs)]
    built = tuple(
        Head(name, _formula(rng, names, leaves), None if i < inputs else rng.random() < 0.5)
        for i, name in enumerate(names)
    )
    prints, attention = _outputs(rng, names[inputs:] or names)
    return BnlProgram(
        heads=built,
        print_=prints,
        attention=AttentionBits((attention,)),
        meta=(f"generator=random-bnl heads={heads} inputs={inputs} seed={seed} leaves={leaves}",),
    )


def random_sc(variables: int, props: int, seed: int, leaves: int = 4) -> ScProgram:
    """An SC program with ``variables`` schema variables over ``props`` proposition symbols."""
    if variables < 1 or props < 0:
        raise ValueError("expected variables >= 1 and props >= 0")
    if leaves < 1:
        raise ValueError(f"expected leaves >= 1, got {leaves}")
    rng = random.Random(seed)
    prop_names = [f"p{i + 1}" for i in range(props)]
    names = [f"v{i + 1}" for i in range(variables)]
    built = []
    for name in names:
        if prop_names:
            terminal = _formula(rng, prop_names, 2)
        else:
            terminal = Top() if rng.random() < 0.5 else Not(Top())
        built.append(SchemaVar(name, terminal, _formula(rng, prop_names + names, leaves)))
    prints, attention = _outputs(rng, names)
    return ScProgram(
        props=tuple(prop_names),
        vars=tuple(built),
        print_=prints,
        attention=AttentionBits((attention,)),
        meta=(
            f"generator=random-sc variables={variables} props={props} seed={seed} leaves={leaves}",
        ),
    )


def random_circuit(positions: int, inputs: int, gates: int, seed: int) -> Circuit:
    """A self-feeding circuit: ``positions`` positions (the first ``inputs`` are input
    positions), ``gates`` named gates of fan-in 1 to 3, each reading gates chosen uniformly
    among the earlier ones and the input gates (depth about e*ln(gates)), and each output
    gate one of the last ``positions`` gates (or an input gate)."""
    if not 0 <= inputs <= positions or positions < 1 or gates < 1:
        raise ValueError("expected 0 <= inputs <= positions, positions >= 1, gates >= 1")
    rng = random.Random(seed)
    names = [f"x{i + 1}" for i in range(inputs)] + [f"a{i + 1}" for i in range(positions - inputs)]
    available = list(names)
    defs: list[GateDef] = []
    for k in range(gates):
        args: list[GateExpr] = []
        for _ in range(rng.randint(1, 3)):
            ref: GateExpr = GateRef(rng.choice(available))
            args.append(GateApp("not", (ref,)) if rng.random() < 0.3 else ref)
        op = "not" if len(args) == 1 and rng.random() < 0.5 else rng.choice(("and", "or"))
        expr = GateApp(op, (args[0],)) if op == "not" else GateApp(op, tuple(args))
        name = f"g{k + 1}"
        defs.append(GateDef(name, expr))
        available.append(name)
    gate_names = [d.name for d in defs]
    outputs = (
        tuple(gate_names[-positions:])
        if gates >= positions
        else tuple((gate_names + names)[:positions])
    )
    init = tuple(None if i < inputs else rng.random() < 0.5 for i in range(positions))
    prints = tuple(sorted(rng.sample(range(positions), min(3, positions))))
    attention = rng.randrange(inputs, positions) if positions > inputs else 0
    return Circuit(
        inputs=tuple(names),
        outputs=outputs,
        gates=tuple(defs),
        init=init,
        print_=prints,
        attention=AttentionBits((attention,)),
        meta=(
            f"generator=random-circ positions={positions} inputs={inputs} gates={gates}"
            f" seed={seed}",
        ),
    )
