"""Equivalence checking at scale, and side by side with ABC (``verify equiv --mode global``).

A figure-printing script, not a test. Three parts:

(a) *big*: a random BNL program with ``--big`` heads (bodies over one to four other heads,
    some terminal clauses, some inputs) against its gate-by-gate circuit
    (:func:`verifier.translate.bnl_to_circuit.bnl_to_circuit`): the time to compile both,
    to build the global miter, and of the whole check (which must PASS in under 10 s), each
    the median of ``--runs``; then the same through the command line, files parsed;
(b) *bmc*: BMC on ``--bmc-heads`` heads (half of them inputs, ``--bmc-inputs``) for
    ``--bmc-rounds`` rounds on a pair with no difference in those rounds (a random program
    against the circuit of a copy of it in which a tenth of the bodies f are rewritten as
    ``(f & x) | (f & !x)``: equal functions that structural hashing does not merge):
    clauses/s of CNF generation and the share of time inside the SAT solver (the engine's
    loop timed part by part, with bench/cnf.py's functions);
(c) *abc*: pairs of growing size, equivalent and not (random programs against their
    circuits, the same with one mutated rule, a binary counter against a Gray-code counter,
    the published model pairs of proofs/models.toml): the time of our ``check_equiv``
    (global mode) beside ABC's ``dsec`` on the two side files and ``dprove`` on the miter
    (:mod:`verifier.formats.equiv_aiger`, run as subprocesses with a time limit), the ratio
    and both verdicts. A verdict on which they disagree is printed loudly (it is a bug on
    one side). Runs shorter than ``--short`` seconds are repeated and the median is shown.

Without ABC on PATH (``berkeley-abc`` or ``abc``) only our figures are printed::

    python bench/equiv.py              # the default run, a few minutes
    python bench/equiv.py --quick      # a smoke run, seconds
    python bench/equiv.py --abc-commands dsec,dprove,pdr   # also ABC's pdr
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from verifier.checks.alignment import NameMap, load_renaming  # noqa: E402
from verifier.checks.equiv import EquivOptions, check_equiv  # noqa: E402
from verifier.checks.miter import global_miter  # noqa: E402
from verifier.checks.obligations import load_file  # noqa: E402
from verifier.checks.verdict import Verdict  # noqa: E402
from verifier.engines import bmc  # noqa: E402
from verifier.engines.base import Options  # noqa: E402
from verifier.formats import aiger, bnl_text, circ_text  # noqa: E402
from verifier.formats.equiv_aiger import (  # noqa: E402
    aligned_systems,
    miter_sequential,
    side_sequentials,
)
from verifier.formats.registry import load  # noqa: E402
from verifier.formula import And, Formula, Not, Or, Top, Var  # noqa: E402
from verifier.ir.compile import compile_model  # noqa: E402
from verifier.ir.safety import SafetyProblem  # noqa: E402
from verifier.models import BnlProgram, Head, Model  # noqa: E402
from verifier.sat.cnf import plan_unrolling  # noqa: E402
from verifier.translate.bnl_to_circuit import bnl_to_circuit  # noqa: E402

T = TypeVar("T")

# ----------------------------------------------------------------------------- models


def random_body(rng: random.Random, names: Sequence[str], fanin: int) -> Formula:
    """A random formula over ``fanin`` distinct heads: literals (30% negated) joined pairwise
    by ``&`` or ``|`` in random order, 15% of the joins negated."""
    parts: list[Formula] = [Var(n) for n in rng.sample(list(names), fanin)]
    parts = [Not(p) if rng.random() < 0.3 else p for p in parts]
    while len(parts) > 1:
        i = rng.randrange(len(parts) - 1)
        node: Formula = And(*parts[i : i + 2]) if rng.random() < 0.5 else Or(*parts[i : i + 2])
        parts[i : i + 2] = [Not(node) if rng.random() < 0.15 else node]
    return parts[0]


def random_program(heads: int, seed: int, input_share: float = 0.2) -> BnlProgram:
    """``heads`` heads ``h0, h1, ...``, each with a random body over one to four heads; a head
    is an input with probability ``input_share``, else it has a random terminal clause.
    The first 16 heads are printed; every round is an output round."""
    rng = random.Random(seed)
    names = [f"h{i}" for i in range(heads)]
    built = []
    for name in names:
        body = random_body(rng, names, rng.randint(1, min(4, heads)))
        init = None if rng.random() < input_share else rng.random() < 0.5
        built.append(Head(name, body, init))
    return BnlProgram(heads=tuple(built), print_=tuple(names[:16]))


def mutated(program: BnlProgram, seed: int) -> BnlProgram:
    """``program`` with the body of one random head negated."""
    rng = random.Random(seed)
    heads = list(program.heads)
    k = rng.randrange(len(heads))
    heads[k] = Head(heads[k].name, Not(heads[k].body), heads[k].init)
    return BnlProgram(heads=tuple(heads), print_=program.print_)


def rewritten(program: BnlProgram, share: float, seed: int) -> BnlProgram:
    """``program`` with a ``share`` of the bodies f replaced by ``(f & x) | (f & !x)`` for a
    random head x: the same functions, which structural hashing does not merge."""
    rng = random.Random(seed)
    heads = []
    for head in program.heads:
        if rng.random() < share:
            x = Var(rng.choice(program.names))
            body: Formula = Or(And(head.body, x), And(head.body, Not(x)))
            heads.append(Head(head.name, body, head.init))
        else:
            heads.append(head)
    return BnlProgram(heads=tuple(heads), print_=program.print_)


def _xor(a: Formula, b: Formula) -> Formula:
    return Or(And(a, Not(b)), And(Not(a), b))


def _xnor(a: Formula, b: Formula) -> Formula:
    return Or(And(a, b), And(Not(a), Not(b)))


def _increment(bits: Sequence[Formula]) -> list[Formula]:
    """``bits + 1`` (least significant bit first), wrapping around."""
    out: list[Formula] = []
    carry: Formula = Top()
    for i, bit in enumerate(bits):
        out.append(_xor(bit, carry) if i else Not(bit))
        carry = And(carry, bit) if i else bit
    return out


def _gray(bits: Sequence[Formula]) -> list[Formula]:
    """The Gray code of a binary number: ``g_i = b_i ^ b_(i+1)``."""
    n = len(bits)
    return [_xor(bits[i], bits[i + 1]) if i + 1 < n else bits[i] for i in range(n)]


def _decode(gray: Sequence[Formula]) -> list[Formula]:
    """The binary number of a Gray code: ``b_i = g_i ^ g_(i+1) ^ ... ^ g_(n-1)``."""
    n = len(gray)
    out: list[Formula] = list(gray)
    for i in range(n - 2, -1, -1):
        out[i] = _xor(gray[i], out[i + 1])
    return out


def counters(bits: int, *, bug: bool = False) -> tuple[BnlProgram, BnlProgram]:
    """Two programs with heads ``B0..`` (a binary number, printed) and ``G0..`` (its Gray
    code), starting from any consistent pair (an ``assume`` per Gray bit). A counts in
    binary: B' = B + 1 and G' = gray(B + 1), from B alone. B counts in Gray code:
    G' = gray(decode(G) + 1) and B' = decode(G) + 1, from G alone. Their configurations are
    equal in every round (globally equivalent), but only because G = gray(B) is invariant:
    no state function of one side equals the other's outside the reachable states. With
    ``bug`` B's most significant bit is wrong on some numbers."""
    b = [Var(f"B{i}") for i in range(bits)]
    g = [Var(f"G{i}") for i in range(bits)]
    assume = tuple(_xnor(g[i], code) for i, code in enumerate(_gray(b)))
    printed = tuple(f"B{i}" for i in range(bits))

    def program(binary: list[Formula], code: list[Formula]) -> BnlProgram:
        heads = [Head(f"B{i}", f) for i, f in enumerate(binary)]
        heads += [Head(f"G{i}", f) for i, f in enumerate(code)]
        return BnlProgram(heads=tuple(heads), print_=printed, assumptions=assume)

    plus = _increment(b)
    via_gray = _increment(_decode(g))
    if bug:
        via_gray[-1] = Or(via_gray[-1], And(via_gray[0], via_gray[1]))
    return program(plus, _gray(plus)), program(via_gray, _gray(via_gray))


