#!/usr/bin/env bash
# Benchmark: `schemaforge import` of the largest PostgreSQL dumps of the corpus, from the file and from the live
# database (pg_dump inside), vs sqlacodegen reflecting the same live database; writes bench/REPORT-import.md.
#
#   bench/import_vs_sqlacodegen.sh                   # 5 interleaved rounds
#   RUNS=9 bench/import_vs_sqlacodegen.sh
#   INPUTS=a.sql,b.sql bench/import_vs_sqlacodegen.sh   # other dumps (default: see the .py's DEFAULT_INPUTS)
#   UPGRADE=1 bench/import_vs_sqlacodegen.sh         # reinstall the newest sqlacodegen (and psycopg) from PyPI
#   QUIET_LOAD=1.0 bench/import_vs_sqlacodegen.sh    # first wait (up to QUIET_WAIT=600 s) for 1-min load < 1.0
#   BIN=.build/debug/schemaforge bench/import_vs_sqlacodegen.sh   # measure that binary, build nothing
#
# Needs: swift, python3 (venv + pip reaching PyPI once), psql and pg_dump (at least the server's version), and
# PostgreSQL's binaries for integration/servers.sh. The private PostgreSQL on 127.0.0.1:54329 is used when it is
# up; otherwise this script starts it with integration/servers.sh and stops it again at the end (only what it
# started).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH="${SCRATCH:-.build-bench-import}"
RUNS="${RUNS:-5}"
VENV="${VENV:-bench/.work/sqlacodegen-venv}"
PG_PORT="${SF_PG_PORT:-54329}"
DB_PREFIX="${DB_PREFIX:-sf_bench_import}"

log() { echo "== $*" >&2; }

# The commit measured: taken before the build (in a shared tree HEAD may move while the benchmark runs).
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
    COMMIT+=" (with uncommitted changes in Sources/)"
fi

if [[ -n "${BIN:-}" ]]; then
    BUILD_NOTE="binary given with BIN=$BIN (not built by this script)"
    [[ "$BIN" == *debug* ]] && BUILD_NOTE="DEBUG build \`$BIN\` (given with BIN=; not a release build)"
else
    log "building release binary (scratch path $SCRATCH) at $COMMIT"
    # Retried: in a shared work tree a source file edited mid-build fails the build ("was modified during the build").
    for attempt in 1 2 3; do
        if swift build -c release --scratch-path "$SCRATCH" --product schemaforge >&2; then break; fi
        [[ "$attempt" == 3 ]] && { log "release build failed"; exit 1; }
        log "build failed (attempt $attempt), retrying in 20 s"
        sleep 20
    done
    BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/schemaforge"
    BUILD_NOTE="release build (\`swift build -c release --scratch-path $SCRATCH\`)"
fi

# The venv, shared with bench/generate_vs_sqlacodegen.sh (so the same packages: that script checks only for
# bin/sqlacodegen and needs ruff too): sqlacodegen from PyPI, psycopg 3 (binary) as its driver, SQLAlchemy.
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
python3 bench/import_vs_sqlacodegen.py --bin "$BIN" --venv "$VENV" --runs "$RUNS" --inputs "${INPUTS:-}" \
    --pg-port "$PG_PORT" --db-prefix "$DB_PREFIX" --quiet-load "${QUIET_LOAD:-0}" --quiet-wait "${QUIET_WAIT:-600}" \
    --commit "$COMMIT" --build-note "$BUILD_NOTE"
