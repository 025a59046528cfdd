"""``verify convert``: write a model in another file format (chosen by the output's suffix)."""

from __future__ import annotations

import argparse
from pathlib import Path

from verifier.errors import InputError
from verifier.formats.registry import load, save

HELP = "convert between .bnl/.bnet and between .circ/.aag/.aig"
EPILOG = """\
The output format is chosen by the suffix of OUT. BNL programs convert between .bnl and .bnet
(a .bnet holds only programs in which every head is an input, printed whole, every round an
output round); circuits between .circ, .aag and .aig. An existing OUT is never replaced
unless --force is given, and OUT may not be the input file.

examples:
  verify convert faure_cellcycle.bnet -o faure.bnl
  verify convert parity4.circ -o parity4.aig
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="input model file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def run(args: argparse.Namespace) -> int:
    source, target = Path(args.file), Path(args.output)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InputError(f"{target}: the output would overwrite the input file")
    save(load(source), target, overwrite=args.force)
    return 0
