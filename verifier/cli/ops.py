"""``verify ops``: the cost calculus of the essay on +, *, relu programs (issue 8).

Sub-commands, each a module with HELP, EPILOG, add_arguments(parser) and run(args) -> int:
``cost`` (:mod:`verifier.cli.ops_cost`), ``equiv`` (:mod:`verifier.cli.ops_equiv`), ``synth``
and ``cause`` (:mod:`verifier.cli.ops_synth`).
"""

from __future__ import annotations

import argparse
from types import ModuleType

from verifier.cli import ops_cost, ops_equiv, ops_synth

HELP = "the cost calculus of +, *, relu programs: costs, equivalence, cheapest programs"
EPILOG = """\
Programs are S-expressions: (λ x y. body) (also lambda, \\), applications (f a b), numbers
(2, -1, 0.5, 1/2), (let ((x e)) body); a library file holds (define name expr [:claimed N])
forms (docs/ops.md). The primitives are + and * (binary; more arguments are a left fold) and
relu.

examples:
  verify ops cost encodings/ops/tech_tree.ops
  verify ops equiv '(λ x. (+ (relu x) (relu (* -1 x))))' '(λ x. (+ x (* 2 (relu (* -1 x)))))'
  verify ops synth abs --library encodings/ops/tech_tree.ops --max-cost 4
"""

SUBCOMMANDS: dict[str, tuple[ModuleType, str]] = {
    "cost": (ops_cost, "run"),
    "equiv": (ops_equiv, "run"),
    "synth": (ops_synth, "run_synth"),
    "cause": (ops_synth, "run_cause"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="ops_command", metavar="SUBCOMMAND", required=True)
    for name, (module, runner) in SUBCOMMANDS.items():
        helps = module.HELPS if hasattr(module, "HELPS") else {name: module.HELP}
        epilogs = module.EPILOGS if hasattr(module, "EPILOGS") else {name: module.EPILOG}
        sub = commands.add_parser(
            name,
            help=helps[name],
            description=helps[name],
            epilog=epilogs[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        adder = getattr(module, f"add_{name}_arguments", None) or module.add_arguments
        adder(sub)
        sub.set_defaults(ops_run=getattr(module, runner))


def run(args: argparse.Namespace) -> int:
    return int(args.ops_run(args))
