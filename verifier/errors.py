"""The package's exception hierarchy.

One root (:class:`VerifierError`). User errors (:class:`InputError` and its subclasses) are
reported by the CLI as one clear message with exit status 2; anything else that escapes is an
internal error. ``assert`` is never used to validate user input.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError", "ModelError", "ParseError", "SourcePos", "VerifierError"]


class VerifierError(Exception):
    """Root of every exception this package raises on purpose."""


class InputError(VerifierError):
    """Bad input or usage: the CLI prints ``str(err)`` and exits with status 2."""


@dataclass(frozen=True)
class SourcePos:
    """A 1-based line and column in a named file."""

    file: str
    line: int
    col: int


class ParseError(InputError):
    """A file that does not parse or does not validate, located at ``file:line:col``.

    ``context`` is the offending source line; the message shows it with a caret under the
    column, in the style compilers use.
    """

    def __init__(self, message: str, pos: SourcePos, context: str | None = None) -> None:
        self.message = message
        self.pos = pos
        self.context = context
        super().__init__(self._render())

    @property
    def file(self) -> str:
        return self.pos.file

    @property
    def line(self) -> int:
        return self.pos.line

    @property
    def col(self) -> int:
        return self.pos.col

    def _render(self) -> str:
        text = f"{self.pos.file}:{self.pos.line}:{self.pos.col}: error: {self.message}"
        if self.context is not None:
            line = self.context.expandtabs(1)
            caret = " " * max(self.pos.col - 1, 0) + "^"
            text += f"\n    {line}\n    {caret}"
        return text


class ModelError(InputError):
    """A model that violates the rules of its formalism (DESIGN.md 2.2-2.4).

    ``anchor`` names the offending element so that a parser can point at its source position:
    a tuple whose first item is a kind and whose other items identify the element, e.g.
    ``("ref", "X", "Z")`` for the name Z used in the clause of head X. The kinds are listed in
    :mod:`verifier.models.common`.
    """

    def __init__(self, message: str, anchor: tuple[object, ...] = ()) -> None:
        self.message = message
        self.anchor = anchor
        super().__init__(message)
