"""``verify ops cost``: the essay's cost ``Ops`` of each definition of a library, with its
derivation, and a check of the costs the definitions claim (``:claimed N``)."""

from __future__ import annotations

import argparse
import json

from verifier.errors import InputError
from verifier.formats.source import read_source
from verifier.ops.cost import DefinitionCost, Derivation, library_costs
from verifier.ops.syntax import parse_library

HELP = "the cost of each definition of a library, with its derivation; check claimed costs"
EPILOG = """\
The cost semantics Ops of the essay (docs/ops.md): constants and variables cost 0 and a λ adds
nothing; (+ a b), (* a b) and (relu a) cost 1 plus their arguments, an n-ary (+ a b c) is the
left fold, n - 1 binary + ("n-ary + as 2 binary +"); (let ((x e)) body) costs e once plus the
body; a library name costs its own cost wherever it appears (a base case); applying a variable
(higher-order, as in compose) costs 0 plus the arguments; applying a λ costs its body plus the
arguments.

Each definition is printed with its cost, the cost as a sum of what contributes ("4 = + 1 +
relu 1 + relu 1 + neg 1") and the sub-terms that cost something, indented, each with its cost
and [what it adds itself]. A definition with ':claimed N' is OK when N is the computed cost,
MISMATCH otherwise. With NAMEs, only those definitions are printed and checked.

Exit status 0 every claimed cost matches (PASS), 1 some claimed cost is wrong (FAIL of the
claims), 2 bad input (a file that does not parse, an unknown NAME).

examples:
  verify ops cost encodings/ops/tech_tree.ops
  verify ops cost encodings/ops/tech_tree.ops max if
  verify ops cost encodings/ops/tech_tree.ops --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("library", metavar="LIB", help="library file of (define ...) forms")
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these definitions")
    parser.add_argument(
        "--json",
        action="store_true",
        help='a JSON list of {"name", "cost", "claimed", "ok", "summary", "derivation"}',
    )


def run(args: argparse.Namespace) -> int:
    library = parse_library(read_source(args.library), args.library)
    unknown = [name for name in args.names if name not in library]
    if unknown:
        defined = " ".join(library.names) or "(none)"
        raise InputError(
            f"{args.library}: no definition named {', '.join(map(repr, unknown))}"
            f" (defined: {defined})"
        )
    results = library_costs(library)
    if args.names:
        results = [r for r in results if r.name in args.names]
    wrong = [r for r in results if r.ok is False]
    if args.json:
        print(json.dumps([_to_json(r) for r in results], indent=1, ensure_ascii=False))
    else:
        lines: list[str] = []
        for result in results:
            lines.extend(_describe(result))
        claims = sum(r.claimed is not None for r in results)
        if wrong:
            names = ", ".join(r.name for r in wrong)
            lines.append(f"FAIL  {len(wrong)} of {claims} claimed costs are wrong: {names}")
        elif claims:
            lines.append(f"PASS  all {claims} claimed costs match")
        else:
            lines.append("PASS  no definition claims a cost")
        print("\n".join(lines))
    return 1 if wrong else 0


def _to_json(result: DefinitionCost) -> dict[str, object]:
    return {
        "name": result.name,
        "cost": result.cost,
        "claimed": result.claimed,
        "ok": result.ok,
        "summary": result.derivation.summary(),
        "derivation": result.derivation.to_json(),
    }


def _describe(result: DefinitionCost) -> list[str]:
    header = f"{result.name}  {result.cost}"
    if result.ok is True:
        header += f"  OK (claimed {result.claimed})"
    elif result.ok is False:
        header += f"  MISMATCH (claimed {result.claimed}, computed {result.cost})"
    lines = [header, f"  {result.derivation.summary()}"]
    width = len(str(result.cost))
    lines.extend(_tree(result.derivation, 0, width))
    return lines


def _tree(node: Derivation, depth: int, width: int) -> list[str]:
    """The sub-terms that cost something, indented by depth (a λ adds nothing: its body is
    shown in its place)."""
    if node.rule == "lambda":
        return _tree(node.children[0], depth, width)
    if node.cost == 0:
        return []
    line = f"  {node.cost:>{width}}  {'  ' * depth}{node.term}"
    own = _own(node)
    if own:
        line += f"  [{own}]"
    lines = [line]
    for child in node.children:
        lines.extend(_tree(child, depth + 1, width))
    return lines


def _own(node: Derivation) -> str:
    if node.rule in ("primitive", "library", "apply-library"):
        return f"{node.head} {node.own}" + (f": {node.note}" if node.note else "")
    if node.rule == "apply-variable":
        return f"{node.head} is a variable: 0"
    if node.rule == "let":
        return "let: each bound expression once"
    return ""
