"""Every non-ASCII row of `tests/data/localized_replies.tsv` as a text-only report, once in UTF-8
and again in each legacy charset that can hold it (ISO-8859-x, windows-125x, KOI8-R, GB2312, GBK,
GB18030, Big5, EUC-KR, Shift_JIS, ISO-2022-JP, EUC-JP, TIS-620, UTF-16), each in 8bit,
quoted-printable and base64. A report must read the same whatever charset and transfer encoding
carry it: prints, per charset, the copies whose kind, recipients or status differ from the UTF-8
copy's, and a few of them.

    cargo build --release -p hikyaku-bounce --example parse_files
    python3 engine/bounce/perturb/legacy_charsets.py PARSE_FILES_BINARY [OUT]
"""
import base64, collections, os, quopri, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parsed import parse_files  # noqa: E402

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/legacy_charsets"
TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "localized_replies.tsv")
CHARSETS = ["iso-8859-1", "iso-8859-15", "windows-1252", "iso-8859-2", "windows-1250", "koi8-r",
            "windows-1251", "iso-8859-5", "iso-8859-7", "windows-1253", "iso-8859-9", "windows-1254",
            "iso-8859-8", "windows-1255", "windows-1256", "tis-620", "windows-1258", "gb2312", "gbk",
            "gb18030", "big5", "euc-kr", "shift_jis", "iso-2022-jp", "euc-jp", "utf-16"]
HEAD = ("From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>\nTo: sender@example.org\n"
        "Subject: Returned mail\nMIME-Version: 1.0\nContent-Type: text/plain; charset={cs}\n"
        "Content-Transfer-Encoding: {cte}\n\n")
ENCODE = {"8bit": lambda b: b, "quoted-printable": quopri.encodestring, "base64": base64.encodebytes}

os.makedirs(OUT, exist_ok=True)
rows = [line.rstrip("\n").split("\t", 1) for line in open(TSV, encoding="utf-8")
        if line.strip() and not line.startswith("#")]
made = {}
for i, (_, text) in enumerate(rows):
    if text.isascii():
        continue
    body = "Your message could not be delivered to user@example.com.\n\n" + text + "\n"
    for cs in ["utf-8"] + CHARSETS:
        try:
            raw = body.encode(cs)
        except UnicodeEncodeError:
            continue
        # UTF-16 is not 8-bit text: only base64 carries it.
        for cte in ["base64"] if cs == "utf-16" else (["8bit"] if cs == "utf-8" else list(ENCODE)):
            path = os.path.join(OUT, f"r{i:03d}.{cs}.{cte}.eml")
            open(path, "wb").write(HEAD.format(cs=cs, cte=cte).encode() + ENCODE[cte](raw))
            made[path] = (i, cs)

got = parse_files(BIN, list(made))
ref = {i: got.get(p) for p, (i, cs) in made.items() if cs == "utf-8"}
total, differ = collections.Counter(), collections.Counter()
for path, (i, cs) in sorted(made.items()):
    if cs == "utf-8":
        continue
    total[cs] += 1
    if got.get(path) != ref.get(i):
        differ[cs] += 1
        if differ[cs] <= 3:
            print(f"  {os.path.basename(path)}: {rows[i][1]!r}: {got.get(path)} (UTF-8: {ref.get(i)})")
for cs in CHARSETS:
    if total[cs]:
        print(f"{cs:14} differ {differ[cs]:3} of {total[cs]}")
print(f"all            differ {sum(differ.values())} of {sum(total.values())}")
