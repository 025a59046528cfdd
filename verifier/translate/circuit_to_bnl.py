"""Self-feeding circuit to BNL program, asynchronously equivalent (paper, Theorem 2.6).

The paper's construction (a sketch; the details below fill its gaps): one head predicate per
gate, a one-hot counter ``c[0] .. c[D-1]`` of length D = the circuit's depth, and every gate
*flagged* by a counter bit so that it evaluates in the round in which its arguments are valid.
One round of the circuit takes D rounds of the program.

Conventions (``D = max(1, circuit.depth)``; a gate's *height* is 0 for input gates and gates of
fan-in 0, else 1 + the largest height of its arguments; an alias ``g = x`` is no gate):

* **Position heads.** Head i (in head order, first) is position i and carries the name of input
  gate i. It is an input predicate (no terminal clause) iff position i is an input position,
  else its terminal clause is the position's ``init`` value; so the input predicates are the
  input positions, in position order, and assumptions carry over unchanged (they already use
  the input gates' names). In every round D*t .. D*t + D - 1 the position heads hold
  configuration t of the circuit.
* **Counter.** ``c[0](0) :- 1``, ``c[k](0) :- 0`` for k > 0; ``c[0] :- c[D-1]`` and
  ``c[k+1] :- c[k]``: ``c[k]`` is true exactly in the rounds congruent to k modulo D.
* **Gates hold.** A gate g of height h >= 1 that is read by another gate is the head
  ``g :- (c[h-1] & op(args)) | (!c[h-1] & g)`` (flag ``c[h-1]``, backup the head itself;
  terminal value 0, never read before it is first computed). By induction on h it holds g's
  value on configuration t in rounds D*t + h .. D*t + D + h - 1. Every reader of g has a larger
  height h' <= D and evaluates in round D*t + h' - 1, inside that window, so arguments of
  *different* heights are all valid when they are read. That is why gates hold rather than
  reset: with holding values no dummy gates are needed to equalize the heights of a gate's
  arguments.
* **Output gates have height D.** Output gate i is evaluated in the last slot, directly into
  position head i: ``x_i :- (c[D-1] & op_i(args)) | (!c[D-1] & x_i)`` where ``op_i(args)`` is
  the output gate's operation on the heads of its arguments (or the head of the position it
  names, if it is an input gate). This is the paper's equalization of all output heights to D,
  done by the flag instead of a chain of dummy gates (the arguments hold their values, so the
  dummies would only copy them): every position updates in the same step D*t + D - 1 -> D*(t+1).
  An output gate that is also read by another gate additionally gets its own head like any
  other gate (its height is then < D).
* **Not translated.** Gates of fan-in 0 (``and()``, ``or()``) are written as the constants
  ``1``/``0`` where they are used (no head); gates no output gate depends on are dropped
  (they cannot influence any position, and their heights may exceed D).
* **D = 1** (every output gate reads positions and constants only): no counter and no flags;
  ``x_i :- op_i(args)``. The program is then the circuit itself, globally equivalent to it.
* **Names.** Position heads keep the input gates' names and a gate that gets a head keeps its
  name; an anonymous gate inside the definition of g is named ``g.k`` (k = 1, 2, ... in the
  order the gates are written, an index stays last: ``g.1[2]`` for ``g[2]``); the counter is
  ``c[k]`` and the attention heads ``att.x``. A name that is taken gets ``_`` prefixed until
  it is free. Head order: the positions, the counter, the gates in the order they are
  written (outermost first), the attention heads.

Output condition (the equivalence: circuit output round t is program output round D*t + C):

* print predicates: the position heads of the print positions;
* ``attention all``: the attention predicate ``c[0]`` (true in rounds 0, D, 2D, ...);
* ``attention rounds``: r becomes D*r, a + bk becomes D*a + (D*b)k;
* attention positions: the position heads hold their value for D rounds, so each attention
  position i gets a head ``att.x_i`` that is true only in the sampled rounds. With offset
  C = 0 it is ``att.x_i(0) :- init_i`` and ``att.x_i :- c[D-1] & op_i(args)`` (a copy of the
  position's update that is reset in the other rounds). That is impossible when position i is
  an input position: round 0 would need the input bit, and only the input predicate itself has
  it. If some attention position is an input position (and D > 1), every attention head is
  instead delayed by one round, C = 1: ``att.x_i(0) :- 0``, ``att.x_i :- c[0] & x_i``, true in
  round D*t + 1 iff position i is true in configuration t; the print predicates need no delayed
  copies because for D >= 2 the position heads still hold configuration t in round D*t + 1.
  Round 0 is then an extra round in which the program never outputs. With D = 1 the position
  heads themselves are the attention predicates (C = 0). So C = 1 exactly when D > 1 and an
  attention position is an input position, else C = 0.

``meta`` records ``stride=D offset=C`` for the equivalence checker.

Size (the paper's measure, :attr:`BnlProgram.size`). Let n be the number of positions, m the
number of gates that get a head, e the number of argument edges of those gates and of the
output gates, and a the number of attention positions. A flagged body is the operation plus 10
(``(c & f) | (!c & x)``, ``|`` counts 4), an operation on k arguments has size at most 5k + 2,
a terminal clause at most 3. So a position or gate head costs at most 16 + 5k, a counter head
5, an attention head at most 8 + 5k (k of its output gate), and

    size <= 16 (n + m) + 5 D + 8 a + 10 e.

With m <= s - n, a <= n and D <= s for a circuit of size s (input gates included) with E >= e
edges: size <= 16 s + 8 n + 5 D + 10 E, which is O(s + E), as the paper claims. There are no
dummy gates (equalizing the output heights with dummies would add up to n*D heads).
"""

