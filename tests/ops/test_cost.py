"""The essay's cost semantics Ops (verifier/ops/cost.py), the tech tree it derives
(encodings/ops/tech_tree.ops) costed and checked to compute what its names say, and
``verify ops cost``."""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from tests.conftest import REPO, scaled
from tests.strategies import ops_programs
from verifier.cli import ops_cost
from verifier.errors import InputError
from verifier.ops.cost import RULES, Derivation, cost, library_costs
from verifier.ops.semantics import EXACT, apply, evaluate
from verifier.ops.syntax import (
    App,
    Expr,
    Lam,
    Let,
    Library,
    Num,
    Sym,
    parse_expression,
    parse_library,
)

TECH_TREE = REPO / "encodings" / "ops" / "tech_tree.ops"

BASICS = parse_library(
    "(define neg (λ x. (* -1 x)) :claimed 1)\n"
    "(define square (λ x. (* x x)) :claimed 1)\n"
    "(define compose (λ f g x. (f (g x))) :claimed 0)\n"
    "(define zero 0)\n"
)


def ops(text: str, library: Library = BASICS) -> Derivation:
    return cost(parse_expression(text, library), library)


def tech_tree() -> Library:
    return parse_library(TECH_TREE.read_text(encoding="utf-8"), str(TECH_TREE))


def consistent(derivation: Derivation) -> bool:
    """Every node's cost is what it adds itself plus its children's."""
    return all(
        node.cost == node.own + sum(child.cost for child in node.children) and node.rule in RULES
        for node in derivation.nodes()
    )


# --- the rules one by one ------------------------------------------------------------------------


def test_constants_variables_and_lambda_cost_nothing() -> None:
    for text in ("0", "-1/2", "1000", "(λ x. x)", "(λ x y. y)", "(λ x. (λ y. 3))"):
        derivation = ops(text)
        assert derivation.cost == 0 and derivation.summary() == "0", text
    assert ops("(λ x. x)").children[0].rule == "variable"
    assert ops("1/2").rule == "constant"
    assert ops("(λ x. (* x x))").rule == "lambda"


@pytest.mark.parametrize(
    ("text", "head"), [("(+ 1 2)", "+"), ("(* 1 2)", "*"), ("(relu 1)", "relu")]
)
def test_each_primitive_application_costs_one(text: str, head: str) -> None:
    derivation = ops(text)
    assert derivation.cost == 1
    assert (derivation.rule, derivation.own, derivation.head) == ("primitive", 1, head)


def test_primitive_costs_one_plus_its_arguments() -> None:
    derivation = ops("(λ x y. (* (+ x 1) (relu (* x y))))")
    assert derivation.cost == 4
    assert derivation.summary() == "4 = * 1 + + 1 + relu 1 + * 1"
    assert consistent(derivation)


def test_nary_plus_is_the_left_fold() -> None:
    derivation = ops("(λ x y. (+ x y 1))")
    assert derivation.cost == 2
    body = derivation.children[0]
    assert (body.own, body.note) == (2, "n-ary + as 2 binary +")
    assert derivation.summary() == "2 = + 2 (n-ary + as 2 binary +)"
    assert ops("(λ x y. (+ x y 1))").cost == ops("(λ x y. (+ (+ x y) 1))").cost
    assert ops("(λ x. (* x x x x))").summary() == "3 = * 3 (n-ary * as 3 binary *)"
    assert ops("(λ x. (+ (relu x) x (* x x)))").cost == 4
    # binary applications carry no note
    assert ops("(+ 1 2)").note == ""


def test_let_costs_each_bound_expression_once() -> None:
    shared = ops("(λ x. (let ((u (* x x))) (+ u (* u u))))")
    assert shared.cost == 3  # (* x x) once, then + and *
    assert ops("(λ x. (+ (* x x) (* (* x x) (* x x))))").cost == 5  # without the let
    two = ops("(λ x. (let ((u (* x x)) (v (+ u 1))) (* u v)))")
    assert two.cost == 3
    let = two.children[0]
    assert let.rule == "let" and [c.cost for c in let.children] == [1, 1, 1]
    assert ops("(let ((u 1)) u)").cost == 0


def test_library_names_cost_their_own_cost_applied_or_passed() -> None:
    applied = ops("(λ x. (neg (square x)))")
    assert applied.cost == 2 and applied.summary() == "2 = neg 1 + square 1"
    node = applied.children[0]
    assert (node.rule, node.head, node.own) == ("apply-library", "neg", 1)
    # as a value: a base case, not re-derived
    passed = ops("(compose neg square)")
    assert passed.cost == 2
    assert passed.summary() == "2 = compose 0 + neg 1 + square 1"
    assert [c.rule for c in passed.children] == ["library", "library"]
    assert ops("neg").cost == 1 and ops("neg").rule == "library"
    assert ops("zero").cost == 0


