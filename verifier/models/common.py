"""Validation shared by the model classes.

Every check raises :class:`~verifier.errors.ModelError` with an *anchor*, a tuple that names the
offending element so that a parser can point at it. The anchors used by the models:

=====================================  =====================================================
anchor                                 element
=====================================  =====================================================
``("head", X)``                        the (second) definition of head / schema variable X
``("ref", X, n)``                      the name n used in the clause(s) of X
``("terminal_ref", X, n)``             the name n used in the terminal clause of X (SC)
``("print", n)``, ``("attention", n)`` a print / attention predicate or position n
``("assume", i, n)``                   the name n in the i-th ``assume`` line (0-based)
``("prop", p)``                        the proposition symbol p (SC)
``("gate", g)``                        the definition of gate g (circuits)
``("gate_ref", g, n)``                 the name n used in the definition of gate g
``("input", x)``, ``("output", o)``    an input gate / output gate name
``("init", x)``                        the ``init`` entry for x
``("outputs",)``                       the ``outputs`` line
=====================================  =====================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from verifier import formula as fm
from verifier.errors import ModelError
from verifier.formula import Formula
from verifier.models.attention import Attention, AttentionBits

__all__ = ["check_assumptions", "check_output_names", "check_unique"]


def check_unique(names: Iterable[str], what: str, anchor_kind: str) -> None:
    """Raise if a name occurs twice."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ModelError(f"{what} {name!r} is defined twice", (anchor_kind, name))
        seen.add(name)


def check_output_names(
    print_: Sequence[str], attention: Attention, known: set[str], what: str
) -> None:
    """Raise if a print or attention predicate is not one of ``known``."""
    for name in print_:
        if name not in known:
            raise ModelError(f"print names {name!r}, which is not a {what}", ("print", name))
    if isinstance(attention, AttentionBits):
        for name in attention.bits:
            if name not in known:
                raise ModelError(
                    f"attention names {name!r}, which is not a {what}", ("attention", name)
                )


def check_assumptions(assumptions: Sequence[Formula], inputs: set[str], what: str) -> None:
    """Raise if an assumption mentions anything but the inputs."""
    article = "an" if what[:1] in "aeiou" else "a"
    for i, assumption in enumerate(assumptions):
        for name in fm.names(assumption):
            if name not in inputs:
                raise ModelError(
                    f"assume mentions {name!r}, which is not {article} {what}",
                    ("assume", i, name),
                )
