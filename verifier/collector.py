"""Pausing Python's cyclic garbage collector around bulk allocation.

Parsing a large model and encoding a SAT frame each create hundreds of thousands of objects
that are not cyclic garbage (tokens, formula nodes, clause lists). Each such burst triggers
collections that scan every live object, and with a large model alive that was measured at
a third of the time (the hashed Tseitin encoder; parsing a 10,000-head program). Cycles
created meanwhile are collected as usual once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block; it is re-enabled
    afterwards if it was enabled before (so blocks nest)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
