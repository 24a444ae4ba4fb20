#!/usr/bin/env bash
# Runtime benchmark: the generated FastAPI app (examples/blog.yaml, PostgreSQL) vs FastCRUD on the same models
# vs a hand-written asyncpg + orjson app, under wrk; writes bench/REPORT-runtime.md.
#
#   bench/runtime_vs_peers.sh                          # 100,000 posts, 3 rounds of 8 s per measurement
#   ROWS=200000 ROUNDS=5 SECONDS_EACH=10 bench/runtime_vs_peers.sh
#
# Needs wrk (Debian package), python3 (venv + pip reaching PyPI once) and PostgreSQL's binaries: it starts its
# own PostgreSQL (with pg_stat_statements) on 127.0.0.1:$PG_PORT (default 54349) through
# integration/servers.sh and stops it at the end. The integration servers are not touched. Generator speed
# does not matter here: BIN defaults to the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-100000}"
ROUNDS="${ROUNDS:-3}"
SECONDS_EACH="${SECONDS_EACH:-8}"
PG_PORT="${PG_PORT:-54349}"
VENV="${VENV:-bench/.work/runtime-venv}"
PROJECT="bench/.work/runtime/blog"
BIN="${BIN:-.build/debug/schemaforge}"
log() { echo "== $*" >&2; }

command -v wrk >/dev/null || { log "wrk is missing: apt-get install -y wrk"; exit 1; }
[[ -x "$BIN" ]] || swift build
COMMIT="$(git rev-parse --short HEAD)"
[[ -z "$(git status --porcelain -- Sources)" ]] || COMMIT+=" (with uncommitted changes in Sources/)"

log "generating examples/blog.yaml for PostgreSQL into $PROJECT"
rm -rf "$PROJECT"
mkdir -p "$(dirname "$PROJECT")"
"$BIN" generate examples/blog.yaml --db postgresql --out "$PROJECT" >/dev/null

# The venv: the generated project as its README installs it, and the peers' packages.
if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$PROJECT" \
    "fastcrud==0.23.0" "orjson==3.13.0" "psycopg[binary]>=3.2,<4" >&2

export SF_PG_PORT="$PG_PORT" SF_PG_DIR="/tmp/sf-bench-runtime-pg"
trap 'bash integration/servers.sh stop-pg >/dev/null 2>&1 || true' EXIT
bash integration/servers.sh start-pg >&2
DSN="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
# pg_stat_statements counts the statements per request; it needs a restart to load.
"$VENV/bin/python" - "$DSN" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
PY
bash integration/servers.sh pause-pg >&2
bash integration/servers.sh start-pg >&2
"$VENV/bin/python" - "$DSN" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
PY
ALEMBIC="$PWD/$VENV/bin/alembic"
(cd "$PROJECT" && DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:$PG_PORT/postgres" "$ALEMBIC" upgrade head >&2)

"$VENV/bin/python" bench/runtime_vs_peers.py --project "$PROJECT" --venv "$VENV" --dsn "$DSN" \
    --rows "$ROWS" --rounds "$ROUNDS" --seconds "$SECONDS_EACH" --commit "$COMMIT"
