"""Shared fixtures and helpers of the integration suite.

The suite runs the built `schemaforge` CLI and executes what it generates on real databases:
PostgreSQL and MariaDB servers (started by `integration/servers.sh`) and SQLite files.

Environment:
  SCHEMAFORGE_BIN   the CLI to test (default: <repo>/.build/debug/schemaforge, built if absent)
  SF_PG_URL         admin URL of PostgreSQL (default: postgresql+psycopg://postgres@127.0.0.1:54329/postgres)
  SF_MYSQL_URL      admin URL of MariaDB/MySQL (default: mysql+pymysql://root@127.0.0.1:33069/)

A server that cannot be reached makes its tests FAIL, never skip: CI always has both servers.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parent.parent
INTEGRATION_DIR = REPO_ROOT / "integration"
DIALECTS = ("postgresql", "mysql", "sqlite")

PG_URL = os.environ.get("SF_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:54329/postgres")
MYSQL_URL = os.environ.get("SF_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:33069/")

#: Longest identifier each server accepts (bytes); SQLite has no practical limit.
IDENTIFIER_LIMITS: dict[str, int | None] = {"postgresql": 63, "mysql": 64, "sqlite": None}


# ---------------------------------------------------------------------------------------------
# Schema files


def schema_files() -> list[Path]:
    """Every example schema and every extra integration schema."""
    files = sorted((REPO_ROOT / "examples").glob("*.yaml")) + sorted((INTEGRATION_DIR / "schemas").glob("*.yaml"))
    assert files, "no schema files found under examples/ and integration/schemas/"
    return files


def schema_id(path: Path) -> str:
    """`examples/blog.yaml` -> `blog`, `integration/schemas/all_types.yaml` -> `all_types`."""
    return path.stem


def schema_path(stem: str) -> Path:
    for path in schema_files():
        if path.stem == stem:
            return path
    raise LookupError(f"no schema file named {stem}.yaml")


# ---------------------------------------------------------------------------------------------
# Names


def shorten(name: str, limit: int | None) -> str:
    """SQLAlchemy's truncation of long convention names (what `Identifiers.shorten` implements)."""
    if limit is None or len(name.encode()) <= limit:
        return name
    return name[: limit - 8] + "_" + hashlib.md5(name.encode()).hexdigest()[-4:]


def db_name(name: str, dialect: str) -> str:
    """The name a generated constraint or index gets on `dialect`."""
    return shorten(name, IDENTIFIER_LIMITS[dialect])


# ---------------------------------------------------------------------------------------------
# The CLI


DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.*)$")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str
    message: str


def parse_diagnostics(stderr: str) -> list[Diagnostic]:
    result = []
    for line in stderr.splitlines():
        m = DIAGNOSTIC.match(line)
        if m:
            result.append(
                Diagnostic(m["file"], int(m["line"]), int(m["col"]), m["severity"], m["message"])
            )
    return result


@dataclass(frozen=True)
class DDL:
    sql: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def warnings(self) -> list[str]:
        return [d.message for d in self.diagnostics if d.severity == "warning"]