from __future__ import annotations

from collections.abc import Callable

from verifier import formula as fm
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Circuit,
    GateApp,
    GateRef,
    Head,
    Progression,
)
from verifier.models.attention import Attention
from verifier.models.circuit import GateExpr
from verifier.translate.names import fresh

__all__ = ["circuit_to_bnl"]

# A node of the circuit after resolving aliases: a position (an input gate) or a gate.
Node = int | GateApp


def circuit_to_bnl(circuit: Circuit) -> BnlProgram:
    """The Theorem 2.6 program of ``circuit``: asynchronously equivalent, stride D (the
    circuit's depth, at least 1) and offset 0 or 1 (see the module docstring)."""
    nodes, heights = _resolve(circuit)
    outputs = [nodes[name] for name in circuit.outputs]
    depth = max(1, circuit.depth)

    def height(node: Node) -> int:
        return 0 if isinstance(node, int) else heights[id(node)]

    def children(app: GateApp) -> list[Node]:
        return [nodes[a.name] if isinstance(a, GateRef) else a for a in app.args]

    # The gates that get a head: every non-constant gate read by an output gate or by such a
    # gate (output gates themselves are evaluated into the position heads).
    needed: dict[int, GateApp] = {}
    stack = [c for o in outputs if isinstance(o, GateApp) for c in children(o)]
    while stack:
        node = stack.pop()
        if isinstance(node, int) or not node.args or id(node) in needed:
            continue
        needed[id(node)] = node
        stack.extend(children(node))
    assert all(height(o) <= depth for o in outputs)
    assert all(1 <= heights[k] < depth for k in needed)

    taken = set(circuit.inputs) | {g.name for g in circuit.gates}
    gate_names = _name_gates(circuit, needed, taken)
    counter = _counter_names(depth, taken) if depth > 1 else []

    def ref(node: Node) -> Formula:
        if isinstance(node, int):
            return Var(circuit.inputs[node])
        if not node.args:
            return Top() if node.op == "and" else Bottom()
        return Var(gate_names[id(node)])

    def operation(node: Node) -> Formula:
        """The value of ``node`` computed from the heads of its arguments."""
        if isinstance(node, int):
            return ref(node)
        args = [ref(c) for c in children(node)]
        if node.op == "not":
            return Not(args[0])
        return fm.conjunction(args) if node.op == "and" else fm.disjunction(args)

    def flagged(slot: int, value: Formula, name: str) -> Formula:
        if depth == 1:
            return value
        flag = Var(counter[slot])
        return Or(And(flag, value), And(Not(flag), Var(name)))

    heads: list[Head] = []
    for i, name in enumerate(circuit.inputs):
        heads.append(Head(name, flagged(depth - 1, operation(outputs[i]), name), circuit.init[i]))
    for k, name in enumerate(counter):
        heads.append(Head(name, Var(counter[k - 1]), k == 0))
    for key, name in gate_names.items():  # in the order the gates are written
        body = flagged(heights[key] - 1, operation(needed[key]), name)
        heads.append(Head(name, body, False))

    attention, offset, extra = _attention(circuit, depth, counter, outputs, operation, taken)
    heads.extend(extra)
    return BnlProgram(
        heads=tuple(heads),
        print_=tuple(circuit.inputs[i] for i in circuit.print_),
        attention=attention,
        assumptions=circuit.assumptions,
        meta=(
            f"translation=circuit-to-bnl theorem=2.6 relation=async stride={depth} offset={offset}",
        ),
    )


