"""``verify equiv``: prove two objects equivalent or show a replayed counterexample."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from verifier.checks.alignment import NameMap, load_renaming
from verifier.checks.equiv import ENGINE_NAMES, EquivOptions, check_equiv
from verifier.checks.verdict import Counterexample, Verdict
from verifier.cli.arguments import end_progress, non_negative, positive, progress_printer, seconds
from verifier.errors import InputError
from verifier.formats.registry import load
from verifier.formats.vcd import write_vcd

HELP = "prove two objects globally or asynchronously equivalent, or refute them"
EPILOG = """\
Verdicts: PASS (proved for every valid input and every round), FAIL (a counterexample,
replayed through both reference simulators), UNKNOWN (a resource limit or only a bounded
argument; the detail says what was shown). Exit status 0 PASS, 1 FAIL, 2 bad input, 3 UNKNOWN.

--mode async (default) compares output sequences; --mode global also the configurations
and output rounds. Inputs (and print bits, and in global mode heads/positions) are aligned
by order, by name with --map names (plus --ignore-case, --strip-prefix P), or through a
renaming file with two names per line (--map FILE). --stride D --offset C claims that output
round t of A is round D*t + C of B (translations write this as 'meta stride=D offset=C').

examples:
  verify equiv parity4.bnl parity4.circ --mode global
  verify equiv small.sc small_from_sc.bnl --stride 1 --offset 1
  verify equiv faure_cellcycle.bnet bbm-023_MAMMALIAN-CELL-CYCLE-2006.bnet \\
      --map names --ignore-case --strip-prefix v_
  verify equiv parity4_bad.bnl parity4.circ --json --vcd cex.vcd
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", help="first model (A)")
    parser.add_argument("b", help="second model (B)")
    parser.add_argument("--mode", choices=("async", "global"), default="async")
    parser.add_argument("--engine", choices=ENGINE_NAMES, default="auto")
    parser.add_argument("--bound", type=positive, metavar="N", help="rounds for bounded engines")
    parser.add_argument("--timeout", type=seconds, metavar="S", help="give up after S seconds")
    parser.add_argument("--stride", type=positive, metavar="D", help="computation delay factor")
    parser.add_argument("--offset", type=non_negative, metavar="C", help="delay offset")
    parser.add_argument("--map", metavar="names|FILE", help="align by name or by a renaming file")
    parser.add_argument("--ignore-case", action="store_true", help="with --map: fold case")
    parser.add_argument("--strip-prefix", metavar="P", default="", help="with --map: drop P")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--vcd", metavar="OUT", help="write the counterexample traces as VCD")
    parser.add_argument("--cex", metavar="OUT", help="write the counterexample as JSON")
    parser.add_argument("--force", action="store_true", help="overwrite --vcd/--cex files")


def name_map_from(args: argparse.Namespace) -> NameMap:
    """The alignment options of the command line."""
    if args.map is None:
        if args.ignore_case or args.strip_prefix:
            raise InputError("--ignore-case and --strip-prefix need --map names (or a file)")
        return NameMap()
    renaming = () if args.map == "names" else load_renaming(args.map)
    return NameMap(
        by_name=True,
        ignore_case=args.ignore_case,
        strip_prefix=args.strip_prefix,
        renaming=renaming,
    )


def run(args: argparse.Namespace) -> int:
    if (args.stride is None) != (args.offset is None) and args.stride is None:
        raise InputError("--offset needs --stride")
    for out in (args.vcd, args.cex):
        if out and Path(out).exists() and not args.force:
            raise InputError(f"{out}: file exists; refusing to overwrite it (use --force)")
    a, b = load(args.a), load(args.b)
    stride = None if args.stride is None else (args.stride, args.offset or 0)
    options = EquivOptions(
        mode=args.mode,
        engine=args.engine,
        bound=args.bound,
        timeout=args.timeout,
        stride=stride,
        name_map=name_map_from(args),
        progress=progress_printer(),
    )
    verdict = check_equiv(a, b, options)
    end_progress(options.progress)
    cex = verdict.counterexample
    if cex is not None:
        if args.cex:
            _write(Path(args.cex), json.dumps(verdict.to_json(), indent=2) + "\n")
        if args.vcd:
            with _open(Path(args.vcd)) as stream:
                write_vcd(
                    stream,
                    cex.trace_a,
                    a.config_names,
                    scope="A",
                    also=(("B", cex.trace_b, b.config_names),),
                )
    if args.json:
        print(json.dumps(verdict.to_json()))
    else:
        print(format_verdict(verdict, a.config_names, b.config_names))
    return verdict.exit_code


def _write(path: Path, text: str) -> None:
    with _open(path) as stream:
        stream.write(text)


def _open(path: Path):  # type: ignore[no-untyped-def]
    try:
        return path.open("w", encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot write: {err.strerror}") from None


def format_verdict(verdict: Verdict, names_a: tuple[str, ...], names_b: tuple[str, ...]) -> str:
    """The human-readable report: verdict, method, detail, and the counterexample table."""
    lines = [f"{verdict.kind.value}  ({verdict.method})", verdict.detail]
    if verdict.delay:
        lines.append(f"computation delay: {verdict.delay}")
    if verdict.counterexample is not None:
        lines.extend(format_counterexample(verdict.counterexample, names_a, names_b))
    return "\n".join(lines)


def format_counterexample(
    cex: Counterexample, names_a: tuple[str, ...], names_b: tuple[str, ...]
) -> list[str]:
    """Input, differing rules, and a side-by-side trace table up to the differing round."""
    lines = [f"input: {cex.a_input or '(none)'} (A)   {cex.b_input or '(none)'} (B)"]
    if cex.rules:
        lines.append("rules that differ: " + " ".join(cex.rules))
    lines.append("A config bits: " + (" ".join(names_a) or "(none)"))
    lines.append("B config bits: " + (" ".join(names_b) or "(none)"))
    wa = max([len("A config"), *(len(s.config) for s in cex.trace_a)])
    wb = max([len("B config"), *(len(s.config) for s in cex.trace_b)])
    lines.append(f"{'round':>5}  {'A config':<{wa}}  out  print  |  {'B config':<{wb}}  out  print")
    for sa, sb in zip(cex.trace_a, cex.trace_b, strict=False):
        mark = "  <- " + cex.reason if sa.round == cex.round else ""
        lines.append(
            f"{sa.round:>5}  {sa.config:<{wa}}  {'*' if sa.output else '':^3}  {sa.print:<5}  |  "
            f"{sb.config:<{wb}}  {'*' if sb.output else '':^3}  {sb.print}{mark}"
        )
    return lines
