#!/usr/bin/env bash
# Sweeps the engine's main knobs end to end (bench/e2e-hikyakud.sh: loadgen -> hikyakud ->
# sink, N messages) and writes tuning/RESULTS.md: every setting's median e2e rate and intake
# p99, the best setting per profile and its gain over the defaults, all from this one run.
# Grid (override with the env vars): SHARDS ("1 2"), BATCH ("64 1024"), MEMTABLE ("64 256"),
# CONC ("20 100"); RUNS (2) runs per setting, N (20000).
set -u
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/.." && pwd)
SHARDS=${SHARDS:-"1 2"}; BATCH=${BATCH:-"64 1024"}; MEMTABLE=${MEMTABLE:-"64 256"}
CONC_SET=${CONC:-"20 100"}; RUNS=${RUNS:-2}; N=${N:-20000}
OUT=${OUT:-$HERE/RESULTS.md}
TMP=$(mktemp -d /var/tmp/sweep.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
: > "$TMP/rows.jsonl"
for conc in $CONC_SET; do
  for shards in $SHARDS; do
    for batch in $BATCH; do
      for mt in $MEMTABLE; do
        printf '[storage]\nmax_commit_batch = %s\nmemtable_budget_mb = %s\n' "$batch" "$mt" > "$TMP/extra.toml"
        for _ in $(seq 1 "$RUNS"); do
          r=$(N=$N CONC=$conc EXTRA_TOML="$TMP/extra.toml" HIKYAKUD_ARGS="--shards $shards" \
              bash "$ROOT/bench/e2e-hikyakud.sh" 2>/dev/null | tail -1)
          echo "{\"shards\": $shards, \"batch\": $batch, \"memtable\": $mt, \"run\": $r}" | tee -a "$TMP/rows.jsonl" >&2
        done
      done
    done
  done
done
python3 - "$TMP/rows.jsonl" "$OUT" "$N" "$RUNS" "$(git -C "$ROOT" rev-parse --short HEAD)" <<'PY'
import json, statistics, sys, datetime, platform, os
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out, n, runs, commit = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
groups = {}
for r in rows:
    key = (r["run"]["conc"], r["shards"], r["batch"], r["memtable"])
    groups.setdefault(key, []).append(r["run"])
table = []
for (conc, shards, batch, mt), rs in sorted(groups.items()):
    e2e = statistics.median(x["e2e_msg_per_s"] for x in rs)
    p99 = statistics.median(x.get("intake_p99_us") or 0 for x in rs)
    table.append(dict(conc=conc, shards=shards, batch=batch, memtable=mt, e2e=e2e, p99=p99))
cpus = os.cpu_count()
default = lambda t: t["shards"] == cpus and t["batch"] == 1024 and t["memtable"] == 256
lines = [f"# Sweep results\n",
         f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, commit {commit}, {cpus} CPUs, `bash tuning/sweep.sh` "
         f"(N = {n} per run, {runs} run(s) per setting, medians; e2e = loadgen start to the sink's last message; "
         f"p99 = intake latency, end of DATA to `250`). The defaults are shards = 0 (= {cpus}), "
         f"max_commit_batch = 1024, memtable_budget_mb = 256. Ratios are within this one run. "
         "Runs on a shared 2-vCPU machine vary by up to ±20 % between identical runs (bench/RESULTS.md §5): "
         "treat differences below that as noise and re-run with RUNS=5 before changing a default.\n",
         "| client conns | shards | max_commit_batch | memtable MiB | e2e msg/s | intake p99 µs |",
         "|---|---|---|---|---|---|"]
for t in table:
    mark = " (default)" if default(t) else ""
    lines.append(f"| {t['conc']} | {t['shards']} | {t['batch']} | {t['memtable']}{mark} | {t['e2e']:.0f} | {t['p99']:.0f} |")
lines.append("\n## Best per profile\n")
for conc in sorted({t["conc"] for t in table}):
    ts = [t for t in table if t["conc"] == conc]
    base = next((t for t in ts if default(t)), None)
    fast = max(ts, key=lambda t: t["e2e"]); quick = min(ts, key=lambda t: t["p99"] or 1e18)
    small = max((t for t in ts if t["memtable"] == min(x["memtable"] for x in ts)), key=lambda t: t["e2e"])
    def gain(t, k, better_high=True):
        if not base or not base[k]: return "n/a"
        r = t[k] / base[k]
        return f"{(r - 1) * 100:+.0f} % vs default" if better_high else f"{(1 - r) * 100:+.0f} % lower than default"
    lines.append(f"* {conc} client connections — throughput: shards {fast['shards']}, batch {fast['batch']}, memtable {fast['memtable']} "
                 f"→ {fast['e2e']:.0f} msg/s ({gain(fast, 'e2e')}); latency: shards {quick['shards']}, batch {quick['batch']}, "
                 f"memtable {quick['memtable']} → p99 {quick['p99']:.0f} µs ({gain(quick, 'p99', False)}); small-memory "
                 f"(smallest memtable): shards {small['shards']}, batch {small['batch']} → {small['e2e']:.0f} msg/s ({gain(small, 'e2e')}).")
open(out, "w").write("\n".join(lines) + "\n")
print(open(out).read())
PY
