#!/usr/bin/env bash
# What DKIM signing costs end to end (issue 13 item 5): hikyakud alone (bench/e2e-hikyakud.sh)
# unsigned, with an RSA-2048 key and with an Ed25519 key for the loadgen's From domain
# (bench.test), at 1 KB and 100 KB bodies, alternating within one invocation so the three see
# the same machine. Prints the medians and the ratios against unsigned.
# Env: RUNS (3), N1 (20000 messages at 1 KB), N100 (5000 at 100 KB), CONC (20), SIZES ("1024
# 102400"), and what e2e-hikyakud.sh takes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-3}; SIZES=${SIZES:-"1024 102400"}
TMP=$(mktemp -d /var/tmp/dkim-cost.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
for size in $SIZES; do
    n=${N1:-20000}; [ "$size" -gt 10000 ] && n=${N100:-5000}
    for i in $(seq 1 "$RUNS"); do
        for mode in unsigned rsa-2048 ed25519; do
            setup=""
            [ "$mode" != unsigned ] && setup="python3 $HERE/dkim-key.py bench.test s1 $mode"
            SIZE=$size N=$n SETUP="$setup" bash "$HERE/e2e-hikyakud.sh" \
                | sed "s/^{/{\"mode\": \"$mode\", /" | tee -a "$TMP/runs.jsonl" >&2
        done
    done
done
python3 - "$TMP/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for size in sorted({r["size"] for r in runs}):
    med = {}
    for mode in ("unsigned", "rsa-2048", "ed25519"):
        rs = [r for r in runs if r["size"] == size and r["mode"] == mode]
        med[mode] = statistics.median(r["e2e_msg_per_s"] for r in rs)
        p99 = statistics.median(r["intake_p99_us"] or 0 for r in rs)
        print(f"size {size}: {mode:9} e2e {med[mode]:6.0f} msg/s ({', '.join(str(r['e2e_msg_per_s']) for r in rs)}) "
              f"intake p99 {p99:.0f} us -> {100 * med[mode] / med['unsigned']:.0f} % of unsigned")
PY
