"""Minimum-cost search (issue 8, part 4): the cheapest program of the cost calculus equal to a
target over the reals, and the essay's causality degree.

**Grammar** (every result states it). Terms over the target's parameters (``x``, ``y``, ...)
and the given constants (default -2, -1, 0, 1, 2, 1/2)::

    T ::= x | c | (+ T T) | (* T T) | (relu T) | (f T ... T)

where ``+``, ``*`` and ``relu`` cost 1 each and a library definition ``f`` used as a primitive
costs what it is given (:func:`synthesize`'s ``primitives``: the essay's computed cost of the
definition for ``verify ops synth --library``, the cost of using F, 1 by default, for
:func:`cause`). Variables and constants cost 0; the cost of a term is the sum over its
applications. Terms are trees: there is no ``let``, so a sub-term used twice is paid twice
(the essay's ``let`` pays it once: x^4 costs 3 here, 2 as ``(let ((s (* x x))) (* s s))``).
"Minimum" always means minimum over this grammar.

**Search.** Bottom-up by increasing cost, level c holding the terms of cost exactly c:
``(relu t)`` for t of cost c - 1, ``(op a b)`` for + and * with cost(a) + cost(b) = c - 1,
each unordered pair once (both are commutative), and ``(f t1 ... tn)`` with the costs of the
t's summing to c - cost(f). Every term is represented by its *signature*, its values on the
sample points (numpy float64, computed for a whole level at a time by broadcasting); only the
first (cheapest) term of each distinct signature is kept, and kept terms are stored as
(operation, argument ids), rebuilt to an :class:`~verifier.ops.syntax.Expr` only when needed.
The last level is not stored, only compared with the target. A term whose signature equals
the target's values (computed exactly, :data:`~verifier.ops.semantics.EXACT`; compared with
a relative tolerance of 1e-9) is a candidate: z3 is asked whether ``p != q`` is satisfiable
over the reals (:data:`~verifier.ops.semantics.Z3`, relu as if-then-else). unsat: PASS. sat:
the model's point is moved to a nearby dyadic rational that still refutes the candidate
(checked by exact evaluation; programs are continuous, so one exists), the point joins the
samples and the search starts again from cost 0 with the refined samples
(counterexample-guided inductive synthesis).

**Soundness.**

* PASS only when z3 proved the equality over the reals (unsat); the program is in the input
  syntax and can be checked again with ``verify ops equiv``.
* Pruning is safe. Evaluation is pointwise and float64 arithmetic is deterministic, so a term's
  signature is a function of its sub-terms' signatures: replacing a sub-term by a kept term of
  the same signature (and no larger cost) keeps the whole term's signature. Hence every term of
  cost <= K is represented, on the samples, by a kept (or last-level) term of no larger cost,
  and a term equal to the target is represented by a candidate. A candidate that z3 refutes
  adds a sample that separates it from the target, and the search restarts; a candidate that z3
  proves is at the lowest level where any candidate appeared, so it is the cheapest program.
* The filter compares float64 signatures with exact target values, so it relies on the float64
  evaluation on the samples being exact. The search checks this rather than assuming it:
  sample points are small dyadic rationals, and before combining two levels by + or * it checks
  from the bits of every stored value (highest and lowest set bit) that every sum and product
  is exactly representable; inside library primitives every + and * is checked by an
  error-free transformation (TwoSum, Dekker's TwoProduct). When this cannot be shown, "none up
  to cost K" is reported as UNKNOWN, and a PASS as not proved minimal.
* "No program of cost <= K" (FAIL) is relative to the grammar: the constants, the primitives
  and the absence of sharing.

:func:`cause` is the essay's causality degree of F on G: the minimum cost of a program equal to
G when F is available as a primitive (cost of using F: 1 by default), i.e. :func:`synthesize`
of G with F added.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import z3

from verifier.checks.verdict import VerdictKind
from verifier.errors import InputError
from verifier.ops.semantics import EXACT, Z3, Closure, Domain, apply, evaluate
from verifier.ops.syntax import App, Definition, Expr, Lam, Let, Library, Num, Sym, show

__all__ = [
    "DEFAULT_CONSTANTS",
    "SynthResult",
    "SynthStats",
    "cause",
    "grammar_text",
    "sample_points",
    "synthesize",
    "usable_primitives",
]

DEFAULT_CONSTANTS: tuple[Fraction, ...] = tuple(
    Fraction(c) for c in ("-2", "-1", "0", "1", "2", "1/2")
)
"""The constants of the grammar unless told otherwise (``--constants``)."""

TOLERANCE = 1e-9
"""Relative tolerance of the sample filter: |value - target| <= 1e-9 max(1, |target|)."""

_CHUNK = 1 << 18
"""Candidate rows evaluated at a time."""

_BITS = 53
"""Significand bits of float64."""

_SAMPLE_VALUES = tuple(Fraction(n, 2) for n in range(-4, 5))
"""-2, -3/2, ..., 2: per-variable sample values (exact in float64, small products exact)."""

_TWO_VARIABLE_SAMPLES = (
    (-2, 1),
    (-3 / 2, -1 / 2),
    (-1, 3 / 2),
    (-1 / 2, -2),
    (0, 1 / 2),
    (1 / 2, -1),
    (1, 2),
    (3 / 2, -3 / 2),
    (2, 0),
    (-1, -1),
    (1 / 2, 1 / 2),
    (-2, -3 / 2),
)
"""Twelve (x, y): every sign pattern, x < y and x > y, two ties, a zero in each variable."""


# --- results -------------------------------------------------------------------------------------


@dataclass
class SynthStats:
    """Counts over all rounds of the search (a round ends when candidates were refuted and
    the search restarts with more samples)."""

    enumerated: int = 0
    """candidate terms evaluated on the samples (every level, every round)"""
    kept: int = 0
    """distinct signatures stored in the last round (the last level is never stored)"""
    matched: int = 0
    """candidates whose signature matched the target's (the sample filter)"""
    proved: int = 0
    refuted: int = 0
    unknown: int = 0
    rounds: int = 0
    samples: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "enumerated": self.enumerated,
            "kept": self.kept,
            "matched": self.matched,
            "proved": self.proved,
            "refuted": self.refuted,
            "unknown": self.unknown,
            "rounds": self.rounds,
            "samples": self.samples,
            "seconds": round(self.seconds, 3),
        }

    def line(self) -> str:
        return (
            f"{self.enumerated} candidates enumerated, {self.kept} distinct signatures kept,"
            f" {self.matched} matched the sample filter, {self.proved} proved,"
            f" {self.refuted} refuted, {self.unknown} unknown; {self.rounds} round(s),"
            f" {self.samples} sample points, {self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class SynthResult:
    """The answer of a search. PASS: ``program`` (input syntax) of cost ``cost`` was proved
    equal to the target over the reals, and ``minimal`` says whether every cheaper cost was
    searched completely (``not_minimal_because`` says why not). FAIL: no program of cost <=
    ``max_cost`` over the grammar. UNKNOWN: z3 could not decide a candidate, the refinement
    limit was reached, or the float64 evaluation on the samples could not be shown exact
    (``detail`` says which)."""

    kind: VerdictKind
    cost: int | None
    program: str | None
    expr: Expr | None
    max_cost: int
    grammar: str
    detail: str
    proof: str
    minimal: bool
    float_exact: bool
    stats: SynthStats
    not_minimal_because: str = ""
    samples: tuple[tuple[Fraction, ...], ...] = field(default=(), repr=False)

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code

    @property
    def complete(self) -> bool:
        """Every cost below the program found (PASS), or up to ``max_cost`` (FAIL), was
        searched completely."""
        return self.kind is VerdictKind.FAIL or self.minimal

    def to_json(self) -> dict[str, object]:
        """``verdict``, ``cost`` and ``program`` first, then the rest."""
        return {
            "verdict": self.kind.value,
            "cost": self.cost,
            "program": self.program,
            "method": "minimum-cost search, sample filter, z3 proof (CEGIS)",
            "detail": self.detail,
            "max_cost": self.max_cost,
            "grammar": self.grammar,
            "proof": self.proof,
            "minimal": self.minimal,
            "complete": self.complete,
            "not_minimal_because": self.not_minimal_because or None,
            "float_exact": self.float_exact,
            "stats": self.stats.to_json(),
        }


# --- operations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Op:
    """An operation of the grammar: ``fn`` maps argument rows (broadcastable float64 arrays)
    to result rows."""

    name: str
    arity: int
    cost: int
    commutative: bool
    fn: Callable[..., np.ndarray]
    builtin: bool


class _FloatState:
    """Whether every float64 operation so far was exact."""

    def __init__(self) -> None:
        self.exact = True
        self.why = ""

    def fail(self, why: str) -> None:
        if self.exact:
            self.exact, self.why = False, why


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # 2^27 + 1 (Veltkamp)
    hi = c - (c - a)
    return hi, a - hi


def _checked_domain(state: _FloatState) -> Domain[Any]:
    """float64 arrays, every + and * checked exact by an error-free transformation."""

    def constant(c: Fraction) -> float:
        value = float(c)
        if Fraction(value) != c:
            state.fail(f"the constant {c} is not a float64")
        return value

    def add(a: Any, b: Any) -> Any:
        s = np.add(a, b)
        with np.errstate(invalid="ignore", over="ignore"):
            ok = np.all((s - a == b) & (s - b == a))
        if not ok:
            state.fail("a sum inside a library primitive was rounded")
        return s

    def mul(a: Any, b: Any) -> Any:
        p = np.multiply(a, b)
        with np.errstate(invalid="ignore", over="ignore"):
            ah, al = _split(np.asarray(a, dtype=np.float64))
            bh, bl = _split(np.asarray(b, dtype=np.float64))
            err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
            ok = np.all(err == 0) and np.all(np.isfinite(p))
        if not ok:
            state.fail("a product inside a library primitive was rounded")
        return p

    return Domain("float64 (checked exact)", constant, add, mul, lambda a: np.maximum(a, 0.0))


def _library_op(name: str, arity: int, op_cost: int, library: Library, domain: Domain[Any]) -> _Op:
    closure = evaluate(Sym(name), library, {}, domain)

    def fn(*rows: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(r) for r in rows)) if rows else ()
        with np.errstate(all="ignore"):
            value = apply(closure, list(rows), library, domain) if rows else closure
        if isinstance(value, Closure):
            raise InputError(f"{name} does not return a number")
        return np.array(np.broadcast_to(np.asarray(value, dtype=np.float64), shape))

    return _Op(name, arity, op_cost, False, fn, False)


