"""The integer generators (Lemmas 3.2, 3.3): exhaustive comparison with the reference semantics
of verifier.arith.integers on every valid input pair, halting, the claimed time T, and a
corrupted program caught by the same comparison."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from verifier.arith.integers import IntSystem
from verifier.checks.dynamics import DynamicsOptions, check_halting, check_transient
from verifier.checks.verdict import VerdictKind
from verifier.cli.main import main
from verifier.formats.registry import dumps, load
from verifier.formula import And, Formula, Not, Or, Var
from verifier.generate.catalog import generate
from verifier.generate.integers import (
    TIME,
    add_program,
    compare_program,
    sub_program,
)
from verifier.ir.compile import compile_model
from verifier.ir.simulate import simulate
from verifier.models import AttentionBits, BnlProgram, Head
from verifier.reference import satisfies_assumptions
from verifier.reference import simulate as reference_simulate

PASS = VerdictKind.PASS
BUILDERS: dict[str, Callable[[int, int], BnlProgram]] = {
    "compare": compare_program,
    "add": add_program,
    "sub": sub_program,
}
SMALL = [(2, 1), (2, 2), (2, 3), (2, 5), (3, 1), (3, 2), (3, 3), (4, 2), (5, 2), (10, 1), (10, 2)]
CASES = [(op, b, n) for op in BUILDERS for b, n in SMALL]
DYNAMICS = [(op, b, n) for op in BUILDERS for b, n in [(2, 1), (2, 2), (3, 1), (3, 2)]]


def _pairs(system: IntSystem) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Every valid input pair (negative zero included) as rows, with the decoded values."""
    encodings = list(system.valid_encodings())
    rows, values = [], []
    for ex in encodings:
        for ey in encodings:
            rows.append((*ex, *ey))
            values.append((system.decode(ex), system.decode(ey)))
    return np.array(rows, dtype=bool), values


def _mismatches(program: BnlProgram, op: str, b: int, n: int) -> list[str]:
    """The input pairs on which the program's print string at round T (and T + 1) differs
    from the reference, or round T is not an output round."""
    system = IntSystem(n, b)
    inputs, values = _pairs(system)
    result = simulate(compile_model(program), inputs, TIME + 1)
    assert result.valid.all()
    bad = []
    for k, (x, y) in enumerate(values):
        expected = np.array(system.encode_result(op, x, y), dtype=bool)
        for t in (TIME, TIME + 1):
            if not (result.outputs[t, k] and (result.prints[t, k] == expected).all()):
                bad.append(f"x = {x}, y = {y}, round {t}")
    return bad


@pytest.mark.parametrize(("op", "b", "n"), CASES)
def test_every_valid_input_pair_gives_the_reference_result(op: str, b: int, n: int) -> None:
    assert _mismatches(BUILDERS[op](b, n), op, b, n) == []


@pytest.mark.parametrize(("op", "b", "n"), CASES)
def test_output_rounds_are_exactly_from_round_T(op: str, b: int, n: int) -> None:
    """Bit-parallel: configuration t is a fixed point iff t >= T iff round t is an output
    round, for every valid input."""
    program = BUILDERS[op](b, n)
    inputs, _ = _pairs(IntSystem(n, b))
    result = simulate(compile_model(program), inputs, TIME + 2)
    configs = result.configs
    for t in range(TIME + 2):
        fixed = (configs[t] == configs[t + 1]).all(axis=1)
        assert (fixed == (t >= TIME)).all()
        assert (result.outputs[t] == (t >= TIME)).all()


@pytest.mark.parametrize(("op", "b", "n"), DYNAMICS)
def test_halting_and_transient_time(op: str, b: int, n: int) -> None:
    program = BUILDERS[op](b, n)
    options = DynamicsOptions(engine="explicit" if 2 * (1 + n * b) <= 14 else "sat")
    halting = check_halting(program, options)
    assert halting.kind is PASS, halting.detail
    transient = check_transient(program, None, options)
    assert transient.kind is PASS and transient.extra["transient"] == TIME
    assert f"time={TIME}" in program.meta[0].split()


def test_reference_simulator_agrees_on_a_sample() -> None:
    program, system = add_program(3, 2), IntSystem(2, 3)
    for x, y in [(-8, 8), (5, -5), (8, 8), (-7, -4), (0, 0)]:
        bits = (*system.encode(x), *system.encode(y))
        trace = reference_simulate(program, bits, TIME)
        expected = "".join("1" if v else "0" for v in system.encode_result("add", x, y))
        assert trace[TIME].output and trace[TIME].print == expected
        assert not any(step.output for step in trace[:TIME])


