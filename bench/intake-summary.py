#!/usr/bin/env python3
"""Summarise intake-compare.sh's raw rows (JSON lines) as Markdown tables.

Usage: intake-summary.py RAW.jsonl      -> Markdown on stdout
       intake-summary.py --line < JSON  -> one-line digest of a loadgen --json result
"""
import json
import statistics
import sys


def digest(r):
    lat = r.get("latency_us", {})
    s = f"{r.get('accepted')} accepted, {r.get('msg_per_s', 0):.0f} msg/s, p50/p99 {lat.get('p50')}/{lat.get('p99')} us"
    if r.get("rejected") or r.get("errors"):
        s += f", rejected {r.get('rejected')} errors {r.get('errors')}"
    if r.get("problems"):
        s += f" PROBLEMS: {r['problems'][:2]}"
    return s


def med(v):
    return statistics.median(v) if v else None


def ms(us):
    return "-" if us is None else (f"{us / 1000:.2f}" if us < 10000 else f"{us / 1000:.0f}")


def num(x):
    return "-" if x is None else f"{x:,.0f}"


def main(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    groups = {}
    for r in rows:
        groups.setdefault((r["size"], r["rcpt"], r["conc"]), {}).setdefault(r["system"], []).append(r)

    def ok(rs):
        for r in rs:
            res = r["result"]
            if r["rc"] != 0 or res.get("accepted") != r["n"]:
                return False
            if r["system"] == "postfix" and r["held"] not in ("", str(r["n"])):
                return False
        return True

    def stat(rs, key):
        if not rs:
            return None
        if key == "rate":
            return med([r["result"].get("msg_per_s", 0) for r in rs])
        return med([r["result"].get("latency_us", {}).get(key, 0) for r in rs])

    print("## Summary (median of runs; latency = end of DATA written -> 250 read, ms)\n")
    print("| size | rcpt | conc | ceiling msg/s | postfix msg/s | hikyakud msg/s | hikyakud/postfix | hikyakud % of ceiling | hikyakud p50/p99/p999 ms | postfix p99 ms | checks |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (size, rcpt, conc) in sorted(groups):
        g = groups[(size, rcpt, conc)]
        c, p, h = (g.get(s, []) for s in ("ceiling", "postfix", "hikyakud"))
        cr, pr, hr = stat(c, "rate"), stat(p, "rate"), stat(h, "rate")
        ratio = f"{hr / pr:.2f}x" if hr and pr else "-"
        pct = f"{100 * hr / cr:.0f} %" if hr and cr else "-"
        hl = "/".join(ms(stat(h, k)) for k in ("p50", "p99", "p999")) if h else "-"
        checks = ", ".join(f"{s}: {'ok' if ok(rs) else 'CHECK'}" for s, rs in g.items())
        print(f"| {size // 1024} KB | {rcpt} | {conc} | {num(cr)} | {num(pr)} | {num(hr)} | {ratio} | {pct} | {hl} | {ms(stat(p, 'p99')) if p else '-'} | {checks} |")

    print("\n## Detail per system\n")
    print("| system | size | rcpt | conc | runs | msg/s median (min-max) | rcpt/s | p50 / p90 / p99 / p999 / max ms | cpu % (both cores) | ok |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    order = {"ceiling": 0, "postfix": 1, "hikyakud": 2}
    for (size, rcpt, conc) in sorted(groups):
        for sysname, rs in sorted(groups[(size, rcpt, conc)].items(), key=lambda kv: order.get(kv[0], 9)):
            rates = [r["result"].get("msg_per_s", 0) for r in rs]
            rps = med([r["result"].get("rcpt_per_s", 0) for r in rs])
            lat = " / ".join(ms(stat(rs, k)) for k in ("p50", "p90", "p99", "p999", "max"))
            cpu = med([r["cpu"] for r in rs])
            print(f"| {sysname} | {size // 1024} KB | {rcpt} | {conc} | {len(rs)} | {num(med(rates))} ({num(min(rates))}-{num(max(rates))}) | "
                  f"{num(rps)} | {lat} | {cpu:.0f} | {'ok' if ok(rs) else 'CHECK'} |")
    problems = [(r["system"], r["size"], r["rcpt"], r["conc"], p) for r in rows for p in r["result"].get("problems", [])]
    if problems:
        print("\n## Problems reported by loadgen (first 10)\n")
        for p in problems[:10]:
            print(f"- {p[0]} size={p[1]} rcpt={p[2]} conc={p[3]}: {p[4]}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--line":
        print(digest(json.load(sys.stdin)))
    else:
        main(sys.argv[1])
