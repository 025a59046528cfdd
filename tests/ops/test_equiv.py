"""``verify ops equiv`` (verifier/ops/equiv.py): equivalence over the reals by z3 with every
counterexample replayed exactly, approximate equivalence (Newton's inverse against 1/x),
exhaustive equivalence over F(p, q, b) cross-checked by brute force, the CLI."""

from __future__ import annotations

import argparse
import functools
import itertools
import json
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import pytest
import z3
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, scaled
from tests.strategies import ops_unary_programs
from verifier.arith.floats import FloatSystem
from verifier.checks.verdict import VerdictKind
from verifier.cli import main as cli_main
from verifier.cli import ops_equiv
from verifier.errors import InputError
from verifier.ops.equiv import (
    REFERENCES,
    Z3_METHOD,
    ValuesCounterexample,
    _rational_near,
    check_equiv,
)
from verifier.ops.syntax import App, Expr, Lam, Library, Num, Sym, parse_expression, parse_library

F = Fraction
PASS, FAIL, UNKNOWN = VerdictKind.PASS, VerdictKind.FAIL, VerdictKind.UNKNOWN

NEWTON = """\
; Newton's method for 1/a: x_{k+1} = x_k (2 - a x_k), from the guess x_0 = 1
(define inv-step (λ a x. (* x (+ 2 (* -1 (* a x))))))
(define inv3 (λ a. (inv-step a (inv-step a (inv-step a 1)))))
(define sq (λ x. (* x x)))
"""
LIB = parse_library(NEWTON, "newton.ops")

ABS = [
    "(λ x. (+ (relu x) (relu (* -1 x))))",
    "(λ x. (+ (* 2 (relu x)) (* -1 x)))",
    "(λ x. (+ x (* 2 (relu (* -1 x)))))",
]
MAX = "(λ x y. (+ y (relu (+ x (* -1 y)))))"
MAX_SYMMETRIC = "(λ x y. (* 1/2 (+ x y (+ (relu (+ x (* -1 y))) (relu (+ y (* -1 x)))))))"
# AM-GM for six variables (degree 6): true, but beyond z3 in a minute
AMGM6 = (
    "(λ a b c d e f. (relu (+ (* a b c d e f) (* -1/6 (+ (* (sq a) (sq a) (sq a))"
    " (* (sq b) (sq b) (sq b)) (* (sq c) (sq c) (sq c)) (* (sq d) (sq d) (sq d))"
    " (* (sq e) (sq e) (sq e)) (* (sq f) (sq f) (sq f)))))))"
)
ZERO6 = "(λ a b c d e f. 0)"


def prog(text: str, library: Library = LIB) -> Expr:
    return parse_expression(text, library)


def equiv(p: str, q: str, **options):
    q_program = REFERENCES[q] if q in REFERENCES else prog(q)
    return check_equiv(prog(p), q_program, LIB, **options)


def exact(text: str, *args: Fraction) -> Fraction:
    """An independent evaluator for +, *, relu, numbers and the parameters of a λ."""
    lam = prog(text)
    assert isinstance(lam, Lam)
    return _eval(lam.body, dict(zip(lam.params, args, strict=True)))


def _eval(expr: Expr, env: dict[str, Fraction]) -> Fraction:
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Sym):
        return env[expr.name]
    assert isinstance(expr, App) and isinstance(expr.fn, Sym)
    values = [_eval(arg, env) for arg in expr.args]
    if expr.fn.name == "relu":
        return max(values[0], Fraction(0))
    result = values[0]
    for value in values[1:]:
        result = result + value if expr.fn.name == "+" else result * value
    return result


def newton(a: Fraction, k: int) -> Fraction:
    x = Fraction(1)
    for _ in range(k):
        x = x * (2 - a * x)
    return x


def counterexample(verdict) -> ValuesCounterexample:
    assert verdict.kind is FAIL
    cex = verdict.counterexample
    assert isinstance(cex, ValuesCounterexample)
    return cex


# --- over the reals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "q"), list(itertools.combinations(ABS, 2)))
def test_abs_identities_are_proved(p: str, q: str) -> None:
    verdict = equiv(p, q)
    assert verdict.kind is PASS and verdict.method == Z3_METHOD
    assert verdict.detail == f"proved by {Z3_METHOD}: P(x) = Q(x) for all real x"


