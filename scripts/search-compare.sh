#!/usr/bin/env bash
# Measures the site's own search against Pagefind on the bundled site: the
# queries of issue 13 in headless Chromium through both, the first results
# of each and whether they answer the query, what a query downloads, each
# index's size and build time, and the index sizes for a synthetic site of
# 1,000 pages. Needs Chromium (or $CHROMIUM) and npm; Pagefind comes from
# tools/browser/package-lock.json. The figures are printed, not asserted.
#   scripts/search-compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
lock=tools/browser/package-lock.json installed=tools/browser/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --prefix tools/browser >&2
fi
MAILKB_SEARCH_COMPARE=1 go test ./generator/browsertest -run '^TestSearchAgainstPagefind$' -count=1 -v |
  grep -v -e '^=== RUN' -e '^--- PASS' -e '^PASS' -e '^ok '
