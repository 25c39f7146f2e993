"""Mutation fuzzing of the bounce parser through the `parse_files` example, on a machine with
no nightly toolchain for cargo-fuzz: for SECONDS, takes dev-side messages (the imported
corpora's dev split and the shared corpus; held-out files are never read), mutates each the ways
broken mail is broken (bytes flipped, ranges cut, doubled or spliced from another message, a
line repeated thousands of times, a line of 100 KB, NULs and bare CRs, MIME boundaries and
headers damaged, the message cut short), and parses them in batches. Reports any panic (the
process failing) and any message that takes over SLOW seconds on its own. Exits 1 on either.

    cargo build --release -p hikyaku-bounce --example parse_files
    python3 engine/bounce/perturb/mutfuzz.py PARSE_FILES_BINARY SECONDS SEED
"""
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOTS = [
    os.path.normpath(os.path.join(HERE, "..", "corpora")),
    os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "bounces", "maildir")),
]
BATCH = 200
SLOW = 1.0


def fnv(p):
    h = 0xCBF29CE484222325
    for b in p.encode():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def dev_files():
    """Message files of the dev side, split as `corpora.rs` splits them: a corpus file whose
    path inside its corpus folder hashes (FNV-1a 64) to 0 mod 3 is held out and never read."""
    out = []
    for root in ROOTS:
        for d, _, fs in os.walk(root):
            for f in fs:
                p = os.path.join(d, f)
                if "/mac/" in p or f in ("LICENSE", "SOURCE.md", "labels.jsonl") or f.endswith(".md"):
                    continue
                if root.endswith("corpora"):
                    sub = os.path.relpath(p, root).split("/", 1)[1]
                    if fnv(sub) % 3 == 0:
                        continue
                out.append(p)
    return sorted(out)


def mutate(rng, raw, other):
    """One to four mutations of `raw`; `other` is another message to splice from."""
    b = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        n = len(b)
        op = rng.randrange(12)
        i = rng.randrange(n + 1) if n else 0
        j = min(n, i + rng.randint(1, 4096))
        if op == 0 and n:
            for _ in range(rng.randint(1, 64)):
                k = rng.randrange(n)
                b[k] = rng.randrange(256)
        elif op == 1:
            del b[i:j]
        elif op == 2:
            b[i:i] = b[i:j] * rng.randint(2, 50)
        elif op == 3:
            k = rng.randrange(len(other) + 1)
            b[i:i] = other[k:k + rng.randint(1, 8192)]
        elif op == 4:
            line = bytes(b[i:j]).split(b"\n")[0] or b"550 5.1.1 <a@b.example>: user unknown"
            b[i:i] = (line + b"\n") * rng.randint(1000, 20000)
        elif op == 5:
            b[i:i] = bytes([rng.choice(b"a:<@>=;( ")]) * rng.randint(10_000, 200_000)
        elif op == 6:
            b[i:i] = rng.choice([b"\0", b"\r", b"\r\r\n", b"\n\n", b"\x1b$B", b"=?", b"=\n", b"--", b"\xff\xfe"]) * rng.randint(1, 500)
        elif op == 7:
            b = b.replace(b"boundary=", rng.choice([b"boundary=\"\"", b"boundary=;", b"b="]), 1)
        elif op == 8:
            b = b[: rng.randrange(n + 1)]
        elif op == 9:
            hdr = rng.choice([b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\n",
                              b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
                              b"Content-Type: text/plain; charset=iso-2022-jp\n", b"Final-Recipient: rfc822;\n",
                              b"Action: failed\nStatus: 5.\n", b"Subject: =?utf-8?B?////?=\n"])
            b[i:i] = hdr
        elif op == 10:
            b = b.replace(b"\n", b"\r\n") if rng.random() < 0.5 else b.replace(b"\r\n", b"\r")
        else:
            k = rng.randrange(n + 1)
            b[i:i] = b"<" + b"a" * rng.randint(1, 3000) + b"@" + b"b." * rng.randint(1, 3000) + b"x>"
            del b[k:k]
    return bytes(b)


def run(binary, paths):
    t = time.monotonic()
    p = subprocess.run([binary] + paths, capture_output=True)
    return p.returncode, p.stderr, time.monotonic() - t


def main():
    binary, seconds, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    msgs = [open(p, "rb").read() for p in dev_files()]
    end = time.monotonic() + seconds
    total, bad = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        batch_no = 0
        while time.monotonic() < end:
            paths = []
            for k in range(BATCH):
                path = os.path.join(tmp, f"{batch_no}-{k}.eml")
                with open(path, "wb") as f:
                    f.write(mutate(rng, rng.choice(msgs), rng.choice(msgs)))
                paths.append(path)
            code, err, took = run(binary, paths)
            total += BATCH
            if code != 0 or took > SLOW * 5:
                for p in paths:
                    c, e, t1 = run(binary, [p])
                    if c != 0 or t1 > SLOW:
                        bad += 1
                        keep = os.path.join(tempfile.gettempdir(), "mutfuzz-" + os.path.basename(p))
                        os.replace(p, keep)
                        what = e.decode(errors="replace").strip().splitlines()[-1:] if c else [f"{t1:.2f} s"]
                        print(f"{'panic' if c else 'slow'}: {keep}: {what}")
            for p in paths:
                if os.path.exists(p):
                    os.remove(p)
            batch_no += 1
    print(f"mutfuzz: {total} mutated messages from {len(msgs)} dev messages, seed {seed}: {bad} failing")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
