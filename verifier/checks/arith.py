"""``verify arith``: prove an integer arithmetic program correct for every valid input
(DESIGN.md 2.6, 2.7 and section 4; issue 6, part 3).

A generated arithmetic program carries a ``meta`` line

    meta arith op=<compare|add|sub|mul> encoding=int base=<b> digits=<n> time=<T>

Its input predicates, in order, are the one-hot encoding of x followed by that of y (both in
Z(n, b)); its print predicates, in order, the encoding of the result (one bit for compare).
The check proves, for every pair of valid operand encodings (negative zero included):

(a) the program's assumptions accept the input;
(b) the configuration is at a fixed point by round T (configuration T = configuration T+1);
(c) round t is an output round exactly when configuration t is a fixed point, for
    t = 0..T+1 (and beyond, where nothing changes: every later round must be an output
    round, which only an attention function given as rounds can get wrong);
(d) the print string at round T is ``IntSystem(n, b).encode_result(op, x, y)``.

Two methods prove the same statement:

* ``exhaustive``: every valid pair simulated bit-parallel on the IR
  (:func:`verifier.ir.simulate.simulate`), in batches, against the Python reference
  (:class:`~verifier.arith.integers.IntSystem`); complete; used by ``auto`` up to
  :data:`EXHAUSTIVE_LIMIT` pairs;
* ``sat``: the miter of :mod:`verifier.checks.arith_miter` (the program unrolled T+2 rounds
  beside the ripple-carry reference circuit of :mod:`verifier.arith.symbolic`), decided by SAT
  sweeping (:mod:`verifier.sat.sweep`); optionally split into cubes on the most significant
  digits of x, decided in parallel processes (:mod:`verifier.sat.cubes`). UNSAT is a proof
  for every valid pair; a satisfying input is re-simulated and classified like an exhaustive
  failure (the engines must agree, else :class:`ReplayError`).

A FAIL names the operands and results as numbers, and its input is replayed through the
reference simulator (:mod:`verifier.reference`), which must confirm every claim made (else
:class:`ReplayError`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from verifier import reference
from verifier.arith.floats import FloatSystem
from verifier.arith.integers import OPERATIONS, IntSystem
from verifier.checks.arith_miter import ArithMiter, arith_miter
from verifier.checks.dynamics import ReplayError
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.engines.dynamics import bits
from verifier.errors import InputError
from verifier.ir.compile import compile_model
from verifier.ir.simulate import ONES, BitSimulator, pack, unpack
from verifier.ir.system import TransitionSystem
from verifier.models import Model
from verifier.models.attention import AttentionRounds
from verifier.sat.cubes import solve_cubes
from verifier.sat.sweep import DIRECT_CONFLICTS, sweep_solve

__all__ = [
    "EXHAUSTIVE_LIMIT",
    "METHODS",
    "ArithMeta",
    "ArithOptions",
    "check_arith",
    "read_arith_meta",
]


METHODS = ("auto", "exhaustive", "sat")
EXHAUSTIVE_LIMIT = 1 << 22
"""The exhaustive method simulates at most this many valid operand pairs."""

BATCH_RUNS = 1 << 15
"""Runs simulated at once by the exhaustive method (512 words per signal)."""

META_SYNTAX = (
    "arith op=<compare|add|sub|mul> encoding=int base=<b> digits=<n> time=<T>"
    " (or op=<fadd|fmul> encoding=float base=<b> p=<p> q=<q> time=<T>)"
)
FLOAT_OPERATIONS = ("fadd", "fmul")
SAT_FLOAT_OPERATIONS = ("fadd", "fmul")
"""Float operations the SAT method covers (the symbolic float reference has these)."""
ENCODINGS = {"int": ("digits",), "float": ("p", "q")}


EXHAUSTIVE = "exhaustive (bit-parallel simulation of every valid input)"

MULTIPLIER_DIRECT = 1_000
"""The direct attempt's conflict budget for multiplier miters: plain CDCL cannot prove them at
the sizes that matter (it would need the partial sums' equivalences), so go to sweeping at once
(fmul F(3, 1, 10): 25 s with the default budget, of which 15 s in the futile attempt)."""

SAMPLES = 2048
"""Random valid operand pairs simulated to find the sweep's candidate equivalences."""


@dataclass(frozen=True)
class ArithOptions:
    """``method``: auto (exhaustive up to ``limit`` valid pairs, else sat), exhaustive or sat;
    ``split``: the SAT method's cubes fix the ``split`` most significant digits of x (b^split
    cubes; 0: one cube); ``jobs``: processes deciding cubes; ``timeout``: seconds for the SAT
    method (None: no limit); ``seed``: of the sweep's random samples."""

    method: str = "auto"
    limit: int = EXHAUSTIVE_LIMIT
    split: int = 0
    jobs: int = 1
    timeout: float | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}")
        if self.split < 0 or self.jobs < 1:
            raise ValueError("split must be >= 0 and jobs >= 1")


