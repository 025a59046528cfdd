"""The language of the cost calculus (verifier/ops/syntax.py): every form, show() round trips,
positioned errors."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings

from tests.conftest import REPO, scaled
from tests.strategies import ops_programs
from verifier.errors import ParseError
from verifier.ops.syntax import (
    PRIMITIVES,
    App,
    Lam,
    Let,
    Library,
    Num,
    Sym,
    parse_expression,
    parse_library,
    show,
)

TECH_TREE = REPO / "encodings" / "ops" / "tech_tree.ops"

SQUARE_X = Lam(("x",), App(Sym("*"), (Sym("x"), Sym("x"))))


def test_primitives() -> None:
    assert dict(PRIMITIVES) == {"+": 2, "*": 2, "relu": 1}


@pytest.mark.parametrize(
    "text",
    [
        "(λ x. (* x x))",
        "(lambda x. (* x x))",
        "(\\ x. (* x x))",
        "(λx. (* x x))",
        "(λx.(* x x))",
        "(λ x . (* x x))",
        "  (λ x.  ; a comment\n (* x x))  ",
    ],
)
def test_lambda_spellings(text: str) -> None:
    assert parse_expression(text) == SQUARE_X


def test_several_parameters_fused_and_spaced() -> None:
    expected = Lam(("x", "y"), App(Sym("+"), (Sym("x"), Sym("y"))))
    for text in ("(λ x y. (+ x y))", "(λx y. (+ x y))", "(lambda x y . (+ x y))"):
        assert parse_expression(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", Fraction(2)),
        ("-1", Fraction(-1)),
        ("0", Fraction(0)),
        ("0.5", Fraction(1, 2)),
        ("1/2", Fraction(1, 2)),
        ("-0.5", Fraction(-1, 2)),
        ("-1/2", Fraction(-1, 2)),
        ("6/4", Fraction(3, 2)),
        (".25", Fraction(1, 4)),
        ("1000", Fraction(1000)),
    ],
)
def test_numbers_are_exact(text: str, value: Fraction) -> None:
    assert parse_expression(text) == Num(value)


def test_applications_and_nary_sugar() -> None:
    x, y = Sym("x"), Sym("y")
    assert parse_expression("(λ x y. (+ x y 1))") == Lam(
        ("x", "y"), App(Sym("+"), (x, y, Num(Fraction(1))))
    )
    assert parse_expression("(λ x. (relu (* -1 x)))") == Lam(
        ("x",), App(Sym("relu"), (App(Sym("*"), (Num(Fraction(-1)), x)),))
    )
    # a variable applied (higher-order), a λ applied directly
    assert parse_expression("(λ f x. (f (f x)))").body == App(Sym("f"), (App(Sym("f"), (x,)),))
    assert parse_expression("((λ x. (* x x)) 3)") == App(SQUARE_X, (Num(Fraction(3)),))


def test_let_binds_in_order() -> None:
    expr = parse_expression("(λ x. (let ((u (* x x)) (v (+ u 1))) (* u v)))")
    assert expr == Lam(
        ("x",),
        Let(
            (
                ("u", App(Sym("*"), (Sym("x"), Sym("x")))),
                ("v", App(Sym("+"), (Sym("u"), Num(Fraction(1))))),
            ),
            App(Sym("*"), (Sym("u"), Sym("v"))),
        ),
    )


def test_library_definitions_claims_and_earlier_names() -> None:
    library = parse_library(
        "; negation\n(define neg (λ x. (* -1 x)) :claimed 1)\n"
        "(define - (λ x y. (+ x (neg y))) :claimed 2)\n"
        "(define >= (λ x y. (- x y)))\n"
        "(define inv-step (λ a x. (* x (- 2 (* a x)))))\n",
        "lib.ops",
    )
    assert library.names == ("neg", "-", ">=", "inv-step")
    assert [d.claimed for d in library.definitions] == [1, 2, None, None]
    assert "neg" in library and "relu" not in library
    assert library["-"].expr == Lam(
        ("x", "y"), App(Sym("+"), (Sym("x"), App(Sym("neg"), (Sym("y"),))))
    )
    assert (library["neg"].loc.line, library["neg"].loc.col) == (2, 1)
    with pytest.raises(KeyError):
        library["nosuch"]
    # an expression may use the library; a library may extend another
    assert parse_expression("(λ z. (>= z 0))", library).body == App(
        Sym(">="), (Sym("z"), Num(Fraction(0)))
    )
    more = parse_library(
        "(define sq (λ x. (* x x)))\n(define nn (λ x. (neg (sq x))))", base=library
    )
    assert more.names == ("neg", "-", ">=", "inv-step", "sq", "nn")


def test_parameters_shadow_library_names() -> None:
    library = parse_library("(define neg (λ x. (* -1 x)))")
    assert parse_expression("(λ neg. (neg 1))", library).body == App(
        Sym("neg"), (Num(Fraction(1)),)
    )


def test_tech_tree_parses_and_uses_the_essays_names() -> None:
    library = parse_library(TECH_TREE.read_text(), str(TECH_TREE))
    assert library.names == (
        "neg", "-", "square", "cube", "abs", ">=", "<=", "max", "compose", "shift",
        "inv-step", "inv", "div", "rightstep", "step", "if", "grad", "descend",
    )  # fmt: skip
    assert all(d.claimed is not None for d in library.definitions)


def test_show_round_trips_the_tech_tree() -> None:
    library = parse_library(TECH_TREE.read_text(), str(TECH_TREE))
    for index, definition in enumerate(library.definitions):
        earlier = Library(library.definitions[:index])
        assert parse_expression(show(definition.expr), earlier) == definition.expr


@settings(max_examples=scaled(200))
@given(ops_programs())
def test_show_round_trip(program: Lam) -> None:
    text = show(program)
    assert text.startswith("(λ x y. ")
    again = parse_expression(text)
    assert again == program
    assert show(again) == text


# --- errors --------------------------------------------------------------------------------------


def error_of(text: str, library: bool = False) -> ParseError:
    with pytest.raises(ParseError) as raised:
        if library:
            parse_library(text, "lib.ops")
        else:
            parse_expression(text, filename="expr")
    return raised.value


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("(+ x 1", 1, 1, "'(' is never closed"),
        ("(λ x. (+ x 1)", 1, 1, "'(' is never closed"),
        ("(λ x.\n  (+ x 1)))", 2, 11, "unexpected ')'"),
        ("(λ x. (foo x))", 1, 8, "unknown name 'foo'"),
        ("(λ x. (+ x y))", 1, 12, "unknown name 'y'"),
        ("(λ x)", 1, 1, "a λ needs its parameters and a '.' before the body"),
        ("(λ x (* x x))", 1, 1, "a λ needs its parameters and a '.' before the body"),
        ("(λ x.y)", 1, 4, "'x.y' cannot be a parameter"),
        ("(λ x x. x)", 1, 6, "parameter 'x' given twice"),
        ("(λ 2. 1)", 1, 4, "'2' cannot be a parameter"),
        ("(λ relu. 1)", 1, 4, "'relu' cannot be a parameter"),
        ("(λ x. 1 2)", 1, 1, "a λ has one body after the '.', got 2"),
        ("(λ x. (relu x x))", 1, 7, "relu takes 1 argument, got 2"),
        ("(λ x. (+ x))", 1, 7, "+ takes at least 2 arguments, got 1"),
        ("(λ x.\n   (* x))", 2, 4, "* takes at least 2 arguments, got 1"),
        ("(λ x. (+ x relu))", 1, 12, "the primitive relu must be applied"),
        ("(λ x. (define y 1))", 1, 8, "define is only allowed at the top level of a library"),
        ("(λ x. ())", 1, 7, "empty application '()'"),
        ("(λ x. (2 x))", 1, 8, "the number 2 cannot be applied"),
        ("1/0", 1, 1, "1/0: division by zero"),
        ("(let x 1)", 1, 1, "expected (let ((name expr) ...) body)"),
        ("(let ((x)) x)", 1, 7, "a let binding is (name expr)"),
        ("(let ((1 2)) 3)", 1, 8, "'1' cannot be bound"),
        ("(let ((+ 2)) 3)", 1, 8, "'+' cannot be bound"),
        ("(let ((u 1) (v w)) u)", 1, 16, "unknown name 'w'"),
        ("(λ x. x) 1", 1, 10, "expected one expression, got 2"),
        ("", 1, 1, "expected one expression, got 0"),
    ],
)
def test_expression_errors_are_positioned(text: str, line: int, col: int, message: str) -> None:
    err = error_of(text)
    assert (err.file, err.line, err.col) == ("expr", line, col)
    assert message in err.message
    assert str(err).startswith(f"expr:{line}:{col}: error: ")


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("(define a 1)\n(define a 2)", 2, 9, "'a' is already defined"),
        ("(define a b)\n(define b 1)", 1, 11, "unknown name 'b'"),
        ("(define a (define b 1))", 1, 12, "define is only allowed at the top level"),
        ("(define a 1 :claimed -1)", 1, 22, ":claimed takes a non-negative integer"),
        ("(define a 1 :claimed x)", 1, 22, ":claimed takes a non-negative integer"),
        ("(define a 1 :claimed)", 1, 1, "expected (define name expr [:claimed N])"),
        ("(define a 1 :cost 3)", 1, 1, "expected (define name expr [:claimed N])"),
        ("(define)", 1, 1, "expected (define name expr [:claimed N])"),
        ("(define (f x) x)", 1, 1, "expected (define name expr [:claimed N])"),
        ("(define + 1)", 1, 9, "'+' cannot be defined"),
        ("(define 2 1)", 1, 9, "'2' cannot be defined"),
        ("(define a 1)\n\n  foo", 3, 3, "a library holds (define name expr [:claimed N]) forms"),
        ("(define a 1)\n(+ 1 2)", 2, 1, "a library holds (define name expr [:claimed N]) forms"),
        ("(define a (λ x. (+ x 1))", 1, 1, "'(' is never closed"),
    ],
)
def test_library_errors_are_positioned(text: str, line: int, col: int, message: str) -> None:
    err = error_of(text, library=True)
    assert (err.file, err.line, err.col) == ("lib.ops", line, col)
    assert message in err.message


def test_error_shows_the_line_with_a_caret() -> None:
    err = error_of("(define neg (λ x. (* -1 x)))\n(define sub (λ x y. (+ x (ng y))))", library=True)
    assert str(err) == (
        "lib.ops:2:27: error: unknown name 'ng' (not a parameter, let binding, definition or"
        " primitive)\n    (define sub (λ x y. (+ x (ng y))))\n                              ^"
    )


def test_decimal_fraction_is_a_parse_error() -> None:
    error_of("1.5/2")
