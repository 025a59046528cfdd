"""``verify graph``: pictures of a model, its dependency graph or its state-transition graph,
as Graphviz DOT text or SVG."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from verifier import formula as fm
from verifier.checks.state_graph import MAX_STATE_BITS, Attractor, state_graph
from verifier.errors import InputError
from verifier.formats.dot import DotCluster, DotEdge, DotGraph, DotNode, dumps
from verifier.formats.registry import load, save_content
from verifier.formula import Formula
from verifier.ir.compile import compile_model
from verifier.models import BnlProgram, Circuit, Model, ScProgram
from verifier.models.circuit import GateApp, GateExpr, GateRef
from verifier.models.dependencies import dependency_graph

HELP = "draw the dependency graph or the state-transition graph (DOT or SVG)"
EPILOG = f"""\
--deps draws the dependency graph: one node per head / schema variable / position, an edge
u -> v when the next value of v reads u (red tee: v reads u only negated; blue diamond: both
ways). Strongly connected components with two or more nodes are coloured and boxed. A box is
a constant input (its rule is x :- x, e.g. a .bnet free input), a double border an input bit
(its round-0 value is the input) when not every bit is one; SC proposition symbols are
rounded boxes.

--states draws the synchronous state-transition graph (at most {MAX_STATE_BITS} state bits):
one node per configuration reachable from a valid input (with --all-states: every
configuration), labelled with its bits in state order, boxed when it is a round-0
configuration (unless all are). Attractors (terminal cycles) have a double border and bold
edges; every node is coloured by the attractor it flows into (its basin). For a .bnet model
every configuration is initial. When an SC program's next state reads proposition symbols,
each valuation of those gets its own cluster (they count towards the {MAX_STATE_BITS} bits).

OUT ending in .svg is rendered with Graphviz `dot` when it is installed; otherwise the DOT
text is written to OUT with the suffix .dot and a notice says so. An existing file is never
replaced unless --force is given.

examples:
  verify graph faure_cellcycle.bnet --deps -o faure-deps.svg
  verify graph faure_cellcycle.bnet --states -o faure-stg.svg
  verify graph counter3.bnl --states --all-states -o counter3.dot
