#!/usr/bin/env bash
# Benchmark: `schemaforge migrate` vs `alembic revision --autogenerate` for the same change of the synthetic
# 1,000-entity schema (100 changes of every kind); writes bench/REPORT-migrate.md.
#
#   bench/migrate_vs_alembic.sh                       # 5 migrate runs, 3 autogenerate runs, verification
#   RUNS=9 ALEMBIC_RUNS=5 bench/migrate_vs_alembic.sh
#   NO_VERIFY=1 bench/migrate_vs_alembic.sh           # skip applying schemaforge's revision to PostgreSQL
#   NO_PROFILE=1 bench/migrate_vs_alembic.sh          # skip the perf profile of one migrate
#   PER_KIND=20 ENTITIES=1000 bench/migrate_vs_alembic.sh
#   QUIET_LOAD=1.0 bench/migrate_vs_alembic.sh        # first wait (up to QUIET_WAIT=600 s) for 1-min load < 1.0
#
# Builds nothing: it takes the release binary of `swift build -c release --scratch-path .build-bench`
# (or BIN=/path/to/schemaforge). Needs python3 (venv + pip reaching PyPI once), psql, and PostgreSQL's
# initdb / pg_ctl: it starts its own PostgreSQL on 127.0.0.1:$PG_PORT (default 54339; data in
# bench/.work/pg-$PG_PORT) and stops it at the end. The integration servers (54329 / 33069) are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
ALEMBIC_RUNS="${ALEMBIC_RUNS:-3}"
ENTITIES="${ENTITIES:-1000}"
PER_KIND="${PER_KIND:-100}"
VENV="${VENV:-bench/.work/alembic-venv}"
PG_PORT="${PG_PORT:-54339}"
PG_DIR="$PWD/bench/.work/pg-$PG_PORT"

log() { echo "== $*" >&2; }

SCRATCH="${SCRATCH:-.build-bench}"
BIN="${BIN:-$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/schemaforge}"
[[ -x "$BIN" ]] || { log "no release binary at $BIN: run swift build -c release --scratch-path $SCRATCH"; exit 1; }
# The commit the binary was built from cannot be read from the binary: the work tree's HEAD, flagged when
# Sources/ has changes or the binary is older than the last commit.
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
    COMMIT+=" (with uncommitted changes in Sources/)"
elif [[ "$(stat -c %Y "$BIN")" -lt "$(git log -1 --format=%ct -- Sources Package.swift)" ]]; then
    COMMIT+=" (binary older than the last commit to Sources/)"
fi

# The venv: Alembic and what the generated project's env.py and models import, pinned as the integration
# suite pins them (integration/requirements*.txt).
PACKAGES='alembic|sqlalchemy|asyncpg|pydantic|pydantic-settings|pydantic_core|annotated-types|typing-inspection'
PACKAGES+='|typing_extensions|greenlet|Mako|MarkupSafe|python-dotenv'
mapfile -t PINS < <(grep -hE "^($PACKAGES)(\[[a-z]+\])?==" integration/requirements.txt \
    integration/requirements-generated.txt | sort -u)
STAMP="$VENV/.pins"
if [[ ! -x "$VENV/bin/alembic" || "$(cat "$STAMP" 2>/dev/null)" != "${PINS[*]}" ]]; then
    log "installing ${PINS[*]} into $VENV"
    mkdir -p "$(dirname "$VENV")"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q "${PINS[@]}" >&2
    echo "${PINS[*]}" >"$STAMP"
fi

# A private PostgreSQL, stopped and removed at the end.
PG_BIN="$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | head -1)")"
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
cleanup() {
    if [[ -f "$PG_DIR/postmaster.pid" ]]; then
        log "stopping the private PostgreSQL on $PG_PORT"
        as_pg "'$PG_BIN/pg_ctl' -D '$PG_DIR' stop -m fast -w" >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR" "$PG_DIR.log"
}
trap cleanup EXIT
if pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    log "something already listens on 127.0.0.1:$PG_PORT: set PG_PORT to a free port"
    trap - EXIT
    exit 1
fi
log "starting a private PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
rm -rf "$PG_DIR"
mkdir -p "$PG_DIR"
[[ "$(id -u)" == 0 ]] && chown postgres "$PG_DIR"
chmod 700 "$PG_DIR"
as_pg "'$PG_BIN/initdb' -D '$PG_DIR' -A trust -U postgres -E UTF8 --locale=C" >/dev/null
touch "$PG_DIR.log"
[[ "$(id -u)" == 0 ]] && chown postgres "$PG_DIR.log"
# Throwaway cluster, as integration/servers.sh starts its own: durability off, many locks for 1,000 tables.
as_pg "'$PG_BIN/pg_ctl' -D '$PG_DIR' -l '$PG_DIR.log' -w -t 60 -o '-p $PG_PORT -k /tmp \
    -c listen_addresses=127.0.0.1 -c max_locks_per_transaction=4096 -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off' start" >/dev/null || { cat "$PG_DIR.log" >&2; exit 1; }

log "measuring"
extra=()
if [[ -n "${NO_VERIFY:-}" ]]; then extra+=(--no-verify); fi
if [[ -n "${NO_PROFILE:-}" ]]; then extra+=(--no-profile); fi
python3 bench/migrate_vs_alembic.py --bin "$BIN" --venv "$VENV" --runs "$RUNS" --alembic-runs "$ALEMBIC_RUNS" \
    --entities "$ENTITIES" --per-kind "$PER_KIND" --pg-port "$PG_PORT" --commit "$COMMIT" \
    --quiet-load "${QUIET_LOAD:-0}" --quiet-wait "${QUIET_WAIT:-600}" \
    --build-note "release build (\`swift build -c release --scratch-path $SCRATCH\`)" "${extra[@]}"
