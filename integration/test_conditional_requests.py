"""Lost updates are refused: two clients that read the same row and both write it with `If-Match` get one
200 and one 412, and the database holds the winner's value; a write based on a stale ETag changes nothing;
`If-None-Match` with the current ETag is a 304 without a body, and any change (a field, a many-to-many
link) changes the ETag. The generated blog app under a real uvicorn on every database.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from conftest import Schemaforge, fresh_database, schema_path
from generated_support import async_url
from served_app import fresh_project, mongo_env, project_env, served

pytest_plugins = ["generated_support"]

API = "/api/v1"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_if_match_refuses_lost_updates(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str
) -> None:
    project = fresh_project(schemaforge, schema_path("blog"), dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/blog.db"
        engine = db.engine if dialect != "sqlite" else sa.create_engine(f"sqlite:///{tmp_path}/blog.db")
        with served(project.root, project_env(tool_env, url)) as base, httpx.Client(base_url=base, timeout=30) as c:
            created = c.post(f"{API}/tags/", json={"name": "first"})
            assert created.status_code == 201 and created.headers["etag"], created.text
            tag = created.headers["location"]
            read = c.get(tag)
            etag = read.headers["etag"]
            assert etag == created.headers["etag"] and etag.startswith('"'), (etag, created.headers)
            assert read.json() == created.json()

            assert "cache-control" not in c.get(f"{API}/tags/").headers  # LIST_MAX_AGE is 0 by default
            not_modified = c.get(tag, headers={"If-None-Match": f'"other", {etag}'})
            assert not_modified.status_code == 304 and not_modified.content == b"", not_modified
            assert not_modified.headers["etag"] == etag
            assert c.get(tag, headers={"If-None-Match": '"other"'}).status_code == 200

            # Two clients read the same version and both write it: one wins, one is told.
            def write(name: str) -> httpx.Response:
                with httpx.Client(base_url=base, timeout=30) as own:
                    return own.patch(tag, json={"name": name}, headers={"If-Match": etag})

            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                responses = list(pool.map(write, ["alice", "bob"]))
            statuses = sorted(r.status_code for r in responses)
            assert statuses == [200, 412], [(r.status_code, r.text) for r in responses]
            winner = next(r for r in responses if r.status_code == 200)
            loser = next(r for r in responses if r.status_code == 412)
            assert loser.headers["content-type"] == "application/problem+json"
            with engine.connect() as conn:
                stored = conn.execute(sa.text("SELECT name FROM tag")).scalars().all()
            assert stored == [winner.json()["name"]], (stored, winner.json())
            assert winner.headers["etag"] != etag

            # A delete based on the old version is refused too; on the current one it goes through.
            assert c.delete(tag, headers={"If-Match": etag}).status_code == 412
            assert c.get(tag).status_code == 200

            # A link changes the representation, so the ETag.
            user = c.post(f"{API}/users/", json={"email": "a@b.c", "name": "A", "password_hash": "h"})
            assert user.status_code == 201, user.text
            post = c.post(
                f"{API}/posts/",
                json={"title": "t", "body": "b", "price": "1.00", "author_id": user.json()["id"]},
            )
            assert post.status_code == 201, post.text
            before = post.headers["etag"]
            link = f"{post.headers['location']}/tags/{created.json()['id']}"
            assert c.post(link).status_code == 204
            after = c.get(post.headers["location"])
            assert after.json()["tags"] == [{"id": created.json()["id"]}]
            assert after.headers["etag"] != before
            assert c.patch(post.headers["location"], json={}, headers={"If-Match": before}).status_code == 412

            # Both sides of the link show it: the tag's own ETag changed as well.
            current = c.get(tag).headers["etag"]
            assert current != winner.headers["etag"]
            assert c.delete(tag, headers={"If-Match": winner.headers["etag"]}).status_code == 412
            assert c.delete(tag, headers={"If-Match": current}).status_code == 204
            with engine.connect() as conn:
                assert conn.execute(sa.text("SELECT COUNT(*) FROM tag")).scalar() == 0


def test_mongodb_reads_carry_etags_and_a_create_its_location(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path
) -> None:
    """The MongoDB app (mongomock, or MONGODB_URL's server): a 201 carries `Location` and the ETag of its
    body; a GET of that location the same ETag; `If-None-Match` with it a 304 without a body; a change (a
    field, a many-to-many link) a new ETag; operation ids are `<tag>-<function>`. (No `If-Match`: without
    a row lock or a transaction the check could not be atomic with the write.)"""
    project = fresh_project(schemaforge, schema_path("blog"), "mongodb", tmp_path)
    with contextlib.ExitStack() as stack:
        env = mongo_env(tool_env, project.root, stack)
        base = stack.enter_context(served(project.root, env, mongo=True))
        with httpx.Client(base_url=base, timeout=30) as c:
            operations = [o["operationId"] for item in c.get("/openapi.json").json()["paths"].values() for o in item.values()]
            assert "tags-create_tag" in operations and all(len(o) < 40 for o in operations), operations
            created = c.post(f"{API}/tags/", json={"name": "first"})
            assert created.status_code == 201 and created.headers["etag"].startswith('"'), created.text
            tag = created.headers["location"]
            assert tag == f"{API}/tags/{created.json()['id']}"
            read = c.get(tag)
            etag = read.headers["etag"]
            assert etag == created.headers["etag"] and read.json() == created.json()
            not_modified = c.get(tag, headers={"If-None-Match": f'"other", {etag}'})
            assert not_modified.status_code == 304 and not_modified.content == b"", not_modified
            assert c.get(tag, headers={"If-None-Match": '"other"'}).status_code == 200
            changed = c.patch(tag, json={"name": "second"})
            assert changed.status_code == 200 and changed.headers["etag"] not in (etag, None)
            assert c.get(tag, headers={"If-None-Match": etag}).status_code == 200

            user = c.post(f"{API}/users/", json={"email": "a@b.c", "name": "A", "password_hash": "h"})
            assert user.status_code == 201, user.text
            post = c.post(f"{API}/posts/", json={"title": "t", "body": "b", "price": "1.00", "author_id": user.json()["id"]})
            assert post.status_code == 201, post.text
            before = post.headers["etag"]
            assert c.post(f"{post.headers['location']}/tags/{created.json()['id']}").status_code == 204
            after = c.get(post.headers["location"])
            assert after.json()["tags"] == [{"id": created.json()["id"]}] and after.headers["etag"] != before
