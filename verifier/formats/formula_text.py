"""Printing formulas in the text syntax of DESIGN.md 2.1, with as few parentheses as possible.

The output parses back to the same formula: ``!`` binds tighter than ``&``, which binds tighter
than ``|``; both binary connectives associate to the left, so a right operand of the same
connective is parenthesised. The printer works with an explicit stack (formulas can be very deep).
:func:`parse_formula` reads the same syntax, with the synonyms ``true``/``false``/``⊤``/``⊥`` and
``¬ ∧ ∨`` (grammar: ``text_formats.lark``).

>>> from verifier.formula import And, Not, Or, Var
>>> format_formula(Or(And(Var("a"), Not(Var("b"))), Var("c")))
'a & !b | c'
>>> format_formula(And(Var("a"), Or(Var("b"), Var("c"))))
'a & (b | c)'
>>> parse_formula("a & !b | c") == Or(And(Var("a"), Not(Var("b"))), Var("c"))
True
"""

from __future__ import annotations

from verifier.formats.source import Source
from verifier.formats.text_syntax import parse_formula_text
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var

__all__ = ["format_formula", "parse_formula"]

_PRECEDENCE = {Or: 1, And: 2, Not: 3}
_ATOM = 4


def _precedence(node: Formula) -> int:
    return _PRECEDENCE.get(type(node), _ATOM)


def format_formula(formula: Formula) -> str:
    """The text of ``formula``; ``parse_formula(format_formula(f)) == f``."""
    out: list[str] = []
    # Work items, popped from the end: a string to emit, or a node to expand.
    stack: list[str | Formula] = [formula]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Var):
            out.append(item.name)
        elif isinstance(item, Top):
            out.append("1")
        elif isinstance(item, Bottom):
            out.append("0")
        elif isinstance(item, Not):
            out.append("!")
            _push(stack, item.arg, _precedence(item.arg) < _PRECEDENCE[Not])
        else:
            prec = _precedence(item)
            left, right = item.children
            _push(stack, right, _precedence(right) <= prec)
            stack.append(" & " if isinstance(item, And) else " | ")
            _push(stack, left, _precedence(left) < prec)
    return "".join(out)


def _push(stack: list[str | Formula], node: Formula, parenthesise: bool) -> None:
    """Schedule ``node`` for emission (the stack pops from the end), in parentheses if asked."""
    if parenthesise:
        stack.extend([")", node, "("])
    else:
        stack.append(node)


def parse_formula(text: str, filename: str = "<string>") -> Formula:
    """The formula written in ``text`` (DESIGN.md 2.1); ``parse_formula(format_formula(f)) == f``.

    Names are ``[A-Za-z_][A-Za-z0-9_.]*`` with an optional index ``[i]``/``[i,j,...]`` whose
    blanks are dropped. Raises :class:`~verifier.errors.ParseError` located in ``filename``.
    """
    formula, _names = parse_formula_text(Source(text, filename))
    return formula
