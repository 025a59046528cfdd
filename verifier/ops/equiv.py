"""Extensional equivalence of two programs of the cost calculus (issue 8, part 3):
``verify ops equiv P Q``.

Over the reals, z3 decides whether P(x) != Q(x) (or, with a tolerance eps, |P(x) - Q(x)| > eps)
has a solution, the inputs optionally restricted to an interval a <= x_i <= b: relu is an
if-then-else, the query is nonlinear real arithmetic (nlsat, a decision procedure, so unsat is
a proof and sat a counterexample; only a time limit gives UNKNOWN). Every counterexample is
replayed by exact rational evaluation (:data:`~verifier.ops.semantics.EXACT`) before it is
reported. The programs are continuous (compositions of +, * and relu), so the set of inputs
where they differ is open: when z3's model is an algebraic number, a rational input close
enough to it differs too, and that input is the one reported (said so in the verdict).

Over a floating-point system F(p, q, b) every input tuple is enumerated, both programs are
evaluated with every + and * rounded (DESIGN.md 2.8), and the first differing tuple (inputs
ascending, the first parameter slowest) is the counterexample.

Besides programs, either side may be a named *reference* (:data:`REFERENCES`): a function the
language cannot express, such as ``inverse`` (1/x), defined where its divisor is not 0: over the
reals it is a fresh z3 variable r with r * x = 1 (x != 0 assumed; an interval containing 0 is
refused), exactly 1/x, and in F(p, q, b) the correctly rounded quotient.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from verifier.arith.floats import FloatSystem
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.errors import InputError
from verifier.ops.semantics import EXACT, Z3, Closure, Domain, apply, evaluate, float_domain
from verifier.ops.syntax import Expr, Library, show

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "REFERENCES",
    "Reference",
    "ValuesCounterexample",
    "check_equiv",
]

EXHAUSTIVE_LIMIT = 10**6
"""The most input tuples the float mode enumerates."""

Z3_METHOD = "z3 (nonlinear real arithmetic)"

_APPROXIMATION_DIGITS = (10, 20, 40, 80, 160, 320)


@dataclass(frozen=True)
class Reference:
    """A named function the language cannot express: numerator / denominator, each an input
    (its index) or the constant 1 (None); defined where the denominator is not 0."""

    name: str
    params: tuple[str, ...]
    formula: str
    numerator: int | None
    denominator: int

    def exact(self, args: Sequence[Fraction]) -> Fraction:
        num = Fraction(1) if self.numerator is None else args[self.numerator]
        return num / args[self.denominator]

    def defined(self, args: Sequence[Fraction]) -> bool:
        return args[self.denominator] != 0

    def __str__(self) -> str:
        return f"the reference {self.name} = (λ {' '.join(self.params)}. {self.formula})"


REFERENCES: dict[str, Reference] = {
    "inverse": Reference("inverse", ("x",), "1/x", None, 0),
    "divide": Reference("divide", ("x", "y"), "x/y", 0, 1),
}
"""The named references, usable for P or Q (a library definition of the same name wins)."""

Program = Expr | Reference


@dataclass(frozen=True)
class ValuesCounterexample(RunCounterexample):
    """An input where the programs differ, replayed: the input values by parameter name, both
    programs' values (exact rationals), and for a float system its formatting. (A
    :class:`RunCounterexample` so that :meth:`Verdict.to_json` uses this ``to_json``; its
    ``round`` is 0 and its ``trace`` empty: programs have no rounds.)"""

    point: tuple[tuple[str, Fraction], ...] = ()
    p_value: Fraction = Fraction(0)
    q_value: Fraction = Fraction(0)
    system: FloatSystem | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "input": self.input,
            "inputs": {name: str(value) for name, value in self.point},
            "P": str(self.p_value),
            "Q": str(self.q_value),
            "difference": str(self.p_value - self.q_value),
            "reason": self.reason,
        }
        if self.system is not None:
            f = self.system
            out["inputs_float"] = {name: f.format(value) for name, value in self.point}
            out["P_float"] = f.format(self.p_value)
            out["Q_float"] = f.format(self.q_value)
        return out

    def lines(self) -> list[str]:
        """The input and both values, one per line (for the text output)."""
        return [
            f"input: {self.input or '(none: the programs are constants)'}",
            f"P = {_number(self.p_value, self.system)}",
            f"Q = {_number(self.q_value, self.system)}",
            f"P - Q = {_number(self.p_value - self.q_value, None)}",
        ]


def _number(value: Fraction, system: FloatSystem | None) -> str:
    """A value as a fraction, or as F(p, q, b) writes it with the fraction in parentheses; a
    long fraction as its decimal approximation and its size (exact in the JSON output)."""
    if system is not None:
        return f"{system.format(value)} ({value})"
    text = str(value)
    if len(text) <= 24:
        return text
    if len(text) <= 60:
        return f"{text} (~ {float(value):.12g})"
    digits = f"{len(str(abs(value.numerator)))}/{len(str(value.denominator))} digits"
    return f"~ {float(value):.12g} (a fraction of {digits}; exact with --json)"


def _point_text(point: Sequence[tuple[str, Fraction]], system: FloatSystem | None) -> str:
    return ", ".join(f"{name} = {_number(value, system)}" for name, value in point)


# --- the programs as functions ------------------------------------------------------------------


def _parameters(label: str, program: Program, library: Library) -> tuple[str, ...]:
    """The parameters the program takes before it gives a number: those of its λ, also
    through library names (:func:`~verifier.ops.semantics.arity`), and those of the closure
    that a partial application such as ``(compose neg neg)`` or a curried ``(λ x. (λ y. ...))``
    evaluates to (found by applying it to zeros; the language has no division, so that is
    always defined)."""
    if isinstance(program, Reference):
        return program.params
    try:
        value = evaluate(program, library, {}, EXACT)
        params: list[str] = []
        while isinstance(value, Closure):
            params.extend(value.params)
            value = apply(value, [Fraction(0)] * len(value.params), library, EXACT)
    except InputError as err:
        raise InputError(
            f"{label}: {err} (equiv compares first-order programs over numbers)"
        ) from None
    return tuple(params)


def _distinct(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` with repeats renamed (``x``, ``x_2``): one input variable each."""
    out: list[str] = []
    for name in names:
        fresh, k = name, 1
        while fresh in out:
            k += 1
            fresh = f"{name}_{k}"
        out.append(fresh)
    return tuple(out)