def test_applying_a_variable_costs_nothing() -> None:
    compose = ops("(λ f g x. (f (g x)))")
    assert compose.cost == 0
    assert compose.summary() == "0 (applied variables cost 0: f, g)"
    assert compose.children[0].rule == "apply-variable"
    twice = ops("(λ f x. (f (* x x)))")
    assert twice.cost == 1  # the arguments still count


def test_applying_a_lambda_costs_its_body() -> None:
    derivation = ops("(λ x. ((λ y. (* y y)) (+ x 1)))")
    assert derivation.cost == 2
    body = derivation.children[0]
    assert body.rule == "apply" and [c.rule for c in body.children] == ["lambda", "primitive"]
    # a compound head in general: ((compose neg square) x) = compose + neg + square
    assert ops("(λ x. ((compose neg square) x))").cost == 2


def test_a_parameter_shadows_a_library_name() -> None:
    assert ops("(λ neg. (neg 1))").cost == 0
    assert ops("(λ square. (let ((neg square)) (neg square)))").cost == 0


def test_a_primitive_as_a_value_is_an_input_error() -> None:
    # the parser rejects it; built directly, cost says so instead of crashing
    with pytest.raises(InputError, match="relu must be applied"):
        cost(App(Sym("+"), (Num(Fraction(1)), Sym("relu"))))
    with pytest.raises(InputError, match="unknown name 'foo'"):
        cost(App(Sym("foo"), (Num(Fraction(1)),)))
    with pytest.raises(InputError, match="unknown name 'bar'"):
        cost(Lam(("x",), Sym("bar")))


def test_derivation_nodes_name_the_subterms() -> None:
    derivation = ops("(λ x. (+ (relu x) (relu (neg x))))")
    assert [(n.term, n.cost) for n in derivation.nodes() if n.cost] == [
        ("(λ x. (+ (relu x) (relu (neg x))))", 4),
        ("(+ (relu x) (relu (neg x)))", 4),
        ("(relu x)", 1),
        ("(relu (neg x))", 2),
        ("(neg x)", 1),
    ]
    assert derivation.summary() == "4 = + 1 + relu 1 + relu 1 + neg 1"
    data = derivation.to_json()
    assert data["cost"] == 4 and data["rule"] == "lambda"
    assert data["children"][0]["head"] == "+"
    assert json.loads(json.dumps(data)) == data


def binary_operations(expr: Expr) -> int:
    """An independent count: the + * relu nodes after desugaring n-ary applications."""
    if isinstance(expr, Lam):
        return binary_operations(expr.body)
    if isinstance(expr, Let):
        return sum(binary_operations(e) for _, e in expr.bindings) + binary_operations(expr.body)
    if isinstance(expr, App):
        assert isinstance(expr.fn, Sym)
        return len(expr.args) - (expr.fn.name != "relu") + sum(map(binary_operations, expr.args))
    return 0


@settings(max_examples=scaled(200))
@given(ops_programs())
def test_cost_counts_binary_operations(program: Lam) -> None:
    derivation = cost(program)
    assert derivation.cost == binary_operations(program)
    assert consistent(derivation)
    assert sum(own for _, own, _ in derivation.contributions()) == derivation.cost


# --- the tech tree -------------------------------------------------------------------------------

# name: (claimed by the essay, computed by the rules)
TREE = {
    "neg": (1, 1),
    "-": (2, 2),
    "square": (1, 1),
    "cube": (2, 2),
    "abs": (4, 4),
    ">=": (1, 2),
    "<=": (1, 2),
    "max": (13, 9),
    "compose": (0, 0),
    "shift": (2, 2),
    "inv-step": (4, 4),
    "inv": (20, 20),
    "div": (21, 21),
    "rightstep": (26, 26),
    "step": (29, 29),
    "if": (32, 34),
    "grad": (24, 24),
    "descend": (27, 27),
}


def test_every_definition_of_the_tree_is_costed() -> None:
    results = library_costs(tech_tree())
    assert {r.name: (r.claimed, r.cost) for r in results} == TREE
    assert [r.name for r in results] == list(TREE)
    assert [r.name for r in results if not r.ok] == [">=", "<=", "max", "if"]
    assert all(consistent(r.derivation) for r in results)


