"""User code survives regeneration: the hooks in `app/hooks/<entity>.py` and the routes in `app/custom.py` are
the user's. Edit them (change a value before create, refuse a delete, filter the list, add a route), serve the
app, then evolve the schema (add and rename fields, add an entity), `migrate`, `generate`: the user's files are
byte-identical, the behaviour still holds over HTTP, ruff and `mypy --strict` pass and `generate --check` is
clean. An entity that leaves the schema leaves its hook file in place, and `generate` says so.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from conftest import Schemaforge, fresh_database
from generated_support import VENV_BIN
from mongo_support import BACKENDS, backend_or_skip, loaded_mongo_app, open_backend
from served_app import project_env, served

pytest_plugins = ["generated_support"]

V1 = """\
schema: 1
name: notes
entities:
  Team:
    fields:
      name: {type: string, length: 40, unique: true}
  Note:
    fields:
      title: {type: string, length: 80}
      pinned: {type: bool, default: false}
      archived: {type: bool, default: false}
    relations:
      team: {to: Team, nullable: true}
"""

# v2: a new field, a renamed field (title -> heading) and a new entity.
V2 = """\
schema: 1
name: notes
entities:
  Team:
    fields:
      name: {type: string, length: 40, unique: true}
      motto: {type: string, length: 80, nullable: true}
  Note:
    fields:
      heading: {type: string, length: 80, renamed_from: title}
      pinned: {type: bool, default: false}
      archived: {type: bool, default: false}
    relations:
      team: {to: Team, nullable: true}
  Label:
    fields:
      text: {type: string, length: 20}
