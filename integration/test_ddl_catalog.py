"""The generated DDL, executed on real databases, produces exactly the catalog the IR describes.

For every schema (examples/*.yaml and integration/schemas/*.yaml) and every dialect:
`schemaforge sql FILE --dialect D` is executed on a fresh database, the catalog is read back with
SQLAlchemy's inspector (plus information_schema / PRAGMA where the inspector is silent), and it is
compared with `schemaforge resolve FILE` (the IR), accounting for the documented dialect differences:

- names longer than the dialect's limit are shortened like SQLAlchemy does (PostgreSQL 63, MySQL 64);
- MariaDB names every primary key `PRIMARY`;
- MySQL/MariaDB: no expression indexes, no partial UNIQUE indexes, partial indexes become full ones,
  no index on text/blob columns, SET DEFAULT becomes RESTRICT (each with a warning); InnoDB keeps
  its own index for a foreign key that no other index leads with; JSON is LONGTEXT + json_valid();
- SQLite: one extra CHECK per enum column, named ck_<table>_<enum type>.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from conftest import (
    DDL,
    DIALECTS,
    Database,
    Schemaforge,
    created_indexes,
    db_name,
    fresh_database,
    ir_column,
    is_unindexable_on_mysql,
    ir_enum,
    ir_tables,
    native_type,
    parse_type,
    schema_files,
    schema_id,
    schema_path,
)

MARIADB_JSON = "LONGTEXT CHARACTER SET UTF8MB4 COLLATE UTF8MB4_BIN"


def params(dialects: tuple[str, ...] = DIALECTS) -> list[Any]:
    return [pytest.param(f"{schema_id(p)}:{d}", id=f"{schema_id(p)}-{d}") for p in schema_files() for d in dialects]


@dataclass
class Applied:
    path: Path
    dialect: str
    ir: dict[str, Any]
    ddl: DDL
    db: Database
    statements: list[str]

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return ir_tables(self.ir)


@pytest.fixture(scope="module")
def applied(request: pytest.FixtureRequest, schemaforge: Schemaforge, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Applied]:
    """One schema's DDL executed on a fresh database of one dialect (read-only for the tests)."""
    stem, dialect = request.param.split(":")
    path = schema_path(stem)
    ddl = schemaforge.sql(path, dialect)
    ir = schemaforge.resolve(path)
    with fresh_database(dialect, tmp_path_factory.mktemp("catalog")) as db:
        statements = db.run_script(ddl.sql)
        yield Applied(path, dialect, ir, ddl, db, statements)


def report(errors: list[str]) -> None:
    assert not errors, f"{len(errors)} mismatch(es):\n  " + "\n  ".join(errors)


# ---------------------------------------------------------------------------------------------
# Types


def norm_type(text: str) -> str:
    s = re.sub(r"\s+", " ", text.strip().upper())
    return re.sub(r"\s*,\s*", ",", s).replace("( ", "(").replace(" )", ")")


def expected_type(ir: dict[str, Any], table: dict[str, Any], column: dict[str, Any], dialect: str) -> str:
    native = native_type(column, dialect)
    if native:
        return norm_type(native)
    pk = (table.get("primaryKey") or {}).get("columns")
    if dialect == "sqlite" and column["autoincrement"] and pk == [column["name"]]:
        return "INTEGER"  # only INTEGER PRIMARY KEY aliases the rowid
    return _expected_type(parse_type(column["type"]), ir, dialect)


def _expected_type(t: tuple[Any, ...], ir: dict[str, Any], dialect: str) -> str:
    kind = t[0]
    simple = {
        "postgresql": {
            "int": "INTEGER", "bigint": "BIGINT", "smallint": "SMALLINT", "float": "DOUBLE PRECISION",
            "text": "TEXT", "bool": "BOOLEAN", "date": "DATE", "time": "TIME WITHOUT TIME ZONE",
            "datetime": "TIMESTAMP WITH TIME ZONE", "uuid": "UUID", "json": "JSONB", "bytes": "BYTEA",
        },
        "mysql": {
            "int": "INTEGER", "bigint": "BIGINT", "smallint": "SMALLINT", "float": "DOUBLE", "text": "TEXT",
            "bool": "TINYINT(1)", "date": "DATE", "time": "TIME", "datetime": "DATETIME(6)", "uuid": "CHAR(36)",
            "json": MARIADB_JSON, "bytes": "LONGBLOB",
        },
        "sqlite": {
            "int": "INTEGER", "bigint": "BIGINT", "smallint": "SMALLINT", "float": "REAL", "text": "TEXT",
            "bool": "BOOLEAN", "date": "DATE", "time": "TIME", "datetime": "DATETIME", "uuid": "CHAR(36)",
            "json": "JSON", "bytes": "BLOB",
        },
    }[dialect]
    if kind in simple:
        return simple[kind]
    if kind == "string":
        return f"VARCHAR({t[1]})"
    if kind == "decimal":
        return f"{'DECIMAL' if dialect == 'mysql' else 'NUMERIC'}({t[1]},{t[2]})"
    if kind == "enum":
        e = ir_enum(ir, t[1])
        if dialect == "postgresql":
            return f"ENUM {e['databaseName']}({','.join(e['values'])})"
        if dialect == "mysql":
            return f"ENUM({','.join(e['values'])})"
        return f"VARCHAR({max(len(v) for v in e['values'])})"
    if kind == "array":
        if dialect == "postgresql":
            return _expected_type(t[1], ir, dialect) + "[]"
        return MARIADB_JSON if dialect == "mysql" else "JSON"
    raise AssertionError(f"unknown IR type {t}")


