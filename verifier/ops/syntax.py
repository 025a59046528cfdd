"""The language of the cost-calculus essay (``../shared/seeds/post-tech-tree-cost-calculus.txt``):
lambda-calculus programs over numbers whose primitives are ``+``, ``*`` (binary) and ``relu``.

Syntax (S-expressions, ``;`` starts a comment)::

    (λ x y. body)            also (lambda x y. body) and (\\ x y. body); λx. fused is fine
    (f a b)                  application: a primitive, a library name, a variable or a λ
    (+ a b c)                n-ary + and * are sugar for the left fold ((+ a b) c)
    (let ((x e1) (y e2)) e)  bindings in order, each seeing the earlier ones
    2  -1  0.5  1/2          numeric constants, exact rationals
    (define neg (λ x. (* -1 x)) :claimed 1)      a library definition (file level)

A library file is a sequence of ``define`` forms; a definition may use earlier names. Names are
any other atoms (``-``, ``max``, ``inv-step``), checked to be bound: a parameter, a let
binding, an earlier definition or a primitive. Primitives are only applied, never passed
around. Every node keeps its location for messages (:class:`~verifier.errors.ParseError` with
file:line:col).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from verifier.errors import ParseError
from verifier.formats.source import Loc, Source

__all__ = [
    "PRIMITIVES",
    "App",
    "Definition",
    "Expr",
    "Lam",
    "Let",
    "Library",
    "Num",
    "Sym",
    "parse_expression",
    "parse_library",
    "show",
]

PRIMITIVES: Mapping[str, int] = {"+": 2, "*": 2, "relu": 1}
"""The primitives and their arity (+ and * also accept more arguments: a left fold)."""

_NOWHERE = Loc(0, 0)


@dataclass(frozen=True)
class Num:
    """A numeric constant (exact)."""

    value: Fraction
    loc: Loc = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class Sym:
    """A name: a variable, a library definition or a primitive."""

    name: str
    loc: Loc = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class Lam:
    """``(λ params. body)``."""

    params: tuple[str, ...]
    body: Expr
    loc: Loc = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class App:
    """``(fn args...)``."""

    fn: Expr
    args: tuple[Expr, ...]
    loc: Loc = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class Let:
    """``(let ((name bound) ...) body)``, the bindings in order."""

    bindings: tuple[tuple[str, Expr], ...]
    body: Expr
    loc: Loc = field(default=_NOWHERE, compare=False)


Expr = Num | Sym | Lam | App | Let


@dataclass(frozen=True)
class Definition:
    """``(define name expr [:claimed N])``."""

    name: str
    expr: Expr
    claimed: int | None = None
    loc: Loc = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True)
class Library:
    """Definitions in file order; each may use the earlier ones."""

    definitions: tuple[Definition, ...] = ()

    def __contains__(self, name: object) -> bool:
        return any(d.name == name for d in self.definitions)

    def __getitem__(self, name: str) -> Definition:
        for definition in self.definitions:
            if definition.name == name:
                return definition
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.definitions)


# --- reading -------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|;[^\n]*|\(|\)|[^\s();]+")
_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|\d+(?:\.\d*)?|\.\d+)")
_KEYWORDS = frozenset({"let", "define", "lambda", "\\", "λ"})
_LAMBDAS = ("λ", "lambda", "\\")


@dataclass(frozen=True)
class _Atom:
    text: str
    loc: Loc


@dataclass(frozen=True)
class _List:
    items: tuple[_Atom | _List, ...]
    loc: Loc


def _tokens(source: Source) -> Iterator[_Atom]:
    line, start = 1, 0
    for match in _TOKEN.finditer(source.text):
        text = match.group()
        if not text.isspace() and not text.startswith(";"):
            yield _Atom(text, Loc(line, match.start() - start + 1))
        newlines = text.count("\n")
        if newlines:
            line += newlines
            start = match.start() + text.rindex("\n") + 1


def _read(source: Source) -> list[_Atom | _List]:
    """The S-expressions of the text (ParseError for unbalanced parentheses)."""
    stack: list[tuple[Loc, list[_Atom | _List]]] = [(Loc(1, 1), [])]
    for token in _tokens(source):
        if token.text == "(":
            stack.append((token.loc, []))
        elif token.text == ")":
            if len(stack) == 1:
                raise source.error("unexpected ')'", token.loc)
            loc, items = stack.pop()
            stack[-1][1].append(_List(tuple(items), loc))
        else:
            stack[-1][1].append(token)
    if len(stack) > 1:
        raise source.error("'(' is never closed", stack[-1][0])
    return stack[0][1]


class _Parser:
    def __init__(self, source: Source, library: Library) -> None:
        self.source = source
        self.library = library

    def error(self, message: str, loc: Loc) -> ParseError:
        return self.source.error(message, loc)

    def expression(self, node: _Atom | _List, scope: frozenset[str]) -> Expr:
        if isinstance(node, _Atom):
            return self.atom(node, scope, applied=False)
        if not node.items:
            raise self.error("empty application '()'", node.loc)
        head = node.items[0]
        if isinstance(head, _Atom) and (head.text in _LAMBDAS or head.text.startswith("λ")):
            return self.lam(node, scope)
        if isinstance(head, _Atom) and head.text == "let":
            return self.let(node, scope)
        if isinstance(head, _Atom) and head.text == "define":
            raise self.error("define is only allowed at the top level of a library", head.loc)
        fn = (
            self.atom(head, scope, applied=True)
            if isinstance(head, _Atom)
            else self.expression(head, scope)
        )
        args = tuple(self.expression(item, scope) for item in node.items[1:])
        if not args:
            raise self.error("an application needs at least one argument", node.loc)
        if isinstance(fn, Sym) and fn.name in PRIMITIVES and fn.name not in scope:
            arity = PRIMITIVES[fn.name]
            if len(args) < arity or (fn.name == "relu" and len(args) != 1):
                want = "1 argument" if arity == 1 else f"at least {arity} arguments"
                raise self.error(f"{fn.name} takes {want}, got {len(args)}", node.loc)
        if isinstance(fn, Num):
            raise self.error(f"the number {fn.value} cannot be applied", head.loc)
        return App(fn, args, node.loc)

    def atom(self, atom: _Atom, scope: frozenset[str], applied: bool) -> Num | Sym:
        text = atom.text
        if _NUMBER.fullmatch(text):
            try:
                return Num(Fraction(text), atom.loc)
            except ZeroDivisionError:
                raise self.error(f"{text}: division by zero", atom.loc) from None
        if re.match(r"[+-]?\.?\d", text):
            raise self.error(f"{text!r} is not a number (write 2, -1, 0.5 or 1/2)", atom.loc)
        if text in _KEYWORDS or text.startswith(":"):
            raise self.error(f"unexpected {text!r}", atom.loc)
        if text in scope or text in self.library:
            return Sym(text, atom.loc)
        if text in PRIMITIVES:
            if not applied:
                example = f"({text} x)" if PRIMITIVES[text] == 1 else f"({text} x y)"
                raise self.error(f"the primitive {text} must be applied, e.g. {example}", atom.loc)
            return Sym(text, atom.loc)
        raise self.error(
            f"unknown name {text!r} (not a parameter, let binding, definition or primitive)",
            atom.loc,
        )

    def lam(self, node: _List, scope: frozenset[str]) -> Lam:
        items = list(node.items)
        head = items.pop(0)
        assert isinstance(head, _Atom)
        words: list[_Atom] = []
        if head.text.startswith("λ") and head.text != "λ":
            words.append(_Atom(head.text[1:], Loc(head.loc.line, head.loc.col + 1)))
        params: list[str] = []
        dot = False
        while not dot:
            if not words:
                if not items or not isinstance(items[0], _Atom):
                    raise self.error("a λ needs its parameters and a '.' before the body", node.loc)
                words.append(items.pop(0))  # type: ignore[arg-type]
            word = words.pop(0)
            text = word.text
            if text.endswith("."):
                dot, text = True, text[:-1]
            if text:
                if _NUMBER.fullmatch(text) or text in PRIMITIVES or text in _KEYWORDS:
                    raise self.error(f"{text!r} cannot be a parameter", word.loc)
                if "." in text:
                    raise self.error(f"{text!r} cannot be a parameter (a '.' ends them)", word.loc)
                if text in params:
                    raise self.error(f"parameter {text!r} given twice", word.loc)
                params.append(text)
        if not params:
            raise self.error("a λ needs at least one parameter", node.loc)
        if len(items) != 1:
            raise self.error(f"a λ has one body after the '.', got {len(items)}", node.loc)
        body = self.expression(items[0], scope | set(params))
        return Lam(tuple(params), body, node.loc)

    def let(self, node: _List, scope: frozenset[str]) -> Let:
        if len(node.items) != 3 or not isinstance(node.items[1], _List):
            raise self.error("expected (let ((name expr) ...) body)", node.loc)
        bindings = []
        inner = scope
        for binding in node.items[1].items:
            if (
                not isinstance(binding, _List)
                or len(binding.items) != 2
                or not isinstance(binding.items[0], _Atom)
            ):
                raise self.error("a let binding is (name expr)", binding.loc)
            name = binding.items[0].text
            if _NUMBER.fullmatch(name) or name in PRIMITIVES or name in _KEYWORDS:
                raise self.error(f"{name!r} cannot be bound", binding.items[0].loc)
            bindings.append((name, self.expression(binding.items[1], inner)))
            inner = inner | {name}
        return Let(tuple(bindings), self.expression(node.items[2], inner), node.loc)

    def definition(self, node: _Atom | _List) -> Definition:
        if (
            not isinstance(node, _List)
            or not node.items
            or not isinstance(node.items[0], _Atom)
            or node.items[0].text != "define"
        ):
            raise self.error("a library holds (define name expr [:claimed N]) forms", node.loc)
        items = node.items[1:]
        claimed = None
        if len(items) == 4 and isinstance(items[2], _Atom) and items[2].text == ":claimed":
            cost = items[3]
            if not isinstance(cost, _Atom) or not cost.text.isdigit():
                raise self.error(":claimed takes a non-negative integer", cost.loc)
            claimed, items = int(cost.text), items[:2]
        if len(items) != 2 or not isinstance(items[0], _Atom):
            raise self.error("expected (define name expr [:claimed N])", node.loc)
        name = items[0]
        if name.text in self.library:
            raise self.error(f"{name.text!r} is already defined", name.loc)
        if _NUMBER.fullmatch(name.text) or name.text in PRIMITIVES or name.text in _KEYWORDS:
            raise self.error(f"{name.text!r} cannot be defined", name.loc)
        return Definition(name.text, self.expression(items[1], frozenset()), claimed, node.loc)


def parse_library(text: str, filename: str = "<string>", base: Library | None = None) -> Library:
    """The definitions of a library file, after those of ``base`` (ParseError with
    file:line:col for anything wrong)."""
    source = Source(text, filename)
    library = base or Library()
    parser = _Parser(source, library)
    for node in _read(source):
        definition = parser.definition(node)
        library = Library((*library.definitions, definition))
        parser.library = library
    return library


def parse_expression(
    text: str, library: Library | None = None, filename: str = "<expression>"
) -> Expr:
    """One closed expression (e.g. a λ on the command line), which may use ``library``."""
    source = Source(text, filename)
    nodes = _read(source)
    if len(nodes) != 1:
        loc = nodes[1].loc if len(nodes) > 1 else Loc(1, 1)
        raise source.error(f"expected one expression, got {len(nodes)}", loc)
    return _Parser(source, library or Library()).expression(nodes[0], frozenset())


# --- writing -------------------------------------------------------------------------------------


def show(expr: Expr) -> str:
    """``expr`` in the input syntax (λ written as ``λ``), parsed back to an equal expression."""
    if isinstance(expr, Num):
        return str(expr.value)
    if isinstance(expr, Sym):
        return expr.name
    if isinstance(expr, Lam):
        return f"(λ {' '.join(expr.params)}. {show(expr.body)})"
    if isinstance(expr, Let):
        bindings = " ".join(f"({name} {show(bound)})" for name, bound in expr.bindings)
        return f"(let ({bindings}) {show(expr.body)})"
    return f"({' '.join(show(part) for part in (expr.fn, *expr.args))})"
