#!/usr/bin/env python3
"""End-to-end check of hikyaku-provider-sim with Python's smtplib: per-source-IP rate limit
(421 4.7.28 and close), block at the greeting after repeated throttles, 550 5.1.1 for unknown
users, the connection cap, and the counts in the stats file and the exit summary.

Usage: python3 bench/provider-sim-check.py [BIN_DIR]   (default: $CARGO_TARGET_DIR/debug)
Exits non-zero with a message on the first check that fails.
"""
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("CARGO_TARGET_DIR", "target"), "debug")
PORT = 2781
A, B = "127.0.1.11", "127.0.1.12"


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")
    print(f"ok: {what}")


def smtp(source):
    s = smtplib.SMTP(timeout=10, source_address=(source, 0))
    s.connect("127.0.2.11", PORT)
    return s


def send(s, rcpt="user@d1.sim.test"):
    """MAIL/RCPT/DATA one by one; the first non-2xx/3xx reply as (code, text), else None."""
    s.ehlo("check.test")
    code, text = s.mail("from@check.test")
    if code != 250:
        return code, text.decode()
    code, text = s.rcpt(rcpt)
    if code != 250:
        s.rset()
        return code, text.decode()
    code, text = s.data(b"Subject: x\r\n\r\nhello\r\n")
    return (None if code == 250 else (code, text.decode()))


def greeting(source):
    with socket.create_connection(("127.0.2.12", PORT), timeout=10, source_address=(source, 0)) as c:
        return c.recv(4096).decode()


def main():
    tmp = tempfile.mkdtemp()
    stats = os.path.join(tmp, "sim.json")
    sim = subprocess.Popen(
        [os.path.join(BIN, "hikyaku-provider-sim"), "--listen", f"127.0.2.11:{PORT}",
         "--listen", f"127.0.2.12:{PORT}", "--rate", "4", "--window-secs", "3600", "--burst", "4",
         "--block-after", "2", "--block-secs", "600", "--max-connections", "2",
         "--stats-file", stats],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(stats):
                break
            time.sleep(0.05)
        s = smtp(A)
        check("PIPELINING" in s.ehlo("check.test")[1].decode(), "EHLO offers PIPELINING")
        check(send(s) is None and send(s) is None, "two messages accepted on one connection")
        code, text = send(s, "unknown7@d1.sim.test")
        check(code == 550 and text.startswith("5.1.1"), f"unknown user refused: {code} {text}")
        check(send(s) is None, "third message accepted (the 550 transaction took a token)")
        # The bucket of A (4 tokens) is empty now: three messages and the all-unknown
        # transaction; the next MAIL is throttled and the connection closed.
        code, text = send(s)
        check(code == 421 and "4.7.28" in text, f"over the rate: {code} {text[:40]}")
        try:
            s.noop()
            check(False, "connection closed after 421")
        except smtplib.SMTPServerDisconnected:
            check(True, "connection closed after 421")
        # Another source IP has its own bucket.
        t = smtp(B)
        check(send(t) is None, "another source IP is not limited by the first")
        # Two more throttles for A: more than --block-after 2, so A is blocked.
        for _ in range(2):
            code, _ = send(smtp(A))
            check(code == 421, "throttled again")
        g = greeting(A)
        check(g.startswith("421 4.7.0 [TS03]") and "blocked" in g, f"blocked at the greeting: {g.strip()}")
        # Connection cap for B: one open (t) + one more, the third is refused.
        u = smtp(B)
        g = greeting(B)
        check(g.startswith("421 4.7.0 Too many"), f"connection cap: {g.strip()}")
        t.quit()
        u.quit()
        time.sleep(1.2)
        j = json.load(open(stats))
        a, b = j["ips"][A], j["ips"][B]
        check(a["messages"] == 3 and a["rcpts"] == 3, f"A: 3 messages in the stats file ({a['messages']})")
        check(a["unknown_users"] == 1 and a["throttled"] == 3, "A: 1 unknown user, 3 throttled")
        check(a["blocks"] == 1 and a["refused_blocked"] == 1, "A: blocked once, one greeting refused")
        check(b["messages"] == 1 and b["refused_too_many"] == 1, "B: 1 message, 1 refused over the cap")
        check(j["total"]["messages"] == 4 and sum(j["timeline"]) == 4, "totals and timeline")
    finally:
        sim.send_signal(signal.SIGTERM)
        out, _ = sim.communicate(timeout=10)
    final = json.loads(out.decode().strip().splitlines()[-1])
    check(final["total"]["messages"] == 4, "summary printed at SIGTERM")
    print("all checks passed")


if __name__ == "__main__":
    main()
