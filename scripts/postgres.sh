#!/usr/bin/env bash
# PostgreSQL for tests and local use, from Debian's packages.
#   postgres.sh install            installs the server if no /usr/lib/postgresql/*/bin/postgres exists
#   postgres.sh start DIR [PORT]   a throwaway cluster in DIR (trust auth, 127.0.0.1), prints its URL
#   postgres.sh stop DIR           stops that cluster immediately
# The tests start their own cluster (services/kit/src/db/testPostgres.ts), calling `install` first.
set -euo pipefail

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  install)
    if [ -n "$(bindir)" ] && [ -x "$(bindir)/postgres" ]; then exit 0; fi
    echo "postgres.sh: installing PostgreSQL from the Debian packages" >&2
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
    [ -x "$(bindir)/postgres" ] || { echo "postgres.sh: PostgreSQL is still missing after apt-get" >&2; exit 1; }
    ;;
  start)
    DIR="${2:?usage: postgres.sh start DIR [PORT]}"; PORT="${3:-5432}"; BIN="$(bindir)"
    mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR"
    as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-k $DIR -p $PORT -h 127.0.0.1" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    DIR="${2:?usage: postgres.sh stop DIR}"
    as_postgres "$(bindir)/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null
    ;;
  *)
    echo "usage: postgres.sh install | start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
