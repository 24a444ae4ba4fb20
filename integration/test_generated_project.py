"""The FastAPI project that `schemaforge generate SCHEMA --out DIR --db D` writes: static checks, catalog, own tests.

For every schema (examples/*.yaml and integration/schemas/*.yaml) and every database (SQLite file, PostgreSQL,
MariaDB), each project generated once per session (`--db` selects the database it is made for):

1. `ruff check`, `ruff format --check` and `mypy --strict` pass, run in the project directory with the
   project's own configuration (nothing added by the test), and the project suppresses nothing
   (no `# noqa`, `# type: ignore`, per-file ignores or disabled error codes).
2. `Base.metadata.create_all` (sync driver) on a fresh database produces the same catalog as executing
   `schemaforge sql --dialect D` on another fresh database: tables, columns (type, nullability, comment),
   primary keys, foreign keys with their actions, indexes, unique and check constraints, PostgreSQL enum
   types; and, as a separate test, the same server defaults.
3. The project's own tests (tests/, when the generator writes them) pass with pytest, run inside the project,
   against a fresh database of that kind (DATABASE_URL and TEST_DATABASE_URL both point at it).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.register_assert_rewrite("generated_support")  # before the import below: its asserts explain themselves

from conftest import Database, Schemaforge, fresh_database, schema_files
from generated_support import (
    DIALECTS,
    VENV_BIN,
    GeneratedProject,
    GeneratedProjects,
    async_url,
    catalog,
    catalog_diff,
    loaded_app,
    server_defaults,
)

# The fixtures `generated` (every project, generated once per session) and `tool_env`.
pytest_plugins = ("generated_support",)

CASES = [pytest.param(path, dialect, id=f"{path.stem}-{dialect}") for path in schema_files() for dialect in DIALECTS]


def run_tool(project: GeneratedProject, env: dict[str, str], *args: str, timeout: int = 300) -> None:
    proc = subprocess.run(
        [str(VENV_BIN / args[0]), *args[1:]],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, (
        f"`{' '.join(args)}` failed ({proc.returncode}) in the project generated from {project.schema.name} "
        f"--db {project.dialect} ({project.root}):\n{proc.stdout[-12000:]}\n{proc.stderr[-4000:]}"
    )


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_ruff_check(generated: GeneratedProjects, tool_env: dict[str, str], path: Path, dialect: str) -> None:
    run_tool(generated.get(path, dialect), tool_env, "ruff", "check", "--no-fix", "--output-format", "concise", ".")


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_ruff_format_check(generated: GeneratedProjects, tool_env: dict[str, str], path: Path, dialect: str) -> None:
    run_tool(generated.get(path, dialect), tool_env, "ruff", "format", "--check", "--diff", ".")


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_mypy_strict(generated: GeneratedProjects, tool_env: dict[str, str], path: Path, dialect: str) -> None:
    run_tool(generated.get(path, dialect), tool_env, "mypy", "--strict", "--no-error-summary", ".")


SUPPRESSIONS = re.compile(r"#\s*(noqa|type:\s*ignore|mypy:|ruff:|fmt:\s*(off|skip))", re.IGNORECASE)
CONFIG_SUPPRESSIONS = re.compile(
    r"per-file-ignores|^\s*(extend-)?ignore\s*=|ignore_errors|disable_error_code|follow_imports\s*=\s*\"?skip"
    r"|^\s*exclude\s*=|extend-exclude|allow_untyped|allow_incomplete|strict\s*=\s*false",
    re.IGNORECASE | re.MULTILINE,
)


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_project_suppresses_no_lint_or_type_errors(generated: GeneratedProjects, path: Path, dialect: str) -> None:
    """The static checks above prove something only if the project does not switch them off."""
    project = generated.get(path, dialect)
    found = []
    for file in sorted(project.root.rglob("*.py")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            if SUPPRESSIONS.search(line):
                found.append(f"{file.relative_to(project.root)}:{number}: {line.strip()}")
    for name in ("pyproject.toml", "ruff.toml", ".ruff.toml", "mypy.ini", ".mypy.ini", "setup.cfg"):
        config = project.root / name
        if config.exists():
            for m in CONFIG_SUPPRESSIONS.finditer(config.read_text()):
                found.append(f"{name}: {m.group(0).strip()}")
    assert not found, "the generated project suppresses checks:\n" + "\n".join(found)


# ---------------------------------------------------------------------------------------------
# Catalog: create_all == the DDL


@dataclass
class BothCatalogs:
    dialect: str
    ddl_db: Database  # `schemaforge sql --dialect D` executed
    models_db: Database  # Base.metadata.create_all
    create_all_error: str | None


@pytest.fixture
def both(
    request: pytest.FixtureRequest, generated: GeneratedProjects, schemaforge: Schemaforge, tmp_path: Path
) -> Iterator[BothCatalogs]:
    path, dialect = request.param
    project = generated.get(path, dialect)
    with fresh_database(dialect, tmp_path) as ddl_db, fresh_database(dialect, tmp_path) as models_db:
        ddl_db.run_script(schemaforge.sql(path, dialect).sql)
        error = None
        with loaded_app(project, None) as loaded:
            try:
                loaded.metadata.create_all(models_db.engine)
            except Exception as exc:  # noqa: BLE001 - the failure is the finding
                error = f"Base.metadata.create_all failed on {dialect} ({path.name}):\n{type(exc).__name__}: {exc}"
        yield BothCatalogs(dialect, ddl_db, models_db, error)


def _catalog_params() -> list[object]:
    return [pytest.param((p, d), id=f"{p.stem}-{d}") for p in schema_files() for d in DIALECTS]


@pytest.mark.parametrize("both", _catalog_params(), indirect=True)
def test_create_all_builds_the_catalog_of_the_ddl(both: BothCatalogs) -> None:
    assert both.create_all_error is None, both.create_all_error
    dialect = both.dialect
    expected = catalog(both.ddl_db.engine, dialect)
    actual = catalog(both.models_db.engine, dialect)
    assert expected, "the DDL created no table"
    diff = catalog_diff(expected, actual)
    assert not diff, f"{len(diff)} catalog difference(s), DDL vs create_all on {dialect}:\n" + "\n".join(diff)


@pytest.mark.parametrize("both", _catalog_params(), indirect=True)
def test_create_all_sets_the_server_defaults_of_the_ddl(both: BothCatalogs) -> None:
    assert both.create_all_error is None, both.create_all_error
    diff = catalog_diff(server_defaults(both.ddl_db.engine), server_defaults(both.models_db.engine))
    assert not diff, f"{len(diff)} server default difference(s), DDL vs create_all:\n" + "\n".join(diff)


# ---------------------------------------------------------------------------------------------
# The project's own tests


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_generated_tests_pass(
    generated: GeneratedProjects, tool_env: dict[str, str], tmp_path: Path, path: Path, dialect: str
) -> None:
    project = generated.get(path, dialect)
    assert (project.root / "tests").is_dir(), f"the generator wrote no tests/ for {path.name}"
    with fresh_database(dialect, tmp_path) as db:
        env = dict(tool_env)
        env["DATABASE_URL"] = env["TEST_DATABASE_URL"] = async_url(db, project)
        proc = subprocess.run(
            [str(VENV_BIN / "python"), "-m", "pytest", "-q", "--tb=short", "-rfE", "-p", "no:cacheprovider"],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    assert proc.returncode == 0, (
        f"the generated tests of {path.name} (--db {dialect}) failed on {dialect} ({proc.returncode}):\n"
        f"{proc.stdout[-12000:]}\n{proc.stderr[-3000:]}"
    )
    assert re.search(r"\b\d+ passed\b", proc.stdout), f"no test ran:\n{proc.stdout[-3000:]}"
