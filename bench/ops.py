"""The minimum-cost search of ``verify ops synth`` (issue 8) on the essay's tech tree: the
cheapest program found for neg, -, square, cube, abs and max against the essay's claimed
costs, a few causality degrees (``verify ops cause``), and the acceptance figure: a search
exhaustive up to cost 5 over 2 variables and the 6 default constants, with its time.

A figure-printing script, not a test. Each target is a plain program (the essay's definition
with library names inlined) searched up to the essay's claimed cost, so the answer is at
least as cheap as the essay's; every row gives the cost found, the program, whether z3 proved
it and whether every cheaper cost was searched completely, and the counts of the search
(candidates enumerated, distinct signatures kept, matched the sample filter, proved, refuted)
with the time. A target equal to x on every initial sample shows the refinement of the samples
by z3's counterexamples. The acceptance row searches |x| + |y|, whose cheapest program costs
7, up to cost 5 (so the search is exhaustive); --frontier adds it up to costs 6 and 7.

    python bench/ops.py --no-write
    python bench/ops.py --frontier           # writes docs/figures/ops.md
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from figures import machine, markdown

from verifier.ops.syntax import parse_expression
from verifier.ops.synth import DEFAULT_CONSTANTS, SynthResult, cause, synthesize

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "docs" / "figures"

TREE: tuple[tuple[str, int, str], ...] = (
    ("neg", 1, "(λ x. (* -1 x))"),
    ("-", 2, "(λ x y. (+ x (* -1 y)))"),
    ("square", 1, "(λ x. (* x x))"),
    ("cube", 2, "(λ x. (* (* x x) x))"),
    ("abs", 4, "(λ x. (+ (relu x) (relu (* -1 x))))"),
    ("max", 13, "(λ x y. (* 1/2 (+ (+ x y) (+ (relu (+ x (* -1 y))) (relu (+ y (* -1 x)))))))"),
)
"""(name, the essay's claimed cost, the target as a plain program)."""

L1 = "(λ x y. (+ (+ (relu x) (relu (* -1 x))) (+ (relu y) (relu (* -1 y)))))"
"""|x| + |y|: no program of cost <= 6 (its cheapest costs 7), the acceptance target."""

CAUSES: tuple[tuple[str, str, str, str, int], ...] = (
    ("max", "abs", "(λ x y. (+ x (relu (+ y (* -1 x)))))", TREE[4][2], 4),
    ("abs", "max", TREE[4][2], TREE[5][2], 5),
    ("square", "x^4", "(λ x. (* x x))", "(λ x. (* (* (* x x) x) x))", 4),
    ("neg", "-", TREE[0][2], TREE[1][2], 3),
)
"""(F, G, F's program, G's program, maximum cost): causality degrees, F at cost 1."""

BUMP = "(λ x. (+ x (relu (* x (+ 1/2 (* -1 x))))))"
"""x plus a bump between the samples 0 and 1/2: equal to x on every initial sample, so the
candidate x is refuted by z3 and the samples are refined (CEGIS)."""


@dataclass(frozen=True)
class Row:
    name: str
    claimed: str
    max_cost: int
    result: SynthResult

    def cells(self) -> tuple[object, ...]:
        r, s = self.result, self.result.stats
        found = "-" if r.cost is None else str(r.cost)
        program = f"`{r.program}`" if r.program else f"none up to {self.max_cost}"
        proof = "z3 unsat" if r.program else ("complete" if r.kind.value == "FAIL" else "-")
        return (
            self.name,
            self.claimed,
            self.max_cost,
            r.kind.value,
            found,
            program,
            proof,
            "yes" if r.minimal else ("-" if r.program is None else "no"),
            s.enumerated,
            s.kept,
            s.matched,
            s.proved,
            s.refuted,
            f"{s.seconds:.2f}",
        )


HEADER = (
    "target",
    "essay",
    "K",
    "verdict",
    "cost",
    "program",
    "proof",
    "minimal",
    "enumerated",
    "kept",
    "matched",
    "proved",
    "refuted",
    "s",
)


def report(row: Row) -> Row:
    r = row.result
    print(
        f"{row.name}: essay {row.claimed}, K={row.max_cost}: {r.kind.value} cost={r.cost}"
        f" {r.program or ''} minimal={r.minimal}; {r.stats.line()}",
        flush=True,
    )
    return row


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--frontier", action="store_true", help="also |x| + |y| up to costs 6 and 7"
    )
    parser.add_argument("--out", type=Path, default=FIGURES, help="folder for ops.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    head = f"date: {datetime.datetime.now():%Y-%m-%d %H:%M}; machine: {machine()}"
    print(f"# {head}")
    constants = ", ".join(str(c) for c in DEFAULT_CONSTANTS)
    tree = [
        report(Row(name, str(claimed), claimed, synthesize(parse_expression(text), None, claimed)))
        for name, claimed, text in TREE
    ]
    causes = [
        report(
            Row(
                f"{f} -> {g}",
                "",
                k,
                cause(parse_expression(f_text), parse_expression(g_text), max_cost=k),
            )
        )
        for f, g, f_text, g_text, k in CAUSES
    ]
    bump = [report(Row("x + bump", "", 5, synthesize(parse_expression(BUMP), None, 5)))]
    costs = (5, 6, 7) if args.frontier else (5,)
    acceptance = [
        report(Row("abs x + abs y", "", k, synthesize(parse_expression(L1), None, k)))
        for k in costs
    ]
    first = acceptance[0].result
    line = (
        f"acceptance: cost <= 5 over 2 variables and 6 constants ({constants}):"
        f" {first.kind.value}, {first.stats.enumerated} candidates enumerated,"
        f" {first.stats.kept} kept, {first.stats.matched} matched, {first.stats.proved} proved,"
        f" in {first.stats.seconds:.2f} s"
    )
    print(line)
    if args.no_write:
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python bench/ops.py " + " ".join(sys.argv[1:] if argv is None else argv)
    text = "\n\n".join(
        [
            f"<!-- written by {command.strip()} -->",
            head,
            f"Grammar: x, y, the constants {constants}, (+ T T), (* T T), (relu T) at cost 1"
            " each; trees (no let). K: the maximum cost searched (the essay's claim for the"
            " tech tree).",
            "Tech tree:",
            markdown(HEADER, [row.cells() for row in tree]),
            "Causality degrees (F at cost 1 added to the grammar; target G):",
            markdown(HEADER, [row.cells() for row in causes]),
            f"Refinement (CEGIS): {BUMP} equals x on every initial sample:",
            markdown(HEADER, [row.cells() for row in bump]),
            line,
            markdown(HEADER, [row.cells() for row in acceptance]),
        ]
    )
    (args.out / "ops.md").write_text(text + "\n")
    print(f"wrote {args.out / 'ops.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
