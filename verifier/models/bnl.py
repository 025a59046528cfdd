"""Boolean network logic programs (DESIGN.md 2.2; paper Section 2.2).

A program is a list of head predicates in a fixed linear order. Each head has exactly one
iteration clause ``X :- f`` (f over head predicates, constants and connectives) and at most one
terminal clause ``X(0) :- 1`` or ``X(0) :- 0``; the heads without a terminal clause are the input
predicates. Construction validates every rule of the formalism and raises
:class:`~verifier.errors.ModelError` with an anchor naming the offending element.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier import formula as fm
from verifier.errors import ModelError
from verifier.formula import Formula
from verifier.models.attention import Attention, AttentionAll, AttentionBits
from verifier.models.common import check_assumptions, check_output_names, check_unique

__all__ = ["BnlProgram", "Head"]


@dataclass(frozen=True, slots=True)
class Head:
    """A head predicate with its iteration body and its terminal value (None: an input)."""

    name: str
    body: Formula
    init: bool | None = None

    @property
    def is_input(self) -> bool:
        return self.init is None


@dataclass(frozen=True)
class BnlProgram:
    """A BNL program: heads in order, print predicates, output condition, assumptions, meta.

    ``print_`` lists the print predicates in order (the parser fills in the default, all heads).
    ``assumptions`` are formulas over input predicates; ``meta`` holds the text of each ``meta``
    line verbatim (it has no semantics).
    """

    heads: tuple[Head, ...]
    print_: tuple[str, ...]
    attention: Attention = field(default_factory=AttentionAll)
    assumptions: tuple[Formula, ...] = ()
    meta: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [h.name for h in self.heads]
        check_unique(names, "head predicate", "head")
        known = set(names)
        for head in self.heads:
            for name in fm.names(head.body):
                if name not in known:
                    raise ModelError(
                        f"undefined name {name!r} in the iteration clause of {head.name}"
                        " (BNL bodies may use head predicates only)",
                        ("ref", head.name, name),
                    )
        check_output_names(self.print_, self.attention, known, "head predicate")
        check_assumptions(self.assumptions, set(self.input_names), "input predicate")

    @property
    def names(self) -> tuple[str, ...]:
        """The head predicates in their linear order."""
        return tuple(h.name for h in self.heads)

    @property
    def config_names(self) -> tuple[str, ...]:
        """Names of the bits of the global configuration, in order."""
        return self.names

    @property
    def input_names(self) -> tuple[str, ...]:
        """The input predicates (heads without a terminal clause), in head order."""
        return tuple(h.name for h in self.heads if h.is_input)

    def head(self, name: str) -> Head:
        for h in self.heads:
            if h.name == name:
                return h
        raise KeyError(name)

    @property
    def size(self) -> int:
        """The paper's program size: per clause, 1 for the head plus the size of the body."""
        iteration = sum(1 + fm.size(h.body) for h in self.heads)
        terminal = sum(1 + (1 if h.init else 2) for h in self.heads if not h.is_input)
        return iteration + terminal

    @property
    def depth(self) -> int:
        """The paper's program depth: the largest depth of an iteration body."""
        return max((fm.depth(h.body) for h in self.heads), default=0)

    @property
    def attention_names(self) -> tuple[str, ...]:
        return self.attention.bits if isinstance(self.attention, AttentionBits) else ()
