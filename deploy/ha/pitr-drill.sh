#!/usr/bin/env bash
# Point-in-time recovery tried once, on a throwaway PostgreSQL 15 (127.0.0.1, port
# XIEZUO_PITR_PORT or 5446, folder DIR or /tmp/xiezuo-ha-pitr): WAL archived to a folder, a base
# backup (pg_basebackup), writes, a recorded target time, more writes, then a restore of the
# base backup replayed to the target time (restore_command, recovery_target_time). Passes when
# exactly the writes before the target are there. Removes its folder at the end.
#
#   deploy/ha/pitr-drill.sh [DIR]
set -euo pipefail

dir=${1:-/tmp/xiezuo-ha-pitr}
port=${XIEZUO_PITR_PORT:-5446}
bin=${XIEZUO_HA_PG_BIN:-/usr/lib/postgresql/15/bin}
before=${XIEZUO_PITR_ROWS:-1000} # rows written before the target, and as many after

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
q() { psql -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1"; }
stop_pg() {
  for d in "$dir/data" "$dir/restored"; do
    [ -f "$d/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$d" -m fast -t 30 stop >/dev/null 2>&1 || true
  done
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

stop_pg
rm -rf "$dir"
mkdir -p "$dir/wal" "$dir/base"
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
trap 'stop_pg; rm -rf "$dir"' EXIT

as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $dir/wal/%f && cp %p $dir/wal/%f'
archive_timeout = 60
EOF
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data.log" -w -t 60 start >/dev/null
q 'CREATE TABLE drill (id bigint PRIMARY KEY, phase text NOT NULL, at timestamptz DEFAULT clock_timestamp())'

t=$(now)
as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$dir/base/b1" -Ft -z -X stream -c fast
echo "base backup: $(secs "$t" "$(now)") s, $(du -sk "$dir/base/b1" | cut -f1) KiB"

for i in $(seq "$before"); do echo "INSERT INTO drill (id, phase) VALUES ($i, 'before');"; done |
  psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null
sleep 1
target=$(q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1
for i in $(seq $((before + 1)) $((2 * before))); do echo "INSERT INTO drill (id, phase) VALUES ($i, 'after');"; done |
  psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null
# Close the WAL segment holding the last writes so that it is archived.
last=$(q 'SELECT pg_walfile_name(pg_switch_wal())')
for _ in $(seq 60); do
  [ -f "$dir/wal/$last" ] && break
  sleep 0.5
done
[ -f "$dir/wal/$last" ] || { echo "WAL segment $last was not archived within 30 s" >&2; exit 1; }
echo "target time: $target; rows: $before before, $before after; archived WAL: $(ls "$dir/wal" | wc -l) files, $(du -sk "$dir/wal" | cut -f1) KiB"
as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -t 30 stop >/dev/null

# Restore: the base backup into an empty folder, replayed from the archive to the target.
t=$(now)
as_pg mkdir -m 700 "$dir/restored"
as_pg tar -xzf "$dir/base/b1/base.tar.gz" -C "$dir/restored"
cat >>"$dir/restored/postgresql.conf" <<EOF
archive_mode = off
restore_command = 'cp $dir/wal/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
EOF
as_pg touch "$dir/restored/recovery.signal"
as_pg "$bin/pg_ctl" -D "$dir/restored" -l "$dir/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 120); do
  [ "$(q 'SELECT pg_is_in_recovery()')" = f ] && break
  sleep 0.5
done
echo "restore to the target: $(secs "$t" "$(now)") s (unpack, replay, promote)"

got_before=$(q "SELECT count(*) FROM drill WHERE phase = 'before'")
got_after=$(q "SELECT count(*) FROM drill WHERE phase = 'after'")
echo "restored rows: $got_before before (want $before), $got_after after (want 0)"
if [ "$got_before" = "$before" ] && [ "$got_after" = 0 ]; then
  echo "PITR drill: PASS"
else
  echo "PITR drill: FAIL" >&2
  tail -20 "$dir/restored.log" >&2
  exit 1
fi
