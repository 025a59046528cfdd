"""Synchronous attractors of the published models: ``verify attractors`` against R/BoolNet.

For every ``.bnet`` in ``../shared/models`` (sorted by the number of variables of our
import: targets + free inputs), prints one row: BoolNet's ``getAttractors(method =
"sat.exhaustive")`` time (getAttractors alone, not R start-up or loadNetwork), its number of
fixed points and cycles (with periods) and its status; our fixed-point time
(``fixed_points_bdd.fixed_point_set``, what ``verify attractors --fixed-points`` runs) and
full-attractor time (``attractor_set.attractors``, what ``verify attractors`` runs), load and
compile excluded, warm (see :func:`_ours_in_process`), our counts, the ratio BoolNet time /
our full time (> 1: ours is faster),
and whether the two attractor SETS agree (sets of state sets: order and rotation of a cycle
are ignored) when both finished. A figure-printing script, not a test::

    .venv/bin/python bench/attractors.py                       # everything, BoolNet live
    .venv/bin/python bench/attractors.py --only cellcycle --timeout 30
    .venv/bin/python bench/attractors.py --boolnet-from bench/results/boolnet_attractors.jsonl
    .venv/bin/python bench/attractors.py --no-boolnet --markdown

``--boolnet-from`` reuses recorded BoolNet answers (``python bench/boolnet.py --out ...``
writes them, with the states in our variable order) instead of rerunning R, for the files it
has; the others run live. Both sides run in killable subprocesses: BoolNet via
:func:`bench.boolnet.run_boolnet`, ours via :func:`verifier.engines.process.run_in_subprocess`.

BoolNet and our ``.bnet`` import agree on the semantics, including names used without a rule
(BoolNet: "Assuming an input!", the identity ``x = x``; ours: ``x :- x``), so with every
variable free in the initial state the attractor sets must be equal.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for entry in (str(ROOT), str(BENCH)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from boolnet import (  # noqa: E402  (bench/boolnet.py, next to this file)
    BoolnetResult,
    boolnet_available,
    boolnet_unavailable_reason,
    boolnet_version,
    run_boolnet,
)

from verifier.formats.registry import load  # noqa: E402

MODELS = ROOT.parent / "shared" / "models"

FIXED_POINT_LIST = 1000
"""Fixed points listed, as `verify attractors --fixed-points` does by default (the count is
always exact; BoolNet finishes only on models with fewer)."""

T = TypeVar("T")


@dataclass(frozen=True)
class OursRow:
    """Our engine's figures for one model (the fields of the "ours" columns).

    ``status``: "ok" (full analysis complete), "incomplete" (deadline reached: ``attractors``
    is a subset), "timeout" (the process was killed), "n/a" (not run), "error: ...".
    ``fp_count`` is the exact number of fixed points, ``fixed_points`` the first
    :data:`FIXED_POINT_LIST` of them (all when ``fp_complete``). Times exclude loading and
    compiling the model.
    """

    status: str
    fp_seconds: float | None = None
    fixed_points: tuple[str, ...] = ()
    fp_count: int | None = None
    fp_complete: bool = False
    seconds: float | None = None
    attractors: tuple[tuple[str, ...], ...] = ()
    complete: bool = False
    compile_seconds: float | None = None


REPEAT_UNDER = 1.0
"""Phases faster than this many seconds are run three times and the median is reported."""

WARM_UP = (MODELS / "raf.bnet", MODELS / "bbm-043_BORDETELLA-BRONCHISEPTICA.bnet")
"""Run first in every child: the state-graph path and the SAT path (4 and 20 ms)."""


def _timed(run: Callable[[], T]) -> tuple[T, float]:
    """``run()`` and its time: the median of three runs when the first is short."""
    t0 = time.perf_counter()
    result = run()
    times = [time.perf_counter() - t0]
    if times[0] < REPEAT_UNDER:
        for _ in range(2):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    return result, statistics.median(times)


def _ours_in_process(path: str, timeout: float, max_period: int | None) -> OursRow:
    """Runs in a child process (see :func:`ours`): load, compile, fixed points, attractors.

    The engines are those of ``verify attractors`` (``--fixed-points`` and the default):
    :func:`~verifier.engines.fixed_points_bdd.fixed_point_set` and
    :func:`~verifier.engines.attractor_set.attractors`. Both first run on :data:`WARM_UP`, so
    that lazy imports inside numpy, dd and PySAT are not charged to the first model (BoolNet's
    figure likewise excludes loading R and the package)."""
    from verifier.engines.attractor_set import attractors
    from verifier.engines.base import Options
    from verifier.engines.fixed_points_bdd import fixed_point_set
    from verifier.ir.compile import compile_model
    from verifier.sat.solver import OutOfTime

    for model in WARM_UP:
        warm = compile_model(load(model))
        fixed_point_set(warm, Options())
        attractors(warm, Options())

    t0 = time.perf_counter()
    ts = compile_model(load(path))
    compile_seconds = time.perf_counter() - t0

    # --- OUR ENGINE: fixed points --------------------------------------------------------
    try:
        fps, fp_seconds = _timed(
            lambda: fixed_point_set(
                ts, Options(deadline=time.monotonic() + timeout), limit=FIXED_POINT_LIST
            )
        )
    except OutOfTime:
        fps, fp_seconds = None, None

    # --- OUR ENGINE: all attractors ------------------------------------------------------
    dyn, seconds = _timed(
        lambda: attractors(ts, Options(deadline=time.monotonic() + timeout), max_period)
    )

    return OursRow(
        status="ok" if dyn.complete else "incomplete",
        fp_seconds=fp_seconds,
        fixed_points=fps.states if fps else (),
        fp_count=fps.count if fps else None,
        fp_complete=fps.listed_all if fps else False,
        seconds=seconds,
        attractors=tuple(tuple(a.states) for a in dyn.attractors),
        complete=bool(dyn.complete),
        compile_seconds=compile_seconds,
    )


def ours(path: Path, timeout: float, max_period: int | None = None) -> OursRow:
    """Our figures for ``path``: each phase gets ``timeout`` seconds (cooperative deadline);
    the child process is killed if it overruns both by more than 30 s."""
    from verifier.engines.process import ChildError, Timeout, run_in_subprocess

    try:
        return run_in_subprocess(
            _ours_in_process, str(path), timeout, max_period, timeout=2 * timeout + 30
        )
    except Timeout:
        return OursRow(status="timeout")
    except ChildError as err:
        return OursRow(status=f"error: {_short(str(err))}")
    except Exception as err:  # re-raised from the child: report it in the table
        return OursRow(status=f"error: {type(err).__name__}: {_short(str(err))}")


# ---------------------------------------------------------------------------------------------
# The comparison and the table.
# ---------------------------------------------------------------------------------------------


def attractor_set(attractors: Iterable[Sequence[str]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(a) for a in attractors)


def agreement(bn: BoolnetResult | None, us: OursRow) -> str:
    """'yes' or 'NO ...' when both finished; partial statements otherwise; '-' if there is
    nothing to compare."""
    if bn is None or not bn.ok:
        return "-"
    theirs = attractor_set(bn.attractors)
    if us.status == "ok":
        mine = attractor_set(us.attractors)
        if mine == theirs:
            return "yes"
        return f"NO (+{len(mine - theirs)} ours only, {len(theirs - mine)} BoolNet only)"
    if us.status == "incomplete":
        mine = attractor_set(us.attractors)
        return "partial: subset" if mine <= theirs else f"NO ({len(mine - theirs)} not BoolNet's)"
    if us.fp_complete:
        return "fixed points: " + ("yes" if set(us.fixed_points) == set(bn.fixed_points) else "NO")
    return "-"


def periods_text(periods: Iterable[int]) -> str:
    """e.g. ``3 (2,2,7)`` -> ``3: 2x2 7``; ``0`` when there are no cycles."""
    counts = Counter(periods)
    total = sum(counts.values())
    if not total:
        return "0"
    parts = [f"{p}x{n}" if n > 1 else str(p) for p, n in sorted(counts.items())]
    return f"{total}: {' '.join(parts)}"


def seconds_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


COLUMNS = [
    ("file", 50),
    ("vars", 5),
    ("BN s", 9),
    ("BN fp", 6),
    ("BN cycles", 28),
    ("BN status", 16),
    ("ours fp s", 9),
    ("ours fp", 8),
    ("ours s", 9),
    ("ours cycles", 28),
    ("ours status", 12),
    ("BN/ours", 8),
    ("agree", 14),
]


def short_status(status: str, limit: int = 30) -> str:
    """A status that fits the table (the JSON lines keep the whole message)."""
    if "Invalid header" in status:
        return "error: no header"
    if "Error parsing expression" in status:
        return "error: parse"
    return status if len(status) <= limit else status[: limit - 3] + "..."


def row_fields(
    path: Path, variables: int, bn: BoolnetResult | None, bn_timeout: float, us: OursRow
) -> list[str]:
    if bn is None:
        bn_fields = ["-", "-", "-", "skipped"]
    elif bn.ok:
        bn_fields = [
            seconds_text(bn.seconds),
            str(len(bn.fixed_points)),
            periods_text(bn.cycle_periods),
            "ok",
        ]
    else:
        status = f">{bn_timeout:g} s" if bn.status == "timeout" else short_status(bn.status)
        bn_fields = ["-", "-", "-", status]
    if us.status == "n/a":
        us_fields = ["-", "-", "-", "-", "n/a"]
    else:
        fp = str(us.fp_count) if us.fp_count is not None else "-"
        cycles = [len(a) for a in us.attractors if len(a) > 1]
        us_fields = [
            seconds_text(us.fp_seconds),
            fp if us.fp_seconds is not None else "-",
            seconds_text(us.seconds),
            periods_text(cycles) + ("" if us.complete else "+") if us.seconds is not None else "-",
            short_status(us.status),
        ]
    ratio = "-"
    if bn is not None and us.status == "ok" and us.seconds:
        if bn.ok and bn.seconds is not None:
            ratio = f"{bn.seconds / us.seconds:.2f}"
        elif bn.status == "timeout":
            ratio = f">{bn_timeout / us.seconds:.0f}"
    return [path.name, str(variables), *bn_fields, *us_fields, ratio, agreement(bn, us)]


def print_header(markdown: bool) -> None:
    names = [name for name, _ in COLUMNS]
    if markdown:
        print("| " + " | ".join(names) + " |")
        print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(names))) + "|")
    else:
        print("  ".join(name.ljust(width) for name, width in COLUMNS))


def print_row(fields: list[str], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(f.replace("|", "\\|") for f in fields) + " |", flush=True)
    else:
        print("  ".join(f.ljust(w) for f, (_, w) in zip(fields, COLUMNS, strict=True)), flush=True)


def load_recorded(path: Path) -> dict[str, tuple[BoolnetResult, float]]:
    """BoolNet answers recorded by ``bench/boolnet.py --out``, with the timeout they ran
    under (only rows with their states, or rows that did not finish)."""
    recorded: dict[str, tuple[BoolnetResult, float]] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["status"] == "ok" and "states" not in row:
            continue  # counts only: rerun live to compare sets
        result = BoolnetResult(
            status=row["status"],
            seconds=row["seconds"],
            attractors=tuple(tuple(a) for a in row.get("states", ())),
            variables=row["variables"],
            wall_seconds=row.get("wall_seconds", 0.0),
            method=row.get("method", "sat.exhaustive"),
        )
        recorded[row["file"]] = (result, float(row.get("timeout", 180.0)))
    return recorded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=MODELS, help="folder of .bnet files")
    parser.add_argument("--only", default=None, help="only files whose name contains this")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per model for both sides (default: 180 for BoolNet, 60 for ours)",
    )
    parser.add_argument(
        "--max-variables", type=int, default=None, help="skip models with more variables"
    )
    parser.add_argument("--no-boolnet", action="store_true", help="skip the BoolNet columns")
    parser.add_argument(
        "--boolnet-from",
        type=Path,
        default=None,
        help="reuse BoolNet answers recorded by bench/boolnet.py --out",
    )
    parser.add_argument("--no-ours", action="store_true", help="skip our engine")
    parser.add_argument(
        "--max-period", type=int, default=None, help="passed to attractor_set.attractors"
    )
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args(argv)
    bn_timeout = args.timeout if args.timeout is not None else 180.0
    our_timeout = args.timeout if args.timeout is not None else 60.0

    recorded = load_recorded(args.boolnet_from) if args.boolnet_from else {}
    use_boolnet = not args.no_boolnet
    if use_boolnet and not boolnet_available():
        print(
            "!!! BoolNet column SKIPPED: "
            + str(boolnet_unavailable_reason())
            + (" (recorded answers are still used)" if recorded else ""),
            file=sys.stderr,
            flush=True,
        )
    live_boolnet = use_boolnet and boolnet_available()
    if args.no_ours:
        engine_note = "ours: skipped (--no-ours)"
    else:
        engine_note = "ours: fixed_points_bdd / attractor_set (verify attractors), warm"

    paths = sorted(args.models.glob("*.bnet"))
    if args.only:
        paths = [p for p in paths if args.only in p.name]
    sized: list[tuple[int, str, Path]] = []
    for p in paths:
        try:
            sized.append((len(load(p).names), p.name, p))
        except Exception as err:  # our importer rejects it: say so, do not stop
            print(f"!!! {p.name}: our import fails: {_short(str(err))}", file=sys.stderr)
    sized.sort()
    if args.max_variables is not None:
        sized = [entry for entry in sized if entry[0] <= args.max_variables]

    if args.no_boolnet:
        boolnet_note = "BoolNet: skipped (--no-boolnet)"
    elif boolnet_version():
        boolnet_note = f"BoolNet: {boolnet_version()} sat.exhaustive, timeout {bn_timeout:g} s"
    else:
        boolnet_note = f"BoolNet: UNAVAILABLE ({boolnet_unavailable_reason()})"
    if recorded:
        boolnet_note += f", recorded answers from {args.boolnet_from}"
    print(
        f"# {time.strftime('%Y-%m-%d')}, {platform.python_implementation()}"
        f" {platform.python_version()}, {platform.machine()}; {boolnet_note};"
        f" {engine_note}, timeout {our_timeout:g} s per phase"
    )
    print(
        "# times: BoolNet = getAttractors only; ours = fixed_point_set / attractors only,"
        f" median of 3 under {REPEAT_UNDER:g} s; '+' = incomplete; BN/ours > 1: ours faster"
    )
    print_header(args.markdown)
    for variables, _, path in sized:
        bn: BoolnetResult | None = None
        limit = bn_timeout
        if use_boolnet:
            if path.name in recorded:
                bn, limit = recorded[path.name]
            elif live_boolnet:
                bn = run_boolnet(path, timeout=bn_timeout)
        us = OursRow(status="n/a") if args.no_ours else ours(path, our_timeout, args.max_period)
        print_row(row_fields(path, variables, bn, limit, us), args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
