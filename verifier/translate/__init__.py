"""Translations between the formalisms (paper, Section 2): pure functions from model to model."""
