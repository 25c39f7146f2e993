"""Agreement of the second, blind status reading (dev.jsonl, held-out.jsonl) with the
first labels (corpora/*/labels.jsonl). Run from engine/bounce: python3 second-reading/agreement.py"""
import collections, json, os

first = {}
for c in os.listdir("corpora"):
    path = os.path.join("corpora", c, "labels.jsonl")
    if not os.path.exists(path):
        continue
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            for rcpt in r.get("recipients", []):
                first[(c, r["path"], rcpt.lower())] = r.get("status", [])

for split in ("dev", "held-out"):
    n = same = meet = primary_ok = 0
    disjoint = []
    for line in open(os.path.join("second-reading", split + ".jsonl")):
        r = json.loads(line)
        a, b = first[(r["corpus"], r["path"], r["recipient"].lower())], r["status"]
        n += 1
        same += set(a) == set(b)
        meet += bool(set(a) & set(b))
        primary_ok += bool(b) and b[0] in a
        if not set(a) & set(b):
            disjoint.append((r["corpus"], r["path"], r["recipient"], a, b))
    print(f"{split}: {n} recipients, identical sets {same}, sets that meet {meet}, "
          f"second reader's first status accepted by the first label {primary_ok}")
    for d in disjoint:
        print("  disjoint:", *d)