def test_wrong_abs_fails_with_a_replayed_negative_input() -> None:
    wrong = "(λ x. (+ x (* -2 (relu (* -1 x)))))"  # 3x for x < 0
    cex = counterexample(equiv(ABS[0], wrong))
    ((name, x),) = cex.point
    assert name == "x" and x < 0
    assert cex.p_value == exact(ABS[0], x) == abs(x)
    assert cex.q_value == exact(wrong, x) == 3 * x


def test_relu_difference_is_the_identity() -> None:
    assert equiv("(λ x. (+ (relu x) (* -1 (relu (* -1 x)))))", "(λ x. x)").kind is PASS
    cex = counterexample(equiv("(λ x. (+ (relu x) (relu (* -1 x))))", "(λ x. x)"))
    assert cex.point[0][1] < 0 and cex.p_value == -cex.q_value


def test_max_via_relu_in_two_ways() -> None:
    verdict = equiv(MAX, MAX_SYMMETRIC)
    assert verdict.kind is PASS
    assert verdict.detail.endswith("P(x, y) = Q(x, y) for all real x, y")
    wrong = "(λ x y. (+ x (relu (+ x (* -1 y)))))"
    cex = counterexample(equiv(MAX, wrong))
    x, y = (value for _, value in cex.point)
    assert cex.p_value == max(x, y) == exact(MAX, x, y)
    assert cex.q_value == exact(wrong, x, y) != max(x, y)
    assert cex.input == f"x = {x}, y = {y}"


def test_intervals() -> None:
    assert equiv("(λ x. (relu x))", "(λ x. x)", interval=(F(0), F(5))).kind is PASS
    verdict = equiv("(λ x. (relu x))", "(λ x. x)", interval=(F(-1), F(5)))
    cex = counterexample(verdict)
    assert -1 <= cex.point[0][1] < 0
    assert "for all real x in [-1, 5]" in verdict.detail
    # a point interval
    assert equiv("(λ x y. (* x y))", "(λ x y. 1)", interval=(F(1), F(1))).kind is PASS


def test_tolerance() -> None:
    on = {"interval": (F(-1), F(1))}
    assert equiv("(λ x. (relu x))", "(λ x. x)", tolerance=F(1), **on).kind is PASS
    cex = counterexample(equiv("(λ x. (relu x))", "(λ x. x)", tolerance=F(1, 2), **on))
    assert abs(cex.p_value - cex.q_value) > F(1, 2)
    # tolerance 0 is equality
    assert equiv(MAX, MAX_SYMMETRIC, tolerance=F(0)).kind is PASS


def test_partial_applications_and_curried_programs() -> None:
    library = parse_library(
        "(define neg (λ x. (* -1 x)))\n(define compose (λ f g x. (f (g x))))\n"
        "(define neg2 (compose neg neg))"
    )
    for p in ("(compose neg neg)", "neg2"):
        verdict = check_equiv(prog(p, library), prog("(λ y. y)", library), library)
        # the input is named after the closure's parameter, compose's x
        assert verdict.kind is PASS and verdict.extra["parameters"] == ["x"]
    # (λ x. (λ x. ...)) takes two inputs, named apart
    curried = prog("(λ x. (λ x. (+ x x)))")
    verdict = check_equiv(curried, prog("(λ a b. (* 2 b))"), LIB)
    assert verdict.kind is PASS and verdict.extra["parameters"] == ["x", "x_2"]
    cex = counterexample(check_equiv(curried, prog("(λ a b. (* 2 a))"), LIB))
    x, x2 = (value for _, value in cex.point)
    assert cex.p_value == 2 * x2 and cex.q_value == 2 * x != 2 * x2


def test_constants_have_arity_zero() -> None:
    verdict = equiv("(+ 1 1)", "2")
    assert verdict.kind is PASS and verdict.detail.endswith(": P = Q")
    cex = counterexample(equiv("(* 1/2 1/2)", "1/2"))
    assert cex.point == () and (cex.p_value, cex.q_value) == (F(1, 4), F(1, 2))


# --- Newton's inverse (the acceptance) ----------------------------------------------------


def test_newton_is_refuted_against_the_inverse() -> None:
    verdict = equiv("inv3", "inverse")
    cex = counterexample(verdict)
    ((name, a),) = cex.point
    assert name == "a" and a != 0
    assert cex.p_value == newton(a, 3) and cex.q_value == 1 / a != newton(a, 3)
    assert "replayed by exact rational evaluation" in verdict.detail
    assert verdict.to_json()["approximate"] is False


