#!/usr/bin/env bash
# Installs what the project needs on a machine that has only Node/npm and Python:
# the pinned Bun (globally if it is already there at that version, else into
# .tools/bun), then the workspace's packages from the lockfile.
# Source it (`. scripts/setup.sh`) so PATH carries over, or run it on its own.
set -euo pipefail

BUN_VERSION="1.4.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "$(bun --version 2>/dev/null || true)" != "$BUN_VERSION" ]; then
  LOCAL_BUN="$ROOT/.tools/bun"
  if [ "$("$LOCAL_BUN/node_modules/.bin/bun" --version 2>/dev/null || true)" != "$BUN_VERSION" ]; then
    echo "setup: installing bun@$BUN_VERSION into .tools/bun" >&2
    npm install --prefix "$LOCAL_BUN" --no-save --no-audit --no-fund --loglevel=error "bun@$BUN_VERSION" >&2
  fi
  export PATH="$LOCAL_BUN/node_modules/.bin:$PATH"
fi

(cd "$ROOT" && bun install --frozen-lockfile >&2)
