"""The ``.bnl`` text format (DESIGN.md 2.2 and 3.1): :func:`loads` and :func:`dumps`.

>>> program = loads("Y(0) :- 0\\nX :- X\\nY :- !Y & X\\n")
>>> program.names, program.input_names, program.print_
(('Y', 'X'), ('X',), ('Y', 'X'))
>>> print(dumps(program), end="")
order Y X
inputs X
print Y X
Y(0) :- 0
Y :- !Y & X
X :- X
"""

from __future__ import annotations

from verifier.formats.program_text import (
    HeadClauses,
    clause_line,
    read_heads,
    read_print,
    record_refs,
)
from verifier.formats.text_common import (
    Anchors,
    Document,
    assume_lines,
    attention_line,
    check_names,
    directive_line,
    meta_lines,
    read_assumptions,
    read_attention,
    read_document,
    read_meta,
)
from verifier.formats.text_syntax import NameList
from verifier.formula import Bottom, Top
from verifier.models.bnl import BnlProgram, Head

__all__ = ["dumps", "loads"]

_EXPECTED = "BNL clauses such as 'X(0) :- 1' and 'X :- !X', and directives"


def loads(text: str, filename: str = "<string>") -> BnlProgram:
    """The BNL program written in ``text``.

    Raises :class:`~verifier.errors.ParseError` at ``filename:line:col`` for a syntax error
    and for a program that breaks a rule of BNL.
    """
    document = read_document(text, filename, "bnl", _EXPECTED)
    anchors = Anchors(document.source)
    clauses = read_heads(document, "head", anchors)
    heads = tuple(_head(document, anchors, h) for h in clauses)
    _check_inputs(document, heads, clauses)
    names = tuple(h.name for h in heads)
    print_ = read_print(document, anchors, default=names)
    attention = read_attention(document, anchors, lambda item: item.value)
    assumptions = read_assumptions(document, anchors)
    meta = read_meta(document)
    return anchors.build(lambda: BnlProgram(heads, print_, attention, assumptions, meta))


def _head(document: Document, anchors: Anchors, clauses: HeadClauses) -> Head:
    if clauses.iteration is None:
        raise document.error(
            f"head '{clauses.name}' has no iteration clause: expected a clause"
            f" '{clauses.name} :- formula'",
            clauses.loc,
        )
    record_refs(anchors, "ref", clauses.iteration)
    init: bool | None = None
    if clauses.terminal is not None:
        body = clauses.terminal.body
        if not isinstance(body, Top | Bottom):
            raise document.error(
                "the body of a BNL terminal clause must be 0 or 1", clauses.terminal.body_loc
            )
        init = isinstance(body, Top)
    return Head(clauses.name, clauses.iteration.body, init)


def _check_inputs(
    document: Document, heads: tuple[Head, ...], clauses: tuple[HeadClauses, ...]
) -> None:
    """The optional ``inputs`` line must list the heads without terminal clause, in order."""
    line = document.directives.get("inputs")
    if line is None:
        return
    assert isinstance(line, NameList)
    by_name = {c.name: c for c in clauses}
    inputs = [h.name for h in heads if h.is_input]
    listed: list[str] = []
    for item in line.items:
        name = str(item.value)
        head = by_name.get(name)
        if head is None:
            problem = "which is not the head of any clause"
        elif head.terminal is not None:
            problem = f"which has a terminal clause (line {head.terminal.head.loc.line})"
        elif name in listed:
            problem = "twice"
        else:
            listed.append(name)
            continue
        raise document.error(
            f"inputs lists '{name}', {problem}: expected the heads without terminal clause",
            item.loc,
        )
    missing = [name for name in inputs if name not in listed]
    if missing:
        raise document.error(
            f"inputs does not list '{missing[0]}', which has no terminal clause: expected"
            f" the heads without terminal clause ({' '.join(inputs)})",
            line.loc,
        )
    if listed != inputs:
        raise document.error(
            f"inputs must list the input predicates in head order: expected {' '.join(inputs)}",
            line.loc,
        )


def dumps(program: BnlProgram) -> str:
    """The canonical text of ``program``; ``loads(dumps(p)) == p``.

    Directives first (``order``, ``inputs``, ``print``, ``attention``, ``assume``, ``meta``),
    then the terminal clauses and the iteration clauses, each in head order. Raises
    ValueError for what the text format cannot express (see :mod:`text_common`).
    """
    check_names(program.names, "head")
    lines = [
        directive_line("order", program.names),
        directive_line("inputs", program.input_names),
        directive_line("print", program.print_),
        *attention_line(program.attention, str),
        *assume_lines(program.assumptions),
        *meta_lines(program.meta),
    ]
    for head in program.heads:
        if head.init is not None:
            lines.append(clause_line(head.name, Top() if head.init else Bottom(), terminal=True))
    lines.extend(clause_line(head.name, head.body) for head in program.heads)
    return "\n".join(lines) + "\n"
