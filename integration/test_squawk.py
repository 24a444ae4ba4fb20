"""A linter no one here wrote: squawk (PyPI `squawk-cli`) on the PostgreSQL SQL of every step of the
evolution series (`schemaforge diff vN vN+1 --format sql --dialect postgresql`), and on the SQL of the
Alembic revisions `migrate` writes for the whole series (`alembic upgrade head --sql`).

No finding of the rules about locks: constraints are added `NOT VALID` and validated apart, foreign
keys too, a unique constraint comes from a concurrently built unique index, NOT NULL from a validated
CHECK, indexes on existing tables are built concurrently outside a transaction, and the script sets
`lock_timeout` and `statement_timeout` first. test_diff_sql.py runs the same scripts on a real
PostgreSQL with rows. The other findings (renames, drops, type changes, IF NOT EXISTS, int vs bigint)
are about what a change does to the running app or about style, not locks: those about the app and the
data are findings of `schemaforge lint` too (SQUAWK_TO_LINT, with the rules left out and why).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Schemaforge
from generated_support import VENV_BIN
from test_migration_evolution import VERSIONS

SQUAWK = REPO_ROOT / ".venv" / "bin" / "squawk"
LOCK_RULES = {
    "constraint-missing-not-valid",
    "adding-foreign-key-constraint",
    "disallowed-unique-constraint",
    "require-lock-timeout",
    "require-statement-timeout",
    "adding-not-nullable-field",
    "require-concurrent-index-creation",
    "ban-concurrent-index-creation-in-transaction",
    "require-concurrent-index-deletion",
}
STEPS = [pytest.param(old, new, id=new.stem) for old, new in zip(VERSIONS, VERSIONS[1:])]


def lock_findings(squawk_json: str, lines: list[str]) -> list[str]:
    """The findings of LOCK_RULES, each with its line."""
    findings = json.loads(squawk_json)
    assert isinstance(findings, list), squawk_json
    problems = []
    for finding in findings:
        if finding["rule_name"] not in LOCK_RULES:
            continue
        text = lines[finding["line"]]
        index = re.match(r"CREATE (?:UNIQUE )?INDEX \S+ ON (\S+)", text)
        # squawk cannot know that an index on a table the same script creates blocks no one (the table
        # is new and empty); every other finding counts.
        if finding["rule_name"] == "require-concurrent-index-creation" and index and index[1].strip('"') in created_before(
            lines, finding["line"]
        ):
            continue
        problems.append(f"{finding['rule_name']} at line {finding['line'] + 1}: {text}")
    return problems


def squawk(path: Path) -> str:
    assert SQUAWK.exists(), f"{SQUAWK} is missing: scripts/test-all.sh installs integration/requirements.txt"
    proc = subprocess.run(
        [str(SQUAWK), "--reporter", "json", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return proc.stdout


def created_before(lines: list[str], line: int) -> set[str]:
    """Tables the script creates above `line` (0-based)."""
    return {m[1].strip('"') for m in (re.match(r"CREATE TABLE (\S+)", text) for text in lines[:line]) if m}


@pytest.mark.parametrize(("old", "new"), STEPS)
def test_no_lock_findings_in_the_postgresql_migration(schemaforge: Schemaforge, tmp_path: Path, old: Path, new: Path) -> None:
    script = schemaforge.run("diff", old, new, "--format", "sql", "--dialect", "postgresql").stdout
    path = tmp_path / f"{new.stem}.sql"
    path.write_text(script)
    problems = lock_findings(squawk(path), script.splitlines())
    assert not problems, f"{old.stem} -> {new.stem}:\n" + "\n".join(problems) + "\n---\n" + script


def test_no_lock_findings_in_the_alembic_revisions(schemaforge: Schemaforge, tmp_path: Path) -> None:
    root = tmp_path / "project"
    schemaforge.run("generate", VERSIONS[0], "--out", root, "--db", "postgresql")
    for version in VERSIONS[1:]:
        schemaforge.run("migrate", version, "--out", root, "-m", version.stem, "--allow-data-loss")
    # Offline: Alembic writes the SQL of every revision without a database.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TEST_DATABASE_URL")}
    env["DATABASE_URL"] = "postgresql+asyncpg://offline@127.0.0.1:1/offline"
    proc = subprocess.run(
        [str(VENV_BIN / "alembic"), "upgrade", "head", "--sql"], cwd=root, env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = tmp_path / "revisions.sql"
    path.write_text(proc.stdout)
    assert "SET lock_timeout" in proc.stdout.splitlines()[2], "the timeouts come first"
    problems = lock_findings(squawk(path), proc.stdout.splitlines())
    assert not problems, "\n".join(problems)


# What squawk reports about the running app or the data, and the `schemaforge lint` rules that report the
# same step. Not mapped, on purpose: `changing-column-type` (squawk flags every ALTER COLUMN ... TYPE,
# varchar(n) -> text included, which PostgreSQL does without a rewrite and the app does not notice; lint
# reports the type changes that rewrite, narrow or change the kind of value: `rewrite-column`,
# `narrow-column`, `change-column-type`), `renaming-object` and `ban-drop-constraint` (constraint and index
# names follow a renamed table, or a constraint is replaced: the app never names them), `ban-drop-type` and
# `ban-drop-default` (the steps of an enum change, reported as `remove-enum-value` / `rename-enum-value`),
# and the style rules (`prefer-robust-stmts`, `prefer-bigint-over-int`, `prefer-text-field`,
# `require-enum-value-ordering`).
SQUAWK_TO_LINT = {
    "renaming-table": "rename-table",
    "renaming-column": "rename-column",
    "ban-drop-column": "drop-column",
    "ban-drop-table": "drop-table",
}


@pytest.mark.parametrize(("old", "new"), STEPS)
def test_what_squawk_says_about_the_running_app_lint_says_too(
    schemaforge: Schemaforge, tmp_path: Path, old: Path, new: Path
) -> None:
    script = schemaforge.run("diff", old, new, "--format", "sql", "--dialect", "postgresql").stdout
    path = tmp_path / f"{new.stem}.sql"
    path.write_text(script)
    squawked = {finding["rule_name"] for finding in json.loads(squawk(path))}
    lint = subprocess.run(
        [str(schemaforge.binary), "lint", str(old), str(new), "--fail-on", "data-loss"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    linted = set(re.findall(r"\] ([a-z-]+): ", lint.stderr))
    wanted = {SQUAWK_TO_LINT[rule] for rule in squawked if rule in SQUAWK_TO_LINT}
    assert wanted <= linted, f"{old.stem} -> {new.stem}: squawk {sorted(squawked)}, lint {sorted(linted)}\n{lint.stderr}"
