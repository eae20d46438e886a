#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test. Tests that need AWS start their own
# moto_server on a free 127.0.0.1 port and stop it when the test process ends.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# Test fixtures go under .build (this machine's /tmp was measured ~10x slower at creating small files).
export TMPDIR="$PWD/.build/test-tmp"
mkdir -p "$TMPDIR"
swift build --build-tests
swift test