def test_negative_zero_is_a_valid_input_and_invalid_digits_are_not() -> None:
    program = compare_program(3, 1)
    assert satisfies_assumptions(program, "1100" + "0100")  # -0 and 0
    assert not satisfies_assumptions(program, "0110" + "0100")  # two bits in a digit
    assert not satisfies_assumptions(program, "0000" + "0100")  # no bit


@pytest.mark.parametrize("op", list(BUILDERS))
def test_interface(op: str) -> None:
    b, n = 3, 2
    program = BUILDERS[op](b, n)
    digits = [f"{p}_{d}" for p in (1, 0) for d in range(b)]
    assert program.input_names == (
        "XS",
        *(f"X{s}" for s in digits),
        "YS",
        *(f"Y{s}" for s in digits),
    )
    if op == "compare":
        assert program.print_ == ("GT",)
    else:
        result = [f"Z{p}_{d}" for p in (2, 1, 0) for d in range(b)]
        assert program.print_ == ("ZS", *result)
    assert program.attention == AttentionBits(("F3",))
    assert len(program.assumptions) == 2 * n
    assert program.meta == (
        f"arith op={op} encoding=int base={b} digits={n} time={TIME} operands=x,y",
    )


def _flip_first_literal(formula: Formula) -> Formula:
    """The formula with its leftmost variable negated (un-negated if it is negated)."""
    if isinstance(formula, Var):
        return Not(formula)
    if isinstance(formula, Not) and isinstance(formula.arg, Var):
        return formula.arg
    if isinstance(formula, Not):
        return Not(_flip_first_literal(formula.arg))
    assert isinstance(formula, And | Or)
    return type(formula)(_flip_first_literal(formula.left), formula.right)


@pytest.mark.parametrize("op", list(BUILDERS))
@pytest.mark.parametrize("victim", [0, -1, "middle"])
def test_a_flipped_literal_in_a_result_clause_is_caught(op: str, victim: object) -> None:
    b, n = 3, 2
    program = BUILDERS[op](b, n)
    prints = list(program.print_)
    name = prints[len(prints) // 2] if victim == "middle" else prints[victim]  # type: ignore[index]
    heads = tuple(
        Head(h.name, _flip_first_literal(h.body), h.init) if h.name == name else h
        for h in program.heads
    )
    corrupted = dataclasses.replace(program, heads=heads)
    assert corrupted != program
    assert _mismatches(corrupted, op, b, n)


@pytest.mark.parametrize(("base", "digits"), [(1, 2), (2, 0), (True, 1)])
def test_bad_parameters(base: int, digits: int) -> None:
    with pytest.raises(ValueError, match="needs"):
        add_program(base, digits)


def test_catalog_specs() -> None:
    assert generate("int-add base=3 digits=2") == add_program(3, 2)
    assert generate("int-sub base=2 digits=1") == sub_program(2, 1)
    assert generate("int-compare base=10 digits=1") == compare_program(10, 1)


def test_cli_writes_a_loadable_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "add.bnl"
    assert main(["gen", "add", "--base", "3", "--digits", "2", "-o", str(out)]) == 0
    assert load(out) == add_program(3, 2)
    assert "BNL program" in capsys.readouterr().out
    assert main(["gen", "compare", "--base", "2", "--digits", "1"]) == 0
    assert "meta arith op=compare" in capsys.readouterr().out


ARITH = Path(__file__).resolve().parents[2] / "encodings" / "arith"
WRITTEN = [(op, b, n) for op in BUILDERS for b, n in [(2, 2), (3, 2), (10, 1)]]


@pytest.mark.parametrize("path", sorted(ARITH.glob("*.bnl")), ids=lambda p: p.name)
def test_encodings_regenerate_byte_identically(path: Path) -> None:
    op, base, digits = path.stem.split("_")
    spec = f"int-{op} base={base.removeprefix('b')} digits={digits.removeprefix('n')}"
    assert dumps(generate(spec), ".bnl") == path.read_text(encoding="utf-8")


MUL_WRITTEN = [(2, 2), (2, 4), (3, 2), (10, 1)]


def test_every_written_encoding_is_there() -> None:
    names = {p.name for p in ARITH.glob("*.bnl")}
    assert {f"{op}_b{b}_n{n}.bnl" for op, b, n in WRITTEN} <= names
    assert {f"mul_b{b}_n{n}.bnl" for b, n in MUL_WRITTEN} <= names
