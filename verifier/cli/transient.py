"""``verify transient``: the exact transient time of a model, or a bound on it, proved."""

from __future__ import annotations

import argparse

from verifier.checks.dynamics import check_transient
from verifier.cli.arguments import end_progress, non_negative
from verifier.cli.dynamics_common import add_common, options_from, print_verdict
from verifier.formats.registry import load

HELP = "prove the transient time (rounds until every valid input is on its attractor)"
EPILOG = """\
The transient of an input is the least round t whose configuration lies on the run's cycle
(configuration t = configuration t+p for some p >= 1); the transient time of the model is
the maximum over valid inputs (DESIGN.md 2.6). Without --bound: PASS with the exact value,
an input attaining it, and a proof that no input takes longer. With --bound T: PASS if every
valid input is on its attractor by round T, else FAIL with an input still transient at round
T and its trace. Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

examples:
  verify transient parity4.circ
  verify transient counter3.bnl --bound 0 --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--bound", type=non_negative, metavar="T", help="claimed bound")


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    options = options_from(args)
    verdict = check_transient(model, args.bound, options)
    end_progress(options.progress)
    return print_verdict(verdict, model.config_names, args.json)
