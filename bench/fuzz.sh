#!/usr/bin/env bash
# Runs every fuzz target of the repository for DURATION each (default 10m), JOBS at a time
# (default 2: the machine has 2 cores shared with others), each under `nice -n 19` with one
# fuzzing worker, and prints a table: target, duration, execs, new corpus entries found,
# corpus size, result. FILTER (a regular expression over "package FuzzName") picks some.
#   bench/fuzz.sh [DURATION] [JOBS] [FILTER]
# The logs stay in $XIEZUO_FUZZ_LOGS (default a fresh folder under /tmp). A crash leaves its
# input under the package's testdata/fuzz/FuzzName/ and makes the script exit 1.
# The figures of the 10-minute runs are in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
jobs="${2:-2}"
filter="${3:-.}"
logs="${XIEZUO_FUZZ_LOGS:-$(mktemp -d /tmp/xiezuo-fuzz.XXXXXX)}"
mkdir -p "$logs"

# Every reader of untrusted input with its fuzz target: package, then target.
targets="
./otp FuzzVerify
./evidence FuzzSniff
. FuzzParseFormula
. FuzzParseDecimal
. FuzzParseDates
. FuzzIdentifiers
. FuzzPayWords
. FuzzParseDutyKey
./labourio FuzzSheetScanner
./labourio FuzzRows
./plandoc FuzzParse
./plandoc FuzzPDFLayout
./plandoc FuzzDOCX
./plandoc FuzzWorkbook
./xlsx FuzzReadLayoutTemplate
./sqldb FuzzParseAuditMark
./sqldb FuzzBackupManifest
./sqldb FuzzBackupLines
./web FuzzAPIBodies
./web FuzzRegisterWorkbook
"

selected=$(printf '%s\n' "$targets" | grep -v '^$' | grep -E -- "$filter" || true)
[ -n "$selected" ] || { echo "fuzz.sh: no target matches $filter" >&2; exit 2; }

# Each package's test binary is built once with the fuzzing instrumentation (by the first of
# its targets to run, the others waiting on a lock: building takes minutes on a busy machine),
# then each target runs from it in the package's folder, with the corpus cache where
# `go test -fuzz` keeps it.
bins="$logs/bin"
mkdir -p "$bins"
export FUZZ_DURATION="$duration" FUZZ_LOGS="$logs" FUZZ_BINS="$bins" FUZZ_CACHE="$(go env GOCACHE)/fuzz" FUZZ_ROOT="$PWD"
run_one() {
  pkg=$1 name=$2
  slug=$(echo "$pkg" | tr './' '_-')
  log="$FUZZ_LOGS/$slug-$name.log"
  bin="$FUZZ_BINS/$slug.test"
  (
    flock 9
    [ -x "$bin" ] || (cd "$FUZZ_ROOT" && nice -n 10 go test -c -fuzz=. -o "$bin" "$pkg")
  ) 9>"$bin.lock" >"$log" 2>&1
  importpath=$(cd "$FUZZ_ROOT" && go list "$pkg")
  if [ -x "$bin" ] && (cd "$FUZZ_ROOT/$pkg" && nice -n 19 "$bin" -test.run '^$' -test.fuzz "^$name\$" -test.fuzztime "$FUZZ_DURATION" \
    -test.parallel 1 -test.fuzzcachedir "$FUZZ_CACHE/$importpath") >>"$log" 2>&1; then
    echo ok >"$log.result"
  else
    echo FAIL >"$log.result"
  fi
}
export -f run_one
printf '%s\n' "$selected" | xargs -P "$jobs" -L 1 bash -c 'run_one "$1" "$2"' run_one

# The table: the last progress line of each log holds the execs and the corpus.
status=0
printf '| target | package | duration | execs | new entries | corpus | result |\n|---|---|---|---|---|---|---|\n'
while read -r pkg name; do
  log="$FUZZ_LOGS/$(echo "$pkg" | tr './' '_-')-$name.log"
  result=$(cat "$log.result" 2>/dev/null || echo FAIL)
  last=$(grep -E '^fuzz: elapsed: .*execs: ' "$log" | tail -n 1 || true)
  execs=$(echo "$last" | sed -nE 's/.*execs: ([0-9]+).*/\1/p')
  new=$(echo "$last" | sed -nE 's/.*new interesting: ([0-9]+).*/\1/p')
  total=$(echo "$last" | sed -nE 's/.*\(total: ([0-9]+)\).*/\1/p')
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$pkg" "$FUZZ_DURATION" "${execs:-?}" "${new:-?}" "${total:-?}" "$result"
  if [ "$result" != ok ]; then
    status=1
    grep -E -A 20 -- '--- FAIL|panic:|Failing input' "$log" | head -n 40 >&2 || tail -n 40 "$log" >&2
  fi
done <<<"$selected"
# Keep the corpus: each target's testdata/fuzz/FuzzName/ is filled up to 10 entries from what the
# run found (those of at most 32 KiB, newest first), so that every `go test` runs them;
# XIEZUO_FUZZ_KEEP=0 leaves testdata as it is.
if [ "${XIEZUO_FUZZ_KEEP:-1}" != 0 ]; then
  while read -r pkg name; do
    importpath=$(go list "$pkg")
    cache="$FUZZ_CACHE/$importpath/$name"
    keep="$pkg/testdata/fuzz/$name"
    [ -d "$cache" ] || continue
    mkdir -p "$keep"
    have=$(find "$keep" -type f | wc -l)
    for f in $(ls -t "$cache"); do
      [ "$have" -lt 10 ] || break
      [ -e "$keep/$f" ] && continue
      [ "$(stat -c %s "$cache/$f")" -le 32768 ] || continue
      cp "$cache/$f" "$keep/$f"
      have=$((have + 1))
    done
  done <<<"$selected"
fi
echo "logs: $FUZZ_LOGS" >&2
exit $status
