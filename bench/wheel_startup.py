#!/usr/bin/env python3
"""Size and start-up time of the wheel-installed schemaforge (issue 16); writes bench/REPORT-wheel.md.

Installs dist/schemaforge-*.whl (scripts/build-wheel.sh) and the pinned ruff (a native tool shipped the
same way) into one fresh venv, then times, in interleaved rounds (one warm-up round not counted):
`schemaforge --version`, `python -m schemaforge --version`, `ruff --version`, `alembic --version` (a
Python CLI), `python -c pass` (the interpreter's floor) and one real job, `schemaforge generate
examples/blog.yaml` (SQLite). Sizes: the wheel and the installed binary, beside ruff's. Standard
library only. Usage: python3 bench/wheel_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "wheel"


def pin(name: str) -> str:
    for line in (
        (ROOT / "integration" / "requirements-generated.txt").read_text().splitlines()
    ):
        if line.lower().startswith(f"{name}=="):
            return line.strip()
    raise SystemExit(f"no pin of {name} in integration/requirements-generated.txt")


def wall(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "15")))
    runs = parser.parse_args().runs
    wheels = sorted(
        (ROOT / "dist").glob("schemaforge-*.whl"), key=lambda p: p.stat().st_mtime
    )
    if not wheels:
        raise SystemExit("no wheel in dist/: run bash scripts/build-wheel.sh first")
    wheel = wheels[-1]
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    venv = WORK / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, str(wheel), pin("ruff"), pin("alembic")], check=True)
    bin_dir = venv / "bin"
    ruff_wheel_dir = WORK / "ruff-wheel"
    subprocess.run(
        [
            *pip[:-3],
            "download",
            "-q",
            "--no-deps",
            "-d",
            str(ruff_wheel_dir),
            pin("ruff"),
        ],
        check=True,
    )
    ruff_wheel = next(ruff_wheel_dir.glob("*.whl"))

    scratch = Path(tempfile.mkdtemp(dir=WORK))
    commands = {
        "schemaforge --version": [str(bin_dir / "schemaforge"), "--version"],
        "python -m schemaforge --version": [
            str(bin_dir / "python"),
            "-m",
            "schemaforge",
            "--version",
        ],
        "ruff --version": [str(bin_dir / "ruff"), "--version"],
        "alembic --version": [str(bin_dir / "alembic"), "--version"],
        "python -c pass": [str(bin_dir / "python"), "-c", "pass"],
        "schemaforge generate examples/blog.yaml (SQLite)": [
            str(bin_dir / "schemaforge"),
            "generate",
            str(ROOT / "examples" / "blog.yaml"),
            "--out",
            str(scratch / "api"),
            "--force",
        ],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(runs + 1):
        for name, args in commands.items():
            t = wall(args, scratch)
            if round_number > 0:
                times[name].append(t)
    median = {name: statistics.median(ts) for name, ts in times.items()}
    ours = median["schemaforge --version"]

    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# The wheel: size and start-up",
        "",
        (
            f"Measured {datetime.date.today()} at {git.stdout.strip() or 'unknown'} by `bench/wheel_startup.sh` on "
            f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load:.2f}; "
            f"{runs} interleaved rounds after one warm-up, medians (min-max). A measurement, not a test."
        ),
        "",
        "## Size",
        "",
        "| | wheel | installed binary |",
        "|---|---|---|",
        (
            f"| schemaforge ({wheel.name}) | {mib(wheel.stat().st_size)} | "
            f"{mib((bin_dir / 'schemaforge').stat().st_size)} |"
        ),
        (
            f"| ruff ({ruff_wheel.name}) | {mib(ruff_wheel.stat().st_size)} | "
            f"{mib((bin_dir / 'ruff').stat().st_size)} |"
        ),
        "",
        "## Start-up (wall time of the whole process)",
        "",
        "| command | median | min-max | / `schemaforge --version` |",
        "|---|---|---|---|",
    ]
    for name, ts in times.items():
        lines.append(
            f"| `{name}` | {median[name] * 1000:.1f} ms | {min(ts) * 1000:.1f}-{max(ts) * 1000:.1f} ms | "
            f"{median[name] / ours:.2f}x |"
        )
    lines.append("")
    report = ROOT / "bench" / "REPORT-wheel.md"
    analysis = ""
    if report.exists() and "## Analysis" in report.read_text():
        analysis = report.read_text()[report.read_text().index("## Analysis") :]
    report.write_text("\n".join(lines) + ("\n" + analysis if analysis else ""))
    print(report.read_text())


if __name__ == "__main__":
    main()
