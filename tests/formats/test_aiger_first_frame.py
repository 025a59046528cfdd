"""AIGER for model checkers: the first-frame export (``verify convert --init-as-inputs``,
``verify miter``; verifier.formats.aiger and verifier.formats.equiv_aiger).

The exported ``.aag`` text is run by a small evaluator written here (independent of the
package): primary inputs get the model's input in frame 0 and *random* bits in every later
frame (they must be ignored), latches start at their reset values (which must be 0 or 1),
and the named outputs must be, from round 0 on, what the reference simulators say. With ABC
on PATH, its verdicts on the exported miters and side files must be ours; without it those
tests are skipped with the reason.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from tests.formats.test_aiger import EXAMPLE_CIRCUITS
from tests.strategies import bnl_mutants, bnl_programs, circuits, sc_programs
from verifier import reference
from verifier.checks.equiv import EquivOptions, check_equiv
from verifier.checks.verdict import VerdictKind
from verifier.cli.main import main
from verifier.errors import InputError
from verifier.formats import aiger
from verifier.formats.equiv_aiger import miter_sequential, model_sequential, side_sequentials
from verifier.formats.registry import load
from verifier.formula import And, Not, Var
from verifier.models import BnlProgram, Circuit, GateApp, GateDef, GateRef, Head, Model

ROUNDS = 6

# ----------------------------------------------------------------------------- the evaluator


@dataclass
class Aag:
    """An ASCII AIGER file as read by this test: inputs, latches, outputs, ANDs, symbols."""

    maxvar: int
    inputs: list[int]
    latches: list[tuple[int, int, int]]  # literal, next, reset
    outputs: list[int]
    ands: list[tuple[int, int, int]]
    output_names: list[str] = field(default_factory=list)
    input_names: list[str] = field(default_factory=list)


def read_aag(text: str) -> Aag:
    lines = text.split("\n")
    magic, *numbers = lines[0].split()
    assert magic == "aag"
    m, i, latch_count, o, a = map(int, numbers)
    pos = 1
    inputs = [int(lines[pos + k]) for k in range(i)]
    pos += i
    latches = []
    for k in range(latch_count):
        fields = list(map(int, lines[pos + k].split()))
        latches.append((fields[0], fields[1], fields[2] if len(fields) == 3 else 0))
    pos += latch_count
    outputs = [int(lines[pos + k]) for k in range(o)]
    pos += o
    ands = [tuple(map(int, lines[pos + k].split())) for k in range(a)]
    pos += a
    symbols: dict[str, dict[int, str]] = {"i": {}, "l": {}, "o": {}}
    for line in lines[pos:]:
        if line == "c":
            break
        match = re.fullmatch(r"([ilo])(\d+) (.+)", line)
        if match:
            symbols[match.group(1)][int(match.group(2))] = match.group(3)
    return Aag(
        maxvar=m,
        inputs=inputs,
        latches=latches,
        outputs=outputs,
        ands=[(x, y, z) for x, y, z in ands],
        output_names=[symbols["o"].get(k, f"o{k}") for k in range(o)],
        input_names=[symbols["i"].get(k, f"i{k}") for k in range(i)],
    )


def run_aag(aag: Aag, frames: Sequence[Sequence[bool]]) -> list[dict[str, bool]]:
    """The named outputs in every frame, primary inputs given per frame."""
    value = [False] * (2 * aag.maxvar + 2)

    def lit(x: int) -> bool:
        return value[x & ~1] ^ bool(x & 1)

    def put(x: int, v: bool) -> None:
        value[x], value[x + 1] = v, not v

    put(0, False)
    for latch, _, reset in aag.latches:
        assert reset in (0, 1), f"latch {latch} has reset {reset}: expected 0 or 1"
        put(latch, bool(reset))
    result = []
    for bits in frames:
        for x, v in zip(aag.inputs, bits, strict=True):
            put(x, v)
        for lhs, r0, r1 in aag.ands:
            put(lhs, lit(r0) and lit(r1))
        result.append({name: lit(x) for name, x in zip(aag.output_names, aag.outputs, strict=True)})
        nexts = [lit(nxt) for _, nxt, _ in aag.latches]
        for (latch, _, _), v in zip(aag.latches, nexts, strict=True):
            put(latch, v)
    return result


def frames_for(bits: Sequence[bool], count: int, rng: random.Random) -> list[list[bool]]:
    """The input in frame 0, noise afterwards (the export must ignore it)."""
    return [list(bits)] + [[rng.random() < 0.5 for _ in bits] for _ in range(count - 1)]


def all_inputs(n: int) -> list[tuple[bool, ...]]:
    assert n <= 8, "exhaustive check meant for small models"
    return list(itertools.product((False, True), repeat=n))


# ----------------------------------------------------------------------------- one model


def expected_outputs(model: Model, bits: Sequence[bool]) -> list[dict[str, bool]]:
    """The outputs the export promises, from the reference simulator: print bits, attention
    bits (attention predicates / positions), and ``assumptions`` when there are any."""
    trace = reference.simulate(model, bits, ROUNDS - 1)
    names = model.config_names
    if isinstance(model, Circuit):
        printed = [names[p] for p in model.print_]
        attention = [names[p] for p in model.attention_positions]
    else:
        printed = list(model.print_)
        attention = list(getattr(model.attention, "bits", ()))
    valid = reference.satisfies_assumptions(model, bits)
    rows = []
    for step in trace:
        config = dict(zip(names, (c == "1" for c in step.config), strict=True))
        row = {f"print[{k}]={name}": config[name] for k, name in enumerate(printed)}
        row.update({f"attention[{j}]={name}": config[name] for j, name in enumerate(attention)})
        if model.assumptions:
            row["assumptions"] = valid
        rows.append(row)
    return rows


def check_model_export(model: Model, text: str, seed: int = 0) -> None:
    aag = read_aag(text)
    assert aag.input_names == (list(model.input_names) or [aiger.UNUSED_INPUT])
    rng = random.Random(seed)
    for bits in all_inputs(len(model.input_names)):
        frames = frames_for(bits or [rng.random() < 0.5], ROUNDS, rng)
        got = run_aag(aag, frames)
        assert got == expected_outputs(model, bits), bits


@pytest.mark.parametrize("name", sorted(EXAMPLE_CIRCUITS))
def test_example_circuits_init_as_inputs(name: str) -> None:
    circuit = EXAMPLE_CIRCUITS[name]
    check_model_export(circuit, aiger.dumps_aag(circuit, init_as_inputs=True))


@given(circuits())
def test_random_circuits_init_as_inputs(circuit: Circuit) -> None:
    check_model_export(circuit, aiger.dumps_aag(circuit, init_as_inputs=True))


@given(st.one_of(bnl_programs(), sc_programs(), circuits()))
def test_random_models_through_the_ir(model: Model) -> None:
    check_model_export(model, aiger.dumps_sequential_aag(model_sequential(model)))


def test_binary_and_ascii_forms_agree() -> None:
    circuit = EXAMPLE_CIRCUITS["parity4"]
    text = aiger.dumps_aag(circuit, init_as_inputs=True)
    data = aiger.dumps_aig(circuit, init_as_inputs=True)
    head = text.split("\n", 1)[0].split()
    assert data.split(b"\n", 1)[0].split() == [b"aig", *(h.encode() for h in head[1:])]
    _, m, i, latches, _, a = map(int, head[1:] and [0, *head[1:]])
    assert m == i + latches + a  # binary AIGER's requirement
    # The symbol table and comments are the same text in both.
    assert data.endswith(text.split("\ni0 ", 1)[1].encode())


def test_every_latch_is_initialised_and_the_input_is_read_once() -> None:
    text = aiger.dumps_aag(EXAMPLE_CIRCUITS["parity4"], init_as_inputs=True)
    aag = read_aag(text)
    assert len(aag.inputs) == 4 and aag.input_names == ["x1", "x2", "x3", "x4"]
    assert all(reset in (0, 1) for _, _, reset in aag.latches)
    assert "l0 first-frame" in text and "latch:x1" in text


def test_the_plain_reader_refuses_the_form() -> None:
    text = aiger.dumps_aag(EXAMPLE_CIRCUITS["parity4"], init_as_inputs=True)
    with pytest.raises(InputError, match="primary inputs"):
        aiger.loads_aag(text)


def test_circuit_without_input_positions_needs_no_first_frame() -> None:
    circuit = Circuit(
        inputs=("a",),
        outputs=("na",),
        gates=(GateDef("na", GateApp("not", (GateRef("a"),))),),
        init=(True,),
        print_=(0,),
    )
    text = aiger.dumps_aag(circuit, init_as_inputs=True)
    assert text.startswith("aag 2 1 1 1 0\n2\n")  # an unused input: ABC needs one
    assert re.search(r"^l\d+ first-frame$", text, re.MULTILINE) is None
    check_model_export(circuit, text)


# ----------------------------------------------------------------------------- two models


def _differ(a: Model, b: Model, bits: Sequence[bool]) -> list[bool]:
    """Per round, whether a global difference shows (models aligned by order)."""
    ta = reference.simulate(a, bits, ROUNDS - 1)
    tb = reference.simulate(b, bits, ROUNDS - 1)
    return [
        sa.config != sb.config or sa.output != sb.output or (sa.output and sa.print != sb.print)
        for sa, sb in zip(ta, tb, strict=True)
    ]


def _valid(a: Model, b: Model, bits: Sequence[bool]) -> bool:
    return reference.satisfies_assumptions(a, bits) and reference.satisfies_assumptions(b, bits)


def check_pair_exports(a: Model, b: Model, seed: int = 0) -> None:
    """The miter's ``bad`` and the two side files against the reference simulators."""
    miter = read_aag(aiger.dumps_sequential_aag(miter_sequential(a, b)))
    side_a, side_b = (read_aag(aiger.dumps_sequential_aag(s)) for s in side_sequentials(a, b))
    # ABC needs a primary input: a model without inputs gets an unused one.
    names = list(a.input_names) or [aiger.UNUSED_INPUT]
    assert side_a.input_names == side_b.input_names == miter.input_names == names
    assert side_a.output_names == side_b.output_names
    rng = random.Random(seed)
    for bits in all_inputs(len(a.input_names)):
        frames = frames_for(bits, ROUNDS, rng)
        valid = _valid(a, b, bits)
        expected = [valid and d for d in _differ(a, b, bits)]
        if not bits:
            frames = frames_for([rng.random() < 0.5], ROUNDS, rng)
        assert [row["bad"] for row in run_aag(miter, frames)] == expected, bits
        rows_a, rows_b = run_aag(side_a, frames), run_aag(side_b, frames)
        assert [ra != rb for ra, rb in zip(rows_a, rows_b, strict=True)] == expected, bits
        trace = reference.simulate(a, bits, ROUNDS - 1)
        for row, step in zip(rows_a, trace, strict=True):
            config = "".join("1" if row[k] else "0" for k in row if k.startswith("config["))
            assert config == (step.config if valid else "0" * len(step.config))
            assert row["output"] == (valid and step.output)


