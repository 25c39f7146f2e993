#!/usr/bin/env bash
# Shaping on a simulated provider (issue 19 §5): the same backlog delivered by hikyakud through
# hikyaku-provider-sim twice, with fixed per-domain limits ("fixed": [shaping] enabled = false)
# and with adaptive shaping ("adaptive": a site for the simulator plus a back-off rule), and
# the intake rate while a backlog waits on the throttling provider against the unloaded rate.
#
# Set-up, all on loopback: hikyaku-testdns serves DOMAINS domains dK.sim.test whose MX records
# are MX_HOSTS hosts mxI.provider-sim.test = 127.0.2.I; the simulator listens on all of them
# (port PORT_BASE+1, which hikyakud reaches through delivery.mx_port); hikyakud sends from
# SOURCE_IPS addresses 127.0.1.1.. (delivery.default.source_ips), so the simulator's
# per-source-IP limits see SOURCE_IPS senders and the allowed rate is SIM_RATE × SOURCE_IPS.
#
# Per mode: fresh spool, fresh simulator, both up from the start (the backlog is queued with
# hikyaku-loadgen while delivery already runs: queuing 20,000 messages takes seconds, delivering
# 200,000 recipients at the allowed rate takes minutes). MSGS messages × RCPTS recipients spread
# over the domains, plus UNKNOWN_MSGS messages whose recipients are unknown* (550 5.1.1). The
# wall time runs from the start of queuing until the simulator has answered every recipient
# finally (accepted or 550), read from its --stats-file every second. Retry timing is shortened
# (RETRY_FIRST/RETRY_MAX seconds) in both modes, or a throttled backlog would wait 10 minutes.
#
# Intake under backlog (INTAKE=1): a fresh daemon and a simulator that throttles every MAIL
# (--rate 0); intake of INTAKE_MSGS one-recipient messages to d1.intake.test (delivered to a
# hikyaku-sink by transport) is measured unloaded, then BACKLOG_RCPTS recipients for the
# simulator are queued, SETTLE seconds pass (adaptive: the rule suspends the site), and the
# same intake is measured again.
#
# Env: MSGS (20000) RCPTS (10) DOMAINS (5000) UNKNOWN_MSGS (MSGS/50) MODES ("fixed adaptive")
#      SIM_RATE (3000 messages per minute per source IP) SIM_BURST (simulator default: 5 s worth)
#      SIM_BLOCK_AFTER (50 throttle replies per minute) SIM_BLOCK_SECS (60) SIM_MAX_CONN (30)
#      MX_HOSTS (4) SOURCE_IPS (2) RETRY_FIRST (10) RETRY_MAX (60) DEADLINE (3600 s per mode)
#      ADAPTIVE_RATE (SIM_RATE: the engine's per-IP rate for the site) ADAPTIVE_BURST (50)
#      ADAPTIVE_CONN (20: the site's connections per source IP; the simulator allows SIM_MAX_CONN)
#      INTAKE (1) BACKLOG_RCPTS (100000) INTAKE_MSGS (20000) SETTLE (15) CONC (20) SIZE (1024)
#      PORT_BASE (2790: DNS, +1 simulator, +2 relay, +3 receive, +4 RPC, +5 unsubscribe,
#      +6 console, +7 intake sink) BIN (target/debug) KEEP (1: keep the work directory)
# Output: one JSON line per measurement on stdout; logs and simulator summaries in the work
# directory (printed on stderr).
# Quick run: MSGS=1000 RCPTS=5 DOMAINS=500 BACKLOG_RCPTS=10000 INTAKE_MSGS=3000 bash bench/shaping-compare.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
BIN=${BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug}
MSGS=${MSGS:-20000}; RCPTS=${RCPTS:-10}; DOMAINS=${DOMAINS:-5000}; UNKNOWN_MSGS=${UNKNOWN_MSGS:-$((MSGS / 50))}
MODES=${MODES:-fixed adaptive}
SIM_RATE=${SIM_RATE:-3000}; SIM_BURST=${SIM_BURST:-}; SIM_BLOCK_AFTER=${SIM_BLOCK_AFTER:-50}
SIM_BLOCK_SECS=${SIM_BLOCK_SECS:-60}; SIM_MAX_CONN=${SIM_MAX_CONN:-30}
MX_HOSTS=${MX_HOSTS:-4}; SOURCE_IPS=${SOURCE_IPS:-2}
RETRY_FIRST=${RETRY_FIRST:-10}; RETRY_MAX=${RETRY_MAX:-60}; DEADLINE=${DEADLINE:-3600}
ADAPTIVE_RATE=${ADAPTIVE_RATE:-$SIM_RATE}; ADAPTIVE_BURST=${ADAPTIVE_BURST:-50}; ADAPTIVE_CONN=${ADAPTIVE_CONN:-20}
INTAKE=${INTAKE:-1}; BACKLOG_RCPTS=${BACKLOG_RCPTS:-100000}; INTAKE_MSGS=${INTAKE_MSGS:-20000}
SETTLE=${SETTLE:-15}; CONC=${CONC:-20}; SIZE=${SIZE:-1024}; PORT_BASE=${PORT_BASE:-2790}
DNS_PORT=$PORT_BASE; SIM_PORT=$((PORT_BASE + 1)); HK_PORT=$((PORT_BASE + 2)); SINK_PORT=$((PORT_BASE + 7))
for b in hikyakud hikyaku-testdns hikyaku-provider-sim hikyaku-loadgen hikyaku-sink; do
    [ -x "$BIN/$b" ] || { echo "missing $BIN/$b: cargo build --workspace --bins" >&2; exit 2; }
