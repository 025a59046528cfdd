"""Throughput of CNF generation (verifier.sat.cnf) and the SAT share of a BMC run.

Builds a random safety problem of ``--latches`` latches whose next-state functions are an AIG
of ``--gates`` AND gates over the latches and ``--inputs`` frozen inputs, and prints

* clauses/s of generating the unrolled CNF for ``--frames`` frames (numpy only: the Tseitin
  clause pattern of the cone is gathered at a new variable offset per frame), beside a
  plain-Python per-gate encoder of the same frames (the baseline), and clauses/s of generating
  *and* loading them into CaDiCaL;
* for a BMC run of ``--bmc-frames`` rounds (bad: a wide conjunction that random runs do not
  reach), the time split between CNF generation, clause loading and the SAT solver.

A figure-printing script, not a test::

    python bench/cnf.py --latches 2000 --gates 20000 --frames 200
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.engines import bmc
from verifier.engines.base import Options
from verifier.ir.aig import AigBuilder
from verifier.ir.safety import SafetyProblem
from verifier.sat.cnf import (
    Strash,
    UnrollPlan,
    VarPool,
    count_clauses,
    encode_frame,
    encode_inputs,
    initial_state,
    plan_unrolling,
)
from verifier.sat.solver import SatSolver, paused_gc


def random_problem(latches: int, gates: int, inputs: int, seed: int) -> SafetyProblem:
    """Random next-state logic in the style of bench/sim.py (every gate takes a fanin from a
    pool of unused signals, so every gate is in the cone); init from the inputs; bad is the
    conjunction of 24 random signals."""
    rng = random.Random(seed)
    builder = AigBuilder(inputs + latches)
    signals = [builder.input(i) for i in range(inputs + latches)]
    pool = list(signals)
    while builder.num_ands < gates:
        slot = rng.randrange(len(pool))
        a = pool[slot] ^ rng.getrandbits(1)
        b = rng.choice(signals) ^ rng.getrandbits(1)
        before = builder.num_ands
        lit = builder.and_(a, b)
        if builder.num_ands > before:
            pool[slot] = lit
            signals.append(lit)
    rng.shuffle(pool)
    next_state = tuple(pool[j % len(pool)] for j in range(latches))
    bad = builder.and_all(lit ^ rng.getrandbits(1) for lit in rng.sample(signals, 24))
    init = tuple(builder.input(j % inputs) ^ (j & 1) for j in range(latches))
    return SafetyProblem(
        aig=builder.build(),
        input_names=tuple(f"i{j}" for j in range(inputs)),
        latch_names=tuple(f"l{j}" for j in range(latches)),
        init=init,
        next_state=next_state,
        bad=bad,
    )


def python_unroll(problem: SafetyProblem, frames: int) -> list[list[int]]:
    """Baseline: the same unrolling with one Python loop iteration per gate and frame."""
    aig = problem.aig
    n_in, first = problem.num_inputs, aig.first_and_var
    top = 1
    clauses: list[list[int]] = [[1]]

    def lit(values: list[int], x: int) -> int:
        v = values[x >> 1]
        return -v if x & 1 else v

    inputs = list(range(top + 1, top + 1 + n_in))
    top += n_in
    zero = [-1] + inputs + [-1] * problem.num_latches + [0] * aig.num_ands
    state = [lit(zero, x) for x in problem.init]
    for _ in range(frames):
        values = [-1, *inputs, *state] + [0] * aig.num_ands
        for i, (a, b) in enumerate(zip(aig.left, aig.right, strict=True)):
            top += 1
            g, la, lb = top, lit(values, a), lit(values, b)
            values[first + i] = g
            clauses.extend(([-g, la], [-g, lb], [g, -la, -lb]))
        state = [lit(values, x) for x in problem.next_state]
    return clauses


def stream(plan: UnrollPlan, frames: int, *, hashed: bool, load: bool) -> tuple[int, float, float]:
    """Unroll frame by frame as the engines do, each frame's clauses dropped (or loaded into
    CaDiCaL, when ``load``) before the next is made: (clauses, seconds generating, seconds
    loading)."""
    strash = Strash() if hashed else None
    pool = VarPool()
    n = 0
    t_gen = t_load = 0.0
    with SatSolver() as solver, paused_gc():
        t0 = time.perf_counter()
        inputs = encode_inputs(plan, pool, strash)
        start = initial_state(plan, inputs, pool, strash)
        blocks = [*inputs.clauses, *start.clauses]
        state = start.lits
        t_gen += time.perf_counter() - t0
        for made in range(frames + 1):
            n += count_clauses(blocks)
            if load:
                t0 = time.perf_counter()
                solver.add_blocks(blocks)
                t_load += time.perf_counter() - t0
            if made == frames:
                break
            t0 = time.perf_counter()
            frame = encode_frame(plan, inputs, state, pool, strash)
            t_gen += time.perf_counter() - t0
            blocks, state = list(frame.clauses), frame.next_state
    return n, t_gen, t_load


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latches", type=int, default=2000)
    parser.add_argument("--gates", type=int, default=20_000, help="AND gates (default 2e4)")
    parser.add_argument("--inputs", type=int, default=32)
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--py-frames", type=int, default=20, help="baseline frames (20)")
    parser.add_argument("--bmc-frames", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    problem = random_problem(args.latches, args.gates, args.inputs, args.seed)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan = plan_unrolling(problem)
    t_plan = time.perf_counter() - t0

    rows = [
        ("python / numpy", f"{platform.python_version()} / {np.__version__}"),
        ("latches / inputs / AND gates", f"{args.latches} / {args.inputs} / {args.gates}"),
        ("build problem / plan (cone)", f"{t_build:.2f} s / {t_plan:.3f} s"),
        ("gates per frame (cone)", f"{plan.step_cone.num_gates}"),
    ]
    t0 = time.perf_counter()
    py_clauses = python_unroll(problem, args.py_frames)
    py_rate = len(py_clauses) / (time.perf_counter() - t0)
    del py_clauses
    rows.append((f"per-gate Python baseline ({args.py_frames} frames)", f"{py_rate:.3g} clauses/s"))
    for hashed in (False, True):
        name = "hashed encoder (engines)" if hashed else "pattern encoder (numpy)"
        n, t_gen, _ = stream(plan, args.frames, hashed=hashed, load=False)
        rows.append(
            (f"{name}, {args.frames} frames", f"{n} clauses, {n / t_gen:.3g} clauses/s generated")
        )
        n, t_gen, t_load = stream(plan, args.frames, hashed=hashed, load=True)
        rows.append(
            (
                "  generated and loaded into CaDiCaL",
                f"{n / (t_gen + t_load):.3g} clauses/s (loading {n / t_load:.3g} clauses/s)",
            )
        )

    t0 = time.perf_counter()
    outcome = bmc.run(problem, Options(bound=args.bmc_frames - 1))
    t_bmc = time.perf_counter() - t0
    t_gen_b, t_load_b, t_sat_b, reached = bmc_split(problem, args.bmc_frames)
    t_split = t_gen_b + t_load_b + t_sat_b
    rows += [
        (
            f"bmc, {args.bmc_frames} rounds",
            f"{t_bmc:.2f} s, {outcome.status.value}: {outcome.detail}",
        ),
        (
            f"  same loop timed by part ({reached})",
            f"generate {t_gen_b:.2f} s ({100 * t_gen_b / t_split:.0f}%), "
            f"load {t_load_b:.2f} s ({100 * t_load_b / t_split:.0f}%), "
            f"SAT solver {t_sat_b:.2f} s ({100 * t_sat_b / t_split:.0f}%)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def bmc_split(problem: SafetyProblem, frames: int) -> tuple[float, float, float, str]:
    """The BMC engine's loop (verifier.engines.bmc) timed part by part: seconds of CNF
    generation, of clause loading and inside the solver, and the last depth checked."""
    t_gen = t_load = 0.0
    plan = plan_unrolling(problem)
    strash = Strash()
    with SatSolver() as solver:
        pool = VarPool()
        t0 = time.perf_counter()
        inputs = encode_inputs(plan, pool, strash)
        start = initial_state(plan, inputs, pool, strash)
        t_gen += time.perf_counter() - t0
        t0 = time.perf_counter()
        solver.add_blocks([*inputs.clauses, *start.clauses])
        t_load += time.perf_counter() - t0
        state, depth = start.lits, 0
        for depth in range(frames):  # noqa: B007  (the last depth is reported)
            t0 = time.perf_counter()
            with paused_gc():  # as Unrolling.extend does
                frame = encode_frame(plan, inputs, state, pool, strash)
                t1 = time.perf_counter()
                solver.add_blocks(frame.clauses)
            t_gen, t_load = t_gen + t1 - t0, t_load + time.perf_counter() - t1
            state = frame.next_state
            if solver.solve([frame.bad]):
                break
            solver.add_clause([-frame.bad])
        return t_gen, t_load, solver.solve_time, f"depth {depth}"


if __name__ == "__main__":
    main()
