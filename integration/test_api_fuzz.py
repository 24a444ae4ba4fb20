"""An API fuzzer no one here wrote: schemathesis, with all its checks, against the OpenAPI of the generated
app of every example (SQLite and PostgreSQL) and every integration schema (SQLite), served by a real
uvicorn on 127.0.0.1. The run must find nothing: no server error, no response or status code outside the
OpenAPI, no valid request rejected, no invalid request accepted. Bounded: a fixed number of examples per
operation, a time budget per run, and a fixed seed (the same cases each run; change FUZZ_SEED to explore).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT, Schemaforge, fresh_database, schema_files
from generated_support import EXAMPLES, async_url
from served_app import fresh_project, project_env, served

pytest_plugins = ["generated_support"]

FUZZ_BIN = REPO_ROOT / ".venv-fuzz" / "bin" / "schemathesis"
SEED = os.environ.get("FUZZ_SEED", "20261206")
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "25"))

CASES = [pytest.param(path, dialect, id=f"{path.stem}-{dialect}") for path in EXAMPLES for dialect in ("sqlite", "postgresql")]
# Known and open (issue 10): all_types' JSON columns take values the recursive JSON schema allows but
# Pydantic refuses (strings with lone surrogates, numbers beyond a double), and a list filter accepts a
# value its schema does not. Marked, not hidden: an XPASS says it is fixed.
# Schemas with findings still open (none at the moment): marked xfail with the reason, so they stay visible.
KNOWN_OPEN: dict[str, str] = {}
CASES += [
    pytest.param(
        path,
        "sqlite",
        id=f"{path.stem}-sqlite",
        marks=[pytest.mark.xfail(reason=KNOWN_OPEN[path.stem], strict=False)] if path.stem in KNOWN_OPEN else [],
    )
    for path in schema_files()
    if path not in EXAMPLES
]


@pytest.mark.parametrize(("path", "dialect"), CASES)
def test_schemathesis_finds_nothing(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, path: Path, dialect: str
) -> None:
    if not FUZZ_BIN.exists():
        pytest.fail(f"{FUZZ_BIN} is missing: scripts/test-all.sh installs integration/requirements-fuzz.txt there")
    project = fresh_project(schemaforge, path, dialect, tmp_path)
    with fresh_database(dialect, tmp_path) as db:
        url = async_url(db, project) if dialect != "sqlite" else f"sqlite+aiosqlite:///{tmp_path}/fuzz.db"
        with served(project.root, project_env(tool_env, url)) as base:
            proc = subprocess.run(
                [
                    str(FUZZ_BIN), "run", f"{base}/openapi.json",
                    "--checks", "all",
                    "--max-examples", str(EXAMPLES_PER_OPERATION),
                    "--seed", SEED,
                    "--generation-deterministic",
                    "--max-time", os.environ.get("FUZZ_SECONDS", "45"),
                    "--request-timeout", "30",
                    "--no-color",
                ],
                # In the test's own folder: schemathesis keeps a cache (.schemathesis/) where it runs.
                cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, check=False,
                env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
            )
    report = proc.stdout[-12000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, f"schemathesis found problems in {path.stem} on {dialect}:\n{report}"