def _describe(program: Program) -> str:
    return str(program) if isinstance(program, Reference) else show(program)


class _Function:
    """One side (a program, not a reference), ready to be applied to inputs in one domain."""

    def __init__(self, label: str, program: Expr, library: Library, domain: Domain[Any]):
        self.label = label
        self.library = library
        self.domain = domain
        try:
            self.value = evaluate(program, library, {}, domain)
        except InputError as err:
            raise InputError(f"{label}: {err}") from None

    def __call__(self, args: Sequence[Any]) -> Any:
        try:
            result = apply(self.value, list(args), self.library, self.domain)
        except InputError as err:
            raise InputError(
                f"{self.label}: {err} (equiv compares first-order programs over numbers)"
            ) from None
        if isinstance(result, Closure):
            raise InputError(
                f"{self.label} returns a function after {len(args)} arguments"
                " (equiv compares programs whose result is a number)"
            )
        return result


def _exact(label: str, program: Program, library: Library) -> Callable[[Sequence[Fraction]], Any]:
    if isinstance(program, Reference):
        return program.exact
    return _Function(label, program, library, EXACT)


# --- the check ----------------------------------------------------------------------------------


def check_equiv(
    p: Program,
    q: Program,
    library: Library | None = None,
    domain: str | FloatSystem = "reals",
    interval: tuple[Fraction, Fraction] | None = None,
    tolerance: Fraction | None = None,
    timeout: float | None = None,
    limit: int = EXHAUSTIVE_LIMIT,
) -> Verdict:
    """Whether P and Q agree on every input (``domain``: ``"reals"``, decided by z3, or a
    :class:`FloatSystem`, decided by enumerating its numbers), each input in ``interval`` if
    given, and within ``tolerance`` if given. PASS, FAIL with a replayed counterexample, or
    UNKNOWN (z3 out of time). InputError for programs of different arity, a bad interval or
    tolerance, too many float inputs (more than ``limit``)."""
    library = library or Library()
    p_params, q_params = _parameters("P", p, library), _parameters("Q", q, library)
    if len(p_params) != len(q_params):
        raise InputError(
            f"P takes {len(p_params)} argument(s) and Q takes {len(q_params)}: equivalence needs"
            " the same arity"
        )
    names = _distinct(p_params)
    if interval is not None:
        low, high = Fraction(interval[0]), Fraction(interval[1])
        if low > high:
            raise InputError(f"empty interval [{low}, {high}]: the lower end is above the upper")
        interval = (low, high)
    if tolerance is not None:
        tolerance = Fraction(tolerance)
        if tolerance < 0:
            raise InputError(f"the tolerance must be >= 0, got {tolerance}")
    for program in (p, q):
        if (
            isinstance(program, Reference)
            and interval is not None
            and interval[0] <= 0 <= interval[1]
        ):
            raise InputError(
                f"the interval [{interval[0]}, {interval[1]}] contains 0, where {program.name}"
                f" ({program.formula}) is undefined"
            )
    extra: dict[str, object] = {
        "domain": "reals" if domain == "reals" else str(domain),
        "P_program": _describe(p),
        "Q_program": _describe(q),
        "parameters": list(names),
        "interval": None if interval is None else [str(interval[0]), str(interval[1])],
        "tolerance": None if tolerance is None else str(tolerance),
    }
    if isinstance(domain, FloatSystem):
        return _check_float(p, q, library, names, domain, interval, tolerance, limit, extra)
    if domain != "reals":
        raise InputError(f"unknown domain {domain!r}: reals or a float system F(p, q, b)")
    return _check_reals(p, q, library, names, interval, tolerance, timeout, extra)


