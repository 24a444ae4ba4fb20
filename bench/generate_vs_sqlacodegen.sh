#!/usr/bin/env bash
# Benchmark: `schemaforge generate` (the whole FastAPI project) vs sqlacodegen (SQLAlchemy models reflected from
# PostgreSQL) on the same synthetic 1,000-entity schema; writes bench/REPORT-generate.md.
#
#   bench/generate_vs_sqlacodegen.sh                 # 5 interleaved rounds
#   RUNS=9 bench/generate_vs_sqlacodegen.sh
#   NO_PROFILE=1 bench/generate_vs_sqlacodegen.sh    # skip perf / strace
#   UPGRADE=1 bench/generate_vs_sqlacodegen.sh       # reinstall the newest sqlacodegen (and psycopg) from PyPI
#   ENTITIES=200 bench/generate_vs_sqlacodegen.sh    # another size (the report is written for it)
#   QUIET_LOAD=1.0 bench/generate_vs_sqlacodegen.sh  # first wait (up to QUIET_WAIT=600 s) for 1-min load < 1.0
#   FS_QUIET_US=0 bench/generate_vs_sqlacodegen.sh   # do not wait for file creation < 100 us (ext4 after mass deletes)
#
# Needs: swift, python3 (venv + pip reaching PyPI once), psql, and PostgreSQL's binaries for
# integration/servers.sh. The private PostgreSQL on 127.0.0.1:54329 is used when it is up; otherwise this
# script starts it with integration/servers.sh and stops it again at the end (only what it started).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH="${SCRATCH:-.build-bench2}"
RUNS="${RUNS:-5}"
ENTITIES="${ENTITIES:-1000}"
VENV="${VENV:-bench/.work/sqlacodegen-venv}"
PG_PORT="${SF_PG_PORT:-54329}"
DB_NAME="${DB_NAME:-sf_bench_sqlacodegen}"

log() { echo "== $*" >&2; }

# The commit measured: taken before the build (in a shared tree HEAD may move while the benchmark runs).
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
    COMMIT+=" (with uncommitted changes in Sources/)"
fi

log "building release binary (scratch path $SCRATCH) at $COMMIT"
# Retried: in a shared work tree a source file edited mid-build fails the build ("was modified during the build").
for attempt in 1 2 3; do
    if swift build -c release --scratch-path "$SCRATCH" --product schemaforge >&2; then break; fi
    [[ "$attempt" == 3 ]] && { log "release build failed"; exit 1; }
    log "build failed (attempt $attempt), retrying in 20 s"
    sleep 20
done
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/schemaforge"

# The venv: the current sqlacodegen from PyPI, psycopg 3 (binary) as its driver, SQLAlchemy with asyncio
# (greenlet: the generated models import sqlalchemy.ext.asyncio) and the ruff the integration suite pins.
RUFF_PIN="$(grep -E '^ruff==' integration/requirements-generated.txt || echo ruff)"
if [[ ! -x "$VENV/bin/sqlacodegen" || -n "${UPGRADE:-}" ]]; then
    log "installing sqlacodegen, psycopg[binary], sqlalchemy[asyncio], $RUFF_PIN into $VENV"
    mkdir -p "$(dirname "$VENV")"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade sqlacodegen 'psycopg[binary]' 'sqlalchemy[asyncio]' "$RUFF_PIN" >&2
fi

# PostgreSQL: use the private server when it is up; start it (and later stop it) only when it is not.
pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres 2>/dev/null \
    || psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }
maria_was_up=1
started_pg=""
cleanup() {
    if [[ -n "$started_pg" ]]; then
        if [[ "$maria_was_up" == 0 ]]; then
            log "stopping the servers this script started"
            bash integration/servers.sh stop >&2 || true
        else
            # servers.sh stop would stop MariaDB too, which was running before: stop PostgreSQL alone, as it does.
            log "stopping the PostgreSQL this script started"
            pg_dir="${SF_PG_DIR:-/tmp/sf-pg}"
            pg_ctl_bin="$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | head -1)"
            if [[ "$(id -u)" == 0 ]]; then
                su postgres -s /bin/sh -c "$pg_ctl_bin -D $pg_dir stop -m fast -w" >/dev/null 2>&1 || true
            else
                "$pg_ctl_bin" -D "$pg_dir" stop -m fast -w >/dev/null 2>&1 || true
            fi
            rm -rf "$pg_dir" "$pg_dir.log"
        fi
    fi
}
trap cleanup EXIT
if ! pg_up; then
    bash integration/servers.sh status 2>/dev/null | grep -q '^MariaDB: up' || maria_was_up=0
    log "PostgreSQL is not running on 127.0.0.1:$PG_PORT: starting it (integration/servers.sh start)"
    started_pg=1
    bash integration/servers.sh start >&2
fi

log "measuring"
extra=()
if [[ -n "${NO_PROFILE:-}" ]]; then extra+=(--no-profile); fi
python3 bench/generate_vs_sqlacodegen.py --bin "$BIN" --venv "$VENV" --runs "$RUNS" --entities "$ENTITIES" \
    --pg-port "$PG_PORT" --db-name "$DB_NAME" --quiet-load "${QUIET_LOAD:-0}" --quiet-wait "${QUIET_WAIT:-600}" \
    --fs-quiet-us "${FS_QUIET_US:-100}" \
    --commit "$COMMIT" --build-note "release build (\`swift build -c release --scratch-path $SCRATCH\`)" "${extra[@]}"
