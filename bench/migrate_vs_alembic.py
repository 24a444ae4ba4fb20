#!/usr/bin/env python3
"""`schemaforge migrate` vs `alembic revision --autogenerate` on the same change of the 1,000-entity schema.

Called by bench/migrate_vs_alembic.sh, which finds the release binary, prepares the venv (Alembic and the
generated project's imports, pinned as in integration/requirements*.txt) and starts a private PostgreSQL.
This script:

1. writes the old schema (bench/generate_schema.py) and the new one with its manifest of expected changes
   (bench/evolve_schema.py: PER_KIND changes of every kind);
2. `schemaforge generate OLD --db postgresql --out BASE`, then RUNS timed runs (after one warm-up) of
   `schemaforge migrate NEW --out COPY -m ... --allow-data-loss`, each on a fresh copy of BASE;
3. classifies schemaforge's plan (`schemaforge diff OLD NEW --format json -d postgresql`, the plan migrate
   writes) against the manifest: detected / missed per kind, and the operations no manifest entry explains;
4. for Alembic: a database at the old version (`alembic upgrade head` of BASE), a project with BASE's migrations
   and the NEW project's app/models (`schemaforge generate NEW`), ALEMBIC_RUNS timed runs (after one warm-up)
   of `alembic revision --autogenerate`; parses the revision Alembic writes (Python's ast) and classifies it
   the same way (a rename shown as drop + add counts as missed);
5. unless --no-verify: applies schemaforge's revision to the old database (`alembic upgrade head` with the new
   models), runs `alembic check`, and compares the migrated database's catalog (columns, types, nullability,
   defaults, comments, constraints, indexes, enum labels) with a fresh database loaded from
   `schemaforge sql NEW --dialect postgresql`;
6. writes bench/REPORT-migrate.md, keeping its hand-written part (from "## Analysis" on).

Nothing here fails on a slow result: the targets are reported as PASS or MISS. Standard library only (the
timing, machine and PostgreSQL helpers are bench/generate_vs_sqlacodegen.py's).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vs_sqlacodegen import (  # noqa: E402  (the shared helpers of the benchmarks)
    Sample,
    benchmark_arguments,
    cell,
    cpu_model,
    first_line,
    load_average,
    perf_stacks,
    psql,
    psql_version,
    rel,
    run,
    schema_counts,
    share,
    summary,
    tail,
    timed,
    timing_table,
    venv_versions,
    wait_for_quiet,
)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "migrate"
REPORT = ROOT / "bench" / "REPORT-migrate.md"
ANALYSIS_MARKER = "## Analysis"
TARGET_RATIO = 20.0
# Profile stages of one `migrate`: (label, alternatives); a sample counts for a stage when, for one of the
# alternatives, every needle matches a frame of its call stack (see generate_vs_sqlacodegen.py's STAGES).
STAGES = [
    ("read the project's snapshot: MigrationSnapshot.decode", [["MigrationSnapshot.decode("]]),
    ("- of which JSONSerialization.jsonObject (parse)", [["MigrationSnapshot.decode(", "JSONSerialization.jsonObject("]]),
    ("- of which JSONSerialization.data(withJSONObject:) (the schema object written back to JSON)",
     [["MigrationSnapshot.decode(", "JSONSerialization.data(withJSONObject:"]]),
    ("- of which JSONDecoder.decode (Schema from that JSON)", [["MigrationSnapshot.decode(", "JSONDecoder.decode"]]),
    ("- of which the checksum (SnapshotEncoder.encode + MD5)",
     [["MigrationSnapshot.decode(", "SnapshotEncoder.encode("], ["MigrationSnapshot.decode(", "MD5."]]),
    ("read the new schema: GeneratorPipeline.load", [["GeneratorPipeline.load("]]),
    ("plan: MigrationPlanner.plan", [["MigrationPlanner.plan("]]),
    ("render the revision: AlembicRevisionGenerator.render", [["AlembicRevisionGenerator.render("]]),
    ("- of which DDLGenerator.creationOrder", [["AlembicRevisionGenerator.render(", "DDLGenerator.creationOrder("]]),
    ("- of which PythonRenderer.render / wrap", [["AlembicRevisionGenerator.render(", "PythonRenderer."]]),
    ("the new snapshot: MigrationSnapshot.encode", [["MigrationSnapshot.encode("]]),
    ("write: MigrationWorkflow.write", [["MigrationWorkflow.write("]]),
]
KINDS_NOTE = {
    "add_table": "new entity",
    "drop_table": "entity removed",
    "rename_table": "entity renamed (`renamed_from`)",
    "alter_table_comment": "table comment",
    "add_column": "field added (nullable, or NOT NULL with default)",
    "drop_column": "field removed",
    "rename_column": "field renamed (`renamed_from`)",
    "alter_type": "int -> bigint",
    "alter_nullable": "nullable -> NOT NULL (backfill)",
    "alter_default": "server default 0 -> 1",
    "alter_comment": "column comment added",
    "add_index": "`index: true` added",
    "drop_index": "`index: true` removed",
    "add_unique": "`unique: true` added",
    "drop_unique": "composite unique removed",
    "add_check": "named CHECK added",
    "drop_check": "named CHECK removed",
    "add_foreign_key": "many_to_one relation added (column + FK)",
    "drop_foreign_key": "many_to_one relation removed (column + FK)",
    "alter_fk_action": "FK on_delete changed",
    "add_m2m": "many_to_many added (join table appears)",
    "drop_m2m": "many_to_many removed (join table disappears)",
    "enum_value_add": "enum value added",
    "enum_value_remove": "enum value removed",
}


# ---------------------------------------------------------------------------------------------------------
# the operations of each tool, normalised: {"kind", "table", "name", "detail", "text"}


def schemaforge_ops(plan: dict) -> list[dict]:
    ops = []
    for o in plan["operations"]:
        subject = o["subject"]
        if " -> " in subject:  # rename_table "a -> b", rename_column "t.a -> t.b", rename_primary_key
            before, after = subject.split(" -> ")
            table, name = (after.split(".", 1) + [""])[:2] if "." in after else (after, "")
            ops.append({"kind": o["kind"], "table": table, "name": name, "old": before, "detail": o["detail"],
                        "text": f"{o['kind']} {subject}"})
        elif o["kind"] in ("create_table", "drop_table", "alter_table_comment", "create_enum", "drop_enum",
                           "alter_enum"):
            ops.append({"kind": o["kind"], "table": subject, "name": "", "detail": o["detail"],
                        "text": f"{o['kind']} {subject}"})
        else:
            table, name = subject.split(".", 1)
            ops.append({"kind": o["kind"], "table": table, "name": name, "detail": o["detail"],
                        "text": f"{o['kind']} {subject}"})
    return ops


def _value(node: ast.AST):
    """A literal, op.f('x') -> 'x', sa.Column('x', ...) -> {'column': 'x'}, anything else its source text."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "f" and node.args:
            return _value(node.args[0])
        if node.func.attr == "Column" and node.args:
            return {"column": _value(node.args[0]), "source": ast.unparse(node)}
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return ast.unparse(node)


