#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test (XCTest). Tests that need AWS start their
# own moto_server on a free 127.0.0.1 port and stop it when the test process ends.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# Test fixtures go under .build (this machine's /tmp was measured ~10x slower at creating small files).
export TMPDIR="$PWD/.build/test-tmp"
mkdir -p "$TMPDIR"
swift build --build-tests
log="$TMPDIR/swift-test.log"
status=0
swift test --disable-swift-testing 2>&1 | tee "$log" || status=$?
# One plain closing line: "N passed, N failed" from XCTest's final summary.
summary=$(grep -E "Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
if [ -n "$summary" ]; then
    total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
    failed=$(echo "$summary" | sed -E 's/.*with ([0-9]+) failures?.*/\1/')
    echo "$((total - failed)) passed, $failed failed"
fi
exit $status