def test_newton_error_bound_is_proved_and_tight() -> None:
    # inv3(a) - 1/a = -(1 - a)^8 / a, largest on [3/4, 5/4] at a = 3/4: (1/4)^8 / (3/4)
    bound = F(1, 4) ** 8 / F(3, 4)
    assert bound == F(1, 49152)
    assert abs(newton(F(3, 4), 3) - F(4, 3)) == bound
    on = {"interval": (F(3, 4), F(5, 4))}
    verdict = equiv("inv3", "inverse", tolerance=bound, **on)
    assert verdict.kind is PASS
    assert verdict.detail == (
        f"proved by {Z3_METHOD}: |P(a) - Q(a)| <= 1/49152 for all real a in [3/4, 5/4]"
    )
    cex = counterexample(equiv("inv3", "inverse", tolerance=F(1, 49153), **on))
    a = cex.point[0][1]
    assert F(3, 4) <= a <= F(5, 4)
    assert abs(newton(a, 3) - 1 / a) > F(1, 49153)
    assert (cex.p_value, cex.q_value) == (newton(a, 3), 1 / a)
    # the essay-style claim on [1/2, 3/2]: (1/2)^8 / (1/2) = 1/128 <= 1/100
    assert equiv("inv3", "inverse", tolerance=F(1, 100), interval=(F(1, 2), F(3, 2))).kind is PASS


def test_the_tech_trees_five_newton_steps(capsys) -> None:
    tree = str(REPO / "encodings" / "ops" / "tech_tree.ops")
    code, out, _ = run_cli(["inv", "inverse", "--library", tree, "--json"], capsys)
    data = json.loads(out)["counterexample"]
    a = Fraction(data["inputs"]["a"])
    assert code == 1 and Fraction(data["P"]) == newton(a, 5) != Fraction(data["Q"]) == 1 / a
    # (1 - a)^32 / a is at most (1/2)^32 / (1/2) = 2^-31 on [1/2, 3/2], reached at a = 1/2
    bound = ["--interval", "1/2,3/2", "--tolerance"]
    assert run_cli(["inv", "inverse", "--library", tree, *bound, "1/2147483648"], capsys)[0] == 0
    assert run_cli(["inv", "inverse", "--library", tree, *bound, "1/2147483649"], capsys)[0] == 1
    assert run_cli(["max", MAX, "--library", tree], capsys)[0] == 0


def test_references_need_a_nonzero_divisor() -> None:
    with pytest.raises(InputError, match=r"contains 0, where inverse \(1/x\) is undefined"):
        equiv("inv3", "inverse", interval=(F(-1), F(1)))
    # without an interval the inputs are those where the reference is defined
    assert equiv("(λ x y. (* x (inv3 y)))", "divide", interval=(F(1), F(1))).kind is PASS
    cex = counterexample(equiv("(λ x y. x)", "divide"))
    x, y = (value for _, value in cex.point)
    assert y != 0 and x != x / y


# --- bad input and UNKNOWN ------------------------------------------------------------------------


def test_input_errors() -> None:
    with pytest.raises(InputError, match=r"P takes 1 argument.* Q takes 2"):
        equiv("(λ x. x)", "(λ x y. x)")
    with pytest.raises(InputError, match="empty interval"):
        equiv("(λ x. x)", "(λ x. x)", interval=(F(1), F(0)))
    with pytest.raises(InputError, match="tolerance must be >= 0"):
        equiv("(λ x. x)", "(λ x. x)", tolerance=F(-1))
    with pytest.raises(InputError, match="first-order programs"):
        equiv("(λ f x. (f x))", "(λ f x. x)")
    with pytest.raises(InputError, match=r"P takes 2 argument.* Q takes 1"):
        equiv("(λ x. (λ y. x))", "(λ x. x)")  # curried: two inputs
    with pytest.raises(InputError, match="unknown domain"):
        equiv("(λ x. x)", "(λ x. x)", domain="complex")


def test_timeout_gives_unknown() -> None:
    verdict = equiv(AMGM6, ZERO6, timeout=0.3)
    assert verdict.kind is UNKNOWN and verdict.counterexample is None
    assert "z3 could not decide" in verdict.detail and "nothing is claimed" in verdict.detail


