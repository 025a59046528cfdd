"""Read the synchronous attractors that pyboolnet ships beside some of its models.

``shared/models/grieco_mapk_attrs_sync.json`` and ``tournier_apoptosis_attrs_sync.json`` are
copies of pyboolnet's ``*_attrs_sync.json`` files. Their format (pyboolnet 3,
``pyboolnet.attractors.compute_attractors`` written with ``write_attractors_json``)::

    {"primes": {name: [[implicants of f_name = 0], [implicants of f_name = 1]], ...},
     "update": "synchronous",
     "is_complete": "no",            # pyboolnet's own flag: the list may miss attractors
     "attractors": [
        {"is_steady": true|false, "is_cyclic": true|false,
         "state": {"dict": {name: 0|1, ...},      # ONE state of the attractor
                   "str": "0101...",              # the same state, names in sorted(primes) order
                   "prop": "!A&B&..."},
         "min_trap_space": {...}},                # smallest (asynchronous) trap space around it
        ...]}

An implicant is a dict ``{name: 0|1}`` (a conjunction of literals); ``f_name`` is 1 exactly when
some implicant of the second list matches the state. A cyclic attractor is given by one state
only, so :func:`load_pyboolnet_attractors` rebuilds the whole cycle by iterating the synchronous
update of the shipped prime implicants from that state until it comes back (and refuses the
file if it does not come back: then the state was not on a cycle). States are returned in the
caller's variable order (ours: :func:`verifier.formats.registry.load` ``(...).names``), not in
pyboolnet's alphabetical order.

Run as a script to print what the two shipped files contain and to cross-check the prime
implicants against our ``.bnet`` import (the reference simulator)::

    .venv/bin/python bench/pyboolnet_attrs.py [FILE_attrs_sync.json ...]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["describe", "load_pyboolnet_attractors"]

Primes = Mapping[str, Sequence[Sequence[Mapping[str, int]]]]

#: Longest cycle rebuilt before the file is refused (the state then is not on a cycle).
MAX_PERIOD = 1 << 20


def _successor(primes: Primes, names: Sequence[str], state: Mapping[str, int]) -> dict[str, int]:
    """The synchronous successor of ``state`` under the prime implicants."""
    return {
        name: int(any(all(state[v] == b for v, b in imp.items()) for imp in primes[name][1]))
        for name in names
    }


def _read(json_path: str | Path) -> dict[str, Any]:
    data = json.loads(Path(json_path).read_text())
    if data.get("update") != "synchronous":
        raise ValueError(f"{json_path}: update is {data.get('update')!r}, expected 'synchronous'")
    return data


def load_pyboolnet_attractors(
    json_path: str | Path, variable_order: Sequence[str]
) -> list[tuple[str, ...]]:
    """The attractors of a pyboolnet ``*_attrs_sync.json`` file as cycles of state strings.

    Each attractor is a tuple of bit strings (one character per name of ``variable_order``),
    in the order the synchronous dynamics visits them, starting at the state the file records;
    a steady state is a 1-tuple. Raises ValueError when the file's names differ from
    ``variable_order``, when the recorded ``str`` disagrees with the ``dict``, when a steady
    state is not fixed, or when a cyclic attractor's state is not on a cycle.
    """
    data = _read(json_path)
    primes: Primes = data["primes"]
    names = sorted(primes)
    if set(names) != set(variable_order) or len(variable_order) != len(names):
        missing = sorted(set(names) - set(variable_order))
        extra = sorted(set(variable_order) - set(names))
        raise ValueError(
            f"{json_path}: names differ from the variable order"
            f" (only in the file: {missing}; only in the order: {extra})"
        )
    result: list[tuple[str, ...]] = []
    for index, attractor in enumerate(data["attractors"]):
        recorded = attractor["state"]
        start = {name: int(recorded["dict"][name]) for name in names}
        if "str" in recorded and recorded["str"] != "".join(str(start[n]) for n in names):
            raise ValueError(f"{json_path}: attractor {index}: 'str' disagrees with 'dict'")
        cycle = [start]
        state = _successor(primes, names, start)
        while state != start:
            if len(cycle) >= MAX_PERIOD:
                raise ValueError(
                    f"{json_path}: attractor {index}: its state does not come back within"
                    f" {MAX_PERIOD} steps (not on a cycle)"
                )
            cycle.append(state)
            state = _successor(primes, names, state)
        if attractor.get("is_steady") and len(cycle) != 1:
            raise ValueError(f"{json_path}: attractor {index} is marked steady but is not fixed")
        if attractor.get("is_cyclic") and len(cycle) == 1:
            raise ValueError(f"{json_path}: attractor {index} is marked cyclic but is fixed")
        result.append(tuple("".join(str(s[v]) for v in variable_order) for s in cycle))
    return result


def describe(json_path: str | Path) -> dict[str, Any]:
    """What the file says about itself: counts of steady / cyclic attractors and flags."""
    data = _read(json_path)
    attractors = data["attractors"]
    return {
        "file": Path(json_path).name,
        "variables": len(data["primes"]),
        "update": data["update"],
        "is_complete": data.get("is_complete"),
        "attractors": len(attractors),
        "steady": sum(bool(a.get("is_steady")) for a in attractors),
        "cyclic": sum(bool(a.get("is_cyclic")) for a in attractors),
    }


def _main(argv: Sequence[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from verifier.formats.registry import load
    from verifier.reference.bnl import successor

    models = Path("/work/shared/models")
    paths = [Path(p) for p in argv] or sorted(models.glob("*_attrs_sync.json"))
    for path in paths:
        bnet = path.with_name(path.name.removesuffix("_attrs_sync.json") + ".bnet")
        program = load(bnet)
        cycles = load_pyboolnet_attractors(path, program.names)
        # Cross-check the cycles rebuilt from the shipped primes with our import of the .bnet.
        for cycle in cycles:
            for k, s in enumerate(cycle):
                nxt = successor(program, [c == "1" for c in s])
                expected = cycle[(k + 1) % len(cycle)]
                if "".join("1" if b else "0" for b in nxt) != expected:
                    raise SystemExit(f"{path.name}: primes and {bnet.name} disagree at {s}")
        info = describe(path)
        periods = sorted(len(c) for c in cycles if len(c) > 1)
        print(
            f"{info['file']}: {info['variables']} variables, update={info['update']},"
            f" is_complete={info['is_complete']!r}: {info['attractors']} attractors ="
            f" {info['steady']} steady states + {info['cyclic']} cycles (periods {periods});"
            f" cycles agree with {bnet.name} under our import"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
