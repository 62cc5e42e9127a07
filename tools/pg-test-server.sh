#!/usr/bin/env bash
# A scratch PostgreSQL server for the store tests: loopback only, trust authentication, a
# throw-away cluster. Nothing here is fit for a deployment.
#
#   tools/pg-test-server.sh [start]   start (or reuse) the cluster, create the database, print its URL
#   tools/pg-test-server.sh stop      stop the cluster (its files stay, for the next start)
#
# Settings: SUBSIDY_PG_DIR (default /tmp/subsidy-pg), SUBSIDY_PG_PORT (default 54329),
# SUBSIDY_PG_BIN (default: the newest /usr/lib/postgresql/*/bin). PostgreSQL refuses to run as
# root, so as root the cluster belongs to, and runs as, the `postgres` user.
set -euo pipefail

command=${1:-start}
dir=${SUBSIDY_PG_DIR:-/tmp/subsidy-pg}
port=${SUBSIDY_PG_PORT:-54329}
database=subsidy_test
bin=${SUBSIDY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "pg-test-server: no PostgreSQL server binaries (install the Debian package postgresql)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  user=$(id -un)
  as_owner() { "$@"; }
fi
url="postgresql://$user@127.0.0.1:$port/$database"

running() { as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

init_cluster() {
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir" -U "$user" -A trust -E UTF8 --locale=C >"$dir.initdb.log" 2>&1 ||
    { cat "$dir.initdb.log" >&2; exit 1; }
}

start() {
  if [ ! -s "$dir/PG_VERSION" ]; then init_cluster; fi
  if ! running; then
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses=127.0.0.1 -p $port" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
  fi
  local exists
  exists=$(as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'")
  if [ "$exists" != 1 ]; then as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$database"; fi
  echo "$url"
}

stop() {
  if [ -s "$dir/PG_VERSION" ] && running; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
