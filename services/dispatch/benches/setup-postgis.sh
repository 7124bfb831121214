#!/usr/bin/env bash
# Setup for `cargo bench -p jedel-dispatch --bench geo_compare`: installs Debian's
# postgresql-15-postgis-3 (apt-get update once, only when it is missing), makes sure the local
# PostgreSQL (127.0.0.1:5432, user postgres, trust auth) and Redis (127.0.0.1:6379) are up, and
# creates the bench database with PostGIS in it. Idempotent: a second run changes nothing.
#
#   bash services/dispatch/benches/setup-postgis.sh
#
# Overrides: JEDEL_BENCH_PG_HOST, JEDEL_BENCH_PG_PORT, JEDEL_BENCH_PG_USER, JEDEL_BENCH_PG_DB
# (the bench reads JEDEL_BENCH_POSTGRES_URL; keep the two in step).
set -euo pipefail

host=${JEDEL_BENCH_PG_HOST:-127.0.0.1}
port=${JEDEL_BENCH_PG_PORT:-5432}
user=${JEDEL_BENCH_PG_USER:-postgres}
db=${JEDEL_BENCH_PG_DB:-jedel_bench_geo}
package=postgresql-15-postgis-3

say() { echo "setup-postgis: $*"; }

wait_for() { # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  for _ in $(seq "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  say "$name did not come up" >&2
  return 1
}

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
  say "$package already installed"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  say "installing $package"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
fi

if ! pg_isready -h "$host" -p "$port" -q; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
fi
wait_for PostgreSQL 30 pg_isready -h "$host" -p "$port" -q

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    wait_for Redis 30 redis-cli -h 127.0.0.1 -p 6379 ping
  else
    say "no Redis here: the bench will skip its Redis column"
  fi
fi

psql=(psql -h "$host" -p "$port" -U "$user" -v ON_ERROR_STOP=1 -qAt)
if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  say "creating database $db"
  "${psql[@]}" -d postgres -c "CREATE DATABASE \"$db\""
fi
"${psql[@]}" -d "$db" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis"
say "ready: postgres://$user@$host:$port/$db with PostGIS $("${psql[@]}" -d "$db" -c 'SELECT postgis_lib_version()')"
