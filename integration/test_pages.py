"""Keyset pages under a real uvicorn on every database: a walk by `next_cursor` serves every row exactly
once and in order, with ties and NULLs on the sort key, while other clients insert and delete rows
between its pages; a cursor is only good for its own sort (400 otherwise: the OpenAPI can say what a
cursor looks like, not which ones the list issued); `count` is there only when asked for; the
offset is bounded; SQLite's own CURRENT_TIMESTAMP values page like the app's own instants; LIST_MAX_AGE
becomes the lists' Cache-Control.
"""

from __future__ import annotations

import base64
import contextlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import Schemaforge, fresh_database
from generated_support import async_url
from served_app import fresh_project, mongo_env, project_env, served

pytest_plugins = ["generated_support"]

SCHEMA = """\
schema: 1
name: ledger
enums:
  Kind: [credit, debit, refund]
entities:
  Entry:
    timestamps: true
    fields:
      label: {type: string, max_length: 40}
      score: {type: int, nullable: true, index: true}
      kind: Kind
      booked: {type: datetime, nullable: true}
"""

URL = "/api/v1/entries/"


def walk(c: httpx.Client, sort: str, limit: int, between: Any = None) -> list[int]:
    """The ids of every page by cursor; `between(page_number)` runs after each page."""
    ids: list[int] = []
    params: dict[str, Any] = {"sort": sort, "limit": limit}
    for number in range(500):
        page = c.get(URL, params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["count"] is None, "the count is computed only when asked for"
        ids += [row["id"] for row in body["data"]]
        if body["next_cursor"] is None:
            return ids
        if between is not None:
            between(number)
        params = {"sort": sort, "limit": limit, "cursor": body["next_cursor"]}
    raise AssertionError("no last page")


def walk_while_others_write(c: httpx.Client, before: list[Any]) -> None:
    """Other clients write between the pages of a walk by `score` (`before`: the ids in that order): a row
    inserted before the walk's position is not served, one inserted after it is served once, a row deleted
    ahead is not served; none repeats."""
    deleted = before[-3]
    added: dict[str, Any] = {}

    def write(page_number: int) -> None:
        if page_number == 1:
            added["behind"] = c.post(URL, json={"label": "behind", "score": -1, "kind": "debit"}).json()["id"]
            added["ahead"] = c.post(URL, json={"label": "ahead", "score": 3, "kind": "debit"}).json()["id"]
            assert c.delete(f"{URL}{deleted}").status_code == 204

    walked = walk(c, "score", 4, between=write)
    assert len(walked) == len(set(walked)), f"a row was served twice: {walked}"
    assert added["behind"] not in walked and added["ahead"] in walked and deleted not in walked
    assert set(walked) == set(before) - {deleted} | {added["ahead"]}


def key(row: dict[str, Any], field: str, descending: bool) -> tuple[Any, ...]:
    """The documented order: NULLs last in both directions, then the id, in the sort's direction."""
    value, ident = row[field], row["id"]
    if descending:
        return (value is None, _neg(value), -ident)
    return (value is None, value if value is not None else 0, ident)


def _neg(value: Any) -> Any:
    return -value if isinstance(value, int) else 0


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_cursor_pages(schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str) -> None:
    schema = tmp_path / "ledger.yaml"
    schema.write_text(SCHEMA)
    project = fresh_project(schemaforge, schema, dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/ledger.db"
        env = project_env(tool_env, url, list_max_age=30)
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as c:
            kinds = ["credit", "debit", "refund"]
            for i in range(23):
                # Ties: five scores for 23 rows, and NULLs; `booked` mixes NULLs and whole seconds.
                body = {"label": f"e{i}", "score": None if i % 6 == 5 else i % 5, "kind": kinds[i % 3]}
                if i % 4:
                    body["booked"] = f"2026-01-0{1 + i % 3}T10:00:00Z"
                assert c.post(URL, json=body).status_code == 201
            listed = c.get(URL, params={"limit": 200, "count": "true"})
            assert listed.headers["cache-control"] == "private, max-age=30"  # LIST_MAX_AGE
            rows = listed.json()
            assert rows["count"] == 23 and rows["next_cursor"] is None
            for sort in ("score", "-score"):
                expected = [r["id"] for r in sorted(rows["data"], key=lambda r: key(r, "score", sort.startswith("-")))]
                for limit in (1, 4, 23, 24):
                    assert walk(c, sort, limit) == expected, (sort, limit)
            for sort in ("kind", "-kind", "booked", "-booked", "created_at", "-created_at", "label", "-id"):
                one_page = [r["id"] for r in c.get(URL, params={"sort": sort, "limit": 200}).json()["data"]]
                assert sorted(one_page) == sorted(r["id"] for r in rows["data"]), sort
                assert walk(c, sort, 3) == one_page, sort

            walk_while_others_write(c, [r["id"] for r in sorted(rows["data"], key=lambda r: key(r, "score", False))])

            # A cursor is only good for its own sort, and for values of its columns' types.
            cursor = c.get(URL, params={"sort": "score", "limit": 2}).json()["next_cursor"]
            forged = base64.urlsafe_b64encode(json.dumps(["score", ["x", 1]]).encode()).decode().rstrip("=")
            short = base64.urlsafe_b64encode(json.dumps(["score", [1]]).encode()).decode().rstrip("=")
            nul = base64.urlsafe_b64encode(json.dumps(["label", ["a\u0000", 1]]).encode()).decode().rstrip("=")
            for params, status in (
                ({"sort": "-score", "cursor": cursor}, 400),
                ({"cursor": "bm90IGpzb24"}, 400),
                ({"cursor": forged}, 400),
                ({"cursor": short, "sort": "score"}, 400),
                ({"cursor": nul, "sort": "label"}, 400),
                ({"cursor": "not*base64"}, 422),
                ({"offset": 10_001}, 422),
            ):
                response = c.get(URL, params=params)
                assert response.status_code == status, (params, response.text)
                assert response.headers["content-type"] == "application/problem+json"
            assert c.get(URL, params={"offset": 10_000}).json()["data"] == []
            assert c.get(URL, params={"count": "true"}).json()["count"] == 23 - 1 + 2


def test_cursor_pages_on_mongodb(schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path) -> None:
    """The same walks on the MongoDB target (mongomock, or the MONGODB_URL server): every document once, in
    MongoDB's order (null first ascending, last descending; then `_id` in the sort's direction), while other
    clients write between pages; a cursor of another sort, a forged one, or one holding an operator is a 400."""
    schema = tmp_path / "ledger.yaml"
    schema.write_text(SCHEMA)
    project = fresh_project(schemaforge, schema, "mongodb", tmp_path)
    with contextlib.ExitStack() as stack:
        env = mongo_env(tool_env, project.root, stack) | {"LIST_MAX_AGE": "30"}
        base = stack.enter_context(served(project.root, env, mongo=True))
        c = stack.enter_context(httpx.Client(base_url=base, timeout=30))
        kinds = ["credit", "debit", "refund"]
        for i in range(23):
            body = {"label": f"e{i}", "score": None if i % 6 == 5 else i % 5, "kind": kinds[i % 3]}
            if i % 4:
                body["booked"] = f"2026-01-0{1 + i % 3}T10:00:00Z"
            assert c.post(URL, json=body).status_code == 201
        listed = c.get(URL, params={"limit": 200, "count": "true"})
        assert listed.headers["cache-control"] == "private, max-age=30"  # LIST_MAX_AGE
        rows = listed.json()
        assert rows["count"] == 23 and rows["next_cursor"] is None

        def mongo_order(field: str, descending: bool) -> list[str]:
            ascending = sorted(
                rows["data"], key=lambda r: (r[field] is not None, r[field] if r[field] is not None else 0, r["id"])
            )
            return [r["id"] for r in (reversed(ascending) if descending else ascending)]

        for sort in ("score", "-score"):
            for limit in (1, 4, 23, 24):
                assert walk(c, sort, limit) == mongo_order("score", sort.startswith("-")), (sort, limit)
        for sort in ("kind", "-kind", "booked", "-booked", "created_at", "-created_at", "label", "-id"):
            one_page = [r["id"] for r in c.get(URL, params={"sort": sort, "limit": 200}).json()["data"]]
            assert sorted(one_page) == sorted(r["id"] for r in rows["data"]), sort
            assert walk(c, sort, 3) == one_page, sort

        walk_while_others_write(c, mongo_order("score", False))

        cursor = c.get(URL, params={"sort": "score", "limit": 2}).json()["next_cursor"]

        def encoded(value: Any) -> str:
            return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

        oid = {"$oid": "0" * 24}
        for params, status in (
            ({"sort": "-score", "cursor": cursor}, 400),
            ({"cursor": "bm90IGpzb24"}, 400),
            ({"cursor": encoded(["score", ["x", 1]]), "sort": "score"}, 400),
            ({"cursor": encoded(["score", [1]]), "sort": "score"}, 400),
            # An operator where a value belongs would change the query: refused.
            ({"cursor": encoded(["score", [{"$ne": None}, oid]]), "sort": "score"}, 400),
            ({"cursor": encoded(["score", [[1], oid]]), "sort": "score"}, 400),
            ({"cursor": "not*base64"}, 422),
        ):
            response = c.get(URL, params=params)
            assert response.status_code == status, (params, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        assert c.get(URL, params={"count": "true"}).json()["count"] == 23 - 1 + 2
