"""The paper's Section 2 translations at growing sizes: measured size, depth and delay against
the bounds the theorems state, and the time to prove each translation correct.

A figure-printing script, not a test. For every translation of
:mod:`verifier.translate.registry` and for the parity circuits of Theorem 2.3, on

* random models of growing size (``--sizes``: heads, schema variables or positions; a random
  circuit has twice as many gates as positions; inputs ``min(20, size // 2)``, so that
  sources with more than 16 inputs are proved by the SAT engines, not enumerated):
  ``random-sc``, ``random-bnl``, ``random-circ`` of :mod:`verifier.generate.catalog`;
* the parity family: ``parity n=N`` (Theorem 2.3 itself, and as the source of Theorem 2.6)
  and ``parity-program n=N`` (as the source of Theorems 2.2 and 2.5);
* the examples in ``../shared/examples`` (every translation that applies to each),

one row gives the source's size s and depth (the paper's definitions: ``Model.size``,
``Model.depth``; for a circuit the gates including the input gates, depth in edges) with
the quantity the bound needs (k proposition symbols or input predicates, the depth d after
the rewriting of Theorem 2.2, e edges), the result's size, depth and delay (``global``, or
output round t of the source -> round ``stride*t + offset`` of the result), the theorem's
bound on the same numbers with the constant of its O taken as 1, and measured/bound (so the
constant is visible), then the translation time and the proof time: the wall time of
:func:`verifier.checks.translation.check_translation` (translate + prove the claimed
relation; for Theorem 2.3, of :func:`verifier.checks.dynamics.check_transient`, whose exact
transient time must be ceil(log2 n) + 1), the median of ``--runs`` when a run takes under
``--short`` seconds.

Bounds (measured / bound in the ratio columns):

====================  =========================================  ===============================
row                   size bound                                 time bound
====================  =========================================  ===============================
2.1 SC->BNL           s + k (k proposition symbols)              delay t -> t+1
2.1 BNL->SC           s                                          global
2.2 fully-open        s * d (d: depth after rewriting)           delay stride d (flag: d+1)
2.3 parity            n                                          depth constant; output round
                                                                 ceil(log2 n) + 1
2.5 tree              s                                          depth = program depth
2.5 balanced          positions + sum of size_bound(body)        depth_bound(largest body)
                      (``verifier.translate.balance``: 3 s_i^2)  (2 log_{3/2} s + 1)
2.6 circuit->BNL      s + e (e edges)                            delay stride D (circuit depth)
====================  =========================================  ===============================

Every proof runs in a killable child process with ``--timeout`` seconds (the check's own
limit); a child that has not answered ``--grace`` seconds later is killed and the row says so
(a time limit that was not honoured is a finding, not a bug of this script). The default
sizes are capped per translation (:data:`DEFAULT_CAPS`) after the first size whose proof
reaches the two-minute limit; ``--sizes`` removes the caps.

Writes the table as markdown and a log-log plot (result size, delay and depth against source
size, one line per translation) to ``docs/figures/``::

    python bench/translations.py --quick --no-write   # small sizes, well under a minute
    python bench/translations.py                      # the default run, a few minutes
    python bench/translations.py --sizes 10,100,1000 --timeout 60 --out /tmp/figures

(``--quick`` writes its figures too, over the default run's, unless ``--no-write`` or ``--out``.)
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from verifier import formula as fm  # noqa: E402
from verifier.checks.dynamics import DynamicsOptions, check_transient  # noqa: E402
from verifier.checks.translation import check_translation  # noqa: E402
from verifier.engines.process import ChildError, Timeout, run_in_subprocess  # noqa: E402
from verifier.formats.registry import load  # noqa: E402
from verifier.formula import And, Bottom, Formula, Not, Or, Top, Var  # noqa: E402
from verifier.generate.catalog import generate  # noqa: E402
from verifier.models import BnlProgram, Circuit, Model, ScProgram  # noqa: E402
from verifier.models.circuit import iter_apps  # noqa: E402
from verifier.translate.balance import depth_bound, size_bound  # noqa: E402
from verifier.translate.registry import Translated, translate  # noqa: E402

T = TypeVar("T")

EXAMPLES = REPO.parent / "shared" / "examples"
FIGURES = REPO / "docs" / "figures"

DEFAULT_SIZES = (10, 30, 100, 300, 1000, 3000)
QUICK_SIZES = (10, 30, 100)
PARITY_N = (2, 3, 4, 5, 7, 8, 16, 17, 31, 32, 64, 100, 128, 255, 256)
QUICK_PARITY_N = (2, 3, 4, 5, 8, 16, 17, 32)
PARITY_PROGRAM_N = (4, 8, 16, 32, 64, 128, 256)
QUICK_PARITY_PROGRAM_N = (4, 8, 16)

DEFAULT_CAPS = {"fully-open": 1000}
"""Largest default size per translation key. ``random-bnl heads=1000 inputs=20 seed=1`` to
fully-open (96,467 heads, stride 12) is UNKNOWN at the 120 s limit (the stride miter's register
correspondence does not settle it in its time share, k-induction reaches k = 12, PDR finds no
invariant; 300 heads: PASS by register correspondence in about 6 s), so the default run stops
there and shows that row instead of spending more time-outs on larger sizes."""


# ----------------------------------------------------------------------------- translations


@dataclass(frozen=True)
class Kind:
    """One translation as a row family: ``key`` (plot line), label, theorem, target."""

    key: str
    theorem: str
    label: str
    target: str


SC_BNL = Kind("sc-bnl", "2.1", "SC->BNL", "bnl")
BNL_SC = Kind("bnl-sc", "2.1", "BNL->SC", "sc")
FULLY_OPEN = Kind("fully-open", "2.2", "fully-open", "fully-open")
PARITY = Kind("parity", "2.3", "parity circuit", "")
TREE = Kind("circ", "2.5", "tree circuit", "circ")
BALANCED = Kind("circ-balanced", "2.5", "balanced circuit", "circ-balanced")
CIRC_BNL = Kind("circ-bnl", "2.6", "circuit->BNL", "bnl")
KINDS = (SC_BNL, BNL_SC, FULLY_OPEN, PARITY, TREE, BALANCED, CIRC_BNL)


def kinds_for(model: Model) -> tuple[Kind, ...]:
    """The translations that apply to ``model`` directly (one step)."""
    if isinstance(model, ScProgram):
        return (SC_BNL,)
    if isinstance(model, BnlProgram):
        return (BNL_SC, FULLY_OPEN, TREE, BALANCED)
    return (CIRC_BNL,)


# ----------------------------------------------------------------------------- measures


def rewritten_depth(formula: Formula) -> int:
    """The depth of ``formula`` after Theorem 2.2's rewriting (``a | b`` -> ``!(!a & !b)``,
    ``0`` -> ``!1``, nothing simplified): the level of :mod:`verifier.translate.fully_open`."""

    def combine(node: Formula, kids: list[int]) -> int:
        if isinstance(node, Var | Top):
            return 0
        if isinstance(node, Bottom):
            return 1
        if isinstance(node, Not):
            return 1 + kids[0]
        if isinstance(node, And):
            return 1 + max(kids)
        assert isinstance(node, Or)
        return 3 + max(kids)

    return fm.fold(formula, combine)


def edges(circuit: Circuit) -> int:
    """The circuit's edges: the arguments of every gate (an alias ``o = x`` is no gate)."""
    return sum(len(app.args) for g in circuit.gates for app in iter_apps(g.expr))


