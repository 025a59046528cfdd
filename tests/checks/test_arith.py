"""``verify arith`` on lookup-table programs built here from the reference semantics alone,
independently of the generators: PASS on correct programs, FAIL with decoded operands on
corrupted ones (replayed), too small a time, bad meta lines, CLI; the SAT method gives the
same verdict as the exhaustive one on every case (differential)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier import reference
from verifier.arith.floats import FloatSystem
from verifier.arith.integers import OPERATIONS, IntSystem
from verifier.checks.arith import ArithOptions, check_arith, read_arith_meta
from verifier.checks.obligations import load_file, run_obligation
from verifier.checks.verdict import RunCounterexample, VerdictKind
from verifier.cli.main import main
from verifier.errors import InputError
from verifier.formats.registry import loads


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


def table_program(
    rows: list[tuple[tuple[bool, ...], tuple[bool, ...]]],
    width: int,
    b: int,
    blocks: list[int],
    meta: str | None,
    negate: int | None,
    assume: bool,
) -> str:
    """Inputs ``Xi :- Xi`` (two operands of ``width`` bits), each result bit ``Rj(0) :- 0``
    with the DNF over the rows where it is 1, and a done flag ``D`` (0 then 1) as attention,
    so the fixed point is at round 1. ``blocks``: the first bit of each one-hot digit block of
    one operand (assumed one-hot). ``negate``: the index of a result clause whose body is
    negated (a corrupted copy)."""
    xs = [f"X{i}" for i in range(2 * width)]
    n_result = len(rows[0][1])
    lines = [f"order {' '.join(xs)} {' '.join(f'R{j}' for j in range(n_result))} D"]
    lines.append(f"print {' '.join(f'R{j}' for j in range(n_result))}")
    lines.append("attention D")
    if meta is not None:
        lines.append(f"meta {meta}")
    if assume:
        for operand in range(2):
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
