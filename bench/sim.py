"""Throughput of the bit-parallel IR simulator (verifier.ir.simulate) on a random system.

Builds a random transition system whose next-state functions are an AIG of ``--nodes`` AND
gates over ``--state`` state bits and ``--inputs-bits`` primary inputs, simulates ``--rounds``
rounds for ``--inputs`` inputs at once, and prints node evaluations x inputs per second (median
of ``--repeat`` runs), beside a plain-Python evaluation of the same AIG for one input and the
ratio of the two. A figure-printing script, not a test::

    python bench/sim.py --nodes 100000 --rounds 1000 --inputs 1024 --repeat 5

The random AIG: every gate takes one fanin from a pool of not-yet-used signals (initially the
leaves) and one uniformly from all earlier signals, each complemented with probability 1/2, and
joins the pool. So every gate is used (the whole graph is in the cone of the next-state
functions, which read the pool at the end) and the depth grows like a real design's rather than
logarithmically.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.ir.aig import AigBuilder
from verifier.ir.simulate import BitSimulator, simulate
from verifier.ir.system import TransitionSystem, check


def random_system(nodes: int, state: int, inputs: int, seed: int) -> TransitionSystem:
    """A random transition system with about ``nodes`` AND gates (see the module docstring)."""
    rng = random.Random(seed)
    builder = AigBuilder(inputs + state)
    signals = [builder.input(i) for i in range(inputs + state)]
    pool = list(signals)
    while builder.num_ands < nodes:
        slot = rng.randrange(len(pool))
        a = pool[slot] ^ rng.getrandbits(1)
        b = rng.choice(signals) ^ rng.getrandbits(1)
        before = builder.num_ands
        lit = builder.and_(a, b)
        if builder.num_ands > before:  # a new gate, not a folded or shared one
            pool[slot] = lit
            signals.append(lit)
    rng.shuffle(pool)
    next_state = tuple(pool[j % len(pool)] for j in range(state))
    # A few output signals read the rest of the pool so that it stays in the cone.
    rest = pool[state:]
    print_ = tuple(rest[:8]) or next_state[:1]
    output = builder.or_all(rest[8:]) if rest[8:] else next_state[0]
    return TransitionSystem(
        aig=builder.build(),
        input_names=tuple(f"i{j}" for j in range(inputs)),
        state_names=tuple(f"s{j}" for j in range(state)),
        init=tuple(builder.input(j % max(inputs, 1)) if inputs else 0 for j in range(state)),
        next_state=next_state,
        print_=print_,
        print_names=tuple(f"p{j}" for j in range(len(print_))),
        output=output,
    )


def python_round(ts: TransitionSystem, inputs: list[int], state: list[int]) -> list[int]:
    """One round for one input in plain Python: every AND gate, then the next state."""
    values = ts.aig.evaluate(inputs + state)
    return [values[x >> 1] ^ (x & 1) for x in ts.next_state]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000, help="AND gates (default 1e5)")
    parser.add_argument("--state", type=int, default=1000, help="state bits (default 1000)")
    parser.add_argument("--input-bits", type=int, default=32, help="primary inputs (32)")
    parser.add_argument("--rounds", type=int, default=1000, help="rounds per run (1000)")
    parser.add_argument("--inputs", type=int, default=1024, help="parallel inputs (1024)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions, median (5)")
    parser.add_argument("--py-rounds", type=int, default=5, help="plain-Python rounds (5)")
    parser.add_argument("--chunk", type=int, default=64, help="words per chunk (64)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    ts = random_system(args.nodes, args.state, args.input_bits, args.seed)
    t_build = time.perf_counter() - t0
    check(ts)
    t0 = time.perf_counter()
    sim = BitSimulator(ts)
    t_plan = time.perf_counter() - t0
    gates = sim.num_step_gates

    rng = np.random.default_rng(args.seed)
    inputs = rng.random((args.inputs, ts.num_inputs)) < 0.5
    simulate(
        sim, inputs, 2, record_configs=False, chunk_words=args.chunk
    )  # warm-up: workspaces, caches
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        simulate(sim, inputs, args.rounds, record_configs=False, chunk_words=args.chunk)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    # rounds + 1 evaluations: round `rounds` is evaluated for its print and output bits.
    evals = gates * args.inputs * (args.rounds + 1)
    rate = evals / median

    state = [0] * ts.num_state
    one = [int(b) for b in inputs[0]]
    py_times = []
    for _ in range(args.py_rounds):
        t0 = time.perf_counter()
        state = python_round(ts, one, state)
        py_times.append(time.perf_counter() - t0)
    py_rate = ts.aig.num_ands / statistics.median(py_times)

    rows = [
        ("python / numpy", f"{platform.python_version()} / {np.__version__}"),
        ("AND gates (evaluated per round)", f"{ts.aig.num_ands} ({gates})"),
        ("state bits / primary inputs", f"{ts.num_state} / {ts.num_inputs}"),
        ("levels", f"{sim.num_levels}"),
        ("build / schedule time", f"{t_build:.2f} s / {t_plan:.2f} s"),
        ("rounds x parallel inputs", f"{args.rounds} x {args.inputs}"),
        ("words per chunk", f"{min(args.chunk, (args.inputs + 63) // 64)}"),
        ("numpy run, median of " + str(args.repeat), f"{median:.3f} s"),
        ("numpy node-input evals/s", f"{rate:.3g}"),
        ("numpy per round", f"{median / (args.rounds + 1) * 1e3:.3f} ms"),
        ("plain Python, 1 input, per round", f"{statistics.median(py_times) * 1e3:.1f} ms"),
        ("plain Python node evals/s", f"{py_rate:.3g}"),
        ("ratio numpy / plain Python", f"{rate / py_rate:.0f}x"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
