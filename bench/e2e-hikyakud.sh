#!/usr/bin/env bash
# hikyakud alone, end to end (no Postfix, no ceiling): a fresh daemon with smart_host = a
# fresh hikyaku-sink, one loadgen run, then the rate until the sink has every message.
# Quick to repeat when comparing builds or settings; e2e-compare.sh is the reference figure.
# Env: N (20000) CONC (20) DOMAINS (100) HOST_LIMIT (1000) HIKYAKUD (binary to run)
#      SINK_ARGS (extra sink flags) PORT_BASE (2736: sink, +1 relay, +2 receive, +3 RPC)
#      EXTRA_TOML (a file appended to the daemon's configuration, e.g. a [policy]) HIKYAKUD_ARGS
#      SIZE (1024: body bytes per message) SETUP (a command run once the daemon listens, before
#      the load, with RPC_URL and HIKYAKU_ADMIN_PASSWORD set; e.g. creating DKIM keys) AFTER (a
#      command run after the measurement, before the daemon is stopped; e.g. waiting for
#      webhook events still in flight).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug
N=${N:-20000}; CONC=${CONC:-20}; SIZE=${SIZE:-1024}; DOMAINS=${DOMAINS:-100}; HOST_LIMIT=${HOST_LIMIT:-1000}
HIKYAKUD=${HIKYAKUD:-$BIN/hikyakud}; PORT_BASE=${PORT_BASE:-2736}
SINK_PORT=$PORT_BASE; HK_PORT=$((PORT_BASE + 1))
TMP=$(mktemp -d /var/tmp/e2e-hikyakud.XXXXXX)
cat > "$TMP/hikyaku.toml" <<CONF
data_dir = "$TMP/data"
sandbox = false
[relay]
listen = "127.0.0.1:$HK_PORT"
[receive]
listen = "127.0.0.1:$((PORT_BASE + 2))"
[rpc]
listen = "127.0.0.1:$((PORT_BASE + 3))"
[unsubscribe]
listen = "127.0.0.1:$((PORT_BASE + 4))"
[delivery]
smart_host = "127.0.0.1:$SINK_PORT"
max_connections_per_host = $HOST_LIMIT
CONF
[ -n "${EXTRA_TOML:-}" ] && cat "$EXTRA_TOML" >> "$TMP/hikyaku.toml"
"$BIN/hikyaku-sink" --listen "127.0.0.1:$SINK_PORT" --exit-after "$N" ${SINK_ARGS:-} >"$TMP/sink.json" 2>/dev/null &
SP=$!
export HIKYAKU_ADMIN_PASSWORD=${HIKYAKU_ADMIN_PASSWORD:-bench-admin-password}
"$HIKYAKUD" --config "$TMP/hikyaku.toml" ${HIKYAKUD_ARGS:-} >"$TMP/hikyakud.log" 2>&1 &
HK=$!
trap 'kill $HK $SP 2>/dev/null; wait $HK 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$HK_PORT) 2>/dev/null && break; sleep 0.1; done
sleep 0.5
if [ -n "${SETUP:-}" ]; then
    RPC_URL="http://127.0.0.1:$((PORT_BASE + 3))" bash -c "$SETUP" >&2 || { echo "SETUP failed" >&2; exit 1; }
fi
t0=$(date +%s.%N)
"$BIN/hikyaku-loadgen" --target "127.0.0.1:$HK_PORT" --connections "$CONC" --messages "$N" \
    --size "$SIZE" --domains "$DOMAINS" --json >"$TMP/loadgen.json" 2>/dev/null
t1=$(date +%s.%N)
timeout 120 tail --pid=$SP -s 0.01 -f /dev/null
t2=$(date +%s.%N)
if [ -n "${AFTER:-}" ]; then bash -c "$AFTER" >&2; fi
python3 - "$N" "$t0" "$t1" "$t2" "$TMP/loadgen.json" "$TMP/sink.json" "$DOMAINS" "$HOST_LIMIT" "$CONC" "$SIZE" <<'PY'
import json, sys
n, t0, t1, t2 = int(sys.argv[1]), *map(float, sys.argv[2:5])
lg = json.load(open(sys.argv[5])); sk = json.loads(open(sys.argv[6]).read().strip().splitlines()[-1])
print(json.dumps({"size": int(sys.argv[10]), "domains": int(sys.argv[7]), "host_limit": int(sys.argv[8]), "conc": int(sys.argv[9]),
                  "e2e_msg_per_s": round(n / (t2 - t0)), "intake_msg_per_s": round(lg["msg_per_s"]),
                  "intake_p99_us": lg.get("latency_us", {}).get("p99"),
                  "tail_s": round(t2 - t1, 2), "sink_messages": sk.get("messages"),
                  "sink_connections": sk.get("connections"), "sink_max_concurrent": sk.get("max_concurrent")}))
PY
