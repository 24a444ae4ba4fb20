#!/usr/bin/env bash
# Builds the wheel (scripts/build-wheel.sh) unless NO_BUILD=1, then measures its size and start-up time
# beside ruff's and writes bench/REPORT-wheel.md.   RUNS=25 bench/wheel_startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${NO_BUILD:-}" = 1 ] || bash scripts/build-wheel.sh
exec python3 bench/wheel_startup.py
