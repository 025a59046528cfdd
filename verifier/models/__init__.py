"""Model objects of the three formalisms; see DESIGN.md section 2."""

from verifier.models.attention import (
    Attention,
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    Progression,
)
from verifier.models.bnl import BnlProgram, Head
from verifier.models.circuit import Circuit, GateApp, GateDef, GateExpr, GateRef
from verifier.models.sc import SchemaVar, ScProgram

Model = BnlProgram | ScProgram | Circuit

__all__ = [
    "Attention",
    "AttentionAll",
    "AttentionBits",
    "AttentionRounds",
    "BnlProgram",
    "Circuit",
    "GateApp",
    "GateDef",
    "GateExpr",
    "GateRef",
    "Head",
    "Model",
    "Progression",
    "ScProgram",
    "SchemaVar",
]
