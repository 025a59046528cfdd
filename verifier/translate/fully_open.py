"""BNL program to an asynchronously equivalent fully-open BNL program (paper, Theorem 2.2).

A program is *fully open* when every iteration body is elementary: ``1``, ``0`` (= ``!1``), a
head ``Y``, ``!Y`` or ``Y & Z`` (:func:`verifier.models.dependencies.is_elementary`). The
paper's construction, with its gaps filled as follows:

* **Rewriting.** ``a | b`` becomes ``!(!a & !b)`` and ``0`` becomes ``!1``; the other nodes are
  kept (no simplification, ``!!Y`` stays). The *level* of a rewritten subformula is its depth
  (names and ``1`` are 0, ``!f`` is 1 + level f, ``f & g`` is 1 + the larger level); d is the
  largest level of a rewritten iteration body. Equal subformulas are one node (shared across
  bodies), found by structural interning over the formula DAG, never by recursion on depth.
* **Delay D** (the stride): ``D = 1`` when ``d <= 1``; otherwise ``D = max(d, a + 1)`` where
  a is the largest level of the body of an *attention* predicate (0 without attention
  predicates). So D = d except when the output condition is attention predicates, d >= 2 and
  some attention predicate has a body of the largest depth: then ``D = d + 1`` (see Attention).
* **Pipeline predicates.** For a subformula f and a level L >= level f there is (at most) one
  predicate ``f@L`` whose value in round t + L is the value of f on the heads of round t, for
  *every* t >= 0 (rounds before L hold garbage): a name Y at level 0 is Y itself; a compound f
  at level ``level f`` is a new head ``_s<k>`` (k numbers the distinct compound subformulas)
  applying f's connective to its operands at level - 1 (``!g@(L-1)`` or ``g@(L-1) & h@(L-1)``,
  with ``!1`` written ``0``); f at a higher level is a dummy ``_d<L>_<base> :- f@(L-1)``
  (base: Y for a name, ``s<k>`` for a compound). The constant ``1`` at any level is the single
  head ``_one(0) :- 1``, ``_one :- 1`` (needed only as an operand of ``&``; ``!1`` is
  elementary). Predicates are created on demand, so a subformula needed at several levels
  gets a chain of dummies, shared by every reader.
* **Heads of P** come first, in order, with their terminal clauses: input predicates stay
  input predicates in the same order; print predicates are the same heads. A head X with
  rewritten body f gets the elementary body of ``f@D``: f's connective on operands at level
  D - 1 when level f = D, else ``f@(D-1)`` (a name or a constant at level < D: its dummy
  chain, or ``1``). Hence X in round t + D is f on round t for every t, and by induction X in
  round D*t is X in round t of P (configurations in between are garbage; nothing reads them
  at the sampled rounds). New heads get the terminal clause 0, except ``_c0`` and ``_one``.
* **Counter.** ``_c0 .. _c<D-1>``: ``_c0(0) :- 1``, ``_ci(0) :- 0`` (i > 0), ``_c0 :- _c<D-1>``,
  ``_c<i+1> :- _ci``; ``_ci`` is true exactly in the rounds congruent to i modulo D. It is
  added only when it is read (``attention all``, or attention predicates with D >= 2).
* **Attention.** ``attention all`` becomes ``attention _c0`` (rounds 0, D, 2D, ...);
  ``attention rounds``: r becomes D*r and a + bk becomes D*a + (D*b)k. Attention predicates
  stay the *same heads*, flagged when D >= 2: ``A :- _c<D-1> & f@(D-1)``. Then A in round
  D*t + D is f on round D*t and A is false in every round that is not a multiple of D, so the
  program outputs exactly in the rounds D*t in which P outputs in round t. The paper's
  separate copy ``A' :- c & S_f`` (terminal clause that of A) fails twice: ``S_f`` arrives at
  level d, one round too late for a flag read in round D*t + D - 1 (so f@(D-1) must exist,
  which forces D = d + 1 when level f = d), and an input attention predicate has no terminal
  clause to copy (its round-0 value is an input bit). Flagging A itself solves both: A is
  still the input predicate in round 0, no attention predicate gets a copy, and the offset
  stays 0. (An offset C = 1 with stride d would also work, ``A' :- c_0 & A``, but then every
  print predicate needs a delayed copy; we prefer the paper's offset 0.) With D = 1 every
  round is sampled and attention predicates are not flagged.
* **Already fully open.** If P is fully open (this includes d = 0), the result is P itself,
  stride 1 (the paper: "no computation delay"), with only its meta line replaced.
* **Assumptions** are unchanged (they read input predicates, which keep their names).
* **Names.** ``_c<i>``, ``_one``, ``_s<k>``, ``_d<L>_<base>`` (an indexed name keeps its
  index last: ``_d2_P[3,1]``); a name that is taken gets ``_`` prefixed until it is free.

``meta`` is exactly ``translation=fully-open theorem=2.2 relation=async stride=D offset=0``:
output round t of P is output round D*t of the result.

Size. Let n be the number of heads of P and, after rewriting, s the number of distinct
compound subformulas (``!``/``&`` nodes) of the bodies, with levels l_1..l_s. A compound f is
needed at levels l_f .. D - 1 only (a head of P itself carries its body's top node when it is
computed at level D), a name at levels 1 .. D - 1, so the result has at most

    n + D + 1 + sum over compound f of (D - l_f) + n * (D - 1)   heads

(n kept heads, the counter, ``_one``, subformula predicates with their dummies, dummy chains
of the heads), i.e. at most ``n*D + D + 1 + s*D = O((n + s) * D)`` heads, each body of size
at most 3 and each terminal clause of size at most 3. With s at most the size of P and
D <= d + 1 this is the paper's O(size * d). It is large for deep published models: the
BBM colorectal model (197 heads, rewritten depth 8415) needs about 9.7 million pipeline heads.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from verifier import formula as fm
from verifier.errors import InputError
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var
from verifier.models.attention import (
    Attention,
    AttentionAll,
    AttentionBits,
    AttentionRounds,
    Progression,
)
from verifier.models.bnl import BnlProgram, Head
from verifier.models.dependencies import is_fully_open
from verifier.translate.names import fresh

__all__ = ["fully_open"]

_VAR, _TOP, _NOT, _AND = "var", "top", "not", "and"


@dataclass
class _Dag:
    """The rewritten bodies as one interned DAG: node i is ``kinds[i]`` with ``args[i]`` (a
    name for a variable, child node ids otherwise) and depth ``levels[i]``."""

    kinds: list[str] = field(default_factory=list)
    args: list[tuple[int | str, ...]] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # base of dummy names: Y or s<k>
    _ids: dict[tuple[int | str, ...], int] = field(default_factory=dict)
    _compounds: int = 0

    def node(self, kind: str, *args: int | str) -> int:
        key = (kind, *args)
        found = self._ids.get(key)
        if found is not None:
            return found
        if kind == _VAR:
            level, label = 0, str(args[0])
        elif kind == _TOP:
            level, label = 0, "one"
        else:
            self._compounds += 1
            level = 1 + max(self.levels[int(a)] for a in args)
            label = f"s{self._compounds}"
        self._ids[key] = len(self.kinds)
        self.kinds.append(kind)
        self.args.append(tuple(args))
        self.levels.append(level)
        self.labels.append(label)
        return self._ids[key]

    def children(self, node: int) -> tuple[int, ...]:
        return tuple(int(a) for a in self.args[node]) if self.kinds[node] in (_NOT, _AND) else ()

    def add(self, body: Formula) -> int:
        """The node of ``body`` with ``|`` and ``0`` rewritten (iteratively)."""

        def combine(f: Formula, kids: list[int]) -> int:
            if isinstance(f, Var):
                return self.node(_VAR, f.name)
            if isinstance(f, Top):
                return self.node(_TOP)
            if isinstance(f, Bottom):
                return self.node(_NOT, self.node(_TOP))
            if isinstance(f, Not):
                return self.node(_NOT, kids[0])
            if isinstance(f, And):
                return self.node(_AND, kids[0], kids[1])
            assert isinstance(f, Or)
            both = self.node(_AND, self.node(_NOT, kids[0]), self.node(_NOT, kids[1]))
            return self.node(_NOT, both)

        return fm.fold(body, combine)


def _delay(levels: list[int], attention: tuple[str, ...], names: tuple[str, ...]) -> int:
    """D (module docstring): 1 when every body has level <= 1, else the largest level, one
    more if an attention predicate's body has it (its flag needs one round)."""
    d = max(levels, default=0)
    if d <= 1:
        return 1
    flagged = [lv + 1 for lv, name in zip(levels, names, strict=True) if name in attention]
    return max([d, *flagged])


