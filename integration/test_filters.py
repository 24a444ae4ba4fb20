"""List filters on every database (MongoDB included): `?field=` and `?field__<operator>=` for every operator of every type the
schema marks filterable, each compared with the same predicate evaluated in Python over the rows the API
created; `%` and `_` in a substring match themselves; unknown operators and too many `in` values are 422;
`ne` keeps NULLs; a filterable field no index serves draws a located warning from `validate`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
from pathlib import Path
from typing import Any, Callable

import httpx
import pytest
from conftest import Schemaforge, fresh_database
from generated_support import async_url
from served_app import fresh_project, mongo_env, project_env, served

pytest_plugins = ["generated_support"]

SCHEMA = """\
schema: 1
name: catalog
enums:
  Grade: [low, mid, high]
entities:
  Item:
    fields:
      code: {type: string, length: 30, unique: true}
      qty: {type: int, index: true}
      price: {type: decimal, precision: 8, scale: 2, filterable: true, index: true}
      note: {type: text, nullable: true, filterable: true}
      due: {type: date, nullable: true, filterable: true, index: true}
      at: {type: datetime, nullable: true, filterable: true, index: true}
      grade: {type: Grade, filterable: true, index: true}
      ok: {type: bool, filterable: true, index: true}
      hidden: {type: int, filterable: false, index: true}
"""

URL = "/api/v1/items/"


def rows_for(i: int) -> dict[str, Any]:
    notes = ["plain", "100% pure", "under_score", "Mixed Case", None]
    return {
        "code": f"c-{i:02d}" + ("_x" if i % 7 == 0 else ""),
        "qty": i % 6,
        "price": f"{(i * 37) % 50}.{i % 4}0",
        "note": notes[i % 5],
        "due": None if i % 4 == 0 else f"2026-0{1 + i % 3}-1{i % 5}",
        "at": None if i % 5 == 1 else f"2026-03-0{1 + i % 4}T10:0{i % 3}:00Z",
        "grade": ["low", "mid", "high"][i % 3],
        "ok": i % 2 == 0,
        "hidden": i,
    }


def parse(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field == "price":
        return decimal.Decimal(value)
    if field == "due":
        return dt.date.fromisoformat(value)
    if field == "at":
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


PREDICATES: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda v, q: v is not None and v == q,
    "ne": lambda v, q: v is None or v != q,
    "lt": lambda v, q: v is not None and v < q,
    "lte": lambda v, q: v is not None and v <= q,
    "gt": lambda v, q: v is not None and v > q,
    "gte": lambda v, q: v is not None and v >= q,
    "in": lambda v, q: v is not None and v in q,
    "is_null": lambda v, q: (v is None) == q,
    "contains": lambda v, q: v is not None and q in v,
    "icontains": lambda v, q: v is not None and q.lower() in v.lower(),
    "startswith": lambda v, q: v is not None and v.startswith(q),
}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", "mongodb"])
def test_every_operator_of_every_type(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str
) -> None:
    schema = tmp_path / "catalog.yaml"
    schema.write_text(SCHEMA)
    project = fresh_project(schemaforge, schema, dialect, tmp_path)
    with contextlib.ExitStack() as stack:
        if dialect == "mongodb":  # on mongomock, or MONGODB_URL's server (mongo_served.py)
            env = mongo_env(tool_env, project.root, stack)
        else:
            db = stack.enter_context(fresh_database(dialect, tmp_path))
            url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/catalog.db"
            env = project_env(tool_env, url)
        base = stack.enter_context(served(project.root, env, mongo=dialect == "mongodb"))
        with httpx.Client(base_url=base, timeout=30) as c:
            for i in range(30):
                created = c.post(URL, json=rows_for(i))
                assert created.status_code == 201, created.text
            rows = c.get(URL, params={"limit": 200}).json()["data"]
            assert len(rows) == 30
            spec = c.get("/openapi.json").json()
            params = {p["name"] for p in spec["paths"][URL]["get"]["parameters"]}
            assert "hidden" not in params and "qty__gt" in params and "note__icontains" in params

            def check(field: str, operator: str, query: Any) -> None:
                name = field if operator == "eq" else f"{field}__{operator}"
                assert name in params, name
                value: Any = [parse(field, q) for q in query] if operator == "in" else query
                if operator not in ("in", "is_null"):
                    value = parse(field, query)
                expected = sorted(r["id"] for r in rows if PREDICATES[operator](parse(field, r[field]), value))
                response = c.get(URL, params={name: query, "limit": 200})
                assert response.status_code == 200, (name, query, response.text)
                got = sorted(r["id"] for r in response.json()["data"])
                assert 0 < len(expected) < len(rows), f"{name}={query!r} does not select: choose another value"
                assert got == expected, (name, query, got, expected)

            for operator, query in (("eq", 3), ("ne", 3), ("lt", 2), ("lte", 2), ("gt", 4), ("gte", 4), ("in", [0, 5])):
                check("qty", operator, query)
            for operator in ("eq", "ne", "lt", "lte", "gt", "gte"):
                check("price", operator, "24.20")
            check("price", "in", ["24.20", "11.10", "0.00"])
            for operator in ("eq", "ne", "lt", "gte"):
                check("due", operator, "2026-02-12")
                check("at", operator, "2026-03-02T10:01:00Z")
            check("at", "gt", "2026-03-02T12:01:00+02:00")  # the same instant as 10:01Z
            for field in ("due", "at", "note"):
                check(field, "is_null", True)
                check(field, "is_null", False)
            check("grade", "eq", "mid")
            check("grade", "ne", "mid")
            check("grade", "in", ["low", "high"])
            check("ok", "eq", True)
            check("ok", "ne", True)
            check("code", "in", ["c-01", "c-02", "nope"])
            check("code", "startswith", "c-1")
            # `%` and `_` match themselves, not any characters.
            check("note", "contains", "%")
            check("note", "contains", "_")
            check("code", "contains", "_x")
            check("note", "icontains", "MIXED")
            check("note", "startswith", "under")

            for bad in (
                {"qty__like": "1"},
                {"hidden": "1"},
                {"qty__in": [str(i) for i in range(101)]},
                {"qty__gt": "1.5"},
                {"ok__gt": "true"},
                {"code__is_null": "true"},
                {"due__lt": "tomorrow"},
            ):
                response = c.get(URL, params=bad)
                assert response.status_code == 422, (bad, response.text)


def test_a_filter_no_index_serves_is_a_warning(schemaforge: Schemaforge, tmp_path: Path) -> None:
    schema = tmp_path / "slow.yaml"
    schema.write_text("schema: 1\nname: slow\nentities:\n  Item:\n    fields:\n      size: {type: int, filterable: true}\n")
    proc = schemaforge.run("validate", schema)
    assert f"{schema}:6:" in proc.stderr and "warning" in proc.stderr and "index" in proc.stderr, proc.stderr
