"""The repository keeps its promises: README commands, CI script, lint, layout."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from tests.conftest import REPO


def readme_commands() -> list[str]:
    """The indented shell commands at the top of the README, before the first heading."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 1)[0]
    return [line.strip() for line in head.splitlines() if line.startswith("    ")]


def test_readme_starts_with_install_and_test_commands() -> None:
    install, test = readme_commands()[:2]
    assert "pip install" in install and "verify equiv" in install
    assert "pip install" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_encodings_is_not_a_python_package() -> None:
    # DESIGN.md 5: a package named `encodings` would shadow the standard library's.
    assert not (REPO / "encodings" / "__init__.py").exists()


def test_code_is_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "check", "verifier", "tests", "bench"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_example_output_is_what_sim_prints(capsys) -> None:
    from verifier.cli.main import main

    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\$ verify sim (\S+) (.*)\n((?:    .*\n)+)", text)
    assert block is not None
    path = (REPO / block.group(1)).resolve()
    assert main(["sim", str(path), *block.group(2).split()]) == 0
    expected = [line[4:] for line in block.group(3).splitlines()]
    assert capsys.readouterr().out.splitlines() == expected


def test_encoded_paper_examples_are_the_shared_ones() -> None:
    from tests.conftest import EXAMPLES

    copies = sorted((REPO / "encodings" / "paper").iterdir())
    assert copies, "encodings/paper holds the paper's examples"
    for copy in copies:
        assert copy.read_bytes() == (EXAMPLES / copy.name).read_bytes()
