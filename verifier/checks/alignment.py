"""Aligning two objects for comparison (DESIGN.md 2.5): inputs, configuration bits, print bits.

By default everything is aligned by order. With a :class:`NameMap` the bits are matched by
name after normalisation (an optional prefix stripped, case folded), or through an explicit
renaming file, which is how the same published network is recognised in collections that name
and order its variables differently (``cdh1`` / ``Cdh1`` / ``v_Cdh1``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier.errors import InputError, ParseError, SourcePos

__all__ = ["Alignment", "NameMap", "align", "load_renaming"]


@dataclass(frozen=True)
class NameMap:
    """How names of A are matched with names of B.

    ``by_name``: match by (normalised) name instead of by position. ``renaming``: explicit
    pairs A-name -> B-name (implies matching by name; unlisted names match themselves after
    normalisation). ``strip_prefix``: removed from the start of names on both sides.
    ``ignore_case``: compare case-insensitively.
    """

    by_name: bool = False
    ignore_case: bool = False
    strip_prefix: str = ""
    renaming: tuple[tuple[str, str], ...] = field(default=())

    def normalise(self, name: str) -> str:
        if self.strip_prefix and name.startswith(self.strip_prefix):
            name = name[len(self.strip_prefix) :]
        return name.casefold() if self.ignore_case else name


@dataclass(frozen=True)
class Alignment:
    """Index maps from A's bits to B's: ``inputs[i]`` is the B input matched with A's input i,
    likewise ``state`` (None when the configurations are not compared) and ``prints``."""

    inputs: tuple[int, ...]
    prints: tuple[int, ...]
    state: tuple[int, ...] | None = None

    def b_inputs(self, a_bits: Sequence[bool]) -> tuple[bool, ...]:
        """B's input bits for the input ``a_bits`` of A."""
        out = [False] * len(self.inputs)
        for i, j in enumerate(self.inputs):
            out[j] = a_bits[i]
        return tuple(out)


def load_renaming(path: str | os.PathLike[str]) -> tuple[tuple[str, str], ...]:
    """Read a two-column renaming file: ``nameA nameB`` per line, ``#`` comments."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the renaming file: {err}") from None
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0]
        words = line.split()
        if not words:
            continue
        if len(words) != 2:
            col = len(raw) - len(raw.lstrip()) + 1
            raise ParseError(
                f"expected two names (a name of A and a name of B), got {len(words)} word(s)",
                SourcePos(str(path), number, col),
                raw,
            )
        pairs.append((words[0], words[1]))
    return tuple(pairs)


def _match(
    what: str, a_names: Sequence[str], b_names: Sequence[str], name_map: NameMap
) -> tuple[int, ...]:
    """For each name of A, the index of its partner in B; InputError naming the unmatched."""
    if not (name_map.by_name or name_map.renaming):
        if len(a_names) != len(b_names):
            raise InputError(
                f"A has {len(a_names)} {what} but B has {len(b_names)}: " + _extra(a_names, b_names)
            )
        return tuple(range(len(a_names)))
    renamed = dict(name_map.renaming)
    key_b: dict[str, int] = {}
    for j, name in enumerate(b_names):
        key = name_map.normalise(name)
        if key in key_b:
            raise InputError(f"two {what} of B have the same name after normalisation: {name}")
        key_b[key] = j
    result: list[int] = []
    missing: list[str] = []
    for name in a_names:
        key = name_map.normalise(renamed.get(name, name))
        if key not in key_b:
            missing.append(name)
        else:
            result.append(key_b[key])
    if missing or len(set(result)) != len(result) or len(result) != len(b_names):
        matched = set(result)
        extra = [b for j, b in enumerate(b_names) if j not in matched]
        raise InputError(
            f"the {what} do not match by name: only in A: {_names(missing)}; "
            f"only in B: {_names(extra)}"
        )
    return tuple(result)


def _extra(a_names: Sequence[str], b_names: Sequence[str]) -> str:
    n = min(len(a_names), len(b_names))
    if len(a_names) > n:
        return "extra in A: " + _names(a_names[n:])
    return "extra in B: " + _names(b_names[n:])


def _names(names: Sequence[str]) -> str:
    if not names:
        return "(none)"
    shown = ", ".join(names[:12])
    return shown + (f", ... ({len(names) - 12} more)" if len(names) > 12 else "")


def align(
    a_inputs: Sequence[str],
    b_inputs: Sequence[str],
    a_prints: Sequence[str],
    b_prints: Sequence[str],
    name_map: NameMap,
    a_state: Sequence[str] | None = None,
    b_state: Sequence[str] | None = None,
) -> Alignment:
    """Match inputs and print bits (and configuration bits when both state lists are given)."""
    inputs = _match("inputs", a_inputs, b_inputs, name_map)
    prints = _match("print bits", a_prints, b_prints, name_map)
    state = None
    if a_state is not None and b_state is not None:
        state = _match("heads/positions (configuration bits)", a_state, b_state, name_map)
    return Alignment(inputs=inputs, prints=prints, state=state)
