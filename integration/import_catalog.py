"""A normalized snapshot of a database's catalog, and the differences between two snapshots.

`catalog(engine_or_connection, dialect)` reads a database through SQLAlchemy's inspector (plus
pg_catalog / PRAGMA where the inspector is silent or lossy) into plain, JSON-friendly data:

    {"dialect": "postgresql",
     "tables": {name: {"columns": {name: {"type", "nullable", "default", "autoincrement",
                                          "generated", "on_update"}},
                       "primary_key": {"name", "columns"} | None,
                       "foreign_keys": [{"name", "columns", "referred_table",
                                         "referred_columns", "ondelete", "onupdate"}],
                       "unique_constraints": [{"name", "columns"}],
                       "check_constraints": [{"name", "sqltext"}],
                       "indexes": [{"name", "columns", "unique", "where", "using",
                                    "kind"}],
                       "partition_of": parent (PostgreSQL partitions and INHERITS, else absent)}},
     "views": [names], "enums": {name: [labels]}}

Names are kept as the database reports them (PostgreSQL folds unquoted names to lower case
itself; nothing here lower-cases them). Types, defaults, check texts and index expressions
are normalized so that spellings of the same thing compare equal: `int4`/`integer`/`int(11)`,
`character varying(20)`/`VARCHAR(20)`, `timestamp without time zone`/`TIMESTAMP`,
`'x'::character varying`/`'x'`, `now()`/`CURRENT_TIMESTAMP`, NO ACTION/RESTRICT/none, ...

`diff(a, b)` lists the differences as sentences (`table film: column rating: type ... != ...`,
`table x: missing index ix_y`); every difference has an aspect (`ASPECTS`) so that a test can
assert some kinds and only report the others (`diff(a, b, aspects=STRUCTURE)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import ReflectedColumn

Catalog = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Text normalization

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_SPLIT_LITERALS = re.compile(r"('(?:[^']|'')*')")
#: A PostgreSQL cast: `::character varying`, `::"my type"`, `::numeric(10,2)`, `::text[]`,
#: `::regclass`, `::timestamp without time zone`.
_CAST = re.compile(
    r"::\s*(?:\"[^\"]+\"|[a-z_][a-z0-9_]*)(?:\.(?:\"[^\"]+\"|[a-z_][a-z0-9_]*))?"
    r"(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))*"
    r"(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\s*\[\])*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)


def _outside_literals(text: str, transform: Any) -> str:
    """Applies `transform` to the parts of `text` outside '...' string literals."""
    parts = _SPLIT_LITERALS.split(text)
    return "".join(p if i % 2 else transform(p) for i, p in enumerate(parts))


def strip_parens(text: str) -> str:
    """`((a > 0))` -> `a > 0`; `(a) + (b)` stays."""
    s = text.strip()
    while s.startswith("(") and s.endswith(")"):
        depth = 0
        quoted = False
        for i, c in enumerate(s):
            if c == "'":
                quoted = not quoted
            elif not quoted:
                depth += c == "("
                depth -= c == ")"
                if depth == 0 and i < len(s) - 1:
                    return s
        s = s[1:-1].strip()
    return s


def _number(text: str) -> str | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return format(value.normalize(), "f")


_FUNCTION_ALIASES = {
    "now()": "current_timestamp",
    "current_timestamp()": "current_timestamp",
    "localtimestamp()": "localtimestamp",
    "current_date()": "current_date",
    "curdate()": "current_date",
    "current_time()": "current_time",
    "curtime()": "current_time",
    "transaction_timestamp()": "current_timestamp",
}


def normalize_expression(text: str) -> str:
    """An SQL expression (default, CHECK, index expression, predicate) in a canonical spelling:
    casts, outer parentheses, identifier quotes and extra whitespace removed, lower case outside
    string literals, `now()`/`current_timestamp()` -> `current_timestamp`."""

    def code(part: str) -> str:
        part = _CAST.sub("", part)
        part = re.sub(r'["`]', "", part)  # identifier quotes
        part = re.sub(r"\[([A-Za-z_][A-Za-z0-9_ ]*)\]", r"\1", part)  # SQLite's [name]
        part = re.sub(r"\s+", " ", part.lower())
        part = re.sub(
            r"\s*([(),=<>+*/-])\s*", r"\1", part
        )  # no blanks around punctuation
        part = re.sub(
            r"\b(and|or|not|in|is|like|between|then|else|when)\(", r"\1 (", part
        )
        part = re.sub(
            r"\)(and|or|in|is|like|between|then|else|when|end)\b", r") \1", part
        )
        part = re.sub(r"(^|[^a-z0-9_.])public\.", r"\1", part)  # the default schema
        return part

    s = _outside_literals(text.strip(), code)
    previous = None
    while previous != s:
        previous = s
        s = strip_parens(s)
        # a parenthesized literal, number or name that is no function's argument list: ('x') -> 'x'
        s = re.sub(
            r"(?<![a-z0-9_])\(('(?:[^']|'')*'|[+-]?\d+(?:\.\d+)?|[a-z_][a-z0-9_.]*)\)",
            r"\1",
            s,
        )
    for alias, canonical in _FUNCTION_ALIASES.items():
        s = s.replace(alias, canonical)
    return s.strip()


def normalize_default(text: str | None) -> str | None:
    """A column default in a canonical spelling; None for no default and for DEFAULT NULL.
    Quoted numbers lose their quotes and trailing zeros (`'0.00'` -> `0`)."""
    if text is None:
        return None
    s = normalize_expression(str(text))
    if s in ("", "null"):
        return None
    literal = _LITERAL.fullmatch(s)
    inner = s[1:-1] if literal else s
    number = _number(inner)
    if number is not None:
        return number
    return s


_TYPE_ALIASES = {
    "INT": "INTEGER",
    "INT4": "INTEGER",
    "INT8": "BIGINT",
    "INT2": "SMALLINT",
    "SERIAL": "INTEGER",
    "SERIAL4": "INTEGER",
    "BIGSERIAL": "BIGINT",
    "SERIAL8": "BIGINT",
    "SMALLSERIAL": "SMALLINT",
    "SERIAL2": "SMALLINT",
    "CHARACTER VARYING": "VARCHAR",
    "CHARACTER": "CHAR",
    "BPCHAR": "CHAR",
    "BOOL": "BOOLEAN",
    "FLOAT8": "DOUBLE",
    "DOUBLE PRECISION": "DOUBLE",
    "FLOAT4": "REAL",
    "DECIMAL": "NUMERIC",
    "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ",
    "TIME WITHOUT TIME ZONE": "TIME",
    "TIME WITH TIME ZONE": "TIMETZ",
}
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT")


def normalize_type(text: str) -> str:
    """A column type in a canonical spelling: upper case, single blanks, aliases resolved
    (`int4` -> INTEGER, `character varying(20)` -> VARCHAR(20), `timestamp(6) with time
    zone` -> TIMESTAMPTZ(6)), MySQL display widths dropped except TINYINT(1), character sets
    and collations dropped. ENUM value lists are kept as written."""
    s = text.strip()
    enum = re.match(r"(?is)^(enum|set)(\s+[\w.\"]+)?\s*\((.*)\)(.*)$", s)
    if enum:  # keep the case of the values and of PostgreSQL's type name
        rest = re.sub(r"(?i)\s*(character set|charset|collate)\s+\S+", "", enum[4])
        values = re.sub(r"'\s*,\s*'", "','", enum[3].strip())
        name = f" {enum[2].strip()}" if enum[2] else ""
        return f"{enum[1].upper()}{name}({values}){rest.upper()}".strip()
    s = re.sub(r"\s+", " ", s.upper())
    s = re.sub(r"\s*\(\s*", "(", s)
    s = re.sub(r"\s*,\s*", ",", s)
    s = re.sub(r"\s*\)", ")", s).replace("[ ]", "[]")
    s = re.sub(r"\s*\b(CHARACTER SET|CHARSET|COLLATE) (\"[^\"]*\"|\S+)", "", s)
    s = re.sub(r"^(?:PUBLIC|PG_CATALOG)\.", "", s)
    # `timestamp(6) without time zone` -> `timestamp without time zone(6)` for the alias table
    m = re.fullmatch(r"(TIMESTAMP|TIME)(\(\d+\))? (WITH(?:OUT)? TIME ZONE)(.*)", s)
    if m:
        s = f"{m[1]} {m[3]}{m[2] or ''}{m[4]}"
    m = re.fullmatch(r"([A-Z0-9_ ]+?)(\(.*?\))?((?: UNSIGNED| ZEROFILL|\[\])*)", s)
    if not m:
        return s
    base, args, suffix = m[1].strip(), m[2] or "", m[3] or ""
    base = _TYPE_ALIASES.get(base, base)
    if base in _INTEGER_TYPES and args and not (base == "TINYINT" and args == "(1)"):
        args = ""  # MySQL display width
    if base == "YEAR" and args == "(4)":
        args = ""
    return f"{base}{args}{suffix}"


def normalize_action(action: str | None) -> str | None:
    """ON DELETE / ON UPDATE: upper case; NO ACTION and RESTRICT (the default) -> None."""
    if action is None:
        return None
    a = re.sub(r"\s+", " ", action.strip().upper())
    return None if a in ("", "NO ACTION", "RESTRICT") else a


# ---------------------------------------------------------------------------------------------
# Reading a catalog


def _rows(conn: sa.Connection, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _type_text(
    column: ReflectedColumn, dialect: str, engine_dialect: sa.Dialect
) -> str | None:
    """The reflected type as text, or None if SQLAlchemy could not reflect it (NullType)."""
    t = column["type"]
    if isinstance(t, sa.types.NullType):
        return None
    if isinstance(t, sa.ARRAY):
        inner = dict(column)
        inner["type"] = t.item_type
        item = _type_text(inner, dialect, engine_dialect)  # type: ignore[arg-type]
        return None if item is None else item + "[]"
    if isinstance(t, sa.Enum) and dialect == "postgresql":
        values = ",".join("'" + v.replace("'", "''") + "'" for v in t.enums)
        return f"ENUM {t.name}({values})"
    try:
        return str(t.compile(dialect=engine_dialect))
    except sa.exc.CompileError:
        return None


def _pg_raw_types(conn: sa.Connection) -> dict[tuple[str, str], str]:
    """(table, column) -> format_type() for the tables of the current schema."""
    rows = _rows(
        conn,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped "
        "AND c.relkind IN ('r', 'p')",
    )
    return {(r[0], r[1]): r[2] for r in rows}


def _mysql_raw_types(conn: sa.Connection) -> dict[tuple[str, str], str]:
    rows = _rows(
        conn,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE()",
    )
    return {(r[0], r[1]): r[2] for r in rows}


def _sqlite_table_info(conn: sa.Connection, table: str) -> list[tuple[Any, ...]]:
    return _rows(conn, f"PRAGMA table_xinfo({_quote_sqlite(table)})")


def _split_top_level(text: str) -> list[str]:
    """Splits at commas outside parentheses and string literals."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c == "'":
            quoted = not quoted
        elif not quoted:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 0:
                parts.append(text[start:i])
                start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _sqlite_index_parts(sql: str) -> tuple[list[str], str | None]:
    """The key parts (column names or expressions) and the WHERE predicate of a CREATE INDEX."""
    m = re.search(r"(?is)\bON\s+(?:\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|\S+?)\s*\(", sql)
    if not m:
        return [], None
    depth, i = 1, m.end()
    quoted = False
    while i < len(sql) and depth:
        c = sql[i]
        if c == "'":
            quoted = not quoted
        elif not quoted:
            depth += c == "("
            depth -= c == ")"
        i += 1
    inner = sql[m.end() : i - 1]
    where = re.match(r"(?is)\s*WHERE\s+(.*?);?\s*$", sql[i:])
    return _split_top_level(inner), (where[1] if where else None)


