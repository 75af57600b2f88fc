#!/usr/bin/env bash
# PostgreSQL in high availability on ONE machine, for tests, drills and trying it out:
# one etcd, two PostgreSQL 15 nodes managed by Patroni (a primary and a synchronous streaming
# replica) and HAProxy in front. Everything listens on 127.0.0.1 only and comes from Debian
# packages (patroni, etcd-server, haproxy, postgresql-15).
#
#   deploy/ha/cluster.sh start|stop|status|failover|switchover [DIR]     (DIR: /tmp/xiezuo-ha)
#
# Ports, all derived from XIEZUO_HA_PORT_BASE (B, default 5440), so that a second cluster can
# run at another base (6440):
#   B          HAProxy, the primary (checked by Patroni's REST GET /primary)
#   B-1        HAProxy, the replicas (GET /replica)
#   B+1, B+2   PostgreSQL of node n1, n2
#   B+3001/2   Patroni REST API of n1, n2
#   B-3050     etcd client,  B-3049 etcd peer
#
# start      starts what is not running, waits (at most 180 s) for a primary and a synchronous
#            replica, creates the database xiezuo and prints
#              XIEZUO_HA_DSN=...            (through HAProxy's primary port)
#              XIEZUO_HA_MULTIHOST_DSN=...  (both nodes, target_session_attrs=read-write)
#              XIEZUO_HA_REPLICA_DSN=...    (through HAProxy's replica port)
# stop       stops everything it started and removes DIR (at most 40 s).
# status     prints each node's role and the DSNs; exit 0 when a primary answers, 1 if not.
# failover   a crash: kill -9 of the primary node's Patroni and PostgreSQL (the node dies as a
#            machine would; killing PostgreSQL alone lets Patroni restart it in place), waits
#            for the other node to take writes through HAProxy, prints
#              XIEZUO_HA_NEW_PRIMARY=n2
#              XIEZUO_HA_SECONDS=12.3       (from the kill to the first write accepted)
#            then restarts the dead node, which rejoins as a replica (pg_rewind), and waits (at
#            most 90 s) until it is the synchronous replica again (XIEZUO_HA_SYNC_REPLICA=n1).
# switchover the polite way (patronictl switchover); prints the same lines.
#
# Synchronous replication: Patroni's synchronous_mode (not strict). Patroni promotes only the
# node named as synchronous, so no acknowledged write is lost by a failover; while the only
# replica is down the primary keeps accepting writes alone (see docs/deploy.md).
# Run as root, Patroni and PostgreSQL run as the OS user postgres (runuser).
set -euo pipefail

cmd=${1:-}
dir=${2:-/tmp/xiezuo-ha}
base=${XIEZUO_HA_PORT_BASE:-5440}
pg_bin=${XIEZUO_HA_PG_BIN:-/usr/lib/postgresql/15/bin}

haproxy_primary=$base
haproxy_replica=$((base - 1))
pg_port() { echo $((base + $1)); }
rest_port() { echo $((base + 3000 + $1)); }
etcd_client=$((base - 3050))
etcd_peer=$((base - 3049))
scope="xiezuo-ha-$base"
nodes="1 2"

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# as_pg runs a command as the OS user postgres when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pidof_file() { [ -f "$1" ] && head -n 1 "$1" 2>/dev/null || true; }

# role prints primary, replica or down for node $1 (Patroni's REST API).
role() {
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(rest_port "$1")/primary" || true)
  if [ "$code" = 200 ]; then
    echo primary
    return
  fi
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(rest_port "$1")/replica" || true)
  if [ "$code" = 200 ]; then echo replica; else echo down; fi
}

# is_sync succeeds when node $1 is the synchronous standby.
is_sync() {
  [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$(rest_port "$1")/sync" || true)" = 200 ]
}

primary_node() {
  local n
  for n in $nodes; do
    if [ "$(role "$n")" = primary ]; then
      echo "$n"
      return
    fi
  done
}

psql_at() { # port db sql...
  local port=$1 db=$2
  shift 2
  PGCONNECT_TIMEOUT=2 psql -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"
}

# write_once succeeds when a write through HAProxy's primary port is acknowledged.
write_once() {
  psql_at "$haproxy_primary" postgres -c 'INSERT INTO xiezuo_ha_probe DEFAULT VALUES' >/dev/null 2>&1
}

print_dsns() {
  echo "XIEZUO_HA_DSN=postgres://postgres@127.0.0.1:$haproxy_primary/xiezuo?sslmode=disable"
  echo "XIEZUO_HA_MULTIHOST_DSN=postgres://postgres@127.0.0.1:$(pg_port 1),127.0.0.1:$(pg_port 2)/xiezuo?sslmode=disable&target_session_attrs=read-write"
  echo "XIEZUO_HA_REPLICA_DSN=postgres://postgres@127.0.0.1:$haproxy_replica/xiezuo?sslmode=disable"
}

