"""Values keep their meaning on every database: an instant stays the same instant (SQLite and MariaDB keep
no offset), times of day and timestamps are not coerced from other JSON types, and a self reference
cannot make a row its own ancestor. The generated app of a small schema, under a real uvicorn.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from conftest import Schemaforge, fresh_database
from generated_support import async_url
from served_app import fresh_project, project_env, served

pytest_plugins = ["generated_support"]

SCHEMA = """\
schema: 1
name: clock
entities:
  Event:
    fields:
      at: datetime
      day: {type: date, nullable: true}
      time_of_day: {type: time, nullable: true}
      meta: {type: json, nullable: true}
      amount: {type: decimal, precision: 20, scale: 2, nullable: true}
    relations:
      parent: {to: Event, nullable: true, on_delete: set_null, back: children}
"""


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_values_keep_their_meaning(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, dialect: str
) -> None:
    schema = tmp_path / "clock.yaml"
    schema.write_text(SCHEMA)
    project = fresh_project(schemaforge, schema, dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/clock.db"
        with served(project.root, project_env(tool_env, url)) as base, httpx.Client(base_url=base, timeout=30) as c:
            created = c.post("/api/v1/events/", json={"at": "2026-01-01T10:00:00+02:00", "time_of_day": "10:30:00"})
            assert created.status_code == 201, created.text
            for body in (created.json(), c.get(created.headers["location"]).json()):
                at = dt.datetime.fromisoformat(body["at"].replace("Z", "+00:00"))
                assert at.utcoffset() is not None, body
                assert at == dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone.utc), body
                assert body["time_of_day"] == "10:30:00"
            # Not coerced: a number is no timestamp, a naive timestamp names no instant, a time of day
            # with an offset cannot be kept, a string is no integer.
            for bad in (
                {"at": 2195},
                {"at": "2026-01-01T10:00:00"},
                {"at": "2026-01-01T10:00:00Z", "time_of_day": "10:30:00+02:00"},
                {"at": "2026-01-01T10:00:00Z", "parent_id": "1"},
                {"at": "2026-01-01T10:00:00Z", "day": 20260101},
            ):
                response = c.post("/api/v1/events/", json=bad)
                assert response.status_code == 422, (bad, response.text)
            assert c.get("/api/v1/events/?count=true").json()["count"] == 1
            # A decimal keeps every digit it accepts: SQLite keeps 15 significant digits (an 8-byte
            # float), so a longer value is refused there (422) rather than rounded; the others keep 20.
            exact = c.post("/api/v1/events/", json={"at": "2026-01-01T10:00:00Z", "amount": "98765432109.25"})
            assert exact.status_code == 201, exact.text
            assert c.get(exact.headers["location"]).json()["amount"] == "98765432109.25"
            long = c.post("/api/v1/events/", json={"at": "2026-01-01T10:00:00Z", "amount": "123456789012345678.91"})
            if dialect == "sqlite":
                assert long.status_code == 422, long.text
            else:
                assert long.status_code == 201, long.text
                assert c.get(long.headers["location"]).json()["amount"] == "123456789012345678.91"
                assert c.delete(long.headers["location"]).status_code == 204
            assert c.delete(exact.headers["location"]).status_code == 204
            # A self reference that would make a cycle is refused; a row that is its own parent
            # cannot be made, and deleting a parent never fails.
            root = created.json()["id"]
            child = c.post("/api/v1/events/", json={"at": "2026-01-01T11:00:00Z", "parent_id": root}).json()["id"]
            grandchild = c.post("/api/v1/events/", json={"at": "2026-01-01T12:00:00Z", "parent_id": child}).json()["id"]
            for parent in (grandchild, root):  # its own grandchild, itself
                refused = c.patch(f"/api/v1/events/{root}", json={"parent_id": parent})
                assert refused.status_code == 409, refused.text
                assert refused.json()["errors"][0]["loc"] == ["body", "parent_id"]
            self_parent = c.patch(f"/api/v1/events/{child}", json={"parent_id": child})
            assert self_parent.status_code == 409, self_parent.text
            assert c.get(f"/api/v1/events/{root}").json()["parent_id"] is None
            assert c.delete(f"/api/v1/events/{child}").status_code == 204
            assert c.get(f"/api/v1/events/{grandchild}").json()["parent_id"] is None
            # Query integers are their digits: no spaces, no `_` separators, no other digits.
            for query in ("limit=%0A5", "limit=%205", "limit=1_0", "parent_id=%0A1", "offset=%D9%A1"):
                refused = c.get(f"/api/v1/events/?{query}")
                assert refused.status_code == 422, (query, refused.text)
            assert c.get("/api/v1/events/?limit=10&parent_id=1").status_code == 200
            for path in ("%0A1", "1_0", "%201"):
                assert c.get(f"/api/v1/events/{path}").status_code == 422, path
            # A JSON document's keys are strings the database can store (no NUL), and the OpenAPI says so.
            nested = {"a": [1, {"b": "c"}], "n": None}
            stored = c.post("/api/v1/events/", json={"at": "2026-01-01T10:00:00Z", "meta": nested})
            assert stored.status_code == 201 and stored.json()["meta"] == nested, stored.text
            bad_key = c.post("/api/v1/events/", json={"at": "2026-01-01T10:00:00Z", "meta": {"a\u0000": 1}})
            assert bad_key.status_code == 422, bad_key.text
            components = c.get("/openapi.json").json()["components"]["schemas"]
            objects = [s for s in components["JSONValue"]["anyOf"] if s.get("type") == "object"]
            assert objects and all(s.get("additionalProperties") is False for s in objects), objects
