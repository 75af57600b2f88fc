#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on 127.0.0.1:5444, configured as docs/benchmarks.md says a
# city's server should be for imports of millions of rows (shared_buffers, WAL and checkpoints),
# for bench/labour-import.sh:
#   bench/pg-tuned.sh start      # prints the XIEZUO_BENCH_PG to export
#   bench/pg-tuned.sh stop       # stops it and removes its folder
# Run as root (the server runs as the postgres user) or as the postgres user.
set -euo pipefail
dir="${XIEZUO_PG_TUNED_DIR:-/var/tmp/xiezuo-pg-tuned}"
port="${XIEZUO_PG_TUNED_PORT:-5444}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
case "${1:-}" in
start)
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir" && { [ "$(id -u)" != 0 ] || chown postgres "$dir"; }
    as_pg "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_buffers = 4GB
effective_cache_size = 12GB
max_wal_size = 16GB
checkpoint_timeout = 30min
wal_compression = on
wal_buffers = 64MB
maintenance_work_mem = 512MB
work_mem = 32MB
temp_buffers = 64MB
CONF
  fi
  as_pg "$bin/pg_ctl -D $dir/data -l $dir/log -w start" >/dev/null
  echo "export XIEZUO_BENCH_PG=postgres://postgres@127.0.0.1:$port"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl -D $dir/data -m fast stop" >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
