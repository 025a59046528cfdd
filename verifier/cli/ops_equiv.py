"""``verify ops equiv``: are two programs of the cost calculus equal on every input (over the
reals by z3, or in a floating-point system F(p, q, b) by enumeration), or within a tolerance
on an interval?"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction

from verifier.arith.floats import FloatSystem
from verifier.checks.verdict import Verdict
from verifier.cli.arguments import positive, seconds
from verifier.formats.source import read_source
from verifier.ops.equiv import (
    EXHAUSTIVE_LIMIT,
    REFERENCES,
    Program,
    Reference,
    ValuesCounterexample,
    check_equiv,
)
from verifier.ops.syntax import Library, parse_expression, parse_library, show

HELP = "prove two +, *, relu programs equal (reals or F(p, q, b)), or within a tolerance"
EPILOG = """\
P and Q are program texts starting with '(' (or numbers), names of definitions of --library,
or a named reference the language cannot express (a library definition of the same name
wins):
  inverse   (λ x. 1/x), defined for x != 0
  divide    (λ x y. x/y), defined for y != 0
Both must take the same number of arguments; the inputs are named after P's parameters.

--domain reals (default): z3 decides P(x) != Q(x) in nonlinear real arithmetic (relu as
  if-then-else; a reference is a fresh variable r with r * x = 1, the divisor != 0). PASS is
  a proof for all real inputs; FAIL gives an input where they differ, with both values
  computed again by exact rational evaluation; UNKNOWN only when --timeout runs out.
--domain float:p,q,b: every input tuple of F(p, q, b) (at most --limit of them), every + and *
  rounded half to even, saturated, flushed (DESIGN.md 2.8; a reference is the correctly
  rounded quotient); FAIL names the first differing input. Identities of the reals can fail
  here: (+ (+ x y) z) and (+ x (+ y z)) differ in F(3, 1, 2).
--interval a,b restricts every input to a <= x <= b (write --interval=-1,1 for a negative a).
--tolerance EPS proves |P(x) - Q(x)| <= EPS instead of equality (approximate equivalence).

Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

examples:
  verify ops equiv '(λ x. (+ (relu x) (* -1 (relu (* -1 x)))))' '(λ x. x)'
  verify ops equiv inv inverse --library encodings/ops/tech_tree.ops
  verify ops equiv inv inverse --library encodings/ops/tech_tree.ops --interval 1/2,3/2 \\
      --tolerance 1/2147483648
  verify ops equiv '(λ x y z. (+ (+ x y) z))' '(λ x y z. (+ x (+ y z)))' --domain float:3,1,2
  verify ops equiv max '(λ x y. (+ y (relu (+ x (* -1 y)))))' \\
      --library encodings/ops/tech_tree.ops --json
"""


def _domain(text: str) -> str | FloatSystem:
    if text == "reals":
        return "reals"
    prefix, _, rest = text.partition(":")
    parts = rest.split(",")
    if prefix != "float" or len(parts) != 3:
        raise argparse.ArgumentTypeError(f"expected reals or float:p,q,b, got {text!r}")
    try:
        return FloatSystem(*(int(part) for part in parts))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def _rational(text: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(
            f"expected a number such as 2, -1, 0.5 or 1/2, got {text!r}"
        ) from None


def _interval(text: str) -> tuple[Fraction, Fraction]:
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"expected a,b (e.g. 1/2,3/2), got {text!r}")
    low, high = (_rational(part) for part in parts)
    if low > high:
        raise argparse.ArgumentTypeError(f"empty interval {text!r}: {low} > {high}")
    return low, high


def _tolerance(text: str) -> Fraction:
    value = _rational(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"the tolerance must be >= 0, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("p", metavar="P", help="program text, library name or reference")
    parser.add_argument("q", metavar="Q", help="program text, library name or reference")
    parser.add_argument("--library", metavar="LIB", help="library file of (define ...) forms")
    parser.add_argument(
        "--domain",
        type=_domain,
        default="reals",
        metavar="reals|float:p,q,b",
        help="the reals (z3, default) or a floating-point system F(p, q, b) (every input)",
    )
    parser.add_argument("--interval", type=_interval, metavar="a,b", help="every input in [a, b]")
    parser.add_argument(
        "--tolerance", type=_tolerance, metavar="EPS", help="prove |P - Q| <= EPS instead"
    )
    parser.add_argument(
        "--timeout", type=seconds, metavar="S", help="give z3 at most S seconds (then UNKNOWN)"
    )
    parser.add_argument(
        "--limit",
        type=positive,
        default=EXHAUSTIVE_LIMIT,
        metavar="N",
        help=f"float domain: most input tuples to enumerate (default {EXHAUSTIVE_LIMIT})",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def program(text: str, library: Library, what: str) -> Program:
    """``text`` as a program: a program text, a number or a library name (parsed, errors at
    ``<P>:line:col``), or else the name of a reference."""
    stripped = text.strip()
    if stripped in REFERENCES and stripped not in library:
        return REFERENCES[stripped]
    return parse_expression(text, library, f"<{what}>")


def run(args: argparse.Namespace) -> int:
    library = parse_library(read_source(args.library), args.library) if args.library else Library()
    p = program(args.p, library, "P")
    q = program(args.q, library, "Q")
    verdict = check_equiv(
        p,
        q,
        library,
        domain=args.domain,
        interval=args.interval,
        tolerance=args.tolerance,
        timeout=args.timeout,
        limit=args.limit,
    )
    return print_equiv(verdict, p, q, args.json)


def _side(program: Program) -> str:
    return str(program) if isinstance(program, Reference) else show(program)


def print_equiv(verdict: Verdict, p: Program, q: Program, as_json: bool) -> int:
    """Print ``verdict`` (one JSON object, or text) and return its exit status."""
    if as_json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
        return verdict.exit_code
    lines = [f"{verdict.kind.value}  ({verdict.method})", verdict.detail]
    lines += [f"P: {_side(p)}", f"Q: {_side(q)}"]
    if isinstance(verdict.counterexample, ValuesCounterexample):
        lines += verdict.counterexample.lines()
    print("\n".join(lines))
    return verdict.exit_code
