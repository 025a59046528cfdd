"""``verify prove``: run the proof obligations of TOML files and report them for people and CI.

Contract: every obligation of every file named (directories: all ``*.toml`` below them) is run
-- one after the other, or with ``--jobs N`` in N worker processes -- and reported in file
order as a table with the summary line ``N passed, M failed`` (an obligation passes when its
verdict is the one it expects; an obligation whose check raised is an ERROR row and counts as
failed). ``--json`` prints one JSON object instead; ``--junit FILE`` also writes a JUnit XML
report. Exit status 0 when every obligation passed, 1 otherwise, 2 for a bad obligation file
(nothing is run then).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from verifier.checks.obligations import Obligation, Result, load_obligations, run_obligation
from verifier.checks.verdict import RunCounterexample, Verdict, VerdictKind
from verifier.errors import InputError

HELP = "run the proof obligations of TOML files (a table, JSON or JUnit XML for CI)"
EPILOG = """\
An obligation file holds one [[obligation]] table per obligation; paths are relative to the
file:

  [[obligation]]
  name = "parity4-global"
  check = "equiv"
  left = "../../shared/examples/parity4.bnl"
  right = "../../shared/examples/parity4.circ"
  mode = "global"          # or "async" (default)
  expect = "pass"          # "pass", "fail" or "unknown"

Optional keys (the options of 'verify equiv'): engine, timeout (seconds, default 120),
bound, stride and offset, map ("names" or a renaming file), ignore_case, strip_prefix.

Output: a table (name, expected, verdict, method, time, result, detail) and the line
'N passed, M failed'; an obligation passes when its verdict is the expected one. A check
that raises (e.g. a model file that does not parse) is an ERROR row. Exit status 0 when
every obligation passed, 1 otherwise, 2 for a bad obligation file.

examples:
  verify prove proofs/
  verify prove proofs/examples.toml --jobs 4 --junit report.xml
  verify prove proofs/ --json
"""

__all__ = ["junit_report", "run", "run_all", "summary_line", "table"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="TOML files or directories")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="run N obligations at a time in worker processes (0: one per CPU; default 1)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of jobs, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("expected a non-negative number of jobs")
    return value or (os.cpu_count() or 1)


def run(args: argparse.Namespace) -> int:
    obligations = load_obligations(args.paths)
    if args.junit:
        _check_writable(Path(args.junit))
    results = run_all(obligations, args.jobs, _progress_printer(len(obligations)))
    if args.json:
        print(json.dumps(json_report(results)))
    else:
        print(table(results))
        print()
        print(summary_line(results))
    if args.junit:
        _write_junit(Path(args.junit), results)
    return 0 if all(r.ok for r in results) else 1


# ----------------------------------------------------------------------------- running


def run_all(
    obligations: Sequence[Obligation],
    jobs: int = 1,
    progress: Callable[[Result], None] | None = None,
) -> list[Result]:
    """The results of ``obligations``, in their order. ``jobs`` > 1 runs them in a pool of
    worker processes; ``progress`` is called with each result as it arrives."""
    if jobs <= 1 or len(obligations) <= 1:
        _warm_up()
        results = []
        for obligation in obligations:
            results.append(run_obligation(obligation))
            if progress is not None:
                progress(results[-1])
        return results
    return _run_pool(obligations, min(jobs, len(obligations)), progress)


def _run_pool(
    obligations: Sequence[Obligation], jobs: int, progress: Callable[[Result], None] | None
) -> list[Result]:
    # spawn: workers start clean (no inherited solver state or threads); the engines start
    # their own subprocesses to enforce time limits, which pool workers may do.
    context = multiprocessing.get_context("spawn")
    results: list[Result | None] = [None] * len(obligations)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm_up)
    try:
        futures: dict[Future[Result], int] = {
            pool.submit(run_obligation, obligation): i for i, obligation in enumerate(obligations)
        }
        for future in as_completed(futures):
            index = futures[future]
            result = results[index] = _collect(future, obligations[index])
            if progress is not None:
                progress(result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [r for r in results if r is not None]


def _warm_up() -> None:
    """Import the checks in a fresh worker, so that an obligation's time is its own."""
    import verifier.checks.equiv
    import verifier.formats.registry  # noqa: F401