def body_sizes(program: BnlProgram) -> list[int]:
    return [fm.size(h.body) for h in program.heads]


@dataclass(frozen=True)
class Bounds:
    """The source's extra quantity (text), the size bound and the time bound (delay or
    depth) with its text; ``time_bound`` None when the theorem states none."""

    extra: str
    size: int
    time: int | None
    time_text: str


def bounds(kind: Kind, model: Model) -> Bounds:
    """The theorem's bounds on ``model`` (module docstring table), constants taken as 1."""
    s = model.size
    if kind is SC_BNL:
        assert isinstance(model, ScProgram)
        k = len(model.props)
        return Bounds(f"k={k}", s + k, 1, "offset")
    if kind is BNL_SC:
        assert isinstance(model, BnlProgram)
        return Bounds(f"k={len(model.input_names)}", s, None, "global")
    if kind is FULLY_OPEN:
        assert isinstance(model, BnlProgram)
        d = max((rewritten_depth(h.body) for h in model.heads), default=0)
        return Bounds(f"d'={d}", s * max(d, 1), max(d, 1), f"stride d'={max(d, 1)}")
    if kind is TREE:
        return Bounds("", s, model.depth, f"depth {model.depth}")
    if kind is BALANCED:
        assert isinstance(model, BnlProgram)
        sizes = body_sizes(model)
        biggest = max(sizes, default=0)
        gates = len(model.heads) + sum(size_bound(x) for x in sizes)
        return Bounds(f"max body {biggest}", gates, depth_bound(biggest), "depth 2log1.5(s)+1")
    if kind is CIRC_BNL:
        assert isinstance(model, Circuit)
        e = edges(model)
        depth = max(1, model.depth)
        return Bounds(f"e={e}", s + e, depth, f"stride D={depth}")
    assert kind is PARITY and isinstance(model, Circuit)
    n = len(model.input_positions)
    return Bounds("", n, parity_rounds(n), "ceil(log2 n)+1")


