"""Two clients race: the generated app (examples/blog.yaml) under a real uvicorn on PostgreSQL and MariaDB,
with requests sent at once from threads. Each test asserts the status codes AND the rows afterwards.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from conftest import Schemaforge, fresh_database, schema_path
from generated_support import async_url
from served_app import fresh_project, project_env, served

pytest_plugins = ["generated_support"]

API = "/api/v1"
DIALECTS = ["postgresql", "mysql"]


def at_once(count: int, call: Callable[[httpx.Client, int], httpx.Response], base: str) -> list[httpx.Response]:
    """`count` requests released together (a barrier), each on a client of its own."""
    barrier = threading.Barrier(count)

    def one(i: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait(timeout=30)
            return call(client, i)

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def statuses(responses: list[httpx.Response]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for r in responses:
        counts[r.status_code] = counts.get(r.status_code, 0) + 1
    return counts


@pytest.fixture(params=DIALECTS)
def app(request: pytest.FixtureRequest, schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path):
    dialect = request.param
    project = fresh_project(schemaforge, schema_path("blog"), dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        with served(project.root, project_env(tool_env, async_url(db, project))) as base:
            yield base, db


def rows(db: Any, sql: str) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def make_post(base: str, tags: int) -> tuple[int, list[int]]:
    with httpx.Client(base_url=base, timeout=30) as client:
        user = client.post(f"{API}/users/", json={"email": "u@x.y", "name": "u", "password_hash": "h"})
        assert user.status_code == 201, user.text
        post = client.post(
            f"{API}/posts/", json={"title": "t", "body": "b", "price": "1.00", "author_id": user.json()["id"]}
        )
        assert post.status_code == 201, post.text
        ids = []
        for i in range(tags):
            tag = client.post(f"{API}/tags/", json={"name": f"tag{i}"})
            assert tag.status_code == 201, tag.text
            ids.append(tag.json()["id"])
        return post.json()["id"], ids


def test_fifty_creates_of_one_unique_value_give_one_201_and_409s(app) -> None:
    base, db = app
    responses = at_once(50, lambda c, i: c.post(f"{API}/tags/", json={"name": "same"}), base)
    assert statuses(responses) == {201: 1, 409: 49}, [r.text[:200] for r in responses if r.status_code >= 500]
    assert rows(db, "SELECT name FROM tag") == [("same",)]


def test_concurrent_adds_of_one_link_all_succeed_and_store_one_row(app) -> None:
    base, db = app
    post, (tag,) = make_post(base, 1)
    responses = at_once(20, lambda c, i: c.post(f"{API}/posts/{post}/tags/{tag}"), base)
    assert statuses(responses) == {204: 20}, [r.text[:200] for r in responses if r.status_code != 204]
    assert rows(db, "SELECT post_id, tag_id FROM post_tags") == [(post, tag)]


def test_concurrent_replacements_of_a_set_leave_exactly_one_of_them(app) -> None:
    base, db = app
    post, tags = make_post(base, 40)
    wanted = [sorted(tags[2 * i : 2 * i + 2]) for i in range(20)]
    responses = at_once(20, lambda c, i: c.patch(f"{API}/posts/{post}", json={"tag_ids": wanted[i]}), base)
    assert statuses(responses) == {200: 20}, [r.text[:200] for r in responses if r.status_code != 200]
    final = sorted(t for (t,) in rows(db, "SELECT tag_id FROM post_tags"))
    assert final in wanted, f"the post ended with {final}, not one of the requested sets"


def test_concurrent_patches_of_one_row_leave_one_of_the_requests(app) -> None:
    base, db = app
    post, _ = make_post(base, 0)
    titles = [f"title {i}" for i in range(20)]
    responses = at_once(
        20, lambda c, i: c.patch(f"{API}/posts/{post}", json={"title": titles[i], "body": titles[i]}), base
    )
    assert statuses(responses) == {200: 20}, [r.text[:200] for r in responses if r.status_code != 200]
    ((title, body),) = rows(db, "SELECT title, body FROM post")
    assert title in titles and body == title, (title, body)