def _collect(future: Future[Result], obligation: Obligation) -> Result:
    """The future's result; a worker that died (e.g. a crash in a solver) is an error row."""
    try:
        return future.result()
    except Exception as err:
        return Result(
            obligation,
            None,
            0.0,
            error=f"internal error: the worker process failed: {type(err).__name__}: {err}",
            internal=True,
        )


def _progress_printer(total: int) -> Callable[[Result], None] | None:
    if not sys.stderr.isatty():
        return None
    done = 0

    def progress(result: Result) -> None:
        nonlocal done
        done += 1
        line = f"[{done}/{total}] {result.obligation.name}: {result.status}"
        if done == total:
            line = ""  # the table follows: leave a clean line
        print(f"\r\033[K{line}", end="", file=sys.stderr, flush=True)

    return progress


# ----------------------------------------------------------------------------- reports


def summary_line(results: Sequence[Result]) -> str:
    """``N passed, M failed`` (CI systems parse this line; errors count as failed)."""
    passed = sum(1 for r in results if r.ok)
    return f"{passed} passed, {len(results) - passed} failed"


def table(results: Sequence[Result]) -> str:
    """One row per result: name, expected, verdict, method, time, result, detail."""
    header = ("name", "expected", "verdict", "method", "time", "result", "detail")
    rows = [header, *(_row(r) for r in results)]
    widths = [max(len(row[k]) for row in rows) for k in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        if row is not header:
            cells[4] = row[4].rjust(widths[4])
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _row(result: Result) -> tuple[str, str, str, str, str, str, str]:
    verdict = result.verdict
    return (
        result.obligation.name,
        result.obligation.expect.value.lower(),
        verdict.kind.value if verdict is not None else "-",
        verdict.method if verdict is not None else "-",
        f"{result.seconds:.2f} s",
        result.status,
        detail(result),
    )


def detail(result: Result) -> str:
    """The table's detail: the counterexample of a FAIL (input, round, reason), what an
    UNKNOWN or mismatching verdict showed, the first line of an error; empty for an expected
    PASS."""
    verdict = result.verdict
    if verdict is None:
        return (result.error or "").splitlines()[0] if result.error else ""
    if verdict.kind is VerdictKind.FAIL:
        return counterexample_summary(verdict)
    if verdict.kind is VerdictKind.UNKNOWN or not result.ok:
        return verdict.detail
    return ""


def counterexample_summary(verdict: Verdict) -> str:
    """``input 0001, round 3: reason`` (B's input too when it is ordered differently, and the
    differing rules when the check named them); for a check on one model (arith, halting),
    its own one-line statement (the arith check's names the operands as numbers)."""
    cex = verdict.counterexample
    if cex is None:
        return ""
    if isinstance(cex, RunCounterexample):
        return f"round {cex.round}: {verdict.detail.splitlines()[0]}"
    text = f"input {cex.a_input or '(none)'}"
    if cex.b_input != cex.a_input:
        text += f" (B: {cex.b_input or '(none)'})"
    text += f", round {cex.round}: {cex.reason}"
    if cex.rules:
        text += "; rules that differ: " + " ".join(cex.rules)
    return text


def json_report(results: Sequence[Result]) -> dict[str, object]:
    """``{"passed": N, "failed": M, "errors": E, "obligations": [...]}``; each obligation with
    name, file, line, check, expect, status, seconds, verdict (the check's JSON object, or null)
    and error (null unless the check raised)."""
    passed = sum(1 for r in results if r.ok)
    return {
        "passed": passed,
        "failed": len(results) - passed,
        "errors": sum(1 for r in results if r.status == "ERROR"),
        "obligations": [_json_result(r) for r in results],
    }


def _json_result(result: Result) -> dict[str, object]:
    obligation = result.obligation
    return {
        "name": obligation.name,
        "file": str(obligation.file),
        "line": obligation.line,
        "check": obligation.check,
        "expect": obligation.expect.value.lower(),
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "verdict": result.verdict.to_json() if result.verdict is not None else None,
        "error": result.error,
    }


# ----------------------------------------------------------------------------- JUnit XML

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def junit_report(results: Sequence[Result]) -> ET.ElementTree:
    """A JUnit XML document: ``<testsuites>`` with one ``<testsuite>`` per obligation file
    (tests, failures, errors, skipped, time) and one ``<testcase>`` per obligation; the
    verdict is the test case's system-out, a mismatch a ``<failure>``, an obligation whose
    check raised an ``<error>``."""
    root = ET.Element("testsuites", name="verify prove")
    by_file: dict[str, list[Result]] = {}
    for result in results:
        by_file.setdefault(str(result.obligation.file), []).append(result)
    for file, group in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=file)
        for result in group:
            suite.append(_testcase(result))
        _set_counts(suite, group)
    _set_counts(root, results)
    ET.indent(root)
    return ET.ElementTree(root)


