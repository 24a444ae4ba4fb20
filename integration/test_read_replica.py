"""Read replicas on a real PostgreSQL primary and a streaming hot standby (`pg_basebackup -R`) of its own,
both on 127.0.0.1: with DATABASE_READ_URL set, GET routes are served by the standby (with its replay paused,
a new row is invisible to them), writes go to the primary (the standby refuses writes, and every write
succeeds), a client that just wrote reads from the primary and sees its write at once, and with the primary
stopped GETs keep working while writes answer 503.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from conftest import INTEGRATION_DIR, Schemaforge, schema_path
from served_app import free_port, fresh_project, project_env, served

pytest_plugins = ["generated_support"]

API = "/api/v1"
SCRIPT = str(INTEGRATION_DIR / "servers.sh")


@pytest.fixture
def primary_and_standby() -> Iterator[dict[str, str]]:
    """A primary of this test's own and a hot standby streaming from it; the ports in SF_PG_PORT and
    SF_STANDBY_PORT."""
    tag = uuid.uuid4().hex[:6]
    env = dict(
        os.environ,
        SF_PG_PORT=str(free_port()),
        SF_PG_DIR=f"/tmp/sf-pg-primary-{tag}",
        SF_STANDBY_PORT=str(free_port()),
        SF_STANDBY_DIR=f"/tmp/sf-pg-standby-{tag}",
    )
    subprocess.run(["bash", SCRIPT, "start-pg"], env=env, check=True, timeout=120, stdin=subprocess.DEVNULL)
    try:
        subprocess.run(["bash", SCRIPT, "start-standby"], env=env, check=True, timeout=180, stdin=subprocess.DEVNULL)
        yield env
    finally:
        subprocess.run(["bash", SCRIPT, "stop-standby"], env=env, check=False, timeout=120, stdin=subprocess.DEVNULL)
        subprocess.run(["bash", SCRIPT, "stop-pg"], env=env, check=False, timeout=120, stdin=subprocess.DEVNULL)


def sql(port: str, statement: str) -> list[tuple]:
    engine = sa.create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(statement))]
    finally:
        engine.dispose()


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(t["name"] for t in response.json()["data"])


def test_reads_go_to_the_replica_and_writes_to_the_primary(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, primary_and_standby: dict[str, str]
) -> None:
    primary, standby = primary_and_standby["SF_PG_PORT"], primary_and_standby["SF_STANDBY_PORT"]
    assert sql(standby, "SELECT pg_is_in_recovery()") == [(True,)]
    project = fresh_project(schemaforge, schema_path("blog"), "postgresql", tmp_path)
    env = project_env(
        tool_env,
        f"postgresql+asyncpg://postgres@127.0.0.1:{primary}/postgres",
        database_read_url=f"postgresql+asyncpg://postgres@127.0.0.1:{standby}/postgres",
        connect_timeout=2,
        pool_timeout=2,
    )
    with served(project.root, env) as base:
        writer = httpx.Client(base_url=base, timeout=30)
        reader = httpx.Client(base_url=base, timeout=30)
        try:
            assert writer.post(f"{API}/tags/", json={"name": "first"}).status_code == 201
            deadline = time.monotonic() + 20
            while names(reader.get(f"{API}/tags/")) != ["first"]:  # the standby catches up
                assert time.monotonic() < deadline, "the standby did not replay the first write"
                time.sleep(0.2)

            # With the standby's replay paused, a new row exists on the primary only: the reader does
            # not see it (its GETs are the standby's), the writer does (it just wrote: the primary's).
            sql(standby, "SELECT pg_wal_replay_pause()")
            created = writer.post(f"{API}/tags/", json={"name": "second"})
            assert created.status_code == 201 and "read_primary" in created.headers.get("set-cookie", "")
            assert names(writer.get(f"{API}/tags/")) == ["first", "second"]
            assert writer.get(created.headers["location"]).status_code == 200
            assert names(reader.get(f"{API}/tags/")) == ["first"]
            assert reader.get(created.headers["location"]).status_code == 404
            assert reader.get("/ready").status_code == 200
            sql(standby, "SELECT pg_wal_replay_resume()")
            deadline = time.monotonic() + 20
            while names(reader.get(f"{API}/tags/")) != ["first", "second"]:
                assert time.monotonic() < deadline, "the standby did not resume"
                time.sleep(0.2)

            # The standby never took a write: every write above succeeded, and it refuses them.
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                sql(standby, "CREATE TABLE intruder (id int)")
            assert sql(primary, "SELECT name FROM tag ORDER BY name") == [("first",), ("second",)]

            # The primary stops: reads go on from the standby, writes answer 503.
            subprocess.run(["bash", SCRIPT, "pause-pg"], env=primary_and_standby, check=True, timeout=60)
            assert names(reader.get(f"{API}/tags/")) == ["first", "second"]
            failed = reader.post(f"{API}/tags/", json={"name": "third"})
            assert failed.status_code == 503, failed.text
            assert names(reader.get(f"{API}/tags/")) == ["first", "second"]
        finally:
            writer.close()
            reader.close()
