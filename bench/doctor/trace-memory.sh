#!/usr/bin/env bash
# The doctor's reader on heaptrack traces of 10 MB and 1 GB (uncompressed text; zstd-compressed on
# disk as heaptrack writes them), in one run: its peak RSS must not grow with the trace's length
# (target: the 1 GB read within 8 MB of the 10 MB read's peak).
#   bench/doctor/trace-memory.sh BUILD_DIR [BIG_MB]     exit 1 when the target is missed
set -euo pipefail
build=${1:?usage: trace-memory.sh BUILD_DIR [BIG_MB]}
big_mb=${2:-1024}
bench="$build/bin/bench_doctor_trace"
[[ -x $bench ]] || { echo "no $bench: cmake --build $build --target bench_doctor_trace" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench-doctor.XXXXXX")
trap 'rm -rf "$work"' EXIT
declare -A peak
for mb in 10 "$big_mb"; do
  "$bench" generate "$mb" | zstd -q -c >"$work/trace-$mb.zst"
  line=$("$bench" read "$work/trace-$mb.zst")
  echo "$mb MB of trace ($(du -k "$work/trace-$mb.zst" | cut -f1) KB compressed): $line"
  peak[$mb]=$(sed -E 's/.*peak_rss_kb ([0-9]+).*/\1/' <<<"$line")
done
growth=$(( peak[$big_mb] - peak[10] ))
echo "peak RSS: ${peak[10]} KB at 10 MB, ${peak[$big_mb]} KB at $big_mb MB (+$growth KB)"
(( growth <= 8192 )) || { echo "FAIL: the reader's memory grows with the trace" >&2; exit 1; }
