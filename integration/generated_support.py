"""Support for the tests of generated FastAPI projects (test_generated_project.py, test_generated_http.py).

- `GeneratedProjects`: `schemaforge generate SCHEMA --out DIR --db D`, once per (schema, database) and session.
- `loaded_app()`: imports a generated project's `app` package in this process, with a fresh sys.path entry and
  DATABASE_URL set BEFORE the import; every `app.*` module is forgotten afterwards, so that the next project
  (another schema, another database) is imported from scratch.
- `SchemaInfo`: the resolved IR (`schemaforge resolve`) seen as entities, columns, keys and constraints.
- `ValueFactory`: valid values for a column from its IR type and validation (length, bounds, decimal digits,
  enum, regex pattern), unique per call, plus invalid values of each kind.
- `Api`: drives the generated HTTP API through httpx's ASGITransport: creates objects with their foreign-key
  parents first, records which routes were called, and counts SQL statements.
- `catalog()` / `catalog_diff()`: a database's catalog as SQLAlchemy's inspector reports it, and a readable diff.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import importlib
import itertools
import json
import math
import os
import re
import re._parser as sre_parse  # the stdlib regex parser: used to build strings that match a pattern
import sys
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from conftest import REPO_ROOT, Database, Schemaforge, parse_type

#: Where pytest, ruff and mypy of the suite's venv live (the generated project is checked with the same tools).
VENV_BIN = Path(sys.executable).parent

EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.yaml"))
DIALECTS = ("sqlite", "postgresql", "mysql")

API = "/api/v1"


def example_params() -> list[tuple[Path, str]]:
    return [(path, dialect) for path in EXAMPLES for dialect in DIALECTS]


def example_ids() -> list[str]:
    return [f"{path.stem}-{dialect}" for path, dialect in example_params()]


# ---------------------------------------------------------------------------------------------
# Generated projects


@dataclass(frozen=True)
class GeneratedProject:
    schema: Path
    dialect: str
    root: Path
    output: str

    @property
    def name(self) -> str:
        return f"{self.schema.stem}-{self.dialect}"


class GeneratedProjects:
    """Generates each (schema, --db) project once per session, in its own directory."""

    def __init__(self, schemaforge: Schemaforge, base: Path) -> None:
        self.schemaforge = schemaforge
        self.base = base
        self._projects: dict[tuple[Path, str], GeneratedProject] = {}

    def get(self, schema: Path, dialect: str) -> GeneratedProject:
        key = (schema, dialect)
        if key not in self._projects:
            root = self.base / f"{schema.stem}-{dialect}"
            proc = self.schemaforge.run("generate", schema, "--out", root, "--db", dialect, check=False)
            assert proc.returncode == 0, (
                f"schemaforge generate {schema.name} --db {dialect} exited {proc.returncode}\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
            assert (root / "app" / "main.py").is_file(), f"generate wrote no app/main.py under {root}"
            self._projects[key] = GeneratedProject(schema, dialect, root, proc.stdout + proc.stderr)
        return self._projects[key]


_projects: GeneratedProjects | None = None


@pytest.fixture(scope="session")
def generated(schemaforge: Schemaforge, tmp_path_factory: pytest.TempPathFactory) -> GeneratedProjects:
    """Every (schema, --db) project, generated once per session and shared by the test modules (they load
    this module with `pytest_plugins`)."""
    global _projects
    if _projects is None:
        _projects = GeneratedProjects(schemaforge, tmp_path_factory.mktemp("generated"))
    return _projects


@pytest.fixture(scope="session")
def tool_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of the tools run on a generated project: the suite's venv first on PATH, one mypy and
    ruff cache for all projects (cache locations, not checking options: mypy re-checks every module whose
    source differs), and none of the variables that would change what they check or which database a
    test uses."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["MYPY_CACHE_DIR"] = str(tmp_path_factory.mktemp("mypy-cache"))
    env["RUFF_CACHE_DIR"] = str(tmp_path_factory.mktemp("ruff-cache"))
    for name in ("PYTHONPATH", "DATABASE_URL", "TEST_DATABASE_URL", "PYTEST_ADDOPTS", "MYPYPATH", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


#: The async driver a project uses when its own default DATABASE_URL does not say (app/config.py).
DEFAULT_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "mysql": "mysql+aiomysql"}


def project_driver(project: GeneratedProject) -> str:
    """The async driver of the project's default DATABASE_URL (app/config.py), e.g. `postgresql+asyncpg`."""
    config = (project.root / "app" / "config.py").read_text()
    m = re.search(r'database_url:\s*str\s*=\s*"([^"]+)"', config)
    if m:
        drivername = sa.make_url(m.group(1)).drivername
        if drivername.split("+")[0] == project.dialect or (
            project.dialect == "mysql" and drivername.startswith("mariadb")
        ):
            return drivername
    return DEFAULT_ASYNC_DRIVERS[project.dialect]


def async_url(db: Database, project: GeneratedProject) -> str:
    """The URL the generated app gets in DATABASE_URL: the test database with the project's async driver."""
    url = db.engine.url.set(drivername=project_driver(project))
    if db.dialect == "mysql":
        # The server's default character set is latin1 (--no-defaults): ask for utf8mb4, as every MySQL URL
        # in SQLAlchemy's documentation does.
        url = url.update_query_dict({"charset": "utf8mb4"})
    return url.render_as_string(hide_password=False)


def _forget_app_modules() -> None:
    for name in list(sys.modules):
        if name in ("app", "tests") or name.startswith(("app.", "tests.")):
            del sys.modules[name]


@dataclass
class LoadedApp:
    """The imported `app` package of one generated project."""

    project: GeneratedProject
    main: ModuleType
    db: ModuleType
    models: ModuleType

    @property
    def app(self) -> Any:
        return self.main.app

    @property
    def engine(self) -> Any:
        return self.db.engine

    @property
    def metadata(self) -> sa.MetaData:
        return self.models.Base.metadata

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(name)


