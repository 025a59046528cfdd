"""Compile models (BNL, SC, circuits) to transition systems (DESIGN.md section 5).

The state bits are the global configuration of DESIGN.md 2.2-2.4 in order (heads, schema
variables, positions); the primary inputs are the model's inputs in order (input predicates,
proposition symbols, input positions). Formulas and gate trees are compiled with explicit
stacks (models can be thousands of levels deep); ``|`` and ``or`` become ANDs by De Morgan.

>>> from verifier.formula import Var, Not
>>> from verifier.models import BnlProgram, Head
>>> ts = compile_model(BnlProgram(heads=(Head("X", Not(Var("X"))),), print_=("X",)))
>>> ts.input_names, ts.state_names, ts.init, ts.next_state, ts.print_
(('X',), ('X',), (2,), (5,), (4,))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from verifier import formula as fm
from verifier.formula import Formula
from verifier.ir.aig import FALSE, TRUE, AigBuilder
from verifier.ir.system import TransitionSystem
from verifier.models import Model
from verifier.models.attention import Attention, AttentionAll, AttentionBits, AttentionRounds
from verifier.models.bnl import BnlProgram
from verifier.models.circuit import Circuit, GateExpr, GateRef
from verifier.models.sc import ScProgram

__all__ = ["compile_bnl", "compile_circuit", "compile_formula", "compile_model", "compile_sc"]

B = TypeVar("B", str, int)


def compile_formula(builder: AigBuilder, formula: Formula, env: Mapping[str, int]) -> int:
    """The literal of ``formula`` in ``builder`` when each name ``n`` is the literal ``env[n]``.

    Iterative (via :func:`verifier.formula.fold`); shared sub-formulas are compiled once and
    the builder's structural hashing merges equal ones.
    """

    def combine(node: Formula, kids: list[int]) -> int:
        if isinstance(node, fm.Var):
            return env[node.name]
        if isinstance(node, fm.Top):
            return TRUE
        if isinstance(node, fm.Bottom):
            return FALSE
        if isinstance(node, fm.Not):
            return kids[0] ^ 1
        if isinstance(node, fm.And):
            return builder.and_(kids[0], kids[1])
        if isinstance(node, fm.Or):
            return builder.or_(kids[0], kids[1])
        raise TypeError(f"unknown formula node {type(node).__name__}")

    return fm.fold(formula, combine)


def _compile_gate_expr(builder: AigBuilder, expr: GateExpr, env: Mapping[str, int]) -> int:
    """The literal of a gate expression tree (anonymous gates included), post-order by stack."""
    if isinstance(expr, GateRef):
        return env[expr.name]
    done: dict[int, int] = {}
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, GateRef):
            done[id(node)] = env[node.name]
        elif expanded:
            args = [done[id(a)] for a in node.args]
            if node.op == "and":
                done[id(node)] = builder.and_all(args)
            elif node.op == "or":
                done[id(node)] = builder.or_all(args)
            else:
                done[id(node)] = args[0] ^ 1
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args)
    return done[id(expr)]


def _output(
    builder: AigBuilder, attention: Attention, lit: Callable[[B], int]
) -> int | AttentionRounds:
    """The IR's output condition: TRUE, the OR of the attention bits, or the fixed rounds."""
    if isinstance(attention, AttentionAll):
        return TRUE
    if isinstance(attention, AttentionRounds):
        return attention
    if isinstance(attention, AttentionBits):
        return builder.or_all(lit(b) for b in attention.bits)
    raise TypeError(f"unknown output condition {attention!r}")


def _leaves(builder: AigBuilder, names: tuple[str, ...], offset: int) -> dict[str, int]:
    return {name: builder.input(offset + i) for i, name in enumerate(names)}


