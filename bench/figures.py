"""Helpers shared by the figure-printing scripts of bench/ (imported as ``figures``: a script
run as ``python bench/NAME.py`` has bench/ on its path)."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Sequence


def machine() -> str:
    """The CPU, its count, the Python and the system, for the head of a figure."""
    cpu = platform.processor() or platform.machine()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.python_implementation()}"
        f" {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def fitted_exponent(points: Sequence[tuple[int, float]], least: int) -> float | None:
    """The least-squares slope of log y against log x over the points with x >= ``least``
    (the k of y ~ x^k), or None with fewer than two such points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x >= least]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def markdown(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
