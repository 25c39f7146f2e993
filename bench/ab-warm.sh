#!/usr/bin/env bash
# A/B of two hikyakud builds on a warm daemon: for each of ROUNDS alternations and each binary,
# start it, push one warm-up round of N messages through it to a hikyaku-sink, then MEASURED
# rounds, and print the end-to-end rate of each measured round. Alternating the builds spreads
# the shared machine's noise over both.
# Usage: bench/ab-warm.sh BIN_A BIN_B    Env: N (20000) CONC (20) DOMAINS (100) ROUNDS (3) MEASURED (2)
set -u
A=$1; B=$2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug
N=${N:-20000}; CONC=${CONC:-20}; DOMAINS=${DOMAINS:-100}; ROUNDS=${ROUNDS:-3}; MEASURED=${MEASURED:-2}
SINK_PORT=2746; HK_PORT=2747
one() {   # binary label
    local TMP; TMP=$(mktemp -d /var/tmp/ab-warm.XXXXXX)
    printf 'data_dir = "%s/data"\nsandbox = false\n[relay]\nlisten = "127.0.0.1:%s"\n[receive]\nlisten = "127.0.0.1:2748"\n[rpc]\nlisten = "127.0.0.1:2749"\n[unsubscribe]\nlisten = "127.0.0.1:2750"\n[delivery]\nsmart_host = "127.0.0.1:%s"\nmax_connections_per_host = 1000\n' \
        "$TMP" "$HK_PORT" "$SINK_PORT" > "$TMP/hikyaku.toml"
    "$1" --config "$TMP/hikyaku.toml" >"$TMP/log" 2>&1 &
    local HK=$! res="" r
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$HK_PORT) 2>/dev/null && break; sleep 0.1; done
    for r in $(seq 0 "$MEASURED"); do
        "$BIN/hikyaku-sink" --listen "127.0.0.1:$SINK_PORT" --exit-after "$N" >/dev/null 2>&1 &
        local SP=$!; sleep 0.3
        local t0; t0=$(date +%s.%N)
        "$BIN/hikyaku-loadgen" --target "127.0.0.1:$HK_PORT" --connections "$CONC" --messages "$N" \
            --size 1024 --domains "$DOMAINS" >/dev/null 2>&1
        timeout 60 tail --pid=$SP -s 0.01 -f /dev/null
        local t1; t1=$(date +%s.%N)
        [ "$r" -gt 0 ] && res="$res $(python3 -c "print(round($N/($t1-$t0)))")"
    done
    kill $HK; wait $HK 2>/dev/null; rm -rf "$TMP"
    echo "$2:$res"
}
for _ in $(seq 1 "$ROUNDS"); do one "$A" A; one "$B" B; done
