"""Puts every labelled reply wording (the shared corpus's reply strings and the tests' provider
and old-MTA tables) into the layouts of common mail systems, as their reports carry a remote
server's reply, and lists the pairs whose whole-message status differs from the reply's own:
what the reply says must survive the report around it (the template's own words, the DSN
fields it adds, where it puts the reply).

    cargo build --release -p hikyaku-bounce --example parse_files --example probe_replies
    python3 engine/bounce/perturb/embed_replies.py PARSE_FILES_BIN PROBE_REPLIES_BIN [OUT]

Writes OUT/<layout>/<n>.eml (default /tmp/embed) and prints, per layout, the rows right as a
bare reply and wrong in the layout (`lost`), and the reverse (`gained`).
"""
import json, os, re, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parsed import parse_files  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "bounces"))
BIN, PROBE = sys.argv[1], sys.argv[2]
OUT = sys.argv[3] if len(sys.argv) > 3 else "/tmp/embed"
ADDR = "rcpt@dest.example"


def rows():
    out = []
    for line in open(os.path.join(SHARED, "smtp_reply_strings_labeled.jsonl")):
        d = json.loads(line)
        out.append(({int(s) for s in d["engine_status_accept"]}, d["text"]))
    for f in ("provider_replies.tsv", "old_mta_replies.tsv", "localized_replies.tsv"):
        for line in open(os.path.join(HERE, "..", "tests", "data", f)):
            if line.strip() and not line.startswith("#"):
                want, reply = line.rstrip("\n").split("\t", 1)
                out.append(({int(s) for s in want.split(",")}, reply))
    return out


EMAIL = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+")
ENH = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
HEAD = (
    "From: Mail Delivery System <MAILER-DAEMON@mail.sender.example>\n"
    "To: app@sender.example\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n"
    "Message-ID: <report-1@mail.sender.example>\nMIME-Version: 1.0\n"
)
ORIGINAL = (
    "From: app@sender.example\nTo: " + ADDR + "\nSubject: Your order\n"
    "Message-ID: <orig-1@sender.example>\nDate: Tue, 01 Dec 2026 08:59:00 +0000\n"
)


def placeholders(reply):
    """The reply's addresses made the layout's: the sender's where the reply names the sender
    (`MAIL FROM:<a>`, "sender address a"), a forwarding target after "try", else the recipient."""
    def sub(m):
        before = reply[max(0, m.start() - 40):m.start()].lower()
        if "from" in before or "sender" in before:
            return "app@sender.example"
        if "try" in before:
            return "new@other.example"
        return ADDR
    return EMAIL.sub(sub, reply)


def status_of(reply):
    m = ENH.search(reply)
    if m:
        return m.group(0)
    return "4.0.0" if reply.lstrip().startswith("4") else "5.0.0"


def plain(subject, body):
    return HEAD + f"Subject: {subject}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"


def postfix_text(reply):
    return (
        "This is the mail system at host mail.sender.example.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n\n"
        "For further assistance, please send mail to postmaster.\n\n"
        "If you do so, please include this problem report. You can\n"
        "delete your own text from the attached returned message.\n\n"
        "                   The mail system\n\n"
        f"<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n"
        "    command)\n"
    )


def wrapped(text, first, rest="    ", width=78):
    """`text` folded at word boundaries the way Postfix folds its report lines and DSN fields."""
    import textwrap
    return "\n".join(textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                                    break_long_words=False, break_on_hyphens=False))


def postfix_wrapped(reply):
    return postfix_text(reply).replace(
        f"<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n    command)\n",
        wrapped(f"host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO command)", f"<{ADDR}>: ") + "\n",
    )


def postfix_dsn_wrapped(reply):
    b = "B0UND"
    diag = wrapped(f"smtp; {reply}", "Diagnostic-Code: ", "    ")
    return (
        HEAD + "Subject: Undelivered Mail Returned to Sender\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\n\n"
        f"--{b}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n\n"
        + postfix_wrapped(reply)
        + f"\n--{b}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mail.sender.example\n\n"
        f"Final-Recipient: rfc822; {ADDR}\nAction: failed\n"
        f"Status: {status_of(reply)}\nRemote-MTA: dns; mx.dest.example\n{diag}\n"
        f"\n--{b}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        + ORIGINAL + f"\n--{b}--\n"
    )


