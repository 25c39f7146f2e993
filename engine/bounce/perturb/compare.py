"""Parses the copies `perturb.py` wrote with the `parse_files` example and, per transform, counts
the messages whose failed recipients changed against the unperturbed (`identity`) copy: `same`,
`status` (same recipients, another status), `lost` (nobody named any more), `names` (other
recipients), `new` (a message that named nobody now names someone: a precision loss), `kind`
(nobody named either way, another kind: an auto-reply or a DMARC report no longer recognised). Lists
the changed ones in OUT/<transform>.changes.

    cargo build --release -p hikyaku-bounce --example parse_files
    python3 engine/bounce/perturb/compare.py PARSE_FILES_BINARY [OUT]
"""
import os, re, subprocess, sys

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/perturb"


def run(d):
    files = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
    res = {}
    for i in range(0, len(files), 400):
        out = subprocess.run([BIN] + files[i:i + 400], capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.match(r"(\S+): (\S+) \[(.*?)\] mentioned", line)
            if m:
                named = dict(x.rsplit(" -> ", 1) for x in m.group(3).split(", ") if x)
                res[os.path.relpath(m.group(1), d)] = (m.group(2), named)
    return res


base = run(os.path.join(OUT, "identity"))
for t in sorted(os.listdir(OUT)):
    if t == "identity" or not os.path.isdir(os.path.join(OUT, t)):
        continue
    counts, changes = {}, []
    for k, (kind, named) in sorted(run(os.path.join(OUT, t)).items()):
        if k not in base:
            continue
        bkind, bnamed = base[k]
        if named == bnamed and (named or kind == bkind):
            c = "same"
        elif named == bnamed:
            c = "kind"
        elif not bnamed:
            c = "new"
        elif not named:
            c = "lost"
        elif set(named) == set(bnamed):
            c = "status"
        else:
            c = "names"
        counts[c] = counts.get(c, 0) + 1
        if c != "same":
            changes.append(f"{c} {k}: {bkind} {bnamed} -> {kind} {named}")
    with open(os.path.join(OUT, t + ".changes"), "w") as f:
        f.write("\n".join(changes) + "\n")
    print(t, counts)
