"""`verify ops synth` and `verify ops cause` (issue 8, part 4): the cheapest programs of the
essay's tech tree, each found program checked again by exact evaluation on random rational
points (independently of the search), completeness ("none up to K"), CEGIS refinement, the
float64 exactness guard, library primitives, causality degrees and the command line."""

from __future__ import annotations

import argparse
import json
import random
from fractions import Fraction

import pytest

from verifier.checks.verdict import VerdictKind
from verifier.cli import ops_synth
from verifier.errors import InputError
from verifier.ops.semantics import EXACT, apply, evaluate
from verifier.ops.syntax import App, Expr, Library, Num, Sym, parse_expression, parse_library
from verifier.ops.synth import cause, sample_points, synthesize, usable_primitives

# The targets as plain programs (the essay's definitions, library names inlined).
NEG = "(λ x. (* -1 x))"
SUB = "(λ x y. (+ x (* -1 y)))"
SQUARE = "(λ x. (* x x))"
CUBE = "(λ x. (* (* x x) x))"
ABS = "(λ x. (+ (relu x) (relu (* -1 x))))"
MAX = "(λ x y. (* 1/2 (+ (+ x y) (+ (relu (+ x (* -1 y))) (relu (+ y (* -1 x)))))))"
X4 = "(λ x. (* (* (* x x) x) x))"

SMALL = (Fraction(-2), Fraction(-1), Fraction(0), Fraction(1), Fraction(2))
"""Small integer constants."""

LIBRARY = parse_library(
    """
    (define square (λ x. (* x x)))
    (define neg (λ x. (* -1 x)))
    (define max (λ x y. (+ x (relu (+ y (neg x))))))
    (define compose (λ f g x. (f (g x))))
    (define max2 (λ x y. (max y x)))
    (define fma (λ a b c. (+ (* a b) c)))
    """,
    "test.ops",
)


def value(program: Expr, point: list[Fraction], library: Library = LIBRARY) -> Fraction:
    result = apply(evaluate(program, library, {}, EXACT), point, library, EXACT)
    assert isinstance(result, Fraction)
    return result


