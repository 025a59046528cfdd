"""``verify arith`` on lookup-table programs built here from the reference semantics alone,
independently of the generators: PASS on correct programs, FAIL with decoded operands on
corrupted ones (replayed), too small a time, bad meta lines, CLI; the SAT method gives the
same verdict as the exhaustive one on every case (differential). One-operand float programs
too: fnormalize (a raw number of F*(p', q', b) normalized into F(p, q, b)) and poly (a
piecewise polynomial on F(p, q, b)), as lookup tables and (fnormalize) as generated programs
with single-literal mutants; and ``verify info`` on them."""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import pytest

from verifier import reference
from verifier.arith.floats import FloatSystem, RawFloat, RawSystem
from verifier.arith.integers import OPERATIONS, IntSystem
from verifier.arith.pieces import format_pieces, parse_pieces
from verifier.checks.arith import UNARY_COST, ArithOptions, check_arith, read_arith_meta
from verifier.checks.obligations import load_file, run_obligation
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.cli.main import main
from verifier.errors import InputError
from verifier.formats.registry import dumps, loads
from verifier.generate.floats import fnormalize_program
from verifier.models import BnlProgram
from verifier.translate.mutate import flip, sites


def _literal(name: str, bit: bool) -> str:
    return name if bit else f"!{name}"


def lookup_table(
    op: str,
    n: int,
    b: int,
    *,
    time: int = 1,
    meta: bool = True,
    negate: int | None = None,
    assume: bool = True,
) -> str:
    """A BNL program computing ``op`` on Z(n, b) by a lookup table (see :func:`table_program`)."""
    z = IntSystem(n, b)
    encodings = list(z.valid_encodings())
    rows = [
        (ex + ey, z.encode_result(op, z.decode(ex), z.decode(ey)))
        for ex in encodings
        for ey in encodings
    ]
    line = f"arith op={op} encoding=int base={b} digits={n} time={time}"
    blocks = [1 + digit * b for digit in range(n)]
    return table_program(rows, z.width, b, blocks, line if meta else None, negate, assume)


def float_lookup_table(op: str, p: int, q: int, b: int, *, negate: int | None = None) -> str:
    """A BNL program computing ``op`` (fadd or fmul) on F(p, q, b) by a lookup table over the
    normalized encodings; the assumptions are the one-hot blocks only (every valid input is
    accepted; unnormalized inputs are not valid and are not checked)."""
    f = FloatSystem(p, q, b)
    encodings = list(f.valid_encodings())
    apply = {"fadd": f.add, "fmul": f.mul}[op]
    rows = [
        (ex + ey, f.encode(apply(f.decode(ex), f.decode(ey))))
        for ex in encodings
        for ey in encodings
    ]
    line = f"arith op={op} encoding=float base={b} p={p} q={q} time=1"
    blocks = [2 + digit * b for digit in range(q + p)]
    return table_program(rows, f.width, b, blocks, line, negate, True)


Rows = list[tuple[tuple[bool, ...], tuple[bool, ...]]]


def _corrupted(rows: Rows, corrupt: dict[tuple[bool, ...], tuple[bool, ...]]) -> Rows:
    """``rows`` with the results of the inputs in ``corrupt`` replaced (wrong table entries)."""
    assert set(corrupt) <= {inp for inp, _ in rows}
    return [(inp, corrupt.get(inp, result)) for inp, result in rows]


@functools.cache
def fnormalize_lookup_table(
    raw_p: int,
    raw_q: int,
    p: int,
    q: int,
    b: int,
    *,
    corrupt: tuple[tuple[tuple[bool, ...], tuple[bool, ...]], ...] = (),
) -> str:
    """A BNL program normalizing a raw number of F*(raw_p, raw_q, b) into F(p, q, b) by a
    lookup table over every raw encoding (``FloatSystem.normalize``); ``corrupt`` replaces the
    results of some inputs (pairs of input and result encodings)."""
    raw, f = RawSystem(raw_p, raw_q, b), FloatSystem(p, q, b)
    rows = [(e, f.encode(f.normalize(raw.decode(e)))) for e in raw.valid_encodings()]
    line = (
        f"arith op=fnormalize encoding=float base={b} p={p} q={q} raw_p={raw_p} raw_q={raw_q}"
        " time=1"
    )
    blocks = [2 + digit * b for digit in range(raw_q + 1 + raw_p)]
    return table_program(
        _corrupted(rows, dict(corrupt)), raw.width, b, blocks, line, None, True, operands=1
    )


@functools.cache
def poly_lookup_table(
    p: int,
    q: int,
    b: int,
    pieces: tuple[str, ...],
    *,
    corrupt: tuple[tuple[tuple[bool, ...], tuple[bool, ...]], ...] = (),
) -> str:
    """A BNL program computing the piecewise polynomial ``pieces`` on F(p, q, b) by a lookup
    table over the normalized encodings (``FloatSystem.poly``); ``corrupt`` as for
    :func:`fnormalize_lookup_table`."""
    f = FloatSystem(p, q, b)
    parsed = parse_pieces(pieces)
    rows = [(f.encode(x), f.encode(f.poly(parsed, x))) for x in f.values()]
    line = (
        f"arith op=poly encoding=float base={b} p={p} q={q} pieces={format_pieces(parsed)} time=1"
    )
    blocks = [2 + digit * b for digit in range(q + p)]
    return table_program(
        _corrupted(rows, dict(corrupt)), f.width, b, blocks, line, None, True, operands=1
    )


