"""File formats: the text formats of DESIGN.md 3.1, the interchange formats of 3.2, VCD.

Use :mod:`verifier.formats.registry` to load and save by file suffix.
"""
