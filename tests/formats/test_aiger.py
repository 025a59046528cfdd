"""AIGER 1.9 import and export of self-feeding circuits (DESIGN.md 3.2), ASCII and binary.

Round trips are checked by semantics: AIGER has no or-gates, so a circuit read back from AIGER is
built from ANDs and NOTs; it must have the same positions, names, init, print, attention,
assumptions and meta, and the same next-state function on every configuration (checked
exhaustively by a small evaluator below, independent of the package's simulators).
"""

from __future__ import annotations

import doctest
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given

from tests.conftest import EXAMPLES
from tests.strategies import circuits
from verifier.errors import ModelError, ParseError
from verifier.formats import aiger
from verifier.formula import Not, Or, Var
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

# ----------------------------------------------------------------------------- fixtures


def _not(name: str) -> GateApp:
    return GateApp("not", (GateRef(name),))


def _and(*args: GateExpr) -> GateApp:
    return GateApp("and", args)


def _or(*args: GateExpr) -> GateApp:
    return GateApp("or", args)


x1, x2, x3, x4, a = map(GateRef, ("x1", "x2", "x3", "x4", "a"))

# /work/shared/examples/parity4.circ, transcribed (the .circ parser is written elsewhere).
PARITY4 = Circuit(
    inputs=("x1", "x2", "x3", "x4", "a"),
    outputs=("o1", "o2", "o3", "o4", "oa"),
    gates=(
        GateDef("o1", _or(_and(x1, _not("x2")), _and(_not("x1"), x2))),
        GateDef("o2", _or(_and(x3, _not("x4")), _and(_not("x3"), x4))),
        GateDef("o3", _or()),
        GateDef("o4", _or()),
        GateDef("oa", _or(_and(_not("x2"), _not("x3"), _not("x4")), a)),
    ),
    init=(None, None, None, None, False),
    print_=(0,),
    attention=AttentionBits((4,)),
)

# Every feature the comment section and symbol table carry, on a small circuit.
RICH = Circuit(
    inputs=("p", "q[1]", "r.s", "t"),
    outputs=("u", "q[1]", "v", "w"),
    gates=(
        GateDef("u", _or(GateRef("p"), _and(_not("q[1]"), GateRef("t")), _and())),
        GateDef("v", _not("u")),
        GateDef("w", _and(GateRef("v"), _or(GateRef("p"), _not("t")))),
        GateDef("unused", _and(GateRef("p"), GateRef("t"))),
    ),
    init=(None, True, None, False),
    print_=(3, 0, 3),
    attention=AttentionRounds((0, Progression(3, 2))),
    assumptions=(Or(Not(Var("p")), Var("r.s")), Var("r.s")),
    meta=("source=rich theorem=none", "second line"),
)

EXAMPLE_CIRCUITS = {"parity4": PARITY4, "rich": RICH}


def test_parity4_transcription_matches_the_example_file() -> None:
    from verifier.formats import circ_text

    path = EXAMPLES / "parity4.circ"
    assert circ_text.loads(path.read_text(encoding="utf-8"), str(path)) == PARITY4


# ----------------------------------------------------------------------------- evaluators


