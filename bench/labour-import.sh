#!/usr/bin/env bash
# The end-to-end import benchmark of issue 12: a generated workers' list of ROWS rows (default
# 1,000,000) as .xlsx, imported by `xiezuo labour import` into a fresh SQLite file and a fresh
# PostgreSQL database, each timed with GNU time (wall clock and the process's peak RSS).
#   bench/labour-import.sh [ROWS]
# Figures go to docs/benchmarks.md with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/xiezuo" ./cmd/xiezuo
XIEZUO_LABOUR_FILE="$work/workers.xlsx" XIEZUO_LABOUR_ROWS="$rows" go test -count=1 -run TestWriteLabourBenchFile ./gen >/dev/null
echo "list: $rows rows, $(du -h "$work/workers.xlsx" | cut -f1)"
"$work/xiezuo" keys new "$work/xiezuo.key" >/dev/null
export XIEZUO_KEY_FILE="$work/xiezuo.key"
"$work/xiezuo" sample --db "$work/xiezuo.db" >/dev/null
run() {
  /usr/bin/time -f "%e s wall, %M KiB peak RSS, %U s user, %S s system" \
    "$work/xiezuo" labour import --db "$1" --district 门头沟区 --list workers --json "$work/workers.xlsx" \
    2> >(tail -n 1 >&2) | head -c 200
  echo
}
echo "== SQLite"
run "$work/xiezuo.db"
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS xiezuo_labour_bench' -c 'CREATE DATABASE xiezuo_labour_bench'
  pg="postgres://postgres@127.0.0.1:5432/xiezuo_labour_bench?sslmode=disable"
  "$work/xiezuo" sample --db "$pg" >/dev/null
  echo "== PostgreSQL"
  run "$pg"
  psql -h 127.0.0.1 -U postgres -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS xiezuo_labour_bench'
fi
