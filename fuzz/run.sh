#!/bin/sh
# Runs one fuzz target for a time, niced, with the committed seeds and the working corpus,
# and keeps libFuzzer's log under fuzz/logs/ (git-ignored).
# Usage: [FUZZ_FLAGS=...] fuzz/run.sh TARGET SECONDS [BINARY_DIR]
# BINARY_DIR defaults to cargo fuzz's output (fuzz/target/x86_64-unknown-linux-gnu/release).
# FUZZ_FLAGS adds libFuzzer flags, e.g. "-fork=1 -ignore_crashes=1" to keep going after a
# known crash (the run then records every crash in artifacts/ instead of stopping at the first).
set -eu
target=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=${3:-$here/target/x86_64-unknown-linux-gnu/release}/$target
mkdir -p "$here/corpus/$target" "$here/seeds/$target" "$here/artifacts/$target" "$here/logs"
log=$here/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log
echo "log: $log"
nice -n 19 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ${FUZZ_FLAGS:-} \
    -artifact_prefix="$here/artifacts/$target/" \
    "$here/corpus/$target" "$here/seeds/$target" >"$log" 2>&1 || true
grep -E '^#[0-9]+.*(DONE|INITED)|^#[0-9]+: cov|stat::number_of_executed_units|stat::peak_rss|==ERROR|panicked|Test unit written' "$log" | tail -n 8
