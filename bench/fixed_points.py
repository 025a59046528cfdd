"""Fixed points of every published model: the exact count, and the time of each counting
engine and of the answer ``verify attractors --fixed-points`` gives.

Columns (medians of ``--repeat`` runs, each engine in a child process, load and compile
excluded unless said):

* BDD: :mod:`verifier.engines.fixed_points_bdd` (count, bits kept after the reduction, BDD
  nodes; listing the first 1000 states included);
* Ganak: :mod:`verifier.engines.fixed_points_count` (count only);
* race: both in child processes at once, the first answer wins
  (:func:`verifier.engines.process.race`, as the check runs them), and which one won;
* check: :func:`verifier.checks.dynamics.fixed_points` with the default ``--limit`` 1000
  (compile, race, SAT listing when Ganak wins, replay through the reference simulator);
  one run.

Target (issue 4): every model under 1 s (judged on the race). Side by side, where the
``biodivine_aeon`` package is installed (the ``bench`` extra): AEON's symbolic fixed points
(``FixedPoints.symbolic`` on the network read by AEON itself, load excluded, one run in a
child process), its count and whether every count agrees. Without the package the columns
say so, and a line on standard error says why.

    python bench/fixed_points.py [--timeout S] [--repeat K] [--no-aeon] [MODEL ...]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.checks.dynamics import DynamicsOptions, fixed_points
from verifier.engines.base import Options
from verifier.engines.fixed_points_bdd import fixed_point_set
from verifier.engines.fixed_points_count import count_fixed_points
from verifier.engines.process import Timeout, race, run_in_subprocess
from verifier.formats.registry import load
from verifier.ir.compile import compile_model

MODELS = Path(__file__).resolve().parent.parent.parent / "shared" / "models"


def timed(run: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    """In a child: the last result of ``repeat`` runs and their times."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return result, times


def by_bdd(path: str, repeat: int) -> tuple[tuple[int, int, int, int], list[float]]:
    ts = compile_model(load(path))
    found, times = timed(lambda: fixed_point_set(ts, Options(), limit=1000), repeat)
    return (ts.num_state, found.count, found.kept, found.bdd_nodes), times


def by_counting(path: str, repeat: int) -> tuple[int, list[float]]:
    ts = compile_model(load(path))
    return timed(lambda: count_fixed_points(ts), repeat)


def by_race(path: str, repeat: int, timeout: float) -> tuple[str, list[float]]:
    """In the parent (the race starts its own children): the winner and the times."""
    ts = compile_model(load(path))
    calls = [
        functools.partial(fixed_point_set, ts, Options(), limit=1000),
        functools.partial(count_fixed_points, ts),
    ]
    (index, _), times = timed(lambda: race(calls, timeout=timeout), repeat)
    return ("BDD", "Ganak")[index], times


def by_check(path: str) -> float:
    model = load(path)
    t0 = time.perf_counter()
    fixed_points(model, DynamicsOptions(), 1000)
    return time.perf_counter() - t0


def in_child(fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
    """``fn(*args)`` in a killable child; None past ``timeout``."""
    try:
        return run_in_subprocess(fn, *args, timeout=timeout)
    except Timeout:
        return None


def aeon_available() -> bool:
    try:
        import biodivine_aeon  # noqa: F401
    except ImportError:
        return False
    return True


def measure_aeon(path: str) -> tuple[int, float]:
    """In a child: AEON's number of fixed points and the seconds it took (load excluded)."""
    import biodivine_aeon as aeon

    network = aeon.BooleanNetwork.from_file(path).infer_valid_graph()
    t0 = time.perf_counter()
    count = aeon.FixedPoints.symbolic(aeon.AsynchronousGraph(network)).cardinality()
    return count, time.perf_counter() - t0


def agreement(counts: list[int]) -> str:
    """ "yes" when the counts of two or more engines are all equal."""
    if len(counts) < 2:
        return "-"
    return "yes" if len(set(counts)) == 1 else "NO"


def aeon_cells(path: str, counts: list[int], timeout: float) -> str:
    """The AEON columns of one row: time, count, and whether every count agrees."""
    try:
        count, seconds = run_in_subprocess(measure_aeon, path, timeout=timeout)
    except Timeout:
        return f">{timeout:g} | | {agreement(counts)} |"
    return f"{seconds:.3f} | {count} | {agreement([*counts, count])} |"


def seconds(times: list[float] | None, timeout: float) -> str:
    return f">{timeout:g}" if times is None else f"{statistics.median(times):.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="default: every .bnet in ../shared/models")
    parser.add_argument("--timeout", type=float, default=20.0, help="per engine and run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-aeon", action="store_true", help="leave out the AEON columns")
    args = parser.parse_args()
    paths = args.models or sorted(str(p) for p in MODELS.glob("*.bnet"))
    with_aeon = not args.no_aeon and aeon_available()
    if not args.no_aeon and not with_aeon:
        print(
            "AEON columns skipped: biodivine_aeon is not installed (pip install -e '.[bench]')",
            file=sys.stderr,
        )
    print(
        "| file | vars | fixed points | bits kept | BDD nodes | BDD s | Ganak s | race s | first"
        " | under 1 s | check s | AEON s | AEON count | counts agree |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|")
    met = total = 0
    limit = args.timeout * args.repeat
    for path in paths:
        name = Path(path).name
        total += 1
        n = len(load(path).heads)
        bdd = in_child(by_bdd, path, args.repeat, timeout=limit)
        counted = in_child(by_counting, path, args.repeat, timeout=limit)
        counts: list[int] = []
        kept = nodes = ""
        if bdd is not None:
            (n, count, kept, nodes), _ = bdd
            counts.append(count)
        if counted is not None:
            counts.append(counted[0])
        try:
            first, race_times = by_race(path, args.repeat, args.timeout)
        except Timeout:
            first, race_times = "-", None
        fast = race_times is not None and statistics.median(race_times) < 1.0
        met += fast
        check = in_child(by_check, path, timeout=args.timeout)
        shown = " / ".join(str(c) for c in sorted(set(counts)))
        cells = [
            name,
            str(n),
            shown,
            str(kept),
            str(nodes),
            seconds(None if bdd is None else bdd[1], limit),
            seconds(None if counted is None else counted[1], limit),
            seconds(race_times, args.timeout),
            first,
            "yes" if fast else "no",
            f">{args.timeout:g}" if check is None else f"{check:.3f}",
        ]
        if with_aeon:
            theirs = aeon_cells(path, counts, args.timeout)
        else:
            theirs = f"- | - | {agreement(counts)} |"
        print(f"| {' | '.join(cells)} | {theirs}", flush=True)
    print(f"\nunder 1 s (race): {met} of {total} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
