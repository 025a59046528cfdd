"""Generated floating-point arithmetic (Lemmas 3.6-3.8, Theorem 3.9): program size and
computation time for growing p, q and b, with a fitted growth exponent in p, the time of
``verify arith``, and the SAT frontier in p for b = 2, q = 3.

A figure-printing script, not a test. Three series per operation (fadd, fmul, fnormalize from
F*(p + 1, q, b)): p = 1..8 with q = 2, b = 2; b in 2, 3, 4, 5, 10 with p = 2, q = 1; q = 1..3
with p = 3, b = 2; and for poly (the smoothed relu of encodings/float/smooth_relu.toml, three
pieces of degree <= 2) p = 2..8 with q = 2, b = 2. Each row: heads, the paper's size, the
computation time T of the meta line, and the proof (``verify arith``, method auto: exhaustive
up to 2^22 valid pairs, else SAT) in a killable child process with ``--timeout`` seconds.
``--frontier`` adds, for b = 2, q = 3, the SAT method (``--method sat``) for growing p until a
proof takes longer than the timeout (default 10 minutes).

Bounds, with the O's constant 1 (docs/arithmetic.md): the lemmas' proofs build on Lemma 3.3's
addition (O(n^3 + n b^2) for n digits) and Lemma 3.4's multiplication (O(b n^4 + b^3 n^2)):
fadd adds 2p + 2 digits, fmul multiplies p digits, fnormalize shifts n = p + 2 raw digits
(O(b n^2), the leading digit one-hot over n positions) and rounds p digits; the exponent
arithmetic here is by values, O(E^2) for E = 2(b^q - 1) + 1 exponent values. So fadd:
(2p)^3 + 2p b^2 + E^2, fmul: b p^4 + b^3 p^2 + E^2, fnormalize: b n^2 + p^3 + p b^2 + E n.
Theorem 3.9's polynomial is a few of these (its table has no bound column).

    python bench/float.py --quick --no-write
    python bench/float.py --frontier           # writes docs/figures/float.{md,png}
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from figures import fitted_exponent, machine, markdown

from verifier.arith.pieces import load_pieces
from verifier.checks.arith import ArithOptions, check_arith
from verifier.engines.process import Timeout, run_in_subprocess
from verifier.generate.catalog import generate
from verifier.generate.floats import poly_program
from verifier.models import BnlProgram

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "docs" / "figures"
OPS = {"fadd": "float-add", "fmul": "float-mul", "fnormalize": "float-normalize", "poly": ""}
SMOOTH_RELU = REPO / "encodings" / "float" / "smooth_relu.toml"
FRONTIER = (4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48)
"""p tried by --frontier (b = 2, q = 3), in order, until a proof does not finish."""


def bound(op: str, b: int, p: int, q: int) -> int | None:
    values = 2 * (b**q - 1) + 1
    if op == "fadd":
        n = 2 * p + 2
        return n**3 + n * b**2 + values**2
    if op == "fmul":
        return b * p**4 + b**3 * p**2 + values**2
    if op == "fnormalize":
        n = p + 2
        return b * n**2 + p**3 + p * b**2 + values * n
    return None


def program(op: str, b: int, p: int, q: int) -> BnlProgram:
    """The generated program of ``op`` on F(p, q, b) (poly: the smoothed relu)."""
    if op == "poly":
        return poly_program(b, p, q, load_pieces(SMOOTH_RELU))
    model = generate(f"{OPS[op]} base={b} p={p} q={q}")
    assert isinstance(model, BnlProgram)
    return model


def series(op: str, quick: bool) -> list[tuple[str, int, int, int]]:
    """(series name, b, p, q) rows."""
    ps = range(1, 5) if quick else range(1, 9)
    if op == "poly":
        return [("p", 2, p, 2) for p in ps if p >= 2]
    rows = [("p", 2, p, 2) for p in ps]
    rows += [("b", b, 2, 1) for b in ((2, 3, 4) if quick else (2, 3, 4, 5, 10))]
    rows += [("q", 2, 3, q) for q in ((1, 2) if quick else (1, 2, 3))]
    return rows


@dataclass(frozen=True)
class Row:
    op: str
    series: str
    b: int
    p: int
    q: int
    heads: int
    size: int
    time: int
    bound: int | None
    verdict: str
    seconds: float

    @property
    def ratio(self) -> str:
        return "" if self.bound is None else f"{self.size / self.bound:.3f}"


def _prove(op: str, b: int, p: int, q: int, method: str) -> str:
    verdict = check_arith(program(op, b, p, q), ArithOptions(method=method))
    return f"{verdict.kind.name} ({verdict.method.split(' ')[0]})"


def measure(
    op: str, name: str, b: int, p: int, q: int, timeout: float, method: str = "auto"
) -> Row:
    model = program(op, b, p, q)
    meta = next(line for line in model.meta if line.startswith("arith "))
    t = int(meta.split("time=")[1].split()[0])
    start = time.perf_counter()
    try:
        verdict = run_in_subprocess(_prove, op, b, p, q, method, timeout=timeout)
    except Timeout:
        verdict = "KILLED"
    seconds = time.perf_counter() - start
    return Row(
        op,
        name,
        b,
        p,
        q,
        len(model.config_names),
        model.size,
        t,
        bound(op, b, p, q),
        verdict,
        seconds,
    )


def plot(rows: Sequence[Row], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    colours = {"fadd": "tab:blue", "fmul": "tab:red", "fnormalize": "tab:green", "poly": "k"}
    for op, colour in colours.items():
        pts = [r for r in rows if r.op == op and r.series == "p"]
        ps = [r.p for r in pts]
        left.plot(ps, [r.size for r in pts], "o-", color=colour, label=f"{op} size")
        if all(r.bound is not None for r in pts):
            left.plot(ps, [r.bound for r in pts], ":", color=colour, label=f"{op} bound")
        done = [r for r in pts if r.verdict.startswith("PASS")]
        right.plot([r.p for r in done], [r.seconds for r in done], "o-", color=colour, label=op)
        sat = [r for r in rows if r.op == op and r.series == "sat" and r.verdict.startswith("PASS")]
        if sat:
            right.plot(
                [r.p for r in sat],
                [r.seconds for r in sat],
                "s--",
                color=colour,
                label=f"{op} sat, q = 3",
            )
    left.set(yscale="log", xlabel="p (b = 2, q = 2)", ylabel="paper size")
    right.set(yscale="log", xlabel="p (b = 2; q = 2, dashed q = 3)", ylabel="verify arith seconds")
    for ax in (left, right):
        ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small systems only")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per proof")
    parser.add_argument(
        "--frontier", action="store_true", help="also the SAT frontier in p for b = 2, q = 3"
    )
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for .png and .md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    head = f"date: {datetime.datetime.now():%Y-%m-%d %H:%M}; machine: {machine()}"
    print(f"# {head}")
    rows = []

    def report(row: Row) -> None:
        rows.append(row)
        print(
            f"{row.op} {row.series} F({row.p}, {row.q}, {row.b}) heads={row.heads}"
            f" size={row.size} T={row.time} bound={row.bound} ratio={row.ratio}"
            f" {row.verdict} {row.seconds:.2f} s",
            flush=True,
        )

    for op in OPS:
        for name, b, p, q in series(op, args.quick):
            report(measure(op, name, b, p, q, args.timeout))
    if args.frontier:
        for op in ("fadd", "fmul", "fnormalize"):
            for p in FRONTIER[:3] if args.quick else FRONTIER:
                report(measure(op, "sat", 2, p, 3, args.timeout, method="sat"))
                if not rows[-1].verdict.startswith("PASS"):
                    break
    fits = []
    for op in OPS:
        pts = [r for r in rows if r.op == op and r.series == "p"]
        k = fitted_exponent([(r.p, r.size) for r in pts], 2)
        kb = (
            fitted_exponent([(r.p, r.bound) for r in pts], 2)
            if all(r.bound is not None for r in pts)
            else None
        )
        if k is not None:
            against = "" if kb is None else f" (bound ~ p^{kb:.2f})"
            fits.append(f"{op}: size ~ p^{k:.2f}{against}, b = 2, q = 2, p >= 2")
            print(fits[-1])
    if args.no_write:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    table = markdown(
        ["op", "series", "F(p, q, b)", "heads", "size", "T", "bound", "size/bound", "proof", "s"],
        [
            (
                r.op,
                r.series,
                f"F({r.p}, {r.q}, {r.b})",
                r.heads,
                r.size,
                r.time,
                "" if r.bound is None else r.bound,
                r.ratio,
                r.verdict,
                f"{r.seconds:.2f}",
            )
            for r in rows
        ],
    )
    command = "python bench/float.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = f"<!-- written by {command.strip()} -->\n\n{head}\n\n" + "\n".join(fits)
    (args.out / "float.md").write_text(text + "\n\n" + table + "\n")
    plot(rows, args.out / "float.png", f"bench/float.py, {head}")
    print(f"wrote {args.out / 'float.md'} and float.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
