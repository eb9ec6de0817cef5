#!/usr/bin/env bash
# Times whole-process site builds on synthetic corpora: cold builds (no
# public/ yet) and rebuilds after a one-file edit, several runs each, and
# prints the median wall time and the median peak RSS.
#
#   scripts/bench-build.sh [RUNS] [SIZES...]     default: 5 runs, 1000 and 10000 pages
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi

if [ ! -x /usr/bin/time ]; then
  echo "bench-build.sh needs GNU time for peak RSS: apt-get install time" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/mailkb" ./generator/cmd/mailkb

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

# measure CMD... : runs it under GNU time, prints "seconds kilobytes".
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"
printf '%-8s %-22s %10s %14s\n' pages case "median s" "median RSS MB"
for n in "${sizes[@]}"; do
  kb="$work/kb-$n"
  "$work/mailkb" bench-corpus "$n" "$kb" >/dev/null
  guide=$(ls "$kb"/content/guides/*.md | head -1)
  for case in cold rebuild-after-edit; do
    : >"$work/t" ; : >"$work/m"
    for _ in $(seq "$runs"); do
      if [ "$case" = cold ]; then
        rm -rf "$kb/public"
      else
        [ -d "$kb/public" ] || "$work/mailkb" build --root "$kb" >/dev/null
        echo "Edited $(date +%s%N)." >>"$guide"
      fi
      read -r s m < <(measure "$work/mailkb" build --root "$kb")
      echo "$s" >>"$work/t"; echo "$m" >>"$work/m"
    done
    printf '%-8s %-22s %10s %14s\n' "$n" "$case" "$(median <"$work/t")" "$(median <"$work/m" | awk '{printf "%.0f", $1/1024}')"
  done
done
