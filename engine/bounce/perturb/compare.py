"""Parses the copies `perturb.py` wrote with the `parse_files` example and, per transform, counts
the messages whose failed recipients changed against the unperturbed (`identity`) copy: `same`,
`status` (same recipients, another status), `lost` (nobody named any more), `names` (other
recipients), `new` (a message that named nobody now names someone: a precision loss), `kind`
(nobody named either way, another kind: an auto-reply or a DMARC report no longer recognised). Lists
the changed ones in OUT/<transform>.changes.

    cargo build --release -p hikyaku-bounce --example parse_files
    python3 engine/bounce/perturb/compare.py PARSE_FILES_BINARY [OUT]
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parsed import parse_files  # noqa: E402

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/perturb"


def run(d):
    files = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs]
    return {os.path.relpath(p, d): v for p, v in parse_files(BIN, files).items()}


base = run(os.path.join(OUT, "identity"))
for t in sorted(os.listdir(OUT)):
    if t in ("identity", "second_recipient") or t.startswith("mixed_reasons") or not os.path.isdir(os.path.join(OUT, t)):
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
