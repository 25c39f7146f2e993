#!/usr/bin/env bash
# JSON-RPC sending API into the durable queue: send.single at concurrency 1 and 32, then one
# send.bulk of 100 000 recipients. Starts its own sandbox daemon on spare ports with the
# per-IP rate limit lifted (the default 2000 calls/s would be the bottleneck).
# Usage: bash bench/rpc-send.sh   (after `cargo build --workspace`)
set -euo pipefail
T=${CARGO_TARGET_DIR:-target}/debug
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
KEY=hk_bench_key_0123456789abcdef
printf 'data_dir = "%s/data"\n[rpc]\nrate_limit_per_sec = 1000000\n' "$DIR" > "$DIR/bench.toml"
HIKYAKU_API_KEY=$KEY HIKYAKU_ADMIN_PASSWORD=bench-admin-pw "$T/hikyakud" --config "$DIR/bench.toml" \
  --relay-listen 127.0.0.1:2600 --rpc-listen 127.0.0.1:8600 --unsubscribe-listen 127.0.0.1:8601 --console-listen 127.0.0.1:8602 run > "$DIR/log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null 127.0.0.1:8600 && break; sleep 0.1; done
for c in 1 32; do
  "$T/hikyaku-rpc-load" --url http://127.0.0.1:8600 --key $KEY single --messages 20000 --concurrency $c
done
"$T/hikyaku-rpc-load" --url http://127.0.0.1:8600 --key $KEY bulk --recipients 100000