def _eval_expr(expr: GateExpr, values: dict[str, bool]) -> bool:
    """Value of one expression tree, post-order with an explicit stack."""
    done: dict[int, bool] = {}
    stack: list[tuple[GateExpr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, GateRef):
            done[id(node)] = values[node.name]
        elif not expanded:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
        else:
            args = [done[id(arg)] for arg in node.args]
            done[id(node)] = (
                all(args) if node.op == "and" else any(args) if node.op == "or" else not args[0]
            )
    return done[id(expr)]


def next_state(circuit: Circuit, config: tuple[bool, ...]) -> tuple[bool, ...]:
    """The configuration after ``config``: output gate i evaluated, for every position i."""
    values = dict(zip(circuit.inputs, config, strict=True))
    exprs = {g.name: g.expr for g in circuit.gates}
    for name in nx.topological_sort(circuit.dependency_graph()):
        if name in exprs:
            values[name] = _eval_expr(exprs[name], values)
    return tuple(values[o] for o in circuit.outputs)


def aag_next_state(text: str, config: tuple[bool, ...]) -> tuple[bool, ...]:
    """The latches' next values read straight off an exported ``.aag`` (its ANDs are in order)."""
    lines = text.split("\n")
    _, m, _, latches, outputs, ands = lines[0].split()
    value = [False] * (2 * int(m) + 2)

    def lit(x: int) -> bool:
        return value[x & ~1] ^ bool(x & 1)

    value[1] = True
    for i, bit in enumerate(config):
        value[2 * (i + 1)], value[2 * (i + 1) + 1] = bit, not bit
    start = 1 + int(latches) + int(outputs)
    for line in lines[start : start + int(ands)]:
        lhs, rhs0, rhs1 = map(int, line.split())
        value[lhs] = lit(rhs0) and lit(rhs1)
    nexts = [int(line.split()[1]) for line in lines[1 : 1 + int(latches)]]
    return tuple(lit(n) for n in nexts)


def configs(n: int) -> list[tuple[bool, ...]]:
    assert n <= 10, "exhaustive check meant for small circuits"
    return list(itertools.product((False, True), repeat=n))


def assert_same_circuit_semantics(original: Circuit, imported: Circuit) -> None:
    assert imported.inputs == original.inputs
    assert imported.init == original.init
    assert imported.print_ == original.print_
    assert imported.attention == original.attention
    assert imported.assumptions == original.assumptions
    assert imported.meta == original.meta
    for config in configs(original.n):
        assert next_state(imported, config) == next_state(original, config), config


# ----------------------------------------------------------------------------- round trips


def test_parity4_exports_to_this_aag() -> None:
    """The mapping of DESIGN 3.2 pinned on the paper's circuit: latch i = position i, input
    positions uninitialized (reset = the latch), print and attention bits as named outputs."""
    assert aiger.dumps_aag(PARITY4) == (
        "aag 14 0 5 2 9\n"
        "2 17 2\n4 23 4\n6 0 6\n8 0 8\n10 29\n"  # latches: literal, next, reset
        "2\n10\n"  # outputs: print x1, attention a
        "12 5 2\n14 4 3\n16 15 13\n"  # o1 = x1 & !x2 | !x1 & x2 (by De Morgan)
        "18 9 6\n20 8 7\n22 21 19\n"  # o2
        "24 7 5\n26 24 9\n28 27 11\n"  # oa = !x2 & !x3 & !x4 | a
        "l0 x1\nl1 x2\nl2 x3\nl3 x4\nl4 a\no0 print[0]=x1\no1 attention[0]=a\n"
    )


def test_rich_circuit_comment_section() -> None:
    text = aiger.dumps_aag(RICH)
    assert text.endswith(
        "c\n"
        "verify: attention rounds 0, 3+2k\n"
        "verify: assume !p | r.s\n"
        "verify: assume r.s\n"
        "verify: meta source=rich theorem=none\n"
        "verify: meta second line\n"
    )
    assert "l1 q[1]\n" in text and "o2 print[2]=t\n" in text
    header = text.split("\n", 1)[0]
    assert header.startswith("aag ") and header.split()[2] == "0"


@pytest.mark.parametrize("name", sorted(EXAMPLE_CIRCUITS))
def test_example_round_trips(name: str) -> None:
    check_round_trips(EXAMPLE_CIRCUITS[name])


@given(circuits())
def test_random_circuits_round_trip(circuit: Circuit) -> None:
    check_round_trips(circuit)


def check_round_trips(circuit: Circuit) -> None:
    text = aiger.dumps_aag(circuit)
    data = aiger.dumps_aig(circuit)
    from_aag = aiger.loads_aag(text, "x.aag")
    from_aig = aiger.loads_aig(data, "x.aig")
    # (a) export(import(export(c))) == export(c), in both encodings.
    assert aiger.dumps_aag(from_aag) == text
    assert aiger.dumps_aig(from_aig) == data
    # .aag and .aig of one circuit are the same model, and convert into each other.
    assert from_aag == from_aig
    assert aiger.dumps_aig(from_aag) == data
    assert aiger.dumps_aag(from_aig) == text
    # (b) same interface and the same next-state function on every configuration.
    assert_same_circuit_semantics(circuit, from_aag)
    # The file itself computes the circuit's next state (independent of the importer).
    for config in configs(circuit.n):
        assert aag_next_state(text, config) == next_state(circuit, config)


def test_binary_ands_follow_the_spec() -> None:
    """lhs = 2(I + L + i + 1), deltas lhs - rhs0 > 0 and rhs0 - rhs1 >= 0 as 7-bit varints."""
    data = aiger.dumps_aig(PARITY4)
    header, rest = data.split(b"\n", 1)
    assert header == b"aig 14 0 5 2 9"
    lines = rest.split(b"\n", 7)
    assert lines[:7] == [b"17 2", b"23 4", b"0 6", b"0 8", b"29", b"2", b"10"]
    text_ands = aiger.dumps_aag(PARITY4).split("\n")[8:17]
    expected = b"".join(
        aiger.encode_varint(lhs - r0) + aiger.encode_varint(r0 - r1)
        for lhs, r0, r1 in (map(int, line.split()) for line in text_ands)
    )
    assert lines[7].startswith(expected + b"l0 x1")


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, b"\x00"),
        (1, b"\x01"),
        (127, b"\x7f"),
        (128, b"\x80\x01"),
        (16383, b"\xff\x7f"),
        (16384, b"\x80\x80\x01"),
        (2**28 + 5, b"\x85\x80\x80\x80\x01"),
    ],
)
def test_varint(value: int, encoded: bytes) -> None:
    assert aiger.encode_varint(value) == encoded
    assert aiger.decode_varint(b"xx" + encoded + b"yy", 2) == (value, 2 + len(encoded))
    assert aiger.decode_varint(encoded[:-1], 0) is None


