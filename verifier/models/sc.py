"""Substitution-calculus programs, the diamond-free fragment of MSC (DESIGN.md 2.3; paper 2.2).

Proposition symbols p1..pk (ordered) are the input. Each schema variable has exactly one
terminal clause ``X(0) :- f`` (f propositional over the proposition symbols) and exactly one
iteration clause ``X :- g`` (g over proposition symbols and schema variables).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier import formula as fm
from verifier.errors import ModelError
from verifier.formula import Formula
from verifier.models.attention import Attention, AttentionAll, AttentionBits
from verifier.models.common import check_assumptions, check_output_names, check_unique

__all__ = ["ScProgram", "SchemaVar"]


@dataclass(frozen=True, slots=True)
class SchemaVar:
    """A schema variable with its terminal body (over props) and iteration body."""

    name: str
    terminal: Formula
    body: Formula


@dataclass(frozen=True)
class ScProgram:
    """An SC program: proposition symbols, schema variables in order, print, attention, assume."""

    props: tuple[str, ...]
    vars: tuple[SchemaVar, ...]
    print_: tuple[str, ...]
    attention: Attention = field(default_factory=AttentionAll)
    assumptions: tuple[Formula, ...] = ()
    meta: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_unique(self.props, "proposition symbol", "prop")
        check_unique(self.names, "schema variable", "head")
        props = set(self.props)
        for var in self.vars:
            if var.name in props:
                raise ModelError(
                    f"{var.name!r} is a proposition symbol and cannot be a head", ("head", var.name)
                )
        known = props | set(self.names)
        for var in self.vars:
            for name in fm.names(var.terminal):
                if name not in props:
                    raise ModelError(
                        f"the terminal clause of {var.name} may use proposition symbols only,"
                        f" not {name!r}",
                        ("terminal_ref", var.name, name),
                    )
            for name in fm.names(var.body):
                if name not in known:
                    raise ModelError(
                        f"undefined name {name!r} in the iteration clause of {var.name}",
                        ("ref", var.name, name),
                    )
        check_output_names(self.print_, self.attention, set(self.names), "schema variable")
        check_assumptions(self.assumptions, props, "proposition symbol")

    @property
    def names(self) -> tuple[str, ...]:
        """The schema variables in their linear order."""
        return tuple(v.name for v in self.vars)

    @property
    def config_names(self) -> tuple[str, ...]:
        """Names of the bits of the global configuration, in order."""
        return self.names

    @property
    def input_names(self) -> tuple[str, ...]:
        """The proposition symbols, in input order."""
        return self.props

    @property
    def size(self) -> int:
        """The paper's program size: per clause, 1 for the head plus the size of the body."""
        return sum(2 + fm.size(v.terminal) + fm.size(v.body) for v in self.vars)

    @property
    def depth(self) -> int:
        """The largest depth of an iteration body."""
        return max((fm.depth(v.body) for v in self.vars), default=0)

    @property
    def attention_names(self) -> tuple[str, ...]:
        return self.attention.bits if isinstance(self.attention, AttentionBits) else ()
