"""The shared example files parse, print and re-parse equal, and hold what the files say."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES
from verifier.formats import bnl_text, circ_text, sc_text
from verifier.formats.source import read_source
from verifier.formula import And, Not, Or, Var
from verifier.models import AttentionBits

FORMATS = {".bnl": bnl_text, ".sc": sc_text, ".circ": circ_text}
FILES = sorted(p.name for p in EXAMPLES.glob("*") if p.suffix in FORMATS)


def load(examples, name):
    path = examples / name
    return FORMATS[path.suffix].loads(read_source(path), str(path))


def test_there_are_examples_of_every_format(examples):
    assert {name.rsplit(".", 1)[1] for name in FILES} == {"bnl", "sc", "circ"}


@pytest.mark.parametrize("name", FILES)
def test_example_round_trip(examples, name):
    module = FORMATS[(examples / name).suffix]
    model = load(examples, name)
    text = module.dumps(model)
    assert module.loads(text) == model
    assert module.dumps(module.loads(text)) == text


def test_parity4_circ(examples):
    circuit = load(examples, "parity4.circ")
    assert circuit.n == 5
    assert circuit.inputs == ("x1", "x2", "x3", "x4", "a")
    assert circuit.outputs == ("o1", "o2", "o3", "o4", "oa")
    assert circuit.init == (None, None, None, None, False)  # init a=0 on position 5
    assert circuit.input_names == ("x1", "x2", "x3", "x4")
    assert circuit.print_ == (0,)  # `print 1`
    assert circuit.attention == AttentionBits((4,))  # `attention a`
    # By hand: 5 input gates; o1 and o2 each or + 2 and + 2 not = 5; o3, o4 one or() each;
    # oa = or + and + 3 not = 5. Depth: x2 -> not -> and -> or, 3 edges.
    assert circuit.size == 5 + 5 + 5 + 1 + 1 + 5 == 22
    assert circuit.depth == 3
    assert circuit.max_fanin == 3


def test_parity4_bnl(examples):
    program = load(examples, "parity4.bnl")
    assert program.names == ("X1", "X2", "X3", "X4", "A")
    assert program.input_names == ("X1", "X2", "X3", "X4")
    assert program.print_ == ("X1",)
    assert program.attention == AttentionBits(("A",))
    assert program.head("A").init is False
    x2, x3, x4 = (Not(Var(f"X{i}")) for i in (2, 3, 4))
    assert program.head("A").body == Or(And(And(x2, x3), x4), Var("A"))
    # (!X2 & !X3 & !X4) | A: binary connectives, so ! then & then & then |.
    assert program.depth == 4


def test_counter3(examples):
    program = load(examples, "counter3.bnl")
    assert program.names == ("C0", "C1", "C2")
    assert program.input_names == ()
    assert [h.init for h in program.heads] == [True, False, False]
    assert program.head("C1").body == Var("C0")
    assert program.print_ == program.names  # no print line: every head
    # Three terminal clauses of size 1 + 1 (for `1`) or 1 + 2 (for `0`), three of size 2.
    assert program.size == 2 + 3 + 3 + 3 * 2


def test_small_sc(examples):
    program = load(examples, "small.sc")
    assert program.props == ("p", "q")
    assert program.names == ("X", "Y")
    assert program.print_ == ("X",)
    assert program.attention == AttentionBits(("Y",))
    assert program.vars[1].terminal == Var("q")


def test_small_from_sc(examples):
    program = load(examples, "small_from_sc.bnl")
    assert program.names == ("X", "Y", "P", "Q", "S")
    assert program.input_names == ("P", "Q")


def test_transcriptions_used_by_the_simulator_tests_equal_the_files():
    """tests/example_models.py builds the examples in code; they must be the files' models."""
    from tests import example_models as em
    from tests.conftest import EXAMPLES
    from verifier.formats.registry import load

    built = {
        "parity4.circ": em.parity4_circ(),
        "parity4.bnl": em.parity4_bnl(),
        "parity4_bad.bnl": em.parity4_bad_bnl(),
        "counter3.bnl": em.counter3(),
        "small.sc": em.small_sc(),
        "small_from_sc.bnl": em.small_from_sc(),
    }
    for name, model in built.items():
        assert load(EXAMPLES / name) == model, name
