"""The AIG builder: structural hashing, constant folding, and semantics by exhaustive evaluation."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import formulas, raw_aigs
from verifier import formula as fm
from verifier.formula import Formula
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.ir.compile import compile_formula
from verifier.ir.system import InvariantError, check_aig

ATOMS = ["a", "b", "c", "d"]


def test_constant_folding() -> None:
    b = AigBuilder(1)
    x = b.input(0)
    assert b.and_(x, FALSE) == FALSE and b.and_(FALSE, x) == FALSE
    assert b.and_(x, TRUE) == x and b.and_(TRUE, x) == x
    assert b.and_(x, x) == x
    assert b.and_(x, x ^ 1) == FALSE and b.and_(x ^ 1, x) == FALSE
    assert b.and_(TRUE, TRUE) == TRUE and b.and_(TRUE, FALSE) == FALSE
    assert b.or_(x, x ^ 1) == TRUE and b.or_(x, FALSE) == x and b.or_(x, TRUE) == TRUE
    assert b.num_ands == 0


def test_structural_hashing_is_commutative_and_per_builder() -> None:
    b = AigBuilder(2)
    x, y = b.input(0), b.input(1)
    g = b.and_(x, y)
    assert b.and_(y, x) == g and b.num_ands == 1
    assert b.and_(x ^ 1, y) != g and b.num_ands == 2
    assert b.or_(x, y) == b.or_(y, x) and b.num_ands == 3
    other = AigBuilder(2)
    assert other.num_ands == 0 and other.and_(x, y) == g  # same numbering, own table
    assert other.num_ands == 1


def test_and_all_or_all() -> None:
    b = AigBuilder(3)
    x, y, z = (b.input(i) for i in range(3))
    assert b.and_all([]) == TRUE and b.or_all([]) == FALSE
    assert b.and_all([x]) == x and b.or_all([x, x]) == x
    assert b.and_all([x, y, FALSE]) == FALSE and b.or_all([x, TRUE]) == TRUE
    assert b.and_all([x, y, x ^ 1]) == FALSE
    aig_lit = b.and_all([x, y, z])
    aig = b.build()
    for bits in itertools.product([0, 1], repeat=3):
        assert aig.value(aig.evaluate(list(bits)), aig_lit) == all(bits)


def test_literal_range_and_input_index_are_checked() -> None:
    b = AigBuilder(1)
    with pytest.raises(ValueError):
        b.and_(2, 4)
    with pytest.raises(IndexError):
        b.input(1)


def test_evaluate_bit_parallel_matches_one_at_a_time() -> None:
    b = AigBuilder(3)
    x, y, z = (b.input(i) for i in range(3))
    lit = b.xor(b.mux(x, y, z), b.or_(y, z ^ 1))
    aig = b.build()
    rows = list(itertools.product([0, 1], repeat=3))
    leaves = [sum(r[i] << k for k, r in enumerate(rows)) for i in range(3)]
    mask = (1 << len(rows)) - 1
    parallel = aig.value(aig.evaluate(leaves, mask), lit, mask)
    for k, r in enumerate(rows):
        expected = (r[1] if r[0] else r[2]) ^ (r[1] | (1 - r[2]))
        assert aig.value(aig.evaluate(list(r)), lit) == expected == (parallel >> k) & 1


@given(st.lists(formulas(ATOMS, max_leaves=12), min_size=1, max_size=4))
def test_compiled_formulas_evaluate_like_the_formulas(fs: list[Formula]) -> None:
    b = AigBuilder(len(ATOMS))
    env = {name: b.input(i) for i, name in enumerate(ATOMS)}
    lits = [compile_formula(b, f, env) for f in fs]
    aig = b.build()
    check_aig(aig)
    for bits in itertools.product([False, True], repeat=len(ATOMS)):
        values = aig.evaluate([int(v) for v in bits])
        assignment = dict(zip(ATOMS, bits, strict=True))
        for f, lit in zip(fs, lits, strict=True):
            assert aig.value(values, lit) == fm.evaluate(f, assignment)


@given(formulas(ATOMS, max_leaves=12))
def test_strash_merges_a_formula_compiled_twice(f: Formula) -> None:
    b = AigBuilder(len(ATOMS))
    env = {name: b.input(i) for i, name in enumerate(ATOMS)}
    first = compile_formula(b, f, env)
    size = b.num_ands
    assert compile_formula(b, f, env) == first and b.num_ands == size


@given(raw_aigs())
def test_levels_and_cone(aig: Aig) -> None:
    level = aig.levels()
    for i, (a, b) in enumerate(zip(aig.left, aig.right, strict=True)):
        assert level[aig.first_and_var + i] == 1 + max(level[a >> 1], level[b >> 1])
    if aig.num_ands:
        root = aig.and_lit(aig.num_ands - 1)
        needed = aig.cone([root])
        assert needed[root >> 1]
        for i in range(aig.num_ands):
            if needed[aig.first_and_var + i]:
                assert needed[aig.left[i] >> 1] and needed[aig.right[i] >> 1]


@given(raw_aigs())
def test_supports_are_the_inputs_in_the_cone(aig: Aig) -> None:
    lits = [2 * v + c for v in range(aig.num_vars) for c in (0, 1)]
    for lit, support in zip(lits, aig.supports(lits), strict=True):
        needed = aig.cone([lit])
        assert support == {i for i in range(aig.num_inputs) if needed[1 + i]}


def test_deep_formula_compiles_without_recursion() -> None:
    f: Formula = fm.Var("a")
    for i in range(30_000):
        f = fm.And(f, fm.Var(ATOMS[i % 4])) if i % 3 else fm.Or(fm.Not(f), fm.Var("b"))
    b = AigBuilder(4)
    env = {name: b.input(i) for i, name in enumerate(ATOMS)}
    lit = compile_formula(b, f, env)
    aig = b.build()
    check_aig(aig)
    for bits in ([0, 0, 0, 0], [1, 1, 1, 1], [1, 0, 1, 0]):
        assignment = dict(zip(ATOMS, map(bool, bits), strict=True))
        assert aig.value(aig.evaluate(bits), lit) == fm.evaluate(f, assignment)


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        ((2,), (4,), "earlier variable"),  # gate 0 is variable 2; literal 4 is itself
        ((2,), (2,), "ordered"),
        ((2,), (1,), "folded"),
        ((3,), (2,), "folded"),
        ((2, 4, 5), (1, 2, 2), "folded"),
    ],
)
def test_check_aig_rejects_malformed_graphs(
    left: tuple[int, ...], right: tuple[int, ...], message: str
) -> None:
    with pytest.raises(InvariantError, match=message):
        check_aig(Aig(1, left, right))


def test_check_aig_rejects_duplicates_only_when_normalised() -> None:
    aig = Aig(2, (4, 4), (2, 2))
    with pytest.raises(InvariantError, match="duplicate"):
        check_aig(aig)
    check_aig(aig, normalised=False)


@given(raw_aigs(max_inputs=4, max_ands=16), st.data())
def test_embed_copies_the_function_of_every_literal_in_the_cone(aig: Aig, data) -> None:
    """Embedding under a permutation of the inputs, all of it or only a cone: each literal
    computes the same function of the (permuted) inputs."""
    lits = st.integers(0, 2 * aig.num_vars - 1)
    roots = data.draw(st.lists(lits, max_size=3))
    perm = data.draw(st.permutations(range(aig.num_inputs)))
    for cone_only in (False, True):
        builder = AigBuilder(aig.num_inputs)
        mapped = builder.embed(aig, [builder.input(p) for p in perm], roots if cone_only else None)
        needed = aig.cone(roots)
        copy = builder.build()
        for bits in itertools.product((0, 1), repeat=aig.num_inputs):
            original = aig.evaluate(bits)
            permuted = copy.evaluate([bits[perm.index(i)] for i in range(aig.num_inputs)])
            for var in range(aig.num_vars):
                if cone_only and not needed[var] and var > aig.num_inputs:
                    with pytest.raises(ValueError, match="outside the embedded cone"):
                        mapped(2 * var)
                    continue
                for lit in (2 * var, 2 * var + 1):
                    assert Aig.value(permuted, mapped(lit)) == Aig.value(original, lit)
        if cone_only:
            full = AigBuilder(aig.num_inputs)
            full.embed(aig, [full.input(p) for p in perm])
            assert copy.num_ands <= full.num_ands
