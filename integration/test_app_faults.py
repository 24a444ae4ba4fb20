"""Failures are features: the generated app (examples/blog.yaml) under a real uvicorn when COMMIT fails,
a connection is killed mid-request, the pool is exhausted, a statement stalls, the database stops and
comes back, or a body is too large. Each test asserts the status codes AND what the database holds
afterwards. Every server runs on 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import concurrent.futures
import os
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from conftest import INTEGRATION_DIR, Schemaforge, fresh_database, schema_path
from generated_support import async_url
from served_app import fresh_project, project_env, served, server_log

pytest_plugins = ["generated_support"]

API = "/api/v1"
PROBLEM = "application/problem+json"


def problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, f"expected {status}, got {response.status_code} {response.text[:500]}"
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status and body["title"], body
    return body


def tag_names(db_engine: sa.Engine) -> list[str]:
    with db_engine.connect() as conn:
        return sorted(conn.execute(sa.text("SELECT name FROM tag")).scalars())


@pytest.fixture
def blog(schemaforge: Schemaforge, tmp_path: Path):
    def make(dialect: str):
        return fresh_project(schemaforge, schema_path("blog"), dialect, tmp_path)

    return make


# ---------------------------------------------------------------------------------------------
# A COMMIT that fails is never acknowledged


def test_a_write_whose_commit_fails_is_not_acknowledged(blog, tool_env, tmp_path: Path) -> None:
    """The unique constraint is made DEFERRABLE INITIALLY DEFERRED: the duplicate INSERT succeeds and
    the COMMIT fails. Committing after the response (FastAPI >= 0.118 runs that code after sending it)
    answered 201 here; the app must answer 409 and store nothing. A trigger that fails at COMMIT gets
    503 (the database failed, not the request)."""
    project = blog("postgresql")
    with fresh_database("postgresql", tmp_path) as db:
        env = project_env(tool_env, async_url(db, project))
        with served(project.root, env) as base:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(
                    "ALTER TABLE tag DROP CONSTRAINT uq_tag_name, "
                    "ADD CONSTRAINT uq_tag_name UNIQUE (name) DEFERRABLE INITIALLY DEFERRED"
                )
                conn.exec_driver_sql(
                    "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "IF NEW.name = 'boom' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$"
                )
                conn.exec_driver_sql(
                    "CREATE CONSTRAINT TRIGGER boom AFTER INSERT ON tag DEFERRABLE INITIALLY DEFERRED "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
                )
            with httpx.Client(base_url=base, timeout=30) as client:
                first = client.post(f"{API}/tags/", json={"name": "dup"})
                assert first.status_code == 201, first.text
                # Read-after-write: the 201 means committed, so another connection sees it at once.
                assert client.get(first.headers["location"]).status_code == 200
                body = problem(client.post(f"{API}/tags/", json={"name": "dup"}), 409)
                assert body["errors"][0]["loc"] == ["body", "name"], body
                problem(client.post(f"{API}/tags/", json={"name": "boom"}), 503)
                assert client.get(f"{API}/tags/?count=true").json()["count"] == 1
            assert tag_names(db.engine) == ["dup"], server_log(project.root)


def test_a_write_whose_commit_fails_on_sqlite_is_not_acknowledged(blog, tool_env, tmp_path: Path) -> None:
    """SQLite checks a DEFERRABLE INITIALLY DEFERRED foreign key at COMMIT: a trigger on `tag` inserts a
    row that violates one, so the INSERT succeeds and the COMMIT fails. The app must answer 409, store
    neither the tag nor the trigger's row, and take the next write (MariaDB has no deferred constraints:
    no such test there)."""
    project = blog("sqlite")
    path = tmp_path / "commit.db"
    with served(project.root, project_env(tool_env, f"sqlite+aiosqlite:///{path}")) as base:
        engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE guard_parent (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql(
                "CREATE TABLE guard_child (parent_id INTEGER REFERENCES guard_parent (id) DEFERRABLE INITIALLY DEFERRED)"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER boom AFTER INSERT ON tag WHEN NEW.name = 'boom' "
                "BEGIN INSERT INTO guard_child (parent_id) VALUES (999); END"
            )
        with httpx.Client(base_url=base, timeout=30) as client:
            # An integrity error found at COMMIT: 409, and the next write is not locked out (the failed
            # COMMIT left SQLite's transaction open until the session rolled it back).
            problem(client.post(f"{API}/tags/", json={"name": "boom"}), 409)
            created = client.post(f"{API}/tags/", json={"name": "fine"})
            assert created.status_code == 201, created.text
            assert client.get(f"{API}/tags/?count=true").json()["count"] == 1
        assert tag_names(engine) == ["fine"], server_log(project.root)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM guard_child").scalar_one() == 0


def test_sqlite_reads_go_on_while_a_writer_holds_the_lock(blog, tool_env, tmp_path: Path) -> None:
    """On SQLite the GET routes take no write lock and the file is in WAL mode: while another connection
    holds the write lock (a long import, another worker), a GET answers at once with the last commit,
    a POST waits STATEMENT_TIMEOUT and answers 503 with nothing stored, and once the lock is released
    the POST goes through and the next GET sees it."""
    project = blog("sqlite")
    path = tmp_path / "locked.db"
    env = project_env(tool_env, f"sqlite+aiosqlite:///{path}", statement_timeout=1)
    with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.post(f"{API}/tags/", json={"name": "before"}).status_code == 201
        other = sqlite3.connect(path, isolation_level=None, timeout=1)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO tag (name) VALUES ('uncommitted')")
            started = time.monotonic()
            listed = client.get(f"{API}/tags/?count=true")
            assert listed.status_code == 200, listed.text
            assert [t["name"] for t in listed.json()["data"]] == ["before"], "a read saw an uncommitted row"
            assert time.monotonic() - started < 0.9, "a read waited for the write lock"
            problem(client.post(f"{API}/tags/", json={"name": "blocked"}), 503)
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert client.post(f"{API}/tags/", json={"name": "after"}).status_code == 201
        names = [t["name"] for t in client.get(f"{API}/tags/").json()["data"]]
        assert sorted(names) == ["after", "before"], names


def test_every_2xx_write_is_visible_to_the_next_read(blog, tool_env, tmp_path: Path) -> None:
    """Read-after-write on another connection, 300 times per database: no 404 after a 201."""
    for dialect in ("postgresql", "sqlite"):
        project = blog(dialect)
        with fresh_database(dialect, tmp_path) as db:
            url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/rw.db"
            with served(project.root, project_env(tool_env, url)) as base:
                with httpx.Client(base_url=base, timeout=30) as writer, httpx.Client(base_url=base, timeout=30) as reader:
                    misses = 0
                    for i in range(300):
                        created = writer.post(f"{API}/tags/", json={"name": f"t{i}"})
                        assert created.status_code == 201, created.text
                        misses += reader.get(created.headers["location"]).status_code != 200
                    assert misses == 0, f"{dialect}: {misses} reads after a 201 missed the row"


# ---------------------------------------------------------------------------------------------
# A connection killed mid-request


def _kill_waiting_backend(dialect: str, admin: sa.Connection, db_name: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if dialect == "postgresql":
            pids = admin.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock' "
                    "AND query ILIKE 'INSERT INTO tag%'"
                ),
                {"db": db_name},
            ).scalars().all()
            for pid in pids:
                admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            rows = admin.exec_driver_sql("SHOW FULL PROCESSLIST").all()
            pids = [r[0] for r in rows if r[3] == db_name and r[7] and str(r[7]).upper().startswith("INSERT INTO")]
            for pid in pids:
                admin.exec_driver_sql(f"KILL {int(pid)}")
        if pids:
            return
        time.sleep(0.1)
    raise AssertionError("the request never reached the database")


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_a_connection_killed_mid_request_answers_503_and_the_app_recovers(
    blog, tool_env, tmp_path: Path, dialect: str
) -> None:
    project = blog(dialect)
    with fresh_database(dialect, tmp_path) as db:
        env = project_env(tool_env, async_url(db, project))
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            assert client.post(f"{API}/tags/", json={"name": "before"}).status_code == 201
            locker = db.engine.connect()
            lock = locker.begin()
            if dialect == "postgresql":
                locker.exec_driver_sql("LOCK TABLE tag IN ACCESS EXCLUSIVE MODE")
            else:
                locker.exec_driver_sql("LOCK TABLES tag WRITE")
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                pending = pool.submit(client.post, f"{API}/tags/", json={"name": "killed"})
                admin_engine = sa.create_engine(db.engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
                with admin_engine.connect() as admin:
                    _kill_waiting_backend(dialect, admin, db.name)
                admin_engine.dispose()
                response = pending.result(timeout=30)
            if dialect == "mysql":
                locker.exec_driver_sql("UNLOCK TABLES")
            lock.rollback()
            locker.close()
            problem(response, 503)
            assert response.headers.get("retry-after"), response.headers
            # The pool replaces the dead connection: the next requests succeed.
            assert client.get(f"{API}/tags/").status_code == 200
            assert client.post(f"{API}/tags/", json={"name": "after"}).status_code == 201
        assert tag_names(db.engine) == ["after", "before"]


# ---------------------------------------------------------------------------------------------
# Pool exhausted, statement stalled


def test_an_exhausted_pool_and_a_stalled_statement_answer_503_within_their_timeouts(
    blog, tool_env, tmp_path: Path
) -> None:
    project = blog("postgresql")
    with fresh_database("postgresql", tmp_path) as db:
        env = project_env(
            tool_env, async_url(db, project), pool_size=1, max_overflow=0, pool_timeout=1, statement_timeout=3
        )
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            locker = db.engine.connect()
            lock = locker.begin()
            locker.exec_driver_sql("LOCK TABLE tag IN ACCESS EXCLUSIVE MODE")
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                started = time.monotonic()
                stalled = pool.submit(client.post, f"{API}/tags/", json={"name": "stalled"})
                time.sleep(0.5)  # the stalled request holds the only connection
                waited = time.monotonic()
                problem(client.get(f"{API}/users/"), 503)
                assert time.monotonic() - waited < 2.5, "the pool wait was not bounded by POOL_TIMEOUT"
                problem(stalled.result(timeout=30), 503)
                assert time.monotonic() - started < 6, "the stalled statement was not bounded by STATEMENT_TIMEOUT"
            lock.rollback()
            locker.close()
            assert client.post(f"{API}/tags/", json={"name": "later"}).status_code == 201
        assert tag_names(db.engine) == ["later"]


# ---------------------------------------------------------------------------------------------
# The database stops and comes back


@pytest.fixture
def own_postgres(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A PostgreSQL cluster of this test's own on a free port (it is stopped and restarted)."""
    from served_app import free_port

    env = dict(os.environ, SF_PG_PORT=str(free_port()), SF_PG_DIR=f"/tmp/sf-pg-fault-{uuid.uuid4().hex[:6]}")
    script = str(INTEGRATION_DIR / "servers.sh")
    subprocess.run(["bash", script, "start-pg"], env=env, check=True, timeout=120, stdin=subprocess.DEVNULL)
    try:
        yield env
    finally:
        subprocess.run(["bash", script, "stop-pg"], env=env, check=False, timeout=120, stdin=subprocess.DEVNULL)