@contextlib.contextmanager
def loaded_app(project: GeneratedProject, database_url: str | None) -> Iterator[LoadedApp]:
    """Imports `app.main` (or only `app.models` when `database_url` is None) of `project` with DATABASE_URL set."""
    _forget_app_modules()
    saved = os.environ.get("DATABASE_URL")
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(project.root))
    importlib.invalidate_caches()
    try:
        models = importlib.import_module("app.models")
        assert Path(models.__file__ or "").is_relative_to(project.root), f"imported the wrong app: {models.__file__}"
        if database_url is None:
            yield LoadedApp(project, models, models, models)
        else:
            main = importlib.import_module("app.main")
            db = importlib.import_module("app.db")
            if (project.root / "app" / "auth.py").is_file():
                # With `auth:`, the suite drives the API with every right, as the project's own
                # conftest does; test_auth.py checks the access rules over real tokens.
                auth = importlib.import_module("app.auth")
                main.app.dependency_overrides.update(dict.fromkeys(auth.Rule.instances, auth.Grant))
            assert db.engine.url == sa.make_url(database_url), (
                f"app.db.engine uses {db.engine.url!r}, not DATABASE_URL={database_url!r}"
            )
            yield LoadedApp(project, main, db, models)
    finally:
        sys.path.remove(str(project.root))
        _forget_app_modules()
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved


# ---------------------------------------------------------------------------------------------
# The IR as entities


@dataclass
class Column:
    name: str
    type: tuple[Any, ...]
    spelling: str
    nullable: bool
    autoincrement: bool
    default: dict[str, Any] | None
    validation: dict[str, Any]
    sensitive: bool
    on_update_now: bool

    @property
    def required(self) -> bool:
        """Must be in a create body: NOT NULL, no default, not generated."""
        return not self.nullable and self.default is None and not self.autoincrement


@dataclass
class ForeignKey:
    name: str
    table: str
    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    on_delete: str | None
    on_update: str | None
    nullable: bool  # every column nullable
    unique: bool  # the columns are unique in the child (one-to-one)


@dataclass
class Relation:
    name: str
    kind: str
    target_table: str
    target_entity: str
    join_table: str | None
    through: str | None
    back: str | None
    read: str | None = None  # `read: ids|nested` where the schema says
    foreign_key: str | None = None
    target_foreign_key: str | None = None

    @property
    def implicit_m2m(self) -> bool:
        return self.kind == "many_to_many" and self.through is None and self.join_table is not None


@dataclass
class Entity:
    name: str
    table: str
    columns: dict[str, Column]
    pk: list[str]
    fks: list[ForeignKey]
    uniques: list[tuple[str, list[str]]]  # (name, columns): UNIQUE constraints and full unique indexes
    relations: list[Relation]
    checks: list[dict[str, Any]]
    # `search:`: the list takes `q` (test_search.py checks it).
    searched: bool = False

    def fk_of(self, column: str) -> ForeignKey | None:
        for fk in self.fks:
            if column in fk.columns:
                return fk
        return None

    @property
    def m2m(self) -> list[Relation]:
        return [r for r in self.relations if r.implicit_m2m]


class SchemaInfo:
    def __init__(self, ir: dict[str, Any]) -> None:
        self.ir = ir
        self.enums: dict[str, list[str]] = {e["name"]: list(e["values"]) for e in ir["enums"]}
        self.tables: dict[str, Entity] = {}
        for t in ir["tables"]:
            if t.get("managedBy"):  # a feature's own table (auth's refresh tokens): no API of its own
                continue
            columns = {
                c["name"]: Column(
                    name=c["name"],
                    type=parse_type(c["type"]),
                    spelling=c["type"],
                    nullable=bool(c["nullable"]),
                    autoincrement=bool(c.get("autoincrement")),
                    default=c.get("defaultValue"),
                    validation=dict(c.get("validation") or {}),
                    sensitive=bool(c.get("sensitive")),
                    on_update_now=bool(c.get("onUpdateNow")),
                )
                for c in t["columns"]
            }
            auth = ir.get("auth")
            if auth and t.get("entity") == auth["user"]:
                # Clients send `password` (8 to 128 characters) in place of the hash column.
                hashed = next(c["name"] for c in t["columns"] if c["field"] == auth["password"])
                columns = {
                    ("password" if name == hashed else name): (
                        Column("password", parse_type("string(128)"), "string(128)", False, False, None,
                               {"minLength": 8, "maxLength": 128}, True, False)
                        if name == hashed else column
                    )
                    for name, column in columns.items()
                }
            uniques = [(u["name"], list(u["columns"])) for u in t["uniques"]]
            uniques += [
                (i["name"], list(i["columns"]))
                for i in t["indexes"]
                if i["unique"] and i.get("predicate") is None and not i.get("expressions")
            ]
            unique_sets = [set(cols) for _, cols in uniques]
            pk = list(t["primaryKey"]["columns"]) if t.get("primaryKey") else []
            fks = [
                ForeignKey(
                    name=f["name"],
                    table=t["name"],
                    columns=list(f["columns"]),
                    ref_table=f["referencedTable"],
                    ref_columns=list(f["referencedColumns"]),
                    on_delete=f.get("onDelete"),
                    on_update=f.get("onUpdate"),
                    nullable=all(columns[c].nullable for c in f["columns"]),
                    unique=set(f["columns"]) in unique_sets or set(f["columns"]) == set(pk),
                )
                for f in t["foreignKeys"]
            ]
            relations = [
                Relation(
                    name=r["name"],
                    kind=r["kind"],
                    target_table=r["targetTable"],
                    target_entity=r["targetEntity"],
                    join_table=r.get("joinTable"),
                    through=r.get("throughEntity"),
                    back=r.get("back"),
                    read=r.get("read"),
                    foreign_key=r.get("foreignKey"),
                    target_foreign_key=r.get("targetForeignKey"),
                )
                for r in t["relations"]
            ]
            self.tables[t["name"]] = Entity(
                name=t.get("entity") or "",
                table=t["name"],
                columns=columns,
                pk=pk,
                fks=fks,
                uniques=uniques,
                relations=relations,
                checks=list(t["checks"]),
                searched=t.get("search") is not None,
            )

    @property
    def entities(self) -> list[Entity]:
        """Tables of entities that have a primary key: the ones the API serves."""
        return [e for e in self.tables.values() if e.name and e.pk]

    def entity(self, name: str) -> Entity:
        for e in self.tables.values():
            if e.name == name:
                return e
        raise KeyError(name)

    def creation_order(self) -> list[Entity]:
        """Entities with the targets of their NOT NULL foreign keys first."""
        entities = {e.table: e for e in self.entities}
        order: list[Entity] = []
        done: set[str] = set()
        remaining = sorted(entities)
        while remaining:
            for table in remaining:
                deps = {fk.ref_table for fk in entities[table].fks if not fk.nullable} - {table}
                if deps <= done:
                    break
            else:
                raise AssertionError(f"NOT NULL foreign keys form a cycle among {remaining}: no creation order")
            remaining.remove(table)
            order.append(entities[table])
            done.add(table)
        return order

    def referencing(self, table: str) -> list[ForeignKey]:
        return [fk for e in self.tables.values() for fk in e.fks if fk.ref_table == table]


