#!/bin/sh
# Runs the tests of the root package and of a few pure packages built for linux/arm64 (鲲鹏
# and other ARM servers) under qemu-user, once, and prints how long it took. SQLite only:
# XIEZUO_TEST_POSTGRES is unset, so storage tests skip PostgreSQL (CI is not set, so that they
# may). Installs Debian's qemu-user when qemu-aarch64 is missing.
#
#   bench/qemu-arm64.sh                # the default packages
#   bench/qemu-arm64.sh . ./vault      # these packages
#   bench/qemu-arm64.sh ./...          # the whole suite (about an hour and more: docs/benchmarks.md)
set -eu
cd "$(dirname "$0")/.."
if ! command -v qemu-aarch64 >/dev/null 2>&1; then
  if command -v qemu-aarch64-static >/dev/null 2>&1; then
    exec_with=qemu-aarch64-static
  else
    (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y qemu-user) >/dev/null
    exec_with=qemu-aarch64
  fi
else
  exec_with=qemu-aarch64
fi
if [ "$#" -eq 0 ]; then
  set -- . ./vault ./labourio ./sqldb
fi
start=$(date +%s)
status=0
env -u CI XIEZUO_TEST_POSTGRES="postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2" CGO_ENABLED=0 GOOS=linux GOARCH=arm64 \
  go test -count=1 -timeout "${XIEZUO_QEMU_TIMEOUT:-40m}" -exec "$exec_with" "$@" || status=$?
end=$(date +%s)
echo "qemu-arm64: $* in $((end - start)) s, exit $status ($("$exec_with" --version | head -1))"
exit "$status"
