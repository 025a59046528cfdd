"""Fixed points of every published model by the symbolic engine
(:mod:`verifier.engines.fixed_points_bdd`): exact count, bits left after the reduction, BDD
size, and time (median of ``--repeat`` runs in one child process, load and compile excluded,
listing the first 1000 states included). Target (issue 4): under 1 s per model.

Side by side, where the ``biodivine_aeon`` package is installed (the ``bench`` extra): AEON's
symbolic fixed points (``FixedPoints.symbolic`` on the network read by AEON itself, load
excluded, one run in a child process), its count and whether it equals ours. Without the
package the columns say so, and a line on standard error says why.

    python bench/fixed_points.py [--timeout S] [--repeat K] [--no-aeon] [MODEL ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.engines.base import Options
from verifier.engines.fixed_points_bdd import fixed_point_set
from verifier.engines.process import Timeout, run_in_subprocess
from verifier.formats.registry import load
from verifier.ir.compile import compile_model

MODELS = Path(__file__).resolve().parent.parent.parent / "shared" / "models"


def measure(path: str, repeat: int) -> tuple[int, int, int, int, list[float]]:
    """In a child: (variables, count, bits kept, BDD nodes, times)."""
    ts = compile_model(load(path))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        found = fixed_point_set(ts, Options(), limit=1000)
        times.append(time.perf_counter() - t0)
    return ts.num_state, found.count, found.kept, found.bdd_nodes, times


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


def aeon_cells(path: str, ours: int | None, timeout: float) -> str:
    """The AEON columns of one row: time, count, and whether the counts agree."""
    try:
        count, seconds = run_in_subprocess(measure_aeon, path, timeout=timeout)
    except Timeout:
        return f">{timeout:g} | | |"
    agree = "-" if ours is None else ("yes" if count == ours else "NO")
    return f"{seconds:.3f} | {count} | {agree} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="default: every .bnet in ../shared/models")
    parser.add_argument("--timeout", type=float, default=30.0)
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
        "| file | vars | fixed points | bits kept | BDD nodes | median s | under 1 s"
        " | AEON s | AEON count | counts agree |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---|")
    met = total = 0
    for path in paths:
        name = Path(path).name
        total += 1
        try:
            n, count, kept, nodes, times = run_in_subprocess(
                measure, path, args.repeat, timeout=args.timeout * args.repeat
            )
            median = statistics.median(times)
            met += median < 1.0
            ok = "yes" if median < 1.0 else "no"
            ours = f"{n} | {count} | {kept} | {nodes} | {median:.3f} | {ok} |"
        except Timeout:
            count = None
            ours = f" | | | | >{args.timeout:g} | no |"
        theirs = aeon_cells(path, count, args.timeout) if with_aeon else "- | - | - |"
        print(f"| {name} | {ours} {theirs}", flush=True)
    print(f"\nunder 1 s: {met} of {total} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
