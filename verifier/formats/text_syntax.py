"""Syntax of the text formats: the lark grammar, its statements, and syntax errors.

:func:`parse_statements` parses a ``.bnl``, ``.sc`` or ``.circ`` text with the grammar in
``text_formats.lark`` and returns the file's statements (clauses, gate definitions and
directives) in file order, each carrying the source location of every element a later check may
point at: clause heads, every name occurrence in a formula or gate expression, directive
keywords, listed names and positions. :func:`parse_formula_text` parses one formula.

The parse tree is converted with lark's :class:`~lark.visitors.Transformer_NonRecursive`:
formulas from published models are thousands of levels deep, and nothing here recurses on depth.

Syntax errors become :class:`~verifier.errors.ParseError` at the offending line and column, with
a message saying what was expected: a line whose first word is neither a directive nor the start
of a clause is an unknown directive; a few contexts get a hint from a labelled catalogue of
malformed inputs (lark's ``match_examples``); otherwise the message lists the terminals the
parser would have accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, Literal, TypeVar, cast

from lark import Lark, Token, Transformer_NonRecursive, UnexpectedCharacters, UnexpectedInput
from lark.exceptions import UnexpectedToken, VisitError

from verifier.errors import ParseError
from verifier.formats.source import Loc, Source
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models.attention import AttentionAll, AttentionRounds, Progression
from verifier.models.circuit import GateApp, GateExpr, GateRef

__all__ = [
    "Assume",
    "AttentionLine",
    "Clause",
    "Directive",
    "GateLine",
    "InitLine",
    "Located",
    "Meta",
    "NameList",
    "Start",
    "Statement",
    "parse_formula_text",
    "parse_statements",
]

T = TypeVar("T")
Start = Literal["bnl", "sc", "circ"]

_GRAMMAR = Path(__file__).with_name("text_formats.lark")


# ---------------------------------------------------------------------------------------------
# Statements


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A value read from the source and where it was written."""

    value: T
    loc: Loc


@dataclass(frozen=True, slots=True)
class Clause:
    """``X :- body`` (``terminal`` False) or ``X(0) :- body`` (``terminal`` True).

    ``names`` lists every name occurrence in the body, left to right; ``body_loc`` is where the
    body starts.
    """

    head: Located[str]
    terminal: bool
    body: Formula
    body_loc: Loc
    names: tuple[Located[str], ...]


@dataclass(frozen=True, slots=True)
class NameList:
    """``order``, ``inputs``, ``outputs``, ``props`` or ``print`` followed by its items.

    Items are names, and in a circuit's ``print`` also 1-based positions (ints).
    """

    keyword: str
    loc: Loc
    items: tuple[Located[str | int], ...]


@dataclass(frozen=True, slots=True)
class AttentionLine:
    """``attention all``, ``attention rounds ...`` or ``attention`` with predicates/positions."""

    loc: Loc
    spec: AttentionAll | AttentionRounds | tuple[Located[str | int], ...]

    keyword = "attention"


@dataclass(frozen=True, slots=True)
class Assume:
    """``assume formula``, with the name occurrences of the formula."""

    loc: Loc
    formula: Formula
    names: tuple[Located[str], ...]

    keyword = "assume"


@dataclass(frozen=True, slots=True)
class Meta:
    """``meta text``: the text after the keyword, verbatim up to a comment or the line end."""

    loc: Loc
    text: str

    keyword = "meta"


@dataclass(frozen=True, slots=True)
class InitLine:
    """``init a=0 b=1``: input-gate names with their initial bits."""

    loc: Loc
    entries: tuple[tuple[Located[str], Located[bool]], ...]

    keyword = "init"


@dataclass(frozen=True, slots=True)
class GateLine:
    """``g = expr``, with every gate name referenced in ``expr``, left to right."""

    name: Located[str]
    expr: GateExpr
    refs: tuple[Located[str], ...]


Directive = NameList | AttentionLine | Assume | Meta | InitLine
Statement = Clause | GateLine | Directive


# ---------------------------------------------------------------------------------------------
# Parsing


@cache
def _lark() -> Lark:
    """The parser, built once: LALR(1) with the contextual lexer (see the grammar's header)."""
    return Lark(
        _GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        start=["bnl", "sc", "circ", "formula"],
    )