"""

# v3: Label is gone again.
V3 = V2[: V2.index("  Label:")]

NOTE_HOOKS = '''\
"""Hooks of Note: titles are stored trimmed and capitalised, pinned notes cannot be deleted, archived notes are
not listed."""

from fastapi import HTTPException
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.note import Note
from app.schemas.note import NoteCreate, NoteUpdate


async def before_create(session: AsyncSession, body: NoteCreate) -> NoteCreate:
    return body.model_copy(update={"FIELD": body.FIELD.strip().capitalize()})


async def after_create(session: AsyncSession, note: Note) -> None:
    pass


async def before_update(session: AsyncSession, note: Note, body: NoteUpdate) -> NoteUpdate:
    return body


async def after_update(session: AsyncSession, note: Note) -> None:
    pass


async def before_delete(session: AsyncSession, note: Note) -> None:
    if note.pinned:
        raise HTTPException(status_code=409, detail="a pinned note cannot be deleted")


async def after_delete(session: AsyncSession, note: Note) -> None:
    pass


async def filter_list(session: AsyncSession, statement: Select[Note]) -> Select[Note]:
    return statement.where(Note.archived.is_(False))
'''

CUSTOM = '''\
"""My routes."""

from fastapi import APIRouter
from sqlalchemy import func, select

from app.db import SessionDep
from app.models.note import Note

router = APIRouter(tags=["custom"])


@router.get("/stats")
async def stats(session: SessionDep) -> dict[str, int]:
    """How many notes there are, archived ones included."""
    return {"notes": await session.scalar(select(func.count()).select_from(Note)) or 0}


@router.get("/notes/summary")
async def summary() -> dict[str, str]:
    """A route of mine under the generated prefix, beside /notes/{note_id}."""
    return {"summary": "mine"}
'''


MONGO_NOTE_HOOKS = '''\
"""Hooks of Note (MongoDB): as NOTE_HOOKS, on the ODMantic engine."""

from typing import Any

from fastapi import HTTPException
from odmantic import AIOEngine

from app.models.note import Note
from app.schemas.note import NoteCreate, NoteUpdate


async def before_create(engine: AIOEngine, body: NoteCreate) -> NoteCreate:
    return body.model_copy(update={"FIELD": body.FIELD.strip().capitalize()})


async def after_create(engine: AIOEngine, note: Note) -> None:
    pass


async def before_update(engine: AIOEngine, note: Note, body: NoteUpdate) -> NoteUpdate:
    return body


async def after_update(engine: AIOEngine, note: Note) -> None:
    pass


async def before_delete(engine: AIOEngine, note: Note) -> None:
    if note.pinned:
        raise HTTPException(status_code=409, detail="a pinned note cannot be deleted")


async def after_delete(engine: AIOEngine, note: Note) -> None:
    pass


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    return {**query, "archived": False}
'''

MONGO_CUSTOM = '''\
"""My routes."""

from fastapi import APIRouter

from app.db import EngineDep
from app.models.note import Note

router = APIRouter(tags=["custom"])


@router.get("/stats")
async def stats(engine: EngineDep) -> dict[str, int]:
    """How many notes there are, archived ones included."""
    return {"notes": await engine.count(Note)}


@router.get("/notes/summary")
async def summary() -> dict[str, str]:
    """A route of mine under the generated prefix, beside /notes/{note_id}."""
    return {"summary": "mine"}
'''


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL, check=False)


def lint_and_typecheck(root: Path, env: dict[str, str]) -> None:
    packages = ["app", "mongo", "tests"] if (root / "mongo").is_dir() else ["app", "tests"]
    for check in (["ruff", "check", "--no-cache", "."], ["ruff", "format", "--check", "--no-cache", "."], ["mypy", *packages]):
        proc = run([str(VENV_BIN / check[0]), *check[1:]], root, env)
        assert proc.returncode == 0, f"{' '.join(check)}:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"


async def check_behaviour(client: httpx.AsyncClient, field: str, *, mongo: bool = False) -> None:
    """The hooks and the custom route, over HTTP (`client` has the API prefix as its base URL)."""
    created = await client.post("/notes/", json={field: "  buy milk "})
    assert created.status_code == 201, created.text
    assert created.json()[field] == "Buy milk", "before_create did not change the value"
    pinned = (await client.post("/notes/", json={field: "keep", "pinned": True})).json()
    archived = (await client.post("/notes/", json={field: "old", "archived": True})).json()
    refused = await client.delete(f"/notes/{pinned['id']}")
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"/notes/{pinned['id']}")).status_code == 200, "a refused delete deleted the note"
    # Lists count when asked (`count=true`), on every target.
    listed = (await client.get("/notes/", params={"limit": 100, "count": "true"})).json()
    ids = {note["id"] for note in listed["data"]}
    assert archived["id"] not in ids and pinned["id"] in ids and created.json()["id"] in ids
    assert listed["count"] == len(ids), "the count ignores filter_list"
    stats = await client.get("/stats")
    assert stats.status_code == 200 and stats.json()["notes"] >= 3, stats.text
    # The user's routes come first: /notes/summary is theirs, not /notes/{note_id} with a bad id (422).
    summary = await client.get("/notes/summary")
    assert summary.status_code == 200 and summary.json() == {"summary": "mine"}, summary.text
    assert (await client.delete(f"/notes/{created.json()['id']}")).status_code == 204


def check_served(base: str, field: str) -> None:
    async def go() -> None:
        async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as client:
            await check_behaviour(client, field)

    asyncio.run(go())


def check_mongo(root: Path, backend_name: str, field: str) -> None:
    """The MongoDB app in process (ASGI) on a fresh database of `backend_name`."""

    async def go() -> None:
        async with open_backend(backend_name) as backend:
            with loaded_mongo_app(root) as main:
                from odmantic import AIOEngine

                db_module = importlib.import_module("app.db")
                engine = AIOEngine(client=backend.client, database=backend.database)
                main.app.dependency_overrides[db_module.get_engine] = lambda: engine
                transport = httpx.ASGITransport(app=main.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://test/api/v1") as client:
                    await check_behaviour(client, field, mongo=True)

    asyncio.run(go())


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_user_code_survives_regeneration(schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str) -> None:
    with ExitStack() as stack:
        if dialect == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}"
        else:
            db = stack.enter_context(fresh_database(dialect, tmp_path))
            url = db.engine.url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        check_user_code(schemaforge, tool_env, tmp_path, dialect, url)


@pytest.mark.parametrize("backend", BACKENDS)
def test_mongodb_user_code_survives_regeneration(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, backend: str
) -> None:
    backend_or_skip(backend)
    check_user_code(schemaforge, tool_env, tmp_path, "mongodb", backend)


def check_user_code(schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str, url: str) -> None:
    """`url`: the database of the served app, or the MongoDB backend's name."""
    mongo = dialect == "mongodb"
    note_hooks, custom_routes = (MONGO_NOTE_HOOKS, MONGO_CUSTOM) if mongo else (NOTE_HOOKS, CUSTOM)

    def behaves(field: str) -> None:
        if mongo:
            check_mongo(root, url, field)
        else:
            with served(root, env) as base:
                check_served(base, field)

    root = tmp_path / "notes"
    v1, v2, v3 = tmp_path / "v1.yaml", tmp_path / "v2.yaml", tmp_path / "v3.yaml"
    v1.write_text(V1)
    v2.write_text(V2)
    v3.write_text(V3)
    schemaforge.run("generate", v1, "--out", root, "--db", dialect)
    # A fresh project: hooks that change nothing, which lint and type-check.
    lint_and_typecheck(root, tool_env)

    hooks, custom = root / "app/hooks/note.py", root / "app/custom.py"
    hooks.write_text(note_hooks.replace("FIELD", "title"))
    custom.write_text(custom_routes)
    # As a user would: their own files formatted with the project's ruff settings.
    assert run([str(VENV_BIN / "ruff"), "format", "app/hooks", "app/custom.py"], root, tool_env).returncode == 0
    mine = {path: path.read_bytes() for path in (hooks, custom)}
    lint_and_typecheck(root, tool_env)

    env = project_env(tool_env, url)
    behaves("title")

    # The schema evolves: migrate, then generate. The user's hooks refer to the renamed field by its new name.
    schemaforge.run("migrate", v2, "--out", root, "-m", "v2")
    regenerated = schemaforge.run("generate", v2, "--out", root)
    assert "kept (yours)" in regenerated.stdout, regenerated.stdout
    assert {path: path.read_bytes() for path in (hooks, custom)} == mine, "generate changed the user's files"
    assert (root / "app/hooks/label.py").exists(), "the new entity has no hook module"
    hooks.write_text(note_hooks.replace("FIELD", "heading"))
    assert run([str(VENV_BIN / "ruff"), "format", "app/hooks"], root, tool_env).returncode == 0
    lint_and_typecheck(root, tool_env)
    check = schemaforge.run("generate", v2, "--out", root, "--check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    behaves("heading")

    # An entity leaves the schema: its hook stays, and generate says so.
    label_hooks = (root / "app/hooks/label.py").read_bytes()
    schemaforge.run("migrate", v3, "--out", root, "-m", "v3", "--allow-data-loss")
    gone = schemaforge.run("generate", v3, "--out", root)
    assert "app/hooks/label.py" in gone.stderr and "no longer" in gone.stderr, gone.stderr
    assert (root / "app/hooks/label.py").read_bytes() == label_hooks
    assert not (root / "app/models/label.py").exists()
    assert not (root / "app/crud/label.py").exists()
