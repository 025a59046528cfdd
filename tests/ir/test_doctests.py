"""The examples in the docstrings of the IR and reference modules run as written."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "verifier.ir.aig",
    "verifier.ir.compile",
    "verifier.ir.simulate",
    "verifier.reference",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
