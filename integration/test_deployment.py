"""What a deployment meets: the probes (`/health` without the database, `/ready` with it) and PgBouncer in
transaction mode in front of PostgreSQL, where asyncpg's named prepared statements and its startup
`statement_timeout` break. A real PgBouncer (Debian package `pgbouncer`) on 127.0.0.1, two server
connections for many concurrent client transactions: with `PGBOUNCER=true` every request succeeds and every
acknowledged row is in the database; without it the app cannot use the pooler at all. Bounded in time.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from conftest import Schemaforge, fresh_database, schema_path
from generated_support import async_url
from served_app import free_port, fresh_project, migrate, project_env, served

pytest_plugins = ["generated_support"]

API = "/api/v1"
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def test_health_answers_without_the_database_and_ready_with_it(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path
) -> None:
    project = fresh_project(schemaforge, schema_path("blog"), "postgresql", tmp_path)
    with fresh_database("postgresql", tmp_path) as db:
        env = project_env(tool_env, async_url(db, project))
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/health").json() == {"status": "ok"}
            assert client.get("/ready").json() == {"status": "ok"}
    # Nothing listens on this port: alive, not ready, and quickly so.
    down = project_env(tool_env, f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x", connect_timeout=1)
    with served(project.root, down, upgrade=False) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").status_code == 200
        started = time.monotonic()
        ready = client.get("/ready")
        assert ready.status_code == 503 and ready.headers["content-type"] == "application/problem+json", ready.text
        assert time.monotonic() - started < 5


@pytest.fixture
def pgbouncer() -> Iterator[int]:
    """PgBouncer in transaction mode on 127.0.0.1 in front of the suite's PostgreSQL, two server
    connections per database; its port."""
    if not os.path.exists(PGBOUNCER):
        pytest.fail("pgbouncer is missing: scripts/test-all.sh installs the Debian package")
    folder = Path(tempfile.mkdtemp(prefix="sf-pgbouncer-"))
    port = free_port()
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host=127.0.0.1 port={os.environ.get('SF_PG_PORT', '54329')} user=postgres\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder}/users.txt\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 200\n"
        f"logfile = {folder}/pgbouncer.log\npidfile = {folder}/pgbouncer.pid\n"
    )
    command = [PGBOUNCER, "-d", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        shutil.chown(folder, "postgres")
        for path in folder.iterdir():
            shutil.chown(path, "postgres")
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]
    subprocess.run(command, check=True, timeout=30, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not (folder / "pgbouncer.pid").exists():
            assert time.monotonic() < deadline, (folder / "pgbouncer.log").read_text()
            time.sleep(0.1)
        yield port
    finally:
        pid = int((folder / "pgbouncer.pid").read_text())
        subprocess.run(["kill", str(pid)], check=False, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_app_works_through_pgbouncer_in_transaction_mode(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, pgbouncer: int
) -> None:
    project = fresh_project(schemaforge, schema_path("blog"), "postgresql", tmp_path)
    with fresh_database("postgresql", tmp_path) as db:
        migrate(project.root, project_env(tool_env, async_url(db, project)))
        through = f"postgresql+asyncpg://postgres@127.0.0.1:{pgbouncer}/{db.name}"

        # Without the setting the pooler refuses the connection (its startup statement_timeout).
        plain = project_env(tool_env, through, connect_timeout=2)
        with served(project.root, plain, upgrade=False) as base, httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/ready").status_code == 503

        env = project_env(tool_env, through, pgbouncer="true", pool_size=8, max_overflow=0)
        with served(project.root, env, upgrade=False) as base, httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/ready").status_code == 200

            def work(i: int) -> list[int]:
                created = client.post(f"{API}/tags/", json={"name": f"t{i}"})
                statuses = [created.status_code]
                if created.status_code == 201:
                    url = created.headers["location"]
                    statuses.append(client.get(url).status_code)
                    statuses.append(client.patch(url, json={"name": f"t{i}-renamed"}).status_code)
                statuses.append(client.get(f"{API}/tags/", params={"limit": 5, "count": "true"}).status_code)
                return statuses

            # Eight client connections over two server connections: each transaction may land on a
            # server connection another client prepared statements on.
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                results = list(pool.map(work, range(60)))
            assert all(s in (200, 201) for statuses in results for s in statuses), results
        with db.engine.connect() as conn:
            names = sorted(conn.execute(sa.text("SELECT name FROM tag")).scalars())
        assert names == sorted(f"t{i}-renamed" for i in range(60))
