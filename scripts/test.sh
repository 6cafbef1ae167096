#!/usr/bin/env bash
# Installs what is needed, then runs every test (see scripts/test.ts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/setup.sh"
cd "$ROOT" && exec bun run test "$@"
