"""The synchronous state-transition graph (STG) of a transition system, with its attractors
and basins (DESIGN.md 2.6), for pictures of small models (``verify graph --states``).

Nodes are global configurations; each has exactly one successor, the configuration of the next
round (synchronous update), so every node flows into exactly one terminal cycle, an
*attractor* (a fixed point when its period is 1), and the graph splits into basins, one per
attractor.

Which configurations are nodes
------------------------------
By default, the configurations reachable from the round-0 configuration of some *valid* input
(one satisfying every assumption); those round-0 configurations are marked ``initial``. For a
``.bnet`` model (every variable an input, DESIGN.md 3.2) that is all ``2**n`` configurations,
each initial. With ``all_states=True`` every configuration is a node, reachable or not.

Frozen inputs read by the next state
------------------------------------
In BNL programs and circuits the next state reads only the state bits. In SC programs it may
read proposition symbols, which keep their input values for the whole run; then the successor
of a configuration depends on the input. The graph is then drawn over pairs (valuation of the
proposition symbols the next state reads, configuration): one disjoint sub-graph per valuation
that some valid input has, and the limit :data:`MAX_STATE_BITS` counts those proposition bits
too (see docs/decisions.md, "State-transition graphs").

Everything is computed on the IR: successors of all candidate nodes at once with
:class:`~verifier.ir.simulate.BitSimulator` (bit-parallel), round-0 configurations from all
inputs likewise. The tests check every edge against the reference simulators.

>>> from verifier.formula import Var, Not, And
>>> from verifier.models import BnlProgram, Head
>>> from verifier.ir.compile import compile_model
>>> p = BnlProgram(heads=(Head("X", Not(Var("X"))), Head("Y", And(Var("X"), Var("Y")))),
...                print_=("X",))
>>> g = state_graph(compile_model(p))
>>> sorted(g.edges)
[('00', '10'), ('01', '10'), ('10', '00'), ('11', '01')]
>>> [(a.nodes, a.period) for a in g.graph["attractors"]]
[(('00', '10'), 2)]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from verifier.errors import InputError
from verifier.ir.simulate import BitSimulator, all_inputs, pack, unpack
from verifier.ir.system import TransitionSystem

__all__ = [
    "MAX_INPUT_BITS",
    "MAX_STATE_BITS",
    "Attractor",
    "StateGraphTooLarge",
    "next_state_inputs",
    "state_graph",
]

MAX_STATE_BITS = 12
"""The largest number of bits (state bits, plus frozen input bits the next state reads) whose
state-transition graph is built: ``2**12 = 4096`` nodes is about what a picture can show."""

MAX_INPUT_BITS = 20
"""The largest number of inputs enumerated to find the round-0 configurations."""


class StateGraphTooLarge(InputError):
    """The model has too many state bits (or inputs) for an explicit state-transition graph."""


@dataclass(frozen=True)
class Attractor:
    """A terminal cycle of the graph.

    ``nodes``: its node keys in the order they are visited, starting at the smallest;
    ``inputs``: the values of the frozen inputs the next state reads (``""`` if none), the same
    for every node of the cycle; ``index``: its position in ``graph.graph["attractors"]``,
    which is also the ``basin`` attribute of the nodes that flow into it.
    """

    index: int
    nodes: tuple[str, ...]
    inputs: str

    @property
    def period(self) -> int:
        return len(self.nodes)


def next_state_inputs(ts: TransitionSystem) -> tuple[int, ...]:
    """The primary inputs the next-state functions read (structurally: in their AIG cone)."""
    cone = ts.aig.cone(ts.next_state)
    return tuple(i for i in range(ts.num_inputs) if cone[1 + i])


def state_graph(
    ts: TransitionSystem, *, all_states: bool = False, max_bits: int = MAX_STATE_BITS
) -> nx.DiGraph:
    """The state-transition graph of ``ts`` (see the module docstring).

    Node keys are bit strings: the configuration (state bits in ``ts.state_names`` order, the
    first bit first), prefixed by the read inputs' bits and ``:`` when the next state reads
    frozen inputs (``"01:110"``). Node attributes: ``config`` (the configuration bits),
    ``inputs`` (the read inputs' bits, ``""`` if none), ``initial`` (a round-0 configuration
    of a valid input), ``attractor`` (the index of the attractor the node lies on, or None)
    and ``basin`` (the index of the attractor it flows into). Each node has exactly one
    outgoing edge (a self-loop for a fixed point).

    Graph attributes: ``state_names``, ``input_names`` (the read inputs, in input order),
    ``attractors`` (a tuple of :class:`Attractor`, ordered by their first node) and
    ``all_states`` (the argument).

    Raises :class:`StateGraphTooLarge` when the state bits plus the read input bits exceed
    ``max_bits``, or the inputs exceed :data:`MAX_INPUT_BITS`.
    """
    n = ts.num_state
    read = next_state_inputs(ts)
    bits = len(read) + n
    if bits > max_bits:
        raise StateGraphTooLarge(_too_large(ts, read, max_bits))
    if ts.num_inputs > MAX_INPUT_BITS:
        raise StateGraphTooLarge(
            f"the model has {ts.num_inputs} inputs; finding its round-0 configurations"
            f" enumerates 2**{ts.num_inputs} inputs, more than the limit 2**{MAX_INPUT_BITS}"
        )
    sim = BitSimulator(ts)
    succ = _successors(sim, read, n)
    initial = _initial_nodes(sim, read, n)
    if all_states:
        valuations = {i >> n for i in initial} if read else {0}
        nodes = [i for i in range(1 << bits) if i >> n in valuations]
    else:
        nodes = _reachable(initial, succ)
    return _build(ts, read, n, nodes, succ, set(initial), all_states)


def _too_large(ts: TransitionSystem, read: tuple[int, ...], max_bits: int) -> str:
    n = ts.num_state
    text = (
        f"the model has {n} state bits; state-transition graphs are drawn for at most"
        f" {max_bits} state bits"
        f" ({2**max_bits} configurations)"
    )
    if read and n <= max_bits:
        names = " ".join(ts.input_names[i] for i in read)
        text = (
            f"the next state reads the frozen inputs {names}, so the graph has one part per"
            f" valuation of them: {len(read)} input bits + {n} state bits ="
            f" {len(read) + n} bits, more than the limit of {max_bits}"
        )
    return text


def _to_ints(bits: np.ndarray) -> np.ndarray:
    """Rows of bools (first column most significant) as integers."""
    weights = 1 << np.arange(bits.shape[1] - 1, -1, -1, dtype=np.int64)
    return bits.astype(np.int64) @ weights if bits.shape[1] else np.zeros(len(bits), np.int64)


def _successors(sim: BitSimulator, read: tuple[int, ...], n: int) -> list[int]:
    """``succ[i]`` for every candidate node ``i = r << n | s`` (r: read-input valuation,
    s: configuration), stepped all at once."""
    bits = len(read) + n
    count = 1 << bits
    combos = all_inputs(bits)
    inputs = np.zeros((count, sim.ts.num_inputs), dtype=bool)
    inputs[:, list(read)] = combos[:, : len(read)]
    nxt = unpack(sim.step(pack(combos[:, len(read) :]), pack(inputs)), count)
    high = (np.arange(count, dtype=np.int64) >> n) << n
    return (high | _to_ints(nxt)).tolist()


def _initial_nodes(sim: BitSimulator, read: tuple[int, ...], n: int) -> list[int]:
    """The nodes of the round-0 configurations of the valid inputs, sorted, no repeats."""
    k = sim.ts.num_inputs
    inputs = all_inputs(k)
    state_words, valid_words = sim.initial(pack(inputs))
    configs = _to_ints(unpack(state_words, len(inputs)))
    valid = unpack(valid_words[None, :], len(inputs))[:, 0]
    keys = (_to_ints(inputs[:, list(read)]) << n) | configs
    return sorted(set(keys[valid].tolist()))


def _reachable(initial: list[int], succ: list[int]) -> list[int]:
    seen = set(initial)
    stack = list(initial)
    while stack:
        nxt = succ[stack.pop()]
        if nxt not in seen:
            seen.add(nxt)
            stack.append(nxt)
    return sorted(seen)


def _build(
    ts: TransitionSystem,
    read: tuple[int, ...],
    n: int,
    nodes: list[int],
    succ: list[int],
    initial: set[int],
    all_states: bool,
) -> nx.DiGraph:
    def parts(i: int) -> tuple[str, str]:
        """The read inputs' bits and the configuration bits of node ``i``."""
        config = format(i & ((1 << n) - 1), f"0{n}b") if n else ""
        return (format(i >> n, f"0{len(read)}b") if read else "", config)

    def key(i: int) -> str:
        inputs, config = parts(i)
        return f"{inputs}:{config}" if read else config

    graph = nx.DiGraph()
    for i in nodes:
        inputs, config = parts(i)
        graph.add_node(key(i), config=config, inputs=inputs, initial=i in initial)
    graph.add_edges_from((key(i), key(succ[i])) for i in nodes)
    # Terminal cycles: the attracting components of a graph in which every node has one
    # successor are exactly its cycles. Keys have fixed width, so string order = node order.
    starts = sorted(min(comp) for comp in nx.attracting_components(graph))
    attractors = []
    basin: dict[str, int] = {}
    on_cycle: dict[str, int] = {}
    for index, start in enumerate(starts):
        cycle = [start]
        while (nxt := _succ(graph, cycle[-1])) != start:
            cycle.append(nxt)
        attractors.append(Attractor(index, tuple(cycle), graph.nodes[start]["inputs"]))
        for node in cycle:
            on_cycle[node] = basin[node] = index
    for node in graph:
        path = []
        while node not in basin:
            path.append(node)
            node = _succ(graph, node)
        for visited in path:
            basin[visited] = basin[node]
    nx.set_node_attributes(graph, basin, "basin")
    nx.set_node_attributes(graph, {v: on_cycle.get(v) for v in graph}, "attractor")
    graph.graph.update(
        state_names=ts.state_names,
        input_names=tuple(ts.input_names[i] for i in read),
        attractors=tuple(attractors),
        all_states=all_states,
    )
    return graph


def _succ(graph: nx.DiGraph, node: str) -> str:
    (nxt,) = graph.successors(node)
    return nxt
