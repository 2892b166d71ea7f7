#!/usr/bin/env bash
# Peak RSS and report sizes of `plumb parse` on big memcheck logs, against the targets:
#   400 MB of identical error records: under 150 MB peak RSS (they merge into one finding);
#   128 MB of distinct error records: under 1 GB peak RSS, and the report set bounded by the
#   per-kind cap (project.max_findings_per_kind), not by the log.
#   bench/parse/memory.sh BUILD_DIR [IDENTICAL_MB] [DISTINCT_MB]   exit 1 when a target is missed
set -euo pipefail
build=${1:?usage: memory.sh BUILD_DIR [IDENTICAL_MB] [DISTINCT_MB]}
identical_mb=${2:-400}
distinct_mb=${3:-128}
here=$(cd "$(dirname "$0")" && pwd)
plumb="$build/bin/plumb"
[[ -x $plumb ]] || { echo "no $plumb: cmake --build $build --target plumb" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

measure() {  # name megabytes mode rss_limit_mb
  local name=$1 megabytes=$2 mode=$3 limit=$4
  python3 "$here/make_memcheck_records.py" "$work/$name.xml" "$megabytes" "$mode"
  local records
  records=$(grep -c "<error>" "$work/$name.xml")
  set +e
  /usr/bin/time -v "$plumb" parse --tool memcheck "$work/$name.xml" --out "$work/$name-out" \
    >"$work/$name.stdout" 2>"$work/$name.time"
  local code=$?
  set -e
  local rss_kb findings
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  findings=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r['findings']), sum(t['dropped'] for t in r['truncated']))" "$work/$name-out/report.json")
  local sizes
  sizes=$(du -k "$work/$name-out"/report.json "$work/$name-out"/report.html "$work/$name-out"/junit.xml "$work/$name-out"/report.sarif | awk '{printf "%s %d KB, ", $2, $1}' | sed "s|$work/$name-out/||g")
  printf '%-9s %5d MB, %7d records: exit %d, peak RSS %6.1f MB (target < %d MB), findings listed/counted %s; %s\n' \
    "$mode" "$(( $(stat -c %s "$work/$name.xml") / 1048576 ))" "$records" "$code" "$(awk -v k="$rss_kb" 'BEGIN {print k / 1024}')" \
    "$limit" "$findings" "${sizes%, }"
  if (( rss_kb > limit * 1024 )); then
    echo "  MISSED: $mode peak RSS above $limit MB" >&2
    status=1
  fi
}

measure identical "$identical_mb" identical 150
measure distinct "$distinct_mb" distinct 1024
exit "$status"
