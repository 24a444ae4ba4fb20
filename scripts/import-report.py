#!/usr/bin/env python3
"""Imports every file of the schema corpora with `schemaforge import` and writes docs/import-report.md:
one table row per file (dialect, CREATE TABLE count of the source, entities / relations / enums of the
imported schema, warnings, exit status, seconds), then each file's warnings grouped by kind.

SQL files are imported with `--dialect <folder>` when their folder is a dialect (postgresql, mysql,
sqlite), and once more without it to show the detected dialect. Other files (.prisma, .dbml, .rb, ...)
are tried without --dialect and reported as "not supported yet" unless the import exits 0.

Plain Python 3.11, no third-party modules (the counts come from the YAML's indentation). Run by hand
after changing the importer, not in CI:

    python3 scripts/import-report.py                       # default corpora and binary
    python3 scripts/import-report.py --bin .build/debug/schemaforge /work/shared/corpus integration/corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DIALECTS = ("postgresql", "mysql", "sqlite")
DEFAULT_CORPORA = [
    Path(os.environ.get("SCHEMAFORGE_CORPUS", "/work/shared/corpus")),
    REPO_ROOT / "integration" / "corpus",
]
DIAGNOSTIC = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.*)$"
)
TIMEOUT = 300

# ---------------------------------------------------------------------------------------------
# Counting in the source and in the imported YAML


def source_tables(path: Path, text: str) -> int:
    """CREATE TABLE statements (SQL), models (Prisma), tables (DBML), create_table (schema.rb)."""
    suffix = path.suffix.lower()
    if suffix == ".prisma":
        return len(re.findall(r"(?m)^\s*model\s+\w+", text))
    if suffix == ".dbml":
        return len(re.findall(r"(?im)^\s*table\s+", text))
    if suffix == ".rb":
        return len(re.findall(r"\bcreate_table\b", text))
    return len(re.findall(r"(?i)\bcreate\s+table\b", text))


_KEY = re.compile(
    r"""^(?P<indent> *)(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-{\[][^:#]*?|-[^\s][^:#]*?)\s*:(?:\s+(?P<value>.*))?$"""
)


def _unquote(key: str) -> str:
    if len(key) >= 2 and key[0] == key[-1] and key[0] in "'\"":
        return key[1:-1]
    return key


def _flow_keys(value: str) -> int:
    """Top-level keys of a one-line flow mapping `{a: 1, b: {c: 2}}`."""
    value = value.strip()
    if not (value.startswith("{") and value.endswith("}")):
        return 0
    inner = value[1:-1].strip()
    if not inner:
        return 0
    depth, count, quote = 0, 1, ""
    for c in inner:
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        elif c == "," and depth == 0:
            count += 1
    return count


def yaml_key_paths(text: str) -> list[tuple[tuple[str, ...], str]]:
    """(path of keys, inline value) for every block-mapping key of a YAML document, enough for the
    schema files `schemaforge import` writes (block mappings, one-line flow values, lists)."""
    paths: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[int, str]] = []
    block_scalar_indent: int | None = None
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if block_scalar_indent is not None:
            if indent > block_scalar_indent:
                continue
            block_scalar_indent = None
        m = _KEY.match(raw)
        if not m:
            continue  # a list item or a continuation line
        key = _unquote(m["key"].strip())
        value = (m["value"] or "").split(" #")[0].strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        paths.append((tuple(k for _, k in stack), value))
        if value[:1] in ("|", ">"):
            block_scalar_indent = indent
    return paths


def schema_counts(text: str) -> tuple[int, int, int]:
    """(entities, relations, enums) of an imported schema."""
    entities = relations = enums = 0
    for path, value in yaml_key_paths(text):
        if len(path) == 2 and path[0] == "entities":
            entities += 1
        elif len(path) == 3 and path[0] == "entities" and path[2] == "relations":
            relations += _flow_keys(value)
        elif len(path) == 4 and path[0] == "entities" and path[2] == "relations":
            relations += 1
        elif len(path) == 2 and path[0] == "enums":
            enums += 1
        elif len(path) == 1 and path[0] == "enums":
            enums += _flow_keys(value)
        elif len(path) == 1 and path[0] == "entities":
            entities += _flow_keys(value)
    return entities, relations, enums


# ---------------------------------------------------------------------------------------------
# Importing


@dataclass
class Result:
    corpus: Path
    path: Path
    dialect: str | None  # the folder's dialect, passed as --dialect
    tables: int
    exit: int | None = None
    seconds: float = 0.0
    detected: str = ""
    entities: int | None = None
    relations: int | None = None
    enums: int | None = None
    validate: int | None = None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.relative_to(self.corpus).as_posix()


def run(
    binary: Path, *args: str | Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [str(binary), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            cwd=REPO_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        proc = subprocess.CompletedProcess(
            [str(binary), *map(str, args)], 124, "", f"timed out after {TIMEOUT}s"
        )
    return proc, time.monotonic() - start


def detected_dialect(stderr: str) -> str:
    """The dialect the summary line names in its last parentheses: `... (MySQL/MariaDB)` -> mysql."""
    for line in reversed(stderr.splitlines()):
        if DIAGNOSTIC.match(line):
            continue
        m = re.search(r"\(([^()]*)\)\s*$", line)
        if m:
            text = m[1].lower()
            for keyword, dialect in (
                ("postgres", "postgresql"),
                ("mysql", "mysql"),
                ("maria", "mysql"),
                ("sqlite", "sqlite"),
            ):
                if keyword in text:
                    return dialect
            return m[1]
    return "?"


def import_file(binary: Path, corpus: Path, path: Path, work: Path) -> Result:
    text = path.read_bytes().decode("utf-8", errors="replace")
    folder = path.parent.name
    is_sql = path.suffix.lower() == ".sql"
    dialect = folder if is_sql and folder in DIALECTS else None
    result = Result(corpus, path, dialect, source_tables(path, text))
    out = work / (hashlib.sha256(str(path).encode()).hexdigest()[:12] + ".yaml")
    args: list[str | Path] = ["import", path, "--out", out]
    if dialect:
        args += ["--dialect", dialect]
    proc, result.seconds = run(binary, *args)
    result.exit = proc.returncode
    diagnostics = [m for m in map(DIAGNOSTIC.match, proc.stderr.splitlines()) if m]
    result.warnings = [m["message"] for m in diagnostics if m["severity"] == "warning"]
    result.errors = [m["message"] for m in diagnostics if m["severity"] == "error"]
    if proc.returncode != 0:
        if not is_sql:
            result.note = "not supported yet"
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        first = (
            result.errors
            or [line for line in lines if "error" in line.lower()]
            or lines[-1:]
            or [""]
        )[0]
        result.note = "; ".join(x for x in (result.note, first[:200]) if x)
        return result
    if out.exists():
        result.entities, result.relations, result.enums = schema_counts(out.read_text())
        validate, _ = run(binary, "validate", out)
        result.validate = validate.returncode
    if dialect:
        plain, _ = run(binary, "import", path)
        result.detected = (
            detected_dialect(plain.stderr)
            if plain.returncode == 0
            else f"exit {plain.returncode}"
        )
    else:
        result.detected = detected_dialect(proc.stderr)
    return result


# ---------------------------------------------------------------------------------------------
# The report


def warning_kind(message: str) -> str:
    """The text before the first quote: "column 'a.b': ON UPDATE ..." -> "column"."""
    m = re.search(r"['\"`‘“]", message)
    kind = message[: m.start()] if m else message
    return kind.strip().rstrip(":").strip() or "(starts with a quote)"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")


def warning_variant(message: str) -> str:
    """The message with its quoted names elided: "column 'a.b': ON UPDATE ..." -> "column '…': ON UPDATE ..."."""
    return _QUOTED.sub(lambda m: m[0][0] + "…" + m[0][0], message)


def cell(value: object) -> str:
    return "—" if value is None or value == "" else str(value).replace("|", "\\|")


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "Sources"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return "?"
    return (
        f"{rev}{' + uncommitted changes in Sources/' if dirty else ''}" if rev else "?"
    )


def shown_path(path: Path) -> str:
    """`path` relative to the repository when it is inside (symbolic links not followed)."""
    absolute = Path(os.path.abspath(path))
    return (
        absolute.relative_to(REPO_ROOT).as_posix()
        if absolute.is_relative_to(REPO_ROOT)
        else str(absolute)
    )


def display(corpus: Path) -> str:
    try:
        return corpus.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(corpus)


def report(
    binary: Path,
    corpora: list[Path],
    results: list[Result],
    duplicates: list[tuple[Path, Path]],
    missing: list[Path],
) -> str:
    version, _ = run(binary, "--version")
    lines = [
        "# `schemaforge import` on the schema corpora",
        "",
        (
            f"Generated by `scripts/import-report.py` on {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} with "
            f"`{shown_path(binary)}` ({cell(version.stdout.strip() or version.stderr.strip())}), "
            f"repository at {git_revision()}. Regenerate it by hand: `python3 scripts/import-report.py`."
        ),
        "",
        (
            "Columns: *dialect* is the folder's (passed as `--dialect`), *detected* the dialect the import names without it; "
            "*source tables* counts `CREATE TABLE` in the file (partitions and repeated statements included; for other formats "
            "`model` / `Table` / `create_table`); *entities*, *relations* (every entity's `relations:`) and *enums* are counted in "
            "the imported YAML; *validate* is the exit status of `schemaforge validate` on it; *s* the import's seconds."
        ),
        "",
    ]
    total = Counter[str]()
    for corpus in corpora:
        rows = [r for r in results if r.corpus == corpus]
        lines += [f"## {display(corpus)}", ""]
        if corpus in missing:
            lines += ["(not found)", ""]
            continue
        lines += [
            "| file | dialect | detected | source tables | entities | relations | enums | warnings | exit | validate | s | notes |",
            "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        unsupported = [r for r in rows if r.note.startswith("not supported yet")]
        for r in rows:
            if r in unsupported:
                continue
            lines.append(
                f"| `{r.name}` | {cell(r.dialect)} | {cell(r.detected)} | {r.tables} | {cell(r.entities)} | {cell(r.relations)} | "
                f"{cell(r.enums)} | {len(r.warnings)} | {cell(r.exit)} | {cell(r.validate)} | {r.seconds:.2f} | {cell(r.note)} |"
            )
            total["files"] += 1
            total["imported"] += r.exit == 0
            total["warnings"] += len(r.warnings)
        for r in unsupported:
            total["files"] += 1
        if unsupported:
            reasons = Counter(
                re.sub(
                    r"'[^']*'",
                    "'…'",
                    r.note.split("; ", 1)[-1].replace(str(r.path), "FILE"),
                )
                for r in unsupported
            )
            lines += [
                "",
                f"Not supported yet (the import exits non-zero; not SQL): {len(unsupported)} files: "
                + ", ".join(f"`{r.name}`" for r in unsupported)
                + ". Messages: "
                + "; ".join(f"{n}× `{reason}`" for reason, n in reasons.most_common(5))
                + ".",
            ]
        dups = [(d, o) for d, o in duplicates if d.is_relative_to(corpus)]
        if dups:
            lines += [
                "",
                "Identical to a file above, not imported again: "
                + ", ".join(f"`{d.relative_to(corpus).as_posix()}`" for d, _ in dups)
                + ".",
            ]
        lines.append("")
    summary = f"**{total['imported']} of {total['files']} files imported** (exit 0), {total['warnings']} warnings in all."
    lines[
        lines.index(f"## {display(corpora[0])}") : lines.index(
            f"## {display(corpora[0])}"
        )
    ] = [summary, ""]

    lines += [
        "## Warnings by kind",
        "",
        (
            "Per imported file, the warnings grouped by their kind (the text before the first quote), and within a kind by "
            "message with the quoted names elided ('…')."
        ),
        "",
    ]
    for r in results:
        if (not r.warnings and not r.errors) or r.note.startswith("not supported yet"):
            continue
        lines += [f"### `{display(r.corpus)}/{r.name}`", ""]
        if r.errors:
            lines += [
                f"Errors ({len(r.errors)}): "
                + "; ".join(f"`{e[:200]}`" for e in r.errors[:5]),
                "",
            ]
        if r.warnings:
            kinds = Counter(warning_kind(w) for w in r.warnings)
            variants: dict[str, Counter[str]] = {}
            for w in r.warnings:
                variants.setdefault(warning_kind(w), Counter())[
                    warning_variant(w)[:200]
                ] += 1
            lines += ["| count | kind | messages |", "|--:|---|---|"]
            for kind, count in kinds.most_common():
                shown = variants[kind].most_common(6)
                more = len(variants[kind]) - len(shown)
                text = "<br>".join(f"{n}× {v}" for v, n in shown) + (
                    f"<br>… {more} more" if more > 0 else ""
                )
                lines.append(f"| {count} | {cell(kind)} | {cell(text)} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "corpora",
        nargs="*",
        type=Path,
        help="corpus directories (default: $SCHEMAFORGE_CORPUS or /work/shared/corpus, and integration/corpus)",
    )
    parser.add_argument(
        "--bin",
        type=Path,
        default=Path(
            os.environ.get(
                "SCHEMAFORGE_BIN", REPO_ROOT / ".build" / "debug" / "schemaforge"
            )
        ),
        help="the schemaforge binary (default: $SCHEMAFORGE_BIN or .build/debug/schemaforge)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "docs" / "import-report.md",
        help="the report (default: docs/import-report.md)",
    )
    args = parser.parse_args()
    binary = Path(os.path.abspath(args.bin))
    if not binary.exists():
        print(
            f"import-report: {binary} does not exist (swift build --product schemaforge)",
            file=sys.stderr,
        )
        return 2
    corpora = [c.resolve() for c in (args.corpora or DEFAULT_CORPORA)]
    results: list[Result] = []
    duplicates: list[tuple[Path, Path]] = []
    missing = [c for c in corpora if not c.is_dir()]
    seen: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="import-report-") as tmp:
        for corpus in corpora:
            if corpus in missing:
                print(
                    f"import-report: {corpus} is not a directory, skipped",
                    file=sys.stderr,
                )
                continue
            files = sorted(
                p
                for p in corpus.rglob("*")
                if p.is_file()
                and p.name.lower() != "readme.md"
                and not any(
                    part.startswith(".") for part in p.relative_to(corpus).parts
                )
            )
            for path in files:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest in seen:
                    duplicates.append((path, seen[digest]))
                    continue
                seen[digest] = path
                result = import_file(binary, corpus, path, Path(tmp))
                print(
                    f"{display(corpus)}/{result.name}: exit {result.exit}, {result.entities} entities, "
                    f"{len(result.warnings)} warnings, {result.seconds:.2f}s",
                    file=sys.stderr,
                )
                results.append(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(binary, corpora, results, duplicates, missing))
    print(f"import-report: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
