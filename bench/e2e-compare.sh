#!/usr/bin/env bash
# End-to-end relay rate, side by side in one run (issue 4 benchmark):
#   ceiling   hikyaku-loadgen -> hikyaku-sink directly
#   postfix   hikyaku-loadgen -> Postfix (relayhost = the sink, fsync on) -> hikyaku-sink
#   hikyakud  hikyaku-loadgen -> hikyakud (smart_host = the sink, durable intake) -> hikyaku-sink
# A run ends when the sink has received N messages (`--exit-after N`); the rate is
# N / (sink exit - loadgen start). Recipients are spread over DOMAINS domains.
# Env: N (10000) RUNS (3) SIZE (1024) CONC (20) DOMAINS (100) HOST_LIMIT (1000) KEEP_TMP,
# SINK_ARGS (extra sink flags, e.g. --no-chunking to make hikyakud use DATA like Postfix).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
N=${N:-10000}; RUNS=${RUNS:-3}; SIZE=${SIZE:-1024}; CONC=${CONC:-20}; DOMAINS=${DOMAINS:-100}
SINK_PORT=${SINK_PORT:-2636}; PF_PORT=${PF_PORT:-2635}; HK_PORT=${HK_PORT:-2637}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET_DIR/debug
LOADGEN=${LOADGEN:-$BIN/hikyaku-loadgen}; SINK=${SINK:-$BIN/hikyaku-sink}; HIKYAKUD=${HIKYAKUD:-$BIN/hikyakud}
for b in "$LOADGEN" "$SINK" "$HIKYAKUD"; do [ -x "$b" ] || { echo "missing $b (cargo build --workspace)" >&2; exit 1; }; done
command -v postfix >/dev/null || { echo "postfix missing: WITH_BENCH_PEERS=1 bash scripts/ensure-deps.sh" >&2; exit 1; }
TMP=$(mktemp -d /var/tmp/e2e-compare.XXXXXX); chmod 755 "$TMP"
PFCONF=$TMP/postfix; PFQ=$TMP/spool; HK_PID=""
log() { echo "[$(date +%T)] $*" >&2; }
cleanup() {
    [ -n "$HK_PID" ] && kill "$HK_PID" 2>/dev/null && wait "$HK_PID" 2>/dev/null
    postfix -c "$PFCONF" stop >/dev/null 2>&1
    pkill -f "hikyaku-sink --listen 127.0.0.1:$SINK_PORT" 2>/dev/null
    [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$TMP"
}
trap cleanup EXIT

# Postfix: the same unchrooted private instance as intake-compare.sh, relaying to the sink.
mkdir -p "$PFCONF"
cat > "$PFCONF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PFQ
data_directory = $TMP/postfix-data
maillog_file = $TMP/postfix.log
myhostname = bench-mta.localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PORT
smtpd_recipient_restrictions = permit_mynetworks, reject
smtp_tls_security_level = none
biff = no
alias_maps =
alias_database =
EOF
sed -n '/^    cat > "\$PFCONF\/master.cf" <<EOF$/,/^EOF$/p' "$HERE/intake-compare.sh" | sed '1d;$d' \
    | sed "s/\$PF_PORT/$PF_PORT/" > "$PFCONF/master.cf"
install -d -m 755 -o root -g root "$PFQ"; install -d -m 700 -o postfix -g postfix "$TMP/postfix-data"
postfix -c "$PFCONF" start >"$TMP/pf-start.txt" 2>&1 || { cat "$TMP/pf-start.txt" >&2; exit 1; }

cat > "$TMP/hikyaku.toml" <<EOF
data_dir = "$TMP/hk-data"
sandbox = false
[relay]
listen = "127.0.0.1:$HK_PORT"
[receive]
listen = "127.0.0.1:$((HK_PORT + 1))"
[rpc]
listen = "127.0.0.1:$((HK_PORT + 2))"
[unsubscribe]
listen = "127.0.0.1:$((HK_PORT + 3))"
[delivery]
smart_host = "127.0.0.1:$SINK_PORT"
# The 100 domains stand for 100 destinations with their own MX hosts; here they all end at one
# loopback sink, so the per-host limit (default 50) would model a single shared MX instead.
# HOST_LIMIT=50 measures that case.
max_connections_per_host = ${HOST_LIMIT:-1000}
EOF
"$HIKYAKUD" --config "$TMP/hikyaku.toml" >"$TMP/hikyakud.log" 2>&1 &
HK_PID=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$HK_PORT) 2>/dev/null && break; sleep 0.1; done
sleep 1

