"""``verify miter``: write an equivalence check as AIGER for other model checkers (ABC)."""

from __future__ import annotations

import argparse
from pathlib import Path

from verifier.cli.equiv import name_map_from
from verifier.errors import InputError
from verifier.formats import aiger
from verifier.formats.equiv_aiger import miter_sequential, side_sequentials
from verifier.formats.registry import load, save_content

HELP = "write the equivalence check of two models as AIGER for ABC (dprove, pdr, dsec)"
EPILOG = """\
Writes, without checking anything, the question `verify equiv A B` answers, in the AIGER
form for model checkers (first-frame: the inputs are primary inputs read in round 0 only,
every latch has reset 0 or 1; see `verify convert --init-as-inputs`). .aig files are binary
(what ABC reads), .aag ASCII.

-o OUT writes the miter: A and B side by side over shared inputs (named after A's), with one
output `bad`, 1 in a round where they differ on an input satisfying both models'
assumptions: global equivalence (configurations, output rounds, print strings), or with
--stride D --offset C asynchronous equivalence with that computation delay. The models are
equivalent iff `bad` is never 1: ABC's `dprove` and `pdr` take it as it is.

--sides OUT_A OUT_B writes A and B as two files for ABC's `dsec`, which matches primary
inputs and outputs by name: the inputs are A's (B's renamed through the alignment), the
outputs `config[i]=NAME`, `output` (the output-round flag) and `print[k]=NAME` (print bits
in output rounds), all 0 on inputs violating an assumption. Global equivalence only.

Inputs, print bits and configuration bits are aligned as by `verify equiv` (by order, or
--map names / --map FILE with --ignore-case, --strip-prefix). ABC ignores AIGER invariant
constraints in dprove and pdr, so assumptions are folded into the outputs instead.

examples:
  verify miter parity4.bnl parity4.circ -o miter.aig
  berkeley-abc -c "read_aiger miter.aig; dprove"
  verify miter parity4.bnl parity4.circ --sides a.aig b.aig
  berkeley-abc -c "dsec a.aig b.aig"
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="first model (A)")
    parser.add_argument("b", help="second model (B)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write the miter (.aig / .aag)")
    parser.add_argument(
        "--sides", nargs=2, metavar=("OUT_A", "OUT_B"), help="write A and B for dsec"
    )
    parser.add_argument("--stride", type=int, metavar="D", help="computation delay factor")
    parser.add_argument("--offset", type=int, metavar="C", help="delay offset (with --stride)")
    parser.add_argument("--map", metavar="names|FILE", help="align by name or by a renaming file")
    parser.add_argument("--ignore-case", action="store_true", help="with --map: fold case")
    parser.add_argument("--strip-prefix", metavar="P", default="", help="with --map: drop P")
    parser.add_argument("--force", action="store_true", help="replace existing files")


def run(args: argparse.Namespace) -> int:
    if args.output is None and args.sides is None:
        raise InputError("nothing to write: give -o OUT (the miter) and/or --sides OUT_A OUT_B")
    if args.offset is not None and args.stride is None:
        raise InputError("--offset needs --stride")
    if args.stride is not None and (args.stride < 1 or (args.offset or 0) < 0):
        raise InputError("--stride must be >= 1 and --offset >= 0")
    if args.stride is not None and args.sides is not None:
        raise InputError("--sides writes global equivalence; --stride applies to -o only")
    targets = [Path(t) for t in ([args.output] if args.output else []) + (args.sides or [])]
    for target in targets:
        if target.suffix.lower() not in (".aag", ".aig"):
            raise InputError(f"{target}: expected a file ending in .aig (binary) or .aag")
        if target.exists() and not args.force:
            raise InputError(f"{target}: file exists; refusing to overwrite it (use --force)")
    a, b = load(args.a), load(args.b)
    name_map = name_map_from(args)
    if args.output is not None:
        stride = None if args.stride is None else (args.stride, args.offset or 0)
        system = miter_sequential(a, b, name_map, stride=stride)
        _write(system, Path(args.output), args.force)
    if args.sides is not None:
        side_a, side_b = side_sequentials(a, b, name_map)
        _write(side_a, Path(args.sides[0]), args.force)
        _write(side_b, Path(args.sides[1]), args.force)
    return 0


def _write(system: aiger.SequentialAig, target: Path, force: bool) -> None:
    if target.suffix.lower() == ".aag":
        content: str | bytes = aiger.dumps_sequential_aag(system)
    else:
        content = aiger.dumps_sequential_aig(system)
    save_content(content, target, overwrite=force)