@dataclass(frozen=True)
class ArithMeta:
    """The parameters of a ``meta arith ...`` line."""

    op: str
    encoding: str
    base: int
    time: int
    line: str
    digits: int = 0  # encoding=int
    p: int = 0  # encoding=float
    q: int = 0

    @property
    def system(self) -> IntSystem:
        """Z(digits, base) (integer programs only)."""
        return IntSystem(self.digits, self.base)

    @property
    def float_system(self) -> FloatSystem:
        """F(p, q, base) (float programs only)."""
        return FloatSystem(self.p, self.q, self.base)


# --- the meta line -----------------------------------------------------------------------------


def read_arith_meta(model: Model) -> ArithMeta:
    """The parameters of the model's one ``meta arith ...`` line; InputError naming the line
    when it is missing, repeated or malformed."""
    lines = [text for text in model.meta if text.split(maxsplit=1)[:1] == ["arith"]]
    if not lines:
        raise InputError(f"no arith meta line; verify arith needs a line 'meta {META_SYNTAX}'")
    if len(lines) > 1:
        raise InputError(
            "more than one arith meta line: " + "; ".join(f"'meta {line}'" for line in lines)
        )
    line = lines[0]

    def bad(why: str) -> InputError:
        return InputError(f"meta line 'meta {line}': {why} (expected 'meta {META_SYNTAX}')")

    values: dict[str, str] = {}
    for token in line.split()[1:]:
        key, eq, value = token.partition("=")
        if not eq or not key or not value:
            raise bad(f"{token!r} is not key=value")
        if key in values:
            raise bad(f"key {key!r} given twice")
        values[key] = value
    encoding = values.get("encoding", "int")
    if encoding not in ENCODINGS:
        raise bad(f"unknown encoding {encoding!r}; expected int or float")
    keys = ("op", "encoding", "base", *ENCODINGS[encoding], "time")
    missing = [k for k in keys if k not in values]
    if missing:
        raise bad("missing " + ", ".join(missing))
    ops = OPERATIONS if encoding == "int" else FLOAT_OPERATIONS
    if values["op"] not in ops:
        raise bad(f"unknown op {values['op']!r}; expected one of {', '.join(ops)}")
    numbers: dict[str, int] = {}
    for key in keys[2:]:
        least = {"base": 2, "time": 0}.get(key, 1)
        text = values[key]
        if not text.isdigit() or int(text) < least:
            raise bad(f"{key} must be an integer >= {least}, got {text!r}")
        numbers[key] = int(text)
    return ArithMeta(values["op"], encoding, line=line, **numbers)


# --- the check ---------------------------------------------------------------------------------