def _relation(names: Sequence[str], tolerance: Fraction | None) -> str:
    call = f"({', '.join(names)})" if names else ""
    if tolerance is None:
        return f"P{call} = Q{call}"
    return f"|P{call} - Q{call}| <= {tolerance}"


def _claim(
    names: Sequence[str],
    interval: tuple[Fraction, Fraction] | None,
    tolerance: Fraction | None,
    system: FloatSystem | None = None,
) -> str:
    """E.g. ``P(x) = Q(x) for all real x in [0, 1]``."""
    if not names:
        return _relation(names, tolerance)
    where = f" in [{interval[0]}, {interval[1]}]" if interval is not None else ""
    which = "real " if system is None else ""
    of = f" of {system}" if system is not None else ""
    return f"{_relation(names, tolerance)} for all {which}{', '.join(names)}{of}{where}"


def _differ(pv: Fraction, qv: Fraction, tolerance: Fraction | None) -> bool:
    return pv != qv if tolerance is None else abs(pv - qv) > tolerance


def _failure(pv: Fraction, qv: Fraction, tolerance: Fraction | None, system=None) -> str:
    if tolerance is None:
        return f"P gives {_number(pv, system)}, Q gives {_number(qv, system)}"
    return (
        f"|P - Q| = {_number(abs(pv - qv), None)} > {tolerance} (P gives {_number(pv, system)},"
        f" Q gives {_number(qv, system)})"
    )


# --- over the reals: z3 ------------------------------------------------------------------------


def _z3_term(label: str, program: Program, library: Library, xs: list[Any], solver: z3.Solver):
    if isinstance(program, Reference):
        result = z3.FreshReal(program.name)
        num = z3.RealVal(1) if program.numerator is None else xs[program.numerator]
        den = xs[program.denominator]
        solver.add(den != 0, result * den == num)
        return result
    return _Function(label, program, library, Z3)(xs)