def parity_rounds(n: int) -> int:
    """Theorem 2.3's output round (= transient time): ceil(log2 n) + 1."""
    return (n - 1).bit_length() + 1


def delay_text(translated: Translated) -> str:
    relation = translated.relation
    if relation.mode == "global":
        return "global"
    stride = "t" if relation.stride == 1 else f"{relation.stride}t"
    return f"{stride}+{relation.offset}" if relation.offset else stride


# ----------------------------------------------------------------------------- timing


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(fn: Callable[[], T], runs: int, short: float) -> tuple[float, T, int]:
    """The median time of up to ``runs`` calls (repeated only while a call takes under
    ``short`` seconds), the last result and the number of calls."""
    seconds, result = timed(fn)
    times = [seconds]
    while len(times) < runs and seconds < short:
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), result, len(times)


@dataclass(frozen=True)
class Proof:
    """A proof's outcome: the verdict name (PASS/FAIL/UNKNOWN, or KILLED/ERROR), the method,
    the median seconds and how many runs, and a note (parity: the transient time found)."""

    verdict: str
    method: str
    seconds: float
    runs: int
    note: str = ""
    value: int | None = None


def _prove_translation(model: Model, target: str, timeout: float, runs: int, short: float) -> Proof:
    """In the child: check_translation's median wall time (translate + prove)."""
    seconds, verdict, count = median_of(
        lambda: check_translation(model, target, timeout=timeout), runs, short
    )
    return Proof(verdict.kind.name, verdict.method, seconds, count, _short(verdict.detail))


def _prove_parity(model: Model, timeout: float, runs: int, short: float) -> Proof:
    """In the child: check_transient's median wall time and the transient time it proves."""
    options = DynamicsOptions(timeout=timeout)
    seconds, verdict, count = median_of(lambda: check_transient(model, None, options), runs, short)
    value = verdict.extra.get("transient")
    return Proof(
        verdict.kind.name,
        verdict.method,
        seconds,
        count,
        _short(verdict.detail),
        value if isinstance(value, int) else None,
    )


def prove(fn: Callable[..., Proof], *args: object, timeout: float, grace: float) -> Proof:
    """``fn(*args)`` in a killable child (killed at ``timeout + grace`` seconds)."""
    start = time.perf_counter()
    try:
        return run_in_subprocess(fn, *args, timeout=timeout, grace=grace)
    except Timeout as err:
        return Proof("KILLED", "-", err.elapsed, 1, f"no answer {grace:g} s after the limit")
    except ChildError as err:
        return Proof("ERROR", "-", time.perf_counter() - start, 1, _short(str(err)))
    except Exception as err:  # re-raised from the child: report it in the table
        note = f"{type(err).__name__}: {_short(str(err))}"
        return Proof("ERROR", "-", time.perf_counter() - start, 1, note)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------- rows


@dataclass
class Row:
    kind: Kind
    family: str  # plot line within a kind: random, parity, example
    instance: str
    size: int
    depth: int
    bounds: Bounds
    result_size: int
    result_depth: int
    delay: str
    time_measured: int | None  # the delay (stride) or depth compared to the time bound
    translate_s: float
    proof: Proof
    notes: list[str] = field(default_factory=list)

    @property
    def size_ratio(self) -> float:
        return self.result_size / self.bounds.size if self.bounds.size else math.inf

    @property
    def time_ratio(self) -> float | None:
        if self.bounds.time is None or self.time_measured is None:
            return None
        if self.bounds.time == 0:
            return 1.0 if self.time_measured == 0 else math.inf
        return self.time_measured / self.bounds.time


