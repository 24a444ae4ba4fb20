#!/usr/bin/env python3
"""`schemaforge generate` (the whole FastAPI project) vs sqlacodegen (models only) on the same 1,000-entity schema.

Called by bench/generate_vs_sqlacodegen.sh, which builds the release binary, prepares the venv with sqlacodegen
and makes sure PostgreSQL is up. This script:

1. writes the synthetic schema (bench/generate_schema.py) and loads `schemaforge sql --dialect postgresql` into a
   fresh PostgreSQL database (psql -v ON_ERROR_STOP=1);
2. runs each tool once as a warm-up, then RUNS rounds, each round A then B (interleaved, same conditions):
   A = `schemaforge generate SCHEMA --out FRESH_DIR --db postgresql`, B = `sqlacodegen URL --outfile FRESH_FILE`;
   for context each round also times C = `schemaforge generate --dry-run` (all the generation work, no file
   written) and D = writing the same files with plain open/write/close from this process (the file-system
   floor for creating that many files here);
3. counts the files and bytes each tool wrote, checks the generated project once (import app.models +
   configure_mappers(), ruff check, ruff format --check) and the sqlacodegen module (import, table count);
4. with perf: profiles one `generate` (and one --dry-run) and breaks the samples down by stage; with strace:
   counts the system calls of one `generate`;
5. writes bench/REPORT-generate.md, keeping its hand-written part (from ANALYSIS_MARKER on).

Nothing here fails on a slow result: the target is reported as PASS or MISS. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "generate"
# One new directory or file per run; nothing is deleted until every measurement is done. On ext4 without a
# journal (as on these machines) the inode allocator skips inodes freed in the last minutes (recently_deleted()),
# so after thousands of files were deleted, creating files costs ~0.5 ms each instead of ~25 us for 3-5 minutes.
# The clean-up at the end therefore slows a run started right after this one (and other work on the machine).
OUT = WORK / "runs"
REPORT = ROOT / "bench" / "REPORT-generate.md"
ANALYSIS_MARKER = "## Analysis"
TARGET_RATIO = 20.0
TARGET_SECONDS = 0.2

# Profile stages: (label, alternatives). A sample counts for a stage when, for one of the alternatives, every
# needle matches some frame of its call stack ("of which" rows need both the parent and the child on the stack).
# libc's open() has no frame pointer, so samples inside it lose their callers: file creation is matched by its
# kernel frames (ext4_create) instead.
WRITE = [["FreshDirectoryWriter.create("], ["GenerationPlan.apply("], ["ext4_create"]]
STAGES = [
    ("load: GeneratorPipeline.load (read YAML, decode, resolve)", [["GeneratorPipeline.load("]]),
    ("generate: the generators' jobs, on both cores (rendering; each file handed to the writer thread)",
     [["ParallelGeneration."]]),
    ("- models: SQLAlchemyModelsGenerator (one job per model)", [["SQLAlchemyModelsGenerator.jobs("]]),
    ("- schemas: PydanticSchemasGenerator (one job per entity)", [["PydanticSchemasGenerator.jobs("]]),
    ("- app: FastAPIAppGenerator (routers, crud, main)", [["FastAPIAppGenerator.jobs("]]),
    ("- - of which FastAPIAppGenerator.reflowLong", [["FastAPIAppGenerator.reflow"]]),
    ("- tests: TestsGenerator", [["TestsGenerator.jobs("]]),
    ("- migrations: AlembicGenerator.initialRevision (one job)", [["AlembicGenerator.initialRevision("]]),
    ("- - of which PythonRenderer.wrap (wrapping the rendered operations)",
     [["AlembicGenerator.initialRevision(", "PythonRenderer.wrap("]]),
    ("- snapshot: MigrationSnapshot.encode (one job)", [["MigrationSnapshot.encode("]]),
    ("- rendering: PythonRenderer.render (inside the generators above)", [["PythonRenderer.render("]]),
    ("- - of which PythonRenderer.wrap", [["PythonRenderer.wrap("]]),
    ("- - of which PythonImports.render (isort order)", [["PythonImports.render("]]),
    ("plan: GenerationPlan.make (looks for existing files; --dry-run and existing projects only)", [["GenerationPlan.make("]]),
    ("write: FreshDirectoryWriter.create (the writer thread), with file creation (ext4_create) whose callers are lost",
     WRITE),
    ("- of which creating the files: ext4_create (inode allocation)", [["ext4_create"]]),
    ("- - of which ext4 recently_deleted() (skips recently freed inodes; no-journal ext4)", [["recently_deleted"]]),
    ("- of which writing the bytes: ksys_write", [["ksys_write"]]),
    ("- of which xxHash64 for the manifest", [["FreshDirectoryWriter.create(", "XXH64."]]),
    ("- of which fsync (kernel)", [["do_fsync"]]),
    ("manifest: FreshDirectoryWriter.finish (JSON written directly)", [["FreshDirectoryWriter.finish("]]),
]
HOT_CALLS = [
    ("String.replacingOccurrences (Foundation, via NSString)", "replacingOccurrences"),
    ("Collection.split", "Collection.split("),
    ("String.trimmingCharacters (Foundation)", "trimmingCharacters"),
    ("swift_retain / swift_release", "swift_re"),
]
PROJECT_FRAME = re.compile(r"Generator\.|Renderer\.|PythonImports\.|PythonNames\.|EntityView\.|SampleValues\.|"
                           r"SQLAlchemyTypes\.|GenerationPlan\.|Manifest\.|NamingConvention\.|ResolutionContext\.|"
                           r"DocumentDecoder\.|YAMLSyntaxReader\.|YAMLEventTreeBuilder\.|Schema\.|FreshDirectoryWriter\.|"
                           r"MigrationSnapshot\.|ParallelGeneration\.")


# ---------------------------------------------------------------------------------------------------------
# running and timing


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=kw.pop("check", False), text=True, capture_output=True, **kw)


@dataclass
class Sample:
    wall: float  # seconds
    user: float  # CPU seconds in user mode (the process and its waited-for children)
    sys: float  # CPU seconds in the kernel
    rss_kib: int = 0

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[Sample, str]:
    """One run of cmd: its Sample and its stderr. Output to /dev/null; stderr kept (sqlacodegen's SAWarning
    goes there). Exits on failure."""
    os.sync()  # no write-back of the previous run's files pending while this one runs
    # stderr goes to a temporary file, read after wait4: a pipe would fill up and block a chatty command
    # (Alembic logs a line per detected change).
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keeps Popen from waiting again
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{stderr}")
    return Sample(elapsed, usage.ru_utime, usage.ru_stime, usage.ru_maxrss), stderr


def summary(samples: list[Sample]) -> dict:
    walls = [s.wall for s in samples]
    return {
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": statistics.median(s.cpu for s in samples),
        "user": statistics.median(s.user for s in samples),
        "sys": statistics.median(s.sys for s in samples),
        "rss_mib": max(s.rss_kib for s in samples) / 1024,
        "walls": walls,
        "cpus": [s.cpu for s in samples],
    }


def read_tree(directory: Path) -> list[tuple[str, bytes]]:
    return sorted((str(p.relative_to(directory)), p.read_bytes()) for p in directory.rglob("*") if p.is_file())


def write_floor(files: list[tuple[str, bytes]], directory: Path) -> Sample:
    """Writes the files with plain open/write/close (no temp file, no fsync): the file-system floor."""
    shutil.rmtree(directory, ignore_errors=True)
    os.sync()
    t0 = os.times()
    start = time.perf_counter()
    made: set[str] = set()
    for rel, data in files:
        path = directory / rel
        parent = str(path.parent)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(path, "wb") as f:
            f.write(data)
    wall = time.perf_counter() - start
    t1 = os.times()
    return Sample(wall, t1.user - t0.user, t1.system - t0.system)


def wait_for_quiet(max_load: float, max_wait: float, log) -> str:
    """Waits (at most max_wait seconds) until the 1-minute load average is below max_load."""
    if max_load <= 0:
        return "not waited for"
    start = time.monotonic()
    while os.getloadavg()[0] >= max_load and time.monotonic() - start < max_wait:
        log(f"waiting for a quieter machine: load {os.getloadavg()[0]:.2f} >= {max_load}")
        time.sleep(15)
    waited = time.monotonic() - start
    quiet = os.getloadavg()[0] < max_load
    return (f"waited {waited:.0f} s for 1-min load < {max_load}" + ("" if quiet else " (gave up: still above)"))


def file_creation_probe(directory: Path, directories: int = 10, count: int = 100) -> float:
    """Microseconds per file to create `count` small files in each of `directories` new directories, for the
    slowest directory (ext4 puts new directories in different block groups; a generated project spreads over
    ten). The files are left in place: deleting them would itself slow the next creations, see OUT."""
    worst = 0.0
    for d in range(directories):
        sub = directory / f"d{d:02d}"
        sub.mkdir(parents=True)
        start = time.perf_counter()
        for i in range(count):
            with open(sub / f"f{i:04d}.py", "w") as f:
                f.write("x = 1\n")
        worst = max(worst, (time.perf_counter() - start) / count * 1e6)
    return worst


def wait_for_file_system(probe_root: Path, max_us: float, max_wait: float, log) -> str:
    """Waits (at most max_wait seconds) until creating a file costs less than max_us microseconds: after
    thousands of files are deleted (by this script's clean-up, a test suite, ...) ext4 without a journal skips
    the freed inodes for minutes and every creation gets many times slower, whatever the program."""
    if max_us <= 0:
        return "file creation not probed"
    start = time.monotonic()
    serial = 0
    while True:
        cost = file_creation_probe(probe_root / f"probe-{serial:03d}")
        serial += 1
        if cost < max_us or time.monotonic() - start >= max_wait:
            break
        log(f"file creation is slow ({cost:.0f} us per file >= {max_us:.0f}): waiting for the file system")
        time.sleep(30)
    waited = time.monotonic() - start
    verdict = "" if cost < max_us else " (gave up: still above)"
    return (f"file creation {cost:.0f} us per file (slowest of 10 new directories) before the rounds "
            f"(waited {waited:.0f} s for < {max_us:.0f} us){verdict}")


# ---------------------------------------------------------------------------------------------------------
# facts about the machine, the tools and the schema


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def first_line(cmd: list[str]) -> str:
    try:
        out = run(cmd)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def git_state() -> str:
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).stdout.strip() or "unknown"
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "Sources"]).stdout.strip()
    return f"{commit} (with uncommitted changes in Sources/)" if dirty else commit


def venv_versions(python: Path,
                  packages: tuple[str, ...] = ("sqlacodegen", "SQLAlchemy", "psycopg", "psycopg-binary", "ruff"),
                  ) -> dict[str, str]:
    code = ("import importlib.metadata as m, sys\n"
            "print('Python', sys.version.split()[0])\n"
            f"for n in {packages!r}:\n"
            "    try: print(n, m.version(n))\n"
            "    except m.PackageNotFoundError: print(n, 'not installed')\n")
    out = run([str(python), "-c", code]).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def schema_counts(binary: Path, schema: Path) -> dict[str, int]:
    import json

    ir = json.loads(run([str(binary), "resolve", str(schema)], check=True).stdout)
    tables = ir["tables"]
    return {
        "entities": sum(1 for t in tables if t.get("entity")),
        "tables (entities + join tables)": len(tables),
        "columns": sum(len(t["columns"]) for t in tables),
        "foreign keys": sum(len(t["foreignKeys"]) for t in tables),
        "indexes": sum(len(t["indexes"]) for t in tables),
        "unique constraints": sum(len(t["uniques"]) for t in tables),
        "checks": sum(len(t["checks"]) for t in tables),
        "enums": len(ir["enums"]),
        "schema file bytes": schema.stat().st_size,
    }


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL


def psql(args: argparse.Namespace, database: str, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    cmd = ["psql", "-X", "-q", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", database,
           "-v", "ON_ERROR_STOP=1", *extra]
    out = run(cmd)
    if check and out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-4000:]}")
    return out


def load_database(args: argparse.Namespace, binary: Path, schema: Path) -> tuple[int, float]:
    """Fresh database with the schema's PostgreSQL DDL; returns (tables in public, seconds to load)."""
    ddl = WORK / f"schema-{args.entities}.postgresql.sql"
    subprocess.run([str(binary), "sql", str(schema), "--dialect", "postgresql", "-o", str(ddl)], check=True)
    psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{args.db_name}"')
    psql(args, "postgres", "-c", f'CREATE DATABASE "{args.db_name}"')
    start = time.perf_counter()
    psql(args, args.db_name, "-f", str(ddl))
    seconds = time.perf_counter() - start
    count = psql(args, args.db_name, "-tA", "-c",
                 "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").stdout.strip()
    return int(count), seconds


# ---------------------------------------------------------------------------------------------------------
# checks of the outputs


def project_stats(directory: Path) -> tuple[int, int, list[tuple[str, int, int]]]:
    groups: dict[str, list[int]] = {}
    for p in directory.rglob("*"):
        if not p.is_file():
            continue
        parts = p.relative_to(directory).parts
        key = "/".join(parts[:2]) + "/" if parts[0] == "app" and len(parts) > 2 else (
            parts[0] + "/" if len(parts) > 1 else "(top level)")
        groups.setdefault(key, []).append(p.stat().st_size)
    rows = sorted(((k, len(v), sum(v)) for k, v in groups.items()), key=lambda r: -r[2])
    return sum(r[1] for r in rows), sum(r[2] for r in rows), rows


def check_project(python: Path, ruff: Path, project: Path, expected_tables: int) -> list[tuple[str, bool, str]]:
    results: list[tuple[str, bool, str]] = []
    code = ("import sys, time\n"
            "t = time.perf_counter()\n"
            "sys.path.insert(0, '.')\n"
            "import app.models\n"
            "from sqlalchemy.orm import configure_mappers\n"
            "configure_mappers()\n"
            "print(len(app.models.Base.metadata.tables), f'{time.perf_counter() - t:.1f}')\n")
    out = run([str(python), "-c", code], cwd=project)
    if out.returncode == 0:
        tables, seconds = out.stdout.split()
        ok = int(tables) == expected_tables
        results.append(("`import app.models` + `configure_mappers()`", ok,
                        f"{tables} tables in Base.metadata (expected {expected_tables}); {seconds} s"))
    else:
        results.append(("`import app.models` + `configure_mappers()`", False, tail(out.stderr)))
    for label, cmd in [("`ruff check --no-fix .`", [str(ruff), "check", "--no-cache", "--no-fix", "--output-format", "concise", "."]),
                       ("`ruff format --check .`", [str(ruff), "format", "--no-cache", "--check", "."])]:
        out = run(cmd, cwd=project)
        text = (out.stdout + out.stderr).strip()
        results.append((label, out.returncode == 0, tail(text) if out.returncode else (text.splitlines() or ["ok"])[-1]))
    return results


def check_sqlacodegen_output(python: Path, module: Path, expected_tables: int) -> tuple[str, bool, str]:
    code = ("import importlib.util, sys, warnings\n"
            "warnings.simplefilter('ignore')\n"
            f"spec = importlib.util.spec_from_file_location('sqlacodegen_models', {str(module)!r})\n"
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
            "from sqlalchemy.orm import configure_mappers\n"
            "configure_mappers()\n"
            "print(len(m.Base.metadata.tables))\n")
    out = run([str(python), "-c", code])
    label = "sqlacodegen's module imports (+ `configure_mappers()`)"
    if out.returncode != 0:
        return label, False, tail(out.stderr)
    tables = int(out.stdout.split()[-1])
    return label, tables == expected_tables, f"{tables} tables in Base.metadata (expected {expected_tables})"


def tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[:900] or "(no output)"


# ---------------------------------------------------------------------------------------------------------
# profile


def perf_stacks(cmd: list[str], data: Path) -> list[list[tuple[str, bool]]] | None:
    """Call stacks (innermost first) of one `perf record -g` run as (demangled symbol, is_kernel)."""
    if not shutil.which("perf"):
        return None
    os.sync()
    rec = run(["perf", "record", "-F", "2000", "-g", "-o", str(data), *cmd])
    if rec.returncode != 0:
        print(f"perf record failed, no profile: {tail(rec.stderr)}", file=sys.stderr)
        return None
    script = run(["perf", "script", "-i", str(data), "-F", "ip,sym,dso"]).stdout
    if shutil.which("swift"):
        script = subprocess.run(["swift", "demangle", "--simplified"], check=False, input=script, capture_output=True, text=True).stdout
    stacks: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    frame = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\(([^()]*)\)\s*$")
    for line in script.splitlines():
        if not line.strip():
            if current:
                stacks.append(current)
            current = []
            continue
        m = frame.match(line)
        if m:
            current.append((m.group(1), "kernel" in m.group(2)))
        else:
            current.append((line.strip(), False))
    if current:
        stacks.append(current)
    return stacks or None


def share(stacks: list[list[tuple[str, bool]]], alternatives: list[list[str]]) -> float:
    def matches(stack: list[tuple[str, bool]]) -> bool:
        return any(all(any(n in f for f, _ in stack) for n in needles) for needles in alternatives)

    return 100 * sum(1 for s in stacks if matches(s)) / len(stacks)


def kernel_share(stacks: list[list[tuple[str, bool]]]) -> float:
    return 100 * sum(1 for s in stacks if s and s[0][1]) / len(stacks)


def hot_call_callers(stacks: list[list[tuple[str, bool]]], needle: str) -> tuple[float, list[tuple[str, float]]]:
    callers: Counter[str] = Counter()
    total = 0
    for s in stacks:
        idx = next((i for i, (f, _) in enumerate(s) if needle in f), None)
        if idx is None:
            continue
        total += 1
        caller = next((f for f, _ in s[idx + 1:] if PROJECT_FRAME.search(f) and needle not in f), "(other)")
        callers[caller] += 1
    n = len(stacks)
    return 100 * total / n, [(c, 100 * k / n) for c, k in callers.most_common(4)]


def top_functions(stacks: list[list[tuple[str, bool]]], limit: int = 25) -> list[tuple[float, float, str]]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for s in stacks:
        if s:
            own[s[0][0]] += 1
        for f in {f for f, _ in s}:
            inclusive[f] += 1
    n = len(stacks)
    keep = [f for f in inclusive if PROJECT_FRAME.search(f)]
    keep.sort(key=lambda f: -inclusive[f])
    return [(100 * inclusive[f] / n, 100 * own[f] / n, f) for f in keep[:limit]]


def strace_counts(cmd: list[str]) -> list[tuple[str, int, int]] | None:
    if not shutil.which("strace"):
        return None
    out_file = WORK / "strace.txt"
    os.sync()
    res = run(["strace", "-f", "-c", "-o", str(out_file), *cmd])
    if res.returncode != 0 or not out_file.exists():
        return None
    rows = []
    for line in out_file.read_text().splitlines():
        parts = line.split()
        # "% time  seconds  usecs/call  calls  errors  syscall" (errors may be empty)
        if len(parts) >= 5 and re.fullmatch(r"[\d.]+", parts[0]) and parts[-1] != "total":
            calls = int(parts[3])
            errors = int(parts[4]) if len(parts) == 6 else 0
            rows.append((parts[-1], calls, errors))
    rows.sort(key=lambda r: -r[1])
    return rows


# ---------------------------------------------------------------------------------------------------------
# report


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.2f} s"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 1 else f"{seconds:.2f} s"


