"""``verify sim``: simulate a model on one input (reference simulator) or on all inputs (IR)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from verifier import reference
from verifier.cli.arguments import non_negative
from verifier.errors import InputError
from verifier.formats.registry import load
from verifier.formats.vcd import write_vcd
from verifier.models import Model
from verifier.trace import Trace

HELP = "simulate a model round by round"
EPILOG = """\
One input (--input BITS, one bit per input predicate / proposition / input position, in order)
is run by the reference simulator and printed as a table: round, global configuration, '*' on
output rounds, print string. --all-inputs runs every input that satisfies the model's
assumptions with the bit-parallel simulator and prints each one's output rounds and prints.

examples:
  verify sim parity4.circ --input 0110 --rounds 3
  verify sim counter3.bnl --rounds 5 --json
  verify sim parity4.bnl --input 0110 --rounds 4 --vcd parity.vcd
  verify sim parity4.circ --all-inputs --rounds 4
"""

DEFAULT_ROUNDS = 10
DEFAULT_MAX_INPUTS = 1 << 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="model file (.bnl .sc .circ .bnet .aag .aig)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--input", "-i", metavar="BITS", help="input bits, e.g. 0110")
    source.add_argument(
        "--all-inputs", action="store_true", help="simulate every valid input (bit-parallel)"
    )
    parser.add_argument(
        "--rounds",
        "-n",
        type=non_negative,
        default=DEFAULT_ROUNDS,
        metavar="N",
        help=f"simulate rounds 0..N (default {DEFAULT_ROUNDS})",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--vcd", metavar="OUT", help="also write the trace as a VCD file")
    parser.add_argument("--force", action="store_true", help="overwrite an existing --vcd file")
    parser.add_argument(
        "--max-inputs",
        type=non_negative,
        default=DEFAULT_MAX_INPUTS,
        metavar="K",
        help=f"with --all-inputs: refuse more than K inputs (default {DEFAULT_MAX_INPUTS})",
    )


def parse_input_bits(text: str | None, model: Model) -> tuple[bool, ...]:
    """The input bits of ``text`` for ``model``; InputError naming the inputs if malformed."""
    names = model.input_names
    if text is None:
        if names:
            raise InputError(
                f"--input is required: {len(names)} input bit(s) for {' '.join(names)} "
                "(or use --all-inputs)"
            )
        text = ""
    if any(c not in "01" for c in text):
        raise InputError(f"--input must be a string of 0s and 1s, got {text!r}")
    if len(text) != len(names):
        listed = " ".join(names) if names else "(none)"
        raise InputError(
            f"--input has {len(text)} bit(s) but the model has {len(names)} input(s): {listed}"
        )
    return tuple(c == "1" for c in text)


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    if args.all_inputs:
        from verifier.cli import sim_all

        return sim_all.run(model, args)
    bits = parse_input_bits(args.input, model)
    if not reference.satisfies_assumptions(model, bits):
        print(
            "verify sim: warning: this input violates the model's assume lines; "
            "checks never consider it",
            file=sys.stderr,
        )
    trace = reference.simulate(model, bits, args.rounds)
    if args.vcd:
        write_vcd_file(Path(args.vcd), trace, model.config_names, force=args.force)
    if args.json:
        print(json.dumps({"trace": trace_json(trace)}))
    else:
        print(format_table(trace, model.config_names))
    return 0


def trace_json(trace: Trace) -> list[dict[str, object]]:
    """The ``trace`` list of DESIGN.md section 4."""
    return [
        {"round": s.round, "config": s.config, "output": s.output, "print": s.print} for s in trace
    ]


def format_table(trace: Trace, config_names: Sequence[str]) -> str:
    """A table with one line per round; ``*`` marks output rounds."""
    width = max(len("config"), len(trace[0].config) if trace else 0)
    lines = [
        "config bits: " + (" ".join(config_names) if config_names else "(none)"),
        f"{'round':>5}  {'config':<{width}}  out  print",
    ]
    for step in trace:
        mark = "*" if step.output else ""
        lines.append(f"{step.round:>5}  {step.config:<{width}}  {mark:^3}  {step.print}")
    return "\n".join(lines)


def write_vcd_file(path: Path, trace: Trace, names: Sequence[str], *, force: bool) -> None:
    """Write the VCD of ``trace`` to ``path``, refusing to replace a file unless ``force``."""
    if path.exists() and not force:
        raise InputError(f"{path}: file exists; refusing to overwrite it (use --force)")
    try:
        with path.open("w", encoding="utf-8") as stream:
            write_vcd(stream, trace, names)
    except OSError as err:
        raise InputError(f"{path}: cannot write: {err.strerror}") from None
