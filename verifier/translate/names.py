"""Fresh names for the heads, gates and propositions that translations add."""

from __future__ import annotations

__all__ = ["RESERVED", "fresh"]

RESERVED = frozenset({"and", "or", "not", "true", "false"})
"""Words the text formats read as gate types or constants, never as names."""


def fresh(base: str, taken: set[str]) -> str:
    """``base``, prefixed with underscores until it is neither taken nor reserved; the name
    is added to ``taken``. A prefix keeps an index such as ``[3,1]`` last."""
    name = base
    while name in taken or name in RESERVED:
        name = "_" + name
    taken.add(name)
    return name
