#!/usr/bin/env python3
"""`schemaforge import` (a dump file, or a live database through pg_dump) vs sqlacodegen on the same databases.

Called by bench/import_vs_sqlacodegen.sh, which builds the release binary, prepares the venv with sqlacodegen
and makes sure PostgreSQL is up. This script:

1. loads each input (the largest PostgreSQL dumps of the corpus) once into a fresh database of its own with
   `psql -X -q -v ON_ERROR_STOP=0 -f FILE`: statements PostgreSQL 15 cannot run (the vector extension,
   PostgreSQL 18 functions, roles that do not exist here) fail and the rest is loaded; counts the tables
   created;
2. runs every command once per input as a warm-up, then RUNS rounds; in each round, for each input in turn:
   A = `schemaforge import FILE --dialect postgresql --out FRESH.yaml`,
   B = `schemaforge import postgresql://USER@HOST:PORT/DB --out FRESH.yaml` (pg_dump --schema-only inside),
   C = `sqlacodegen postgresql+psycopg://USER@HOST:PORT/DB --outfile FRESH.py`,
   and for context D = `pg_dump --schema-only --no-owner --no-privileges` alone (what B runs) and
   E = `schemaforge import` of the file D printed (the rest of B), so that B ~ D + E;
3. checks the outputs once: `schemaforge validate` exits 0 on A's and B's YAML (its entity count is the
   YAML's), sqlacodegen's module imports (+ configure_mappers()); counts sqlacodegen's classes and Tables;
4. times sqlacodegen's phases once per input in-process (imports, connect, reflection, code generation,
   and the number of SQL statements reflection sends);
5. writes bench/REPORT-import.md, keeping its hand-written part (from ANALYSIS_MARKER on).

Nothing here fails on a slow result: the target is reported as PASS or MISS. Standard library only (the
timing, machine and PostgreSQL helpers are bench/generate_vs_sqlacodegen.py's).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_vs_sqlacodegen import (  # the shared helpers of the benchmarks
    Sample,
    cell,
    cpu_model,
    first_line,
    fmt_s,
    git_state,
    load_average,
    psql,
    psql_version,
    rel,
    run,
    summary,
    tail,
    timed,
    venv_versions,
    wait_for_quiet,
)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "import"
OUT = WORK / "runs"
REPORT = ROOT / "bench" / "REPORT-import.md"
ANALYSIS_MARKER = "## Analysis"
TARGET_RATIO = 20.0
SHARED_CORPUS = Path("/work/shared/corpus/postgresql")
REPO_CORPUS = ROOT / "integration" / "corpus" / "postgresql"
# The largest PostgreSQL dumps of the corpus that load on PostgreSQL 15, largest first; the in-repo pagila
# last (it is in every checkout).
DEFAULT_INPUTS = [
    SHARED_CORPUS / "lago-api-structure.sql",
    SHARED_CORPUS / "gisia-gitlab-derived-structure.sql",
    SHARED_CORPUS / "danbooru-structure.sql",
    REPO_CORPUS / "pagila-schema.sql",
]
USER_TABLES = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
PUBLIC_TABLES = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
PUBLIC_VIEWS = ("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')")

# Run in the venv's Python, once per input: sqlacodegen's cli.main() step by step (the same calls, in the same
# order), with a clock between the steps and a counter of the statements sent to the server.
PHASES_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
import inflect  # sqlacodegen's dependency, imported by sqlacodegen.generators; timed on its own
ti = time.perf_counter()
from importlib.metadata import entry_points
from sqlalchemy import event
from sqlalchemy.engine import create_engine
from sqlalchemy.schema import MetaData
generators = {ep.name: ep for ep in entry_points(group="sqlacodegen.generators")}
generator_class = generators["declarative"].load()
t1 = time.perf_counter()
engine = create_engine(sys.argv[1])
statements = [0]
@event.listens_for(engine, "before_cursor_execute")
def count(*_args):
    statements[0] += 1
with engine.connect():
    pass
t2 = time.perf_counter()
metadata = MetaData()
generator = generator_class(metadata, engine, set())
metadata.reflect(engine, None, generator.views_supported, None)
t3 = time.perf_counter()
text = generator.generate()
t4 = time.perf_counter()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(text)
t5 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "inflect": ti - t0, "connect": t2 - t1, "reflect": t3 - t2, "generate": t4 - t3,
                  "write": t5 - t4, "inside": t5 - t0, "statements": statements[0],
                  "tables": len(metadata.tables)}))
"""


