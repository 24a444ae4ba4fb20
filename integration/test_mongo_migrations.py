"""MongoDB migrations: `schemaforge migrate` on a `--db mongodb` project writes mongo/migrations/NNNN_*.py, and
mongo/migrate.py applies them forward and back with documents in the collections: renamed fields keep their
values, new required fields are backfilled with their default, dropped fields go (only with --allow-data-loss),
validators and indexes follow each step.

Runs on mongomock (TEST-ONLY adapters of mongo_support.py) and, when MONGODB_URL is set, on that server too.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from conftest import Schemaforge
from generated_support import VENV_BIN
from mongo_support import (
    BACKENDS,
    Backend,
    BsonSchemaChecker,
    RecordingDatabase,
    backend_or_skip,
    database_for_setup,
    loaded_mongo_app,
    open_backend,
)

pytest_plugins = ["generated_support"]

V1 = """
schema: 1
name: library
enums:
  Genre: [fiction, science]
entities:
  Author:
    fields:
      full_name: {type: string, length: 100}
      nickname: {type: string, length: 30, nullable: true}
      born: {type: int, nullable: true}
  Book:
    fields:
      title: {type: string, length: 200}
      genre: {type: Genre, default: fiction}
      pages: {type: int, min: 1}
    relations:
      author: {to: Author, on_delete: cascade, back: books}
    indexes:
      - {fields: [pages]}
"""

V2 = """
schema: 1
name: library
enums:
  Genre: [fiction, science, poetry]
entities:
  Author:
    fields:
      name: {type: string, length: 100, renamed_from: full_name}
      born: {type: int, nullable: true}
      country: {type: string, length: 2, default: FR}
  Book:
    mongo: {collection: books, text: [title]}
    fields:
      title: {type: string, length: 200, unique: true}
      genre: {type: Genre, default: fiction}
      pages: {type: int, min: 1}
      in_print: {type: bool, default: true}
    relations:
      author: {to: Author, on_delete: cascade, back: books}
  Shelf:
    mongo: {collection: shelves, ttl: {field: checked_at, seconds: 3600}}
    fields:
      label: string(20)
      checked_at: {type: datetime, default: now}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