def parse_statements(source: Source, start: Start) -> tuple[Statement, ...]:
    """The statements of ``source`` read as a file of format ``start``, in file order.

    Raises :class:`ParseError` for a syntax error and for the few rules checked while reading
    a single statement (a progression's step, ``not()``'s fan-in, an initial bit).
    """
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        tree = _lark().parse(text, start=start)
    except UnexpectedInput as err:
        raise _syntax_error(source, err, start) from None
    return cast(tuple[Statement, ...], _transform(source, tree))


def parse_formula_text(source: Source) -> tuple[Formula, tuple[Located[str], ...]]:
    """The formula that is the whole of ``source``, and its name occurrences."""
    try:
        tree = _lark().parse(source.text, start="formula")
    except UnexpectedInput as err:
        raise _syntax_error(source, err, "formula") from None
    builder = _ToStatements(source)
    formula = cast(Formula, _transform(source, tree, builder))
    return formula, builder.take_names()


def _transform(source: Source, tree: object, builder: _ToStatements | None = None) -> object:
    try:
        return (builder or _ToStatements(source)).transform(tree)
    except VisitError as err:
        # lark wraps what a callback raises; a _Problem is a user error at a known place.
        if isinstance(err.orig_exc, _Problem):
            raise source.error(err.orig_exc.message, err.orig_exc.loc) from None
        raise


class _Problem(Exception):
    """A rule broken inside one statement, found while converting the parse tree."""

    def __init__(self, message: str, loc: Loc) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc


def _loc(token: Token) -> Loc:
    return Loc(token.line, token.column)


def _name(token: Token) -> str:
    """A NAME token's text, with the blanks inside an index removed: ``P[3, 1]`` is ``P[3,1]``."""
    text = str(token)
    return re.sub(r"[ \t]", "", text) if "[" in text else text


def _located_name(token: Token) -> Located[str]:
    return Located(_name(token), _loc(token))


def _position(token: Token) -> Located[str | int]:
    value: str | int = int(token) if token.type == "INT" else _name(token)
    return Located(value, _loc(token))


_TOP, _BOTTOM = Top(), Bottom()


