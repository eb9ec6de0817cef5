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
    go test ./... "${@:2}"
    ;;
  *)
    mailkb "$@"
    ;;
esac