class _Pipeline:
    """The pipeline predicates ``f@L``, created on demand, with their elementary bodies."""

    def __init__(self, dag: _Dag, taken: set[str]) -> None:
        self.dag = dag
        self.taken = taken
        self.names: dict[tuple[int, int], str] = {}
        self.order: list[tuple[str, int, int]] = []  # (name, node, level) in creation order
        self.one: str | None = None

    def operand(self, node: int, level: int) -> str:
        """The head whose value in round t + level is ``node`` on the heads of round t."""
        dag = self.dag
        if dag.kinds[node] == _TOP:
            if self.one is None:
                self.one = fresh("_one", self.taken)
                self.order.append((self.one, node, 0))
            return self.one
        if dag.kinds[node] == _VAR and level == 0:
            return str(dag.args[node][0])
        key = (node, level)
        if key not in self.names:
            base = dag.labels[node]
            own = level == dag.levels[node]
            if len(self.order) >= MAX_HEADS:
                raise InputError(
                    f"the fully-open form would have more than {MAX_HEADS:,} heads (Theorem"
                    " 2.2's size grows with size x depth: a deep body can be made shallow"
                    " first, --to circ-balanced, then --to fully-open)"
                )
            self.names[key] = fresh(f"_{base}" if own else f"_d{level}_{base}", self.taken)
            self.order.append((self.names[key], node, level))
        return self.names[key]

    def body(self, node: int, level: int) -> Formula:
        """The elementary body that computes ``node`` at ``level`` (>= 1 and >= its level)."""
        dag = self.dag
        kind = dag.kinds[node]
        if kind == _TOP:
            return Top()
        if level > dag.levels[node]:
            return Var(self.operand(node, level - 1))
        kids = dag.children(node)
        if kind == _NOT:
            if dag.kinds[kids[0]] == _TOP:
                return Bottom()
            return Not(Var(self.operand(kids[0], level - 1)))
        assert kind == _AND
        return And(Var(self.operand(kids[0], level - 1)), Var(self.operand(kids[1], level - 1)))

    def heads(self) -> list[Head]:
        """The pipeline heads, level by level (``_one`` first), each level in creation order;
        bodies are built as they are reached, which creates the operands they read."""
        built: list[tuple[int, int, Head]] = []
        queue = deque(self.order)
        seen = len(self.order)
        while queue:
            name, node, level = queue.popleft()
            if name == self.one:
                head = Head(name, Top(), True)
            else:
                head = Head(name, self.body(node, level), False)
            built.append((level, len(built), head))
            queue.extend(self.order[seen:])
            seen = len(self.order)
        return [head for _, _, head in sorted(built, key=lambda item: item[:2])]


