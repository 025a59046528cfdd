"""Generated integer arithmetic (Lemmas 3.2-3.4): program size and computation time against
the lemmas' bounds, fitted growth exponents, and the proof frontier of ``verify arith``.

A figure-printing script, not a test. Two tables:

* **sizes**: for each operation and base b, the programs of ``verify gen`` for growing n: heads,
  the paper's size (``Model.size``), the computation time T of the meta line, the lemma's size
  bound on the same numbers with the O's constant 1, and size / bound. Per (operation, b) the
  growth exponent of the size in n, fitted by least squares on log size against log n over
  n >= 4, beside the bound's own exponent on the same n.
* **frontier**: ``verify arith`` (method auto: exhaustive up to 2^22 valid pairs, else SAT) for
  growing n, each proof in a killable child process with ``--timeout`` seconds; a series stops
  at the first n not proved in time. The frontier is the largest n proved, against the issue's
  targets (compare/add/sub: n = 32 for b in 2, 3, 10; mul: n = 12 for b = 2, n = 3 for b = 10;
  each within 10 minutes).

Bounds (derived from the proofs in the paper's appendix, whose extracted text lost the
formulas; docs/arithmetic.md explains them): compare n^2 + n b^2 (lookahead of the digit
comparisons, O(b^2) pairs per digit); add and sub n^3 + n b^2 (n carries of O(n^2) each);
mul b n^4 + b^3 n^2 (the paper's n trees of b additions of n digits plus n additions of 2n
digits; our generator shares the multiples of x, so it stays below this).

Writes the tables as markdown and a plot (size and proof time against n) to docs/figures/::

    python bench/arith.py --quick --no-write   # small n, a minute
    python bench/arith.py                      # the frontier with 10-minute proofs (long)
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from figures import fitted_exponent, machine, markdown

from verifier.checks.arith import ArithOptions, check_arith
from verifier.engines.process import ChildError, Timeout, run_in_subprocess
from verifier.generate.catalog import generate

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "docs" / "figures"

OPS = ("compare", "add", "sub", "mul")
BOUNDS: dict[str, Callable[[int, int], int]] = {
    "compare": lambda n, b: n**2 + n * b**2,
    "add": lambda n, b: n**3 + n * b**2,
    "sub": lambda n, b: n**3 + n * b**2,
    "mul": lambda n, b: b * n**4 + b**3 * n**2,
}
TARGETS = {("compare", b): 32 for b in (2, 3, 10)}
TARGETS |= {("add", b): 32 for b in (2, 3, 10)} | {("sub", b): 32 for b in (2, 3, 10)}
TARGETS |= {("mul", 2): 12, ("mul", 10): 3}

LINEAR = (8, 16, 32, 64)
SIZE_N = {op: (1, 2, 4, 8, 16, 32, 64) for op in ("compare", "add", "sub")}
FRONTIER_N = {(op, b): LINEAR for op in ("compare", "add", "sub") for b in (2, 3, 10)}
FRONTIER_N |= {
    ("mul", 2): (4, 8, 12, 16, 20, 24, 28),
    ("mul", 3): (2, 4, 6, 8, 10, 12),
    ("mul", 10): (1, 2, 3, 4, 5, 6, 7, 8),
}
MUL_SIZE_N = {2: (1, 2, 4, 8, 16, 32), 3: (1, 2, 4, 8, 16), 10: (1, 2, 4, 8)}
QUICK_N = (1, 2, 4, 8)


@dataclass(frozen=True)
class SizeRow:
    op: str
    b: int
    n: int
    heads: int
    size: int
    time: int
    bound: int

    @property
    def ratio(self) -> float:
        return self.size / self.bound


@dataclass(frozen=True)
class ProofRow:
    op: str
    b: int
    n: int
    verdict: str
    method: str
    seconds: float


def size_row(op: str, b: int, n: int) -> SizeRow:
    program = generate(f"int-{op} base={b} digits={n}")
    meta = next(line for line in program.meta if line.startswith("arith "))
    time_ = int(meta.split("time=")[1].split()[0])
    return SizeRow(op, b, n, len(program.config_names), program.size, time_, BOUNDS[op](n, b))


def _prove(op: str, b: int, n: int, timeout: float) -> tuple[str, str]:
    program = generate(f"int-{op} base={b} digits={n}")
    verdict = check_arith(program, ArithOptions(timeout=timeout))
    return verdict.kind.name, verdict.method.split(" (")[0]


def proof_row(op: str, b: int, n: int, timeout: float, grace: float) -> ProofRow:
    start = time.perf_counter()
    try:
        kind, method = run_in_subprocess(_prove, op, b, n, timeout, timeout=timeout, grace=grace)
    except Timeout:
        kind, method = "KILLED", "-"
    except (ChildError, Exception) as err:  # reported in the table, not raised
        kind, method = "ERROR", f"{type(err).__name__}: {str(err)[:80]}"
    return ProofRow(op, b, n, kind, method, time.perf_counter() - start)


def plot(sizes: Sequence[SizeRow], proofs: Sequence[ProofRow], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    colour = dict(zip(OPS, ("tab:blue", "tab:green", "tab:orange", "tab:red"), strict=True))
    marker = {2: "o", 3: "s", 10: "^"}
    for op in OPS:
        for b in (2, 3, 10):
            style = {"color": colour[op], "marker": marker[b], "label": f"{op} b={b}"}
            pts = [(r.n, r.size, r.bound) for r in sizes if r.op == op and r.b == b]
            if pts and b != 3:
                ns = [p[0] for p in pts]
                left.plot(ns, [p[1] for p in pts], "-", **style)
                left.plot(ns, [p[2] for p in pts], ":", color=colour[op], lw=0.8)
            proved = [(r.n, r.seconds) for r in proofs if (r.op, r.b, r.verdict) == (op, b, "PASS")]
            if proved:
                right.plot([p[0] for p in proved], [p[1] for p in proved], "-", **style)
    left.set(xscale="log", yscale="log", xlabel="digits n", ylabel="paper size (dotted: bound)")
    right.set(xscale="log", yscale="log", xlabel="digits n", ylabel="verify arith seconds")
    for ax in (left, right):
        ax.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.legend(fontsize=7, ncol=2)
    fig.suptitle(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="n up to 8, short proofs")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per proof")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds before a kill")
    parser.add_argument("--only", default=None, help="only operations containing this")
    parser.add_argument("--no-frontier", action="store_true", help="sizes only")
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for .png and .md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    ops = [op for op in OPS if args.only is None or args.only in op]
    started = time.perf_counter()
    head = f"date: {datetime.datetime.now():%Y-%m-%d %H:%M}; machine: {machine()}"
    print(f"# {head}")

    sizes: list[SizeRow] = []
    for op in ops:
        for b in (2, 3, 10):
            grid = MUL_SIZE_N[b] if op == "mul" else SIZE_N[op]
            for n in [n for n in grid if n <= 8] if args.quick else grid:
                sizes.append(size_row(op, b, n))
                r = sizes[-1]
                print(
                    f"size {op:7} b={b:<2} n={n:<3} heads={r.heads:<7} size={r.size:<9}"
                    f" T={r.time:<3} bound={r.bound:<10} ratio={r.ratio:.3f}",
                    flush=True,
                )
    exponents = []
    for op in ops:
        for b in (2, 3, 10):
            series = [r for r in sizes if r.op == op and r.b == b]
            fit = fitted_exponent([(r.n, r.size) for r in series], 4)
            bound = fitted_exponent([(r.n, r.bound) for r in series], 4)
            if fit is not None and bound is not None:
                exponents.append((op, b, f"{fit:.2f}", f"{bound:.2f}"))
                print(f"exponent {op:7} b={b:<2} size ~ n^{fit:.2f} (bound ~ n^{bound:.2f})")

    proofs: list[ProofRow] = []
    frontier = []
    if not args.no_frontier:
        for op in ops:
            for b in (2, 3, 10):
                grid = FRONTIER_N[(op, b)]
                if args.quick:
                    grid = QUICK_N if op != "mul" else tuple(n for n in QUICK_N if b**n <= 100)
                best = None
                for n in grid:
                    row = proof_row(op, b, n, args.timeout, args.grace)
                    proofs.append(row)
                    print(
                        f"proof {op:7} b={b:<2} n={n:<3} {row.verdict:7} {row.method:10}"
                        f" {row.seconds:8.2f} s",
                        flush=True,
                    )
                    if row.verdict != "PASS":
                        break
                    best = n
                target = TARGETS.get((op, b))
                met = "-" if target is None else ("yes" if (best or 0) >= target else "no")
                frontier.append((op, b, best or "none", target or "-", met))
                print(f"frontier {op:7} b={b:<2} n={best} (target {target}: {met})")

    total = time.perf_counter() - started
    print(f"total: {total:.0f} s")
    if args.no_write:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python bench/arith.py " + " ".join(sys.argv[1:] if argv is None else argv)
    parts = [
        f"<!-- written by {command.strip()} -->",
        f"{head}; total {total:.0f} s; proofs: verify arith --method auto, {args.timeout:g} s"
        " each, in a killable child process",
        "## Sizes\n\n"
        + markdown(
            ["op", "b", "n", "heads", "size", "T", "bound", "size/bound"],
            [(r.op, r.b, r.n, r.heads, r.size, r.time, r.bound, f"{r.ratio:.3f}") for r in sizes],
        ),
        "## Growth exponents (size ~ n^k, least squares over n >= 4)\n\n"
        + markdown(["op", "b", "k (program)", "k (bound)"], exponents),
    ]
    if proofs:
        parts.append(
            "## Proofs\n\n"
            + markdown(
                ["op", "b", "n", "verdict", "method", "seconds"],
                [(r.op, r.b, r.n, r.verdict, r.method, f"{r.seconds:.2f}") for r in proofs],
            )
        )
        parts.append(
            "## Frontier\n\n" + markdown(["op", "b", "largest n proved", "target", "met"], frontier)
        )
    md = args.out / "arith.md"
    md.write_text("\n\n".join(parts) + "\n")
    png = args.out / "arith.png"
    plot(sizes, proofs, png, f"bench/arith.py, {head}")
    print(f"wrote {md} and {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
