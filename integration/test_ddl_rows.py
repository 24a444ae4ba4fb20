"""Data through the generated DDL on real databases.

Generic tests, driven by the IR so that they hold for any schema: one valid row per table (two
seeds) inserted in foreign-key order with values synthesised from the column types, enums, min/max
and lengths (columns with defaults omitted so the defaults run; FK cycles closed by an UPDATE after
inserting the nullable side as NULL), read back; then rows that must be refused, each in its own
transaction: NOT NULL, foreign key, unique, CHECK (min/max) and enum violations, with the error the
database is documented to raise and the name of the constraint that fired.

Targeted tests for the examples: referential actions, reserved-word tables, the org chart's FK
cycle, shop's composite FK, uuid and `now` defaults.
"""

from __future__ import annotations

import copy
import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from conftest import (
    DIALECTS,
    Database,
    Schemaforge,
    created_indexes,
    db_name,
    ir_enum,
    ir_tables,
    parse_type,
    schema_files,
    schema_id,
    schema_path,
    topological_tables,
)

INT_RANGES = {"smallint": (-32768, 32767), "int": (-2147483648, 2147483647), "bigint": (-(2**63), 2**63 - 1)}
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NAMESPACE = uuid.UUID("6f1c7d62-52a4-4d8e-9a0e-2b5f7c9d1e33")


def report(errors: list[str]) -> None:
    assert not errors, f"{len(errors)} problem(s):\n  " + "\n  ".join(errors)


# ---------------------------------------------------------------------------------------------
# Values


def _json_ready(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def normalize(value: Any, t: tuple[Any, ...]) -> Any:
    """A value as read back (or as sent) in a comparable form."""
    if value is None:
        return None
    kind = t[0]
    if kind in INT_RANGES:
        return int(value)
    if kind == "float":
        return round(float(value), 9)
    if kind == "decimal":
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-t[2]))
    if kind in ("string", "text", "enum"):
        return str(value).rstrip(" ")  # CHAR(n) pads on PostgreSQL
    if kind == "bool":
        return bool(value)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "time":
        if isinstance(value, timedelta):
            value = (datetime.min + value).time()
        if isinstance(value, str):
            value = time.fromisoformat(value)
        return value.replace(tzinfo=None)
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if kind == "uuid":
        return str(value).lower()
    if kind == "json":
        return json.loads(value) if isinstance(value, (str, bytes)) else value
    if kind == "bytes":
        return bytes(value)
    if kind == "array":
        items = json.loads(value) if isinstance(value, (str, bytes)) else value
        return [normalize(v, t[1]) for v in items]
    raise AssertionError(f"unknown type {t}")


def literal_default(value: str, t: tuple[Any, ...]) -> Any:
    """The value a literal default of the IR means, normalised."""
    kind = t[0]
    if kind == "bool":
        return value == "true"
    if kind in ("json",):
        return json.loads(value)
    if kind == "array":
        return [normalize(v, t[1]) for v in json.loads(value)]
    return normalize(value, t)


# ---------------------------------------------------------------------------------------------
# The generic row factory