def alembic_ops(revision: Path) -> list[dict]:
    """The op.* calls of upgrade() (including those inside `with op.batch_alter_table(...)` blocks)."""
    tree = ast.parse(revision.read_text())
    upgrade = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade")
    ops = []
    for node in ast.walk(upgrade):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in ("op", "batch_op")):
            continue
        if node.func.attr == "f":
            continue
        args = [_value(a) for a in node.args]
        kw = {k.arg: _value(k.value) for k in node.keywords if k.arg}
        kind = node.func.attr
        table = name = ""
        if kind in ("create_table", "drop_table", "create_table_comment", "drop_table_comment", "add_column",
                    "drop_column", "alter_column"):
            table = args[0] if args else kw.get("table_name", "")
            if kind in ("add_column",):
                name = args[1]["column"] if len(args) > 1 and isinstance(args[1], dict) else ""
            elif kind in ("drop_column", "alter_column"):
                name = args[1] if len(args) > 1 else kw.get("column_name", "")
        elif kind in ("create_index", "create_unique_constraint", "create_foreign_key", "create_check_constraint",
                      "drop_constraint"):
            name, table = (args + ["", ""])[:2]
        elif kind == "drop_index":
            name, table = args[0] if args else "", kw.get("table_name", args[1] if len(args) > 1 else "")
        ops.append({"kind": kind, "table": table, "name": name or "", "args": args, "kw": kw,
                    "text": ast.unparse(node)})
    return ops


# ---------------------------------------------------------------------------------------------------------
# classification against the manifest


class Matcher:
    """Finds a tool's operations for each manifest change; remembers which operations were explained."""

    def __init__(self, ops: list[dict]):
        self.ops = ops
        self.used: set[int] = set()
        self.by_key: dict[tuple[str, str], list[int]] = {}
        for i, o in enumerate(ops):
            self.by_key.setdefault((o["kind"], o["table"]), []).append(i)

    def find(self, kind: str, table: str, pred=lambda o: True) -> list[int]:
        return [i for i in self.by_key.get((kind, table), []) if pred(self.ops[i])]

    def take(self, *groups: list[int]) -> bool:
        """All groups non-empty: the change is detected; their operations are marked as explained."""
        if all(groups):
            for g in groups:
                self.used.update(g)
            return True
        return False

    def any_of(self, *groups: list[int]) -> bool:
        hit = [g for g in groups if g]
        for g in hit:
            self.used.update(g)
        return bool(hit)



