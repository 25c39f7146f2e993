"""Agreement of the second, blind status reading with the first labels
(corpora/*/labels.jsonl). dev.jsonl and held-out.jsonl are the ninth round's reading of the
corpora it had; later-corpora.jsonl is the thirty-sixth round's reading of every labelled
status added since (both splits in one file, split by `corpora::split_of`).
Run from engine/bounce: python3 second-reading/agreement.py"""
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



def split_of(path):
    """The split of `path`, as `corpora::split_of` computes it (FNV-1a, one in three held out)."""
    h = 0xCBF29CE484222325
    for b in path.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "held-out" if h % 3 == 0 else "dev"


def readings(split):
    for line in open(os.path.join("second-reading", split + ".jsonl")):
        yield json.loads(line)
    for line in open(os.path.join("second-reading", "later-corpora.jsonl")):
        r = json.loads(line)
        if split_of(r["path"]) == split:
            yield r


for split in ("dev", "held-out"):
    n = same = meet = primary_ok = 0
    disjoint = []
    for r in readings(split):
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