def test_an_algebraic_model_is_replaced_by_a_rational_input_near_it() -> None:
    solver = z3.Solver()
    x = z3.Real("x")
    solver.add(x * x == 2, x > 0)
    assert solver.check() == z3.sat
    value = solver.model()[x]
    assert z3.is_algebraic_value(value)
    near = _rational_near(value, 20, None)
    assert abs(near * near - 2) < F(1, 10**19)
    assert _rational_near(value, 20, (F(0), F(1))) == 1  # clamped into the interval


# --- over F(p, q, b) ------------------------------------------------------------------------------

F312 = FloatSystem(3, 1, 2)
F2110 = FloatSystem(2, 1, 10)
# the brute force's operations: F(3, 1, 2)'s own, memoized
ADD312 = functools.cache(F312.add)
MUL312 = functools.cache(F312.mul)


def brute_force(
    f: FloatSystem,
    arity: int,
    p: Callable[..., Fraction],
    q: Callable[..., Fraction],
    interval: tuple[Fraction, Fraction] | None = None,
) -> tuple[int, tuple[Fraction, ...] | None]:
    """(number of inputs, first differing input) with the operations of f written out."""
    numbers = [v for v in f.values() if interval is None or interval[0] <= v <= interval[1]]
    for count, point in enumerate(itertools.product(numbers, repeat=arity), 1):
        if p(*point) != q(*point):
            return count, point
    return len(numbers) ** arity, None


def test_associativity_holds_over_the_reals_and_fails_in_f312() -> None:
    p, q = "(λ x y z. (+ (+ x y) z))", "(λ x y z. (+ x (+ y z)))"
    assert equiv(p, q).kind is PASS
    verdict = equiv(p, q, domain=F312)
    cex = counterexample(verdict)
    point = tuple(value for _, value in cex.point)
    assert point == (F(-7, 4), F(-7, 4), F(1, 4))
    assert (cex.p_value, cex.q_value) == (F(-3, 2), F(-7, 4))
    add = F312.add
    count, first = brute_force(
        F312, 3, lambda x, y, z: add(add(x, y), z), lambda x, y, z: add(x, add(y, z))
    )
    assert first == point and verdict.extra["inputs_checked"] == count
    assert "x = -0.111e+1 (-7/4), y = -0.111e+1 (-7/4), z = 0.100e-1 (1/4)" in verdict.detail
    assert "P gives -0.110e+1 (-3/2), Q gives -0.111e+1 (-7/4)" in verdict.detail
    # without overflow: on [0, 1] the rounding alone breaks it
    cex = counterexample(equiv(p, q, domain=F312, interval=(F(0), F(1))))
    assert [v for _, v in cex.point] == [F(1, 4), F(1, 4), F(7, 8)]
    assert (cex.p_value, cex.q_value) == (F(3, 2), F(5, 4))


def test_three_times_x_in_f2110() -> None:
    p, q = "(λ x. (+ (+ x x) x))", "(λ x. (* 3 x))"
    assert equiv(p, q).kind is PASS
    on = {"domain": F2110, "interval": (F(-1), F(1))}
    cex = counterexample(equiv(p, q, **on))
    assert cex.point == (("x", F(-49, 50)),)
    assert (cex.p_value, cex.q_value) == (F(-3), F(-29, 10))
    assert cex.to_json()["P_float"] == "-0.30e+1" and cex.to_json()["Q_float"] == "-0.29e+1"
    # the largest difference on [-1, 1], by brute force, is what the tolerance mode finds
    add, mul = F2110.add, F2110.mul
    numbers = [v for v in F2110.values() if -1 <= v <= 1]
    worst = max(abs(add(add(x, x), x) - mul(3, x)) for x in numbers)
    assert worst == F(1, 10)
    assert equiv(p, q, tolerance=worst, **on).kind is PASS
    assert equiv(p, q, tolerance=worst / 2, **on).kind is FAIL


