"""sweep_solve against brute-force evaluation: random raw AIGs with random care literals and
cubes, through the direct attempt and through the sweep itself; miters of two differently
built adders (UNSAT, equivalences proved on the way; SAT when one is broken); samples that
show nothing, a passed deadline and bad cubes.

Tests that must take the sweep path pass ``direct_conflicts=0`` (no direct attempt).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import aig_queries
from verifier.ir.aig import FALSE, TRUE, Aig, AigBuilder
from verifier.sat import sweep as sweep_module
from verifier.sat.sweep import SweepResult, sweep_solve

Query = tuple[Aig, int, int, tuple[int, ...]]


# --- brute force ---------------------------------------------------------------------------


def all_inputs(n: int) -> tuple[list[int], int]:
    """Input i of assignment k is bit i of k, for every k < 2^n, as bit-parallel leaves."""
    count = 1 << n
    leaves = [sum(1 << k for k in range(count) if k >> i & 1) for i in range(n)]
    return leaves, (1 << count) - 1


def solutions(aig: Aig, root: int, care: int, cube: Sequence[int] = ()) -> int:
    """The assignments satisfying care & root & cube, as a bit vector over k < 2^n."""
    leaves, mask = all_inputs(aig.num_inputs)
    values = aig.evaluate(leaves, mask)
    hits = Aig.value(values, root, mask) & Aig.value(values, care, mask)
    for lit in cube:
        hits &= Aig.value(values, lit, mask)
    return hits


def satisfies(aig: Aig, inputs: Sequence[bool], lits: Sequence[int]) -> bool:
    values = aig.evaluate([int(bit) for bit in inputs])
    return all(Aig.value(values, lit) for lit in lits)


def rows(hits: int, n: int, limit: int) -> np.ndarray:
    """Up to ``limit`` of the assignments in ``hits`` as sample rows (shape (k, n))."""
    chosen = [k for k in range(1 << n) if hits >> k & 1][:limit]
    return np.array([[bool(k >> i & 1) for i in range(n)] for k in chosen], dtype=bool).reshape(
        len(chosen), n
    )


def check(aig: Aig, root: int, care: int, cube: Sequence[int], result: SweepResult) -> None:
    """The result is the brute-force answer, with a witness when satisfiable."""
    expected = solutions(aig, root, care, cube) != 0
    assert result.satisfiable is expected
    if expected:
        assert result.inputs is not None and len(result.inputs) == aig.num_inputs
        assert satisfies(aig, result.inputs, [care, root, *cube])
    else:
        assert result.inputs is None
    stats = result.stats
    assert stats.queries == stats.proved + stats.refuted + stats.given_up
    assert stats.seconds >= 0


SAMPLE_KINDS = ("care", "zeros", "ones", "random", "none")


def samples_of(kind: str, aig: Aig, root: int, care: int, cube: Sequence[int]) -> np.ndarray:
    """Sample rows: inputs satisfying care and the cube (as the contract asks), or rows that
    show nothing about the behaviour (all zero, all one, no row at all), or arbitrary ones."""
    n = aig.num_inputs
    if kind == "care":
        return rows(solutions(aig, TRUE, care, cube), n, 16)
    if kind == "zeros":
        return np.zeros((8, n), dtype=bool)
    if kind == "ones":
        return np.ones((3, n), dtype=bool)
    if kind == "random":
        return np.random.default_rng(n).integers(0, 2, size=(40, n)).astype(bool)
    return np.zeros((0, n), dtype=bool)


# --- random AIGs ---------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(aig_queries(), st.sampled_from(SAMPLE_KINDS))
def test_default_agrees_with_brute_force(query: Query, kind: str) -> None:
    aig, root, care, cube = query
    samples = samples_of(kind, aig, root, care, cube)
    check(aig, root, care, cube, sweep_solve(aig, root, care, samples, cube=cube))


@settings(max_examples=150, deadline=None)
@given(aig_queries(), st.sampled_from(SAMPLE_KINDS))
def test_sweep_path_agrees_with_brute_force(query: Query, kind: str) -> None:
    aig, root, care, cube = query
    samples = samples_of(kind, aig, root, care, cube)
    result = sweep_solve(aig, root, care, samples, cube=cube, direct_conflicts=0)
    check(aig, root, care, cube, result)


def shannon_miter(aig: Aig, root: int, v: int) -> tuple[Aig, int]:
    """The AIG beside its Shannon expansion on input ``v``: ``root`` and
    ``v ? root[v := 1] : root[v := 0]`` (both copies strashed), and the literal of their XOR,
    which is unsatisfiable; the expansion's gates are new ones wherever ``v`` matters."""
    g = AigBuilder(aig.num_inputs)
    inputs = [g.input(i) for i in range(aig.num_inputs)]
    f = g.embed(aig, inputs)(root)
    high = g.embed(aig, [TRUE if i == v else lit for i, lit in enumerate(inputs)])(root)
    low = g.embed(aig, [FALSE if i == v else lit for i, lit in enumerate(inputs)])(root)
    bad = g.xor(f, g.mux(inputs[v], high, low))
    return g.build(), bad


