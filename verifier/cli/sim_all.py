"""``verify sim --all-inputs``: every valid input at once on the bit-parallel IR simulator."""

from __future__ import annotations

import argparse
import json

from verifier.errors import InputError
from verifier.ir.compile import compile_model
from verifier.ir.simulate import all_inputs, simulate
from verifier.models import Model


def run(model: Model, args: argparse.Namespace) -> int:
    """Simulate every input satisfying the assumptions for rounds 0..``args.rounds``.

    Text: one line per input with its output rounds and print strings. JSON: ``{"runs":
    [{"input": bits, "trace": [...]}, ...], "skipped": n}`` with the trace schema of ``sim``.
    """
    from verifier.cli.sim import trace_json

    if args.vcd:
        raise InputError("--vcd needs a single --input (one trace per file)")
    system = compile_model(model)
    count = 1 << system.num_inputs
    if count > args.max_inputs:
        raise InputError(
            f"{count} inputs ({system.num_inputs} input bits) exceed --max-inputs "
            f"{args.max_inputs}; raise it or simulate single inputs with --input"
        )
    inputs = all_inputs(system.num_inputs)
    result = simulate(system, inputs, args.rounds)
    runs = [r for r in range(result.k) if result.valid[r]]
    skipped = result.k - len(runs)
    bits = ["".join("1" if b else "0" for b in inputs[r]) for r in runs]
    if args.json:
        payload = {
            "runs": [
                {"input": b, "trace": trace_json(result.trace(r))}
                for b, r in zip(bits, runs, strict=True)
            ],
            "skipped": skipped,
        }
        print(json.dumps(payload))
        return 0
    print(
        f"{len(runs)} input(s), rounds 0..{args.rounds}"
        + (f", {skipped} skipped (violate assume lines)" if skipped else "")
    )
    print("input: output rounds as round:print")
    for b, r in zip(bits, runs, strict=True):
        outputs = [f"{s.round}:{s.print}" for s in result.trace(r) if s.output]
        print(f"{b or '(empty)'}: {' '.join(outputs) if outputs else '(no output round)'}")
    return 0
