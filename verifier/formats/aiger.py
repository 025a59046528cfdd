"""Self-feeding circuits as AIGER 1.9 files, ASCII (``.aag``) and binary (``.aig``); DESIGN.md 3.2.

Mapping
-------
A self-feeding circuit with n positions is an AIGER with latches only (I = 0 primary inputs):

* position i (0-based) is latch i, variable i + 1, literal 2(i + 1); its next-state literal
  is output gate i compiled to AND gates: ``and`` gates as chains of two-input ANDs, ``or``
  gates by De Morgan (``or(a, b)`` = ``!and(!a, !b)``), ``not`` gates as complemented
  literals; constants fold, identical ANDs are shared, ANDs outside the cone of the latches'
  next-state functions are dropped (their names cannot be kept: AIGER has no gate names);
* the reset value of latch i is the ``init`` value (0 or 1) of an auxiliary position, and
  the latch itself (AIGER 1.9: uninitialized) for an input position;
* each print position and each attention position is an AIGER output whose literal is the
  position's latch literal: print bits first, then attention bits, each in the model's order.

Symbol table: ``l<i> <name>`` gives position i its input-gate name; ``o<k> print[<j>]=<name>``
and ``o<k> attention[<j>]=<name>`` say that output k is print bit j or attention bit j, the
position named ``<name>`` (for the reader; the position comes from the output's literal, and
the index j keeps the symbols distinct, which ABC requires). On import, an output whose symbol
starts with ``attention`` is an attention bit; any other output, with or without a symbol, is
a print bit; each kind keeps the order of the outputs.

Comment section (after the line ``c``): what AIGER cannot express, one line each, restored on
import::

    verify: attention rounds 0, 3+2k
    verify: assume !x1 | !x2
    verify: meta source=parity4.circ

Other comment lines are ignored; a ``verify:`` line with another directive is an error.

Import
------
An AIGER file is a self-feeding circuit only if it has no primary inputs (I = 0), no bad,
invariant-constraint, justice or fairness properties (B = C = J = F = 0) and every output is
an uncomplemented latch literal; anything else is a :class:`ParseError` saying what was
expected. Malformed files (bad header, literal out of range or undefined, a cyclic ASCII AND,
a binary AND that breaks lhs > rhs0 >= rhs1, a truncated file) are ParseErrors too.

Names on import: a latch's symbol when it is a valid name of DESIGN.md 2.1 (not a keyword,
not taken by an earlier latch), otherwise ``l<i>``; AND gate with variable v is named
``g<v>``, the complement of variable v (when a next-state literal is complemented) ``n<v>``,
the constants ``c0 = or()`` and ``c1 = and()``. The generated names get a ``_`` prefix (as many
as needed) if one of them would clash with a latch symbol.

Error positions: for ``.aag`` the line and column. For ``.aig`` the byte offset of the
offending item, said in the message ("at byte offset N") and given as line 1, column N + 1,
since lines mean nothing in the binary part of the file.

Round trips: ``dumps_aag(loads_aag(dumps_aag(c))) == dumps_aag(c)`` (the same for ``.aig``),
and the re-imported circuit has the same positions, names, init, print, attention,
assumptions, meta and next-state function as ``c`` (its gates are ANDs and NOTs, so its
structure differs). ``.aag`` and ``.aig`` of one circuit import to equal circuits.

Export for model checkers (``init_as_inputs``)
----------------------------------------------
Model checkers such as ABC treat an uninitialised latch as 0-initialised (ABC prints a warning
and goes on), so on the plain export they check only the runs that start with every input
position at 0 and may answer "equivalent" for circuits that are not. ``dumps_aag(c,
init_as_inputs=True)`` and ``dumps_aig(c, init_as_inputs=True)`` write the *first-frame*
form instead (what yosys ``write_aiger -zinit`` does), built by :func:`_first_frame` from a
:class:`SequentialAig` (a sequential AIG over *frozen* inputs, the IR's convention):

* input position k is primary input k, symbol ``i<k> <input-gate name>``, read in round 0
  only: a latch ``first-frame`` (reset 1, next 0) selects it, ``first ? pi : latch``, and the
  position's latch (reset 0, symbol ``latch:<name>``) takes over from round 1;
* auxiliary positions keep their ``init`` as reset value; so every latch has reset 0 or 1;
* outputs as in the plain export (print bits, attention bits), each the position's value in
  the current round (round 0 included), and with assumptions one more output
  ``assumptions``: 1 iff the round-0 input satisfies them (a latch ``valid-inputs`` holds
  it). ABC ignores AIGER invariant constraints in ``dprove`` and ``pdr``, so none are written;
* an input read after round 0 (a proposition symbol of an SC program, an input of a safety
  problem) gets a latch ``frozen:<name>`` that holds its round-0 value; a system without
  inputs gets one unused primary input ``unused-input`` (ABC fails an assertion on a
  network without primary inputs).

The primary inputs' values after round 0 never matter. Attention given as fixed rounds is
not an output (it is noted in the comment section). The readers refuse this form (I > 0):
``verify`` does not read it back. :func:`dumps_problem_aag` and :func:`dumps_problem_aig`
write a :class:`~verifier.ir.safety.SafetyProblem` in the same form with the single output
``bad`` (1 in a round where the problem's ``bad`` holds on an input satisfying its
constraints): the miter form that ABC's ``dprove`` and ``pdr`` take. Models and pairs of
models are written by :mod:`verifier.formats.equiv_aiger`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

import networkx as nx

from verifier.errors import ModelError, ParseError, SourcePos
from verifier.formats._infix import DESIGN_NAME, InfixLocation, parse_infix
from verifier.formats.formula_text import format_formula
from verifier.formula import Formula
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.compile import compile_formula
from verifier.ir.safety import SafetyProblem
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    Circuit,
    GateApp,
    GateDef,
    GateExpr,
    GateRef,
    Progression,
)

__all__ = [
    "FIRST_FRAME",
    "FROZEN_PREFIX",
    "LATCH_PREFIX",
    "UNUSED_INPUT",
    "SequentialAig",
    "decode_varint",
    "dumps_aag",
    "dumps_aig",
    "dumps_problem_aag",
    "dumps_problem_aig",
    "dumps_sequential_aag",
    "dumps_sequential_aig",
    "encode_varint",
    "loads_aag",
    "loads_aig",
    "problem_to_sequential",
]

_NAME_RE = re.compile(DESIGN_NAME)
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})
_PRINT = "print"
_ATTENTION = "attention"
_DIRECTIVE = "verify:"
_SYMBOL_RE = re.compile(r"([ilobcjf])([0-9]+) (.*)")
_ROUND_RE = re.compile(r"\s*([0-9]+)(?:\s*\+\s*([0-9]+)\s*k)?\s*")


# --------------------------------------------------------------------------- the AIGER record


@dataclass(frozen=True, slots=True)
class _Where:
    """A place in the file: 1-based line and column with the line's text (``.aag``), or a
    byte offset (``.aig``, reported as line 1, column offset + 1)."""

    line: int
    col: int
    context: str | None = None
    offset: int | None = None

    def error(self, file: str, message: str) -> ParseError:
        if self.offset is not None:
            message = f"{message} (at byte offset {self.offset})"
        return ParseError(message, SourcePos(file, self.line, self.col), self.context)


def _at_offset(offset: int) -> _Where:
    return _Where(1, offset + 1, None, offset)


@dataclass(frozen=True, slots=True)
class _Latch:
    lit: int
    next: int
    reset: int


@dataclass(frozen=True, slots=True)
class _And:
    lhs: int
    rhs0: int
    rhs1: int


@dataclass(frozen=True)
class _Aiger:
    """The parts of an AIGER file this module uses (B = C = J = F = 0; the readers also
    require I = 0, the first-frame writer emits primary inputs: literals 2, 4, .., 2I).

    ``where`` locates items for error messages: keys ``("latch", i)`` (its next-state
    literal), ``("output", k)``, ``("and", j)`` and ``("and", j, 0 or 1)`` (its inputs),
    ``("symbol", kind, i)``, ``("comment", j)``.
    """

    maxvar: int
    latches: tuple[_Latch, ...]
    outputs: tuple[int, ...]
    ands: tuple[_And, ...]
    num_inputs: int = 0
    input_symbols: dict[int, str] = field(default_factory=dict)
    latch_symbols: dict[int, str] = field(default_factory=dict)
    output_symbols: dict[int, str] = field(default_factory=dict)
    comments: tuple[str, ...] = ()
    where: dict[tuple[object, ...], _Where] = field(default_factory=dict, compare=False)


# --------------------------------------------------------------------------- varints


def encode_varint(value: int) -> bytes:
    """AIGER's binary number encoding: 7 bits per byte, least significant group first, the
    high bit set on every byte but the last.

    >>> encode_varint(127), encode_varint(128), encode_varint(16384)
    (b'\\x7f', b'\\x80\\x01', b'\\x80\\x80\\x01')
    """
    if value < 0:
        raise ValueError(f"cannot encode the negative number {value}")
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(data: bytes, offset: int) -> tuple[int, int] | None:
    """The number encoded at ``offset`` and the offset after it; None if the data ends first."""
    value = shift = 0
    while offset < len(data):
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7
    return None


# --------------------------------------------------------------------------- reading


def loads_aag(text: str, filename: str = "<string>") -> Circuit:
    """Read an ASCII AIGER 1.9 file (``aag``) as a self-feeding circuit (module docstring)."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    aiger = _AagReader(lines, filename).read()
    return _to_circuit(aiger, filename)


