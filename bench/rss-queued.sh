#!/usr/bin/env bash
# Resident memory of hikyakud per queued recipient: accept N messages (1 recipient, DOMAINS
# domains) that cannot be delivered (every domain routed to a closed port, first retry in an
# hour), then read VmRSS. Prints baseline, after-N and bytes per queued recipient.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
N=${N:-200000}; DOMAINS=${DOMAINS:-10000}; PORT=${PORT:-2647}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug
TMP=$(mktemp -d /var/tmp/rss-queued.XXXXXX)
cat > "$TMP/hikyaku.toml" <<EOF
data_dir = "$TMP/data"
sandbox = false
[relay]
listen = "127.0.0.1:$PORT"
[receive]
listen = "127.0.0.1:$((PORT + 1))"
[rpc]
listen = "127.0.0.1:$((PORT + 2))"
[unsubscribe]
listen = "127.0.0.1:$((PORT + 3))"
[delivery]
retry_first_secs = 3600
[delivery.default]
transport = "127.0.0.1:9"
EOF
"$BIN/hikyakud" --config "$TMP/hikyaku.toml" >"$TMP/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
sleep 1
rss() { awk '/VmRSS/{print $2 * 1024}' /proc/$PID/status; }
base=$(rss)
"$BIN/hikyaku-loadgen" --target "127.0.0.1:$PORT" --connections 50 --messages "$N" --size 1024 --domains "$DOMAINS" | grep -E "accepted|wall"
sleep 5   # let the one delivery attempt per recipient finish and defer
after=$(rss)
queued=$(grep -o 'entries=[0-9]*' "$TMP/log" | tail -1)
echo "baseline_rss=$base after_rss=$after n=$N domains=$DOMAINS bytes_per_queued=$(( (after - base) / N ))"