@dataclass
class Input:
    path: Path
    db: str
    tables: int = 0  # tables in the loaded database (every schema but the system ones)
    public_tables: int = 0
    public_views: int = 0
    load_seconds: float = 0.0
    load_errors: list[str] = field(default_factory=list)
    dump_file: Path | None = None  # what pg_dump prints for the database (D's output, E's input)
    a: list[Sample] = field(default_factory=list)
    b: list[Sample] = field(default_factory=list)
    c: list[Sample] = field(default_factory=list)
    d: list[Sample] = field(default_factory=list)
    e: list[Sample] = field(default_factory=list)
    last_a: Path | None = None
    last_b: Path | None = None
    last_c: Path | None = None
    import_summary_a: str = ""
    import_summary_b: str = ""

    @property
    def name(self) -> str:
        return self.path.name


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def load_database(args: argparse.Namespace, item: Input) -> None:
    """A fresh database with the dump loaded, errors allowed (ON_ERROR_STOP=0); counts what was created."""
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{item.db}"')
    psql(args, "postgres", "-c", f'CREATE DATABASE "{item.db}"')
    cmd = ["psql", "-X", "-q", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", item.db,
           "-v", "ON_ERROR_STOP=0", "-f", str(item.path)]
    start = time.perf_counter()
    out = run(cmd)
    item.load_seconds = time.perf_counter() - start
    item.load_errors = [line.split("ERROR:", 1)[1].strip() for line in out.stderr.splitlines() if "ERROR:" in line]
    count = lambda sql: int(psql(args, item.db, "-tA", "-c", sql).stdout.strip())
    item.tables, item.public_tables, item.public_views = count(USER_TABLES), count(PUBLIC_TABLES), count(PUBLIC_VIEWS)


def validate(binary: Path, yaml: Path) -> tuple[bool, str, int | None]:
    """`schemaforge validate` on a YAML: (exit 0, its last line, its entity count)."""
    out = run([str(binary), "validate", str(yaml)])
    text = (out.stdout + out.stderr).strip().replace(f"{yaml}: ", "")
    m = re.search(r"ok \((\d+) entities", text)
    return out.returncode == 0, (text.splitlines() or ["(no output)"])[-1], int(m.group(1)) if m else None


def entity_names(yaml: Path) -> set[str]:
    """The entity names of an imported YAML (the keys two spaces in under `entities:`)."""
    names: set[str] = set()
    inside = False
    for line in yaml.read_text().splitlines():
        if re.match(r"^[a-z_]+:", line):
            inside = line.startswith("entities:")
        elif inside:
            m = re.match(r"^  ([^\s:#][^:]*):\s*$", line)
            if m:
                names.add(m.group(1).strip("\"'"))
    return names


def import_summary(stderr: str) -> str:
    """schemaforge import's last line: 'imported N tables, M relations, K enums (W warnings) from ...'."""
    m = re.search(r"imported (\d+) tables, (\d+) relations, (\d+) enums \((\d+) warnings\)", stderr)
    return f"{m.group(1)} tables, {m.group(2)} relations, {m.group(3)} enums, {m.group(4)} warnings" if m else "?"


def sqlacodegen_counts(module: Path) -> tuple[int, int, int]:
    text = module.read_text()
    classes = len(re.findall(r"^class \w+\(Base\):", text, re.MULTILINE))
    tables = len(re.findall(r"^\w+ = Table\(", text, re.MULTILINE))
    return classes, tables, text.count("\n")


def check_module(python: Path, module: Path) -> tuple[bool, str]:
    code = ("import importlib.util, sys, warnings\n"
            "warnings.simplefilter('ignore')\n"
            f"spec = importlib.util.spec_from_file_location('sqlacodegen_models', {str(module)!r})\n"
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
            "from sqlalchemy.orm import configure_mappers\n"
            "configure_mappers()\n"
            "md = m.Base.metadata if hasattr(m, 'Base') else m.metadata\n"
            "print(len(md.tables))\n")
    out = run([str(python), "-c", code])
    if out.returncode != 0:
        return False, tail(out.stderr)
    return True, f"{out.stdout.split()[-1]} tables in its MetaData"