PAIRS = [("parity4.bnl", "parity4.circ"), ("parity4_bad.bnl", "parity4.circ")]


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_example_pairs(left: str, right: str) -> None:
    check_pair_exports(load(EXAMPLES / left), load(EXAMPLES / right))


@settings(max_examples=60)
@given(st.data())
def test_random_program_pairs(data: st.DataObject) -> None:
    program = data.draw(bnl_programs(max_inputs=3))
    mutant = data.draw(bnl_mutants(program))
    assume(mutant.names == program.names)
    check_pair_exports(program, mutant)


def test_stride_miter_of_the_sc_example() -> None:
    sc, bnl = load(EXAMPLES / "small.sc"), load(EXAMPLES / "small_from_sc.bnl")
    miter = read_aag(aiger.dumps_sequential_aag(miter_sequential(sc, bnl, stride=(1, 1))))
    rng = random.Random(0)
    for bits in all_inputs(2):
        assert not any(row["bad"] for row in run_aag(miter, frames_for(bits, 12, rng)))


def test_miter_of_a_pair_without_inputs() -> None:
    # X alternates in both; Y is cleared in A but kept in B: equal forever (Y starts at 0).
    a = BnlProgram(
        heads=(Head("X", Not(Var("X")), False), Head("Y", And(Var("X"), Var("Y")), False)),
        print_=("X", "Y"),
    )
    b = BnlProgram(
        heads=(Head("X", Not(Var("X")), False), Head("Y", Var("Y"), False)), print_=("X", "Y")
    )
    check_pair_exports(a, b)