def check_arith(model: Model, options: ArithOptions | None = None) -> Verdict:
    """Prove (or refute) the program's ``meta arith`` claim; see the module docstring."""
    options = options or ArithOptions()
    meta = read_arith_meta(model)
    domain = _domain(meta)
    n_inputs, n_print = len(model.input_names), len(model.print_)
    if n_inputs != 2 * domain.width:
        raise InputError(
            f"meta line 'meta {meta.line}': two operands of {domain.name} are"
            f" 2 x {domain.width} input bits, but the program has {n_inputs} inputs"
        )
    if n_print != domain.result_width:
        raise InputError(
            f"meta line 'meta {meta.line}': the result of {meta.op} is {domain.result_name},"
            f" but the program has {n_print} print bits"
        )
    pairs = domain.count**2
    sat_covers = meta.encoding == "int" or meta.op in SAT_FLOAT_OPERATIONS
    if sat_covers and (
        options.method == "sat" or (options.method == "auto" and pairs > options.limit)
    ):
        return _sat(model, meta, options)
    if pairs > options.limit or options.method == "sat":
        why = "--method sat" if options.method == "sat" else f"{pairs} valid operand pairs"
        return Verdict(
            VerdictKind.UNKNOWN,
            "none",
            f"{why}: the SAT method does not cover {meta.op} yet, and the exhaustive"
            f" limit is {options.limit} pairs"
            if not sat_covers
            else f"{pairs} valid operand pairs, above the exhaustive limit of {options.limit}"
            " (use --method sat or auto)",
        )
    return _exhaustive(model, meta, domain)


def _operands(z: IntSystem) -> tuple[np.ndarray, np.ndarray]:
    """The valid encodings of Z(n, b) as a bool array and their values."""
    encodings = list(z.valid_encodings())
    return np.array(encodings, dtype=bool), np.array([z.decode(e) for e in encodings])


