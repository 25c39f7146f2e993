"""A second failed recipient: for every dev message whose parse names exactly one recipient R
from its text (no delivery-status part), the text paragraph holding R is repeated right below
it with R replaced by another address. The report then names both, with the same status,
wherever the parser reads per-address paragraphs; `lost` and `missed` count where it does not.

    python3 engine/bounce/perturb/second_recipient.py PARSE_FILES_BINARY [OUT]
"""
import email, email.policy, os, sys
from io import BytesIO
from email import generator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parsed import parse_files  # noqa: E402
BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/perturb"
SRC = os.path.join(OUT, "identity")
DST = os.path.join(OUT, "second_recipient")
R2 = "second.person@another-dest.example"


def parse(files):
    return parse_files(BIN, files)


files = [os.path.join(r, f) for r, _, fs in os.walk(SRC) for f in fs]
base = parse(files)
made = {}
for path, (kind, named) in base.items():
    if kind != "non_standard" or len(named) != 1:
        continue
    (r1, status), = named.items()
    msg = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.compat32)
    done = False
    for p in msg.walk():
        if done or p.get_content_type() != "text/plain" or p.is_multipart() or p.get_filename():
            continue
        raw = p.get_payload(decode=True)
        if raw is None:
            continue
        t = raw.decode("utf-8", "replace")
        paras = t.split("\n\n")
        for i, para in enumerate(paras):
            if r1 in para.lower():
                low = para.lower()
                at = low.index(r1)
                copy = para[:at] + R2 + para[at + len(r1):]
                paras.insert(i + 1, copy)
                done = True
                break
        if done:
            del p["Content-Transfer-Encoding"]
            p["Content-Transfer-Encoding"] = "8bit"
            p.set_payload("\n\n".join(paras).encode("utf-8"), "utf-8")
    if not done:
        continue
    rel = os.path.relpath(path, SRC)
    out = os.path.join(DST, rel)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    b = BytesIO()
    generator.BytesGenerator(b, mangle_from_=False, maxheaderlen=0).flatten(msg)
    open(out, "wb").write(b.getvalue())
    made[out] = (r1, status)

got = parse(list(made))
counts = {}
lines = []
for out, (r1, status) in sorted(made.items()):
    kind, named = got.get(out, ("?", {}))
    if named.get(r1) == status and named.get(R2) == status and len(named) == 2:
        c = "both"
    elif r1 not in named:
        c = "lost"
    elif R2 not in named:
        c = "missed"
    else:
        c = "status"
    counts[c] = counts.get(c, 0) + 1
    if c != "both":
        lines.append(f"{c} {os.path.relpath(out, DST)}: {r1} {status} -> {named}")
open(os.path.join(OUT, "second_recipient.changes"), "w").write("\n".join(lines) + "\n")
print("second_recipient", counts)
