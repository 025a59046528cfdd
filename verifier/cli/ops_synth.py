"""``verify ops synth`` (the cheapest program equal to a target, proved by z3) and ``verify ops
cause`` (the essay's causality degree of F on G), both :mod:`verifier.ops.synth`."""

from __future__ import annotations

import argparse
import json
import re
from fractions import Fraction

from verifier.cli.arguments import non_negative, positive, seconds
from verifier.errors import InputError
from verifier.formats.source import read_source
from verifier.ops.syntax import Expr, Library, Sym, parse_expression, parse_library
from verifier.ops.synth import DEFAULT_CONSTANTS, SynthResult, cause, synthesize, usable_primitives

__all__ = [
    "EPILOGS",
    "HELPS",
    "add_cause_arguments",
    "add_synth_arguments",
    "run_cause",
    "run_synth",
]

_CONSTANTS = ",".join(str(c) for c in DEFAULT_CONSTANTS)

_GRAMMAR = f"""\
The grammar (every answer states it): terms over the target's parameters, the constants
(--constants, default {_CONSTANTS}), (+ T T), (* T T) and (relu T) at cost 1 each, and the
library primitives at their cost; variables and constants cost 0. Terms are trees: there is
no let, so a repeated sub-term is paid each time (x^4 costs 3 here, 2 with the essay's let).
"Minimum" and "none up to K" are relative to this grammar.

The search enumerates terms by increasing cost, keeps one term per distinct vector of values
on sample points (small dyadic rationals, float64, exactness checked), proves every term whose
values match the target's with z3 over the reals (relu as if-then-else), and adds a refuting
point to the samples when z3 finds one (counterexample-guided); docs/ops.md."""

HELPS = {
    "synth": "the cheapest program equal to TARGET over the reals, proved by z3",
    "cause": "the causality degree of F on G: the cheapest program equal to G that may use F",
}

EPILOGS = {
    "synth": f"""\
TARGET is a program text starting with '(' (e.g. '(λ x. (+ (relu x) (relu (* -1 x))))') or
the name of a definition of --library. With --library, every first-order definition of the
library (numbers to a number) except the target and those using it is a primitive at its
cost by the essay's semantics (verify ops cost); --primitives NAMES restricts them (none: no
library primitive).

{_GRAMMAR}

--json prints {{"verdict": "PASS", "cost": N, "program": "(λ x. ...)", ...}} (cost and program
null when none is found), then the grammar, the proof and the counts (candidates enumerated,
distinct signatures kept, matched the sample filter, proved, refuted; rounds, samples, time).

Exit status 0 PASS (found and proved), 1 FAIL (no program of cost <= K: the search was
complete for the grammar), 2 bad input, 3 UNKNOWN (z3 undecided, or the search could not be
shown complete).

examples:
  verify ops synth '(λ x. (+ (relu x) (relu (* -1 x))))'
  verify ops synth max --library encodings/ops/tech_tree.ops --max-cost 5 --json
  verify ops synth '(λ x y. (+ x (* -1 y)))' --constants=-1,0,1
""",
    "cause": f"""\
The essay's causality degree of F on G: the minimum cost of a program equal to G when F is
available as a primitive, at cost --cost-of-f (default 1). F and G are program texts starting
with '(' or names of definitions of --library; a program text F appears in the answer as F.
Only F is added to the primitives (the other library definitions only resolve names).

{_GRAMMAR}

Exit status as for synth: 0 PASS, 1 FAIL (none up to --max-cost), 2 bad input, 3 UNKNOWN.

examples:
  verify ops cause '(λ x y. (+ x (relu (+ y (* -1 x)))))' '(λ x. (+ (relu x) (relu (* -1 x))))'
  verify ops cause abs max --library encodings/ops/tech_tree.ops --json
""",
}

_NUMBER_LIST = re.compile(r"^-\d+$|^-\d*\.\d+$|^-[\d./]*(,\s*-?[\d./]+)+$")
"""argparse's negative-number pattern, extended to lists such as -2,-1,0: without it
``--constants -2,-1`` would read -2,-1 as an option (``--constants=-2,-1`` always works)."""


def _constants(text: str) -> tuple[Fraction, ...]:
    """A comma-separated list of numbers: integers, decimals, fractions (argparse type)."""
    values = []
    for part in text.split(","):
        part = part.strip()
        try:
            values.append(Fraction(part))
        except (ValueError, ZeroDivisionError):
            raise argparse.ArgumentTypeError(
                f"expected numbers separated by commas (e.g. {_CONSTANTS}), got {part!r}"
            ) from None
    return tuple(values)


