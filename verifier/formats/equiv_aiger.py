"""Models and equivalence checks as AIGER files for other model checkers (ABC), DESIGN.md 3.2.

Everything here is written in the *first-frame* form of :mod:`verifier.formats.aiger`
(section "Export for model checkers" there): a model's inputs are primary inputs read in
round 0 only, and every latch has reset 0 or 1, so a tool that treats uninitialised latches
as 0 (ABC does, silently) still sees exactly the model's runs. Three things can be written:

* :func:`model_sequential`: one model (BNL or SC program, circuit) with its print bits and
  attention bits as outputs (``print[k]=<name>``, ``attention[j]=<name>``) and, when it has
  assumptions, an output ``assumptions`` (1 iff the input satisfies them);
* :func:`miter_sequential`: the *miter* of two models, i.e. exactly the safety problem that
  ``verify equiv`` hands its engines (:mod:`verifier.checks.miter`): the two models side by
  side over shared inputs (named after A's), one output ``bad`` that is 1 in a round where
  they differ (global mode: configurations, output flags, or print strings in an output
  round; with a stride (D, C): output round t of A is not round D*t + C of B with the same
  print string) on an input satisfying both models' assumptions. For ABC's ``dprove``,
  ``pdr``, ``bmc3``: the models are equivalent iff the output is never 1;
* :func:`side_sequentials`: one file per model for ABC's ``dsec`` (which matches primary
  inputs and outputs *by name*): the primary inputs are A's inputs (B's renumbered through
  the alignment and given A's names), the outputs are ``config[i]=<name>`` (A's i-th
  configuration bit and the B bit aligned with it), ``output`` (the output-round flag) and
  ``print[k]=<name>`` (the k-th print bit in output rounds, 0 elsewhere), all forced to 0
  when the input violates either model's assumptions. The two files have equal outputs in
  every round iff the models are globally equivalent.

Alignment (by order, by name, through a renaming) is that of ``verify equiv``
(:func:`aligned_systems`).
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.checks.alignment import Alignment, NameMap, align
from verifier.checks.miter import PhaseMonitor, align_system, global_miter, stride_miter
from verifier.checks.replay import print_names
from verifier.errors import InputError
from verifier.formats.aiger import SequentialAig, problem_to_sequential
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.compile import compile_model
from verifier.ir.system import TransitionSystem
from verifier.models import AttentionBits, AttentionRounds, Circuit, Model

__all__ = [
    "AlignedSystems",
    "aligned_systems",
    "miter_sequential",
    "model_sequential",
    "side_sequentials",
]


@dataclass(frozen=True)
class AlignedSystems:
    """Two compiled models and how their bits are matched."""

    a: TransitionSystem
    b: TransitionSystem
    alignment: Alignment


def aligned_systems(
    a: Model, b: Model, name_map: NameMap | None = None, *, with_state: bool = True
) -> AlignedSystems:
    """Compile both models and align inputs, print bits and (``with_state``) configuration
    bits as ``verify equiv`` does; InputError when they cannot be matched."""
    name_map = name_map or NameMap()
    ts_a, ts_b = compile_model(a), compile_model(b)
    if (
        with_state
        and ts_a.num_state != ts_b.num_state
        and not (name_map.by_name or name_map.renaming)
    ):
        raise InputError(
            f"global equivalence compares configurations, but A has {ts_a.num_state} "
            f"heads/positions and B has {ts_b.num_state}: not comparable"
        )
    alignment = align(
        ts_a.input_names,
        ts_b.input_names,
        print_names(a),
        print_names(b),
        name_map,
        ts_a.state_names if with_state else None,
        ts_b.state_names if with_state else None,
    )
    return AlignedSystems(ts_a, ts_b, alignment)


def miter_sequential(
    a: Model,
    b: Model,
    name_map: NameMap | None = None,
    *,
    stride: tuple[int, int] | None = None,
) -> SequentialAig:
    """The miter of ``a`` and ``b`` with the single output ``bad`` (module docstring):
    global equivalence, or with ``stride = (D, C)`` asynchronous equivalence with that
    computation delay."""
    systems = aligned_systems(a, b, name_map, with_state=stride is None)
    if stride is None:
        problem = global_miter(systems.a, systems.b, systems.alignment)
    else:
        problem = stride_miter(systems.a, systems.b, systems.alignment, *stride)
    return problem_to_sequential(problem)


def side_sequentials(
    a: Model, b: Model, name_map: NameMap | None = None
) -> tuple[SequentialAig, SequentialAig]:
    """A and B as two files with name-matched inputs and outputs, for ``dsec`` (global
    equivalence; module docstring)."""
    systems = aligned_systems(a, b, name_map)
    alignment = systems.alignment
    assert alignment.state is not None
    ts_a, ts_b = systems.a, align_system(systems.b, alignment)
    config_names = tuple(f"config[{i}]={name}" for i, name in enumerate(ts_a.state_names))
    print_labels = tuple(f"print[{k}]={name}" for k, name in enumerate(ts_a.print_names))
    sides = []
    for ts, other, order in (
        (ts_a, ts_b, range(ts_a.num_state)),
        (ts_b, ts_a, alignment.state),
    ):
        sides.append(_side(ts, other, ts_a.input_names, tuple(order), config_names, print_labels))
    return sides[0], sides[1]


def _side(
    ts: TransitionSystem,
    other: TransitionSystem,
    input_names: tuple[str, ...],
    state_order: tuple[int, ...],
    config_names: tuple[str, ...],
    print_labels: tuple[str, ...],
) -> SequentialAig:
    """One model for ``dsec``: outputs config bits (in ``state_order``), the output flag and
    the print bits in output rounds, masked by both models' assumptions. ``ts`` and
    ``other`` have the same inputs in the same order."""
    monitor = PhaseMonitor.of(ts.output) if isinstance(ts.output, AttentionRounds) else None
    phases = monitor.size if monitor else 0
    constrained = bool(ts.assumptions or other.assumptions)
    n_in, n_state = ts.num_inputs, ts.num_state
    builder = AigBuilder(n_in + n_state + phases + int(constrained))
    inputs = [builder.input(i) for i in range(n_in)]
    state = [builder.input(n_in + j) for j in range(n_state)]
    phase = [builder.input(n_in + n_state + p) for p in range(phases)]
    lit = builder.embed(ts.aig, [*inputs, *state])
    init, next_state = [lit(x) for x in ts.init], [lit(x) for x in ts.next_state]
    latch_names = list(ts.state_names)
    if monitor is not None:
        init += [TRUE if p == 0 else FALSE for p in range(phases)]
        sources: list[list[int]] = [[] for _ in range(phases)]
        for p in range(phases):
            sources[monitor.advance(p)].append(phase[p])
        next_state += [builder.or_all(s) for s in sources]
        latch_names += [f"phase{p}" for p in range(phases)]
        output = builder.or_all(phase[p] for p in sorted(monitor.members))
    else:
        assert not isinstance(ts.output, AttentionRounds)
        output = lit(ts.output)
    valid = TRUE
    if constrained:
        valid = builder.input(n_in + n_state + phases)
        lit_other = builder.embed(
            other.aig, [*inputs, *[FALSE] * other.num_state], other.assumptions
        )
        assumptions = [lit(x) for x in ts.assumptions] + [lit_other(x) for x in other.assumptions]
        init.append(builder.and_all(assumptions))
        next_state.append(valid)
        latch_names.append("valid-inputs")
    output = builder.and_(output, valid)
    outputs = [builder.and_(state[j], valid) for j in state_order]
    outputs.append(output)
    outputs += [builder.and_(lit(x), output) for x in ts.print_]
    return SequentialAig(
        aig=builder.build(),
        input_names=input_names,
        latch_names=tuple(latch_names),
        init=tuple(init),
        next_state=tuple(next_state),
        outputs=tuple(outputs),
        output_names=(*config_names, "output", *print_labels),
    )


def model_sequential(model: Model) -> SequentialAig:
    """One model with its print bits and attention bits as outputs, like the circuit export
    of :mod:`verifier.formats.aiger`, for any model (compiled to the IR): the primary inputs
    are its inputs (input predicates, proposition symbols, input positions), the latches its
    configuration bits. Attention given as fixed rounds is not an output (it is the same for
    every input); it is noted in the comment section."""
    ts = compile_model(model)
    n_in, n_state = ts.num_inputs, ts.num_state
    constrained = bool(ts.assumptions)
    builder = AigBuilder(n_in + n_state + int(constrained))
    lit = builder.embed(ts.aig, [builder.input(i) for i in range(n_in + n_state)])
    outputs = [lit(x) for x in ts.print_]
    names = [f"print[{k}]={name}" for k, name in enumerate(ts.print_names)]
    attention = model.attention
    if isinstance(attention, AttentionBits):
        for j, bit in enumerate(attention.bits):
            index = bit if isinstance(model, Circuit) else ts.state_names.index(str(bit))
            outputs.append(lit(ts.state_lit(int(index))))
            names.append(f"attention[{j}]={ts.state_names[int(index)]}")
    init, next_state = [lit(x) for x in ts.init], [lit(x) for x in ts.next_state]
    latch_names = ts.state_names
    if constrained:
        valid = builder.input(n_in + n_state)
        init.append(builder.and_all(lit(x) for x in ts.assumptions))
        next_state.append(valid)
        latch_names += ("valid-inputs",)
        outputs.append(valid)
        names.append("assumptions")
    comments = ["init-as-inputs: primary input k is the round-0 value of input k (`verify`"]
    comments[0] += " does not read this form back)"
    if isinstance(attention, AttentionRounds):
        comments.append(f"output rounds (not expressed by the outputs): {attention}")
    return SequentialAig(
        aig=builder.build(),
        input_names=ts.input_names,
        latch_names=latch_names,
        init=tuple(init),
        next_state=tuple(next_state),
        outputs=tuple(outputs),
        output_names=tuple(names),
        comments=tuple(comments),
    )