# ---------------------------------------------------------------------------------------------
# Values


_WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_CANDIDATES = _WORD_CHARS + "-.@ !#"


def _class_predicate(items: list[tuple[Any, Any]]) -> Any:
    """A predicate for a regex character class (`IN` node)."""
    negate = False
    tests = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            tests.append(lambda c, v=av: ord(c) == v)
        elif name == "RANGE":
            tests.append(lambda c, lo=av[0], hi=av[1]: lo <= ord(c) <= hi)
        elif name == "CATEGORY":
            tests.append(_category_predicate(av))
        else:
            raise ValueError(f"unsupported character class item {name}")
    if negate:
        return lambda c: not any(t(c) for t in tests)
    return lambda c: any(t(c) for t in tests)


def _category_predicate(category: Any) -> Any:
    name = str(category)
    table = {
        "CATEGORY_DIGIT": str.isdigit,
        "CATEGORY_NOT_DIGIT": lambda c: not c.isdigit(),
        "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
        "CATEGORY_NOT_WORD": lambda c: not (c.isalnum() or c == "_"),
        "CATEGORY_SPACE": str.isspace,
        "CATEGORY_NOT_SPACE": lambda c: not c.isspace(),
    }
    if name not in table:
        raise ValueError(f"unsupported regex category {name}")
    return table[name]


def _pick(predicate: Any, wanted: str) -> str:
    """`wanted` if the class allows it, else a digit/letter that keeps the token's information, else any."""
    if predicate(wanted):
        return wanted
    if wanted.isdigit():
        alternatives = ["abcdefghij"[int(wanted)], "ABCDEFGHIJ"[int(wanted)]]
    elif wanted.isalpha():
        alternatives = [wanted.swapcase(), str(ord(wanted) % 10)]
    else:
        alternatives = []
    for alt in alternatives:
        if predicate(alt):
            return alt
    for c in _CANDIDATES:
        if predicate(c):
            return c
    raise ValueError("empty character class")


