#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, generates a seeded sample archive
# (./demo-archive, the production layout) and replays it into ./clickstream.sqlite, then shows two canned queries.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift run clickstream demo "$@"