def _fraction(value: Any) -> Fraction:
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def _check_reals(p, q, library, names, interval, tolerance, timeout, extra) -> Verdict:
    xs = [z3.Real(name) for name in names]
    solver = z3.SolverFor("QF_NRA")
    if timeout is not None:
        solver.set("timeout", max(1, int(timeout * 1000)))
    if interval is not None:
        low, high = (z3.RealVal(f"{c.numerator}/{c.denominator}") for c in interval)
        for x in xs:
            solver.add(low <= x, x <= high)
    pt = _z3_term("P", p, library, xs, solver)
    qt = _z3_term("Q", q, library, xs, solver)
    if tolerance is None:
        solver.add(pt != qt)
    else:
        eps = z3.RealVal(f"{tolerance.numerator}/{tolerance.denominator}")
        solver.add(z3.Or(pt - qt > eps, qt - pt > eps))
    result = solver.check()
    claim = _claim(names, interval, tolerance)
    if result == z3.unsat:
        return Verdict(VerdictKind.PASS, Z3_METHOD, f"proved by {Z3_METHOD}: {claim}", extra=extra)
    if result == z3.unknown:
        reason = solver.reason_unknown()
        limit = f" (time limit {timeout:g} s)" if timeout is not None else ""
        return Verdict(
            VerdictKind.UNKNOWN,
            Z3_METHOD,
            f"z3 could not decide whether {claim}: {reason}{limit}; nothing is claimed",
            extra=extra,
        )
    model = solver.model()
    values = [model.eval(x, model_completion=True) for x in xs]
    rational = all(z3.is_rational_value(v) for v in values)
    p_exact, q_exact = _exact("P", p, library), _exact("Q", q, library)
    attempts = [None] if rational else list(_APPROXIMATION_DIGITS)
    for digits in attempts:
        point = [_rational_near(v, digits, interval) for v in values]
        if not all(r.defined(point) for r in (p, q) if isinstance(r, Reference)):
            continue
        pv, qv = p_exact(point), q_exact(point)
        if _differ(pv, qv, tolerance):
            break
    else:
        raise RuntimeError(
            f"z3's counterexample {model} to {claim} is not confirmed by exact evaluation"
        )
    named = tuple(zip(names, point, strict=True))
    where = f" at {_point_text(named, None)}" if names else ""
    note = "replayed by exact rational evaluation"
    if not rational:
        algebraic = ", ".join(
            f"{name} ~ {value.approx(10).as_decimal(10)}"
            for name, value in zip(names, values, strict=True)
            if not z3.is_rational_value(value)
        )
        note = (
            f"z3's model is algebraic ({algebraic}); the rational input within 10^-{digits}"
            f" of it, {note}, differs too"
        )
    reason = _failure(pv, qv, tolerance)
    detail = f"not {claim}{where}: {reason} ({note})"
    cex = ValuesCounterexample(
        _point_text(named, None), 0, reason, (), point=named, p_value=pv, q_value=qv
    )
    return Verdict(
        VerdictKind.FAIL, Z3_METHOD, detail, cex, extra={**extra, "approximate": not rational}
    )


def _rational_near(value: Any, digits: int | None, interval) -> Fraction:
    if digits is None or z3.is_rational_value(value):
        return _fraction(value)
    near = _fraction(value.approx(digits))
    if interval is not None:
        near = min(max(near, interval[0]), interval[1])
    return near


# --- over F(p, q, b): every input ----------------------------------------------------------------

_BATCH = 4096


class _Interned:
    """F(p, q, b)'s operations (those of :func:`float_domain`) memoized on numbered values, and
    a domain whose values are batches of numbered values: the interpreter walks the program
    once per batch of input tuples (it never branches on a value), each + and * costs a
    dictionary look-up per tuple, and each distinct pair of operands is rounded once."""

    def __init__(self, f: FloatSystem) -> None:
        self.system = f
        self.base = float_domain(f)
        self.values: list[Fraction] = []
        self.numbers: dict[Fraction, int] = {}
        self.cache: dict[tuple[Any, ...], int] = {}

    def intern(self, value: Fraction) -> int:
        number = self.numbers.get(value)
        if number is None:
            number = self.numbers[value] = len(self.values)
            self.values.append(value)
        return number

    def _binary(self, op: Callable[[Fraction, Fraction], Fraction], tag: str):
        cache, values, intern = self.cache, self.values, self.intern

        def run(a: list[int], b: list[int]) -> list[int]:
            out = []
            for i, j in zip(a, b, strict=True):
                key = (tag, i, j)
                r = cache.get(key)
                if r is None:
                    r = cache[key] = intern(op(values[i], values[j]))
                out.append(r)
            return out

        return run

    def _unary(self, op: Callable[[Fraction], Fraction], tag: str):
        cache, values, intern = self.cache, self.values, self.intern

        def run(a: list[int]) -> list[int]:
            out = []
            for i in a:
                key = (tag, i)
                r = cache.get(key)
                if r is None:
                    r = cache[key] = intern(op(values[i]))
                out.append(r)
            return out

        return run

    def domain(self, size: int) -> Domain[list[int]]:
        """Batches of ``size`` values. Constants are checked by float_domain's ``constant``;
        every value met is a number of F(p, q, b) (an input, a checked constant or a rounded
        result), so ``f.round(x + y)`` is ``f.add(x, y)`` without re-checking the operands."""
        base, f = self.base, self.system
        return Domain(
            f"{base.name} (batches of {size})",
            lambda c: [self.intern(base.constant(c))] * size,
            self._binary(lambda x, y: f.round(x + y), "+"),
            self._binary(lambda x, y: f.round(x * y), "*"),
            self._unary(base.relu, "relu"),
        )

    def reference(self, reference: Reference) -> Callable[[Sequence[list[int]]], list[int]]:
        f, values, cache, intern = self.system, self.values, self.cache, self.intern

        def run(columns: Sequence[list[int]]) -> list[int]:
            out = []
            for numbers in zip(*columns, strict=True):
                key = (reference.name, *numbers)
                r = cache.get(key)
                if r is None:
                    r = cache[key] = intern(f.round(reference.exact([values[i] for i in numbers])))
                out.append(r)
            return out

        return run