def reflected_type(t: Any, dialect: str, engine: sa.Engine) -> str:
    if isinstance(t, sa.ARRAY):
        return reflected_type(t.item_type, dialect, engine) + "[]"
    if isinstance(t, sa.Enum):
        prefix = f"ENUM {t.name}" if dialect == "postgresql" else "ENUM"
        return f"{prefix}({','.join(t.enums)})"
    s = norm_type(str(t.compile(dialect=engine.dialect)))
    if dialect == "mysql":
        s = re.sub(r"^(INTEGER|SMALLINT|BIGINT)\(\d+\)$", r"\1", s)  # display widths
    return s


# ---------------------------------------------------------------------------------------------
# Defaults


def _strip_parens(s: str) -> str:
    s = s.strip()
    while s.startswith("(") and s.endswith(")"):
        depth = 0
        for i, c in enumerate(s):
            depth += c == "("
            depth -= c == ")"
            if depth == 0 and i < len(s) - 1:
                return s
        s = s[1:-1].strip()
    return s


CAST = re.compile(r"::\s*\"?[a-z_][a-z0-9_ ]*\"?(\(\d+(,\s*\d+)?\))?(\[\])*", re.I)


def _unquote(s: str) -> str | None:
    if len(s) >= 2 and s[0] == s[-1] == "'":
        return s[1:-1].replace("''", "'").replace("\\\\", "\\")
    return None


def _remove_casts(s: str) -> str:
    # Casts outside string literals only.
    parts = re.split(r"('(?:[^']|'')*')", s)
    return "".join(p if i % 2 else CAST.sub("", p) for i, p in enumerate(parts))


def default_matches(ir_default: dict[str, Any], reflected: str, ir_type: tuple[Any, ...], dialect: str) -> bool:
    """Does the reflected DEFAULT text mean the IR default?"""
    kind = ir_default["kind"]
    text = _strip_parens(_remove_casts(reflected))
    if kind == "now":
        return re.fullmatch(r"current_(timestamp|date|time)(\(\d*\))?|now\(\)|curdate\(\)|curtime\(\)", text, re.I) is not None
    if kind == "uuid":
        expected = {"postgresql": "gen_random_uuid()", "mysql": "uuid()", "sqlite": "randomblob(16)"}[dialect]
        if dialect == "sqlite":
            return "randomblob" in text and "hex" in text
        return text.lower() == expected
    if kind == "sql":
        squash = lambda v: re.sub(r"[\s()]", "", v).lower()  # noqa: E731
        return squash(text) == squash(ir_default["value"])
    value: str = ir_default["value"]
    quoted = _unquote(text)
    t = ir_type[0]
    if t == "bool":
        return text.lower() in (("true", "1") if value == "true" else ("false", "0"))
    if t in ("int", "bigint", "smallint", "float", "decimal"):
        try:
            return Decimal(quoted if quoted is not None else text) == Decimal(value)
        except InvalidOperation:
            return False
    if t in ("string", "text", "enum"):
        return quoted == value
    if t == "uuid":
        return quoted is not None and quoted.lower() == value.lower()
    if t == "json":
        return quoted is not None and json.loads(quoted) == json.loads(value)
    if t == "array":
        expected = [str(v) for v in json.loads(value)]
        if dialect != "postgresql":
            return quoted is not None and json.loads(quoted) == json.loads(value)
        if quoted is not None and quoted.startswith("{"):  # '{1,2}' array literal
            inner = quoted[1:-1]
            items = [i.strip().strip('"') for i in inner.split(",")] if inner else []
            return items == expected
        m = re.fullmatch(r"ARRAY\[(.*)\]", text, re.I | re.S)
        if not m:
            return False
        items = [i.strip() for i in re.findall(r"'(?:[^']|'')*'|[^,\s][^,]*", m[1])]
        return [(_unquote(i) if _unquote(i) is not None else i) for i in items] == expected
    return False


