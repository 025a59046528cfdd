"""``verify translate``: the paper's Section 2 translations, written to a file and checked."""

from __future__ import annotations

import argparse
from pathlib import Path

from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.cli.arguments import end_progress, progress_printer, seconds
from verifier.cli.equiv import format_verdict
from verifier.errors import InputError
from verifier.formats.registry import load, save
from verifier.models import Circuit, Model
from verifier.translate.registry import TARGETS, translate

HELP = "translate between SC, BNL, fully-open BNL and self-feeding circuits (Theorems 2.1-2.6)"
EPILOG = """\
--to bnl       an SC program by Theorem 2.1 (asynchronous: output round t becomes t+1),
               a self-feeding circuit by Theorem 2.6 (asynchronous, delay = its depth)
--to sc        a BNL program by Theorem 2.1 (globally equivalent)
--to fully-open  a BNL program by Theorem 2.2 (asynchronous, delay = depth d after
               rewriting disjunctions, d+1 when an attention body is that deep; every
               body becomes 1, Y, !Y or Y & Z)
--to circ      a BNL program by Theorem 2.5, formula-tree variant (globally equivalent)
--to circ-balanced  the same with every body balanced by Lemma 2.4 (depth O(log size))
Other pairs go through BNL, and the claimed relations compose.

OUT gets a meta line stating the translation, the theorems and the claimed relation
(relation=global, or relation=async stride=D offset=C: output round t of SRC is output
round D*t + C of OUT), and source=SRC; `verify equiv SRC OUT` reads the stride from it.
--check proves that claim at once (exit status as for verify equiv: 0 PASS, 1 FAIL,
3 UNKNOWN). An existing OUT is never replaced unless --force is given.

examples:
  verify translate small.sc --to bnl -o small_from_sc.bnl --check
  verify translate parity4.bnl --to fully-open -o parity4_open.bnl --check
  verify translate parity4.circ --to bnl -o parity4_from_circ.bnl
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="source model (.sc .bnl .bnet .circ .aag .aig)")
    parser.add_argument("--to", required=True, choices=TARGETS, help="target form")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    parser.add_argument("--check", action="store_true", help="prove the claimed relation")
    parser.add_argument("--timeout", type=seconds, metavar="S", help="with --check: give up")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def run(args: argparse.Namespace) -> int:
    source, target = Path(args.file), Path(args.output)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InputError(f"{target}: the output would overwrite the input file")
    model = load(source)
    translated = translate(model, args.to, source_path=str(source))
    save(translated.model, target, overwrite=args.force)
    result = translated.model
    theorems = ", ".join(f"Theorem {s.theorem}" for s in translated.steps)
    print(
        f"wrote {target}: {len(result.config_names)} {_unit(result)}, size {result.size},"
        f" depth {result.depth} ({theorems}; {translated.relation})"
    )
    if not args.check:
        return 0
    # The stride of an asynchronous claim is read from OUT's meta line, as `verify equiv`
    # would read it.
    options = EquivOptions(
        mode=translated.relation.mode, timeout=args.timeout, progress=progress_printer()
    )
    verdict = check_equiv(model, result, options)
    end_progress(options.progress)
    print(format_verdict(verdict, model.config_names, result.config_names))
    return verdict.exit_code


def _unit(model: Model) -> str:
    return "positions" if isinstance(model, Circuit) else "heads"
