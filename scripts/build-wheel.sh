#!/usr/bin/env bash
# Builds dist/schemaforge-<version>-py3-none-<manylinux tag>.whl: the release binary (the Swift
# standard library linked in, symbols stripped) as the wheel's script, as ruff and uv ship theirs.
# `pip install dist/schemaforge-*.whl` puts `schemaforge` on the environment's PATH; `python -m
# schemaforge` runs it too. The tag is what `auditwheel show` finds the binary needs (glibc,
# libstdc++); no sdist is made, since building needs a Swift toolchain.
#
# Usage: bash scripts/build-wheel.sh [OUT_DIR]   (default: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-dist}"
PYTHON="${PYTHON:-python3}"

swift build -c release --static-swift-stdlib --product schemaforge </dev/null
BIN="$(swift build -c release --static-swift-stdlib --product schemaforge --show-bin-path)/schemaforge"

# The packing tools, pinned, in a venv of their own.
if ! .venv-wheel/bin/python -c 'import auditwheel' >/dev/null 2>&1; then
    rm -rf .venv-wheel
    "$PYTHON" -m venv .venv-wheel
fi
.venv-wheel/bin/python -m pip install --disable-pip-version-check -q -r integration/requirements-wheel.txt </dev/null

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
strip -o "$STAGE/schemaforge" "$BIN"
.venv-wheel/bin/python scripts/wheel.py "$STAGE/schemaforge" "$OUT"