write_configs() {
  mkdir -p "$dir/etcd"
  local n
  for n in $nodes; do
    mkdir -p "$dir/n$n"
    cat >"$dir/n$n/patroni.yml" <<EOF
scope: $scope
name: n$n
restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 12
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_connections: 150
        max_wal_senders: 10
        max_replication_slots: 10
        synchronous_commit: 'on'
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - auth: trust
  pg_hba:
    - local all all trust
    - host replication all 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $dir/n$n/data
  bin_dir: $pg_bin
  pgpass: $dir/n$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: xiezuo-ha
    replication:
      username: replicator
      password: xiezuo-ha
  parameters:
    unix_socket_directories: '$dir/n$n'
tags:
  nofailover: false
  noloadbalance: false
EOF
  done
  local servers_p="" servers_r=""
  for n in $nodes; do
    servers_p+="  server n$n 127.0.0.1:$(pg_port "$n") check port $(rest_port "$n")"$'\n'
  done
  servers_r=$servers_p
  cat >"$dir/haproxy.cfg" <<EOF
global
  maxconn 400
defaults
  mode tcp
  timeout connect 3s
  timeout client 30m
  timeout server 30m
  timeout check 2s
listen primary
  bind 127.0.0.1:$haproxy_primary
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
$servers_p
listen replicas
  bind 127.0.0.1:$haproxy_replica
  option httpchk GET /replica
  http-check expect status 200
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
$servers_r
EOF
}

start_etcd() {
  alive "$(pidof_file "$dir/etcd.pid")" && return 0
  setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$dir/etcd.pid" etcd --name e1 --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "e1=http://127.0.0.1:$etcd_peer" --initial-cluster-state new \
    --initial-cluster-token "$scope" >"$dir/etcd.log" 2>&1 </dev/null
  local i
  for i in $(seq 50); do
    curl -s -m 1 "http://127.0.0.1:$etcd_client/health" | grep -q true && return 0
    sleep 0.2
  done
  die "etcd did not start on 127.0.0.1:$etcd_client (see $dir/etcd.log)"
}

start_node() {
  local n=$1
  alive "$(pidof_file "$dir/n$n/patroni.pid")" && return 0
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir/n$n"; fi
  # The shell writes its pid and becomes patroni: the pid file names patroni itself.
  # setsid -f: nothing of ours waits for it, and it holds none of our output open.
  as_pg setsid -f bash -c 'echo $$ >"$1"; exec patroni "$2" >>"$3" 2>&1 </dev/null' _ \
    "$dir/n$n/patroni.pid" "$dir/n$n/patroni.yml" "$dir/n$n/patroni.log" >/dev/null 2>&1 </dev/null
  local i
  for i in $(seq 20); do
    [ -s "$dir/n$n/patroni.pid" ] && return 0
    sleep 0.1
  done
  die "patroni n$n did not start (see $dir/n$n/patroni.log)"
}

start_haproxy() {
  alive "$(pidof_file "$dir/haproxy.pid")" && return 0
  haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >"$dir/haproxy.log" 2>&1 </dev/null ||
    die "haproxy did not start (see $dir/haproxy.log)"
}

# wait_ready waits at most $1 seconds for a primary that takes writes through HAProxy and a
# synchronous replica.
wait_ready() {
  local deadline=$((SECONDS + $1)) p n
  while [ $SECONDS -lt $deadline ]; do
    p=$(primary_node)
    if [ -n "$p" ]; then
      for n in $nodes; do
        if [ "$n" != "$p" ] && is_sync "$n" &&
          psql_at "$haproxy_primary" postgres -c 'SELECT 1' >/dev/null 2>&1 &&
          psql_at "$haproxy_replica" postgres -c 'SELECT 1' >/dev/null 2>&1; then
          return 0
        fi
      done
    fi
    sleep 0.5
  done
  return 1
}

do_start() {
  for b in patroni etcd haproxy curl psql; do
    command -v "$b" >/dev/null || die "$b is not installed (apt-get install patroni etcd-server etcd-client haproxy postgresql-15 curl)"
  done
  [ -x "$pg_bin/postgres" ] || die "no PostgreSQL binaries in $pg_bin"
  mkdir -p "$dir"
  chmod 755 "$dir"
  [ -f "$dir/haproxy.cfg" ] || write_configs
  start_etcd
  for n in $nodes; do start_node "$n"; done
  start_haproxy
  wait_ready 180 || die "no primary with a synchronous replica within 180 s (see $dir/n*/patroni.log)"
  psql_at "$haproxy_primary" postgres -c 'CREATE TABLE IF NOT EXISTS xiezuo_ha_probe (at timestamptz DEFAULT now())'
  if [ "$(psql_at "$haproxy_primary" postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'xiezuo'")" = 0 ]; then
    psql_at "$haproxy_primary" postgres -c 'CREATE DATABASE xiezuo'
  fi
  print_dsns
}

