"""Deterministic transition systems over Boolean state bits: the IR of DESIGN.md section 5.

One :class:`~verifier.ir.aig.Aig` holds every function of the system. Its leaves are, in order,
the primary inputs and then the state bits (AIGER: inputs before latches):

* primary input ``i`` is leaf ``i`` (literal :meth:`TransitionSystem.input_lit`). Inputs are
  frozen for the whole run: they set the initial values of input bits, and SC's proposition
  symbols keep their values in every round, so next-state functions may read them;
* state bit ``j`` is leaf ``num_inputs + j`` (literal :meth:`TransitionSystem.state_lit`), one
  per head / schema variable / position, in the model's order, so the global configuration of
  a round is the tuple of state bits.

Round 0 sets state bit ``j`` to ``init[j]`` (a literal over inputs only); round t+1 sets it to
``next_state[j]`` evaluated on round t's state and the inputs. Print bits, the output condition
and the assumptions are literals too. :func:`check` verifies every invariant; tests run it after
every compilation or transformation.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import VerifierError
from verifier.ir.aig import TRUE, Aig
from verifier.models.attention import AttentionRounds

__all__ = ["InvariantError", "TransitionSystem", "check", "check_aig"]


class InvariantError(VerifierError):
    """The IR breaks one of its invariants: a bug in whatever produced it, not a user error."""


@dataclass(frozen=True)
class TransitionSystem:
    """A deterministic transition system (DESIGN.md section 5) over one AIG.

    Fields
    ------
    aig:
        The graph; ``aig.num_inputs == len(input_names) + len(state_names)``.
    input_names:
        Primary inputs, in input order (input predicates, proposition symbols, input positions).
    state_names:
        State bits, in configuration order (heads, schema variables, positions).
    init:
        Per state bit, its round-0 value: a literal over the primary inputs only.
    next_state:
        Per state bit, its round-t+1 value: a literal over state bits and inputs.
    print_:
        The print bits in print order: literals over state bits (and inputs).
    print_names:
        A name per print bit, for traces in the user's vocabulary.
    output:
        The output condition. A literal over state bits (and inputs): round t is an output
        round iff it is true in round t (``TRUE`` when every round is an output round, the
        disjunction of the attention bits for attention predicates / positions); or the
        model's :class:`~verifier.models.attention.AttentionRounds`, the same rounds for
        every input.
    assumptions:
        Literals over the inputs; only inputs making all of them true are valid (DESIGN 2.2).
    """

    aig: Aig
    input_names: tuple[str, ...]
    state_names: tuple[str, ...]
    init: tuple[int, ...]
    next_state: tuple[int, ...]
    print_: tuple[int, ...]
    print_names: tuple[str, ...]
    output: int | AttentionRounds = TRUE
    assumptions: tuple[int, ...] = ()

    @property
    def num_inputs(self) -> int:
        return len(self.input_names)

    @property
    def num_state(self) -> int:
        return len(self.state_names)

    def input_lit(self, i: int) -> int:
        """The literal of primary input ``i``."""
        if not 0 <= i < self.num_inputs:
            raise IndexError(f"input {i} out of range 0..{self.num_inputs - 1}")
        return 2 * (1 + i)

    def state_lit(self, j: int) -> int:
        """The literal of state bit ``j`` (its value in the current round)."""
        if not 0 <= j < self.num_state:
            raise IndexError(f"state bit {j} out of range 0..{self.num_state - 1}")
        return 2 * (1 + self.num_inputs + j)

    @property
    def output_lit(self) -> int | None:
        """The output literal, or None when the output rounds are a fixed set of rounds."""
        return None if isinstance(self.output, AttentionRounds) else self.output

    def roots(self) -> tuple[int, ...]:
        """Every literal the system uses (init, next state, print, output, assumptions)."""
        out = () if self.output_lit is None else (self.output_lit,)
        return (*self.init, *self.next_state, *self.print_, *out, *self.assumptions)


def check_aig(aig: Aig, *, normalised: bool = True) -> None:
    """Raise :class:`InvariantError` unless ``aig`` is well formed.

    Always: fanins are literals of smaller variables (topological order, no dangling
    references). With ``normalised`` (what :class:`~verifier.ir.aig.AigBuilder` guarantees):
    ``left > right``, no constant or complementary fanins and no two gates with equal fanins.
    """
    if aig.num_inputs < 0:
        raise InvariantError(f"negative input count {aig.num_inputs}")
    if len(aig.left) != len(aig.right):
        raise InvariantError("left and right fanin tuples differ in length")
    seen: set[tuple[int, int]] = set()
    for i, (a, b) in enumerate(zip(aig.left, aig.right, strict=True)):
        var = aig.first_and_var + i
        for lit in (a, b):
            if not isinstance(lit, int) or not 0 <= lit < 2 * var:
                raise InvariantError(
                    f"gate {i} (variable {var}) has fanin {lit!r}, not a literal of an earlier"
                    " variable"
                )
        if normalised:
            if a <= b:
                raise InvariantError(f"gate {i}: fanins {a}, {b} are not ordered left > right")
            if b <= 1 or a == b ^ 1:
                raise InvariantError(f"gate {i}: fanins {a}, {b} should have been folded")
            if (a, b) in seen:
                raise InvariantError(f"gate {i}: fanins {a}, {b} duplicate an earlier gate")
            seen.add((a, b))


def _state_dependent(ts: TransitionSystem) -> list[bool]:
    """For every variable of the AIG, whether it depends on some state bit."""
    aig = ts.aig
    dep = [False] * aig.num_vars
    for j in range(ts.num_state):
        dep[1 + ts.num_inputs + j] = True
    for var, a, b in aig.gates():
        dep[var] = dep[a >> 1] or dep[b >> 1]
    return dep


def check(ts: TransitionSystem, *, normalised: bool = True) -> None:
    """Raise :class:`InvariantError` unless ``ts`` satisfies every invariant of the IR.

    Checks the AIG (:func:`check_aig`), the arities (leaves = inputs + state bits, one init
    and one next-state literal per state bit, one name per print bit), that every literal is
    in range, that names are unique, and that init and assumption literals read inputs only.
    """
    check_aig(ts.aig, normalised=normalised)
    if ts.aig.num_inputs != ts.num_inputs + ts.num_state:
        raise InvariantError(
            f"the AIG has {ts.aig.num_inputs} leaves for {ts.num_inputs} inputs and"
            f" {ts.num_state} state bits"
        )
    for what, names in (("input", ts.input_names), ("state bit", ts.state_names)):
        if len(set(names)) != len(names):
            raise InvariantError(f"duplicate {what} names in {names}")
    if len(ts.init) != ts.num_state or len(ts.next_state) != ts.num_state:
        raise InvariantError(
            f"{ts.num_state} state bits but {len(ts.init)} init and {len(ts.next_state)}"
            " next-state literals"
        )
    if len(ts.print_) != len(ts.print_names):
        raise InvariantError(f"{len(ts.print_)} print bits but {len(ts.print_names)} names")
    if not isinstance(ts.output, AttentionRounds) and not isinstance(ts.output, int):
        raise InvariantError(f"output must be a literal or AttentionRounds, not {ts.output!r}")
    limit = 2 * ts.aig.num_vars
    for lit in ts.roots():
        if not isinstance(lit, int) or not 0 <= lit < limit:
            raise InvariantError(f"literal {lit!r} out of range 0..{limit - 1}")
    dep = _state_dependent(ts)
    for what, lits in (("init", ts.init), ("assumption", ts.assumptions)):
        for k, lit in enumerate(lits):
            if dep[lit >> 1]:
                raise InvariantError(f"{what} literal {k} ({lit}) depends on state bits")
