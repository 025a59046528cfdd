"""postorder and evaluate (the traversals every formula pass and the reference simulators use)
against plain recursive definitions, on random formulas with shared sub-objects."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import formulas
from verifier import formula as fm
from verifier.formula import And, Formula, Not, Or, Top, Var

ATOMS = ["a", "b", "c"]


@st.composite
def shared_formulas(draw: st.DrawFn) -> Formula:
    """A random formula whose sub-objects also occur elsewhere by identity (a DAG)."""
    f = draw(formulas(ATOMS))
    g = draw(formulas(ATOMS))
    shapes = [And(f, Not(f)), Or(And(f, g), And(g, f)), Not(Not(f)), f]
    return draw(st.sampled_from(shapes))


def recursive_postorder(formula: Formula, seen: set[int] | None = None) -> list[Formula]:
    seen = set() if seen is None else seen
    if id(formula) in seen:
        return []
    seen.add(id(formula))
    order = []
    for child in formula.children:
        order.extend(recursive_postorder(child, seen))
    return [*order, formula]


def recursive_value(formula: Formula, env: dict[str, bool]) -> bool:
    if isinstance(formula, Var):
        return env[formula.name]
    if isinstance(formula, Not):
        return not recursive_value(formula.arg, env)
    if isinstance(formula, And):
        return recursive_value(formula.left, env) and recursive_value(formula.right, env)
    if isinstance(formula, Or):
        return recursive_value(formula.left, env) or recursive_value(formula.right, env)
    return isinstance(formula, Top)


@given(shared_formulas())
def test_postorder_is_the_recursive_postorder(formula: Formula) -> None:
    expected = recursive_postorder(formula)
    assert [id(n) for n in fm.postorder(formula)] == [id(n) for n in expected]


@given(shared_formulas(), st.lists(st.booleans(), min_size=3, max_size=3))
def test_evaluate_is_the_recursive_value(formula: Formula, bits: list[bool]) -> None:
    env = dict(zip(ATOMS, bits, strict=True))
    assert fm.evaluate(formula, env) == recursive_value(formula, env)
    assert fm.fold(formula, lambda node, kids: 1 + sum(kids)) >= len(fm.postorder(formula))


def test_deep_formulas_do_not_recurse() -> None:
    f: Formula = Var("a")
    for _ in range(50_000):
        f = Not(f)
    assert fm.evaluate(f, {"a": True}) is True
    assert len(fm.postorder(f)) == 50_001
