"""Fixed points of every published model by the symbolic engine
(:mod:`verifier.engines.fixed_points_bdd`): exact count, bits left after the reduction, BDD
size, and time (median of ``--repeat`` runs in one child process, load and compile excluded,
listing the first 1000 states included). Target (issue 4): under 1 s per model.

    python bench/fixed_points.py [--timeout S] [--repeat K] [MODEL ...]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", help="default: every .bnet in ../shared/models")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = args.models or sorted(str(p) for p in MODELS.glob("*.bnet"))
    print("| file | vars | fixed points | bits kept | BDD nodes | median s | under 1 s |")
    print("|---|---:|---:|---:|---:|---:|---|")
    met = total = 0
    for path in paths:
        name = Path(path).name
        total += 1
        try:
            n, count, kept, nodes, times = run_in_subprocess(
                measure, path, args.repeat, timeout=args.timeout * args.repeat
            )
        except Timeout:
            print(f"| {name} | | | | | >{args.timeout:g} | no |", flush=True)
            continue
        median = statistics.median(times)
        met += median < 1.0
        ok = "yes" if median < 1.0 else "no"
        print(f"| {name} | {n} | {count} | {kept} | {nodes} | {median:.3f} | {ok} |", flush=True)
    print(f"\nunder 1 s: {met} of {total} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
