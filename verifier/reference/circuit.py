"""Reference simulator of self-feeding circuits, straight from DESIGN.md 2.4 (paper Section 2.3).

Round 0: input positions hold the input bits, auxiliary positions their ``init`` value.
Round t+1: position i holds output gate i evaluated on the round-t configuration, which feeds
the input gates. Every gate as written (named or anonymous) is evaluated exactly once per round,
in a topological order fixed once per circuit; nothing recurses on the circuit's depth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.models.circuit import Circuit, GateExpr, GateRef
from verifier.reference.common import check_rounds, make_step, parse_inputs
from verifier.trace import Trace

__all__ = ["Netlist", "initial_config", "netlist", "simulate_circuit", "successor"]


@dataclass(frozen=True, slots=True)
class Netlist:
    """A circuit flattened into slots: slot i < n is input gate i; slot n + j is ``gates[j]``,
    an ``(op, argument slots)`` pair, listed so that every argument comes before its gate;
    ``outputs[i]`` is the slot of output gate i (an alias shares the slot it names)."""

    n: int
    gates: tuple[tuple[str, tuple[int, ...]], ...]
    outputs: tuple[int, ...]


def _flatten(expr: GateExpr, slot: dict[str, int], gates: list, base: int) -> int:
    """Append the gates of ``expr`` (arguments first) and return the slot of its root."""
    if isinstance(expr, GateRef):
        return slot[expr.name]
    done: dict[int, int] = {}
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, GateRef):
            done[id(node)] = slot[node.name]
        elif expanded:
            gates.append((node.op, tuple(done[id(a)] for a in node.args)))
            done[id(node)] = base + len(gates) - 1
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in reversed(node.args))
    return done[id(expr)]


def netlist(circuit: Circuit) -> Netlist:
    """Flatten ``circuit`` (named definitions in a topological order of their references)."""
    slot = {name: i for i, name in enumerate(circuit.inputs)}
    gates: list[tuple[str, tuple[int, ...]]] = []
    for gate in circuit.ordered_gates:
        slot[gate.name] = _flatten(gate.expr, slot, gates, circuit.n)
    return Netlist(circuit.n, tuple(gates), tuple(slot[o] for o in circuit.outputs))


def evaluate(net: Netlist, config: Sequence[bool]) -> tuple[bool, ...]:
    """The output gates' values when the input gates hold ``config``."""
    values = [*config, *([False] * len(net.gates))]
    for j, (op, args) in enumerate(net.gates, start=net.n):
        if op == "and":
            values[j] = all(values[a] for a in args)  # and() = 1
        elif op == "or":
            values[j] = any(values[a] for a in args)  # or() = 0
        else:
            values[j] = not values[args[0]]
    return tuple(values[o] for o in net.outputs)


def initial_config(circuit: Circuit, inputs: str | Sequence[bool]) -> tuple[bool, ...]:
    """The round-0 configuration: input bits at input positions, ``init`` elsewhere."""
    bits = iter(parse_inputs(inputs, circuit.input_names, "input position"))
    return tuple(next(bits) if v is None else v for v in circuit.init)


def successor(circuit: Circuit, config: Sequence[bool]) -> tuple[bool, ...]:
    """The configuration of round t+1 given that of round t."""
    return evaluate(netlist(circuit), config)


def simulate_circuit(circuit: Circuit, inputs: str | Sequence[bool], rounds: int) -> Trace:
    """The steps of rounds ``0..rounds`` (inclusive) of ``circuit`` on ``inputs``.

    ``inputs`` has one bit per input position (positions without ``init``), in position order;
    a wrong length raises :class:`~verifier.reference.common.InvalidInputError` (a ValueError).
    """
    check_rounds(rounds)
    net = netlist(circuit)
    config = initial_config(circuit, inputs)
    steps = []
    for t in range(rounds + 1):
        steps.append(make_step(t, config, config.__getitem__, circuit.print_, circuit.attention))
        if t < rounds:
            config = evaluate(net, config)
    return tuple(steps)
