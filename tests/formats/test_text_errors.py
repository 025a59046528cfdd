"""Catalogue of malformed .bnl/.sc/.circ inputs: each error names the exact line and column and
says what was expected (DESIGN.md 3.1, "Errors")."""

from __future__ import annotations

import pytest

from verifier.errors import InputError, ParseError
from verifier.formats import bnl_text, circ_text, sc_text
from verifier.formats.source import read_source
from verifier.formats.text_syntax import catalogue_examples, catalogue_states

LOADS = {"bnl": bnl_text.loads, "sc": sc_text.loads, "circ": circ_text.loads}

# (id, format, text, line, column, key phrase of the message)
# fmt: off
CASES = [
    # -- syntax
    ("unknown-directive", "bnl", "X :- X\nprnt X\n", 2, 1, "unknown directive 'prnt'"),
    ("directive-of-other-format", "bnl", "outputs X\n", 1, 1, "directive of .circ files"),
    ("formula-syntax", "bnl", "X :- X & & X\n", 1, 10, "expected a formula, got '&'"),
    ("formula-missing", "bnl", "X :- X # fine\nX :- # oops\n", 2, 5, "expected a formula"),
    ("formula-operator", "sc", "props p\nX(0) :- p q\n", 2, 11, "expected '&', '|' or the end"),
    ("unclosed-paren", "bnl", "X :- (X & X\n", 1, 12, "expected ')' or '|'"),
    ("bad-character", "bnl", "X :- X $ X\n", 1, 8, "got '$'"),
    ("terminal-head", "bnl", "X(1) :- 1\nX :- X\n", 1, 3, "malformed terminal clause"),
    ("rounds-malformed", "bnl", "attention rounds 0, 3 5+2k\nX :- X\n", 1, 23,
     "malformed 'attention rounds'"),
    ("rounds-missing", "sc", "X(0) :- 1\nattention rounds\n", 2, 17,
     "malformed 'attention rounds'"),
    ("rounds-step-zero", "bnl", "attention rounds 5+0k\nX :- X\n", 1, 20, "step b of at least 1"),
    ("attention-empty", "bnl", "X :- X\nattention\n", 2, 10, "malformed 'attention'"),
    ("gate-malformed", "circ", "inputs x\noutputs g\ng = and(x\n", 3, 10, "malformed gate"),
    ("gate-not-arity", "circ", "inputs x\noutputs g\ng = not(x, x)\n", 3, 5,
     "not() takes exactly one argument"),
    ("init-malformed", "circ", "inputs a\noutputs a\ninit a\n", 3, 7, "malformed init entry"),
    ("init-bit", "circ", "inputs a\noutputs a\ninit a=2\n", 3, 8, "expected 0 or 1"),
    ("directive-twice", "bnl", "print X\nprint X\nX :- X\n", 2, 1, "given twice"),
    ("empty-file", "bnl", "# only a comment\n\n", 1, 1, "empty file: expected"),
    ("empty-text-circ", "circ", "", 1, 1, "empty file: expected 'inputs'"),
    # -- clauses (BNL, SC)
    ("two-iteration-clauses", "bnl", "X :- X\nY :- X\nX :- !X\n", 3, 1, "two iteration clauses"),
    ("two-terminal-clauses", "bnl", "X(0) :- 1\nX(0) :- 0\nX :- X\n", 2, 1,
     "two terminal clauses"),
    ("no-iteration-clause", "bnl", "X(0) :- 1\nY :- X\n", 1, 1, "no iteration clause"),
    ("undefined-name", "bnl", "X :- X\nY :- X & Z\n", 2, 10, "undefined name 'Z'"),
    ("terminal-not-constant", "bnl", "X(0) :- X\nX :- X\n", 1, 9, "must be 0 or 1"),
    ("head-named-true", "bnl", "true :- 1\n", 1, 1, "constant"),
    ("order-unknown-head", "bnl", "order X W\nX :- X\n", 1, 9, "order lists 'W'"),
    ("order-twice", "bnl", "order X X\nX :- X\n", 1, 9, "twice"),
    ("order-missing-head", "bnl", "order X\nX :- X\nY :- Y\n", 1, 1, "does not list the head 'Y'"),
    ("inputs-has-terminal", "bnl", "inputs X Y\nX :- X\nY(0) :- 1\nY :- Y\n", 1, 10,
     "which has a terminal clause"),
    ("inputs-missing-input", "bnl", "inputs\nX :- X\n", 1, 1, "does not list 'X'"),
    ("inputs-wrong-order", "bnl", "inputs Y X\nX :- X\nY :- Y\n", 1, 1, "in head order"),
    ("print-unknown", "bnl", "print X W\nX :- X\n", 1, 9, "print names 'W'"),
    ("attention-unknown", "bnl", "attention W\nX :- X\n", 1, 11, "attention names 'W'"),
    ("assume-non-input", "bnl", "X(0) :- 1\nY :- Y\nX :- X\nassume Y & X\n", 4, 12,
     "'X', which is not an input predicate"),
    ("sc-prop-as-head", "sc", "props p q\np(0) :- q\np :- q\n", 2, 1, "is a proposition symbol"),
    ("sc-no-terminal-clause", "sc", "props p\nX :- p\n", 2, 1, "no terminal clause"),
    ("sc-no-iteration-clause", "sc", "props p\nX(0) :- p\n", 2, 1, "no iteration clause"),
    ("sc-terminal-uses-variable", "sc", "props p\nX(0) :- p & X\nX :- X\n", 2, 13,
     "proposition symbols only"),
    ("sc-undefined-name", "sc", "props p\nX(0) :- p\nX :- X | r\n", 3, 10, "undefined name 'r'"),
    ("sc-prop-twice", "sc", "props p p\nX(0) :- p\nX :- p\n", 1, 9, "defined twice"),
    ("sc-inputs-not-props", "sc", "props p\ninputs q\nX(0) :- p\nX :- p\n", 2, 1,
     "proposition symbols in order"),
    ("sc-assume-non-prop", "sc", "props p\nX(0) :- p\nX :- X\nassume X\n", 4, 8,
     "not a proposition symbol"),
    # -- circuits
    ("gate-cycle", "circ", "inputs x\noutputs g\ng = and(x, h)\nh = not(g)\n", 3, 1,
     "gate cycle"),
    ("gate-defined-twice", "circ", "inputs x\noutputs g\ng = not(x)\ng = and(x)\n", 4, 1,
     "defined twice"),
    ("gate-is-input", "circ", "inputs x\noutputs x\nx = or()\n", 3, 1, "already an input gate"),
    ("gate-keyword-name", "circ", "inputs x\noutputs and\nand = not(x)\n", 3, 1, "keyword"),
    ("gate-undefined-ref", "circ", "inputs x\noutputs g\ng = and(x, !y)\n", 3, 13,
     "undefined gate 'y'"),
    ("output-undefined", "circ", "inputs x\noutputs g\n", 2, 9, "output gate 'g' is not defined"),
    ("io-count-mismatch", "circ", "inputs x y\noutputs g\ng = or()\n", 2, 1,
     "2 input gates but 1 output gates"),
    ("inputs-line-missing", "circ", "outputs g\ng = or()\n", 1, 1, "missing 'inputs' line"),
    ("input-twice", "circ", "inputs x y x\noutputs x y x\n", 1, 12, "defined twice"),
    ("init-not-input", "circ", "inputs x\noutputs g\ninit g=0\ng = not(x)\n", 3, 6,
     "init names 'g', which is not an input gate"),
    ("init-twice", "circ", "inputs x a\noutputs x a\ninit a=0 a=1\n", 3, 10, "twice"),
    ("position-out-of-range", "circ", "inputs x y\noutputs x y\nprint 1 3\n", 3, 9,
     "print position 3 is out of range 1..2"),
    ("position-zero", "circ", "inputs x\noutputs x\nprint 0\n", 3, 7, "position 0 is out of range"),
    ("print-unknown-name", "circ", "inputs x\noutputs x\nprint y\n", 3, 7,
     "'y' is not an input gate"),
    ("attention-out-of-range", "circ", "inputs x\noutputs x\nattention 2\n", 3, 11,
     "attention position 2 is out of range"),
    ("attention-unknown-name", "circ", "inputs x\noutputs x\nattention z\n", 3, 11,
     "'z' is not an input gate"),
    ("assume-non-input-position", "circ", "inputs x a\noutputs x a\ninit a=0\nassume x | a\n",
     4, 12, "'a', which is not an input position"),
]
# fmt: on