def test_the_slips_with_their_derivations() -> None:
    summaries = {r.name: r.derivation.summary() for r in library_costs(tech_tree())}
    assert summaries[">="] == summaries["<="] == "2 = - 2"
    assert summaries["max"] == "9 = * 1 + + 2 (n-ary + as 2 binary +) + abs 4 + - 2"
    assert summaries["if"] == "34 = step 29 + + 1 + * 1 + * 1 + - 2"
    # and the claims the essay gets right, as it derives them
    assert summaries["abs"] == "4 = + 1 + relu 1 + relu 1 + neg 1"
    assert summaries["rightstep"] == "26 = * 1 + relu 1 + + 1 + neg 1 + shift 2 + inv 20"
    assert summaries["step"] == "29 = rightstep 26 + shift 2 + * 1"
    assert summaries["grad"] == "24 = div 21 + - 2 + + 1"
    assert summaries["descend"] == "27 = - 2 + * 1 + grad 24"


def test_rightstep_first_order_costs_more() -> None:
    # The essay's count of rightstep holds because m relu(.) is a λ bound once (docs/ops.md);
    # written out twice it costs 28.
    first_order = "(λ m x. (+ (* m (relu x)) (neg (* m (relu (shift x (inv m)))))))"
    assert ops(first_order, tech_tree()).cost == 28


# --- what the tree computes (exact rationals) --------------------------------------------------


def value(library: Library, name: str, *args: Any) -> Any:
    values = [a if not isinstance(a, (int, str)) else Fraction(a) for a in args]
    return apply(evaluate(Sym(name), library, {}, EXACT), values, library, EXACT)


def fn(library: Library, name: str) -> Any:
    return evaluate(Sym(name), library, {}, EXACT)


POINTS = [Fraction(v) for v in ("-3", "-1", "-1/2", "0", "1/3", "2", "7/2")]


def test_arithmetic_exactly() -> None:
    lib = tech_tree()
    for x in POINTS:
        assert value(lib, "neg", x) == -x
        assert value(lib, "square", x) == x * x
        assert value(lib, "cube", x) == x**3
        assert value(lib, "abs", x) == abs(x)
        for y in POINTS:
            assert value(lib, "-", x, y) == x - y
            assert value(lib, "max", x, y) == max(x, y)
            assert value(lib, "shift", x, y) == x - y
            # comparisons as signs: positive is true
            assert (value(lib, ">=", x, y) > 0) == (x > y)
            assert (value(lib, "<=", x, y) > 0) == (x < y)


def test_compose() -> None:
    lib = tech_tree()
    for x in POINTS:
        assert value(lib, "compose", fn(lib, "neg"), fn(lib, "square"), x) == -(x * x)


def test_inverse_by_newton() -> None:
    lib = tech_tree()
    for a in ("1/2", "1", "3/2"):
        a = Fraction(a)
        assert value(lib, "inv-step", a, 1 / a) == 1 / a  # 1/a is the fixed point
        assert abs(value(lib, "inv", a) - 1 / a) < Fraction(1, 10**9)
        assert abs(value(lib, "div", 3, a) - 3 / a) < Fraction(1, 10**8)
    assert value(lib, "inv", 1) == 1  # exact: the guess is the answer
    # outside 0 < a < 2 five steps from 1 do not converge, and near 0 they are far off
    assert value(lib, "inv", 3) < -1000
    assert 31 < value(lib, "inv", Fraction(1, 1000)) < 32


def test_rightstep_and_step() -> None:
    lib = tech_tree()
    ramp = {"-1": 0, "0": 0, "1/4": Fraction(1, 4), "1/2": Fraction(1, 2), "1": 1, "5": 1}
    for x, expected in ramp.items():
        assert value(lib, "rightstep", 1, x) == expected
    # 0 below -1/(2m), 1 above 1/(2m), 1/2 at 0: the ramp centred at 0
    step = {"-1": 0, "-1/2000": 0, "0": Fraction(1, 2), "1/4000": Fraction(3, 4), "1/2000": 1}
    for p, expected in step.items():
        assert value(lib, "step", 1000, p) == expected
    assert value(lib, "step", 1000, "1") == 1


def test_if_selects_by_the_sign() -> None:
    lib = tech_tree()
    for x, y in ((Fraction(3), Fraction(5)), (Fraction(-2), Fraction(1, 3))):
        for p in ("1", "1/100", "1/2000", "7"):
            assert value(lib, "if", p, x, y) == x
        for p in ("-1", "-1/100", "-1/2000"):
            assert value(lib, "if", p, x, y) == y
        assert value(lib, "if", 0, x, y) == (x + y) / 2