def timing_table(rows: list[tuple[str, str, dict]]) -> list[str]:
    """Report lines: a table of (short label, label, summary()) rows, then every run of each in order."""
    r = ["| command | median wall | min | max | CPU (median) | user | sys | peak RSS |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for _, label, s in rows:
        rss = f"{s['rss_mib']:.0f} MiB" if s["rss_mib"] else "-"
        r.append(f"| {label} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | {fmt_s(s['max'])} | {fmt_s(s['cpu'])} | "
                 f"{fmt_s(s['user'])} | {fmt_s(s['sys'])} | {rss} |")
    r += ["", "Every run in order, wall / CPU seconds:", ""]
    for short, _, s in rows:
        r.append(f"- {short}: " + ", ".join(f"{w:.3f} / {c:.3f}" for w, c in zip(s["walls"], s["cpus"], strict=True)))
    return r


def benchmark_arguments(doc: str, venv_help: str, pg_port: int, db_name: str, report: Path) -> argparse.ArgumentParser:
    """The command-line options the benchmarks against PostgreSQL share."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, type=Path, help="release schemaforge binary")
    parser.add_argument("--venv", required=True, type=Path, help=venv_help)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=pg_port)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--db-name", default=db_name)
    parser.add_argument("--build-note", default="release build")
    parser.add_argument("--commit", help="the commit the binary was built from (default: HEAD now)")
    parser.add_argument("--report", type=Path, default=report)
    parser.add_argument("--quiet-load", type=float, default=0.0,
                        help="before measuring, wait until the 1-minute load average is below this (0: do not wait)")
    parser.add_argument("--quiet-wait", type=float, default=600, help="longest wait for --quiet-load, seconds")
    parser.add_argument("--fs-quiet-us", type=float, default=100.0,
                        help="first wait until creating a file costs less than this many microseconds (0: do not probe)")
    return parser


def main() -> None:
    parser = benchmark_arguments(__doc__, "venv with sqlacodegen, psycopg, SQLAlchemy, ruff", 54329,
                                 "sf_bench_sqlacodegen", REPORT)
    parser.add_argument("--keep-db", action="store_true", help="leave the benchmark database in place")
    parser.add_argument("--no-profile", action="store_true", help="skip perf and strace")
    args = parser.parse_args()

    binary = args.bin.resolve()
    args.venv = args.venv.absolute()  # not resolve(): the venv python is a symlink
    python = args.venv / "bin" / "python"
    sqlacodegen = args.venv / "bin" / "sqlacodegen"
    ruff = args.venv / "bin" / "ruff"
    WORK.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    log = lambda msg: print(f"== {msg}", file=sys.stderr, flush=True)

    # The previous run's outputs are moved aside now and deleted only after this run's measurements:
    # deleting thousands of files makes creating files slow for minutes on this file system (see OUT).
    trash = WORK / "trash"
    trash.mkdir(exist_ok=True)
    for p in (OUT, WORK / "project", WORK / "sqlacodegen_models.py"):
        if p.exists():
            p.rename(trash / f"{p.name}-{time.time_ns()}")
    OUT.mkdir(parents=True)

    log(f"schema with {args.entities} entities")
    schema = WORK / f"schema-{args.entities}.yaml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_schema.py"), "-n", str(args.entities),
                    "-o", str(schema)], check=True)
    counts = schema_counts(binary, schema)
    expected_tables = counts["tables (entities + join tables)"]

    log(f"loading the PostgreSQL DDL into a fresh database {args.db_name}")
    loaded_tables, load_seconds = load_database(args, binary, schema)
    if loaded_tables != expected_tables:
        raise SystemExit(f"the database has {loaded_tables} tables, the schema {expected_tables}")
    url = f"postgresql+psycopg://{args.pg_user}@{args.pg_host}:{args.pg_port}/{args.db_name}"

    def cmd_generate(out: Path, *extra: str) -> list[str]:
        return [str(binary), "generate", str(schema), "--out", str(out), "--db", "postgresql", *extra]

    def cmd_sqlacodegen(out: Path) -> list[str]:
        return [str(sqlacodegen), url, "--outfile", str(out)]

    # Every run writes to a new path and nothing is deleted until the measurements are over: on ext4 without
    # a journal (as here) creating a file right after thousands were deleted is slow (the inode allocator
    # skips recently freed inodes), which would charge one run's clean-up to the next run.
    serial = iter(range(1_000_000))

    def new_path(tag: str, suffix: str = "") -> Path:
        return OUT / f"{tag}-{next(serial):03d}{suffix}"

    dry_dir = new_path("dry-run-never-written")

    log("warm-up: one run of each")
    project_dir = new_path("project")
    timed(cmd_generate(project_dir))
    _, sqlacodegen_stderr = timed(cmd_sqlacodegen(new_path("sqlacodegen", ".py")))
    timed(cmd_generate(dry_dir, "--dry-run"))
    files = read_tree(project_dir)
    write_floor(files, new_path("floor"))

    quiet = wait_for_quiet(args.quiet_load, args.quiet_wait, log)
    fs_state = wait_for_file_system(OUT, args.fs_quiet_us, args.quiet_wait, log)
    load_before = load_average()
    a: list[Sample] = []
    b: list[Sample] = []
    c: list[Sample] = []
    d: list[Sample] = []
    round_loads: list[float] = []
    for i in range(args.runs):
        round_loads.append(os.getloadavg()[0])
        project_dir = new_path("project")
        models_file = new_path("sqlacodegen", ".py")
        a.append(timed(cmd_generate(project_dir))[0])
        b.append(timed(cmd_sqlacodegen(models_file))[0])
        c.append(timed(cmd_generate(dry_dir, "--dry-run"))[0])
        d.append(write_floor(files, new_path("floor")))
        log(f"round {i + 1}/{args.runs} (load {round_loads[-1]:.2f}): schemaforge generate {a[-1].wall:.3f} s "
            f"(CPU {a[-1].cpu:.3f} s), sqlacodegen {b[-1].wall:.3f} s (CPU {b[-1].cpu:.3f} s), "
            f"--dry-run {c[-1].wall:.3f} s, plain writes {d[-1].wall:.3f} s")
    sa, sb, sc, sd = summary(a), summary(b), summary(c), summary(d)
    ratio = sb["median"] / sa["median"]
    load_after = load_average()

    log("checking the outputs")
    n_files, n_bytes, groups = project_stats(project_dir)
    models_bytes = models_file.stat().st_size
    models_text = models_file.read_text()
    models_lines = models_text.count("\n")
    models_classes = len(re.findall(r"^class \w+\(Base\):", models_text, re.MULTILINE))
    models_tables = len(re.findall(r"^\w+ = Table\(", models_text, re.MULTILINE))
    checks = check_project(python, ruff, project_dir, expected_tables)
    checks.append(check_sqlacodegen_output(python, models_file, expected_tables))

    stacks = dry_stacks = syscalls = None
    if not args.no_profile:
        log("profiling one run (perf, strace)")
        stacks = perf_stacks(cmd_generate(new_path("perf-project")), WORK / "perf-generate.data")
        dry_stacks = perf_stacks(cmd_generate(dry_dir, "--dry-run"), WORK / "perf-dry-run.data")
        syscalls = strace_counts(cmd_generate(new_path("strace-project")))
    if not args.keep_db:
        psql(args, "postgres", "-c", f'DROP DATABASE IF EXISTS "{args.db_name}"', check=False)

    # Keep the last measured outputs for inspection; remove the rest.
    kept_project, kept_models = WORK / "project", WORK / "sqlacodegen_models.py"
    project_dir.rename(kept_project)
    models_file.rename(kept_models)
    project_dir, models_file = kept_project, kept_models
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(trash, ignore_errors=True)

    versions = venv_versions(python)
    passed = ratio >= TARGET_RATIO

    # ----- report
    r: list[str] = []
    r += ["# Benchmark: `schemaforge generate` vs sqlacodegen", ""]
    r += ["Generated by `bench/generate_vs_sqlacodegen.sh` (bench/generate_vs_sqlacodegen.py); the measured sections",
          f"are rewritten on every run, the '{ANALYSIS_MARKER[3:]}' section at the end is hand-written and kept.", ""]
    r += ["Usage and method: the last section of bench/README.md.", ""]
    r += ["## Setup", ""]
    r += [f"- Date: {started:%Y-%m-%d %H:%M} UTC",
          f"- Commit: {args.commit or git_state()} (at build time)",
          (f"- Machine: {os.cpu_count()} CPUs (nproc {run(['nproc']).stdout.strip()}), {cpu_model()}, "
          f"Linux {platform.release()}"),
          (f"- Load average (1/5/15 min): {load_before} before, {load_after} after the measured rounds; "
           f"1-min load at the start of each round: {', '.join(f'{x:.2f}' for x in round_loads)} ({quiet}); "
           f"{fs_state}"),
          f"- schemaforge: {first_line(['swift', '--version'])}; {args.build_note}",
          (f"- sqlacodegen {versions.get('sqlacodegen', '?')}, SQLAlchemy {versions.get('SQLAlchemy', '?')}, "
          f"psycopg {versions.get('psycopg', '?')} (binary {versions.get('psycopg-binary', '?')}), "
          f"Python {versions.get('Python', '?')}, ruff {versions.get('ruff', '?')} (venv `{os.path.relpath(args.venv, ROOT)}`)"),
          (f"- PostgreSQL: {psql_version(args)} on {args.pg_host}:{args.pg_port}, fresh database `{args.db_name}` "
          f"loaded from `schemaforge sql --dialect postgresql` ({loaded_tables} tables, {load_seconds:.1f} s to load)"),
          (f"- Method: 1 warm-up run of each command, then {args.runs} rounds; each round runs A, B, C, D in that "
          "order, so both tools see the same machine state. Every run writes into a new, empty directory "
          "(or a new file) and nothing is deleted until all runs are over (see the note on ext4 in the analysis); "
          "`sync` before each run so no write-back of the previous run is pending. Wall time from "
          "time.perf_counter around the whole process (stdout to /dev/null); CPU time = user + system from wait4 "
          "(for sqlacodegen this is the Python client only: the PostgreSQL server's work during reflection is "
          "in the wall time, not in the CPU column)"),
          ]
    r += ["", "Commands:", "",
          f"- A: `schemaforge generate {rel(schema)} --out DIR --db postgresql` (the whole project)",
          (f"- B: `sqlacodegen postgresql+psycopg://{args.pg_user}@{args.pg_host}:{args.pg_port}/{args.db_name} "
          "--outfile FILE` (SQLAlchemy models only, reflected from the database)"),
          "- C (context): A with `--dry-run`: load, generate every file in memory, plan; writes nothing",
          ("- D (context): this script writing A's files with plain open/write/close (no temp file, no fsync): "
          "what creating that many files costs on this file system"), ""]

    r += [f"## Schema: {counts['entities']:,} entities", "",
          f"`python3 bench/generate_schema.py -n {args.entities}` (see bench/README.md for its shape).", "",
          "| measure | count |", "|---|---:|"]
    r += [f"| {k} | {v:,} |" for k, v in counts.items()]

    r += ["", f"## Results ({args.runs} rounds, interleaved)", ""]
    r += timing_table([("A", "A `schemaforge generate` (whole project)", sa), ("B", "B `sqlacodegen` (models)", sb),
                       ("C", "C `schemaforge generate --dry-run` (no writes)", sc),
                       ("D", f"D plain writes of A's {len(files):,} files (in-process)", sd)])
    r += ["", "| | value |", "|---|---:|",
          f"| ratio sqlacodegen / schemaforge (median wall, B / A) | **{ratio:.2f}x** |",
          f"| ratio by minimum wall | {sb['min'] / sa['min']:.2f}x |",
          f"| ratio by CPU time (median; B's excludes the PostgreSQL server) | {sb['cpu'] / sa['cpu']:.2f}x |",
          f"| target: schemaforge >= {TARGET_RATIO:.0f}x faster than sqlacodegen | **{'PASS' if passed else 'MISS'}** |",
          (f"| schemaforge wall time that {TARGET_RATIO:.0f}x needs in this run (B median / {TARGET_RATIO:.0f}) | "
          f"{fmt_s(sb['median'] / TARGET_RATIO)} |"),
          (f"| absolute reference: <= {TARGET_SECONDS} s for the whole project | "
          f"{'PASS' if sa['median'] <= TARGET_SECONDS else 'MISS'} ({fmt_s(sa['median'])}) |"),
          f"| A minus C: the cost of writing the files (median wall) | {fmt_s(sa['median'] - sc['median'])} |", ""]

    r += ["## Output", "",
          "| tool | files | bytes | notes |", "|---|---:|---:|---|",
          (f"| schemaforge generate | {n_files:,} | {n_bytes:,} | models, schemas, routers, crud, tests, project files, "
          "manifest |"),
          (f"| sqlacodegen | 1 | {models_bytes:,} | {models_lines:,} lines; {models_classes:,} mapped classes, "
          f"{models_tables:,} `Table(...)` objects |"), "",
          "schemaforge's files by directory:", "", "| directory | files | bytes |", "|---|---:|---:|"]
    r += [f"| `{k}` | {nf:,} | {nb:,} |" for k, nf, nb in groups]
    if sqlacodegen_stderr.strip():
        r += ["", "sqlacodegen's stderr (warm-up run): `" + tail(sqlacodegen_stderr, 2).replace("`", "'") + "`"]

    r += ["", "## Sanity check of the outputs (once, not part of the timing)", "",
          (f"Generated project in `{rel(project_dir)}` (the last measured run), checked with the venv's Python and "
          "ruff; a failure here is reported, not fatal."), "", "| check | result | detail |", "|---|:---:|---|"]
    r += [f"| {label} | {'PASS' if ok else '**FAIL**'} | {cell(detail)} |" for label, ok, detail in checks]

    if stacks or syscalls:
        r += ["", "## Profile of one `generate` run", ""]
    if stacks:
        r += [("`perf record -F 2000 -g`, one run into a fresh directory, and one `--dry-run`. Share of the CPU "
              "samples whose call stack contains the stage (inclusive). The samples of both cores are counted: "
              "`generate` renders and writes on two workers, so its CPU time exceeds its wall time "
              f"(CPU minus wall: median {fmt_s(sa['cpu'] - sa['median'])} in the rounds above); time blocked "
              "off-CPU appears in no sample. Estimated ms = share x median CPU time of that command (CPU "
              "milliseconds, not wall). libc's `open` has no frame pointer, so the samples inside it lose their "
              "callers; file creation is therefore matched by its kernel frame `ext4_create`."), "",
              f"| stage | `generate` ({len(stacks):,} samples) | `--dry-run` ({len(dry_stacks or []):,} samples) |",
              "|---|---:|---:|"]
        for label, needles in STAGES:
            x = share(stacks, needles)
            y = share(dry_stacks, needles) if dry_stacks else 0.0
            dry = f"{y:.1f}% ({y * sc['cpu'] * 10:.0f} ms)" if dry_stacks and y else "-"
            r.append(f"| {label} | {x:.1f}% ({x * sa['cpu'] * 10:.0f} ms) | {dry} |")
        k = kernel_share(stacks)
        r.append(f"| (samples in the kernel, any caller) | {k:.1f}% ({k * sa['cpu'] * 10:.0f} ms) | "
                 f"{kernel_share(dry_stacks) if dry_stacks else 0:.1f}% |")
        r += ["", "Hot library calls in `generate` by nearest project caller (share of all samples):", "",
              "| call | total | callers |", "|---|---:|---|"]
        for label, needle in HOT_CALLS:
            total, callers = hot_call_callers(stacks, needle)
            if total >= 0.5:
                r.append(f"| {label} | {total:.1f}% | " + "<br>".join(f"{v:.1f}% `{c}`" for c, v in callers) + " |")
        r += ["", "Top project functions in `generate` by inclusive share:", "",
              "| inclusive | self | function |", "|---:|---:|---|"]
        r += [f"| {inc:.1f}% | {own:.1f}% | `{f}` |" for inc, own, f in top_functions(stacks)]
    if syscalls:
        r += ["", ("System calls of one `generate` into a fresh directory (`strace -f -c`; counts only, strace's "
              "own timings are distorted):"), "", "| syscall | calls | errors |", "|---|---:|---:|"]
        r += [f"| {name} | {calls:,} | {errors:,} |" for name, calls, errors in syscalls[:12]]

    analysis = ""
    if args.report.exists():
        old = args.report.read_text()
        if ANALYSIS_MARKER in old:
            analysis = old[old.index(ANALYSIS_MARKER):]
    text = "\n".join(r) + "\n"
    if analysis:
        text += "\n" + analysis
    args.report.write_text(text)
    log(f"wrote {rel(args.report)}: A {sa['median']:.3f} s, B {sb['median']:.3f} s, ratio {ratio:.2f}x, "
        f"target {'PASS' if passed else 'MISS'}")


def psql_version(args: argparse.Namespace) -> str:
    out = psql(args, "postgres", "-tA", "-c", "SHOW server_version", check=False).stdout.strip()
    return f"PostgreSQL {out.split()[0]}" if out else "PostgreSQL"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