def classify_schemaforge(changes: list[dict], ops: list[dict]) -> tuple[list[bool], Matcher]:
    m = Matcher(ops)
    ends = lambda suffix: (lambda o: o["name"].endswith(suffix))  # noqa: E731
    has = lambda text: (lambda o: text in o["name"])  # noqa: E731
    detail = lambda col, key: (lambda o: o["name"] == col and key in o["detail"])  # noqa: E731
    alter = {"alter_type": "type", "alter_nullable": "nullable", "alter_default": "default",
             "alter_comment": "comment"}
    result = []
    for c in changes:
        k, t, col = c["kind"], c["table"], c.get("column")
        if k in ("add_table", "add_m2m"):
            ok = m.take(m.find("create_table", t))
        elif k in ("drop_table", "drop_m2m"):
            ok = m.take(m.find("drop_table", t))
        elif k == "rename_table":
            ok = m.take(m.find("rename_table", t, lambda o: o["old"] == c["old_table"]))
            m.any_of(m.find("rename_primary_key", t))
        elif k == "alter_table_comment":
            ok = m.take(m.find("alter_table_comment", t))
        elif k == "add_column":
            ok = m.take(m.find("add_column", t, lambda o: o["name"] == col))
        elif k == "drop_column":
            ok = m.take(m.find("drop_column", t, lambda o: o["name"] == col))
        elif k == "rename_column":
            ok = m.take(m.find("rename_column", t, lambda o: o["old"] == f"{t}.{c['old_column']}" and o["name"] == col))
        elif k in alter:
            ok = m.take(m.find("alter_column", t, detail(col, alter[k])))
        elif k == "add_index":
            ok = m.take(m.find("add_index", t, ends(f"_{col}")))
        elif k == "drop_index":
            ok = m.take(m.find("drop_index", t, ends(f"_{col}")))
        elif k == "add_unique":
            ok = m.take(m.find("add_unique", t, lambda o: o["name"].endswith(f"_{col}") and "parent_id" not in o["name"]))
        elif k == "drop_unique":
            ok = m.take(m.find("drop_unique", t, ends("_" + col.replace(",", "_"))))
        elif k in ("add_check", "drop_check"):
            ok = m.take(m.find(k, t, ends(f"_{c['name']}")))
        elif k == "add_foreign_key":
            ok = m.take(m.find("add_foreign_key", t, has(col)))
            m.any_of(m.find("add_column", t, lambda o: o["name"] == col), m.find("add_index", t, ends(f"_{col}")))
        elif k == "drop_foreign_key":
            ok = m.any_of(m.find("drop_foreign_key", t, has(col)), m.find("drop_column", t, lambda o: o["name"] == col))
            m.any_of(m.find("drop_index", t, ends(f"_{col}")))
        elif k == "alter_fk_action":
            ok = m.take(m.find("drop_foreign_key", t, has(col)), m.find("add_foreign_key", t, has(col)))
        elif k in ("enum_value_add", "enum_value_remove"):
            key = "added" if k == "enum_value_add" else "removed"
            ok = m.take(m.find("alter_enum", c["enum"],
                               lambda o: c["value"] in [v.strip() for v in o["detail"].get(key, "").split(",")]))
        else:
            raise ValueError(f"unknown kind {k}")
        result.append(ok)
    return result, m


def classify_alembic(changes: list[dict], ops: list[dict]) -> tuple[list[bool], list[bool], Matcher]:
    """(detected, shown as drop + add) per change."""
    m = Matcher(ops)
    col_is = lambda col: (lambda o: o["name"] == col)  # noqa: E731
    alter = {"alter_type": "type_", "alter_nullable": "nullable", "alter_default": "server_default",
             "alter_comment": "comment"}

    def local_cols(o: dict) -> list:
        return o["args"][3] if len(o["args"]) > 3 else o["kw"].get("local_cols", [])

    def index_cols(o: dict) -> list:
        return o["args"][2] if len(o["args"]) > 2 else o["kw"].get("columns", [])

    def constraint_type(o: dict) -> str:
        return o["kw"].get("type_", "")

    result, as_drop_add = [], []
    for c in changes:
        k, t, col = c["kind"], c["table"], c.get("column")
        pair = False
        if k in ("add_table", "add_m2m"):
            ok = m.take(m.find("create_table", t))
        elif k in ("drop_table", "drop_m2m"):
            ok = m.take(m.find("drop_table", t))
        elif k == "rename_table":
            ok = False
            pair = m.take(m.find("create_table", t), m.find("drop_table", c["old_table"]))
        elif k == "alter_table_comment":
            ok = m.take(m.find("create_table_comment", t) or m.find("drop_table_comment", t))
        elif k == "add_column":
            ok = m.take(m.find("add_column", t, col_is(col)))
        elif k == "drop_column":
            ok = m.take(m.find("drop_column", t, col_is(col)))
        elif k == "rename_column":
            ok = False
            pair = m.take(m.find("add_column", t, col_is(col)), m.find("drop_column", t, col_is(c["old_column"])))
        elif k in alter:
            ok = m.take(m.find("alter_column", t, lambda o: o["name"] == col and alter[k] in o["kw"]))
        elif k == "add_index":
            ok = m.take(m.find("create_index", t, lambda o: index_cols(o) == [col]))
        elif k == "drop_index":
            ok = m.take(m.find("drop_index", t, lambda o: o["name"].endswith(f"_{col}")))
        elif k == "add_unique":
            ok = m.take(m.find("create_unique_constraint", t, lambda o: index_cols(o) == [col]))
        elif k == "drop_unique":
            ok = m.take(m.find("drop_constraint", t, lambda o: constraint_type(o) == "unique"
                               and o["name"].endswith("_" + col.replace(",", "_"))))
        elif k == "add_check":
            ok = m.take(m.find("create_check_constraint", t, lambda o: o["name"].endswith(c["name"])))
        elif k == "drop_check":
            ok = m.take(m.find("drop_constraint", t, lambda o: o["name"].endswith(c["name"])))
        elif k == "add_foreign_key":
            ok = m.take(m.find("create_foreign_key", t, lambda o: local_cols(o) == [col]))
            m.any_of(m.find("add_column", t, col_is(col)), m.find("create_index", t, lambda o: index_cols(o) == [col]))
        elif k == "drop_foreign_key":
            ok = m.any_of(m.find("drop_constraint", t, lambda o: constraint_type(o) == "foreignkey" and col in o["name"]),
                          m.find("drop_column", t, col_is(col)))
            m.any_of(m.find("drop_index", t, lambda o: o["name"].endswith(f"_{col}")))
        elif k == "alter_fk_action":
            ok = m.take(m.find("drop_constraint", t, lambda o: constraint_type(o) == "foreignkey" and col in o["name"]),
                        m.find("create_foreign_key", t, lambda o: local_cols(o) == [col]))
        elif k in ("enum_value_add", "enum_value_remove"):
            # Alembic compares no enum values; count it as detected if some operation names the value (added)
            # or changes the enum type without it (removed).
            # A create_table or add_column that names the type (a renamed table re-created) does not count.
            quoted = f"'{c['value']}'"
            mentions = [i for i, o in enumerate(ops) if o["kind"] not in ("create_table", "add_column", "drop_table")
                        and (f"'{c['enum_type']}'" in o["text"] or f"TYPE {c['enum_type']}" in o["text"])]
            if k == "enum_value_add":
                ok = m.take([i for i in mentions if quoted in ops[i]["text"]])
            else:
                ok = m.take([i for i in mentions if quoted not in ops[i]["text"]])
        else:
            raise ValueError(f"unknown kind {k}")
        result.append(ok)
        as_drop_add.append(pair)
    return result, as_drop_add, m