@pytest.mark.parametrize(
    ("fmt", "text", "line", "col", "phrase"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_malformed_input(fmt, text, line, col, phrase):
    with pytest.raises(ParseError) as info:
        LOADS[fmt](text, f"in.{fmt}")
    err = info.value
    assert (err.file, err.line, err.col) == (f"in.{fmt}", line, col), err.message
    assert phrase in err.message
    assert err.context == text.split("\n")[line - 1]
    # The rendered message is what the user sees: file:line:col, then the line and a caret.
    assert str(err).startswith(f"in.{fmt}:{line}:{col}: error: ")
    assert str(err).endswith("\n    " + " " * (col - 1) + "^")


def test_errors_are_input_errors():
    assert issubclass(ParseError, InputError)


@pytest.mark.parametrize("start", ["bnl", "sc", "circ"])
def test_catalogue_examples_fail_in_states_of_their_own_label(start):
    states = catalogue_states(start)
    for label, lines in catalogue_examples(start).items():
        for line in lines:
            with pytest.raises(ParseError) as info:
                LOADS[start](line + "\n")
            assert info.value.message.startswith(label), (line, info.value.message)
        assert label in states.values()


# -- reading files


def test_read_source_decodes_utf8_and_drops_a_bom(tmp_path):
    path = tmp_path / "a.bnl"
    path.write_bytes("\ufeffX :- X # ä\n".encode())
    assert read_source(path) == "X :- X # ä\n"


def test_missing_file(tmp_path):
    path = tmp_path / "missing.bnl"
    with pytest.raises(ParseError) as info:
        read_source(path)
    assert (info.value.file, info.value.line, info.value.col) == (str(path), 1, 1)
    assert "cannot read the file" in info.value.message


def test_directory_is_unreadable(tmp_path):
    with pytest.raises(ParseError, match="cannot read the file"):
        read_source(tmp_path)


def test_binary_file(tmp_path):
    path = tmp_path / "a.circ"
    path.write_bytes(b"inputs x\nout\x00puts\n")
    with pytest.raises(ParseError) as info:
        read_source(path)
    assert (info.value.line, info.value.col) == (2, 4)
    assert "binary file" in info.value.message


def test_utf16_file(tmp_path):
    path = tmp_path / "a.bnl"
    path.write_bytes("X :- X\n".encode("utf-16"))
    with pytest.raises(ParseError, match="UTF-16"):
        read_source(path)


def test_invalid_utf8(tmp_path):
    path = tmp_path / "a.bnl"
    path.write_bytes("X :- X\n# größe \xe9\n".encode("latin-1"))
    with pytest.raises(ParseError) as info:
        read_source(path)
    assert (info.value.line, info.value.col) == (2, 5)
    assert "invalid UTF-8 (byte 0xf6)" in info.value.message
    assert info.value.context == "# gr\ufffd\ufffde \ufffd"


def test_invalid_utf8_column_counts_characters(tmp_path):
    path = tmp_path / "a.bnl"
    path.write_bytes("# äé ".encode() + b"\xff\n")
    with pytest.raises(ParseError) as info:
        read_source(path)
    assert (info.value.line, info.value.col) == (1, 6)


def test_empty_file(tmp_path):
    path = tmp_path / "a.sc"
    path.write_bytes(b"")
    with pytest.raises(ParseError) as info:
        sc_text.loads(read_source(path), str(path))
    assert (info.value.file, info.value.line, info.value.col) == (str(path), 1, 1)
    assert info.value.message.startswith("empty file: expected")
