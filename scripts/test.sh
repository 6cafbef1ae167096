#!/usr/bin/env bash
# Installs what is needed, then runs every test (see scripts/test.ts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/setup.sh"
# The storage suites run on PostgreSQL too: make sure the server binaries are there.
bash "$ROOT/scripts/postgres.sh" install
cd "$ROOT" && exec bun run test "$@"