def table_program(
    rows: list[tuple[tuple[bool, ...], tuple[bool, ...]]],
    width: int,
    b: int,
    blocks: list[int],
    meta: str | None,
    negate: int | None,
    assume: bool,
    operands: int = 2,
) -> str:
    """Inputs ``Xi :- Xi`` (``operands`` operands of ``width`` bits), each result bit
    ``Rj(0) :- 0`` with the DNF over the rows where it is 1, and a done flag ``D`` (0 then 1)
    as attention, so the fixed point is at round 1. ``blocks``: the first bit of each one-hot
    digit block of one operand (assumed one-hot). ``negate``: the index of a result clause
    whose body is negated (a corrupted copy)."""
    xs = [f"X{i}" for i in range(operands * width)]
    n_result = len(rows[0][1])
    lines = [f"order {' '.join(xs)} {' '.join(f'R{j}' for j in range(n_result))} D"]
    lines.append(f"print {' '.join(f'R{j}' for j in range(n_result))}")
    lines.append("attention D")
    if meta is not None:
        lines.append(f"meta {meta}")
    if assume:
        for operand in range(operands):
            for first in blocks:
                block = [xs[operand * width + first + j] for j in range(b)]
                terms = [
                    " & ".join(_literal(v, i == j) for i, v in enumerate(block)) for j in range(b)
                ]
                lines.append("assume " + " | ".join(f"({t})" for t in terms))
    lines.extend(f"{x} :- {x}" for x in xs)
    for j in range(n_result):
        terms = [
            " & ".join(_literal(x, bit) for x, bit in zip(xs, inp, strict=True))
            for inp, result in rows
            if result[j]
        ]
        body = " | ".join(f"({t})" for t in terms) if terms else "0"
        if negate == j:
            body = f"!({body})"
        lines.append(f"R{j}(0) :- 0")
        lines.append(f"R{j} :- {body}")
    lines.append("D(0) :- 0")
    lines.append("D :- 1")
    return "\n".join(lines) + "\n"


def program(text: str):  # type: ignore[no-untyped-def]
    return loads(text, ".bnl")


@pytest.mark.parametrize("op", OPERATIONS)
@pytest.mark.parametrize("b", [2, 3])
def test_correct_lookup_table_passes(op: str, b: int) -> None:
    verdict = check_arith(program(lookup_table(op, 1, b)))
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.extra["inputs_checked"] == (2 * b) ** 2
    assert verdict.extra["time"] == 1
    assert f"all {(2 * b) ** 2} valid operand pairs" in verdict.detail


def test_two_digits_pass() -> None:
    verdict = check_arith(program(lookup_table("add", 2, 2)))
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.extra["inputs_checked"] == 64


@pytest.mark.parametrize("op", OPERATIONS)
def test_negated_result_clause_fails_with_numbers_replayed(op: str) -> None:
    model = program(lookup_table(op, 1, 3, negate=0))
    verdict = check_arith(model)
    assert verdict.kind is VerdictKind.FAIL
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample) and cex.round == 1
    x, y = verdict.extra["x"], verdict.extra["y"]
    z = IntSystem(1, 3)
    want = z.apply(op, x, y)
    assert verdict.detail.startswith(f"x = {x}, y = {y}: expected {int(want)}, program gives ")
    # The trace is the reference simulator's, and it shows the wrong print at round T.
    trace = reference.simulate(model, cex.input, 3)
    assert cex.trace == trace
    expected = "".join("1" if bit else "0" for bit in z.encode_result(op, x, y))
    assert trace[1].print != expected


def test_wrong_result_decoded_as_number() -> None:
    # Negating the sign bit of add: x = y = 0 gives sign 1 with digits 0: "-0", not canonical;
    # the first failing pair is the first input, x = 0 (sign 0) and y = 0.
    verdict = check_arith(program(lookup_table("add", 1, 2, negate=0)))
    assert verdict.kind is VerdictKind.FAIL
    assert verdict.detail.startswith("x = 0, y = 0: expected 0, program gives ")
    assert "non-canonical" in verdict.detail


def test_invalid_result_encoding_is_shown_as_bits() -> None:
    # Negating a digit bit of mul breaks the one-hot digit of the result.
    verdict = check_arith(program(lookup_table("mul", 1, 2, negate=1)))
    assert verdict.kind is VerdictKind.FAIL
    assert "no valid encoding of Z(2, 2)" in verdict.detail


def test_time_too_small_fails() -> None:
    verdict = check_arith(program(lookup_table("compare", 1, 2, time=0)))
    assert verdict.kind is VerdictKind.FAIL
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample) and cex.round == 0
    assert "not at a fixed point by round 0" in verdict.detail
    assert cex.trace[0].config != cex.trace[1].config


def test_larger_time_still_passes() -> None:
    assert check_arith(program(lookup_table("sub", 1, 2, time=3))).kind is VerdictKind.PASS


def test_wrong_output_rounds_fail() -> None:
    text = lookup_table("compare", 1, 2).replace("attention D", "attention all")
    verdict = check_arith(program(text))
    assert verdict.kind is VerdictKind.FAIL
    assert "round 0 is an output round, but not a fixed point" in verdict.detail


