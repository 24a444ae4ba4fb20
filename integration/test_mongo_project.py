"""`schemaforge generate --db mongodb`: the generated project lints and type-checks, its validators accept the
documents the app writes and reject broken ones, and its routes work end to end over HTTP.

Every test that touches a database runs on mongomock (through the TEST-ONLY adapters of mongo_support.py) and,
when MONGODB_URL is set, on that real server; without MONGODB_URL the server variant skips and says so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import importlib
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from bson import ObjectId
from conftest import Schemaforge, schema_path
from generated_support import VENV_BIN, GeneratedProject, GeneratedProjects
from mongo_support import (
    BACKENDS,
    MONGO_SCHEMAS,
    MONGODB_URL,
    WITH_AUTH,
    Backend,
    BsonSchemaChecker,
    Payloads,
    Resource,
    _entity_of,
    backend_or_skip,
    database_for_setup,
    invalid_variants,
    loaded_mongo_app,
    open_backend,
    resources,
)
from served_app import free_port, served

pytest_plugins = ["generated_support"]

#: The operators of `?<field>__<operator>=` (app/filters.py).
OPERATORS = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "is_null", "contains", "icontains", "startswith"}

API = "/api/v1"
EXAMPLE_IDS = [p.stem for p in MONGO_SCHEMAS]


@pytest.mark.parametrize("schema", WITH_AUTH, ids=[p.stem for p in WITH_AUTH])
def test_mongo_refuses_auth_rather_than_serving_without_access_control(
    schemaforge: Schemaforge, schema: Path, tmp_path: Path
) -> None:
    proc = schemaforge.run("generate", schema, "--out", tmp_path / "out", "--db", "mongodb", check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "does not implement 'auth'" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists(), "nothing is written"


def project(generated: GeneratedProjects, schema: Path) -> GeneratedProject:
    return generated.get(schema, "mongodb")


def validators(root: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((root / "mongo" / "validators").glob("*.json"))}


# ---------------------------------------------------------------------------------------------
# Static checks


@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_project_passes_ruff_and_mypy(
    generated: GeneratedProjects, schema: Path, tool_env: dict[str, str]
) -> None:
    root = project(generated, schema).root
    assert not (root / "migrations").exists() and not (root / "alembic.ini").exists(), "no Alembic for MongoDB"
    for command in (
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", "--strict", "app", "mongo", "tests"],
    ):
        proc = subprocess.run(
            [str(VENV_BIN / command[0]), *command[1:]],
            cwd=root,
            env=tool_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, f"{' '.join(command)} failed on {root}:\n{proc.stdout}\n{proc.stderr}"


@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_validators_cover_every_model_field(generated: GeneratedProjects, schema: Path) -> None:
    """Each collection's validator lists exactly the fields its ODMantic model stores (plus `_id`)."""
    root = project(generated, schema).root
    found = validators(root)
    with loaded_mongo_app(root):
        models = importlib.import_module("app.models")
        for model in models.MODELS:
            collection = model.model_config["collection"]
            assert collection in found, f"no mongo/validators/{collection}.json"
            schema_ = found[collection]["$jsonSchema"]
            stored = {"_id" if name == "id" else name for name in model.model_fields}
            assert set(schema_["properties"]) == stored, (
                f"{collection}: validator {sorted(schema_['properties'])} vs model {sorted(stored)}"
            )
            assert set(schema_["required"]) <= stored


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_generated_tests_run(
    generated: GeneratedProjects, schema: Path, backend: str, tool_env: dict[str, str]
) -> None:
    """The project's own tests (tests/, the same generator as the SQL targets'): every one passes, none skips
    (a resource the API cannot create keeps one visible skip with its reason). On mongomock through the
    TEST-ONLY plugin `mongomock_plugin.py`; on the MONGODB_URL server as the README runs them."""
    backend_or_skip(backend)
    root = project(generated, schema).root
    env = dict(tool_env)
    env.pop("TEST_MONGODB_URL", None)
    command = [str(VENV_BIN / "python"), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
    if backend == "server":
        env["TEST_MONGODB_URL"] = MONGODB_URL or ""
    else:
        env["PYTHONPATH"] = str(Path(__file__).parent)
        command += ["-p", "mongomock_plugin"]
    proc = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"the generated tests failed:\n{proc.stdout}\n{proc.stderr}"
    assert " passed" in proc.stdout, proc.stdout
    assert "TEST_MONGODB_URL is not set" not in proc.stdout, proc.stdout
    skipped = [line for line in proc.stdout.splitlines() if line.startswith("SKIPPED")]
    assert all("cannot be created through the API" in line for line in skipped), proc.stdout


def test_mongo_generated_tests_skip_without_a_server(generated: GeneratedProjects, tool_env: dict[str, str]) -> None:
    """Without TEST_MONGODB_URL the project's tests are collected and skip, saying why (nothing is faked)."""
    root = project(generated, MONGO_SCHEMAS[0]).root
    env = dict(tool_env)
    env.pop("TEST_MONGODB_URL", None)
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout
    assert " skipped" in proc.stdout and "TEST_MONGODB_URL is not set" in proc.stdout, proc.stdout
    assert " passed" not in proc.stdout, proc.stdout


# ---------------------------------------------------------------------------------------------
# The HTTP tour


class Tour:
    """Creates objects of every resource (parents first) and exercises every route kind."""

    def __init__(self, client: httpx.AsyncClient, openapi: dict[str, Any], resources_: dict[str, Resource]) -> None:
        self.client = client
        self.openapi = openapi
        self.resources = resources_
        self.payloads = Payloads(openapi)
        self.created: dict[str, list[dict[str, Any]]] = {name: [] for name in resources_}
        self.bodies: dict[str, dict[str, Any]] = {}
        self.called: set[tuple[str, str]] = set()
        self.filtered: set[str] = set()

    async def request(self, method: str, url: str, template: str, **kwargs: Any) -> httpx.Response:
        self.called.add((method, template))
        return await self.client.request(method, url, **kwargs)

    def schema(self, name: str) -> dict[str, Any]:
        return self.openapi["components"]["schemas"][name]

    async def body(self, resource: Resource, *, depth: int = 0) -> dict[str, Any]:
        schema = self.schema(resource.create)
        required = set(schema.get("required", []))
        body: dict[str, Any] = {}
        n = next(self.payloads.counter)
        for name, prop in schema["properties"].items():
            if name in resource.references:
                target = self.resources[resource.references[name]]
                if name.endswith("_ids"):
                    body[name] = (
                        [(await self.create(target, depth=depth + 1))["id"]]
                        if depth < 2 and target is not resource
                        else []
                    )
                elif name in required:
                    body[name] = (await self.create(target, depth=depth + 1))["id"]
                elif depth < 1 and target is not resource:
                    # A fresh parent: a one-to-one reference is unique.
                    body[name] = (await self.create(target, depth=depth + 1))["id"]
                continue
            body[name] = self.payloads.value(prop, n)
        return body

    async def create(self, resource: Resource, *, depth: int = 0) -> dict[str, Any]:
        body = await self.body(resource, depth=depth)
        response = await self.request("POST", f"{resource.prefix}/", f"{resource.prefix}/", json=body)
        assert response.status_code == 201, f"POST {resource.prefix}/ {body}: {response.status_code} {response.text}"
        row: dict[str, Any] = response.json()
        assert ObjectId.is_valid(row["id"])
        self.created[resource.entity].append(row)
        self.bodies[row["id"]] = body
        return row


async def run_tour(root: Path, backend: Backend) -> dict[str, list[dict[str, Any]]]:
    """The HTTP tour on one backend; returns the stored documents of each collection."""
    with loaded_mongo_app(root) as main:
        from odmantic import AIOEngine

        db_module = importlib.import_module("app.db")
        models = importlib.import_module("app.models")
        indexes = importlib.import_module("mongo.indexes")
        setup_db = database_for_setup(backend)
        # What a deployment does: `python -m mongo.indexes`, then the app's lifespan (configure_database).
        await indexes.ensure(setup_db)
        await indexes.ensure(setup_db)  # idempotent
        if backend.name == "mongomock":
            assert setup_db.validators == validators(root), "mongo/indexes.py applied other validators than the files"
        engine = AIOEngine(client=backend.client, database=backend.database)
        await engine.configure_database(models.MODELS)
        main.app.dependency_overrides[db_module.get_engine] = lambda: engine
        transport = httpx.ASGITransport(app=main.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            openapi = (await client.get("/openapi.json")).json()
            tour = Tour(client, openapi, resources(main.app, openapi))
            await exercise(tour, indexes.INDEXES, models.MODELS, main.app)
            documents: dict[str, list[dict[str, Any]]] = {}
            for model in models.MODELS:
                collection = model.model_config["collection"]
                documents[collection] = [doc async for doc in backend.db[collection].find({})]
            await finish(tour)
        return documents


async def finish(tour: Tour) -> None:
    # Every object created can go (children first); restrict rules may refuse, which must be a 409.
    for resource in reversed(list(tour.resources.values())):
        for row in tour.created[resource.entity]:
            response = await tour.request("DELETE", f"{resource.prefix}/{row['id']}", f"{resource.prefix}/{{}}")
            assert response.status_code in (204, 404, 409), response.text

    def shape(path: str) -> str:
        return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))

    routes = {(method.upper(), shape(path)) for path, item in tour.openapi["paths"].items() for method in item}
    called = {(m, shape(t)) for m, t in tour.called}
    uncalled = sorted(f"{m} {p}" for m, p in routes - called)
    assert not uncalled, f"routes the tour never called: {uncalled}"
    filters = {
        f"{entity}.{p['name']}"
        for entity, resource in tour.resources.items()
        for p in tour.openapi["paths"][f"{resource.prefix}/"]["get"].get("parameters", [])
        if p["name"] not in ("limit", "offset", "sort", "cursor", "count")
    }
    assert filters <= tour.filtered, f"list filters the tour never tried: {sorted(filters - tour.filtered)}"


