"""What ``verify transient``, ``verify attractors`` and ``verify halting`` share: the
options, loading the model, and printing a verdict on one model."""

from __future__ import annotations

import argparse
import json

from verifier.checks.dynamics import ENGINE_NAMES, DynamicsOptions
from verifier.checks.verdict import RunCounterexample, Verdict
from verifier.cli.arguments import positive, progress_printer, seconds

__all__ = ["add_common", "format_run", "max_period_argument", "options_from", "print_verdict"]

ENGINE_HELP = (
    "explicit: every input, bit-parallel (complete; up to 2^20 inputs); sat: a "
    "counterexample-guided SAT loop (complete); auto (default): explicit up to 2^12 inputs; "
    "for attractors of .bnet models, a structural reduction, then the state graph or SAT "
    "(without the transient time)"
)


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="model: .bnl .sc .circ .bnet .aag .aig")
    parser.add_argument("--engine", choices=ENGINE_NAMES, default="auto", help=ENGINE_HELP)
    parser.add_argument("--timeout", type=seconds, metavar="S", help="give up after S seconds")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def options_from(args: argparse.Namespace, max_period: int | None = None) -> DynamicsOptions:
    return DynamicsOptions(
        engine=args.engine,
        timeout=args.timeout,
        max_period=max_period,
        progress=progress_printer(),
    )


def max_period_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-period",
        type=positive,
        metavar="P",
        help="with the SAT engine: list every attractor of period <= P even when the complete"
        " answer is out of reach",
    )


def print_verdict(verdict: Verdict, state_names: tuple[str, ...], as_json: bool) -> int:
    """Print ``verdict`` (JSON or text) and return its exit status."""
    if as_json:
        print(json.dumps(verdict.to_json()))
    else:
        lines = [f"{verdict.kind.value}  ({verdict.method})", verdict.detail]
        if isinstance(verdict.counterexample, RunCounterexample):
            lines.extend(format_run(verdict.counterexample, state_names))
        print("\n".join(lines))
    return verdict.exit_code


def format_run(cex: RunCounterexample, state_names: tuple[str, ...]) -> list[str]:
    """The input and the trace table, the decisive round marked."""
    lines = [f"input: {cex.input or '(none)'}", "config bits: " + (" ".join(state_names) or "-")]
    width = max([len("config"), *(len(s.config) for s in cex.trace)])
    lines.append(f"{'round':>5}  {'config':<{width}}  out  print")
    for step in cex.trace:
        mark = f"  <- {cex.reason}" if step.round == cex.round else ""
        out = "*" if step.output else ""
        lines.append(f"{step.round:>5}  {step.config:<{width}}  {out:^3}  {step.print}{mark}")
    return lines