def check_by_sampling(found: str, target: str, arity: int, library: Library = LIBRARY) -> None:
    """``found`` (parsed back from its text) equals ``target`` on 50 random rational points."""
    rng = random.Random(found)
    program = parse_expression(found, library)
    reference = parse_expression(target, library)
    for _ in range(50):
        point = [Fraction(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(arity)]
        assert value(program, point, library) == value(reference, point, library), point


@pytest.mark.parametrize(
    ("target", "arity", "most", "constants"),
    [
        (NEG, 1, 1, SMALL),
        (SUB, 2, 2, SMALL),
        (SQUARE, 1, 1, SMALL),
        (CUBE, 1, 2, SMALL),
        (ABS, 1, 3, SMALL),
        (MAX, 2, 4, SMALL),
    ],
    ids=["neg", "sub", "square", "cube", "abs", "max"],
)
def test_tech_tree_costs_at_most_the_known_ones(target, arity, most, constants) -> None:
    result = synthesize(parse_expression(target), max_cost=most, constants=constants)
    assert result.kind is VerdictKind.PASS, result.detail
    assert result.cost == most  # the essay's neg 1, - 2, square 1, cube 2; abs 3 < 4, max 4 < 13
    assert result.minimal and result.float_exact
    assert result.program is not None and result.program.startswith("(λ ")
    assert result.stats.proved == 1
    check_by_sampling(result.program, target, arity)


def test_default_constants_and_exact_programs() -> None:
    abs_ = synthesize(parse_expression(ABS), max_cost=4)
    assert (abs_.cost, abs_.program) == (3, "(λ x. (+ x (relu (* -2 x))))")
    max_ = synthesize(parse_expression(MAX), max_cost=4)
    assert max_.cost == 4
    check_by_sampling(max_.program or "", MAX, 2)


def test_none_up_to_k_then_found() -> None:
    # Trees: x^4 needs three products here (two with the essay's let).
    for k in (1, 2):
        result = synthesize(parse_expression(X4), max_cost=k, constants=SMALL)
        assert result.kind is VerdictKind.FAIL
        assert result.cost is None and result.program is None
        assert f"no program of cost <= {k} over this grammar" in result.detail
        assert "the search was complete for the grammar" in result.detail
        assert result.exit_code == 1 and result.complete and not result.minimal
    found = synthesize(parse_expression(X4), max_cost=3, constants=SMALL)
    assert found.kind is VerdictKind.PASS and found.cost == 3
    check_by_sampling(found.program or "", X4, 1)
    # With square as a primitive of cost 1 (its cost by the essay's rules), cost 2.
    square = {"square": 1}
    low = synthesize(parse_expression(X4), LIBRARY, 1, SMALL, primitives=square)
    assert low.kind is VerdictKind.FAIL
    two = synthesize(parse_expression(X4), LIBRARY, 2, SMALL, primitives=square)
    assert two.cost == 2 and "(square " in (two.program or "")
    check_by_sampling(two.program or "", X4, 1)


def test_cheaper_costs_are_searched_completely() -> None:
    # The minimality of abs 3 and max 4: nothing at cost 2 and 3.
    assert synthesize(parse_expression(ABS), max_cost=2).kind is VerdictKind.FAIL
    assert synthesize(parse_expression(MAX), max_cost=3).kind is VerdictKind.FAIL


def test_cost_5_over_two_variables_and_six_constants_is_exhaustive_in_a_minute() -> None:
    # The acceptance figure (bench/ops.py): |x| + |y| has no program of cost <= 5 (its
    # cheapest costs 7), so every cost up to 5 is searched.
    l1 = "(λ x y. (+ (+ (relu x) (relu (* -1 x))) (+ (relu y) (relu (* -1 y)))))"
    result = synthesize(parse_expression(l1), max_cost=5)
    assert result.kind is VerdictKind.FAIL and result.float_exact
    assert result.stats.enumerated > 100_000
    assert result.stats.seconds < 60


def test_counterexample_guided_refinement() -> None:
    # x + relu(x (1/2 - x)) equals x on every initial sample (the bump lies between 0 and 1/2):
    # the candidate x matches, z3 refutes it, and the refuting point joins the samples.
    target = "(λ x. (+ x (relu (* x (+ 1/2 (* -1 x))))))"
    assert all(value(parse_expression(target), list(p)) == p[0] for p in sample_points(1))
    result = synthesize(parse_expression(target), max_cost=5)
    assert result.kind is VerdictKind.PASS and result.cost == 5
    assert result.stats.refuted >= 1 and result.stats.rounds >= 2
    assert len(result.samples) > len(sample_points(1))
    new = result.samples[len(sample_points(1)) :]
    assert all(
        0 < p[0] < Fraction(1, 2) and p[0].denominator & (p[0].denominator - 1) == 0 for p in new
    )  # dyadic, inside the bump
    check_by_sampling(result.program or "", target, 1)


def test_random_terms_are_found_at_most_at_their_cost() -> None:
    """Soundness of the pruning: a random term of cost c is matched by a program of cost <= c."""
    rng = random.Random(8)
    constants = (Fraction(-1), Fraction(1, 2), Fraction(2))

    def term(cost: int, names: tuple[str, ...]) -> Expr:
        if cost == 0:
            if rng.random() < 0.6:
                return Sym(rng.choice(names))
            return Num(rng.choice(constants))
        if rng.random() < 0.3:
            return App(Sym("relu"), (term(cost - 1, names),))
        left = rng.randint(0, cost - 1)
        return App(Sym(rng.choice("+*")), (term(left, names), term(cost - 1 - left, names)))

    for k in range(16):
        names = ("x", "y") if k % 2 else ("x",)
        cost = 1 + k % 4
        body = term(cost, names)
        text = f"(λ {' '.join(names)}. {ops_show(body)})"
        result = synthesize(parse_expression(text), max_cost=cost, constants=constants)
        assert result.kind is VerdictKind.PASS, text
        assert result.cost is not None and result.cost <= cost, text
        check_by_sampling(result.program or "", text, len(names))


def ops_show(expr: Expr) -> str:
    from verifier.ops.syntax import show

    return show(expr)


def test_cause() -> None:
    abs_, max_ = parse_expression(ABS), parse_expression(MAX)
    # max available at cost 1 makes abs cheaper than alone (2 < 3): (F x (* -1 x)).
    with_max = cause(parse_expression("(λ x y. (+ x (relu (+ y (* -1 x)))))"), abs_, max_cost=3)
    assert with_max.kind is VerdictKind.PASS and with_max.cost == 2
    assert with_max.program == "(λ x. (F x (* -1 x)))"
    assert "(F T T)" in with_max.grammar and "F costs 1" in with_max.grammar
    # abs does not help max: the degree is max's own cost, 4.
    with_abs = cause(abs_, max_, max_cost=4)
    assert with_abs.cost == 4
    # By library name, with the name in the program; a dearer F no longer helps.
    named = cause(Sym("max"), abs_, LIBRARY, max_cost=3)
    assert named.program == "(λ x. (max x (* -1 x)))"
    check_by_sampling(named.program or "", ABS, 1)
    dear = cause(Sym("max"), abs_, LIBRARY, cost_of_f=2, max_cost=3)
    assert dear.cost == 3 and "max" not in (dear.program or "")
    square = cause(Sym("square"), parse_expression(X4), LIBRARY, max_cost=3)
    assert square.cost == 2
    with pytest.raises(InputError, match="at least 1"):
        cause(Sym("max"), abs_, LIBRARY, cost_of_f=0)


def test_library_primitives_of_any_arity() -> None:
    result = synthesize(
        parse_expression("(λ x y. (+ (* x y) 1))"), LIBRARY, 2, primitives={"fma": 1}
    )
    assert (result.cost, result.program) == (1, "(λ x y. (fma x y 1))")
    usable, skipped = usable_primitives(LIBRARY, Sym("max"))
    assert usable == ["square", "neg", "fma"]
    assert skipped["max"] == skipped["max2"] == "it is the target or uses it"
    assert "not a function of numbers to a number" in skipped["compose"]
    with pytest.raises(InputError, match="compose cannot be a primitive"):
        synthesize(Sym("max"), LIBRARY, primitives={"compose": 1})


def test_library_constants() -> None:
    library = parse_library("(define h 1/2) (define k (* 2 3))")
    target = parse_expression("(λ x. (* 1/2 x))")
    ones = (Fraction(1),)
    assert synthesize(target, library, 3, ones).kind is VerdictKind.FAIL  # 1/2 from 1: no
    half = synthesize(target, library, 3, ones, primitives={"h": 0})
    assert (half.cost, half.program) == (1, "(λ x. (* x h))")
    six = synthesize(parse_expression("(λ x. (+ x 6))"), library, 3, ones, primitives={"k": 1})
    assert (six.cost, six.program) == (2, "(λ x. (+ x k))")
    assert "| h;" in half.grammar and "h costs 0" in half.grammar


def test_float_exactness_guard() -> None:
    # 1/3 is not a float64: the filter's exactness cannot be shown, so no FAIL and no
    # minimality claim, but a proved program is still a PASS.
    thirds = (Fraction(1, 3), Fraction(-1))
    none = synthesize(parse_expression("(λ x. (* 7 x))"), max_cost=3, constants=thirds)
    assert none.kind is VerdictKind.UNKNOWN and not none.float_exact
    assert "the constant 1/3 is not a float64" in none.detail
    found = synthesize(parse_expression("(λ x. (* 1/3 x))"), max_cost=2, constants=thirds)
    assert found.kind is VerdictKind.PASS and not found.minimal
    assert "1/3 is not a float64" in found.not_minimal_because


def test_undecided_proofs_give_unknown(monkeypatch) -> None:
    from verifier.ops import synth

    monkeypatch.setattr(synth._Search, "prove", lambda self, program: ("unknown: timeout", None))
    result = synthesize(parse_expression(ABS), max_cost=3)
    assert result.kind is VerdictKind.UNKNOWN and result.exit_code == 3
    assert "z3 could not decide the candidate (λ x. (+ x (relu (* -2 x)))) of cost 3" in (
        result.detail
    )
    assert result.stats.unknown == 1 and result.program is None


def test_degenerate_targets_and_errors() -> None:
    projection = synthesize(parse_expression("(λ x y. (+ y (* 0 x)))"), max_cost=2)
    assert (projection.cost, projection.program) == (0, "(λ x y. y)")
    number = synthesize(parse_expression("(+ 2 (* 2 2))"), max_cost=2)
    assert number.cost == 2 and number.program is not None
    assert value(parse_expression(number.program), []) == 6
    with pytest.raises(InputError, match="function of numbers to a number"):
        synthesize(parse_expression("(λ x. (λ y. x))"), max_cost=1)
    with pytest.raises(InputError, match="at least 1"):
        synthesize(parse_expression(NEG), LIBRARY, primitives={"neg": 0})


# --- command line --------------------------------------------------------------------------------


@pytest.fixture
def cli():
    parser = argparse.ArgumentParser(prog="verify ops")
    commands = parser.add_subparsers(dest="command", required=True)
    synth = commands.add_parser("synth")
    ops_synth.add_synth_arguments(synth)
    synth.set_defaults(run=ops_synth.run_synth)
    cause_ = commands.add_parser("cause")
    ops_synth.add_cause_arguments(cause_)
    cause_.set_defaults(run=ops_synth.run_cause)

    def run(*argv: str) -> int:
        args = parser.parse_args(argv)
        return int(args.run(args))

    return run


def test_cli_json(cli, capsys) -> None:
    assert cli("synth", ABS, "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:3] == ["verdict", "cost", "program"]
    assert out["verdict"] == "PASS" and out["cost"] == 3
    assert out["program"] == "(λ x. (+ x (relu (* -2 x))))"
    assert out["stats"]["proved"] == 1 and "grammar" in out
    assert cli("synth", X4, "--max-cost", "2", "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verdict"], out["cost"], out["program"]) == ("FAIL", None, None)


def test_cli_text_constants_and_exit_codes(cli, capsys, tmp_path) -> None:
    assert cli("synth", SUB, "--constants", "-1,0,1") == 0
    out = capsys.readouterr().out
    assert out.startswith("PASS")
    assert "cost 2: (λ x y. (+ x (* -1 y)))" in out and "c in {-1, 0, 1}" in out
    assert cli("synth", SUB, "--constants=-1", "--max-cost", "1") == 1
    assert "the search was complete for the grammar" in capsys.readouterr().out
    assert cli("synth", "(λ x. (* 5 x))", "--constants", "1/3", "--max-cost", "1") == 3
    assert "UNKNOWN" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli("synth", SUB, "--constants", "1,a")
    assert "expected numbers separated by commas" in capsys.readouterr().err
    with pytest.raises(InputError, match="not defined"):
        cli("synth", "abs")
    with pytest.raises(InputError, match="never closed"):
        cli("synth", "(λ x. (+ x")
    library = tmp_path / "lib.ops"
    library.write_text(
        "(define neg (λ x. (* -1 x)))\n(define abs (λ x. (+ (relu x) (relu (neg x)))))\n"
        "(define compose (λ f g x. (f (g x))))\n"
    )
    assert cli("synth", "abs", "--library", str(library), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cost"] == 3 and "(neg T)" in out["grammar"] and "neg costs 1" in out["grammar"]
    assert out["not_primitives"]["abs"] == "it is the target or uses it"
    assert cli("synth", "abs", "--library", str(library), "--primitives", "none") == 0
    assert "(neg T)" not in capsys.readouterr().out
    with pytest.raises(InputError, match="compose cannot be a primitive"):
        cli("synth", "abs", "--library", str(library), "--primitives", "compose")
    with pytest.raises(InputError, match="not a definition"):
        cli("synth", "abs", "--library", str(library), "--primitives", "nosuch")


def test_cli_cause(cli, capsys) -> None:
    assert cli("cause", "(λ x y. (+ x (relu (+ y (* -1 x)))))", ABS, "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:3] == ["verdict", "cost", "program"]
    assert (out["cost"], out["program"], out["cost_of_f"]) == (2, "(λ x. (F x (* -1 x)))", 1)
    assert cli("cause", ABS, MAX, "--cost-of-f", "2", "--max-cost", "3") == 1
    assert "no program of cost <= 3" in capsys.readouterr().out
