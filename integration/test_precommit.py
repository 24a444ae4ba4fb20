"""The pre-commit hook (issue 16): `.pre-commit-hooks.yaml` as pre-commit itself reads and runs it. A
project repository that uses the hook passes with a clean history, and fails, naming the file, once a
revision schemaforge wrote is edited. pre-commit (pinned in integration/requirements.txt) is the judge:
it validates the manifest, clones this repository at HEAD and runs the hook as a user's commit would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import Schemaforge, schema_path
from generated_support import VENV_BIN

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_the_hook_passes_a_clean_project_and_names_an_edited_revision(
    schemaforge: Schemaforge, schemaforge_bin: Path, tmp_path: Path
) -> None:
    subprocess.run([str(VENV_BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], check=True)
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "schema.yaml").write_text(schema_path("blog").read_text())
    schemaforge.run("generate", repo / "schema.yaml", "--out", repo / "api")
    rev = git(ROOT, "rev-parse", "HEAD")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: schemaforge-check\n"
        "        args: [schema.yaml, --out, api]\n"
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    # `schemaforge` on the PATH is the binary under test; pre-commit's cache stays in the test's directory.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "schemaforge").symlink_to(schemaforge_bin)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def run_hooks() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(VENV_BIN / "pre-commit"), "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True,
            timeout=300, check=False,
        )

    clean = run_hooks()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "schemaforge check" in clean.stdout and "Passed" in clean.stdout

    initial = repo / "api" / "migrations" / "versions" / "0001_initial.py"
    initial.write_text(initial.read_text() + "# edited after the fact\n")
    git(repo, "add", "-A")
    edited = run_hooks()
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "Failed" in edited.stdout
    assert "migrations/versions/0001_initial.py changed after schemaforge wrote it" in edited.stdout + edited.stderr