class RowFactory:
    """Inserts valid rows synthesised from the IR, parents first. A `seed` selects one consistent
    set of rows: row (T, s) references the parents (P, s)."""

    def __init__(self, db: Database, ir: dict[str, Any]) -> None:
        self.db = db
        self.dialect = db.dialect
        self.ir = ir
        self.tables = ir_tables(ir)
        self.meta = sa.MetaData()
        self.meta.reflect(db.engine)
        self.rows: dict[tuple[str, int], dict[str, Any]] = {}
        self.sent: dict[tuple[str, int], dict[str, Any]] = {}
        self.deferred: list[tuple[str, int, dict[str, Any]]] = []
        self.reach = self._reachability()

    def _reachability(self) -> dict[str, set[str]]:
        graph = {n: {fk["referencedTable"] for fk in t["foreignKeys"]} for n, t in self.tables.items()}
        reach: dict[str, set[str]] = {}
        for start in graph:
            seen: set[str] = set()
            todo = list(graph[start])
            while todo:
                n = todo.pop()
                if n not in seen:
                    seen.add(n)
                    todo.extend(graph[n])
            reach[start] = seen
        return reach

    def snapshot(self) -> Any:
        return copy.deepcopy((self.rows, self.sent, self.deferred))

    def restore(self, snap: Any) -> None:
        self.rows, self.sent, self.deferred = snap

    def table(self, name: str) -> sa.Table:
        return self.meta.tables[name]

    # -- values

    def value(self, table: str, column: dict[str, Any], seed: int) -> Any:
        t = parse_type(column["type"])
        v = self.synth(t, seed, column, table)
        if t[0] == "array" and self.dialect != "postgresql":
            v = _json_ready(v)
            return json.dumps(v) if self.dialect == "mysql" else v
        if t[0] == "json" and self.dialect == "mysql":
            return json.dumps(v)
        return v

    def synth(self, t: tuple[Any, ...], seed: int, column: dict[str, Any], table: str) -> Any:
        validation = column.get("validation") or {}
        lo, hi = validation.get("minimum"), validation.get("maximum")
        name = column["name"]
        kind = t[0]
        if kind in INT_RANGES:
            tmin, tmax = INT_RANGES[kind]
            base = math.ceil(lo) if lo is not None else 1
            top = math.floor(hi) if hi is not None else tmax
            return base + seed % (top - base + 1)
        if kind == "float":
            base = lo if lo is not None else 0.0
            v = base + 1.25 + seed
            return v if hi is None or v <= hi else (base + hi) / 2
        if kind == "decimal":
            p, s = t[1], t[2]
            quantum = Decimal(1).scaleb(-s)
            limit = Decimal(10) ** (p - s) - quantum
            base = Decimal(str(lo)) if lo is not None else Decimal(0)
            v = (base + seed + Decimal("0.25")).quantize(quantum)
            if hi is not None and v > Decimal(str(hi)):
                v = Decimal(str(hi)).quantize(quantum)
            return min(v, limit)
        if kind == "string":
            n = t[1]
            text = f"{name}-{seed}"
            if len(text) > n:
                suffix = f"-{seed}"
                text = name[: max(0, n - len(suffix))] + suffix
            return text if len(text) <= n else str(seed)[-n:]
        if kind == "text":
            return f"{name} text {seed}"
        if kind == "bool":
            return seed % 2 == 1
        if kind == "date":
            return date(2024, 1, 1) + timedelta(days=seed)
        if kind == "time":
            return time(10, seed % 60, 30)
        if kind == "datetime":
            v = datetime(2024, 5, 17, 12, 30, 15, 123456) + timedelta(minutes=seed)
            return v.replace(tzinfo=timezone.utc) if self.dialect == "postgresql" else v
        if kind == "uuid":
            v = uuid.uuid5(NAMESPACE, f"{table}.{name}.{seed}")
            return v if self.dialect == "postgresql" else str(v)
        if kind == "json":
            return {"seed": seed, "column": name, "items": [1, "two", None, True]}
        if kind == "bytes":
            return b"\x00\x01\xfe\xff" + seed.to_bytes(4, "big")
        if kind == "enum":
            values = ir_enum(self.ir, t[1])["values"]
            return values[seed % len(values)]
        if kind == "array":
            return [self.synth(t[1], seed, column, table), self.synth(t[1], seed + 1, column, table)]
        raise AssertionError(f"unknown type {t}")

    # -- rows

    def build(self, conn: sa.Connection, name: str, seed: int, overrides: dict[str, Any] | None = None,
              stack: tuple[str, ...] = ()) -> dict[str, Any]:
        """Values for a new row of `name`; inserts the parent rows it needs."""
        table = self.tables[name]
        values: dict[str, Any] = {}
        for fk in table["foreignKeys"]:
            ref = fk["referencedTable"]
            cols = fk["columns"]
            nullable = all(c["nullable"] for c in table["columns"] if c["name"] in cols)
            cyclic = ref == name or name in self.reach[ref]
            if cyclic and (nullable or ref in stack or ref == name):
                if not nullable:
                    raise AssertionError(f"{name}: required FK {fk['name']} closes a cycle: cannot insert generically")
                for c in cols:
                    values.setdefault(c, None)
                self.deferred.append((name, seed, fk))
                continue
            parent = self.ensure(conn, ref, seed, stack + (name,))
            for c, rc in zip(cols, fk["referencedColumns"]):
                values.setdefault(c, parent[rc])
        for column in table["columns"]:
            if column["name"] in values or column["autoincrement"] or column.get("defaultValue"):
                continue
            values[column["name"]] = self.value(name, column, seed)
        if overrides:
            values.update(overrides)
        return values

    def build_static(self, name: str, seed: int, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Values for a row of a table without foreign keys (no parents needed)."""
        assert not self.tables[name]["foreignKeys"], name
        with self.db.engine.connect() as conn:
            return self.build(conn, name, seed, overrides)

    def insert(self, conn: sa.Connection, name: str, values: dict[str, Any]) -> dict[str, Any]:
        t = self.table(name)
        result = conn.execute(sa.insert(t).values(values).returning(*t.c))
        return dict(result.mappings().one())

    def ensure(self, conn: sa.Connection, name: str, seed: int, stack: tuple[str, ...] = ()) -> dict[str, Any]:
        key = (name, seed)
        if key not in self.rows:
            values = self.build(conn, name, seed, stack=stack)
            if key in self.rows:  # inserted meanwhile through a cycle
                return self.rows[key]
            self.rows[key] = self.insert(conn, name, values)
            self.sent[key] = values
        return self.rows[key]

    def key_clause(self, name: str, row: dict[str, Any]) -> Any:
        pk = (self.tables[name].get("primaryKey") or {}).get("columns")
        assert pk, f"{name} has no primary key"
        t = self.table(name)
        return sa.and_(*(t.c[c] == row[c] for c in pk))

    def close_cycles(self, conn: sa.Connection) -> None:
        """Points the foreign keys left NULL (cycles, self references) at the same seed's rows."""
        while self.deferred:
            name, seed, fk = self.deferred.pop(0)
            parent = self.ensure(conn, fk["referencedTable"], seed)
            row = self.rows[(name, seed)]
            update = {c: parent[rc] for c, rc in zip(fk["columns"], fk["referencedColumns"])}
            conn.execute(sa.update(self.table(name)).where(self.key_clause(name, row)).values(update))
            row.update(update)
            self.sent[(name, seed)].update(update)

    def populate(self, conn: sa.Connection, seed: int) -> None:
        for name in topological_tables(self.ir):
            self.ensure(conn, name, seed)
        self.close_cycles(conn)

    def fetch(self, conn: sa.Connection, name: str, seed: int) -> dict[str, Any]:
        t = self.table(name)
        row = self.rows[(name, seed)]
        if (self.tables[name].get("primaryKey") or {}).get("columns"):
            return dict(conn.execute(sa.select(t).where(self.key_clause(name, row))).mappings().one())
        # No key: find the row whose values all match what was sent.
        sent = self.sent[(name, seed)]
        types = {c["name"]: parse_type(c["type"]) for c in self.tables[name]["columns"]}
        matches = [
            dict(r)
            for r in conn.execute(sa.select(t)).mappings()
            if all(normalize(r[c], types[c]) == normalize(v, types[c]) for c, v in sent.items())
        ]
        assert len(matches) == 1, f"{name}: {len(matches)} rows match {sent}"
        return matches[0]


# ---------------------------------------------------------------------------------------------
# Fixtures


@dataclass
class Loaded:
    path: Path
    dialect: str
    ir: dict[str, Any]
    db: Database
    factory: RowFactory


def load(schemaforge: Schemaforge, fresh_db: Callable[[str], Database], path: Path, dialect: str) -> Loaded:
    db = fresh_db(dialect)
    db.run_script(schemaforge.sql(path, dialect).sql)
    ir = schemaforge.resolve(path)
    return Loaded(path, dialect, ir, db, RowFactory(db, ir))


def cases() -> list[Any]:
    return [pytest.param(p, d, id=f"{schema_id(p)}-{d}") for p in schema_files() for d in DIALECTS]


def example(stem: str) -> Path:
    return schema_path(stem)


# ---------------------------------------------------------------------------------------------
# Valid rows


def check_default(column: dict[str, Any], value: Any, db_now: datetime, db_today: date) -> str | None:
    t = parse_type(column["type"])
    if column["autoincrement"]:
        return None if isinstance(value, int) and value > 0 else f"autoincrement gave {value!r}"
    d = column["defaultValue"]
    if value is None:
        return "default gave NULL"
    if d["kind"] == "literal":
        want = literal_default(d["value"], t)
        return None if normalize(value, t) == want else f"default gave {value!r}, expected {want!r}"
    if d["kind"] == "uuid":
        return None if UUID_RE.match(str(value).lower()) else f"uuid default gave {value!r}"
    if d["kind"] == "now":
        v = normalize(value, t)
        if t[0] == "date":
            ok = abs((v - db_today).days) <= 1
        elif t[0] == "datetime":
            ok = abs(v - db_now) < timedelta(minutes=10)
        else:
            ok = isinstance(v, time)
        return None if ok else f"now default gave {value!r} (database now: {db_now})"
    return None  # raw SQL default: non-NULL is all that is known


def database_now(conn: sa.Connection, dialect: str) -> tuple[datetime, date]:
    if dialect == "postgresql":
        now, today = conn.execute(sa.text("SELECT CURRENT_TIMESTAMP, CURRENT_DATE")).one()
    elif dialect == "mysql":
        now, today = conn.execute(sa.text("SELECT CURRENT_TIMESTAMP(6), CURRENT_DATE")).one()
    else:
        now, today = conn.execute(sa.text("SELECT CURRENT_TIMESTAMP, CURRENT_DATE")).one()
    return normalize(now, ("datetime",)), normalize(today, ("date",))


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_valid_rows_round_trip(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    loaded = load(schemaforge, fresh_db, path, dialect)
    f = loaded.factory
    with loaded.db.engine.begin() as conn:
        f.populate(conn, 1)
        f.populate(conn, 2)
    errors: list[str] = []
    with loaded.db.engine.connect() as conn:
        db_now, db_today = database_now(conn, dialect)
        for name, table in f.tables.items():
            count = conn.execute(sa.select(sa.func.count()).select_from(f.table(name))).scalar()
            if count != 2:
                errors.append(f"{name}: {count} rows, expected 2")
        for (name, seed), sent in sorted(f.sent.items()):
            row = f.fetch(conn, name, seed)
            for column in f.tables[name]["columns"]:
                col = column["name"]
                t = parse_type(column["type"])
                if col in sent:
                    got, want = normalize(row[col], t), normalize(sent[col], t)
                    if got != want:
                        errors.append(f"{name}#{seed}.{col}: read {got!r}, wrote {want!r}")
                else:
                    problem = check_default(column, row[col], db_now, db_today)
                    if problem:
                        errors.append(f"{name}#{seed}.{col}: {problem}")
    report(errors)


# ---------------------------------------------------------------------------------------------
# Rows that must be refused


@dataclass
class Violation:
    kind: str  # not_null | foreign_key | unique | check | enum
    table: str
    overrides: dict[str, Any]
    names: set[str]  # what the error must name: constraint(s), or the column
    label: str


#: dialect -> kind -> (SQLAlchemy exception class, driver code): PostgreSQL SQLSTATE, MySQL errno,
#: SQLite message prefix. PyMySQL maps ER_CONSTRAINT_FAILED (4025, a CHECK) to OperationalError and
#: WARN_DATA_TRUNCATED (1265, an unknown ENUM value in strict mode) to DataError; PostgreSQL rejects an
#: unknown enum label as invalid input (22P02, DataError).
EXPECTED_ERRORS: dict[str, dict[str, tuple[type[Exception], Any]]] = {
    "postgresql": {
        "not_null": (sa.exc.IntegrityError, "23502"),
        "foreign_key": (sa.exc.IntegrityError, "23503"),
        "unique": (sa.exc.IntegrityError, "23505"),
        "check": (sa.exc.IntegrityError, "23514"),
        "enum": (sa.exc.DataError, "22P02"),
    },
    "mysql": {
        "not_null": (sa.exc.IntegrityError, 1048),
        "foreign_key": (sa.exc.IntegrityError, 1452),
        "unique": (sa.exc.IntegrityError, 1062),
        "check": (sa.exc.OperationalError, 4025),
        "enum": (sa.exc.DataError, 1265),
    },
    "sqlite": {
        "not_null": (sa.exc.IntegrityError, "NOT NULL constraint failed"),
        "foreign_key": (sa.exc.IntegrityError, "FOREIGN KEY constraint failed"),
        "unique": (sa.exc.IntegrityError, "UNIQUE constraint failed"),
        "check": (sa.exc.IntegrityError, "CHECK constraint failed"),
        "enum": (sa.exc.IntegrityError, "CHECK constraint failed"),
    },
}


def error_matches(exc: sa.exc.DBAPIError, dialect: str, v: Violation) -> str | None:
    """None when `exc` is the documented error of violation `v`; else what is wrong."""
    cls, code = EXPECTED_ERRORS[dialect][v.kind]
    orig = exc.orig
    text = str(orig)
    if not isinstance(exc, cls):
        return f"raised {type(exc).__name__}: {text}, expected {cls.__name__}"
    if dialect == "postgresql":
        if orig.sqlstate != code:
            return f"SQLSTATE {orig.sqlstate} ({text}), expected {code}"
        diag = orig.diag
        named = diag.column_name if v.kind == "not_null" else diag.constraint_name
        if v.kind == "enum":
            return None if "invalid input value for enum" in text else f"unexpected message {text}"
        return None if named in v.names else f"error names {named!r}, expected one of {sorted(v.names)}"
    if dialect == "mysql":
        if orig.args[0] != code:
            return f"errno {orig.args[0]} ({text}), expected {code}"
        message = orig.args[1]
        if v.kind == "not_null" or v.kind == "enum":
            found = re.search(r"[Cc]olumn '([^']+)'", message)
        elif v.kind == "unique":
            found = re.search(r"for key '([^']+)'", message)
        else:
            found = re.search(r"CONSTRAINT `([^`]+)`", message)
        named = found[1] if found else None
        return None if named in v.names else f"error names {named!r} ({message}), expected one of {sorted(v.names)}"
    if not text.startswith(code):
        return f"message {text!r}, expected {code!r}"
    if v.kind == "foreign_key":
        return None  # SQLite does not say which foreign key
    detail = text[len(code) :].lstrip(": ")
    return None if detail in v.names else f"error names {detail!r}, expected one of {sorted(v.names)}"


def missing_key_value(column: dict[str, Any]) -> Any:
    """A value of the column's type that no inserted row has as its key."""
    t = parse_type(column["type"])
    if t[0] in INT_RANGES:
        return INT_RANGES[t[0]][1] - 7
    if t[0] == "string":
        return "zz-missing"[: t[1]]
    if t[0] == "uuid":
        return str(uuid.uuid5(NAMESPACE, "missing"))
    if t[0] == "decimal":
        return Decimal(10) ** (t[1] - t[2]) - 1
    raise AssertionError(f"no missing-key value for {t}")


def violations(f: RowFactory, kind: str) -> list[Violation]:
    dialect = f.dialect
    out: list[Violation] = []
    for name, table in f.tables.items():
        columns = {c["name"]: c for c in table["columns"]}
        if kind == "not_null":
            for c in table["columns"]:
                if not c["nullable"] and not c.get("defaultValue") and not c["autoincrement"]:
                    label = f"{name}.{c['name']} = NULL"
                    names = {c["name"], f"{name}.{c['name']}"}
                    out.append(Violation(kind, name, {c["name"]: None}, names, label))
        elif kind == "foreign_key":
            for fk in table["foreignKeys"]:
                target = f.tables[fk["referencedTable"]]
                ref_cols = {c["name"]: c for c in target["columns"]}
                overrides = {c: missing_key_value(ref_cols[rc]) for c, rc in zip(fk["columns"], fk["referencedColumns"])}
                if dialect != "postgresql":
                    overrides = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in overrides.items()}
                else:
                    overrides = {
                        k: (uuid.UUID(v) if parse_type(columns[k]["type"])[0] == "uuid" else v) for k, v in overrides.items()
                    }
                out.append(Violation(kind, name, overrides, {db_name(fk["name"], dialect)}, f"{fk['name']} -> missing row"))
        elif kind == "unique":
            keys: list[tuple[str, list[str]]] = []
            pk = table.get("primaryKey")
            if pk:
                keys.append(("PRIMARY" if dialect == "mysql" else db_name(pk["name"], dialect), pk["columns"]))
            keys += [(db_name(u["name"], dialect), u["columns"]) for u in table["uniques"]]
            keys += [
                (db_name(i["name"], dialect), i["columns"])
                for i in created_indexes(table, dialect)
                if i["unique"] and i.get("predicate") is None and not i.get("expressions")
            ]
            first = f.rows[(name, 1)]
            for key_name, cols in keys:
                # Any key whose columns are all copied can be the one reported.
                names = {n for n, c in keys if set(c) <= set(cols)}
                if dialect == "sqlite":
                    names = {", ".join(f"{name}.{c}" for c in kc) for n, kc in keys if set(kc) <= set(cols)}
                out.append(Violation(kind, name, {c: first[c] for c in cols}, names, f"{key_name} duplicate"))
        elif kind == "check":
            checks = {c["name"] for c in table["checks"]}
            pattern = f.ir["namingConvention"]["check"]
            for c in table["columns"]:
                validation = c.get("validation") or {}
                t = parse_type(c["type"])
                if validation.get("minimum") is None and validation.get("maximum") is None:
                    continue
                check = pattern.replace("%(table_name)s", name).replace("%(constraint_name)s", f"{c['name']}_range")
                assert check in checks, f"{name}.{c['name']} has min/max but no CHECK {check} in the IR"
                for bound, sign in (("minimum", -1), ("maximum", 1)):
                    limit = validation.get(bound)
                    if limit is None:
                        continue
                    bad = out_of_range(t, limit, sign)
                    if bad is None:
                        continue
                    label = f"{name}.{c['name']} = {bad} ({bound} {limit})"
                    out.append(Violation(kind, name, {c["name"]: bad}, {db_name(check, dialect)}, label))
        elif kind == "enum":
            enum_checks = sqlite_enum_check_names(f.ir, table)
            for c in table["columns"]:
                t = parse_type(c["type"])
                if t[0] != "enum" or (c.get("nativeTypes") or {}).get(dialect):
                    continue
                names = {c["name"]} if dialect != "sqlite" else {enum_checks[c["name"]]}
                out.append(Violation(kind, name, {c["name"]: "not_in_enum"}, names, f"{name}.{c['name']} = 'not_in_enum'"))
    return out


def out_of_range(t: tuple[Any, ...], limit: float, sign: int) -> Any:
    """A value just outside `limit` that still fits the type (None if there is none)."""
    kind = t[0]
    if kind in INT_RANGES:
        v = (math.ceil(limit) - 1) if sign < 0 else (math.floor(limit) + 1)
        lo, hi = INT_RANGES[kind]
        return v if lo <= v <= hi else None
    if kind == "float":
        return limit + sign * 0.25
    if kind == "decimal":
        quantum = Decimal(1).scaleb(-t[2])
        step = max(quantum, Decimal("0.25")) if t[2] >= 2 else quantum
        v = (Decimal(str(limit)) + sign * step).quantize(quantum)
        return v if abs(v) < Decimal(10) ** (t[1] - t[2]) else None
    raise AssertionError(f"min/max on {t}")


def sqlite_enum_check_names(ir: dict[str, Any], table: dict[str, Any]) -> dict[str, str]:
    """column -> name of the CHECK that SQLite's DDL adds for an enum column."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for c in table["columns"]:
        t = parse_type(c["type"])
        if t[0] != "enum":
            continue
        e = ir_enum(ir, t[1])
        name = f"ck_{table['name']}_{e['databaseName']}"
        if name in used:
            name = f"ck_{table['name']}_{c['name']}_{e['databaseName']}"
        used.add(name)
        result[c["name"]] = name
    return result


def run_violations(loaded: Loaded, kind: str) -> None:
    f = loaded.factory
    with loaded.db.engine.begin() as conn:
        f.populate(conn, 1)
    found = violations(f, kind)
    errors: list[str] = []
    for i, v in enumerate(found):
        snap = f.snapshot()
        seed = 100 + i
        with loaded.db.engine.connect() as conn:
            trans = conn.begin()
            try:
                values = f.build(conn, v.table, seed, overrides=v.overrides)
                try:
                    f.insert(conn, v.table, values)
                except sa.exc.DBAPIError as exc:
                    problem = error_matches(exc, loaded.dialect, v)
                    if problem:
                        errors.append(f"{v.label}: {problem}")
                else:
                    errors.append(f"{v.label}: the row was accepted")
            finally:
                trans.rollback()
                f.restore(snap)
    # The committed rows are untouched by the refused ones.
    with loaded.db.engine.connect() as conn:
        for name in f.tables:
            count = conn.execute(sa.select(sa.func.count()).select_from(f.table(name))).scalar()
            if count != 1:
                errors.append(f"{name}: {count} rows after the refused inserts, expected 1")
    report(errors)


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_not_null_violations_are_refused(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    run_violations(load(schemaforge, fresh_db, path, dialect), "not_null")


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_foreign_key_violations_are_refused(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    run_violations(load(schemaforge, fresh_db, path, dialect), "foreign_key")


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_unique_violations_are_refused(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    run_violations(load(schemaforge, fresh_db, path, dialect), "unique")


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_check_violations_are_refused(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    run_violations(load(schemaforge, fresh_db, path, dialect), "check")


@pytest.mark.parametrize(("path", "dialect"), cases())
def test_enum_violations_are_refused(schemaforge: Schemaforge, fresh_db: Any, path: Path, dialect: str) -> None:
    run_violations(load(schemaforge, fresh_db, path, dialect), "enum")


# ---------------------------------------------------------------------------------------------
# Targeted tests on the examples and the integration schemas


def refused(db: Database, action: Callable[[sa.Connection], Any]) -> sa.exc.DBAPIError:
    """Runs `action` in its own transaction, which must fail; returns the error (rolled back)."""
    with db.engine.connect() as conn:
        trans = conn.begin()
        try:
            action(conn)
        except sa.exc.DBAPIError as exc:
            trans.rollback()
            return exc
        trans.rollback()
    raise AssertionError("the statement was accepted")


def assert_fk_error(exc: sa.exc.DBAPIError, dialect: str, fk: str, referenced_row: bool) -> None:
    """`referenced_row`: deleting/updating a parent still referenced (vs inserting a dangling child)."""
    assert isinstance(exc, sa.exc.IntegrityError), exc
    if dialect == "postgresql":
        assert exc.orig.sqlstate == "23503", exc
        assert exc.orig.diag.constraint_name == db_name(fk, dialect), exc
    elif dialect == "mysql":
        assert exc.orig.args[0] == (1451 if referenced_row else 1452), exc
        assert f"CONSTRAINT `{db_name(fk, dialect)}`" in exc.orig.args[1], exc
    else:
        assert str(exc.orig) == "FOREIGN KEY constraint failed", exc


def count(conn: sa.Connection, table: sa.Table, *where: Any) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()


@pytest.fixture
def loader(schemaforge: Schemaforge, fresh_db: Any) -> Callable[[str, str], Loaded]:
    return lambda stem, dialect: load(schemaforge, fresh_db, example(stem), dialect)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_blog_deleting_a_user_deletes_their_posts_and_profile(loader: Any, dialect: str) -> None:
    L = loader("blog", dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        f.populate(conn, 1)
        f.populate(conn, 2)
    user, post, profile, post_tags, tag = (f.table(n) for n in ("user", "post", "profile", "post_tags", "tag"))
    uid = f.rows[("user", 1)]["id"]
    with L.db.engine.begin() as conn:
        pids = [r[0] for r in conn.execute(sa.select(post.c.id).where(post.c.author_id == uid))]
        assert pids and count(conn, post_tags, post_tags.c.post_id.in_(pids)) > 0
        assert count(conn, profile, profile.c.user_id == uid) == 1
        conn.execute(sa.delete(user).where(user.c.id == uid))
    with L.db.engine.connect() as conn:
        assert count(conn, post, post.c.author_id == uid) == 0  # ON DELETE CASCADE
        assert count(conn, profile, profile.c.user_id == uid) == 0  # ON DELETE CASCADE
        assert count(conn, post_tags, post_tags.c.post_id.in_(pids)) == 0  # cascades on from post
        assert count(conn, post) == 1 and count(conn, tag) == 2 and count(conn, user) == 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_blog_deleting_a_parent_category_nulls_its_children(loader: Any, dialect: str) -> None:
    L = loader("blog", dialect)
    f = L.factory
    cat = f.table("categories")
    with L.db.engine.begin() as conn:
        parent = f.insert(conn, "categories", {"name": "parent", "parent_id": None})
        a = f.insert(conn, "categories", {"name": "a", "parent_id": parent["id"]})
        f.insert(conn, "categories", {"name": "b", "parent_id": parent["id"]})
        f.insert(conn, "categories", {"name": "a1", "parent_id": a["id"]})
    with L.db.engine.begin() as conn:
        conn.execute(sa.delete(cat).where(cat.c.id == parent["id"]))
    with L.db.engine.connect() as conn:
        rows = dict(conn.execute(sa.select(cat.c.name, cat.c.parent_id)).all())
    assert rows == {"a": None, "b": None, "a1": a["id"]}  # ON DELETE SET NULL, one level only


@pytest.mark.parametrize("dialect", DIALECTS)
def test_shop_deleting_a_product_on_an_order_line_is_refused(loader: Any, dialect: str) -> None:
    L = loader("shop", dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        f.populate(conn, 1)
    product, line, order, shipment = (f.table(n) for n in ("product", "order_line", "order", "shipment"))
    sku = f.rows[("product", 1)]["sku"]
    exc = refused(L.db, lambda c: c.execute(sa.delete(product).where(product.c.sku == sku)))
    assert_fk_error(exc, dialect, "fk_order_line_product_sku_product", referenced_row=True)  # ON DELETE RESTRICT
    with L.db.engine.begin() as conn:
        assert count(conn, product) == 1
        # Deleting the order cascades to its lines and, through the composite FK, their shipments.
        conn.execute(sa.delete(order).where(order.c.id == f.rows[("order", 1)]["id"]))
        assert (count(conn, line), count(conn, shipment)) == (0, 0)
        conn.execute(sa.delete(product).where(product.c.sku == sku))  # no longer referenced
        assert count(conn, product) == 0


@pytest.mark.parametrize("dialect", DIALECTS)
def test_shop_reserved_word_tables_and_columns_work(loader: Any, dialect: str) -> None:
    L = loader("shop", dialect)
    q = L.db.engine.dialect.identifier_preparer.quote
    group, order, user, select_, order_col, status = (q(n) for n in ("group", "order", "user", "select", "order", "status"))
    assert (group, order, select_) != ("group", "order", "select"), "these are reserved words and must be quoted"
    with L.db.engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO {group} (code, {select_}, {order_col}) VALUES ('G1', :s, 3)"), {"s": False})
        conn.execute(sa.text(f"INSERT INTO {group} (code) VALUES ('G2')"))
        conn.execute(sa.text(f"INSERT INTO {user} (email) VALUES ('ann@example.com')"))
        uid = conn.execute(sa.text(f"SELECT id FROM {user} WHERE email = 'ann@example.com'")).scalar_one()
        conn.execute(sa.text(f"INSERT INTO {order} (number, user_id) VALUES (7, :u)"), {"u": uid})
        conn.execute(sa.text(f"UPDATE {order} SET {status} = 'paid' WHERE number = 7"))
    with L.db.engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT code, {select_}, {order_col} FROM {group} ORDER BY code")).all()
        assert [(c, bool(s), o) for c, s, o in rows] == [("G1", False, 3), ("G2", True, 0)]
        joined = conn.execute(
            sa.text(f"SELECT o.{status}, u.email FROM {order} o JOIN {user} u ON u.id = o.user_id")
        ).all()
        assert [tuple(r) for r in joined] == [("paid", "ann@example.com")]
        # Unquoted, the same names are syntax errors on every dialect: the DDL had to quote them.
        for sql in ("SELECT count(*) FROM order", "SELECT count(*) FROM group"):
            with pytest.raises(sa.exc.DBAPIError):
                conn.execute(sa.text(sql))
            conn.rollback()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_org_chart_department_employee_cycle(loader: Any, dialect: str) -> None:
    L = loader("org_chart", dialect)
    f = L.factory
    dept, emp, badge, desk = (f.table(n) for n in ("department", "employee", "badge", "desk"))
    person = {"full_name": "Ada", "email": "ada@example.com", "salary": Decimal("100.00")}
    with L.db.engine.begin() as conn:
        d = f.insert(conn, "department", {"name": "R&D", "parent_id": None, "head_id": None})
        e = f.insert(conn, "employee", {**person, "employee_no": "E1", "department_id": d["id"], "manager_id": None})
        e2 = f.insert(conn, "employee", {**person, "email": "bo@example.com", "employee_no": "E2",
                                         "department_id": d["id"], "manager_id": e["id"]})
        conn.execute(sa.update(dept).where(dept.c.id == d["id"]).values(head_id=e["id"]))  # closes the cycle
        f.insert(conn, "badge", {"employee_id": e["id"]})
        f.insert(conn, "desk", {"label": "D1", "occupant_id": e["id"]})
    with L.db.engine.connect() as conn:
        assert conn.execute(sa.select(dept.c.head_id)).scalar_one() == e["id"]
    exc = refused(L.db, lambda c: c.execute(sa.update(dept).values(head_id=e["id"] + 1000)))
    assert_fk_error(exc, dialect, "fk_department_head_id_employee", referenced_row=False)
    exc = refused(L.db, lambda c: c.execute(sa.delete(dept).where(dept.c.id == d["id"])))
    assert_fk_error(exc, dialect, "fk_employee_department_id_department", referenced_row=True)  # RESTRICT
    with L.db.engine.begin() as conn:
        conn.execute(sa.delete(emp).where(emp.c.id == e["id"]))
    with L.db.engine.connect() as conn:
        assert conn.execute(sa.select(dept.c.head_id)).scalar_one() is None  # SET NULL
        assert conn.execute(sa.select(emp.c.manager_id).where(emp.c.id == e2["id"])).scalar_one() is None  # SET NULL
        assert count(conn, badge) == 0  # CASCADE
        assert conn.execute(sa.select(desk.c.occupant_id)).scalar_one() is None  # SET NULL


@pytest.mark.parametrize("dialect", DIALECTS)
def test_shop_composite_foreign_key_from_shipment_to_order_line(loader: Any, dialect: str) -> None:
    L = loader("shop", dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        f.populate(conn, 1)
        f.populate(conn, 2)
    line1, line2 = f.rows[("order_line", 1)], f.rows[("order_line", 2)]
    assert line1["line_no"] != line2["line_no"]
    shipment, line = f.table("shipment"), f.table("order_line")
    fk = "fk_shipment_line_order_id_line_line_no_order_line"
    # Each column matches some order line, the pair matches none: the key is enforced as a whole.
    mixed = {"carrier": "DHL", "line_order_id": line1["order_id"], "line_line_no": line2["line_no"]}
    exc = refused(L.db, lambda c: f.insert(c, "shipment", mixed))
    assert_fk_error(exc, dialect, fk, referenced_row=False)
    with L.db.engine.begin() as conn:
        f.insert(conn, "shipment", {**mixed, "line_line_no": line1["line_no"], "tracking": "T-1"})
        assert count(conn, shipment, shipment.c.line_order_id == line1["order_id"]) == 2
        conn.execute(sa.delete(line).where(line.c.order_id == line1["order_id"], line.c.line_no == line1["line_no"]))
        assert count(conn, shipment, shipment.c.line_order_id == line1["order_id"]) == 0  # CASCADE
        assert count(conn, shipment) == 1


UUID_DEFAULTS = [("blog", "profile", "public_id"), ("org_chart", "badge", "code"), ("shop", "user", "id"),
                 ("all_types", "sample", "f_uuid")]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("stem", "table", "column"), UUID_DEFAULTS, ids=[f"{s}-{t}" for s, t, _ in UUID_DEFAULTS])
def test_uuid_defaults_generate_uuids(loader: Any, dialect: str, stem: str, table: str, column: str) -> None:
    L = loader(stem, dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        for seed in (1, 2, 3):
            f.ensure(conn, table, seed)
    t = f.table(table)
    with L.db.engine.connect() as conn:
        values = [str(v) for v in conn.execute(sa.select(t.c[column])).scalars()]
        text_len = sa.func.length(sa.cast(t.c[column], sa.Text) if dialect == "postgresql" else t.c[column])
        lengths = set(conn.execute(sa.select(text_len)).scalars())
    assert lengths == {36}
    assert all(UUID_RE.match(v) for v in values), values
    assert len(set(values)) == 3


NOW_DEFAULTS = [("blog", "user", ("created_at", "updated_at")), ("org_chart", "employee", ("hired_on", "created_at")),
                ("org_chart", "badge", ("issued_at",)), ("shop", "shipment", ("shipped_at",))]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("stem", "table", "columns"), NOW_DEFAULTS, ids=[f"{s}-{t}" for s, t, _ in NOW_DEFAULTS])
def test_now_defaults_fill_timestamps(loader: Any, dialect: str, stem: str, table: str, columns: tuple[str, ...]) -> None:
    L = loader(stem, dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        before, today = database_now(conn, dialect)
        row = f.ensure(conn, table, 1)
    with L.db.engine.connect() as conn:
        after, _ = database_now(conn, dialect)
        stored = conn.execute(sa.select(*(f.table(table).c[c] for c in columns)).where(f.key_clause(table, row))).one()
    types = {c["name"]: parse_type(c["type"]) for c in f.tables[table]["columns"]}
    for column, value in zip(columns, stored):
        assert value is not None, column
        v = normalize(value, types[column])
        if types[column][0] == "date":
            assert v == today, (column, v, today)
        else:
            # CURRENT_TIMESTAMP on SQLite has whole seconds.
            assert before - timedelta(seconds=1) <= v <= after + timedelta(seconds=1), (column, v, before, after)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_updated_at_on_update_only_where_the_dialect_has_it(loader: Any, dialect: str) -> None:
    """MySQL/MariaDB refresh `updated_at` (ON UPDATE CURRENT_TIMESTAMP(6)); PostgreSQL and SQLite have
    no such clause (the application sets it), so the DDL leaves it as it was."""
    L = loader("blog", dialect)
    f = L.factory
    user = f.table("user")
    with L.db.engine.begin() as conn:
        row = f.ensure(conn, "user", 1)
    with L.db.engine.begin() as conn:
        conn.execute(sa.update(user).where(user.c.id == row["id"]).values(name="renamed"))
    with L.db.engine.connect() as conn:
        created, updated = conn.execute(sa.select(user.c.created_at, user.c.updated_at)).one()
    assert created == row["created_at"]
    if dialect == "mysql":
        assert updated > row["updated_at"]
    else:
        assert updated == row["updated_at"]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_relations_set_default_and_on_update_actions(loader: Any, dialect: str) -> None:
    """Copy.shelf is ON DELETE SET DEFAULT (MySQL/MariaDB: RESTRICT, with a warning) and ON UPDATE NO
    ACTION; Copy.book references the unique Book.isbn, ON UPDATE CASCADE."""
    L = loader("relations", dialect)
    f = L.factory
    shelf, copy_, book = f.table("shelf"), f.table("copy"), f.table("book")
    with L.db.engine.begin() as conn:
        f.insert(conn, "shelf", {"code": "UNSORTED"})
        f.insert(conn, "shelf", {"code": "A1"})
        b = f.ensure(conn, "book", 1)
        f.insert(conn, "copy", {"barcode": "C1", "shelf_code": "A1", "book_isbn": b["isbn"]})
    exc = refused(L.db, lambda c: c.execute(sa.update(shelf).where(shelf.c.code == "A1").values(code="A2")))
    assert_fk_error(exc, dialect, "fk_copy_shelf_code_shelf", referenced_row=True)  # ON UPDATE NO ACTION
    with L.db.engine.begin() as conn:
        conn.execute(sa.update(book).where(book.c.id == b["id"]).values(isbn="978-0-00-000000-1"))
        assert conn.execute(sa.select(copy_.c.book_isbn)).scalar_one() == "978-0-00-000000-1"  # ON UPDATE CASCADE
    if dialect == "mysql":
        exc = refused(L.db, lambda c: c.execute(sa.delete(shelf).where(shelf.c.code == "A1")))
        assert_fk_error(exc, dialect, "fk_copy_shelf_code_shelf", referenced_row=True)
        return
    with L.db.engine.begin() as conn:
        conn.execute(sa.delete(shelf).where(shelf.c.code == "A1"))
        assert conn.execute(sa.select(copy_.c.shelf_code)).scalar_one() == "UNSORTED"  # ON DELETE SET DEFAULT


@pytest.mark.parametrize("dialect", DIALECTS)
def test_relations_self_many_to_many_and_parent_side_one_to_many(loader: Any, dialect: str) -> None:
    L = loader("relations", dialect)
    f = L.factory
    author, friends, book, edition, review = (f.table(n) for n in ("author", "author_friends", "book", "edition", "review"))
    with L.db.engine.begin() as conn:
        f.populate(conn, 1)
        f.populate(conn, 2)
        a, b = f.rows[("author", 1)]["id"], f.rows[("author", 2)]["id"]
        conn.execute(sa.delete(friends))
        conn.execute(sa.insert(friends), [{"author_id": a, "friends_id": b}, {"author_id": b, "friends_id": a}])
        r2 = f.rows[("review", 2)]["id"]  # a review of b's book, now written by a
        conn.execute(sa.update(review).where(review.c.id == r2).values(reviewer_id=a))
    exc = refused(L.db, lambda c: c.execute(sa.insert(friends).values(author_id=a, friends_id=b)))
    assert isinstance(exc, sa.exc.IntegrityError)  # the pair is the primary key
    # Copies reference books ON DELETE RESTRICT: the author cannot go while a copy of a book exists.
    exc = refused(L.db, lambda c: c.execute(sa.delete(author).where(author.c.id == a)))
    assert_fk_error(exc, dialect, "fk_copy_book_isbn_book", referenced_row=True)
    with L.db.engine.begin() as conn:
        books = [r[0] for r in conn.execute(sa.select(book.c.id).where(book.c.author_id == a))]
        assert books  # `books: one_to_many` on Author made book.author_id
        assert count(conn, edition, edition.c.book_id.in_(books)) > 0
        conn.execute(sa.delete(f.table("copy")))
        conn.execute(sa.delete(author).where(author.c.id == a))
        assert count(conn, friends) == 0  # both sides cascade
        assert count(conn, book, book.c.id.in_(books)) == 0  # ON DELETE CASCADE declared on the parent side
        assert count(conn, edition, edition.c.book_id.in_(books)) == 0
        assert count(conn, review) == 1  # the review of a's book went with its edition (CASCADE)
        assert conn.execute(sa.select(review.c.reviewer_id).where(review.c.id == r2)).scalar_one() is None  # SET NULL


@pytest.mark.parametrize("dialect", DIALECTS)
def test_all_types_partial_unique_index(loader: Any, dialect: str) -> None:
    """uq_sample_native_when_bool is UNIQUE (f_native) WHERE f_bool on PostgreSQL and SQLite; MySQL has
    no partial indexes, so it is not created there (a full one would refuse valid rows)."""
    L = loader("all_types", dialect)
    f = L.factory
    rows = [f.build_static("sample", seed, {"f_native": "same", "f_bool": flag}) for seed, flag in ((1, False), (2, False), (3, True))]
    with L.db.engine.begin() as conn:
        for values in rows:
            f.insert(conn, "sample", values)
    fourth = f.build_static("sample", 4, {"f_native": "same", "f_bool": True})
    if dialect == "mysql":
        with L.db.engine.begin() as conn:
            f.insert(conn, "sample", fourth)
            assert count(conn, f.table("sample")) == 4
        return
    exc = refused(L.db, lambda c: f.insert(c, "sample", fourth))
    assert isinstance(exc, sa.exc.IntegrityError)
    if dialect == "postgresql":
        assert (exc.orig.sqlstate, exc.orig.diag.constraint_name) == ("23505", "uq_sample_native_when_bool")
    else:
        assert str(exc.orig) == "UNIQUE constraint failed: sample.f_native"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_all_types_keyless_table_keeps_duplicate_rows(loader: Any, dialect: str) -> None:
    L = loader("all_types", dialect)
    f = L.factory
    with L.db.engine.begin() as conn:
        for _ in range(2):
            f.insert(conn, "audit_entry", {"message": "same", "sample_ref": 1})
        assert count(conn, f.table("audit_entry")) == 2
        assert conn.execute(sa.select(f.table("audit_entry").c.level).distinct()).scalars().all() == ["S"]