def test_attention_rounds_must_cover_every_later_round() -> None:
    text = lookup_table("compare", 1, 2).replace("attention D", "attention rounds 1, 2")
    verdict = check_arith(program(text))
    assert verdict.kind is VerdictKind.FAIL
    assert "round 3 is a fixed point, but not an output round" in verdict.detail
    text = lookup_table("compare", 1, 2).replace("attention D", "attention rounds 1+1k")
    assert check_arith(program(text)).kind is VerdictKind.PASS


def test_assumptions_rejecting_a_valid_input_fail() -> None:
    text = lookup_table("add", 1, 2).replace("attention D", "attention D\nassume !X0")
    verdict = check_arith(program(text))
    assert verdict.kind is VerdictKind.FAIL
    assert "assumptions reject" in verdict.detail
    assert verdict.detail.startswith("x = 0, y = ")  # the first pair with x's sign bit set
    assert verdict.counterexample.input[0] == "1"  # type: ignore[union-attr]


def test_no_assumptions_is_fine() -> None:
    text = lookup_table("mul", 1, 2, assume=False)
    assert check_arith(program(text)).kind is VerdictKind.PASS


def test_missing_meta_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no arith meta line"):
        check_arith(program(lookup_table("add", 1, 2, meta=False)))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("arith op=div encoding=int base=2 digits=1 time=1", "unknown op 'div'"),
        ("arith op=add encoding=int base=1 digits=1 time=1", "base must be an integer >= 2"),
        ("arith op=add encoding=int base=2 digits=1", "missing time"),
        ("arith op=add encoding=int base=2 digits=x time=1", "digits must be"),
        ("arith op=add encoding=int base=2 digits=1 time=1 junk", "'junk' is not key=value"),
    ],
)
def test_malformed_meta_names_the_line(line: str, message: str) -> None:
    text = lookup_table("add", 1, 2, meta=False).replace("attention D", f"attention D\nmeta {line}")
    with pytest.raises(InputError, match=message) as err:
        read_arith_meta(program(text))
    assert f"'meta {line}'" in str(err.value)


def test_interface_mismatch_is_an_input_error() -> None:
    text = lookup_table("add", 1, 2).replace("base=2 digits=1", "base=3 digits=1")
    with pytest.raises(InputError, match="input bits"):
        check_arith(program(text))
    text = lookup_table("add", 1, 2).replace("op=add", "op=compare")
    with pytest.raises(InputError, match="print bits"):
        check_arith(program(text))


def test_method_choice() -> None:
    model = program(lookup_table("add", 1, 2))
    verdict = check_arith(model, ArithOptions(method="exhaustive", limit=10))
    assert verdict.kind is VerdictKind.UNKNOWN and "above the exhaustive limit" in verdict.detail
    verdict = check_arith(model, ArithOptions(limit=10))  # auto: above the limit, SAT
    assert verdict.kind is VerdictKind.PASS and verdict.method.startswith("sat")
    assert check_arith(model).method.startswith("exhaustive")


DIFFERENTIAL = [
    ("correct", lambda: lookup_table("mul", 1, 3)),
    ("two digits", lambda: lookup_table("sub", 2, 2)),
    ("negated sign", lambda: lookup_table("add", 1, 2, negate=0)),
    ("negated digit", lambda: lookup_table("mul", 1, 2, negate=1)),
    ("negated compare", lambda: lookup_table("compare", 1, 3, negate=0)),
    ("time too small", lambda: lookup_table("compare", 1, 2, time=0)),
    ("larger time", lambda: lookup_table("sub", 1, 2, time=3)),
    (
        "attention all",
        lambda: lookup_table("compare", 1, 2).replace("attention D", "attention all"),
    ),
    (
        "attention rounds",
        lambda: lookup_table("compare", 1, 2).replace("attention D", "attention rounds 1, 2"),
    ),
    (
        "attention rounds ok",
        lambda: lookup_table("compare", 1, 2).replace("attention D", "attention rounds 1+1k"),
    ),
    (
        "assumption",
        lambda: lookup_table("add", 1, 2).replace("attention D", "attention D\nassume !X0"),
    ),
    ("no assumptions", lambda: lookup_table("mul", 1, 2, assume=False)),
]