done
TMP=$(mktemp -d /var/tmp/shaping-compare.XXXXXX)
echo "shaping-compare: work directory $TMP" >&2
PIDS=()
stop_all() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    PIDS=()
}
trap 'stop_all; [ "${KEEP:-1}" = 1 ] || rm -rf "$TMP"' EXIT
export HIKYAKU_ADMIN_PASSWORD=${HIKYAKU_ADMIN_PASSWORD:-bench-admin-password}

# The zone: every simulated domain has all MX hosts at the same preference.
python3 - "$TMP/zone" "$DOMAINS" "$MX_HOSTS" <<'PY'
import sys
path, domains, hosts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as f:
    for i in range(1, hosts + 1):
        f.write(f"mx{i}.provider-sim.test A 127.0.2.{i}\n")
    for k in range(1, domains + 1):
        for i in range(1, hosts + 1):
            f.write(f"d{k}.sim.test MX 10 mx{i}.provider-sim.test\n")
PY
"$BIN/hikyaku-testdns" --listen "127.0.0.1:$DNS_PORT" --zone "$TMP/zone" >"$TMP/testdns.log" 2>&1 &
DNS_PID=$!
trap 'stop_all; kill $DNS_PID 2>/dev/null; [ "${KEEP:-1}" = 1 ] || rm -rf "$TMP"' EXIT

SIM_LISTEN=(); for i in $(seq 1 "$MX_HOSTS"); do SIM_LISTEN+=(--listen "127.0.2.$i:$SIM_PORT"); done
SRC_LIST=$(for i in $(seq 1 "$SOURCE_IPS"); do printf '"127.0.1.%d", ' "$i"; done)

# write_config DIR MODE: the daemon's configuration for a mode.
write_config() {
    local dir=$1 mode=$2
    cat > "$dir/hikyaku.toml" <<CONF
data_dir = "$dir/data"
sandbox = false
[relay]
listen = "127.0.0.1:$HK_PORT"
[receive]
listen = "127.0.0.1:$((PORT_BASE + 3))"
[rpc]
listen = "127.0.0.1:$((PORT_BASE + 4))"
[unsubscribe]
listen = "127.0.0.1:$((PORT_BASE + 5))"
[console]
listen = "127.0.0.1:$((PORT_BASE + 6))"
[delivery]
dns_servers = ["127.0.0.1:$DNS_PORT"]
mx_port = $SIM_PORT
retry_first_secs = $RETRY_FIRST
retry_max_secs = $RETRY_MAX
connect_timeout_secs = 5
[delivery.default]
source_ips = [${SRC_LIST%, }]
[delivery.domains."d1.intake.test"]
transport = "127.0.0.1:$SINK_PORT"
CONF
    if [ "$mode" = adaptive ]; then
        cat >> "$dir/hikyaku.toml" <<CONF
[shaping]
enabled = true
[shaping.sites.sim]
mx_suffixes = ["provider-sim.test"]
max_connections = $ADAPTIVE_CONN
connections_per_minute = 600
messages_per_connection = 100
rate = "$ADAPTIVE_RATE/min"
burst = $ADAPTIVE_BURST
[[shaping.rules]]
site = "*"
match = "4\\\\.7\\\\.28|rate limit"
threshold = "3/1min"
action = "suspend"
duration = "30s"
CONF
    elif [ "${FIXED_SECTION:-1}" = 1 ]; then
        printf '[shaping]\nenabled = false\n' >> "$dir/hikyaku.toml"
    fi
}

