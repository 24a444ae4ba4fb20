"""The generated FastAPI app, driven over HTTP (httpx ASGITransport) on real databases.

For every examples/*.yaml and every database (SQLite file, PostgreSQL, MariaDB): the project generated for
that database (`--db D`) is imported in this process with DATABASE_URL pointing at a fresh database (set
before the import), its tables are made with `Base.metadata.create_all`, and:

- every route is called and behaves: create (FK parents first, many-to-many ids in the body), read, list
  (filters, `sort=f` / `sort=-f`, limit/offset with `count` the total), patch, delete, many-to-many add/remove;
- 404 for unknown keys, 409 for unique and foreign-key violations, 422 with FastAPI's error shape for invalid
  bodies (wrong type, out of range, pattern, too long, decimal digits, missing field) and query parameters;
- ON DELETE actions as the schema says (cascade, set null, restrict -> 409), generically for every foreign
  key, plus the named cases (blog: deleting a User removes their Posts, deleting a parent Category nulls its
  children; shop: deleting a Product on an OrderLine is 409);
- a list call runs the same number of SQL statements for limit=1 and limit=50 over 50+ rows (no N+1).

Payloads are built from `schemaforge resolve` (types, enums, lengths, bounds, patterns), never per schema.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

pytest.register_assert_rewrite("generated_support")  # before the import below: its asserts explain themselves

from conftest import Database, Schemaforge, fresh_database
from generated_support import (
    INT_RANGES,
    Api,
    Column,
    Entity,
    ForeignKey,
    GeneratedProject,
    GeneratedProjects,
    LoadedApp,
    Relation,
    SchemaInfo,
    StatementCounter,
    async_url,
    example_params,
    loaded_app,
    normalize,
    same,
)

# The fixture `generated`: every project, generated once per session.
pytest_plugins = ("generated_support",)


@dataclass
class Served:
    project: GeneratedProject
    info: SchemaInfo
    loaded: LoadedApp
    db: Database

    def run(self, scenario: Callable[[Api], Awaitable[None]]) -> None:
        """Creates the tables with create_all on the app's engine, then runs `scenario` with an Api client."""

        async def main() -> str | None:
            engine = self.loaded.engine
            try:
                try:
                    async with engine.begin() as conn:
                        await conn.run_sync(self.loaded.metadata.create_all)
                except Exception as exc:  # noqa: BLE001 - reported below
                    return f"create_all failed on {self.db.dialect}: {type(exc).__name__}: {exc}"
                transport = httpx.ASGITransport(app=self.loaded.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                    await scenario(Api(self.loaded, self.info, client))
                return None
            finally:
                await engine.dispose()

        error = asyncio.run(main())
        if error:
            pytest.fail(error, pytrace=False)


@pytest.fixture
def served(
    request: pytest.FixtureRequest, generated: GeneratedProjects, schemaforge: Schemaforge, tmp_path: Path
) -> Iterator[Served]:
    path, dialect = request.param
    project = generated.get(path, dialect)
    info = SchemaInfo(schemaforge.resolve(path))
    with fresh_database(dialect, tmp_path) as db, loaded_app(project, async_url(db, project)) as loaded:
        yield Served(project, info, loaded, db)


def served_cases(stems: tuple[str, ...] | None = None) -> list[Any]:
    return [pytest.param((p, d), id=f"{p.stem}-{d}") for p, d in example_params() if stems is None or p.stem in stems]


def report(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# What a database says in its own words: an error body must never carry it.
DATABASE_WORDS = ("IntegrityError", "constraint failed", "violates", "Duplicate entry", "DETAIL:", "sqlalchemy")


def problem_of(response: httpx.Response) -> dict[str, Any] | None:
    """The RFC 9457 problem document of an error response, or None if it is not one."""
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    try:
        body = response.json()
    except json.JSONDecodeError:
        return None
    if not isinstance(body, dict) or body.get("status") != response.status_code or not isinstance(body.get("title"), str):
        return None
    if any(word in response.text for word in DATABASE_WORDS):
        return None
    return body


def detail_of(response: httpx.Response) -> Any:
    problem = problem_of(response)
    return problem.get("detail") if problem else None


def errors_of(response: httpx.Response) -> list[dict[str, Any]]:
    """The problem's `errors` ({loc, type, msg} each), or [] when the shape is wrong."""
    problem = problem_of(response)
    errors = problem.get("errors") if problem else None
    if not isinstance(errors, list):
        return []
    for error in errors:
        if not (isinstance(error, dict) and isinstance(error.get("type"), str) and isinstance(error.get("msg"), str)):
            return []
        if not isinstance(error.get("loc"), list):
            return []
    return errors


def short(response: httpx.Response) -> str:
    return f"{response.status_code} {response.text[:400]}"


def column_of(api: Api, entity: Entity, key: str) -> Column | None:
    for name, k in api.api(entity).keys.items():
        if k == key:
            return entity.columns[name]
    return None


def literal_default(column: Column) -> Any:
    assert column.default is not None
    value = str(column.default["value"])
    kind = column.type[0]
    if kind == "bool":
        return value.lower() in ("true", "1")
    if kind in INT_RANGES:
        return int(value)
    if kind in ("json", "array"):
        return json.loads(value)
    return value


def check_row(api: Api, entity: Entity, body: dict[str, Any], row: dict[str, Any], what: str) -> list[str]:
    """The Read of a created/updated object against what was sent and the schema's defaults."""
    ea = api.api(entity)
    problems = []
    for name, column in entity.columns.items():
        key = ea.keys.get(name)
        if column.sensitive:
            if key in row or name in row:
                problems.append(f"{what}: the sensitive field {name!r} is in the response")
            continue
        if key is None or key not in row:
            problems.append(f"{what}: the response has no field for column {entity.table}.{name}: {sorted(row)}")
            continue
        if key in body:
            if not same(body[key], row[key], column.type):
                problems.append(f"{what}: {key} sent {body[key]!r}, returned {row[key]!r}")
        elif column.default is not None:
            kind = column.default.get("kind")
            if row[key] is None:
                problems.append(f"{what}: {key} left out: the default ({column.default}) should apply, got null")
            elif kind == "literal" and not same(literal_default(column), row[key], column.type):
                problems.append(f"{what}: {key} left out: default {column.default['value']!r}, returned {row[key]!r}")
            else:
                try:
                    normalize(row[key], column.type)
                except (ValueError, TypeError) as exc:
                    problems.append(f"{what}: {key} default value {row[key]!r} is not a {column.spelling}: {exc}")
        elif column.autoincrement and row[key] is None:
            problems.append(f"{what}: generated key {key} is null")
    for relation in entity.m2m:
        ids_field = api.ids_field(entity, relation.name)
        if ids_field in body:
            target = api.api(relation.target_table)
            key_column = target.entity.columns[target.entity.pk[0]]
            expected = sorted(normalize(v, key_column.type) for v in body[ids_field])
            got = api.ref_keys(entity, relation.name, row)
            if expected != got:
                problems.append(f"{what}: {relation.name} sent {expected}, returned {got}")
    return problems


def query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def sort_fields(api: Api, entity: Entity) -> list[str]:
    param = api.list_parameters(entity).get("sort")
    assert param is not None, f"the list route of {entity.name} has no sort parameter"
    pattern = param["schema"].get("pattern", "")
    start, end = pattern.find("("), pattern.rfind(")")
    assert start >= 0 and end > start, f"cannot read the sortable fields of {entity.name} from {pattern!r}"
    return pattern[start + 1 : end].split("|")


# ---------------------------------------------------------------------------------------------
# The tour: every route


def expected_routes(api: Api) -> set[tuple[str, str]]:
    """(method, path with {} for each parameter) that the README and the brief promise per entity."""
    routes = set()
    for entity in api.info.entities:
        ea = api.api(entity)
        item = ea.prefix + "/{}" * len(entity.pk)
        routes |= {("GET", ea.prefix + "/"), ("POST", ea.prefix + "/")}
        routes |= {("GET", item), ("PATCH", item), ("DELETE", item)}
        for relation in entity.m2m:
            segment = api.segment(entity, relation.name)
            routes |= {("POST", f"{item}/{segment}/{{}}"), ("DELETE", f"{item}/{segment}/{{}}")}
    return routes


def route_shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


async def tour(api: Api) -> None:
    problems: list[str] = []
    info = api.info
    order = info.creation_order()

    # The routes the app has against the routes each entity should have.
    have = {(m, route_shape(p)) for m, p, _ in api.routes()}
    for method, path in sorted(expected_routes(api) - have):
        problems.append(f"missing route {method} {path}")

    # Create: a minimal object (required fields only: defaults apply) and a full one (every writable field,
    # nullable parents, many-to-many ids), for every entity, parents first.
    # Each is read back (GET) at once and must equal the create response.
    mine: dict[str, list[dict[str, Any]]] = {}
    for entity in order:
        minimal = await api.new(entity)
        problems += check_row(api, entity, api.last_body, minimal, f"create minimal {entity.name}")
        problems += await check_read_back(api, entity, minimal)
        links = {}
        for relation in entity.m2m:
            links[relation.name] = [await api.new(relation.target_table) for _ in range(2)]
        full = await api.new(entity, full=True, links=links)
        problems += check_row(api, entity, api.last_body, full, f"create full {entity.name}")
        problems += await check_read_back(api, entity, full)
        mine[entity.table] = [minimal, full]

    # List: every object once, count = total; filters; sorts; pages.
    for entity in order:
        ea = api.api(entity)
        rows, count = await api.all_rows(entity)
        created_keys = sorted(map(ea.key_of, api.created.get(entity.table, [])), key=repr)
        listed_keys = sorted(map(ea.key_of, rows), key=repr)
        if listed_keys != created_keys or count != len(created_keys):
            problems.append(f"list {entity.name}: count {count}, keys {listed_keys} != created {created_keys}")
        params = api.list_parameters(entity)
        pages = {"limit", "offset", "sort", "cursor", "count"} | ({"q"} if entity.searched else set())
        for name in sorted(set(params) - pages):
            if name.rpartition("__")[2] in OPERATORS and column_of(api, entity, name.rpartition("__")[0]) is not None:
                continue  # the other comparisons: test_filters.py
            column = column_of(api, entity, name)
            if column is None:
                problems.append(f"list {entity.name}: filter {name!r} is no column")
                continue
            values = {repr(normalize(r.get(name), column.type)) for r in rows if r.get(name) is not None}
            if len(values) < 2:
                # Every object has the same value: add one with another, so that the filter must select.
                await api.new(entity, overrides=await other_value(api, entity, column, rows))
                rows, _ = await api.all_rows(entity)
            sample = next((r for r in rows if r.get(name) is not None), None)
            if sample is None:
                problems.append(f"list {entity.name}: no row has a value for the filter {name!r}")
                continue
            expected = sorted((ea.key_of(r) for r in rows if same(r.get(name), sample[name], column.type)), key=repr)
            response = await api.request("GET", ea.prefix + "/", params={name: query_value(sample[name]), "limit": 200, "count": "true"})
            if response.status_code != 200:
                problems.append(f"list {entity.name}?{name}=...: {short(response)}")
                continue
            page = response.json()
            got = sorted(map(ea.key_of, page["data"]), key=repr)
            if got != expected or page["count"] != len(expected):
                problems.append(
                    f"list {entity.name}?{name}={sample[name]!r}: count {page['count']}, keys {got}, expected {expected}"
                )
        rows, count = await api.all_rows(entity)  # the filter checks may have added objects
        problems += await check_sorts(api, entity, len(rows))
        problems += await check_pages(api, entity, count)

    # Patch every updatable field of the full object, then one field, then nothing.
    for entity in order:
        problems += await check_patch(api, entity, mine[entity.table][1])

    # Many-to-many add / remove.
    for entity in order:
        for relation in entity.m2m:
            problems += await check_m2m_routes(api, entity, relation.name, mine[entity.table][0])

    # Delete everything, children first; each delete is 204, then GET and DELETE are 404.
    for entity in reversed(order):
        ea = api.api(entity)
        for row in reversed(api.created.get(entity.table, [])):
            if (await api.get(entity, row)).status_code == 404:
                continue  # removed by an ON DELETE CASCADE
            response = await api.request("DELETE", ea.url(row))
            if response.status_code != 204:
                problems.append(f"DELETE {ea.url(row)}: {short(response)}")
                continue
            if response.content:
                problems.append(f"DELETE {ea.url(row)}: 204 with a body {response.content[:100]!r}")
            for method in ("GET", "DELETE"):
                again = await api.request(method, ea.url(row))
                if again.status_code != 404:
                    problems.append(f"{method} {ea.url(row)} after delete: {short(again)}")
    for entity in order:
        rows, count = await api.all_rows(entity)
        if rows or count:
            problems.append(f"{entity.name}: {count} row(s) left after deleting everything")

    for route in api.uncalled_routes():
        problems.append(f"route never answered with 2xx during the tour: {route}")
    report(problems)


async def other_value(api: Api, entity: Entity, column: Column, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Create-body fields that give `column` a value no row in `rows` has."""
    ea = api.api(entity)
    key = ea.key(column.name)
    taken = {repr(normalize(r.get(key), column.type)) for r in rows}
    fk = entity.fk_of(column.name)
    if fk is not None:
        body: dict[str, Any] = {}
        api.set_parent(body, entity, fk, await api.new(fk.ref_table))
        return body
    for _ in range(50):
        value = api.values.valid(column, api.n())
        if repr(normalize(value, column.type)) not in taken:
            return {key: value}
    raise AssertionError(f"cannot find a new value for {entity.name}.{column.name}")


async def check_read_back(api: Api, entity: Entity, row: dict[str, Any]) -> list[str]:
    response = await api.get(entity, row)
    if response.status_code != 200:
        return [f"GET {api.api(entity).url(row)}: {short(response)}"]
    if response.json() != row:
        return [
            f"GET {api.api(entity).url(row)} differs from the create response:\n  created {row}\n  read    {response.json()}"
        ]
    return []


async def check_sorts(api: Api, entity: Entity, total: int) -> list[str]:
    """sort=f ascending and sort=-f descending for every sortable field. Order is checked against Python's
    for numbers, booleans, dates, times and UUIDs (PostgreSQL's uuid order is the hex text's, the others
    store the text), and for strings made only of [a-z0-9] (every collation here agrees there: PostgreSQL
    C.UTF-8, MariaDB utf8mb4_unicode_ci, SQLite BINARY; punctuation and case do not); enums sort by declaration
    order on PostgreSQL and MariaDB but by text on SQLite, so for them (and other strings) descending must
    be the exact reverse of ascending. NULLs are left out: PostgreSQL sorts them last, the others first."""
    problems = []
    ea = api.api(entity)
    for name in sort_fields(api, entity):
        column = column_of(api, entity, name)
        if column is None:
            problems.append(f"sort {entity.name}: {name!r} is no column")
            continue
        sequences = {}
        for sort in (name, "-" + name):
            response = await api.request("GET", ea.prefix + "/", params={"sort": sort, "limit": 200})
            if response.status_code != 200:
                problems.append(f"list {entity.name}?sort={sort}: {short(response)}")
                break
            data = response.json()["data"]
            if len(data) != total:
                problems.append(f"list {entity.name}?sort={sort}: {len(data)} rows of {total}")
            nulls = [r[name] is None for r in data]
            if nulls != sorted(nulls):
                problems.append(f"list {entity.name}?sort={sort}: NULLs are not last: {nulls}")
            walked = await walk_cursor(api, entity, {"sort": sort, "limit": 2})
            if walked != [ea.key_of(r) for r in data]:
                problems.append(f"list {entity.name}?sort={sort}: cursor pages of 2 give {walked}, one page {data}")
            sequences[sort] = [normalize(r[name], column.type) for r in data if r[name] is not None]
        if len(sequences) < 2:
            continue
        asc, desc = sequences[name], sequences["-" + name]
        kind = column.type[0]
        comparable = kind in (*INT_RANGES, "decimal", "float", "bool", "date", "time", "datetime", "uuid") or (
            kind in ("string", "text") and all(v.isascii() and v.isalnum() and v == v.lower() for v in asc)
        )
        if comparable:
            key = (lambda v: str(v)) if kind == "uuid" else (lambda v: v)
            if asc != sorted(asc, key=key):
                problems.append(f"list {entity.name}?sort={name}: not ascending: {asc}")
            if desc != sorted(desc, key=key, reverse=True):
                problems.append(f"list {entity.name}?sort=-{name}: not descending: {desc}")
        else:
            groups = [v for i, v in enumerate(asc) if i == 0 or asc[i - 1] != v]
            groups_desc = [v for i, v in enumerate(desc) if i == 0 or desc[i - 1] != v]
            if len(set(map(repr, groups))) != len(groups) or groups_desc != groups[::-1]:
                problems.append(f"list {entity.name}: sort={name} {asc} and sort=-{name} {desc} are not reverse orders")
    return problems


# The comparisons of `?field__<operator>=` (the generated app/filters.py).
OPERATORS = {"ne", "lt", "lte", "gt", "gte", "in", "is_null", "contains", "icontains", "startswith"}


async def walk_cursor(api: Api, entity: Entity, params: dict[str, Any]) -> list[Any] | str:
    """The keys of every row, page after page by `next_cursor`; a problem's text if a page fails."""
    ea = api.api(entity)
    keys: list[Any] = []
    query = dict(params)
    for _ in range(1000):
        response = await api.request("GET", ea.prefix + "/", params=query)
        if response.status_code != 200:
            return f"cursor page {query}: {short(response)}"
        page = response.json()
        keys += [ea.key_of(r) for r in page["data"]]
        if page["next_cursor"] is None:
            return keys
        query = {**params, "cursor": page["next_cursor"]}
    return f"cursor pages {params}: no last page after 1000"


async def check_pages(api: Api, entity: Entity, count: int) -> list[str]:
    """Pages of 2 (limit/offset) concatenate to the full list; every page reports the total count; invalid
    paging and sorting parameters are 422."""
    problems = []
    ea = api.api(entity)
    full = await api.request("GET", ea.prefix + "/", params={"limit": 200})
    everything = [ea.key_of(r) for r in full.json()["data"]]
    pages: list[Any] = []
    for offset in range(0, count + 2, 2):
        response = await api.request("GET", ea.prefix + "/", params={"limit": 2, "offset": offset, "count": "true"})
        page = response.json()
        if response.status_code != 200 or page["count"] != count:
            problems.append(f"list {entity.name}?limit=2&offset={offset}: {short(response)} (total {count})")
            return problems
        if len(page["data"]) > 2:
            problems.append(f"list {entity.name}?limit=2: {len(page['data'])} rows")
        pages += [ea.key_of(r) for r in page["data"]]
    if pages != everything:
        problems.append(f"list {entity.name}: pages of 2 give {pages}, one page gives {everything}")
    for params in ({"limit": 0}, {"offset": -1}, {"sort": "no_such_field"}, {"sort": "--id"}, {"limit": "x"}):
        response = await api.request("GET", ea.prefix + "/", params=params)
        if response.status_code != 422 or not validation_error_ok(response, ("query", next(iter(params)))):
            problems.append(f"list {entity.name}?{params}: expected 422, got {short(response)}")
    return problems


async def patch_body(api: Api, entity: Entity) -> dict[str, Any]:
    """New values for every field the Update schema accepts: own columns, foreign keys (to new parents)
    and many-to-many ids (new targets)."""
    ea = api.api(entity)
    body: dict[str, Any] = {}
    n = api.n()
    for name, column in entity.columns.items():
        key = ea.keys.get(name)
        if key is None or key not in ea.update_fields or entity.fk_of(name) is not None:
            continue
        body[key] = api.values.valid(column, n)
    for fk in entity.fks:
        keys = [ea.keys.get(c) for c in fk.columns]
        if all(k in ea.update_fields for k in keys):
            api.set_parent(body, entity, fk, await api.new(fk.ref_table))
    for relation in entity.m2m:
        ids_field = api.ids_field(entity, relation.name)
        if ids_field in ea.update_fields:
            target = await api.new(relation.target_table)
            body[ids_field] = [api.ref_value(relation.name, entity, target)]
    return body


async def check_patch(api: Api, entity: Entity, row: dict[str, Any]) -> list[str]:
    problems = []
    ea = api.api(entity)
    problems += await check_on_update_now(api, entity)
    url = ea.url(row)
    body = await patch_body(api, entity)
    response = await api.request("PATCH", url, json=body)
    if response.status_code != 200:
        return [f"PATCH {url} {json.dumps(body, default=str)}: {short(response)}"]
    patched = response.json()
    problems += check_row(api, entity, body, patched, f"PATCH {entity.name}")
    for name, column in entity.columns.items():
        key = ea.keys.get(name)
        if key in body or key not in row or column.sensitive:
            continue
        if column.on_update_now:
            if normalize(patched[key], column.type) < normalize(row[key], column.type):
                problems.append(f"PATCH {entity.name}: {key} went back in time: {row[key]} -> {patched[key]}")
        elif patched[key] != row[key]:
            problems.append(f"PATCH {entity.name}: {key} not sent but changed: {row[key]!r} -> {patched[key]!r}")
    read = await api.request("GET", url)
    if read.json() != patched:
        problems.append(f"GET {url} after PATCH differs from the PATCH response:\n  {patched}\n  {read.json()}")
    # One field: the others stay as they are.
    own = [k for k in body if (c := column_of(api, entity, k)) is not None and entity.fk_of(c.name) is None]
    if own:
        key = own[0]
        column = column_of(api, entity, key)
        assert column is not None
        value = api.values.valid(column, api.n())
        response = await api.request("PATCH", url, json={key: value})
        if response.status_code != 200:
            problems.append(f"PATCH {url} {{{key!r}: {value!r}}}: {short(response)}")
        else:
            after = response.json()
            if not same(after[key], value, column.type):
                problems.append(f"PATCH {entity.name} {key}={value!r}: returned {after[key]!r}")
            for k, v in patched.items():
                c = column_of(api, entity, k)
                if k != key and not (c is not None and c.on_update_now) and after.get(k) != v:
                    problems.append(f"PATCH {entity.name} of {key} only changed {k}: {v!r} -> {after.get(k)!r}")
            patched = after
    # Nullable own fields can be set to null.
    for name, column in entity.columns.items():
        key = ea.keys.get(name)
        if column.nullable and key in ea.update_fields and entity.fk_of(name) is None:
            response = await api.request("PATCH", url, json={key: None})
            if response.status_code != 200 or response.json().get(key, "absent") is not None:
                problems.append(f"PATCH {url} {{{key!r}: null}} (nullable): {short(response)}")
    # An empty body changes nothing.
    before = (await api.request("GET", url)).json()
    response = await api.request("PATCH", url, json={})
    if response.status_code != 200 or response.json() != before:
        problems.append(f"PATCH {url} {{}}: {short(response)}; before: {before}")
    return problems


async def check_on_update_now(api: Api, entity: Entity) -> list[str]:
    """A PATCH right after the create (same second, almost always) must not move an on-update timestamp
    back: catches an update value of lower precision than the column's default (e.g. CURRENT_TIMESTAMP vs
    CURRENT_TIMESTAMP(6) on MariaDB)."""
    ea = api.api(entity)
    stamps = [c for c in entity.columns.values() if c.on_update_now and ea.keys.get(c.name) in ea.read_fields]
    own = [
        c
        for c in entity.columns.values()
        if ea.keys.get(c.name) in ea.update_fields and entity.fk_of(c.name) is None and not c.sensitive
    ]
    if not stamps or not own:
        return []
    problems = []
    row = await api.new(entity)
    body = {ea.key(own[0].name): api.values.valid(own[0], api.n())}
    response = await api.request("PATCH", ea.url(row), json=body)
    if response.status_code != 200:
        return [f"PATCH {ea.url(row)} {body}: {short(response)}"]
    for column in stamps:
        key = ea.key(column.name)
        before, after = normalize(row[key], column.type), normalize(response.json()[key], column.type)
        if after < before:
            problems.append(
                f"PATCH {entity.name} right after create: {key} went back in time: {row[key]} -> {response.json()[key]}"
            )
    return problems


async def check_m2m_routes(api: Api, entity: Entity, relation_name: str, owner: dict[str, Any]) -> list[str]:
    problems = []
    relation = api.relation(entity, relation_name)
    ea = api.api(entity)
    other = await api.new(relation.target_table)
    other_api = api.api(relation.target_table)
    other_key = api.ref_value(relation_name, entity, other)
    column = other_api.entity.columns[other_api.entity.pk[0]]
    link = api.link_url(entity, owner, relation_name, other_key)

    async def linked() -> list[Any]:
        response = await api.get(entity, owner)
        return api.ref_keys(entity, relation_name, response.json())

    async def back_linked() -> bool | None:
        """Whether `other` lists `owner` on the back relation (None: no back list in its Read)."""
        if not relation.back:
            return None
        response = await api.get(other_api.entity, other)
        refs = response.json().get(relation.back)
        if not isinstance(refs, list):
            return None
        return any(all(ref.get(ea.key(c)) == owner[ea.key(c)] for c in entity.pk) for ref in refs)

    before = await linked()
    target = normalize(other_key, column.type)
    for attempt in (1, 2):  # adding twice keeps one link
        response = await api.request("POST", link)
        if response.status_code != 204:
            problems.append(f"POST {link} (#{attempt}): {short(response)}")
    now = await linked()
    if now.count(target) != 1 or len(now) != len(before) + 1:
        problems.append(f"POST {link}: links {before} -> {now}")
    if await back_linked() is False:
        problems.append(f"POST {link}: {relation.target_entity}.{relation.back} does not list the owner")
    for attempt in (1, 2):  # removing twice is harmless
        response = await api.request("DELETE", link)
        if response.status_code != 204:
            problems.append(f"DELETE {link} (#{attempt}): {short(response)}")
    now = await linked()
    if now != before:
        problems.append(f"DELETE {link}: links {before} -> {now}")
    if await back_linked() is True:
        problems.append(f"DELETE {link}: {relation.target_entity}.{relation.back} still lists the owner")
    return problems


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_every_route_round_trips(served: Served) -> None:
    served.run(tour)


# ---------------------------------------------------------------------------------------------
# 404


def unknown_row(api: Api, entity: Entity) -> dict[str, Any]:
    ea = api.api(entity)
    return {ea.key(c): api.values.unknown_key(entity.columns[c]) for c in entity.pk}


async def not_found(api: Api) -> None:
    problems = []

    def check(response: httpx.Response, what: str) -> None:
        detail = detail_of(response)
        if response.status_code != 404 or not isinstance(detail, str) or not detail:
            problems.append(f"{what}: expected 404 with a detail message, got {short(response)}")

    for entity in api.info.creation_order():
        ea = api.api(entity)
        missing = ea.url(unknown_row(api, entity))
        check(await api.request("GET", missing), f"GET {missing}")
        check(await api.request("PATCH", missing, json={}), f"PATCH {missing}")
        check(await api.request("DELETE", missing), f"DELETE {missing}")
        for relation in entity.m2m:
            owner = await api.new(entity)
            other = await api.new(relation.target_table)
            other_api = api.api(relation.target_table)
            unknown_other = api.values.unknown_key(other_api.entity.columns[other_api.entity.pk[0]])
            known_other = api.ref_value(relation.name, entity, other)
            for method in ("POST", "DELETE"):
                check(
                    await api.request(method, api.link_url(entity, owner, relation.name, unknown_other)),
                    f"{method} {entity.name}/{{id}}/{relation.name}/<unknown>",
                )
                check(
                    await api.request(
                        method, f"{missing}/{api.segment(entity, relation.name)}/{quote(str(known_other), safe='')}"
                    ),
                    f"{method} <unknown {entity.name}>/{relation.name}/{{id}}",
                )
            ids_field = api.ids_field(entity, relation.name)
            body = api.payload(entity, api.n(), full=False)
            for fk in entity.fks:
                if not fk.nullable:
                    api.set_parent(body, entity, fk, await api.new(fk.ref_table))
            body[ids_field] = [unknown_other]
            # A missing referenced id is a 409 naming the field, as through a foreign-key field.
            response = await api.request("POST", ea.prefix + "/", json=body)
            if not conflict_ok(response, ("body", ids_field)):
                problems.append(f"POST {entity.name} with unknown {ids_field}: expected 409 naming it, got {short(response)}")
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_unknown_keys_are_404(served: Served) -> None:
    served.run(not_found)


# ---------------------------------------------------------------------------------------------
# 409


def conflict_ok(response: httpx.Response, loc_prefix: tuple[Any, ...] = ()) -> bool:
    """A 409 problem whose errors name `loc_prefix` (when given), without the database's words."""
    errors = errors_of(response)
    if response.status_code != 409 or not errors:
        return False
    return not loc_prefix or any(tuple(e["loc"][: len(loc_prefix)]) == loc_prefix for e in errors)


async def conflicts(api: Api) -> None:
    problems = []
    for entity in api.info.creation_order():
        ea = api.api(entity)
        constraints = list(entity.uniques)
        if not any(entity.columns[c].autoincrement for c in entity.pk):
            constraints.append(("primary key", entity.pk))
        for name, columns in constraints:
            keys = [ea.keys.get(c) for c in columns]
            if not all(k in ea.create_fields for k in keys):
                continue  # not settable through the API
            first = await api.new(entity, full=True)
            first_body = api.last_body
            rows_before = (await api.all_rows(entity))[1]
            # A new object with the same values in the constrained columns (same parents where they are FKs).
            parents = {
                fk.name: parent_of(api, entity, fk, first) for fk in entity.fks if set(fk.columns) & set(columns)
            }
            body = api.payload(entity, api.n(), full=True)
            for fk in entity.fks:
                if fk.name in parents:
                    api.set_parent(body, entity, fk, parents[fk.name])
                elif not fk.nullable:
                    api.set_parent(body, entity, fk, await api.new(fk.ref_table))
            for key in keys:
                body[key] = first[key] if key in first else first_body[key]
            response = await api.request("POST", ea.prefix + "/", json=body)
            if not conflict_ok(response):
                problems.append(f"POST {entity.name} duplicating {name} {columns}: expected 409, got {short(response)}")
            rows_after = (await api.all_rows(entity))[1]
            if rows_after != rows_before:
                problems.append(f"{entity.name}: a refused duplicate changed the count {rows_before} -> {rows_after}")
            # The same through PATCH of another object, where the fields can be changed.
            if all(k in ea.update_fields for k in keys):
                second = await api.new(entity, full=True)
                patch = {k: first[k] for k in keys}
                response = await api.request("PATCH", ea.url(second), json=patch)
                if not conflict_ok(response):
                    problems.append(
                        f"PATCH {entity.name} to duplicate {name} {columns}: expected 409, got {short(response)}"
                    )
                unchanged = await api.get(entity, second)
                if unchanged.json() != second:
                    problems.append(
                        f"{entity.name}: a refused PATCH changed the object: {second} -> {unchanged.json()}"
                    )
        for fk in entity.fks:
            keys = [ea.keys.get(c) for c in fk.columns]
            if not all(k in ea.create_fields for k in keys):
                continue
            parent_api = api.api(fk.ref_table)
            body = api.payload(entity, api.n(), full=False)
            for other in entity.fks:
                if other is not fk and not other.nullable:
                    api.set_parent(body, entity, other, await api.new(other.ref_table))
            for column, ref in zip(fk.columns, fk.ref_columns, strict=True):
                body[ea.key(column)] = api.values.unknown_key(parent_api.entity.columns[ref])
            response = await api.request("POST", ea.prefix + "/", json=body)
            if not conflict_ok(response):
                problems.append(f"POST {entity.name} with an unknown {fk.name}: expected 409, got {short(response)}")
            if all(k in ea.update_fields for k in keys):
                row = await api.new(entity)
                patch = {ea.key(c): body[ea.key(c)] for c in fk.columns}
                response = await api.request("PATCH", ea.url(row), json=patch)
                if not conflict_ok(response):
                    problems.append(f"PATCH {entity.name} to an unknown {fk.name}: expected 409, got {short(response)}")
        # The app still works after the refused writes (the session was rolled back).
        response = await api.request("GET", ea.prefix + "/")
        if response.status_code != 200:
            problems.append(f"list {entity.name} after conflicts: {short(response)}")
    report(problems)


def parent_of(api: Api, entity: Entity, fk: ForeignKey, row: dict[str, Any]) -> dict[str, Any]:
    """A stand-in parent row that carries the referenced key values of `row`'s foreign key."""
    ea = api.api(entity)
    parent_api = api.api(fk.ref_table)
    return {parent_api.key(ref): row[ea.key(col)] for col, ref in zip(fk.columns, fk.ref_columns, strict=True)}


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_unique_and_foreign_key_violations_are_409(served: Served) -> None:
    served.run(conflicts)


# ---------------------------------------------------------------------------------------------
# 422


def validation_error_ok(response: httpx.Response, loc_prefix: tuple[Any, ...]) -> bool:
    """A 422 problem document whose `errors` ({loc, type, msg}) include one at `loc_prefix`."""
    errors = errors_of(response)
    if response.status_code != 422 or not errors:
        return False
    return any(tuple(e["loc"][: len(loc_prefix)]) == loc_prefix for e in errors)


async def valid_body(api: Api, entity: Entity) -> dict[str, Any]:
    body = api.payload(entity, api.n(), full=True)
    for fk in entity.fks:
        if not fk.nullable:
            api.set_parent(body, entity, fk, await api.new(fk.ref_table))
    return body


def fresh_own_values(api: Api, entity: Entity) -> dict[str, Any]:
    """New values for the entity's own unique and key columns, so that one refused body (or one wrongly
    accepted) does not make the next one fail for another reason."""
    fresh = api.payload(entity, api.n(), full=True)
    unique = {c for _, cols in entity.uniques for c in cols} | set(entity.pk)
    return {k: v for k, v in fresh.items() if (c := column_of(api, entity, k)) is not None and c.name in unique}


async def invalid_bodies(api: Api) -> None:
    problems = []
    for entity in api.info.creation_order():
        ea = api.api(entity)
        base = await valid_body(api, entity)
        rows_before = (await api.all_rows(entity))[1]
        cases: list[tuple[str, str, Any]] = []
        for name, column in entity.columns.items():
            key = ea.keys.get(name)
            if key is None or key not in ea.create_fields:
                continue
            for what, value in api.values.invalid_values(column):
                cases.append((what, key, value))
            if column.required:
                cases.append(("missing", key, ...))
        for relation in entity.m2m:
            cases.append(("wrong type", api.ids_field(entity, relation.name), "not a list"))
        for what, key, value in cases:
            body = {**base, **fresh_own_values(api, entity)}
            if value is ...:
                del body[key]
            else:
                body[key] = value
            response = await api.request("POST", ea.prefix + "/", json=body)
            if not validation_error_ok(response, ("body", key)):
                problems.append(
                    f"POST {entity.name} {key} {what} ({value!r}): expected 422 at body.{key}, got {short(response)}"
                )
        for body in ([1, 2], "text", None):
            response = await api.request("POST", ea.prefix + "/", json=body)
            if not validation_error_ok(response, ("body",)):
                problems.append(f"POST {entity.name} body {body!r}: expected 422, got {short(response)}")
        rows_after = (await api.all_rows(entity))[1]
        if rows_after != rows_before:
            problems.append(f"{entity.name}: invalid bodies created objects ({rows_before} -> {rows_after})")
        # PATCH with invalid values; and a path key of the wrong type.
        row = await api.new(entity)
        for name, column in entity.columns.items():
            key = ea.keys.get(name)
            if key is None or key not in ea.update_fields:
                continue
            for what, value in api.values.invalid_values(column):
                response = await api.request("PATCH", ea.url(row), json={key: value})
                if not validation_error_ok(response, ("body", key)):
                    problems.append(
                        f"PATCH {entity.name} {key} {what} ({value!r}): expected 422, got {short(response)}"
                    )
        for c in entity.pk:
            if entity.columns[c].type[0] in (*INT_RANGES, "uuid"):
                bad = dict(row)
                bad[ea.key(c)] = "not-a-key"
                response = await api.request("GET", ea.url(bad))
                if not validation_error_ok(response, ("path",)):
                    problems.append(f"GET {ea.url(bad)}: expected 422, got {short(response)}")
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_invalid_bodies_are_422(served: Served) -> None:
    served.run(invalid_bodies)


async def integer_overflow(api: Api) -> None:
    """An integer beyond the column's type (int: 32 bits, smallint: 16, bigint: 64) is invalid input, not a
    server error: the API must answer 422 on every database (SQLite would even store it)."""
    problems = []
    for entity in api.info.creation_order():
        ea = api.api(entity)
        base = await valid_body(api, entity)
        for name, column in entity.columns.items():
            key = ea.keys.get(name)
            if key is None or key not in ea.create_fields or column.type[0] not in INT_RANGES:
                continue
            lo, hi = INT_RANGES[column.type[0]]
            if "maximum" in column.validation and "minimum" in column.validation:
                continue  # bounded by the schema: covered by test_invalid_bodies_are_422
            for value in (hi + 1, lo - 1):
                body = {**base, **fresh_own_values(api, entity)}
                body[key] = value
                response = await api.request("POST", ea.prefix + "/", json=body)
                if not validation_error_ok(response, ("body", key)):
                    problems.append(
                        f"POST {entity.name} {key}={value} ({column.spelling}): expected 422, got {short(response)}"
                    )
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_integers_beyond_the_column_type_are_422(served: Served) -> None:
    served.run(integer_overflow)


async def null_for_required(api: Api) -> None:
    """PATCH {"field": null} on a NOT NULL column is an invalid body (422), not a database conflict."""
    problems = []
    for entity in api.info.creation_order():
        ea = api.api(entity)
        row = await api.new(entity)
        for name, column in entity.columns.items():
            key = ea.keys.get(name)
            if key is None or key not in ea.update_fields or column.nullable:
                continue
            response = await api.request("PATCH", ea.url(row), json={key: None})
            if not validation_error_ok(response, ("body", key)):
                problems.append(
                    f"PATCH {entity.name} {{{key!r}: null}} (NOT NULL): expected 422, got {short(response)}"
                )
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_null_for_a_not_null_field_is_422(served: Served) -> None:
    served.run(null_for_required)


# ---------------------------------------------------------------------------------------------
# ON DELETE


async def on_delete_actions(api: Api) -> None:
    """For every foreign key between two entities the API serves: delete the parent through the API and
    check the child per the schema's ON DELETE (cascade: gone; set_null: key null; restrict / no action:
    409 and both kept). Implicit many-to-many links: deleting either side removes the link."""
    problems = []
    dialect = api.loaded.project.dialect
    for entity in api.info.creation_order():
        ea = api.api(entity)
        for fk in entity.fks:
            if fk.ref_table not in api.entities:
                continue
            parent_api = api.api(fk.ref_table)
            parent = await api.new(fk.ref_table)
            child = await api.new(entity, parents={fk.name: parent})
            response = await api.request("DELETE", parent_api.url(parent))
            child_now = await api.get(entity, child)
            parent_now = await api.get(parent_api.entity, parent)
            action = fk.on_delete or "no_action"
            if action == "set_default" and dialect == "mysql":
                action = "restrict"  # MySQL/MariaDB have no SET DEFAULT: the DDL makes it RESTRICT (with a warning)
            what = f"DELETE {fk.ref_table} referenced by {fk.name} (ON DELETE {action})"
            if action == "cascade":
                if response.status_code != 204 or child_now.status_code != 404:
                    problems.append(f"{what}: delete {short(response)}, child then {child_now.status_code}")
            elif action == "set_null":
                keys = [ea.key(c) for c in fk.columns]
                if (
                    response.status_code != 204
                    or child_now.status_code != 200
                    or any(child_now.json()[k] is not None for k in keys)
                ):
                    problems.append(f"{what}: delete {short(response)}, child then {short(child_now)}")
            elif action in ("restrict", "no_action"):
                if not conflict_ok(response) or child_now.status_code != 200 or parent_now.status_code != 200:
                    problems.append(
                        f"{what}: expected 409 and both kept; delete {short(response)}, child {child_now.status_code}, "
                        f"parent {parent_now.status_code}"
                    )
                elif child_now.json() != child:
                    problems.append(f"{what}: the refused delete changed the child: {child} -> {child_now.json()}")
            else:
                problems.append(f"{what}: no check for ON DELETE {action}")
        for relation in entity.m2m:
            for deleted_side in ("target", "owner"):
                target = await api.new(relation.target_table)
                owner = await api.new(entity, links={relation.name: [target]})
                target_api = api.api(relation.target_table)
                if deleted_side == "target":
                    response = await api.request("DELETE", target_api.url(target))
                    after = await api.get(entity, owner)
                    if (
                        response.status_code != 204
                        or after.status_code != 200
                        or api.ref_keys(entity, relation.name, after.json())
                    ):
                        problems.append(
                            f"DELETE a linked {relation.target_entity}: {short(response)}, owner then {short(after)}"
                        )
                else:
                    response = await api.request("DELETE", ea.url(owner))
                    after = await api.get(target_api.entity, target)
                    if response.status_code != 204 or after.status_code != 200:
                        problems.append(
                            f"DELETE a {entity.name} linked by {relation.name}: {short(response)}, target then {short(after)}"
                        )
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_on_delete_actions_follow_the_schema(served: Served) -> None:
    served.run(on_delete_actions)


# ---------------------------------------------------------------------------------------------
# read: nested


async def nested_reads(api: Api) -> None:
    """Every `read: nested` relation: the owner's Read (from create, get and list) carries the related
    objects with the values the target's own Read has."""
    problems: list[str] = []
    checked = 0

    async def related_pair(entity: Entity, relation: Relation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """An owner and the target rows its relation must show."""
        target = api.info.tables[relation.target_table]
        if relation.kind in ("one_to_many", "one_to_one_inverse"):
            owner = await api.new(entity)
            return owner, [await api.new(target, parents={relation.foreign_key or "": owner})]
        other = await api.new(target)
        if relation.kind in ("many_to_one", "one_to_one"):
            return await api.new(entity, parents={relation.foreign_key or "": other}), [other]
        if relation.implicit_m2m:
            return await api.new(entity, links={relation.name: [other]}), [other]
        if relation.kind == "many_to_many" and relation.through:
            owner = await api.new(entity)
            through = api.info.entity(relation.through)
            await api.new(through, parents={relation.foreign_key or "": owner, relation.target_foreign_key or "": other})
            return owner, [other]
        raise AssertionError(f"no scenario for a nested {relation.kind} ({entity.name}.{relation.name})")

    for entity in api.info.creation_order():
        for relation in entity.relations:
            if relation.read != "nested":
                continue
            checked += 1
            owner, targets = await related_pair(entity, relation)
            target_entity = api.info.tables[relation.target_table]
            expected = [(await api.get(target_entity, t)).json() for t in targets]
            listed, _ = await api.all_rows(entity)
            ea = api.api(entity)
            key = {ea.key(c): owner[ea.key(c)] for c in entity.pk}
            rows = {
                "get": (await api.get(entity, owner)).json(),
                "list": next(r for r in listed if all(r[k] == v for k, v in key.items())),
            }
            for where, row in rows.items():
                value = row.get(relation.name)
                shown = value if isinstance(value, list) else [value]
                for want in expected:
                    match = [n for n in shown if isinstance(n, dict) and n == {k: want.get(k) for k in n}]
                    keys_present = all(
                        api.api(target_entity).key(c) in (match[0] if match else {}) for c in target_entity.pk
                    )
                    if not match or not keys_present:
                        problems.append(f"{where} {entity.name}.{relation.name}: {value!r} does not carry {want!r}")
    assert checked, "no relation with read: nested in this schema"
    report(problems)


@pytest.mark.parametrize("served", served_cases(("shop", "org_chart", "library")), indirect=True)
def test_nested_reads_carry_the_related_objects(served: Served) -> None:
    served.run(nested_reads)


@pytest.mark.parametrize("served", served_cases(("blog",)), indirect=True)
def test_blog_deleting_a_user_removes_their_posts(served: Served) -> None:
    async def scenario(api: Api) -> None:
        users, posts = api.by_name("User"), api.by_name("Post")
        user = await api.new("user")
        other = await api.new("user")
        mine = [await api.new("post", parents={"fk_post_author_id_user": user}) for _ in range(3)]
        theirs = await api.new("post", parents={"fk_post_author_id_user": other})
        profile = await api.new("profile", parents={"fk_profile_user_id_user": user})
        listed = await api.request("GET", posts.prefix + "/", params={"author_id": user["id"], "count": "true"})
        assert listed.json()["count"] == 3, listed.text
        response = await api.request("DELETE", users.url(user))
        assert response.status_code == 204, short(response)
        for post in mine:
            assert (await api.get(posts.entity, post)).status_code == 404, f"post {post['id']} survived its author"
        assert (await api.get(api.by_name("Profile").entity, profile)).status_code == 404, "profile survived its user"
        assert (await api.get(posts.entity, theirs)).status_code == 200, "another user's post was deleted"
        listed = await api.request("GET", posts.prefix + "/", params={"author_id": user["id"], "count": "true"})
        assert listed.status_code == 200, listed.text
        assert listed.json() == {"data": [], "next_cursor": None, "count": 0}, listed.text

    served.run(scenario)


@pytest.mark.parametrize("served", served_cases(("blog",)), indirect=True)
def test_blog_deleting_a_parent_category_nulls_its_children(served: Served) -> None:
    async def scenario(api: Api) -> None:
        categories = api.by_name("Category")
        fk = "fk_categories_parent_id_categories"
        parent = await api.new("categories")
        children = [await api.new("categories", parents={fk: parent}) for _ in range(2)]
        grandchild = await api.new("categories", parents={fk: children[0]})
        for child in children:
            assert child["parent_id"] == parent["id"]
        response = await api.request("DELETE", categories.url(parent))
        assert response.status_code == 204, short(response)
        for child in children:
            now = await api.get(categories.entity, child)
            assert now.status_code == 200 and now.json()["parent_id"] is None, short(now)
        now = await api.get(categories.entity, grandchild)
        assert now.json()["parent_id"] == children[0]["id"], "a grandchild lost its (surviving) parent"

    served.run(scenario)


@pytest.mark.parametrize("served", served_cases(("shop",)), indirect=True)
def test_shop_deleting_a_product_on_an_order_line_is_409(served: Served) -> None:
    async def scenario(api: Api) -> None:
        products, lines = api.by_name("Product"), api.by_name("OrderLine")
        product = await api.new("product")
        line = await api.new("order_line", parents={"fk_order_line_product_sku_product": product})
        response = await api.request("DELETE", products.url(product))
        assert conflict_ok(response), f"expected 409 with a detail message, got {short(response)}"
        assert (await api.get(products.entity, product)).status_code == 200, "the product was deleted"
        assert (await api.get(lines.entity, line)).json() == line, "the order line changed"
        response = await api.request("DELETE", lines.url(line))
        assert response.status_code == 204, short(response)
        response = await api.request("DELETE", products.url(product))
        assert response.status_code == 204, f"unreferenced product not deletable: {short(response)}"

    served.run(scenario)


# ---------------------------------------------------------------------------------------------
# N+1


ROWS = 50


async def populate(api: Api, count: int = ROWS) -> None:
    """`count` objects of every entity, parents taken round-robin from the ones already made (one-to-one
    parents used once each), up to 3 many-to-many links each."""
    for entity in api.info.creation_order():
        for i in range(count):
            parents: dict[str, dict[str, Any] | None] = {}
            for fk in entity.fks:
                pool = api.created.get(fk.ref_table, [])
                if fk.ref_table == entity.table:
                    parents[fk.name] = pool[i // 2] if pool and fk.nullable else None
                elif fk.unique:
                    if i < len(pool):
                        parents[fk.name] = pool[i]
                    elif fk.nullable:
                        parents[fk.name] = None
                elif pool:
                    parents[fk.name] = pool[i % len(pool)]
                elif fk.nullable:
                    parents[fk.name] = None
            links = {}
            for relation in entity.m2m:
                pool = api.created.get(relation.target_table, [])
                links[relation.name] = [pool[(i + k) % len(pool)] for k in range(min(3, len(pool)))]
            await api.new(entity, parents=parents, links=links)


async def statement_counts(api: Api) -> None:
    await populate(api)
    counter = StatementCounter(api.loaded.engine)
    problems = []
    try:
        for entity in api.info.creation_order():
            ea = api.api(entity)
            await api.request("GET", ea.prefix + "/", params={"limit": 1})  # warm the pool
            counts = {}
            for limit in (1, ROWS):
                with counter.counting() as statements:
                    response = await api.request("GET", ea.prefix + "/", params={"limit": limit})
                if response.status_code != 200:
                    problems.append(f"list {entity.name}?limit={limit}: {short(response)}")
                    break
                page = response.json()
                if len(page["data"]) != limit:
                    problems.append(f"list {entity.name}?limit={limit}: {len(page['data'])} rows")
                counts[limit] = list(statements)
                lists = [k for k, v in (page["data"][0] if page["data"] else {}).items() if isinstance(v, list)]
                for name in lists:
                    relation = next((r for r in entity.relations if r.name == name), None)
                    is_m2m = relation is not None and relation.kind == "many_to_many"
                    if limit == ROWS and is_m2m and not any(row[name] for row in page["data"]):
                        problems.append(f"list {entity.name}: no row of {ROWS} shows a {name} link")
            if len(counts) == 2 and len(counts[1]) != len(counts[ROWS]):
                problems.append(
                    f"list {entity.name}: {len(counts[1])} statements for limit=1, {len(counts[ROWS])} for limit={ROWS}:\n"
                    + "\n".join(f"    {s.splitlines()[0][:160]}" for s in counts[ROWS])
                )
    finally:
        counter.close()
    report(problems)


@pytest.mark.parametrize("served", served_cases(), indirect=True)
def test_list_runs_the_same_statements_for_1_and_50_rows(served: Served) -> None:
    served.run(statement_counts)
