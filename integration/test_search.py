"""Full-text search (`search:`) on SQLite, PostgreSQL and MariaDB, over a real uvicorn.

A table with rows gains `search:` through `migrate`: the migration indexes the rows it finds and
`alembic check` stays clean. Then `?q=`: the matches only, best first (more occurrences rank
higher everywhere; a match in the first field ranks higher on PostgreSQL and SQLite, which stem
English); combined with a filter and a count; with `sort` the matches page by cursor, every one
exactly once; without it a cursor is a 400. Writes keep the index in step (an update, a delete).
Whitespace finds nothing, a NUL or an overlong `q` is a 422. The downgrade removes what the search
added and keeps the rows; the upgrade after it searches them again.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from conftest import Schemaforge, fresh_database
from generated_support import VENV_BIN, async_url
from served_app import fresh_project, project_env, served

pytest_plugins = ["generated_support"]

V1 = """\
schema: 1
name: articles
entities:
  Article:
    fields:
      title: {type: string, length: 200}
      body: text
      section: {type: string, length: 20, index: true}
"""
V2 = V1.replace("  Article:\n", "  Article:\n    search: [title, body]\n")
URL = "/api/v1/articles/"

ROWS = [
    # Two occurrences of "orchard": the best match everywhere.
    {"title": "Orchard diaries", "body": "Pruning the orchard before spring.", "section": "garden"},
    # One, in the title.
    {"title": "Orchard tools", "body": "Ladders and baskets.", "section": "tools"},
    # One, in the body.
    {"title": "Autumn notes", "body": "Apples from the orchard.", "section": "garden"},
    # "gardens" stems to "garden" in English (PostgreSQL, SQLite).
    {"title": "Walled gardens", "body": "Brick and ivy.", "section": "garden"},
    {"title": "Kitchen shelves", "body": "Jars of pickles.", "section": "house"},
]


def alembic(root: Path, env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        [str(VENV_BIN / "alembic"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=180,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, f"alembic {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


def titles(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()["data"]]


def search_objects(engine: sa.Engine, dialect: str) -> set[str]:
    """What the search added, as the database's catalog shows it."""
    inspector = sa.inspect(engine)
    found: set[str] = set()
    if dialect == "sqlite":
        found |= {t for t in inspector.get_table_names() if "search" in t}
    else:
        found |= {c["name"] for c in inspector.get_columns("article") if "search" in c["name"]}
        found |= {str(i["name"]) for i in inspector.get_indexes("article") if "search" in str(i["name"])}
    return found


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_search_added_to_a_table_with_rows(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str
) -> None:
    schema = tmp_path / "articles.yaml"
    schema.write_text(V1)
    project = fresh_project(schemaforge, schema, dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        env = project_env(tool_env, async_url(db, project))
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            ids = {}
            for row in ROWS:
                created = client.post(URL, json=row)
                assert created.status_code == 201, created.text
                ids[row["title"]] = created.json()["id"]
        assert search_objects(db.engine, dialect) == set()

        schema.write_text(V2)
        schemaforge.run("migrate", schema, "--out", project.root, "-m", "search")
        schemaforge.run("generate", schema, "--out", project.root)
        alembic(project.root, env, "upgrade", "head")
        assert "No new upgrade operations detected" in alembic(project.root, env, "check")
        assert search_objects(db.engine, dialect), "the migration added the search"

        with served(project.root, env, upgrade=False) as base, httpx.Client(base_url=base, timeout=30) as client:
            check_search(client, dialect, ids)

        alembic(project.root, env, "downgrade", "-1")
        assert search_objects(db.engine, dialect) == set(), "the downgrade removed what the search added"
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT COUNT(*) FROM article")).scalar_one() == len(ROWS) - 1
        alembic(project.root, env, "upgrade", "head")
        with served(project.root, env, upgrade=False) as base, httpx.Client(base_url=base, timeout=30) as client:
            assert titles(client.get(URL, params={"q": "pickles"})) == ["Kitchen shelves"], "rows indexed again"


def check_search(client: httpx.Client, dialect: str, ids: dict[str, Any]) -> None:
    found = titles(client.get(URL, params={"q": "orchard"}))
    assert set(found) == {"Orchard diaries", "Orchard tools", "Autumn notes"}, found
    assert found[0] == "Orchard diaries", "two occurrences rank above one"
    if dialect != "mysql":
        assert found[1] == "Orchard tools", "a match in the first field ranks above one in the second"
        assert titles(client.get(URL, params={"q": "gardens"})) == ["Walled gardens"]
        assert titles(client.get(URL, params={"q": "garden"})) == ["Walled gardens"], "stemmed"
    assert titles(client.get(URL, params={"q": "orchard", "section": "garden"}))[0] == "Orchard diaries"
    assert set(titles(client.get(URL, params={"q": "orchard", "section": "garden"}))) == {"Orchard diaries", "Autumn notes"}
    counted = client.get(URL, params={"q": "orchard", "count": "true", "limit": 1})
    assert counted.json()["count"] == 3 and len(counted.json()["data"]) == 1
    assert counted.json()["next_cursor"] is None, "a ranked page has no cursor"

    # With a sort the matches page by cursor: each exactly once, in the sort's order.
    seen: list[str] = []
    params: dict[str, Any] = {"q": "orchard", "sort": "title", "limit": 1}
    while True:
        page = client.get(URL, params=params)
        seen += titles(page)
        if page.json()["next_cursor"] is None:
            break
        params["cursor"] = page.json()["next_cursor"]
    assert seen == sorted(["Orchard diaries", "Orchard tools", "Autumn notes"])
    refused = client.get(URL, params={"q": "orchard", "cursor": params["cursor"]})
    assert refused.status_code == 400 and "sort" in refused.json()["detail"]

    # Writes keep the index in step.
    patched = client.patch(f"{URL}{ids['Kitchen shelves']}", json={"body": "Jars of pickles and quince."})
    assert patched.status_code == 200, patched.text
    assert titles(client.get(URL, params={"q": "quince"})) == ["Kitchen shelves"]
    assert client.delete(f"{URL}{ids['Orchard tools']}").status_code == 204
    assert "Orchard tools" not in titles(client.get(URL, params={"q": "orchard"}))

    assert titles(client.get(URL, params={"q": "   "})) == []
    assert titles(client.get(URL, params={"q": '"unbalanced AND ( * -'})) == [] or dialect == "mysql"
    assert client.get(URL, params={"q": "a\x00b"}).status_code == 422
    assert client.get(URL, params={"q": "x" * 201}).status_code == 422