@settings(max_examples=80, deadline=None)
@given(aig_queries(), st.data())
def test_shannon_miters_are_unsatisfiable(query: Query, data: st.DataObject) -> None:
    aig, root, _, cube = query
    v = data.draw(st.integers(0, aig.num_inputs - 1))
    miter, bad = shannon_miter(aig, root, v)
    samples = np.random.default_rng(0).integers(0, 2, size=(32, aig.num_inputs)).astype(bool)
    result = sweep_solve(miter, bad, TRUE, samples, cube=cube, direct_conflicts=0)
    assert solutions(miter, bad, TRUE) == 0
    assert result.satisfiable is False and result.inputs is None


# --- adders ----------------------------------------------------------------------------------

Adder = Callable[[AigBuilder, list[int], list[int]], list[int]]


def ripple(g: AigBuilder, a: list[int], b: list[int]) -> list[int]:
    """a + b (n + 1 bits, least significant first) by full adders in a chain."""
    out, carry = [], FALSE
    for x, y in zip(a, b, strict=True):
        half = g.xor(x, y)
        out.append(g.xor(half, carry))
        carry = g.or_(g.and_(x, y), g.and_(carry, half))
    return [*out, carry]


def lookahead(g: AigBuilder, a: list[int], b: list[int]) -> list[int]:
    """a + b by carry lookahead: carry i = OR over j < i of g_j & p_{j+1} & .. & p_{i-1}, with
    p = a | b (not a ^ b as in the ripple adder), and the sum bit as a mux on the carry."""
    n = len(a)
    gen = [g.and_(x, y) for x, y in zip(a, b, strict=True)]
    pro = [g.or_(x, y) for x, y in zip(a, b, strict=True)]
    carries = [FALSE] + [
        g.or_all(g.and_all([gen[j], *pro[j + 1 : i]]) for j in range(i)) for i in range(1, n + 1)
    ]
    half = [g.and_(g.or_(x, y), g.and_(x, y) ^ 1) for x, y in zip(a, b, strict=True)]
    return [g.mux(carries[i], half[i] ^ 1, half[i]) for i in range(n)] + [carries[n]]


def carry_select(g: AigBuilder, a: list[int], b: list[int]) -> list[int]:
    """a + b by a carry-select adder: the upper half computed for both incoming carries."""
    n = len(a)
    k = n // 2
    low = ripple(g, a[:k], b[:k]) if k else [FALSE]

    def chain(carry: int) -> list[int]:
        out = []
        for x, y in zip(a[k:], b[k:], strict=True):
            out.append(g.xor(g.xor(x, y), carry))
            carry = g.or_all([g.and_(x, y), g.and_(x, carry), g.and_(y, carry)])
        return [*out, carry]

    with_carry, without = chain(TRUE), chain(FALSE)
    high = [g.mux(low[-1], u, v) for u, v in zip(with_carry, without, strict=True)]
    return low[:-1] + high