async def exercise(tour: Tour, indexes: dict[str, list[Any]], models: list[Any], app: Any) -> None:
    collections = {_entity_of(model.__name__, tour.resources): model.model_config["collection"] for model in models}
    for probe in ("/health", "/ready"):  # liveness, and readiness: the server answers a ping
        answered = await tour.request("GET", probe, probe)
        assert answered.status_code == 200 and answered.json() == {"status": "ok"}, (probe, answered.text)
    for resource in tour.resources.values():
        first = await tour.create(resource)
        second = await tour.create(resource)
        url = f"{resource.prefix}/{first['id']}"
        template = f"{resource.prefix}/{{}}"
        # Read back
        got = await tour.request("GET", url, template)
        assert got.status_code == 200, got.text
        assert got.json() == first
        body = tour.bodies[first["id"]]
        for name, value in body.items():
            if name in got.json() and isinstance(value, (str, bool, int)) and not name.endswith("_id"):
                assert same(got.json()[name], value), f"{resource.entity}.{name}: sent {value!r}, read {got.json()[name]!r}"
        # Unknown and malformed keys
        missing = await tour.request("GET", f"{resource.prefix}/{ObjectId()}", template)
        assert missing.status_code == 404, missing.text
        malformed = await tour.request("GET", f"{resource.prefix}/not-an-id", template)
        assert malformed.status_code == 422, malformed.text
        # Invalid body
        if tour.schema(resource.create).get("required"):
            invalid = await tour.request("POST", f"{resource.prefix}/", f"{resource.prefix}/", json={})
            assert invalid.status_code == 422, invalid.text
        # Duplicate keys: the same body again violates every unique index whose fields it holds.
        uniques = [
            ix.document
            for ix in indexes[collections[resource.entity]]
            if ix.document.get("unique") and "partialFilterExpression" not in ix.document
        ]
        sent = set(body) | {"_id"}
        if any(set(ix["key"]) <= sent for ix in uniques):
            dup = await tour.request("POST", f"{resource.prefix}/", f"{resource.prefix}/", json=body)
            assert dup.status_code == 409, f"{resource.entity}: duplicate of {body}: {dup.status_code} {dup.text}"
        # List, sorted both ways
        for sort in ("id", "-id"):
            page = await tour.request("GET", f"{resource.prefix}/?sort={sort}&limit=50&count=true", f"{resource.prefix}/")
            assert page.status_code == 200, page.text
            ids = [row["id"] for row in page.json()["data"]]
            assert page.json()["count"] >= 2 and first["id"] in ids and second["id"] in ids
            assert ids == sorted(ids, reverse=sort.startswith("-"))
        # Filters: each query parameter of the list, with the first object's value, finds it.
        parameters = tour.openapi["paths"][f"{resource.prefix}/"]["get"].get("parameters", [])
        for parameter in parameters:
            parameter_name = parameter["name"]
            if parameter_name in ("limit", "offset", "sort"):
                continue
            # `<field>__<operator>` (app/filters.py); a filter named like a page parameter is `<field>_eq`
            # (documented in the README).
            name, _, operator = parameter_name.rpartition("__")
            if operator not in OPERATORS:
                name, operator = parameter_name, "eq"
            while name not in first and name.endswith("_eq"):
                name = name.removesuffix("_eq")
            probe = first
            if first.get(name) is None and resource.references.get(name) == resource.entity:
                # A self reference the tour left empty: point the second object at the first.
                patched = await tour.request("PATCH", f"{resource.prefix}/{second['id']}", template, json={name: first["id"]})
                assert patched.status_code == 200, patched.text
                probe = patched.json()
            if probe.get(name) is None:
                continue
            value = probe[name]
            value = str(value).lower() if isinstance(value, bool) else value
            if operator == "is_null":
                value = "false"
            elif operator == "icontains":
                value = value.upper()
            page = await tour.request(
                "GET", f"{resource.prefix}/", f"{resource.prefix}/", params={parameter_name: value, "limit": 200}
            )
            assert page.status_code == 200, f"filter {parameter_name}={value!r}: {page.text}"
            tour.filtered.add(f"{resource.entity}.{parameter_name}")
            rows = page.json()["data"]
            found = probe["id"] in [row["id"] for row in rows]
            # The probe's own value: every operator but the strict ones (ne, lt, gt) selects it.
            assert found == (operator not in ("ne", "lt", "gt")), f"filter {parameter_name}={value!r}: found={found}"
            if operator in ("eq", "in"):
                assert all(same(row[name], probe[name]) for row in rows), f"filter {name}={value!r} lets others through"
            if operator == "ne":
                assert not any(same(row[name], probe[name]) for row in rows), f"filter {parameter_name} keeps the value"
        # Patch one plain field
        schema = tour.schema(resource.create)
        for name, prop in schema["properties"].items():
            if name in resource.references or name not in first:
                continue
            value = tour.payloads.value(prop, next(tour.payloads.counter))
            patched = await tour.request("PATCH", url, template, json={name: value})
            assert patched.status_code == 200, f"PATCH {name}={value!r}: {patched.text}"
            break
        # Many-to-many links
        for field, target_entity in resource.references.items():
            if not field.endswith("_ids"):
                continue
            target = tour.resources[target_entity]
            relation = next(k for k, v in first.items() if isinstance(v, list) and ids_field(k) == field)
            other = await tour.create(target)
            link = f"{url}/{relation.replace('_', '-')}/{other['id']}"
            link_template = f"{template}/{relation.replace('_', '-')}/{{}}"
            added = await tour.request("POST", link, link_template)
            assert added.status_code == 204, added.text
            refs = (await tour.request("GET", url, template)).json()[relation]
            assert {"id": other["id"]} in refs
            removed = await tour.request("DELETE", link, link_template)
            assert removed.status_code == 204, removed.text
            refs = (await tour.request("GET", url, template)).json()[relation]
            assert {"id": other["id"]} not in refs
    # Deletes: a parent with a child follows the on_delete rule (409 and the child stays, or 204 and the child
    # is gone or no longer points at it).
    for resource in tour.resources.values():
        for field, parent_entity in resource.references.items():
            if field.endswith("_ids"):
                continue
            parent = tour.resources[parent_entity]
            if parent is resource:
                continue
            child = await tour.create(resource)
            if child.get(field) is None:
                continue
            deleted = await tour.request("DELETE", f"{parent.prefix}/{child[field]}", f"{parent.prefix}/{{}}")
            after = await tour.request("GET", f"{resource.prefix}/{child['id']}", f"{resource.prefix}/{{}}")
            if deleted.status_code == 409:
                assert after.status_code == 200
            else:
                assert deleted.status_code == 204, deleted.text
                tour.created[parent.entity] = [r for r in tour.created[parent.entity] if r["id"] != child[field]]
                assert after.status_code == 404 or after.json().get(field) is None, after.text