def _counter(delay: int, taken: set[str]) -> list[Head]:
    names = [fresh(f"_c{i}", taken) for i in range(delay)]
    return [
        Head(name, Var(names[i - 1] if i > 0 else names[-1]), i == 0)
        for i, name in enumerate(names)
    ]


def _stretch(attention: AttentionRounds, delay: int) -> AttentionRounds:
    def stretch(item: int | Progression) -> int | Progression:
        if isinstance(item, int):
            return delay * item
        return Progression(delay * item.start, delay * item.step)

    return AttentionRounds(tuple(stretch(item) for item in attention.items))


def _meta(delay: int) -> tuple[str, ...]:
    return (f"translation=fully-open theorem=2.2 relation=async stride={delay} offset=0",)


MAX_HEADS = 2_000_000
"""Above about this many heads the result is refused (:class:`InputError`) rather than built."""


def fully_open(program: BnlProgram) -> BnlProgram:
    """A fully-open program asynchronously equivalent to ``program`` (Theorem 2.2): output
    round t of ``program`` is output round D*t of the result (see the module docstring)."""
    if is_fully_open(program):
        return BnlProgram(
            program.heads, program.print_, program.attention, program.assumptions, _meta(1)
        )
    dag = _Dag()
    roots = [dag.add(h.body) for h in program.heads]
    attention_names = program.attention_names
    delay = _delay([dag.levels[r] for r in roots], attention_names, program.names)
    taken = set(program.names)
    flag = delay >= 2 and bool(attention_names)
    needs_counter = flag or isinstance(program.attention, AttentionAll)
    counter = _counter(delay, taken) if needs_counter else []
    pipeline = _Pipeline(dag, taken)
    kept: list[Head] = []
    for head, root in zip(program.heads, roots, strict=True):
        if flag and head.name in attention_names:
            operand = pipeline.operand(root, delay - 1)
            body: Formula = And(Var(counter[-1].name), Var(operand))
        else:
            body = pipeline.body(root, delay)
        kept.append(Head(head.name, body, head.init))
    attention: Attention = program.attention
    if isinstance(attention, AttentionAll):
        attention = AttentionBits((counter[0].name,))
    elif isinstance(attention, AttentionRounds):
        attention = _stretch(attention, delay)
    return BnlProgram(
        heads=(*kept, *counter, *pipeline.heads()),
        print_=program.print_,
        attention=attention,
        assumptions=program.assumptions,
        meta=_meta(delay),
    )
