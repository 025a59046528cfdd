"""``verify arith``: prove a generated arithmetic program (integer or floating point) correct
for every valid input."""

from __future__ import annotations

import argparse

from verifier.checks.arith import EXHAUSTIVE_LIMIT, METHODS, ArithOptions, check_arith
from verifier.cli.arguments import non_negative, positive, seconds
from verifier.cli.dynamics_common import print_verdict
from verifier.formats.registry import load

HELP = "prove an arithmetic program (meta arith line) correct for every valid input"
EPILOG = """\
The program's line 'meta arith op=<compare|add|sub|mul> encoding=int base=<b> digits=<n>
time=<T>' claims (DESIGN.md 2.7): its inputs are the one-hot encodings of x then y in
Z(n, b), and for every valid pair it is at a fixed point by round T, its output rounds are
exactly the fixed-point rounds, and its print string there encodes op(x, y). Floating-point
programs say 'meta arith op=<fadd|fmul> encoding=float base=<b> p=<p> q=<q> time=<T>'
(DESIGN.md 2.8: normalized operands, the result rounded half to even, saturated, flushed);
one-operand programs op=fnormalize (a raw number of F*(raw_p, raw_q, b), Lemma 3.6) and
op=poly (pieces=..., Theorem 3.9) take x alone. PASS proves this for every valid input;
FAIL names the operands and the results as numbers ("x = -5, y = 7: expected 2, program
gives 3"; floats as the paper writes them, -0.101e+2) with the trace, replayed by the
reference simulator.

Methods (both prove the same statement; docs/arithmetic.md):
  exhaustive  every valid input simulated bit-parallel against the Python reference
              (complete; at most --limit pairs, default 2^22)
  sat         the program unrolled T+2 rounds beside a reference circuit (ripple-carry
              digits), one SAT miter, decided directly or by SAT sweeping; --split K
              (integer programs) cuts it into b^K cubes on x's K most significant
              digits, decided by --jobs processes; not for poly, whose inputs are the
              numbers of F(p, q, b), always few enough to simulate
  auto        exhaustive up to --limit pairs (fnormalize: --limit/64 raw inputs, each
              needing its own reference rounding), else sat (default)
A --timeout that passes gives UNKNOWN with the number of cubes proved.
Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

examples:
  verify arith add_b3_n2.bnl
  verify arith mul_b2_n3.bnl --json
  verify arith mul_b2_n12.bnl --method sat --timeout 600
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="program with a 'meta arith ...' line: .bnl .sc .circ")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="exhaustive, sat, or auto (default: exhaustive up to --limit valid pairs)",
    )
    parser.add_argument(
        "--limit",
        type=positive,
        default=EXHAUSTIVE_LIMIT,
        metavar="PAIRS",
        help=f"most valid pairs for the exhaustive method (default {EXHAUSTIVE_LIMIT})",
    )
    parser.add_argument(
        "--split",
        type=non_negative,
        default=0,
        metavar="K",
        help="SAT method: b^K cubes on x's K most significant digits (default 0: one)",
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=1,
        metavar="J",
        help="SAT method: processes deciding cubes (default 1)",
    )
    parser.add_argument(
        "--timeout", type=seconds, default=None, metavar="S", help="seconds (SAT method)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def run(args: argparse.Namespace) -> int:
    model = load(args.file)
    options = ArithOptions(
        method=args.method,
        limit=args.limit,
        split=args.split,
        jobs=args.jobs,
        timeout=args.timeout,
    )
    verdict = check_arith(model, options)
    return print_verdict(verdict, model.config_names, args.json)