# ---------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_ddl_executes_and_creates_every_table(applied: Applied) -> None:
    creates = [s for s in applied.statements if re.match(r"(--[^\n]*\n\s*)*CREATE TABLE", s)]
    assert len(creates) == len(applied.ir["tables"])
    reflected = set(applied.db.inspector().get_table_names())
    expected = set(applied.tables)
    if applied.dialect == "sqlite":
        # `search:`: an FTS5 table and the shadow tables FTS5 keeps for it (external content: no _content).
        for table in applied.tables.values():
            if search := table.get("search"):
                expected |= {search["name"]} | {f"{search['name']}_{s}" for s in ("data", "idx", "docsize", "config")}
                triggers = applied.db.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t", t=table["name"])
                assert sorted(r[0] for r in triggers) == sorted(f"{search['name']}_{w}" for w in ("insert", "delete", "update"))
    assert reflected == expected, f"missing: {expected - reflected}, unexpected: {reflected - expected}"


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_columns(applied: Applied) -> None:
    insp = applied.db.inspector()
    errors: list[str] = []
    dialect = applied.dialect
    for name, table in applied.tables.items():
        reflected = insp.get_columns(name)
        if dialect == "postgresql" and (search := table.get("search")):
            # `search:` adds a stored generated tsvector column after the table's own.
            vector = reflected.pop()
            if (vector["name"], str(vector["type"]), bool(vector.get("computed"))) != (search["vectorColumn"], "TSVECTOR", True):
                errors.append(f"{name}: search column {vector['name']} {vector['type']} computed={vector.get('computed')}")
        ref_names = [c["name"] for c in reflected]
        ir_names = [c["name"] for c in table["columns"]]
        if ref_names != ir_names:
            errors.append(f"{name}: columns {ref_names} != IR {ir_names}")
            continue
        pragma = {}
        if dialect == "sqlite":
            pragma = {r[1]: r for r in applied.db.rows(f"PRAGMA table_info(\"{name}\")")}
        for col, ref in zip(table["columns"], reflected):
            where = f"{name}.{col['name']}"
            exp_t = expected_type(applied.ir, table, col, dialect)
            got_t = reflected_type(ref["type"], dialect, applied.db.engine)
            if exp_t != got_t:
                errors.append(f"{where}: type {got_t} != expected {exp_t} (IR {col['type']})")
            if ref["nullable"] != col["nullable"]:
                errors.append(f"{where}: nullable {ref['nullable']} != IR {col['nullable']}")
            ir_default = col.get("defaultValue")
            if dialect == "mysql" and ref.get("default") is not None:
                # MariaDB reports ON UPDATE with the default; only `updated_at` (onUpdateNow) has it.
                on_update = re.search(r"\s+ON UPDATE current_timestamp\(6\)$", ref["default"], re.I)
                want_on_update = col["onUpdateNow"] and parse_type(col["type"])[0] == "datetime" and not native_type(col, dialect)
                if bool(on_update) != want_on_update:
                    errors.append(f"{where}: default {ref['default']!r}: ON UPDATE expected: {want_on_update}")
                if on_update:
                    ref = {**ref, "default": ref["default"][: on_update.start()]}
            if ir_default is None:
                if ref.get("default") is not None:
                    errors.append(f"{where}: has default {ref['default']!r}, IR has none")
            elif ref.get("default") is None:
                errors.append(f"{where}: no default, IR has {ir_default}")
            elif not default_matches(ir_default, ref["default"], parse_type(col["type"]), dialect):
                errors.append(f"{where}: default {ref['default']!r} does not mean IR {ir_default}")
            auto = col["autoincrement"]
            if dialect == "postgresql":
                identity = ref.get("identity")
                if auto and not (identity and identity.get("always") is False):
                    errors.append(f"{where}: expected GENERATED BY DEFAULT AS IDENTITY, got {identity}")
                if not auto and identity:
                    errors.append(f"{where}: unexpected identity {identity}")
            elif dialect == "mysql":
                if bool(ref.get("autoincrement")) != auto:
                    errors.append(f"{where}: AUTO_INCREMENT {ref.get('autoincrement')} != IR {auto}")
            elif auto:
                pk = (table.get("primaryKey") or {}).get("columns")
                declared = pragma[col["name"]][2]
                if pk != [col["name"]] or declared != "INTEGER":
                    errors.append(f"{where}: autoincrement needs the rowid alias INTEGER PRIMARY KEY, got {declared!r} pk={pk}")
    report(errors)


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_primary_keys(applied: Applied) -> None:
    insp = applied.db.inspector()
    errors: list[str] = []
    mysql_names: dict[str, list[str]] = {}
    if applied.dialect == "mysql":
        for table, cname in applied.db.rows(
            "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'PRIMARY KEY'"
        ):
            mysql_names.setdefault(table, []).append(cname)
    for name, table in applied.tables.items():
        pk = insp.get_pk_constraint(name)
        ir_pk = table.get("primaryKey")
        if ir_pk is None:
            if pk["constrained_columns"]:
                errors.append(f"{name}: unexpected primary key {pk}")
            continue
        if pk["constrained_columns"] != ir_pk["columns"]:
            errors.append(f"{name}: PK columns {pk['constrained_columns']} != IR {ir_pk['columns']}")
        if applied.dialect == "mysql":
            # MariaDB names every primary key PRIMARY (SQLAlchemy reports no name for it).
            if pk["name"] is not None or mysql_names.get(name) != ["PRIMARY"]:
                errors.append(f"{name}: PK name {pk['name']!r} / {mysql_names.get(name)}, expected PRIMARY")
        elif pk["name"] != db_name(ir_pk["name"], applied.dialect):
            errors.append(f"{name}: PK name {pk['name']!r} != {db_name(ir_pk['name'], applied.dialect)!r}")
    report(errors)


