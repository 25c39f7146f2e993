"""Paraphrase probe: every labelled reply (the shared corpus's reply strings, the provider and
old-MTA tables) whose bare status is right, rewritten one substitution at a time with the groups
of tests/data/paraphrases.txt (and of EXTRA_GROUPS, a file of candidate groups in the same
format, to explore before a group joins the test); prints the rewrites whose status changes, and
a count per substitution. `tests/paraphrase.rs` is the CI form with the test's groups.

    cargo build --release -p hikyaku-bounce --example probe_replies
    python3 engine/bounce/perturb/paraphrase.py PROBE_REPLIES [EXTRA_GROUPS]
"""
import collections, json, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BOUNCE = os.path.normpath(os.path.join(HERE, ".."))
SHARED = os.path.normpath(os.path.join(BOUNCE, "..", "..", "..", "shared", "corpus", "bounces"))


def groups(path):
    return [l.split(" | ") for l in open(path).read().splitlines() if l.strip() and not l.startswith("#")]


def rows():
    out = []
    for line in open(os.path.join(SHARED, "smtp_reply_strings_labeled.jsonl")):
        d = json.loads(line)
        out.append((",".join(str(s) for s in d["engine_status_accept"]), d["text"].replace("\n", " ")))
    for f in ("provider_replies.tsv", "old_mta_replies.tsv"):
        for line in open(os.path.join(BOUNCE, "tests", "data", f)):
            if line.strip() and not line.startswith("#"):
                want, reply = line.rstrip("\n").split("\t", 1)
                out.append((want, reply))
    return out


def variants(text, gs):
    low, seen = text.lower(), set()
    if len(low) != len(text):
        return
    for g in gs:
        for a in g:
            for m in re.finditer(r"(?<![a-z0-9])" + re.escape(a) + r"(?![a-z0-9])", low):
                for b in g:
                    v = text[: m.start()] + b + text[m.end():]
                    if b != a and v not in seen:
                        seen.add(v)
                        yield f"{a} -> {b}", v


def wrong(probe, lines):
    """the (want, reply) rows the probe classifies outside `want`, as a set of replies"""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("".join(f"{w}\t{r}\n" for w, r in lines))
    out = subprocess.run([probe, f.name], capture_output=True, text=True).stdout
    os.unlink(f.name)
    bad = {}
    for l in out.splitlines():
        m = re.match(r"got\s+(\d+) \(\w+, phrase (.*)\) want (\S+)\s+(.*)$", l)
        if m:
            bad[m.group(4)] = (m.group(1), m.group(3))
    return bad


probe = sys.argv[1]
gs = groups(os.path.join(BOUNCE, "tests", "data", "paraphrases.txt"))
if len(sys.argv) > 2:
    gs += groups(sys.argv[2])
rs = rows()
bare_wrong = wrong(probe, rs)
gen = [(w, how, v) for w, r in rs if r not in bare_wrong for how, v in variants(r, gs)]
bad = wrong(probe, [(w, v) for w, how, v in gen])
per = collections.Counter()
for w, how, v in gen:
    if v in bad:
        per[how] += 1
        print(f"[{how}] got {bad[v][0]} want {w}: {v[:200]}")
print(f"{len(bad)} of {len(gen)} rewrites change status")
for how, n in per.most_common():
    print(f"{n:5} {how}")
