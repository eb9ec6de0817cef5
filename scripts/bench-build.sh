#!/usr/bin/env bash
# Times whole-process site builds on synthetic corpora and prints the median
# wall time and the median peak RSS of each case.
#
#   scripts/bench-build.sh [RUNS] [SIZES...]
#       default: 5 runs, 1000 and 10000 pages. The corpus of bench-corpus N:
#       guide sources that render once per provider. Cold builds (no
#       public/ yet), then rebuilds after a one-file edit.
#   scripts/bench-build.sh --distinct [RUNS] [SIZES...]
#       default: 3 runs, 1000 and 10000 pages. The corpus of bench-corpus
#       --distinct N: nearly every page an article with a source of its own,
#       in a memory-backed folder. Each round times, in turn, a cold mailkb
#       build, a cold Hugo build of the same articles (when a hugo binary is
#       found: $HUGO, else hugo on PATH), the floor (mailkb bench-floor:
#       markdown and highlighting only), then a mailkb rebuild after
#       appending a line to one article. The three cold builds take turns
#       going first, so no one of them always runs on a cooler machine.
set -euo pipefail
cd "$(dirname "$0")/.."
distinct=false
if [ "${1:-}" = --distinct ]; then
  distinct=true
  shift
fi
if $distinct; then runs=${1:-3}; else runs=${1:-5}; fi
shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi

if [ ! -x /usr/bin/time ]; then
  echo "bench-build.sh needs GNU time for peak RSS: apt-get install time" >&2
  exit 2
fi

hugo=""
if $distinct; then
  if [ -n "${HUGO:-}" ]; then
    if ! hugo=$(command -v "$HUGO"); then
      echo "bench-build.sh: HUGO=$HUGO is not a program; give the path of a hugo binary" >&2
      exit 2
    fi
  else
    hugo=$(command -v hugo || true)
  fi
fi

work=$(mktemp -d)
mem=""
cleanup() { rm -rf "$work" ${mem:+"$mem"}; }
trap cleanup EXIT
go build -o "$work/mailkb" ./generator/cmd/mailkb

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}'; }

# measure CASE CMD... : runs CMD under GNU time and appends its wall seconds
# to $work/CASE.t and its peak RSS in kilobytes to $work/CASE.m. A command
# that fails stops the script with its own error output: a failed build
# timed as a fast one would be a false figure.
measure() {
  local case=$1
  shift
  if ! /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr"; then
    echo "bench-build.sh: this command failed: $*" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  local s m
  read -r s m <"$work/time"
  echo "$s" >>"$work/$case.t"
  echo "$m" >>"$work/$case.m"
}

# report PAGES CASE LABEL [HTML]: one row of medians.
report() {
  printf '%-8s %-30s %10s %14s %11s\n' "$1" "$3" "$(median <"$work/$2.t")" \
    "$(median <"$work/$2.m" | awk '{printf "%.0f", $1/1024}')" "${4:-}"
}

html_files() { find "$1" -name '*.html' | wc -l; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"

if ! $distinct; then
  printf '%-8s %-22s %10s %14s\n' pages case "median s" "median RSS MB"
  for n in "${sizes[@]}"; do
    kb="$work/kb-$n"
    "$work/mailkb" bench-corpus "$n" "$kb" >/dev/null
    guide=$(ls "$kb"/content/guides/*.md | head -1)
    for case in cold rebuild-after-edit; do
      rm -f "$work/$case.t" "$work/$case.m"
      for _ in $(seq "$runs"); do
        if [ "$case" = cold ]; then
          rm -rf "$kb/public"
        else
          [ -d "$kb/public" ] || "$work/mailkb" build --root "$kb" >/dev/null
          echo "Edited $(date +%s%N)." >>"$guide"
        fi
        measure "$case" "$work/mailkb" build --root "$kb"
      done
      printf '%-8s %-22s %10s %14s\n' "$n" "$case" "$(median <"$work/$case.t")" "$(median <"$work/$case.m" | awk '{printf "%.0f", $1/1024}')"
    done
  done
  exit 0
fi

# The corpus and every output live in memory where the machine has
# /dev/shm, so the disk's speed and the page cache weigh on no generator.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  mem=$(mktemp -d /dev/shm/mailkb-bench.XXXXXX)
  where="$mem (memory)"
else
  mem=$(mktemp -d)
  where="$mem (no /dev/shm: on disk)"
fi
if [ -n "$hugo" ]; then
  echo "hugo: $("$hugo" version)"
else
  echo "hugo: not found, so no Hugo rows. To add them: GOBIN=<dir> go install github.com/gohugoio/hugo@v0.165.0, then run with HUGO=<dir>/hugo" >&2
fi
echo "corpus and outputs in $where; rounds per size: $runs"
colds=(mailkb-cold floor)
[ -z "$hugo" ] || colds=(mailkb-cold hugo-cold floor)
printf '%-8s %-30s %10s %14s %11s\n' pages case "median s" "median RSS MB" "HTML files"
for n in "${sizes[@]}"; do
  kb="$mem/kb-$n"
  "$work/mailkb" bench-corpus --distinct "$n" "$kb" >/dev/null
  articles=("$kb"/content/articles/*.md)
  article=${articles[0]}
  rm -f "$work"/*.t "$work"/*.m
  for round in $(seq "$runs"); do
    for k in "${!colds[@]}"; do
      case=${colds[$(((k + round) % ${#colds[@]}))]}
      case $case in
        mailkb-cold)
          rm -rf "$kb/public"
          measure "$case" "$work/mailkb" build --root "$kb" ;;
        hugo-cold)
          rm -rf "$mem/hugo-public"
          measure "$case" "$hugo" --quiet -s "$kb/hugo" -d "$mem/hugo-public" ;;
        floor)
          rm -rf "$mem/floor-public"
          measure "$case" "$work/mailkb" bench-floor "$kb" "$mem/floor-public" ;;
      esac
    done
    printf "\nEdited in round %d.\n" "$round" >>"$article"
    measure mailkb-rebuild "$work/mailkb" build --root "$kb"
  done
  report "$n" mailkb-cold "mailkb cold" "$(html_files "$kb/public")"
  [ -z "$hugo" ] || report "$n" hugo-cold "hugo cold" "$(html_files "$mem/hugo-public")"
  report "$n" floor "floor (markdown only)" "$(html_files "$mem/floor-public")"
  report "$n" mailkb-rebuild "mailkb rebuild after 1 edit" "$(html_files "$kb/public")"
  rm -rf "$kb" "$mem/hugo-public" "$mem/floor-public"
done