@pytest.mark.parametrize(
    ("p", "q", "brute_p", "brute_q"),
    [
        (
            "(λ x y z. (+ (+ x y) z))",
            "(λ x y z. (+ (+ y x) z))",
            lambda x, y, z: ADD312(ADD312(x, y), z),
            lambda x, y, z: ADD312(ADD312(y, x), z),
        ),
        (
            "(λ x y z. (* (* x y) z))",
            "(λ x y z. (* x (* y z)))",
            lambda x, y, z: MUL312(MUL312(x, y), z),
            lambda x, y, z: MUL312(x, MUL312(y, z)),
        ),
        (
            "(λ x y z. (* x (+ y z)))",
            "(λ x y z. (+ (* x y) (* x z)))",
            lambda x, y, z: MUL312(x, ADD312(y, z)),
            lambda x, y, z: ADD312(MUL312(x, y), MUL312(x, z)),
        ),
        (
            "(λ x y z. (relu (+ x (* -1 y))))",
            "(λ x y z. (+ (relu x) (* -1 (relu y))))",
            lambda x, y, z: max(ADD312(x, MUL312(-1, y)), F(0)),
            lambda x, y, z: ADD312(max(x, F(0)), MUL312(-1, max(y, F(0)))),
        ),
    ],
)
def test_exhaustive_agrees_with_brute_force(p, q, brute_p, brute_q) -> None:
    verdict = equiv(p, q, domain=F312)
    count, first = brute_force(F312, 3, brute_p, brute_q)
    assert verdict.extra["inputs_checked"] == count
    if first is None:
        assert verdict.kind is PASS and count == 25**3
        assert verdict.detail.startswith(f"all {count} inputs of F(3, 1, 2): P(x, y, z) = Q")
    else:
        cex = counterexample(verdict)
        assert tuple(v for _, v in cex.point) == first
        assert (cex.p_value, cex.q_value) == (brute_p(*first), brute_q(*first))


def test_float_references_and_limits() -> None:
    f212 = FloatSystem(2, 1, 2)
    # 1/x rounded; 0 is left out; |round(1/x)| <= largest = 3/2
    verdict = equiv("(λ x. 0)", "inverse", domain=f212, tolerance=F(3, 2))
    assert verdict.kind is PASS and "(1 with a zero divisor excluded)" in verdict.detail
    cex = counterexample(equiv("(λ x. x)", "inverse", domain=f212))
    x = cex.point[0][1]
    assert cex.q_value == f212.round(1 / x) != x
    with pytest.raises(InputError, match="above the limit of 1000: use a smaller system"):
        equiv("(λ x y z. x)", "(λ x y z. x)", domain=F312, limit=1000)
    with pytest.raises(InputError, match="no number of F"):
        equiv("(λ x. x)", "(λ x. x)", domain=F312, interval=(F(2), F(3)))
    with pytest.raises(InputError, match="the constant 2 is not a number of F"):
        equiv("(λ x. (* 2 x))", "(λ x. (+ x x))", domain=F312)
    assert equiv("1/2", "(* 1/2 1)", domain=F312).detail.startswith("all 1 inputs")


# --- differential: z3 against exact evaluation ----------------------------------------------------


def _rewrite(expr: Expr) -> Expr:
    """An equal program: + and * commuted, relu(e) as e + relu(-e)."""
    if not isinstance(expr, App):
        return expr
    args = tuple(_rewrite(arg) for arg in expr.args)
    assert isinstance(expr.fn, Sym)
    if expr.fn.name == "relu":
        (e,) = args
        negated = App(Sym("*"), (Num(F(-1)), e))
        return App(Sym("+"), (e, App(Sym("relu"), (negated,))))
    return App(expr.fn, args[::-1])


POINTS = st.lists(
    st.fractions(min_value=-20, max_value=20, max_denominator=16), min_size=20, max_size=20
)


@settings(max_examples=scaled(30))
@given(ops_unary_programs(), ops_unary_programs(), st.booleans(), POINTS)
def test_z3_verdicts_agree_with_exact_evaluation(
    p: Lam, other: Lam, rewritten: bool, points: Sequence[Fraction]
) -> None:
    q = Lam(("x",), _rewrite(p.body)) if rewritten else other
    verdict = check_equiv(p, q, Library(), timeout=5)
    if rewritten:
        assert verdict.kind is not FAIL
    event(f"{'rewritten' if rewritten else 'independent'}: {verdict.kind.value}")
    if verdict.kind is PASS:
        for x in points:
            assert _eval(p.body, {"x": x}) == _eval(q.body, {"x": x})
    elif verdict.kind is FAIL:
        cex = counterexample(verdict)
        ((_, x),) = cex.point
        assert _eval(p.body, {"x": x}) == cex.p_value != cex.q_value == _eval(q.body, {"x": x})


