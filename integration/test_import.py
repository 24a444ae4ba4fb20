"""`schemaforge import SOURCE.sql`: real-world DDL files become Schemaforge schemas.

- every SQL file of the corpus (integration/corpus/, and the shared corpus when it is there:
  $SCHEMAFORGE_CORPUS, default /work/shared/corpus) imports with `--dialect <its folder>`, the
  schema validates, `schemaforge sql` generates DDL for that dialect, and there is an entity;
- the dialect is detected: importing without --dialect gives the same YAML as with it;
- round trip on a real server of the file's own dialect (integration/corpus/ only): the file is
  loaded into database A with the dialect's own client (psql, mariadb, sqlite3; errors of
  statements the server cannot run are tolerated, but A must get tables), the imported schema's
  DDL is executed on database B (every statement must succeed, except those about a table A
  could not create either), and the two catalogs (import_catalog.py) must have the same tables,
  columns, nullability, primary keys and foreign keys (partitions, whose parent stands for
  them, and foreign keys to no table are reported only). Every other difference (types,
  defaults, checks, indexes, names, ...) is written to integration/.import-roundtrip/
  <dialect>/<file>.txt, not asserted (yet);
- import_catalog.py's normalization and diff, on tiny schemas.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from conftest import (
    DIALECTS,
    INTEGRATION_DIR,
    REPO_ROOT,
    Database,
    Diagnostic,
    Schemaforge,
    parse_diagnostics,
    split_sql,
)
from import_catalog import (
    STRUCTURE,
    catalog,
    diff,
    differences,
    normalize_default,
    normalize_expression,
    normalize_type,
)

CORPUS_DIR = INTEGRATION_DIR / "corpus"
SHARED_CORPUS_DIR = Path(os.environ.get("SCHEMAFORGE_CORPUS", "/work/shared/corpus"))
ROUNDTRIP_DIR = INTEGRATION_DIR / ".import-roundtrip"
#: Longest a client may take to load one corpus file, or the CLI to import one.
TIMEOUT = 60


def corpus_files(root: Path) -> list[Path]:
    """The SQL files of a corpus: <root>/<dialect>/*.sql."""
    return [p for d in DIALECTS for p in sorted((root / d).glob("*.sql"))]


REPO_FILES = corpus_files(CORPUS_DIR)
SHARED_FILES = corpus_files(SHARED_CORPUS_DIR) if SHARED_CORPUS_DIR.is_dir() else []


def dialect_of(path: Path) -> str:
    return path.parent.name


def file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def repo_params() -> list[Any]:
    return [pytest.param(p, id=file_id(p)) for p in REPO_FILES]


def all_params() -> list[Any]:
    params = [pytest.param(p, id=f"repo:{file_id(p)}") for p in REPO_FILES]
    params += [pytest.param(p, id=f"shared:{file_id(p)}") for p in SHARED_FILES]
    return params


def test_corpus_is_there() -> None:
    assert {dialect_of(p) for p in REPO_FILES} == set(DIALECTS), (
        f"integration/corpus/ should hold SQL files of every dialect: {REPO_FILES}"
    )


# ---------------------------------------------------------------------------------------------
# Importing


@dataclass(frozen=True)
class Imported:
    source: Path
    dialect: str | None  # --dialect, None: detected
    out: Path
    proc: subprocess.CompletedProcess[str]

    @property
    def command(self) -> str:
        flag = f" --dialect {self.dialect}" if self.dialect else ""
        return f"schemaforge import {self.source}{flag} --out {self.out}"

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return parse_diagnostics(self.proc.stderr)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def text(self) -> str:
        return self.out.read_text() if self.out.exists() else ""

    @property
    def schema(self) -> dict[str, Any]:
        doc = yaml.safe_load(self.text)
        assert isinstance(doc, dict), (
            f"{self.command}: the output is not a YAML mapping"
        )
        return doc

    @property
    def entities(self) -> dict[str, Any]:
        return self.schema.get("entities") or {}

    @property
    def relation_count(self) -> int:
        return sum(
            len((e or {}).get("relations") or {}) for e in self.entities.values()
        )

    def check(self) -> Imported:
        """Asserts that the import succeeded and wrote a schema."""
        assert self.proc.returncode == 0, (
            f"{self.command} exited {self.proc.returncode}\nstderr:\n{self.proc.stderr[-6000:]}"
        )
        errors = [d for d in self.diagnostics if d.severity == "error"]
        assert not errors, f"{self.command} exited 0 but reported errors: {errors[:20]}"
        assert self.out.exists(), f"{self.command} exited 0 but wrote no {self.out}"
        return self


class Importer:
    """Runs `schemaforge import` once per (file, --dialect) in the session."""

    def __init__(self, schemaforge: Schemaforge, work: Path) -> None:
        self.schemaforge = schemaforge
        self.work = work
        self.cache: dict[tuple[Path, str | None], Imported] = {}

    def run(self, source: Path, dialect: str | None) -> Imported:
        key = (source, dialect)
        if key not in self.cache:
            out = (
                self.work
                / f"{len(self.cache):03d}-{source.stem}-{dialect or 'detected'}.yaml"
            )
            args: list[str | Path] = ["import", source, "--out", out]
            if dialect:
                args += ["--dialect", dialect]
            proc = self.schemaforge.run(*args, check=False)
            self.cache[key] = Imported(source, dialect, out, proc)
        return self.cache[key]


@pytest.fixture(scope="session")
def importer(
    schemaforge: Schemaforge, tmp_path_factory: pytest.TempPathFactory
) -> Importer:
    return Importer(schemaforge, tmp_path_factory.mktemp("import"))


@pytest.mark.parametrize("source", all_params())
def test_every_corpus_file_imports(
    importer: Importer, schemaforge: Schemaforge, source: Path
) -> None:
    dialect = dialect_of(source)
    imported = importer.run(source, dialect).check()
    assert imported.entities, (
        f"{imported.command}: no entity in the schema:\n{imported.text[:2000]}"
    )
    validate = schemaforge.run("validate", imported.out, check=False)
    errors = [d for d in parse_diagnostics(validate.stderr) if d.severity == "error"]
    assert validate.returncode == 0 and not errors, (
        f"schemaforge validate {imported.out} (imported from {file_id(source)}) exited "
        f"{validate.returncode}:\n{validate.stderr[-6000:]}"
    )
    ddl = schemaforge.sql(imported.out, dialect)
    assert re.search(r"(?i)\bCREATE TABLE\b", ddl.sql), (
        f"schemaforge sql --dialect {dialect}: no CREATE TABLE"
    )


def summary_dialect(stderr: str) -> str | None:
    """The dialect the summary line names in its last parentheses (`... (MySQL/MariaDB)` ->
    mysql), None if no line ends with a dialect in parentheses: the wording is not a contract."""
    for line in stderr.splitlines():
        m = re.search(r"\(([^()]*)\)\s*$", line)
        if not m or parse_diagnostics(line):
            continue
        text = m[1].lower()
        for keyword, dialect in (
            ("postgres", "postgresql"),
            ("maria", "mysql"),
            ("mysql", "mysql"),
            ("sqlite", "sqlite"),
        ):
            if keyword in text:
                return dialect
    return None


@pytest.mark.parametrize("source", repo_params())
def test_dialect_is_detected(importer: Importer, source: Path) -> None:
    dialect = dialect_of(source)
    given = importer.run(source, dialect).check()
    detected = importer.run(source, None).check()
    named = summary_dialect(detected.proc.stderr)
    assert named in (None, dialect), (
        f"{detected.command}: the summary names {named}, the file is {dialect}"
    )
    assert detected.text == given.text, (
        f"importing {file_id(source)} without --dialect gives another schema than with "
        f"--dialect {dialect}: the dialect was not detected as {dialect}"
    )


# ---------------------------------------------------------------------------------------------
# Loading a file with the dialect's own client


@dataclass
class Loaded:
    errors: list[str]
    seconds: float


def _client(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
        for candidate in sorted(
            Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True
        ):
            return str(candidate)
    pytest.fail(
        f"none of {names} is installed (the round-trip test loads the corpus with it)"
    )


def _run_client(
    cmd: list[str], env: dict[str, str] | None = None, stdin: str | None = None
) -> str:
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, **(env or {})},
            check=False,
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{Path(cmd[0]).name} took more than {TIMEOUT}s: {' '.join(cmd)}")
    return proc.stderr


#: MySQL statements that would leave the fresh database (sakila's `USE sakila`) or need files
#: the corpus lacks (employees' `source load_*.dump`): made comments before loading.
_MYSQL_ELSEWHERE = re.compile(
    r"(?im)^[ \t]*(?:USE\s+\S+|(?:CREATE|DROP)\s+(?:DATABASE|SCHEMA)\b[^;\n]*|source\s+[^;\n]*)[ \t]*;?"
)


def mysql_script_for(path: Path) -> str:
    text = path.read_bytes().decode("utf-8")
    return _MYSQL_ELSEWHERE.sub(lambda m: "-- (test_import.py) " + m[0], text)


#: PostgreSQL 18's virtual generated columns (pagila's film.length_hours): older servers reject
#: the whole CREATE TABLE, and every statement about the table after it fails too.
_PG_VIRTUAL = re.compile(r"(?im)(\bGENERATED\s+ALWAYS\s+AS\s*\(.*\))\s+VIRTUAL\b")
#: PostgreSQL 18's uuidv7() (pagila's defaults). pg_dump's empty search_path finds only
#: pg_catalog's functions: the copy calls public.uuidv7(), which the loader creates.
_PG_UUIDV7 = re.compile(r"(?<![\w.\"])uuidv7\(\)")
_PG_UUIDV7_SHIM = "CREATE FUNCTION public.uuidv7() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()'"


#: `CREATE EXTENSION [IF NOT EXISTS] name`: database setup that a schema does not describe (the
#: import warns about each one); B gets the extensions the source created before its tables.
_PG_EXTENSION = re.compile(
    r"^\s*CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(\"?[\w-]+\"?)",
    re.IGNORECASE | re.MULTILINE,
)
_PG_AVAILABLE_EXTENSIONS = "SELECT name FROM pg_available_extensions"


def postgresql_extensions(db: Database, source: str) -> None:
    """The extensions `source` creates that the server has, created in `db`."""
    available = {row[0] for row in db.rows(_PG_AVAILABLE_EXTENSIONS)}
    for match in _PG_EXTENSION.finditer(source):
        name = match.group(1).strip('"')
        if name in available:
            with db.engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{name}"')


def postgresql_shims(db: Database, script: str) -> None:
    """Before PostgreSQL 18: the functions of 18 that `script` calls (uuidv7) are made in `db`."""
    if int(db.scalar("SHOW server_version_num")) < 180000 and "uuidv7()" in script:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(_PG_UUIDV7_SHIM)


def postgresql_script_for(path: Path, db: Database, work: Path) -> Path:
    """The file psql runs: `path` itself, or, on servers before 18, a copy (same lines) whose
    PostgreSQL 18 constructs older servers lack are replaced: virtual generated columns become
    stored ones, uuidv7() a function of the same name made in `db` (random UUIDs)."""
    text = path.read_bytes().decode("utf-8")
    if int(db.scalar("SHOW server_version_num")) >= 180000:
        return path
    changed = _PG_VIRTUAL.sub(r"\1 STORED", text)
    if _PG_UUIDV7.search(changed):
        changed = _PG_UUIDV7.sub("public.uuidv7()", changed)
        postgresql_shims(db, text)
    if changed == text:
        return path
    copy = work / path.name
    copy.write_bytes(changed.encode("utf-8"))
    return copy


def load(db: Database, path: Path, work: Path) -> Loaded:
    """Loads a corpus file into `db` with the dialect's CLI client, going on after errors
    (statements that need a role, an extension or a file the server lacks); returns the
    errors the client reported. `work`: a directory for a changed copy of the file."""
    start = time.monotonic()
    url = db.engine.url
    if db.dialect == "postgresql":
        script = postgresql_script_for(path, db, work)
        cmd = [
            _client("psql"),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=0",
            "-o",
            os.devnull,
            "-f",
            str(script),
        ]
        cmd += [
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
        ]
        cmd += ["-d", str(url.database)]
        stderr = _run_client(
            cmd, env={"PGPASSWORD": url.password or "", "PGCONNECT_TIMEOUT": "10"}
        )
        stderr = stderr.replace(str(script), str(path))
        errors = [
            line
            for line in stderr.splitlines()
            if re.search(r"\b(ERROR|FATAL):|invalid command", line)
        ]
    elif db.dialect == "mysql":
        cmd = [
            _client("mariadb", "mysql"),
            "--no-defaults",
            "--force",
            "--default-character-set=utf8mb4",
        ]
        cmd += [
            "-h",
            url.host or "127.0.0.1",
            "-P",
            str(url.port or 3306),
            "-u",
            url.username or "root",
        ]
        if url.password:
            cmd.append(f"--password={url.password}")
        cmd.append(f"--database={url.database}")
        stderr = _run_client(cmd, stdin=mysql_script_for(path))
        errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    elif shutil.which("sqlite3"):
        cmd = [_client("sqlite3"), "-batch", str(url.database)]
        stderr = _run_client(cmd, stdin=path.read_bytes().decode("utf-8"))
        errors = [line for line in stderr.splitlines() if line.strip()]
    else:
        errors = sqlite_load_without_client(Path(str(url.database)), path)
    return Loaded(errors, time.monotonic() - start)


def sqlite_load_without_client(database: Path, path: Path) -> list[str]:
    """What `sqlite3 DB < FILE` does, where the sqlite3 shell is not installed: each complete
    statement (sqlite3.complete_statement, as the shell decides) runs, errors are collected."""
    errors = []
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        buffer, first_line = "", 1
        for number, line in enumerate(path.read_text().splitlines(keepends=True), 1):
            if not buffer.strip():
                buffer, first_line = "", number
            buffer += line
            if sqlite3.complete_statement(buffer):
                try:
                    conn.execute(buffer)
                except sqlite3.Error as exc:
                    errors.append(f"Error near line {first_line}: {exc}")
                buffer = ""
    finally:
        conn.close()
    return errors


def execute_each(db: Database, sql: str) -> list[tuple[str, str]]:
    """Executes every statement of a generated script in autocommit mode, going on after a
    failure; returns the failures as (statement, error)."""
    failures: list[tuple[str, str]] = []
    raw = db.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        if db.dialect == "postgresql":
            driver.autocommit = True
        elif db.dialect == "mysql":
            driver.autocommit(True)
        else:
            driver.isolation_level = None
        cursor = raw.cursor()
        for statement in split_sql(sql, backslash_escapes=db.dialect == "mysql"):
            try:
                cursor.execute(statement)
            except Exception as exc:  # noqa: BLE001 - collected, judged by the caller
                message = " ".join(str(exc).split())
                failures.append((statement, f"{type(exc).__name__}: {message}"))
        cursor.close()
    finally:
        raw.close()
    return failures


_STATEMENT_TABLES = re.compile(
    r"(?i)\b(?:CREATE\s+(?:TEMPORARY\s+)?TABLE(?:\s+IF\s+NOT\s+EXISTS)?|ALTER\s+TABLE(?:\s+ONLY)?"
    r"|CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?[`\"\[]?[\w$]+[`\"\]]?"
    r"\s+ON(?:\s+ONLY)?|REFERENCES|INSERT\s+INTO|COMMENT\s+ON\s+TABLE)\s+"
    r"((?:[`\"\[]?[\w$]+[`\"\]]?\.)?[`\"\[]?[\w$]+[`\"\]]?)"
)


def one_line(statement: str) -> str:
    """A statement on one line, without its leading comment lines."""
    code = re.sub(r"^(?:\s*--[^\n]*\n)+", "", statement)
    return " ".join(code.split())


def statement_tables(statement: str) -> set[str]:
    """The tables a DDL statement creates, alters, indexes or refers to (lower case, unquoted)."""
    names = set()
    for m in _STATEMENT_TABLES.finditer(statement):
        name = re.sub(r'[`"\[\]]', "", m[1]).split(".")[-1]
        names.add(name.lower())
    return names


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("source", repo_params())
def test_round_trip(
    fresh_db: Any,
    importer: Importer,
    schemaforge: Schemaforge,
    source: Path,
    tmp_path: Path,
) -> None:
    dialect = dialect_of(source)
    start = time.monotonic()
    a: Database = fresh_db(dialect)
    loaded = load(a, source, tmp_path)
    original = catalog(a.engine, dialect)
    assert original["tables"], (
        f"loading {file_id(source)} into {dialect} created no table; the client's errors:\n"
        + "\n".join(loaded.errors[:40])
    )

    imported = importer.run(source, dialect).check()
    ddl = schemaforge.sql(imported.out, dialect)
    b: Database = fresh_db(dialect)
    # A statement of B may fail where A's failed too: a table A could not create either (an
    # extension the server lacks) is excused; any other failure is asserted below.
    tables_a = {name.lower() for name in original["tables"]}
    if dialect == "postgresql":
        postgresql_extensions(b, source.read_text(encoding="utf-8", errors="replace"))
        postgresql_shims(b, ddl.sql)
    failed_b = execute_each(b, ddl.sql)
    source_text = source.read_text(encoding="utf-8", errors="replace").lower()

    def excusable(statement: str, error: str) -> bool:
        # A table A could not create either; or an extension the dump creates too, which this
        # server does not have (its own CREATE EXTENSION failed in A for the same reason).
        words = " ".join(line for line in statement.lower().splitlines() if not line.strip().startswith("--")).split()
        if words[:5] == ["create", "extension", "if", "not", "exists"] and "is not available" in error:
            return f"create extension if not exists {words[5]}" in source_text
        return bool(statement_tables(statement) - tables_a)

    excused = [(st, err) for st, err in failed_b if excusable(st, err)]
    failed = [(st, err) for st, err in failed_b if not excusable(st, err)]
    copy = catalog(b.engine, dialect)

    found = differences(original, copy)
    asserted = [d.text for d in found if d.aspect in STRUCTURE]
    reported = [d for d in found if d.aspect not in STRUCTURE]
    by_aspect = Counter(d.aspect for d in reported)
    seconds = time.monotonic() - start

    report = ROUNDTRIP_DIR / dialect / f"{source.name}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Round trip of integration/corpus/{file_id(source)} on {dialect} ({seconds:.1f}s)",
        "",
        (
            f"A: the file loaded with the {dialect} client: {len(original['tables'])} tables, "
            f"{len(original['views'])} views; {len(loaded.errors)} client errors ({loaded.seconds:.1f}s)"
        ),
        *(f"    {e}" for e in loaded.errors),
        "",
        (
            f"import: {len(imported.entities)} entities, {imported.relation_count} relations, "
            f"{len(imported.warnings)} warnings"
        ),
        *(f"    {w.line}:{w.column}: {w.message}" for w in imported.warnings),
        "",
        (
            f"B: `schemaforge sql --dialect {dialect}` of the import: {len(copy['tables'])} tables; "
            f"{len(failed)} statements failed, {len(excused)} more about tables A has not either"
        ),
        *(f"    FAILED {err}\n        {one_line(st)[:400]}" for st, err in failed),
        *(f"    excused {err}\n        {one_line(st)[:400]}" for st, err in excused),
        "",
        f"Structural differences (asserted): {len(asserted)}",
        *(f"    {t}" for t in asserted),
        "",
        f"Other differences (reported only): {len(reported)}",
        *(f"    {aspect}: {n}" for aspect, n in sorted(by_aspect.items())),
        "",
        *(f"[{d.aspect}] {d.text}" for d in reported),
        "",
    ]
    report.write_text("\n".join(lines))
    print(
        f"{file_id(source)}: {len(original['tables'])} tables, {len(loaded.errors)} load errors, "
        f"{len(failed)} failed DDL statements, {len(asserted)} structural + {len(reported)} other differences "
        f"({', '.join(f'{k} {v}' for k, v in by_aspect.most_common())}) -> "
        f"{report.relative_to(REPO_ROOT)}"
    )
    problems = [
        f"B: {err}\n      {one_line(st)[:300]}" for st, err in failed[:15]
    ] + asserted[:60]
    assert not failed and not asserted, (
        f"{file_id(source)}: the imported schema's {dialect} DDL does not recreate the original "
        f"structure: {len(failed)} statements failed, {len(asserted)} structural differences "
        f"(see {report.relative_to(REPO_ROOT)}):\n  " + "\n  ".join(problems)
    )


# ---------------------------------------------------------------------------------------------
# import_catalog.py on tiny schemas

TINY: dict[str, str] = {
    "postgresql": """
        CREATE TYPE mood AS ENUM ('happy', 'sad');
        CREATE TABLE author (
            author_id serial PRIMARY KEY,
            name character varying(40) NOT NULL,
            email varchar(200) UNIQUE,
            mood mood DEFAULT 'happy'::mood,
            created timestamp without time zone DEFAULT now() NOT NULL
        );
        CREATE TABLE book (
            id integer GENERATED BY DEFAULT AS IDENTITY,
            author_id int4 NOT NULL REFERENCES author (author_id) ON DELETE CASCADE,
            title text NOT NULL,
            price numeric(6,2) DEFAULT 0.00 CONSTRAINT price_positive CHECK (price >= 0),
            CONSTRAINT book_pkey PRIMARY KEY (id)
        );
        CREATE INDEX book_title_lower ON book (lower(title));
        CREATE INDEX book_author ON book (author_id) WHERE price > 0;
        CREATE VIEW cheap AS SELECT * FROM book WHERE price < 5;
    """,
    "mysql": """
        CREATE TABLE author (
            author_id int(11) NOT NULL AUTO_INCREMENT PRIMARY KEY,
            name varchar(40) NOT NULL,
            email varchar(200) UNIQUE,
            mood enum('happy','sad') DEFAULT 'happy',
            created timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp()
        ) ENGINE=InnoDB;
        CREATE TABLE book (
            id int NOT NULL AUTO_INCREMENT,
            author_id int(11) NOT NULL,
            title varchar(100) NOT NULL,
            price decimal(6,2) DEFAULT 0.00,
            PRIMARY KEY (id),
            CONSTRAINT price_positive CHECK (price >= 0),
            KEY book_author (author_id),
            CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (author_id) ON DELETE CASCADE
        ) ENGINE=InnoDB;
        CREATE VIEW cheap AS SELECT * FROM book WHERE price < 5;
    """,
    "sqlite": """
        CREATE TABLE author (
            author_id INTEGER PRIMARY KEY AUTOINCREMENT,
            name VARCHAR(40) NOT NULL,
            email VARCHAR(200) UNIQUE,
            created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE TABLE book (
            id INTEGER PRIMARY KEY,
            author_id INT NOT NULL REFERENCES author ON DELETE CASCADE,
            title TEXT NOT NULL,
            price NUMERIC(6,2) DEFAULT 0.00 CONSTRAINT price_positive CHECK (price >= 0)
        );
        CREATE INDEX book_title_lower ON book (lower(title));
        CREATE INDEX book_author ON book (author_id) WHERE price > 0;
        CREATE VIEW cheap AS SELECT * FROM book WHERE price < 5;
    """,
}

#: What the copy changes, and the differences diff() must find (A = TINY, B = TINY changed).
CHANGES: dict[str, list[tuple[str, str]]] = {
    "postgresql": [
        ("name character varying(40) NOT NULL", "name character varying(50)"),
        ("ON DELETE CASCADE", ""),
        ("CREATE INDEX book_title_lower", "CREATE INDEX book_title_lower2"),
        (
            "CONSTRAINT book_pkey PRIMARY KEY (id)",
            "CONSTRAINT book_pkey PRIMARY KEY (id, author_id)",
        ),
    ],
    "mysql": [
        ("name varchar(40) NOT NULL", "name varchar(50)"),
        ("ON DELETE CASCADE", ""),
        ("KEY book_author (author_id)", "KEY book_author2 (author_id)"),
        ("PRIMARY KEY (id),", "PRIMARY KEY (id, author_id),"),
    ],
    "sqlite": [
        ("name VARCHAR(40) NOT NULL", "name VARCHAR(50)"),
        ("ON DELETE CASCADE", ""),
        ("CREATE INDEX book_title_lower", "CREATE INDEX book_title_lower2"),
        ("id INTEGER PRIMARY KEY,", "id INTEGER,"),
        (
            "CHECK (price >= 0)\n",
            "CHECK (price >= 0),\n            PRIMARY KEY (id, author_id)\n",
        ),
    ],
}

EXPECTED_CHANGES: dict[str, set[str]] = {
    "postgresql": {
        "table author: column name: nullable False != True",
        "table author: column name: type VARCHAR(40) != VARCHAR(50)",
        "table book: foreign key book_author_id_fkey (author_id) -> author(author_id): ondelete CASCADE != None",
        "table book: index (lower(title)): name book_title_lower != book_title_lower2",
        "table book: primary key (id) != (id, author_id)",
    },
    "mysql": {
        "table author: column name: nullable False != True",
        "table author: column name: type VARCHAR(40) != VARCHAR(50)",
        "table book: foreign key fk_book_author (author_id) -> author(author_id): ondelete CASCADE != None",
        "table book: index (author_id): name book_author != book_author2",
        "table book: primary key (id) != (id, author_id)",
    },
    "sqlite": {
        "table author: column name: nullable False != True",
        "table author: column name: type VARCHAR(40) != VARCHAR(50)",
        "table book: foreign key (author_id) -> author(author_id): ondelete CASCADE != None",
        "table book: index (lower(title)): name book_title_lower != book_title_lower2",
        "table book: primary key (id) != (id, author_id)",
        "table book: column id: autoincrement rowid != None",
        "table book: column id: nullable False != True",  # a rowid is never NULL, id now is
    },
}


@pytest.fixture(params=DIALECTS)
def tiny(
    request: pytest.FixtureRequest, fresh_db: Any
) -> Iterator[tuple[str, Database, Database]]:
    """The tiny schema on a fresh database, and its changed copy on another."""
    dialect: str = request.param
    original, changed = fresh_db(dialect), fresh_db(dialect)
    changed_ddl = TINY[dialect]
    for old, new in CHANGES[dialect]:
        assert old in changed_ddl, old
        changed_ddl = changed_ddl.replace(old, new)
    for db, script in ((original, TINY[dialect]), (changed, changed_ddl)):
        with db.engine.begin() as conn:
            for statement in filter(str.strip, script.split(";")):
                conn.exec_driver_sql(statement)
    yield dialect, original, changed


def test_catalog_reads_the_tiny_schema(tiny: tuple[str, Database, Database]) -> None:
    dialect, db, _ = tiny
    snapshot = catalog(db.engine, dialect)
    assert sorted(snapshot["tables"]) == ["author", "book"]
    assert snapshot["views"] == ["cheap"]
    author, book = snapshot["tables"]["author"], snapshot["tables"]["book"]
    assert list(author["columns"])[:3] == ["author_id", "name", "email"]
    assert author["columns"]["name"] == {
        "type": "VARCHAR(40)",
        "nullable": False,
        "default": None,
        "autoincrement": None,
        "generated": None,
        "on_update": None,
    }
    assert (
        author["columns"]["author_id"]["autoincrement"]
        == {
            "postgresql": "sequence",
            "mysql": "auto_increment",
            "sqlite": "rowid autoincrement",
        }[dialect]
    )
    assert author["columns"]["created"]["default"] == "current_timestamp"
    assert [u["columns"] for u in author["unique_constraints"]] == [["email"]]
    assert book["primary_key"] is not None and book["primary_key"]["columns"] == ["id"]
    [fk] = book["foreign_keys"]
    assert (
        fk["columns"],
        fk["referred_table"],
        fk["referred_columns"],
        fk["ondelete"],
        fk["onupdate"],
    ) == (
        ["author_id"],
        "author",
        ["author_id"],
        "CASCADE",
        None,
    )
    assert book["columns"]["price"]["default"] == "0"
    assert [
        c["sqltext"] for c in book["check_constraints"] if c["name"] == "price_positive"
    ] == ["price>=0"]
    indexes = {i["name"]: i for i in book["indexes"]}
    assert indexes["book_author"]["columns"] == ["author_id"]
    if dialect == "mysql":
        assert author["columns"]["mood"]["type"] == "ENUM('happy','sad')"
        assert author["columns"]["author_id"]["type"] == "INTEGER"
        assert author["columns"]["created"]["on_update"] == "current_timestamp"
    else:
        assert indexes["book_title_lower"]["columns"] == ["lower(title)"]
        assert indexes["book_author"]["where"] == "price>0"
    if dialect == "postgresql":
        assert snapshot["enums"] == {"mood": ["happy", "sad"]}
        assert author["columns"]["mood"]["default"] == "'happy'"
        assert author["columns"]["created"]["type"] == "TIMESTAMP"
        assert book["columns"]["id"]["autoincrement"] == "identity"


def test_diff_of_a_database_with_itself_is_empty(
    tiny: tuple[str, Database, Database],
) -> None:
    dialect, db, _ = tiny
    assert diff(catalog(db.engine, dialect), catalog(db.engine, dialect)) == []
    with db.engine.connect() as conn:
        assert diff(catalog(conn, dialect), catalog(db.engine, dialect)) == []


def test_diff_of_two_databases_with_the_same_ddl_is_empty(
    tiny: tuple[str, Database, Database], fresh_db: Any
) -> None:
    dialect, db, _ = tiny
    other: Database = fresh_db(dialect)
    with other.engine.begin() as conn:
        for statement in filter(str.strip, TINY[dialect].split(";")):
            conn.exec_driver_sql(statement)
    assert diff(catalog(db.engine, dialect), catalog(other.engine, dialect)) == []


def test_diff_finds_the_changes(tiny: tuple[str, Database, Database]) -> None:
    dialect, original, changed = tiny
    a, b = catalog(original.engine, dialect), catalog(changed.engine, dialect)
    assert set(diff(a, b)) == EXPECTED_CHANGES[dialect]
    assert set(diff(a, b, STRUCTURE)) == {
        t
        for t in EXPECTED_CHANGES[dialect]
        if ": nullable " in t or ": primary key (" in t
    }
    # Tables missing and extra, columns missing and extra.
    b = {**b, "tables": {**b["tables"]}}
    del b["tables"]["author"]
    b["tables"]["Extra"] = a["tables"]["author"]
    book = dict(b["tables"]["book"])
    book["columns"] = {**book["columns"], "isbn": book["columns"]["title"]}
    del book["columns"]["title"]
    b["tables"]["book"] = book
    found = diff(a, b, STRUCTURE)
    assert "missing table author" in found
    assert "table book: missing column title" in found
    assert "table book: extra column isbn" in found
    assert "extra table Extra" in diff(a, b, {"extra_tables"})


@pytest.mark.parametrize(
    ("spelling", "normalized"),
    [
        ("int4", "INTEGER"),
        ("integer", "INTEGER"),
        ("int(11)", "INTEGER"),
        ("int(10) unsigned", "INTEGER UNSIGNED"),
        ("tinyint(1)", "TINYINT(1)"),
        ("tinyint(4)", "TINYINT"),
        ("smallint(5) unsigned", "SMALLINT UNSIGNED"),
        ("character varying(20)", "VARCHAR(20)"),
        ("VARCHAR( 20 )", "VARCHAR(20)"),
        ("varchar(45) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "VARCHAR(45)"),
        ("character(1)", "CHAR(1)"),
        ("bpchar", "CHAR"),
        ("timestamp without time zone", "TIMESTAMP"),
        ("TIMESTAMP", "TIMESTAMP"),
        ("timestamp(6) with time zone", "TIMESTAMPTZ(6)"),
        ("timestamptz", "TIMESTAMPTZ"),
        ("double precision", "DOUBLE"),
        ("numeric(5,2)", "NUMERIC(5,2)"),
        ("decimal(5, 2)", "NUMERIC(5,2)"),
        ("text[]", "TEXT[]"),
        ("year(4)", "YEAR"),
        ("enum('G','PG','PG-13')", "ENUM('G','PG','PG-13')"),
        ("set('Trailers', 'Commentaries')", "SET('Trailers','Commentaries')"),
        ("public.year", "YEAR"),
    ],
)
def test_normalize_type(spelling: str, normalized: str) -> None:
    assert normalize_type(spelling) == normalized


@pytest.mark.parametrize(
    ("spelling", "normalized"),
    [
        (None, None),
        ("NULL", None),
        ("NULL::character varying", None),
        ("'G'::mpaa_rating", "'G'"),
        ("'x'::character varying", "'x'"),
        ("('{}'::text[])", "'{}'"),
        ("now()", "current_timestamp"),
        ("CURRENT_TIMESTAMP", "current_timestamp"),
        ("current_timestamp()", "current_timestamp"),
        ("current_timestamp(6)", "current_timestamp(6)"),
        ("(0)", "0"),
        ("'0'", "0"),
        ("4.99", "4.99"),
        ("0.00", "0"),
        ("'2006-02-15 04:34:33'", "'2006-02-15 04:34:33'"),
        ("'It''s'::text", "'It''s'"),
        ("true", "true"),
        ("(('now'::text)::date)", "'now'"),
    ],
)
def test_normalize_default(spelling: str | None, normalized: str | None) -> None:
    assert normalize_default(spelling) == normalized


@pytest.mark.parametrize(
    ("spelling", "normalized"),
    [
        ("((price >= (0)::numeric))", "price>=0"),
        ('("Price" >= 0)', "price>=0"),
        (
            "release_year >= 1901 AND release_year <= 2155",
            "release_year>=1901 and release_year<=2155",
        ),
        (
            "(rating = ANY (ARRAY['G'::text, 'PG'::text]))",
            "rating=any(array['G','PG'])",
        ),
        ("lower((title)::text)", "lower(title)"),
    ],
)
def test_normalize_expression(spelling: str, normalized: str) -> None:
    assert normalize_expression(spelling) == normalized


def test_mysql_loading_stays_in_the_fresh_database() -> None:
    script = mysql_script_for(CORPUS_DIR / "mysql" / "sakila-schema.sql")
    assert not re.search(r"(?im)^\s*USE\s", script)
    assert not re.search(r"(?im)^\s*(CREATE|DROP)\s+(SCHEMA|DATABASE)\b", script)
    employees = mysql_script_for(CORPUS_DIR / "mysql" / "employees.sql")
    assert not re.search(r"(?im)^\s*source\s", employees)
    assert "CREATE TABLE employees" in employees


@pytest.mark.parametrize("dialect", DIALECTS)
def test_client_loading_and_run_script_give_the_same_catalog(
    fresh_db: Any, schemaforge: Schemaforge, tmp_path: Path, dialect: str
) -> None:
    """The round trip's two sides agree on a schema both can load: examples/blog.yaml's DDL,
    loaded with the client (A's way) and with Database.run_script (B's way)."""
    ddl = schemaforge.sql(REPO_ROOT / "examples" / "blog.yaml", dialect).sql
    script = tmp_path / dialect / "blog.sql"
    script.parent.mkdir()
    script.write_text(ddl)
    a: Database = fresh_db(dialect)
    loaded = load(a, script, tmp_path)
    assert loaded.errors == []
    b: Database = fresh_db(dialect)
    b.run_script(ddl)
    original, copy = catalog(a.engine, dialect), catalog(b.engine, dialect)
    assert len(original["tables"]) >= 5
    assert diff(original, copy) == []


def test_sqlite_loading_without_the_shell_matches_the_shell(tmp_path: Path) -> None:
    """The fallback for machines without the sqlite3 shell creates the same catalog."""
    if not shutil.which("sqlite3"):
        pytest.skip("the sqlite3 shell is not installed: nothing to compare with")
    for source in [p for p in REPO_FILES if dialect_of(p) == "sqlite"]:
        shell_db, python_db = (
            tmp_path / f"{source.stem}.shell",
            tmp_path / f"{source.stem}.py",
        )
        _run_client(
            [_client("sqlite3"), "-batch", str(shell_db)], stdin=source.read_text()
        )
        assert sqlite_load_without_client(python_db, source) == []
        shell_engine = sa.create_engine(f"sqlite:///{shell_db}")
        python_engine = sa.create_engine(f"sqlite:///{python_db}")
        try:
            expected = catalog(shell_engine, "sqlite")
            assert expected["tables"]
            assert diff(expected, catalog(python_engine, "sqlite")) == []
        finally:
            shell_engine.dispose()
            python_engine.dispose()


# ---------------------------------------------------------------------------------------------
# Prisma and DBML


def model_files(root: Path) -> list[Path]:
    """Prisma schemas (a file, or a folder of a multi-file schema) and DBML files of a corpus."""
    prisma = root / "prisma"
    found = sorted(prisma.glob("*.prisma")) + sorted(
        p for p in prisma.glob("*") if p.is_dir()
    )
    return found + sorted((root / "dbml").glob("*.dbml"))


def model_params() -> list[Any]:
    params = [
        pytest.param(p, id=f"repo:{p.parent.name}/{p.name}")
        for p in model_files(CORPUS_DIR)
    ]
    if SHARED_CORPUS_DIR.is_dir():
        params += [
            pytest.param(p, id=f"shared:{p.parent.name}/{p.name}")
            for p in model_files(SHARED_CORPUS_DIR)
        ]
    return params


def provider_of(source: Path) -> str:
    """The database a Prisma schema's datasource names (mysql, sqlite; PostgreSQL otherwise), or
    a DBML Project's database_type."""
    texts = [
        p.read_text()
        for p in ([source] if source.is_file() else sorted(source.glob("*.prisma")))
    ]
    text = "\n".join(texts).lower()
    m = re.search(r'provider\s*=\s*"(mysql|sqlite)"', text) or re.search(
        r"database_type:\s*'(mysql|sqlite)'", text
    )
    return m[1] if m else "postgresql"


@pytest.mark.parametrize("source", model_params())
def test_prisma_and_dbml_schemas_import_and_their_ddl_runs(
    importer: Importer, schemaforge: Schemaforge, fresh_db: Any, source: Path
) -> None:
    """Every Prisma and DBML schema imports, validates, and the DDL of the import runs, statement by
    statement, on a fresh database of the schema's own provider: the tables Prisma or dbml2sql
    would create, every one of them."""
    imported = importer.run(source, None).check()
    assert imported.entities, f"{imported.command}: no entity"
    validate = schemaforge.run("validate", imported.out, check=False)
    assert validate.returncode == 0, (
        f"schemaforge validate {imported.out}:\n{validate.stderr[-6000:]}"
    )
    dialect = provider_of(source)
    ddl = schemaforge.sql(imported.out, dialect)
    db: Database = fresh_db(dialect)
    failures = execute_each(db, ddl.sql)
    assert not failures, "\n".join(
        f"{err}\n    {one_line(st)[:300]}" for st, err in failures[:10]
    )
    tables = catalog(db.engine, dialect)["tables"]
    expected = {
        (e or {}).get("table") or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        for name, e in imported.entities.items()
    }
    assert len(tables) >= len(imported.entities), (
        f"{len(tables)} tables for {len(imported.entities)} entities: {sorted(expected - set(tables))[:10]}"
    )


# ---------------------------------------------------------------------------------------------
# Live databases


@pytest.mark.parametrize("source", repo_params())
def test_live_import_round_trips_the_database(
    fresh_db: Any,
    importer: Importer,
    schemaforge: Schemaforge,
    source: Path,
    tmp_path: Path,
) -> None:
    """`schemaforge import <database URL>` on a database loaded from a corpus file: the schema
    validates, its DDL recreates the database's structure (tables, columns, nullability, primary
    and foreign keys) in a fresh one, and it is the schema the file's own import gives, but for
    what the database normalizes (names it gave, expressions it rewrote)."""
    dialect = dialect_of(source)
    a: Database = fresh_db(dialect)
    load(a, source, tmp_path)
    original = catalog(a.engine, dialect)
    url = a.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "live.yaml"
    proc = schemaforge.run("import", url, "--out", out, check=False)
    assert proc.returncode == 0, f"schemaforge import {url}:\n{proc.stderr[-4000:]}"
    validate = schemaforge.run("validate", out, check=False)
    assert validate.returncode == 0, (
        f"schemaforge validate (live import of {file_id(source)}):\n{validate.stderr[-4000:]}"
    )
    ddl = schemaforge.sql(out, dialect)
    c: Database = fresh_db(dialect)
    if dialect == "postgresql":
        postgresql_extensions(c, source.read_text(encoding="utf-8", errors="replace"))
        postgresql_shims(c, ddl.sql)
    tables_a = {name.lower() for name in original["tables"]}
    failed = [
        (st, err)
        for st, err in execute_each(c, ddl.sql)
        if not statement_tables(st) - tables_a
    ]
    asserted = [
        d.text
        for d in differences(original, catalog(c.engine, dialect))
        if d.aspect in STRUCTURE
    ]
    assert not failed and not asserted, "\n".join(
        [f"{err}\n    {one_line(st)[:300]}" for st, err in failed[:10]] + asserted[:40]
    )
    # The file's import and the database's: the same entities, but for tables the server could
    # not create from the file (an extension it lacks).
    from_file = importer.run(source, dialect).check()
    live = set(yaml.safe_load(out.read_text()).get("entities") or {})
    assert live <= set(from_file.entities), (
        f"entities only the live import of {file_id(source)} has: {sorted(live - set(from_file.entities))}"
    )
    assert live, f"the live import of {file_id(source)} has no entity"


def test_live_import_of_a_missing_database_says_why(
    schemaforge: Schemaforge, tmp_path: Path
) -> None:
    proc = schemaforge.run("import", f"sqlite:///{tmp_path}/nothing.db", check=False)
    assert proc.returncode == 1
    assert "no SQLite database" in proc.stderr and "Usage" not in proc.stderr, (
        proc.stderr
    )
