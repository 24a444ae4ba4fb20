"""The first command works: a generated project's README, run verbatim in a fresh venv on a fresh
machine's terms (`python3 -m venv`, `pip install -e ".[dev]"` from the package index, the migration,
the project's own tests, then the server as the README starts it, answering real requests).

The suite never installs the project's requirements for it: whatever the README's commands install is
what runs. One venv per case (each costs a real install), so the cases cover every database once and
every example once: blog on SQLite, shop on PostgreSQL, org_chart on MariaDB, blog for MongoDB (install,
lint and type-check; its migration and tests need a server: run them when MONGODB_URL is set).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from conftest import Schemaforge, fresh_database, schema_path
from generated_support import GeneratedProject, async_url
from served_app import stop

CASES = [("blog", "sqlite"), ("shop", "postgresql"), ("org_chart", "mysql"), ("blog", "mongodb")]


def readme_commands(root: Path) -> list[str]:
    """The lines of the README's first ```sh block (comments after `#` kept: bash ignores them)."""
    text = (root / "README.md").read_text()
    m = re.search(r"```sh\n(.*?)```", text, re.S)
    assert m, "the README has no ```sh block"
    return [line for line in m.group(1).splitlines() if line.strip()]


def clean_env(tmp_path: Path) -> dict[str, str]:
    """A shell as a newcomer has it: no venv of the suite, no project settings, a pip cache of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DATABASE_URL", "TEST_DATABASE_URL")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p]
    env["PATH"] = os.pathsep.join(path)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    return env


def run_lines(root: Path, lines: list[str], env: dict[str, str]) -> None:
    script = "set -e\n" + "\n".join(lines) + "\n"
    proc = subprocess.run(
        ["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=900,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, f"the README's commands failed ({proc.returncode}):\n{script}\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"


@pytest.mark.parametrize(("stem", "database"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_the_readme_commands_work_verbatim(schemaforge: Schemaforge, tmp_path: Path, stem: str, database: str) -> None:
    root = tmp_path / f"{stem}-api"
    schemaforge.run("generate", schema_path(stem), "--out", root, "--db", database)
    lines = readme_commands(root)
    assert lines[0].startswith("python3 -m venv .venv"), lines
    assert lines[1] == 'pip install -e ".[dev]"', lines
    env = clean_env(tmp_path)
    server = [i for i, line in enumerate(lines) if line.startswith("uvicorn ")]
    assert len(server) == 1, f"the README starts no server (or several): {lines}"
    setup, start = lines[: server[0]], lines[server[0]]
    if database == "mongodb":
        if not os.environ.get("MONGODB_URL"):
            # No server here: the install, lint and type-check of the project as its README says.
            lint = (root / "README.md").read_text()
            check = re.search(r"^ruff check .*$", lint, re.M)
            assert check, "the README says how to lint and type-check"
            run_lines(root, [*setup[:2], check.group(0)], env)
            return
        env["MONGODB_URL"] = env["TEST_MONGODB_URL"] = os.environ["MONGODB_URL"]
        run_lines(root, setup, env)
        return
    with fresh_database(database, tmp_path) as db, fresh_database(database, tmp_path) as test_db:
        if database != "sqlite":
            # The app's database and the tests' own, as the README and .env.example describe them.
            project = GeneratedProject(schema_path(stem), database, root, "")
            env["DATABASE_URL"] = async_url(db, project)
            env["TEST_DATABASE_URL"] = async_url(test_db, project)
        run_lines(root, setup, env)
        assert_server_answers(root, start, env, stem)


def assert_server_answers(root: Path, start: str, env: dict[str, str], stem: str) -> None:
    """The README's uvicorn line, verbatim, in the venv; then real requests on 127.0.0.1:8000."""
    proc = subprocess.Popen(
        ["bash", "-c", f". .venv/bin/activate && exec {start}"], cwd=root, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        base = "http://127.0.0.1:8000"
        deadline = time.monotonic() + 60
        while True:
            try:
                spec = httpx.get(f"{base}/openapi.json", timeout=2)
                if spec.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the README's server did not start"
            time.sleep(0.3)
        lists = [p for p, ops in spec.json()["paths"].items() if p.endswith("/") and "get" in ops and "{" not in p]
        assert lists, "the OpenAPI lists no resource"
        for path in lists:
            response = httpx.get(base + path, params={"count": "true"}, timeout=10)
            assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text[:300]}"
            assert response.json()["count"] == 0
        if stem == "blog":
            created = httpx.post(f"{base}/api/v1/tags/", json={"name": "first"}, timeout=10)
            assert created.status_code == 201, created.text
            assert httpx.get(base + created.headers["location"], timeout=10).json()["name"] == "first"
    finally:
        stop(proc)


def test_the_repository_readme_starts_with_the_blog_project_on_sqlite(schemaforge: Schemaforge, tmp_path: Path) -> None:
    """The repository README's first command block is `generate` of examples/blog.yaml for SQLite, then
    exactly the generated README's commands, which test_the_readme_commands_work_verbatim[blog-sqlite]
    runs verbatim in a fresh venv: so the repository's first command is proven with them."""
    repo_readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    m = re.search(r"```sh\n(.*?)```", repo_readme, re.S)
    assert m, "the repository README has no ```sh block"
    lines = [line for line in m.group(1).splitlines() if line.strip()]
    assert lines[:2] == ["swift run schemaforge generate examples/blog.yaml --out blog-api", "cd blog-api"], lines
    root = tmp_path / "blog-api"
    schemaforge.run("generate", schema_path("blog"), "--out", root)
    assert lines[2:] == readme_commands(root), "the repository README's commands differ from the generated README's"
