"""Piecewise polynomial activation functions (paper Theorem 3.9) as text: the syntax of
``verify gen poly --piece``, of its TOML files and of the ``pieces=`` key of a ``meta arith
op=poly`` line, and the checks that a list of pieces defines a function on F(p, q, b).

A piece is ``LOWER..UPPER: TERMS``: the half-open interval LOWER <= x < UPPER (either bound may
be left out: unbounded) and the polynomial on it, a sum of terms ``C*x^K``, ``C*x``, ``x^K``,
``x`` or ``C`` (C an exact rational: ``-2``, ``0.125``, ``1/8``; ``*`` optional), joined by
``+`` or ``-``, in the order they are summed (DESIGN 2.8's canonical order depends on it)::

    ..0: 0            0 for x < 0
    0..: x            x for x >= 0
    -2..2: 1/8*x^2 + 1/2*x + 1/2

``0`` is the term 0 (the constant zero, like a piece without terms). :func:`format_piece`
writes a piece without spaces (``-2..2:1/8*x^2+1/2*x+1/2``) so that it fits in a meta
token; :func:`parse_piece` reads it back exactly.

The named shortcuts :data:`SHORTCUTS` are relu, heaviside and identity, as the paper defines
the first two (relu(x) = max(0, x); heaviside(x) = 1 if x >= 0, else 0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import tomllib

from verifier.arith.floats import FloatSystem, Piece, Term
from verifier.errors import InputError

__all__ = [
    "SHORTCUTS",
    "check_pieces",
    "format_piece",
    "format_pieces",
    "load_pieces",
    "parse_piece",
    "parse_pieces",
]

SHORTCUTS: dict[str, tuple[str, ...]] = {
    "relu": ("..0: 0", "0..: x"),
    "heaviside": ("..0: 0", "0..: 1"),
    "identity": ("..: x",),
}

_TERM = re.compile(
    r"""\s*(?P<sign>[+-])?\s*
    (?:(?P<coefficient>[0-9./]+(?:[eE][+-]?[0-9]+)?)\s*(?P<times>\*)?\s*)?
    (?P<x>x(?:\s*\^\s*(?P<power>[0-9]+))?)?\s*""",
    re.VERBOSE,
)


def _number(text: str, what: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} {text!r} is not an exact number (e.g. -2, 0.125, 1/8)") from None


def _terms(text: str) -> tuple[Term, ...]:
    terms, at = [], 0
    text = text.strip()
    if not text:
        raise ValueError("a piece needs a polynomial after ':' (write 0 for the zero function)")
    while at < len(text):
        match = _TERM.match(text, at)
        assert match is not None  # every group is optional
        if match.end() == at or not (match["coefficient"] or match["x"]):
            raise ValueError(f"cannot read a term at {text[at:]!r} (expected C*x^K, C*x, x or C)")
        if terms and not match["sign"]:
            raise ValueError(f"terms must be joined by + or -, at {text[at:]!r}")
        if match["times"] and not match["x"]:
            raise ValueError(f"'*' without x at {text[at:]!r}")
        coefficient = (
            _number(match["coefficient"], "coefficient") if match["coefficient"] else Fraction(1)
        )
        if match["sign"] == "-":
            coefficient = -coefficient
        power = 0 if not match["x"] else int(match["power"] or 1)
        terms.append(Term(coefficient, power))
        at = match.end()
    return tuple(terms)


def parse_piece(text: str) -> Piece:
    """The piece written ``LOWER..UPPER: TERMS`` (module docstring); ValueError saying what
    is wrong, starting with the piece."""
    try:
        return _piece(text)
    except ValueError as err:
        raise ValueError(f"piece {text!r}: {err}") from None


def _piece(text: str) -> Piece:
    interval, colon, polynomial = text.partition(":")
    if not colon:
        raise ValueError("expected LOWER..UPPER: TERMS (e.g. '0..: x')")
    lower_text, dots, upper_text = interval.partition("..")
    if not dots:
        raise ValueError("the interval is LOWER..UPPER (either may be empty)")
    lower = _number(lower_text.strip(), "lower bound") if lower_text.strip() else None
    upper = _number(upper_text.strip(), "upper bound") if upper_text.strip() else None
    if lower is not None and upper is not None and lower >= upper:
        raise ValueError(f"the interval [{lower}, {upper}) is empty")
    return Piece(lower, upper, _terms(polynomial))


def parse_pieces(texts: Sequence[str]) -> tuple[Piece, ...]:
    """Several pieces, in order (the first containing x is used)."""
    if not texts:
        raise ValueError("a piecewise polynomial needs at least one piece")
    return tuple(parse_piece(text) for text in texts)


def _term_text(term: Term) -> str:
    c, k = term.coefficient, term.power
    if k == 0:
        return str(c)
    x = "x" if k == 1 else f"x^{k}"
    return x if c == 1 else f"{c}*{x}"


def format_piece(piece: Piece) -> str:
    """The piece in the syntax of :func:`parse_piece`, without spaces."""
    bounds = "..".join("" if v is None else str(v) for v in (piece.lower, piece.upper))
    polynomial = ""
    for i, term in enumerate(piece.terms):
        text = _term_text(term)
        polynomial += text if i == 0 or text.startswith("-") else "+" + text
    return f"{bounds}:{polynomial or '0'}"


def format_pieces(pieces: Sequence[Piece]) -> str:
    """The pieces joined by ``;`` (a ``meta arith op=poly pieces=...`` value)."""
    return ";".join(format_piece(piece) for piece in pieces)


def load_pieces(path: Path) -> tuple[Piece, ...]:
    """The pieces of a TOML file ``pieces = ["..0: 0", "0..: x"]`` (InputError with the file,
    and the line of the offending piece, for anything wrong)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the pieces file ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{path}: {err}") from None
    pieces = data.get("pieces")
    extra = sorted(set(data) - {"pieces"})
    if extra or not isinstance(pieces, list) or not all(isinstance(p, str) for p in pieces):
        raise InputError(
            f'{path}: expected one key, pieces = ["LOWER..UPPER: TERMS", ...]'
            + (f"; unknown key {extra[0]!r}" if extra else "")
        )
    out = []
    positions = _string_positions(text)
    for i, piece in enumerate(pieces):
        try:
            out.append(parse_piece(piece))
        except ValueError as err:
            at = positions[i] if len(positions) == len(pieces) else "1:1"
            raise InputError(f"{path}:{at}: {err}") from None
    if not out:
        raise InputError(f"{path}: pieces is empty; a function needs at least one piece")
    return tuple(out)