class Schemaforge:
    """Runs the CLI under test; results are cached (the CLI is deterministic)."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def run(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(self.binary), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"schemaforge {' '.join(map(str, args))} exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return proc

    @functools.lru_cache(maxsize=None)
    def sql(self, path: Path, dialect: str) -> DDL:
        proc = self.run("sql", path, "--dialect", dialect)
        diagnostics = parse_diagnostics(proc.stderr)
        errors = [d for d in diagnostics if d.severity == "error"]
        assert not errors, f"schemaforge sql {path} --dialect {dialect} reported errors: {errors}"
        return DDL(proc.stdout, tuple(diagnostics))

    @functools.lru_cache(maxsize=None)
    def resolve(self, path: Path) -> dict[str, Any]:
        proc = self.run("resolve", path)
        return json.loads(proc.stdout)

    @functools.lru_cache(maxsize=None)
    def validate_warnings(self, path: Path) -> tuple[str, ...]:
        proc = self.run("validate", path)
        return tuple(d.message for d in parse_diagnostics(proc.stderr) if d.severity == "warning")


def _find_or_build_binary() -> Path:
    env = os.environ.get("SCHEMAFORGE_BIN")
    if env:
        binary = Path(env)
        if not binary.is_absolute():
            binary = (REPO_ROOT / binary).resolve()
        if not binary.exists():
            pytest.fail(f"SCHEMAFORGE_BIN={env} does not exist")
        return binary
    binary = REPO_ROOT / ".build" / "debug" / "schemaforge"
    if not binary.exists():
        proc = subprocess.run(
            ["swift", "build", "--product", "schemaforge"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0 or not binary.exists():
            pytest.fail(f"swift build failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return binary


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def schemaforge_bin() -> Path:
    """Path of the CLI under test (env SCHEMAFORGE_BIN, else the debug build, built if absent)."""
    return _find_or_build_binary()


@pytest.fixture(scope="session")
def schemaforge(schemaforge_bin: Path) -> Schemaforge:
    return Schemaforge(schemaforge_bin)


# ---------------------------------------------------------------------------------------------
# SQL scripts


_TRIGGER = re.compile(r"(?:\s*--[^\n]*\n)*\s*CREATE\s+TRIGGER\b", re.IGNORECASE)
_TRIGGER_END = re.compile(r"\bEND\s*$", re.IGNORECASE)


def split_sql(script: str, backslash_escapes: bool = False) -> list[str]:
    """Splits a DDL script into statements at `;` outside string literals, quoted identifiers,
    `--` comments and trigger bodies (`CREATE TRIGGER ... BEGIN ...; END`). Comment-only chunks (the header) are dropped; comments inside statements stay.
    `backslash_escapes`: MySQL's string literals, where `\\'` does not end the literal."""
    statements: list[str] = []
    buf: list[str] = []
    i, n = 0, len(script)
    has_code = False
    while i < n:
        c = script[i]
        if c == "-" and script.startswith("--", i):
            end = script.find("\n", i)
            end = n if end < 0 else end
            buf.append(script[i:end])
            i = end
            continue
        if c in "'\"`":
            j = i + 1
            while j < n:
                if script[j] == c:
                    if j + 1 < n and script[j + 1] == c:  # doubled quote
                        j += 2
                        continue
                    break
                if backslash_escapes and c == "'" and script[j] == "\\" and j + 1 < n:
                    j += 2
                    continue
                j += 1
            if j >= n:
                raise ValueError(f"unterminated {c} quote in SQL script at offset {i}")
            buf.append(script[i : j + 1])
            has_code = True
            i = j + 1
            continue
        if c == ";":
            text = "".join(buf).strip()
            if _TRIGGER.match(text) and not _TRIGGER_END.search(text):
                # A trigger's body holds statements: the trigger ends at `END;`.
                buf.append(c)
                i += 1
                continue
            if has_code:
                statements.append(text)
            elif text:
                raise ValueError(f"empty statement (only comments) before ';': {text!r}")
            buf, has_code = [], False
            i += 1
            continue
        if not c.isspace():
            has_code = True
        buf.append(c)
        i += 1
    rest = "".join(buf)
    if has_code:
        raise ValueError(f"SQL script ends without ';' after: {rest.strip()!r}")
    return statements


# ---------------------------------------------------------------------------------------------
# Databases


_counter = itertools.count(1)


@dataclass
class Database:
    dialect: str
    name: str
    engine: Engine
    executed: list[str] = field(default_factory=list)

    def run_script(self, sql: str) -> list[str]:
        """Executes every statement of a generated script, in order, and commits."""
        statements = split_sql(sql, backslash_escapes=self.dialect == "mysql")
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement in statements:
                try:
                    cursor.execute(statement)
                except Exception as exc:  # noqa: BLE001 - reported with the statement
                    raise AssertionError(
                        f"{self.dialect}: statement failed: {type(exc).__name__}: {exc}\n---\n{statement}\n---"
                    ) from exc
                self.executed.append(statement)
            cursor.close()
            raw.commit()
        finally:
            raw.close()
        return statements

    def inspector(self) -> sa.Inspector:
        """A fresh inspector (no cached reflection)."""
        return sa.inspect(self.engine)

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()

    def rows(self, sql: str, **params: Any) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(sql), params))


_admin_engines: dict[str, Engine] = {}


def _admin_engine(dialect: str) -> Engine:
    if dialect not in _admin_engines:
        url = PG_URL if dialect == "postgresql" else MYSQL_URL
        _admin_engines[dialect] = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    return _admin_engines[dialect]


def _server_connect(dialect: str) -> sa.Connection:
    engine = _admin_engine(dialect)
    try:
        return engine.connect()
    except sa.exc.OperationalError as exc:
        pytest.fail(
            f"{dialect} server at {engine.url.render_as_string(hide_password=True)} is unreachable "
            f"(start it with `integration/servers.sh start`): {exc.orig}",
            pytrace=False,
        )


