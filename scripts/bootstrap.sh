#!/usr/bin/env bash
# Installs what clickstream needs and a fresh Debian 12 machine lacks; does nothing when it is all there.
#   - C libraries from the design card: libcurl (OpenSSL flavour), OpenSSL, zlib, SQLite (headers + libs)
#   - chromium (headless, the real browser the report's tests render the HTML report in)
#   - moto_server (the AWS emulator the tests talk to, on 127.0.0.1 only), from PyPI
# Usage: scripts/bootstrap.sh [--bench]   (--bench also installs duckdb, the benchmark's baseline)
set -euo pipefail

missing=()
for pkg in libcurl4-openssl-dev libssl-dev zlib1g-dev libsqlite3-dev chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v moto_server >/dev/null 2>&1; then
    echo "bootstrap: installing moto[server]" >&2
    python3 -m pip install -q 'moto[server]'
fi

if [ "${1:-}" = "--bench" ] && ! python3 -c 'import duckdb' >/dev/null 2>&1; then
    echo "bootstrap: installing duckdb (benchmark baseline)" >&2
    python3 -m pip install -q duckdb
fi
