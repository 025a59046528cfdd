"""Piecewise polynomials as text (verifier.arith.pieces): the piece syntax, its round trip
through :func:`format_piece`, the named shortcuts, :func:`check_pieces` against a brute-force
coverage oracle, and TOML files of pieces."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import piece_lists, pieces
from verifier.arith.floats import FloatSystem, Piece, Term
from verifier.arith.pieces import (
    SHORTCUTS,
    check_pieces,
    format_piece,
    format_pieces,
    load_pieces,
    parse_piece,
    parse_pieces,
)
from verifier.errors import InputError

F = Fraction
X = Term(F(1), 1)  # the term x
SMALL = (FloatSystem(2, 1, 2), FloatSystem(3, 1, 2))  # 13 and 25 values


@cache
def values_of(f: FloatSystem) -> tuple[Fraction, ...]:
    return tuple(f.values())


# -- parsing ------------------------------------------------------------------------------------

PARSED = [
    # the examples of the module docstring
    ("..0: 0", Piece(None, F(0), (Term(F(0), 0),))),
    ("0..: x", Piece(F(0), None, (X,))),
    (
        "-2..2: 1/8*x^2 + 1/2*x + 1/2",
        Piece(F(-2), F(2), (Term(F(1, 8), 2), Term(F(1, 2), 1), Term(F(1, 2), 0))),
    ),
    # every term form: C*x^K, C x^K, C*x, C x, Cx, x^K, x, C
    ("..: 3*x^4", Piece(None, None, (Term(F(3), 4),))),
    ("..: 2 x^3", Piece(None, None, (Term(F(2), 3),))),
    ("..: 2x^3", Piece(None, None, (Term(F(2), 3),))),
    ("..: 5*x", Piece(None, None, (Term(F(5), 1),))),
    ("..: 5 x", Piece(None, None, (Term(F(5), 1),))),
    ("..: 5x", Piece(None, None, (Term(F(5), 1),))),
    ("..: x^2", Piece(None, None, (Term(F(1), 2),))),
    ("..: x^0", Piece(None, None, (Term(F(1), 0),))),
    ("..: x^1", Piece(None, None, (X,))),
    ("..: x", Piece(None, None, (X,))),
    ("..: 7", Piece(None, None, (Term(F(7), 0),))),
    ("..: 0*x^3", Piece(None, None, (Term(F(0), 3),))),
    # decimals, exponents and fractions are exact
    ("..: 0.125*x", Piece(None, None, (Term(F(1, 8), 1),))),
    ("..: .5 + 2.", Piece(None, None, (Term(F(1, 2), 0), Term(F(2), 0)))),
    ("..: 1e2*x + 1E-1", Piece(None, None, (Term(F(100), 1), Term(F(1, 10), 0)))),
    ("..: 3/12 x", Piece(None, None, (Term(F(1, 4), 1),))),
    ("-0.25..1/2: x", Piece(F(-1, 4), F(1, 2), (X,))),
    ("-3..-1: x", Piece(F(-3), F(-1), (X,))),
    # signs: a leading -, terms joined by - and +, a leading + and a negative fraction
    ("..: -x", Piece(None, None, (Term(F(-1), 1),))),
    ("..: -1/2", Piece(None, None, (Term(F(-1, 2), 0),))),
    ("..: +x", Piece(None, None, (X,))),
    (
        "..: x^2 - x + 3 - 1/8*x^3",
        Piece(None, None, (Term(F(1), 2), Term(F(-1), 1), Term(F(3), 0), Term(F(-1, 8), 3))),
    ),
    # whitespace anywhere between tokens, or none at all
    (
        "  1 .. 2 :  0.5*x^2-x+3  ",
        Piece(F(1), F(2), (Term(F(1, 2), 2), Term(F(-1), 1), Term(F(3), 0))),
    ),
    ("..:- 3 * x ^ 2 -\t1/2", Piece(None, None, (Term(F(-3), 2), Term(F(-1, 2), 0)))),
    ("1..2:x+1", Piece(F(1), F(2), (X, Term(F(1), 0)))),
    (".. : x", Piece(None, None, (X,))),
    ("\t..\n:\nx", Piece(None, None, (X,))),
    # unbounded on one side, both sides
    ("..-1: 0", Piece(None, F(-1), (Term(F(0), 0),))),
    ("-1..: 0", Piece(F(-1), None, (Term(F(0), 0),))),
    ("..: 0", Piece(None, None, (Term(F(0), 0),))),
]


@pytest.mark.parametrize(("text", "piece"), PARSED)
def test_parse_piece(text: str, piece: Piece) -> None:
    assert parse_piece(text) == piece


def test_parse_piece_values_are_exact() -> None:
    piece = parse_piece("-0.1..0.3: 0.1*x^2 + 1/3")
    assert piece.lower == F(-1, 10) and piece.upper == F(3, 10)
    assert piece.terms == (Term(F(1, 10), 2), Term(F(1, 3), 0))
    for value in (piece.lower, piece.upper, *(t.coefficient for t in piece.terms)):
        assert type(value) is Fraction
    assert all(type(t.power) is int for t in piece.terms)


def test_parse_pieces_keeps_the_order() -> None:
    assert parse_pieces(["..0: 0", "0..: x"]) == (
        Piece(None, F(0), (Term(F(0), 0),)),
        Piece(F(0), None, (X,)),
    )
    assert parse_pieces(("0..: x", "..: 1")) == (
        Piece(F(0), None, (X,)),
        Piece(None, None, (Term(F(1), 0),)),
    )
    with pytest.raises(ValueError, match="at least one piece"):
        parse_pieces([])


# -- formatting ---------------------------------------------------------------------------------


def test_format_piece_examples() -> None:
    smooth = parse_piece("-2..2: 1/8*x^2 + 1/2*x + 1/2")
    assert format_piece(smooth) == "-2..2:1/8*x^2+1/2*x+1/2"
    assert format_piece(parse_piece("..0: 0")) == "..0:0"
    assert format_piece(parse_piece("0..: x")) == "0..:x"
    assert format_piece(parse_piece("..: - x - 0.5 + x^3 - 1*x^0")) == "..:-1*x-1/2+x^3-1"
    assert format_piece(Piece(F(-1, 2), F(3, 4), (Term(F(2), 0), Term(F(-3), 2)))) == (
        "-1/2..3/4:2-3*x^2"
    )
    assert format_pieces(parse_pieces(SHORTCUTS["relu"])) == "..0:0;0..:x"
    assert format_pieces(parse_pieces(SHORTCUTS["identity"])) == "..:x"


def test_a_piece_without_terms_is_written_as_the_term_zero() -> None:
    empty = Piece(None, F(0), ())
    assert format_piece(empty) == "..0:0"
    back = parse_piece(format_piece(empty))
    assert back == Piece(None, F(0), (Term(F(0), 0),))
    f = FloatSystem(2, 1, 2)
    for v in values_of(f):
        if v < 0:
            assert f.poly([back], v) == f.poly([empty], v) == 0


@given(pieces())
@example(Piece(None, None, (Term(F(-1), 1), Term(F(1), 0), Term(F(-1), 0), Term(F(0), 0))))
@example(Piece(F(-1, 3), F(-1, 7), (Term(F(-5, 9), 4), Term(F(1), 1))))
def test_format_then_parse_is_the_identity(piece: Piece) -> None:
    text = format_piece(piece)
    assert not any(ch.isspace() for ch in text) and ";" not in text
    assert parse_piece(text) == piece
    assert format_piece(parse_piece(text)) == text


@given(st.lists(pieces(), min_size=1, max_size=5))
def test_format_pieces_joins_by_semicolons(some: list[Piece]) -> None:
    text = format_pieces(some)
    assert text == ";".join(format_piece(piece) for piece in some)
    assert parse_pieces(text.split(";")) == tuple(some)


# -- errors -------------------------------------------------------------------------------------

ERRORS = [
    # the shape LOWER..UPPER: TERMS
    ("x", "expected LOWER..UPPER: TERMS"),
    ("0..x", "expected LOWER..UPPER: TERMS"),
    ("0: x", r"the interval is LOWER\.\.UPPER"),
    (": x", r"the interval is LOWER\.\.UPPER"),
    ("0 . 1: x", r"the interval is LOWER\.\.UPPER"),
    # empty intervals
    ("1..1: x", r"the interval \[1, 1\) is empty"),
    ("2..1: x", r"the interval \[2, 1\) is empty"),
    ("1/2..0.5: x", r"the interval \[1/2, 1/2\) is empty"),
    ("-1..-2: 0", r"the interval \[-1, -2\) is empty"),
    # no polynomial
    ("..:", "needs a polynomial after ':'"),
    ("0..: \t ", "needs a polynomial after ':'"),
    # terms that cannot be read
    ("..: 2x^", r"cannot read a term at '\^'"),
    ("..: x^-1", r"cannot read a term at '\^-1'"),
    ("..: x*x", r"cannot read a term at '\*x'"),
    ("..: *x", r"cannot read a term at '\*x'"),
    ("..: x + ", r"cannot read a term at '\+'"),
    ("..: -", "cannot read a term at '-'"),
    ("..: --x", "cannot read a term at '--x'"),
    ("..: y", "cannot read a term at 'y'"),
    ("..: x:y", "cannot read a term at ':y'"),
    ("..: 2*", r"'\*' without x at '2\*'"),
    ("..: 1/0", "coefficient '1/0' is not an exact number"),
    ("..: 1/0*x", "coefficient '1/0' is not an exact number"),
    ("..: 1.2.3", "coefficient '1.2.3' is not an exact number"),
    ("..: 1//2", "coefficient '1//2' is not an exact number"),
    # terms without + or - between them
    ("..: x x", "terms must be joined by \\+ or -, at 'x'"),
    ("..: 1 2", "terms must be joined by \\+ or -, at '2'"),
    ("..: x 2", "terms must be joined by \\+ or -, at '2'"),
    ("..: 2 x 3", "terms must be joined by \\+ or -, at '3'"),
    ("..: x^2 x", "terms must be joined by \\+ or -, at 'x'"),
    ("..: x^1/2", "terms must be joined by \\+ or -, at '/2'"),  # no fractional powers
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_parse_piece_errors_name_the_piece(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_piece(text)
    assert str(raised.value).startswith(f"piece {text!r}: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a..: x", "lower bound 'a' is not an exact number"),
        ("..1/0: x", "upper bound '1/0' is not an exact number"),
        ("inf..: x", "lower bound 'inf' is not an exact number"),
        ("..nan: x", "upper bound 'nan' is not an exact number"),
    ],
)
def test_parse_piece_bad_bounds(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_piece(text)


def test_parse_pieces_reports_the_bad_one() -> None:
    with pytest.raises(ValueError, match=r"piece '0\.\.: x x'"):
        parse_pieces(["..0: 0", "0..: x x"])


# -- shortcuts ----------------------------------------------------------------------------------

REFERENCE = {
    "relu": lambda x: max(F(0), x),
    "heaviside": lambda x: F(1) if x >= 0 else F(0),
    "identity": lambda x: x,
}


def test_shortcuts_parse() -> None:
    assert set(SHORTCUTS) == set(REFERENCE)
    assert parse_pieces(SHORTCUTS["relu"]) == (
        Piece(None, F(0), (Term(F(0), 0),)),
        Piece(F(0), None, (X,)),
    )
    assert parse_pieces(SHORTCUTS["heaviside"]) == (
        Piece(None, F(0), (Term(F(0), 0),)),
        Piece(F(0), None, (Term(F(1), 0),)),
    )
    assert parse_pieces(SHORTCUTS["identity"]) == (Piece(None, None, (X,)),)


@pytest.mark.parametrize("name", sorted(SHORTCUTS))
@pytest.mark.parametrize("f", [FloatSystem(4, 2, 2), FloatSystem(2, 1, 3)], ids=str)
def test_shortcuts_on_every_value(f: FloatSystem, name: str) -> None:
    parsed = parse_pieces(SHORTCUTS[name])
    check_pieces(f, parsed)
    expected = REFERENCE[name]
    for x in values_of(f):
        assert f.poly(parsed, x) == expected(x), (name, x)


# -- check_pieces -------------------------------------------------------------------------------


def _systems_and_pieces() -> st.SearchStrategy[tuple[FloatSystem, list[Piece]]]:
    return st.sampled_from(SMALL).flatmap(
        lambda f: st.tuples(
            st.just(f), piece_lists(values_of(f), max_pieces=5, max_terms=2, max_power=2)
        )
    )


_F2 = SMALL[0]  # values 0, +-1/4, +-3/8, +-1/2, +-3/4, +-1, +-3/2


@given(_systems_and_pieces())
@example((_F2, [Piece(None, F(0), ()), Piece(F(0), None, (X,))]))  # relu: covered
@example((_F2, [Piece(None, F(0), ()), Piece(F(1, 4), None, (X,))]))  # 0 is not covered
@example((_F2, [Piece(F(-1), None, ())]))  # below -1: -largest is the first gap
@example((_F2, [Piece(None, F(3, 2), ())]))  # largest itself is not below 3/2
@example((_F2, [Piece(None, F(3, 2), ()), Piece(F(3, 2), None, ())]))  # covered
@example((_F2, [Piece(F(1), F(3, 2), ()), Piece(None, F(1, 2), ()), Piece(F(3, 4), None, ())]))
@example((_F2, [Piece(F(-3, 2), F(1), ()), Piece(F(1), F(3, 2), ()), Piece(F(3, 2), None, ())]))
def test_check_pieces_decides_coverage(case: tuple[FloatSystem, list[Piece]]) -> None:
    f, some = case
    uncovered = [v for v in values_of(f) if not any(piece.contains(v) for piece in some)]
    if not uncovered:
        check_pieces(f, some)
        for v in values_of(f):
            f.poly(some, v)  # defined everywhere
        return
    with pytest.raises(ValueError, match="no piece contains") as raised:
        check_pieces(f, some)
    # the point named is the smallest uncovered value
    x = uncovered[0]
    assert str(raised.value) == f"no piece contains x = {f.format(x)} ({x}) of {f}"


def test_check_pieces_names_the_first_gap() -> None:
    f = FloatSystem(3, 1, 2)
    gap = [Piece(None, F(-1, 2), ()), Piece(F(0), None, (X,))]
    with pytest.raises(ValueError) as raised:
        check_pieces(f, gap)
    assert str(raised.value) == "no piece contains x = -0.100e+0 (-1/2) of F(3, 1, 2)"


@pytest.mark.parametrize(
    ("some", "message"),
    [
        (
            [Piece(None, F(0), ()), Piece(F(0), None, (X,)), Piece(F(1, 8), F(1), ())],
            "piece 3: lower bound 1/8 is not a number of F(2, 1, 2)",
        ),
        (
            [Piece(None, F(0), ()), Piece(F(0), F(2), (X,))],
            "piece 2: upper bound 2 is not a number of F(2, 1, 2)",
        ),
        (
            [Piece(F(-7, 4), None, (X,))],  # just below -largest
            "piece 1: lower bound -7/4 is not a number of F(2, 1, 2)",
        ),
        (
            [Piece(None, F(0), ()), Piece(F(0), None, (X, Term(F(5, 8), 0)))],
            "piece 2: coefficient 5/8 is not in F(2, 1, 2)",
        ),
        (
            [Piece(None, None, (Term(F(1, 3), 1),))],
            "piece 1: coefficient 1/3 is not in F(2, 1, 2)",
        ),
        (
            [Piece(None, None, (X,)), Piece(None, None, (Term(F(-2), 2),))],
            "piece 2: coefficient -2 is not in F(2, 1, 2)",
        ),
        (  # representability is checked before coverage
            [Piece(F(0), None, (Term(F(1, 8), 0),))],
            "piece 1: coefficient 1/8 is not in F(2, 1, 2)",
        ),
    ],
)
def test_check_pieces_refuses_numbers_outside_the_system(some: list[Piece], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        check_pieces(FloatSystem(2, 1, 2), some)
    assert str(raised.value) == message


def test_check_pieces_accepts_the_extremes() -> None:
    f = FloatSystem(2, 1, 2)
    edge = [
        Piece(None, -f.largest, ()),  # empty of values, but its bound is representable
        Piece(-f.largest, f.smallest_normal, (Term(f.largest, 2), Term(F(0), 0))),
        Piece(f.smallest_normal, None, (Term(-f.largest, 1), Term(-f.smallest_normal, 0))),
    ]
    check_pieces(f, edge)


# -- TOML files ---------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "pieces.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_pieces(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# smoothed relu on F(4, 2, 2)\n"
        "pieces = [\n"
        '    "..-2: 0",\n'
        '    "-2..2: 1/8*x^2 + 1/2*x + 1/2",  # a quadratic\n'
        "    '2..: x',\n"
        "]\n",
    )
    assert load_pieces(path) == parse_pieces(["..-2: 0", "-2..2: 1/8*x^2 + 1/2*x + 1/2", "2..: x"])
    check_pieces(FloatSystem(4, 2, 2), load_pieces(path))
    one_line = _write(tmp_path, 'pieces = ["..0: 0", "0..: x"]\n', "relu.toml")
    assert load_pieces(one_line) == parse_pieces(SHORTCUTS["relu"])


def test_load_pieces_toml_syntax_error(tmp_path: Path) -> None:
    path = _write(tmp_path, 'pieces = ["..0: 0", "0..: x"\n')
    with pytest.raises(InputError) as raised:
        load_pieces(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert "array" in str(raised.value)
    path = _write(tmp_path, "pieces = [\n  ..0: 0,\n]\n")
    with pytest.raises(InputError) as raised:
        load_pieces(path)
    assert str(raised.value).startswith(f"{path}: ") and "line 2" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        ('piece = ["..0: 0", "0..: x"]\n', "; unknown key 'piece'"),
        ('pieces = ["..: x"]\nfunction = "relu"\n', "; unknown key 'function'"),
        ('pieces = "..: x"\n', ""),
        ("pieces = [0, 1]\n", ""),
        ('pieces = ["..: x", 1]\n', ""),
        ('pieces = [["..: x"]]\n', ""),
        ('[pieces]\nrelu = "..: x"\n', ""),
        ("", ""),
        ("# nothing\n", ""),
    ],
)
def test_load_pieces_wrong_shape(tmp_path: Path, text: str, extra: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_pieces(path)
    assert str(raised.value) == (
        f'{path}: expected one key, pieces = ["LOWER..UPPER: TERMS", ...]{extra}'
    )


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        (  # one piece per line: line 4, the piece's text starts after 4 spaces and a quote
            '# relu with a typo\npieces = [\n    "..0: 0",\n    "0..: 2x^",\n]\n',
            "4:6",
            "piece '0..: 2x^': cannot read a term at '^' (expected C*x^K, C*x, x or C)",
        ),
        (  # the second piece of one line: 'pieces = ["..0: 0", "' is 21 characters
            'pieces = ["..0: 0", "0..0: x"]\n',
            "1:22",
            "piece '0..0: x': the interval [0, 0) is empty",
        ),
        (  # a literal string, after a blank line and a comment
            "\n# comment\npieces = ['..0: 0', '0..: x x']\n",
            "3:22",
            "piece '0..: x x': terms must be joined by + or -, at 'x'",
        ),
        (
            'pieces = [\n\t"..: 1/0"\n]\n',
            "2:3",
            "piece '..: 1/0': coefficient '1/0' is not an exact number (e.g. -2, 0.125, 1/8)",
        ),
        (
            'pieces = ["..: x", "0..:"]\n',
            "1:21",
            "piece '0..:': a piece needs a polynomial after ':' (write 0 for the zero function)",
        ),
    ],
)
def test_load_pieces_locates_a_bad_piece(
    tmp_path: Path, text: str, position: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_pieces(path)
    assert str(raised.value) == f"{path}:{position}: {message}"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ('pieces = ["-1..: x", "1..:"]\n', "1:23"),  # '1..:' also occurs in '-1..: x'
        ('# "..: x x" is not a piece\npieces = ["..: x x"]\n', "2:12"),  # and in the comment
    ],
)
def test_load_pieces_locates_a_piece_whose_text_occurs_earlier(
    tmp_path: Path, text: str, position: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match="piece '") as raised:
        load_pieces(path)
    assert str(raised.value).startswith(f"{path}:{position}: ")


def test_load_pieces_refuses_an_empty_list(tmp_path: Path) -> None:
    path = _write(tmp_path, "pieces = []\n")
    with pytest.raises(InputError) as raised:
        load_pieces(path)
    assert str(raised.value) == f"{path}: pieces is empty; a function needs at least one piece"


def test_load_pieces_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(InputError, match=r"missing\.toml"):
        load_pieces(path)