# ----------------------------------------------------------------------------- timing


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(fn: Callable[[], T], runs: int, short: float = float("inf")) -> tuple[float, T, int]:
    """Median seconds of ``runs`` calls (one call if the first takes ``short`` s or more),
    the last result, and the number of calls made."""
    seconds, result = timed(fn)
    times = [seconds]
    while len(times) < runs and seconds < short:
        seconds, result = timed(fn)
        times.append(seconds)
    return statistics.median(times), result, len(times)


def load_bench_module(name: str) -> ModuleType:
    """A sibling script of this one (bench/ is not a package)."""
    module_name = f"bench_{Path(name).stem}"
    spec = importlib.util.spec_from_file_location(module_name, Path(__file__).with_name(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- ABC


@dataclass(frozen=True)
class AbcRun:
    """One ABC command: PASS / FAIL / UNKNOWN (undecided, time limit) / ERROR, wall seconds
    (the process, reading the file included) and the line that said so."""

    verdict: str
    seconds: float
    detail: str


def find_abc() -> str | None:
    return shutil.which("berkeley-abc") or shutil.which("abc")


def abc_version(abc: str) -> str:
    out = subprocess.run([abc, "-c", "version"], capture_output=True, text=True, timeout=30)
    match = re.search(r"ABC \d[^\n]*", out.stdout)
    return match.group(0).strip() if match else "unknown version"


_FAIL = re.compile(r"not equivalent|was asserted|\bsatisfiable", re.IGNORECASE)
_PASS = re.compile(r"networks are equivalent|property proved|\bunsatisfiable", re.IGNORECASE)


def run_abc(abc: str, command: str, timeout: float) -> AbcRun:
    """Run ``abc -c command`` (an argv list, no shell) and read its verdict."""
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [abc, "-c", command], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return AbcRun("UNKNOWN", time.perf_counter() - start, f"time limit {timeout:g} s")
    seconds = time.perf_counter() - start
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    last = lines[-1].strip() if lines else result.stderr.strip()[-120:]
    if result.returncode != 0:
        return AbcRun("ERROR", seconds, f"exit {result.returncode}: {result.stderr.strip()[-200:]}")
    if _FAIL.search(result.stdout):
        return AbcRun("FAIL", seconds, last)
    if _PASS.search(result.stdout):
        return AbcRun("PASS", seconds, last)
    return AbcRun("UNKNOWN", seconds, last)


ABC_COMMANDS: dict[str, Callable[[Path], str]] = {
    "dsec": lambda d: f"dsec {d / 'a.aig'} {d / 'b.aig'}",
    "dprove": lambda d: f"read_aiger {d / 'miter.aig'}; dprove",
    "pdr": lambda d: f"read_aiger {d / 'miter.aig'}; pdr",
}


# ----------------------------------------------------------------------------- pairs


@dataclass
class Pair:
    """Two models to compare in global mode, how to align them, and what is known."""

    name: str
    make: Callable[[], tuple[Model, Model]]
    name_map: NameMap = field(default_factory=NameMap)
    expect: str = "?"
    _models: tuple[Model, Model] | None = None

    @property
    def models(self) -> tuple[Model, Model]:
        if self._models is None:
            self._models = self.make()
        return self._models


def published_pairs(limit: int | None) -> list[Pair]:
    """The obligations of proofs/models.toml (published networks in two collections)."""
    pairs = []
    for ob in load_file(REPO / "proofs" / "models.toml")[:limit]:
        assert ob.left is not None and ob.right is not None
        name_map = NameMap()
        if ob.map is not None:
            renaming = () if ob.map == "names" else load_renaming(ob.map)
            name_map = NameMap(True, ob.ignore_case, ob.strip_prefix, renaming)
        left, right = ob.left, ob.right
        pairs.append(
            Pair(
                ob.name,
                lambda left=left, right=right: (load(left), load(right)),
                name_map,
                ob.expect.value,
            )
        )
    return pairs


def random_pairs(sizes: Sequence[int], seed: int) -> Iterator[Pair]:
    for n in sizes:
        program = random_program(n, seed + n)
        yield Pair(
            f"random-{n} vs circuit", lambda p=program: (p, bnl_to_circuit(p)), expect="PASS"
        )
        yield Pair(
            f"random-{n} vs circuit, 1 rule negated",
            lambda p=program: (p, bnl_to_circuit(mutated(p, seed))),
        )


def structural_pairs(sizes: Sequence[int], seed: int) -> Iterator[Pair]:
    for n in sizes:
        program = random_program(n, seed + n)
        yield Pair(
            f"random-{n} vs 10% rewritten circuit",
            lambda p=program: (p, bnl_to_circuit(rewritten(p, 0.1, seed))),
            expect="PASS",
        )


def counter_pairs(widths: Sequence[int], buggy: Sequence[int]) -> Iterator[Pair]:
    for bits in widths:
        yield Pair(
            f"binary vs Gray counter, {bits} bits", lambda b=bits: counters(b), expect="PASS"
        )
    for bits in buggy:
        yield Pair(
            f"binary vs Gray counter, {bits} bits, bug",
            lambda b=bits: counters(b, bug=True),
            expect="FAIL",
        )


# ----------------------------------------------------------------------------- (a) big


def part_big(heads: int, runs: int, seed: int) -> list[tuple[str, str]]:
    """Compile, miter and check of a random program against its circuit, and the CLI."""
    program = random_program(heads, seed)
    circuit = bnl_to_circuit(program)
    rows = [("program", f"{heads} heads, {len(program.input_names)} inputs, 16 print bits")]
    t_compile, _, _ = median_of(lambda: (compile_model(program), compile_model(circuit)), runs)
    systems = aligned_systems(program, circuit)
    t_miter, problem, _ = median_of(
        lambda: global_miter(systems.a, systems.b, systems.alignment), runs
    )
    options = EquivOptions(mode="global")
    t_check, verdict, _ = median_of(lambda: check_equiv(program, circuit, options), runs)
    rows += [
        ("compile both (IR)", f"{t_compile:.2f} s"),
        (
            "build the global miter",
            f"{t_miter:.2f} s ({problem.num_latches} latches, {problem.aig.num_ands} ANDs)",
        ),
        (
            "check_equiv --mode global",
            f"{t_check:.2f} s: {verdict.kind.value} by {verdict.method}"
            f" (compile included; proof {max(t_check - t_compile, 0):.2f} s)",
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "program.bnl", Path(tmp) / "circuit.circ"
        a.write_text(bnl_text.dumps(program), encoding="utf-8")
        b.write_text(circ_text.dumps(circuit), encoding="utf-8")
        t_parse, _, _ = median_of(lambda: (load(a), load(b)), runs)
        rows.append(("parse both files (in this process)", f"{t_parse:.2f} s"))
        argv = [sys.executable, "-m", "verifier", "equiv", str(a), str(b), "--mode", "global"]
        t_cli, status, _ = median_of(
            lambda: subprocess.run(argv, cwd=REPO, capture_output=True, check=False).returncode,
            runs,
        )
    word = {0: "PASS", 1: "FAIL", 3: "UNKNOWN"}.get(status, f"exit {status}")
    rows.append(("verify equiv (files, parse included)", f"{t_cli:.2f} s: {word}"))
    target = "met" if verdict.kind.value == "PASS" and t_cli < 10 else "MISSED"
    rows.append(("target: PASS in under 10 s", target))
    return rows


# ----------------------------------------------------------------------------- (b) bmc

BMC_INPUT_SHARE = 0.5
"""Share of input heads in part (b): more inputs make the frames' SAT problems harder."""


def bmc_problem(heads: int, input_share: float, seed: int) -> SafetyProblem:
    program = random_program(heads, seed, input_share)
    other = bnl_to_circuit(rewritten(program, 0.1, seed))
    systems = aligned_systems(program, other)
    return global_miter(systems.a, systems.b, systems.alignment)


def part_bmc(
    heads: int, rounds: int, input_share: float, seed: int, *, quick_check: bool = False
) -> list[tuple[str, str]]:
    """BMC's CNF throughput and SAT share on a pair without a difference (and, with
    ``quick_check``, the engine's own answer, which must be "no difference")."""
    cnf = load_bench_module("cnf.py")
    problem = bmc_problem(heads, input_share, seed)
    plan = plan_unrolling(problem)
    rows = [
        (
            "problem (global miter)",
            f"{heads} heads a side, {problem.num_inputs} inputs, {problem.num_latches} latches,"
            f" {plan.step_cone.num_gates} ANDs per frame",
        )
    ]
    clauses, t_gen, _ = cnf.stream(plan, rounds, hashed=True, load=False)
    rows.append(
        (
            "CNF generation (hashed Tseitin, engines')",
            f"{clauses} clauses in {t_gen:.2f} s: {clauses / t_gen:.3g} clauses/s"
            f" ({plan.step_cone.num_gates * rounds / t_gen:.3g} frame gates/s)",
        )
    )
    t_gen, t_load, t_sat, reached = cnf.bmc_split(problem, rounds)
    total = t_gen + t_load + t_sat
    rows.append(
        (
            f"bmc engine's loop by part ({reached})",
            f"{total:.2f} s: generate {t_gen:.2f} s ({100 * t_gen / total:.0f}%), load"
            f" {t_load:.2f} s ({100 * t_load / total:.0f}%), SAT solver {t_sat:.2f} s"
            f" ({100 * t_sat / total:.0f}%)",
        )
    )
    if quick_check:
        outcome = bmc.run(problem, Options(bound=rounds - 1))
        rows.append((f"bmc engine, {rounds} rounds", outcome.detail))
    return rows


# ----------------------------------------------------------------------------- (c) abc


@dataclass
class Row:
    """One pair's line of the side-by-side table."""

    pair: str
    size: str
    expect: str
    ours: str
    ours_s: float
    method: str
    export_s: float
    abc: dict[str, AbcRun]
    engines: dict[str, tuple[str, float]] = field(default_factory=dict)

    def definite(self) -> dict[str, str]:
        found = {"ours": self.ours} if self.ours in ("PASS", "FAIL") else {}
        found.update(
            {f"ours --engine {k}": v for k, (v, _) in self.engines.items() if v in ("PASS", "FAIL")}
        )
        found.update({k: r.verdict for k, r in self.abc.items() if r.verdict in ("PASS", "FAIL")})
        return found

    @property
    def disagreement(self) -> bool:
        return len(set(self.definite().values())) > 1

    @property
    def ratio(self) -> str:
        decided = [r.seconds for r in self.abc.values() if r.verdict in ("PASS", "FAIL")]
        if not self.abc:
            return "-"
        if not decided:
            return "ABC undecided"
        return f"{self.ours_s / max(min(decided), 1e-9):.2g}"


def side_by_side(
    pair: Pair,
    abc: str | None,
    commands: Sequence[str],
    engines: Sequence[str],
    runs: int,
    short: float,
    timeout: float,
) -> Row:
    a, b = pair.models
    options = EquivOptions(mode="global", timeout=timeout, name_map=pair.name_map)
    ours_s, verdict, _ = median_of(lambda: check_equiv(a, b, options), runs, short)
    assert isinstance(verdict, Verdict)
    forced: dict[str, tuple[str, float]] = {}
    for engine in engines:
        opts = replace(options, engine=engine)
        seconds, result, _ = median_of(lambda o=opts: check_equiv(a, b, o), runs, short)
        forced[engine] = (result.kind.value, seconds)
    systems = aligned_systems(a, b, pair.name_map)
    size = f"{systems.a.num_state}+{systems.b.num_state}"
    results: dict[str, AbcRun] = {}
    export_s = 0.0
    if abc is not None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)

            def export() -> None:
                miter = miter_sequential(a, b, pair.name_map)
                (folder / "miter.aig").write_bytes(aiger.dumps_sequential_aig(miter))
                side_a, side_b = side_sequentials(a, b, pair.name_map)
                (folder / "a.aig").write_bytes(aiger.dumps_sequential_aig(side_a))
                (folder / "b.aig").write_bytes(aiger.dumps_sequential_aig(side_b))

            export_s, _ = timed(export)
            for name in commands:
                command = ABC_COMMANDS[name](folder)
                first = run_abc(abc, command, timeout)
                results[name] = _median_abc(abc, command, timeout, runs, short, first)
    return Row(
        pair.name,
        size,
        pair.expect,
        verdict.kind.value,
        ours_s,
        verdict.method,
        export_s,
        results,
        forced,
    )


def _median_abc(
    abc: str, command: str, timeout: float, runs: int, short: float, first: AbcRun
) -> AbcRun:
    """``first`` and further runs of a short ABC command: the median time, the last verdict
    (a verdict that changes between runs is kept visible in the detail)."""
    times, verdicts = [first.seconds], {first.verdict}
    last = first
    while len(times) < runs and last.seconds < short:
        last = run_abc(abc, command, timeout)
        times.append(last.seconds)
        verdicts.add(last.verdict)
    detail = last.detail if len(verdicts) == 1 else f"verdict changed between runs: {verdicts}"
    return AbcRun(last.verdict, statistics.median(times), detail)


# ----------------------------------------------------------------------------- output


def print_rows(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n## {title}\n")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


def print_table(
    rows: list[Row], commands: Sequence[str], engines: Sequence[str], abc: str | None
) -> None:
    """The side-by-side table (Markdown), then the disagreements, loudly."""
    head = ["pair", "heads A+B", "expect", "ours", "ours s", "our method"]
    for engine in engines:
        head += [f"--engine {engine}", "s"]
    if abc is not None:
        head += ["export s"]
        for name in commands:
            head += [name, f"{name} s"]
        head += ["ours / best ABC"]
    lines = [head, ["---"] * len(head)]
    for row in rows:
        cells = [row.pair, row.size, row.expect, row.ours, f"{row.ours_s:.2f}", row.method]
        for engine in engines:
            kind, seconds = row.engines[engine]
            cells += [kind, f"{seconds:.2f}"]
        if abc is not None:
            cells.append(f"{row.export_s:.2f}")
            for name in commands:
                run = row.abc[name]
                cells += [run.verdict, f"{run.seconds:.2f}"]
            cells.append(row.ratio + ("  **DISAGREE**" if row.disagreement else ""))
        lines.append(cells)
    for cells in lines:
        print("| " + " | ".join(cells) + " |")
    disagreements = [row for row in rows if row.disagreement]
    expected = [
        row for row in rows if row.expect in ("PASS", "FAIL") and row.ours not in (row.expect,)
    ]
    if abc is not None:
        print(
            f"\nABC verdicts: {', '.join(commands)}; times are wall seconds of the process"
            " (reading the AIGER included); ours: check_equiv in process (compile included)."
        )
    for row in disagreements:
        print(f"\n!!! DISAGREEMENT on {row.pair}: {row.definite()}")
        for name, run in row.abc.items():
            print(f"!!!   {name}: {run.verdict} ({run.detail})")
    for row in expected:
        print(f"\n!!! {row.pair}: expected {row.expect}, ours {row.ours} ({row.method})")
    if abc is not None and not disagreements:
        print("\nNo disagreement between our verdicts and ABC's.")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


@dataclass(frozen=True)
class Plan:
    """Sizes of one run (the default, or --quick)."""

    big: int
    runs: int
    bmc_heads: int
    bmc_rounds: int
    random_sizes: tuple[int, ...]
    structural_sizes: tuple[int, ...]
    counter_bits: tuple[int, ...]
    counter_bugs: tuple[int, ...]
    published: int | None


DEFAULT = Plan(10_000, 3, 2000, 200, (100, 1000, 10_000), (1000,), (16, 32, 64), (32,), None)
QUICK = Plan(2000, 1, 300, 20, (100, 1000), (), (8, 16), (16,), 3)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--runs", type=int, help="runs per timing (median; default 3)")
    parser.add_argument("--big", type=int, help="heads of part (a) (default 10000)")
    parser.add_argument("--bmc-heads", type=int, help="heads of part (b) (default 2000)")
    parser.add_argument("--bmc-rounds", type=int, help="rounds of part (b) (default 200)")
    parser.add_argument(
        "--bmc-inputs", type=float, default=BMC_INPUT_SHARE, help="share of input heads in (b)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per check (60)")
    parser.add_argument(
        "--short", type=float, default=10.0, help="repeat only runs shorter than this (10 s)"
    )
    parser.add_argument(
        "--abc-commands", default="dsec,dprove", help="ABC commands: dsec, dprove, pdr"
    )
    parser.add_argument("--no-abc", action="store_true", help="do not run ABC")
    parser.add_argument(
        "--engines", default="", help="also time our check with these engines forced (columns)"
    )
    parser.add_argument("--only", default="", help="only the pairs whose name contains this")
    parser.add_argument("--parts", default="big,bmc,abc", help="which parts to run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    plan = QUICK if args.quick else DEFAULT
    runs = args.runs or plan.runs
    commands = [c for c in args.abc_commands.split(",") if c]
    unknown = [c for c in commands if c not in ABC_COMMANDS]
    if unknown:
        parser.error(f"unknown ABC command(s) {unknown}; expected {', '.join(ABC_COMMANDS)}")
    abc = None if args.no_abc else find_abc()
    parts = set(args.parts.split(","))

    print("# verify equiv: benchmarks")
    print(f"\ndate: {datetime.date.today().isoformat()}; machine: {machine()}")
    print(
        "command:", " ".join(["python bench/equiv.py", *(sys.argv[1:] if argv is None else argv)])
    )
    if abc is None:
        why = "--no-abc" if args.no_abc else "not found on PATH (berkeley-abc or abc)"
        print(f"ABC: {why}; only our figures are printed")
    else:
        print(f"ABC: {abc} ({abc_version(abc)})")

    if "big" in parts:
        heads = args.big or plan.big
        print_rows(
            f"(a) a random program with {heads} heads against its circuit (median of {runs})",
            part_big(heads, runs, args.seed),
        )
    if "bmc" in parts:
        heads, rounds = args.bmc_heads or plan.bmc_heads, args.bmc_rounds or plan.bmc_rounds
        print_rows(
            f"(b) BMC, {heads} heads, {rounds} rounds, no difference in those rounds",
            part_bmc(heads, rounds, args.bmc_inputs, args.seed, quick_check=args.quick),
        )
    if "abc" in parts:
        pairs = [
            *random_pairs(plan.random_sizes, args.seed),
            *structural_pairs(plan.structural_sizes, args.seed),
            *counter_pairs(plan.counter_bits, plan.counter_bugs),
            *published_pairs(plan.published),
        ]
        print(
            f"\n## (c) side by side with ABC: global equivalence, time limit {args.timeout:g} s,"
            f" median of up to {runs} runs (runs under {args.short:g} s repeated)\n"
        )
        engines = [e for e in args.engines.split(",") if e]
        rows = []
        for pair in pairs:
            if args.only not in pair.name:
                continue
            rows.append(side_by_side(pair, abc, commands, engines, runs, args.short, args.timeout))
            print(f"  done: {pair.name}", file=sys.stderr, flush=True)
        print_table(rows, commands, engines, abc)


if __name__ == "__main__":
    main()
