#!/usr/bin/env bash
# Three xiezuo instances over one PostgreSQL behind HAProxy, on one machine, to try several
# instances (docs/deploy.md, "Several instances"):
#   deploy/lb/run.sh start [DIR]   builds xiezuo, starts instances on 127.0.0.1:8101-8103 and
#                                  HAProxy on 127.0.0.1:8100 (deploy/lb/haproxy.cfg)
#   deploy/lb/run.sh stop [DIR]    stops what start started (by the process ids it wrote)
# DIR (default /tmp/xiezuo-lb-run) holds the binary, the key file, the shared evidence folder,
# the logs and the process ids. XIEZUO_LB_DSN names the database (default the local xiezuo_lb);
# the first start loads the 2021 demo into it (accounts as `serve --demo`, password Xiezuo@2021)
# and every instance takes 2021-09-15 as today (XIEZUO_LB_TODAY).
set -euo pipefail
cd "$(dirname "$0")/../.."
cmd=${1:-}
dir=${2:-/tmp/xiezuo-lb-run}
dsn=${XIEZUO_LB_DSN:-postgres://postgres@127.0.0.1:5432/xiezuo_lb?sslmode=disable}
today=${XIEZUO_LB_TODAY:-2021-09-15}

stop() {
  for f in "$dir"/haproxy.pid "$dir"/xiezuo-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$f"
  done
}

ready() { # ready URL: waits up to 60 s for 200 from URL
  for _ in $(seq 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.5
  done
  echo "run.sh: $1 did not answer 200 within 60 s" >&2
  return 1
}

start() {
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] ||
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy)
  haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
  mkdir -p "$dir/evidence"
  stop
  go build -o "$dir/xiezuo" ./cmd/xiezuo
  [ -f "$dir/xiezuo.key" ] || "$dir/xiezuo" keys new "$dir/xiezuo.key" >/dev/null
  export XIEZUO_KEY_FILE="$dir/xiezuo.key"
  # With --trusted-proxy, /metrics answers only with its token, also from this machine: one is
  # made here and kept in the folder (curl -H "Authorization: Bearer $(cat DIR/metrics.token)").
  [ -f "$dir/metrics.token" ] || (umask 077 && head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/metrics.token")
  export XIEZUO_METRICS_TOKEN="$(cat "$dir/metrics.token")"
  for i in 1 2 3; do
    args=(serve --db "$dsn" --addr "127.0.0.1:810$i" --evidence-dir "$dir/evidence"
      --trusted-proxy 127.0.0.1/32 --today "$today" --drain-wait 2s)
    # The first instance loads the demo (once: it is kept when already there); the others start
    # after it, over the same database and evidence folder.
    [ "$i" = 1 ] && args+=(--demo)
    "$dir/xiezuo" "${args[@]}" >"$dir/xiezuo-$i.log" 2>&1 &
    echo $! >"$dir/xiezuo-$i.pid"
    ready "http://127.0.0.1:810$i/readyz"
  done
  "$haproxy" -D -p "$dir/haproxy.pid" -f deploy/lb/haproxy.cfg
  ready "http://127.0.0.1:8100/readyz"
  echo "xiezuo: http://127.0.0.1:8100/ (instances 127.0.0.1:8101-8103, logs and pids in $dir; /metrics with the token in $dir/metrics.token)"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: deploy/lb/run.sh start|stop [DIR]" >&2; exit 2 ;;
esac
