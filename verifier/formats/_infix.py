"""An iterative parser for infix formulas ``! & | ( )`` with constants, shared by the
interchange formats (the ``.bnet`` rules of DESIGN.md 3.2 and the ``assume`` comments of AIGER).

The syntax is that of DESIGN.md 2.1: precedence ``!`` > ``&`` > ``|``, both binary connectives
associate to the left (``a & b & c`` is ``(a & b) & c``, as :func:`format_formula` prints it),
constants ``0 1 true false`` and the Unicode synonyms ``¬ ∧ ∨ ⊤ ⊥``. What counts as a name is
the caller's choice (``.bnet`` names may start with a digit, DESIGN names may carry an index).

The parser is a shunting-yard loop over the tokens: published models have rules with tens of
thousands of connectives and parentheses nested thousands deep, so nothing recurses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.errors import ParseError, SourcePos
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var

__all__ = ["DESIGN_NAME", "InfixLocation", "ParsedFormula", "parse_infix"]

# DESIGN.md 2.1: [A-Za-z_][A-Za-z0-9_.]* with an optional index [i] or [i,j,...].
DESIGN_NAME = r"[A-Za-z_][A-Za-z0-9_.]*(?:\[[0-9]+(?:,[0-9]+)*\])?"

_CONSTANTS: dict[str, Formula] = {
    "0": Bottom(),
    "false": Bottom(),
    "⊥": Bottom(),
    "1": Top(),
    "true": Top(),
    "⊤": Top(),
}
_OPERATORS = {"!": "!", "¬": "!", "&": "&", "∧": "&", "|": "|", "∨": "|", "(": "(", ")": ")"}
_PRECEDENCE = {"|": 1, "&": 2, "!": 3}


@dataclass(frozen=True, slots=True)
class InfixLocation:
    """Where the formula text sits: file, 1-based line, the whole line (for the caret
    display) and the 0-based index in that line of the formula's first character."""

    file: str
    line: int
    context: str
    start: int


@dataclass(frozen=True, slots=True)
class ParsedFormula:
    """A parsed formula and its names in order of first occurrence, left to right."""

    formula: Formula
    names: tuple[str, ...]


def _tokenizer(name_pattern: str) -> re.Pattern[str]:
    # A constant must not be the prefix of a longer word ("1a", "true_x" are names if allowed).
    return re.compile(
        r"\s*(?:(?P<const>(?:[01]|true|false)(?![A-Za-z0-9_.\[])|[⊤⊥])"
        rf"|(?P<name>{name_pattern})"
        r"|(?P<op>[!¬&∧|∨()])"
        r"|(?P<other>\S))"
    )


_TOKENIZERS: dict[str, re.Pattern[str]] = {}


def parse_infix(text: str, name_pattern: str, where: InfixLocation, what: str) -> ParsedFormula:
    """Parse ``text`` as a formula whose names match the regex ``name_pattern``.

    ``what`` names the construct in error messages ("rule", "assumption"). Raises
    :class:`ParseError` at the offending column, saying what was expected.
    """
    tokenizer = _TOKENIZERS.get(name_pattern)
    if tokenizer is None:
        tokenizer = _TOKENIZERS.setdefault(name_pattern, _tokenizer(name_pattern))
    # findall is much faster than a match object per token; columns are recomputed only
    # when there is an error to report.
    tokens: list[tuple[str, str, str, str]] = tokenizer.findall(text)

    def error(message: str, k: int) -> ParseError:
        index = _token_start(tokenizer, text, k)
        return ParseError(
            message, SourcePos(where.file, where.line, where.start + index + 1), where.context
        )

    operands: list[Formula] = []
    # Pending "!", "(", "&", "|" with their token numbers ("(" needs it for "never closed").
    operators: list[tuple[str, int]] = []
    variables: dict[str, Var] = {}  # one node per name: shared leaves are cheaper
    expect_operand = True
    for k, (const, name, op, other) in enumerate(tokens):
        op = _OPERATORS.get(op, op)
        if expect_operand:
            if name:
                var = variables.get(name)
                if var is None:
                    var = variables[name] = Var(name)
                operands.append(var)
                expect_operand = False
            elif const:
                operands.append(_CONSTANTS[const])
                expect_operand = False
            elif op == "!" or op == "(":
                operators.append((op, k))
            else:
                found = const or name or op or other
                raise error(f"expected a name, a constant (0, 1), `!` or `(`, found {found!r}", k)
        elif op == "&" or op == "|":
            # Left associative: reduce everything that binds at least as tightly.
            precedence = _PRECEDENCE[op]
            while operators:
                top = operators[-1][0]
                if top == "(" or _PRECEDENCE[top] < precedence:
                    break
                _reduce(operators, operands)
            operators.append((op, k))
            expect_operand = True
        elif op == ")":
            while operators and operators[-1][0] != "(":
                _reduce(operators, operands)
            if not operators:
                raise error(
                    f"found `)` without a matching `(`: expected `&`, `|` or the end of the {what}",
                    k,
                )
            operators.pop()
        else:
            found = const or name or op or other
            raise error(f"expected `&`, `|`, `)` or the end of the {what}, found {found!r}", k)
    if expect_operand:
        raise error(
            f"expected a name, a constant (0, 1), `!` or `(`, found the end of the {what}",
            len(tokens),
        )
    while operators:
        if operators[-1][0] == "(":
            raise error(
                f"`(` is never closed: expected `)` before the end of the {what}",
                operators[-1][1],
            )
        _reduce(operators, operands)
    return ParsedFormula(operands[0], tuple(variables))


def _reduce(operators: list[tuple[str, int]], operands: list[Formula]) -> None:
    """Apply the operator on top of the stack to the operands on top of theirs."""
    op = operators.pop()[0]
    if op == "!":
        operands[-1] = Not(operands[-1])
    else:
        right = operands.pop()
        operands[-1] = And(operands[-1], right) if op == "&" else Or(operands[-1], right)


def _token_start(tokenizer: re.Pattern[str], text: str, k: int) -> int:
    """The index in ``text`` of token number ``k`` (the end of the text if k is past the end)."""
    for number, match in enumerate(tokenizer.finditer(text)):
        if number == k:
            return match.start(match.lastgroup or 0)
    return len(text.rstrip())