def _set_counts(element: ET.Element, results: Sequence[Result]) -> None:
    element.set("tests", str(len(results)))
    element.set("failures", str(sum(1 for r in results if r.status == "MISMATCH")))
    element.set("errors", str(sum(1 for r in results if r.status == "ERROR")))
    element.set("skipped", "0")
    element.set("time", f"{sum(r.seconds for r in results):.3f}")


def _testcase(result: Result) -> ET.Element:
    obligation = result.obligation
    case = ET.Element(
        "testcase",
        name=obligation.name,
        classname=_classname(obligation.file),
        file=str(obligation.file),
        line=str(obligation.line),
        time=f"{result.seconds:.3f}",
    )
    expected = obligation.expect.value.lower()
    if result.status == "MISMATCH":
        assert result.verdict is not None
        failure = ET.SubElement(
            case,
            "failure",
            message=_xml(f"expected {expected}, got {result.verdict.kind.value}: {detail(result)}"),
            type="mismatch",
        )
        failure.text = _xml(_verdict_text(result.verdict))
    elif result.status == "ERROR":
        error = ET.SubElement(
            case,
            "error",
            message=_xml(detail(result)),
            type="internal error" if result.internal else "input error",
        )
        error.text = _xml("\n".join(t for t in (result.error or "", result.trace) if t))
    if result.verdict is not None:
        ET.SubElement(case, "system-out").text = _xml(_verdict_text(result.verdict))
    return case


def _verdict_text(verdict: Verdict) -> str:
    lines = [f"{verdict.kind.value}  ({verdict.method})", verdict.detail]
    if verdict.delay:
        lines.append(f"computation delay: {verdict.delay}")
    if verdict.counterexample is not None:
        lines.append("counterexample: " + counterexample_summary(verdict))
    return "\n".join(lines)


def _classname(file: Path) -> str:
    """``proofs/examples.toml`` -> ``proofs.examples`` (how CI systems group test cases)."""
    parts = [p for p in file.with_suffix("").parts if p not in (file.anchor, "..", ".")]
    return ".".join(parts) or "obligations"


def _xml(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("?", text)


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise InputError(f"{path}: a directory; --junit needs a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: the directory {parent} does not exist")


def _write_junit(path: Path, results: Sequence[Result]) -> None:
    """Write the report (replacing an earlier one: a report is output, not a model)."""
    try:
        junit_report(results).write(path, encoding="utf-8", xml_declaration=True)
    except OSError as err:
        raise InputError(f"{path}: cannot write the JUnit report: {err.strerror}") from None