def loads_aig(data: bytes, filename: str = "<string>") -> Circuit:
    """Read a binary AIGER 1.9 file (``aig``) as a self-feeding circuit (module docstring)."""
    aiger = _AigReader(data, filename).read()
    return _to_circuit(aiger, filename)


def _header_fields(
    fields: list[tuple[str, _Where]], magic: str, file: str, end: _Where
) -> dict[str, int]:
    """Check ``<magic> M I L O A [B C J F]`` and that it describes latches and outputs only."""
    names = "MILOABCJF"
    if not fields or fields[0][0] != magic:
        found = repr(fields[0][0]) if fields else "an empty line"
        where = fields[0][1] if fields else end
        raise where.error(file, f"expected the header `{magic} M I L O A`, found {found}")
    numbers = fields[1:]
    if not 5 <= len(numbers) <= 9:
        raise (numbers[-1][1] if numbers else fields[0][1]).error(
            file,
            f"expected 5 to 9 numbers after `{magic}` (M I L O A [B C J F]), found {len(numbers)}",
        )
    header = {"B": 0, "C": 0, "J": 0, "F": 0}
    for key, (text, where) in zip(names, numbers, strict=False):  # B C J F optional
        header[key] = _unsigned(text, where, file, f"the number {key}")
    kinds = {
        "I": "primary inputs: a self-feeding circuit is an AIGER with latches only (DESIGN.md 3.2)",
        "B": "bad-state properties: a self-feeding circuit has no properties",
        "C": "invariant constraints: a self-feeding circuit has no constraints",
        "J": "justice properties: a self-feeding circuit has no properties",
        "F": "fairness constraints: a self-feeding circuit has no properties",
    }
    for index, key in enumerate(names):
        if key in kinds and header[key]:
            raise numbers[index][1].error(
                file, f"expected {key} = 0 {kinds[key]}; this file has {key} = {header[key]}"
            )
    return header