def adder_miter(n: int, first: Adder, second: Adder, broken: int | None = None) -> tuple[Aig, int]:
    """Inputs a (bits 0 .. n-1) and b (n .. 2n-1); the OR of the XORs of the two adders'
    outputs. ``broken``: that output bit of the second adder is negated where a_0 & b_0."""
    g = AigBuilder(2 * n)
    a = [g.input(i) for i in range(n)]
    b = [g.input(n + i) for i in range(n)]
    one, two = first(g, a, b), second(g, a, b)
    if broken is not None:
        two[broken] = g.xor(two[broken], g.and_(a[0], b[0]))
    bad = g.or_all(g.xor(u, v) for u, v in zip(one, two, strict=True))
    return g.build(), bad


def adder_samples(n: int, count: int = 64) -> np.ndarray:
    return np.random.default_rng(n).integers(0, 2, size=(count, 2 * n)).astype(bool)


@pytest.mark.parametrize("second", [lookahead, carry_select], ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", [4, 8, 16])
def test_equivalent_adders_are_proved_by_sweeping(n: int, second: Adder) -> None:
    """A budget of one conflict does not decide the miter directly; the sweep proves internal
    equivalences and then the root (no monkeypatch: the module's own path)."""
    aig, bad = adder_miter(n, ripple, second)
    result = sweep_solve(aig, bad, TRUE, adder_samples(n), direct_conflicts=1)
    assert result.satisfiable is False and result.inputs is None
    if n >= 8:
        assert result.stats.proved > 0
        assert result.stats.queries == (
            result.stats.proved + result.stats.refuted + result.stats.given_up
        )


@pytest.mark.parametrize("n", [4, 12])
def test_equivalent_adders_with_no_direct_attempt(n: int) -> None:
    aig, bad = adder_miter(n, ripple, lookahead)
    result = sweep_solve(aig, bad, TRUE, adder_samples(n), direct_conflicts=0)
    assert result.satisfiable is False
    assert result.stats.proved > 0


@pytest.mark.parametrize("kind", ["zeros", "ones", "one row", "none", "random"])
def test_uninformative_samples_do_not_change_the_answer(kind: str) -> None:
    n = 10
    equal, bad = adder_miter(n, ripple, carry_select)
    broken, broken_bad = adder_miter(n, ripple, carry_select, broken=n - 1)
    samples = {
        "zeros": np.zeros((64, 2 * n), dtype=bool),
        "ones": np.ones((5, 2 * n), dtype=bool),
        "one row": np.zeros((1, 2 * n), dtype=bool),
        "none": np.zeros((0, 2 * n), dtype=bool),
        "random": adder_samples(n),
    }[kind]
    for direct in (0, sweep_module.DIRECT_CONFLICTS):
        result = sweep_solve(equal, bad, TRUE, samples, direct_conflicts=direct)
        assert result.satisfiable is False
        if direct == 0:
            # With samples that show nothing every gate starts as a candidate of the
            # constant's class: the counterexamples must split them, and some are proved.
            assert result.stats.proved > 0
            assert kind == "random" or result.stats.refuted > 0
        wrong = sweep_solve(broken, broken_bad, TRUE, samples, direct_conflicts=direct)
        assert wrong.satisfiable is True and wrong.inputs is not None
        assert satisfies(broken, wrong.inputs, [broken_bad])


@pytest.mark.parametrize("broken", [0, 3, 6])
def test_broken_adder_gives_a_distinguishing_input(broken: int) -> None:
    n = 6
    aig, bad = adder_miter(n, ripple, lookahead, broken=broken)
    for direct in (0, 1, sweep_module.DIRECT_CONFLICTS):
        result = sweep_solve(aig, bad, TRUE, adder_samples(n), direct_conflicts=direct)
        assert result.satisfiable is True and result.inputs is not None
        values = aig.evaluate([int(bit) for bit in result.inputs])
        assert Aig.value(values, bad)
        assert result.inputs[0] and result.inputs[n]  # the bug needs a_0 & b_0


# --- care and cubes ----------------------------------------------------------------------


def one_hot_miter() -> tuple[Aig, int, int]:
    """Inputs x0, x1, x2; ``bad`` = x0 xor (!x1 & !x2) and ``care`` = "exactly one of x0,
    x1, x2": x0 and !x1 & !x2 are equivalent under care only, so care & bad is unsatisfiable
    and bad alone is not (all zero)."""
    g = AigBuilder(3)
    x = [g.input(i) for i in range(3)]
    bad = g.xor(x[0], g.and_(x[1] ^ 1, x[2] ^ 1))
    exactly_one = g.and_(
        g.or_all(x), g.and_all(g.and_(x[i], x[j]) ^ 1 for i in range(3) for j in range(i))
    )
    return g.build(), bad, exactly_one


@pytest.mark.parametrize("direct", [0, sweep_module.DIRECT_CONFLICTS])
def test_care_restricts(direct: int) -> None:
    aig, bad, exactly_one = one_hot_miter()
    samples = np.eye(3, dtype=bool)
    assert sweep_solve(aig, bad, exactly_one, samples, direct_conflicts=direct).satisfiable is False
    free = sweep_solve(aig, bad, TRUE, samples, direct_conflicts=direct)
    assert free.satisfiable is True and free.inputs is not None
    assert satisfies(aig, free.inputs, [bad])
    assert sweep_solve(aig, TRUE, FALSE, samples, direct_conflicts=direct).satisfiable is False


@pytest.mark.parametrize("direct", [0, sweep_module.DIRECT_CONFLICTS])
def test_cubes_restrict(direct: int) -> None:
    n = 6
    aig, bad = adder_miter(n, ripple, lookahead, broken=n)  # differs iff a0 & b0
    samples = adder_samples(n)
    a0, b0 = aig.input_lit(0), aig.input_lit(n)
    for cube, expected in [
        ((), True),
        ((a0,), True),
        ((a0 ^ 1,), False),
        ((a0, b0 ^ 1), False),
        ((a0, b0), True),
        ((a0, a0 ^ 1), False),
    ]:
        result = sweep_solve(aig, bad, TRUE, samples, cube=cube, direct_conflicts=direct)
        assert result.satisfiable is expected, cube
        assert (solutions(aig, bad, TRUE, cube) != 0) is expected
        if expected:
            assert result.inputs is not None
            assert satisfies(aig, result.inputs, [bad, *cube])


def test_cube_literals_must_be_inputs() -> None:
    aig, bad = adder_miter(2, ripple, lookahead)
    samples = adder_samples(2)
    for lit in (0, 1, 2 * (1 + aig.num_inputs), aig.and_lit(0)):
        with pytest.raises(ValueError, match="not an input literal"):
            sweep_solve(aig, bad, TRUE, samples, cube=(lit,))


def test_a_passed_deadline_gives_unknown() -> None:
    aig, bad = adder_miter(8, ripple, lookahead)
    result = sweep_solve(
        aig, bad, TRUE, adder_samples(8), deadline=time.monotonic() - 1, direct_conflicts=0
    )
    assert result.satisfiable is None and result.inputs is None


def test_given_up_queries_leave_the_answer_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every candidate query out of budget at once: nothing is proved, the root query still
    decides."""
    monkeypatch.setattr(sweep_module, "QUERY_CONFLICTS", 0)
    aig, bad = adder_miter(6, ripple, lookahead)
    result = sweep_solve(aig, bad, TRUE, adder_samples(6), direct_conflicts=0)
    assert result.satisfiable is False
    assert result.stats.given_up > 0 and result.stats.proved == 0
    aig, bad = adder_miter(6, ripple, lookahead, broken=2)
    result = sweep_solve(aig, bad, TRUE, adder_samples(6), direct_conflicts=0)
    assert result.satisfiable is True and result.inputs is not None
    assert satisfies(aig, result.inputs, [bad])


def test_a_zero_direct_budget_goes_straight_to_sweeping() -> None:
    aig, bad = adder_miter(8, ripple, lookahead)
    result = sweep_solve(aig, bad, TRUE, adder_samples(8), direct_conflicts=0)
    assert result.satisfiable is False
    assert result.stats.queries > 0 and result.stats.proved > 0
