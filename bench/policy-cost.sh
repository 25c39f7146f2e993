#!/usr/bin/env bash
# What the message policy costs (issue 12 item 5): hikyakud end to end (bench/e2e-hikyakud.sh)
# without policy and with bench/policy.toml plus a prohibited-hours rule whose window is
# closed now, alternating, in one invocation. Prints the medians and the ratio.
# Env: N (20000) CONC (20) RUNS (3), and what e2e-hikyakud.sh takes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RUNS=${RUNS:-3}
TMP=$(mktemp -d /var/tmp/policy-cost.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# A window 6 to 7 hours from now (UTC): closed for the whole run, evaluated for every message.
from=$(date -u -d '+6 hours' +%H:%M); to=$(date -u -d '+7 hours' +%H:%M)
cp "$HERE/policy.toml" "$TMP/policy.toml"
cat >> "$TMP/policy.toml" <<TOML
[[policy.rules]]
header = "Subject"
match = "hikyaku .*"
hold = { from = "$from", to = "$to", time_zone = "UTC" }
TOML
: > "$TMP/without.jsonl"; : > "$TMP/with.jsonl"
for i in $(seq 1 "$RUNS"); do
    EXTRA_TOML="" bash "$HERE/e2e-hikyakud.sh" | tee -a "$TMP/without.jsonl" >&2
    EXTRA_TOML="$TMP/policy.toml" bash "$HERE/e2e-hikyakud.sh" | tee -a "$TMP/with.jsonl" >&2
done
python3 - "$TMP/without.jsonl" "$TMP/with.jsonl" <<'PY'
import json, statistics, sys
def load(p): return [json.loads(l) for l in open(p) if l.strip().startswith("{")]
a, b = load(sys.argv[1]), load(sys.argv[2])
for key in ("intake_msg_per_s", "e2e_msg_per_s"):
    ma, mb = statistics.median(r[key] for r in a), statistics.median(r[key] for r in b)
    print(f"{key}: without {ma:.0f} ({', '.join(str(r[key]) for r in a)}) "
          f"with {mb:.0f} ({', '.join(str(r[key]) for r in b)}) "
          f"-> {100 * (mb / ma - 1):+.1f} %")
PY