def test_grad_is_a_difference_quotient_only_where_div_converges() -> None:
    lib = tech_tree()
    h = Fraction(1, 1000)
    square = fn(lib, "square")
    quotient = ((3 + h) ** 2 - 9) * value(lib, "inv", h)
    assert value(lib, "grad", square, 3) == quotient
    assert abs(quotient - 6) > 5  # (inv 1/1000) is about 31.5: not a derivative
    assert value(lib, "descend", square, 3) == 3 - quotient / 10


# --- verify ops cost -----------------------------------------------------------------------------


def verify_cost(*argv: str) -> int:
    """``verify ops cost ARGV``: through ``verify`` once ``ops`` is registered there, else the
    same steps (an input error is exit status 2)."""
    from verifier.cli.main import COMMANDS, main

    if "ops" in COMMANDS:
        return main(["ops", "cost", *argv])
    parser = argparse.ArgumentParser()
    ops_cost.add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return ops_cost.run(args)
    except InputError as err:
        import sys

        print(err, file=sys.stderr)
        return 2


def test_cli_flags_the_slips(capsys) -> None:
    assert verify_cost(str(TECH_TREE)) == 1
    out = capsys.readouterr().out
    assert "max  9  MISMATCH (claimed 13, computed 9)" in out
    assert "if  34  MISMATCH (claimed 32, computed 34)" in out
    assert "abs  4  OK (claimed 4)" in out
    assert "  4 = + 1 + relu 1 + relu 1 + neg 1" in out
    assert "  8    (+ x y (abs (- x y)))  [+ 2: n-ary + as 2 binary +]" in out
    assert "  2        (- 1 b)  [- 2]" in out
    assert out.rstrip().endswith("FAIL  4 of 18 claimed costs are wrong: >=, <=, max, if")


def test_cli_names(capsys) -> None:
    assert verify_cost(str(TECH_TREE), "abs", "div") == 0
    out = capsys.readouterr().out
    assert out.startswith("abs  4  OK (claimed 4)\n")
    assert "div  21  OK" in out and "max" not in out
    assert out.rstrip().endswith("PASS  all 2 claimed costs match")
    assert verify_cost(str(TECH_TREE), "max") == 1
    capsys.readouterr()


def test_cli_json(capsys) -> None:
    assert verify_cost(str(TECH_TREE), "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in data] == list(TREE)
    assert {d["name"]: (d["claimed"], d["cost"]) for d in data} == TREE
    assert [d["name"] for d in data if d["ok"] is False] == [">=", "<=", "max", "if"]
    assert all(d["ok"] is True for d in data if d["name"] not in (">=", "<=", "max", "if"))
    assert set(data[0]) >= {"name", "cost", "claimed", "ok", "derivation"}
    assert data[0]["derivation"]["children"][0]["term"] == "(* -1 x)"
    assert verify_cost(str(TECH_TREE), "neg", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["summary"] == "1 = * 1"


def test_cli_without_claims(capsys, tmp_path: Path) -> None:
    lib = tmp_path / "lib.ops"
    lib.write_text("(define sq (λ x. (* x x)))\n")
    assert verify_cost(str(lib)) == 0
    out = capsys.readouterr().out
    assert out.startswith("sq  1\n")
    assert "PASS  no definition claims a cost" in out
    assert verify_cost(str(lib), "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["ok"] is None


def test_cli_bad_input(capsys, tmp_path: Path) -> None:
    assert verify_cost(str(TECH_TREE), "abs", "nosuch") == 2
    err = capsys.readouterr().err
    assert "no definition named 'nosuch' (defined: neg - square" in err
    bad = tmp_path / "bad.ops"
    bad.write_text("(define neg (λ x. (* -1 x)))\n(define - (λ x y. (+ x (ng y))))\n")
    assert verify_cost(str(bad)) == 2
    assert f"{bad}:2:25: error: unknown name 'ng'" in capsys.readouterr().err
    assert verify_cost(str(tmp_path / "missing.ops")) == 2
    assert "missing.ops:1:1: error: cannot read the file" in capsys.readouterr().err
    binary = tmp_path / "binary.ops"
    binary.write_bytes(b"(define a 1)\0")
    assert verify_cost(str(binary)) == 2
    assert "binary file" in capsys.readouterr().err


def test_help_states_the_exit_statuses() -> None:
    assert "1 some claimed cost is wrong (FAIL of the claims)" in " ".join(ops_cost.EPILOG.split())
    assert ops_cost.HELP
