"""Value change dumps of traces (DESIGN.md 3.2), viewable in GTKWave or Surfer.

One timestamp per round. Each configuration bit is a 1-bit wire named after its head predicate,
schema variable or position; ``output_round`` marks output rounds and ``print`` holds the print
string as a vector (most significant bit = first print bit). Written with pyvcd.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO

from vcd import VCDWriter
from vcd.writer import Variable

from verifier.trace import Trace

__all__ = ["write_vcd"]

# VCD identifiers may not contain whitespace; brackets would read as bit selects in viewers.
_UNSAFE = re.compile(r"[^A-Za-z0-9_.$]")


def _signal_name(name: str) -> str:
    return _UNSAFE.sub("_", name)


def write_vcd(
    stream: TextIO,
    trace: Trace,
    bit_names: Sequence[str],
    *,
    scope: str = "model",
    also: Sequence[tuple[str, Trace, Sequence[str]]] = (),
) -> None:
    """Write ``trace`` to ``stream``; ``bit_names`` names the configuration bits in order.

    ``also`` adds more traces, each ``(scope, trace, bit_names)`` in a scope of its own (a
    counterexample shows both objects side by side).
    """
    runs = ((scope, trace, bit_names), *also)
    with VCDWriter(stream, timescale="1 ns", date="today", version="verifier") as writer:
        # Every variable is registered before the first change, and changes go in time order.
        signals = [_register(writer, name, run, names) for name, run, names in runs]
        for t in range(max(len(run) for _, run, _ in runs)):
            for (_, run, _), (wires, output, printed) in zip(runs, signals, strict=True):
                if t < len(run):
                    step = run[t]
                    for wire, bit in zip(wires, step.config, strict=True):
                        writer.change(wire, step.round, int(bit))
                    writer.change(output, step.round, int(step.output))
                    if printed is not None:
                        writer.change(printed, step.round, int(step.print, 2))


def _register(
    writer: VCDWriter, scope: str, trace: Trace, bit_names: Sequence[str]
) -> tuple[list[Variable], Variable, Variable | None]:
    """The wires of one scope: configuration bits, ``output_round`` and ``print``."""
    if trace and len(trace[0].config) != len(bit_names):
        raise ValueError("bit_names must name every configuration bit")
    wires = []
    used: set[str] = set()
    for name in bit_names:
        signal = _signal_name(name)
        while signal in used:
            signal += "_"
        used.add(signal)
        wires.append(writer.register_var(scope, signal, "wire", size=1))
    output = writer.register_var(scope, "output_round", "wire", size=1)
    width = len(trace[0].print) if trace else 0
    printed = writer.register_var(scope, "print", "wire", size=width) if width else None
    return wires, output, printed