async def server_validators(db: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async for info in await db.list_collections():
        validator = info.get("options", {}).get("validator")
        if validator:
            out[info["name"]] = validator
    return out


def check_documents(validators: dict[str, Any], documents: dict[str, list[dict[str, Any]]]) -> None:
    for collection, docs in documents.items():
        checker = BsonSchemaChecker(validators[collection])
        for doc in docs:
            assert not checker.errors(doc), f"{collection}: {checker.errors(doc)}\n{doc}"


async def documents(db: Any, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    return {name: [doc async for doc in db[name].find({}).sort("_id", 1)] for name in names}


async def index_names(db: Any, collection: str) -> set[str]:
    return set(await db[collection].index_information())


@pytest.mark.parametrize("backend", BACKENDS)
def test_mongo_migration_forward_back_forward(
    backend: str, schemaforge: Schemaforge, tmp_path: Path, tool_env: dict[str, str]
) -> None:
    backend_or_skip(backend)
    root = tmp_path / "library"
    schemaforge.run("generate", write(tmp_path / "v1.yaml", V1), "--db", "mongodb", "--out", root)
    assert (root / "mongo" / "migrations" / "0001_initial.py").is_file()
    # Without --allow-data-loss the dropped field (nickname) and the dropped index are refused.
    refused = schemaforge.run("migrate", write(tmp_path / "v2.yaml", V2), "--out", root, "-m", "v2", check=False)
    assert refused.returncode == 1 and "allow-data-loss" in refused.stderr, refused.stderr
    schemaforge.run("migrate", tmp_path / "v2.yaml", "--out", root, "-m", "v2", "--allow-data-loss")
    migration = root / "mongo" / "migrations" / "0002_v2.py"
    assert migration.is_file(), sorted(p.name for p in (root / "mongo" / "migrations").iterdir())
    text = migration.read_text()
    assert '"$rename": {"full_name": "name"}' in text and '"$unset": {"nickname": ""}' in text
    # The models of v2, for the lint of the whole project with its migrations.
    schemaforge.run("generate", tmp_path / "v2.yaml", "--db", "mongodb", "--out", root)
    assert (root / "mongo" / "migrations" / "0002_v2.py").read_text() == text, "generate keeps the migrations"
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy", "--strict", "app", "mongo"]):
        proc = subprocess.run([str(VENV_BIN / command[0]), *command[1:]], cwd=root, env=tool_env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{' '.join(command)}:\n{proc.stdout}\n{proc.stderr}"
    asyncio.run(run_migrations(root, backend))


async def run_migrations(root: Path, backend_name: str) -> None:
    async with open_backend(backend_name) as backend:
        with loaded_mongo_app(root):
            migrate = importlib.import_module("mongo.migrate")
            first = importlib.import_module("mongo.migrations.0001_initial")
            second = importlib.import_module("mongo.migrations.0002_v2")
            db = database_for_setup(backend)

            async def in_force() -> dict[str, Any]:
                return dict(db.validators) if isinstance(db, RecordingDatabase) else await server_validators(backend.db)

            assert await migrate.upgrade(db, "0001_initial") == ["0001_initial"]
            assert await migrate.applied(db) == ["0001_initial"]
            v1_validators = {name: state["validator"] for name, state in first.AFTER.items()}
            assert await in_force() == v1_validators
            assert "ix_book_pages" in await index_names(backend.db, "book")
            # Documents of v1.
            author = {"_id": ObjectId(), "full_name": "Ursula", "nickname": "UKL", "born": 1929}
            book = {"_id": ObjectId(), "title": "Dispossessed", "genre": "fiction", "pages": 387, "author_id": author["_id"]}
            await backend.db["author"].insert_one(author)
            await backend.db["book"].insert_one(book)
            check_documents(v1_validators, await documents(backend.db, ["author", "book"]))

            # Forward.
            assert await migrate.upgrade(db) == ["0002_v2"]
            await check_v2(backend, await in_force(), second, author, book)
            # Back.
            assert await migrate.downgrade(db) == ["0002_v2"]
            assert await migrate.applied(db) == ["0001_initial"]
            assert await in_force() == v1_validators
            docs = await documents(backend.db, ["author", "book"])
            check_documents(v1_validators, docs)
            back = docs["author"][0]
            assert back["full_name"] == "Ursula" and "name" not in back and "country" not in back
            assert back["nickname"] is None, "a dropped field comes back as null (its values are lost)"
            assert "in_print" not in docs["book"][0]
            assert "ix_book_pages" in await index_names(backend.db, "book")
            assert "uq_book_title" not in await index_names(backend.db, "book")
            assert "shelves" not in await backend.db.list_collection_names()
            assert "books" not in await backend.db.list_collection_names()
            # Forward again.
            assert await migrate.upgrade(db) == ["0002_v2"]
            await check_v2(backend, await in_force(), second, author, book)
            assert await migrate.applied(db) == ["0001_initial", "0002_v2"]


async def check_v2(backend: Backend, validators: dict[str, Any], second: Any, author: dict[str, Any], book: dict[str, Any]) -> None:
    v2_validators = {name: state["validator"] for name, state in second.AFTER.items()}
    assert validators == v2_validators
    assert v2_validators == {
        p.stem: json.loads(p.read_text()) for p in (Path(second.__file__).parents[1] / "validators").glob("*.json")
    }, "the migration ends where the generated validators are"
    docs = await documents(backend.db, ["author", "books", "shelves"])
    check_documents(v2_validators, docs)
    moved = docs["author"][0]
    assert moved["name"] == author["full_name"], "the renamed field carries its value"
    assert "full_name" not in moved and "nickname" not in moved
    assert moved["country"] == "FR", "a new required field is backfilled with its default"
    assert moved["born"] == 1929
    assert docs["books"][0]["in_print"] is True and docs["books"][0]["title"] == book["title"]
    names = await index_names(backend.db, "books")
    assert "uq_book_title" in names and "tx_book" in names and "ix_book_pages" not in names
    assert "book" not in await backend.db.list_collection_names(), "mongo: {collection: books} renames the collection"
    assert "ttl_shelf_checked_at" in await index_names(backend.db, "shelves")


EVOLUTION = sorted((Path(__file__).parent / "evolution").glob("v*.yaml"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_mongo_evolution_series_up_and_down(backend: str, schemaforge: Schemaforge, tmp_path: Path) -> None:
    """The SQL evolution series (every operation kind the planner has) as MongoDB migrations: each step
    upgrades with a document in every collection, which then satisfies the step's validators; then every
    step is reverted, newest first, and the series applied again."""
    backend_or_skip(backend)
    root = tmp_path / "evolution"
    schemaforge.run("generate", EVOLUTION[0], "--db", "mongodb", "--out", root)
    for version in EVOLUTION[1:]:
        schemaforge.run("migrate", version, "--out", root, "-m", version.stem, "--allow-data-loss")
    asyncio.run(run_series(root, backend))


async def run_series(root: Path, backend_name: str) -> None:
    from mongo_support import sample_document

    async with open_backend(backend_name) as backend:
        with loaded_mongo_app(root):
            migrate = importlib.import_module("mongo.migrate")
            db = database_for_setup(backend)
            names = migrate.available()
            assert len(names) == len(EVOLUTION)
            n = 0
            for name in names:
                assert await migrate.upgrade(db, name) == [name]
                after = importlib.import_module(f"mongo.migrations.{name}").AFTER
                for collection, state in after.items():
                    n += 1
                    await backend.db[collection].insert_one(sample_document(state["validator"], n))
                validators = {c: s["validator"] for c, s in after.items()}
                check_documents(validators, await documents(backend.db, list(after)))
                for collection, state in after.items():
                    indexes = await index_names(backend.db, collection)
                    assert {ix["name"] for ix in state["indexes"]} <= indexes, f"{name}: {collection} lacks indexes"
            for name in reversed(names[1:]):
                assert await migrate.downgrade(db) == [name]
                before = importlib.import_module(f"mongo.migrations.{name}").BEFORE
                validators = {c: s["validator"] for c, s in before.items()}
                check_documents(validators, await documents(backend.db, list(before)))
            assert await migrate.applied(db) == [names[0]]
            assert await migrate.upgrade(db) == names[1:]