def test_empty_circuit() -> None:
    empty = Circuit(inputs=(), outputs=(), gates=(), init=(), print_=())
    assert aiger.dumps_aag(empty) == "aag 0 0 0 0 0\n"
    assert aiger.dumps_aig(empty) == b"aig 0 0 0 0 0\n"
    assert aiger.loads_aig(b"aig 0 0 0 0 0\n") == empty


# ----------------------------------------------------------------------------- foreign files


def test_foreign_aag_unsorted_gaps_no_symbols() -> None:
    """ANDs in any order, unused variables, reset omitted / 1 / self, complemented and constant
    next-state literals, outputs without symbols (print bits)."""
    text = "aag 9 0 3 2 2\n2 15\n4 16 1\n6 1 6\n4\n2\n16 2 7\n14 16 5\no1 foo\nc\nhello\n"
    circuit = aiger.loads_aag(text, "f.aag")
    assert circuit.inputs == ("l0", "l1", "l2")
    assert circuit.outputs == ("n7", "g8", "c1")
    assert circuit.init == (False, True, None)
    assert circuit.print_ == (1, 0)
    assert circuit.attention == AttentionAll()
    gates = {g.name: g.expr for g in circuit.gates}
    assert gates["g8"] == _and(GateRef("l0"), _not("l2"))
    assert gates["g7"] == _and(GateRef("g8"), _not("l1"))
    assert gates["n7"] == _not("g7") and gates["c1"] == _and()
    # Re-exported in the binary form's strict order.
    again = aiger.loads_aig(aiger.dumps_aig(circuit))
    for config in configs(3):
        assert next_state(again, config) == next_state(circuit, config)


def test_generated_names_avoid_latch_symbols() -> None:
    text = "aag 2 0 1 0 1\n2 5 2\n4 3 2\nl0 g2\n"
    circuit = aiger.loads_aag(text)
    assert circuit.inputs == ("g2",)
    assert [g.name for g in circuit.gates] == ["_g2", "_n2"]


def test_unusable_latch_symbols_get_generated_names() -> None:
    text = "aag 3 0 3 0 0\n2 2\n4 4\n6 6\nl0 $abc$1\nl1 x\nl2 x\n"
    assert aiger.loads_aag(text).inputs == ("l0", "x", "l2")


def test_attention_outputs_and_rounds_conflict() -> None:
    text = "aag 1 0 1 1 0\n2 2\n2\no0 attention\nc\nverify: attention rounds 1\n"
    with pytest.raises(ParseError, match="either attention outputs or"):
        aiger.loads_aag(text, "f.aag")


# ----------------------------------------------------------------------------- errors


