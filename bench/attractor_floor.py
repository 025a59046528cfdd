"""Where the time of ``verify attractors`` goes, against BoolNet's 10x target.

For every published model that BoolNet's ``getAttractors(method = "sat.exhaustive")``
finishes (its recorded times, ``bench/results/boolnet_attractors.jsonl``), prints: BoolNet's
time, the 10x budget (a tenth of it), our warm time for the complete attractor set
(``attractor_set.attractors``, load and compile excluded, median of repeated runs in a fresh
child process per model, forked after a warm-up as in ``bench/attractors.py``), the part of
it spent in native code that no Python change can remove (CaDiCaL's ``solve`` calls on the
SAT path; the bit-parallel step and successor table of the state graph), and the rest, the
Python around it. A row is marked ``native`` when the native part alone exceeds the budget,
``python`` when only the rest does. A figure-printing script, not a test::

    .venv/bin/python bench/attractor_floor.py
    .venv/bin/python bench/attractor_floor.py --missed --markdown
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verifier.engines import attractor_set  # noqa: E402
from verifier.engines.base import Options  # noqa: E402
from verifier.engines.process import run_in_subprocess  # noqa: E402
from verifier.formats.registry import load  # noqa: E402
from verifier.ir.compile import compile_model  # noqa: E402
from verifier.sat.solver import SatSolver  # noqa: E402

MODELS = ROOT.parent / "shared" / "models"
RECORDED = BENCH / "results" / "boolnet_attractors.jsonl"
WARM_UP = (MODELS / "raf.bnet", MODELS / "bbm-043_BORDETELLA-BRONCHISEPTICA.bnet")
"""Run before forking, so that lazy imports inside numpy and PySAT are charged to no model
(the state-graph path and the SAT path)."""

_native = [0.0]


def _timed(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding its running time to ``_native``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _native[0] += time.perf_counter() - start

    return wrapper


def _instrument() -> None:
    """Time the native parts: every SAT call, and the state graph's successor table (a
    private function of :mod:`verifier.engines.attractor_set`, wrapped here only)."""
    SatSolver.solve = _timed(SatSolver.solve)  # type: ignore[method-assign]
    SatSolver.solve_limited = _timed(SatSolver.solve_limited)  # type: ignore[method-assign]
    attractor_set._successors = _timed(attractor_set._successors)  # type: ignore[attr-defined]


def measure(path: Path, budget_s: float) -> tuple[float, float]:
    """Median whole time and median native time (seconds) of the attractor set of ``path``,
    warm: one untimed run, then at least 3 and at most 15 runs within ``budget_s``."""
    ts = compile_model(load(path))
    attractor_set.attractors(ts, Options())
    whole: list[float] = []
    native: list[float] = []
    spent = 0.0
    while len(whole) < 3 or (len(whole) < 15 and spent < budget_s):
        _native[0] = 0.0
        start = time.perf_counter()
        attractor_set.attractors(ts, Options())
        took = time.perf_counter() - start
        whole.append(took)
        native.append(_native[0])
        spent += took
    return statistics.median(whole), statistics.median(native)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="only rows under 10x BoolNet")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of runs per model")
    args = parser.parse_args()
    _instrument()
    for path in WARM_UP:
        measure(path, 0.0)
    rows = [json.loads(line) for line in RECORDED.read_text().splitlines()]
    rows = sorted((r for r in rows if r["status"] == "ok"), key=lambda r: r["variables"])
    header = ["file", "vars", "BN ms", "budget ms", "ours ms", "native ms", "rest ms", "BN/ours"]
    if args.markdown:
        print("| " + " | ".join([*header, "over budget"]) + " |")
        print("|---|" + "---:|" * len(header))
    met = 0
    for row in rows:
        name = Path(row["file"]).name
        whole, native = run_in_subprocess(measure, MODELS / name, args.budget, timeout=120)
        ratio = row["seconds"] / whole
        met += ratio >= 10
        if args.missed and ratio >= 10:
            continue
        budget = row["seconds"] / 10
        over = "" if ratio >= 10 else ("native" if native > budget else "python")
        cells = [
            name.removesuffix(".bnet")[:40],
            str(row["variables"]),
            f"{row['seconds'] * 1000:.0f}",
            f"{budget * 1000:.1f}",
            f"{whole * 1000:.2f}",
            f"{native * 1000:.2f}",
            f"{(whole - native) * 1000:.2f}",
            f"{ratio:.1f}",
        ]
        if args.markdown:
            print("| " + " | ".join([*cells, over]) + " |")
        else:
            print("  ".join(cells), over)
        sys.stdout.flush()
    print(f"10x BoolNet met on {met} of {len(rows)} models")


if __name__ == "__main__":
    main()
