#!/usr/bin/env bash
# What event webhooks cost (issue 14 item 4): hikyakud end to end (bench/e2e-hikyakud.sh)
# without an endpoint and with one subscribed to every event type (a local HTTP receiver,
# hikyaku-webhook-sink, answering 200 and measuring each event's delay from its time to its
# arrival), alternating in one invocation. Each message makes two events (queued, succeeded).
# Prints the medians, the rate ratio (target >= 90 %) and the event delay p99 (target <= 1 s).
# Env: RUNS (3), N (20000), CONC (20), HOOK_PORT (2790), and what e2e-hikyakud.sh takes.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug
RUNS=${RUNS:-3}; N=${N:-20000}; HOOK_PORT=${HOOK_PORT:-2790}
TMP=$(mktemp -d /var/tmp/webhook-cost.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
for i in $(seq 1 "$RUNS"); do
    N=$N bash "$HERE/e2e-hikyakud.sh" | sed 's/^{/{"mode": "off", /' | tee -a "$TMP/runs.jsonl" >&2
    "$BIN/hikyaku-webhook-sink" --listen "127.0.0.1:$HOOK_PORT" --expect $((2 * N)) >"$TMP/hook.json" &
    RP=$!
    sleep 0.5
    # The daemon stays up until the receiver has every event (or gives up after 30 s idle).
    N=$N SETUP="python3 $HERE/webhook-key.py http://127.0.0.1:$HOOK_PORT/events" \
        AFTER="while kill -0 $RP 2>/dev/null; do sleep 0.1; done" \
        bash "$HERE/e2e-hikyakud.sh" | sed 's/^{/{"mode": "on", /' >"$TMP/on.json"
    wait $RP
    python3 - "$TMP/on.json" "$TMP/hook.json" <<'PY' | tee -a "$TMP/runs.jsonl" >&2
import json, sys
run = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
run.update(json.loads(open(sys.argv[2]).read().strip().splitlines()[-1]))
print(json.dumps(run))
PY
done
python3 - "$TMP/runs.jsonl" "$N" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
n = int(sys.argv[2])
off = [r for r in runs if r["mode"] == "off"]; on = [r for r in runs if r["mode"] == "on"]
for key in ("intake_msg_per_s", "e2e_msg_per_s"):
    a = statistics.median(r[key] for r in off); b = statistics.median(r[key] for r in on)
    print(f"{key}: off {a:.0f} ({', '.join(str(r[key]) for r in off)}) on {b:.0f} "
          f"({', '.join(str(r[key]) for r in on)}) -> {100 * b / a:.0f} % of off")
print("events received (unique of %d): %s" % (2 * n, ", ".join(str(r.get("unique")) for r in on)))
print("event delay p50/p99/max ms: " + "; ".join(
    f"{r.get('latency_ms_p50')}/{r.get('latency_ms_p99')}/{r.get('latency_ms_max')}" for r in on))
PY
