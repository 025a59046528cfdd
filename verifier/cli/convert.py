"""``verify convert``: write a model in another file format (chosen by the output's suffix)."""

from __future__ import annotations

import argparse
from pathlib import Path

from verifier.errors import InputError
from verifier.formats import aiger
from verifier.formats.equiv_aiger import model_sequential
from verifier.formats.registry import load, save, save_content
from verifier.models import Circuit, Model

HELP = "convert between .bnl/.bnet and between .circ/.aag/.aig"
EPILOG = """\
The output format is chosen by the suffix of OUT. BNL programs convert between .bnl and .bnet
(a .bnet holds only programs in which every head is an input, printed whole, every round an
output round); circuits between .circ, .aag and .aig. An existing OUT is never replaced
unless --force is given, and OUT may not be the input file.

--init-as-inputs (OUT .aag or .aig) writes the form for model checkers such as ABC, which
treat uninitialised latches as 0: every input position becomes a primary input (named by its
input gate) that is read in round 0 only, through a first-frame latch (reset 1, next 0), so
every latch has reset 0 or 1. The outputs are the print bits, the attention bits and, when
the model has assumptions, an output `assumptions`. This form also takes BNL and SC
programs (their inputs become the primary inputs); verify does not read it back.

examples:
  verify convert faure_cellcycle.bnet -o faure.bnl
  verify convert parity4.circ -o parity4.aig
  verify convert parity4.circ -o parity4-abc.aig --init-as-inputs
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="input model file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    parser.add_argument(
        "--init-as-inputs",
        action="store_true",
        help="AIGER for model checkers: inputs as primary inputs muxed in at round 0",
    )


def run(args: argparse.Namespace) -> int:
    source, target = Path(args.file), Path(args.output)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise InputError(f"{target}: the output would overwrite the input file")
    model = load(source)
    if args.init_as_inputs:
        save_content(init_as_inputs(model, target.suffix.lower()), target, overwrite=args.force)
    else:
        save(model, target, overwrite=args.force)
    return 0


def init_as_inputs(model: Model, suffix: str) -> str | bytes:
    """The first-frame AIGER of ``model`` (``.aag`` text or ``.aig`` bytes): a circuit
    through :mod:`verifier.formats.aiger` (its gates as in the plain export), a program
    through the IR (:func:`verifier.formats.equiv_aiger.model_sequential`)."""
    if suffix not in (".aag", ".aig"):
        raise InputError(
            "--init-as-inputs writes AIGER: expected OUT ending in .aag or .aig, not"
            f" {suffix or '(no suffix)'!r}"
        )
    if isinstance(model, Circuit):
        return (
            aiger.dumps_aag(model, init_as_inputs=True)
            if suffix == ".aag"
            else aiger.dumps_aig(model, init_as_inputs=True)
        )
    system = model_sequential(model)
    if suffix == ".aag":
        return aiger.dumps_sequential_aag(system)
    return aiger.dumps_sequential_aig(system)
