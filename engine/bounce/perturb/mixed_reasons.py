"""A second failed recipient with another cause: for every dev message whose parse names exactly
one recipient R from its text (no delivery-status part) with an unknown-user or full-mailbox
status, the text paragraph holding R is copied with R replaced by another address and its cause
swapped (unknown user <-> mailbox full, wording and codes both), the copy put below R's paragraph
(`below`) or above it (`above`). Each recipient's status must then come from its own paragraph:
R keeps its status, the new address gets the swapped cause's. `mixed` counts where a status
crossed over, `lost` and `missed` where a recipient was no longer named.

    python3 engine/bounce/perturb/mixed_reasons.py PARSE_FILES_BINARY [OUT]
"""
import email, email.policy, os, re, sys
from io import BytesIO
from email import generator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parsed import parse_files  # noqa: E402

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/perturb"
SRC = os.path.join(OUT, "identity")
R2 = "other.person@another-dest.example"

# (wording, its replacement) per direction; codes are swapped with them.
TO_FULL = [
    (r"user unknown|unknown user|no such user|user not found|unknown recipient|recipient unknown|"
     r"no such (?:mailbox|recipient|address)|(?:mailbox|address|account|user|recipient)"
     r"(?: \S+)? (?:does not|doesn't) exist|invalid (?:recipient|mailbox|address)|"
     r"mailbox not found|mailbox unavailable|address (?:couldn't|could not) be found",
     "mailbox is full and over quota"),
    (r"\b550([ -])", r"552\1"), (r"\b5\.1\.1\b", "5.2.2"),
]
TO_UNKNOWN = [
    (r"mailbox (?:is )?full|over ?quota|quota exceeded|exceeded (?:the|his|her|its) (?:storage|quota)"
     r"|disk quota|mailbox size limit", "user unknown (no such user)"),
    (r"\b552([ -])", r"550\1"), (r"\b5\.2\.2\b", "5.1.1"), (r"\b4\.2\.2\b", "5.1.1"),
]
# Words that still speak of the original cause after the swap: such a copy says both causes
# and is left out.
LEFT_UNKNOWN = r"unknown|not exist|n't exist|not found|no such|not recogni[sz]ed|invalid|not listed|address not"
LEFT_FULL = r"\bfull\b|quota|storage|size limit|capacity"
SWAPS = {"2": (TO_FULL, "5", LEFT_UNKNOWN), "5": (TO_UNKNOWN, "2", LEFT_FULL)}


def swap(para, rules, left):
    """The paragraph with its cause swapped, or None when its wording names none of `rules` or
    still speaks of the original cause."""
    wording, *codes = rules
    new, n = re.subn(wording[0], wording[1], para, flags=re.I)
    if not n or re.search(left, new.replace(wording[1], ""), re.I):
        return None
    for pat, rep in codes:
        new = re.sub(pat, rep, new)
    return new


def perturb(path, r1, rules, left, above):
    msg = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.compat32)
    for p in msg.walk():
        if p.get_content_type() != "text/plain" or p.is_multipart() or p.get_filename():
            continue
        raw = p.get_payload(decode=True)
        if raw is None:
            continue
        paras = raw.decode("utf-8", "replace").split("\n\n")
        for i, para in enumerate(paras):
            low = para.lower()
            if r1 not in low:
                continue
            at = low.index(r1)
            copy = swap(para[:at] + R2 + para[at + len(r1):], rules, left)
            if copy is None or r1 in copy.lower():
                return None
            paras.insert(i if above else i + 1, copy)
            del p["Content-Transfer-Encoding"]
            p["Content-Transfer-Encoding"] = "8bit"
            p.set_payload("\n\n".join(paras).encode("utf-8"), "utf-8")
            b = BytesIO()
            generator.BytesGenerator(b, mangle_from_=False, maxheaderlen=0).flatten(msg)
            return b.getvalue()
        return None
    return None


files = [os.path.join(r, f) for r, _, fs in os.walk(SRC) for f in fs]
made = {}
for path, (kind, named) in parse_files(BIN, files).items():
    if kind != "non_standard" or len(named) != 1:
        continue
    (r1, status), = named.items()
    if status not in SWAPS:
        continue
    rules, want, left = SWAPS[status]
    for place in ("below", "above"):
        data = perturb(path, r1, rules, left, place == "above")
        if data is None:
            continue
        out = os.path.join(OUT, "mixed_reasons_" + place, os.path.relpath(path, SRC))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        open(out, "wb").write(data)
        made[out] = (place, r1, status, want)

got = parse_files(BIN, list(made))
counts, lines = {}, []
for out, (place, r1, status, want) in sorted(made.items()):
    kind, named = got.get(out, ("?", {}))
    if r1 not in named:
        c = "lost"
    elif R2 not in named:
        c = "missed"
    elif named[r1] == status and named[R2] == want:
        c = "apart"
    else:
        c = "mixed"
    counts.setdefault(place, {})[c] = counts.setdefault(place, {}).get(c, 0) + 1
    if c != "apart":
        lines.append(f"{c} {place} {out}: {r1} {status}, {R2} {want} -> {named}")
open(os.path.join(OUT, "mixed_reasons.changes"), "w").write("\n".join(lines) + "\n")
for place, c in sorted(counts.items()):
    print("mixed_reasons", place, c)
