#!/usr/bin/env bash
# Runs the C++ streaming parser and the Python iterparse reference on the same large memcheck
# XML file, in the same run, and prints MB/s for each, the ratio and the C++ peak RSS.
#   bench/parse/run.sh BUILD_DIR [MEGABYTES]   (BUILD_DIR configured with -DPLUMB_BUILD_BENCH=ON)
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [MEGABYTES]}
megabytes=${2:-1024}
here=$(cd "$(dirname "$0")" && pwd)
binary="$build/bin/bench_parse_memcheck"
[[ -x $binary ]] || { echo "no $binary: cmake --build $build --target bench_parse_memcheck" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-parse.XXXXXX")
trap 'rm -rf "$work"' EXIT
xml="$work/memcheck-big.xml"
python3 "$here/make_big_memcheck_xml.py" "$xml" "$megabytes"
echo "file: $(du -m "$xml" | cut -f1) MB of repeated real memcheck <error> records"

cpp=$(/usr/bin/time -v "$binary" --file "$xml" 2>"$work/time.txt")
cpp_rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "$cpp"
py=$(/usr/bin/time -v python3 "$here/reference_iterparse.py" "$xml" 2>"$work/time-py.txt")
py_rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-py.txt")
echo "$py"

# Two rates each: wall clock (what a user waits) and CPU time (user+sys; steady on a shared,
# loaded machine, where wall clock mostly measures the other processes).
cpu_seconds() { awk -F': ' '/User time|System time/ {sum += $2} END {print sum}' "$1"; }
size_mb=$(awk -v b="$(stat -c %s "$xml")" 'BEGIN {print b / 1e6}')
cpp_wall=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$cpp")
py_wall=$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$py")
cpp_cpu=$(cpu_seconds "$work/time.txt")
py_cpu=$(cpu_seconds "$work/time-py.txt")
cpp_findings=$(sed -n 's/.*findings=\([0-9]*\).*/\1/p' <<<"$cpp")
py_findings=$(sed -n 's/.*findings=\([0-9]*\).*/\1/p' <<<"$py")
[[ $cpp_findings == "$py_findings" ]] || echo "WARNING: the two extractors disagree on the findings count" >&2
awk -v mb="$size_mb" -v cw="$cpp_wall" -v pw="$py_wall" -v cc="$cpp_cpu" -v pc="$py_cpu" \
    -v cr="$cpp_rss_kb" -v pr="$py_rss_kb" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  printf "file %.0f MB, load average %s\n", mb, load
  printf "C++ streaming parser: %7.1f MB/s wall, %7.1f MB/s CPU, peak RSS %.1f MB\n", mb / cw, mb / cc, cr / 1024
  printf "Python iterparse:     %7.1f MB/s wall, %7.1f MB/s CPU, peak RSS %.1f MB\n", mb / pw, mb / pc, pr / 1024
  printf "ratio C++/Python:     %7.1fx wall,   %7.1fx CPU\n", pw / cw, pc / cc
}'
