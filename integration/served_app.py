"""A generated project served by a real uvicorn on 127.0.0.1, for the fault, concurrency and fuzz tests.

- `served(project_root, env)`: `alembic upgrade head`, then `python -m uvicorn app.main:app` on a free
  loopback port, in its own process group; yields the base URL and stops the server afterwards.
- `fresh_project(schemaforge, schema, dialect, tmp)`: a project of its own (the tests change its settings
  and its database, so they do not share the session's generated projects).
- `mongo_env(...)` and `served(..., mongo=True)`: a MongoDB project, on mongomock or MONGODB_URL's server.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from conftest import Schemaforge
from generated_support import VENV_BIN, GeneratedProject
from mongo_support import MONGODB_URL


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_project(schemaforge: Schemaforge, schema: Path, dialect: str, tmp: Path) -> GeneratedProject:
    root = tmp / f"{schema.stem}-{dialect}"
    proc = schemaforge.run("generate", schema, "--out", root, "--db", dialect)
    return GeneratedProject(schema, dialect, root, proc.stdout)


def project_env(base: dict[str, str], database_url: str, **settings: str | int | float) -> dict[str, str]:
    """The environment of the served app: DATABASE_URL and settings such as POOL_SIZE=1."""
    env = dict(base)
    env["DATABASE_URL"] = database_url
    for name, value in settings.items():
        env[name.upper()] = str(value)
    return env


def migrate(root: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(
        [str(VENV_BIN / "alembic"), "upgrade", "head"],
        cwd=root, env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, f"alembic upgrade head failed:\n{proc.stdout}\n{proc.stderr}"


@contextmanager
def served(root: Path, env: dict[str, str], *, upgrade: bool = True, mongo: bool = False) -> Iterator[str]:
    """The app of `root` under uvicorn on 127.0.0.1; yields its base URL. `mongo`: a MongoDB project,
    served on mongomock unless MONGODB_URL is set (mongo_served.py); no Alembic then."""
    if upgrade and not mongo:
        migrate(root, env)
    # The socket is bound here and handed to uvicorn (`--fd`): a port chosen first and bound later
    # could be taken meanwhile by another test's server, which would then answer for this one.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = int(listener.getsockname()[1])
    log = (root / "uvicorn.log").open("w")
    target = ["mongo_served:app", "--app-dir", str(Path(__file__).parent)] if mongo else ["app.main:app"]
    with listener:
        proc = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "uvicorn", *target, "--fd", str(listener.fileno())],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            pass_fds=(listener.fileno(),),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise AssertionError(f"uvicorn did not start:\n{(root / 'uvicorn.log').read_text()[-4000:]}")
            time.sleep(0.2)
        yield base
    finally:
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Ends a server started in its own process group (uvicorn, and its reloader if any)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def server_log(root: Path) -> str:
    return (root / "uvicorn.log").read_text()[-6000:]


def mongo_env(tool_env: dict[str, str], root: Path, stack: contextlib.ExitStack) -> dict[str, str]:
    """The environment of a MongoDB project's app. With MONGODB_URL: a database of its own on that server,
    set up as the project's README says (`python -m mongo.migrate upgrade`) and dropped afterwards; without
    it, mongo_served.py serves the app on mongomock."""
    env = dict(tool_env)
    if not MONGODB_URL:
        return env
    env |= {"MONGODB_URL": MONGODB_URL, "MONGODB_DATABASE": f"served_{uuid.uuid4().hex[:12]}"}
    migrated = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "mongo.migrate", "upgrade"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    def drop() -> None:
        from pymongo import MongoClient

        with MongoClient(MONGODB_URL) as client:
            client.drop_database(env["MONGODB_DATABASE"])

    stack.callback(drop)
    return env