def translation_row(
    kind: Kind, family: str, instance: str, model: Model, args: argparse.Namespace
) -> Row:
    source_bounds = bounds(kind, model)
    translate_s, translated, _ = median_of(
        lambda: translate(model, kind.target), args.runs, args.short
    )
    result = translated.model
    relation = translated.relation
    notes: list[str] = []
    if kind in (TREE, BALANCED):
        measured: int | None = result.depth
        assert isinstance(result, Circuit)
        notes.append(f"fan-in {result.max_fanin}")
    elif relation.mode == "async":
        measured = relation.stride
    else:
        measured = None
    if kind is SC_BNL:
        measured = relation.offset
        if (relation.stride, relation.offset) != (1, 1):
            notes.append(f"claimed stride {relation.stride} offset {relation.offset}, not t+1")
    if kind is FULLY_OPEN and source_bounds.time is not None and measured is not None:
        if measured == source_bounds.time + 1:
            notes.append("delay d'+1 (an attention body is the deepest)")
        elif measured != source_bounds.time:
            notes.append(f"delay {measured} vs d' {source_bounds.time}")
    if kind is CIRC_BNL and measured != source_bounds.time:
        notes.append(f"stride {measured} differs from the depth")
    proof = prove(
        _prove_translation,
        model,
        kind.target,
        args.timeout,
        args.runs,
        args.short,
        timeout=args.timeout,
        grace=args.grace,
    )
    _timing_notes(proof, args, notes)
    return Row(
        kind,
        family,
        instance,
        model.size,
        model.depth,
        source_bounds,
        result.size,
        result.depth,
        delay_text(translated),
        measured,
        translate_s,
        proof,
        notes,
    )


def parity_row(n: int, args: argparse.Namespace) -> Row:
    model = generate(f"parity n={n}")
    assert isinstance(model, Circuit)
    proof = prove(
        _prove_parity, model, args.timeout, args.runs, args.short, timeout=args.timeout, grace=1.0
    )
    expected = parity_rounds(n)
    notes = [f"depth {model.depth}, fan-in {model.max_fanin}"]
    if proof.verdict == "PASS" and proof.value != expected:
        notes.append(f"transient {proof.value} != ceil(log2 n)+1 = {expected}")
        proof = Proof("FAIL", proof.method, proof.seconds, proof.runs, proof.note, proof.value)
    _timing_notes(proof, args, notes)
    delay = f"{proof.value} rounds" if proof.value is not None else "?"
    return Row(
        PARITY,
        "parity",
        f"parity n={n}",
        n,
        0,
        bounds(PARITY, model),
        model.size,
        model.depth,
        delay,
        proof.value,
        0.0,
        proof,
        notes,
    )


def _timing_notes(proof: Proof, args: argparse.Namespace, notes: list[str]) -> None:
    if proof.verdict == "KILLED":
        notes.append(f"killed at {proof.seconds:.0f} s: time limit {args.timeout:g} s not honoured")
    elif proof.seconds > args.timeout * 1.1:
        notes.append(f"overran the {args.timeout:g} s limit")
    if proof.verdict not in ("PASS", "KILLED"):
        notes.append(proof.note)


# ----------------------------------------------------------------------------- instances


