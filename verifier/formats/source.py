"""Source texts: reading model files as UTF-8 and reporting errors at ``file:line:col``.

:func:`read_source` turns the bytes of a file into text or raises
:class:`~verifier.errors.ParseError` (a user error, exit status 2) for a missing or unreadable
file, a binary file and text that is not UTF-8. :class:`Source` pairs a text with the name it is
reported under and builds located errors with the offending line as context.

Lines and columns are 1-based and counted the way the parser counts them: a line ends at ``\\n``
only (``\\r`` before it is blank space), and a column counts characters, a tab being one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from verifier.errors import ParseError, SourcePos

__all__ = ["Loc", "Source", "read_source"]

_BOM = "\ufeff"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A 1-based line and column in a source text."""

    line: int
    col: int


@dataclass(frozen=True)
class Source:
    """A text being parsed and the file name its errors are reported under."""

    text: str
    filename: str = "<string>"

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The lines of the text without line ends (split at ``\\n`` only, as lark counts)."""
        return tuple(line.rstrip("\r") for line in self.text.split("\n"))

    def line(self, number: int) -> str:
        """Line ``number`` (1-based), or ``""`` past the end of the text."""
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def error(self, message: str, loc: Loc) -> ParseError:
        """A :class:`ParseError` at ``loc`` with the source line as context."""
        return ParseError(message, SourcePos(self.filename, loc.line, loc.col), self.line(loc.line))


def read_source(path: str | os.PathLike[str]) -> str:
    """The text of the file at ``path``, decoded as UTF-8 (a leading byte-order mark is dropped).

    Raises :class:`ParseError` naming the file for a file that cannot be read (at 1:1), a
    binary file (at the first NUL byte) and bytes that are not UTF-8 (at the first bad byte).
    """
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        reason = err.strerror or str(err)
        raise ParseError(f"cannot read the file: {reason}", SourcePos(name, 1, 1)) from None
    if data.startswith(_UTF16_BOMS):
        raise ParseError(
            "the file is UTF-16 text: expected a UTF-8 text file", SourcePos(name, 1, 1)
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _position_of_byte(data, nul)
        raise ParseError(
            "binary file (it contains a NUL byte): expected a UTF-8 text file",
            SourcePos(name, line, col),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _position_of_byte(data, err.start)
        raise ParseError(
            f"invalid UTF-8 (byte 0x{data[err.start]:02x}): expected a UTF-8 text file",
            SourcePos(name, line, col),
            _line_of_bytes(data, err.start),
        ) from None
    return text.removeprefix(_BOM)


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters, 1-based) of the byte at ``offset``."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    # Everything before the first bad byte decodes, so this counts characters exactly.
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def _line_of_bytes(data: bytes, offset: int) -> str:
    """The line holding the byte at ``offset``, bad bytes shown as U+FFFD."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    raw = data[start:] if end < 0 else data[start:end]
    return raw.decode("utf-8", errors="replace").rstrip("\r")
