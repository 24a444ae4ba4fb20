"""The wheel (issue 16): `pip install schemaforge-*.whl` into a fresh venv puts a working `schemaforge`
on the venv's PATH, `python -m schemaforge` runs the same binary, the version is one and the same
everywhere, and the installed tool does the main job: generate a SQLite project whose migration
and own tests pass. pip (install, check, uninstall) and auditwheel are the judges here.

The wheel is the one scripts/build-wheel.sh made: SCHEMAFORGE_WHEEL (scripts/test-all.sh builds it
and sets it, so CI always runs this), else the newest dist/*.whl; without either the tests skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import schema_path

ROOT = Path(__file__).resolve().parent.parent


def the_wheel() -> Path:
    if path := os.environ.get("SCHEMAFORGE_WHEEL"):
        assert Path(path).is_file(), f"SCHEMAFORGE_WHEEL={path} does not exist"
        return Path(path)
    wheels = sorted((ROOT / "dist").glob("schemaforge-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no wheel was built (scripts/test-all.sh runs scripts/build-wheel.sh)")
        pytest.skip("no wheel: run `bash scripts/build-wheel.sh` (scripts/test-all.sh does)")
    return wheels[-1]


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
        stdin=subprocess.DEVNULL, check=False,
    )
    assert proc.returncode == 0, f"`{' '.join(map(str, args))}` failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, a fresh venv with only the wheel installed into it)."""
    wheel = the_wheel()
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=venv.parent)
    run([venv / "bin" / "python", "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "-q", wheel], cwd=venv.parent)
    return wheel, venv


def shell_env(venv: Path) -> dict[str, str]:
    """A shell with the venv activated, as `source venv/bin/activate` leaves it, and nothing else of ours."""
    path = [str(venv / "bin")] + [p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p and "sfb" not in p]
    return {**{k: v for k, v in os.environ.items() if k != "SCHEMAFORGE_BIN"}, "PATH": os.pathsep.join(path), "VIRTUAL_ENV": str(venv)}


def test_the_wheel_is_tagged_with_the_policy_auditwheel_finds(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    tag = wheel.name.removesuffix(".whl").split("-")[-1]
    assert tag.startswith("manylinux_"), f"{wheel.name}: not a manylinux tag"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        wheel_file = archive.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
        script = next(n for n in names if n.endswith(".data/scripts/schemaforge"))
        assert (archive.getinfo(script).external_attr >> 16) & 0o111, "the binary is not executable in the wheel"
    assert f"Tag: py3-none-{tag}\n" in wheel_file
    assert "Root-Is-Purelib: false" in wheel_file
    # No sdist pretends to build without Swift: only wheels in the output.
    assert not list(wheel.parent.glob("*.tar.gz"))


def test_the_installed_binary_is_on_the_venv_path_and_reports_one_version(installed: tuple[Path, Path]) -> None:
    wheel, venv = installed
    env = shell_env(venv)
    where = run(["bash", "-c", "command -v schemaforge"], cwd=venv.parent, env=env).strip()
    assert where == str(venv / "bin" / "schemaforge")
    version = run(["schemaforge", "--version"], cwd=venv.parent, env=env).strip()
    assert wheel.name.startswith(f"schemaforge-{version}-")
    assert run(["python", "-m", "schemaforge", "--version"], cwd=venv.parent, env=env).strip() == version
    metadata = run(["python", "-m", "pip", "show", "schemaforge"], cwd=venv.parent, env=env)
    assert f"Version: {version}" in metadata
    run(["python", "-m", "pip", "check"], cwd=venv.parent, env=env)
    # The binary needs nothing beside it: it still works copied alone into an empty directory.
    alone = venv.parent / "alone"
    alone.mkdir()
    (alone / "schemaforge").write_bytes((venv / "bin" / "schemaforge").read_bytes())
    (alone / "schemaforge").chmod(0o755)
    ddl = run([alone / "schemaforge", "sql", schema_path("blog")], cwd=alone)
    assert "CREATE TABLE" in ddl


def test_the_installed_tool_generates_a_project_that_migrates_and_passes_its_tests(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, venv = installed
    env = shell_env(venv)
    run(["schemaforge", "generate", schema_path("blog"), "--out", tmp_path / "api"], cwd=tmp_path, env=env)
    project = tmp_path / "api"
    # The project's own dependencies are the suite's pinned ones (test_newcomer.py installs them from
    # the index as the README says); only schemaforge comes from the wheel.
    tools = ROOT / ".venv" / "bin"
    project_env = {**os.environ, "PATH": os.pathsep.join([str(tools), os.environ["PATH"]])}
    run([tools / "alembic", "upgrade", "head"], cwd=project, env=project_env)
    assert (project / "app.db").is_file(), "alembic upgrade head created no app.db (the project's default DATABASE_URL)"
    out = run([tools / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=project_env)
    assert " passed" in out and " failed" not in out
    run(["schemaforge", "generate", schema_path("blog"), "--out", project, "--check"], cwd=tmp_path, env=env)


def test_pip_uninstall_removes_the_binary(installed: tuple[Path, Path]) -> None:
    """Runs last (file order): it takes the wheel out of the module's venv again."""
    _, venv = installed
    assert (venv / "bin" / "schemaforge").exists()
    run([venv / "bin" / "python", "-m", "pip", "uninstall", "-y", "-q", "schemaforge"], cwd=venv.parent)
    assert not (venv / "bin" / "schemaforge").exists()
    assert not list((venv / "lib").glob("python*/site-packages/schemaforge"))
