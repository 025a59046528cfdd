"""Unbounded safety proofs by IC3/PDR: z3's Spacer engine on a constrained-Horn-clause encoding.

IC3 (A. R. Bradley, "SAT-Based Model Checking without Unrolling", VMCAI 2011) -- also called
PDR (property-directed reachability) -- keeps a sequence of frames, each an over-approximation
of the states reachable in at most k rounds, blocks counterexamples to induction one cube at a
time and stops when two consecutive frames coincide: that frame is an inductive invariant which
excludes ``bad``. Spacer (K. Hoder and N. Bjørner, "Generalized Property Directed Reachability",
SAT 2012; A. Komuravelli, A. Gurfinkel and S. Chaki, "SMT-based model checking for recursive
programs", CAV 2014) is z3's generalisation of PDR to constrained Horn clauses (CHC). This
module states a :class:`~verifier.ir.safety.SafetyProblem` as three Horn clauses over one
predicate ``Inv(x, s)`` on the Boolean inputs ``x`` (frozen, so carried along unchanged) and
the latches ``s``::

    Inv(x, init(x))  <-  constraints(x)
    Inv(x, s')       <-  Inv(x, s) /\\ s' = next(s, x)
    Err              <-  Inv(x, s) /\\ bad(s, x)

and asks Spacer whether ``Err`` is derivable. Only the sequential cone of influence of ``bad``
and the constraints is encoded; AIG gates become z3 Boolean terms built in one topological loop
(z3 hash-conses terms, so shared gates stay shared; there is no recursion on depth).

Answers (the engine contract of :mod:`verifier.engines.base`):

* ``unsat`` (``Err`` not derivable): SAFE. The inductive invariant Spacer reports is checked
  again with a plain z3 solver (initiation, consecution, safety) before SAFE is returned.
* ``sat``: UNSAFE. The input is read from Spacer's ground refutation (a derivation of ``Err``
  through ground ``Inv`` facts); if that fails, a BMC unrolling in z3 finds one. Either way the
  input is replayed with :func:`~verifier.ir.safety.run_problem` to get the *first* round in
  which ``bad`` holds; a counterexample that does not replay raises :class:`PdrError` and is
  never reported.
* ``unknown`` (timeout, interrupt, resource limit): UNKNOWN, saying how far Spacer got.

The deadline (``options.deadline``) becomes z3's ``timeout`` parameter, with a timer that
interrupts the z3 context shortly after it as a backstop. Every call uses its own
:class:`z3.Context`; nothing touches z3's global main context.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import z3

from verifier.engines.base import Cex, Options, Outcome, Status, register
from verifier.ir.aig import Aig
from verifier.ir.safety import SafetyProblem, run_problem

__all__ = [
    "METHOD",
    "Cone",
    "PdrError",
    "cone_of_influence",
    "encode_aig",
    "first_bad_round",
    "run",
]

METHOD = "pdr (z3 spacer)"

_GRACE = 0.25
"""Seconds after the deadline at which the backstop timer interrupts the z3 context."""


class PdrError(RuntimeError):
    """An internal error: Spacer's answer could not be confirmed (a counterexample that does not
    replay, or an invariant that is not inductive). Never a user error."""


# --- cone of influence ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cone:
    """The inputs and latches (0-based indices, increasing) that ``bad`` and the constraints
    depend on, transitively through next-state and init functions, and the number of gates
    involved."""

    inputs: tuple[int, ...]
    latches: tuple[int, ...]
    gates: int


def cone_of_influence(problem: SafetyProblem) -> Cone:
    """The sequential cone of influence of ``bad`` and the constraints.

    One worklist pass over variables (each visited once): a gate pulls in its fanins, a latch
    its next-state and init literals. Inputs outside the cone cannot change the answer, so a
    counterexample may set them arbitrarily (to False).
    """
    aig = problem.aig
    first_gate = aig.first_and_var
    first_latch = 1 + problem.num_inputs
    seen = [False] * aig.num_vars
    stack = [lit >> 1 for lit in (problem.bad, *problem.constraints)]
    while stack:
        var = stack.pop()
        if seen[var]:
            continue
        seen[var] = True
        if var >= first_gate:
            gate = var - first_gate
            stack.append(aig.left[gate] >> 1)
            stack.append(aig.right[gate] >> 1)
        elif var >= first_latch:
            j = var - first_latch
            stack.append(problem.next_state[j] >> 1)
            stack.append(problem.init[j] >> 1)
    return Cone(
        inputs=tuple(i for i in range(problem.num_inputs) if seen[1 + i]),
        latches=tuple(j for j in range(problem.num_latches) if seen[first_latch + j]),
        gates=sum(seen[first_gate:]),
    )


# --- AIG to z3 ----------------------------------------------------------------------------------


def _neg(term: z3.BoolRef | bool) -> z3.BoolRef | bool:
    return (not term) if isinstance(term, bool) else z3.Not(term)


def _and(a: z3.BoolRef | bool, b: z3.BoolRef | bool) -> z3.BoolRef | bool:
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return z3.And(a, b)


def encode_aig(
    aig: Aig, leaves: Sequence[z3.BoolRef | bool], roots: Sequence[int]
) -> Callable[[int], z3.BoolRef | bool]:
    """z3 terms for the literals in ``roots`` when leaf ``i`` of ``aig`` is ``leaves[i]``.

    Only the gates in the cone of ``roots`` are built, in one loop in topological order;
    constants (Python bools) are folded. Returns the map literal -> term (a Python bool when the
    literal is constant); it is defined on ``roots`` and everything in their cone.
    """
    if len(leaves) != aig.num_inputs:
        raise ValueError(f"expected {aig.num_inputs} leaves, got {len(leaves)}")
    needed = aig.cone(roots)
    values: list[z3.BoolRef | bool] = [False, *leaves]
    values.extend([False] * aig.num_ands)
    for var, a, b in aig.gates():
        if needed[var]:
            x = values[a >> 1] if not a & 1 else _neg(values[a >> 1])
            y = values[b >> 1] if not b & 1 else _neg(values[b >> 1])
            values[var] = _and(x, y)

    def term(lit: int) -> z3.BoolRef | bool:
        value = values[lit >> 1]
        return _neg(value) if lit & 1 else value

    return term


def _z3(term: z3.BoolRef | bool, ctx: z3.Context) -> z3.BoolRef:
    return z3.BoolVal(term, ctx) if isinstance(term, bool) else term


def _conj(terms: Sequence[z3.BoolRef | bool], ctx: z3.Context) -> z3.BoolRef:
    if any(t is False for t in terms):
        return z3.BoolVal(False, ctx)
    rest = [t for t in terms if t is not True]
    if not rest:
        return z3.BoolVal(True, ctx)
    return rest[0] if len(rest) == 1 else z3.And(*rest)


@dataclass
class _Encoding:
    """The CHC system of one problem in one z3 context (see the module docstring)."""

    problem: SafetyProblem
    cone: Cone
    ctx: z3.Context
    inputs: list[z3.BoolRef]
    latches: list[z3.BoolRef]
    next_latches: list[z3.BoolRef]
    inv: z3.FuncDeclRef
    err: z3.FuncDeclRef

    def leaves(self, latches: Sequence[z3.BoolRef | bool] | None) -> list[z3.BoolRef | bool]:
        """AIG leaves: the cone's inputs and ``latches`` (False: the initial evaluation, as in
        :func:`run_problem`); leaves outside the cone are never read and set to False."""
        problem = self.problem
        values: list[z3.BoolRef | bool] = [False] * (problem.num_inputs + problem.num_latches)
        for i, var in zip(self.cone.inputs, self.inputs, strict=True):
            values[i] = var
        if latches is not None:
            for j, var in zip(self.cone.latches, latches, strict=True):
                values[problem.num_inputs + j] = var
        return values

    def initial(self) -> tuple[z3.BoolRef, list[z3.BoolRef]]:
        """(the constraints, the initial latch values), over the inputs."""
        p = self.problem
        roots = [*p.constraints, *(p.init[j] for j in self.cone.latches)]
        term = encode_aig(p.aig, self.leaves(None), roots)
        init = [_z3(term(p.init[j]), self.ctx) for j in self.cone.latches]
        return _conj([term(c) for c in p.constraints], self.ctx), init

    def step(self, latches: Sequence[z3.BoolRef | bool]) -> tuple[z3.BoolRef, list[z3.BoolRef]]:
        """(bad, the next latch values) in a state ``latches`` (one term per cone latch)."""
        p = self.problem
        roots = [p.bad, *(p.next_state[j] for j in self.cone.latches)]
        term = encode_aig(p.aig, self.leaves(latches), roots)
        nxt = [_z3(term(p.next_state[j]), self.ctx) for j in self.cone.latches]
        return _z3(term(p.bad), self.ctx), nxt

    def apply_inv(self, latches: Sequence[z3.BoolRef]) -> z3.BoolRef:
        return self.inv(*self.inputs, *latches)


def _encoding(problem: SafetyProblem, cone: Cone, ctx: z3.Context) -> _Encoding:
    boolean = z3.BoolSort(ctx)
    arity = len(cone.inputs) + len(cone.latches)
    return _Encoding(
        problem=problem,
        cone=cone,
        ctx=ctx,
        inputs=[z3.Bool(f"in{i}", ctx) for i in cone.inputs],
        latches=[z3.Bool(f"latch{j}", ctx) for j in cone.latches],
        next_latches=[z3.Bool(f"latch{j}'", ctx) for j in cone.latches],
        inv=z3.Function("Inv", *([boolean] * arity), boolean),
        err=z3.Function("Err", boolean),
    )


def _fixedpoint(enc: _Encoding) -> z3.Fixedpoint:
    """A Spacer instance holding the three Horn clauses of the module docstring.

    Slicing and inlining are off so that ``Inv`` keeps its arguments in the answers (the
    cone of influence is already reduced here).
    """
    fp = z3.Fixedpoint(ctx=enc.ctx)
    fp.set(engine="spacer")
    fp.set("xform.slice", False, "xform.inline_linear", False, "xform.inline_eager", False)
    fp.register_relation(enc.inv, enc.err)
    fp.declare_var(*enc.inputs, *enc.latches, *enc.next_latches)
    constraints, init = enc.initial()
    bad, nxt = enc.step(enc.latches)
    fp.rule(enc.apply_inv(init), constraints)
    transition = [n == f for n, f in zip(enc.next_latches, nxt, strict=True)]
    fp.rule(enc.apply_inv(enc.next_latches), [enc.apply_inv(enc.latches), *transition])
    fp.rule(enc.err(), [enc.apply_inv(enc.latches), bad])
    return fp


# --- running Spacer -----------------------------------------------------------------------------


def _z3_message(err: z3.Z3Exception) -> str:
    value = err.value
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _query(fp: z3.Fixedpoint, enc: _Encoding, options: Options) -> tuple[z3.CheckSatResult, str]:
    """(``fp.query(Err)``, z3's reason when the answer is unknown).

    The time left becomes z3's ``timeout``, which either makes the query return unknown or
    raises "canceled"; a timer interrupting the context ``_GRACE`` s after the deadline is the
    backstop in case Spacer does not poll its limit often enough.
    """
    left = options.time_left()
    timer = None
    if left is not None:
        fp.set(timeout=max(1, math.ceil(left * 1000)))
        timer = threading.Timer(left + _GRACE, enc.ctx.interrupt)
        timer.daemon = True
        timer.start()
    try:
        answer = fp.query(enc.err())
    except z3.Z3Exception as err:
        message = _z3_message(err)
        at_deadline = left is not None and (options.time_left() or 0.0) < _GRACE
        if not at_deadline or message not in ("canceled", "timeout"):
            raise
        return z3.unknown, f"{message} at the deadline"
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
    if answer != z3.unknown:
        return answer, ""
    reason = fp.reason_unknown()
    return answer, ("timeout" if options.expired() and reason in ("", "ok") else reason)


def _statistics(fp: z3.Fixedpoint) -> dict[str, float]:
    stats = fp.statistics()
    return dict(stats[i] for i in range(len(stats)))


def _levels(fp: z3.Fixedpoint, enc: _Encoding) -> int | None:
    """The number of frames Spacer opened for ``Inv`` (None if it cannot say)."""
    try:
        return int(fp.get_num_levels(enc.inv))
    except z3.Z3Exception:
        return None


def _summary(stats: dict[str, float], levels: int | None) -> str:
    """``": frame 12, 40 lemmas"`` from what Spacer reported."""
    parts = [] if levels is None else [f"frame {levels}"]
    if "SPACER num lemmas" in stats:
        parts.append(f"{int(stats['SPACER num lemmas'])} lemmas")
    return ": " + ", ".join(parts) if parts else ""


def _timeout_ms(options: Options) -> int | None:
    left = options.time_left()
    return None if left is None else max(1, math.ceil(left * 1000))


@register("pdr")
def run(problem: SafetyProblem, options: Options) -> Outcome:
    """Decide ``problem`` by IC3/PDR (z3 Spacer on the CHC encoding of the module docstring).

    SAFE comes with an inductive invariant that has been rechecked; UNSAFE with a counterexample
    replayed by :func:`run_problem` (its first round in which ``bad`` holds); UNKNOWN when the
    deadline passes first. Raises :class:`PdrError` if Spacer's answer does not check out.
    """
    start = time.monotonic()
    if options.expired():
        return Outcome(Status.UNKNOWN, METHOD, "the deadline passed before PDR started")
    cone = cone_of_influence(problem)
    enc = _encoding(problem, cone, z3.Context())
    fp = _fixedpoint(enc)
    options.report(
        f"pdr: {len(cone.latches)}/{problem.num_latches} latches,"
        f" {len(cone.inputs)}/{problem.num_inputs} inputs and {cone.gates} gates"
        " in the cone of influence"
    )
    answer, reason = _query(fp, enc, options)
    stats = _statistics(fp)
    levels = _levels(fp, enc)
    elapsed = time.monotonic() - start
    options.report(f"pdr: spacer answered {answer} after {elapsed:.1f} s{_summary(stats, levels)}")
    if answer == z3.unsat:
        return _safe(fp, enc, options, levels)
    if answer == z3.sat:
        return _unsafe(fp, enc, options, levels, stats)
    return Outcome(
        Status.UNKNOWN,
        METHOD,
        f"no inductive invariant and no counterexample found in {elapsed:.1f} s"
        f" (z3: {reason}; Spacer was at frame {levels})",
    )


# --- SAFE: the inductive invariant ----------------------------------------------------------


def _is_inv(expr: z3.ExprRef, inv: z3.FuncDeclRef) -> bool:
    return z3.is_app(expr) and expr.decl().eq(inv)


def _definition(
    part: z3.ExprRef, inv: z3.FuncDeclRef, args: Sequence[z3.BoolRef]
) -> z3.BoolRef | None:
    """The formula ``part`` assigns to ``Inv(args)``, if ``part`` is a definition of ``Inv``:
    ``ForAll(vs, Inv(vs) == phi)`` (or ``Inv(vs)``, ``Not(Inv(vs))`` when phi is constant),
    without the quantifier when ``Inv`` has no arguments."""
    body = part
    if z3.is_quantifier(part):
        if not part.is_forall():
            return None
        body = part.body()
    if z3.is_eq(body) and _is_inv(body.arg(1), inv):
        head, phi = body.arg(1), body.arg(0)
    elif z3.is_eq(body) and _is_inv(body.arg(0), inv):
        head, phi = body.arg(0), body.arg(1)
    elif _is_inv(body, inv):
        head, phi = body, z3.BoolVal(True, part.ctx)
    elif z3.is_not(body) and _is_inv(body.arg(0), inv):
        head, phi = body.arg(0), z3.BoolVal(False, part.ctx)
    else:
        return None
    bound: list[z3.BoolRef | None] = [None] * (part.num_vars() if z3.is_quantifier(part) else 0)
    for arg, actual in zip(head.children(), args, strict=True):
        if not z3.is_var(arg):
            return None
        bound[z3.get_var_index(arg)] = actual
    if any(b is None for b in bound):
        return None
    return z3.substitute_vars(phi, *bound) if bound else phi


def _invariant(fp: z3.Fixedpoint, enc: _Encoding) -> z3.BoolRef | None:
    """Spacer's inductive invariant (its interpretation of ``Inv``) as a formula over
    ``enc.inputs`` and ``enc.latches``, read from the answer ``And(Err == False, ForAll(vs,
    Inv(vs) == phi))``; None when the answer does not mention ``Inv`` (z3's preprocessing may
    drop it, e.g. when no rule can derive it or ``bad`` is unsatisfiable)."""
    answer = fp.get_answer()
    args = [*enc.inputs, *enc.latches]
    for part in answer.children() if z3.is_and(answer) else [answer]:
        phi = _definition(part, enc.inv, args)
        if phi is not None:
            return phi
    return None


def _describe(invariant: z3.BoolRef, enc: _Encoding, levels: int | None) -> str:
    """What the invariant says, for the SAFE detail."""
    if z3.is_false(invariant):
        return "no input satisfies the constraints"
    if z3.is_true(invariant):
        return "bad is false in every state"
    lemmas = len(invariant.children()) if z3.is_and(invariant) else 1
    return (
        f"inductive invariant of {lemmas} lemma{'s' if lemmas != 1 else ''} over"
        f" {len(enc.cone.latches)} latches, found at frame {levels}"
    )


def _check_invariant(
    enc: _Encoding, invariant: z3.BoolRef, options: Options
) -> tuple[bool | None, str]:
    """Whether ``invariant`` satisfies the three Horn clauses (initiation, consecution,
    safety), each checked by a fresh z3 solver on its negation: (True, ""), (False, the first
    clause that fails) or (None, the clause whose check the deadline cut short)."""
    constraints, init = enc.initial()
    bad, nxt = enc.step(enc.latches)

    def at(latches: Sequence[z3.BoolRef]) -> z3.BoolRef:
        pairs = list(zip(enc.latches, latches, strict=True))
        return z3.substitute(invariant, *pairs) if pairs else invariant

    clauses = {
        "initiation": z3.Implies(constraints, at(init)),
        "consecution": z3.Implies(invariant, at(nxt)),
        "safety": z3.Implies(invariant, z3.Not(bad)),
    }
    for name, clause in clauses.items():
        solver = z3.Solver(ctx=enc.ctx)
        timeout = _timeout_ms(options)
        if timeout is not None:
            solver.set(timeout=timeout)
        solver.add(z3.Not(clause))
        result = solver.check()
        if result != z3.unsat:
            return (False if result == z3.sat else None), name
    return True, ""


def _safe(fp: z3.Fixedpoint, enc: _Encoding, options: Options, levels: int | None) -> Outcome:
    """SAFE with Spacer's invariant, rechecked. When the answer does not state ``Inv``, the
    constant invariants False and True are tried (one of them then certifies the answer)."""
    stated = _invariant(fp, enc)
    ctx = enc.ctx
    candidates = [stated] if stated is not None else [z3.BoolVal(b, ctx) for b in (False, True)]
    for invariant in candidates:
        holds, clause = _check_invariant(enc, invariant, options)
        if holds is False:
            continue
        note = "" if holds else f" ({clause} not rechecked: deadline)"
        return Outcome(
            Status.SAFE,
            METHOD,
            f"{_describe(invariant, enc, levels)}{note}:"
            " bad is false in every round for every valid input",
        )
    raise PdrError(f"Spacer's invariant fails {clause}: {candidates[-1]}")


# --- UNSAFE: the counterexample -------------------------------------------------------------


def _ground_facts(proof: z3.ExprRef, inv: z3.FuncDeclRef) -> list[list[bool | None]]:
    """The distinct ``Inv`` applications in ``proof`` whose arguments are all constants
    (True/False; None where an argument is not a constant), found by an explicit-stack walk
    that does not enter quantifiers (the rules) and visits shared subterms once."""
    seen: set[int] = set()
    facts: dict[tuple[bool | None, ...], None] = {}
    stack = [proof]
    while stack:
        expr = stack.pop()
        if expr.get_id() in seen or not z3.is_app(expr):
            continue
        seen.add(expr.get_id())
        if expr.decl().eq(inv):
            args = tuple(
                True if z3.is_true(a) else False if z3.is_false(a) else None
                for a in expr.children()
            )
            facts[args] = None
        else:
            stack.extend(expr.children())
    return [list(fact) for fact in facts]


def _refutation_input(fp: z3.Fixedpoint, enc: _Encoding) -> tuple[tuple[bool, ...], int] | None:
    """(an input, an upper bound on its first bad round) read from Spacer's ground
    refutation, or None if the answer has no usable ground ``Inv`` fact."""
    try:
        proof = fp.get_answer()
    except z3.Z3Exception:
        return None
    facts = _ground_facts(proof, enc.inv)
    n = len(enc.cone.inputs)
    usable = [f for f in facts if all(v is not None for v in f[:n])]
    if not usable:
        return None
    values = [False] * enc.problem.num_inputs
    for i, value in zip(enc.cone.inputs, usable[0][:n], strict=True):
        values[i] = bool(value)
    # The run up to the first bad state visits distinct states, all of them facts here.
    return tuple(values), len(facts)


def first_bad_round(problem: SafetyProblem, inputs: tuple[bool, ...], limit: int) -> int | None:
    """The first round ``<= limit`` in which ``bad`` holds for ``inputs`` according to
    :func:`run_problem`, or None (also when ``inputs`` violates the constraints)."""
    valid, bad = run_problem(problem, inputs, limit)
    if not valid or True not in bad:
        return None
    return bad.index(True)


def _bmc_counterexample(
    enc: _Encoding, options: Options, max_depth: int
) -> tuple[tuple[bool, ...], int] | None:
    """(an input, the round) of a shortest path to ``bad`` found by unrolling the transition
    relation in z3 one round at a time (fresh variables per round), or None when the deadline
    passes first. Raises :class:`PdrError` if no path of at most ``max_depth`` rounds exists."""
    ctx = enc.ctx
    solver = z3.Solver(ctx=ctx)
    constraints, state = enc.initial()
    solver.add(constraints)
    for depth in range(max_depth + 1):
        bad, nxt = enc.step(state)
        timeout = _timeout_ms(options)
        if timeout is not None:
            solver.set(timeout=timeout)
        result = solver.check(bad)
        if result == z3.sat:
            model = solver.model()
            values = [False] * enc.problem.num_inputs
            for i, var in zip(enc.cone.inputs, enc.inputs, strict=True):
                values[i] = z3.is_true(model.eval(var, model_completion=True))
            return tuple(values), depth
        if result != z3.unsat:
            return None
        solver.add(z3.Not(bad))
        state = [z3.Bool(f"latch{j}@{depth + 1}", ctx) for j in enc.cone.latches]
        solver.add(*(s == f for s, f in zip(state, nxt, strict=True)))
    raise PdrError(f"Spacer reports bad reachable, but not within {max_depth} rounds")


def _unsafe(
    fp: z3.Fixedpoint,
    enc: _Encoding,
    options: Options,
    levels: int | None,
    stats: dict[str, float],
) -> Outcome:
    problem = enc.problem
    found = _refutation_input(fp, enc)
    cex = None
    if found is not None:
        depth = first_bad_round(problem, found[0], found[1])
        cex = None if depth is None else Cex(found[0], depth)
    if cex is None:
        bound = max(levels or 0, int(stats.get("SPACER cex depth", 0)), found[1] if found else 0)
        searched = _bmc_counterexample(enc, options, 2 * bound + 2)
        if searched is None:
            return Outcome(
                Status.UNKNOWN,
                METHOD,
                "Spacer reports bad reachable, but the deadline passed before a"
                " counterexample was extracted",
            )
        inputs, bmc_depth = searched
        depth = first_bad_round(problem, inputs, bmc_depth)
        if depth != bmc_depth:
            raise PdrError(f"the BMC counterexample of depth {bmc_depth} does not replay")
        cex = Cex(inputs, depth)
    bits = "".join("1" if b else "0" for b in cex.inputs)
    return Outcome(
        Status.UNSAFE,
        METHOD,
        f"bad is reachable: input {bits or '(none)'} reaches it first in round {cex.depth}"
        " (replayed)",
        cex=cex,
    )
