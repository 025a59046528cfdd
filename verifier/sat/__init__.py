"""SAT-based reasoning on the IR (DESIGN.md sections 4 and 5).

* :mod:`verifier.sat.cnf` -- Tseitin CNF of AIG cones and unrolling of safety problems (pure
  functions returning small records of clause blocks and literal maps);
* :mod:`verifier.sat.solver` -- a thin incremental CaDiCaL wrapper with deadlines;
* :mod:`verifier.sat.unroll` -- an unrolling kept inside one incremental solver, frame by frame;
* :mod:`verifier.sat.combinational` -- equivalence of literal pairs over an AIG's inputs;
* :mod:`verifier.sat.correspondence` -- signal correspondence (van Eijk 2000) of a safety problem.

The engines :mod:`verifier.engines.bmc` and :mod:`verifier.engines.induction` are built on these.
(Not named ``encodings``: see DESIGN.md 5.)
"""
