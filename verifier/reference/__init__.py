"""Reference simulators: the oracle of DESIGN.md section 5, one per formalism.

They follow the semantics of DESIGN.md section 2 directly and are independent of the IR
(nothing here imports :mod:`verifier.ir`): every counterexample an engine reports is replayed
here before it is printed, and the IR's simulator is differential-tested against them.

>>> from verifier.formula import Var, Not
>>> from verifier.models import BnlProgram, Head
>>> p = BnlProgram(heads=(Head("X", Not(Var("X"))),), print_=("X",))
>>> [(s.round, s.config, s.output, s.print) for s in simulate(p, "1", 2)]
[(0, '1', True, '1'), (1, '0', True, '0'), (2, '1', True, '1')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from verifier import formula as fm
from verifier.models import Model
from verifier.models.bnl import BnlProgram
from verifier.models.circuit import Circuit
from verifier.models.sc import ScProgram
from verifier.reference.bnl import simulate_bnl
from verifier.reference.circuit import simulate_circuit
from verifier.reference.common import InvalidInputError, parse_inputs
from verifier.reference.sc import simulate_sc
from verifier.trace import Trace

__all__ = [
    "InvalidInputError",
    "satisfies_assumptions",
    "simulate",
    "simulate_bnl",
    "simulate_circuit",
    "simulate_sc",
]


_SIMULATORS: dict[type, Callable[..., Trace]] = {
    BnlProgram: simulate_bnl,
    ScProgram: simulate_sc,
    Circuit: simulate_circuit,
}

# What one input bit feeds, per formalism (for error messages).
_INPUT_KIND = {
    BnlProgram: "input predicate",
    ScProgram: "proposition symbol",
    Circuit: "input position",
}


def _kind(model: Model) -> type:
    for cls in _SIMULATORS:
        if isinstance(model, cls):
            return cls
    raise TypeError(f"no reference simulator for {type(model).__name__}")


def simulate(model: Model, inputs: str | Sequence[bool], rounds: int) -> Trace:
    """The trace of ``model`` on ``inputs``: one :class:`~verifier.trace.Step` per round
    ``0..rounds`` inclusive (configuration, output-round flag, print string).

    ``inputs``: one bit per input predicate (BNL), proposition symbol (SC) or input position
    (circuit), in order, as a ``"0110"`` string or a sequence of booleans. A wrong length
    raises :class:`InvalidInputError` (a ValueError). Assumptions are not checked here: see
    :func:`satisfies_assumptions`.
    """
    return _SIMULATORS[_kind(model)](model, inputs, rounds)


def satisfies_assumptions(model: Model, inputs: str | Sequence[bool]) -> bool:
    """Whether ``inputs`` satisfies every ``assume`` formula of ``model`` (DESIGN.md 2.2).

    The assumptions are formulas over the input names (input predicates, proposition symbols,
    names of input positions); a model without assumptions accepts every input.
    """
    names = model.input_names
    bits = parse_inputs(inputs, names, _INPUT_KIND[_kind(model)])
    env = dict(zip(names, bits, strict=True))
    return all(fm.evaluate(a, env) for a in model.assumptions)