def _check_float(p, q, library, names, f: FloatSystem, interval, tolerance, limit, extra):
    numbers = f.values()
    if interval is not None:
        numbers = [v for v in numbers if interval[0] <= v <= interval[1]]
        if not numbers:
            raise InputError(f"no number of {f} lies in [{interval[0]}, {interval[1]}]")
    n = len(names)
    total = len(numbers) ** n
    if total > limit:
        raise InputError(
            f"{len(numbers)}^{n} = {total} input tuples of {f}"
            f"{' in the interval' if interval else ''}, above the limit of {limit}: use a smaller"
            " system or --interval"
        )
    # the programs once on the plain reference domain: errors (constants that are not numbers
    # of F, higher-order programs) are reported before any enumeration
    plain = float_domain(f)
    reference_sides = [
        (lambda args, r=program: f.round(r.exact(args)))
        if isinstance(program, Reference)
        else _Function(label, program, library, plain)
        for label, program in (("P", p), ("Q", q))
    ]
    interned = _Interned(f)
    inputs = [interned.intern(v) for v in numbers]
    references = [r for r in (p, q) if isinstance(r, Reference)]
    tuples = (
        point
        for point in itertools.product(inputs, repeat=n)
        if all(r.defined([interned.values[i] for i in point]) for r in references)
    )
    checked = 0
    while batch := list(itertools.islice(tuples, _BATCH)):
        columns = [list(column) for column in zip(*batch, strict=True)]
        domain = interned.domain(len(batch))
        results = []
        for label, program in (("P", p), ("Q", q)):
            if isinstance(program, Reference):
                results.append(interned.reference(program)(columns))
            else:
                results.append(_Function(label, program, library, domain)(columns))
        for k, (i, j) in enumerate(zip(*results, strict=True)):
            pv, qv = interned.values[i], interned.values[j]
            if _differ(pv, qv, tolerance):
                point = [interned.values[x] for x in batch[k]]
                return _float_failure(
                    names,
                    point,
                    pv,
                    qv,
                    reference_sides,
                    f,
                    interval,
                    tolerance,
                    checked + k + 1,
                    extra,
                )
        checked += len(batch)
    skipped = total - checked
    excluded = f" ({skipped} with a zero divisor excluded)" if skipped else ""
    within = f" in [{interval[0]}, {interval[1]}]" if interval is not None else ""
    return Verdict(
        VerdictKind.PASS,
        f"exhaustive over {f}",
        f"all {checked} inputs of {f}{within}{excluded}: {_relation(names, tolerance)}"
        " with every + and * rounded (DESIGN.md 2.8)",
        extra={**extra, "inputs_checked": checked},
    )


def _float_failure(names, point, pv, qv, reference_sides, f, interval, tolerance, checked, extra):
    # replay on the plain (unmemoized, unbatched) reference domain
    replayed = [side(point) for side in reference_sides]
    if replayed != [pv, qv] or not _differ(pv, qv, tolerance):
        raise RuntimeError(
            f"the float counterexample {point} is not confirmed by the reference evaluation:"
            f" {replayed} != {[pv, qv]}"
        )
    named = tuple(zip(names, point, strict=True))
    reason = _failure(pv, qv, tolerance, f)
    where = f" at {_point_text(named, f)}" if names else ""
    detail = (
        f"not {_claim(names, interval, tolerance, f)} (every + and * rounded,"
        f" DESIGN.md 2.8){where}: {reason}"
    )
    cex = ValuesCounterexample(
        _point_text(named, f), 0, reason, (), point=named, p_value=pv, q_value=qv, system=f
    )
    return Verdict(
        VerdictKind.FAIL,
        f"exhaustive over {f}",
        detail,
        cex,
        extra={**extra, "inputs_checked": checked},
    )