def follow_on(changes: list[dict], matcher: Matcher, alembic: bool) -> tuple[Counter, dict[str, list[str]]]:
    """The operations no manifest entry asked for, by the reason they are there (or "not explained"), with
    up to 2 examples of each reason."""
    created = {c["table"] for c in changes if c["kind"] in ("add_table", "add_m2m")}
    dropped = {c["table"] for c in changes if c["kind"] in ("drop_table", "drop_m2m")}
    renamed = {c["table"]: c["old_table"] for c in changes if c["kind"] == "rename_table"}
    renamed_names = set(renamed) | set(renamed.values())
    lost_unique = {c["table"] for c in changes if c["kind"] == "drop_unique"}
    owned_by_dropped = {c["table"] + "_links" for c in changes if c["kind"] == "drop_table"}
    reasons: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for i, o in enumerate(matcher.ops):
        if i in matcher.used:
            continue
        t, name, kind = o["table"], o["name"], o["kind"]
        creating = kind in ("create_index", "add_index", "create_foreign_key", "add_foreign_key",
                            "create_unique_constraint", "add_unique", "add_check")
        if t in owned_by_dropped:
            reason = "join table of a dropped entity dropped (with its index)"
        elif t in renamed_names and kind not in ("create_table", "drop_table"):
            reason = ("index / FK of a renamed table (Alembic: dropped with the old table, created with the new)"
                      if alembic else
                      "index / unique / check / FK of a renamed table dropped and re-created under the new name")
        elif t in created and creating:
            reason = "index / FK of a created table, as its own operation"
        elif t in dropped and kind.startswith("drop"):
            reason = "index / FK of a dropped table, as its own operation"
        elif ("foreign" in kind or "constraint" in kind) and any(r in name for r in renamed_names):
            reason = "FK pointing at a renamed table dropped and re-created (its name contains the table's)"
        elif t in lost_unique and creating and name.endswith("_parent_id"):
            reason = "index on parent_id, needed once the composite unique that covered it is dropped"
        else:
            reason = "not explained"
        reasons[reason] += 1
        if len(examples.setdefault(reason, [])) < 2:
            examples[reason].append(o["text"][:150])
    return reasons, examples


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL catalog (for the verification)

