"""SC program to BNL program, asynchronously equivalent (paper, Theorem 2.1, SC to BNL).

The BNL program copies the SC program one round late. Each schema variable X becomes a head
with terminal clause ``X(0) :- 0`` and iteration clause ``X :- (!S & T') | (S & G')``, where T'
and G' are X's terminal and iteration bodies with every proposition symbol p replaced by its
input predicate ``p :- p`` (no terminal clause), and S is a start flag (``S(0) :- 0``,
``S :- 1``) that is false in round 0 only. So round 1 holds the SC program's round 0 and, in
general, round t+1 of the BNL program is round t of the SC program.

The paper adds input predicates only for the proposition symbols that occur in the program; here
every declared proposition symbol gets one, in order, so that both programs have the same
number of inputs and their equivalence can be checked (an unused input changes nothing).

Heads come in the order: schema variables, input predicates, S. Print and attention predicates
are those of the SC program (their round-0 value is 0, so round 0 is no output round); an
attention function moves every output round one later (r becomes r+1, a+bk becomes (a+1)+bk),
and "every round" becomes the attention predicate S (every round from 1 on). Assumptions are
rewritten onto the input predicates. The program's size grows by O(size + k) for k proposition
symbols, and its transient time by one.
"""

from __future__ import annotations

from verifier import formula as fm
from verifier.formula import And, Formula, Not, Or, Top, Var
from verifier.models import (
    Attention,
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Head,
    Progression,
    ScProgram,
)
from verifier.translate.names import fresh

__all__ = ["sc_to_bnl"]

META = "translation=sc-to-bnl theorem=2.1 relation=async stride=1 offset=1"


def _input_names(program: ScProgram, taken: set[str]) -> dict[str, str]:
    """Proposition symbol -> its input predicate, named after it unless that name is taken."""
    return {p: fresh(p, taken) for p in program.props}


def _flagged(start: str, terminal: Formula, body: Formula) -> Formula:
    """``(!S & T') | (S & G')``: the terminal body in round 1, the iteration body afterwards."""
    flag = Var(start)
    return Or(And(Not(flag), terminal), And(flag, body))


def _shift(item: int | Progression) -> int | Progression:
    if isinstance(item, int):
        return item + 1
    return Progression(item.start + 1, item.step)


def _attention(attention: Attention, start: str) -> Attention:
    if isinstance(attention, AttentionAll):
        return AttentionBits((start,))
    if isinstance(attention, AttentionRounds):
        return AttentionRounds(tuple(_shift(item) for item in attention.items))
    return attention


def sc_to_bnl(program: ScProgram) -> BnlProgram:
    """The BNL program of Theorem 2.1, asynchronously equivalent to ``program`` with output
    round t of ``program`` at round t+1 (recorded as ``stride=1 offset=1`` in ``meta``)."""
    taken = set(program.names)
    inputs = _input_names(program, taken)
    start = fresh("S", taken)
    heads: list[Head] = []
    for var in program.vars:
        terminal = fm.rename(var.terminal, inputs)
        body = fm.rename(var.body, inputs)
        heads.append(Head(var.name, _flagged(start, terminal, body), False))
    heads.extend(Head(name, Var(name)) for name in inputs.values())
    heads.append(Head(start, Top(), False))
    return BnlProgram(
        heads=tuple(heads),
        print_=program.print_,
        attention=_attention(program.attention, start),
        assumptions=tuple(fm.rename(f, inputs) for f in program.assumptions),
        meta=(META,),
    )