class _ToStatements(Transformer_NonRecursive):
    """Parse tree -> statements. Callbacks run bottom-up, statement after statement, so the
    name occurrences collected while building a formula or gate expression belong to the
    statement whose callback comes next."""

    def __init__(self, source: Source) -> None:
        super().__init__(visit_tokens=False)
        self._source = source
        self._names: list[Located[str]] = []
        self._refs: list[Located[str]] = []

    def take_names(self) -> tuple[Located[str], ...]:
        names = tuple(self._names)
        self._names.clear()
        return names

    def _take_refs(self) -> tuple[Located[str], ...]:
        refs = tuple(self._refs)
        self._refs.clear()
        return refs

    # -- whole files
    def bnl(self, children: list[Statement]) -> tuple[Statement, ...]:
        return tuple(children)

    sc = circ = bnl

    def formula(self, children: list[Formula]) -> Formula:
        return children[0]

    # -- formulas
    def var(self, children: list[Token]) -> Formula:
        name = _located_name(children[0])
        self._names.append(name)
        return Var(name.value)

    def top(self, _children: list[object]) -> Formula:
        return _TOP

    def bottom(self, _children: list[object]) -> Formula:
        return _BOTTOM

    def neg(self, children: list[Formula]) -> Formula:
        return Not(children[0])

    def conj(self, children: list[Formula]) -> Formula:
        return And(children[0], children[1])

    def disj(self, children: list[Formula]) -> Formula:
        return Or(children[0], children[1])

    # -- clauses
    def iteration_clause(self, children: list[object]) -> Clause:
        return self._clause(children, terminal=False)

    def terminal_clause(self, children: list[object]) -> Clause:
        return self._clause(children, terminal=True)

    def _clause(self, children: list[object], terminal: bool) -> Clause:
        head, implies, body = children
        assert isinstance(head, Token) and isinstance(implies, Token)
        assert isinstance(body, Formula)
        return Clause(_located_name(head), terminal, body, self._after(implies), self.take_names())

    def _after(self, token: Token) -> Loc:
        """Where the first non-blank character after ``token`` is."""
        assert token.end_line is not None and token.end_column is not None
        text = self._source.line(token.end_line)
        index = token.end_column - 1
        while index < len(text) and text[index] in " \t\r\f":
            index += 1
        return Loc(token.end_line, index + 1)

    # -- directives
    def _name_list(self, children: list[Token]) -> NameList:
        keyword, *items = children
        return NameList(str(keyword), _loc(keyword), tuple(_position(t) for t in items))

    order = inputs = outputs = props = print = circ_print = _name_list

    def attention(self, children: list[object]) -> AttentionLine:
        keyword, *rest = children
        assert isinstance(keyword, Token)
        first = rest[0]
        spec: AttentionAll | AttentionRounds | tuple[Located[str | int], ...]
        if isinstance(first, Token) and first.type == "ALL":
            spec = AttentionAll()
        elif isinstance(first, Token) and first.type == "ROUNDS":
            assert isinstance(rest[1], AttentionRounds)
            spec = rest[1]
        else:
            spec = tuple(_position(t) for t in rest if isinstance(t, Token))
        return AttentionLine(_loc(keyword), spec)

    circ_attention = attention

    def rounds(self, children: list[Token | Progression]) -> AttentionRounds:
        return AttentionRounds(tuple(int(c) if isinstance(c, Token) else c for c in children))

    def progression(self, children: list[Token]) -> Progression:
        start, step = children
        if int(step) < 1:
            raise _Problem("a progression a+bk needs a step b of at least 1", _loc(step))
        return Progression(int(start), int(step))

    def assume(self, children: list[object]) -> Assume:
        keyword, formula = children
        assert isinstance(keyword, Token) and isinstance(formula, Formula)
        return Assume(_loc(keyword), formula, self.take_names())

    def meta(self, children: list[Token]) -> Meta:
        keyword, *text = children
        return Meta(_loc(keyword), str(text[0]).rstrip(" \t\r\f") if text else "")

    def init(self, children: list[object]) -> InitLine:
        keyword, *entries = children
        assert isinstance(keyword, Token)
        return InitLine(_loc(keyword), tuple(entries))  # type: ignore[arg-type]

    def init_entry(self, children: list[Token]) -> tuple[Located[str], Located[bool]]:
        name, bit = children
        if str(bit) not in ("0", "1"):
            raise _Problem(f"expected 0 or 1 as the initial value, got {bit}", _loc(bit))
        return _located_name(name), Located(str(bit) == "1", _loc(bit))

    # -- gates
    def gate(self, children: list[object]) -> GateLine:
        name, expr = children
        assert isinstance(name, Token)
        return GateLine(_located_name(name), expr, self._take_refs())  # type: ignore[arg-type]

    def ref(self, children: list[Token]) -> GateExpr:
        name = _located_name(children[0])
        self._refs.append(name)
        return GateRef(name.value)

    def negated(self, children: list[GateExpr]) -> GateExpr:
        return GateApp("not", (children[0],))

    def app(self, children: list[object]) -> GateExpr:
        op, *args = children
        assert isinstance(op, Token)
        if op == "not" and len(args) != 1:
            raise _Problem(f"not() takes exactly one argument, got {len(args)}", _loc(op))
        return GateApp(str(op), tuple(args))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Syntax errors

_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "bnl": ("order", "inputs", "print", "attention", "assume", "meta"),
    "sc": ("props", "order", "inputs", "print", "attention", "assume", "meta"),
    "circ": ("inputs", "outputs", "init", "print", "attention", "assume", "meta"),
}
_STATEMENT: dict[str, str] = {
    "bnl": "a clause ('X :- formula' or 'X(0) :- 0|1')",
    "sc": "a clause ('X :- formula' or 'X(0) :- formula')",
    "circ": "a gate definition ('g = and(...)')",
}
_FORMAT_NAME = {"bnl": ".bnl", "sc": ".sc", "circ": ".circ"}

