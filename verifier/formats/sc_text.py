"""The ``.sc`` text format (DESIGN.md 2.3 and 3.1): :func:`loads` and :func:`dumps`.

>>> program = loads("props p\\nX(0) :- p\\nX :- !X & p\\n")
>>> program.props, program.names, program.print_
(('p',), ('X',), ('X',))
>>> print(dumps(program), end="")
props p
order X
print X
X(0) :- p
X :- !X & p
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
    CONSTANT_WORDS,
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
from verifier.models.sc import SchemaVar, ScProgram

__all__ = ["dumps", "loads"]

_EXPECTED = "'props' and SC clauses such as 'X(0) :- p' and 'X :- X & q'"


def loads(text: str, filename: str = "<string>") -> ScProgram:
    """The SC program written in ``text``.

    Raises :class:`~verifier.errors.ParseError` at ``filename:line:col`` for a syntax error
    and for a program that breaks a rule of SC.
    """
    document = read_document(text, filename, "sc", _EXPECTED)
    anchors = Anchors(document.source)
    props = _read_props(document, anchors)
    clauses = read_heads(document, "schema variable", anchors)
    variables = tuple(_variable(document, anchors, c, props) for c in clauses)
    names = tuple(v.name for v in variables)
    print_ = read_print(document, anchors, default=names)
    attention = read_attention(document, anchors, lambda item: item.value)
    assumptions = read_assumptions(document, anchors)
    meta = read_meta(document)
    return anchors.build(lambda: ScProgram(props, variables, print_, attention, assumptions, meta))


def _read_props(document: Document, anchors: Anchors) -> tuple[str, ...]:
    """The ``props`` names (none without the line), checked against an ``inputs`` line."""
    line = document.directives.get("props")
    props: tuple[str, ...] = ()
    if line is not None:
        assert isinstance(line, NameList)
        for item in line.items:
            if item.value in CONSTANT_WORDS:
                raise document.error(
                    f"'{item.value}' is a constant and cannot be a proposition symbol", item.loc
                )
            anchors.define(("prop", item.value), item.loc)
        props = tuple(str(item.value) for item in line.items)
    inputs = document.directives.get("inputs")
    if inputs is not None:
        assert isinstance(inputs, NameList)
        listed = tuple(str(item.value) for item in inputs.items)
        if listed != props:
            raise document.error(
                "inputs must list the proposition symbols in order: expected"
                f" {' '.join(props) or 'nothing'}",
                inputs.loc,
            )
    return props


def _variable(
    document: Document, anchors: Anchors, clauses: HeadClauses, props: tuple[str, ...]
) -> SchemaVar:
    name = clauses.name
    if name in props:
        # Said here, before the missing-clause checks below would say something less apt.
        raise document.error(
            f"'{name}' is a proposition symbol and cannot be the head of a clause", clauses.loc
        )
    if clauses.terminal is None:
        raise document.error(
            f"schema variable '{name}' has no terminal clause: expected a clause"
            f" '{name}(0) :- formula' over the proposition symbols",
            clauses.loc,
        )
    if clauses.iteration is None:
        raise document.error(
            f"schema variable '{name}' has no iteration clause: expected a clause"
            f" '{name} :- formula'",
            clauses.loc,
        )
    record_refs(anchors, "terminal_ref", clauses.terminal)
    record_refs(anchors, "ref", clauses.iteration)
    return SchemaVar(name, clauses.terminal.body, clauses.iteration.body)


def dumps(program: ScProgram) -> str:
    """The canonical text of ``program``; ``loads(dumps(p)) == p``.

    Directives first (``props``, ``order``, ``print``, ``attention``, ``assume``, ``meta``),
    then the terminal clauses and the iteration clauses, each in the order of the schema
    variables. Raises ValueError for what the text format cannot express.
    """
    check_names(program.props, "proposition")
    check_names(program.names, "schema variable")
    lines = [
        directive_line("props", program.props),
        directive_line("order", program.names),
        directive_line("print", program.print_),
        *attention_line(program.attention, str),
        *assume_lines(program.assumptions),
        *meta_lines(program.meta),
    ]
    lines.extend(clause_line(v.name, v.terminal, terminal=True) for v in program.vars)
    lines.extend(clause_line(v.name, v.body) for v in program.vars)
    return "\n".join(lines) + "\n"