def _common(parser: argparse.ArgumentParser) -> None:
    parser._negative_number_matcher = _NUMBER_LIST  # type: ignore[attr-defined]
    parser.add_argument(
        "--library", metavar="LIB", help="library file of (define ...) forms (names, primitives)"
    )
    parser.add_argument(
        "--max-cost",
        type=non_negative,
        default=5,
        metavar="K",
        help="search programs of cost <= K (default 5)",
    )
    parser.add_argument(
        "--constants",
        type=_constants,
        default=DEFAULT_CONSTANTS,
        metavar="C,C,...",
        help=f"the constants of the grammar (default {_CONSTANTS})",
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="S",
        help="seconds per z3 proof (default 30; a proof that runs out gives UNKNOWN)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def add_synth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="TARGET", help="program text '(λ x. ...)' or a name")
    _common(parser)
    parser.add_argument(
        "--primitives",
        metavar="NAMES",
        help="with --library: the definitions usable as primitives, comma-separated, or none"
        " (default: every first-order definition but the target and those using it)",
    )


def add_cause_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("f", metavar="F", help="the program made available (text or name)")
    parser.add_argument("g", metavar="G", help="the program to build (text or name)")
    _common(parser)
    parser.add_argument(
        "--cost-of-f",
        type=positive,
        default=1,
        metavar="N",
        help="the cost of each use of F (default 1)",
    )


def _library(args: argparse.Namespace) -> Library:
    if args.library is None:
        return Library()
    return parse_library(read_source(args.library), args.library)


def _program(text: str, library: Library, what: str, args: argparse.Namespace) -> Expr:
    if text.lstrip().startswith("("):
        return parse_expression(text, library, f"<{what}>")
    if text in library:
        return Sym(text)
    where = f"a definition of {args.library}" if args.library else "defined (no --library)"
    raise InputError(
        f"{what} {text!r}: give a program text starting with '(' or a name; {text!r} is not {where}"
    )


def _costs(library: Library, names: list[str]) -> dict[str, int]:
    """The essay's cost of each named definition (:mod:`verifier.ops.cost`)."""
    from verifier.ops.cost import cost  # imported when a library supplies primitives

    return {name: cost(Sym(name), library).cost for name in names}


def _print(result: SynthResult, as_json: bool, head: str, extra: dict[str, object]) -> int:
    if as_json:
        print(json.dumps({**result.to_json(), **extra}, ensure_ascii=False))
        return result.exit_code
    lines = [f"{result.kind.value}  ({head})"]
    if result.program is not None:
        lines.append(f"cost {result.cost}: {result.program}")
        lines.append(f"proof: {result.proof}")
        if result.minimal:
            lines.append(
                f"minimal: no program of cost <= {result.cost - 1} over this grammar"
                if result.cost
                else "minimal: cost 0"
            )
        else:
            lines.append(f"not proved minimal: {result.not_minimal_because}")
    else:
        lines.append(result.detail)
    lines.append(f"grammar: {result.grammar}")
    lines.append(f"search: {result.stats.line()}")
    print("\n".join(lines))
    return result.exit_code


def run_synth(args: argparse.Namespace) -> int:
    library = _library(args)
    target = _program(args.target, library, "TARGET", args)
    usable, skipped = usable_primitives(library, target)
    if args.primitives is not None:
        if args.library is None:
            raise InputError("--primitives names definitions of --library, which is not given")
        wanted = [n.strip() for n in args.primitives.split(",") if n.strip()]
        if wanted == ["none"]:
            wanted = []
        for name in wanted:
            if name not in library:
                raise InputError(f"--primitives: {name!r} is not a definition of {args.library}")
            if name not in usable:
                raise InputError(f"--primitives: {name} cannot be a primitive: {skipped[name]}")
        usable = wanted
    primitives = _costs(library, usable) if usable else {}
    result = synthesize(
        target,
        library,
        max_cost=args.max_cost,
        constants=args.constants,
        primitives=primitives,
        timeout=args.timeout,
    )
    extra: dict[str, object] = {"target": args.target}
    if skipped and args.primitives is None:
        extra["not_primitives"] = skipped
    return _print(result, args.json, "minimum-cost search, z3 proof", extra)


def run_cause(args: argparse.Namespace) -> int:
    library = _library(args)
    f = _program(args.f, library, "F", args)
    g = _program(args.g, library, "G", args)
    result = cause(
        f,
        g,
        library,
        cost_of_f=args.cost_of_f,
        max_cost=args.max_cost,
        constants=args.constants,
        timeout=args.timeout,
    )
    extra = {"f": args.f, "g": args.g, "cost_of_f": args.cost_of_f}
    head = f"causality degree of F on G, F at cost {args.cost_of_f}"
    if result.cost is not None:
        head += f": {result.cost}"
    return _print(result, args.json, head, extra)
