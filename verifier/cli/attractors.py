"""``verify attractors``: every attractor reachable from a valid input, with a completeness
statement."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from verifier.checks.dynamics import (
    AttractorReport,
    FixedPointReport,
    attractors,
    fixed_points,
)
from verifier.cli.arguments import end_progress, positive
from verifier.cli.dynamics_common import add_common, max_period_argument, options_from
from verifier.formats.registry import load

HELP = "list all attractors (fixed points and cycles) reachable from valid inputs"
EPILOG = """\
Attractors are the cycles the runs of valid inputs end in (DESIGN.md 2.6), each listed as its
configurations in visiting order, starting at the smallest. For .bnet files every state is
initial, so this is the attractor set of the synchronous state-transition graph (BoolNet's
getAttractors(net, type="synchronous")). The answer says whether it is complete (every
attractor is listed, proved) or complete up to period P (--max-period P). Exit status 0
complete, 2 bad input, 3 incomplete.

examples:
  verify attractors counter3.bnl
  verify attractors faure_cellcycle.bnet --json
  verify attractors bbm-192_SEGMENT-POLARITY-6-CELL.bnet --max-period 4 --timeout 60
  verify attractors bbm-261_SARS-COV-2-HOST-INTERACTION.bnet --fixed-points --limit 10
  verify attractors bbm-243_RHEUMATOID-ARTHRITIS-MULTI-CELLULAR.bnet --fixed-points --json
"""

SHOWN = 50
"""Attractors printed in full in the text output (--json lists all)."""

FIXED_POINTS_LISTED = 1000
"""Fixed points listed by default with --fixed-points (the count does not depend on it)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    max_period_argument(parser)
    parser.add_argument(
        "--fixed-points",
        action="store_true",
        help="only the fixed points, counted exactly: when every state is initial (.bnet), BDDs"
        " and model counting (Ganak) race and the first answers, so that sets of 10^67 fixed"
        " points are counted, not listed; with --timeout, when neither finishes by its last"
        " second (last quarter when shorter), SAT lists fixed points in the rest (the count"
        " is then exact only if SAT lists them all)",
    )
    parser.add_argument(
        "--limit",
        type=positive,
        default=FIXED_POINTS_LISTED,
        metavar="N",
        help=f"with --fixed-points: list at most N of them (default {FIXED_POINTS_LISTED})",
    )


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    options = options_from(args, args.max_period)
    if args.fixed_points:
        fixed = fixed_points(model, options, args.limit)
        end_progress(options.progress)
        print(json.dumps(fixed.to_json()) if args.json else format_fixed_points(fixed))
        return fixed.exit_code
    report = attractors(model, options)
    end_progress(options.progress)
    print(json.dumps(report.to_json()) if args.json else format_report(report))
    return report.exit_code


def format_report(report: AttractorReport) -> str:
    """The text answer: a summary, the completeness statement and the attractors."""
    d = report.dynamics
    points = sum(1 for a in d.attractors if a.period == 1)
    cycles = len(d.attractors) - points
    periods = sorted({a.period for a in d.attractors if a.period > 1})
    summary = f"{points} fixed point{'s' * (points != 1)}, {cycles} cycle{'s' * (cycles != 1)}"
    if periods:
        summary += f" (periods {', '.join(map(str, periods))})"
    if d.complete:
        status = "complete: every attractor reachable from a valid input is listed"
        if d.transient is not None:
            status += f"; transient time {d.transient}"
    elif d.max_period is not None:
        status = f"complete up to period {d.max_period} only"
    else:
        status = "INCOMPLETE"
    lines = [f"{summary}; {status}", f"method: {d.method}", d.detail]
    lines.append(
        f"replayed through the reference simulator: {report.replayed} of {len(d.attractors)}"
    )
    lines.append("config bits: " + (" ".join(report.state_names) or "-"))
    for attractor in d.attractors[:SHOWN]:
        kind = "fixed point" if attractor.period == 1 else f"cycle of {attractor.period}"
        lines.append(f"  {kind:<12} {' -> '.join(attractor.states)}")
    if len(d.attractors) > SHOWN:
        lines.append(f"  ... and {len(d.attractors) - SHOWN} more (--json lists all)")
    return "\n".join(lines)


def _magnitude(count: int) -> str:
    """`` (about 3.9 * 10^67)`` for counts of more than ten digits, else nothing (Decimal:
    exact for any size, where a float overflows past 10^308)."""
    if count < 10**10:
        return ""
    mantissa, exponent = format(Decimal(count), ".1e").split("e")
    return f" (about {mantissa} * 10^{int(exponent)})"


def format_fixed_points(report: FixedPointReport) -> str:
    """The text answer of --fixed-points: the count, how it was shown, the listed states."""
    if report.count is None:
        head = "fixed points: UNKNOWN"
    else:
        head = f"{report.count} fixed point{'s' * (report.count != 1)}{_magnitude(report.count)}"
        head += "; complete: the count is exact" if report.complete else "; INCOMPLETE"
    lines = [head, f"method: {report.method}", report.detail]
    lines.append(
        f"replayed through the reference simulator: {report.replayed} of {len(report.states)}"
    )
    lines.append("config bits: " + (" ".join(report.state_names) or "-"))
    lines.extend(f"  fixed point  {state}" for state in report.states[:SHOWN])
    if len(report.states) > SHOWN:
        lines.append(f"  ... and {len(report.states) - SHOWN} more listed (--json lists them)")
    return "\n".join(lines)