def _index_key(part: str) -> str:
    """`"title" COLLATE NOCASE ASC` -> `title collate nocase`; `lower(email)` -> `lower(email)`."""
    s = normalize_expression(part)
    return re.sub(r"\s+asc$", "", s)


def _sqlite_indexes(conn: sa.Connection, table: str) -> list[dict[str, Any]]:
    """Indexes made by CREATE INDEX (origin 'c'); UNIQUE/PRIMARY KEY ones are constraints."""
    result = []
    for row in _rows(conn, f"PRAGMA index_list({_quote_sqlite(table)})"):
        name, unique, origin = row[1], bool(row[2]), row[3]
        if origin != "c":
            continue
        sql = conn.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
            {"n": name},
        ).scalar()
        parts, where = _sqlite_index_parts(sql or "")
        result.append(
            {
                "name": name,
                "columns": [_index_key(p) for p in parts],
                "unique": unique,
                "where": normalize_expression(where) if where else None,
                "using": None,
                "kind": None,
            }
        )
    return result


def _sqlite_uniques(
    conn: sa.Connection, table: str, named: list[Any]
) -> list[dict[str, Any]]:
    """UNIQUE constraints, column or table level (the indexes of origin 'u'); their names from
    SQLAlchemy's parse of the table's SQL."""
    names = {tuple(u["column_names"]): u.get("name") for u in named}
    result = []
    for row in _rows(conn, f"PRAGMA index_list({_quote_sqlite(table)})"):
        if row[3] != "u":
            continue
        columns = [
            r[2] for r in _rows(conn, f"PRAGMA index_info({_quote_sqlite(row[1])})")
        ]
        result.append({"name": names.get(tuple(columns)), "columns": columns})
    return result


