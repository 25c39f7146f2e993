"""Copies messages with their top `From:` (and, with --subject, their `Subject:`) replaced, byte
for byte otherwise: ordinary mail made to come from a mail system's address, the precision check
of the eighteenth round (`RESULTS-rounds-11-18.md`). Nothing of such a copy states a failure, so every
recipient a parser names there is a false one.

    python3 engine/bounce/perturb/as_mail_system.py LIST OUT [--subject "Undelivered Mail Returned to Sender"]
    cargo run --release -p hikyaku-bounce --example parse_digest -- OUT | grep -c "is_bounce: true"

LIST holds one path a line (the jwz hams: `dpkg -x` of Debian's
golang-github-gatherstars-com-jwz-dev, `find … -path '*ham*'`). `SENDER=…` in the environment
sets another sender ("MAILER-DAEMON@mx.example.net", "postmaster@example.net").
"""
import os, re, sys

SENDER = os.environ.get("SENDER", "Mail Delivery System <system@relay.unknown.example>").encode()


def replace_field(head, name, value):
    """The first `name:` field of the header block (with its folded lines) set to `value`."""
    pat = rb"(?im)^" + name + rb":[^\n]*(\n[ \t][^\n]*)*"
    new, n = re.subn(pat, name.capitalize() + b": " + value, head, count=1)
    return new if n else name.capitalize() + b": " + value + b"\n" + head


def main():
    args = sys.argv[1:]
    subject = None
    if "--subject" in args:
        at = args.index("--subject")
        subject = args[at + 1].encode()
        del args[at : at + 2]
    listing, out = args
    os.makedirs(out, exist_ok=True)
    for i, path in enumerate(open(listing).read().split()):
        raw = open(path, "rb").read()
        sep = re.search(rb"\r?\n\r?\n", raw)
        end = sep.start() if sep else len(raw)
        head, body = raw[:end], raw[end:]
        head = replace_field(head, b"from", SENDER)
        if subject is not None:
            head = replace_field(head, b"subject", subject)
        name = "%04d_%s" % (i, os.path.basename(path))
        with open(os.path.join(out, name), "wb") as f:
            f.write(head + body)


main()