# A labelled catalogue of malformed lines. An error in the same LALR state as one of these
# examples gets the label as a hint in front of the "expected ..." list. This is the idea of
# lark's ``UnexpectedInput.match_examples``, keyed by the parser state alone: match_examples
# also compares the depth of the parser's stack, which differs between the first and later
# statements of a file and between the first and later items of a list.
_ROUNDS_HINT = "malformed 'attention rounds' (write e.g. 'attention rounds 0, 3, 5+2k')"
_ROUNDS_TAILS = ["x", "1 2", "1,", "1+", "1+x", "1+2", "1+2x", "1+2k 3"]
_ROUNDS_EXAMPLES = [
    "attention rounds",
    *(f"attention rounds {tail}" for tail in _ROUNDS_TAILS),
    *(f"attention rounds 0, {tail}" for tail in _ROUNDS_TAILS),
]
_ATTENTION_HINT = (
    "malformed 'attention' (write 'attention NAMES', 'attention all' or 'attention rounds ...')"
)
_CLAUSE_CATALOGUE: dict[str, list[str]] = {
    "malformed terminal clause (write 'X(0) :- body')": [
        "X(1) :- 1",
        "X() :- 1",
        "X(0 :- 1",
        "X(0) 1",
    ],
    _ROUNDS_HINT: _ROUNDS_EXAMPLES,
    _ATTENTION_HINT: ["attention", "attention all X"],
}
_GATE_TAILS = ["", "and", "and(", "and(x", "and(x,", "and(x y)", "and(x))", "x y", "!", "(x)"]
_CATALOGUE: dict[str, dict[str, list[str]]] = {
    "bnl": _CLAUSE_CATALOGUE,
    "sc": _CLAUSE_CATALOGUE,
    "circ": {
        "malformed gate (write e.g. 'g = and(x, !y)', 'g = or()', 'g = not(x)' or 'g = x')": [
            *(f"g = {tail}" for tail in _GATE_TAILS),
            *(f"g = or(y, {tail})" for tail in _GATE_TAILS),
        ],
        "malformed init entry (write e.g. 'init a=0 b=1')": [
            "init a",
            "init a=",
            "init a=x",
            "init 1",
        ],
        _ROUNDS_HINT: _ROUNDS_EXAMPLES,
        _ATTENTION_HINT: ["attention", "attention all x"],
    },
    "formula": {},
}

_DESCRIPTIONS = {
    "NAME": "a name",
    "INT": "a number",
    "IMPLIES": "':-'",
    "META_TEXT": "text",
    "_NL": "the end of the line",
    "_OR": "'|'",
    "_AND": "'&'",
    "_NOT": "'!'",
    "_ONE": "'1'",
    "_TRUE": "'true'",
    "_TOP": "'⊤'",
    "_ZERO": "'0'",
    "_FALSE": "'false'",
    "_BOTTOM": "'⊥'",
    "_LPAR": "'('",
    "_RPAR": "')'",
    "_COMMA": "','",
    "_EQUAL": "'='",
    "_PLUS": "'+'",
    "_K": "'k'",
    "ALL": "'all'",
    "ROUNDS": "'rounds'",
    "AND_GATE": "'and'",
    "OR_GATE": "'or'",
    "NOT_GATE": "'not'",
}
_KEYWORDS = {"ORDER", "INPUTS", "OUTPUTS", "PROPS", "PRINT", "ATTENTION", "ASSUME", "META", "INIT"}
_FORMULA_START = {"NAME", "_NOT", "_LPAR", "_ONE", "_TRUE", "_TOP", "_ZERO", "_FALSE", "_BOTTOM"}
_GATE_START = {"NAME", "_NOT", "AND_GATE", "OR_GATE", "NOT_GATE"}
_IGNORED = {"WS", "COMMENT"}

_WORD = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_.]*)")
_TOKEN_TEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*|[0-9]+|:-")


def _syntax_error(source: Source, err: UnexpectedInput, start: str) -> ParseError:
    """The :class:`ParseError` for a lark error: position, hint and what was expected."""
    loc = _error_loc(source, err, start)
    if start != "formula":
        unknown = _unknown_directive(source, loc, start)
        if unknown is not None:
            return unknown
    expected = _describe_expected(_expected_terminals(err), start)
    got = _describe_found(source, loc, start)
    if isinstance(err, UnexpectedCharacters) and got.startswith("'"):
        message = f"unexpected character {got}: expected {expected}"
    else:
        message = f"expected {expected}, got {got}"
    hint = _catalogue_hint(err, start)
    return source.error(f"{hint}: {message}" if hint else message, loc)


def _error_loc(source: Source, err: UnexpectedInput, start: str) -> Loc:
    """Where to point: the offending token, or just after the last word before a line end."""
    if isinstance(err, UnexpectedToken) and err.token.type == "$END":
        last = len(source.lines)
        return Loc(last, len(source.line(last)) + 1)
    line, col = int(err.line), int(err.column)
    text = source.line(line)
    if col > len(text):
        # The line end: point after the last word, not after a trailing comment.
        col = len(text.split("#", 1)[0].rstrip()) + 1
    return Loc(line, col)


