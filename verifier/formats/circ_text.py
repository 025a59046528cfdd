"""The ``.circ`` text format (DESIGN.md 2.4 and 3.1): :func:`loads` and :func:`dumps`.

Positions are 1-based in files (an index or an input-gate name) and 0-based in the model.

>>> circuit = loads("inputs x a\\noutputs o a\\ninit a=1\\no = and(x, !a)\\n")
>>> circuit.init, circuit.print_, circuit.size
((None, True), (0, 1), 4)
>>> print(dumps(circuit), end="")
inputs x a
outputs o a
init a=1
print x a
o = and(x, !a)
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.formats.source import Loc
from verifier.formats.text_common import (
    Anchors,
    Document,
    assume_lines,
    attention_line,
    check_names,
    directive_line,
    meta_lines,
    read_assumptions,
    read_attention,
    read_document,
    read_meta,
)
from verifier.formats.text_syntax import GateLine, InitLine, Located, NameList
from verifier.models.circuit import Circuit, GateDef, GateExpr, GateRef

__all__ = ["dumps", "loads"]

_EXPECTED = "'inputs', 'outputs' and gate definitions such as 'g = and(x, !y)'"
# Gate types: a gate with such a name could not be referenced (`and` starts `and(...)`).
_GATE_TYPES = ("and", "or", "not")


def loads(text: str, filename: str = "<string>") -> Circuit:
    """The self-feeding circuit written in ``text``.

    Raises :class:`~verifier.errors.ParseError` at ``filename:line:col`` for a syntax error
    and for a circuit that breaks a rule of DESIGN.md 2.4.
    """
    document = read_document(text, filename, "circ", _EXPECTED)
    anchors = Anchors(document.source)
    inputs = _read_names(document, anchors, "inputs", "input")
    outputs = _read_names(document, anchors, "outputs", "output")
    init = _read_init(document, anchors, inputs)
    gates = tuple(_read_gate(document, anchors, line) for line in document.body)
    index = _index(inputs)

    def position(item: Located[str | int]) -> int:
        return _position(document, index, item)

    print_ = _read_print(document, anchors, position, len(inputs))
    attention = read_attention(document, anchors, position)
    assumptions = read_assumptions(document, anchors)
    meta = read_meta(document)
    return anchors.build(
        lambda: Circuit(inputs, outputs, gates, init, print_, attention, assumptions, meta)
    )


def _read_names(document: Document, anchors: Anchors, keyword: str, kind: str) -> tuple[str, ...]:
    """The names on the required ``inputs``/``outputs`` line; records ``(kind, name)`` and
    ``("outputs",)``."""
    line = document.directives.get(keyword)
    if line is None:
        raise document.error(
            f"missing '{keyword}' line: expected '{keyword}' followed by the {kind} gates"
            " in position order",
            Loc(1, 1),
        )
    assert isinstance(line, NameList)
    anchors.define((keyword,), line.loc)
    for item in line.items:
        if kind == "input":
            _check_gate_name(document, item)
            anchors.define((kind, item.value), item.loc)
        else:
            anchors.use((kind, item.value), item.loc)
    return tuple(str(item.value) for item in line.items)


def _check_gate_name(document: Document, name: Located[str | int]) -> None:
    if name.value in _GATE_TYPES or name.value in ("true", "false"):
        raise document.error(f"'{name.value}' is a keyword and cannot be a gate name", name.loc)


def _read_init(
    document: Document, anchors: Anchors, inputs: tuple[str, ...]
) -> tuple[bool | None, ...]:
    """Per position: None (an input position) or the ``init`` bit of an auxiliary position."""
    init: list[bool | None] = [None] * len(inputs)
    line = document.directives.get("init")
    if line is None:
        return tuple(init)
    assert isinstance(line, InitLine)
    index = _index(inputs)
    done: set[str] = set()
    for name, bit in line.entries:
        where = index.get(name.value)
        if where is None:
            raise document.error(
                f"init names '{name.value}', which is not an input gate: expected"
                f" one of {' '.join(inputs) or '(no input gates)'}",
                name.loc,
            )
        if name.value in done:
            raise document.error(f"init gives '{name.value}' twice", name.loc)
        done.add(name.value)
        anchors.define(("init", name.value), name.loc)
        init[where] = bit.value
    return tuple(init)


def _read_gate(document: Document, anchors: Anchors, line: object) -> GateDef:
    assert isinstance(line, GateLine)
    _check_gate_name(document, line.name)
    anchors.define(("gate", line.name.value), line.name.loc)
    for ref in line.refs:
        anchors.use(("gate_ref", line.name.value, ref.value), ref.loc)
    return GateDef(line.name.value, line.expr)


def _read_print(
    document: Document,
    anchors: Anchors,
    position: Callable[[Located[str | int]], int],
    n: int,
) -> tuple[int, ...]:
    """The print positions (all positions without a print line); records ``("print", p)``."""
    line = document.directives.get("print")
    if line is None:
        return tuple(range(n))
    assert isinstance(line, NameList)
    positions = []
    for item in line.items:
        p = position(item)
        anchors.use(("print", p), item.loc)
        positions.append(p)
    return tuple(positions)


def _position(document: Document, index: dict[str, int], item: Located[str | int]) -> int:
    """The 0-based position of a 1-based index (range checked by the model) or a name."""
    if isinstance(item.value, int):
        return item.value - 1
    where = index.get(item.value)
    if where is None:
        raise document.error(
            f"'{item.value}' is not an input gate: expected a position, as a 1-based index"
            " or an input-gate name",
            item.loc,
        )
    return where


def _index(inputs: tuple[str, ...]) -> dict[str, int]:
    """Input-gate name -> position (the first, if a name is repeated: the model rejects that)."""
    index: dict[str, int] = {}
    for i, name in enumerate(inputs):
        index.setdefault(name, i)
    return index


# ---------------------------------------------------------------------------------------------
# Writing


def dumps(circuit: Circuit) -> str:
    """The canonical text of ``circuit``; ``loads(dumps(c)) == c``.

    Directives first (``inputs``, ``outputs``, ``init`` if any position has one, ``print``,
    ``attention``, ``assume``, ``meta``), then the gate definitions in the model's order.
    Positions are written as input-gate names (as indices for a gate named ``all`` or
    ``rounds``, which would read as keywords after ``attention``). Raises ValueError for what
    the text format cannot express.
    """
    check_names(circuit.inputs, "input gate", _GATE_TYPES)
    check_names((g.name for g in circuit.gates), "gate", _GATE_TYPES)

    def position(p: object) -> str:
        assert isinstance(p, int)
        name = circuit.inputs[p]
        return str(p + 1) if name in ("all", "rounds") else name

    entries = [f"{circuit.inputs[i]}={int(v)}" for i, v in enumerate(circuit.init) if v is not None]
    lines = [
        directive_line("inputs", circuit.inputs),
        directive_line("outputs", circuit.outputs),
        *([directive_line("init", entries)] if entries else []),
        directive_line("print", map(position, circuit.print_)),
        *attention_line(circuit.attention, position),
        *assume_lines(circuit.assumptions),
        *meta_lines(circuit.meta),
    ]
    lines.extend(f"{gate.name} = {format_gate(gate.expr, top=True)}" for gate in circuit.gates)
    return "\n".join(lines) + "\n"


def format_gate(expr: GateExpr, top: bool = False) -> str:
    """The text of a gate expression: ``and(a, !b)``; a ``not`` is written ``not(x)`` at the
    top of a definition (``top``) and ``!x`` inside. Iterative: expressions may be deep."""
    out: list[str] = []
    # Work items, popped from the end: text to emit, or an expression to expand.
    stack: list[str | GateExpr] = [expr]
    outermost = top
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, GateRef):
            out.append(item.name)
        elif item.op == "not" and not outermost:
            out.append("!")
            stack.append(item.args[0])
        else:
            out.append(f"{item.op}(")
            stack.append(")")
            for i in range(len(item.args) - 1, -1, -1):
                stack.append(item.args[i])
                if i:
                    stack.append(", ")
        outermost = False
    return "".join(out)
