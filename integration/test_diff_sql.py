"""`schemaforge diff OLD NEW --format sql` on real databases: the evolution series (integration/evolution/)
applied as plain SQL scripts, one step after another, to a database created from the first version's DDL,
with rows in the tables.

After every step the catalog equals the one `schemaforge sql` creates for that version from scratch (except
column positions: a column added later comes last), and the rows keep their values through renames, type
changes, backfills and enum relabelling: the same checks as the Alembic evolution test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import Database, Schemaforge, split_sql
from generated_support import catalog_diff
from test_migration_evolution import (
    VERSIONS,
    DatabaseRows,
    check_data,
    positionless_catalog,
    seed,
)


def run_script(db: Database, script: str) -> None:
    """Runs the script the way psql, mysql or sqlite3 would: statement by statement, in autocommit mode
    (the script carries its own BEGIN/COMMIT where it wants one). `PRAGMA foreign_key_check` must find
    nothing."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for statement in split_sql(script, backslash_escapes=db.dialect == "mysql"):
            try:
                result = conn.exec_driver_sql(statement)
            except Exception as exc:  # noqa: BLE001 - reported with the statement
                raise AssertionError(
                    f"{db.dialect}: statement failed: {exc}\n---\n{statement}\n---"
                ) from exc
            if statement.startswith("PRAGMA foreign_key_check"):
                assert result.fetchall() == [], (
                    f"foreign keys broken by the script:\n{script}"
                )


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_sql_scripts_evolve_the_database_with_its_rows(
    dialect: str, schemaforge: Schemaforge, fresh_db: Any
) -> None:
    db = fresh_db(dialect)
    db.run_script(schemaforge.sql(VERSIONS[0], dialect).sql)
    p = DatabaseRows(db)
    user = "`user`" if dialect == "mysql" else '"user"'
    p.execute(
        f"INSERT INTO {user} (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', 'Bob')"
    )
    p.execute(
        "INSERT INTO post (id, title, body, status, author_id) VALUES "
        "(1, 'First', 'one', 'published', 1), (2, 'Second', 'two', 'draft', 1), (3, 'Third', 'three', 'published', 2)"
    )
    for previous, version in zip(VERSIONS, VERSIONS[1:]):
        script = schemaforge.run(
            "diff", previous, version, "--format", "sql", "--dialect", dialect
        ).stdout
        run_script(db, script)
        expected = fresh_db(dialect)
        expected.run_script(schemaforge.sql(version, dialect).sql)
        diff = catalog_diff(positionless_catalog(expected), positionless_catalog(db))
        assert diff == [], (
            f"{version.stem}: the script's catalog differs from the DDL's:\n"
            + "\n".join(diff)
            + "\n"
            + script
        )
        check_data(p, version.stem, dialect)
        seed(p, version.stem, dialect)


def test_sql_script_of_no_change_says_so(
    schemaforge: Schemaforge, tmp_path: Path
) -> None:
    out = schemaforge.run(
        "diff", VERSIONS[0], VERSIONS[0], "--format", "sql", "--dialect", "postgresql"
    ).stdout
    assert "No changes." in out
    assert split_sql(out) == []


ENUM_V1 = """\
schema: 1
name: shades
enums:
  Shade: [red, blue, green]
entities:
  Thing:
    fields:
      name: string(20)
      shade: { type: Shade, nullable: true }
      tone: Shade
      kept: { type: Shade, default: green }
"""


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_removing_an_enum_value_moves_its_rows_to_null_the_default_or_the_first_value(
    dialect: str, schemaforge: Schemaforge, fresh_db: Any, tmp_path: Path
) -> None:
    """Rows holding a removed value: a nullable column without a default gets NULL, a column with a
    default gets it, a NOT NULL column without one gets the first value left; other rows are untouched."""
    v1, v2 = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    v1.write_text(ENUM_V1)
    v2.write_text(ENUM_V1.replace("[red, blue, green]", "[red, green]"))
    db = fresh_db(dialect)
    db.run_script(schemaforge.sql(v1, dialect).sql)
    p = DatabaseRows(db)
    p.execute(
        "INSERT INTO thing (id, name, shade, tone, kept) VALUES "
        "(1, 'a', 'blue', 'blue', 'blue'), (2, 'b', 'red', 'red', 'red'), (3, 'c', NULL, 'green', 'green')"
    )
    run_script(db, schemaforge.run("diff", v1, v2, "--format", "sql", "--dialect", dialect).stdout)
    assert p.rows("SELECT id, shade, tone, kept FROM thing ORDER BY id") == [
        (1, None, "red", "green"),
        (2, "red", "red", "red"),
        (3, None, "green", "green"),
    ]
