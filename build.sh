#!/usr/bin/env bash
# mailkb's front door.
#   ./build.sh                 build the site into public/
#   ./build.sh test            gofmt check, go vet and every test
#   ./build.sh <command> ...   any other generator command (build --root DIR --out DIR, …)
set -euo pipefail
cd "$(dirname "$0")"

mailkb() { go run ./generator/cmd/mailkb "$@"; }

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
    go test ./... "${@:2}"
    ;;
  *)
    mailkb "$@"
    ;;
esac
