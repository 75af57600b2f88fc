#!/usr/bin/env bash
# The end-to-end import benchmark of issue 12: a generated workers' list of ROWS rows (default
# 1,000,000) as .xlsx, imported by `xiezuo labour import` into a fresh SQLite file and a fresh
# PostgreSQL database, each timed with GNU time (wall clock and the process's peak RSS).
#   bench/labour-import.sh [ROWS] [inline|shared|both]
# inline: the text cells inline in the sheet (as excelize's StreamWriter writes them); shared:
# every text in the shared strings table, as Excel and WPS save a workbook; both (default).
# XIEZUO_BENCH_PG is the PostgreSQL server to use (a base DSN without the database; default
# the machine's at 127.0.0.1:5432): bench/pg-tuned.sh starts one configured as docs/deploy.md says.
# Figures go to docs/benchmarks.md with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
kinds="${2:-both}"
[ "$kinds" = both ] && kinds="inline shared"
pgbase="${XIEZUO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/xiezuo" ./cmd/xiezuo
"$work/xiezuo" keys new "$work/xiezuo.key" >/dev/null
export XIEZUO_KEY_FILE="$work/xiezuo.key"
run() {
  /usr/bin/time -f "%e s wall, %M KiB peak RSS, %U s user, %S s system" \
    "$work/xiezuo" labour import --db "$1" --district 门头沟区 --list workers --json "$2" \
    2> >(tail -n 1 >&2) | head -c 200
  echo
}
for kind in $kinds; do
  file="$work/workers-$kind.xlsx"
  shared=""
  [ "$kind" = shared ] && shared=1
  XIEZUO_LABOUR_SHARED="$shared" XIEZUO_LABOUR_FILE="$file" XIEZUO_LABOUR_ROWS="$rows" \
    go test -count=1 -run TestWriteLabourBenchFile ./gen >/dev/null
  echo "list ($kind strings): $rows rows, $(du -h "$file" | cut -f1)"
  rm -f "$work/xiezuo.db"*
  "$work/xiezuo" sample --db "$work/xiezuo.db" >/dev/null
  echo "== SQLite"
  run "$work/xiezuo.db" "$file"
  if psql "$pgbase/postgres" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    psql "$pgbase/postgres" -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS xiezuo_labour_bench' -c 'CREATE DATABASE xiezuo_labour_bench'
    pg="$pgbase/xiezuo_labour_bench?sslmode=disable"
    "$work/xiezuo" sample --db "$pg" >/dev/null
    echo "== PostgreSQL ($(psql "$pgbase/postgres" -Atc 'SHOW shared_buffers') shared_buffers)"
    run "$pg" "$file"
    psql "$pgbase/postgres" -q -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS xiezuo_labour_bench'
  fi
  rm -f "$file"
done
