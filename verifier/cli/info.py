"""``verify info``: structural facts about a model (sizes, depth, fan-in, fully-open form, SCCs)."""

from __future__ import annotations

import argparse
import json

from verifier import formula as fm
from verifier.checks.arith import read_arith_meta
from verifier.errors import InputError
from verifier.formats import bnet
from verifier.formats.registry import format_for, load
from verifier.formats.source import read_source
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Circuit,
    Model,
    ScProgram,
)
from verifier.models.dependencies import dependency_graph, is_fully_open, nontrivial_sccs

HELP = "print sizes, depth, fan-in, fully-open form and strongly connected components"
EPILOG = """\
size and depth are the paper's (DESIGN.md 2.1): '|' counts as !(!a & !b), '0' as !1; a
circuit's size counts every named and anonymous gate as written, input gates included.
'fully open' is the form of Theorem 2.2 (every iteration body is 1, 0, Y, !Y or Y & Z).
The strongly connected components are those of the dependency graph (u -> v when the next
value of v reads u) that contain a cycle. A generated arithmetic program (a 'meta arith'
line, verify gen compare|add|sub|mul) also shows its operation and computation time T.

For a .bnet file (every variable an input, DESIGN.md 3.2), 'free inputs' are the names used
in a rule but given no rule of their own: each becomes a head with the identity rule x :- x
(it keeps its initial value), after the defined heads in order of first use. 'identity
rules' are the variables written with the identity rule (x, x) in the file.

examples:
  verify info parity4.circ
  verify info faure_cellcycle.bnet --json
"""

KIND = {BnlProgram: "BNL program", ScProgram: "SC program", Circuit: "self-feeding circuit"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="model file (.bnl .sc .circ .bnet .aag .aig)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


def describe(model: Model, imported: bnet.BnetImport | None = None) -> dict[str, object]:
    """The facts ``verify info`` prints, as a JSON-ready dict; with ``imported`` (the model
    read from a ``.bnet`` file) also its ``free_inputs`` and ``identity_rules``."""
    facts: dict[str, object] = {"kind": KIND[type(model)]}
    if isinstance(model, Circuit):
        facts["positions"] = model.n
        facts["gates"] = model.size - model.n
        facts["aux_positions"] = [
            f"{model.inputs[i]}={int(v)}" for i, v in enumerate(model.init) if v is not None
        ]
    else:
        facts["heads"] = len(model.config_names)
    if isinstance(model, ScProgram):
        facts["props"] = list(model.props)
    facts["inputs"] = list(model.input_names)
    if imported is not None:
        facts["free_inputs"] = list(imported.free_inputs)
        facts["identity_rules"] = list(imported.identity_rules)
    facts["print"] = _print_names(model)
    facts["output_condition"] = _output_condition(model)
    facts["assumptions"] = len(model.assumptions)
    facts["size"] = model.size
    facts["depth"] = model.depth
    facts["max_fanin"] = _max_fanin(model)
    facts["fully_open"] = is_fully_open(model) if isinstance(model, BnlProgram) else None
    graph = dependency_graph(model)
    sccs = nontrivial_sccs(graph)
    facts["dependency_edges"] = graph.number_of_edges()
    facts["sccs"] = sccs
    facts.update(_arith_facts(model))
    return facts


def _arith_facts(model: Model) -> dict[str, object]:
    """For a program with a ``meta arith`` line: the operation and its computation time T as
    the line claims them (``verify arith`` proves the claim); nothing otherwise."""
    if not any(line.split(maxsplit=1)[:1] == ["arith"] for line in model.meta):
        return {}
    try:
        meta = read_arith_meta(model)
    except InputError as err:
        return {"arith": f"malformed meta line: {err}"}
    if meta.op == "fnormalize":
        f = meta.float_system
        operation = f"fnormalize on F*({meta.raw_p}, {meta.raw_q}, {meta.base}) -> {f}"
    elif meta.op == "poly":
        f = meta.float_system
        operation = f"poly on {f} -> {f}, pieces {meta.pieces.replace(';', '; ')}"
    elif meta.encoding == "float":
        f = meta.float_system
        operation = f"{meta.op} on {f} x {f} -> {f}"
    else:
        z = meta.system
        result = z.result_system(meta.op)
        operation = f"{meta.op} on {z} x {z} -> {'one bit (x > y)' if result is None else result}"
    return {
        "arith": operation,
        "computation_time": meta.time,
    }


def _print_names(model: Model) -> list[str]:
    if isinstance(model, Circuit):
        return [model.inputs[p] for p in model.print_]
    return list(model.print_)


def _output_condition(model: Model) -> str:
    att = model.attention
    if isinstance(att, AttentionAll):
        return "every round"
    if isinstance(att, AttentionRounds):
        return f"rounds {att}"
    assert isinstance(att, AttentionBits)
    names = [model.inputs[p] for p in att.bits] if isinstance(model, Circuit) else att.bits
    return "attention " + " ".join(names)


def _max_fanin(model: Model) -> int:
    """Circuits: the largest gate fan-in; programs: the most distinct names in one body."""
    if isinstance(model, Circuit):
        return model.max_fanin
    bodies = (
        [h.body for h in model.heads]
        if isinstance(model, BnlProgram)
        else [v.body for v in model.vars]
    )
    return max((len(fm.names(b)) for b in bodies), default=0)


FREE_INPUTS = "free inputs (no rule in the file; kept constant, x :- x, DESIGN 3.2)"
IDENTITY_RULES = "identity rules (x, x in the file; constant inputs)"


def format_facts(facts: dict[str, object]) -> str:
    lines = []
    for key, value in facts.items():
        if key in ("free_inputs", "identity_rules"):
            names = value  # type: ignore[assignment]
            title = FREE_INPUTS if key == "free_inputs" else IDENTITY_RULES
            if names:
                lines.append(f"{title}: {len(names)}: {_shorten(names)}")  # type: ignore[arg-type]
            else:
                lines.append(f"{key.replace('_', ' ')}: none")
            continue
        if key == "sccs":
            sccs = value  # type: ignore[assignment]
            lines.append(f"sccs: {len(sccs)} with a cycle")  # type: ignore[arg-type]
            for comp in sccs:  # type: ignore[union-attr]
                lines.append(f"  [{len(comp)}] {_shorten(comp)}")
            continue
        if value is None:
            value = "n/a (defined for BNL programs)"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = f"{len(value)}" + (": " + _shorten(value) if value else "")
        elif key == "computation_time":
            value = f"{value} (claimed by the meta line; verify arith and verify halting prove it)"
        lines.append(f"{key.replace('_', ' ')}: {value}")
    return "\n".join(lines)


def _shorten(items: list, limit: int = 16) -> str:
    """The items, space separated, cut after ``limit`` (``--json`` has them all)."""
    shown = " ".join(map(str, items[:limit]))
    return shown + (f" ... ({len(items) - limit} more)" if len(items) > limit else "")


def run(args: argparse.Namespace) -> int:
    if format_for(args.file).suffix == ".bnet":
        imported = bnet.loads_import(read_source(args.file), str(args.file))
        facts = describe(imported.program, imported)
    else:
        facts = describe(load(args.file))
    print(json.dumps(facts) if args.json else format_facts(facts))
    return 0