kill_tree() { # pid: the process and its children, by pid
  local pid=$1 c
  for c in $(pgrep -P "$pid" 2>/dev/null || true); do kill -9 "$c" 2>/dev/null || true; done
  kill -9 "$pid" 2>/dev/null || true
}

do_stop() {
  [ -d "$dir" ] || return 0
  local n pid i
  for n in $nodes; do
    pid=$(pidof_file "$dir/n$n/patroni.pid")
    alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  for i in $(seq 60); do
    local any=""
    for n in $nodes; do alive "$(pidof_file "$dir/n$n/patroni.pid")" && any=1; done
    [ -z "$any" ] && break
    sleep 0.25
  done
  for n in $nodes; do
    pid=$(pidof_file "$dir/n$n/patroni.pid")
    alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    pid=$(pidof_file "$dir/n$n/data/postmaster.pid")
    if alive "$pid"; then
      as_pg "$pg_bin/pg_ctl" -D "$dir/n$n/data" -m immediate -t 10 stop >/dev/null 2>&1 || kill_tree "$pid"
    fi
  done
  for f in haproxy etcd; do
    pid=$(pidof_file "$dir/$f.pid")
    alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  for i in $(seq 20); do
    alive "$(pidof_file "$dir/etcd.pid")" || alive "$(pidof_file "$dir/haproxy.pid")" || break
    sleep 0.25
  done
  for f in haproxy etcd; do
    pid=$(pidof_file "$dir/$f.pid")
    alive "$pid" && kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
}

do_status() {
  local n up=1
  for n in $nodes; do
    local r
    r=$(role "$n")
    if is_sync "$n"; then r="$r (synchronous)"; fi
    echo "n$n 127.0.0.1:$(pg_port "$n") $r"
  done
  [ -n "$(primary_node)" ] && up=0
  print_dsns
  return $up
}

# wait_writes waits at most $1 seconds for a write through HAProxy and prints the seconds
# since $2 (an EPOCHREALTIME).
wait_writes() {
  local deadline=$((SECONDS + $1)) t0=$2
  while [ $SECONDS -lt $deadline ]; do
    if write_once; then
      awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", b - a }'
      return 0
    fi
    sleep 0.2
  done
  return 1
}

wait_sync() { # node seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    is_sync "$1" && return 0
    sleep 0.5
  done
  return 1
}

do_failover() {
  local old new secs pid
  old=$(primary_node)
  [ -n "$old" ] || die "no primary to fail"
  wait_sync "$((3 - old))" 30 || die "no synchronous replica: a failover now could lose writes"
  local t0=$EPOCHREALTIME
  kill -9 "$(pidof_file "$dir/n$old/patroni.pid")" 2>/dev/null || true
  pid=$(pidof_file "$dir/n$old/data/postmaster.pid")
  [ -n "$pid" ] && kill_tree "$pid"
  secs=$(wait_writes 90 "$t0") || die "no new primary took writes within 90 s"
  new=$(primary_node)
  echo "XIEZUO_HA_NEW_PRIMARY=n$new"
  echo "XIEZUO_HA_SECONDS=$secs"
  rm -f "$dir/n$old/patroni.pid"
  start_node "$old"
  if wait_sync "$old" 90; then
    echo "XIEZUO_HA_SYNC_REPLICA=n$old"
  else
    echo "cluster.sh: n$old did not rejoin as synchronous replica within 90 s (see $dir/n$old/patroni.log)" >&2
  fi
}

do_switchover() {
  local old new secs
  old=$(primary_node)
  [ -n "$old" ] || die "no primary"
  new=$((3 - old))
  wait_sync "$new" 30 || die "n$new is not a synchronous replica"
  local t0=$EPOCHREALTIME
  patronictl -c "$dir/n$old/patroni.yml" switchover --leader "n$old" --candidate "n$new" --force >"$dir/switchover.log" 2>&1 ||
    die "patronictl switchover failed (see $dir/switchover.log)"
  local deadline=$((SECONDS + 60))
  while [ "$(role "$new")" != primary ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  secs=$(wait_writes 60 "$t0") || die "no new primary took writes within 60 s"
  echo "XIEZUO_HA_NEW_PRIMARY=n$(primary_node)"
  echo "XIEZUO_HA_SECONDS=$secs"
  if wait_sync "$old" 90; then echo "XIEZUO_HA_SYNC_REPLICA=n$old"; fi
}

case "$cmd" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
failover) do_failover ;;
switchover) do_switchover ;;
*)
  echo "usage: $0 start|stop|status|failover|switchover [DIR]" >&2
  exit 2
  ;;
esac