def inputs_for(size: int) -> int:
    return min(20, max(1, size // 2))


def random_instances(
    sizes: Sequence[int], caps: dict[str, int], seed: int
) -> Iterator[tuple[Kind, str, str]]:
    """(translation, family, spec) of the random models, by translation then size."""
    for kind in (SC_BNL, BNL_SC, FULLY_OPEN, TREE, BALANCED, CIRC_BNL):
        for n in sizes:
            if n > caps.get(kind.key, n):
                continue
            i = inputs_for(n)
            if kind is SC_BNL:
                spec = f"random-sc variables={n} props={i} seed={seed}"
            elif kind is CIRC_BNL:
                spec = f"random-circ positions={n} inputs={i} gates={2 * n} seed={seed}"
            else:
                spec = f"random-bnl heads={n} inputs={i} seed={seed}"
            yield kind, "random", spec


def parity_instances(
    circuit_n: Sequence[int], program_n: Sequence[int], caps: dict[str, int]
) -> Iterator[tuple[Kind, str, str]]:
    """The parity circuits as the source of Theorem 2.6 and the parity programs as the
    source of Theorems 2.2 and 2.5 (the program's size grows as n^2)."""
    for kind in (FULLY_OPEN, TREE, BALANCED):
        for n in program_n:
            if n <= caps.get(kind.key + "-parity", n):
                yield kind, "parity-program", f"parity-program n={n}"
    for n in circuit_n:
        yield CIRC_BNL, "parity", f"parity n={n}"


# ----------------------------------------------------------------------------- output

COLUMNS = (
    "thm",
    "translation",
    "instance",
    "s",
    "depth",
    "bound input",
    "result s",
    "result depth",
    "delay",
    "size bound",
    "s ratio",
    "time bound",
    "t ratio",
    "transl. s",
    "proof s",
    "verdict",
    "notes",
)


def seconds_text(seconds: float, runs: int = 1) -> str:
    text = f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"
    return text + (f" (m{runs})" if runs > 1 else "")


def row_fields(row: Row) -> list[str]:
    b = row.bounds
    time_bound = b.time_text if b.time is None else f"{b.time_text}: {b.time}"
    ratio = row.time_ratio
    return [
        row.kind.theorem,
        row.kind.label,
        row.instance,
        str(row.size),
        str(row.depth) if row.kind is not PARITY else "-",
        b.extra or "-",
        str(row.result_size),
        str(row.result_depth),
        row.delay,
        str(b.size),
        f"{row.size_ratio:.3g}",
        time_bound,
        "-" if ratio is None else f"{ratio:.3g}",
        seconds_text(row.translate_s) if row.kind is not PARITY else "-",
        seconds_text(row.proof.seconds, row.proof.runs),
        row.proof.verdict + ("" if row.proof.method == "-" else f" ({row.proof.method})"),
        "; ".join(row.notes),
    ]


class Table:
    """Rows printed as they come (fixed widths) and kept for the markdown file."""

    WIDTHS = (4, 16, 50, 7, 5, 13, 8, 6, 7, 10, 7, 22, 7, 10, 14, 32, 0)

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def header(self) -> None:
        print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, self.WIDTHS, strict=True)))

    def add(self, row: Row) -> None:
        self.rows.append(row)
        fields = row_fields(row)
        print("  ".join(f.ljust(w) for f, w in zip(fields, self.WIDTHS, strict=True)), flush=True)

    def markdown(self) -> str:
        lines = ["| " + " | ".join(COLUMNS) + " |"]
        right = {"s", "depth", "result s", "result depth", "size bound", "s ratio", "t ratio"}
        lines.append("|" + "|".join("---:" if c in right else "---" for c in COLUMNS) + "|")
        for row in self.rows:
            fields = [f.replace("|", "\\|") for f in row_fields(row)]
            lines.append("| " + " | ".join(fields) + " |")
        return "\n".join(lines) + "\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.python_implementation()}"
        f" {platform.python_version()}, {platform.system()} {platform.release()}"
    )


LEGEND = """\
s, depth: the source's paper size and depth (circuit: gates incl. input gates, depth in
edges; parity: s = n input bits). bound input: k proposition symbols / input predicates,
d' the depth after Theorem 2.2's rewriting, e the circuit's edges, the largest body size.
delay: global, or output round t -> stride*t+offset of the result (parity: the proved
transient time). Bounds with the O's constant 1; s ratio = result s / size bound, t ratio =
measured delay or depth / time bound. proof s: check_translation wall time (translate +
prove; parity: check_transient), (mN) = median of N runs."""


