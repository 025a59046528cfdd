"""And-inverter graphs: the combinational core of the IR (DESIGN.md section 5).

Numbering follows AIGER: variable 0 is the constant false, variables ``1..num_inputs`` are the
inputs (leaves), and AND gate ``i`` is variable ``num_inputs + 1 + i``. A *literal* is
``2 * var + c`` where ``c = 1`` complements it, so ``0`` is false, ``1`` is true and
``lit ^ 1`` is the negation of ``lit``. Gates are stored in topological order (each fanin is a
smaller variable), which lets every traversal be one loop over the gates, never a recursion.

An :class:`Aig` is immutable. It is made by an :class:`AigBuilder`, which owns the structural
hash table (one per builder, never global) and folds constants as gates are added.

>>> b = AigBuilder(2)
>>> x, y = b.input(0), b.input(1)
>>> g = b.and_(x, y)
>>> b.and_(y, x) == g, b.and_(x, FALSE), b.and_(x, TRUE) == x, b.and_(x, x ^ 1)
(True, 0, True, 0)
>>> aig = b.build()
>>> aig.num_ands, aig.value(aig.evaluate([1, 1]), g), aig.value(aig.evaluate([1, 0]), g)
(1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

__all__ = [
    "FALSE",
    "TRUE",
    "Aig",
    "AigBuilder",
    "is_negated",
    "lit_var",
    "negate",
]

FALSE = 0
"""The literal of the constant false (variable 0, uncomplemented)."""
TRUE = 1
"""The literal of the constant true (variable 0, complemented)."""
_OUTSIDE = -2  # AigBuilder.embed: a variable outside the copied cone


def negate(lit: int) -> int:
    """The complement of ``lit``."""
    return lit ^ 1


def lit_var(lit: int) -> int:
    """The variable of ``lit``."""
    return lit >> 1


def is_negated(lit: int) -> bool:
    """Whether ``lit`` is a complemented variable."""
    return bool(lit & 1)


@dataclass(frozen=True)
class Aig:
    """An and-inverter graph: ``num_inputs`` leaves and AND gates as parallel tuples.

    Gate ``i`` is variable ``num_inputs + 1 + i`` and computes ``left[i] & right[i]``; both
    fanins are literals of smaller variables (topological order). Outputs are not part of the
    graph: whoever uses it (e.g. :class:`~verifier.ir.system.TransitionSystem`) holds root
    literals. Invariants are checked by :func:`verifier.ir.system.check_aig`.
    """

    num_inputs: int
    left: tuple[int, ...] = ()
    right: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.left) != len(self.right):
            raise ValueError("an AIG needs as many left as right fanins")

    @property
    def num_ands(self) -> int:
        return len(self.left)

    @property
    def num_vars(self) -> int:
        """Variables including the constant: ``1 + num_inputs + num_ands``."""
        return 1 + self.num_inputs + len(self.left)

    @property
    def first_and_var(self) -> int:
        return 1 + self.num_inputs

    def gates(self) -> Iterator[tuple[int, int, int]]:
        """``(variable, left, right)`` of every gate, in topological order."""
        return zip(range(self.first_and_var, self.num_vars), self.left, self.right, strict=True)

    def input_lit(self, i: int) -> int:
        """The (positive) literal of input ``i`` (0-based)."""
        if not 0 <= i < self.num_inputs:
            raise IndexError(f"input {i} out of range 0..{self.num_inputs - 1}")
        return 2 * (1 + i)

    def and_lit(self, i: int) -> int:
        """The (positive) literal of AND gate ``i`` (0-based)."""
        return 2 * (self.first_and_var + i)

    def evaluate(self, leaves: Sequence[int], mask: int = 1) -> list[int]:
        """The value of every variable when input ``i`` has value ``leaves[i]``.

        Values are Python ints used as bit vectors of width ``mask.bit_length()``: with the
        default ``mask = 1`` they are 0/1 (one input); with ``mask = 2**w - 1`` each bit
        position is an independent evaluation. Read a literal with :meth:`value`. This is the
        plain-Python evaluator (oracle for the numpy simulator, and the benchmark's baseline).
        """
        if len(leaves) != self.num_inputs:
            raise ValueError(f"expected {self.num_inputs} leaf values, got {len(leaves)}")
        values = [0, *(v & mask for v in leaves)]
        values.extend([0] * len(self.left))
        # Complementing a literal is XOR with `mask` when its low bit is set: mask * (lit & 1).
        for var, a, b in self.gates():
            values[var] = (values[a >> 1] ^ (mask * (a & 1))) & (values[b >> 1] ^ (mask * (b & 1)))
        return values

    @staticmethod
    def value(values: Sequence[int], lit: int, mask: int = 1) -> int:
        """The value of ``lit`` given the variable values returned by :meth:`evaluate`."""
        return values[lit >> 1] ^ (mask * (lit & 1))

    def levels(self) -> list[int]:
        """Level of every variable: 0 for the constant and the inputs, else 1 + max of fanins."""
        level = [0] * self.num_vars
        for var, a, b in self.gates():
            la, lb = level[a >> 1], level[b >> 1]
            level[var] = 1 + (la if la > lb else lb)
        return level

    def supports(self, lits: Iterable[int]) -> list[frozenset[int]]:
        """For each literal of ``lits``, the inputs (0-based indices) it reads structurally."""
        # Bit i of an int mask is input i: one int OR per gate, sets only for the roots.
        mask = [0, *(1 << i for i in range(self.num_inputs))]
        for a, b in zip(self.left, self.right, strict=True):
            mask.append(mask[a >> 1] | mask[b >> 1])
        return [_bits_of(mask[lit >> 1]) for lit in lits]

    def cone(self, roots: Iterable[int]) -> list[bool]:
        """For every variable, whether some literal in ``roots`` depends on it (transitively)."""
        needed = [False] * self.num_vars
        for lit in roots:
            needed[lit >> 1] = True
        first = self.first_and_var
        # Reverse topological order: a gate is final once all later gates are processed.
        for i in range(len(self.left) - 1, -1, -1):
            if needed[first + i]:
                needed[self.left[i] >> 1] = True
                needed[self.right[i] >> 1] = True
        return needed


def _bits_of(mask: int) -> frozenset[int]:
    """The positions of the set bits of ``mask``."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low.bit_length() - 1)
        mask ^= low
    return frozenset(bits)


class AigBuilder:
    """Builds an :class:`Aig` with structural hashing and constant folding.

    The input count is fixed up front so that inputs keep the AIGER numbering (inputs before
    gates). :meth:`and_` folds ``x&0 = 0``, ``x&1 = x``, ``x&x = x``, ``x&!x = 0``, orders the
    operands (so ``x&y`` and ``y&x`` are one gate) and returns the existing gate for a pair
    seen before. The hash table belongs to this builder only.
    """

    def __init__(self, num_inputs: int) -> None:
        if num_inputs < 0:
            raise ValueError("num_inputs must be >= 0")
        self._num_inputs = num_inputs
        self._left: list[int] = []
        self._right: list[int] = []
        self._strash: dict[tuple[int, int], int] = {}

    @property
    def num_inputs(self) -> int:
        return self._num_inputs

    @property
    def num_ands(self) -> int:
        return len(self._left)

    def _limit(self) -> int:
        return 2 * (1 + self._num_inputs + len(self._left))

    def input(self, i: int) -> int:
        """The literal of input ``i`` (0-based)."""
        if not 0 <= i < self._num_inputs:
            raise IndexError(f"input {i} out of range 0..{self._num_inputs - 1}")
        return 2 * (1 + i)

    def and_(self, a: int, b: int) -> int:
        """The literal of ``a & b`` (a new gate only if no folding or sharing applies)."""
        limit = self._limit()
        if not (0 <= a < limit and 0 <= b < limit):
            raise ValueError(f"literal {a if not 0 <= a < limit else b} is not in this AIG")
        return self._and(a, b)

    def _and(self, a: int, b: int) -> int:
        """:meth:`and_` for literals known to be in this AIG (the hot path of embedding)."""
        if a < b:
            a, b = b, a
        # Now a >= b: a constant operand, if any, is b (constants are the smallest literals).
        if b == FALSE:
            return FALSE
        if b == TRUE or a == b:
            return a
        if a == b ^ 1:
            return FALSE
        key = (a, b)
        lit = self._strash.get(key)
        if lit is None:
            lit = 2 * (1 + self._num_inputs + len(self._left))
            self._left.append(a)
            self._right.append(b)
            self._strash[key] = lit
        return lit

    def or_(self, a: int, b: int) -> int:
        """``a | b`` as ``!(!a & !b)`` (De Morgan)."""
        return self.and_(a ^ 1, b ^ 1) ^ 1

    def xor(self, a: int, b: int) -> int:
        """``a ^ b`` as ``!(a & b) & !(!a & !b)``."""
        return self.and_(self.and_(a, b) ^ 1, self.and_(a ^ 1, b ^ 1) ^ 1)

    def mux(self, sel: int, then: int, else_: int) -> int:
        """``sel ? then : else_``."""
        return self.or_(self.and_(sel, then), self.and_(sel ^ 1, else_))

    def and_all(self, lits: Iterable[int]) -> int:
        """The conjunction of ``lits`` (TRUE when empty), as a balanced tree of gates; FALSE
        at once if it contains FALSE or a complementary pair.

        Balanced rather than a chain so that wide gates add log2(fan-in) levels, which keeps
        the level-parallel simulator's number of levels small.
        """
        unique = list(dict.fromkeys(lits))
        present = set(unique)
        if FALSE in present or any(lit ^ 1 in present for lit in unique):
            return FALSE  # x & ... & !x, which pairwise folding might not see
        while len(unique) > 1:
            paired = [self.and_(unique[i], unique[i + 1]) for i in range(0, len(unique) - 1, 2)]
            if len(unique) % 2:
                paired.append(unique[-1])
            unique = paired
        return unique[0] if unique else TRUE

    def or_all(self, lits: Iterable[int]) -> int:
        """The disjunction of ``lits`` (FALSE when empty), by De Morgan over :meth:`and_all`."""
        return self.and_all(lit ^ 1 for lit in lits) ^ 1

    def embed(
        self, aig: Aig, leaves: Sequence[int], roots: Iterable[int] | None = None
    ) -> Callable[[int], int]:
        """Copy the gates of ``aig`` into this builder, input i of ``aig`` replaced by the
        literal ``leaves[i]`` of this builder (strashing and folding apply as usual).

        Returns the map from literals of ``aig`` to literals of this builder. Used to put two
        systems side by side in one graph (miters) and to compose a system with itself. With
        ``roots``, only the cone of those literals is copied, and the map is defined on that
        cone only (a literal outside it raises ValueError).
        """
        if len(leaves) != aig.num_inputs:
            raise ValueError(f"embed needs {aig.num_inputs} leaves, got {len(leaves)}")
        limit = self._limit()
        if not all(0 <= lit < limit for lit in leaves):
            raise ValueError("a leaf literal is not in this AIG")
        var_lit = [FALSE, *leaves]
        and_, append = self._and, var_lit.append
        # Every fanin is a literal of this builder by induction: the unchecked path is safe.
        if roots is None:
            for left, right in zip(aig.left, aig.right, strict=True):
                append(and_(var_lit[left >> 1] ^ (left & 1), var_lit[right >> 1] ^ (right & 1)))
            return lambda lit: var_lit[lit >> 1] ^ (lit & 1)
        needed = aig.cone(roots)
        var_lit.extend([_OUTSIDE] * aig.num_ands)
        for var, left, right in aig.gates():
            if needed[var]:
                var_lit[var] = and_(
                    var_lit[left >> 1] ^ (left & 1), var_lit[right >> 1] ^ (right & 1)
                )

        def mapped(lit: int) -> int:
            if var_lit[lit >> 1] == _OUTSIDE:
                raise ValueError(f"literal {lit} is outside the embedded cone")
            return var_lit[lit >> 1] ^ (lit & 1)

        return mapped

    def build(self) -> Aig:
        """The immutable graph built so far (the builder may go on adding gates)."""
        return Aig(self._num_inputs, tuple(self._left), tuple(self._right))