def string_for_pattern(pattern: str, token: str) -> str:
    """A string matching `pattern` (anchored or not) in which the variable parts spell `token`.

    Supports literals, classes, categories, `.`, groups, alternation (first branch), repeats and look-aheads
    (skipped, then checked): what column and API patterns use. Unsupported constructs raise ValueError (the test then says which pattern it cannot serve)."""

    def gen(items: Any) -> str:
        out = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "NOT_LITERAL":
                out.append(_pick(lambda c, v=av: ord(c) != v, token[:1] or "x"))
            elif name == "ANY":
                out.append(_pick(lambda c: c != "\n", token[:1] or "x"))
            elif name == "IN":
                out.append(_pick(_class_predicate(av), token[:1] or "x"))
            elif name == "CATEGORY":
                out.append(_pick(_category_predicate(av), token[:1] or "x"))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = av
                hi = 1_000_000 if hi == sre_parse.MAXREPEAT else hi
                sub = list(sub)
                if len(sub) == 1 and str(sub[0][0]) == "LITERAL":
                    out.append(chr(sub[0][1]) * lo)  # `\+?`: the fewest the pattern takes
                elif len(sub) == 1 and str(sub[0][0]) in ("IN", "CATEGORY", "ANY", "NOT_LITERAL"):
                    count = min(max(lo, len(token)), hi)
                    op1, av1 = sub[0]
                    kind = str(op1)
                    if kind == "IN":
                        pred = _class_predicate(av1)
                    elif kind == "CATEGORY":
                        pred = _category_predicate(av1)
                    elif kind == "ANY":
                        pred = lambda c: c != "\n"
                    else:
                        pred = lambda c, v=av1: ord(c) != v
                    padded = (token * (count // max(len(token), 1) + 1))[:count] if token else "x" * count
                    out.append("".join(_pick(pred, ch) for ch in padded))
                else:
                    out.append(gen(sub) * max(lo, 1 if hi >= 1 else 0))
            elif name == "SUBPATTERN":
                out.append(gen(av[-1]))
            elif name == "BRANCH":
                out.append(gen(av[1][0]))
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                # Zero-width: anchors, and look-aheads (such as the API's "no NUL" in front of a
                # pattern), which the check below holds the result to.
                continue
            else:
                raise ValueError(f"unsupported regex construct {name} in {pattern!r}")
        return "".join(out)

    value = gen(sre_parse.parse(pattern))
    if not re.search(pattern, value):
        raise ValueError(f"could not build a string matching {pattern!r} (got {value!r})")
    return value


# The ranges the API takes: the column type's, except that BIGINT stays within I-JSON's ±(2**53 - 1)
# (RFC 7493), which every JSON tool holds exactly.
INT_RANGES = {"smallint": (-(2**15), 2**15 - 1), "int": (-(2**31), 2**31 - 1), "bigint": (-(2**53 - 1), 2**53 - 1)}


class ValueFactory:
    """Valid (and invalid) JSON values for IR columns. Each call of `valid` with a new `n` gives a new value."""

    def __init__(self, info: SchemaInfo) -> None:
        self.info = info

    # Numbers ---------------------------------------------------------------------------------

    @staticmethod
    def _bounds(column: Column, t: tuple[Any, ...]) -> tuple[decimal.Decimal, decimal.Decimal]:
        kind = t[0]
        if kind in INT_RANGES:
            lo, hi = (decimal.Decimal(v) for v in INT_RANGES[kind])
        elif kind == "decimal":
            precision, scale = t[1], t[2]
            limit = decimal.Decimal(10) ** (precision - scale) - decimal.Decimal(1).scaleb(-scale)
            lo, hi = -limit, limit
        else:  # float
            lo, hi = decimal.Decimal(-(10**9)), decimal.Decimal(10**9)
        if "minimum" in column.validation:
            lo = max(lo, decimal.Decimal(str(column.validation["minimum"])))
        if "maximum" in column.validation:
            hi = min(hi, decimal.Decimal(str(column.validation["maximum"])))
        return lo, hi

    def _number(self, column: Column, t: tuple[Any, ...], n: int) -> Any:
        lo, hi = self._bounds(column, t)
        # Positive, small values by default: they satisfy CHECKs such as `x > 0` that the IR cannot explain.
        start = max(lo, decimal.Decimal(1)) if hi >= 1 else lo
        span = int(min(hi - start, decimal.Decimal(10**6)))
        base = start + (n % (span + 1) if span >= 0 else 0)
        kind = t[0]
        if kind in INT_RANGES:
            return int(base.to_integral_value(rounding=decimal.ROUND_CEILING))
        if kind == "decimal":
            scale = t[2]
            value = base + (decimal.Decimal("0.25") if scale >= 2 and base + decimal.Decimal("0.25") <= hi else 0)
            return str(value.quantize(decimal.Decimal(1).scaleb(-scale)))
        value_f = float(base) + (0.5 if float(base) + 0.5 <= float(hi) else 0.0)
        return value_f

    # Strings ---------------------------------------------------------------------------------

    @staticmethod
    def _max_length(column: Column, t: tuple[Any, ...]) -> int | None:
        if "maxLength" in column.validation:
            return int(column.validation["maxLength"])
        if t[0] == "string" and len(t) > 1:
            return int(t[1])
        return None

    def _string(self, column: Column, t: tuple[Any, ...], n: int) -> str:
        limit = self._max_length(column, t)
        pattern = column.validation.get("pattern")
        if pattern:
            value = string_for_pattern(pattern, f"v{n}")
        else:
            prefix = re.sub(r"[^a-z]", "", column.name.lower())[:8] or "s"
            suffix = str(n)
            if limit is not None and len(prefix) + len(suffix) > limit:
                prefix = prefix[: max(limit - len(suffix), 0)]
            value = prefix + suffix
        if limit is not None and len(value) > limit:
            raise AssertionError(f"cannot build a value of at most {limit} characters for {column.name}: {value!r}")
        if "minLength" in column.validation and len(value) < int(column.validation["minLength"]):
            value = value + "x" * (int(column.validation["minLength"]) - len(value))
        return value

    # Any type --------------------------------------------------------------------------------

    def valid(self, column: Column, n: int, t: tuple[Any, ...] | None = None) -> Any:
        t = t or column.type
        kind = t[0]
        if kind in INT_RANGES or kind in ("decimal", "float"):
            return self._number(column, t, n)
        if kind in ("string", "text"):
            return self._string(column, t, n)
        if kind == "bool":
            return n % 2 == 0
        if kind == "date":
            return (dt.date(2024, 1, 1) + dt.timedelta(days=n % 3000)).isoformat()
        if kind == "time":
            return dt.time((n // 3600) % 24, (n // 60) % 60, n % 60).isoformat()
        if kind == "datetime":
            moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=7 * n)
            return moment.isoformat()
        if kind == "uuid":
            return str(uuid.UUID(int=(n * 0x9E3779B97F4A7C15) % (1 << 128), version=4))
        if kind == "enum":
            values = self.info.enums[t[1]]
            return values[n % len(values)]
        if kind == "json":
            return {"n": n, "list": [1, 2, n], "nested": {"ok": True}}
        if kind == "bytes":  # base64 in JSON (the generated schemas say val_json_bytes="base64")
            return base64.b64encode(f"bytes{n}\x00\xff".encode("latin-1")).decode()
        if kind == "array":
            return [self.valid(column, n, t[1]), self.valid(column, n + 1, t[1])]
        raise AssertionError(f"no value generator for type {column.spelling!r} ({column.name})")

    def wrong_type(self, column: Column) -> Any | None:
        """A JSON value of the wrong type for the column, or None where any JSON value is valid."""
        kind = column.type[0]
        if kind in INT_RANGES:
            return "not a number"
        if kind in ("decimal", "float"):
            return "twelve"
        if kind in ("string", "text"):
            return {"not": "a string"}
        if kind == "bool":
            return "maybe"
        if kind == "date":
            return "2024-13-45"
        if kind == "time":
            return "25:61:00"
        if kind == "datetime":
            return "not a date"
        if kind == "uuid":
            return "not-a-uuid"
        if kind == "enum":
            return "not-a-member"
        if kind == "bytes":
            return "*not base64*"
        if kind == "array":
            return "not a list"
        return None  # json: anything goes

    def invalid_values(self, column: Column) -> list[tuple[str, Any]]:
        """(what, value) pairs that the column's validation must refuse with 422."""
        result: list[tuple[str, Any]] = []
        wrong = self.wrong_type(column)
        if wrong is not None:
            result.append(("wrong type", wrong))
        t = column.type
        kind = t[0]
        if "minimum" in column.validation:
            below = decimal.Decimal(str(column.validation["minimum"])) - 1
            result.append(("below minimum", int(below) if kind in INT_RANGES else str(below)))
        if "maximum" in column.validation:
            above = decimal.Decimal(str(column.validation["maximum"])) + 1
            result.append(("above maximum", int(above) if kind in INT_RANGES else str(above)))
        if kind == "decimal":
            precision, scale = t[1], t[2]
            result.append(("too many decimal places", "1." + "1" * (scale + 1)))
            result.append(("too many digits", str(decimal.Decimal(10) ** (precision - scale))))
        limit = self._max_length(column, t) if kind in ("string", "text") else None
        if limit is not None:
            result.append(("too long", "x" * (limit + 1)))
        pattern = column.validation.get("pattern")
        if pattern:
            for candidate in ("", "!", "x", "no match here", "@@", "0"):
                if not re.search(pattern, candidate) and (limit is None or len(candidate) <= limit):
                    result.append(("pattern mismatch", candidate))
                    break
        if kind == "array" and t[1][0] == "string" and len(t[1]) > 1:
            result.append(("array item too long", ["x" * (int(t[1][1]) + 1)]))
        if kind == "array" and t[1][0] == "enum":
            result.append(("array item not a member", ["not-a-member"]))
        return result

    def unknown_key(self, column: Column) -> Any:
        """A valid value for a key column that no row has."""
        kind = column.type[0]
        if kind in INT_RANGES:
            _, hi = self._bounds(column, column.type)
            return int(min(hi, decimal.Decimal(2_147_480_000)))
        if kind == "uuid":
            return str(uuid.UUID(int=0xDEADBEEF, version=4))
        if kind in ("string", "text"):
            return self._string(column, column.type, 987654)
        return self.valid(column, 987654)


# ---------------------------------------------------------------------------------------------
# Comparing JSON values


def _datetime(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # MariaDB and SQLite keep no time zone: the app stores UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def normalize(value: Any, t: tuple[Any, ...]) -> Any:
    """A JSON value in a comparable form for an IR type."""
    if value is None:
        return None
    kind = t[0]
    if kind == "decimal":
        return decimal.Decimal(str(value))
    if kind == "float":
        return round(float(value), 6)
    if kind == "datetime":
        return _datetime(value)
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "time":
        return dt.time.fromisoformat(str(value))
    if kind == "uuid":
        return uuid.UUID(str(value))
    if kind == "array":
        return [normalize(v, t[1]) for v in value]
    if kind == "json":
        return json.loads(json.dumps(value, sort_keys=True))
    if kind == "bytes":  # Pydantic writes the URL-safe alphabet, reads both
        return base64.b64decode(str(value).replace("-", "+").replace("_", "/"), validate=True)
    return value


def same(a: Any, b: Any, t: tuple[Any, ...]) -> bool:
    na, nb = normalize(a, t), normalize(b, t)
    if t[0] == "float" and na is not None and nb is not None:
        return math.isclose(na, nb, rel_tol=1e-6)
    return bool(na == nb)


# ---------------------------------------------------------------------------------------------
# The HTTP API


@dataclass
class EntityApi:
    """What the generated app offers for one entity."""

    entity: Entity
    module: str  # app.<package>.<module> suffix, e.g. order_line
    prefix: str  # /api/v1/order-lines
    create_fields: dict[str, Any]
    update_fields: dict[str, Any]
    read_fields: dict[str, Any]
    keys: dict[str, str]  # column -> JSON key

    def key(self, column: str) -> str:
        return self.keys[column]

    def url(self, row: dict[str, Any]) -> str:
        return self.prefix + "/" + "/".join(quote(str(row[self.key(c)]), safe="") for c in self.entity.pk)

    def key_of(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(normalize(row[self.key(c)], self.entity.columns[c].type) for c in self.entity.pk)


class StatementCounter:
    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self.active = False
        sa.event.listen(engine.sync_engine, "before_cursor_execute", self._count)

    def _count(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if self.active:
            self.statements.append(statement)

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements = []
        self.active = True
        try:
            yield self.statements
        finally:
            self.active = False

    def close(self) -> None:
        sa.event.remove(self.engine.sync_engine, "before_cursor_execute", self._count)


class Api:
    """An httpx client on the generated app, with payload builders driven by the IR."""

    def __init__(self, loaded: LoadedApp, info: SchemaInfo, client: httpx.AsyncClient) -> None:
        self.loaded = loaded
        self.info = info
        self.client = client
        self.values = ValueFactory(info)
        self.counter = itertools.count(1)
        self.called: list[tuple[str, str, int]] = []
        self.created: dict[str, list[dict[str, Any]]] = {}  # table -> rows created through `new`, in order
        self.last_body: dict[str, Any] = {}
        self.entities: dict[str, EntityApi] = {}
        self.openapi: dict[str, Any] = loaded.app.openapi()
        models = loaded.module("app.models")
        for entity in info.entities:
            model = getattr(models, entity.name, None)
            assert model is not None, f"app.models exports no model {entity.name}"
            assert model.__tablename__ == entity.table, f"{entity.name}.__tablename__ is {model.__tablename__!r}"
            module = model.__module__.rsplit(".", 1)[-1]
            router = loaded.module(f"app.routers.{module}").router
            schemas = loaded.module(f"app.schemas.{module}")
            create = getattr(schemas, f"{entity.name}Create").model_fields
            update = getattr(schemas, f"{entity.name}Update").model_fields
            read = getattr(schemas, f"{entity.name}Read").model_fields
            keys = {}
            for name in entity.columns:
                for candidate in (name, name + "_"):
                    if candidate in create or candidate in read or candidate in update:
                        keys[name] = candidate
                        break
            self.entities[entity.table] = EntityApi(
                entity, module, API + router.prefix, dict(create), dict(update), dict(read), keys
            )

    # Bookkeeping -------------------------------------------------------------------------------

    def n(self) -> int:
        return next(self.counter)

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A request to the app; an exception the app lets escape becomes a 500 response that names it."""
        try:
            response = await self.client.request(method, url, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported as the response of the failed request
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            response = httpx.Response(500, json={"unhandled": f"{type(exc).__name__}: {first}"})
        self.called.append((method, url.split("?", 1)[0], response.status_code))
        return response

    def api(self, entity: Entity | str) -> EntityApi:
        table = entity if isinstance(entity, str) else entity.table
        return self.entities[table]

    def by_name(self, entity_name: str) -> EntityApi:
        return self.api(self.info.entity(entity_name))

    def routes(self) -> list[tuple[str, str, re.Pattern[str]]]:
        """(method, path template, regex) of every API route, from the app's OpenAPI document (FastAPI's
        public description of its routes)."""
        result = []
        for path, operations in self.openapi["paths"].items():
            if not path.startswith(API):
                continue
            regex = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            for method in operations:
                if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    result.append((method.upper(), path, regex))
        return result

    def segment(self, entity: Entity, relation_name: str) -> str:
        """The path segment of a many-to-many relation's add/remove routes: the relation's name, or its
        kebab-case spelling (`reachable_from` -> `reachable-from`) if that is the route the app has."""
        ea = self.api(entity)
        item = ea.prefix + "/{}" * len(entity.pk)
        shapes = {(m, re.sub(r"\{[^}]+\}", "{}", p)) for m, p, _ in self.routes()}
        for candidate in (relation_name, relation_name.replace("_", "-")):
            if ("POST", f"{item}/{candidate}/{{}}") in shapes:
                return candidate
        return relation_name

    def link_url(self, entity: Entity, owner: dict[str, Any], relation_name: str, other_key: Any) -> str:
        return f"{self.api(entity).url(owner)}/{self.segment(entity, relation_name)}/{quote(str(other_key), safe='')}"

    def uncalled_routes(self) -> list[str]:
        """Routes that no request so far answered with a 2xx status (but the auth routes: test_auth.py
        drives them with real tokens)."""
        missing = []
        for method, path, regex in self.routes():
            if path.startswith("/api/v1/auth/"):
                continue
            if not any(m == method and regex.match(url) and 200 <= status < 300 for m, url, status in self.called):
                missing.append(f"{method} {path}")
        return missing

    # Payloads ------------------------------------------------------------------------------------

    def payload(self, entity: Entity, n: int, *, full: bool) -> dict[str, Any]:
        """Values for the entity's own columns (not foreign keys): the required ones, or every writable one."""
        ea = self.api(entity)
        body: dict[str, Any] = {}
        for column in entity.columns.values():
            if column.autoincrement or entity.fk_of(column.name) is not None:
                continue
            key = ea.keys.get(column.name)
            if key is None or key not in ea.create_fields:
                if column.required:
                    raise AssertionError(
                        f"{entity.name}Create has no field for the required column {entity.table}.{column.name}"
                    )
                continue
            if column.required or full or column.name in entity.pk:
                body[key] = self.values.valid(column, n)
        return body

    def set_parent(self, body: dict[str, Any], entity: Entity, fk: ForeignKey, parent: dict[str, Any] | None) -> None:
        ea = self.api(entity)
        pa = self.entities.get(fk.ref_table)
        for column, ref in zip(fk.columns, fk.ref_columns, strict=True):
            key = ea.key(column)
            if parent is None:
                body[key] = None
            else:
                assert pa is not None
                body[key] = parent[pa.key(ref)]

    async def new(
        self,
        entity: Entity | str,
        *,
        full: bool = False,
        overrides: dict[str, Any] | None = None,
        parents: dict[str, dict[str, Any] | None] | None = None,
        links: dict[str, list[dict[str, Any]]] | None = None,
        depth: int = 0,
    ) -> dict[str, Any]:
        """Creates an object through the API (201 expected): NOT NULL parents are created first (and, with
        `full`, the nullable ones too, and every writable field is set). `parents` maps FK name -> parent row
        (None: leave it null); `links` maps a many-to-many relation name -> target rows sent as ids."""
        if isinstance(entity, str):
            entity = self.info.tables[entity]
        assert depth < 12, f"parent chain too deep at {entity.name}: a cycle of NOT NULL foreign keys?"
        body = self.payload(entity, self.n(), full=full)
        parents = parents or {}
        for fk in entity.fks:
            if fk.name in parents:
                self.set_parent(body, entity, fk, parents[fk.name])
            elif fk.nullable and not full and any(entity.columns[c].default is not None for c in fk.columns):
                # A nullable FK with a default (which may name a row that does not exist): ask for NULL.
                self.set_parent(body, entity, fk, None)
            elif fk.ref_table == entity.table and fk.nullable:
                if full and self.created.get(entity.table):  # a self reference: an existing object
                    self.set_parent(body, entity, fk, self.created[entity.table][-1])
            elif not fk.nullable or full:
                parent = await self.new(fk.ref_table, depth=depth + 1)
                self.set_parent(body, entity, fk, parent)
        for relation_name, targets in (links or {}).items():
            body[self.ids_field(entity, relation_name)] = [self.ref_value(relation_name, entity, t) for t in targets]
        body.update(overrides or {})
        self.last_body = body
        response = await self.request("POST", self.api(entity).prefix + "/", json=body)
        assert response.status_code == 201, (
            f"POST {self.api(entity).prefix}/ {json.dumps(body, default=str)} -> {response.status_code} {response.text}"
        )
        created: dict[str, Any] = response.json()
        self.created.setdefault(entity.table, []).append(created)
        return created

    async def new_parent(self, fk: ForeignKey) -> dict[str, Any]:
        return await self.new(fk.ref_table)

    def relation(self, entity: Entity, name: str) -> Relation:
        for r in entity.relations:
            if r.name == name:
                return r
        raise KeyError(f"{entity.name}.{name}")

    def ids_field(self, entity: Entity, relation_name: str) -> str:
        """The create/update field with the ids of a many-to-many relation (`tags` -> `tag_ids`)."""
        ea = self.api(entity)
        singular = relation_name
        if singular.endswith("ies"):
            singular = singular[:-3] + "y"
        elif singular.endswith("s") and not singular.endswith("ss"):
            singular = singular[:-1]
        candidates = [f"{singular}_ids", f"{relation_name}_ids"]
        for c in candidates:
            if c in ea.create_fields:
                return c
        raise AssertionError(
            f"{entity.name}Create has no id-list field for the many-to-many relation {relation_name!r} "
            f"(looked for {candidates}; fields: {sorted(ea.create_fields)})"
        )

    def target_key(self, entity: Entity, relation_name: str) -> str:
        """The single key column (JSON key) of a relation's target (many-to-many targets have one-column keys)."""
        relation = self.relation(entity, relation_name)
        target = self.api(relation.target_table)
        assert len(target.entity.pk) == 1, f"{relation.target_entity} has a composite key"
        return target.key(target.entity.pk[0])

    def ref_value(self, relation_name: str, entity: Entity, target_row: dict[str, Any]) -> Any:
        return target_row[self.target_key(entity, relation_name)]

    def ref_keys(self, entity: Entity, relation_name: str, row: dict[str, Any]) -> list[Any]:
        """The normalised keys of the refs a Read lists for a relation."""
        relation = self.relation(entity, relation_name)
        target = self.api(relation.target_table)
        column = target.entity.columns[target.entity.pk[0]]
        key = self.target_key(entity, relation_name)
        refs = row.get(relation_name)
        assert isinstance(refs, list), f"{entity.name}Read has no list {relation_name!r}: {row}"
        return sorted(normalize(ref[key], column.type) for ref in refs)

    async def get(self, entity: Entity, row: dict[str, Any]) -> httpx.Response:
        return await self.request("GET", self.api(entity).url(row))

    async def all_rows(self, entity: Entity, **params: Any) -> tuple[list[dict[str, Any]], int]:
        """Every row of the list endpoint, page after page by `next_cursor` (pages of 100), and the count
        every page reports (`count=true`): the same on every page, and the number of rows walked."""
        rows: list[dict[str, Any]] = []
        counts = set()
        query = {**params, "limit": 100, "count": "true"}
        while True:
            response = await self.request("GET", self.api(entity).prefix + "/", params=query)
            assert response.status_code == 200, f"list {entity.name} {query}: {response.status_code} {response.text}"
            page = response.json()
            assert set(page) == {"data", "next_cursor", "count"}, f"list envelope of {entity.name}: {sorted(page)}"
            counts.add(page["count"])
            rows += page["data"]
            if page["next_cursor"] is None:
                break
            query = {**params, "limit": 100, "count": "true", "cursor": page["next_cursor"]}
        assert len(counts) == 1, f"count changed between pages of {entity.name}: {counts}"
        count = counts.pop()
        assert count == len(rows), f"list {entity.name}: count {count}, {len(rows)} rows walked"
        return rows, count

    def list_parameters(self, entity: Entity) -> dict[str, dict[str, Any]]:
        """Query parameters of the list route, from the app's OpenAPI document."""
        path = self.api(entity).prefix + "/"
        operation = self.openapi["paths"][path]["get"]
        return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


# ---------------------------------------------------------------------------------------------
# Catalog


def _norm_sql(text: Any) -> str | None:
    if text is None:
        return None
    s = re.sub(r"\s+", " ", str(text)).strip()
    return s


def _sqlite_sql_text(text: str) -> str:
    """SQLite keeps index SQL as written: compare it without quotes, case and whitespace."""
    s = re.sub(r'["`\[\]]', "", text).lower()
    s = re.sub(r"\s+", "", s)
    while s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    return s


def _sqlite_indexes(engine: sa.Engine, table: str) -> list[dict[str, Any]]:
    """SQLite indexes from PRAGMA index_list / index_xinfo and sqlite_master (the inspector skips expression
    indexes): name, key columns (`<expr>` for an expression), unique, and the WHERE and expression texts."""
    result = []
    with engine.connect() as conn:
        for _seq, name, unique, origin, partial in conn.exec_driver_sql(f'PRAGMA index_list("{table}")').all():
            if origin == "pk":
                continue  # the primary key's index: compared as the primary key
            info = conn.exec_driver_sql(f'PRAGMA index_xinfo("{name}")').all()
            columns = [row[2] if row[1] >= 0 else "<expr>" for row in info if row[5]]
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).scalar()
            where = expressions = None
            if sql:
                m = re.search(r"\bWHERE\b(.*)$", sql, re.IGNORECASE | re.DOTALL)
                where = _sqlite_sql_text(m.group(1)) if partial and m else None
                if "<expr>" in columns:
                    body = sql[: m.start()] if m else sql
                    expressions = _sqlite_sql_text(body[body.index("(") :])
            if origin == "u":  # a UNIQUE constraint's index: SQLite names it by position (sqlite_autoindex_t_N)
                name = f"<unique index on {', '.join(columns)}>"
            result.append(
                {
                    "name": name,
                    "columns": columns,
                    "unique": bool(unique),
                    "origin": origin,
                    "where": where,
                    "expressions": expressions,
                }
            )
    return sorted(result, key=lambda i: str(i["name"]))


def server_defaults(engine: sa.Engine) -> dict[str, dict[str, str | None]]:
    """Every column's reflected server default, normalised as in PITFALLS.md section 3 (the forms that the
    same database reports differently for equal defaults: parentheses, casts, quotes, now() aliases,
    booleans, decimal spellings)."""
    insp = sa.inspect(engine)
    return {
        table: {c["name"]: normalize_default(c.get("default")) for c in insp.get_columns(table)}
        for table in sorted(insp.get_table_names())
    }


_DEFAULT_ALIASES = {
    "now()": "current_timestamp",
    "current_timestamp()": "current_timestamp",
    "current_timestamp": "current_timestamp",
    "true": "1",
    "false": "0",
}


def normalize_default(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip()
    while v.startswith("(") and v.endswith(")"):
        v = v[1:-1].strip()
    v = re.sub(r"::[\w ]+(\[\])?$", "", v)  # PostgreSQL: 'x'::text
    if len(v) >= 2 and v[0] == v[-1] == "'":
        v = v[1:-1]
    v = _DEFAULT_ALIASES.get(v.lower(), v)
    try:
        return str(decimal.Decimal(v).normalize())
    except decimal.InvalidOperation:
        return v


def catalog(engine: sa.Engine, dialect: str) -> dict[str, Any]:
    """Tables, columns, keys, constraints and indexes as SQLAlchemy's inspector reports them.

    Compared only between two databases of the SAME dialect, so reflected type strings and server-normalised
    SQL texts are comparable as they are. Check-constraint texts are compared where the server stores a
    normalised form (PostgreSQL: pg_get_constraintdef; MariaDB: information_schema.CHECK_CONSTRAINTS); SQLite
    keeps the text as written, so there only the names are compared."""
    insp = sa.inspect(engine)
    result: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        columns = {
            c["name"]: {
                "type": str(c["type"]),
                "nullable": bool(c["nullable"]),
                "comment": c.get("comment"),
            }
            for c in insp.get_columns(table)
        }
        pk = insp.get_pk_constraint(table)
        fks = sorted(
            (
                {
                    "name": fk.get("name"),
                    "columns": list(fk["constrained_columns"]),
                    "referred_table": fk["referred_table"],
                    "referred_columns": list(fk["referred_columns"]),
                    "ondelete": (fk.get("options") or {}).get("ondelete"),
                    "onupdate": (fk.get("options") or {}).get("onupdate"),
                    "deferrable": (fk.get("options") or {}).get("deferrable"),
                    "initially": (fk.get("options") or {}).get("initially"),
                }
                for fk in insp.get_foreign_keys(table)
            ),
            key=lambda f: (str(f["name"]), f["columns"]),
        )
        if dialect == "sqlite":
            indexes = _sqlite_indexes(engine, table)
        else:
            indexes = sorted(
                (
                    {
                        "name": ix.get("name"),
                        "columns": list(ix.get("column_names") or []),
                        "expressions": [_norm_sql(e) for e in ix.get("expressions") or []],
                        "unique": bool(ix.get("unique")),
                        "options": {k: _norm_sql(v) for k, v in sorted((ix.get("dialect_options") or {}).items())},
                    }
                    for ix in insp.get_indexes(table)
                ),
                key=lambda i: (str(i["name"]), i["columns"]),
            )
        with warnings.catch_warnings():
            # SQLite: "Skipped unsupported reflection of expression-based index" (read by _sqlite_indexes).
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            uniques = sorted(
                (
                    {"name": u.get("name"), "columns": list(u["column_names"])}
                    for u in insp.get_unique_constraints(table)
                ),
                key=lambda u: (str(u["name"]), u["columns"]),
            )
        checks = sorted(
            (
                {"name": c.get("name"), "sqltext": None if dialect == "sqlite" else _norm_sql(c.get("sqltext"))}
                for c in insp.get_check_constraints(table)
            ),
            key=lambda c: (str(c["name"]), str(c["sqltext"])),
        )
        try:
            comment = insp.get_table_comment(table).get("text")
        except NotImplementedError:  # SQLite has no comments
            comment = None
        result[table] = {
            "comment": comment,
            "columns": columns,
            "column_order": list(columns),
            "primary_key": {"name": pk.get("name"), "columns": list(pk.get("constrained_columns") or [])},
            "foreign_keys": fks,
            "indexes": indexes,
            "unique_constraints": uniques,
            "check_constraints": checks,
        }
    if dialect == "postgresql":
        result["<enum types>"] = sorted(
            ({"name": e["name"], "labels": list(e["labels"])} for e in insp.get_enums()), key=lambda e: e["name"]
        )
    return result


def catalog_diff(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Readable differences between two catalogs (expected = the DDL's, actual = the models')."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        lines = []
        for key in sorted(set(expected) | set(actual), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                lines.append(f"{where}: only in the DDL: {expected[key]!r}")
            elif key not in expected:
                lines.append(f"{where}: only in the models: {actual[key]!r}")
            else:
                lines += catalog_diff(expected[key], actual[key], where)
        return lines
    if (
        isinstance(expected, list)
        and isinstance(actual, list)
        and all(isinstance(x, dict) and "name" in x for x in expected + actual)
    ):
        by_name_e = {str(x["name"]): x for x in expected}
        by_name_a = {str(x["name"]): x for x in actual}
        if len(by_name_e) == len(expected) and len(by_name_a) == len(actual):
            return catalog_diff(by_name_e, by_name_a, path)
    if expected != actual:
        return [f"{path}: DDL {expected!r} != models {actual!r}"]
    return []