CATALOG_QUERIES = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               coalesce(pg_get_expr(d.adbin, d.adrelid), ''), coalesce(col_description(c.oid, a.attnum), ''),
               a.attidentity
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped""",
    "tables": """
        SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'""",
    "constraints": """
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "enums": """
        SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname""",
}


def catalog(args: argparse.Namespace, database: str) -> dict[str, set[str]]:
    out = {}
    for name, query in CATALOG_QUERIES.items():
        text = psql(args, database, "-tA", "-F", " | ", "-c", query).stdout
        out[name] = {line for line in text.splitlines() if line.strip() and not line.startswith("alembic_version")}
    return out


def fresh_database(args: argparse.Namespace, name: str) -> None:
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"')
    psql(args, "postgres", "-c", f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = benchmark_arguments(__doc__, "venv with alembic and the generated project's imports", 54339,
                                 "sf_bench_migrate", REPORT)
    parser.add_argument("--alembic-runs", type=int, default=3, help="timed runs of alembic autogenerate (after a warm-up)")
    parser.add_argument("--per-kind", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-verify", action="store_true", help="skip applying schemaforge's revision to PostgreSQL")
    parser.add_argument("--no-profile", action="store_true", help="skip the perf profile of one migrate")
    args = parser.parse_args()

    binary = args.bin.resolve()
    args.venv = args.venv.absolute()
    python = args.venv / "bin" / "python"
    alembic = args.venv / "bin" / "alembic"
    started = datetime.datetime.now(datetime.UTC)
    log = lambda msg: print(f"== {msg}", file=sys.stderr, flush=True)  # noqa: E731
    # The previous run's directory is moved aside now and deleted only after this run's measurements: deleting
    # thousands of files slows file creation for minutes on this file system (see generate_vs_sqlacodegen.py).
    trash = WORK.parent / "migrate-trash"
    trash.mkdir(parents=True, exist_ok=True)
    if WORK.exists():
        WORK.rename(trash / f"migrate-{time.time_ns()}")
    WORK.mkdir(parents=True)
    url = f"postgresql+asyncpg://{args.pg_user}@{args.pg_host}:{args.pg_port}/{args.db_name}"

    # 1. schemas and manifest
    log(f"old schema ({args.entities} entities), new schema ({args.per_kind} changes of every kind), manifest")
    old, new, manifest_path = WORK / "old.yaml", WORK / "new.yaml", WORK / "manifest.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_schema.py"), "-n", str(args.entities),
                    "-o", str(old)], check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "evolve_schema.py"), str(old), "-o", str(new),
                    "--manifest", str(manifest_path), "--per-kind", str(args.per_kind), "--seed", str(args.seed)],
                   check=True)
    manifest = json.loads(manifest_path.read_text())
    changes = manifest["changes"]
    for c in changes:  # enum changes: the schema's enum name and PostgreSQL's type name
        if c["kind"].startswith("enum_value"):
            c["enum"] = next(e for e in ("Status", "Priority", "Color", "Channel") if e.lower() == c["table"])
            c["enum_type"] = c["table"]
    counts_old, counts_new = schema_counts(binary, old), schema_counts(binary, new)

    # 2. schemaforge generate (old), then migrate (new) on fresh copies
    base = WORK / "project-old"
    run([str(binary), "generate", str(old), "--out", str(base), "--db", "postgresql"], check=True)
    migrate_cmd = lambda out: [str(binary), "migrate", str(new), "--out", str(out), "-m", "bench change",  # noqa: E731
                               "--allow-data-loss"]
    copies = [WORK / f"migrate-{i:02d}" for i in range(args.runs + 2)]  # warm-up, runs, profile
    for c in copies:
        shutil.copytree(base, c)
    log("schemaforge migrate: warm-up")
    migrate_error = ""
    try:
        _, migrate_stderr = timed(migrate_cmd(copies[0]))
    except SystemExit as e:  # report, do not stop: the Alembic half still runs
        migrate_error, migrate_stderr = str(e), ""
    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait, log)
    load_before = load_average()
    sf_samples: list[Sample] = []
    if not migrate_error:
        for i, c in enumerate(copies[1:-1]):
            sf_samples.append(timed(migrate_cmd(c))[0])
            log(f"schemaforge migrate {i + 1}/{args.runs}: {sf_samples[-1].wall:.3f} s (CPU {sf_samples[-1].cpu:.3f} s)")
    sf_revisions = sorted((copies[-2] / "migrations" / "versions").glob("*.py"))
    sf_revision = sf_revisions[-1] if len(sf_revisions) > 1 else None
    stacks = None
    if not args.no_profile and not migrate_error:
        log("profiling one migrate (perf)")
        stacks = perf_stacks(migrate_cmd(copies[-1]), WORK / "perf-migrate.data")
    diff_cmd = [str(binary), "diff", str(old), str(new), "--format", "json", "-d", "postgresql"]
    diff_samples = [timed(diff_cmd)[0] for _ in range(args.runs + 1)][1:]  # context: the plan alone
    plan_out = run(diff_cmd, check=True)
    (WORK / "plan.json").write_text(plan_out.stdout)
    plan = json.loads(plan_out.stdout)
    sf_ops = schemaforge_ops(plan)
    sf_detected, sf_match = classify_schemaforge(changes, sf_ops)

    # 3. Alembic: database at the old version, new models, autogenerate
    log("Alembic: new project (for its models), database at the old version (alembic upgrade head)")
    new_project = WORK / "project-new"
    run([str(binary), "generate", str(new), "--out", str(new_project), "--db", "postgresql"], check=True)
    work = WORK / "alembic-project"
    shutil.copytree(base, work, ignore=shutil.ignore_patterns("app"))
    shutil.copytree(base / "app", work / "app", ignore=shutil.ignore_patterns("models"))
    shutil.copytree(new_project / "app" / "models", work / "app" / "models")
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(work)}
    old_env = {**env, "PYTHONPATH": str(base)}
    fresh_database(args, args.db_name)
    t = time.perf_counter()
    up = run([str(alembic), "-c", str(base / "alembic.ini"), "upgrade", "head"], env=old_env)
    if up.returncode != 0:
        raise SystemExit(f"alembic upgrade head of the old project failed:\n{tail(up.stderr, 20)}")
    old_upgrade_seconds = time.perf_counter() - t
    alembic_cmd = [str(alembic), "-c", str(work / "alembic.ini"), "revision", "--autogenerate", "-m", "bench change"]
    versions = work / "migrations" / "versions"
    kept = WORK / "alembic-revisions"
    kept.mkdir()
    al_samples: list[Sample] = []
    alembic_revision = None
    for i in range(args.alembic_runs + 1):
        before = set(versions.glob("*.py"))
        sample, _ = timed(alembic_cmd, env=env)
        written = sorted(set(versions.glob("*.py")) - before)
        if len(written) != 1:
            raise SystemExit(f"alembic revision --autogenerate wrote {len(written)} files")
        alembic_revision = kept / f"run{i}-{written[0].name}"
        written[0].rename(alembic_revision)  # the database stays at the old head: every run sees the same state
        if i == 0:
            log(f"alembic revision --autogenerate: warm-up {sample.wall:.2f} s")
            continue
        al_samples.append(sample)
        log(f"alembic revision --autogenerate {i}/{args.alembic_runs}: {sample.wall:.2f} s (CPU {sample.cpu:.2f} s)")
    load_after = load_average()
    assert alembic_revision is not None
    al_ops = alembic_ops(alembic_revision)
    al_detected, al_pairs, al_match = classify_alembic(changes, al_ops)

    # 4. verification: schemaforge's revision applied to the old database, compared with a fresh new database
    verify: list[tuple[str, bool, str]] = []
    diffs: dict[str, tuple[list[str], list[str]]] = {}
    if not args.no_verify and sf_revision is not None:
        log("verification: alembic upgrade head with schemaforge's revision, alembic check, catalog comparison")
        shutil.copy(sf_revision, versions / sf_revision.name)
        t = time.perf_counter()
        up = run([str(alembic), "-c", str(work / "alembic.ini"), "upgrade", "head"], env=env)
        seconds = time.perf_counter() - t
        verify.append(("`alembic upgrade head` (schemaforge's revision on the old database)", up.returncode == 0,
                       f"{seconds:.1f} s" if up.returncode == 0 else tail(up.stderr, 8)))
        if up.returncode == 0:
            chk = run([str(alembic), "-c", str(work / "alembic.ini"), "check"], env=env)
            text = (chk.stdout + chk.stderr).strip()
            verify.append(("`alembic check` (new models vs the migrated database)", chk.returncode == 0,
                           tail(chk.stdout or text, 1) if chk.returncode == 0 else tail(text, 6)))
            fresh_name = args.db_name + "_fresh"
            fresh_database(args, fresh_name)
            ddl = WORK / "new.postgresql.sql"
            run([str(binary), "sql", str(new), "--dialect", "postgresql", "-o", str(ddl)], check=True)
            psql(args, fresh_name, "-f", str(ddl))
            migrated, fresh = catalog(args, args.db_name), catalog(args, fresh_name)
            for name in CATALOG_QUERIES:
                only_m, only_f = sorted(migrated[name] - fresh[name]), sorted(fresh[name] - migrated[name])
                diffs[name] = (only_m, only_f)
                verify.append((f"catalog: {name} (migrated vs fresh `schemaforge sql NEW`)", not only_m and not only_f,
                               f"{len(migrated[name]):,} rows; {len(only_m)} only in migrated, {len(only_f)} only in fresh"))
            psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{fresh_name}"', check=False)
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{args.db_name}"', check=False)
    for c in copies[:-2] + copies[-1:]:  # keep one migrated project (copies[-2]) for inspection
        shutil.rmtree(c, ignore_errors=True)
    shutil.rmtree(trash, ignore_errors=True)

    # ----- numbers
    sf = summary(sf_samples) if sf_samples else None
    al = summary(al_samples)
    ratio = al["median"] / sf["median"] if sf else 0.0
    kinds = list(manifest["counts"])
    per_kind = {k: {"n": 0, "sf": 0, "al": 0, "pair": 0} for k in kinds}
    missed_examples: dict[str, list[str]] = {}
    for c, s, a, p in zip(changes, sf_detected, al_detected, al_pairs, strict=True):
        row = per_kind[c["kind"]]
        row["n"] += 1
        row["sf"] += s
        row["al"] += a
        row["pair"] += p
        if not s:
            missed_examples.setdefault(c["kind"], []).append(json.dumps({k: v for k, v in c.items() if v}))
    total = len(changes)
    sf_total, al_total = sum(sf_detected), sum(al_detected)
    speed_ok = ratio >= TARGET_RATIO
    complete = sf_total == total
    versions_info = venv_versions(python, ("alembic", "SQLAlchemy", "asyncpg"))

    # ----- report
    r: list[str] = ["# Benchmark: `schemaforge migrate` vs `alembic revision --autogenerate`", ""]
    r += ["Generated by `bench/migrate_vs_alembic.sh` (bench/migrate_vs_alembic.py); the measured sections are",
          f"rewritten on every run, the '{ANALYSIS_MARKER[3:]}' section at the end is hand-written and kept.", "",
          "Usage and method: bench/README.md.", ""]
    r += ["## Setup", "",
          f"- Date: {started:%Y-%m-%d %H:%M} UTC",
          f"- Commit: {args.commit or 'unknown'} (the binary's)",
          f"- Machine: {os.cpu_count()} CPUs, {cpu_model()}, Linux {platform.release()}",
          (f"- Load average (1/5/15 min): {load_before} before, {load_after} after the measured runs ({quiet})"),
          f"- schemaforge: {first_line(['swift', '--version'])}; {args.build_note}",
          (f"- Alembic {versions_info.get('alembic', '?')}, SQLAlchemy {versions_info.get('SQLAlchemy', '?')}, "
           f"asyncpg {versions_info.get('asyncpg', '?')}, Python {versions_info.get('Python', '?')} "
           f"(venv `{os.path.relpath(args.venv, ROOT)}`, pins from integration/requirements*.txt)"),
          (f"- PostgreSQL: {psql_version(args)} on {args.pg_host}:{args.pg_port} (a private server started by "
           f"the script); database `{args.db_name}` brought to the old version by the old project's "
           f"`alembic upgrade head` ({old_upgrade_seconds:.1f} s)"),
          (f"- Method: schemaforge: 1 warm-up, then {args.runs} runs, each on a fresh copy of the old project "
           f"(copied before timing). Alembic: 1 warm-up, then {args.alembic_runs} runs; the revision file each run "
           "writes is moved out of versions/ afterwards, so every run compares the same database (old version) "
           "with the same models (new version). Wall time from time.perf_counter around the whole process; CPU = "
           "user + system from wait4 (Alembic's: the Python client only, not the PostgreSQL server's reflection "
           "work)."), ""]
    r += ["Commands:", "",
          (f"- schemaforge: `schemaforge migrate {rel(new)} --out COPY_OF_OLD_PROJECT -m 'bench change' "
           "--allow-data-loss` (reads the project's snapshot, plans, writes the revision and the new snapshot)"),
          ("- Alembic: `alembic revision --autogenerate -m 'bench change'` in the old project with the new "
           "project's `app/models` (env.py as generated: compare_type=True, compare_server_default=True on "
           "PostgreSQL), DATABASE_URL at the old database"),
          f"- Plan classified for schemaforge: `schemaforge diff {rel(old)} {rel(new)} --format json -d postgresql`",
          ""]
    r += ["## Schemas", "",
          (f"Old: `python3 bench/generate_schema.py -n {args.entities}`. New: `python3 bench/evolve_schema.py OLD "
           f"--per-kind {args.per_kind} --seed {args.seed}`: {total:,} changes in {len(kinds)} kinds "
           f"(manifest: `{rel(manifest_path)}`)."), "",
          "| measure | old | new |", "|---|---:|---:|"]
    r += [f"| {k} | {v:,} | {counts_new.get(k, 0):,} |" for k, v in counts_old.items()]
    if manifest["limits"]:
        r += ["", "Fewer than asked, because the old schema does not have more:", ""]
        r += [f"- {cell(x)}" for x in manifest["limits"]]

    r += ["", "## Results", ""]
    if migrate_error:
        r += [f"**`schemaforge migrate` failed:** `{cell(tail(migrate_error, 8))}`", ""]
    r += timing_table([(label, f"`{cmd}` ({n} runs)", x) for label, cmd, n, x in
                       [("schemaforge", "schemaforge migrate", args.runs, sf),
                        ("Alembic", "alembic revision --autogenerate", args.alembic_runs, al),
                        ("context", "schemaforge diff OLD NEW --format json -d postgresql", args.runs,
                         summary(diff_samples))] if x])
    r += ["", ("Context row: `diff` reads both schema files and plans, as `migrate` does with the snapshot and the new "
               "file; it renders no revision and writes nothing. Its wall time is not part of the ratio.")]
    r += ["", "| | value |", "|---|---:|",
          f"| ratio Alembic / schemaforge (median wall) | **{ratio:.1f}x** |",
          f"| ratio by CPU time (Alembic's excludes the server) | {al['cpu'] / sf['cpu'] if sf else 0:.1f}x |",
          f"| target: schemaforge >= {TARGET_RATIO:.0f}x faster than Alembic autogenerate | **{'PASS' if speed_ok else 'MISS'}** |",
          f"| changes detected by schemaforge | **{sf_total:,} / {total:,} ({100 * sf_total / total:.1f}%)** |",
          f"| changes detected by Alembic autogenerate | {al_total:,} / {total:,} ({100 * al_total / total:.1f}%) |",
          f"| target: 100% of the changes detected, renames included | **{'PASS' if complete else 'MISS'}** |", ""]

    r += ["## Detected / missed per kind", "",
          ("A change counts as detected when the tool's output has the operation that makes it (for a relation "
           "removed: its FK or its column dropped; for an FK action: the FK dropped and re-created). Alembic shows "
           "a rename as a drop and an add (the column's or table's data would be lost): that counts as missed, "
           "the last column says how many."), "",
          "| kind | what | changes | schemaforge detected | missed | Alembic detected | missed | Alembic: rename as drop + add |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    for k in kinds:
        row = per_kind[k]
        n = row["n"]
        r.append(f"| {k} | {KINDS_NOTE.get(k, '')} | {n} | {row['sf']} | {'**' + str(n - row['sf']) + '**' if n - row['sf'] else 0} | "
                 f"{row['al']} | {n - row['al']} | {row['pair'] if k.startswith('rename') else ''} |")
    r.append(f"| **total** | | **{total:,}** | **{sf_total:,}** | **{total - sf_total}** | **{al_total:,}** | "
             f"**{total - al_total:,}** | {sum(v['pair'] for v in per_kind.values())} |")
    if missed_examples:
        r += ["", "Changes schemaforge missed (first 3 of each kind):", ""]
        for k, ex in missed_examples.items():
            r += [f"- {k}: " + "; ".join(f"`{e}`" for e in ex[:3])]

    r += ["", "## Operations no manifest entry explains", "",
          ("Follow-on work of the changes (for example the constraints of a renamed table, or FKs pointing at "
           "it) and anything spurious, sorted by why the operation is there; an example from each tool."), ""]
    (sf_reasons, sf_ex), (al_reasons, al_ex) = follow_on(changes, sf_match, False), follow_on(changes, al_match, True)
    r += [(f"Operations in all: schemaforge's plan {len(sf_ops):,} ({len(sf_match.used):,} for the manifest's changes), "
           f"Alembic's revision {len(al_ops):,} ({len(al_match.used):,})."), "",
          "| why the operation is there | schemaforge | Alembic | examples |", "|---|---:|---:|---|"]
    for reason in sorted(set(sf_reasons) | set(al_reasons), key=lambda x: (x == "not explained", x)):
        ex = sf_ex.get(reason, [])[:1] + al_ex.get(reason, [])[:1] if reason != "not explained" else \
            sf_ex.get(reason, []) + al_ex.get(reason, [])
        r.append(f"| {reason} | {sf_reasons.get(reason, 0):,} | {al_reasons.get(reason, 0):,} | "
                 + "<br>".join(f"`{cell(e)}`" for e in ex) + " |")
    r.append("")
    if plan["warnings"]:
        r += [f"schemaforge's plan warnings: {len(plan['warnings'])}, e.g. `{cell(plan['warnings'][0])}`", ""]
    if migrate_stderr.strip():
        r += [f"`schemaforge migrate` stderr (warm-up run, {len(migrate_stderr.splitlines())} lines): "
              f"`{cell(tail(migrate_stderr, 2))}`", ""]

    if stacks:
        r += ["## Profile of one `schemaforge migrate`", "",
              (f"`perf record -F 2000 -g`, one run on a fresh copy: {len(stacks):,} samples. Share of the samples whose "
               "call stack contains the stage (inclusive); ms = share x the median CPU time above."), "",
              "| stage | share | ms |", "|---|---:|---:|"]
        for label, needles in STAGES:
            x = share(stacks, needles)
            r.append(f"| {label} | {x:.1f}% | {x * sf['cpu'] * 10:.0f} |")
        r.append("")

    if verify:
        r += ["## Verification of schemaforge's revision (once, not timed)", "",
              ("The revision `schemaforge migrate` wrote, applied to the old database with the new models; then the "
               "database's catalog compared with a fresh database loaded from `schemaforge sql NEW --dialect "
               "postgresql` (column order ignored)."), "",
              "| check | result | detail |", "|---|:---:|---|"]
        r += [f"| {label} | {'PASS' if ok else '**FAIL**'} | {cell(detail)} |" for label, ok, detail in verify]
        for name, (only_m, only_f) in diffs.items():
            if only_m or only_f:
                r += ["", f"{name}: first differences (migrated / fresh):", "", "```"]
                r += [f"- {x}" for x in only_m[:6]] + [f"+ {x}" for x in only_f[:6]] + ["```"]
        r.append("")

    analysis = ""
    if args.report.exists():
        old_text = args.report.read_text()
        if ANALYSIS_MARKER in old_text:
            analysis = old_text[old_text.index(ANALYSIS_MARKER):]
    text = "\n".join(r).rstrip() + "\n"
    if analysis:
        text += "\n" + analysis
    args.report.write_text(text)
    log(f"wrote {rel(args.report)}: migrate {sf['median'] if sf else float('nan'):.3f} s, autogenerate "
        f"{al['median']:.2f} s, ratio {ratio:.1f}x; detected schemaforge {sf_total}/{total}, Alembic {al_total}/{total}")


if __name__ == "__main__":
    main()