def test_database_down_answers_503_quickly_and_the_app_serves_again_when_it_returns(
    blog, tool_env, own_postgres: dict[str, str]
) -> None:
    project = blog("postgresql")
    port = own_postgres["SF_PG_PORT"]
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres"
    env = project_env(tool_env, url, connect_timeout=2, pool_timeout=2)
    script = str(INTEGRATION_DIR / "servers.sh")
    with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.post(f"{API}/tags/", json={"name": "kept"}).status_code == 201
        subprocess.run(["bash", script, "pause-pg"], env=own_postgres, check=True, timeout=60)
        for path in (f"{API}/tags/", f"{API}/tags/1"):
            started = time.monotonic()
            body = problem(client.get(path), 503)
            assert time.monotonic() - started < 5, f"GET {path} took {time.monotonic() - started:.1f}s"
            assert body["detail"] and "Traceback" not in body["detail"]
        problem(client.post(f"{API}/tags/", json={"name": "lost"}), 503)
        subprocess.run(["bash", script, "start-pg"], env=own_postgres, check=True, timeout=120)
        deadline = time.monotonic() + 15
        while (response := client.get(f"{API}/tags/")).status_code != 200:
            assert time.monotonic() < deadline, f"the app did not recover: {response.status_code}"
            time.sleep(0.5)
        assert [t["name"] for t in response.json()["data"]] == ["kept"]


# ---------------------------------------------------------------------------------------------
# Bodies over the limit


def test_an_oversized_body_is_413_and_not_stored(blog, tool_env, tmp_path: Path) -> None:
    project = blog("sqlite")
    url = f"sqlite+aiosqlite:///{tmp_path}/big.db"
    env = project_env(tool_env, url, max_body_bytes=65536)
    with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
        big = {"name": "x", "email": "a@b.c", "password_hash": "h", "bio": "y" * 200_000}
        problem(client.post(f"{API}/users/", json=big), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
            yield b'{"name": "x", "email": "a@b.c", "password_hash": "h", "bio": "'
            for _ in range(50):
                yield b"y" * 10_000
            yield b'"}'

        problem(client.post(f"{API}/users/", content=chunks(), headers={"content-type": "application/json"}), 413)
        assert client.get(f"{API}/users/?count=true").json()["count"] == 0
        small = client.post(f"{API}/users/", json={"name": "x", "email": "a@b.c", "password_hash": "h"})
        assert small.status_code == 201, small.text

