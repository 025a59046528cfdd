"""Shared pytest configuration: hypothesis profiles and paths to the shared examples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLES = SHARED / "examples"
MODELS = SHARED / "models"


def bnet_models(max_state: int) -> list[pytest.param]:
    """The ``.bnet`` models with at most ``max_state`` state bits, as pytest parameters."""
    from verifier.formats.registry import load
    from verifier.ir.compile import compile_model

    return [
        pytest.param(path, id=path.stem)
        for path in sorted(MODELS.glob("*.bnet"))
        if compile_model(load(path)).num_state <= max_state
    ]


@pytest.fixture
def examples() -> Path:
    """The folder ../shared/examples (a hard error, not a skip, if it is missing)."""
    if not EXAMPLES.is_dir():
        raise FileNotFoundError(f"{EXAMPLES} is missing: clone the repository beside shared/")
    return EXAMPLES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="run the property-based soundness tests with ten times more examples",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--slow"):
        os.environ["VERIFY_SLOW"] = "1"


def scaled(examples: int) -> int:
    """``examples``, times ten in a ``--slow`` run."""
    return examples * (10 if os.environ.get("VERIFY_SLOW") == "1" else 1)