# --- the command line ---------------------------------------------------------------------------


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """``verify ops equiv ARGV`` through the real entry point once ``ops`` is registered,
    else through this module's parser with the entry point's error handling."""
    if "ops" in cli_main.COMMANDS:
        code = cli_main.main(["ops", "equiv", *argv])
    else:
        parser = argparse.ArgumentParser(prog="verify ops equiv")
        ops_equiv.add_arguments(parser)
        args = parser.parse_args(argv)
        try:
            code = ops_equiv.run(args)
        except InputError as err:
            print(err, file=__import__("sys").stderr)
            code = 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def newton_file(tmp_path: Path) -> str:
    path = tmp_path / "newton.ops"
    path.write_text(NEWTON, encoding="utf-8")
    return str(path)


def test_cli_exit_codes_and_text(capsys, newton_file: str) -> None:
    code, out, _ = run_cli([ABS[0], ABS[1]], capsys)
    assert code == 0
    assert out.splitlines()[:2] == [
        f"PASS  ({Z3_METHOD})",
        f"proved by {Z3_METHOD}: P(x) = Q(x) for all real x",
    ]
    code, out, _ = run_cli(["inv3", "inverse", "--library", newton_file], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"FAIL  ({Z3_METHOD})"
    assert "Q: the reference inverse = (λ x. 1/x)" in lines
    assert any(line.startswith("input: a = ") for line in lines)
    tolerance = ["--interval", "3/4,5/4", "--tolerance", "1/49152"]
    code, out, _ = run_cli(
        ["inv3", "inverse", "--library", newton_file, *tolerance],
        capsys,
    )
    assert code == 0 and "|P(a) - Q(a)| <= 1/49152 for all real a in [3/4, 5/4]" in out
    code, out, _ = run_cli(
        ["(λ x y z. (+ (+ x y) z))", "(λ x y z. (+ x (+ y z)))", "--domain", "float:3,1,2"],
        capsys,
    )
    assert code == 1 and "exhaustive over F(3, 1, 2)" in out
    assert "P = -0.110e+1 (-3/2)" in out.splitlines()


def test_cli_json(capsys) -> None:
    code, out, _ = run_cli([MAX, MAX_SYMMETRIC, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "PASS" and data["parameters"] == ["x", "y"]
    float_options = ["--domain", "float:2,1,10", "--interval=-1,1", "--json"]
    code, out, _ = run_cli(
        ["(λ x. (+ (+ x x) x))", "(λ x. (* 3 x))", *float_options],
        capsys,
    )
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "FAIL" and data["domain"] == "F(2, 1, 10)"
    assert data["counterexample"]["inputs"] == {"x": "-49/50"}
    assert data["counterexample"]["inputs_float"] == {"x": "-0.98e+0"}
    assert (data["counterexample"]["P"], data["counterexample"]["Q"]) == ("-3", "-29/10")


def test_cli_unknown(capsys, newton_file: str) -> None:
    code, out, _ = run_cli(
        [AMGM6, ZERO6, "--library", newton_file, "--timeout", "0.3", "--json"], capsys
    )
    assert code == 3 and json.loads(out)["verdict"] == "UNKNOWN"


def test_cli_bad_input(capsys, newton_file: str) -> None:
    code, _, err = run_cli(["(λ x. (+ x x)", "(λ x. x)"], capsys)
    assert code == 2 and err.startswith("<P>:1:1: error: '(' is never closed")
    code, _, err = run_cli(["(λ x. x)", "(λ x. (foo x))"], capsys)
    assert code == 2 and err.startswith("<Q>:1:8: error: unknown name 'foo'")
    code, _, err = run_cli(["(λ x. x)", "(λ x y. x)"], capsys)
    assert code == 2 and "equivalence needs the same arity" in err
    code, _, err = run_cli(["inv3", "inverse", "--library", newton_file, "--interval=-1,1"], capsys)
    assert code == 2 and "contains 0" in err
    for option in (["--domain", "float:1,1,1"], ["--interval", "1"], ["--tolerance", "-1"]):
        with pytest.raises(SystemExit) as exited:
            run_cli(["(λ x. x)", "(λ x. x)", *option], capsys)
        assert exited.value.code == 2
    capsys.readouterr()
