"""``verify gen``: write a model built by one of the paper's constructions.

The generators are a table (:data:`GENERATORS`): each has its own sub-command with its own
parameters, a function that builds the model, and the format written when no OUT is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from verifier.arith.pieces import SHORTCUTS, load_pieces, parse_pieces
from verifier.cli.arguments import positive
from verifier.errors import InputError
from verifier.formats.registry import FORMATS, dumps, format_for, save
from verifier.generate.floats import (
    fadd_program,
    fmul_program,
    fnormalize_program,
    poly_program,
)
from verifier.generate.integers import add_program, compare_program, sub_program
from verifier.generate.multiply import mul_program
from verifier.generate.parity import parity_circuit, parity_program
from verifier.models import BnlProgram, Circuit, Model

__all__ = ["GENERATORS", "Generator", "Parameter"]

HELP = "generate a model of the paper's constructions (parity circuit, reference programs)"
EPILOG = """\
Each generator is a sub-command with its own parameters ('verify gen GENERATOR --help').
With -o OUT the model is written to OUT in the format chosen by OUT's suffix (a circuit as
.circ, .aag or .aig; a program as .bnl); an existing OUT is never replaced unless --force is
given. Without -o the model is printed in the generator's default format.

generators:
  parity           Theorem 2.3's self-feeding parity circuit: n input positions, one
                   auxiliary attention position, depth 3, size 2n + 2 + 6 floor(n/2),
                   halts in round ceil(log2 n) + 1 (default format .circ)
  parity-program   a straightforward BNL program for parity (a balanced XOR tree), the
                   reference for 'verify equiv' (default format .bnl)
  compare          Lemma 3.2: x > y for x, y in Z(N, B), one-hot base B (.bnl)
  add, sub         Lemma 3.3: x + y, x - y in Z(N+1, B) by base-B carry-lookahead, signed via
                   the comparison of magnitudes (.bnl); all three halt in round 3
  mul              Lemma 3.4: x * y in Z(2N, B) by a tree of additions (.bnl); halts by
                   round 3 (ceil(log2(B-1)) + ceil(log2 N)) + 2 (exact T on its meta line)
  fadd, fmul       Lemmas 3.7, 3.8: round(x + y), round(x * y) on F(P, Q, B), rounded half
                   to even, saturating and flushing to zero as DESIGN.md 2.8 says (.bnl)
  fnormalize       Lemma 3.6: a raw number +-d0.d1...dP' x B^e of F*(P', Q', B) rounded
                   into F(P, Q, B) (--raw-p, --raw-q; default P' = P + 1, Q' = Q) (.bnl)
  poly             Theorem 3.9: a piecewise polynomial on F(P, Q, B), every + and *
                   rounded in DESIGN.md 2.8's canonical order; the pieces by --piece
                   'LOWER..UPPER: TERMS' (repeated; the first piece containing x is used),
                   by --pieces FILE.toml (pieces = ["..0: 0", "0..: x"]) or by --function
                   relu|heaviside|identity (.bnl)

examples:
  verify gen parity --n 16 -o parity16.circ
  verify gen parity-program --n 16 -o parity16.bnl
  verify equiv parity16.bnl parity16.circ
  verify gen parity --n 5
  verify gen add --base 3 --digits 2 -o add_b3_n2.bnl
  verify gen fnormalize --base 2 -p 4 -q 2 -o fnormalize_b2_p4_q2.bnl
  verify gen poly --base 2 -p 4 -q 2 --function relu -o relu.bnl
  verify gen poly --base 2 -p 4 -q 2 --piece '..-2: 0' \
      --piece '-2..2: 1/8*x^2 + 1/2*x + 1/2' --piece '2..: x' -o smooth_relu.bnl