def postfix_plain(reply):
    """Postfix's folded notification as a whole message, text alone (no DSN part)."""
    return plain("Undelivered Mail Returned to Sender", postfix_wrapped(reply))


def exchange2003(reply):
    return plain(
        "Undeliverable: Your order",
        "Your message did not reach some or all of the intended recipients.\n\n"
        "      Subject:\tYour order\n      Sent:\t12/1/2026 8:59 AM\n\n"
        "The following recipient(s) cannot be reached:\n\n"
        f"      {ADDR} on 12/1/2026 9:00 AM\n            {reply}\n",
    )


def imail(reply):
    return plain(
        "Undeliverable Mail",
        "The following addresses had delivery problems:\n\n"
        f"<{ADDR}>\n  Permanent Failure: {reply}\n"
        "  Delivery last attempted at Tue, 01 Dec 2026 09:00:00 -0000\n\n"
        "------ Original message ------\n\n" + ORIGINAL + "\nHello\n",
    )


def yahoo(reply):
    return plain(
        "Failure Notice",
        "Sorry, we were unable to deliver your message to the following address.\n\n"
        f"<{ADDR}>:\nRemote host said: {reply} [RCPT_TO]\n\n"
        "--- Below this line is a copy of the message.\n\n" + ORIGINAL + "\nHello\n",
    )


