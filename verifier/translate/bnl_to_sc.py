"""BNL program to SC program, globally equivalent (paper, Theorem 2.1, BNL to SC).

Every head predicate becomes a schema variable, in the same order and with the same iteration
clause. The i-th input predicate X gets a fresh proposition symbol (``p_X``, the i-th in input
order) and the terminal clause ``X(0) :- p_X``; every other head keeps its terminal value as the
constant terminal clause ``X(0) :- 1`` or ``X(0) :- 0``. Print predicates, attention predicates
or attention function carry over unchanged, and assumptions are rewritten onto the proposition
symbols. Both programs have the same configuration in every round, so they are globally
equivalent; the size grows by O(k) for k input predicates.
"""

from __future__ import annotations

from verifier import formula as fm
from verifier.formula import Bottom, Formula, Top, Var
from verifier.models import BnlProgram, Head, SchemaVar, ScProgram
from verifier.translate.names import fresh

__all__ = ["bnl_to_sc"]

META = "translation=bnl-to-sc theorem=2.1 relation=global"


def _terminal(head: Head, props: dict[str, str]) -> Formula:
    if head.init is None:
        return Var(props[head.name])
    return Top() if head.init else Bottom()


def bnl_to_sc(program: BnlProgram) -> ScProgram:
    """The SC program of Theorem 2.1, globally equivalent to ``program``."""
    taken = set(program.names)
    props = {name: fresh(f"p_{name}", taken) for name in program.input_names}
    return ScProgram(
        props=tuple(props.values()),
        vars=tuple(SchemaVar(h.name, _terminal(h, props), h.body) for h in program.heads),
        print_=program.print_,
        attention=program.attention,
        assumptions=tuple(fm.rename(f, props) for f in program.assumptions),
        meta=(META,),
    )
