"""``verify halting``: prove a program halting in the paper's sense, or refute it."""

from __future__ import annotations

import argparse

from verifier.checks.dynamics import check_halting
from verifier.cli.arguments import end_progress
from verifier.cli.dynamics_common import add_common, options_from, print_verdict
from verifier.formats.registry import load

HELP = "prove that every valid input halts, with output rounds exactly at the fixed point"
EPILOG = """\
A program is halting (DESIGN.md 2.6) if every valid input reaches a fixed point, and round t
is an output round exactly when configuration t is a fixed point; its output is the print
string at the fixed point. PASS proves both for every valid input; FAIL shows an input that
loops, or one with an output round at a configuration that is not a fixed point (or the
reverse), with its trace. Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

examples:
  verify halting parity4.circ
  verify halting counter3.bnl --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    options = options_from(args)
    verdict = check_halting(model, options)
    end_progress(options.progress)
    return print_verdict(verdict, model.config_names, args.json)
