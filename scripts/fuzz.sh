#!/usr/bin/env bash
# Builds the libFuzzer target (Fuzz/, the event parser and the object splitter) and runs it from the seed corpus
# (Fuzz/seeds, from the test fixtures). Arguments go to libFuzzer; default: 10 million inputs on one core.
# Findings (crash-*, timeout-*) are written to Fuzz/.build/findings.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
swift build -c release -Xswiftc -sanitize=fuzzer
mkdir -p .build/corpus .build/findings
cp -n seeds/* .build/corpus/ 2>/dev/null || true
if [ $# -eq 0 ]; then set -- -runs=10000000; fi
exec .build/release/fuzz-ingest -max_len=4096 -timeout=5 -artifact_prefix=.build/findings/ "$@" .build/corpus