def _resolve(circuit: Circuit) -> tuple[dict[str, Node], dict[int, int]]:
    """Every name's node (aliases followed) and every gate's height (by ``id``).

    Named definitions in a topological order of their references, each expression in post
    order with an explicit stack: nothing recurses on the circuit's depth.
    """
    nodes: dict[str, Node] = {name: i for i, name in enumerate(circuit.inputs)}
    heights: dict[int, int] = {}

    def level(arg: GateExpr) -> int:
        if isinstance(arg, GateRef):
            node = nodes[arg.name]
            return 0 if isinstance(node, int) else heights[id(node)]
        return heights[id(arg)]

    for gate in circuit.ordered_gates:
        name, expr = gate.name, gate.expr
        if isinstance(expr, GateRef):
            nodes[name] = nodes[expr.name]
            continue
        stack: list[tuple[GateApp, bool]] = [(expr, False)]
        while stack:
            app, expanded = stack.pop()
            if id(app) in heights:
                continue
            if expanded:
                heights[id(app)] = 1 + max((level(a) for a in app.args), default=-1)
                continue
            stack.append((app, True))
            stack.extend((a, False) for a in app.args if isinstance(a, GateApp))
        nodes[name] = expr
    return nodes, heights


def _derived(name: str, suffix: str) -> str:
    """``name`` with ``suffix`` appended before its index, if any (``g[2]`` -> ``g.1[2]``)."""
    stem, bracket, index = name.partition("[")
    return f"{stem}{suffix}{bracket}{index}"


def _name_gates(circuit: Circuit, needed: dict[int, GateApp], taken: set[str]) -> dict[int, str]:
    """Names of the gates in ``needed``: a named gate keeps its name, the anonymous gates in
    the definition of g are ``g.1``, ``g.2``, ... in the order they are written."""
    names: dict[int, str] = {}
    for gate in circuit.gates:
        if isinstance(gate.expr, GateRef):
            continue
        if id(gate.expr) in needed and id(gate.expr) not in names:
            names[id(gate.expr)] = gate.name  # reserved in ``taken`` already
        count = 0
        stack: list[GateExpr] = list(reversed(gate.expr.args))
        while stack:  # pre-order, left to right
            node = stack.pop()
            if isinstance(node, GateRef):
                continue
            if id(node) in needed and id(node) not in names:
                count += 1
                names[id(node)] = fresh(_derived(gate.name, f".{count}"), taken)
            stack.extend(reversed(node.args))
    return names


def _counter_names(depth: int, taken: set[str]) -> list[str]:
    stem = "c"
    while any(f"{stem}[{k}]" in taken for k in range(depth)):
        stem = "_" + stem
    names = [f"{stem}[{k}]" for k in range(depth)]
    taken.update(names)
    return names


def _attention(
    circuit: Circuit,
    depth: int,
    counter: list[str],
    outputs: list[Node],
    operation: Callable[[Node], Formula],
    taken: set[str],
) -> tuple[Attention, int, list[Head]]:
    """The program's output condition, its offset C and the attention heads it needs."""
    attention = circuit.attention
    if isinstance(attention, AttentionRounds):
        items = tuple(
            depth * item
            if isinstance(item, int)
            else Progression(depth * item.start, depth * item.step)
            for item in attention.items
        )
        return AttentionRounds(items), 0, []
    if isinstance(attention, AttentionAll):
        if depth == 1:
            return AttentionAll(), 0, []
        return AttentionBits((counter[0],)), 0, []
    positions = tuple(dict.fromkeys(attention.bits))
    if depth == 1:
        return AttentionBits(tuple(circuit.inputs[i] for i in attention.bits)), 0, []
    delayed = any(circuit.init[i] is None for i in positions)
    heads: dict[int, Head] = {}
    for i in positions:
        name = fresh(f"att.{circuit.inputs[i]}", taken)
        if delayed:
            heads[i] = Head(name, And(Var(counter[0]), Var(circuit.inputs[i])), False)
        else:
            body = And(Var(counter[depth - 1]), operation(outputs[i]))
            heads[i] = Head(name, body, circuit.init[i])
    bits = AttentionBits(tuple(heads[i].name for i in attention.bits))
    return bits, int(delayed), list(heads.values())