_BUILTINS = (
    _Op("+", 2, 1, True, np.add, True),
    _Op("*", 2, 1, True, np.multiply, True),
    _Op("relu", 1, 1, False, lambda a: np.maximum(a, 0.0), True),
)


def grammar_text(
    params: Sequence[str],
    constants: Sequence[Fraction],
    primitives: Mapping[str, tuple[int, int]],
) -> str:
    """The grammar in one line, e.g. ``T ::= x | y | c in {-2, ..., 1/2} | (+ T T) ...``;
    ``primitives`` maps a library name to its (arity, cost)."""
    leaves = " | ".join(params)
    consts = ", ".join(str(c) for c in constants)
    parts = [leaves, f"c in {{{consts}}}"] if leaves else [f"c in {{{consts}}}"]
    parts += ["(+ T T)", "(* T T)", "(relu T)"]
    costs = ["+ * relu cost 1 each"]
    for name, (arity, op_cost) in primitives.items():
        parts.append(f"({name}{' T' * arity})" if arity else name)
        costs.append(f"{name} costs {op_cost}")
    return (
        f"T ::= {' | '.join(parts)}; {', '.join(costs)}; variables and constants cost 0;"
        " terms are trees (no let: a repeated sub-term is paid each time)"
    )


# --- sample points -------------------------------------------------------------------------------