def _sqlite_foreign_keys(
    conn: sa.Connection, table: str, named: list[Any]
) -> list[dict[str, Any]]:
    """Foreign keys from PRAGMA foreign_key_list (exact actions, also for `REFERENCES t` without
    columns, which refers to t's primary key); names from SQLAlchemy's parse."""
    names = {
        (tuple(f["constrained_columns"]), f["referred_table"]): f.get("name")
        for f in named
    }
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for row in _rows(conn, f"PRAGMA foreign_key_list({_quote_sqlite(table)})"):
        grouped.setdefault(row[0], []).append(row)
    result = []
    # PRAGMA lists the foreign keys last first.
    for _, rows in sorted(grouped.items(), reverse=True):
        rows.sort(key=lambda r: r[1])
        referred = rows[0][2]
        columns = [r[3] for r in rows]
        referred_columns = [r[4] for r in rows]
        if any(c is None for c in referred_columns):
            info = _sqlite_table_info(conn, referred)
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            referred_columns = pk if len(pk) == len(columns) else referred_columns
        result.append(
            {
                "name": names.get((tuple(columns), referred)),
                "columns": columns,
                "referred_table": referred,
                "referred_columns": referred_columns,
                "ondelete": normalize_action(rows[0][6]),
                "onupdate": normalize_action(rows[0][5]),
            }
        )
    return result


