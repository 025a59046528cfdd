"""Reference semantics of integers Z(n, b) and floating point F(p, q, b) (DESIGN.md 2.7, 2.8)."""
