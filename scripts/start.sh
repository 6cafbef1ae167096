#!/usr/bin/env bash
# Installs what is needed, then starts the whole system (see scripts/dev.ts).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/setup.sh"
cd "$ROOT" && exec bun run dev "$@"