# prepare DIR MODE: writes and checks the configuration; prints a JSON note and fails when
# the daemon refuses it. Fixed mode falls back to no [shaping] section on an engine without it
# (the same behaviour: fixed limits are what such an engine does).
prepare() {
    local dir=$1 mode=$2
    mkdir -p "$dir"
    write_config "$dir" "$mode"
    if ! "$BIN/hikyakud" --config "$dir/hikyaku.toml" config check >"$dir/check.out" 2>&1; then
        if [ "$mode" = fixed ] && grep -q shaping "$dir/check.out"; then
            echo "shaping-compare: this hikyakud has no [shaping] section; fixed mode runs without it" >&2
            FIXED_SECTION=0 write_config "$dir" "$mode"
            "$BIN/hikyakud" --config "$dir/hikyaku.toml" config check >"$dir/check.out" 2>&1 && return 0
        fi
        python3 -c 'import json,sys; print(json.dumps({"mode": sys.argv[1], "refused": open(sys.argv[2]).read().strip()[-600:]}))' \
            "$mode" "$dir/check.out"
        return 1
    fi
}

start_daemon() {
    local dir=$1
    "$BIN/hikyakud" --config "$dir/hikyaku.toml" run >"$dir/hikyakud.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$HK_PORT) 2>/dev/null && return 0; sleep 0.1; done
    echo "shaping-compare: hikyakud did not listen, see $dir/hikyakud.log" >&2
    return 1
}

start_sim() {
    local dir=$1; shift
    local burst=(); [ -n "$SIM_BURST" ] && burst=(--burst "$SIM_BURST")
    "$BIN/hikyaku-provider-sim" "${SIM_LISTEN[@]}" --stats-file "$dir/sim.json" \
        --block-after "$SIM_BLOCK_AFTER" --block-secs "$SIM_BLOCK_SECS" --max-connections "$SIM_MAX_CONN" \
        "${burst[@]}" "$@" >"$dir/sim.final.json" 2>"$dir/sim.log" &
    PIDS+=($!)
    for _ in $(seq 1 100); do [ -s "$dir/sim.json" ] && return 0; sleep 0.1; done
    echo "shaping-compare: the simulator did not start, see $dir/sim.log" >&2
    return 1
}

# loadgen OUT ARGS...: one loadgen run into hikyakud, JSON summary in OUT.
loadgen() {
    local out=$1; shift
    "$BIN/hikyaku-loadgen" --target "127.0.0.1:$HK_PORT" --connections "$CONC" --size "$SIZE" --json "$@" \
        >"$out" 2>/dev/null
}

