#!/usr/bin/env bash
# Remakes docs/report.png, the README's picture of the HTML report: the demo's data, `clickstream report`, and
# headless Chromium (the same browser the report's tests use), with the network off.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="$PWD/.build/debug/clickstream"
(cd "$work" && "$bin" demo -q --db demo.sqlite && "$bin" report --from 2025-07-03 --to 2025-07-04 --db demo.sqlite --out report.html)
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --host-resolver-rules='MAP * ~NOTFOUND' --window-size=1200,1800 \
    --screenshot="$PWD/docs/report.png" "file://$work/report.html" 2>/dev/null
echo "wrote docs/report.png"