SQL_ACTION = {"cascade": "CASCADE", "restrict": "RESTRICT", "set_null": "SET NULL", "set_default": "SET DEFAULT", "no_action": "NO ACTION"}


def effective_action(action: str | None, dialect: str) -> str | None:
    if action == "set_default" and dialect == "mysql":
        return "restrict"  # InnoDB rejects SET DEFAULT: the generator emits RESTRICT (with a warning)
    return action


def inspector_action(action: str | None, dialect: str) -> str | None:
    """The action as SQLAlchemy's inspector reports it: it omits NO ACTION (the SQL default) on every
    dialect, and MariaDB's SHOW CREATE TABLE also omits RESTRICT (InnoDB's default)."""
    action = effective_action(action, dialect)
    if action is None or action == "no_action":
        return None
    if dialect == "mysql" and action == "restrict":
        return None
    return SQL_ACTION[action]


def catalog_rules(db: Database) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, FK name) -> (ON UPDATE, ON DELETE) spelled out by the database's own catalog, where
    an omitted action shows as the default (NO ACTION; RESTRICT on InnoDB)."""
    rules: dict[tuple[str, str], tuple[str, str]] = {}
    if db.dialect == "mysql":
        for table, cname, update_rule, delete_rule in db.rows(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = DATABASE()"
        ):
            rules[(table, cname)] = (update_rule, delete_rule)
    elif db.dialect == "postgresql":
        codes = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
        for table, cname, upd, dele in db.rows(
            "SELECT c.conrelid::regclass::text, c.conname, c.confupdtype, c.confdeltype FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'"
        ):
            rules[(table.strip('"'), cname)] = (codes[upd], codes[dele])
    else:
        for (table,) in db.rows("SELECT name FROM sqlite_master WHERE type = 'table'"):
            fks: dict[int, tuple[str, str]] = {}
            for row in db.rows(f'PRAGMA foreign_key_list("{table}")'):
                fks[row[0]] = (row[5], row[6])  # on_update, on_delete
            # PRAGMA has no constraint names: key them by the FK's columns, matched by the caller.
            for fk_id, rule in fks.items():
                cols = tuple(r[3] for r in db.rows(f'PRAGMA foreign_key_list("{table}")') if r[0] == fk_id)
                rules[(table, ",".join(cols))] = rule
    return rules


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_foreign_keys(applied: Applied) -> None:
    insp = applied.db.inspector()
    dialect = applied.dialect
    errors: list[str] = []
    rules = catalog_rules(applied.db)
    default_rule = "RESTRICT" if dialect == "mysql" else "NO ACTION"
    for name, table in applied.tables.items():
        reflected = {fk["name"]: fk for fk in insp.get_foreign_keys(name)}
        expected = {db_name(fk["name"], dialect): fk for fk in table["foreignKeys"]}
        if set(reflected) != set(expected):
            errors.append(f"{name}: FK names {sorted(reflected)} != expected {sorted(expected)}")
        for fk_name, fk in expected.items():
            ref = reflected.get(fk_name)
            if ref is None:
                continue
            where = f"{name}.{fk_name}"
            if ref["constrained_columns"] != fk["columns"]:
                errors.append(f"{where}: columns {ref['constrained_columns']} != {fk['columns']}")
            if ref["referred_table"] != fk["referencedTable"] or ref["referred_columns"] != fk["referencedColumns"]:
                errors.append(
                    f"{where}: references {ref['referred_table']}{ref['referred_columns']} != "
                    f"{fk['referencedTable']}{fk['referencedColumns']}"
                )
            options = ref.get("options") or {}
            for key, ir_key in (("ondelete", "onDelete"), ("onupdate", "onUpdate")):
                want = inspector_action(fk.get(ir_key), dialect)
                got = options.get(key)
                if got is not None:
                    got = got.upper()
                if got != want:
                    errors.append(f"{where}: {key} {got!r} != expected {want!r} (IR {fk.get(ir_key)})")
            want_rules = tuple(
                SQL_ACTION[a] if (a := effective_action(fk.get(k), dialect)) else default_rule
                for k in ("onUpdate", "onDelete")
            )
            key = (name, ",".join(fk["columns"]) if dialect == "sqlite" else fk_name)
            if rules.get(key) != want_rules:
                errors.append(f"{where}: catalog (ON UPDATE, ON DELETE) {rules.get(key)} != {want_rules}")
    report(errors)


def expected_unique_constraints(table: dict[str, Any], dialect: str) -> dict[str, list[str]]:
    result = {db_name(u["name"], dialect): u["columns"] for u in table["uniques"]}
    if dialect == "mysql":
        # A UNIQUE index is a unique key on MySQL/MariaDB: the inspector lists it with the constraints.
        for index in created_indexes(table, dialect):
            if index["unique"]:
                result[db_name(index["name"], dialect)] = index["columns"]
    return result


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_unique_constraints(applied: Applied) -> None:
    insp = applied.db.inspector()
    errors: list[str] = []
    for name, table in applied.tables.items():
        reflected = {u["name"]: u["column_names"] for u in insp.get_unique_constraints(name)}
        expected = expected_unique_constraints(table, applied.dialect)
        if reflected != expected:
            errors.append(f"{name}: uniques {reflected} != expected {expected}")
    report(errors)


def norm_sql(text: str | None) -> str | None:
    """Normalises an index predicate / expression for comparison: casts, parentheses, quotes of
    identifiers and whitespace do not matter."""
    if text is None:
        return None
    s = _remove_casts(text)
    s = s.replace('"', "").replace("`", "")
    s = re.sub(r"[()]", " ", s)
    return re.sub(r"\s+", " ", s).strip().lower()


@dataclass(frozen=True)
class IndexShape:
    columns: tuple[str | None, ...]
    expressions: tuple[str, ...]
    unique: bool
    predicate: str | None
    method: str | None


def expected_indexes(table: dict[str, Any], dialect: str) -> dict[str, IndexShape]:
    result: dict[str, IndexShape] = {}
    for index in created_indexes(table, dialect):
        exprs = tuple(norm_sql(e) or "" for e in index.get("expressions") or [])
        method = index.get("method")
        result[db_name(index["name"], dialect)] = IndexShape(
            columns=tuple(index["columns"]) + (None,) * len(exprs),
            expressions=exprs,
            unique=index["unique"],
            predicate=norm_sql(index.get("predicate")) if dialect != "mysql" else None,
            method=method if dialect == "postgresql" and method not in (None, "btree") else None,
        )
    if (search := table.get("search")) and dialect != "sqlite":
        # PostgreSQL: a GIN index on the generated column; MySQL: a FULLTEXT index on the fields.
        vector = (search["vectorColumn"],)
        shape = IndexShape(vector, (), False, None, "gin") if dialect == "postgresql" else IndexShape(tuple(search["columns"]), (), False, None, None)
        result[db_name(search["name"], dialect)] = shape
    if dialect == "mysql":
        # Unique constraints are unique indexes there.
        for u in table["uniques"]:
            result[db_name(u["name"], dialect)] = IndexShape(tuple(u["columns"]), (), True, None, None)
        # InnoDB needs an index whose leading columns are the FK's: it keeps its own (named after the
        # constraint) when no other index provides one.
        leading = [tuple((table.get("primaryKey") or {}).get("columns") or ())]
        leading += [shape.columns for shape in result.values()]
        for fk in table["foreignKeys"]:
            cols = tuple(fk["columns"])
            if not any(lead[: len(cols)] == cols for lead in leading):
                result[db_name(fk["name"], dialect)] = IndexShape(cols, (), False, None, None)
                leading.append(cols)
    return result


def reflected_indexes(db: Database, insp: sa.Inspector, table: str) -> dict[str, IndexShape]:
    result: dict[str, IndexShape] = {}
    for ix in insp.get_indexes(table):
        if db.dialect == "postgresql" and ix.get("duplicates_constraint"):
            continue  # the index behind a UNIQUE constraint (checked by test_unique_constraints)
        opts = ix.get("dialect_options") or {}
        where = opts.get("postgresql_where") if db.dialect == "postgresql" else opts.get("sqlite_where")
        if where is not None and not isinstance(where, str):
            where = str(getattr(where, "text", where))
        exprs: tuple[str, ...] = ()
        if ix.get("expressions"):
            exprs = tuple(norm_sql(e) or "" for e, c in zip(ix["expressions"], ix["column_names"]) if c is None)
        result[ix["name"]] = IndexShape(
            columns=tuple(ix["column_names"]),
            expressions=exprs,
            unique=bool(ix["unique"]),
            predicate=norm_sql(where),
            method=opts.get("postgresql_using") if db.dialect == "postgresql" else None,
        )
    if db.dialect == "sqlite":
        # SQLAlchemy skips expression-based indexes on SQLite: read them from the catalog itself.
        for _, name, unique, origin, partial in db.rows(f"PRAGMA index_list(\"{table}\")"):
            if origin != "c" or name in result:
                continue
            sql = db.scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n", n=name)
            keys = [r for r in db.rows(f"PRAGMA index_xinfo(\"{name}\")") if r[5] == 1]
            columns = tuple(r[2] if r[1] >= 0 else None for r in keys)
            m = re.search(r"\((.*)\)(\s+WHERE\s+(.*))?$", sql, re.S | re.I)
            assert m, sql
            parts = [p.strip() for p in _split_top_level(m[1])]
            exprs = tuple(norm_sql(p) or "" for p, c in zip(parts, columns) if c is None)
            result[name] = IndexShape(columns, exprs, bool(unique), norm_sql(m[3]) if partial else None, None)
    return result


def _split_top_level(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for c in text:
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += c == "("
        depth -= c == ")"
        cur += c
    parts.append(cur)
    return parts


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_indexes(applied: Applied) -> None:
    insp = applied.db.inspector()
    errors: list[str] = []
    for name, table in applied.tables.items():
        reflected = reflected_indexes(applied.db, insp, name)
        expected = expected_indexes(table, applied.dialect)
        for ix_name in sorted(set(reflected) | set(expected)):
            got, want = reflected.get(ix_name), expected.get(ix_name)
            if got != want:
                errors.append(f"{name}.{ix_name}: reflected {got} != expected {want}")
    report(errors)


def sqlite_enum_checks(ir: dict[str, Any], table: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """The CHECK the SQLite DDL adds per enum column: ck_<table>_<enum type> (ck_<table>_<column>_<enum
    type> for a second column of the same enum)."""
    result: dict[str, tuple[str, list[str]]] = {}
    for col in table["columns"]:
        t = parse_type(col["type"])
        if t[0] != "enum" or native_type(col, "sqlite"):
            continue
        e = ir_enum(ir, t[1])
        name = f"ck_{table['name']}_{e['databaseName']}"
        if name in result:
            name = f"ck_{table['name']}_{col['name']}_{e['databaseName']}"
        result[name] = (col["name"], e["values"])
    return result


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_check_constraints(applied: Applied) -> None:
    insp = applied.db.inspector()
    dialect = applied.dialect
    errors: list[str] = []
    column_checks: dict[str, dict[str, str]] = {}
    if dialect == "mysql":
        for table, cname, clause in applied.db.rows(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = DATABASE() AND LEVEL = 'Column'"
        ):
            column_checks.setdefault(table, {})[cname] = clause
    for name, table in applied.tables.items():
        reflected = {c["name"]: c["sqltext"] for c in insp.get_check_constraints(name)}
        expected = {db_name(c["name"], dialect) for c in table["checks"]}
        enum_checks = sqlite_enum_checks(applied.ir, table) if dialect == "sqlite" else {}
        expected |= set(enum_checks)
        if set(reflected) != expected:
            errors.append(f"{name}: checks {sorted(reflected)} != expected {sorted(expected)}")
        for ck_name, (column, values) in enum_checks.items():
            text = reflected.get(ck_name, "")
            got_values = [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", text)]
            if column not in text.replace('"', "") or got_values != values:
                errors.append(f"{name}.{ck_name}: {text!r} does not keep {column} to {values}")
        if dialect == "mysql":
            # MariaDB's JSON is LONGTEXT with a column CHECK (json_valid(col)) named after the column.
            json_columns = {
                c["name"]
                for c in table["columns"]
                if not native_type(c, "mysql") and parse_type(c["type"])[0] in ("json", "array")
            }
            got = column_checks.get(name, {})
            if set(got) != json_columns:
                errors.append(f"{name}: column-level checks {sorted(got)} != JSON columns {sorted(json_columns)}")
            for column, clause in got.items():
                if clause.replace("`", "") != f"json_valid({column})":
                    errors.append(f"{name}.{column}: column check {clause!r} is not json_valid({column})")
    report(errors)


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


@pytest.mark.parametrize("applied", params(), indirect=True)
def test_comments(applied: Applied) -> None:
    errors: list[str] = []
    if applied.dialect == "sqlite":
        # SQLite has no comment catalog: the generator writes comments as `-- ` lines; SQLite keeps
        # those inside the CREATE TABLE text (column comments), so they are in sqlite_master.
        for name, table in applied.tables.items():
            sql = applied.db.scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n", n=name)
            for col in table["columns"]:
                if col.get("comment") and f"-- {one_line(col['comment'])}\n" not in sql:
                    errors.append(f"{name}.{col['name']}: comment {col['comment']!r} not in the stored DDL")
        report(errors)
        return
    insp = applied.db.inspector()
    for name, table in applied.tables.items():
        got = insp.get_table_comment(name)["text"]
        if got != table.get("comment"):
            errors.append(f"{name}: table comment {got!r} != IR {table.get('comment')!r}")
        for ref, col in zip(insp.get_columns(name), table["columns"]):
            if ref.get("comment") != col.get("comment"):
                errors.append(f"{name}.{col['name']}: comment {ref.get('comment')!r} != IR {col.get('comment')!r}")
    report(errors)


def used_enums(ir: dict[str, Any]) -> dict[str, list[str]]:
    used: set[str] = set()
    for table in ir["tables"]:
        for col in table["columns"]:
            t = parse_type(col["type"])
            while t[0] == "array":
                t = t[1]
            if t[0] == "enum":
                used.add(t[1])
    return {e["databaseName"]: e["values"] for e in ir["enums"] if e["name"] in used}


@pytest.mark.parametrize("applied", params(("postgresql",)), indirect=True)
def test_postgresql_enum_types(applied: Applied) -> None:
    reflected = {e["name"]: e["labels"] for e in applied.db.inspector().get_enums()}
    assert reflected == used_enums(applied.ir)


# ---------------------------------------------------------------------------------------------
# Warnings of `schemaforge sql`

WARNING_PATTERNS = [
    ("set_default", re.compile(r"^InnoDB \(MySQL/MariaDB\) rejects SET DEFAULT actions; '(?P<name>[^']+)' uses RESTRICT there instead$")),
    ("sqlite_method", re.compile(r"^SQLite has only b-tree indexes; the '(?P<method>\w+)' method of '(?P<name>[^']+)' is ignored$")),
    ("mysql_method", re.compile(r"^InnoDB \(MySQL/MariaDB\) has only b-tree indexes here; the '(?P<method>\w+)' method of '(?P<name>[^']+)' is ignored$")),
    ("mysql_expression", re.compile(r"^MariaDB has no expression indexes; '(?P<name>[^']+)' is not created on MySQL/MariaDB$")),
    ("mysql_partial_unique", re.compile(r"^MySQL/MariaDB have no partial indexes; the partial unique index '(?P<name>[^']+)' is not created there\b")),
    ("mysql_partial", re.compile(r"^MySQL/MariaDB have no partial indexes; '(?P<name>[^']+)' is created as a full index$")),
    ("mysql_text_column", re.compile(r"^MySQL/MariaDB cannot index the text/blob column '(?P<column>[^']+)' without a prefix length; '(?P<name>[^']+)' is not created there\b")),
]


def classify_warning(message: str) -> tuple[str, ...]:
    for kind, pattern in WARNING_PATTERNS:
        m = pattern.match(message)
        if m:
            return (kind, *m.groups())
    return ("unexpected", message)


def expected_warnings(ir: dict[str, Any], dialect: str) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for table in ir["tables"]:
        if dialect == "mysql":
            for fk in table["foreignKeys"]:
                if "set_default" in (fk.get("onDelete"), fk.get("onUpdate")):
                    out.append(("set_default", fk["name"]))
        for index in table["indexes"]:
            method = index.get("method")
            name = index["name"]
            if dialect == "sqlite" and method not in (None, "btree"):
                out.append(("sqlite_method", method, name))
            if dialect != "mysql":
                continue
            if method not in (None, "btree"):
                out.append(("mysql_method", method, name))
            if index.get("expressions"):
                out.append(("mysql_expression", name))
                continue
            if index.get("predicate") is not None:
                if index["unique"]:
                    out.append(("mysql_partial_unique", name))
                    continue
                out.append(("mysql_partial", name))
            blob = [c for c in index["columns"] if is_unindexable(table, c)]
            if blob:
                out.append(("mysql_text_column", blob[0], name))
    return sorted(out)


def is_unindexable(table: dict[str, Any], column: str) -> bool:
    return is_unindexable_on_mysql(ir_column(table, column))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", schema_files(), ids=schema_id)
def test_dialect_warnings(schemaforge: Schemaforge, path: Path, dialect: str) -> None:
    """`schemaforge sql` warns about exactly the documented dialect differences (MySQL: expression
    indexes, partial (unique) indexes, text/blob indexes, index methods, SET DEFAULT; SQLite: index
    methods; PostgreSQL: none). Warnings of the schema itself (`validate`) are not counted."""
    ddl = schemaforge.sql(path, dialect)
    own = Counter(ddl.warnings) - Counter(schemaforge.validate_warnings(path))
    got = sorted(classify_warning(m) for m in own.elements())
    assert got == expected_warnings(schemaforge.resolve(path), dialect)


# ---------------------------------------------------------------------------------------------
# Long names


@pytest.mark.parametrize("applied", ["long_names:postgresql", "long_names:mysql"], indirect=True, ids=["postgresql", "mysql"])
def test_long_names_are_shortened_per_dialect(applied: Applied) -> None:
    """Every generated name over the limit is in the catalog as name[:limit-8] + "_" + md5(name)[-4:]
    (SQLAlchemy's scheme, so PostgreSQL (63) and MySQL (64) spell it differently), and no name in
    the catalog is over the limit."""
    limit = 63 if applied.dialect == "postgresql" else 64
    insp = applied.db.inspector()
    catalog: set[str] = set()
    for name in applied.tables:
        catalog |= {fk["name"] for fk in insp.get_foreign_keys(name)}
        catalog |= {u["name"] for u in insp.get_unique_constraints(name)}
        catalog |= {c["name"] for c in insp.get_check_constraints(name)}
        catalog |= {i["name"] for i in insp.get_indexes(name)}
        if applied.dialect == "postgresql":
            catalog.add(insp.get_pk_constraint(name)["name"])
    ir_names: set[str] = set()
    for table in applied.ir["tables"]:
        ir_names |= {fk["name"] for fk in table["foreignKeys"]} | {u["name"] for u in table["uniques"]}
        ir_names |= {c["name"] for c in table["checks"]}
        if applied.dialect == "postgresql" and table.get("primaryKey"):
            ir_names.add(table["primaryKey"]["name"])
    long = sorted(n for n in ir_names if len(n.encode()) > limit)
    assert len(long) >= 5, f"the long_names schema should exercise shortening, got {long}"
    for name in long:
        short = name[: limit - 8] + "_" + hashlib.md5(name.encode()).hexdigest()[-4:]
        assert short in catalog, f"{name} ({len(name)} bytes) should be {short} on {applied.dialect}"
    too_long = sorted(n for n in catalog if len(n.encode()) > limit)
    assert not too_long


LONG_COLUMNS_SCHEMA = """\
schema: 1
name: longcol
entities:
  WarehouseInventoryAdjustmentRequestLineItemArchiveEntry:
    fields:
      qty: int
    relations:
      originating_warehouse_location_for_adjustment: {to: WarehouseStorageLocationWithVeryLongDescriptiveName}
      reviewers: {to: WarehouseStorageLocationWithVeryLongDescriptiveName, kind: many_to_many}
  WarehouseStorageLocationWithVeryLongDescriptiveName:
    fields:
      location_code_assigned_by_facilities_management_team: {type: string, length: 24, primary_key: true}
"""


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_generated_column_names_fit_identifier_limits(
    schemaforge: Schemaforge, fresh_db: Any, tmp_path: Path, dialect: str
) -> None:
    """Generated column names (`<relation>_<key>`, join-table `<entity>_<key>`) can exceed the
    identifier limit. Correct behaviour: either the CLI refuses the schema with an error diagnostic,
    or every name fits and the DDL runs with the catalog matching the IR (no silent truncation)."""
    path = tmp_path / "longcol.yaml"
    path.write_text(LONG_COLUMNS_SCHEMA)
    proc = schemaforge.run("sql", path, "--dialect", dialect, check=False)
    if proc.returncode == 1:
        assert " error: " in proc.stderr, proc.stderr
        return
    assert proc.returncode == 0, proc.stderr
    ir = schemaforge.resolve(path)
    limit = 63 if dialect == "postgresql" else 64
    over = [
        f"{t['name']}.{c['name']}" for t in ir["tables"] for c in t["columns"] if len(c["name"].encode()) > limit
    ] + [t["name"] for t in ir["tables"] if len(t["name"].encode()) > limit]
    assert not over, f"names over {limit} bytes in the IR (the DDL would fail or be truncated): {over}"
    db = fresh_db(dialect)
    db.run_script(proc.stdout)
    insp = db.inspector()
    for table in ir["tables"]:
        assert [c["name"] for c in insp.get_columns(table["name"])] == [c["name"] for c in table["columns"]]