# sim_done FILE N: true once the simulator has answered N recipients finally.
sim_done() {
    python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; sys.exit(0 if t["rcpts"]+t["unknown_users"]>=int(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

delivery_run() {
    local mode=$1 dir=$TMP/$mode
    prepare "$dir" "$mode" || return 0
    start_sim "$dir" --rate "$SIM_RATE" || { stop_all; return 0; }
    start_daemon "$dir" || { stop_all; return 0; }
    local t0 t1 expected complete=true
    t0=$(date +%s.%N)
    loadgen "$dir/load.json" --messages "$MSGS" --rcpts "$RCPTS" --domains "$DOMAINS" --rcpt-domain sim.test \
        --run-id "known$mode"
    [ "$UNKNOWN_MSGS" -gt 0 ] && loadgen "$dir/load-unknown.json" --messages "$UNKNOWN_MSGS" --rcpts "$RCPTS" \
        --domains "$DOMAINS" --rcpt-domain sim.test --rcpt-prefix unknown --run-id "unknown$mode"
    expected=$(python3 -c 'import json,sys; print(sum(json.load(open(f))["accepted"] for f in sys.argv[2:]) * int(sys.argv[1]))' \
        "$RCPTS" "$dir"/load*.json)
    until sim_done "$dir/sim.json" "$expected"; do
        if [ $(($(date +%s) - ${t0%.*})) -gt "$DEADLINE" ]; then complete=false; break; fi
        sleep 1
    done
    t1=$(date +%s.%N)
    local deferred_log
    deferred_log=$("$BIN/hikyakud" --config "$dir/hikyaku.toml" log search --status deferred --limit 100000000 --json 2>/dev/null | wc -l)
    stop_all
    python3 - "$mode" "$t0" "$t1" "$expected" "$complete" "$dir/sim.final.json" "$SOURCE_IPS" "$deferred_log" "$MSGS" "$RCPTS" "$DOMAINS" "$UNKNOWN_MSGS" <<'PY'
import json, sys
mode, t0, t1, expected, complete, path, ips, deferred_log = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "true", sys.argv[6], int(sys.argv[7]), int(sys.argv[8])
s = json.loads(open(path).read().strip().splitlines()[-1])
t = s["total"]
wall = t1 - t0
allowed = s["allowed_per_s_per_ip"] * ips
achieved = t["mail_admitted"] / wall
print(json.dumps({
    "mode": mode, "msgs": int(sys.argv[9]), "rcpts_per_msg": int(sys.argv[10]), "domains": int(sys.argv[11]),
    "unknown_msgs": int(sys.argv[12]), "expected_rcpts": expected, "complete": complete,
    "wall_s": round(wall, 1), "rcpts_accepted": t["rcpts"], "unknown_rejected": t["unknown_users"],
    "transactions_admitted": t["mail_admitted"], "attempts": t["attempts"],
    "deferred_attempts": t["deferred_attempts"],
    "deferred_pct": round(100.0 * t["deferred_attempts"] / max(t["attempts"], 1), 2),
    "throttled": t["throttled"], "refused_too_many": t["refused_too_many"],
    "blocks": t["blocks"], "blocked_s": t["blocked_s"], "refused_blocked": t["refused_blocked"],
    "engine_deferred_log_records": deferred_log, "source_ips_seen": s["source_ips"],
    "allowed_msg_per_s": round(allowed, 1), "achieved_msg_per_s": round(achieved, 1),
    "achieved_over_allowed": round(achieved / allowed, 3) if allowed else None,
}))
PY
}

intake_run() {
    local mode=$1 dir=$TMP/$mode-intake
    prepare "$dir" "$mode" || return 0
    "$BIN/hikyaku-sink" --listen "127.0.0.1:$SINK_PORT" >"$dir/sink.json" 2>/dev/null &
    PIDS+=($!)
    start_sim "$dir" --rate 0 || { stop_all; return 0; }
    start_daemon "$dir" || { stop_all; return 0; }
    loadgen "$dir/intake-unloaded.json" --messages "$INTAKE_MSGS" --rcpt-domain intake.test --run-id "unloaded$mode"
    loadgen "$dir/backlog.json" --messages "$((BACKLOG_RCPTS / RCPTS))" --rcpts "$RCPTS" --domains "$DOMAINS" \
        --rcpt-domain sim.test --run-id "backlog$mode"
    sleep "$SETTLE"
    loadgen "$dir/intake-loaded.json" --messages "$INTAKE_MSGS" --rcpt-domain intake.test --run-id "loaded$mode"
    stop_all
    python3 - "$mode" "$dir" "$RCPTS" <<'PY'
import json, sys
mode, d = sys.argv[1], sys.argv[2]
u = json.load(open(f"{d}/intake-unloaded.json")); l = json.load(open(f"{d}/intake-loaded.json"))
b = json.load(open(f"{d}/backlog.json"))
s = json.loads(open(f"{d}/sim.final.json").read().strip().splitlines()[-1])["total"]
print(json.dumps({
    "mode": mode, "measure": "intake_under_backlog",
    "backlog_rcpts": b["accepted"] * int(sys.argv[3]),
    "intake_unloaded_msg_per_s": round(u["msg_per_s"]), "intake_loaded_msg_per_s": round(l["msg_per_s"]),
    "loaded_over_unloaded": round(l["msg_per_s"] / u["msg_per_s"], 3) if u["msg_per_s"] else None,
    "sim_throttled": s["throttled"], "sim_blocks": s["blocks"], "sim_attempts": s["attempts"],
}))
PY
}

for mode in $MODES; do
    case $mode in fixed|adaptive) ;; *) echo "unknown mode $mode (fixed, adaptive)" >&2; exit 2 ;; esac
    delivery_run "$mode"
    [ "$INTAKE" = 1 ] && intake_run "$mode"
done
exit 0