def multiline(reply, indent):
    """A reply sent as a multi-line SMTP reply (`550-5.1.1 …` lines, the last `550 5.1.1 …`),
    as Gmail and Microsoft send theirs; a reply without a leading code stays one line."""
    import textwrap
    m = re.match(r"([245]\d\d)[ -]((?:[245]\.\d{1,3}\.\d{1,3} )?)(.*)$", reply)
    if not m:
        return indent + reply
    code, enh, rest = m.groups()
    # Servers fold their replies between words, never inside a token.
    chunks = textwrap.wrap(rest, 40, break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(f"{indent}{code}{' ' if i == len(chunks) - 1 else '-'}{enh}{c}" for i, c in enumerate(chunks))


def qmail_multiline(reply):
    """qmail-remote writes each line of a multi-line reply on its own line."""
    return qmail(reply).replace(f"Remote host said: {reply}\n", "Remote host said: " + multiline(reply, "").lstrip() + "\n", 1)


def postfix_multiline(reply):
    """Postfix joins a multi-line reply's lines with spaces, then folds the paragraph."""
    joined = " ".join(multiline(reply, "").split("\n"))
    folded = wrapped(f"host mx.dest.example[192.0.2.25] said: {joined} (in reply to RCPT TO command)", f"<{ADDR}>: ")
    body = postfix_text(reply).replace(
        f"<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n    command)\n", folded + "\n")
    return plain("Undelivered Mail Returned to Sender", body)


def exim_multiline(reply):
    return exim(reply).replace(f"    {reply}\n", multiline(reply, "    ") + "\n", 1)


def html_escape(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def exchange_html(reply):
    """Exchange Online's NDR, sent as HTML only."""
    body = (
        "<html><head><title>Undeliverable</title></head><body>"
        "<table><tr><td><p><b><span style=\"color:#C00000\">Your message to "
        f"{ADDR} couldn't be delivered.</span></b></p></td></tr>"
        "<tr><td><p>There's a problem with the recipient's mailbox.</p></td></tr></table>"
        "<p><b>Diagnostic information for administrators:</b></p>"
        f"<p>Generating server: EX01.sender.example<br><br>{html_escape(ADDR)}<br>"
        f"Remote server returned '{html_escape(reply)}'<br><br>Original message headers:</p>"
        "<pre>" + html_escape(ORIGINAL) + "</pre></body></html>\n"
    )
    return HEAD + ("Subject: Undeliverable: Your order\nContent-Type: text/html; charset=utf-8\n"
                   "Content-Transfer-Encoding: 8bit\n\n" + body)


def dsn_generic(reply):
    """A DSN whose fields say only 5.0.0: the reply stands in the text part alone."""
    b = "B0UND"
    return (
        HEAD + "Subject: Delivery Status Notification (Failure)\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\n\n"
        f"--{b}\nContent-Type: text/plain; charset=utf-8\n\n"
        f"Delivery to the following recipient failed permanently:\n\n     {ADDR}\n\n"
        f"Technical details of permanent failure:\n{reply}\n"
        f"\n--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.sender.example\n\n"
        f"Final-Recipient: rfc822; {ADDR}\nAction: failed\nStatus: 5.0.0\n"
        f"\n--{b}\nContent-Type: text/rfc822-headers\n\n" + ORIGINAL + f"\n--{b}--\n"
    )


def sendmail_summary(reply):
    """Sendmail's transcript ends with its own line restating the reply for the address."""
    m = re.match(r"([245]\d\d)[ -]((?:[245]\.\d{1,3}\.\d{1,3} )?)(.*)$", reply)
    if not m:
        return sendmail(reply)
    code, enh, rest = m.groups()
    return sendmail(reply).replace(
        "\n\n   ----- Original message follows -----",
        f"\n{code} {enh}<{ADDR}>... {rest}\n\n   ----- Original message follows -----", 1)


def exchange_de(reply):
    return plain(
        "Unzustellbar: Ihre Bestellung",
        "Die Nachricht konnte nicht an folgende Empfänger oder Gruppen zugestellt werden:\n\n"
        f"{ADDR}\nBeim Zustellen der Nachricht an diese E-Mail-Adresse ist ein Problem aufgetreten. "
        "Versuchen Sie, die Nachricht erneut zu senden. Wenn das Problem weiterhin besteht, wenden "
        "Sie sich an Ihr Helpdesk.\n\n"
        "Diagnoseinformationen für Administratoren:\n\nGenerierender Server: ex01.sender.example\n\n"
        f"{ADDR}\nRemote Server returned '{reply}'\n\nUrsprüngliche Nachrichtenkopfzeilen:\n\n" + ORIGINAL,
    )


def postfix_dsn_local(reply):
    """Postfix's DSN for a failure of its own (`X-Postfix;` diagnostic type, no remote MTA)."""
    return postfix_dsn(reply).replace(f"Diagnostic-Code: smtp; {reply}", f"Diagnostic-Code: X-Postfix; {reply}").replace(
        "Remote-MTA: dns; mx.dest.example\n", "")


def postfix_dsn(reply):
    b = "B0UND"
    return (
        HEAD + "Subject: Undelivered Mail Returned to Sender\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\n\n"
        f"--{b}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + postfix_text(reply)
        + f"\n--{b}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mail.sender.example\nArrival-Date: Tue,  1 Dec 2026 08:59:00 +0000\n\n"
        f"Final-Recipient: rfc822; {ADDR}\nOriginal-Recipient: rfc822;{ADDR}\nAction: failed\n"
        f"Status: {status_of(reply)}\nRemote-MTA: dns; mx.dest.example\nDiagnostic-Code: smtp; {reply}\n"
        f"\n--{b}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        + ORIGINAL + f"\n--{b}--\n"
    )


def exim(reply):
    return plain(
        "Mail delivery failed: returning message to sender",
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        f"  {ADDR}\n    host mx.dest.example [192.0.2.25]\n"
        f"    SMTP error from remote mail server after RCPT TO:<{ADDR}>:\n    {reply}\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n" + ORIGINAL + "\nHello\n",
    )


def sendmail(reply):
    return plain(
        "Returned mail: see transcript for details",
        "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\n"
        "from localhost [127.0.0.1]\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        f"<{ADDR}>\n    (reason: {reply})\n\n"
        "   ----- Transcript of session follows -----\n"
        "... while talking to mx.dest.example.:\n"
        f">>> RCPT To:<{ADDR}>\n<<< {reply}\n\n"
        "   ----- Original message follows -----\n\n" + ORIGINAL + "\nHello\n",
    )


def qmail(reply):
    return plain(
        "failure notice",
        "Hi. This is the qmail-send program at mail.sender.example.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        f"<{ADDR}>:\n192.0.2.25 does not like recipient.\nRemote host said: {reply}\n"
        "Giving up on 192.0.2.25.\n\n"
        "--- Below this line is a copy of the message.\n\n" + ORIGINAL + "\nHello\n",
    )


def exchange(reply):
    return plain(
        "Undeliverable: Your order",
        "Delivery has failed to these recipients or groups:\n\n"
        f"{ADDR}\nA problem occurred during the delivery of this message to this e-mail address. "
        "Try sending this message again. If the problem continues, please contact your helpdesk.\n\n"
        "Diagnostic information for administrators:\n\nGenerating server: ex01.sender.example\n\n"
        f"{ADDR}\nmx.dest.example #{reply} ##\n\nOriginal message headers:\n\n" + ORIGINAL,
    )


def gmail(reply):
    return plain(
        "Delivery Status Notification (Failure)",
        "** Message not delivered **\n\n"
        f"There was a problem delivering your message to {ADDR}. See the technical details below.\n\n"
        f"The response from the remote server was:\n{reply}\n\n"
        "----- Original message -----\n\n" + ORIGINAL + "\nHello\n",
    )


def courier(reply):
    return plain(
        "DELIVERY FAILURE",
        "This is a delivery status notification from mail.sender.example,\n"
        "running the Courier mail server, version 1.1.\n\n"
        "The original message was received on Tue, 1 Dec 2026 08:59:00 +0000\n"
        "from [192.0.2.1]\n\n"
        "---------------------------------------------------------------------------\n\n"
        "                           UNDELIVERABLE MAIL\n\n"
        "Your message to the following recipients cannot be delivered:\n\n"
        f"<{ADDR}>:\n    mx.dest.example [192.0.2.25]:\n>>> RCPT TO:<{ADDR}>\n<<< {reply}\n\n"
        "---------------------------------------------------------------------------\n",
    )


def domino(reply):
    return plain(
        "DELIVERY FAILURE: " + reply[:60],
        f"Your message\n\n  Subject: Your order\n\nwas not delivered to:\n\n  {ADDR}\n\n"
        f"because:\n\n  {reply}\n",
    )


LAYOUTS = {f.__name__: f for f in (postfix_dsn, postfix_dsn_wrapped, postfix_text, postfix_wrapped, exim, sendmail, qmail,
                                    exchange, exchange2003, gmail, courier, domino, imail, yahoo,
                                    exim_multiline, exchange_html, dsn_generic, sendmail_summary, exchange_de,
                                    postfix_dsn_local, postfix_plain, qmail_multiline, postfix_multiline)}


def main():
    data = [(want, placeholders(reply)) for want, reply in rows()]
    tsv = os.path.join(OUT, "replies.tsv")
    os.makedirs(OUT, exist_ok=True)
    with open(tsv, "w") as o:
        for want, reply in data:
            o.write(",".join(map(str, sorted(want))) + "\t" + reply + "\n")
    bare_wrong = set()
    for line in subprocess.run([PROBE, tsv], capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"got\s+\d+ \(.*?\) want \S+\s+(.*)$", line)
        if m:
            bare_wrong.add(m.group(1))
    for name, make in LAYOUTS.items():
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        files = []
        for i, (_, reply) in enumerate(data):
            p = os.path.join(d, f"{i}.eml")
            open(p, "w").write(make(reply))
            files.append(p)
        got = parse_files(BIN, files)
        lost, gained, missing = [], [], 0
        for i, (want, reply) in enumerate(data):
            kind, named = got.get(files[i], ("?", {}))
            st = named.get(ADDR)
            if st is None:
                missing += 1
                lost.append((i, "-", want, reply))
                continue
            ok = int(st) in want
            if not ok and reply not in bare_wrong:
                lost.append((i, st, want, reply))
            elif ok and reply in bare_wrong:
                gained.append((i, st, want, reply))
        print(f"{name}: {len(data)} rows, not named {missing}, lost {len(lost)}, gained {len(gained)}")
        with open(os.path.join(OUT, name + ".lost"), "w") as o:
            for i, st, want, reply in lost:
                o.write(f"{i}\tgot {st}\twant {','.join(map(str, sorted(want)))}\t{reply}\n")


main()


# Two recipients in one report, each with its own reply: each must keep its own status.
ADDR2 = "other@dest2.example"


def pair_postfix_dsn(r1, r2):
    b = "B0UND"
    text = "".join(
        f"<{a}>: host mx.{a.split('@')[1]}[192.0.2.25] said: {r} (in reply to RCPT TO command)\n\n"
        for a, r in ((ADDR, r1), (ADDR2, r2)))
    fields = "".join(
        f"\nFinal-Recipient: rfc822; {a}\nAction: failed\nStatus: {status_of(r)}\n"
        f"Diagnostic-Code: smtp; {r}\n" for a, r in ((ADDR, r1), (ADDR2, r2)))
    return (
        HEAD + "Subject: Undelivered Mail Returned to Sender\n"
        f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\n\n"
        f"--{b}\nContent-Type: text/plain; charset=utf-8\n\nThis is the mail system at host mail.sender.example.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
        f"                   The mail system\n\n{text}"
        f"--{b}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.sender.example\n{fields}"
        f"\n--{b}\nContent-Type: text/rfc822-headers\n\n" + ORIGINAL + f"\n--{b}--\n"
    )


def pair_postfix_text(r1, r2):
    return plain("Undelivered Mail Returned to Sender", postfix_text(r1).replace(
        "    command)\n",
        f"    command)\n\n<{ADDR2}>: host mx.dest2.example[192.0.2.26] said: {r2} (in reply to RCPT TO\n    command)\n"))


def pair_exim(r1, r2):
    return plain(
        "Mail delivery failed: returning message to sender",
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        + "".join(f"  {a}\n    host mx.{a.split('@')[1]} [192.0.2.25]\n"
                  f"    SMTP error from remote mail server after RCPT TO:<{a}>:\n    {r}\n"
                  for a, r in ((ADDR, r1), (ADDR2, r2)))
        + "\n------ This is a copy of the message, including all the headers. ------\n\n" + ORIGINAL + "\nHello\n",
    )


def pair_qmail(r1, r2):
    return plain(
        "failure notice",
        "Hi. This is the qmail-send program at mail.sender.example.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        + "".join(f"<{a}>:\n192.0.2.25 does not like recipient.\nRemote host said: {r}\nGiving up on 192.0.2.25.\n\n"
                  for a, r in ((ADDR, r1), (ADDR2, r2)))
        + "--- Below this line is a copy of the message.\n\n" + ORIGINAL + "\nHello\n",
    )


def pair_sendmail(r1, r2):
    return plain(
        "Returned mail: see transcript for details",
        "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\nfrom localhost [127.0.0.1]\n\n"
        "   ----- The following addresses had permanent fatal errors -----\n"
        + "".join(f"<{a}>\n    (reason: {r})\n" for a, r in ((ADDR, r1), (ADDR2, r2)))
        + "\n   ----- Transcript of session follows -----\n"
        + "".join(f"... while talking to mx.{a.split('@')[1]}.:\n>>> RCPT To:<{a}>\n<<< {r}\n"
                  for a, r in ((ADDR, r1), (ADDR2, r2)))
        + "\n   ----- Original message follows -----\n\n" + ORIGINAL + "\nHello\n",
    )


def pairs():
    data = [(want, placeholders(reply)) for want, reply in rows()]
    bare_wrong = set()
    tsv = os.path.join(OUT, "replies.tsv")
    for line in subprocess.run([PROBE, tsv], capture_output=True, text=True).stdout.splitlines():
        m = re.match(r"got\s+\d+ \(.*?\) want \S+\s+(.*)$", line)
        if m:
            bare_wrong.add(m.group(1))
    # Replies naming an address would name it in the other's paragraph too; keep those out.
    # So would a delay warning's own text, which makes the whole report a warning.
    warning = re.compile(r"delay|warning|will retry|retried|will be tried", re.I)
    clean = [(w, r) for w, r in data
             if "@" not in r and r not in bare_wrong and not warning.search(r)]
    n = len(clean)
    for make in (pair_postfix_dsn, pair_postfix_text, pair_exim, pair_qmail, pair_sendmail):
        d = os.path.join(OUT, make.__name__)
        os.makedirs(d, exist_ok=True)
        files = []
        for i in range(n):
            p = os.path.join(d, f"{i}.eml")
            open(p, "w").write(make(clean[i][1], clean[(i * 7 + 3) % n][1]))
            files.append(p)
        got = parse_files(BIN, files)
        wrong = []
        for i in range(n):
            _, named = got.get(files[i], ("?", {}))
            for a, (want, reply) in ((ADDR, clean[i]), (ADDR2, clean[(i * 7 + 3) % n])):
                st = named.get(a)
                if st is None or int(st) not in want:
                    wrong.append((i, a, st or "-", want, reply))
        print(f"{make.__name__}: {n} pairs, recipients wrong {len(wrong)}")
        with open(os.path.join(OUT, make.__name__ + ".lost"), "w") as o:
            for i, a, st, want, reply in wrong:
                o.write(f"{i}\t{a}\tgot {st}\twant {','.join(map(str, sorted(want)))}\t{reply}\n")


pairs()