def same(read: Any, sent: Any) -> bool:
    """Equal, with datetimes compared as instants (`Z` and `+00:00` are the same time) and decimals
    (JSON strings in a Read) by value."""
    if read == sent:
        return True
    if isinstance(read, str) and isinstance(sent, int | float) and not isinstance(sent, bool):
        try:
            return decimal.Decimal(read) == decimal.Decimal(str(sent))
        except decimal.InvalidOperation:
            return False
    if isinstance(read, str) and isinstance(sent, str):
        try:
            return dt.datetime.fromisoformat(read.replace("Z", "+00:00")) == dt.datetime.fromisoformat(sent)
        except ValueError:
            return False
    return False


def ids_field(relation: str) -> str:
    """`tags` -> `tag_ids`, `categories` -> `category_ids` (PythonNames.idsField)."""
    if relation.endswith("ies"):
        return relation[:-3] + "y_ids"
    if relation.endswith("s") and not relation.endswith("ss"):
        return relation[:-1] + "_ids"
    return relation + "_ids"


_documents: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}


def tour_documents(generated: GeneratedProjects, schema: Path, backend: str) -> dict[str, list[dict[str, Any]]]:
    key = (schema.stem, backend)
    if key not in _documents:

        async def run() -> dict[str, list[dict[str, Any]]]:
            async with open_backend(backend) as b:
                return await run_tour(project(generated, schema).root, b)

        _documents[key] = asyncio.run(run())
    return _documents[key]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_http_tour(generated: GeneratedProjects, schema: Path, backend: str) -> None:
    """Every route of every resource over HTTP: create, read, list (sorted), patch, 404, 422, duplicate-key 409,
    many-to-many links, deletes with their on_delete rules."""
    backend_or_skip(backend)
    documents = tour_documents(generated, schema, backend)
    assert all(documents.values()), f"some collection stayed empty: {[c for c, d in documents.items() if not d]}"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_validators_accept_and_reject(generated: GeneratedProjects, schema: Path, backend: str) -> None:
    """Documents the app stored pass their collection's $jsonSchema; copies broken in one rule each (missing
    required, wrong type, pattern, enum, length, range, unknown field) fail. mongomock: the independent checker;
    a real server: the server's own validation (insert -> error 121)."""
    backend_or_skip(backend)
    root = project(generated, schema).root
    found = validators(root)
    documents = tour_documents(generated, schema, "mongomock")
    kinds: set[str] = set()
    for collection, docs in documents.items():
        checker = BsonSchemaChecker(found[collection])
        for doc in docs:
            assert not checker.errors(doc), (
                f"{collection}: a stored document fails its validator: {checker.errors(doc)}\n{doc}"
            )
            for label, bad in invalid_variants(found[collection], doc):
                kinds.add(label.split(" ")[0])
                assert checker.errors(bad), f"{collection}: {label}: the validator accepts {bad}"
    assert {"missing", "wrong", "unknown"} <= kinds
    if backend == "server":
        asyncio.run(_server_rejects(root, documents, found))


