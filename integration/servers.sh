#!/usr/bin/env bash
# Starts / stops the private database servers the integration suite runs against:
#   PostgreSQL 15 on 127.0.0.1:54329 (data in /tmp/sf-pg), MariaDB 10.11 on 127.0.0.1:33069
#   (data in /tmp/sf-maria). Both listen on 127.0.0.1 only; see shared/SERVERS.md.
#
#   integration/servers.sh start    # idempotent: starts what is not running, waits until both answer
#   integration/servers.sh stop     # stops both and removes their data directories
#   integration/servers.sh status
#   integration/servers.sh start-pg|pause-pg|stop-pg   PostgreSQL alone (pause keeps the data), for
#                                   the fault tests' own cluster (SF_PG_PORT, SF_PG_DIR)
#   integration/servers.sh start-standby|stop-standby  a hot standby of that cluster
#                                   (SF_STANDBY_PORT, SF_STANDBY_DIR)
#
# Environment overrides: SF_PG_PORT, SF_PG_DIR, SF_MARIA_PORT, SF_MARIA_DIR.
set -euo pipefail

PG_PORT="${SF_PG_PORT:-54329}"
PG_DIR="${SF_PG_DIR:-/tmp/sf-pg}"
PG_LOG="${PG_DIR}.log"
MARIA_PORT="${SF_MARIA_PORT:-33069}"
MARIA_DIR="${SF_MARIA_DIR:-/tmp/sf-maria}"
MARIA_SOCK="${MARIA_DIR}.sock"
MARIA_PID="${MARIA_DIR}.pid"
MARIA_ERR="${MARIA_DIR}.err"