def _results(z: IntSystem, op: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The expected result encodings of the pairs ``(xs[i], ys[i])``: the operation on numpy
    integers, each distinct value encoded by the reference (and a few pairs cross-checked
    against :meth:`IntSystem.encode_result`)."""
    values = {"compare": xs > ys, "add": xs + ys, "sub": xs - ys, "mul": xs * ys}[op]
    values = values.astype(np.int64)
    distinct, index = np.unique(values, return_inverse=True)
    system = z.result_system(op)
    table = np.array(
        [(bool(v),) if system is None else system.encode(int(v)) for v in distinct], dtype=bool
    )
    expected = table[index.reshape(-1)]
    step = max(1, len(xs) // 97)
    for i in range(0, len(xs), step):
        if tuple(expected[i]) != z.encode_result(op, int(xs[i]), int(ys[i])):
            raise AssertionError(f"vectorized reference disagrees at x = {xs[i]}, y = {ys[i]}")
    return expected


@dataclass(frozen=True)
class _Failure:
    run: int
    kind: str  # "assume", "fixed", "output", "print"
    round: int


def _first_failure(
    ts: TransitionSystem,
    sim: BitSimulator,
    inputs: np.ndarray,
    expected: np.ndarray,
    T: int,
) -> _Failure | None:
    """The first run (in input order) violating a claim, with the first claim it violates.

    Runs are simulated in packed batches of :data:`BATCH_RUNS`, one round at a time, keeping
    only the current state and, per round, whether it is a fixed point and an output round
    (packed), so memory does not grow with T."""
    k = inputs.shape[0]
    rounds = ts.output if ts.output_lit is None else None
    for lo in range(0, k, BATCH_RUNS):
        hi = min(k, lo + BATCH_RUNS)
        words = pack(inputs[lo:hi])
        state, valid = sim.initial(words)
        bad_output = []
        for t in range(T + 2):
            following, prints, output = sim.evaluate(state, words)
            if t <= T:
                fixed = ~np.bitwise_or.reduce(state ^ following, axis=0)
            if t == T:
                bad_fixed = ~fixed  # round T+1 is fixed iff round T is (else this fails)
                bad_print = np.bitwise_or.reduce(prints ^ pack(expected[lo:hi]), axis=0)
            if rounds is not None:
                output = np.full_like(fixed, ONES if rounds.is_output_round(t) else 0)
            bad_output.append(output ^ fixed)
            state = following
        flags = np.stack([~valid, bad_fixed, *bad_output, bad_print])  # (T + 5, words)
        bad = unpack(flags, hi - lo)  # (runs, T + 5)
        failing = np.flatnonzero(bad.any(axis=1))
        if len(failing) == 0:
            continue
        run = int(failing[0])
        which = bad[run]
        if which[0]:
            return _Failure(lo + run, "assume", 0)
        if which[1]:
            return _Failure(lo + run, "fixed", T)
        if which[2:-1].any():
            return _Failure(lo + run, "output", int(np.argmax(which[2:-1])))
        return _Failure(lo + run, "print", T)
    return None


def _late_round(model: Model, T: int) -> int | None:
    """With an attention function given as rounds: the first round after T+1 that is not an
    output round (every round from T+1 on is at the fixed point), if any."""
    attention = getattr(model, "attention", None)
    if not isinstance(attention, AttentionRounds):
        return None
    prefix, period = attention.eventual_period()
    for t in range(T + 2, max(prefix, T + 2) + period):
        if not attention.is_output_round(t):
            return t
    return None


class _IntDomain:
    """Operands and results of an integer program (Z(n, b), DESIGN 2.7)."""

    def __init__(self, meta: ArithMeta) -> None:
        self.z, self.op = meta.system, meta.op
        self.result = self.z.result_system(self.op)
        self.name = str(self.z)
        self.width = self.z.width
        self.count = 2 * self.z.b**self.z.n
        self.result_width = 1 if self.result is None else self.result.width
        self.result_name = (
            "1 bit" if self.result is None else f"{self.result_width} bits of {self.result}"
        )
        self.extra = {"base": self.z.b, "digits": self.z.n}

    def operands(self) -> tuple[np.ndarray, np.ndarray]:
        return _operands(self.z)

    def expected(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return _results(self.z, self.op, xs, ys)

    def decode(self, bits_: Sequence[bool]) -> int:
        return self.z.decode(tuple(bits_))

    def show(self, value: object) -> str:
        return str(value)

    def describe(self, bits_: tuple[bool, ...]) -> str:
        """The program's print string as a number of the result system, or why it is none."""
        if self.result is None:
            return "1" if bits_[0] else "0"
        return _describe(self.result, bits_, "an output zero has sign 0")


class _FloatDomain:
    """Operands and results of a floating-point program (F(p, q, b), DESIGN 2.8)."""

    def __init__(self, meta: ArithMeta) -> None:
        self.f, self.op = meta.float_system, meta.op
        self.name = str(self.f)
        self.width = self.result_width = self.f.width
        self.count = self.f.count()
        self.result_name = f"{self.f.width} bits of {self.f}"
        self.extra = {"base": self.f.b, "p": self.f.p, "q": self.f.q}

    def operands(self) -> tuple[np.ndarray, np.ndarray]:
        encodings = list(self.f.valid_encodings())
        values = np.empty(len(encodings), dtype=object)
        values[:] = [self.f.decode(e) for e in encodings]
        return np.array(encodings, dtype=bool), values

    def expected(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """The reference encodings, each computed by ``FloatSystem`` once per exact result
        (:meth:`_key`)."""
        f = self.f
        parts = {v: (f.split(v) if v else None) for v in {*xs.tolist(), *ys.tolist()}}
        operation = {"fadd": f.add, "fmul": f.mul}[self.op]
        cache: dict[object, tuple[bool, ...]] = {}
        rows = []
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            key = self._key(parts[x], parts[y])
            found = cache.get(key)
            if found is None:
                found = cache[key] = f.encode(operation(x, y))
            rows.append(found)
        return np.array(rows, dtype=bool)

    def _key(self, px: tuple[bool, int, int] | None, py: tuple[bool, int, int] | None) -> object:
        """The exact result on x = +-Mx b^(ex-p) and y (``f.split``; None: zero), in lowest
        terms, so that operand pairs with equal exact results share one rounding."""
        b = self.f.b
        if px is None or py is None:
            if self.op == "fmul" or (px is None and py is None):
                return 0
            return ("operand", py if px is None else px)  # 0 + y = y
        if self.op == "fmul":
            return (px[0] ^ py[0], px[1] + py[1], px[2] * py[2])
        low = min(px[1], py[1])
        total = sum((-m if negative else m) * b ** (e - low) for negative, e, m in (px, py))
        while total and total % b == 0:
            total, low = total // b, low + 1
        return (low, total) if total else 0

    def decode(self, bits_: Sequence[bool]) -> object:
        return self.f.decode(tuple(bits_))

    def show(self, value: object) -> str:
        return self.f.format(value)  # type: ignore[arg-type]

    def describe(self, bits_: tuple[bool, ...]) -> str:
        return _describe(self.f, bits_, "not normalized", self.f.format)


_Domain = _IntDomain | _FloatDomain


def _domain(meta: ArithMeta) -> _Domain:
    return _FloatDomain(meta) if meta.encoding == "float" else _IntDomain(meta)


def _describe(
    system: IntSystem | FloatSystem,
    bits_: tuple[bool, ...],
    canonical: str,
    show: Callable[[Any], str] = str,
) -> str:
    """A print string as a value of ``system``, or why it is none."""
    try:
        value = system.decode(bits_)
    except ValueError as err:
        return f"no valid encoding of {system}: {bits(bits_)} ({err})"
    if tuple(system.encode(value)) != tuple(bits_):
        return f"{bits(bits_)}, a non-canonical encoding of {show(value)} ({canonical})"
    return show(value)


def _exhaustive(model: Model, meta: ArithMeta, domain: _Domain) -> Verdict:
    op, T = meta.op, meta.time
    encodings, values = domain.operands()
    m = len(values)
    inputs = np.concatenate([np.repeat(encodings, m, axis=0), np.tile(encodings, (m, 1))], axis=1)
    xs, ys = np.repeat(values, m), np.tile(values, m)
    expected = domain.expected(xs, ys)
    ts = compile_model(model)
    failure = _first_failure(ts, BitSimulator(ts), inputs, expected, T)
    if failure is None:
        late = _late_round(model, T)
        if late is not None:
            failure = _Failure(0, "late", late)
    if failure is not None:
        r = failure.run
        return _fail(model, meta, domain, inputs[r], expected[r], failure)
    return Verdict(
        VerdictKind.PASS,
        EXHAUSTIVE,
        f"all {m * m} valid operand pairs of {domain.name} x {domain.name} ({op}): the program"
        f" is at a fixed point by round {T}, its output rounds are exactly the fixed-point"
        " rounds, and it prints the reference result",
        extra={"inputs_checked": m * m, "time": T, "op": op, **domain.extra},
    )


def _sat(model: Model, meta: ArithMeta, options: ArithOptions) -> Verdict:
    """The SAT method (see the module docstring)."""
    floats = meta.encoding == "float"
    z = meta.float_system if floats else meta.system
    op, T = meta.op, meta.time
    start = time.monotonic()
    deadline = None if options.timeout is None else start + options.timeout
    ts = compile_model(model)
    miter = arith_miter(ts, op, z, T)
    if floats and options.split:
        raise InputError("--split cuts integer programs by x's digits; float programs take none")
    split = 0 if floats else min(options.split, z.n)
    cubes = [
        [miter.x_digits[i][d] for i, d in enumerate(values)]
        for values in itertools.product(range(z.b), repeat=split)
    ]
    rng = np.random.default_rng(options.seed)

    def solve(cube: Sequence[int], deadline: float | None) -> tuple[bool | None, Any]:
        if isinstance(z, FloatSystem):
            samples = _float_samples(z, SAMPLES, rng)
        else:
            samples = _samples(z, SAMPLES, rng, _cube_digits(miter, cube))
        answer = sweep_solve(
            miter.aig,
            miter.bad,
            miter.valid,
            samples,
            cube=cube,
            deadline=deadline,
            direct_conflicts=MULTIPLIER_DIRECT if op in ("mul", "fmul") else DIRECT_CONFLICTS,
        )
        return answer.satisfiable, answer.inputs

    result = solve_cubes(solve, cubes, jobs=options.jobs, deadline=deadline)
    took = time.monotonic() - start
    method = "sat (program unrolled beside a ripple-carry reference circuit; SAT, then sweeping"
    if split:
        jobs = min(options.jobs, len(cubes))
        method += f"; {len(cubes)} cubes on x's top {split} digits, {jobs} process(es)"
    method += ")"
    extra = {
        "time": T,
        "op": op,
        **_domain(meta).extra,
        "cubes": len(cubes),
        "refuted": result.refuted,
        "seconds": round(took, 3),
    }
    if result.satisfiable is None:
        return Verdict(
            VerdictKind.UNKNOWN,
            method,
            f"out of time after {took:.1f} s: {result.refuted} of {len(cubes)} cubes proved;"
            " nothing is claimed for the others",
            extra=extra,
        )
    if result.satisfiable:
        row = np.array(result.inputs, dtype=bool)
        return _sat_failure(model, meta, ts, row, method)
    late = _late_round(model, T)
    if late is not None:
        return _sat_failure(model, meta, ts, _zero_pair(z), method, late)
    return Verdict(
        VerdictKind.PASS,
        method,
        f"every valid operand pair of {z} x {z} ({op}; {_domain(meta).count ** 2} pairs, proved by"
        f" SAT in {took:.1f} s): the program is at a fixed point by round {T}, its output rounds"
        " are exactly the fixed-point rounds, and it prints the reference result",
        extra=extra,
    )


def _cube_digits(miter: ArithMiter, cube: Sequence[int]) -> list[int]:
    """The digit values a cube fixes, most significant first."""
    return [digits.index(lit) for lit, digits in zip(cube, miter.x_digits, strict=False)]


def _samples(z: IntSystem, k: int, rng: np.random.Generator, prefix: Sequence[int]) -> np.ndarray:
    """``k`` random valid operand pairs as input rows (uniform signs, so negative zero too),
    x's most significant digits fixed to ``prefix``. The digits are uniform, except that in a
    third of the rows y's digits are b-1 minus x's over a random stretch of positions (carries
    propagate along it) and in another third equal to x's (borrows and comparisons propagate):
    uniform digits almost never show a long chain, which sweeping would otherwise have to
    learn from counterexamples one by one. The first two rows are 0 and the largest values."""
    digits = rng.integers(0, z.b, size=(k, 2, z.n))
    low = rng.integers(0, z.n, size=k)
    high = rng.integers(low, z.n + 1)
    position = np.arange(z.n)
    stretch = (position >= low[:, None]) & (position < high[:, None])
    kind = np.arange(k) % 3
    x, y = digits[:, 0], digits[:, 1]
    y[:] = np.where(stretch & (kind == 1)[:, None], z.b - 1 - x, y)
    y[:] = np.where(stretch & (kind == 2)[:, None], x, y)
    digits[0], digits[1] = 0, z.b - 1
    digits[:, 0, : len(prefix)] = prefix
    signs = rng.integers(0, 2, size=(k, 2)).astype(bool)
    one_hot = np.eye(z.b, dtype=bool)[digits]  # (k, 2, n, b)
    rows = np.concatenate([signs[:, :, None], one_hot.reshape(k, 2, z.n * z.b)], axis=2)
    return rows.reshape(k, 2 * z.width)


def _float_samples(f: FloatSystem, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` random pairs of normalized encodings (values drawn uniformly, zero included)."""
    values = f.values()
    picks = rng.integers(0, len(values), size=(k, 2))
    table = {i: f.encode(values[i]) for i in set(picks.ravel().tolist())}
    return np.array([table[i] + table[j] for i, j in picks.tolist()], dtype=bool)


def _zero_pair(z: IntSystem | FloatSystem) -> np.ndarray:
    return np.array(z.encode(0) + z.encode(0), dtype=bool)


def _sat_failure(
    model: Model,
    meta: ArithMeta,
    ts: TransitionSystem,
    row: np.ndarray,
    method: str,
    late: int | None = None,
) -> Verdict:
    """The FAIL verdict for an input the SAT method found (or, with ``late``, for a round
    after T+1 that is not an output round): classified by simulating that input."""
    domain = _domain(meta)
    x, y = domain.decode(row[: domain.width]), domain.decode(row[domain.width :])
    expected = domain.expected(np.array([x]), np.array([y]))
    if late is not None:
        failure: _Failure | None = _Failure(0, "late", late)
    else:
        failure = _first_failure(ts, BitSimulator(ts), row[None, :], expected, meta.time)
    if failure is None:
        raise ReplayError(
            f"x = {x}, y = {y}: the SAT method found a failure that simulation does not confirm"
        )
    return _fail(model, meta, domain, row, expected[0], failure, method)


def _json(domain: _Domain, value: object) -> object:
    """An operand for ``--json``: an integer as a number, a float as the paper writes it."""
    return value if isinstance(value, int) else domain.show(value)


def _fail(
    model: Model,
    meta: ArithMeta,
    domain: _Domain,
    row: np.ndarray,
    expected: np.ndarray,
    failure: _Failure,
    method: str = EXHAUSTIVE,
) -> Verdict:
    """FAIL for the input ``row``, every claim re-established by the reference simulator."""
    T = meta.time
    inputs = tuple(bool(b) for b in row)
    x, y = domain.decode(row[: domain.width]), domain.decode(row[domain.width :])
    operands = f"x = {domain.show(x)}, y = {domain.show(y)}"
    want = domain.describe(tuple(bool(b) for b in expected))
    rounds = max(T + 2, failure.round + 1)
    trace = reference.simulate(model, inputs, rounds)
    accepted = reference.satisfies_assumptions(model, inputs)

    def disagree(what: str) -> ReplayError:
        return ReplayError(
            f"input {bits(inputs)} ({operands}): the engine found {what}; the reference"
            " simulator does not confirm it"
        )

    if failure.kind == "assume":
        if accepted:
            raise disagree("that the assumptions reject it")
        at, reason = 0, "the program's assumptions reject this valid input"
        detail = f"{operands}: the program's assumptions reject this valid pair of operands"
    elif not accepted:
        raise disagree("a failure of an input the assumptions accept")
    elif failure.kind == "fixed":
        if trace[T].config == trace[T + 1].config:
            raise disagree(f"that configuration {T} is not a fixed point")
        at = T
        reason = f"configuration {T} is not a fixed point (configuration {T + 1} differs)"
        detail = f"{operands}: the program is not at a fixed point by round {T} (meta time={T})"
    elif failure.kind in ("output", "late"):
        t = failure.round
        fixed = trace[t].config == trace[t + 1].config
        if trace[t].output == fixed:
            raise disagree(f"that round {t} is an output round iff it is not a fixed point")
        at = t
        reason = (
            "an output round, but not a fixed point"
            if trace[t].output
            else "a fixed point, but not an output round"
        )
        reason = f"round {t} is {reason}"
        detail = f"{operands}: {reason}"
    else:
        step = trace[T]
        got_bits = tuple(c == "1" for c in step.print)
        if got_bits == tuple(bool(b) for b in expected):
            raise disagree(f"a wrong print string at round {T}")
        got = domain.describe(got_bits)
        at = T
        reason = f"prints {step.print}, expected {bits(expected)}"
        detail = f"{operands}: expected {want}, program gives {got}"
    cex = RunCounterexample(bits(inputs), at, reason, trace)
    return Verdict(
        VerdictKind.FAIL,
        method,
        detail,
        cex,
        extra={"x": _json(domain, x), "y": _json(domain, y), "op": meta.op, "time": T},
    )
