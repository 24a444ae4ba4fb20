"""The Alembic side of a generated project, on real databases: the initial revision builds the same
catalog as `schemaforge sql`, `alembic check` then finds nothing to do (models and migrations agree),
`downgrade base` removes everything (PostgreSQL enum types included) and `upgrade head` works again;
offline SQL (`--sql`) renders for PostgreSQL and MySQL; regenerating a project keeps its migration
history once later revisions exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import Database, Schemaforge
from generated_support import catalog, catalog_diff

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DIALECTS = ["sqlite", "postgresql", "mysql"]
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "mysql": "mysql+aiomysql"}
VENV_BIN = Path(sys.executable).parent


def generate(schemaforge_bin: Path, schema: Path, out: Path, dialect: str) -> Path:
    result = subprocess.run(
        [str(schemaforge_bin), "generate", str(schema), "--out", str(out), "--db", dialect],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def alembic(project: Path, db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    url = db.engine.url.set(drivername=ASYNC_DRIVERS[db.dialect])
    if db.dialect == "mysql":
        url = url.update_query_dict({"charset": "utf8mb4"})
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL", "PYTHONPATH"}}
    env["DATABASE_URL"] = url.render_as_string(hide_password=False)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(VENV_BIN / "alembic"), *args], cwd=project, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_initial_revision_upgrade_check_downgrade(
    example: Path, dialect: str, schemaforge_bin: Path, schemaforge: Schemaforge, fresh_db, tmp_path: Path
) -> None:
    project = generate(schemaforge_bin, example, tmp_path / "project", dialect)
    migrated = fresh_db(dialect)
    up = alembic(project, migrated, "upgrade", "head")
    assert up.returncode == 0, up.stderr

    # The migrated database has the catalog of the DDL (alembic_version aside).
    reference = fresh_db(dialect)
    reference.run_script(schemaforge.sql(example, dialect).sql)
    expected = catalog(reference.engine, dialect)
    actual = catalog(migrated.engine, dialect)
    actual.pop("alembic_version", None)
    assert catalog_diff(expected, actual) == [], "\n".join(catalog_diff(expected, actual))

    check = alembic(project, migrated, "check")
    assert check.returncode == 0 and "No new upgrade operations detected" in check.stdout + check.stderr, check.stdout + check.stderr

    down = alembic(project, migrated, "downgrade", "base")
    assert down.returncode == 0, down.stderr
    assert set(sa.inspect(migrated.engine).get_table_names()) == {"alembic_version"}
    if dialect == "postgresql":
        assert migrated.rows("SELECT typname FROM pg_type WHERE typtype = 'e'") == [], "enum types left behind"

    again = alembic(project, migrated, "upgrade", "head")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_offline_sql(example: Path, dialect: str, schemaforge_bin: Path, fresh_db, tmp_path: Path) -> None:
    project = generate(schemaforge_bin, example, tmp_path / "project", dialect)
    result = alembic(project, fresh_db(dialect), "upgrade", "head", "--sql")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("CREATE TABLE") >= 2
    assert "INSERT INTO alembic_version" in result.stdout


def test_regenerating_keeps_the_migration_history(schemaforge_bin: Path, tmp_path: Path) -> None:
    example = ROOT / "examples" / "blog.yaml"
    project = generate(schemaforge_bin, example, tmp_path / "project", "sqlite")
    initial = (project / "migrations/versions/0001_initial.py").read_text()
    snapshot = (project / "migrations/schema.snapshot.json").read_text()
    # A later revision exists (as `schemaforge migrate` would write), then the schema changes.
    (project / "migrations/versions/0002_later.py").write_text('"""later"""\n')
    changed = tmp_path / "blog.yaml"
    changed.write_text(example.read_text().replace("bio: {type: text, nullable: true}", "bio: {type: text, nullable: true}\n      motto: text?"))
    generate(schemaforge_bin, changed, project, "sqlite")
    assert (project / "migrations/versions/0001_initial.py").read_text() == initial
    assert (project / "migrations/schema.snapshot.json").read_text() == snapshot
    assert "motto" in (project / "app/models/user.py").read_text()