async def _server_rejects(root: Path, documents: dict[str, list[dict[str, Any]]], found: dict[str, Any]) -> None:
    from pymongo.errors import WriteError

    async with open_backend("server") as b:
        with loaded_mongo_app(root):
            await importlib.import_module("mongo.indexes").ensure(b.db)
        for collection, docs in documents.items():
            doc = docs[0]
            for label, bad in invalid_variants(found[collection], doc):
                if label.endswith(" _id"):
                    continue  # the server supplies a missing _id; a fresh one replaces a broken one
                bad["_id"] = ObjectId()
                with pytest.raises(WriteError) as raised:
                    await b.db[collection].insert_one(bad)
                assert raised.value.code == 121, f"{collection}: {label}: {raised.value}"
            await b.db[collection].insert_one(dict(doc))  # the valid one passes


@pytest.mark.parametrize("schema", MONGO_SCHEMAS, ids=EXAMPLE_IDS)
def test_mongo_errors_are_problem_details(generated: GeneratedProjects, schema: Path) -> None:
    """404, 409 and 422 answer `application/problem+json` (RFC 9457), and every route's OpenAPI declares them."""

    async def run() -> None:
        async with open_backend("mongomock") as backend:
            with loaded_mongo_app(project(generated, schema).root) as main:
                from odmantic import AIOEngine

                db_module = importlib.import_module("app.db")
                engine = AIOEngine(client=backend.client, database=backend.database)
                main.app.dependency_overrides[db_module.get_engine] = lambda: engine
                transport = httpx.ASGITransport(app=main.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                    openapi = (await client.get("/openapi.json")).json()
                    # The API's routes can answer 422 and 503; the probes take no input, and only
                    # `/ready` asks the server.
                    expected = {"/health": set(), "/ready": {"503"}}
                    for path, operations in openapi["paths"].items():
                        for method, operation in operations.items():
                            codes = {c for c, r in operation["responses"].items() if "application/problem+json" in r.get("content", {})}
                            wanted = expected.get(path, {"422", "503"})
                            assert wanted <= codes, f"{method.upper()} {path}: {sorted(operation['responses'])}"
                    for path in [p for p in openapi["paths"] if p.endswith("}") and p.count("{") == 1]:
                        missing = await client.get(path.split("{")[0] + "0" * 24)
                        assert missing.status_code == 404, missing.text
                        assert missing.headers["content-type"] == "application/problem+json", missing.headers
                        assert missing.json()["status"] == 404
                    invalid = await client.post(next(p for p in openapi["paths"] if p.endswith("/")), json={"no such field": 1})
                    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/problem+json"
                    assert invalid.json()["errors"], invalid.text
                # A duplicate key as a server reports it (mongomock reports no keys): the field is named.
                from odmantic.exceptions import DuplicateKeyError
                from pymongo.errors import DuplicateKeyError as DriverDuplicateKeyError

                handler = main.app.exception_handlers[DuplicateKeyError]
                for pattern, loc in (({"email": 1}, ["body", "email"]), ({"a": 1, "b": 1}, ["body"]), (None, ["body"])):
                    driver = DriverDuplicateKeyError("E11000", 11000, {"keyPattern": pattern} if pattern else None)
                    answer = await handler(None, DuplicateKeyError(None, driver))  # type: ignore[arg-type]
                    assert answer.status_code == 409 and json.loads(answer.body)["errors"][0]["loc"] == loc, answer.body

    asyncio.run(run())


DEFAULTS_SCHEMA = """\
schema: 1
name: defaults
entities:
  Thing:
    fields:
      name: string(40)
      meta: { type: json, default: '{}' }
      tags: { type: "array<string>", default: '[]' }
      scores: { type: "array<int>", default: '[1, 2]' }
      at: { type: time, default: now }
      born: { type: datetime, default: now }
      code: { type: string(10), default: { sql: "'x'" } }
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_mongo_fills_defaults_of_left_out_fields(schemaforge: Schemaforge, tmp_path: Path, backend: str) -> None:
    """A field the client leaves out gets its default from the model (JSON values as fresh copies, a time of
    day for a time field); an {sql:} default has no MongoDB meaning, so that field is required (422, not a
    500 from a model that cannot be built); a json field takes any JSON value, as the API says."""
    backend_or_skip(backend)
    (tmp_path / "d.yaml").write_text(DEFAULTS_SCHEMA)
    schemaforge.run("generate", tmp_path / "d.yaml", "--out", tmp_path / "api", "--db", "mongodb")

    async def run() -> None:
        async with open_backend(backend) as b:
            with loaded_mongo_app(tmp_path / "api") as main:
                from odmantic import AIOEngine

                db_module = importlib.import_module("app.db")
                models = importlib.import_module("app.models")
                await importlib.import_module("mongo.indexes").ensure(database_for_setup(b))
                engine = AIOEngine(client=b.client, database=b.database)
                await engine.configure_database(models.MODELS)
                main.app.dependency_overrides[db_module.get_engine] = lambda: engine
                async with httpx.AsyncClient(transport=httpx.ASGITransport(app=main.app), base_url="http://test") as client:
                    missing = await client.post("/api/v1/things/", json={"name": "a"})
                    assert missing.status_code == 422, missing.text
                    assert any(e["loc"][-1] == "code" for e in missing.json()["errors"]), missing.text
                    first = await client.post("/api/v1/things/", json={"name": "a", "code": "c"})
                    assert first.status_code == 201, first.text
                    body = first.json()
                    assert (body["meta"], body["tags"], body["scores"]) == ({}, [], [1, 2])
                    assert dt.time.fromisoformat(body["at"]) and dt.datetime.fromisoformat(body["born"].replace("Z", "+00:00"))
                    for meta in ([1, "two"], "text", 3, True):
                        made = await client.post("/api/v1/things/", json={"name": "b", "code": "c", "meta": meta})
                        assert made.status_code == 201, made.text
                        assert made.json()["meta"] == meta
                    # Each document got its own copy of the default, not one shared list.
                    stored = [doc async for doc in b.db["thing"].find({"name": "a"})]
                    assert [(d["meta"], d["tags"], d["scores"]) for d in stored] == [({}, [], [1, 2])]

    asyncio.run(run())


def test_mongo_server_down_answers_503_within_the_timeout(schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path) -> None:
    """With no server at MONGODB_URL the app still starts (the lifespan's index creation gives up after
    CONNECT_TIMEOUT), `/health` answers 200, and `/ready`, a list and a create answer 503 problem details
    with Retry-After within a few seconds: no hang, no 500."""
    project = tmp_path / "down"
    schemaforge.run("generate", schema_path("blog"), "--out", project, "--db", "mongodb")
    env = tool_env | {"MONGODB_URL": f"mongodb://127.0.0.1:{free_port()}", "CONNECT_TIMEOUT": "1"}
    with served(project, env, mongo=True) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/health").json() == {"status": "ok"}
        for method, path, body in (
            ("GET", "/ready", None),
            ("GET", f"{API}/tags/", None),
            ("POST", f"{API}/tags/", {"name": "lost"}),
        ):
            started = time.monotonic()
            response = client.request(method, path, json=body)
            waited = time.monotonic() - started
            assert response.status_code == 503, (path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert int(response.headers["retry-after"]) > 0
            assert waited < 5, f"{method} {path} took {waited:.1f} s"
