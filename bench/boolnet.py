"""Run R/BoolNet's SAT-based attractor search on a ``.bnet`` file (for bench/attractors.py).

:func:`run_boolnet` runs ``Rscript bench/boolnet_attractors.R`` in a killable subprocess (its
own process group, killed as a whole on timeout; an address-space limit so that a runaway R
fails with "cannot allocate" instead of eating the machine) and returns a
:class:`BoolnetResult` whose attractors are cycles of bit strings in the variable order of OUR
``.bnet`` import (:func:`verifier.formats.registry.load`: the targets in file order, then the
free inputs in order of first use -- DESIGN.md 3.2).

BoolNet and our import agree on the meaning of a ``.bnet`` file, including names without a
rule: BoolNet's ``loadNetwork`` warns ``There is no transition function for gene "X"!
Assuming an input!`` and gives X the identity function ``X = X`` (after the targets), which is
our free-input convention ``X :- X``. So the attractor sets are directly comparable.
BoolNet 2.1.7 cannot read some files that we read:

* files without the ``targets, factors`` header (``loadNetwork``: "Invalid header");
* rules nested deeper than its recursive-descent parser (written in R) can go: "Error parsing
  expression ...", from R's C stack limit (and, with a larger stack and
  ``options(expressions=)``, from the byte-code interpreter's node stack, which is fixed).

Run as a script to record BoolNet's answers for a folder of models (one JSON line per model,
appended as each finishes)::

    .venv/bin/python bench/boolnet.py --timeout 180 --out bench/results/boolnet_attractors.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

R_SCRIPT = Path(__file__).resolve().parent / "boolnet_attractors.R"
MODELS = Path("/work/shared/models")
MEMORY_LIMIT_MB = 8192
"""Address-space limit of the R process (R reports "cannot allocate vector" beyond it)."""

__all__ = [
    "BoolnetResult",
    "boolnet_available",
    "boolnet_unavailable_reason",
    "boolnet_version",
    "our_variable_order",
    "run_boolnet",
]


@dataclass(frozen=True)
class BoolnetResult:
    """BoolNet's answer for one file.

    ``status``: "ok", "timeout" or "error: <why>". ``seconds``: wall time of
    ``getAttractors`` alone (None unless ok). ``wall_seconds``: the whole subprocess (R start,
    loading BoolNet, reading the file, getAttractors, printing). ``attractors``: one tuple of
    bit strings per attractor, in visiting order, over :func:`our_variable_order` (empty
    unless ok). ``genes``: BoolNet's gene order. ``warnings``: R warnings (e.g. free inputs).
    """

    status: str
    seconds: float | None
    attractors: tuple[tuple[str, ...], ...] = ()
    variables: int | None = None
    wall_seconds: float = 0.0
    method: str = "sat.exhaustive"
    genes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def fixed_points(self) -> tuple[str, ...]:
        return tuple(a[0] for a in self.attractors if len(a) == 1)

    @property
    def cycle_periods(self) -> tuple[int, ...]:
        """Periods of the attractors that are not fixed points, sorted."""
        return tuple(sorted(len(a) for a in self.attractors if len(a) > 1))

    def attractor_set(self) -> frozenset[frozenset[str]]:
        """The attractors as a set of state sets (order and rotation forgotten)."""
        return frozenset(frozenset(a) for a in self.attractors)


def _probe() -> tuple[str | None, str | None]:
    """(reason BoolNet is unavailable or None, BoolNet version or None)."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "Rscript not found on PATH (apt-get install r-base-core r-cran-boolnet)", None
    if not R_SCRIPT.is_file():
        return f"{R_SCRIPT} is missing", None
    try:
        done = subprocess.run(
            [
                rscript,
                "-e",
                "suppressPackageStartupMessages(library(BoolNet));"
                ' cat(as.character(packageVersion("BoolNet")), R.version$major,'
                ' R.version$minor, "\\n")',
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"cannot run Rscript: {err}", None
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return f"R cannot load BoolNet: {tail[0]}", None
    boolnet, major, minor = done.stdout.split()
    return None, f"BoolNet {boolnet} on R {major}.{minor}"


@functools.cache
def _probe_cached() -> tuple[str | None, str | None]:
    return _probe()


def boolnet_available() -> bool:
    """True when Rscript runs and loads the BoolNet package (checked once per process)."""
    return _probe_cached()[0] is None


def boolnet_unavailable_reason() -> str | None:
    """Why :func:`boolnet_available` is False (None when it is True)."""
    return _probe_cached()[0]


def boolnet_version() -> str | None:
    """E.g. "BoolNet 2.1.7 on R 4.2.2", or None when unavailable."""
    return _probe_cached()[1]


def our_variable_order(path: str | os.PathLike[str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Our import's state order (heads) and the map from ``.bnet`` names to head names.

    The map differs from the identity only for names our import had to rename (a name
    starting with a digit, recorded in ``bnet.name=OLD head=NEW`` meta lines).
    """
    from verifier.formats.registry import load

    program = load(path)
    names = tuple(program.names)
    to_head = {n: n for n in names}
    for meta in program.meta:
        if meta.startswith("bnet.name="):
            old, _, new = meta.removeprefix("bnet.name=").partition(" head=")
            to_head[old] = new
    return names, to_head


def _limit_memory(megabytes: int) -> None:
    limit = megabytes << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_boolnet(
    path: str | os.PathLike[str],
    method: str = "sat.exhaustive",
    timeout: float = 180.0,
    max_period: int | None = None,
    memory_mb: int = MEMORY_LIMIT_MB,
) -> BoolnetResult | None:
    """BoolNet's synchronous attractors of ``path`` (None when BoolNet is unavailable).

    ``method``: "sat.exhaustive" (all attractors) or "sat.restricted" (only those of period at
    most ``max_period``, which it requires). ``timeout`` bounds the whole subprocess; on expiry
    its process group is killed and the status is "timeout".
    """
    if not boolnet_available():
        return None
    if method not in ("sat.exhaustive", "sat.restricted"):
        raise ValueError(f"unknown method {method!r}")
    if method == "sat.restricted" and max_period is None:
        raise ValueError("sat.restricted needs max_period")
    command = ["Rscript", str(R_SCRIPT), str(path), method]
    if max_period is not None:
        command.append(str(max_period))

    def result(status: str, wall: float, **kw: object) -> BoolnetResult:
        return BoolnetResult(status=status, seconds=None, wall_seconds=wall, method=method, **kw)

    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, killed as a whole
            preexec_fn=functools.partial(_limit_memory, memory_mb),
        )
    except OSError as err:
        return result(f"error: cannot start Rscript: {err}", 0.0)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return result("timeout", time.monotonic() - started)
    except BaseException:
        _kill_group(proc)
        raise
    wall = time.monotonic() - started

    line = next((s for s in reversed(stdout.splitlines()) if s.startswith("{")), None)
    data = None
    if line is not None:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            data = None
    if data is None:
        if proc.returncode < 0:
            why = f"R killed by signal {signal.Signals(-proc.returncode).name}"
        else:
            why = f"R exited with status {proc.returncode}"
        low = stderr.lower()
        if "cannot allocate" in low or "memory" in low or proc.returncode == -signal.SIGKILL:
            why += " (out of memory?)"
        tail = stderr.strip().splitlines()[-1:] or ["no output"]
        return result(f"error: {why}: {_short(tail[0])}", wall)
    warnings = tuple(data.get("warnings", ()))
    if "error" in data:
        return result(f"error: {_short(data['error'])}", wall, warnings=warnings)

    genes = tuple(data["genes"])
    try:
        names, to_head = our_variable_order(path)
    except Exception as err:  # our importer rejects the file: no comparison possible
        return result(f"error: our import fails: {_short(str(err))}", wall, genes=genes)
    heads = [to_head.get(g, g) for g in genes]
    if sorted(heads) != sorted(names):
        only_b = sorted(set(heads) - set(names))
        only_o = sorted(set(names) - set(heads))
        return result(
            f"error: gene names differ (only BoolNet: {only_b[:5]}, only ours: {only_o[:5]})",
            wall,
            genes=genes,
        )
    where = {h: i for i, h in enumerate(heads)}
    perm = [where[n] for n in names]
    attractors = tuple(
        tuple("".join(s[i] for i in perm) for s in a["states"]) for a in data["attractors"]
    )
    return BoolnetResult(
        status="ok",
        seconds=float(data["seconds"]),
        attractors=attractors,
        variables=len(genes),
        wall_seconds=wall,
        method=method,
        genes=genes,
        warnings=warnings,
    )


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the subprocess's whole process group and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def record(result: BoolnetResult, path: Path, variables: int, timeout: float) -> dict:
    """The JSON line of bench/results/boolnet_attractors.jsonl for one model."""
    size = sum(len(s) for a in result.attractors for s in a)
    row: dict[str, object] = {
        "file": path.name,
        "variables": variables,
        "status": result.status,
        "seconds": result.seconds,
        "wall_seconds": round(result.wall_seconds, 3),
        "timeout": timeout,
        "method": result.method,
        "boolnet": boolnet_version(),
        "attractors": len(result.attractors) if result.ok else None,
        "fixed_points": len(result.fixed_points) if result.ok else None,
        "cycles": len(result.cycle_periods) if result.ok else None,
        "cycle_periods": list(result.cycle_periods) if result.ok else None,
    }
    if result.ok and size <= 2_000_000:
        # The states, in OUR variable order, so that comparisons need not rerun BoolNet.
        row["states"] = [list(a) for a in result.attractors]
    free_inputs = sum("no transition function" in w for w in result.warnings)
    if free_inputs:
        row["free_inputs_assumed"] = free_inputs
    return row


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", type=Path, help="default: all of " + str(MODELS))
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--method", default="sat.exhaustive")
    parser.add_argument("--max-period", type=int, default=None)
    parser.add_argument("--only", default=None, help="only files whose name contains this")
    parser.add_argument("--out", type=Path, default=None, help="append JSON lines here")
    args = parser.parse_args(argv)
    if not boolnet_available():
        print(f"BoolNet UNAVAILABLE: {boolnet_unavailable_reason()}", file=sys.stderr)
        return 2
    print(f"# {boolnet_version()}", file=sys.stderr)
    paths = args.models or sorted(MODELS.glob("*.bnet"))
    if args.only:
        paths = [p for p in paths if args.only in p.name]
    sized = []
    for p in paths:
        try:
            sized.append((len(our_variable_order(p)[0]), p.name, p))
        except Exception:  # still let BoolNet try it
            sized.append((10**9, p.name, p))
    out = args.out.open("a") if args.out else None
    try:
        for variables, _, p in sorted(sized):
            res = run_boolnet(p, args.method, args.timeout, args.max_period)
            assert res is not None
            row = record(res, p, variables, args.timeout)
            line = json.dumps(row)
            if out:
                out.write(line + "\n")
                out.flush()
            brief = {k: v for k, v in row.items() if k != "states"}
            print(json.dumps(brief), flush=True)
    finally:
        if out:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