def compile_bnl(program: BnlProgram) -> TransitionSystem:
    """DESIGN.md 2.2: inputs = input predicates; state = heads; an input head starts at its
    input bit, others at their terminal value; next state = the iteration bodies."""
    inputs, heads = program.input_names, program.names
    builder = AigBuilder(len(inputs) + len(heads))
    input_lit = _leaves(builder, inputs, 0)
    state = _leaves(builder, heads, len(inputs))
    init = tuple(
        input_lit[h.name] if h.init is None else (TRUE if h.init else FALSE) for h in program.heads
    )
    next_state = tuple(compile_formula(builder, h.body, state) for h in program.heads)
    output = _output(builder, program.attention, state.__getitem__)
    assumptions = tuple(compile_formula(builder, a, input_lit) for a in program.assumptions)
    return TransitionSystem(
        aig=builder.build(),
        input_names=inputs,
        state_names=heads,
        init=init,
        next_state=next_state,
        print_=tuple(state[p] for p in program.print_),
        print_names=program.print_,
        output=output,
        assumptions=assumptions,
    )


def compile_sc(program: ScProgram) -> TransitionSystem:
    """DESIGN.md 2.3: inputs = proposition symbols, frozen for the run; state = schema
    variables, starting at their terminal bodies over the input; next state = iteration bodies
    over the state and the (still visible) proposition symbols."""
    props, names = program.props, program.names
    builder = AigBuilder(len(props) + len(names))
    prop_lit = _leaves(builder, props, 0)
    state = _leaves(builder, names, len(props))
    init = tuple(compile_formula(builder, v.terminal, prop_lit) for v in program.vars)
    env = {**prop_lit, **state}
    next_state = tuple(compile_formula(builder, v.body, env) for v in program.vars)
    output = _output(builder, program.attention, state.__getitem__)
    assumptions = tuple(compile_formula(builder, a, prop_lit) for a in program.assumptions)
    return TransitionSystem(
        aig=builder.build(),
        input_names=props,
        state_names=names,
        init=init,
        next_state=next_state,
        print_=tuple(state[p] for p in program.print_),
        print_names=program.print_,
        output=output,
        assumptions=assumptions,
    )


def compile_circuit(circuit: Circuit) -> TransitionSystem:
    """DESIGN.md 2.4: inputs = input positions; state = positions (named by their input
    gates); an input position starts at its input bit, an auxiliary one at its ``init``; next
    state of position i = output gate i over the input gates, which read the state."""
    input_names = circuit.input_names
    builder = AigBuilder(len(input_names) + circuit.n)
    input_lit = _leaves(builder, input_names, 0)
    env = _leaves(builder, circuit.inputs, len(input_names))
    state = [env[name] for name in circuit.inputs]
    init = tuple(
        input_lit[circuit.inputs[i]] if v is None else (TRUE if v else FALSE)
        for i, v in enumerate(circuit.init)
    )
    for gate in circuit.ordered_gates:
        env[gate.name] = _compile_gate_expr(builder, gate.expr, env)
    next_state = tuple(env[o] for o in circuit.outputs)
    output = _output(builder, circuit.attention, state.__getitem__)
    assumptions = tuple(compile_formula(builder, a, input_lit) for a in circuit.assumptions)
    return TransitionSystem(
        aig=builder.build(),
        input_names=input_names,
        state_names=circuit.inputs,
        init=init,
        next_state=next_state,
        print_=tuple(state[p] for p in circuit.print_),
        print_names=tuple(circuit.inputs[p] for p in circuit.print_),
        output=output,
        assumptions=assumptions,
    )


_COMPILERS: dict[type, Callable[..., TransitionSystem]] = {
    BnlProgram: compile_bnl,
    ScProgram: compile_sc,
    Circuit: compile_circuit,
}


def compile_model(model: Model) -> TransitionSystem:
    """The transition system of a BNL program, SC program or self-feeding circuit.

    Its traces equal the reference simulator's (:func:`verifier.reference.simulate`), which
    the differential tests check.
    """
    for cls, compiler in _COMPILERS.items():
        if isinstance(model, cls):
            return compiler(model)
    raise TypeError(f"cannot compile {type(model).__name__} to a transition system")
