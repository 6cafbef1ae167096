#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (the console's browser tests drive it
# with playwright-core) and prints its path. Playwright's own browser downloads
# are not used: they come from a CDN the test machines cannot reach.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  echo "chromium.sh: installing Debian's chromium" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >&2
fi
echo "$CHROMIUM"