def sample_points(n: int) -> list[tuple[Fraction, ...]]:
    """The initial samples for ``n`` variables: small dyadic rationals in [-2, 2] (float64
    evaluation of small programs on them is exact)."""
    if n == 0:
        return [()]
    if n == 1:
        return [(v,) for v in _SAMPLE_VALUES]
    if n == 2:
        return [tuple(Fraction(v) for v in p) for p in _TWO_VARIABLE_SAMPLES]
    rng = random.Random(n)
    points: list[tuple[Fraction, ...]] = [tuple(Fraction(0) for _ in range(n))]
    while len(points) < 12 + 2 * n:
        p = tuple(rng.choice(_SAMPLE_VALUES) for _ in range(n))
        if p not in points:
            points.append(p)
    return points


# --- the search ----------------------------------------------------------------------------------


_NO_BITS = (-(10**6), 10**6, 0)


def _bit_stats(rows: np.ndarray) -> tuple[int, int, int] | None:
    """(highest set bit exponent, lowest set bit exponent, widest significand) over the
    nonzero values of ``rows`` (None when a value is not finite)."""
    values = np.abs(rows[rows != 0])
    if values.size == 0:
        return _NO_BITS
    if not np.all(np.isfinite(values)):
        return None
    mantissa, exponent = np.frexp(values)
    significand = np.ldexp(mantissa, _BITS).astype(np.int64)
    trailing = np.frexp((significand & -significand).astype(np.float64))[1] - 1
    high = exponent - 1
    low = exponent - _BITS + trailing
    return int(high.max()), int(low.min()), int((high - low).max()) + 1


