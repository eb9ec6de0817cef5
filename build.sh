#!/usr/bin/env bash
# mailkb's front door.
#   ./build.sh                 build the site into public/
#   ./build.sh test            gofmt check, go vet, staticcheck and every test (browser tests included)
#   ./build.sh serve           dev server on http://127.0.0.1:1313/ with live reload
#   ./build.sh <command> ...   any other generator command (build --root DIR --out DIR, …)
set -euo pipefail
cd "$(dirname "$0")"

mailkb() { go run ./generator/cmd/mailkb "$@"; }

# browser_tools installs what generator/browsertest loads (axe-core and the
# Nu HTML checker) from tools/browser/package-lock.json when npm is there and
# the installed copy is missing or older than the lock file.
browser_tools() {
  local lock=tools/browser/package-lock.json installed=tools/browser/node_modules/.package-lock.json
  if command -v npm >/dev/null && { [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; }; then
    npm ci --ignore-scripts --no-audit --no-fund --prefix tools/browser >&2
  fi
}

case "${1:-}" in
  "")
    mailkb build
    ;;
  test)
    unformatted=$(gofmt -l generator)
    if [ -n "$unformatted" ]; then
      echo "gofmt would change these files (run: gofmt -w generator):" >&2
      echo "$unformatted" >&2
      exit 1
    fi
    go vet ./...
    # staticcheck (a pinned version, fetched through the Go module proxy)
    # finds what vet does not, such as a shadowed error that is never read.
    go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
    browser_tools
    # Suites that need a program or data this machine lacks skip (or fail,
    # with MAILKB_REQUIRE_SUITES=1, as .ci/run sets); say which at the end,
    # where a skip cannot scroll away unseen.
    skip_log=$(mktemp)
    trap 'rm -f "$skip_log"' EXIT
    status=0
    MAILKB_SKIP_LOG=$skip_log go test ./... "${@:2}" || status=$?
    if [ -s "$skip_log" ]; then
      verb=skipped
      [ "${MAILKB_REQUIRE_SUITES:-}" = 1 ] && verb="could not run (failed)"
      echo "test suites that $verb on this machine:" >&2
      sort -u "$skip_log" | awk -F'\t' '!seen[$1]++ {printf "  %-16s %s\n", $1, $2}' >&2
    else
      echo "every test suite ran (none skipped for a missing program or data)"
    fi
    exit $status
    ;;
  *)
    mailkb "$@"
    ;;
esac