run() {   # system port -> prints msg/s
    local sys=$1 port=$2 t0 t1 sink_pid
    "$SINK" --listen "127.0.0.1:$SINK_PORT" --exit-after "$N" ${SINK_ARGS:-} >"$TMP/sink.json" 2>/dev/null &
    sink_pid=$!
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$SINK_PORT) 2>/dev/null && break; sleep 0.05; done
    t0=$(date +%s.%N)
    "$LOADGEN" --target "127.0.0.1:$port" --connections "$CONC" --messages "$N" --size "$SIZE" \
        --domains "$DOMAINS" --json >"$TMP/loadgen.json" 2>/dev/null
    timeout 600 tail --pid="$sink_pid" -s 0.01 -f /dev/null
    t1=$(date +%s.%N)
    python3 - "$sys" "$t0" "$t1" "$N" "$TMP/loadgen.json" "$TMP/sink.json" <<'EOF'
import json, sys
sys_, t0, t1, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
lg = json.load(open(sys.argv[5])); sk = json.loads(open(sys.argv[6]).read().strip().splitlines()[-1])
print(json.dumps({"system": sys_, "e2e_msg_per_s": round(n / (t1 - t0)), "intake_msg_per_s": round(lg.get("msg_per_s", 0)),
                  "sink_messages": sk.get("messages"), "sink_connections": sk.get("connections")}))
EOF
}

RAW=$TMP/rows.jsonl; : > "$RAW"
for r in $(seq 1 "$RUNS"); do
    for sys in ceiling postfix hikyakud; do
        case $sys in ceiling) p=$SINK_PORT ;; postfix) p=$PF_PORT ;; hikyakud) p=$HK_PORT ;; esac
        if [ $sys = ceiling ]; then
            # direct: the sink itself is the target
            "$SINK" --listen "127.0.0.1:$SINK_PORT" --exit-after "$N" ${SINK_ARGS:-} >"$TMP/sink.json" 2>/dev/null &
            sp=$!; for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$SINK_PORT) 2>/dev/null && break; sleep 0.05; done
            t0=$(date +%s.%N)
            "$LOADGEN" --target "127.0.0.1:$SINK_PORT" --connections "$CONC" --messages "$N" --size "$SIZE" --domains "$DOMAINS" --json >/dev/null 2>&1
            timeout 60 tail --pid="$sp" -s 0.01 -f /dev/null; t1=$(date +%s.%N)
            python3 -c "import json;print(json.dumps({'system':'ceiling','e2e_msg_per_s':round($N/($t1-$t0))}))" >> "$RAW"
        else
            run $sys $p >> "$RAW"
        fi
        log "run $r $sys: $(tail -1 "$RAW")"
    done
done
python3 - "$RAW" "$N" "$SIZE" "$CONC" "$DOMAINS" <<'EOF'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = {s: statistics.median([r["e2e_msg_per_s"] for r in rows if r["system"] == s]) for s in ("ceiling", "postfix", "hikyakud")}
print(f"| N | size | conc | domains | ceiling msg/s | postfix e2e msg/s | hikyakud e2e msg/s | hikyakud/postfix | hikyakud % of ceiling |")
print("|---|---|---|---|---|---|---|---|---|")
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {sys.argv[5]} | {med['ceiling']:,.0f} | {med['postfix']:,.0f} | {med['hikyakud']:,.0f} | {med['hikyakud']/med['postfix']:.1f}x | {100*med['hikyakud']/med['ceiling']:.0f} % |")
EOF