# PostgreSQL's own bin directory first: psql and pg_isready are not always linked onto PATH.
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then PATH="$d:$PATH"; break; fi
done
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { echo "servers.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command as `user` (directly when we already are that user or cannot switch).
as_user() {
    local user="$1"; shift
    if [ "$(id -u)" -eq 0 ] && [ "$(id -un)" != "$user" ]; then
        local cmd=""
        for a in "$@"; do cmd+=" $(printf '%q' "$a")"; done
        su "$user" -s /bin/sh -c "PATH=$(printf '%q' "$PATH");$cmd"
    else
        "$@"
    fi
}

pg_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
maria_user() { if [ "$(id -u)" -eq 0 ]; then echo mysql; else id -un; fi; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_running() {
    [ -f "$PG_DIR/PG_VERSION" ] && as_user "$(pg_user)" pg_ctl -D "$PG_DIR" status >/dev/null 2>&1
}

pg_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null
    fi
}

start_pg() {
    command -v initdb >/dev/null || die "PostgreSQL binaries (initdb, pg_ctl) are not installed"
    local user; user="$(pg_user)"
    if pg_running; then
        log "PostgreSQL already running on port $PG_PORT"
    else
        if [ ! -f "$PG_DIR/PG_VERSION" ]; then
            rm -rf "$PG_DIR"
            mkdir -p "$PG_DIR"
            chown "$user" "$PG_DIR"
            chmod 700 "$PG_DIR"
            as_user "$user" initdb -D "$PG_DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null \
                || as_user "$user" initdb -D "$PG_DIR" -A trust -U postgres -E UTF8 --locale=C >/dev/null
        fi
        : >"$PG_LOG"
        chown "$user" "$PG_LOG"
        # Throwaway test cluster: durability off for speed; many locks for big schemas.
        local opts="-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_locks_per_transaction=1024"
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        as_user "$user" pg_ctl -D "$PG_DIR" -o "$opts" -l "$PG_LOG" -w -t 60 start >/dev/null \
            || { cat "$PG_LOG" >&2; die "PostgreSQL did not start"; }
    fi
    local i
    for i in $(seq 1 120); do
        if pg_ready; then log "PostgreSQL ready on 127.0.0.1:$PG_PORT"; return 0; fi
        sleep 0.5
    done
    cat "$PG_LOG" >&2
    die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"
}

# A streaming-replication hot standby of the cluster on PG_PORT (read replica tests): a base backup
# with its recovery settings (`pg_basebackup -R`), started on SF_STANDBY_PORT from SF_STANDBY_DIR.
STANDBY_PORT="${SF_STANDBY_PORT:-54330}"
STANDBY_DIR="${SF_STANDBY_DIR:-/tmp/sf-pg-standby}"

start_standby() {
    local user; user="$(pg_user)"
    rm -rf "$STANDBY_DIR"
    mkdir -p "$STANDBY_DIR"
    chown "$user" "$STANDBY_DIR"
    chmod 700 "$STANDBY_DIR"
    as_user "$user" pg_basebackup -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$STANDBY_DIR" -R -X stream \
        || die "pg_basebackup from 127.0.0.1:$PG_PORT failed"
    local opts="-p $STANDBY_PORT -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on"
    opts+=" -c max_connections=200 -c max_locks_per_transaction=1024"
    as_user "$user" pg_ctl -D "$STANDBY_DIR" -o "$opts" -l "$STANDBY_DIR/standby.log" -w -t 60 start >/dev/null \
        || { cat "$STANDBY_DIR/standby.log" >&2; die "the standby did not start"; }
    log "PostgreSQL standby of :$PG_PORT ready on 127.0.0.1:$STANDBY_PORT"
}

stop_standby() {
    if [ -f "$STANDBY_DIR/PG_VERSION" ]; then
        as_user "$(pg_user)" pg_ctl -D "$STANDBY_DIR" stop -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$STANDBY_DIR"
}

stop_pg() {
    if [ -f "$PG_DIR/PG_VERSION" ]; then
        as_user "$(pg_user)" pg_ctl -D "$PG_DIR" stop -m fast -w >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR" "$PG_LOG"
    log "PostgreSQL stopped"
}

# ---------------------------------------------------------------------------------------------
# MariaDB

ensure_mariadb_installed() {
    if command -v mariadbd >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1; then return 0; fi
    [ "$(id -u)" -eq 0 ] || die "mariadb-server is not installed and installing it needs root"
    log "installing mariadb-server from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >/dev/null
    # Its own service start is blocked on these machines; that is fine, we start our own server.
    apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client </dev/null >/dev/null \
        || command -v mariadbd >/dev/null 2>&1 || die "apt-get install mariadb-server failed"
}

maria_client() {
    if command -v mariadb >/dev/null 2>&1; then echo mariadb; else echo mysql; fi
}

maria_ready() {
    "$(maria_client)" --no-defaults -h 127.0.0.1 -P "$MARIA_PORT" -u root --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1
}

maria_pid_alive() {
    [ -f "$MARIA_PID" ] && kill -0 "$(cat "$MARIA_PID")" 2>/dev/null
}

start_maria() {
    ensure_mariadb_installed
    local user; user="$(maria_user)"
    if maria_ready; then
        log "MariaDB already running on port $MARIA_PORT"
        return 0
    fi
    if ! maria_pid_alive; then
        if [ ! -d "$MARIA_DIR/mysql" ]; then
            rm -rf "$MARIA_DIR"
            mkdir -p "$MARIA_DIR"
            chown "$user:" "$MARIA_DIR"
            as_user "$user" mariadb-install-db --no-defaults --user="$user" --datadir="$MARIA_DIR" \
                --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1 \
                || as_user "$user" mariadb-install-db --no-defaults --user="$user" --datadir="$MARIA_DIR" \
                    --auth-root-authentication-method=normal >/dev/null \
                || die "mariadb-install-db failed"
        fi
        rm -f "$MARIA_PID" "$MARIA_SOCK"
        : >"$MARIA_ERR"
        chown "$user:" "$MARIA_ERR"
        local mariadbd; mariadbd="$(command -v mariadbd)"
        # Throwaway test server: no binlog, relaxed flushing; the client lib defaults stay untouched.
        as_user "$user" sh -c "nohup '$mariadbd' --no-defaults --datadir='$MARIA_DIR' --bind-address=127.0.0.1 \
            --port=$MARIA_PORT --socket='$MARIA_SOCK' --pid-file='$MARIA_PID' --log-error='$MARIA_ERR' \
            --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
            --max-connections=300 >/dev/null 2>&1 </dev/null &"
    fi
    local i
    for i in $(seq 1 240); do
        if maria_ready; then log "MariaDB ready on 127.0.0.1:$MARIA_PORT"; return 0; fi
        sleep 0.5
    done
    cat "$MARIA_ERR" >&2 || true
    die "MariaDB does not accept connections on 127.0.0.1:$MARIA_PORT"
}

stop_maria() {
    if [ -f "$MARIA_PID" ]; then
        local pid; pid="$(cat "$MARIA_PID")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            local i
            for i in $(seq 1 120); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.25
            done
            if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
    fi
    rm -rf "$MARIA_DIR" "$MARIA_PID" "$MARIA_SOCK" "$MARIA_ERR"
    log "MariaDB stopped"
}

case "${1:-}" in
    start)
        start_pg
        start_maria
        ;;
    stop)
        stop_maria
        stop_pg
        ;;
    start-pg)
        start_pg
        ;;
    pause-pg)
        # Stops PostgreSQL and keeps its data: `start-pg` brings the same cluster back.
        [ -f "$PG_DIR/PG_VERSION" ] && as_user "$(pg_user)" pg_ctl -D "$PG_DIR" stop -m fast -w >/dev/null
        log "PostgreSQL paused"
        ;;
    stop-pg)
        stop_pg
        ;;
    start-standby)
        start_standby
        ;;
    stop-standby)
        stop_standby
        ;;
    status)
        rc=0
        if pg_ready; then echo "PostgreSQL: up (127.0.0.1:$PG_PORT)"; else echo "PostgreSQL: down"; rc=1; fi
        if maria_ready; then echo "MariaDB: up (127.0.0.1:$MARIA_PORT)"; else echo "MariaDB: down"; rc=1; fi
        exit $rc
        ;;
    *)
        echo "usage: $0 start|stop|status|start-pg|pause-pg|stop-pg|start-standby|stop-standby" >&2
        exit 2
        ;;
esac
