"""Hypothesis strategies for random formulas, BNL and SC programs and self-feeding circuits.

The one shared place for random models: parser round trips, reference-vs-IR simulation and
engine differential tests all draw from here. Sizes are kept small enough for exhaustive
simulation (a handful of inputs, a few dozen nodes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

from hypothesis import strategies as st

from verifier.arith.floats import Piece, Term
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.ir.aig import Aig
from verifier.ir.safety import SafetyProblem
from verifier.ir.system import TransitionSystem
from verifier.models import (
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    BnlProgram,
    Circuit,
    GateApp,
    GateDef,
    GateRef,
    Head,
    Progression,
    SchemaVar,
    ScProgram,
)
from verifier.ops import syntax as ops_syntax

# Valid names of DESIGN.md 2.1, including dotted and indexed ones.
NAME_POOL = ["X", "Y", "Z", "A1", "b_2", "c.d", "P[1]", "P[3,1]", "Q[0]", "w", "v9", "_u"]


def names(min_size: int = 1, max_size: int = 5) -> st.SearchStrategy[list[str]]:
    """Distinct names, in random order."""
    return st.lists(st.sampled_from(NAME_POOL), min_size=min_size, max_size=max_size, unique=True)


def formulas(
    atoms: list[str], max_leaves: int = 8, constants: bool = True
) -> st.SearchStrategy[Formula]:
    """Random formulas over ``atoms`` (and the constants, if ``constants``)."""
    leaves: list[st.SearchStrategy[Formula]] = []
    if atoms:
        leaves.append(st.sampled_from(atoms).map(Var))
    if constants or not atoms:
        leaves.append(st.sampled_from([Top(), Bottom()]))
    base = st.one_of(*leaves)
    return st.recursive(
        base,
        lambda sub: st.one_of(
            sub.map(Not),
            st.tuples(sub, sub).map(lambda t: And(*t)),
            st.tuples(sub, sub).map(lambda t: Or(*t)),
        ),
        max_leaves=max_leaves,
    )


def round_sets() -> st.SearchStrategy[AttentionRounds]:
    item = st.one_of(
        st.integers(0, 12),
        st.builds(Progression, st.integers(0, 6), st.integers(1, 4)),
    )
    return st.lists(item, min_size=1, max_size=3).map(lambda xs: AttentionRounds(tuple(xs)))


def attentions(bits: list) -> st.SearchStrategy:
    """An output condition over the given predicates or positions."""
    options = [st.just(AttentionAll()), round_sets()]
    if bits:
        options.append(
            st.lists(st.sampled_from(bits), min_size=1, max_size=3, unique=True).map(
                lambda xs: AttentionBits(tuple(xs))
            )
        )
    return st.one_of(*options)


@st.composite
def bnl_programs(draw: st.DrawFn, max_heads: int = 5, max_inputs: int = 4) -> BnlProgram:
    """Random valid BNL programs with at most ``max_inputs`` input predicates."""
    heads = draw(names(1, max_heads))
    n_inputs = draw(st.integers(0, min(max_inputs, len(heads))))
    input_set = set(draw(st.permutations(heads))[:n_inputs])
    built = []
    for name in heads:
        body = draw(formulas(heads))
        init = None if name in input_set else draw(st.booleans())
        built.append(Head(name, body, init))
    inputs = [h for h in heads if h in input_set]
    print_ = tuple(draw(st.lists(st.sampled_from(heads), max_size=3, unique=True)))
    assumptions = tuple(
        draw(st.lists(formulas(inputs, max_leaves=4, constants=False), max_size=2))
        if inputs
        else []
    )
    meta = tuple(
        draw(st.lists(st.sampled_from(["source=x.bnl", "theorem=2.1 delay=1"]), max_size=1))
    )
    return BnlProgram(
        heads=tuple(built),
        print_=print_,
        attention=draw(attentions(heads)),
        assumptions=assumptions,
        meta=meta,
    )


@st.composite
def sc_programs(draw: st.DrawFn, max_vars: int = 4, max_props: int = 3) -> ScProgram:
    """Random valid SC programs with at most ``max_props`` proposition symbols."""
    pool = draw(names(1, max_vars + max_props))
    n_props = draw(st.integers(0, min(max_props, len(pool) - 1)))
    props, var_names = pool[:n_props], pool[n_props:]
    variables = tuple(
        SchemaVar(
            name,
            draw(formulas(props, max_leaves=4)),
            draw(formulas(props + var_names)),
        )
        for name in var_names
    )
    print_ = tuple(draw(st.lists(st.sampled_from(var_names), max_size=3, unique=True)))
    assumptions = tuple(
        draw(st.lists(formulas(props, max_leaves=4, constants=False), max_size=2)) if props else []
    )
    return ScProgram(
        props=tuple(props),
        vars=variables,
        print_=print_,
        attention=draw(attentions(var_names)),
        assumptions=assumptions,
    )


@st.composite
def gate_exprs(draw: st.DrawFn, available: list[str], depth: int = 2) -> GateApp | GateRef:
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if available and draw(st.booleans()):
            return GateRef(draw(st.sampled_from(available)))
        return GateApp(draw(st.sampled_from(["and", "or"])), ())
    op = draw(st.sampled_from(["and", "or", "not"]))
    arity = 1 if op == "not" else draw(st.integers(0, 3))
    return GateApp(op, tuple(draw(gate_exprs(available, depth - 1)) for _ in range(arity)))


@st.composite
def circuits(draw: st.DrawFn, max_positions: int = 5, max_gates: int = 6) -> Circuit:
    """Random valid self-feeding circuits (named and anonymous gates, aliases, constants)."""
    pool = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,3}", fullmatch=True),
            min_size=2,
            max_size=max_positions + max_gates,
            unique=True,
        ).filter(lambda xs: xs[0] not in {"and", "or", "not"})
    )
    pool = [p for p in pool if p not in {"and", "or", "not", "true", "false"}]
    n = draw(st.integers(1, max(1, min(max_positions, len(pool) - 1))))
    inputs, gate_names = pool[:n], pool[n:]
    defined: list[str] = list(inputs)
    gates = []
    for name in gate_names:
        gates.append(GateDef(name, draw(gate_exprs(defined))))
        defined.append(name)
    outputs = tuple(draw(st.sampled_from(defined)) for _ in range(n))
    init = tuple(draw(st.one_of(st.none(), st.booleans())) for _ in range(n))
    positions = list(range(n))
    input_names = [inputs[i] for i in range(n) if init[i] is None]
    assumptions = tuple(
        draw(st.lists(formulas(input_names, max_leaves=4, constants=False), max_size=2))
        if input_names
        else []
    )
    return Circuit(
        inputs=tuple(inputs),
        outputs=outputs,
        gates=tuple(gates),
        init=init,
        print_=tuple(draw(st.lists(st.sampled_from(positions), max_size=3, unique=True))),
        attention=draw(attentions(positions)),
        assumptions=assumptions,
    )


# --- And-inverter graphs and transition systems (verifier.ir) --------------------------------


@st.composite
def aig_gates(
    draw: st.DrawFn, first_var: int, count: int, lo_var: int = 0
) -> tuple[list[int], list[int]]:
    """``count`` raw AND gates numbered from ``first_var`` whose fanins are literals of the
    variables ``< lo_var`` or of earlier gates of this batch; not normalised (constants,
    duplicates and x & !x may occur), which exercises consumers beyond what the builder makes."""
    left: list[int] = []
    right: list[int] = []
    for i in range(count):
        pool = list(range(lo_var)) + list(range(first_var, first_var + i))
        pick = st.tuples(st.sampled_from(pool), st.booleans()).map(lambda t: 2 * t[0] + t[1])
        left.append(draw(pick))
        right.append(draw(pick))
    return left, right


@st.composite
def raw_aigs(draw: st.DrawFn, max_inputs: int = 5, max_ands: int = 20) -> Aig:
    """Random raw AIGs (see :func:`aig_gates`)."""
    n = draw(st.integers(0, max_inputs))
    left, right = draw(aig_gates(n + 1, draw(st.integers(0, max_ands)), lo_var=n + 1))
    return Aig(n, tuple(left), tuple(right))


@st.composite
def aig_queries(
    draw: st.DrawFn, max_inputs: int = 6, max_ands: int = 30
) -> tuple[Aig, int, int, tuple[int, ...]]:
    """Satisfiability questions "care & root under the cube" on a random raw AIG (at least one
    input): ``(aig, root, care, cube)``, root and care any literals (constants included), the
    cube up to three input literals (possibly contradictory)."""
    aig = draw(raw_aigs(max_inputs, max_ands).filter(lambda a: a.num_inputs > 0))
    lit = st.integers(0, 2 * aig.num_vars - 1)
    input_lit = st.integers(2, 2 * aig.num_inputs + 1)
    cube = tuple(draw(st.lists(input_lit, max_size=3)))
    return aig, draw(lit), draw(lit), cube


@st.composite
def transition_systems(
    draw: st.DrawFn, max_inputs: int = 4, max_state: int = 5, max_ands: int = 30
) -> TransitionSystem:
    """Random transition systems on raw AIGs: init and assumptions read the first block of
    gates (over inputs only), next state, print and output read everything."""
    n_in = draw(st.integers(0, max_inputs))
    n_state = draw(st.integers(1, max_state))
    first = 1 + n_in + n_state
    n_init = draw(st.integers(0, max_ands // 3))
    # Block 1 (over constants and inputs) then block 2 (over everything).
    l1, r1 = draw(aig_gates(first, n_init, lo_var=1 + n_in))
    l2, r2 = draw(aig_gates(first + n_init, draw(st.integers(0, max_ands)), lo_var=first + n_init))
    aig = Aig(n_in + n_state, tuple(l1 + l2), tuple(r1 + r2))
    input_only = [v for v in range(first + n_init) if v <= n_in or v >= first]
    input_lit = st.tuples(st.sampled_from(input_only), st.booleans()).map(lambda t: 2 * t[0] + t[1])
    any_lit = st.integers(0, 2 * aig.num_vars - 1)
    n_print = draw(st.integers(0, 3))
    output = draw(st.one_of(any_lit, round_sets()))
    return TransitionSystem(
        aig=aig,
        input_names=tuple(f"i{j}" for j in range(n_in)),
        state_names=tuple(f"s{j}" for j in range(n_state)),
        init=tuple(draw(input_lit) for _ in range(n_state)),
        next_state=tuple(draw(any_lit) for _ in range(n_state)),
        print_=tuple(draw(any_lit) for _ in range(n_print)),
        print_names=tuple(f"p{j}" for j in range(n_print)),
        output=output,
        assumptions=tuple(draw(st.lists(input_lit, max_size=2))),
    )


@st.composite
def free_systems(draw: st.DrawFn, max_state: int = 5, max_ands: int = 24) -> TransitionSystem:
    """Random systems in which every configuration is initial (init a permutation of the
    inputs, possibly complemented) and the next state reads only state bits: the shape of
    every .bnet file."""
    n = draw(st.integers(1, max_state))
    first = 1 + 2 * n
    pool = [0, *range(1 + n, first)]
    left: list[int] = []
    right: list[int] = []
    for i in range(draw(st.integers(0, max_ands))):
        choices = pool + list(range(first, first + i))
        pick = st.tuples(st.sampled_from(choices), st.booleans()).map(lambda t: 2 * t[0] + t[1])
        left.append(draw(pick))
        right.append(draw(pick))
    aig = Aig(2 * n, tuple(left), tuple(right))
    lits = [2 * v + c for v in pool for c in (0, 1)] + [
        2 * g + c for g in range(first, first + len(left)) for c in (0, 1)
    ]
    perm = draw(st.permutations(range(n)))
    init = tuple(2 * (1 + perm[j]) ^ int(draw(st.booleans())) for j in range(n))
    output = draw(st.one_of(st.sampled_from(lits), st.just(1)))
    return TransitionSystem(
        aig=aig,
        input_names=tuple(f"i{j}" for j in range(n)),
        state_names=tuple(f"s{j}" for j in range(n)),
        init=init,
        next_state=tuple(draw(st.sampled_from(lits)) for _ in range(n)),
        print_=(),
        print_names=(),
        output=output,
    )


@st.composite
def safety_problems(
    draw: st.DrawFn, max_inputs: int = 4, max_latches: int = 5, max_ands: int = 30
) -> SafetyProblem:
    """Random safety problems, built like :func:`transition_systems`: init literals and
    constraints over the inputs only; next state and bad over everything. Random ``bad``
    literals are often reachable and often not, so both verdicts occur."""
    ts = draw(transition_systems(max_inputs, max_latches, max_ands))
    bad = draw(st.integers(0, 2 * ts.aig.num_vars - 1))
    return SafetyProblem(
        aig=ts.aig,
        input_names=ts.input_names,
        latch_names=ts.state_names,
        init=ts.init,
        next_state=ts.next_state,
        bad=bad,
        constraints=ts.assumptions,
    )


# ------------------------------------------------------------------ piecewise polynomials


@st.composite
def pieces(
    draw: st.DrawFn,
    values: Sequence[Fraction] | None = None,
    min_terms: int = 1,
    max_terms: int = 4,
    max_power: int = 4,
) -> Piece:
    """A random :class:`Piece` (verifier.arith.floats): each bound unbounded (None) or drawn
    from ``values`` (any small fraction, negative and fractional ones too, if None), with
    lower < upper when both are given; ``min_terms`` to ``max_terms`` terms with powers
    0..``max_power`` and coefficients from ``values`` (else small fractions, 0, 1 and -1).
    ``min_terms`` is 1 by default: a piece without terms is written ``0``, which reads back
    as the term 0."""
    numbers = (
        st.sampled_from(list(values))
        if values is not None
        else st.one_of(
            st.sampled_from([Fraction(0), Fraction(1), Fraction(-1)]),
            st.fractions(-64, 64, max_denominator=32),
        )
    )
    a, b = draw(st.none() | numbers), draw(st.none() | numbers)
    if a is not None and b is not None:
        a, b = (a, None) if a == b else sorted((a, b))
    terms = draw(
        st.lists(
            st.builds(Term, numbers, st.integers(0, max_power)),
            min_size=min_terms,
            max_size=max_terms,
        )
    )
    return Piece(a, b, tuple(terms))


def piece_lists(
    values: Sequence[Fraction] | None = None, max_pieces: int = 4, **options: int
) -> st.SearchStrategy[list[Piece]]:
    """One to ``max_pieces`` random :func:`pieces` (same ``values`` and options)."""
    return st.lists(pieces(values, **options), min_size=1, max_size=max_pieces)


# ----------------------------------------------------------------------------- mutations
# Small semantic changes for differential tests of the equivalence engines: the mutant is
# often inequivalent, sometimes only in unreachable states, sometimes not at all.


def _flip_one_name(formula: Formula, index: int) -> Formula:
    """``formula`` with its ``index``-th name occurrence (in postorder) negated."""
    from verifier.formula import fold

    counter = [0]

    def combine(node: Formula, kids: list[Formula]) -> Formula:
        if isinstance(node, Var):
            counter[0] += 1
            return Not(node) if counter[0] - 1 == index else node
        if not kids:
            return node
        return type(node)(*kids)

    return fold(formula, combine)


@st.composite
def bnl_mutants(draw: st.DrawFn, program: BnlProgram) -> BnlProgram:
    """One of: negate a name in a body, flip a terminal value, swap two input predicates in
    the head order, delay one head by a fresh copy predicate, or no change at all."""
    kinds = ["flip", "terminal", "swap", "delay", "same"]
    kind = draw(st.sampled_from(kinds))
    heads = list(program.heads)
    if kind == "flip":
        k = draw(st.integers(0, len(heads) - 1))
        occurrences = sum(1 for _ in _names_in(heads[k].body))
        if occurrences:
            i = draw(st.integers(0, occurrences - 1))
            heads[k] = Head(heads[k].name, _flip_one_name(heads[k].body, i), heads[k].init)
        else:
            heads[k] = Head(heads[k].name, Not(heads[k].body), heads[k].init)
    elif kind == "terminal":
        aux = [i for i, h in enumerate(heads) if h.init is not None]
        if aux:
            k = draw(st.sampled_from(aux))
            heads[k] = Head(heads[k].name, heads[k].body, not heads[k].init)
    elif kind == "swap":
        inputs = [i for i, h in enumerate(heads) if h.init is None]
        if len(inputs) >= 2:
            i, j = draw(st.permutations(inputs))[:2]
            heads[i], heads[j] = heads[j], heads[i]
    elif kind == "delay":
        k = draw(st.integers(0, len(heads) - 1))
        fresh = "D_" + "".join(c for c in heads[k].name if c.isalnum())
        if fresh not in program.names:
            init = heads[k].init if heads[k].init is not None else False
            heads.append(Head(fresh, heads[k].body, init))
            heads[k] = Head(heads[k].name, Var(fresh), heads[k].init)
    return BnlProgram(
        heads=tuple(heads),
        print_=program.print_,
        attention=program.attention,
        assumptions=program.assumptions,
        meta=program.meta,
    )


def _names_in(formula: Formula) -> Iterator[Var]:
    from verifier.formula import postorder

    return (node for node in postorder(formula) if isinstance(node, Var))


# --- programs of the cost calculus (verifier.ops, issue 8) ----------------------------------------

OPS_CONSTANTS = tuple(Fraction(c) for c in ("-2", "-1", "0", "1", "2", "1/2", "-1/2", "3/4"))


def ops_bodies(
    variables: Sequence[str] = ("x", "y"), max_leaves: int = 10
) -> st.SearchStrategy[ops_syntax.Expr]:
    """Random expressions over +, * (binary and n-ary), relu, ``variables`` and small
    constants."""
    leaves = st.one_of(
        st.sampled_from(list(variables)).map(ops_syntax.Sym),
        st.sampled_from(OPS_CONSTANTS).map(ops_syntax.Num),
    )

    def extend(sub: st.SearchStrategy[ops_syntax.Expr]) -> st.SearchStrategy[ops_syntax.Expr]:
        return st.one_of(
            sub.map(lambda a: ops_syntax.App(ops_syntax.Sym("relu"), (a,))),
            st.tuples(st.sampled_from(["+", "*"]), st.lists(sub, min_size=2, max_size=3)).map(
                lambda t: ops_syntax.App(ops_syntax.Sym(t[0]), tuple(t[1]))
            ),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


@st.composite
def ops_programs(draw: st.DrawFn, max_leaves: int = 10, lets: bool = True) -> ops_syntax.Lam:
    """Random closed programs (λ x y. body) over +, *, relu, x, y and small constants; with
    ``lets``, sometimes (let ((u e)) body) with u used in the body."""
    if lets and draw(st.booleans()):
        bound = draw(ops_bodies(max_leaves=max_leaves // 2))
        body = draw(ops_bodies(("x", "y", "u"), max_leaves=max_leaves // 2))
        return ops_syntax.Lam(("x", "y"), ops_syntax.Let((("u", bound),), body))
    return ops_syntax.Lam(("x", "y"), draw(ops_bodies(max_leaves=max_leaves)))


OPS_UNARY_CONSTANTS = tuple(Fraction(c) for c in ("-1", "0", "1", "2", "1/2"))


def ops_unary_programs(max_leaves: int = 8) -> st.SearchStrategy[ops_syntax.Lam]:
    """Random programs (λ x. body) over binary +, *, relu, the one variable x and the
    constants -1, 0, 1, 2, 1/2 (the differential tests of ``verify ops equiv``)."""
    leaves = st.one_of(
        st.just(ops_syntax.Sym("x")),
        st.sampled_from(OPS_UNARY_CONSTANTS).map(ops_syntax.Num),
    )

    def extend(sub: st.SearchStrategy[ops_syntax.Expr]) -> st.SearchStrategy[ops_syntax.Expr]:
        return st.one_of(
            sub.map(lambda a: ops_syntax.App(ops_syntax.Sym("relu"), (a,))),
            st.tuples(st.sampled_from(["+", "*"]), sub, sub).map(
                lambda t: ops_syntax.App(ops_syntax.Sym(t[0]), (t[1], t[2]))
            ),
        )

    body = st.recursive(leaves, extend, max_leaves=max_leaves)
    return body.map(lambda b: ops_syntax.Lam(("x",), b))