def _sqlite_foreign_keys_on(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def fresh_database(dialect: str, tmp_dir: Path) -> Iterator[Database]:
    """A new, empty database on `dialect`, dropped afterwards."""
    name = f"sf_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    if dialect == "sqlite":
        path = tmp_dir / f"{name}.sqlite3"
        engine = sa.create_engine(f"sqlite:///{path}", poolclass=NullPool)
        sa.event.listen(engine, "connect", _sqlite_foreign_keys_on)
        try:
            yield Database(dialect, name, engine)
        finally:
            engine.dispose()
            path.unlink(missing_ok=True)
        return
    if dialect == "postgresql":
        create = f'CREATE DATABASE "{name}"'
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    elif dialect == "mysql":
        create = f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        drop = f"DROP DATABASE IF EXISTS `{name}`"
    else:
        raise ValueError(dialect)
    with _server_connect(dialect) as admin:
        admin.exec_driver_sql(create)
    base = sa.make_url(PG_URL if dialect == "postgresql" else MYSQL_URL)
    engine = sa.create_engine(base.set(database=name), poolclass=NullPool)
    try:
        yield Database(dialect, name, engine)
    finally:
        engine.dispose()
        with _server_connect(dialect) as admin:
            admin.exec_driver_sql(drop)


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Callable[[str], Database]]:
    """Factory: `fresh_db("postgresql")` -> a new empty database, dropped when the test ends."""
    stack: list[Any] = []

    def make(dialect: str) -> Database:
        cm = fresh_database(dialect, tmp_path)
        db = cm.__enter__()
        stack.append(cm)
        return db

    yield make
    while stack:
        stack.pop().__exit__(None, None, None)


# ---------------------------------------------------------------------------------------------
# The resolved IR (`schemaforge resolve`)


def parse_type(spelling: str) -> tuple[Any, ...]:
    """`string(200)` -> ("string", 200); `decimal(12,2)` -> ("decimal", 12, 2);
    `enum(Role)` -> ("enum", "Role"); `array<int>` -> ("array", ("int",))."""
    s = spelling.strip()
    if s.startswith("array<") and s.endswith(">"):
        return ("array", parse_type(s[6:-1]))
    m = re.fullmatch(r"(\w+)\((.*)\)", s)
    if m:
        if m[1] == "enum":
            return ("enum", m[2])
        return (m[1], *(int(a) for a in m[2].split(",")))
    return (s,)


def ir_tables(ir: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in ir["tables"]}


def ir_enum(ir: dict[str, Any], name: str) -> dict[str, Any]:
    for e in ir["enums"]:
        if e["name"] == name:
            return e
    raise KeyError(name)


def ir_column(table: dict[str, Any], name: str) -> dict[str, Any]:
    for c in table["columns"]:
        if c["name"] == name:
            return c
    raise KeyError(f"{table['name']}.{name}")


def native_type(column: dict[str, Any], dialect: str) -> str | None:
    return (column.get("nativeTypes") or {}).get(dialect)


def is_unindexable_on_mysql(column: dict[str, Any]) -> bool:
    """text/json/bytes/array columns cannot be indexed on MySQL without a prefix length."""
    if native_type(column, "mysql"):
        return False
    return parse_type(column["type"])[0] in ("text", "json", "bytes", "array")


def created_indexes(table: dict[str, Any], dialect: str) -> list[dict[str, Any]]:
    """The IR indexes of `table` as created on `dialect` (DESIGN.md / the documented differences):
    MySQL/MariaDB skip expression indexes, partial UNIQUE indexes and indexes on text/blob columns,
    and create partial non-unique indexes as full indexes."""
    result = []
    for index in table["indexes"]:
        index = dict(index)
        if dialect == "mysql":
            if index.get("expressions"):
                continue
            if index.get("predicate") is not None:
                if index["unique"]:
                    continue
                index["predicate"] = None
            if any(is_unindexable_on_mysql(ir_column(table, c)) for c in index["columns"]):
                continue
        result.append(index)
    return result


def topological_tables(ir: dict[str, Any]) -> list[str]:
    """Table names with referenced tables first (self references and cycles broken by name)."""
    tables = ir_tables(ir)
    order: list[str] = []
    done: set[str] = set()
    remaining = sorted(tables)
    while remaining:
        for name in remaining:
            deps = {fk["referencedTable"] for fk in tables[name]["foreignKeys"]} - {name}
            if deps <= done:
                break
        else:
            name = remaining[0]
        remaining.remove(name)
        order.append(name)
        done.add(name)
    return order