"""

DOT_TIMEOUT = 300.0
"""Seconds ``dot -Tsvg`` may take before the DOT text is written instead."""

# ColorBrewer Set3 (pastel, readable under black text); more colours by the golden angle.
PALETTE = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
)  # fmt: skip
SIGN_STYLE: dict[str, dict[str, str]] = {
    "+": {},
    "-": {"color": "#d73027", "arrowhead": "tee"},
    "+-": {"color": "#4575b4", "arrowhead": "odiamond"},
}
SUFFIXES = (".dot", ".svg")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="model file (.bnl .sc .circ .bnet .aag .aig)")
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--deps", action="store_true", help="the dependency graph")
    kind.add_argument(
        "--states",
        action="store_true",
        help=f"the state-transition graph (at most {MAX_STATE_BITS} state bits)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file, .dot or .svg"
    )
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    parser.add_argument(
        "--all-states",
        action="store_true",
        help="with --states: every configuration, not only those reachable from valid inputs",
    )


def color(index: int) -> str:
    """A fill colour for the ``index``-th basin or component (pastel, distinct for 12)."""
    if index < len(PALETTE):
        return PALETTE[index]
    return f"{(index * 0.618034) % 1:.3f} 0.35 1.000"


def run(args: argparse.Namespace) -> int:
    target = Path(args.output)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{target}: expected OUT ending in .dot or .svg, not {suffix or '(no suffix)'!r}"
        )
    if args.all_states and not args.states:
        raise InputError("--all-states applies to --states only")
    if target.exists() and not args.force:
        raise InputError(f"{target}: file exists; refusing to overwrite it (use --force)")
    model = load(args.file)
    title = Path(args.file).name
    if args.deps:
        picture = deps_picture(model, title)
    else:
        try:
            graph = state_graph(compile_model(model), all_states=args.all_states)
        except InputError as err:
            raise InputError(f"{args.file}: {err} (--deps draws any size)") from None
        picture = states_picture(graph, title)
    write_picture(dumps(picture), target, force=args.force)
    return 0


# --- output ----------------------------------------------------------------------------------


def write_picture(text: str, target: Path, *, force: bool) -> None:
    """Write DOT ``text`` to ``target`` (.dot), or its SVG rendering (.svg) when Graphviz
    ``dot`` is found and succeeds; otherwise the DOT text to ``target`` with suffix ``.dot``
    and a notice on stderr. Never replaces a file unless ``force`` (InputError)."""
    if target.suffix.lower() != ".svg":
        save_content(text, target, overwrite=force)
        return
    problem = None
    exe = shutil.which("dot")
    if exe is None:
        problem = "Graphviz `dot` was not found on the PATH"
    else:
        try:
            proc = subprocess.run(
                [exe, "-Tsvg"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=DOT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            problem = f"`dot -Tsvg` took longer than {DOT_TIMEOUT:g} s"
        except OSError as err:
            problem = f"`dot` could not be run: {err.strerror}"
        else:
            if proc.returncode == 0:
                save_content(proc.stdout, target, overwrite=force)
                return
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            problem = f"`dot -Tsvg` failed ({detail[0] if detail else proc.returncode})"
    fallback = target.with_suffix(".dot")
    save_content(text, fallback, overwrite=force)
    print(
        f"verify graph: {problem}; wrote the DOT text to {fallback} instead"
        f" (render it with: dot -Tsvg {fallback} -o {target})",
        file=sys.stderr,
    )


# --- dependency graph ------------------------------------------------------------------------


def deps_picture(model: Model, title: str) -> DotGraph:
    """The dependency graph of ``model`` as a :class:`DotGraph` (see the command's help)."""
    graph = dependency_graph(model)
    signs = read_signs(model)
    config = list(model.config_names)
    props = list(model.props) if isinstance(model, ScProgram) else []
    constants = set(constant_inputs(model))
    inputs = set(model.input_names) if not isinstance(model, ScProgram) else set()
    mark_inputs = bool(inputs) and len(inputs) < len(config)
    sccs = [sorted(c, key=config.index) for c in nx.strongly_connected_components(graph)]
    sccs = sorted((c for c in sccs if len(c) > 1), key=lambda c: (-len(c), config.index(c[0])))
    fills = {v: color(i) for i, comp in enumerate(sccs) for v in comp}
    nodes = []
    for name in props:
        nodes.append(DotNode(name, {"shape": "box", "style": "filled,rounded"}))
    for name in config:
        attrs: dict[str, str] = {}
        if name in constants:
            attrs["shape"] = "box"
        if mark_inputs and name in inputs:
            attrs["peripheries"] = "2"
        if name in fills:
            attrs["fillcolor"] = fills[name]
        nodes.append(DotNode(name, attrs))
    edges = [
        DotEdge(source, target, SIGN_STYLE[signs[target].get(source, "+")])
        for target in config
        for source in [*graph.predecessors(target), *(p for p in props if p in signs[target])]
    ]
    clusters = tuple(
        DotCluster(
            f"scc{i + 1}",
            tuple(comp),
            {"label": f"SCC {i + 1} ({len(comp)} nodes)", "style": "dashed", "color": "gray40"},
        )
        for i, comp in enumerate(sccs)
    )
    legend = [
        f"dependency graph of {title}: u -> v when the next value of v reads u",
        "edges: black arrow = reads positively, red tee = reads only negated, blue diamond = both",
    ]
    if constants:
        legend.append(f"box = constant input, rule x :- x ({len(constants)})")
    if mark_inputs:
        legend.append("double border = input bit (round-0 value from the input)")
    elif inputs:
        legend.append("every bit is an input (any initial configuration)")
    if props:
        legend.append("rounded box = proposition symbol (SC input, frozen)")
    if sccs:
        legend.append(f"coloured clusters = strongly connected components ({len(sccs)})")
    return DotGraph(
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=clusters,
        name=title,
        graph_attrs={"label": "\n".join(legend), "labelloc": "t", "fontsize": "11"},
        node_defaults={"style": "filled", "fillcolor": "white", "fontname": "Helvetica"},
        edge_defaults={"arrowsize": "0.7"},
        comments=tuple(legend),
    )


def constant_inputs(model: Model) -> tuple[str, ...]:
    """The configuration bits whose rule is the identity ``x :- x`` (they keep their initial
    value; in a ``.bnet`` file, the free inputs and the explicit ``x, x`` lines)."""
    if isinstance(model, BnlProgram):
        return tuple(h.name for h in model.heads if h.body == fm.Var(h.name))
    if isinstance(model, ScProgram):
        return tuple(v.name for v in model.vars if v.body == fm.Var(v.name))
    return tuple(pos for pos, out in zip(model.inputs, model.outputs, strict=True) if pos == out)


def read_signs(model: Model) -> dict[str, dict[str, str]]:
    """For each configuration bit v and each bit (or proposition) u it reads: ``"+"`` when v
    reads u only under an even number of negations, ``"-"`` only under an odd number,
    ``"+-"`` both (``|`` and ``and``/``or`` keep the sign, ``!`` and ``not`` flip it)."""
    if isinstance(model, Circuit):
        return _circuit_signs(model)
    bodies: list[tuple[str, Formula]] = (
        [(h.name, h.body) for h in model.heads]
        if isinstance(model, BnlProgram)
        else [(v.name, v.body) for v in model.vars]
    )
    return {name: _formula_signs(body) for name, body in bodies}


_POS, _NEG = 1, 2
_SIGN_TEXT = {_POS: "+", _NEG: "-", _POS | _NEG: "+-"}


def _formula_signs(body: Formula) -> dict[str, str]:
    masks: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    stack = [(body, _POS)]
    while stack:
        node, sign = stack.pop()
        if (id(node), sign) in seen:
            continue
        seen.add((id(node), sign))
        if isinstance(node, fm.Var):
            masks[node.name] = masks.get(node.name, 0) | sign
        elif isinstance(node, fm.Not):
            stack.append((node.arg, sign ^ (_POS | _NEG)))
        elif isinstance(node, (fm.And, fm.Or)):
            stack.extend(((node.left, sign), (node.right, sign)))
    return {name: _SIGN_TEXT[mask] for name, mask in masks.items()}


def _circuit_signs(circuit: Circuit) -> dict[str, dict[str, str]]:
    """Signs through the gates: each named gate's input-gate masks, in topological order."""
    cones: dict[str, dict[str, int]] = {name: {name: _POS} for name in circuit.inputs}
    for gate in circuit.ordered_gates:
        cones[gate.name] = _expr_masks(gate.expr, cones)
    return {
        pos: {u: _SIGN_TEXT[m] for u, m in cones[out].items()}
        for pos, out in zip(circuit.inputs, circuit.outputs, strict=True)
    }


def _expr_masks(expr: GateExpr, cones: Mapping[str, dict[str, int]]) -> dict[str, int]:
    masks: dict[str, int] = {}
    stack: list[tuple[GateExpr, int]] = [(expr, _POS)]
    while stack:
        node, sign = stack.pop()
        if isinstance(node, GateRef):
            for name, mask in cones[node.name].items():
                flipped = mask if sign == _POS else ((mask & _POS) << 1) | ((mask & _NEG) >> 1)
                masks[name] = masks.get(name, 0) | flipped
        else:
            assert isinstance(node, GateApp)
            child = sign ^ (_POS | _NEG) if node.op == "not" else sign
            stack.extend((arg, child) for arg in node.args)
    return masks


# --- state-transition graph ------------------------------------------------------------------


def states_picture(graph: nx.DiGraph, title: str) -> DotGraph:
    """The state-transition graph of :func:`~verifier.checks.state_graph.state_graph` as a
    :class:`DotGraph` (see the command's help)."""
    attractors: tuple[Attractor, ...] = graph.graph["attractors"]
    state_names: tuple[str, ...] = graph.graph["state_names"]
    input_names: tuple[str, ...] = graph.graph["input_names"]
    all_initial = all(initial for _, initial in graph.nodes(data="initial"))
    nodes = []
    for node, data in graph.nodes(data=True):
        attrs = {"label": data["config"], "fillcolor": color(data["basin"])}
        if data["attractor"] is not None:
            attrs.update(peripheries="2", penwidth="2")
        if data["initial"] and not all_initial:
            attrs["shape"] = "box"
        nodes.append(DotNode(node, attrs))
    edges = []
    for source, target in graph.edges:
        on_cycle = graph.nodes[source]["attractor"] is not None
        edges.append(DotEdge(source, target, {"penwidth": "2"} if on_cycle else {}))
    clusters: tuple[DotCluster, ...] = ()
    if input_names:
        parts: dict[str, list[str]] = {}
        for node, inputs in graph.nodes(data="inputs"):
            parts.setdefault(inputs, []).append(node)
        clusters = tuple(
            DotCluster(
                f"in{bits}",
                tuple(members),
                {"label": " ".join(f"{n}={b}" for n, b in zip(input_names, bits, strict=True))},
            )
            for bits, members in sorted(parts.items())
        )
    sizes = [0] * len(attractors)
    for _, basin in graph.nodes(data="basin"):
        sizes[basin] += 1
    which = (
        "every configuration"
        if graph.graph["all_states"]
        else "the configurations reachable from valid inputs"
    )
    legend = [
        f"state-transition graph of {title} (synchronous): {which},"
        f" {graph.number_of_nodes()} node(s)",
        "node label = configuration bits in state order: " + (" ".join(state_names) or "(none)"),
    ]
    if input_names:
        legend.append("one cluster per valuation of the frozen inputs " + " ".join(input_names))
    legend.append(
        "every node is a round-0 configuration" if all_initial else "box = round-0 configuration"
    )
    legend.append(
        f"{len(attractors)} attractor(s), double border; fill colour = basin (the attractor a"
        " node flows into)"
    )
    full = [*legend, *(_describe(a, sizes[a.index], input_names) for a in attractors)]
    shown = full if len(attractors) <= 12 else [*legend, "(attractors listed in the DOT file)"]
    return DotGraph(
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=clusters,
        name=title,
        graph_attrs={"label": "\n".join(shown), "labelloc": "t", "fontsize": "11"},
        node_defaults={"style": "filled", "fontname": "Courier"},
        edge_defaults={"arrowsize": "0.7"},
        comments=tuple(full),
    )


def _describe(attractor: Attractor, basin: int, input_names: tuple[str, ...]) -> str:
    configs = [node.rpartition(":")[2] for node in attractor.nodes]
    kind = "fixed point" if attractor.period == 1 else f"cycle of period {attractor.period}:"
    where = (
        " ("
        + " ".join(f"{n}={b}" for n, b in zip(input_names, attractor.inputs, strict=True))
        + ")"
        if input_names
        else ""
    )
    return f"attractor {attractor.index + 1}{where}: {kind} {' '.join(configs)}; basin {basin}"
