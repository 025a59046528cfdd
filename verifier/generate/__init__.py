"""Generators of the paper's constructions (parity, arithmetic) as model objects."""
