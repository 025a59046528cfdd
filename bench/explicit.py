"""Throughput of the explicit-state engine (verifier.engines.explicit) on a SAFE problem.

The problem: ``--inputs`` frozen inputs; a rotating register of ``--register`` latches
loaded with the inputs, repeated, every other copy complemented (so it never holds all ones);
``--acc`` accumulator latches, each XOR-ing an AND of three register bits into itself every
round (nonlinear logic, lassos of about ``2 * register`` rounds); and ``bad`` = all register
bits are 1 (unreachable, so every input's whole lasso is explored). Prints inputs per second
for the engine with and without exact lasso lengths. A figure-printing script, not a test::

    python bench/explicit.py --inputs 20 --register 80 --acc 20
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.engines import explicit
from verifier.engines.base import Options
from verifier.ir.aig import AigBuilder
from verifier.ir.safety import SafetyProblem


def problem(inputs: int, register: int, acc: int) -> SafetyProblem:
    """The benchmark problem (see the module docstring)."""
    latches = register + acc
    b = AigBuilder(inputs + latches)
    ins = [b.input(i) for i in range(inputs)]
    reg = [b.input(inputs + j) for j in range(register)]
    accs = [b.input(inputs + register + k) for k in range(acc)]
    init = [ins[j % inputs] ^ ((j // inputs) & 1) for j in range(register)] + [0] * acc
    nxt = [reg[j - 1] for j in range(register)]
    for k in range(acc):
        picks = (k % register, (3 * k + 1) % register, (7 * k + 5) % register)
        term = b.and_all([reg[picks[0]], reg[picks[1]], reg[picks[2]] ^ 1])
        nxt.append(b.xor(accs[k], term))
    bad = b.and_all(reg)
    return SafetyProblem(
        aig=b.build(),
        input_names=tuple(f"i{i}" for i in range(inputs)),
        latch_names=tuple(f"l{j}" for j in range(latches)),
        init=tuple(init),
        next_state=tuple(nxt),
        bad=bad,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=20)
    parser.add_argument("--register", type=int, default=80)
    parser.add_argument("--acc", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=explicit.CHUNK)
    args = parser.parse_args()
    p = problem(args.inputs, args.register, args.acc)
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(
        f"{p.num_inputs} inputs ({1 << p.num_inputs} combinations), {p.num_latches} latches,"
        f" {p.aig.num_ands} AND gates, chunk {args.chunk}"
    )
    for lengths in (False, True):
        started = time.perf_counter()
        outcome = explicit.run(
            p, Options(), max_inputs=1 << 30, chunk=args.chunk, lasso_lengths=lengths
        )
        elapsed = time.perf_counter() - started
        rate = (1 << p.num_inputs) / elapsed
        print(f"lasso_lengths={lengths}: {elapsed:.2f} s, {rate:,.0f} inputs/s")
        print(f"  {outcome.status.name}: {outcome.detail}")


if __name__ == "__main__":
    main()
