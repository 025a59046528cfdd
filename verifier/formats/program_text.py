"""What the ``.bnl`` and ``.sc`` formats share: clauses grouped by head, the order of the heads,
the ``print`` names and the clause lines of the writer (DESIGN.md 3.1)."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.formats.formula_text import format_formula
from verifier.formats.source import Loc
from verifier.formats.text_common import CONSTANT_WORDS, Anchors, Document
from verifier.formats.text_syntax import Clause, NameList
from verifier.formula import Formula

__all__ = ["HeadClauses", "clause_line", "read_heads", "read_print", "record_refs"]


@dataclass(frozen=True, slots=True)
class HeadClauses:
    """The clauses of one head: where it first appears, its terminal and its iteration clause."""

    name: str
    loc: Loc
    terminal: Clause | None
    iteration: Clause | None


def read_heads(document: Document, what: str, anchors: Anchors) -> tuple[HeadClauses, ...]:
    """The heads of ``document`` with their clauses, in the linear order of the program.

    The order is the ``order`` directive's if there is one (it must list every head exactly
    once), else the order in which heads first appear in clauses. Raises ParseError for a head
    with two terminal or two iteration clauses (at the second) and a head named ``true`` or
    ``false``. Records ``("head", X)`` at the first clause of X. ``what`` names a head in
    messages ("head", "schema variable").
    """
    first: dict[str, Loc] = {}
    terminal: dict[str, Clause] = {}
    iteration: dict[str, Clause] = {}
    for clause in document.body:
        assert isinstance(clause, Clause)
        name, loc = clause.head.value, clause.head.loc
        if name in CONSTANT_WORDS:
            raise document.error(f"'{name}' is a constant and cannot be a {what}", loc)
        clauses = terminal if clause.terminal else iteration
        previous = clauses.get(name)
        if previous is not None:
            kind = "terminal" if clause.terminal else "iteration"
            raise document.error(
                f"{what} '{name}' has two {kind} clauses (the first is on line"
                f" {previous.head.loc.line}): expected one",
                loc,
            )
        clauses[name] = clause
        first.setdefault(name, loc)
    heads = {
        name: HeadClauses(name, loc, terminal.get(name), iteration.get(name))
        for name, loc in first.items()
    }
    ordered = _apply_order(document, heads, what)
    for head in ordered:
        anchors.define(("head", head.name), head.loc)
    return ordered


def _apply_order(
    document: Document, heads: dict[str, HeadClauses], what: str
) -> tuple[HeadClauses, ...]:
    line = document.directives.get("order")
    if line is None:
        return tuple(heads.values())
    assert isinstance(line, NameList)
    listed: dict[str, None] = {}
    for item in line.items:
        name = str(item.value)
        if name not in heads:
            raise document.error(
                f"order lists '{name}', which is not the head of any clause:"
                f" expected the {what}s, each once",
                item.loc,
            )
        if name in listed:
            raise document.error(f"order lists '{name}' twice: expected each {what} once", item.loc)
        listed[name] = None
    for head in heads.values():
        if head.name not in listed:
            raise document.error(
                f"order does not list the {what} '{head.name}' (line {head.loc.line}):"
                f" expected every {what}, each once",
                line.loc,
            )
    return tuple(heads[name] for name in listed)


def read_print(document: Document, anchors: Anchors, default: tuple[str, ...]) -> tuple[str, ...]:
    """The ``print`` names (``default`` without a print line); records ``("print", name)``."""
    line = document.directives.get("print")
    if line is None:
        return default
    assert isinstance(line, NameList)
    for item in line.items:
        anchors.use(("print", item.value), item.loc)
    return tuple(str(item.value) for item in line.items)


def record_refs(anchors: Anchors, kind: str, clause: Clause) -> None:
    """Record every name of ``clause``'s body as ``(kind, head, name)``."""
    head = clause.head.value
    for name in clause.names:
        anchors.use((kind, head, name.value), name.loc)


def clause_line(head: str, body: Formula, terminal: bool = False) -> str:
    """``X :- body`` or ``X(0) :- body``."""
    return f"{head}{'(0)' if terminal else ''} :- {format_formula(body)}"
