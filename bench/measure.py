#!/usr/bin/env python3
"""Times the schemaforge CLI on synthetic schemas and writes bench/REPORT.md. Called by bench/run.sh.

Every command runs once to warm the page cache (not counted), then --runs times; the report gives the median,
min and max wall time (time.perf_counter around the process, stdout to /dev/null) and the peak RSS.
With perf available, it also records one `sql` run at the target size and lists the functions that dominate.
The hand-written part of an existing REPORT.md (from ANALYSIS_MARKER on) is kept. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
ANALYSIS_MARKER = "## Analysis"
TARGET_SECONDS = 0.1
TARGET_N = 1000

COMMANDS = [
    ("sql (sqlite)", ["sql", "{schema}"]),
    ("sql --dialect postgresql", ["sql", "{schema}", "--dialect", "postgresql"]),
    ("sql --dialect mysql", ["sql", "{schema}", "--dialect", "mysql"]),
    ("validate", ["validate", "{schema}"]),
    ("resolve", ["resolve", "{schema}"]),
]

# Pipeline stages for the profile breakdown: (label, substring of a demangled frame). A sample counts for a
# stage when any frame of its stack matches, so nested and repeated functions are counted once.
STAGES = [
    ("read: YAMLSyntaxReader (libyaml parse events -> syntax tree)", "YAMLEventTreeBuilder."),
    ("- of which libyaml's parser (yaml_parser_parse, C)", "yaml_parser_"),
    ("- of which the Yams fallback (Yams.compose; syntax errors, duplicate keys)", "YAMLSyntaxReader.parseWithYams("),
    ("decode: DocumentDecoder", "DocumentDecoder."),
    ("resolve: SchemaResolver.resolve", "SchemaResolver.resolve("),
    ("- of which NamingConvention (constraint and index names)", "NamingConvention."),
    ("- of which ResolutionContext.columns(forRelation:of:)", "ResolutionContext.columns(forRelation:of:)"),
    ("- of which ResolutionContext.resolveEntityConstraints", "ResolutionContext.resolveEntityConstraints("),
    ("generate: DDLGenerator.generate", "DDLGenerator.generate("),
    ("render: SQLRenderer.render", "SQLRenderer.render("),
    ("encode: SnapshotEncoder (SnapshotJSONWriter)", "SnapshotJSONWriter."),
    ("kernel: page faults (first touch of new memory)", "page_fault"),
]
# Foundation calls worth replacing, attributed to the nearest caller in the project.
HOT_CALLS = [
    ("String.replacingOccurrences (Foundation, via NSString)", "replacingOccurrences"),
    ("String.trimmingCharacters (Foundation)", "trimmingCharacters"),
    ("NSRegularExpression", "NSRegularExpression."),
    ("JSONEncoder", "JSONEncoder."),
]
PROJECT_FRAME = re.compile(r"YAMLSyntaxReader|YAMLEventTreeBuilder|yaml_parser_|DocumentDecoder|SchemaResolver|"
                           r"ResolutionContext|NamingConvention|Identifiers|SQLIdentifier|SQLTypeMapper|DDLGenerator|"
                           r"SQLRenderer|SnapshotEncoder|SnapshotJSONWriter|GeneratorPipeline|SchemaFileReader|FastText")


def run_once(binary: Path, args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB."""
    start = time.perf_counter()
    process = subprocess.Popen([str(binary), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{binary} {' '.join(args)} exited {process.returncode}:\n{stderr}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(binary: Path, args: list[str], runs: int) -> dict[str, float]:
    run_once(binary, args)  # warm-up
    samples = [run_once(binary, args) for _ in range(runs)]
    times = [s[0] for s in samples]
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "cpu": statistics.median(s[1] for s in samples),
        "rss_mib": max(s[2] for s in samples) / 1024,
    }


def schema_size(binary: Path, schema: Path) -> dict[str, int]:
    out = subprocess.run([str(binary), "resolve", str(schema)], capture_output=True, text=True, check=True).stdout
    ir = json.loads(out)
    tables = ir["tables"]
    size = {
        "entities": sum(1 for t in tables if t.get("entity")),
        "tables (entities + join tables)": len(tables),
        "columns": sum(len(t["columns"]) for t in tables),
        "foreign keys": sum(len(t["foreignKeys"]) for t in tables),
        "indexes": sum(len(t["indexes"]) for t in tables),
        "unique constraints": sum(len(t["uniques"]) for t in tables),
        "checks": sum(len(t["checks"]) for t in tables),
        "enums": len(ir["enums"]),
    }
    sql = subprocess.run([str(binary), "sql", str(schema)], capture_output=True, check=True).stdout
    size["schema file bytes"] = schema.stat().st_size
    size["SQLite DDL bytes"] = len(sql)
    return size


def generate(n: int) -> Path:
    path = WORK / f"schema-{n}.yaml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_schema.py"), "-n", str(n), "-o", str(path)], check=True)
    return path