def _pg_index_details(conn: sa.Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """(table, index) -> key parts, predicate and access method, straight from pg_catalog
    (exact for expression indexes, operator classes, INCLUDE columns)."""
    rows = _rows(
        conn,
        "SELECT t.relname, i.relname, am.amname, ix.indnkeyatts, "
        "pg_get_expr(ix.indpred, ix.indrelid), "
        "ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) "
        "      FROM generate_series(1, ix.indnatts) k ORDER BY k) "
        "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
        "JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_am am ON am.oid = i.relam "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE n.nspname = current_schema()",
    )
    details = {}
    for table, index, method, nkey, predicate, parts in rows:
        details[(table, index)] = {
            "columns": [_index_key(p) for p in parts[:nkey]],
            "include": [_index_key(p) for p in parts[nkey:]],
            "where": normalize_expression(predicate) if predicate else None,
            "using": None if method == "btree" else method,
        }
    return details


def _autoincrement(
    column: ReflectedColumn,
    dialect: str,
    pk: list[str],
    sqlite_declared: str | None,
    sqlite_keyword: bool,
) -> str | None:
    default = column.get("default")
    if dialect == "postgresql":
        identity = column.get("identity")
        if identity:
            return "identity always" if identity.get("always") else "identity"
        if default and re.match(r"(?i)nextval\(", str(default)):
            return "sequence"
        return None
    if dialect == "mysql":
        return "auto_increment" if column.get("autoincrement") is True else None
    # SQLite: INTEGER PRIMARY KEY is the rowid (assigned when omitted).
    if pk == [column["name"]] and (sqlite_declared or "").strip().upper() == "INTEGER":
        return "rowid autoincrement" if sqlite_keyword else "rowid"
    return None


def _column(
    column: ReflectedColumn,
    dialect: str,
    pk: list[str],
    type_text: str,
    sqlite_keyword: bool,
) -> dict[str, Any]:
    default = column.get("default")
    on_update = None
    if dialect == "mysql" and default is not None:
        # MariaDB reports ON UPDATE with the default.
        m = re.search(r"(?i)\s+on update (\S+)$", str(default))
        if m:
            on_update = normalize_default(m[1])
            default = str(default)[: m.start()]
    auto = _autoincrement(
        column, dialect, pk, type_text if dialect == "sqlite" else None, sqlite_keyword
    )
    if auto == "sequence":
        # nextval('..._seq'::regclass): the sequence's name is not the point.
        default = None
    computed = column.get("computed")
    return {
        "type": normalize_type(type_text),
        # SQLite's INTEGER PRIMARY KEY is the rowid: never NULL, with or without NOT NULL.
        "nullable": bool(column["nullable"]) and not (auto or "").startswith("rowid"),
        "default": normalize_default(default) if computed is None else None,
        "autoincrement": auto,
        "generated": normalize_expression(str(computed["sqltext"]))
        if computed
        else None,
        "on_update": on_update,
    }


def catalog(bind: sa.Engine | sa.Connection, dialect: str) -> Catalog:
    """The normalized catalog of the database `bind` is connected to (its default schema)."""
    if isinstance(bind, sa.Engine):
        with bind.connect() as conn:
            return catalog(conn, dialect)
    conn = bind
    insp = sa.inspect(conn)
    names = sorted(insp.get_table_names())
    if dialect == "sqlite":
        names = [n for n in names if not n.startswith("sqlite_")]

    def multi(method: Any) -> dict[str, Any]:
        return (
            {key[1]: value for key, value in method(filter_names=names).items()}
            if names
            else {}
        )

    columns = multi(insp.get_multi_columns)
    pks = multi(insp.get_multi_pk_constraint)
    fks = multi(insp.get_multi_foreign_keys)
    uniques = multi(insp.get_multi_unique_constraints)
    checks = multi(insp.get_multi_check_constraints)
    indexes = {} if dialect == "sqlite" else multi(insp.get_multi_indexes)

    raw_types: dict[tuple[str, str], str] = {}
    pg_indexes: dict[tuple[str, str], dict[str, Any]] = {}
    if dialect == "postgresql":
        raw_types = _pg_raw_types(conn)
        pg_indexes = _pg_index_details(conn)
    elif dialect == "mysql":
        raw_types = _mysql_raw_types(conn)
    parents: dict[str, str] = {}  # partition or inheriting table -> its parent
    if dialect == "postgresql":
        parents = {
            child: parent
            for child, parent in _rows(
                conn,
                "SELECT c.relname, p.relname FROM pg_inherits i "
                "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
            )
        }

    tables: dict[str, Any] = {}
    for name in names:
        pk = pks.get(name) or {}
        pk_columns = list(pk.get("constrained_columns") or [])
        sqlite_keyword = False
        if dialect == "sqlite":
            info = {r[1]: r[2] for r in _sqlite_table_info(conn, name)}
            raw_types = {(name, c): t for c, t in info.items()}
            sql = conn.execute(
                sa.text(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"
                ),
                {"n": name},
            ).scalar()
            sqlite_keyword = bool(re.search(r"(?i)\bAUTOINCREMENT\b", sql or ""))
        table_columns: dict[str, Any] = {}
        for col in columns.get(name, []):
            if dialect == "sqlite":
                type_text = raw_types.get((name, col["name"])) or ""
            elif dialect == "postgresql":
                type_text = _type_text(col, dialect, conn.dialect) or raw_types.get(
                    (name, col["name"]), "?"
                )
            else:  # MySQL/MariaDB: COLUMN_TYPE is exact (unsigned, display widths, enum values)
                type_text = (
                    raw_types.get((name, col["name"]))
                    or _type_text(col, dialect, conn.dialect)
                    or "?"
                )
            table_columns[col["name"]] = _column(
                col, dialect, pk_columns, type_text, sqlite_keyword
            )

        table_indexes = []
        if dialect == "sqlite":
            table_indexes = _sqlite_indexes(conn, name)
        for ix in indexes.get(name, []):
            if ix.get("duplicates_constraint"):
                continue  # the index of a UNIQUE constraint: listed with the constraints
            options = ix.get("dialect_options") or {}
            entry: dict[str, Any] = {
                "name": ix["name"],
                "columns": [c if c is not None else "?" for c in ix["column_names"]],
                "unique": bool(ix["unique"]),
                "where": None,
                "using": None,
                "kind": options.get("mysql_prefix"),
            }
            if dialect == "postgresql" and (name, ix["name"]) in pg_indexes:
                detail = pg_indexes[(name, ix["name"])]
                entry.update(
                    columns=detail["columns"],
                    where=detail["where"],
                    using=detail["using"],
                )
                if detail["include"]:
                    entry["include"] = detail["include"]
            if dialect == "mysql":
                lengths = options.get("mysql_length") or {}
                if isinstance(lengths, int):
                    lengths = {c: lengths for c in ix["column_names"]}
                entry["columns"] = [
                    f"{c}({lengths[c]})" if c in lengths else c
                    for c in entry["columns"]
                ]
            table_indexes.append(entry)
        if dialect == "mysql":
            # A UNIQUE constraint is a unique index on MySQL: listed with the constraints.
            table_indexes = [
                i for i in table_indexes if not (i["unique"] and i["kind"] is None)
            ]

        if dialect == "sqlite":
            table_fks = _sqlite_foreign_keys(conn, name, fks.get(name, []))
            table_uniques = _sqlite_uniques(conn, name, uniques.get(name, []))
        else:
            table_fks = [
                {
                    "name": fk.get("name"),
                    "columns": list(fk["constrained_columns"]),
                    "referred_table": fk["referred_table"],
                    "referred_columns": list(fk["referred_columns"]),
                    "ondelete": normalize_action(
                        (fk.get("options") or {}).get("ondelete")
                    ),
                    "onupdate": normalize_action(
                        (fk.get("options") or {}).get("onupdate")
                    ),
                }
                for fk in fks.get(name, [])
            ]
            table_uniques = [
                {"name": u.get("name"), "columns": list(u["column_names"])}
                for u in uniques.get(name, [])
            ]
        tables[name] = {
            "columns": table_columns,
            "primary_key": {"name": pk.get("name"), "columns": pk_columns}
            if pk_columns
            else None,
            "foreign_keys": table_fks,
            "unique_constraints": table_uniques,
            "check_constraints": [
                {
                    "name": c.get("name"),
                    "sqltext": normalize_expression(str(c["sqltext"])),
                }
                for c in checks.get(name, [])
            ],
            "indexes": sorted(
                table_indexes, key=lambda i: (i["name"] or "", i["columns"])
            ),
        }
        if name in parents:
            tables[name]["partition_of"] = parents[name]
    enums: dict[str, list[str]] = {}
    if dialect == "postgresql":
        for e in sa.inspect(conn).get_enums():  # type: ignore[attr-defined]
            if e.get("visible", True):
                enums[e["name"]] = list(e["labels"])
    return {
        "dialect": dialect,
        "tables": tables,
        "views": sorted(insp.get_view_names()),
        "enums": enums,
    }


# ---------------------------------------------------------------------------------------------
# Differences

#: Every aspect a difference can have.
ASPECTS = (
    "missing_tables",  # a table of A is not in B
    "missing_partitions",  # a partition (or inheriting table) of A is not in B, its parent is
    "extra_tables",  # B has a table A has not
    "columns",  # a column of A missing in B, or an extra column in B
    "nullable",
    "primary_key",  # the primary key's column set
    "foreign_keys",  # a foreign key (columns -> referred table/columns) missing or extra
    "column_order",
    "types",
    "defaults",  # default values and MySQL's ON UPDATE
    "autoincrement",  # identity / sequence / AUTO_INCREMENT / rowid
    "generated",  # generated (computed) columns
    "primary_key_order",
    "fk_actions",  # ON DELETE / ON UPDATE
    "dangling_foreign_keys",  # a foreign key of A to a table A has not, missing in B
    "unique",  # a set of columns unique in A but not in B, or the reverse
    "unique_form",  # unique through a constraint in one, through a unique index in the other
    "checks",
    "indexes",
    "names",  # names of constraints and indexes, case of table and column names
    "views",
    "enums",
    "partitions",
)

#: What the round-trip test asserts: the structure of the data.
STRUCTURE = frozenset(
    {"missing_tables", "columns", "nullable", "primary_key", "foreign_keys"}
)


@dataclass(frozen=True)
class Difference:
    aspect: str
    table: str | None
    text: str


def _fold(dialect_a: str, dialect_b: str) -> Any:
    """The name key: exact on PostgreSQL, case-insensitive elsewhere (MySQL columns and SQLite
    names are case-insensitive; MySQL table names depend on lower_case_table_names)."""
    if dialect_a == dialect_b == "postgresql":
        return lambda name: name
    return lambda name: name.lower() if isinstance(name, str) else name


def _fmt(columns: Iterable[str]) -> str:
    return "(" + ", ".join(columns) + ")"


def _match(
    items_a: list[dict[str, Any]],
    items_b: list[dict[str, Any]],
    signature: Any,
    fold: Any,
) -> tuple[
    list[tuple[dict[str, Any], dict[str, Any]]],
    list[dict[str, Any]],
    list[dict[str, Any]],
]:
    """Pairs items with equal signatures, then items with equal names; returns (pairs, only in
    A, only in B)."""
    left = list(items_a)
    right = list(items_b)
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for key in (
        signature,
        lambda item: fold(item.get("name")) if item.get("name") else None,
    ):
        for a in list(left):
            ka = key(a)
            if ka is None:
                continue
            for b in right:
                if key(b) == ka:
                    pairs.append((a, b))
                    left.remove(a)
                    right.remove(b)
                    break
    return pairs, left, right


def differences(a: Catalog, b: Catalog) -> list[Difference]:
    """Every difference between catalog A (the original) and catalog B (the copy)."""
    fold = _fold(a["dialect"], b["dialect"])
    out: list[Difference] = []

    def add(aspect: str, table: str | None, text: str) -> None:
        out.append(Difference(aspect, table, text))

    tables_b = {fold(n): n for n in b["tables"]}
    seen_b: set[str] = set()
    for name_a, ta in a["tables"].items():
        key = fold(name_a)
        if key not in tables_b:
            parent = ta.get("partition_of")
            if parent and fold(parent) in tables_b:
                # The schema language has no partitions: the parent stands for them.
                add(
                    "missing_partitions",
                    name_a,
                    f"missing table {name_a} (a partition of {parent})",
                )
            else:
                add("missing_tables", name_a, f"missing table {name_a}")
            continue
        name_b = tables_b[key]
        seen_b.add(key)
        tb = b["tables"][name_b]
        if name_a != name_b:
            add("names", name_a, f"table {name_a}: named {name_b} in B")
        _table_differences(name_a, ta, tb, {fold(n) for n in a["tables"]}, fold, add)
    for key, name_b in tables_b.items():
        if key not in seen_b:
            add("extra_tables", name_b, f"extra table {name_b}")

    views_b = {fold(v) for v in b["views"]}
    views_a = {fold(v) for v in a["views"]}
    for v in a["views"]:
        if fold(v) not in views_b:
            add("views", None, f"missing view {v}")
    for v in b["views"]:
        if fold(v) not in views_a:
            add("views", None, f"extra view {v}")

    for name, labels in a["enums"].items():
        if name not in b["enums"]:
            match = [n for n, lb in b["enums"].items() if lb == labels]
            add(
                "enums",
                None,
                f"missing enum type {name}{f' (B has {match[0]})' if match else ''}",
            )
        elif b["enums"][name] != labels:
            add(
                "enums",
                None,
                f"enum type {name}: labels {labels} != {b['enums'][name]}",
            )
    for name in b["enums"]:
        if name not in a["enums"]:
            add("enums", None, f"extra enum type {name}")
    return out


def _table_differences(
    t: str,
    ta: dict[str, Any],
    tb: dict[str, Any],
    tables_a: set[str],
    fold: Any,
    add: Any,
) -> None:
    # Columns
    cols_b = {fold(c): c for c in tb["columns"]}
    order_a = [fold(c) for c in ta["columns"] if fold(c) in cols_b]
    order_b = [
        fold(c) for c in tb["columns"] if fold(c) in {fold(x) for x in ta["columns"]}
    ]
    for ca, info_a in ta["columns"].items():
        if fold(ca) not in cols_b:
            add("columns", t, f"table {t}: missing column {ca}")
            continue
        cb = cols_b[fold(ca)]
        info_b = tb["columns"][cb]
        where = f"table {t}: column {ca}"
        if ca != cb:
            add("names", t, f"{where}: named {cb} in B")
        if info_a["nullable"] != info_b["nullable"]:
            add(
                "nullable",
                t,
                f"{where}: nullable {info_a['nullable']} != {info_b['nullable']}",
            )
        if info_a["type"] != info_b["type"]:
            add("types", t, f"{where}: type {info_a['type']} != {info_b['type']}")
        if info_a["default"] != info_b["default"]:
            add(
                "defaults",
                t,
                f"{where}: default {info_a['default']} != {info_b['default']}",
            )
        if info_a.get("on_update") != info_b.get("on_update"):
            add(
                "defaults",
                t,
                f"{where}: on update {info_a.get('on_update')} != {info_b.get('on_update')}",
            )
        if info_a["autoincrement"] != info_b["autoincrement"]:
            add(
                "autoincrement",
                t,
                f"{where}: autoincrement {info_a['autoincrement']} != {info_b['autoincrement']}",
            )
        if info_a["generated"] != info_b["generated"]:
            add(
                "generated",
                t,
                f"{where}: generated {info_a['generated']} != {info_b['generated']}",
            )
    cols_a = {fold(c) for c in ta["columns"]}
    for cb in tb["columns"]:
        if fold(cb) not in cols_a:
            add("columns", t, f"table {t}: extra column {cb}")
    if order_a != order_b:
        add("column_order", t, f"table {t}: column order differs")

    # Primary key
    pa, pb = ta["primary_key"], tb["primary_key"]
    if (pa is None) != (pb is None):
        add(
            "primary_key",
            t,
            f"table {t}: primary key {_fmt(pa['columns']) if pa else 'none'} != "
            f"{_fmt(pb['columns']) if pb else 'none'}",
        )
    elif pa and pb:
        ka, kb = [fold(c) for c in pa["columns"]], [fold(c) for c in pb["columns"]]
        if set(ka) != set(kb):
            add(
                "primary_key",
                t,
                f"table {t}: primary key {_fmt(pa['columns'])} != {_fmt(pb['columns'])}",
            )
        elif ka != kb:
            add(
                "primary_key_order",
                t,
                f"table {t}: primary key order {_fmt(pa['columns'])} != {_fmt(pb['columns'])}",
            )
        if pa["name"] != pb["name"]:
            add("names", t, f"table {t}: primary key name {pa['name']} != {pb['name']}")

    # Foreign keys
    def fk_signature(fk: dict[str, Any]) -> Any:
        pairs = sorted(
            zip(
                (fold(c) for c in fk["columns"]),
                (fold(c) for c in fk["referred_columns"]),
            )
        )
        return (tuple(pairs), fold(fk["referred_table"]))

    def fk_text(fk: dict[str, Any]) -> str:
        name = f" {fk['name']}" if fk.get("name") else ""
        return f"foreign key{name} {_fmt(fk['columns'])} -> {fk['referred_table']}{_fmt(fk['referred_columns'])}"

    pairs, only_a, only_b = _match(
        ta["foreign_keys"], tb["foreign_keys"], fk_signature, lambda n: None
    )
    for fk in only_a:
        if fold(fk["referred_table"]) not in tables_a:
            # MySQL with FOREIGN_KEY_CHECKS=0 and SQLite accept references to no table.
            add(
                "dangling_foreign_keys",
                t,
                f"table {t}: missing {fk_text(fk)} (no such table in A)",
            )
            continue
        add("foreign_keys", t, f"table {t}: missing {fk_text(fk)}")
    for fk in only_b:
        add("foreign_keys", t, f"table {t}: extra {fk_text(fk)}")
    for fa, fb in pairs:
        for action in ("ondelete", "onupdate"):
            if fa[action] != fb[action]:
                add(
                    "fk_actions",
                    t,
                    f"table {t}: {fk_text(fa)}: {action} {fa[action]} != {fb[action]}",
                )
        if fa["name"] != fb["name"]:
            add(
                "names",
                t,
                f"table {t}: {fk_text(fa)}: name {fa['name']} != {fb['name']}",
            )

    # Uniqueness: UNIQUE constraints and full unique indexes
    def uniques(table: dict[str, Any]) -> list[dict[str, Any]]:
        result = [
            {"name": u["name"], "columns": u["columns"], "form": "constraint"}
            for u in table["unique_constraints"]
        ]
        for ix in table["indexes"]:
            if (
                ix["unique"]
                and not ix["where"]
                and ix.get("kind") is None
                and all(re.fullmatch(r"[A-Za-z0-9_$]+", c) for c in ix["columns"])
            ):
                result.append(
                    {"name": ix["name"], "columns": ix["columns"], "form": "index"}
                )
        return result

    ua, ub = uniques(ta), uniques(tb)
    pairs, only_a, only_b = _match(
        ua, ub, lambda u: frozenset(fold(c) for c in u["columns"]), fold
    )
    for u in only_a:
        add(
            "unique",
            t,
            f"table {t}: missing unique {_fmt(u['columns'])} ({u['form']} {u['name']})",
        )
    for u in only_b:
        add(
            "unique",
            t,
            f"table {t}: extra unique {_fmt(u['columns'])} ({u['form']} {u['name']})",
        )
    for x, y in pairs:
        if frozenset(fold(c) for c in x["columns"]) != frozenset(
            fold(c) for c in y["columns"]
        ):
            add(
                "unique",
                t,
                f"table {t}: unique {x['name']}: {_fmt(x['columns'])} != {_fmt(y['columns'])}",
            )
        if x["form"] != y["form"]:
            add(
                "unique_form",
                t,
                f"table {t}: unique {_fmt(x['columns'])}: {x['form']} != {y['form']}",
            )
        if x["name"] != y["name"]:
            add(
                "names",
                t,
                f"table {t}: unique {_fmt(x['columns'])}: name {x['name']} != {y['name']}",
            )

    # Checks
    pairs, only_a, only_b = _match(
        ta["check_constraints"], tb["check_constraints"], lambda c: c["sqltext"], fold
    )
    for c in only_a:
        add("checks", t, f"table {t}: missing check {c['name']}: {c['sqltext']}")
    for c in only_b:
        add("checks", t, f"table {t}: extra check {c['name']}: {c['sqltext']}")
    for x, y in pairs:
        if x["sqltext"] != y["sqltext"]:
            add(
                "checks",
                t,
                f"table {t}: check {x['name']}: {x['sqltext']} != {y['sqltext']}",
            )
        elif x["name"] != y["name"]:
            add(
                "names",
                t,
                f"table {t}: check {x['sqltext']}: name {x['name']} != {y['name']}",
            )

    # Other indexes
    unique_names_a = {u["name"] for u in ua if u["form"] == "index"}
    unique_names_b = {u["name"] for u in ub if u["form"] == "index"}
    ia = [i for i in ta["indexes"] if i["name"] not in unique_names_a]
    ib = [i for i in tb["indexes"] if i["name"] not in unique_names_b]

    def ix_signature(ix: dict[str, Any]) -> Any:
        return (
            tuple(fold(c) for c in ix["columns"]),
            ix["unique"],
            ix["where"],
            ix.get("using"),
            ix.get("kind"),
            tuple(fold(c) for c in ix.get("include", [])),
        )

    def ix_text(ix: dict[str, Any]) -> str:
        parts = [
            (
                f"{'unique ' if ix['unique'] else ''}{(ix.get('kind') or '').lower() + ' ' if ix.get('kind') else ''}"
                f"index {ix['name']} {_fmt(ix['columns'])}"
            )
        ]
        if ix.get("using"):
            parts.append(f"using {ix['using']}")
        if ix.get("include"):
            parts.append(f"include {_fmt(ix['include'])}")
        if ix["where"]:
            parts.append(f"where {ix['where']}")
        return " ".join(parts)

    pairs, only_a, only_b = _match(ia, ib, ix_signature, fold)
    for ix in only_a:
        add("indexes", t, f"table {t}: missing {ix_text(ix)}")
    for ix in only_b:
        add("indexes", t, f"table {t}: extra {ix_text(ix)}")
    for x, y in pairs:
        if ix_signature(x) != ix_signature(y):
            add("indexes", t, f"table {t}: {ix_text(x)} != {ix_text(y)}")
        elif x["name"] != y["name"]:
            add(
                "names",
                t,
                f"table {t}: index {_fmt(x['columns'])}: name {x['name']} != {y['name']}",
            )

    if ta.get("partition_of") != tb.get("partition_of"):
        add(
            "partitions",
            t,
            f"table {t}: partition of {ta.get('partition_of')} != {tb.get('partition_of')}",
        )


def diff(a: Catalog, b: Catalog, aspects: Iterable[str] | None = None) -> list[str]:
    """The differences between catalogs A and B as sentences, optionally only those of some
    aspects (`ASPECTS`, e.g. `STRUCTURE`). Two snapshots of the same database give []."""
    wanted = None if aspects is None else set(aspects)
    if wanted is not None and (unknown := wanted - set(ASPECTS)):
        raise ValueError(f"unknown aspects: {sorted(unknown)}")
    return [d.text for d in differences(a, b) if wanted is None or d.aspect in wanted]