def plot(rows: Sequence[Row], path: Path, title: str) -> None:
    """Log-log: result size (with the size bound dotted), delay and circuit depth against
    the source size, one line per translation and family."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fig, axes = plt.subplots(1, 3, figsize=(17, 5.6))
    colours = plt.get_cmap("tab10")
    styles = {"random": "-", "parity": "--", "parity-program": "--"}
    lines: dict[tuple[int, str], list[Row]] = {}
    for row in rows:
        if row.family in styles:
            lines.setdefault((KINDS.index(row.kind), row.family), []).append(row)
    for (index, family), group in sorted(lines.items()):
        group = sorted(group, key=lambda r: r.size)
        kind = KINDS[index]
        label = f"{kind.theorem} {kind.label}" + ("" if family == "random" else f" ({family})")
        colour, style = colours(index), styles[family]
        xs = [r.size for r in group]
        axes[0].plot(xs, [r.result_size for r in group], style, marker="o", ms=3, color=colour,
                     label=label)  # fmt: skip
        axes[0].plot(xs, [r.bounds.size for r in group], ":", color=colour, lw=1)
        with_time = [r for r in group if r.time_measured and r.bounds.time]
        if not with_time:
            continue
        panel = axes[2] if kind in (TREE, BALANCED, PARITY) else axes[1]
        xs = [r.size for r in with_time]
        panel.plot(xs, [r.time_measured for r in with_time], style, marker="o", ms=3,
                   color=colour, label=label)  # fmt: skip
        panel.plot(xs, [r.bounds.time for r in with_time], ":", color=colour, lw=1)
    names = (
        "result size (dotted: bound, constant 1)",
        "delay: stride D (SC->BNL: offset) (dotted: bound)",
        "circuit depth / parity output round (dotted: bound)",
    )
    for ax, name in zip(axes, names, strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("source size s (parity: n)")
        ax.set_title(name, fontsize=10)
        ax.grid(True, which="both", lw=0.3, alpha=0.5)
        ax.xaxis.set_minor_formatter(NullFormatter())
        if ax is not axes[0]:  # small ranges: plain numbers on the log axis
            plain = FuncFormatter(lambda value, _: f"{value:g}")
            ax.yaxis.set_major_formatter(plain)
            ax.yaxis.set_minor_formatter(plain)
        if ax.lines:
            ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    plt.close(fig)


# ----------------------------------------------------------------------------- main


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        message = f"expected comma-separated integers, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (seconds)")
    parser.add_argument(
        "--sizes", type=parse_sizes, help="random model sizes, e.g. 10,100,1000 (no caps)"
    )
    parser.add_argument(
        "--parity", type=parse_sizes, help="parity n for Theorems 2.3 and 2.6, e.g. 2,4,8"
    )
    parser.add_argument(
        "--parity-program", type=parse_sizes, help="parity-program n for Theorems 2.2, 2.5"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per proof")
    parser.add_argument(
        "--grace", type=float, default=60.0, help="seconds past --timeout before a kill"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per short timing (median)")
    parser.add_argument("--short", type=float, default=1.0, help="repeat timings under this")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random models")
    parser.add_argument("--no-examples", action="store_true", help="skip ../shared/examples")
    parser.add_argument("--only", default=None, help="only translation keys containing this")
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for .png and .md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    caps = {} if args.sizes else DEFAULT_CAPS
    parity_n = args.parity or (QUICK_PARITY_N if args.quick else PARITY_N)
    program_n = args.parity_program or (QUICK_PARITY_PROGRAM_N if args.quick else PARITY_PROGRAM_N)

    started = time.perf_counter()
    today = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    head = f"date: {today}; machine: {machine()}"
    setup = (
        f"sizes {','.join(map(str, sizes))}"
        + (f" (caps {', '.join(f'{k} <= {v}' for k, v in caps.items())})" if caps else "")
        + f"; parity n {','.join(map(str, parity_n))}"
        + f"; parity-program n {','.join(map(str, program_n))}"
        + f"; seed {args.seed}; timeout {args.timeout:g} s per proof (kill +{args.grace:g} s)"
        + f"; median of {args.runs} under {args.short:g} s"
    )
    print(f"# {head}\n# {setup}")
    print("\n".join("# " + line for line in LEGEND.splitlines()))
    table = Table()
    table.header()

    def wanted(kind: Kind) -> bool:
        return args.only is None or args.only in kind.key

    for kind, family, spec in [
        *random_instances(sizes, caps, args.seed),
        *parity_instances(parity_n, program_n, caps),
    ]:
        if wanted(kind):
            table.add(translation_row(kind, family, spec, generate(spec), args))
    if wanted(PARITY):
        for n in parity_n:
            table.add(parity_row(n, args))
    if not args.no_examples and EXAMPLES.is_dir():
        for path in sorted(EXAMPLES.iterdir()):
            if path.suffix not in (".bnl", ".sc", ".circ"):
                continue
            model = load(path)
            for kind in kinds_for(model):
                if wanted(kind):
                    table.add(translation_row(kind, "example", path.name, model, args))

    total = time.perf_counter() - started
    print(f"\ntotal: {total:.1f} s")
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        command = "python bench/translations.py " + " ".join(sys.argv[1:] if argv is None else argv)
        md = args.out / "translations.md"
        md.write_text(
            f"<!-- written by {command.strip()} -->\n\n{head}; total {total:.0f} s\n\n"
            f"{setup}\n\n" + LEGEND.replace("\n", " ") + "\n\n" + table.markdown()
        )
        png = args.out / "translations.png"
        plot(table.rows, png, f"bench/translations.py, {head}")
        print(f"wrote {md.relative_to(REPO) if md.is_relative_to(REPO) else md} and {png.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
