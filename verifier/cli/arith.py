"""``verify arith``: prove a generated integer arithmetic program correct for every input."""

from __future__ import annotations

import argparse

from verifier.checks.arith import METHODS, ArithOptions, check_arith
from verifier.cli.dynamics_common import print_verdict
from verifier.formats.registry import load

HELP = "prove an arithmetic program (meta arith line) correct for every valid input"
EPILOG = """\
The program's line 'meta arith op=<compare|add|sub|mul> encoding=int base=<b> digits=<n>
time=<T>' claims (DESIGN.md 2.7): its inputs are the one-hot encodings of x then y in
Z(n, b), and for every valid pair it is at a fixed point by round T, its output rounds are
exactly the fixed-point rounds, and its print string there encodes op(x, y). PASS proves this
for every valid pair; FAIL names the operands and the results as numbers ("x = -5, y = 7:
expected 2, program gives 3") with the trace, replayed by the reference simulator.
Methods: exhaustive (every valid pair, bit-parallel; up to 2^22 pairs); sat is not
implemented yet (UNKNOWN). Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

examples:
  verify arith add_b3_n2.bnl
  verify arith mul_b2_n3.bnl --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="program with a 'meta arith ...' line: .bnl .sc .circ")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="exhaustive: every valid input, bit-parallel (complete); sat: not implemented"
        " yet; auto (default): exhaustive when there are at most 2^22 valid pairs",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    verdict = check_arith(model, ArithOptions(method=args.method))
    return print_verdict(verdict, model.config_names, args.json)