_ARRAY_TOKEN = re.compile(r"""\s+|,|#[^\n]*|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'""")


def _string_positions(text: str) -> list[str]:
    """``line:column`` of the first character inside each string of the ``pieces = [...]``
    array, in order (fewer than the pieces if the array holds strings this scanner does not
    read, such as multi-line strings; the caller then falls back to 1:1)."""
    start = re.search(r"^[ \t]*pieces[ \t]*=[ \t]*\[", text, re.MULTILINE)
    out: list[str] = []
    at = start.end() if start else len(text)
    while at < len(text) and text[at] != "]":
        token = _ARRAY_TOKEN.match(text, at)
        if token is None:
            break
        if token.group()[0] in "\"'":
            line = text.count("\n", 0, at) + 1
            out.append(f"{line}:{at - text.rfind(chr(10), 0, at) + 1}")
        at = token.end()
    return out


def check_pieces(f: FloatSystem, pieces: Sequence[Piece]) -> None:
    """ValueError unless the pieces define a function on F(p, q, b) (Theorem 3.9): every bound
    and coefficient representable, and every representable x in some piece.

    Coverage is decided on few points: an uncovered representable x has, below it, a largest
    point among -largest and the upper bounds, and that point is uncovered too (a piece
    covering it would end at an upper bound between it and x)."""
    for i, piece in enumerate(pieces, 1):
        for what, value in (("lower bound", piece.lower), ("upper bound", piece.upper)):
            if value is not None and not f.contains(value):
                raise ValueError(f"piece {i}: {what} {value} is not a number of {f}")
        for term in piece.terms:
            if not f.contains(term.coefficient):
                raise ValueError(f"piece {i}: coefficient {term.coefficient} is not in {f}")
    candidates = {-f.largest, *(pc.upper for pc in pieces if pc.upper is not None)}
    for point in sorted(c for c in candidates if -f.largest <= c <= f.largest):
        if not any(pc.contains(point) for pc in pieces):
            raise ValueError(f"no piece contains x = {f.format(point)} ({point}) of {f}")
