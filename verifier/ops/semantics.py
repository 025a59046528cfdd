"""What a program of the cost calculus computes: one interpreter over a choice of number
domain (:class:`Domain`), so that exact evaluation, evaluation in a floating-point system
F(p, q, b) with every + and * rounded (DESIGN.md 2.8), bit-parallel evaluation on sample
points and the z3 terms of the equivalence proofs all follow the same rules.

Rules: a constant is the domain's constant; ``+`` and ``*`` with more than two arguments are
the left fold; ``relu`` is max(0, x); a λ is a closure; applying a closure binds its
parameters (a partial application returns the closure of the rest, extra arguments are applied
to the result); ``let`` evaluates its bindings in order; a library name is its definition,
evaluated in an empty environment (definitions are closed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Generic, TypeVar

import z3

from verifier.arith.floats import FloatSystem
from verifier.errors import InputError
from verifier.ops.syntax import Expr, Lam, Let, Library, Num, Sym

__all__ = [
    "EXACT",
    "Z3",
    "Closure",
    "Domain",
    "apply",
    "arity",
    "evaluate",
    "float_domain",
]

V = TypeVar("V")


@dataclass(frozen=True)
class Domain(Generic[V]):
    """The numbers a program computes with: a constant, ``+``, ``*`` and ``relu``."""

    name: str
    constant: Callable[[Fraction], V]
    add: Callable[[V, V], V]
    mul: Callable[[V, V], V]
    relu: Callable[[V], V]


EXACT: Domain[Fraction] = Domain(
    "reals (exact rationals)",
    lambda c: c,
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a: max(a, Fraction(0)),
)
"""Exact rational arithmetic: the reals' semantics on rational inputs."""

Z3: Domain[Any] = Domain(
    "reals (z3)",
    lambda c: z3.RealVal(f"{c.numerator}/{c.denominator}"),
    lambda a, b: a + b,
    lambda a, b: a * b,
    lambda a: z3.If(a > 0, a, z3.RealVal(0)),
)
"""z3 real terms (relu as if-then-else): the proofs over the reals."""


def float_domain(f: FloatSystem) -> Domain[Fraction]:
    """F(p, q, b): every constant must be representable, every + and * is rounded by the
    reference semantics (DESIGN 2.8); relu is exact."""

    def constant(c: Fraction) -> Fraction:
        if not f.contains(c):
            raise InputError(f"the constant {c} is not a number of {f}")
        return c

    return Domain(str(f), constant, f.add, f.mul, lambda a: max(a, Fraction(0)))


@dataclass(frozen=True)
class Closure:
    """A λ with the environment it was made in."""

    params: tuple[str, ...]
    body: Expr
    env: Mapping[str, Any]


def arity(expr: Expr, library: Library) -> int:
    """The number of parameters of a program (0 for a number); a library name counts its
    definition's."""
    while isinstance(expr, Sym) and expr.name in library:
        expr = library[expr.name].expr
    return len(expr.params) if isinstance(expr, Lam) else 0


def evaluate(expr: Expr, library: Library, env: Mapping[str, Any], domain: Domain[V]) -> Any:
    """The value of ``expr`` (a domain value or a :class:`Closure`)."""
    if isinstance(expr, Num):
        return domain.constant(expr.value)
    if isinstance(expr, Sym):
        if expr.name in env:
            return env[expr.name]
        if expr.name in library:
            return evaluate(library[expr.name].expr, library, {}, domain)
        raise InputError(f"{expr.name} is a primitive: it must be applied")
    if isinstance(expr, Lam):
        return Closure(expr.params, expr.body, env)
    if isinstance(expr, Let):
        inner = dict(env)
        for name, bound in expr.bindings:
            inner[name] = evaluate(bound, library, inner, domain)
        return evaluate(expr.body, library, inner, domain)
    args = [evaluate(arg, library, env, domain) for arg in expr.args]
    fn = expr.fn
    if isinstance(fn, Sym) and fn.name not in env and fn.name not in library:
        return _primitive(fn.name, args, domain)
    return apply(evaluate(fn, library, env, domain), args, library, domain)


def _primitive(name: str, args: Sequence[Any], domain: Domain[V]) -> Any:
    if any(isinstance(a, Closure) for a in args):
        raise InputError(f"{name} applied to a function")
    if name == "relu":
        return domain.relu(args[0])
    op = domain.add if name == "+" else domain.mul
    value = args[0]
    for arg in args[1:]:
        value = op(value, arg)
    return value


def apply(fn: Any, args: Sequence[Any], library: Library, domain: Domain[V]) -> Any:
    """``(fn args...)`` for a closure ``fn`` (partial and over-application allowed)."""
    while args:
        if not isinstance(fn, Closure):
            raise InputError("a number cannot be applied")
        taken = args[: len(fn.params)]
        env = dict(fn.env)
        env.update(zip(fn.params, taken, strict=False))
        if len(taken) < len(fn.params):
            return Closure(fn.params[len(taken) :], fn.body, env)
        fn = evaluate(fn.body, library, env, domain)
        args = args[len(taken) :]
    return fn