AAG_ERRORS = [
    ("", 1, 1, "unexpected end of file: expected the header"),
    ("aig 0 0 0 0 0\n", 1, 1, "expected the header `aag M I L O A`, found 'aig'"),
    ("aag 1 0 0\n", 1, 9, "expected 5 to 9 numbers"),
    ("aag 1 x 0 0 0\n", 1, 7, "expected the number I (an unsigned integer), found 'x'"),
    ("aag 1 1 0 1 0\n2\n2\n", 1, 7, "expected I = 0 primary inputs"),
    ("aag 1 0 1 0 0 1\n2 2\n", 1, 15, "expected B = 0 bad-state properties"),
    ("aag 1 0 1 0 0 0 1\n2 2\n", 1, 17, "expected C = 0 invariant constraints"),
    ("aag 1 0 1 0 0 0 0 1\n2 2\n", 1, 19, "expected J = 0 justice properties"),
    ("aag 1 0 1 0 0 0 0 0 1\n2 2\n", 1, 21, "expected F = 0 fairness constraints"),
    ("aag 1 0 1 0 0\n", 1, 14, "unexpected end of file: expected latch 0"),
    ("aag 1 0 1 0 0\n2\n", 2, 1, "expected latch 0 as `<literal> <next> [<reset>]`"),
    ("aag 1 0 1 0 0\n3 2\n", 2, 1, "expected the literal of latch 0 to be an even literal"),
    ("aag 1 0 1 0 0\n2 4\n", 2, 3, "at most 2M + 1 = 3 (M = 1), found 4"),
    ("aag 1 0 1 0 0\n2 2 3\n", 2, 5, "expected the reset value of latch 0 to be 0, 1 or"),
    ("aag 2 0 2 0 0\n2 2\n2 2\n", 3, 1, "expected a new variable: 1 is already latch 0"),
    ("aag 2 0 1 0 0\n2 4\n", 2, 3, "expected a defined literal as next-state literal, found 4"),
    ("aag 1 0 1 1 0\n2 2\n3\n", 3, 1, "expected output 0 to be the literal of a latch"),
    ("aag 1 0 1 1 0\n2 2\n1\n", 3, 1, "found 1"),
    ("aag 2 0 1 0 2\n2 4\n4 2 3\n", 3, 6, "unexpected end of file: expected AND gate 1"),
    ("aag 2 0 1 0 1\n2 4\n4 2\n", 3, 1, "expected AND gate 0: `<lhs> <rhs0> <rhs1>` (3 numbers)"),
    ("aag 3 0 1 0 2\n2 4\n4 6 2\n6 4 2\n", 3, 1, "expected acyclic AND gates, found the cycle"),
    ("aag 2 0 1 0 1\n2 4\n4 5 2\n", 3, 1, "expected acyclic AND gates"),
    ("aag 3 0 1 0 1\n2 6\n6 2 4\n", 3, 5, "expected a defined literal as AND input, found 4"),
    ("aag 1 0 1 0 0\n2 2\nl1 x\n", 3, 1, "expected a symbol for one of the 1 latches"),
    ("aag 1 0 1 0 0\n2 2\ni0 x\n", 3, 1, "found i0"),
    ("aag 1 0 1 0 0\n2 2\nl0 x\nl0 y\n", 4, 1, "expected at most one symbol for l0"),
    ("aag 1 0 1 0 0\n2 2\nl0\n", 3, 1, "expected a symbol `l<i> <name>`"),
    ("aag 1 0 1 0 0\n2 2\nc\nverify: frobnicate\n", 4, 1, "expected `verify: attention rounds"),
    ("aag 1 0 1 0 0\n2 2\nc\nverify: attention rounds 1, 2+0k\n", 4, 1, "progressions `a+bk`"),
    ("aag 1 0 1 0 0\n2 2\nl0 x\nc\nverify: assume x &\n", 5, 19, "found the end of the assumption"),
    ("aag 1 0 1 0 0\n2 2\nl0 x\nc\nverify: assume y\n", 5, 1, "assume mentions 'y'"),
    ("aag 1 0 1 0 0\n2 0\nl0 x\nc\nverify: assume x\n", 5, 1, "which is not an input position"),
]


@pytest.mark.parametrize(("text", "line", "col", "expected"), AAG_ERRORS)
def test_aag_errors_name_line_column_and_what_was_expected(
    text: str, line: int, col: int, expected: str
) -> None:
    with pytest.raises(ParseError) as info:
        aiger.loads_aag(text, "bad.aag")
    err = info.value
    assert expected in err.message
    assert (err.file, err.line, err.col) == ("bad.aag", line, col), err.message