def _unknown_directive(source: Source, loc: Loc, start: str) -> ParseError | None:
    """An "unknown directive" error if the error's line starts like a directive of no format.

    That is a first word that the parser took as a name (the error comes after it) and that is
    not followed by what continues a clause head (``:-``, ``(``) or a gate name (``=``).
    """
    text = source.line(loc.line)
    match = _WORD.match(text)
    if match is None or loc.col <= match.end(1):
        return None
    word = match.group(1)
    rest = text[match.end(1) :].split("#", 1)[0].strip()
    if word in _DIRECTIVES[start] or rest[:1] in (":", "(", "=", "["):
        return None
    elsewhere = [fmt for fmt, words in _DIRECTIVES.items() if word in words]
    note = f" ('{word}' is a directive of {_FORMAT_NAME[elsewhere[0]]} files)" if elsewhere else ""
    return source.error(
        f"unknown directive '{word}'{note}: expected {_STATEMENT[start]} or one of the"
        f" directives {', '.join(_DIRECTIVES[start])}",
        Loc(loc.line, match.start(1) + 1),
    )


def _catalogue_hint(err: UnexpectedInput, start: str) -> str | None:
    """The label of the catalogue example that fails in the parser state of ``err``."""
    return catalogue_states(start).get(_state_number(err))


@cache
def catalogue_states(start: str) -> dict[int, str]:
    """Parser state -> label, from parsing each malformed example of the catalogue."""
    states: dict[int, str] = {}
    for label, lines in _CATALOGUE[start].items():
        for line in lines:
            try:
                _lark().parse(line + "\n", start=start)
            except UnexpectedInput as err:
                states.setdefault(_state_number(err), label)
    return states


def catalogue_examples(start: str) -> dict[str, list[str]]:
    """The catalogue of malformed lines for ``start`` (label -> examples), for tests."""
    return _CATALOGUE[start]


def _state_number(err: UnexpectedInput) -> int:
    """The LALR state the parser was in (lark stores a ParserState, or a bare state number)."""
    state = err.state
    return int(getattr(state, "position", state) if state is not None else -1)


def _expected_terminals(err: UnexpectedInput) -> set[str]:
    """The terminals the parser would have accepted at the error.

    The interactive parser's answer is exact; the LALR table's (``expected``) may include
    lookaheads merged in from other contexts, such as ``)`` outside any parenthesis.
    """
    interactive = getattr(err, "interactive_parser", None)
    if interactive is not None:
        names = set(interactive.accepts())
    elif isinstance(err, UnexpectedToken):
        names = set(err.expected)
    elif isinstance(err, UnexpectedCharacters):
        names = set(err.allowed or ())
    else:
        names = set()
    return names - _IGNORED


def _describe_expected(terminals: set[str], start: str) -> str:
    """``{'_AND', '_OR', '_NL'}`` -> ``"'&', '|' or the end of the line"``."""
    phrases: list[str] = []
    rest = set(terminals)
    if rest & _KEYWORDS:
        phrases.append(f"{_STATEMENT[start]} or a directive")
        # A blank line is acceptable here too, but that is not worth saying.
        rest -= _KEYWORDS | {"NAME", "_NL"}
    if {"NAME", "_NOT", "_LPAR"} <= rest:
        phrases.append("a formula")
        rest -= _FORMULA_START
    elif {"NAME", "_NOT"} <= rest and start == "circ":
        phrases.append("a gate name or a gate expression such as and(...)")
        rest -= _GATE_START
    ends = {"_NL", "$END"}
    phrases.extend(sorted(_DESCRIPTIONS.get(t, t) for t in rest - ends))
    if start == "formula" and rest & ends:
        phrases.append("the end of the formula")
    elif "_NL" in rest:
        phrases.append(_DESCRIPTIONS["_NL"])
    return _join(phrases) if phrases else "nothing more"


def _describe_found(source: Source, loc: Loc, start: str) -> str:
    """What the source holds at ``loc``: a word, a number, a symbol or the end of the line."""
    text = source.line(loc.line)
    index = loc.col - 1
    if index >= len(text.split("#", 1)[0].rstrip()):
        return "the end of the formula" if start == "formula" else "the end of the line"
    match = _TOKEN_TEXT.match(text, index)
    return f"'{match.group(0) if match else text[index]}'"


def _join(phrases: Iterable[str]) -> str:
    items = list(phrases)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
