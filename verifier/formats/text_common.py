"""What the ``.bnl``, ``.sc`` and ``.circ`` readers and writers share (DESIGN.md 3.1).

Reading: :func:`read_document` parses a text into a :class:`Document` (directives by keyword,
``assume`` and ``meta`` lines, the clauses or gate definitions), rejecting an empty file and a
directive given twice. :class:`Anchors` records where each model element was written while a
reader assembles the model, so that a :class:`~verifier.errors.ModelError` raised by the model's
own validation becomes a :class:`~verifier.errors.ParseError` at that place: the model classes
are the one place the rules of a formalism are checked.

Writing: helpers that produce the directive lines every format prints the same way, and refuse
(``ValueError``) what the text syntax cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from verifier.errors import ModelError, ParseError
from verifier.formats.formula_text import format_formula
from verifier.formats.source import Loc, Source
from verifier.formats.text_syntax import (
    Assume,
    AttentionLine,
    Directive,
    InitLine,
    Located,
    Meta,
    NameList,
    Start,
    Statement,
    parse_statements,
)
from verifier.formula import Formula
from verifier.models.attention import Attention, AttentionAll, AttentionBits, AttentionRounds

__all__ = [
    "CONSTANT_WORDS",
    "Anchors",
    "Document",
    "assume_lines",
    "attention_line",
    "check_names",
    "directive_line",
    "meta_lines",
    "read_assumptions",
    "read_attention",
    "read_document",
    "read_meta",
]

M = TypeVar("M")

# Names a formula cannot refer to: they are the constants true and false.
CONSTANT_WORDS = frozenset({"true", "false"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(\[[0-9]+(,[0-9]+)*\])?")


@dataclass(frozen=True)
class Document:
    """A parsed file: the directives given once by keyword, the ``assume`` and ``meta`` lines
    in file order, and the other statements (clauses or gate definitions) in file order."""

    source: Source
    directives: Mapping[str, Directive]
    assumes: tuple[Assume, ...]
    metas: tuple[Meta, ...]
    body: tuple[Statement, ...]

    def error(self, message: str, loc: Loc) -> ParseError:
        return self.source.error(message, loc)


def read_document(text: str, filename: str, start: Start, expected: str) -> Document:
    """Parse ``text`` as a file of format ``start`` into a :class:`Document`.

    Raises :class:`ParseError` for a syntax error, for a file without any statement
    ("empty file: expected <expected>", at 1:1) and for a directive other than ``assume`` and
    ``meta`` given twice (at the second).
    """
    source = Source(text, filename)
    statements = parse_statements(source, start)
    if not statements:
        raise source.error(f"empty file: expected {expected}", Loc(1, 1))
    directives: dict[str, Directive] = {}
    assumes: list[Assume] = []
    metas: list[Meta] = []
    body: list[Statement] = []
    for statement in statements:
        if isinstance(statement, Assume):
            assumes.append(statement)
        elif isinstance(statement, Meta):
            metas.append(statement)
        elif isinstance(statement, NameList | AttentionLine | InitLine):
            first = directives.setdefault(statement.keyword, statement)
            if first is not statement:
                raise source.error(
                    f"'{statement.keyword}' is given twice (first on line {first.loc.line})",
                    statement.loc,
                )
        else:
            body.append(statement)
    return Document(source, directives, tuple(assumes), tuple(metas), tuple(body))


class Anchors:
    """Where the elements of a model being assembled were written, keyed by ModelError anchors
    (the table is in :mod:`verifier.models.common`)."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._locs: dict[tuple[object, ...], Loc] = {}
        self._seen: dict[tuple[object, ...], int] = {}

    def use(self, anchor: tuple[object, ...], loc: Loc) -> None:
        """Record a use of an element: errors point at its first use."""
        self._locs.setdefault(anchor, loc)

    def define(self, anchor: tuple[object, ...], loc: Loc) -> None:
        """Record a definition: errors point at the second definition if there is one (the
        models report duplicates), else at the only one."""
        count = self._seen.get(anchor, 0)
        if count < 2:
            self._locs[anchor] = loc
        self._seen[anchor] = count + 1

    def locate(self, anchor: tuple[object, ...]) -> Loc:
        """The recorded place of ``anchor``, else of its longest recorded prefix, else 1:1."""
        for length in range(len(anchor), 0, -1):
            loc = self._locs.get(anchor[:length])
            if loc is not None:
                return loc
        return Loc(1, 1)

    def build(self, make: Callable[[], M]) -> M:
        """``make()``, with a ModelError turned into a ParseError at its anchor's place."""
        try:
            return make()
        except ModelError as err:
            raise self._source.error(err.message, self.locate(err.anchor)) from None