@dataclass
class _Level:
    sigs: np.ndarray  # (n, S) float64
    ops: np.ndarray  # (n,) int16: -1 leaf, else index into the operation table
    args: np.ndarray  # (n, A) int32: global ids (a leaf: its leaf index)
    offset: int
    bits: tuple[int, int, int] | None


class _Round:
    """One pass of the enumeration over fixed samples."""

    def __init__(self, search: _Search, samples: Sequence[tuple[Fraction, ...]]) -> None:
        self.search = search
        self.samples = list(samples)
        n_samples = len(samples)
        self.columns = [
            np.array([float(p[i]) for p in samples], dtype=np.float64)
            for i in range(search.n_params)
        ]
        self.target = np.array([float(v) for v in search.target_values(samples)])
        self.tolerance = TOLERANCE * np.maximum(1.0, np.abs(self.target))
        self.levels: list[_Level] = []
        self.seen: set[bytes] = set()
        self.row_bytes = 8 * n_samples
        self.n_samples = n_samples
        self.state = _FloatState()
        for point in samples:
            for v in point:
                if Fraction(float(v)) != v:
                    self.state.fail(f"the sample value {v} is not a float64")
        for c in search.constants:
            if Fraction(float(c)) != c:
                self.state.fail(f"the constant {c} is not a float64 (its values are rounded)")

    # terms -----------------------------------------------------------------------------------

    def term(self, gid: int) -> Expr:
        level = self.level_of(gid)
        index = gid - self.levels[level].offset
        op = int(self.levels[level].ops[index])
        args = self.levels[level].args[index]
        if op < 0:
            return self.search.leaves[int(args[0])]
        return self.build(op, [int(a) for a in args[: self.search.ops[op].arity]])

    def build(self, op: int, arg_ids: Sequence[int]) -> Expr:
        name = self.search.ops[op].name
        if not arg_ids:  # a library constant
            return Sym(name)
        return App(Sym(name), tuple(self.term(a) for a in arg_ids))

    def level_of(self, gid: int) -> int:
        for level in range(len(self.levels) - 1, -1, -1):
            if gid >= self.levels[level].offset:
                return level
        raise AssertionError(gid)

    # enumeration -----------------------------------------------------------------------------

    def run(self) -> Iterator[tuple[int, Expr | None]]:
        """Yield (cost, candidate) for every term whose signature matches the target's, by
        increasing cost, and (cost, None) when a level is complete; the caller proves or
        refutes each candidate."""
        search = self.search
        width = max(2, *(op.arity for op in search.ops))
        leaf_rows = []
        for leaf in search.leaves:
            if isinstance(leaf, Sym):
                leaf_rows.append(self.columns[search.params.index(leaf.name)])
            else:
                leaf_rows.append(np.full(self.n_samples, search.leaf_value(leaf)))
        rows = np.array(leaf_rows, dtype=np.float64).reshape(len(leaf_rows), self.n_samples)
        ops = np.full(len(leaf_rows), -1, dtype=np.int16)
        args = np.zeros((len(leaf_rows), width), dtype=np.int32)
        args[:, 0] = np.arange(len(leaf_rows))
        self.pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.offset = 0
        yield from self.consume(0, rows, ops, args, store=search.max_cost > 0)
        for rows, ops, args in self.level_chunks(0, width):  # library constants of cost 0
            yield from self.consume(0, rows, ops, args, store=search.max_cost > 0)
        self.close_level()
        yield 0, None
        for c in range(1, search.max_cost + 1):
            store = c < search.max_cost
            for rows, ops, args in self.level_chunks(c, width):
                yield from self.consume(c, rows, ops, args, store)
            if store:
                self.close_level()
            yield c, None

    def close_level(self) -> None:
        if self.pending:
            sigs = np.concatenate([p[0] for p in self.pending])
            ops = np.concatenate([p[1] for p in self.pending])
            args = np.concatenate([p[2] for p in self.pending])
        else:
            width = max(2, *(op.arity for op in self.search.ops))
            sigs = np.zeros((0, self.n_samples))
            ops = np.zeros(0, dtype=np.int16)
            args = np.zeros((0, width), dtype=np.int32)
        bits = _bit_stats(sigs)
        if bits is None:
            self.state.fail("a value on the samples is not finite")
        self.levels.append(_Level(sigs, ops, args, self.offset, bits))
        self.offset += len(sigs)
        self.pending = []

    def consume(
        self, c: int, rows: np.ndarray, ops: np.ndarray, args: np.ndarray, store: bool
    ) -> Iterator[tuple[int, Expr]]:
        search = self.search
        search.stats.enumerated += len(rows)
        rows = rows + 0.0  # -0.0 and 0.0 are one signature
        if store:
            rows = np.ascontiguousarray(rows)
            keys = rows.view(np.dtype((np.void, self.row_bytes))).ravel()
            _, first = np.unique(keys, return_index=True)
            first.sort()
            data = rows.tobytes()
            size = self.row_bytes
            fresh = []
            for i in first.tolist():
                key = data[i * size : (i + 1) * size]
                if key not in self.seen:
                    self.seen.add(key)
                    fresh.append(i)
            keep = np.array(fresh, dtype=np.int64)
            rows, ops, args = rows[keep], ops[keep], args[keep]
            self.pending.append((rows, ops, args))
        with np.errstate(invalid="ignore"):
            close = np.all(np.abs(rows - self.target) <= self.tolerance, axis=1)
        matches = np.flatnonzero(close)
        if not len(matches):
            return
        if not store:  # one candidate per signature (see the soundness notes)
            _, first = np.unique(
                np.ascontiguousarray(rows[matches]).view(np.dtype((np.void, self.row_bytes))),
                return_index=True,
            )
            matches = matches[np.sort(first)]
        for i in matches.tolist():
            op = int(ops[i])
            if op < 0:
                expr = search.leaves[int(args[i][0])]
            else:
                expr = self.build(op, [int(a) for a in args[i][: search.ops[op].arity]])
            yield c, expr

    def level_chunks(
        self, c: int, width: int
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        search = self.search
        for code, op in enumerate(search.ops):
            rest = c - op.cost
            if rest < 0:
                continue
            if op.arity == 0:
                if rest == 0:
                    row = op.fn().reshape(1, 1) * np.ones((1, self.n_samples))
                    yield row, np.array([code], np.int16), np.zeros((1, width), np.int32)
                continue
            if op.arity == 1:
                level = self.levels[rest]
                for start in range(0, len(level.sigs), _CHUNK):
                    block = level.sigs[start : start + _CHUNK]
                    with np.errstate(all="ignore"):
                        rows = op.fn(block)
                    args = np.zeros((len(block), width), np.int32)
                    args[:, 0] = level.offset + np.arange(start, start + len(block))
                    yield rows, np.full(len(block), code, np.int16), args
                continue
            if op.arity == 2:
                for i in range(rest + 1):
                    j = rest - i
                    if op.commutative and i > j:
                        continue
                    if op.builtin:
                        self.guard(op.name, self.levels[i], self.levels[j])
                    yield from self.pairs(code, op, self.levels[i], self.levels[j], width)
                continue
            for split in _compositions(rest, op.arity):
                yield from self.tuples(code, op, [self.levels[k] for k in split], width)

    def guard(self, name: str, a: _Level, b: _Level) -> None:
        """Check from the bits of the stored values that every a + b (a * b) is exact."""
        if a.bits is None or b.bits is None:
            self.state.fail("a value on the samples is not finite")
            return
        (ha, la, wa), (hb, lb, wb) = a.bits, b.bits
        if name == "+":
            if max(ha, hb) - min(la, lb) + 2 > _BITS:
                self.state.fail("a sum on the samples may be rounded (values too wide)")
        elif wa + wb > _BITS or ha + hb > 1000 or min(la + lb, 10**6) < -1000:
            self.state.fail("a product on the samples may be rounded (values too wide)")

    def pairs(
        self, code: int, op: _Op, a: _Level, b: _Level, width: int
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        na, nb = len(a.sigs), len(b.sigs)
        if not na or not nb:
            return
        same = a is b and op.commutative
        block = max(1, _CHUNK // nb)
        for start in range(0, na, block):
            stop = min(na, start + block)
            b_start = start if same else 0
            left = a.sigs[start:stop, None, :]
            right = b.sigs[None, b_start:, :]
            with np.errstate(all="ignore"):
                rows = op.fn(left, right).reshape(-1, self.n_samples)
            ai = np.repeat(np.arange(start, stop), nb - b_start)
            bi = np.tile(np.arange(b_start, nb), stop - start)
            if same:
                keep = bi >= ai
                rows, ai, bi = rows[keep], ai[keep], bi[keep]
            args = np.zeros((len(ai), width), np.int32)
            args[:, 0] = a.offset + ai
            args[:, 1] = b.offset + bi
            yield rows, np.full(len(ai), code, np.int16), args

    def tuples(
        self, code: int, op: _Op, levels: Sequence[_Level], width: int
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        sizes = [len(level.sigs) for level in levels]
        total = int(np.prod(sizes))
        for start in range(0, total, _CHUNK):
            flat = np.arange(start, min(total, start + _CHUNK))
            index = np.unravel_index(flat, sizes)
            with np.errstate(all="ignore"):
                rows = op.fn(*(level.sigs[ix] for level, ix in zip(levels, index, strict=True)))
            args = np.zeros((len(flat), width), np.int32)
            for k, (level, ix) in enumerate(zip(levels, index, strict=True)):
                args[:, k] = level.offset + ix
            yield rows, np.full(len(flat), code, np.int16), args


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Tuples of ``parts`` non-negative integers summing to ``total``."""
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        bounds = (-1, *cut, total + parts - 1)
        yield tuple(bounds[k + 1] - bounds[k] - 1 for k in range(parts))


class _Search:
    def __init__(
        self,
        target: Expr,
        library: Library,
        max_cost: int,
        constants: Sequence[Fraction],
        primitives: Mapping[str, int],
        timeout: float | None,
    ) -> None:
        self.library = library
        self.max_cost = max_cost
        self.timeout = timeout
        self.stats = SynthStats()
        self.target = target
        self.target_fn = evaluate(target, library, {}, EXACT)
        params = _params(target, library)
        used = set(primitives)
        self.params = tuple(_fresh(p, used | set(params[:k])) for k, p in enumerate(params))
        self.n_params = len(self.params)
        self.constants = tuple(dict.fromkeys(Fraction(c) for c in constants))
        self.leaves: list[Expr] = [Num(c) for c in self.constants]
        self.leaves += [Sym(p) for p in self.params]
        self.float_state = _FloatState()
        domain = _checked_domain(self.float_state)
        self.ops: list[_Op] = list(_BUILTINS)
        signatures: dict[str, tuple[int, int]] = {}
        for name, op_cost in primitives.items():
            arity = _first_order_arity(name, library)
            if op_cost < 1 and arity > 0:
                raise InputError(f"the primitive {name} must cost at least 1, not {op_cost}")
            signatures[name] = (arity, op_cost)
            if op_cost <= max_cost:
                self.ops.append(_library_op(name, arity, op_cost, library, domain))
        self.grammar = grammar_text(self.params, self.constants, signatures)

    def leaf_value(self, leaf: Num) -> float:
        return float(leaf.value)

    def target_values(self, points: Sequence[tuple[Fraction, ...]]) -> list[Fraction]:
        return [self.exact_target(p) for p in points]

    def exact_target(self, point: tuple[Fraction, ...]) -> Fraction:
        value = apply(self.target_fn, list(point), self.library, EXACT)
        if not isinstance(value, Fraction):
            raise InputError("the target must be a function of numbers to a number")
        return value

    def exact(self, program: Expr, point: tuple[Fraction, ...]) -> Fraction:
        value = apply(evaluate(program, self.library, {}, EXACT), list(point), self.library, EXACT)
        assert isinstance(value, Fraction)
        return value

    def program(self, body: Expr) -> Expr:
        return Lam(self.params, body) if self.params else body

    def prove(self, program: Expr) -> tuple[str, tuple[Fraction, ...] | None]:
        """("proved" | "refuted" | "unknown: reason", refuting point)."""
        xs = [z3.Real(p) for p in self.params]
        lhs = apply(evaluate(program, self.library, {}, Z3), xs, self.library, Z3)
        rhs = apply(evaluate(self.target, self.library, {}, Z3), xs, self.library, Z3)
        solver = z3.Solver()
        if self.timeout is not None:
            solver.set(timeout=max(1, int(self.timeout * 1000)))
        solver.add(_real(lhs) != _real(rhs))
        answer = solver.check()
        if answer == z3.unsat:
            return "proved", None
        if answer == z3.unknown:
            return f"unknown: {solver.reason_unknown()}", None
        model = solver.model()
        point = tuple(_model_value(model, x) for x in xs)
        return "refuted", self.refuting_point(program, point)

    def refuting_point(
        self, program: Expr, near: tuple[Fraction, ...]
    ) -> tuple[Fraction, ...] | None:
        """A dyadic rational point near ``near`` where ``program`` and the target differ."""
        for k in range(0, 64):
            point = tuple(Fraction(round(v * 2**k), 2**k) for v in near)
            if self.exact(program, point) != self.exact_target(point):
                return point
        rng = random.Random(0)
        for _ in range(2000):
            point = tuple(Fraction(rng.randint(-64, 64), 16) for _ in self.params)
            if self.exact(program, point) != self.exact_target(point):
                return point
        return None


def _real(value: Any) -> Any:
    if isinstance(value, Closure):
        raise InputError("the programs must compute numbers, not functions")
    return value


def _model_value(model: z3.ModelRef, x: Any) -> Fraction:
    value = model.eval(x, model_completion=True)
    if z3.is_algebraic_value(value):
        value = value.approx(40)
    return Fraction(value.as_fraction())


def _fresh(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    k = 1
    while f"{name}{k}" in taken:
        k += 1
    return f"{name}{k}"


def _params(target: Expr, library: Library) -> tuple[str, ...]:
    expr = target
    while isinstance(expr, Sym) and expr.name in library:
        expr = library[expr.name].expr
    if isinstance(expr, Lam):
        return expr.params
    return ()


def _first_order_arity(name: str, library: Library) -> int:
    """The arity of a library definition that maps numbers to a number (InputError if not)."""
    if name not in library:
        raise InputError(f"unknown primitive {name!r}: not a definition of the library")
    params = _params(Sym(name), library)
    try:
        fn = evaluate(Sym(name), library, {}, EXACT)
        value = apply(fn, [Fraction(k + 1, 2) for k in range(len(params))], library, EXACT)
    except InputError as err:
        raise InputError(
            f"{name} cannot be a primitive of the search: it is not a function of numbers to a"
            f" number ({err})"
        ) from None
    if not isinstance(value, Fraction):
        raise InputError(
            f"{name} cannot be a primitive of the search: it is not a function of numbers to a"
            " number (it returns a function)"
        )
    return len(params)


def _names(expr: Expr) -> set[str]:
    """The names an expression mentions (bound or free)."""
    if isinstance(expr, Sym):
        return {expr.name}
    if isinstance(expr, Lam):
        return _names(expr.body)
    if isinstance(expr, Let):
        out = _names(expr.body)
        for _, bound in expr.bindings:
            out |= _names(bound)
        return out
    if isinstance(expr, App):
        out = _names(expr.fn)
        for arg in expr.args:
            out |= _names(arg)
        return out
    return set()


def usable_primitives(
    library: Library, target: Expr | None = None
) -> tuple[list[str], dict[str, str]]:
    """The definitions of ``library`` that can be primitives of the search (first-order: numbers
    to a number), in file order, and the others with the reason. When ``target`` is a library
    name, it and the definitions that use it are left out (they would define the target by
    itself)."""
    usable: list[str] = []
    skipped: dict[str, str] = {}
    excluded: set[str] = set()
    if isinstance(target, Sym) and target.name in library:
        excluded.add(target.name)
    for definition in library.definitions:
        name = definition.name
        if name in excluded or _names(definition.expr) & excluded:
            excluded.add(name)
            skipped[name] = "it is the target or uses it"
            continue
        try:
            _first_order_arity(name, library)
        except InputError as err:
            skipped[name] = str(err).split(": ", 1)[-1].replace("it is not", "not")
            continue
        usable.append(name)
    return usable, skipped


def synthesize(
    target: Expr,
    library: Library | None = None,
    max_cost: int = 5,
    constants: Sequence[Fraction] = DEFAULT_CONSTANTS,
    primitives: Mapping[str, int] | None = None,
    timeout: float | None = 30.0,
    max_rounds: int = 200,
) -> SynthResult:
    """The cheapest program over the grammar (module docstring) equal to ``target`` over the
    reals, searched up to cost ``max_cost``.

    ``target``: a closed program, e.g. a λ or the name of a definition of ``library``.
    ``primitives``: library definitions usable as primitives, each with its cost (>= 1).
    ``timeout``: seconds per z3 proof. ``max_rounds``: most refinements of the samples.
    """
    start = time.perf_counter()
    library = library or Library()
    primitives = dict(primitives or {})
    if max_cost < 0:
        raise InputError("the maximum cost must be >= 0")
    search = _Search(target, library, max_cost, constants, primitives, timeout)
    samples = sample_points(search.n_params)
    stats = search.stats
    undecided: dict[str, tuple[int, str]] = {}  # program text -> (cost, z3's reason)
    exact = True
    why = ""

    def finish(kind: VerdictKind, **kw: Any) -> SynthResult:
        stats.samples = len(samples)
        stats.seconds = time.perf_counter() - start
        return SynthResult(
            kind=kind,
            max_cost=max_cost,
            grammar=search.grammar,
            float_exact=exact,
            stats=stats,
            samples=tuple(samples),
            **kw,
        )

    def none(kind: VerdictKind, detail: str, proof: str = "none") -> SynthResult:
        return finish(
            kind, cost=None, program=None, expr=None, detail=detail, proof=proof, minimal=False
        )

    while True:
        stats.rounds += 1
        round_ = _Round(search, samples)
        search.float_state.exact, search.float_state.why = True, ""
        refuting: list[tuple[Fraction, ...]] = []
        found: tuple[int, Expr] | None = None
        refuted_at: int | None = None  # the level of the refuted candidates
        for c, body in round_.run():
            if body is None:  # level c is complete
                if refuted_at is not None:
                    break  # restart with the refined samples before going further
                continue
            stats.matched += 1
            program = search.program(body)
            text = show(program)
            if text in undecided:
                continue
            if any(search.exact(program, p) != search.exact_target(p) for p in refuting):
                stats.refuted += 1
                continue
            status, point = search.prove(program)
            if status == "proved":
                stats.proved += 1
                found = (c, program)
                break
            if status == "refuted" and point is not None:
                stats.refuted += 1
                refuting.append(point)
                refuted_at = c
                continue
            if status == "refuted":
                status = "z3 refuted it, but no rational point refuting it was found"
            stats.unknown += 1
            undecided[text] = (c, status)
        stats.kept = sum(len(level.sigs) for level in round_.levels)
        exact = round_.state.exact and search.float_state.exact
        why = round_.state.why or search.float_state.why
        if found is not None:
            c, program = found
            cheaper = [(k, t) for t, (k, _) in undecided.items() if k < c]
            minimal = exact and not cheaper
            because = ""
            if cheaper:
                because = f"z3 could not decide the cheaper candidate {cheaper[0][1]}"
            elif not exact:
                because = why
            if not minimal:
                note = f" (not proved minimal: {because})"
            elif c:
                note = f"; no program of cost <= {c - 1} over this grammar"
            else:
                note = ""
            text = show(program)
            return finish(
                VerdictKind.PASS,
                cost=c,
                program=text,
                expr=program,
                detail=f"cost {c}: {text}, proved equal to the target over the reals by z3{note}",
                proof="z3: p != q is unsat over the reals (relu as if-then-else)",
                minimal=minimal,
                not_minimal_because=because,
            )
        if refuting:
            fresh = [p for p in dict.fromkeys(refuting) if p not in samples]
            if not fresh:  # only when float64 rounding hides the refuting points
                return none(VerdictKind.UNKNOWN, f"the samples cannot be refined ({why})")
            samples = samples + fresh
            if stats.rounds >= max_rounds:
                return none(
                    VerdictKind.UNKNOWN, f"stopped after {max_rounds} refinements of the samples"
                )
            continue
        if undecided:
            text, (c, status) = next(iter(undecided.items()))
            return none(
                VerdictKind.UNKNOWN,
                f"z3 could not decide the candidate {text} of cost {c} ({status});"
                f" no other program of cost <= {max_cost} matched",
                status,
            )
        if not exact:
            return none(
                VerdictKind.UNKNOWN,
                f"no program of cost <= {max_cost} found, but the search is not proved"
                f" complete: {why}",
            )
        return finish(
            VerdictKind.FAIL,
            cost=None,
            program=None,
            expr=None,
            detail=(
                f"no program of cost <= {max_cost} over this grammar (the search was complete"
                " for the grammar)"
            ),
            proof="none",
            minimal=False,
        )


def cause(
    f: Expr,
    g: Expr,
    library: Library | None = None,
    cost_of_f: int = 1,
    max_cost: int = 5,
    constants: Sequence[Fraction] = DEFAULT_CONSTANTS,
    timeout: float | None = 30.0,
    f_name: str = "F",
) -> SynthResult:
    """The essay's causality degree of F on G: the minimum cost of a program equal to G over
    the grammar with F added as a primitive of cost ``cost_of_f``. ``f``: a library name (used
    by that name) or a closed program (added to the library as ``f_name``)."""
    library = library or Library()
    if isinstance(f, Sym) and f.name in library:
        name = f.name
    else:
        name = f_name
        while name in library:
            name += "'"
        library = Library((*library.definitions, Definition(name, f)))
    if cost_of_f < 1:
        raise InputError("the cost of using F must be at least 1")
    return synthesize(
        g,
        library,
        max_cost=max_cost,
        constants=constants,
        primitives={name: cost_of_f},
        timeout=timeout,
    )
