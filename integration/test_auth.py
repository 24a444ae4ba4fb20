"""Security of the generated app (examples/lending.yaml, which has `auth:`) under a real uvicorn on
SQLite, PostgreSQL and MariaDB, over HTTP:

- every route x every actor (anonymous, two readers, a librarian) against the table that the schema's
  own `access:` gives (read from the YAML here, not restated): 2xx, 401 with `WWW-Authenticate:
  Bearer`, or 403; owners act only on their own rows and list only them;
- registration cannot choose a role; tokens that are expired, forged, or of a deleted user are 401;
- the raw database holds an Argon2 hash, never the password, and no response carries either;
- injection payloads through filters, sorts and paths leave the database as it was;
- failed logins are throttled (429 with Retry-After); production refuses the default JWT secret.
"""

from __future__ import annotations

import ast
import base64
import itertools
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
import yaml
from conftest import Schemaforge, fresh_database, schema_files, schema_path
from generated_support import VENV_BIN, async_url
from served_app import fresh_project, project_env, served, server_log

pytest_plugins = ["generated_support"]

API = "/api/v1"
SECRET = "a-test-secret-of-the-integration-suite-0123456789"
SCHEMA = schema_path("lending")
DOC = yaml.safe_load(SCHEMA.read_text())
PATHS = {"User": "users", "Book": "books", "Loan": "loans", "Review": "reviews", "Shelf": "shelves"}
OWNER_FIELD = {name: f"{e['owner']}_id" for name, e in DOC["entities"].items() if "owner" in e}
_n = itertools.count(1)


@dataclass
class Actor:
    name: str
    id: int | None = None
    role: str | None = None
    token: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def rule(entity: str, operation: str) -> list[str]:
    """The schema's rule (secure by default: any logged-in user)."""
    words = DOC["entities"][entity].get("access", {}).get(operation, "authenticated")
    return [words] if isinstance(words, str) else list(words)


def expected(entity: str, operation: str, actor: Actor, owner: int | None) -> str:
    """'ok', 401 or 403, as the schema's access says, for a row owned by `owner`."""
    words = rule(entity, operation)
    if "public" in words:
        return "ok"
    if actor.token is None:
        return "401"
    if "authenticated" in words or actor.role in words:
        return "ok"
    if "owner" in words and (owner is None or owner == actor.id):  # None: a list, filtered
        return "ok"
    return "403"


def payload(entity: str, refs: dict[str, int], owner: int | None) -> dict[str, Any]:
    n = next(_n)
    body: dict[str, Any] = {
        "User": lambda: {"email": f"u{n}@example.com", "password": f"password-{n}", "name": f"U{n}"},
        "Book": lambda: {"isbn": f"{n:013d}", "title": f"Book {n}"},
        "Loan": lambda: {"due": "2030-01-01", "book_id": refs["book"]},
        "Review": lambda: {"stars": 4, "book_id": refs["book"]},
        "Shelf": lambda: {"label": f"shelf-{n}"},
    }[entity]()
    if entity in OWNER_FIELD:
        body[OWNER_FIELD[entity]] = owner
    return body


class Lending:
    def __init__(self, client: httpx.Client, db: Any) -> None:
        self.client = client
        self.db = db

    def register(self, name: str) -> Actor:
        password = f"{name}-password"
        created = self.client.post(
            f"{API}/auth/register", json={"email": f"{name}@example.com", "password": password, "name": name}
        )
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["role"] == "reader" and "password" not in body and "password_hash" not in body, body
        return Actor(name, body["id"], "reader", self.login(f"{name}@example.com", password))

    def login(self, login: str, password: str) -> str:
        response = self.client.post(f"{API}/auth/token", data={"username": login, "password": password})
        assert response.status_code == 200, response.text
        assert response.json()["token_type"] == "bearer"
        return str(response.json()["access_token"])

    def sql(self, statement: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.db.engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return [tuple(r) for r in result] if result.returns_rows else []

    def create(self, entity: str, actor: Actor, refs: dict[str, int], owner: int | None) -> int:
        response = self.client.post(f"{API}/{PATHS[entity]}/", json=payload(entity, refs, owner), headers=actor.headers)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])


