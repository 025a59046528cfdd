"""Engines: each decides a :class:`~verifier.ir.safety.SafetyProblem`.

Every engine module exposes ``run(problem, options) -> Outcome`` and registers itself in
:data:`verifier.engines.base.ENGINES` under its name (see :func:`verifier.engines.base.get`).
"""