def read_assumptions(document: Document, anchors: Anchors) -> tuple[Formula, ...]:
    """The ``assume`` formulas in file order; records ``("assume", i, name)``."""
    for index, assume in enumerate(document.assumes):
        for name in assume.names:
            anchors.use(("assume", index, name.value), name.loc)
    return tuple(a.formula for a in document.assumes)


def read_attention(
    document: Document,
    anchors: Anchors,
    resolve: Callable[[Located[str | int]], object],
) -> Attention:
    """The output condition: none given or ``attention all`` is AttentionAll; predicates or
    positions are mapped by ``resolve`` and recorded as ``("attention", bit)``."""
    line = document.directives.get("attention")
    if line is None:
        return AttentionAll()
    assert isinstance(line, AttentionLine)
    if isinstance(line.spec, AttentionAll | AttentionRounds):
        return line.spec
    bits = []
    for item in line.spec:
        bit = resolve(item)
        anchors.use(("attention", bit), item.loc)
        bits.append(bit)
    return AttentionBits(tuple(bits))


def read_meta(document: Document) -> tuple[str, ...]:
    return tuple(m.text for m in document.metas)


# ---------------------------------------------------------------------------------------------
# Writing


def check_names(names: Iterable[str], what: str, reserved: Iterable[str] = ()) -> None:
    """Raise ValueError unless every name is written in the name syntax of DESIGN.md 2.1 (an
    index without blanks) and none is a constant word or one of ``reserved``."""
    forbidden = CONSTANT_WORDS | set(reserved)
    for name in names:
        if not _NAME.fullmatch(name) or name in forbidden:
            raise ValueError(f"the {what} name {name!r} cannot be written in the text format")


def directive_line(keyword: str, items: Iterable[object]) -> str:
    """``keyword item item ...`` (just the keyword for no items)."""
    return " ".join([keyword, *map(str, items)])


def attention_line(attention: Attention, write_bit: Callable[[object], str]) -> list[str]:
    """The ``attention`` line of ``attention`` (none for AttentionAll, the default)."""
    if isinstance(attention, AttentionAll):
        return []
    if isinstance(attention, AttentionRounds):
        return ["attention rounds " + ", ".join(str(item) for item in attention.items)]
    bits = [write_bit(b) for b in attention.bits]
    if bits[0] in ("all", "rounds"):
        # `attention all` and `attention rounds ...` mean something else.
        raise ValueError(f"an attention list starting with {bits[0]!r} cannot be written")
    return [directive_line("attention", bits)]


def assume_lines(assumptions: Sequence[Formula]) -> list[str]:
    return [f"assume {format_formula(f)}" for f in assumptions]


def meta_lines(meta: Sequence[str]) -> list[str]:
    """One ``meta`` line per text; a text must be one line, without ``#`` and outer blanks."""
    lines = []
    for text in meta:
        if "\n" in text or "#" in text or text != text.strip(" \t\r\f"):
            raise ValueError(f"the meta text {text!r} cannot be written on a meta line")
        lines.append(f"meta {text}" if text else "meta")
    return lines
