#!/usr/bin/env bash
# Instructions the bounce parser spends on one pass over the shared corpus, counted by
# callgrind (repeatable whatever else the machine runs, unlike criterion's wall clock).
# Runs `cpu_throughput` with 1 and 3 passes and prints (I3 - I1) / 2, which leaves out the
# start-up (reading the corpus, building the classifier).
#   bash bench/bounce-callgrind.sh TARGET_DIR [LABEL]
# TARGET_DIR holds release/examples/cpu_throughput, built by
#   cargo build --release -p hikyaku-bounce --example cpu_throughput
# Two builds compared in one run give the per-pass cost of a change.
set -euo pipefail
bin="$1/release/examples/cpu_throughput"
label="${2:-$1}"
[ -x "$bin" ] || { echo "no $bin: build the example first" >&2; exit 2; }
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "$bin" "$1" >/dev/null 2>"$tmp/err.$1"
  grep -E '^(summary|totals):' "$tmp/cg.$1" | head -1 | awk '{print $2}'
}
one=$(count 1)
three=$(count 3)
awk -v a="$one" -v b="$three" -v l="$label" \
  'BEGIN { printf "%s: %.1f M instructions per pass (1 pass %d, 3 passes %d)\n", l, (b - a) / 2 / 1e6, a, b }'
