"""Models named by a one-line spec, e.g. ``"parity n=64"`` or ``"random-bnl heads=1000
inputs=12 seed=1"``: the generators that proof obligations and benchmarks can refer to by
parameters instead of by a file (``generate = "..."`` in a TOML obligation)."""

from __future__ import annotations

from collections.abc import Callable

from verifier.generate.floats import fadd_program, fmul_program, fnormalize_program
from verifier.generate.integers import add_program, compare_program, sub_program
from verifier.generate.multiply import mul_program
from verifier.generate.parity import parity_circuit, parity_program
from verifier.generate.random_models import random_bnl, random_circuit, random_sc
from verifier.models import Model

__all__ = ["GENERATORS", "generate"]

GENERATORS: dict[str, tuple[Callable[..., Model], tuple[str, ...]]] = {
    "parity": (parity_circuit, ("n",)),
    "parity-program": (parity_program, ("n",)),
    "random-bnl": (random_bnl, ("heads", "inputs", "seed", "leaves")),
    "random-sc": (random_sc, ("variables", "props", "seed", "leaves")),
    "random-circ": (random_circuit, ("positions", "inputs", "gates", "seed")),
    "int-compare": (compare_program, ("base", "digits")),
    "int-add": (add_program, ("base", "digits")),
    "int-sub": (sub_program, ("base", "digits")),
    "int-mul": (mul_program, ("base", "digits")),
    "float-mul": (fmul_program, ("base", "p", "q")),
    "float-add": (fadd_program, ("base", "p", "q", "window")),
    "float-normalize": (fnormalize_program, ("base", "p", "q", "raw_p", "raw_q")),
}


def generate(spec: str) -> Model:
    """The model ``spec`` names: a generator of :data:`GENERATORS` and ``key=N`` parameters.
    ValueError with a message naming the problem if the spec is malformed."""
    kind, *words = spec.split() or [""]
    if kind not in GENERATORS:
        raise ValueError(f"unknown generator {kind!r}; expected one of {', '.join(GENERATORS)}")
    function, allowed = GENERATORS[kind]
    params: dict[str, int] = {}
    for word in words:
        key, eq, value = word.partition("=")
        if (
            not eq
            or key not in allowed
            or key in params
            or not (value.isascii() and value.isdigit())
        ):
            raise ValueError(
                f"bad parameter {word!r} for {kind}; expected {' '.join(k + '=N' for k in allowed)}"
            )
        params[key] = int(value)
    try:
        return function(**params)
    except TypeError as err:  # a missing parameter
        raise ValueError(f"{kind}: {err}") from None
