"""`generate` on imported schemas: the project of an imported dump passes ruff, `mypy --strict` and
its own tests against the dump's database (issue 15). One dump per dialect and the hostile one: the
full corpus is imported and validated by test_import.py; a project per file would cost minutes each.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import INTEGRATION_DIR, Schemaforge, fresh_database
from generated_support import VENV_BIN, GeneratedProjects, async_url
from test_import import postgresql_extensions

pytest_plugins = ("generated_support",)

CORPUS = INTEGRATION_DIR / "corpus"
DUMPS = [
    ("postgresql", "kanboard-postgres.sql"),
    ("postgresql", "hostile-pg-dump.sql"),
    ("mysql", "jooq-sakila-mysql-schema.sql"),
    ("sqlite", "jooq-sakila-sqlite-schema.sql"),
]


@pytest.fixture(scope="module")
def imported(
    schemaforge: Schemaforge, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each dump imported once: its schema file by dump name."""
    out = tmp_path_factory.mktemp("imported")
    schemas: dict[str, Path] = {}
    for dialect, name in DUMPS:
        schema = out / (Path(name).stem.replace("-", "_") + ".yaml")
        schemaforge.run(
            "import", CORPUS / dialect / name, "--dialect", dialect, "--out", schema
        )
        schemas[name] = schema
    return schemas


def run(
    args: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize(("dialect", "name"), DUMPS, ids=[name for _, name in DUMPS])
def test_project_of_an_imported_dump(
    generated: GeneratedProjects,
    imported: dict[str, Path],
    tool_env: dict[str, str],
    tmp_path: Path,
    dialect: str,
    name: str,
) -> None:
    project = generated.get(imported[name], dialect)
    for command in (
        ["ruff", "check", "--no-fix", "--output-format", "concise", "."],
        ["ruff", "format", "--check", "--diff", "."],
        ["mypy", "--strict", "--no-error-summary", "."],
    ):
        proc = run([str(VENV_BIN / command[0]), *command[1:]], project.root, tool_env)
        assert proc.returncode == 0, (
            f"`{' '.join(command)}` on the project of {name}:\n{proc.stdout[-8000:]}{proc.stderr[-2000:]}"
        )
    with fresh_database(dialect, tmp_path) as db:
        if dialect == "postgresql":
            # The extensions the dump creates are the database's setup, not the schema's.
            postgresql_extensions(db, (CORPUS / dialect / name).read_text(encoding="utf-8"))
        env = dict(tool_env)
        env["DATABASE_URL"] = env["TEST_DATABASE_URL"] = async_url(db, project)
        proc = run(
            [
                str(VENV_BIN / "python"),
                "-m",
                "pytest",
                "-q",
                "--tb=short",
                "-rfE",
                "-p",
                "no:cacheprovider",
            ],
            project.root,
            env,
        )
    assert proc.returncode == 0, (
        f"the generated tests of {name} on {dialect}:\n{proc.stdout[-12000:]}\n{proc.stderr[-3000:]}"
    )
    assert re.search(r"\b\d+ passed\b", proc.stdout), proc.stdout[-3000:]
