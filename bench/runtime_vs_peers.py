"""Runtime benchmark of the generated FastAPI app against its peers on the same PostgreSQL database:
FastCRUD on the generated models and schemas, and a hand-written asyncpg + orjson app (bench/runtime/).
One uvicorn worker each, wrk on 127.0.0.1 with random ids, interleaved rounds (every scenario of every
variant once per round, the variants' order rotating), medians over the rounds. Writes
bench/REPORT-runtime.md; its '## Analysis' section is hand-written and kept. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "runtime"
REPORT = ROOT / "bench" / "REPORT-runtime.md"
VARIANTS = ["generated", "fastcrud", "handwritten"]


def cursor_after(post_id: int) -> str:
    """The generated app's cursor of the row with this id in `sort=id` (app/pages.py's format)."""
    text = json.dumps(["id", [post_id]], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def scenarios(rows: int) -> dict[str, dict[str, object]]:
    """name -> wrk Lua script and what it does; the same requests for every variant."""
    deep = rows - 10_000
    return {
        "get one": {"lua": f'request = function() return wrk.format("GET", "/api/v1/posts/" .. math.random(1, {rows})) end'},
        "page of 50 (first)": {"lua": 'request = function() return wrk.format("GET", "/api/v1/posts/?limit=50") end'},
        f"keyset page at row {deep:,}": {
            "lua": 'request = function() return wrk.format("GET", "/api/v1/posts/?limit=50&cursor=CURSOR") end',
            "cursor": deep,
        },
        "filtered page (author_id)": {
            "lua": 'request = function() return wrk.format("GET", "/api/v1/posts/?limit=50&author_id=" .. math.random(1, 1000)) end'
        },
        # examples/blog.yaml searches posts by title and body; every body holds one of 1,000 words (w0..w999).
        f"search (q, {rows // 1000} matches, by relevance)": {
            "lua": 'request = function() return wrk.format("GET", "/api/v1/posts/?limit=50&q=w" .. math.random(0, 999)) end',
            # FastCRUD has no full-text search.
            "variants": ["generated", "handwritten"],
        },
        "create (2 tags)": {
            "lua": (
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                "request = function() return wrk.format(nil, \"/api/v1/posts/\", nil, "
                '\'{"title": "bench", "body": "b", "price": "1.50", "author_id": \' .. math.random(1, 1000) .. '
                "', \"tag_ids\": [1, 2]}') end"
            )
        },
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def seed(dsn: str, rows: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT count(*) FROM post WHERE body LIKE 'body of post % w%'").fetchone()[0] == rows:
            return
        conn.execute("TRUNCATE post_tags, post, tag, profile, \"user\" RESTART IDENTITY CASCADE")
        conn.execute(
            "INSERT INTO \"user\" (email, name, password_hash) SELECT 'u' || g || '@bench.test', 'u' || g, 'h'"
            " FROM generate_series(1, 1000) g"
        )
        conn.execute("INSERT INTO tag (name) SELECT 'tag' || g FROM generate_series(1, 50) g")
        conn.execute(
            "INSERT INTO post (title, body, published, price, author_id)"
            f" SELECT 'title ' || g, 'body of post ' || g || ' w' || (g % 1000), g % 2 = 0, (g % 1000) / 10.0, 1 + g % 1000"
            f" FROM generate_series(1, {rows}) g"
        )
        conn.execute(
            f"INSERT INTO post_tags (post_id, tag_id) SELECT g, 1 + g % 50 FROM generate_series(1, {rows}) g"
            f" UNION ALL SELECT g, 1 + (g + 7) % 50 FROM generate_series(1, {rows}) g"
        )
        conn.execute("VACUUM ANALYZE")


def start(variant: str, project: Path, venv: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    module = {"generated": "app.main:app", "fastcrud": "fastcrud_app:app", "handwritten": "handwritten:app"}[variant]
    path = os.pathsep.join([str(project), str(ROOT / "bench" / "runtime")])
    proc = subprocess.Popen(
        [str(venv / "bin" / "python"), "-m", "uvicorn", module, "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--no-access-log", "--log-level", "warning"],
        cwd=project, env={**env, "PYTHONPATH": path}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{variant} did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def wrk(base: str, lua: str, seconds: int, connections: int) -> dict[str, float]:
    script = WORK / "scenario.lua"
    script.write_text("math.randomseed(42)\n" + lua + "\n")
    out = run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script), base]).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "p50": millis("50%"),
        "p99": millis("99%"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def statements(dsn: str) -> float:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return float(
            conn.execute(
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
            ).fetchone()[0]
        )


def reset_statements(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_statements_reset()")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--venv", type=Path, required=True)
    parser.add_argument("--dsn", required=True, help="psycopg DSN of the benchmark database")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--commit", default="unknown")
    args = parser.parse_args()
    args.project, args.venv = args.project.absolute(), args.venv.absolute()
    WORK.mkdir(parents=True, exist_ok=True)

    seed(args.dsn, args.rows)
    url = args.dsn.replace("postgresql://", "postgresql+asyncpg://")
    env = {**os.environ, "DATABASE_URL": url, "PG_DSN": args.dsn, "POOL_SIZE": "10", "MAX_OVERFLOW": "5"}
    cases = scenarios(args.rows)
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    rss: dict[str, float] = {}
    for round_number in range(args.rounds):
        order = VARIANTS[round_number % 3 :] + VARIANTS[: round_number % 3]
        for variant in order:
            proc, base = start(variant, args.project, args.venv, env)
            try:
                for name, case in cases.items():
                    variants = case.get("variants", VARIANTS)
                    if isinstance(variants, list) and variant not in variants:
                        continue
                    lua = str(case["lua"])
                    if "cursor" in case:
                        lua = lua.replace("CURSOR", cursor_after(int(case["cursor"])) if variant != "fastcrud" else str(case["cursor"]))
                    wrk(base, lua, 1, args.connections)  # warm-up
                    reset_statements(args.dsn)
                    measured = wrk(base, lua, args.seconds, args.connections)
                    measured["statements"] = statements(args.dsn) / max(1.0, measured["requests"])
                    results.setdefault((name, variant), []).append(measured)
                    print(f"round {round_number + 1} {variant:12} {name:30} {measured['rps']:9.1f} req/s", file=sys.stderr)
                rss[variant] = max(rss.get(variant, 0.0), peak_rss_mib(proc.pid))
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        # The creates of this round go: the next round measures the same table.
        with psycopg.connect(args.dsn, autocommit=True) as conn:
            conn.execute(f"DELETE FROM post WHERE id > {args.rows}")

    write_report(args, cases, results, rss)


def median(values: list[dict[str, float]], key: str) -> float:
    return statistics.median(v[key] for v in values)


def write_report(args: argparse.Namespace, cases: dict[str, dict[str, object]], results: dict, rss: dict[str, float]) -> None:
    lines = [
        "# Benchmark: the generated app's runtime vs FastCRUD and a hand-written asyncpg + orjson app",
        "",
        "Generated by `bench/runtime_vs_peers.sh` (bench/runtime_vs_peers.py); the measured sections are",
        "rewritten on every run, the 'Analysis' section at the end is hand-written and kept.",
        "",
        "## Setup",
        "",
        f"- schemaforge commit: {args.commit}; examples/blog.yaml generated for PostgreSQL",
        f"- PostgreSQL {server_version(args.dsn)} on 127.0.0.1, {args.rows:,} posts (2 tags each), 1,000 users, 50 tags",
        f"- one uvicorn worker per variant (pool 10 + 5), wrk -t2 -c{args.connections}, {args.seconds} s per measurement",
        (f"  after a 1 s warm-up, {args.rounds} interleaved rounds, medians; machine: {platform.machine()},"
        f" {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"),
        "- statements per request: `pg_stat_statements` calls (BEGIN/COMMIT included) / requests",
        ("- FastCRUD answers without `tags` (it loads no many-to-many) and its create writes no tags;"
        " its pages are `get_multi` (with its total count) and `get_multi_by_cursor`"),
        "",
        "## Results",
        "",
        "| scenario | variant | req/s | p50 ms | p99 ms | statements/request | non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name in cases:
        for variant in VARIANTS:
            values = results.get((name, variant))
            if not values:
                lines.append(f"| {name} | {variant} | n/a | | | | |")
                continue
            lines.append(
                f"| {name} | {variant} | {median(values, 'rps'):,.0f} | {median(values, 'p50'):.1f} | "
                f"{median(values, 'p99'):.1f} | {median(values, 'statements'):.1f} | {int(sum(v['errors'] for v in values))} |"
            )
    lines += ["", "## Ratios (generated app)", "", "| scenario | vs FastCRUD | vs hand-written |", "|---|---:|---:|"]
    def ratio(name: str, peer: str) -> str:
        if (name, peer) not in results:
            return "n/a (no such feature)"
        theirs = median(results[(name, peer)], "rps")
        return f"{median(results[(name, 'generated')], 'rps') / theirs:.2f}x" if theirs else "n/a (it failed)"

    for name in cases:
        lines.append(f"| {name} | {ratio(name, 'fastcrud')} | {ratio(name, 'handwritten')} |")
    first = median(results[("page of 50 (first)", "generated")], "rps")
    deep_name = next(n for n in cases if n.startswith("keyset"))
    deep = median(results[(deep_name, "generated")], "rps")
    lines += [
        "",
        f"Keyset page deep in the table vs the first page (generated app): {first / deep:.2f}x the time per request.",
        "",
        "Peak RSS (VmHWM of the uvicorn process): "
        + ", ".join(f"{v} {rss.get(v, 0):.0f} MiB" for v in VARIANTS)
        + ".",
        "",
    ]
    analysis = ""
    if REPORT.exists() and "## Analysis" in REPORT.read_text():
        analysis = REPORT.read_text()[REPORT.read_text().index("## Analysis") :]
    REPORT.write_text("\n".join(lines) + "\n" + (analysis or "## Analysis\n\n(to be written)\n"))
    print(f"wrote {REPORT}", file=sys.stderr)


def server_version(dsn: str) -> str:
    with psycopg.connect(dsn) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


if __name__ == "__main__":
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    main()
