"""Argument types and the progress line shared by the commands."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

__all__ = ["end_progress", "non_negative", "positive", "progress_printer", "seconds"]


def non_negative(text: str) -> int:
    """An integer >= 0 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def positive(text: str) -> int:
    """An integer >= 1 (argparse type)."""
    value = non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def seconds(text: str) -> float:
    """A positive number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("expected a positive number of seconds")
    return value


def progress_printer() -> Callable[[str], None] | None:
    """A sink for progress lines, rewriting one line of stderr, when stderr is a terminal
    (None otherwise: scripts and CI logs get no progress noise)."""
    if not sys.stderr.isatty():
        return None
    start = time.monotonic()

    def progress(line: str) -> None:
        print(f"\r\033[K[{time.monotonic() - start:6.1f} s] {line}", end="", file=sys.stderr)

    return progress


def end_progress(progress: Callable[[str], None] | None) -> None:
    """Clear the progress line, if there is one."""
    if progress is not None:
        print("\r\033[K", end="", file=sys.stderr)