def record_stacks(binary: Path, args: list[str]) -> list[list[str]] | None:
    """Call stacks (innermost frame first, demangled) of one `perf record -g` run, or None without perf."""
    if not shutil.which("perf"):
        return None
    data = WORK / "perf.data"
    record = subprocess.run(["perf", "record", "-F", "4000", "-g", "-o", str(data), str(binary), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if record.returncode != 0:
        print(f"perf record failed, no profile: {record.stderr.strip()}", file=sys.stderr)
        return None
    script = subprocess.run(["perf", "script", "-i", str(data), "-F", "ip,sym"], capture_output=True, text=True).stdout
    if shutil.which("swift"):
        script = subprocess.run(["swift", "demangle", "--simplified"], input=script, capture_output=True, text=True).stdout
    stacks: list[list[str]] = []
    current: list[str] = []
    for line in script.splitlines():
        if not line.strip():
            if current:
                stacks.append(current)
            current = []
        else:
            ip_and_symbol = line.strip().split(" ", 1)  # "7f12ab34 symbol"
            current.append(ip_and_symbol[1] if len(ip_and_symbol) > 1 else ip_and_symbol[0])
    if current:
        stacks.append(current)
    return stacks or None


def share(stacks: list[list[str]], needle: str) -> float:
    return 100 * sum(1 for s in stacks if any(needle in f for f in s)) / len(stacks)


def top_functions(stacks: list[list[str]], limit: int) -> list[tuple[float, float, str]]:
    """(inclusive %, self %, function) for project and libyaml functions, by inclusive share."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    for stack in stacks:
        for frame in set(stack):
            inclusive[frame] = inclusive.get(frame, 0) + 1
        own[stack[0]] = own.get(stack[0], 0) + 1
    rows = [(100 * n / len(stacks), 100 * own.get(f, 0) / len(stacks), f) for f, n in inclusive.items()
            if PROJECT_FRAME.search(f) and not re.search(r"\b(run|load|main)\(", f)]
    return sorted(rows, key=lambda r: (-r[0], r[2]))[:limit]


def hot_calls(stacks: list[list[str]]) -> list[tuple[str, float, list[tuple[str, float]]]]:
    out = []
    for label, needle in HOT_CALLS:
        callers: dict[str, int] = {}
        total = 0
        for stack in stacks:
            hits = [i for i, f in enumerate(stack) if needle in f]
            if not hits:
                continue
            total += 1
            caller = next((f for f in stack[hits[-1] + 1:] if PROJECT_FRAME.search(f) and needle not in f), "?")
            callers[caller] = callers.get(caller, 0) + 1
        if total:
            ranked = sorted(callers.items(), key=lambda kv: -kv[1])[:5]
            out.append((label, 100 * total / len(stacks), [(c, 100 * n / len(stacks)) for c, n in ranked]))
    return out


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "Sources", "Package.swift", "Package.resolved"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu,
        "kernel": platform.release(),
        "swift": swift[0] if swift else "unknown",
        "commit": commit + (" (with uncommitted changes in Sources/)" if dirty else ""),
    }


def loadavg() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, type=Path, help="release schemaforge binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,5000", help="entity counts for the scale table")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "REPORT.md")
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {TARGET_N})
    load_before = loadavg()

    schemas = {n: generate(n) for n in sizes}
    results: dict[int, dict[str, dict[str, float]]] = {}
    for n in sizes:
        results[n] = {}
        for label, template in COMMANDS:
            argv = [a.format(schema=schemas[n]) for a in template]
            r = results[n][label] = measure(args.bin, argv, args.runs)
            print(f"N={n:>5} {label:<26} median {fmt(r['median']):>9}  min {fmt(r['min']):>9}  max {fmt(r['max']):>9}"
                  f"  cpu {fmt(r['cpu']):>9}", file=sys.stderr)
    startup = measure(args.bin, ["validate", str(ROOT / "examples" / "blog.yaml")], args.runs)
    load_after = loadavg()
    size = schema_size(args.bin, schemas[TARGET_N])
    profiles: dict[str, list[list[str]]] = {}
    if not args.no_profile:
        for label, template in (COMMANDS[0], COMMANDS[4]):
            stacks = record_stacks(args.bin, [a.format(schema=schemas[TARGET_N]) for a in template])
            if stacks:
                profiles[label] = stacks
    info = machine()

    lines = [
        "# Benchmark report",
        "",
        "Generated by `bench/run.sh` (bench/measure.py); the measured sections are rewritten on every run, the",
        f"'{ANALYSIS_MARKER[3:]}' section at the end is hand-written and kept.",
        "",
        "## Setup",
        "",
        f"- Date: {info['date']}",
        f"- Commit: {info['commit']}",
        f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu']}, Linux {info['kernel']}; load average (1/5/15 min) "
        f"{load_before} before and {load_after} after the runs",
        f"- Toolchain: {info['swift']}; release build (`swift build -c release --scratch-path .build-bench`)",
        f"- Method: the whole process, stdout to /dev/null; 1 warm-up run then {args.runs} measured runs per command;"
        " wall time from time.perf_counter (median, min, max) and CPU time (user + system, median) from wait4",
        f"- Process start-up floor: `validate examples/blog.yaml` takes {fmt(startup['median'])} (median wall)",
        "",
        "Other work on the machine (a load average above the CPU count) inflates wall times and their spread;",
        "CPU time and the minimum are the steadier figures then.",
        "",
        f"## Schema: {TARGET_N:,} entities",
        "",
        f"`python3 bench/generate_schema.py -n {TARGET_N}`: 10 fields per entity (string(n), int, bigint, decimal,",
        "bool, datetime, text, uuid, json, an enum), 2 many_to_one relations each, a many_to_many every 10th entity,",
        "a unique and an index per entity, composite indexes / uniques / checks on every 3rd / 5th / 4th entity.",
        "",
        "| measure | count |",
        "|---|---:|",
        *[f"| {k} | {v:,} |" for k, v in size.items()],
        "",
        f"## Results at {TARGET_N:,} entities (target: < {TARGET_SECONDS:g} s wall, release build)",
        "",
        "| command | median | min | max | CPU (median) | peak RSS | target |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for label, _ in COMMANDS:
        r = results[TARGET_N][label]
        verdict = "PASS" if r["median"] < TARGET_SECONDS else "MISS"
        lines.append(f"| `schemaforge {label}` | {fmt(r['median'])} | {fmt(r['min'])} | {fmt(r['max'])} | "
                     f"{fmt(r['cpu'])} | {r['rss_mib']:.0f} MiB | {verdict} |")
    big, bigger = sizes[-2], sizes[-1]
    lines += [
        "",
        "## Scale",
        "",
        "Median wall time per command and entity count, the CPU time per entity at the largest size, and the growth",
        f"exponent k in t ~ N^k between N = {big:,} and N = {bigger:,} (1.0 = linear), from the median wall time and",
        "from the median CPU time.",
        "",
        "| command | " + " | ".join(f"N = {n:,}" for n in sizes) + " | CPU per entity | k (wall) | k (CPU) |",
        "|---|" + "---:|" * (len(sizes) + 3),
    ]
    for label, _ in COMMANDS:
        medians = [results[n][label]["median"] for n in sizes]
        k_wall = math.log(results[bigger][label]["median"] / results[big][label]["median"]) / math.log(bigger / big)
        k_cpu = math.log(results[bigger][label]["cpu"] / results[big][label]["cpu"]) / math.log(bigger / big)
        lines.append(f"| `{label}` | " + " | ".join(fmt(m) for m in medians)
                     + f" | {results[bigger][label]['cpu'] / bigger * 1e6:.0f} µs | {k_wall:.2f} | {k_cpu:.2f} |")

    if profiles:
        labels = list(profiles)
        lines += [
            "",
            f"## Profile at {TARGET_N:,} entities",
            "",
            "`perf record -F 4000 -g`, one run per command. Share of the samples whose call stack contains the stage",
            "(inclusive: its own work and everything it calls); the estimated time is that share of the command's",
            "median CPU time. Samples outside every stage are process start-up (loading, Foundation), argument",
            "parsing and writing the output.",
            "",
            "| stage | " + " | ".join(f"`{l}`" for l in labels) + " |",
            "|---|" + "---:|" * len(labels),
        ]
        for stage, needle in STAGES:
            cells = []
            for l in labels:
                pct = share(profiles[l], needle)
                cells.append(f"{pct:.1f}% ({results[TARGET_N][l]['cpu'] * pct / 100 * 1000:.0f} ms)" if pct else "-")
            if any(c != "-" for c in cells):
                lines.append(f"| {stage} | " + " | ".join(cells) + " |")
        main_label = labels[0]
        lines += [
            "",
            f"Foundation calls in `{main_label}` by their nearest project caller (share of all samples):",
            "",
            "| call | total | callers |",
            "|---|---:|---|",
        ]
        calls = hot_calls(profiles[main_label])
        for label, total, callers in calls:
            lines.append(f"| {label} | {total:.1f}% | " + "<br>".join(f"{pct:.1f}% `{c[:90]}`" for c, pct in callers) + " |")
        if not calls:
            lines.append("| (none of " + ", ".join(label.split(" (")[0] for label, _ in HOT_CALLS) + " was sampled) | 0% | |")
        lines += [
            "",
            f"Top project and libyaml functions in `{main_label}` by inclusive share:",
            "",
            "| inclusive | self | function |",
            "|---:|---:|---|",
            *[f"| {c:.1f}% | {s:.1f}% | `{f[:140]}` |" for c, s, f in top_functions(profiles[main_label], 25)],
        ]
    elif not args.no_profile:
        lines += ["", "## Profile", "", "perf is not available here (or not permitted): no profile was recorded."]

    analysis = ""
    if args.report.exists():
        old = args.report.read_text()
        at = old.find("\n" + ANALYSIS_MARKER)
        if at >= 0:
            analysis = old[at + 1:]
    if not analysis:
        analysis = f"{ANALYSIS_MARKER}\n\n(Not written yet.)\n"
    args.report.write_text("\n".join(lines) + "\n\n" + analysis.rstrip() + "\n")
    print(f"wrote {args.report.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
