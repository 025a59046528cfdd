"""Entry point of the ``verify`` console script.

Exit statuses (DESIGN.md section 4): 0 PASS (or a command that succeeded), 1 FAIL, 2 bad input
or usage, 3 UNKNOWN, 4 internal error. User errors are printed as one message, never as a
traceback; an internal error prints a short notice and, with ``--traceback`` (or the environment
variable ``VERIFY_TRACEBACK=1``), the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from verifier.cli import (
    arith,
    attractors,
    convert,
    equiv,
    gen,
    graph,
    halting,
    info,
    miter,
    ops,
    prove,
    sim,
    transient,
    translate,
)
from verifier.errors import InputError

__all__ = ["EXIT_INTERNAL", "EXIT_USAGE", "main"]

EXIT_USAGE = 2
EXIT_INTERNAL = 4

# Sub-commands: each module has HELP, EPILOG, add_arguments(parser) and run(args) -> int.
COMMANDS: dict[str, ModuleType] = {
    "equiv": equiv,
    "prove": prove,
    "sim": sim,
    "info": info,
    "convert": convert,
    "miter": miter,
    "graph": graph,
    "transient": transient,
    "attractors": attractors,
    "halting": halting,
    "gen": gen,
    "arith": arith,
    "translate": translate,
    "ops": ops,
}

DESCRIPTION = """\
Verifier for Boolean network logic (BNL), the substitution calculus (SC) and self-feeding
Boolean circuits (Ahvonen, Heiman, Kuusisto: Descriptive complexity for neural networks via
Boolean networks). Files: .bnl .sc .circ (text formats), .bnet (BoolNet), .aag/.aig (AIGER 1.9).

exit status: 0 PASS/success, 1 FAIL, 2 bad input or usage, 3 UNKNOWN, 4 internal error
"""

EXAMPLES = """\
examples:
  verify sim examples/parity4.circ --input 0110 --rounds 3
  verify info models/faure_cellcycle.bnet
  verify convert examples/parity4.circ -o parity4.aag
  verify miter examples/parity4.bnl examples/parity4.circ -o miter.aig
  verify prove proofs/
  verify attractors models/faure_cellcycle.bnet
  verify halting examples/parity4.circ
  verify gen parity --n 16 -o parity16.circ
  verify translate examples/small.sc --to bnl -o small_from_sc.bnl --check
run 'verify COMMAND --help' for the options of a command.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="verify",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--traceback", action="store_true", help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=module.HELP,
            description=module.HELP,
            epilog=module.EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as err:  # the error boundary: anything else is our bug
        if args.traceback or os.environ.get("VERIFY_TRACEBACK") == "1":
            traceback.print_exc()
        print(
            f"verify: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in the verifier; rerun with --traceback and report it.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