def test_sides_need_comparable_configurations() -> None:
    sc, bnl = load(EXAMPLES / "small.sc"), load(EXAMPLES / "small_from_sc.bnl")
    with pytest.raises(InputError, match="not comparable"):
        side_sequentials(sc, bnl)


# ----------------------------------------------------------------------------- command line


def test_convert_init_as_inputs(examples: Path, tmp_path: Path, capsys) -> None:
    for name in ("parity4.circ", "parity4.bnl", "small.sc"):
        for suffix in (".aag", ".aig"):
            out = tmp_path / f"{name}{suffix}"
            assert main(["convert", str(examples / name), "-o", str(out), "--init-as-inputs"]) == 0
            assert out.read_bytes()[:4] == (b"aag " if suffix == ".aag" else b"aig ")
        check_model_export(load(examples / name), (tmp_path / f"{name}.aag").read_text())
    assert main(["convert", str(examples / "parity4.circ"), "-o", str(tmp_path / "x.circ"),
                 "--init-as-inputs"]) == 2  # fmt: skip
    assert "expected OUT ending in .aag or .aig" in capsys.readouterr().err


def test_miter_command(examples: Path, tmp_path: Path, capsys) -> None:
    a, b = str(examples / "parity4_bad.bnl"), str(examples / "parity4.circ")
    m, sa, sb = (str(tmp_path / n) for n in ("m.aag", "a.aig", "b.aig"))
    assert main(["miter", a, b, "-o", m, "--sides", sa, sb]) == 0
    assert read_aag(Path(m).read_text()).output_names == ["bad"]
    assert main(["miter", a, b, "-o", m]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert main(["miter", a, b]) == 2
    assert "nothing to write" in capsys.readouterr().err
    assert main(["miter", a, b, "-o", str(tmp_path / "m.txt")]) == 2
    sc, from_sc = str(examples / "small.sc"), str(examples / "small_from_sc.bnl")
    stride = ["--stride", "1", "--offset", "1"]
    assert main(["miter", sc, from_sc, "-o", str(tmp_path / "s.aig"), *stride]) == 0


# ----------------------------------------------------------------------------- ABC


def _abc() -> str | None:
    return shutil.which("berkeley-abc") or shutil.which("abc")


needs_abc = pytest.mark.skipif(
    _abc() is None,
    reason="ABC (berkeley-abc) is not on PATH: the exported miters are not checked against"
    " ABC; install it with `apt-get install berkeley-abc`",
)


def abc_verdict(command: str) -> VerdictKind | None:
    """Run one ABC command line; PASS / FAIL from its report, None when it says neither."""
    abc = _abc()
    assert abc is not None
    result = subprocess.run(
        [abc, "-c", command], capture_output=True, text=True, timeout=60, check=False
    )
    out = result.stdout.lower()
    if "not equivalent" in out or "was asserted" in out or re.search(r"\bsatisfiable", out):
        return VerdictKind.FAIL
    if "are equivalent" in out or "property proved" in out or "unsatisfiable" in out:
        return VerdictKind.PASS
    return None


def abc_verdicts(a: Model, b: Model, folder: Path) -> dict[str, VerdictKind | None]:
    """ABC's dprove and pdr on the miter and dsec on the two sides."""
    miter = folder / "miter.aig"
    miter.write_bytes(aiger.dumps_sequential_aig(miter_sequential(a, b)))
    side_a, side_b = side_sequentials(a, b)
    (folder / "a.aig").write_bytes(aiger.dumps_sequential_aig(side_a))
    (folder / "b.aig").write_bytes(aiger.dumps_sequential_aig(side_b))
    return {
        "dprove": abc_verdict(f"read_aiger {miter}; dprove"),
        "pdr": abc_verdict(f"read_aiger {miter}; pdr"),
        "dsec": abc_verdict(f"dsec {folder / 'a.aig'} {folder / 'b.aig'}"),
    }


@needs_abc
@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_abc_agrees_on_the_examples(left: str, right: str, tmp_path: Path) -> None:
    a, b = load(EXAMPLES / left), load(EXAMPLES / right)
    ours = check_equiv(a, b, EquivOptions(mode="global")).kind
    assert set(abc_verdicts(a, b, tmp_path).values()) == {ours}


@needs_abc
@settings(max_examples=25)
@given(data=st.data())
def test_abc_agrees_on_random_pairs(data: st.DataObject, tmp_path_factory) -> None:
    program = data.draw(bnl_programs(max_inputs=3))
    mutant = data.draw(bnl_mutants(program))
    assume(mutant.names == program.names)
    ours = check_equiv(program, mutant, EquivOptions(mode="global")).kind
    verdicts = abc_verdicts(program, mutant, tmp_path_factory.mktemp("abc"))
    assert set(verdicts.values()) == {ours}, verdicts


@needs_abc
def test_abc_is_wrong_on_uninitialised_latches_and_right_on_the_first_frame_form(
    tmp_path: Path,
) -> None:
    # x keeps its input value in A and is cleared in B: they differ exactly when x starts
    # at 1, which ABC, taking the uninitialised latch of the plain export as 0, never sees.
    a = BnlProgram(heads=(Head("x", Var("x")),), print_=("x",))
    b_circuit = Circuit(
        inputs=("x",), outputs=("zero",), gates=(GateDef("zero", GateApp("or", ())),),
        init=(None,), print_=(0,),
    )  # fmt: skip
    a_circuit = Circuit(inputs=("x",), outputs=("x",), gates=(), init=(None,), print_=(0,))
    assert check_equiv(a, b_circuit, EquivOptions(mode="global")).kind is VerdictKind.FAIL
    (tmp_path / "pa.aig").write_bytes(aiger.dumps_aig(a_circuit))
    (tmp_path / "pb.aig").write_bytes(aiger.dumps_aig(b_circuit))
    plain = abc_verdict(f"dsec -n {tmp_path / 'pa.aig'} {tmp_path / 'pb.aig'}")
    assert plain is VerdictKind.PASS  # ABC's silent assumption; this is why the option exists
    (tmp_path / "fa.aig").write_bytes(aiger.dumps_aig(a_circuit, init_as_inputs=True))
    (tmp_path / "fb.aig").write_bytes(aiger.dumps_aig(b_circuit, init_as_inputs=True))
    assert abc_verdict(f"dsec {tmp_path / 'fa.aig'} {tmp_path / 'fb.aig'}") is VerdictKind.FAIL
    assert set(abc_verdicts(a, b_circuit, tmp_path).values()) == {VerdictKind.FAIL}


@needs_abc
def test_abc_sees_assumptions_through_the_outputs(tmp_path: Path) -> None:
    # A and B differ only on inputs that the assumption excludes.
    text_a = "print x y\nassume !x | !y\nx :- x & y\ny :- y\n"
    text_b = "print x y\nassume !x | !y\nx :- 0\ny :- y\n"
    from verifier.formats.registry import loads

    a, b = loads(text_a, ".bnl"), loads(text_b, ".bnl")
    assert check_equiv(a, b, EquivOptions(mode="global")).kind is VerdictKind.PASS
    assert set(abc_verdicts(a, b, tmp_path).values()) == {VerdictKind.PASS}