AIG_ERRORS = [
    (b"aig 1 0 1 0 0", 13, "unexpected end of file: expected the header"),
    (b"aag 1 0 1 0 0\n2 2\n", 0, "expected the header `aig M I L O A`, found 'aag'"),
    (b"aig 5 0 1 0 1\n2\n", 4, "expected M = I + L + A = 2 in a binary AIGER file, found M = 5"),
    (b"aig 1 1 0 1 0\n2\n", 6, "expected I = 0 primary inputs"),
    (b"aig 1 0 1 0 0 1\n2\n2\n", 14, "expected B = 0"),
    (b"aig 1 0 1 0 0\n", 14, "unexpected end of file: expected latch 0 as `<next> [<reset>]`"),
    (b"aig 1 0 1 1 0\n2\n2", 17, "unexpected end of file: expected output 0"),
    (b"aig 1 0 1 0 0\n2 3\n", 16, "expected the reset value of latch 0 to be 0, 1 or the latch"),
    (b"aig 1 0 1 0 0\n\xff\n", 14, "expected latch 0 as `<next> [<reset>]` in ASCII"),
    (b"aig 2 0 1 0 1\n4\n", 16, "unexpected end of file: expected the first delta of AND gate 0"),
    (b"aig 2 0 1 0 1\n4\n\x02", 17, "expected the second delta of AND gate 0"),
    (b"aig 2 0 1 0 1\n4\n\x82", 17, "unexpected end of file"),
    (b"aig 2 0 1 0 1\n4\n\x00\x00", 16, "lhs 4 > rhs0 >= rhs1 >= 0 (binary AIGER deltas)"),
    (b"aig 2 0 1 0 1\n4\n\x01\x04", 16, "found deltas 1 and 4"),
    (b"aig 2 0 1 0 1\n5\n\x02\x00l0 x\nl1 y\n", 23, "expected a symbol for one of the 1 latches"),
    (b"aig 1 0 1 1 0\n2\n3\n", 16, "expected output 0 to be the literal of a latch"),
    (b"aig 1 0 1 0 0\n2\nl0 x\nc\nverify: assume !(x\n", 39, "`(` is never closed"),
    (b"aig 1 0 1 0 0\n2\nc\n\xff\n", 18, "expected UTF-8 text"),
]


@pytest.mark.parametrize(("data", "offset", "expected"), AIG_ERRORS)
def test_aig_errors_name_the_byte_offset(data: bytes, offset: int, expected: str) -> None:
    with pytest.raises(ParseError) as info:
        aiger.loads_aig(data, "bad.aig")
    err = info.value
    assert expected in err.message
    assert err.message.endswith(f"(at byte offset {offset})")
    assert (err.file, err.line, err.col) == ("bad.aig", 1, offset + 1)


def test_export_refuses_names_that_cannot_come_back() -> None:
    circuit = Circuit(inputs=("a b",), outputs=("a b",), gates=(), init=(False,), print_=())
    with pytest.raises(ModelError, match="cannot be written as an AIGER latch symbol"):
        aiger.dumps_aag(circuit)


# ----------------------------------------------------------------------------- ABC


def _abc() -> str | None:
    return shutil.which("abc") or shutil.which("berkeley-abc")


@pytest.mark.skipif(
    _abc() is None,
    reason="ABC (abc / berkeley-abc) is not on PATH: binary AIGER not checked against ABC;"
    " install it with `apt-get install berkeley-abc`",
)
@pytest.mark.parametrize("name", sorted(EXAMPLE_CIRCUITS))
def test_abc_reads_the_binary_export(name: str, tmp_path: Path) -> None:
    circuit = EXAMPLE_CIRCUITS[name]
    path = tmp_path / f"{name}.aig"
    path.write_bytes(aiger.dumps_aig(circuit))
    abc = _abc()
    assert abc is not None
    result = subprocess.run(
        [abc, "-c", f"read_aiger {path}; print_stats"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stats = re.search(r"i/o =\s*(\d+)/\s*(\d+)\s+lat =\s*(\d+)\s+and =\s*(\d+)", result.stdout)
    assert stats is not None, result.stdout + result.stderr
    header = aiger.dumps_aag(circuit).split("\n", 1)[0].split()
    _, _, inputs, latches, outputs, ands = header
    assert stats.groups() == (inputs, outputs, latches, ands)


def test_module_examples() -> None:
    assert doctest.testmod(aiger).failed == 0