def sqlacodegen_phases(python: Path, url: str, out: Path) -> dict | None:
    """sqlacodegen's steps timed in-process, plus the wall time of the whole process (start-up included)."""
    start = time.perf_counter()
    res = run([str(python), "-c", PHASES_CODE, url, str(out)])
    wall = time.perf_counter() - start
    if res.returncode != 0:
        print(f"sqlacodegen phases failed: {tail(res.stderr)}", file=sys.stderr)
        return None
    phases = json.loads(res.stdout.strip().splitlines()[-1])
    phases["wall"] = wall
    phases["startup"] = wall - phases["inside"]  # interpreter start-up and exit
    return phases


def python_startup(python: Path) -> float:
    """Median wall time of `python -c pass` in the venv (3 runs)."""
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        run([str(python), "-c", "pass"])
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, type=Path, help="release schemaforge binary")
    parser.add_argument("--venv", required=True, type=Path, help="venv with sqlacodegen, psycopg, SQLAlchemy")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--inputs", default="",
                        help="comma-separated dump files (default: the largest PostgreSQL dumps of the corpus; "
                             "integration/corpus/postgresql/*.sql when the shared corpus is absent)")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=54329)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--db-prefix", default="sf_bench_import")
    parser.add_argument("--build-note", default="release build")
    parser.add_argument("--commit", help="the commit the binary was built from (default: HEAD now)")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--quiet-load", type=float, default=0.0,
                        help="before measuring, wait until the 1-minute load average is below this (0: do not wait)")
    parser.add_argument("--quiet-wait", type=float, default=600, help="longest wait for --quiet-load, seconds")
    parser.add_argument("--keep-db", action="store_true", help="leave the benchmark databases in place")
    args = parser.parse_args()

    binary = args.bin.resolve()
    args.venv = args.venv.absolute()  # not resolve(): the venv python is a symlink
    python = args.venv / "bin" / "python"
    sqlacodegen = args.venv / "bin" / "sqlacodegen"
    started = datetime.datetime.now(datetime.UTC)
    log = lambda msg: print(f"== {msg}", file=sys.stderr, flush=True)

    if args.inputs:
        paths = [Path(p).resolve() for p in args.inputs.split(",") if p]
        corpus_note = "given with --inputs"
    elif all(p.exists() for p in DEFAULT_INPUTS):
        paths = DEFAULT_INPUTS
        corpus_note = (f"the three largest PostgreSQL dumps of the shared corpus (`{SHARED_CORPUS}`) that load on "
                       "PostgreSQL 15, and the in-repo pagila")
    else:
        paths = sorted(REPO_CORPUS.glob("*.sql"), key=lambda p: -p.stat().st_size)
        corpus_note = f"the shared corpus is absent: every dump in `{rel(REPO_CORPUS)}`"
    for p in paths:
        if not p.exists():
            raise SystemExit(f"no such input: {p}")
    items = [Input(p, f"{args.db_prefix}_{slug(p.stem)}"[:63]) for p in paths]

    shutil.rmtree(OUT, ignore_errors=True)  # a few small files per run: no file-system slowdown to fear here
    OUT.mkdir(parents=True)
    serial = iter(range(1_000_000))

    def new_path(tag: str, suffix: str) -> Path:
        return OUT / f"{tag}-{next(serial):04d}{suffix}"

    live_url = lambda item: f"postgresql://{args.pg_user}@{args.pg_host}:{args.pg_port}/{item.db}"
    sqla_url = lambda item: f"postgresql+psycopg://{args.pg_user}@{args.pg_host}:{args.pg_port}/{item.db}"

    def cmd_a(item: Input, out: Path) -> list[str]:
        return [str(binary), "import", str(item.path), "--dialect", "postgresql", "--out", str(out)]

    def cmd_b(item: Input, out: Path) -> list[str]:
        return [str(binary), "import", live_url(item), "--out", str(out)]

    def cmd_c(item: Input, out: Path) -> list[str]:
        return [str(sqlacodegen), sqla_url(item), "--outfile", str(out)]

    def cmd_d(item: Input) -> list[str]:  # the pg_dump B runs (LiveSchemaSource), output to /dev/null
        return ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", f"--dbname={live_url(item)}"]

    def cmd_e(item: Input, out: Path) -> list[str]:
        return [str(binary), "import", str(item.dump_file), "--dialect", "postgresql", "--out", str(out)]

    for item in items:
        log(f"loading {rel(item.path)} into a fresh database {item.db} (ON_ERROR_STOP=0)")
        load_database(args, item)
        log(f"  {item.tables} tables ({item.public_tables} in public), {item.public_views} views in public, "
            f"{len(item.load_errors)} statements failed, {item.load_seconds:.1f} s")
        item.dump_file = WORK / f"{slug(item.path.stem)}.pg_dump.sql"
        with open(item.dump_file, "w") as f:
            subprocess.run(cmd_d(item), stdout=f, check=True)

    log("warm-up: one run of each command per input")
    stderr_c: dict[str, str] = {}
    for item in items:
        item.import_summary_a = import_summary(timed(cmd_a(item, new_path("a", ".yaml")))[1])
        item.import_summary_b = import_summary(timed(cmd_b(item, new_path("b", ".yaml")))[1])
        stderr_c[item.name] = timed(cmd_c(item, new_path("c", ".py")))[1]
        timed(cmd_d(item))
        timed(cmd_e(item, new_path("e", ".yaml")))

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait, log)
    load_before = load_average()
    round_loads: list[float] = []
    for i in range(args.runs):
        round_loads.append(os.getloadavg()[0])
        for item in items:
            item.last_a, item.last_b, item.last_c = new_path("a", ".yaml"), new_path("b", ".yaml"), new_path("c", ".py")
            item.a.append(timed(cmd_a(item, item.last_a))[0])
            item.b.append(timed(cmd_b(item, item.last_b))[0])
            item.c.append(timed(cmd_c(item, item.last_c))[0])
            item.d.append(timed(cmd_d(item))[0])
            item.e.append(timed(cmd_e(item, new_path("e", ".yaml")))[0])
            log(f"round {i + 1}/{args.runs} {item.name} (load {os.getloadavg()[0]:.2f}): A file {item.a[-1].wall:.3f} s, "
                f"B live {item.b[-1].wall:.3f} s, C sqlacodegen {item.c[-1].wall:.3f} s, "
                f"D pg_dump {item.d[-1].wall:.3f} s, E import of D's output {item.e[-1].wall:.3f} s")
    load_after = load_average()

    log("checking the outputs; sqlacodegen's phases")
    results = []
    for item in items:
        sa, sb, sc, sd, se = (summary(x) for x in (item.a, item.b, item.c, item.d, item.e))
        ok_a, line_a, entities_a = validate(binary, item.last_a)
        ok_b, line_b, entities_b = validate(binary, item.last_b)
        names_a, names_b = entity_names(item.last_a), entity_names(item.last_b)
        classes, tables, lines = sqlacodegen_counts(item.last_c)
        ok_c, line_c = check_module(python, item.last_c)
        phases = sqlacodegen_phases(python, sqla_url(item), new_path("phases", ".py"))
        results.append({"item": item, "sa": sa, "sb": sb, "sc": sc, "sd": sd, "se": se,
                        "ok_a": ok_a, "line_a": line_a, "entities_a": entities_a,
                        "ok_b": ok_b, "line_b": line_b, "entities_b": entities_b,
                        "only_a": sorted(names_a - names_b), "only_b": sorted(names_b - names_a),
                        "classes": classes, "tables_c": tables, "lines_c": lines, "ok_c": ok_c, "line_c": line_c,
                        "phases": phases, "ratio_a": sc["median"] / sa["median"],
                        "ratio_b": sc["median"] / sb["median"]})
    startup = python_startup(python)
    # pg_dump's floor: the same dump of an empty database (connection, server checks, catalog queries).
    empty = Input(Path("empty"), f"{args.db_prefix}_empty")
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{empty.db}"')
    psql(args, "postgres", "-c", f'CREATE DATABASE "{empty.db}"')
    timed(cmd_d(empty))
    pg_dump_floor = statistics.median(timed(cmd_d(empty))[0].wall for _ in range(5))
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{empty.db}"', check=False)
    if not args.keep_db:
        for item in items:
            psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{item.db}"', check=False)

    # Keep the last measured outputs for inspection; remove the rest.
    kept = WORK / "outputs"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir()
    for res in results:
        item = res["item"]
        stem = slug(item.path.stem)
        for src, name in ((item.last_a, f"{stem}.file.yaml"), (item.last_b, f"{stem}.live.yaml"),
                          (item.last_c, f"{stem}.sqlacodegen.py")):
            src.rename(kept / name)
    shutil.rmtree(OUT, ignore_errors=True)

    versions = venv_versions(python, ("sqlacodegen", "SQLAlchemy", "psycopg", "psycopg-binary"))
    all_a = all(r["ratio_a"] >= TARGET_RATIO for r in results)
    all_b = all(r["ratio_b"] >= TARGET_RATIO for r in results)
    verdict = lambda ok: "PASS" if ok else "MISS"

    # ----- report
    r: list[str] = []
    r += ["# Benchmark: `schemaforge import` vs sqlacodegen", ""]
    r += ["Generated by `bench/import_vs_sqlacodegen.sh` (bench/import_vs_sqlacodegen.py); the measured sections",
          f"are rewritten on every run, the '{ANALYSIS_MARKER[3:]}' section at the end is hand-written and kept.", ""]
    r += ["Issue 15: import the largest corpus dumps (file and live) against sqlacodegen reading the same live",
          f"PostgreSQL database. Target: at least {TARGET_RATIO:.0f}x faster than sqlacodegen. Usage: bench/README.md.", ""]
    r += ["## Setup", ""]
    r += [f"- Date: {started:%Y-%m-%d %H:%M} UTC",
          f"- Commit: {args.commit or git_state()} (at build time)",
          (f"- Machine: {os.cpu_count()} CPUs (nproc {run(['nproc']).stdout.strip()}), {cpu_model()}, "
           f"Linux {platform.release()}"),
          (f"- Load average (1/5/15 min): {load_before} before, {load_after} after the measured rounds; "
           f"1-min load at the start of each round: {', '.join(f'{x:.2f}' for x in round_loads)} ({quiet})"),
          f"- schemaforge: {first_line(['swift', '--version'])}; {args.build_note}",
          (f"- sqlacodegen {versions.get('sqlacodegen', '?')}, SQLAlchemy {versions.get('SQLAlchemy', '?')}, "
           f"psycopg {versions.get('psycopg', '?')} (binary {versions.get('psycopg-binary', '?')}), "
           f"Python {versions.get('Python', '?')} (venv `{os.path.relpath(args.venv, ROOT)}`)"),
          f"- PostgreSQL: {psql_version(args)} on {args.pg_host}:{args.pg_port}; {first_line(['pg_dump', '--version'])}",
          (f"- Inputs: {corpus_note}; each loaded once into a fresh database `{args.db_prefix}_<file>` with "
           "`psql -X -q -v ON_ERROR_STOP=0 -f FILE` (statements PostgreSQL 15 cannot run fail, the rest loads)"),
          (f"- Method: 1 warm-up run of every command per input, then {args.runs} rounds; in each round, for each "
           "input in turn, A, B, C, D, E in that order, so the tools see the same machine state. Every run "
           "writes a new file; `sync` before each run. Wall time from time.perf_counter around the whole process "
           "(stdout to /dev/null); CPU time = user + system from wait4, which includes the children a process "
           "waited for (pg_dump inside B) but not the PostgreSQL server's work (the catalog queries of B, C and "
           "D are in the wall time only)"),
          ]
    r += ["", "Commands:", "",
          "- A: `schemaforge import FILE.sql --dialect postgresql --out OUT.yaml` (the dump file)",
          (f"- B: `schemaforge import postgresql://{args.pg_user}@{args.pg_host}:{args.pg_port}/DB --out OUT.yaml` "
           "(live: runs `pg_dump --schema-only --no-owner --no-privileges` and imports what it prints)"),
          (f"- C: `sqlacodegen postgresql+psycopg://{args.pg_user}@{args.pg_host}:{args.pg_port}/DB --outfile OUT.py` "
           "(reflects the database with SQLAlchemy, writes declarative models)"),
          "- D (context): `pg_dump --schema-only --no-owner --no-privileges --dbname=URL > /dev/null`, the dump B runs",
          "- E (context): `schemaforge import` of the file D printed: B's work after pg_dump", ""]

    r += ["## Inputs", "",
          ("| input | file bytes | load | statements failed | tables in the database (public) | views (public) | "
           "pg_dump output bytes |"), "|---|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        item = res["item"]
        r.append(f"| `{item.name}` | {item.path.stat().st_size:,} | {item.load_seconds:.1f} s | "
                 f"{len(item.load_errors)} | {item.tables} ({item.public_tables}) | {item.public_views} | "
                 f"{item.dump_file.stat().st_size:,} |")
    r += ["", "The statements that failed to load (first distinct messages per input):", ""]
    for res in results:
        item = res["item"]
        distinct = list(dict.fromkeys(item.load_errors))
        shown = "; ".join(f"`{cell(m)[:110]}`" for m in distinct[:4]) or "none"
        more = f" (+{len(distinct) - 4} more distinct)" if len(distinct) > 4 else ""
        r.append(f"- `{item.name}`: {shown}{more}")

    r += ["", f"## Results ({args.runs} rounds, interleaved; median wall time)", ""]
    r += [("| input | tables in DB | YAML entities (A file / B live) | sqlacodegen classes + Tables | "
           "A file | B live | C sqlacodegen | C / A | C / B | target >= 20x (A / B) |"),
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|"]
    for res in results:
        item = res["item"]
        r.append(f"| `{item.name}` | {item.tables} | {res['entities_a']} / {res['entities_b']} | "
                 f"{res['classes']} + {res['tables_c']} | {fmt_s(res['sa']['median'])} | {fmt_s(res['sb']['median'])} | "
                 f"{fmt_s(res['sc']['median'])} | **{res['ratio_a']:.1f}x** | **{res['ratio_b']:.1f}x** | "
                 f"{verdict(res['ratio_a'] >= TARGET_RATIO)} / {verdict(res['ratio_b'] >= TARGET_RATIO)} |")
    r += ["", (f"Target, at least {TARGET_RATIO:.0f}x faster than sqlacodegen on every input: file import "
               f"**{verdict(all_a)}**, live import **{verdict(all_b)}**."), ""]

    r += ["### Every command", "",
          "| input | command | median wall | min | max | CPU (median) | user | sys | peak RSS |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    labels = [("sa", "A import FILE"), ("sb", "B import URL (live)"), ("sc", "C sqlacodegen"),
              ("sd", "D pg_dump alone"), ("se", "E import of D's output")]
    for res in results:
        for key, label in labels:
            s = res[key]
            rss = f"{s['rss_mib']:.0f} MiB" if s["rss_mib"] else "-"
            r.append(f"| `{res['item'].name}` | {label} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | {fmt_s(s['max'])} | "
                     f"{fmt_s(s['cpu'])} | {fmt_s(s['user'])} | {fmt_s(s['sys'])} | {rss} |")
    r += ["", ("| input | ratio C / A by minimum wall | C / B by minimum wall | C / A by CPU | C / B by CPU | "
               "B minus D (median) | E (median) |"), "|---|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        sa, sb, sc, sd, se = (res[k] for k in ("sa", "sb", "sc", "sd", "se"))
        r.append(f"| `{res['item'].name}` | {sc['min'] / sa['min']:.1f}x | {sc['min'] / sb['min']:.1f}x | "
                 f"{sc['cpu'] / sa['cpu']:.1f}x | {sc['cpu'] / sb['cpu']:.1f}x | "
                 f"{fmt_s(sb['median'] - sd['median'])} | {fmt_s(se['median'])} |")
    r += ["", (f"pg_dump's floor: the same `pg_dump --schema-only` of an empty database takes {fmt_s(pg_dump_floor)} "
               "(median of 5, after the rounds)."), ""]
    r += ["Every run in order, wall / CPU seconds:", ""]
    for res in results:
        for key, label in labels:
            s = res[key]
            r.append(f"- `{res['item'].name}` {label}: " + ", ".join(
                f"{w:.3f} / {c:.3f}" for w, c in zip(s["walls"], s["cpus"], strict=True)))

    r += ["", "## sqlacodegen's phases (one run per input, in-process)", "",
          ("sqlacodegen's `cli.main()` step by step in the venv's Python, with a clock between the steps and a "
           "`before_cursor_execute` counter on the engine. Start-up = the process's wall time minus the time "
           f"inside the script (the interpreter; `python -c pass` alone: {fmt_s(startup)})."), "",
          ("| input | whole process | start-up + exit | imports (SQLAlchemy, sqlacodegen) | of which `inflect` | "
           "connect | reflection | SQL statements in reflection | generate code | write |"),
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        p = res["phases"]
        if not p:
            r.append(f"| `{res['item'].name}` | failed | | | | | | | | |")
            continue
        r.append(f"| `{res['item'].name}` | {fmt_s(p['wall'])} | {fmt_s(p['startup'])} | {fmt_s(p['imports'])} | "
                 f"{fmt_s(p['inflect'])} | {fmt_s(p['connect'])} | {fmt_s(p['reflect'])} | {p['statements']:,} | {fmt_s(p['generate'])} | "
                 f"{fmt_s(p['write'])} |")

    r += ["", "## Sanity check of the outputs (once, not part of the timing)", "",
          f"The last measured outputs are kept in `{rel(kept)}`. A failure here is reported, not fatal.", "",
          "| input | check | result | detail |", "|---|---|:---:|---|"]
    ok = lambda b: "PASS" if b else "**FAIL**"
    for res in results:
        item = res["item"]
        r.append(f"| `{item.name}` | A: `schemaforge validate` on the file's YAML | {ok(res['ok_a'])} | "
                 f"{cell(res['line_a'])}; import: {item.import_summary_a} |")
        r.append(f"| `{item.name}` | B: `schemaforge validate` on the live YAML | {ok(res['ok_b'])} | "
                 f"{cell(res['line_b'])}; import: {item.import_summary_b} |")
        diff = []
        if res["only_a"]:
            diff.append(f"only in the file's: {len(res['only_a'])} ({', '.join(res['only_a'][:6])}"
                        f"{', ...' if len(res['only_a']) > 6 else ''})")
        if res["only_b"]:
            diff.append(f"only in the live one: {len(res['only_b'])} ({', '.join(res['only_b'][:6])}"
                        f"{', ...' if len(res['only_b']) > 6 else ''})")
        r.append(f"| `{item.name}` | entities of A vs B | {'same' if not diff else 'differ'} | "
                 f"{cell('; '.join(diff)) or 'the same entity names'} |")
        r.append(f"| `{item.name}` | C: sqlacodegen's module imports (+ `configure_mappers()`) | {ok(res['ok_c'])} | "
                 f"{cell(res['line_c'])}; {res['classes']} classes, {res['tables_c']} `Table(...)`, "
                 f"{res['lines_c']:,} lines |")
    for name, err in stderr_c.items():
        if err.strip():
            r.append("")
            r.append(f"sqlacodegen's stderr on `{name}` (warm-up run): `" + tail(err, 2).replace("`", "'") + "`")

    analysis = ""
    if args.report.exists():
        old = args.report.read_text()
        if ANALYSIS_MARKER in old:
            analysis = old[old.index(ANALYSIS_MARKER):]
    text = "\n".join(r) + "\n"
    if analysis:
        text += "\n" + analysis
    args.report.write_text(text)
    for res in results:
        log(f"{res['item'].name}: A {res['sa']['median']:.3f} s, B {res['sb']['median']:.3f} s, "
            f"C {res['sc']['median']:.3f} s, C/A {res['ratio_a']:.1f}x, C/B {res['ratio_b']:.1f}x")
    log(f"wrote {rel(args.report)}: file import {verdict(all_a)}, live import {verdict(all_b)}")


if __name__ == "__main__":
    main()
