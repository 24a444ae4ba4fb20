#!/usr/bin/env bash
# Benchmark: builds a release schemaforge, generates synthetic schemas (bench/generate_schema.py), checks that
# they validate cleanly, times validate / sql (sqlite, postgresql, mysql) / resolve and writes bench/REPORT.md.
#
#   bench/run.sh                 # 5 runs per command, N = 100, 1000, 5000
#   RUNS=9 SIZES=1000,2000 bench/run.sh
#   NO_PROFILE=1 bench/run.sh    # skip the perf profile
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH="${SCRATCH:-.build-bench}"
RUNS="${RUNS:-5}"
SIZES="${SIZES:-100,1000,5000}"

echo "== building release binary (scratch path $SCRATCH)" >&2
swift build -c release --scratch-path "$SCRATCH" --product schemaforge >&2
BIN="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/schemaforge"

echo "== checking the 1000-entity schema validates without errors or warnings" >&2
mkdir -p bench/.work
python3 bench/generate_schema.py -n 1000 -o bench/.work/schema-1000.yaml
"$BIN" validate --strict bench/.work/schema-1000.yaml >&2

echo "== measuring" >&2
extra=()
if [[ -n "${NO_PROFILE:-}" ]]; then extra+=(--no-profile); fi
python3 bench/measure.py --bin "$BIN" --runs "$RUNS" --sizes "$SIZES" "${extra[@]}"
