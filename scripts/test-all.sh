#!/usr/bin/env bash
# The whole check, on a fresh machine of this kind as on a developer's: installs what is missing
# (mariadb-server and graphviz from Debian, a Python venv at .venv with integration/requirements.txt), starts the
# private PostgreSQL and MariaDB servers (integration/servers.sh), runs `swift build`, `swift test`
# and the integration suite (pytest, against the built debug binary), and always stops the servers.
# Exits non-zero if any step fails. Works as root with no stdin (CI=true).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive
START=$(date +%s)
FAILED=()
PYTEST_SUMMARY=""
MONGO_SUMMARY=""

step() { echo; echo "==> [$(( $(date +%s) - START ))s] $*"; }
die() { echo "test-all.sh: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. What a fresh machine lacks

step "system packages"
if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "mariadb-server is missing and installing it needs root"
    apt-get update -qq </dev/null || die "apt-get update failed"
    # The package's own service start is blocked on these machines; servers.sh starts its own.
    apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client </dev/null \
        || command -v mariadbd >/dev/null 2>&1 || die "apt-get install mariadb-server failed"
fi
command -v mariadbd >/dev/null 2>&1 || die "mariadbd is still missing"
# Graphviz's `dot` renders the diagrams of `schemaforge diagram` (integration/test_diagram.py).
if ! command -v dot >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "graphviz is missing and installing it needs root"
    apt-get update -qq </dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends graphviz </dev/null || command -v dot >/dev/null 2>&1 || die "apt-get install graphviz failed"
fi
echo "dot: $(dot -V 2>&1 | head -1)"
# PgBouncer in transaction mode in front of PostgreSQL (integration/test_deployment.py).
if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
    [ "$(id -u)" -eq 0 ] || die "pgbouncer is missing and installing it needs root"
    apt-get update -qq </dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends pgbouncer </dev/null || [ -x /usr/sbin/pgbouncer ] || die "apt-get install pgbouncer failed"
fi
# The client programs: psql loads dumps, pg_dump and sqlite3 read live databases for
# `schemaforge import postgresql://...` / `sqlite:///...` (integration/test_import.py).
if ! command -v psql >/dev/null 2>&1 || ! command -v pg_dump >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "postgresql-client or sqlite3 is missing and installing it needs root"
    apt-get update -qq </dev/null || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends postgresql-client sqlite3 </dev/null \
        || { command -v pg_dump >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1; } || die "apt-get install postgresql-client sqlite3 failed"
fi
echo "pg_dump: $(pg_dump --version 2>/dev/null | head -1); sqlite3: $(sqlite3 --version 2>/dev/null | cut -d' ' -f1)"
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    || die "PostgreSQL (initdb) is not installed"
echo "mariadbd: $(mariadbd --version 2>/dev/null | head -1)"

step "python venv (.venv) from integration/requirements.txt"
PYTHON="${PYTHON:-python3}"
if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
    rm -rf .venv
    if ! "$PYTHON" -m venv .venv; then
        [ "$(id -u)" -eq 0 ] || die "python3 -m venv failed"
        apt-get update -qq </dev/null && apt-get install -y -qq python3-venv </dev/null || die "cannot install python3-venv"
        rm -rf .venv
        "$PYTHON" -m venv .venv || die "python3 -m venv failed"
    fi
fi
.venv/bin/python -m pip install --disable-pip-version-check -q -r integration/requirements.txt </dev/null \
    || die "pip install -r integration/requirements.txt failed"

step "fuzzer venv (.venv-fuzz) from integration/requirements-fuzz.txt"
# schemathesis pins versions that differ from the suite's: it gets a venv of its own.
if ! .venv-fuzz/bin/python -c 'import sys' >/dev/null 2>&1; then
    rm -rf .venv-fuzz
    "$PYTHON" -m venv .venv-fuzz || die "python3 -m venv .venv-fuzz failed"
fi
.venv-fuzz/bin/python -m pip install --disable-pip-version-check -q -r integration/requirements-fuzz.txt </dev/null \
    || die "pip install -r integration/requirements-fuzz.txt failed"

# ---------------------------------------------------------------------------------------------
# 2. Database servers (always stopped on exit)

cleanup() {
    step "stopping the database servers"
    bash integration/servers.sh stop || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "starting PostgreSQL and MariaDB"
bash integration/servers.sh start || die "the database servers did not start"

# ---------------------------------------------------------------------------------------------
# 3. Build and tests

step "swift build"
if swift build </dev/null; then
    BUILD_OK=1
else
    BUILD_OK=0
    FAILED+=("swift build")
fi

step "swift format lint (the repository's .swift-format)"
swift format lint --strict --recursive --parallel Sources Tests Plugins Package.swift </dev/null \
    || FAILED+=("swift format lint (fix with: swift format --in-place --recursive Sources Tests Plugins Package.swift)")

step "ruff on the fixed Python modules (Sources/PythonGenerators/Resources)"
(cd Sources/PythonGenerators/Resources && "$ROOT/.venv/bin/ruff" check --no-cache --config ruff.toml . \
    && "$ROOT/.venv/bin/ruff" format --no-cache --config ruff.toml --check .) </dev/null || FAILED+=("ruff on the fixed Python modules")

step "swift test"
if [ "$BUILD_OK" = 1 ]; then
    swift test </dev/null || FAILED+=("swift test")
else
    echo "skipped: swift build failed"
fi

step "wheel (scripts/build-wheel.sh: the release binary, tagged by auditwheel)"
WHEEL=""
if [ "$BUILD_OK" = 1 ]; then
    rm -rf "$ROOT/dist"
    if bash scripts/build-wheel.sh "$ROOT/dist" </dev/null; then
        WHEEL="$(ls "$ROOT"/dist/schemaforge-*.whl | head -1)"
        echo "wheel: $WHEEL ($(du -h "$WHEEL" | cut -f1))"
    else
        FAILED+=("scripts/build-wheel.sh")
    fi
fi

step "integration suite (pytest)"
if [ "$BUILD_OK" = 1 ] && [ -x .build/debug/schemaforge ]; then
    LOG="$(mktemp)"
    JUNIT="$(mktemp --suffix=.xml)"
    # Worker processes (pytest-xdist): most of the suite waits on subprocesses and servers, so two
    # workers on two CPUs nearly halve it. A file stays on one worker (its module fixtures are built
    # once); every test makes its own databases, ports and directories. PYTEST_WORKERS=0: one process.
    WORKERS="${PYTEST_WORKERS:-$(( $(nproc) < 2 ? 2 : ( $(nproc) > 4 ? 4 : $(nproc) ) ))}"
    SCHEMAFORGE_BIN="$ROOT/.build/debug/schemaforge" SCHEMAFORGE_WHEEL="$WHEEL" .venv/bin/python -m pytest integration -q -p no:cacheprovider \
        -n "$WORKERS" --dist loadfile --junitxml="$JUNIT" --durations=30 </dev/null 2>&1 | tee "$LOG"
    PYTEST_RC=${PIPESTATUS[0]}
    PYTEST_SUMMARY="$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|errors|skipped|deselected)|no tests ran' "$LOG" | tail -1)"
    MONGO_SUMMARY="$(.venv/bin/python scripts/mongo_test_counts.py "$JUNIT" 2>&1)"
    rm -f "$LOG" "$JUNIT"
    [ "$PYTEST_RC" -eq 0 ] || FAILED+=("pytest (exit $PYTEST_RC)")
else
    echo "skipped: no schemaforge binary"
    FAILED+=("pytest (not run)")
fi

# ---------------------------------------------------------------------------------------------
# Stop the servers before the summary, so that pytest's summary line closes the output.
cleanup
trap - EXIT

echo
echo "==> wall time: $(( $(date +%s) - START ))s"
if [ "${#FAILED[@]}" -gt 0 ]; then
    echo "==> FAILED: ${FAILED[*]}"
fi
[ -n "${MONGO_SUMMARY:-}" ] && echo "$MONGO_SUMMARY"
[ -n "$PYTEST_SUMMARY" ] && echo "$PYTEST_SUMMARY"
[ "${#FAILED[@]}" -eq 0 ]