SEEN: set[str] = set()


def check(response: httpx.Response, want: str, what: str) -> None:
    SEEN.add(want)
    if want == "ok":
        assert response.status_code in (200, 201, 204), f"{what}: {response.status_code} {response.text}"
    else:
        assert response.status_code == int(want), f"{what}: expected {want}, got {response.status_code} {response.text}"
        assert response.headers["content-type"].startswith("application/problem+json"), what
        if want == "401":
            assert response.headers.get("www-authenticate") == "Bearer", what


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_every_route_for_every_actor_follows_the_schemas_access(
    dialect: str, schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path
) -> None:
    project = fresh_project(schemaforge, SCHEMA, dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/{db.name}.sqlite3"
        env = project_env(tool_env, url, jwt_secret=SECRET)
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            app = Lending(client, db)
            anonymous = Actor("anonymous")
            alice, bob, lib = app.register("alice"), app.register("bob"), app.register("lib")
            # The first privileged user, as the project's README says.
            def set_role(*arguments: str) -> subprocess.CompletedProcess[str]:
                return subprocess.run(
                    [str(VENV_BIN / "python"), "-m", "app.set_role", *arguments], cwd=project.root, env=env,
                    capture_output=True, text=True, timeout=120, check=False,
                )

            assert set_role("lib@example.com", "overlord").returncode == 2
            assert set_role("nobody@example.com", "librarian").returncode == 1
            granted = set_role("lib@example.com", "librarian")
            assert granted.returncode == 0, granted.stdout + granted.stderr
            lib.role = "librarian"
            actors = [anonymous, alice, bob, lib]

            # Register can never choose a role; the hash is Argon2, never the password.
            refused = client.post(
                f"{API}/auth/register",
                json={"email": "eve@example.com", "password": "eve-password", "name": "eve", "role": "librarian"},
            )
            assert refused.status_code == 422, refused.text
            table = '"user"' if dialect == "postgresql" else "user"
            for (hashed,) in app.sql(f"SELECT password_hash FROM {table}"):
                assert hashed.startswith("$argon2id$") and "password" not in hashed, hashed
            for actor in actors[1:]:
                me = client.get(f"{API}/auth/me", headers=actor.headers)
                assert me.status_code == 200 and me.json()["id"] == actor.id, me.text
                assert not {"password", "password_hash"} & set(me.json()), me.json()

            book = app.create("Book", lib, {}, None)
            refs = {"book": book}
            # Rows each actor may own: a loan and a review of alice's, and bob's.
            owned = {
                "Loan": {who.id: app.create("Loan", lib, refs, who.id) for who in (alice, bob)},
                "Review": {who.id: app.create("Review", who, refs, who.id) for who in (alice, bob)},
            }
            for entity, path in PATHS.items():
                for actor in actors:
                    who = f"{entity} as {actor.name}"
                    # read: the list, and one row (alice's where rows have owners)
                    listed = client.get(f"{API}/{path}/", headers=actor.headers)
                    check(listed, expected(entity, "read", actor, None), f"list {who}")
                    row_owner = alice.id if entity in OWNER_FIELD else None
                    if entity in OWNER_FIELD:
                        target = owned[entity][alice.id]
                    elif entity == "User":
                        target = alice.id
                    else:
                        target = app.create(entity, lib, refs, None)
                    got = client.get(f"{API}/{path}/{target}", headers=actor.headers)
                    check(got, expected(entity, "read", actor, row_owner), f"get {who}")
                    if listed.status_code == 200 and entity in OWNER_FIELD:
                        rows = listed.json()["data"]
                        wide = "authenticated" in rule(entity, "read") or actor.role in rule(entity, "read") \
                            or "public" in rule(entity, "read")
                        if not wide:  # an owner lists their own rows only
                            assert rows and all(r[OWNER_FIELD[entity]] == actor.id for r in rows), (who, rows)
                    # create: for themselves (owners), and for alice
                    for owner in ([actor.id, alice.id] if entity in OWNER_FIELD else [None]):
                        body = payload(entity, refs, owner)
                        created = client.post(f"{API}/{path}/", json=body, headers=actor.headers)
                        want = expected(entity, "create", actor, owner if owner is not None else -1)
                        check(created, want, f"create {who} for {owner}")
                    # update alice's row (or the shared one)
                    change = {"Loan": {"returned": True}, "Review": {"stars": 5}, "User": {"name": "Alice"},
                              "Book": {"title": "Renamed"}, "Shelf": {"label": f"relabelled-{next(_n)}"}}[entity]
                    patched = client.patch(f"{API}/{path}/{target}", json=change, headers=actor.headers)
                    check(patched, expected(entity, "update", actor, row_owner if row_owner else -1), f"update {who}")
                    # delete a row of alice's made for the purpose (never the target of the others)
                    victim_owner = alice.id if entity in OWNER_FIELD else None
                    maker = alice if entity == "Review" else lib
                    victim = app.create(entity, maker, refs, victim_owner)
                    deleted = client.delete(f"{API}/{path}/{victim}", headers=actor.headers)
                    check(deleted, expected(entity, "delete", actor, victim_owner if victim_owner else -1), f"delete {who}")

            assert SEEN >= {"ok", "401", "403"}, SEEN  # the table has every outcome

            # Giving one's row away is refused to an owner; bob cannot touch alice's review.
            mine = owned["Review"][alice.id]
            given = client.patch(f"{API}/reviews/{mine}", json={"author_id": bob.id}, headers=alice.headers)
            assert given.status_code == 403, given.text
            assert app.sql("SELECT author_id FROM review WHERE id = :id", id=mine) == [(alice.id,)]

            # Injection through filters, sorts and paths: refused or harmless, the database unchanged.
            before = app.sql("SELECT COUNT(*) FROM book")
            for params in ({"isbn": "' OR '1'='1"}, {"sort": "title; DROP TABLE book"}, {"title": "x' --"}):
                response = client.get(f"{API}/books/", params=params)
                assert response.status_code in (200, 422), response.text
                if response.status_code == 200:
                    assert response.json()["data"] == [], (params, response.json())
            assert client.get(f"{API}/books/1%20OR%201=1").status_code == 422
            assert app.sql("SELECT COUNT(*) FROM book") == before

            # A bcrypt hash (imported from an older system) logs in, and is replaced by an Argon2 one.
            from pwdlib import PasswordHash
            from pwdlib.hashers.bcrypt import BcryptHasher

            legacy = PasswordHash((BcryptHasher(),)).hash("bob-password")
            app.sql(f"UPDATE {table} SET password_hash = :h WHERE id = :id", h=legacy, id=bob.id)
            upgraded = client.post(f"{API}/auth/token", data={"username": "bob@example.com", "password": "bob-password"})
            assert upgraded.status_code == 200, upgraded.text
            (stored,) = app.sql(f"SELECT password_hash FROM {table} WHERE id = :id", id=bob.id)
            assert stored[0].startswith("$argon2id$"), stored

            # Refresh tokens: stored as hashes, rotated on use; a reused one revokes its whole login.
            form = {"username": "alice@example.com", "password": "alice-password"}
            pair = client.post(f"{API}/auth/token", data=form).json()
            rotated = client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
            assert rotated.status_code == 200, rotated.text
            fresh = {"Authorization": f"Bearer {rotated.json()['access_token']}"}
            check(client.get(f"{API}/auth/me", headers=fresh), "ok", "a refreshed access token")
            hashes = [h for (h,) in app.sql("SELECT token_hash FROM auth_refresh_token")]
            assert hashes and all(len(h) == 64 and pair["refresh_token"] not in h for h in hashes), hashes
            check(client.post(f"{API}/auth/refresh", json={"refresh_token": pair["refresh_token"]}), "401", "reused")
            newest = {"refresh_token": rotated.json()["refresh_token"]}
            check(client.post(f"{API}/auth/refresh", json=newest), "401", "the reused token's login, revoked")
            family = app.sql("SELECT COUNT(*) FROM auth_refresh_token WHERE revoked_at IS NOT NULL")
            assert family[0][0] >= 2, family

            # Tokens: expired, signed with another secret, of a deleted user, or none of ours.
            now = int(time.time())
            expired = jwt.encode({"sub": str(alice.id), "exp": now - 10}, SECRET, algorithm="HS256")
            forged = jwt.encode({"sub": str(lib.id), "exp": now + 600}, "not-the-secret-" * 4, algorithm="HS256")
            unsigned = jwt.encode({"sub": str(lib.id), "exp": now + 600}, None, algorithm="none")
            for token in (expired, forged, unsigned, "garbage"):
                response = client.get(f"{API}/loans/", headers={"Authorization": f"Bearer {token}"})
                check(response, "401", f"token {token[:20]}")
            gone = client.delete(f"{API}/users/{bob.id}", headers=lib.headers)
            assert gone.status_code == 204, gone.text
            check(client.get(f"{API}/auth/me", headers=bob.headers), "401", "a deleted user's token")
            # Login with a NUL in the username is a wrong login, not a database error.
            nul = client.post(f"{API}/auth/token", data={"username": "a\x00b", "password": "x" * 8})
            assert nul.status_code == 401, nul.text
        assert "Traceback" not in server_log(project.root), server_log(project.root)


def test_failed_logins_are_throttled_and_production_needs_a_secret(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path
) -> None:
    project = fresh_project(schemaforge, SCHEMA, "sqlite", tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path}/throttle.sqlite3"
    env = project_env(tool_env, url, jwt_secret=SECRET, login_attempts=3, login_window_seconds=60)
    with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
        registered = client.post(
            f"{API}/auth/register", json={"email": "t@example.com", "password": "right-password", "name": "t"}
        )
        assert registered.status_code == 201, registered.text
        form = {"username": "t@example.com", "password": "wrong-password"}
        assert [client.post(f"{API}/auth/token", data=form).status_code for _ in range(3)] == [401, 401, 401]
        limited = client.post(f"{API}/auth/token", data={**form, "password": "right-password"})
        assert limited.status_code == 429, limited.text
        assert 1 <= int(limited.headers["retry-after"]) <= 60
    # The default secret in production: the app does not start.
    check_env = dict(env, ENVIRONMENT="production")
    check_env.pop("JWT_SECRET")
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-c", "import app.main"], cwd=project.root, env=check_env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode != 0 and "JWT_SECRET" in proc.stderr, proc.stderr[-2000:]
    check_env["JWT_SECRET"] = SECRET
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-c", "import app.main"], cwd=project.root, env=check_env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode != 0 and "ENCRYPTION_KEYS" in proc.stderr, proc.stderr[-2000:]
    check_env["ENCRYPTION_KEYS"] = json.dumps([f"k1:{_key()}"])
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-c", "import app.main"], cwd=project.root, env=check_env,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_encrypted_fields_are_ciphertext_at_rest_and_keys_rotate(
    dialect: str, schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path
) -> None:
    """User.phone is `encrypted: true`: the table holds `v1:<key id>:...`, never the number, while the
    API reads and writes the number; `python -m app.reencrypt` moves every row to the newest key, and
    the app then reads them with the old key gone."""
    project = fresh_project(schemaforge, SCHEMA, dialect, tmp_path)
    k1, k2 = f"k1:{_key()}", f"k2:{_key()}"
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/{db.name}.sqlite3"
        table = '"user"' if dialect == "postgresql" else "user"

        def phones() -> list[tuple[Any, ...]]:
            with db.engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(f"SELECT email, phone FROM {table} ORDER BY id"))]

        env = project_env(tool_env, url, jwt_secret=SECRET, encryption_keys=json.dumps([k1]))
        with served(project.root, env) as base, httpx.Client(base_url=base, timeout=30) as client:
            for n, phone in enumerate(["+1 555 0100", None, "+44 20 7946 0958"]):
                body = {"email": f"p{n}@example.com", "password": "a-password", "name": f"p{n}", "phone": phone}
                created = client.post(f"{API}/auth/register", json=body)
                assert created.status_code == 201 and created.json()["phone"] == phone, created.text
            stored = phones()
            assert stored[1][1] is None, stored
            for (_, value), plain in zip(stored, ["+1 555 0100", None, "+44 20 7946 0958"], strict=True):
                if plain is not None:
                    assert value.startswith("v1:k1:") and plain not in value and "555" not in value, value
            token = client.post(f"{API}/auth/token", data={"username": "p0@example.com", "password": "a-password"})
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert client.get(f"{API}/auth/me", headers=bearer).json()["phone"] == "+1 555 0100"
            # An encrypted field is neither a filter nor a sort (ciphertexts never compare).
            listing = client.get("/openapi.json").json()["paths"][f"{API}/users/"]["get"]["parameters"]
            assert "phone" not in {p["name"] for p in listing}, listing
            sort = next(p for p in listing if p["name"] == "sort")
            assert "phone" not in sort["schema"]["pattern"], sort
        rotated = project_env(tool_env, url, jwt_secret=SECRET, encryption_keys=json.dumps([k2, k1]))
        proc = subprocess.run(
            [str(VENV_BIN / "python"), "-m", "app.reencrypt"], cwd=project.root, env=rotated,
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert proc.returncode == 0 and "3 rows re-encrypted" in proc.stdout, proc.stdout + proc.stderr
        after = phones()
        assert [v is None for _, v in after] == [False, True, False], after
        assert all(v.startswith("v1:k2:") for _, v in after if v is not None), after
        only_new = project_env(tool_env, url, jwt_secret=SECRET, encryption_keys=json.dumps([k2]))
        with served(project.root, only_new, upgrade=False) as base, httpx.Client(base_url=base, timeout=30) as client:
            token = client.post(f"{API}/auth/token", data={"username": "p2@example.com", "password": "a-password"})
            assert token.status_code == 200, token.text
            me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
            assert me.json()["phone"] == "+44 20 7946 0958", me.text


SQL_SINKS = {"text", "literal_column", "exec_driver_sql", "execute", "executescript"}


def _sql_from_strings(source: str, filename: str) -> list[str]:
    """Calls that hand SQL to the database as assembled text: an f-string, `+`/`%` on strings, or
    `.format(...)`, or a variable, given to `text`, `literal_column`, `exec_driver_sql` or `execute`."""
    findings = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in SQL_SINKS:
            continue
        arg = node.args[0]
        assembled = isinstance(arg, ast.JoinedStr | ast.BinOp) or (
            isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format"
        )
        variable = name in ("text", "literal_column", "exec_driver_sql") and not isinstance(arg, ast.Constant)
        if assembled or variable:
            findings.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:120]}")
    return findings


def test_no_generated_code_builds_sql_from_strings(schemaforge: Schemaforge, tmp_path: Path) -> None:
    """Seed request: parameterized queries. Every example and integration schema, every SQL target:
    the generated Python never passes assembled text as SQL (the routes, CRUD and auth build
    statements with SQLAlchemy, whose values are bound parameters)."""
    findings: list[str] = []
    scanned = 0
    for schema in schema_files():
        for dialect in ("sqlite", "postgresql", "mysql"):
            root = tmp_path / f"{schema.stem}-{dialect}"
            schemaforge.run("generate", schema, "--out", root, "--db", dialect)
            for path in sorted(root.rglob("*.py")):
                findings += _sql_from_strings(path.read_text(), str(path.relative_to(tmp_path)))
                scanned += 1
    assert scanned > 100 and not findings, "\n".join(findings)
    # The check itself catches what it looks for.
    bad = 'q = sa.text(f"SELECT * FROM t WHERE a = {a}")\nconn.exec_driver_sql("DELETE FROM t WHERE id = " + x)\n'
    assert len(_sql_from_strings(bad, "bad.py")) == 2