def _unsigned(text: str, where: _Where, file: str, what: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise where.error(file, f"expected {what} (an unsigned integer), found {text!r}")
    return int(text)


def _fields(line: str, where: Callable[[int], _Where]) -> list[tuple[str, _Where]]:
    """The space-separated fields of ``line``, each with its place (from its 0-based index)."""
    return [(m.group(), where(m.start())) for m in re.finditer(r"\S+", line)]


class _Checker:
    """Literal checks shared by both readers."""

    def __init__(self, file: str, maxvar: int) -> None:
        self.file = file
        self.maxvar = maxvar

    def literal(self, text: str, where: _Where, what: str) -> int:
        lit = _unsigned(text, where, self.file, what)
        if lit > 2 * self.maxvar + 1:
            raise where.error(
                self.file,
                f"expected {what} at most 2M + 1 = {2 * self.maxvar + 1} (M = {self.maxvar}),"
                f" found {lit}",
            )
        return lit

    def definition(self, text: str, where: _Where, what: str, defined: dict[int, str]) -> int:
        lit = self.literal(text, where, what)
        if lit < 2 or lit % 2:
            raise where.error(
                self.file, f"expected {what} to be an even literal >= 2 (a variable), found {lit}"
            )
        if lit // 2 in defined:
            raise where.error(
                self.file, f"expected a new variable: {lit // 2} is already {defined[lit // 2]}"
            )
        return lit


def _check_defined(aiger: _Aiger, file: str) -> None:
    """Every literal used must be a constant, a latch or an AND (AIGER: no undefined literals)."""
    defined = {0} | {la.lit // 2 for la in aiger.latches} | {a.lhs // 2 for a in aiger.ands}
    uses: list[tuple[int, tuple[object, ...], str]] = []
    uses += [(la.next, ("latch", i), "next-state literal") for i, la in enumerate(aiger.latches)]
    uses += [(lit, ("output", k), "output literal") for k, lit in enumerate(aiger.outputs)]
    for j, gate in enumerate(aiger.ands):
        uses += [(gate.rhs0, ("and", j, 0), "AND input"), (gate.rhs1, ("and", j, 1), "AND input")]
    for lit, key, what in uses:
        if lit // 2 not in defined:
            raise aiger.where[key].error(
                file,
                f"expected a defined literal as {what}, found {lit}: variable {lit // 2} is"
                " neither a latch nor an AND gate",
            )


def _check_acyclic(aiger: _Aiger, file: str) -> None:
    """ASCII ANDs may come in any order but must not depend on themselves (AIGER 1.9)."""
    graph = nx.DiGraph()
    index = {gate.lhs // 2: j for j, gate in enumerate(aiger.ands)}
    graph.add_nodes_from(index)
    for gate in aiger.ands:
        for rhs in (gate.rhs0, gate.rhs1):
            if rhs // 2 in index:
                graph.add_edge(rhs // 2, gate.lhs // 2)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    first = min(index[u] for u, _ in cycle)
    path = " -> ".join(str(2 * u) for u, _ in cycle) + f" -> {2 * cycle[0][0]}"
    raise aiger.where[("and", first)].error(
        file, f"expected acyclic AND gates, found the cycle {path}"
    )


class _AagReader:
    """The ASCII format: every section line by line, positions are line and column."""

    def __init__(self, lines: list[str], file: str) -> None:
        self.lines = lines
        self.file = file
        self.index = 0

    def _place(self, lineno: int) -> Callable[[int], _Where]:
        line = self.lines[lineno - 1]
        return lambda col0: _Where(lineno, col0 + 1, line)

    def _next(self, what: str, count: int) -> list[tuple[str, _Where]]:
        if self.index >= len(self.lines):
            last = max(len(self.lines), 1)
            context = self.lines[-1] if self.lines else ""
            raise _Where(last, len(context) + 1, context).error(
                self.file, f"unexpected end of file: expected {what}"
            )
        self.index += 1
        line = self.lines[self.index - 1]
        fields = _fields(line, self._place(self.index))
        if count and len(fields) != count:
            raise _Where(self.index, 1, line).error(
                self.file, f"expected {what} ({count} numbers), found {len(fields)} fields"
            )
        return fields

    def read(self) -> _Aiger:
        header_fields = self._next("the header `aag M I L O A`", 0)
        header = _header_fields(header_fields, "aag", self.file, _Where(1, 1, ""))
        check = _Checker(self.file, header["M"])
        defined: dict[int, str] = {}
        where: dict[tuple[object, ...], _Where] = {}
        latches = []
        for i in range(header["L"]):
            fields = self._next(f"latch {i}: `<literal> <next> [<reset>]`", 0)
            if len(fields) not in (2, 3):
                raise _Where(self.index, 1, self.lines[self.index - 1]).error(
                    self.file,
                    f"expected latch {i} as `<literal> <next> [<reset>]`,"
                    f" found {len(fields)} fields",
                )
            lit = check.definition(*fields[0], f"the literal of latch {i}", defined)
            defined[lit // 2] = f"latch {i}"
            nxt = check.literal(*fields[1], f"the next-state literal of latch {i}")
            reset = _reset(fields[2] if len(fields) == 3 else None, lit, i, self.file)
            latches.append(_Latch(lit, nxt, reset))
            where[("latch", i)] = fields[1][1]
        outputs = []
        for k in range(header["O"]):
            fields = self._next(f"output {k}: `<literal>`", 1)
            outputs.append(check.literal(*fields[0], f"the literal of output {k}"))
            where[("output", k)] = fields[0][1]
        ands = []
        for j in range(header["A"]):
            fields = self._next(f"AND gate {j}: `<lhs> <rhs0> <rhs1>`", 3)
            lhs = check.definition(*fields[0], f"the left-hand side of AND gate {j}", defined)
            defined[lhs // 2] = f"AND gate {j}"
            rhs0 = check.literal(*fields[1], f"input 0 of AND gate {j}")
            rhs1 = check.literal(*fields[2], f"input 1 of AND gate {j}")
            ands.append(_And(lhs, rhs0, rhs1))
            where[("and", j)] = fields[0][1]
            where[("and", j, 0)], where[("and", j, 1)] = fields[1][1], fields[2][1]
        rest = [
            (line, _Where(n, 1, line))
            for n, line in enumerate(self.lines[self.index :], start=self.index + 1)
        ]
        return _finish(header, latches, outputs, ands, rest, where, self.file, check_order=True)


class _AigReader:
    """The binary format: ASCII header, latch and output lines, binary ANDs, ASCII rest.
    Positions are byte offsets."""

    def __init__(self, data: bytes, file: str) -> None:
        self.data = data
        self.file = file
        self.offset = 0

    def _line(self, what: str) -> tuple[str, int]:
        end = self.data.find(b"\n", self.offset)
        if end < 0:
            raise _at_offset(len(self.data)).error(
                self.file, f"unexpected end of file: expected {what} ending in a newline"
            )
        start, self.offset = self.offset, end + 1
        raw = self.data[start:end]
        try:
            return raw.decode("ascii"), start
        except UnicodeDecodeError as err:
            raise _at_offset(start + err.start).error(
                self.file, f"expected {what} in ASCII, found the byte {raw[err.start]:#04x}"
            ) from None

    def _fields(self, what: str, counts: tuple[int, ...]) -> list[tuple[str, _Where]]:
        text, start = self._line(what)
        fields = _fields(text, lambda col0: _at_offset(start + col0))
        if counts and len(fields) not in counts:
            raise _at_offset(start).error(self.file, f"expected {what}, found {len(fields)} fields")
        return fields

    def read(self) -> _Aiger:
        header = _header_fields(
            self._fields("the header `aig M I L O A`", ()), "aig", self.file, _at_offset(0)
        )
        if header["M"] != header["I"] + header["L"] + header["A"]:
            raise _at_offset(4).error(
                self.file,
                f"expected M = I + L + A = {header['I'] + header['L'] + header['A']} in a binary"
                f" AIGER file, found M = {header['M']}",
            )
        check = _Checker(self.file, header["M"])
        where: dict[tuple[object, ...], _Where] = {}
        latches = []
        for i in range(header["L"]):
            fields = self._fields(f"latch {i} as `<next> [<reset>]`", (1, 2))
            lit = 2 * (header["I"] + i + 1)
            nxt = check.literal(*fields[0], f"the next-state literal of latch {i}")
            reset = _reset(fields[1] if len(fields) == 2 else None, lit, i, self.file)
            latches.append(_Latch(lit, nxt, reset))
            where[("latch", i)] = fields[0][1]
        outputs = []
        for k in range(header["O"]):
            fields = self._fields(f"output {k} as `<literal>`", (1,))
            outputs.append(check.literal(*fields[0], f"the literal of output {k}"))
            where[("output", k)] = fields[0][1]
        ands = []
        first = header["I"] + header["L"] + 1
        for j in range(header["A"]):
            start = self.offset
            lhs = 2 * (first + j)
            delta0 = self._varint(f"the first delta of AND gate {j} (lhs {lhs})")
            delta1 = self._varint(f"the second delta of AND gate {j} (lhs {lhs})")
            rhs0, rhs1 = lhs - delta0, lhs - delta0 - delta1
            if delta0 == 0 or rhs1 < 0:
                raise _at_offset(start).error(
                    self.file,
                    f"expected AND gate {j} with lhs {lhs} > rhs0 >= rhs1 >= 0 (binary AIGER"
                    f" deltas), found deltas {delta0} and {delta1}",
                )
            ands.append(_And(lhs, rhs0, rhs1))
            where[("and", j)] = where[("and", j, 0)] = where[("and", j, 1)] = _at_offset(start)
        return _finish(
            header, latches, outputs, ands, list(self._rest()), where, self.file, check_order=False
        )

    def _varint(self, what: str) -> int:
        decoded = decode_varint(self.data, self.offset)
        if decoded is None:
            raise _at_offset(len(self.data)).error(
                self.file, f"unexpected end of file: expected {what}"
            )
        value, self.offset = decoded
        return value

    def _rest(self) -> Iterator[tuple[str, _Where]]:
        """The symbol table and comment lines, decoded as UTF-8."""
        offset = self.offset
        for raw in self.data[offset:].split(b"\n"):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise _at_offset(offset + err.start).error(
                    self.file, "expected UTF-8 text in the symbol table and comments"
                ) from None
            yield text, _at_offset(offset)
            offset += len(raw) + 1


def _reset(field: tuple[str, _Where] | None, lit: int, i: int, file: str) -> int:
    """The reset literal of latch ``i``: 0 when omitted, else 0, 1 or the latch itself."""
    if field is None:
        return 0
    text, where = field
    reset = _unsigned(text, where, file, f"the reset value of latch {i}")
    if reset not in (0, 1, lit):
        raise where.error(
            file,
            f"expected the reset value of latch {i} to be 0, 1 or the latch literal {lit}"
            f" (uninitialized), found {reset}",
        )
    return reset


def _finish(
    header: dict[str, int],
    latches: list[_Latch],
    outputs: list[int],
    ands: list[_And],
    rest: list[tuple[str, _Where]],
    where: dict[tuple[object, ...], _Where],
    file: str,
    *,
    check_order: bool,
) -> _Aiger:
    """Read the symbol table and comments and check the definitions (shared by both readers)."""
    if rest and rest[-1][0] == "":
        rest.pop()  # the newline that ends the file
    latch_symbols: dict[int, str] = {}
    output_symbols: dict[int, str] = {}
    comments: list[str] = []
    in_comments = False
    for line, place in rest:
        if in_comments:
            comments.append(line)
            where[("comment", len(comments) - 1)] = place
            continue
        if line == "c":
            in_comments = True
            continue
        match = _SYMBOL_RE.fullmatch(line)
        if match is None or not match.group(3):
            raise place.error(
                file,
                "expected a symbol `l<i> <name>` or `o<i> <name>`, the comment header `c`"
                f" or the end of the file, found {line[:40]!r}",
            )
        kind, index = match.group(1), int(match.group(2))
        table, count = {"l": (latch_symbols, header["L"]), "o": (output_symbols, header["O"])}.get(
            kind, (None, 0)
        )
        if table is None or index >= count:
            raise place.error(
                file,
                f"expected a symbol for one of the {header['L']} latches (l0..) or"
                f" {header['O']} outputs (o0..), found {kind}{index}",
            )
        if index in table:
            raise place.error(file, f"expected at most one symbol for {kind}{index}")
        table[index] = match.group(3)
        where[("symbol", kind, index)] = place
    aiger = _Aiger(
        maxvar=header["M"],
        latches=tuple(latches),
        outputs=tuple(outputs),
        ands=tuple(ands),
        latch_symbols=latch_symbols,
        output_symbols=output_symbols,
        comments=tuple(comments),
        where=where,
    )
    _check_defined(aiger, file)
    if check_order:
        _check_acyclic(aiger, file)
    return aiger


# --------------------------------------------------------------------------- AIGER -> circuit


def _valid_name(name: str) -> bool:
    return _NAME_RE.fullmatch(name) is not None and name not in _KEYWORDS


def _latch_names(aiger: _Aiger) -> tuple[list[str | None], set[str]]:
    """Each latch's symbol if usable as a name (valid, not used by an earlier latch)."""
    names: list[str | None] = []
    used: set[str] = set()
    for i in range(len(aiger.latches)):
        symbol = aiger.latch_symbols.get(i)
        if symbol is not None and _valid_name(symbol) and symbol not in used:
            used.add(symbol)
            names.append(symbol)
        else:
            names.append(None)
    return names, used


def _generated_prefix(generated: Iterable[str], taken: set[str]) -> str:
    """The shortest run of ``_`` that keeps every generated name clear of ``taken``."""
    prefix = ""
    candidates = list(generated)
    while any(prefix + name in taken for name in candidates):
        prefix += "_"
    return prefix


def _to_circuit(aiger: _Aiger, file: str) -> Circuit:
    """The self-feeding circuit of a parsed AIGER (mapping in the module docstring)."""
    symbols, taken = _latch_names(aiger)
    n = len(aiger.latches)
    position = {la.lit // 2: i for i, la in enumerate(aiger.latches)}
    gate_vars = [gate.lhs // 2 for gate in aiger.ands]
    complemented = sorted({la.next // 2 for la in aiger.latches if la.next % 2 and la.next > 1})
    generated = [f"l{i}" for i in range(n) if symbols[i] is None]
    generated += [f"g{v}" for v in gate_vars] + [f"n{v}" for v in complemented] + ["c0", "c1"]
    prefix = _generated_prefix(generated, taken)
    inputs = tuple(s if s is not None else f"{prefix}l{i}" for i, s in enumerate(symbols))

    def name_of(var: int) -> str:
        return inputs[position[var]] if var in position else f"{prefix}g{var}"

    def expr_of(lit: int) -> GateExpr:
        if lit < 2:
            return GateApp("and" if lit else "or", ())
        ref = GateRef(name_of(lit // 2))
        return GateApp("not", (ref,)) if lit % 2 else ref

    gates = [
        GateDef(f"{prefix}g{g.lhs // 2}", GateApp("and", (expr_of(g.rhs0), expr_of(g.rhs1))))
        for g in aiger.ands
    ]
    extra: dict[str, GateDef] = {}
    outputs = []
    for latch in aiger.latches:
        if latch.next > 1 and latch.next % 2 == 0:
            outputs.append(name_of(latch.next // 2))
            continue
        name = f"{prefix}c{latch.next}" if latch.next < 2 else f"{prefix}n{latch.next // 2}"
        extra.setdefault(name, GateDef(name, expr_of(latch.next)))
        outputs.append(name)
    init = tuple(None if la.reset == la.lit else bool(la.reset) for la in aiger.latches)
    print_, attention_bits = _output_positions(aiger, position, file)
    directives = _read_comments(aiger, file)
    attention: AttentionAll | AttentionBits | AttentionRounds = AttentionAll()
    if directives.rounds is not None and directives.rounds_where is not None:
        if attention_bits:
            raise directives.rounds_where.error(
                file,
                "expected either attention outputs or a `verify: attention rounds` comment,"
                " found both",
            )
        attention = directives.rounds
    elif attention_bits:
        attention = AttentionBits(tuple(attention_bits))
    try:
        return Circuit(
            inputs=inputs,
            outputs=tuple(outputs),
            gates=tuple(gates) + tuple(extra.values()),
            init=init,
            print_=tuple(print_),
            attention=attention,
            assumptions=directives.assumptions,
            meta=directives.meta,
        )
    except ModelError as err:
        place = _Where(1, 1)
        if err.anchor[:1] == ("assume",) and isinstance(err.anchor[1], int):
            place = directives.assume_where[err.anchor[1]]
        raise place.error(file, err.message) from None


def _output_positions(
    aiger: _Aiger, position: dict[int, int], file: str
) -> tuple[list[int], list[int]]:
    """Print and attention positions from the outputs (each must be a latch literal)."""
    print_: list[int] = []
    attention: list[int] = []
    for k, lit in enumerate(aiger.outputs):
        if lit % 2 or lit // 2 not in position:
            raise aiger.where[("output", k)].error(
                file,
                f"expected output {k} to be the literal of a latch (print and attention bits"
                f" are positions of the self-feeding circuit, DESIGN.md 3.2), found {lit}",
            )
        symbol = aiger.output_symbols.get(k, "")
        (attention if symbol.startswith(_ATTENTION) else print_).append(position[lit // 2])
    return print_, attention


@dataclass(frozen=True, slots=True)
class _Directives:
    """What the ``verify:`` comment lines say, with where each was written."""

    rounds: AttentionRounds | None = None
    rounds_where: _Where | None = None
    assumptions: tuple[Formula, ...] = ()
    assume_where: tuple[_Where, ...] = ()
    meta: tuple[str, ...] = ()


def _read_comments(aiger: _Aiger, file: str) -> _Directives:
    """The ``verify:`` lines of the comment section: attention rounds, assumptions, meta."""
    rounds: AttentionRounds | None = None
    rounds_where: _Where | None = None
    assumptions: list[Formula] = []
    assume_where: list[_Where] = []
    meta: list[str] = []
    for j, line in enumerate(aiger.comments):
        if not line.startswith(_DIRECTIVE):
            continue
        place = aiger.where[("comment", j)]
        body = line[len(_DIRECTIVE) :].lstrip()
        keyword, _, rest = body.partition(" ")
        if body.startswith("attention rounds ") and rounds is None:
            rounds = _parse_rounds(body[len("attention rounds ") :], place, file)
            rounds_where = place
        elif keyword == "assume" and rest.strip():
            start = len(line) - len(rest)
            assumptions.append(_parse_assumption(line, start, place, file))
            assume_where.append(place)
        elif keyword == "meta" and rest.strip():
            meta.append(rest.strip())
        else:
            raise place.error(
                file,
                "expected `verify: attention rounds <rounds>` (at most once),"
                f" `verify: assume <formula>` or `verify: meta <text>`, found {line[:60]!r}",
            )
    return _Directives(rounds, rounds_where, tuple(assumptions), tuple(assume_where), tuple(meta))


def _parse_assumption(line: str, start: int, place: _Where, file: str) -> Formula:
    """The formula that starts at index ``start`` of the comment ``line``; in a ``.aig``
    file an error is re-located to its byte offset."""
    location = InfixLocation(file, place.line, line, start)
    try:
        return parse_infix(line[start:], DESIGN_NAME, location, "assumption").formula
    except ParseError as err:
        if place.offset is None:
            raise
        raise _at_offset(place.offset + err.col - 1).error(file, err.message) from None


def _parse_rounds(text: str, place: _Where, file: str) -> AttentionRounds:
    """``0, 3, 5+2k`` as in DESIGN.md 3.1."""
    items: list[int | Progression] = []
    for part in text.split(","):
        match = _ROUND_RE.fullmatch(part)
        if match is None or (match.group(2) is not None and int(match.group(2)) < 1):
            raise place.error(
                file,
                "expected attention rounds as a comma-separated list of rounds `t` and"
                f" progressions `a+bk` (b >= 1), found {part.strip()!r}",
            )
        start, step = match.groups()
        items.append(int(start) if step is None else Progression(int(start), int(step)))
    return AttentionRounds(tuple(items))


# --------------------------------------------------------------------------- circuit -> AIGER


class _AigBuilder:
    """Two-input ANDs with constant folding and structural hashing, numbered in creation
    order (so every AND comes after its inputs)."""

    def __init__(self, first_var: int) -> None:
        self.first_var = first_var
        self.ands: list[tuple[int, int]] = []
        self.table: dict[tuple[int, int], int] = {}

    def and_(self, a: int, b: int) -> int:
        if a < b:
            a, b = b, a
        if b == 0 or a == b ^ 1:
            return 0
        if b == 1 or a == b:
            return a
        lit = self.table.get((a, b))
        if lit is None:
            lit = 2 * (self.first_var + len(self.ands))
            self.ands.append((a, b))
            self.table[(a, b)] = lit
        return lit

    def or_(self, a: int, b: int) -> int:
        return self.and_(a ^ 1, b ^ 1) ^ 1


def _compile_expr(expr: GateExpr, lits: dict[str, int], builder: _AigBuilder) -> int:
    """The literal of one definition's expression tree (post-order, arguments left to right)."""
    if isinstance(expr, GateRef):
        return lits[expr.name]
    done: dict[int, int] = {}
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, GateRef):
            done[id(node)] = lits[node.name]
        elif not expanded:
            stack.append((node, True))
            stack.extend((arg, False) for arg in reversed(node.args))
        else:
            args = [done[id(arg)] for arg in node.args]
            if node.op == "not":
                done[id(node)] = args[0] ^ 1
            else:
                combine = builder.and_ if node.op == "and" else builder.or_
                acc = 1 if node.op == "and" else 0
                for arg in args:
                    acc = combine(acc, arg)
                done[id(node)] = acc
    return done[id(expr)]


def _check_writable(circuit: Circuit) -> None:
    """Names must survive the symbol table and the comments (valid DESIGN.md 2.1 names)."""
    for name in circuit.inputs:
        if not _valid_name(name):
            raise ModelError(
                f"input gate {name!r} cannot be written as an AIGER latch symbol and read back:"
                " expected a name [A-Za-z_][A-Za-z0-9_.]* with an optional index, not a keyword",
                ("input", name),
            )
    for meta in circuit.meta:
        if "\n" in meta:
            raise ModelError(f"meta line {meta!r} contains a line break")


def _from_circuit(circuit: Circuit) -> _Aiger:
    """The AIGER of a self-feeding circuit (mapping in the module docstring)."""
    _check_writable(circuit)
    n = circuit.n
    lits = {name: 2 * (i + 1) for i, name in enumerate(circuit.inputs)}
    builder = _AigBuilder(n + 1)
    # Definitions in file order, except that a definition used before it is written comes
    # first: a circuit read back from AIGER then rebuilds exactly the same ANDs.
    order = {g.name: i for i, g in enumerate(circuit.gates)}
    exprs = {g.name: g.expr for g in circuit.gates}
    graph = circuit.dependency_graph()
    for name in nx.lexicographical_topological_sort(graph, key=lambda v: order.get(v, -1)):
        if name in exprs:
            lits[name] = _compile_expr(exprs[name], lits, builder)
    nexts = [lits[o] for o in circuit.outputs]
    renumber = _live_ands(builder, nexts, n)
    ands = []
    for old, (a, b) in enumerate(builder.ands):
        lhs = 2 * (n + 1 + old)
        if lhs in renumber:
            ands.append(_And(renumber[lhs], _relit(a, renumber), _relit(b, renumber)))
    latches = tuple(
        _Latch(2 * (i + 1), _relit(nexts[i], renumber), 2 * (i + 1) if v is None else int(v))
        for i, v in enumerate(circuit.init)
    )
    outputs = [2 * (p + 1) for p in circuit.print_]
    symbols = {k: f"{_PRINT}[{k}]={circuit.inputs[p]}" for k, p in enumerate(circuit.print_)}
    for j, p in enumerate(circuit.attention_positions):
        symbols[len(outputs)] = f"{_ATTENTION}[{j}]={circuit.inputs[p]}"
        outputs.append(2 * (p + 1))
    comments = []
    if isinstance(circuit.attention, AttentionRounds):
        comments.append(f"{_DIRECTIVE} attention rounds {circuit.attention}")
    comments += [f"{_DIRECTIVE} assume {format_formula(f)}" for f in circuit.assumptions]
    comments += [f"{_DIRECTIVE} meta {m}" for m in circuit.meta]
    return _Aiger(
        maxvar=n + len(ands),
        latches=latches,
        outputs=tuple(outputs),
        ands=tuple(ands),
        latch_symbols=dict(enumerate(circuit.inputs)),
        output_symbols=symbols,
        comments=tuple(comments),
    )


def _live_ands(builder: _AigBuilder, roots: list[int], n: int) -> dict[int, int]:
    """New literals (consecutive, in creation order) for the ANDs in the cone of ``roots``."""
    first = n + 1
    live: set[int] = set()
    stack = [r // 2 for r in roots if r // 2 >= first]
    while stack:
        var = stack.pop()
        if var in live:
            continue
        live.add(var)
        a, b = builder.ands[var - first]
        stack.extend(v for v in (a // 2, b // 2) if v >= first and v not in live)
    return {2 * old: 2 * (first + new) for new, old in enumerate(sorted(live))}


def _relit(lit: int, renumber: dict[int, int]) -> int:
    return renumber.get(lit & ~1, lit & ~1) | (lit & 1)


def _sections(aiger: _Aiger) -> Iterator[str]:
    """The symbol table and comment lines (shared by both writers)."""
    for i, name in sorted(aiger.input_symbols.items()):
        yield f"i{i} {name}"
    for i, name in sorted(aiger.latch_symbols.items()):
        yield f"l{i} {name}"
    for k, name in sorted(aiger.output_symbols.items()):
        yield f"o{k} {name}"
    if aiger.comments:
        yield "c"
        yield from aiger.comments


def _latch_line(latch: _Latch, ascii_: bool) -> str:
    # A zero reset is written as nothing (AIGER 1.0 readers understand that line too).
    fields = [str(latch.lit)] if ascii_ else []
    fields.append(str(latch.next))
    if latch.reset:
        fields.append(str(latch.reset))
    return " ".join(fields)


def _header(magic: str, aiger: _Aiger) -> str:
    return (
        f"{magic} {aiger.maxvar} {aiger.num_inputs} {len(aiger.latches)} {len(aiger.outputs)}"
        f" {len(aiger.ands)}"
    )


def _write_aag(aiger: _Aiger) -> str:
    lines = [_header("aag", aiger)]
    lines += [str(2 * (i + 1)) for i in range(aiger.num_inputs)]
    lines += [_latch_line(latch, True) for latch in aiger.latches]
    lines += [str(lit) for lit in aiger.outputs]
    lines += [f"{g.lhs} {g.rhs0} {g.rhs1}" for g in aiger.ands]
    lines += _sections(aiger)
    return "\n".join(lines) + "\n"


def _write_aig(aiger: _Aiger) -> bytes:
    # Binary AIGER: the inputs are implicit (literals 2..2I), latches and outputs are ASCII
    # lines, the ANDs delta-encoded varints in order of their left-hand sides.
    head = [_header("aig", aiger)]
    head += [_latch_line(latch, False) for latch in aiger.latches]
    head += [str(lit) for lit in aiger.outputs]
    body = bytearray("\n".join(head).encode("ascii") + b"\n")
    for gate in aiger.ands:
        body += encode_varint(gate.lhs - gate.rhs0) + encode_varint(gate.rhs0 - gate.rhs1)
    tail = "".join(line + "\n" for line in _sections(aiger))
    return bytes(body) + tail.encode("utf-8")


def dumps_aag(circuit: Circuit, *, init_as_inputs: bool = False) -> str:
    """The ASCII AIGER 1.9 text of ``circuit`` (header ``aag M 0 L O A``).

    With ``init_as_inputs``, the first-frame form for model checkers instead (section
    "Export for model checkers" of the module docstring; header ``aag M I L O A``).
    """
    aiger = _init_as_inputs(circuit) if init_as_inputs else _from_circuit(circuit)
    return _write_aag(aiger)


def dumps_aig(circuit: Circuit, *, init_as_inputs: bool = False) -> bytes:
    """The binary AIGER 1.9 bytes of ``circuit``: ANDs as delta-encoded varints, in order of
    their left-hand sides, with lhs > rhs0 >= rhs1 (the form ABC and the AIGER tools read).

    With ``init_as_inputs``, the first-frame form for model checkers (module docstring).
    """
    aiger = _init_as_inputs(circuit) if init_as_inputs else _from_circuit(circuit)
    return _write_aig(aiger)


# --------------------------------------------------------------------------- model checkers


@dataclass(frozen=True)
class SequentialAig:
    """A sequential circuit over *frozen* inputs with named outputs: what the first-frame
    writers (:func:`dumps_sequential_aag`, :func:`dumps_sequential_aig`) put into AIGER.

    ``aig``'s leaves are the inputs, then the latches (the IR's convention). Round 0: latch
    j holds ``init[j]``, a literal over the inputs; round t + 1: ``next_state[j]`` evaluated
    on round t's latches and the inputs, which keep their values in every round. Output k
    in round t is ``outputs[k]`` evaluated on round t's latches and the inputs.
    ``comments`` go into the comment section.
    """

    aig: Aig
    input_names: tuple[str, ...]
    latch_names: tuple[str, ...]
    init: tuple[int, ...]
    next_state: tuple[int, ...]
    outputs: tuple[int, ...]
    output_names: tuple[str, ...]
    comments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.aig.num_inputs != len(self.input_names) + len(self.latch_names):
            raise ValueError("the AIG's leaves must be the inputs followed by the latches")
        if not len(self.init) == len(self.next_state) == len(self.latch_names):
            raise ValueError("one init and one next-state literal per latch")
        if len(self.outputs) != len(self.output_names):
            raise ValueError("one name per output")
        for names in (self.input_names, self.output_names):
            if len(set(names)) != len(names):
                raise ValueError(f"names must be unique (ABC matches by name): {names}")


_VALID = "valid-inputs"
_ASSUMPTIONS = "assumptions"
FIRST_FRAME = "first-frame"
"""Symbol of the latch that is 1 in round 0 only (reset 1, next 0)."""
LATCH_PREFIX = "latch:"
"""Prefix of the symbol of a latch of the system (``latch:<name>``)."""
UNUSED_INPUT = "unused-input"
"""The primary input given to a system without inputs: ABC's ``dsec`` and ``dprove`` fail an
assertion (``Aig_ManRegNum(p) < Aig_ManCiNum(p)``) on a network without primary inputs."""
FROZEN_PREFIX = "frozen:"
"""Prefix of the symbol of the latch holding an input after round 0 (``frozen:<input>``)."""


def _first_frame(system: SequentialAig) -> _Aiger:
    """The first-frame construction (module docstring, "Export for model checkers").

    Primary input i is the value of the system's input i in round 0. A latch ``first``
    (reset 1, next 0) is 1 in round 0 only. An input read after round 0 (by a next-state
    function or an output) gets a latch ``frozen`` (reset 0) and is used as
    ``first ? pi : frozen``, with ``frozen`` taking that value as its next state. A latch
    with a constant ``init`` keeps it as its reset value; one whose init depends on the
    inputs has reset 0 and is used as ``first ? init(pi) : latch``. So every latch has reset
    0 or 1, and the primary inputs after round 0 are ignored.
    """
    if not system.input_names:  # ABC fails an assertion on networks without any
        system = _with_unused_input(system)
    m, n = len(system.input_names), len(system.latch_names)
    aig = system.aig
    cone = aig.cone([*system.next_state, *system.outputs])
    frozen = [i for i in range(m) if cone[1 + i]]
    constant_init = [lit in (FALSE, TRUE) for lit in system.init]
    need_first = bool(frozen) or not all(constant_init)
    leaves = m + int(need_first) + len(frozen) + n
    b = AigBuilder(leaves)
    pis = [b.input(i) for i in range(m)]
    first = b.input(m) if need_first else FALSE
    base = m + int(need_first)
    held = {i: b.input(base + k) for k, i in enumerate(frozen)}
    latches = [b.input(base + len(frozen) + j) for j in range(n)]
    inputs_now = [b.mux(first, pis[i], held[i]) if i in held else pis[i] for i in range(m)]
    at_zero = b.embed(aig, [*pis, *[FALSE] * n], system.init)
    state_now = [
        latch if constant else b.mux(first, at_zero(init), latch)
        for latch, init, constant in zip(latches, system.init, constant_init, strict=True)
    ]
    step = b.embed(aig, [*inputs_now, *state_now])
    nexts = [FALSE] if need_first else []
    nexts += [inputs_now[i] for i in frozen]
    nexts += [step(lit) for lit in system.next_state]
    resets = [1] if need_first else []
    resets += [0] * len(frozen)
    resets += [
        init if constant else 0 for init, constant in zip(system.init, constant_init, strict=True)
    ]
    outputs = [step(lit) for lit in system.outputs]
    names = [FIRST_FRAME] if need_first else []
    names += [FROZEN_PREFIX + system.input_names[i] for i in frozen]
    names += [LATCH_PREFIX + name for name in system.latch_names]

    graph = b.build()
    live = graph.cone([*nexts, *outputs])
    renumber: dict[int, int] = {}  # old AND variable -> new, in order (so lhs > rhs stays)
    ands: list[_And] = []
    for var, left, right in graph.gates():
        if live[var]:
            new = leaves + 1 + len(ands)
            renumber[var] = new
            ands.append(_And(2 * new, _renumbered(left, renumber), _renumbered(right, renumber)))
    return _Aiger(
        maxvar=leaves + len(ands),
        latches=tuple(
            _Latch(2 * (m + 1 + j), _renumbered(lit, renumber), reset)
            for j, (lit, reset) in enumerate(zip(nexts, resets, strict=True))
        ),
        outputs=tuple(_renumbered(lit, renumber) for lit in outputs),
        ands=tuple(ands),
        num_inputs=m,
        input_symbols=dict(enumerate(system.input_names)),
        latch_symbols=dict(enumerate(names)),
        output_symbols=dict(enumerate(system.output_names)),
        comments=system.comments,
    )


def _with_unused_input(system: SequentialAig) -> SequentialAig:
    """``system`` (without inputs) with one input, :data:`UNUSED_INPUT`, read by nothing:
    variable 1, so every other variable moves up by one."""

    def moved(lit: int) -> int:
        return lit + 2 if lit > 1 else lit

    aig = Aig(
        system.aig.num_inputs + 1,
        tuple(map(moved, system.aig.left)),
        tuple(map(moved, system.aig.right)),
    )
    return replace(
        system,
        aig=aig,
        input_names=(UNUSED_INPUT,),
        init=tuple(map(moved, system.init)),
        next_state=tuple(map(moved, system.next_state)),
        outputs=tuple(map(moved, system.outputs)),
    )


def _renumbered(lit: int, renumber: dict[int, int]) -> int:
    return 2 * renumber.get(lit >> 1, lit >> 1) | (lit & 1)


def dumps_sequential_aag(system: SequentialAig) -> str:
    """The first-frame ASCII AIGER of ``system`` (see :func:`_first_frame`)."""
    return _write_aag(_first_frame(system))


def dumps_sequential_aig(system: SequentialAig) -> bytes:
    """The first-frame binary AIGER of ``system`` (the form ABC reads)."""
    return _write_aig(_first_frame(system))


def _init_as_inputs(circuit: Circuit) -> _Aiger:
    """``circuit`` in the first-frame form: input position i is primary input i (named by
    its input gate), muxed in at round 0; print and attention bits are outputs as usual,
    and with assumptions one more output ``assumptions``: 1 iff the round-0 inputs satisfy
    them (held by a latch ``valid-inputs``)."""
    plain = _from_circuit(circuit)
    n, m = circuit.n, len(circuit.input_positions)
    aig = Aig(n, tuple(g.rhs0 for g in plain.ands), tuple(g.rhs1 for g in plain.ands))
    constrained = bool(circuit.assumptions)
    # The same graph over the leaves: input positions (round 0), positions, `valid-inputs`.
    builder = AigBuilder(m + n + int(constrained))
    lit = builder.embed(aig, [builder.input(m + j) for j in range(n)])
    pis = dict(zip(circuit.input_names, (builder.input(k) for k in range(m)), strict=True))
    init = [
        pis[name] if v is None else int(v)
        for name, v in zip(circuit.inputs, circuit.init, strict=True)
    ]
    next_state = [lit(latch.next) for latch in plain.latches]
    outputs = [lit(o) for o in plain.outputs]
    output_names = [plain.output_symbols[k] for k in range(len(plain.outputs))]
    latch_names = circuit.inputs
    if constrained:
        valid = builder.input(m + n)
        init.append(builder.and_all(compile_formula(builder, f, pis) for f in circuit.assumptions))
        next_state.append(valid)
        latch_names += (_VALID,)
        outputs.append(valid)
        output_names.append(_ASSUMPTIONS)
    comments = [
        "init-as-inputs: primary input k is the round-0 value of the k-th input position;"
        f" the latch `{FIRST_FRAME}` is 1 in round 0 only (written for model"
        " checkers such as ABC; `verify` does not read this form back)",
        *(c for c in plain.comments if not c.startswith(f"{_DIRECTIVE} attention rounds")),
    ]
    if isinstance(circuit.attention, AttentionRounds):
        comments.append(f"output rounds (not expressed by the outputs): {circuit.attention}")
    system = SequentialAig(
        aig=builder.build(),
        input_names=circuit.input_names,
        latch_names=latch_names,
        init=tuple(init),
        next_state=tuple(next_state),
        outputs=tuple(outputs),
        output_names=tuple(output_names),
        comments=tuple(comments),
    )
    return _first_frame(system)


def problem_to_sequential(problem: SafetyProblem) -> SequentialAig:
    """A safety problem as a sequential AIG with one output ``bad``, which is 1 in a round
    exactly when the problem's ``bad`` holds and the inputs satisfy its constraints (so
    "the output is never 1" is the problem's property: ABC's ``dprove``, ``pdr``, ``bmc3``).

    Constraints are over the frozen inputs: they become one more latch, ``valid-inputs``,
    initialised to their conjunction and holding it.
    """
    m, n = problem.num_inputs, problem.num_latches
    constrained = bool(problem.constraints)
    builder = AigBuilder(m + n + int(constrained))
    lit = builder.embed(problem.aig, [builder.input(i) for i in range(m + n)])
    init = [lit(x) for x in problem.init]
    next_state = [lit(x) for x in problem.next_state]
    latch_names = problem.latch_names
    bad = lit(problem.bad)
    if constrained:
        valid = builder.input(m + n)
        init.append(builder.and_all(lit(c) for c in problem.constraints))
        next_state.append(valid)
        latch_names += (_VALID,)
        bad = builder.and_(bad, valid)
    return SequentialAig(
        aig=builder.build(),
        input_names=problem.input_names,
        latch_names=latch_names,
        init=tuple(init),
        next_state=tuple(next_state),
        outputs=(bad,),
        output_names=("bad",),
    )


def dumps_problem_aag(problem: SafetyProblem) -> str:
    """The safety problem as first-frame ASCII AIGER with the single output ``bad``."""
    return dumps_sequential_aag(problem_to_sequential(problem))


def dumps_problem_aig(problem: SafetyProblem) -> bytes:
    """The safety problem as first-frame binary AIGER with the single output ``bad``: the
    miter form of ABC's ``dprove`` and ``pdr`` (the property fails where the output is 1)."""
    return dumps_sequential_aig(problem_to_sequential(problem))
