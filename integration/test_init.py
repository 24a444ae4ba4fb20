"""`schemaforge init --starter S` (issue 16): every starter schema generates a SQLite project that passes
ruff (check and format), mypy --strict and its own tests, as a newcomer's first project must. The SaaS
starter is the one schema here with auth: but no encrypted field (its config.py failed ruff's SIM102)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import Schemaforge
from generated_support import VENV_BIN

pytest_plugins = ["generated_support"]

STARTERS = ["blank", "blog", "saas"]


@pytest.mark.parametrize("starter", STARTERS)
def test_every_starter_generates_a_project_that_passes_its_checks(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, starter: str
) -> None:
    schemaforge.run("init", tmp_path / "schema.yaml", "--starter", starter)
    schemaforge.run("generate", tmp_path / "schema.yaml", "--out", tmp_path / "api")
    for check in (
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--check", "--no-cache", "."],
        ["mypy", "app", "tests"],
        ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
    ):
        proc = subprocess.run(
            [str(VENV_BIN / check[0]), *check[1:]], cwd=tmp_path / "api", env=tool_env, capture_output=True, text=True,
            timeout=600, stdin=subprocess.DEVNULL, check=False,
        )
        assert proc.returncode == 0, f"{' '.join(check)} on the {starter} starter:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"