@pytest.mark.parametrize(("case", "text"), DIFFERENTIAL, ids=[case for case, _ in DIFFERENTIAL])
@pytest.mark.parametrize("split", [0, 1])
def test_sat_method_agrees_with_exhaustive(case: str, text, split: int) -> None:  # type: ignore[no-untyped-def]
    model = program(text())
    exhaustive = check_arith(model, ArithOptions(method="exhaustive"))
    sat = check_arith(model, ArithOptions(method="sat", split=split, jobs=2))
    assert sat.kind is exhaustive.kind, (case, sat.detail, exhaustive.detail)
    assert sat.method.startswith("sat")
    if sat.kind is VerdictKind.FAIL:
        # The SAT method's input may differ; its failure is classified and replayed the same
        # way, so it names the same kind of failure.
        for phrase in ("expected", "fixed point", "output round", "assumptions reject"):
            assert (phrase in sat.detail) == (phrase in exhaustive.detail), (case, phrase)
        assert isinstance(sat.counterexample, RunCounterexample)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "add.bnl"
    good.write_text(lookup_table("add", 1, 2))
    bad = tmp_path / "add_bad.bnl"
    bad.write_text(lookup_table("add", 1, 2, negate=1))
    nometa = tmp_path / "nometa.bnl"
    nometa.write_text(lookup_table("add", 1, 2, meta=False))

    assert main(["arith", str(good)]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    assert main(["arith", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL") and "expected" in out and "round" in out
    assert main(["arith", str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "FAIL" and data["counterexample"]["round"] == 1
    assert main(["arith", str(nometa)]) == 2
    assert "no arith meta line" in capsys.readouterr().err
    assert main(["arith", str(good), "--method", "sat", "--split", "1", "--jobs", "2"]) == 0
    assert "2 cubes on x's top 1 digits" in capsys.readouterr().out
    assert main(["arith", str(bad), "--method", "sat"]) == 1
    assert "expected" in capsys.readouterr().out
    assert main(["arith", str(good), "--method", "exhaustive", "--limit", "4"]) == 3


def test_obligation_kind_arith(tmp_path: Path) -> None:
    (tmp_path / "add.bnl").write_text(lookup_table("add", 1, 2))
    (tmp_path / "bad.bnl").write_text(lookup_table("add", 1, 2, negate=1))
    toml = tmp_path / "arith.toml"
    toml.write_text(
        '[[obligation]]\nname = "add"\ncheck = "arith"\nsource = "add.bnl"\nexpect = "pass"\n\n'
        '[[obligation]]\nname = "bad"\ncheck = "arith"\nsource = "bad.bnl"\nexpect = "fail"\n'
    )
    results = [run_obligation(o) for o in load_file(toml)]
    assert [r.status for r in results] == ["OK", "OK"]


@pytest.mark.parametrize("op", ["fadd", "fmul"])
@pytest.mark.parametrize(("p", "q", "b"), [(1, 1, 2), (2, 1, 2), (1, 1, 3)])
def test_float_lookup_table_passes(op: str, p: int, q: int, b: int) -> None:
    verdict = check_arith(program(float_lookup_table(op, p, q, b)))
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    count = FloatSystem(p, q, b).count()
    assert verdict.extra["inputs_checked"] == count**2
    assert f"all {count**2} valid operand pairs of F({p}, {q}, {b})" in verdict.detail


@pytest.mark.parametrize("op", ["fadd", "fmul"])
def test_corrupted_float_table_fails_with_decoded_operands(op: str) -> None:
    f = FloatSystem(2, 1, 2)
    # Negate the last fraction digit bit: some result gets a wrong or invalid digit.
    model = program(float_lookup_table(op, 2, 1, 2, negate=f.width - 1))
    verdict = check_arith(model)
    assert verdict.kind is VerdictKind.FAIL
    x, y = verdict.extra["x"], verdict.extra["y"]
    assert verdict.detail.startswith(f"x = {x}, y = {y}: expected ")
    values = {f.format(v): v for v in f.values()}
    want = {"fadd": f.add, "fmul": f.mul}[op](values[x], values[y])
    assert f"expected {f.format(want)}, program gives " in verdict.detail
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample)
    assert cex.trace == reference.simulate(model, cex.input, cex.round + 2)[: len(cex.trace)]


def test_float_meta_lines() -> None:
    text = float_lookup_table("fmul", 1, 1, 2).replace(" p=1", "")
    with pytest.raises(InputError, match="missing p"):
        read_arith_meta(program(text))
    text = float_lookup_table("fmul", 1, 1, 2).replace("op=fmul", "op=mul")
    with pytest.raises(InputError, match="unknown op 'mul'; expected one of fadd, fmul"):
        read_arith_meta(program(text))
    text = float_lookup_table("fmul", 1, 1, 2).replace("encoding=float", "encoding=fixed")
    with pytest.raises(InputError, match="unknown encoding 'fixed'"):
        read_arith_meta(program(text))
    with pytest.raises(InputError, match="--split cuts integer programs"):
        check_arith(
            program(float_lookup_table("fmul", 1, 1, 2)), ArithOptions(method="sat", split=1)
        )
    meta = read_arith_meta(program(float_lookup_table("fadd", 1, 1, 3)))
    assert (meta.op, meta.base, meta.p, meta.q, meta.time) == ("fadd", 3, 1, 1, 1)
    model = program(float_lookup_table("fadd", 1, 1, 2))
    verdict = check_arith(model, ArithOptions(method="sat"))
    assert verdict.kind is VerdictKind.PASS and verdict.method.startswith("sat")
    broken = program(float_lookup_table("fmul", 2, 1, 2, negate=3))
    verdict = check_arith(broken, ArithOptions(method="sat"))
    assert verdict.kind is VerdictKind.FAIL and verdict.detail.startswith("x = ")


# --- one-operand float programs: fnormalize and poly -----------------------------------------

RELU = ("..0: 0", "0..: x")
SMOOTH = ("..-1: 0", "-1..1: 1/2*x^2 + x + 1/4", "1..: x")  # representable in F(2, 1, 2)
EXHAUSTIVE_ONLY = ArithOptions(method="exhaustive")
SAT = ArithOptions(method="sat")

# (raw_p, raw_q, p, q, b): raw_p below, at and above p + 1, raw_q below and above q.
FNORMALIZE_TABLES = [(3, 1, 2, 1, 2), (1, 2, 2, 1, 2), (2, 1, 1, 2, 2), (2, 1, 2, 1, 3)]


@pytest.mark.parametrize(("raw_p", "raw_q", "p", "q", "b"), FNORMALIZE_TABLES)
def test_fnormalize_lookup_table_passes(raw_p: int, raw_q: int, p: int, q: int, b: int) -> None:
    raw = RawSystem(raw_p, raw_q, b)
    model = program(fnormalize_lookup_table(raw_p, raw_q, p, q, b))
    count = raw.count()
    space = f"all {count} valid inputs of F*({raw_p}, {raw_q}, {b}) (fnormalize"
    exhaustive = check_arith(model, EXHAUSTIVE_ONLY)
    assert exhaustive.kind is VerdictKind.PASS, exhaustive.detail
    assert exhaustive.method.startswith("exhaustive")
    assert exhaustive.detail.startswith(space + "): ")
    assert exhaustive.extra["inputs_checked"] == count
    assert exhaustive.extra["op"] == "fnormalize"
    assert (exhaustive.extra["raw_p"], exhaustive.extra["raw_q"]) == (raw_p, raw_q)
    assert (exhaustive.extra["p"], exhaustive.extra["q"], exhaustive.extra["base"]) == (p, q, b)
    sat = check_arith(model, SAT)
    assert sat.kind is VerdictKind.PASS, sat.detail
    assert sat.method.startswith("sat")
    assert sat.detail.startswith(space + "; proved by SAT in ")
    assert (sat.extra["raw_p"], sat.extra["raw_q"]) == (raw_p, raw_q)


@pytest.mark.parametrize(
    ("p", "q", "b", "pieces"),
    [
        (2, 1, 2, RELU),
        (2, 1, 2, SMOOTH),
        (1, 1, 3, ("..0: 0", "0..: 1")),
        (2, 1, 3, ("..: 2*x^2 - x - 1",)),
    ],
)
def test_poly_lookup_table_passes(p: int, q: int, b: int, pieces: tuple[str, ...]) -> None:
    f = FloatSystem(p, q, b)
    verdict = check_arith(program(poly_lookup_table(p, q, b, pieces)))
    assert verdict.kind is VerdictKind.PASS, verdict.detail
    assert verdict.method.startswith("exhaustive")
    assert verdict.detail.startswith(f"all {f.count()} valid inputs of {f} (poly): ")
    assert verdict.extra["inputs_checked"] == f.count()
    assert verdict.extra["pieces"] == format_pieces(parse_pieces(pieces))


def claims_violated(model: BnlProgram, row: Sequence[bool], T: int, want: tuple[bool, ...]) -> bool:
    """Whether the input ``row`` violates a claim of verify arith, by the reference simulator
    alone (attention bits, so rounds 0 .. T+1 decide the output claim): assumptions
    rejecting it, no fixed point by round T, an output round that is not a fixed point (or
    the converse), or a print string at round T other than ``want``."""
    if not reference.satisfies_assumptions(model, row):
        return True
    trace = reference.simulate(model, row, T + 2)
    if trace[T].config != trace[T + 1].config:
        return True
    if any(trace[t].output != (trace[t].config == trace[t + 1].config) for t in range(T + 2)):
        return True
    return trace[T].print != "".join("1" if bit else "0" for bit in want)


def check_replayed(verdict: Verdict, model: BnlProgram, row: tuple[bool, ...]) -> None:
    """The verdict is a FAIL on the input ``row`` with a reference trace."""
    assert verdict.kind is VerdictKind.FAIL, verdict.detail
    cex = verdict.counterexample
    assert isinstance(cex, RunCounterexample)
    assert cex.input == "".join("1" if bit else "0" for bit in row)
    assert cex.trace == reference.simulate(model, cex.input, len(cex.trace) - 1)


@pytest.mark.parametrize("wrong", ["value", "invalid"])
@pytest.mark.parametrize("method", ["exhaustive", "sat"])
def test_corrupted_fnormalize_entry_fails_on_that_operand(wrong: str, method: str) -> None:
    raw, f = RawSystem(3, 1, 2), FloatSystem(2, 1, 2)
    # -1.011 x 2^-1 = -0.6875 rounds (above the tie -0.625 between two digits) to -0.11e+0.
    x = RawFloat(True, (1, 0, 1, 1), -1)
    row = raw.encode(x)
    want = f.normalize(x)
    assert want == Fraction(-3, 4)
    if wrong == "value":
        bad, got = f.encode(Fraction(-1, 2)), "-0.10e+0"
    else:  # the last fraction digit's block with no bit set
        bad = (*f.encode(want)[:-2], False, False)
        got = "no valid encoding of F(2, 1, 2)"
    model = program(fnormalize_lookup_table(3, 1, 2, 1, 2, corrupt=((row, bad),)))
    verdict = check_arith(model, ArithOptions(method=method))
    check_replayed(verdict, model, row)
    assert verdict.method.startswith(method)
    assert verdict.extra["x"] == raw.format(x) == "-1.011e-1"
    assert "y" not in verdict.extra
    assert verdict.detail.startswith(
        f"x = {raw.format(x)}: expected {f.format(want)}, program gives {got}"
    ), verdict.detail
    assert verdict.counterexample.round == 1  # type: ignore[union-attr]
    assert verdict.counterexample.trace[1].print == "".join("1" if v else "0" for v in bad)  # type: ignore[union-attr]


def test_corrupted_fnormalize_sign_zero_encoding_is_found() -> None:
    """A raw encoding of exponent 0 with exponent sign 1 is a valid input of its own."""
    raw, f = RawSystem(2, 1, 3), FloatSystem(2, 1, 3)
    x = RawFloat(False, (2, 1, 2), 0)
    row = (True, *raw.encode(x)[1:])  # exponent sign 1, exponent digits 0
    assert raw.decode(row) == x
    model = program(fnormalize_lookup_table(2, 1, 2, 1, 3, corrupt=((row, f.encode(0)),)))
    for method in ("exhaustive", "sat"):
        verdict = check_arith(model, ArithOptions(method=method))
        check_replayed(verdict, model, row)
        want = f.format(f.normalize(x))
        assert verdict.detail.startswith(f"x = 2.12e+0: expected {want}, program gives 0")


@pytest.mark.parametrize("pieces", [RELU, SMOOTH])
def test_corrupted_poly_entry_fails_on_that_operand(pieces: tuple[str, ...]) -> None:
    f = FloatSystem(2, 1, 2)
    x = Fraction(-3, 4)
    want = f.poly(parse_pieces(pieces), x)
    wrong = f.largest if want != f.largest else 0
    row = f.encode(x)
    model = program(poly_lookup_table(2, 1, 2, pieces, corrupt=((row, f.encode(wrong)),)))
    verdict = check_arith(model)
    check_replayed(verdict, model, row)
    assert verdict.extra["x"] == f.format(x) == "-0.11e+0"
    assert verdict.detail.startswith(
        f"x = -0.11e+0: expected {f.format(want)}, program gives {f.format(wrong)}"
    ), verdict.detail


def _with_meta(text: str, line: str) -> str:
    """``text`` with its meta line replaced by ``meta line``."""
    lines = [row if not row.startswith("meta ") else f"meta {line}" for row in text.splitlines()]
    return "\n".join(lines) + "\n"


FNORMALIZE_META = "arith op=fnormalize encoding=float base=2 p=2 q=1 raw_p=3 raw_q=1 time=1"
POLY_META = "arith op=poly encoding=float base=2 p=2 q=1 pieces=..0:0;0..:x time=1"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (FNORMALIZE_META.replace(" raw_p=3", ""), "missing raw_p"),
        (FNORMALIZE_META.replace(" raw_q=1", ""), "missing raw_q"),
        (FNORMALIZE_META.replace(" raw_p=3 raw_q=1", ""), "missing raw_p, raw_q"),
        (FNORMALIZE_META.replace("raw_p=3", "raw_p=0"), "raw_p must be an integer >= 1, got '0'"),
        (FNORMALIZE_META.replace("raw_q=1", "raw_q=-1"), "raw_q must be an integer >= 1"),
        (POLY_META.replace(" pieces=..0:0;0..:x", ""), "missing pieces"),
        (POLY_META.replace("op=poly", "op=relu"), "unknown op 'relu'; expected one of fadd"),
    ],
)
def test_one_operand_meta_lines_are_checked(line: str, message: str) -> None:
    text = _with_meta(fnormalize_lookup_table(3, 1, 2, 1, 2), line)
    with pytest.raises(InputError, match=message) as err:
        check_arith(program(text))
    assert f"'meta {line}'" in str(err.value)
    assert "raw_p=<p'> raw_q=<q'> for fnormalize and pieces=<pieces> for poly" in str(err.value)


def test_one_operand_meta_lines_are_read() -> None:
    meta = read_arith_meta(program(fnormalize_lookup_table(3, 1, 2, 1, 2)))
    assert (meta.op, meta.base, meta.p, meta.q, meta.raw_p, meta.raw_q, meta.time) == (
        "fnormalize",
        2,
        2,
        1,
        3,
        1,
        1,
    )
    meta = read_arith_meta(program(poly_lookup_table(2, 1, 2, SMOOTH)))
    assert (meta.op, meta.pieces) == ("poly", "..-1:0;-1..1:1/2*x^2+x+1/4;1..:x")


@pytest.mark.parametrize(
    ("pieces", "message"),
    [
        ("..0:0;0..:y", "piece '0..:y': cannot read a term at 'y'"),
        ("..0:0;0..", "piece '0..': expected LOWER..UPPER: TERMS"),
        ("1..0:x", r"piece '1..0:x': the interval \[1, 0\) is empty"),
        ("..0:0;0..:x;", "piece '': expected LOWER..UPPER: TERMS"),
        ("..0:0", r"no piece contains x = 0 \(0\) of F\(2, 1, 2\)"),
        ("..0:0;1/2..:x", r"no piece contains x = 0 \(0\) of F\(2, 1, 2\)"),
        ("..-1:0;0..:x", r"no piece contains x = -0.10e\+1 \(-1\) of F\(2, 1, 2\)"),
        ("..0:0;0..:1/3*x", r"piece 2: coefficient 1/3 is not in F\(2, 1, 2\)"),
        ("..0:0;0..:x+4", r"piece 2: coefficient 4 is not in F\(2, 1, 2\)"),
        ("..1/3:0;1/3..:x", r"piece 1: upper bound 1/3 is not a number of F\(2, 1, 2\)"),
    ],
)
def test_bad_pieces_are_input_errors(pieces: str, message: str) -> None:
    line = POLY_META.replace("..0:0;0..:x", pieces)
    text = _with_meta(poly_lookup_table(2, 1, 2, RELU), line)
    with pytest.raises(InputError, match=message) as err:
        check_arith(program(text))
    assert str(err.value).startswith(f"meta line 'meta {line}': ")


def test_one_operand_interface_mismatch() -> None:
    text = fnormalize_lookup_table(3, 1, 2, 1, 2)  # 2 + 2 * 5 = 12 input bits
    with pytest.raises(InputError, match=r"one operand of F\*\(2, 1, 2\) are 1 x 10 input bits,"):
        check_arith(program(text.replace("raw_p=3", "raw_p=2")))
    with pytest.raises(InputError, match="but the program has 12 inputs"):
        check_arith(program(text.replace("raw_p=3", "raw_p=2")))
    with pytest.raises(InputError, match=r"the result of fnormalize is 10 bits of F\(2, 2, 2\)"):
        check_arith(program(text.replace(" q=1", " q=2")))
    relu = poly_lookup_table(2, 1, 2, RELU)
    with pytest.raises(InputError, match=r"one operand of F\(1, 1, 2\) are 1 x 6 input bits"):
        check_arith(program(relu.replace("p=2", "p=1")))
    # The same program read as an fnormalize of F*(2, 1, 2): 10 input bits, not 8.
    fnormalize = relu.replace("op=poly", "op=fnormalize raw_p=2 raw_q=1")
    with pytest.raises(InputError, match=r"one operand of F\*\(2, 1, 2\) are 1 x 10 input bits"):
        check_arith(program(fnormalize))
    with pytest.raises(InputError, match=r"two operands of F\(2, 1, 2\) are 2 x 8 input bits"):
        check_arith(program(relu.replace("op=poly", "op=fadd")))


def test_auto_method_for_one_operand_programs() -> None:
    raw = RawSystem(1, 1, 2)
    count = raw.count()  # 32 raw inputs
    model = program(fnormalize_lookup_table(1, 1, 2, 1, 2))
    at_limit = check_arith(model, ArithOptions(limit=count * UNARY_COST))
    assert at_limit.kind is VerdictKind.PASS and at_limit.method.startswith("exhaustive")
    above = check_arith(model, ArithOptions(limit=count * UNARY_COST - 1))
    assert above.kind is VerdictKind.PASS and above.method.startswith("sat"), above.method
    assert check_arith(model).method.startswith("exhaustive")
    # exhaustive alone keeps the plain limit
    assert check_arith(model, ArithOptions(method="exhaustive", limit=count)).kind is (
        VerdictKind.PASS
    )
    verdict = check_arith(model, ArithOptions(method="exhaustive", limit=count - 1))
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.detail == (
        f"{count} valid inputs, above the exhaustive limit of {count - 1}"
        " (use --method sat or auto)"
    )


def test_poly_is_exhaustive_only() -> None:
    f = FloatSystem(2, 1, 2)
    model = program(poly_lookup_table(2, 1, 2, RELU))
    verdict = check_arith(model, SAT)
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.detail.startswith("--method sat: the SAT method does not cover poly")
    # auto: the whole limit (not limit / UNARY_COST), as there is no SAT method to go to
    verdict = check_arith(model, ArithOptions(limit=f.count()))
    assert verdict.kind is VerdictKind.PASS and verdict.method.startswith("exhaustive")
    verdict = check_arith(model, ArithOptions(limit=f.count() - 1))
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.detail == (
        f"{f.count()} valid inputs: the SAT method does not cover poly, and the exhaustive"
        f" limit is {f.count() - 1} inputs"
    )


def _fnormalize_variant(old: str, new: str) -> str:
    return fnormalize_lookup_table(1, 1, 2, 1, 2).replace(old, new)


FNORMALIZE_DIFFERENTIAL = [
    ("correct", "", ""),
    ("attention all", "attention D", "attention all"),
    ("attention rounds", "attention D", "attention rounds 1, 2"),
    ("attention rounds ok", "attention D", "attention rounds 1+1k"),
    ("exponent sign assumed 0", "attention D", "attention D\nassume !X0"),
    ("fraction sign assumed 0", "attention D", "attention D\nassume !X1"),
    ("time too small", "time=1", "time=0"),
    ("larger time", "time=1", "time=3"),
]


@pytest.mark.parametrize(
    ("case", "old", "new"), FNORMALIZE_DIFFERENTIAL, ids=[c for c, _, _ in FNORMALIZE_DIFFERENTIAL]
)
def test_fnormalize_sat_agrees_with_exhaustive_on_variants(case: str, old: str, new: str) -> None:
    model = program(_fnormalize_variant(old, new))
    exhaustive = check_arith(model, EXHAUSTIVE_ONLY)
    sat = check_arith(model, SAT)
    assert sat.kind is exhaustive.kind, (case, sat.detail, exhaustive.detail)
    passing = ("correct", "attention rounds ok", "larger time")
    assert (sat.kind is VerdictKind.PASS) == (case in passing), sat.detail
    if sat.kind is VerdictKind.FAIL:
        for phrase in ("expected", "fixed point", "output round", "assumptions reject"):
            assert (phrase in sat.detail) == (phrase in exhaustive.detail), (case, phrase)
        for verdict in (sat, exhaustive):
            cex = verdict.counterexample
            assert isinstance(cex, RunCounterexample)
            assert cex.trace == reference.simulate(model, cex.input, len(cex.trace) - 1)
            x = RawSystem(1, 1, 2).decode(tuple(c == "1" for c in cex.input))
            assert verdict.detail.startswith(f"x = {RawSystem(1, 1, 2).format(x)}: ")


# Generated fnormalize programs (base, p, q, raw_p, raw_q); None: the defaults p + 1, q.
GENERATED = [(2, 2, 1, None, None), (3, 1, 1, None, None), (2, 1, 1, 3, 2), (3, 2, 1, 1, 1)]


def head_sites(model: BnlProgram) -> list[tuple[int, int]]:
    """The mutation sites in the bodies of non-input heads."""
    inputs = set(model.input_names)
    return [s for s in sites(model) if model.heads[s[0]].name not in inputs]


@pytest.mark.parametrize(("b", "p", "q", "raw_p", "raw_q"), GENERATED)
def test_generated_fnormalize_sat_agrees_with_exhaustive(
    b: int, p: int, q: int, raw_p: int | None, raw_q: int | None
) -> None:
    """The generated program and six single-literal mutants (fixed seed): both methods give
    the same verdict kind, and each FAIL's operand violates a claim by the reference
    simulator against ``FloatSystem.normalize`` (a different input per method is allowed)."""
    original = fnormalize_program(b, p, q, raw_p, raw_q)
    meta = read_arith_meta(original)
    raw, f = RawSystem(meta.raw_p, meta.raw_q, b), FloatSystem(p, q, b)
    candidates = head_sites(original)
    random.Random(2024).shuffle(candidates)
    models = [original, *(flip(original, site) for site in candidates[:6])]
    kinds = []
    for model in models:
        assert isinstance(model, BnlProgram)
        exhaustive = check_arith(model, EXHAUSTIVE_ONLY)
        sat = check_arith(model, SAT)
        assert sat.kind is exhaustive.kind, (sat.detail, exhaustive.detail)
        assert exhaustive.method.startswith("exhaustive") and sat.method.startswith("sat")
        kinds.append(exhaustive.kind)
        if exhaustive.kind is not VerdictKind.FAIL:
            continue
        for verdict in (exhaustive, sat):
            cex = verdict.counterexample
            assert isinstance(cex, RunCounterexample)
            row = tuple(c == "1" for c in cex.input)
            x = raw.decode(row)
            assert verdict.detail.startswith(f"x = {raw.format(x)}: ")
            assert verdict.extra["x"] == raw.format(x)
            assert claims_violated(model, row, meta.time, f.encode(f.normalize(x))), verdict.detail
    assert kinds[0] is VerdictKind.PASS
    assert VerdictKind.FAIL in kinds[1:]


def test_info_shows_one_operand_operations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fnormalize = tmp_path / "fnormalize.bnl"
    fnormalize.write_text(fnormalize_lookup_table(3, 1, 2, 1, 2))
    assert main(["info", str(fnormalize)]) == 0
    out = capsys.readouterr().out
    assert "arith: fnormalize on F*(3, 1, 2) -> F(2, 1, 2)\n" in out
    assert "computation time: 1 (claimed by the meta line" in out
    poly = tmp_path / "poly.bnl"
    poly.write_text(poly_lookup_table(2, 1, 2, SMOOTH))
    assert main(["info", str(poly)]) == 0
    out = capsys.readouterr().out
    assert (
        "arith: poly on F(2, 1, 2) -> F(2, 1, 2), pieces ..-1:0; -1..1:1/2*x^2+x+1/4; 1..:x\n"
        in out
    )
    assert main(["info", str(poly), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert (
        facts["arith"]
        == "poly on F(2, 1, 2) -> F(2, 1, 2), pieces ..-1:0; -1..1:1/2*x^2+x+1/4; 1..:x"
    )
    assert facts["computation_time"] == 1
    assert facts["inputs"] == [f"X{i}" for i in range(FloatSystem(2, 1, 2).width)]
    generated = tmp_path / "generated.bnl"
    text = dumps(fnormalize_program(2, 1, 1), ".bnl")
    assert isinstance(text, str)
    generated.write_text(text)
    assert main(["info", str(generated)]) == 0
    out = capsys.readouterr().out
    meta = read_arith_meta(fnormalize_program(2, 1, 1))
    assert "arith: fnormalize on F*(2, 1, 2) -> F(1, 1, 2)\n" in out
    assert f"computation time: {meta.time} (claimed" in out
    broken = tmp_path / "broken.bnl"
    broken.write_text(
        _with_meta(fnormalize_lookup_table(3, 1, 2, 1, 2), FNORMALIZE_META.replace(" raw_q=1", ""))
    )
    assert main(["info", str(broken)]) == 0
    assert "arith: malformed meta line: " in capsys.readouterr().out
