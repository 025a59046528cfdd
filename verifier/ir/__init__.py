"""The intermediate representation (DESIGN.md section 5): and-inverter graphs and
deterministic transition systems, the compiler from models, and a bit-parallel simulator.

Engines and checks work on :class:`TransitionSystem` only.
"""

from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder, is_negated, lit_var, negate
from verifier.ir.compile import compile_formula, compile_model
from verifier.ir.system import InvariantError, TransitionSystem, check, check_aig

__all__ = [
    "FALSE",
    "TRUE",
    "Aig",
    "AigBuilder",
    "InvariantError",
    "TransitionSystem",
    "check",
    "check_aig",
    "compile_formula",
    "compile_model",
    "is_negated",
    "lit_var",
    "negate",
]