"""


@dataclass(frozen=True)
class Parameter:
    """A command-line parameter of a generator, passed to its function as ``dest``."""

    flag: str
    dest: str
    type: Callable[[str], object]
    help: str
    metavar: str | None = None
    required: bool = True
    default: object = None
    action: str = "store"
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Generator:
    """A generator: ``build(**parameters)`` returns the model; ``suffix`` is the format
    written to stdout (no -o)."""

    help: str
    build: Callable[..., Model]
    parameters: tuple[Parameter, ...]
    suffix: str


N_BITS = Parameter("--n", "n", positive, "the number of input bits (n >= 1)", "N")


def _base(text: str) -> int:
    value = positive(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected a base >= 2, got {text!r}")
    return value


BASE = Parameter("--base", "base", _base, "the base b of the digits (b >= 2)", "B")
DIGITS = Parameter("--digits", "digits", positive, "the number n of digits (n >= 1)", "N")

FLOAT_SYSTEM = (
    BASE,
    Parameter("-p", "p", positive, "fraction digits p (p >= 1)", "P"),
    Parameter("-q", "q", positive, "exponent digits q (q >= 1)", "Q"),
)

RAW_SYSTEM = (
    Parameter(
        "--raw-p",
        "raw_p",
        positive,
        "raw digits right of the point p' (default p + 1)",
        "P'",
        required=False,
    ),
    Parameter(
        "--raw-q", "raw_q", positive, "raw exponent digits q' (default q)", "Q'", required=False
    ),
)

PIECES = (
    Parameter(
        "--piece",
        "piece",
        str,
        "a piece 'LOWER..UPPER: TERMS', e.g. '0..: x' (repeat, in order; bounds may be empty)",
        "PIECE",
        required=False,
        action="append",
    ),
    Parameter(
        "--pieces",
        "pieces",
        Path,
        'a TOML file: pieces = ["..0: 0", "0..: x"]',
        "FILE",
        required=False,
    ),
    Parameter(
        "--function",
        "function",
        str,
        "a named function: relu, heaviside or identity",
        None,
        required=False,
        choices=tuple(SHORTCUTS),
    ),
)


def _poly(
    base: int,
    p: int,
    q: int,
    piece: list[str] | None,
    pieces: Path | None,
    function: str | None,
) -> BnlProgram:
    """:func:`poly_program` with its pieces from exactly one of the three options."""
    if sum(source is not None for source in (piece, pieces, function)) != 1:
        raise ValueError(
            "give the pieces once: --piece (repeated), --pieces FILE or --function"
            f" {'|'.join(SHORTCUTS)}"
        )
    if function is not None:
        parsed = parse_pieces(SHORTCUTS[function])
    elif pieces is not None:
        parsed = load_pieces(pieces)
    else:
        parsed = parse_pieces(piece or [])
    return poly_program(base, p, q, parsed)


GENERATORS: dict[str, Generator] = {
    "parity": Generator(
        "Theorem 2.3: the self-feeding circuit for the parity of n bits",
        parity_circuit,
        (N_BITS,),
        ".circ",
    ),
    "parity-program": Generator(
        "a straightforward BNL program for the parity of n bits (the reference)",
        parity_program,
        (N_BITS,),
        ".bnl",
    ),
    "compare": Generator(
        "Lemma 3.2: a halting BNL program for x > y on Z(N, B) (one-hot, base B)",
        compare_program,
        (BASE, DIGITS),
        ".bnl",
    ),
    "add": Generator(
        "Lemma 3.3: a halting BNL program for x + y, Z(N, B) x Z(N, B) -> Z(N+1, B)",
        add_program,
        (BASE, DIGITS),
        ".bnl",
    ),
    "sub": Generator(
        "Lemma 3.3: a halting BNL program for x - y, Z(N, B) x Z(N, B) -> Z(N+1, B)",
        sub_program,
        (BASE, DIGITS),
        ".bnl",
    ),
    "mul": Generator(
        "Lemma 3.4: a halting BNL program for x * y, Z(N, B) x Z(N, B) -> Z(2N, B)",
        mul_program,
        (BASE, DIGITS),
        ".bnl",
    ),
    "fadd": Generator(
        "Lemma 3.7: a halting BNL program for round(x + y) on F(P, Q, B), correctly rounded",
        fadd_program,
        FLOAT_SYSTEM,
        ".bnl",
    ),
    "fmul": Generator(
        "Lemma 3.8: a halting BNL program for round(x * y) on F(P, Q, B), correctly rounded",
        fmul_program,
        FLOAT_SYSTEM,
        ".bnl",
    ),
    "fnormalize": Generator(
        "Lemma 3.6: a halting BNL program rounding a raw number of F*(P', Q', B) into F(P, Q, B)",
        fnormalize_program,
        FLOAT_SYSTEM + RAW_SYSTEM,
        ".bnl",
    ),
    "poly": Generator(
        "Theorem 3.9: a halting BNL program for a piecewise polynomial on F(P, Q, B)",
        _poly,
        FLOAT_SYSTEM + PIECES,
        ".bnl",
    ),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    generators = parser.add_subparsers(dest="generator", metavar="GENERATOR", required=True)
    for name, generator in GENERATORS.items():
        sub = generators.add_parser(
            name,
            help=generator.help,
            description=generator.help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for p in generator.parameters:
            sub.add_argument(
                p.flag,
                dest=p.dest,
                type=p.type,
                required=p.required,
                default=p.default,
                metavar=p.metavar,
                help=p.help,
                action=p.action,
                choices=p.choices,
            )
        sub.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help=f"output file, format by suffix (default: print {generator.suffix} to stdout)",
        )
        sub.add_argument("--force", action="store_true", help="replace OUT if it exists")


def build(name: str, args: argparse.Namespace) -> Model:
    """The model of generator ``name`` with the parameters in ``args`` (InputError for a
    value the generator rejects)."""
    generator = GENERATORS[name]
    values = {p.dest: getattr(args, p.dest) for p in generator.parameters}
    try:
        return generator.build(**values)
    except ValueError as err:
        raise InputError(f"verify gen {name}: {err}") from None


def _kind(model: Model) -> str:
    if isinstance(model, Circuit):
        return "self-feeding circuit"
    return "BNL program" if isinstance(model, BnlProgram) else "SC program"


def summary(model: Model) -> str:
    """One line about the generated model: its kind, positions or heads, size and depth."""
    if isinstance(model, Circuit):
        aux = model.n - len(model.input_positions)
        count = f"{model.n} positions ({aux} auxiliary)"
    else:
        count = f"{len(model.config_names)} heads"
    return f"{_kind(model)}, {count}, size {model.size}, depth {model.depth}"


def run(args: argparse.Namespace) -> int:
    model = build(args.generator, args)
    if args.output is None:
        text = dumps(model, GENERATORS[args.generator].suffix)
        assert isinstance(text, str)
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    fmt = format_for(target)
    if not isinstance(model, fmt.model):
        *others, last = [s for s, f in FORMATS.items() if isinstance(model, f.model)]
        suffixes = f"{', '.join(others)} or {last}" if others else last
        raise InputError(
            f"{target}: 'verify gen {args.generator}' writes a {_kind(model)}, which"
            f" {fmt.suffix} cannot hold; expected OUT ending in {suffixes}"
        )
    save(model, target, overwrite=args.force)
    print(f"{target}: {summary(model)}")
    return 0
