"""Checks: the questions the tool answers (equivalence, ...), built on models, IR and engines."""
