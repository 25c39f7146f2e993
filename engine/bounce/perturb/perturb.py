"""Writes perturbed copies of every dev-side message (the imported corpora's dev split and the
shared corpus; held-out files are skipped) to OUT/<transform>/..., each transform a change that
real reports show: the DSN part lost, the returned original cut, the subject or the sender
replaced, the text re-encoded, an old MTA's words alone (no DSN, no codes), the cause said in
other words (the groups of tests/data/paraphrases.txt), the report sent as HTML, and the
returned message's body or subject made to speak of failures, the lines ended CRLF or padded, the
text in capitals, a help desk's contact line, a signature, a closing, a list footer, links, the
recipients reached or still tried added. `compare.py` then
parses every copy and lists the messages whose failed recipients or statuses changed.

    python3 engine/bounce/perturb/perturb.py [OUT]      (default /tmp/perturb)
"""
import base64, email, email.policy, os, quopri, re, sys
from email import generator
from io import BytesIO
HERE = os.path.dirname(os.path.abspath(__file__))
ROOTS = {
    "corpora": os.path.normpath(os.path.join(HERE, "..", "corpora")),
    "shared": os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "corpus", "bounces", "maildir")),
}
OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/perturb"
def fnv(p):
    h = 0xcbf29ce484222325
    for b in p.encode():
        h ^= b; h = (h * 0x100000001b3) & 0xffffffffffffffff
    return h
def files():
    for name, root in ROOTS.items():
        for d, _, fs in os.walk(root):
            for f in fs:
                full = os.path.join(d, f)
                rel = os.path.relpath(full, root)
                if "/mac/" in full: continue
                if f in ("LICENSE", "SOURCE.md", "labels.jsonl") or f.endswith(".md"):
                    continue
                if name == "corpora":
                    corpus, sub = rel.split("/", 1)
                    if fnv(sub) % 3 == 0:
                        continue
                yield name + "/" + rel, full
def dump(msg):
    b = BytesIO()
    generator.BytesGenerator(b, mangle_from_=False, maxheaderlen=0).flatten(msg)
    return b.getvalue()
def walk_top(msg):
    """parts outside any message/rfc822"""
    yield msg
    if msg.is_multipart():
        if msg.get_content_maintype() == "message":
            return
        for p in msg.get_payload():
            if isinstance(p, email.message.Message):
                yield from walk_top(p)
def drop(msg, pred):
    changed = False
    for p in walk_top(msg):
        if p.is_multipart() and p.get_content_maintype() != "message":
            kids = p.get_payload()
            keep = [k for k in kids if not pred(k)]
            if len(keep) != len(kids) and keep:
                p.set_payload(keep); changed = True
    return changed
def text_parts(m):
    """the message's own text/plain parts (not attachments, not inside a returned message)"""
    for p in walk_top(m):
        if p.get_content_type() == "text/plain" and not p.is_multipart() and p.get_filename() is None:
            yield p
def reencode(msg, how):
    changed = False
    for p in text_parts(msg):
        raw = p.get_payload(decode=True)
        if raw is None: continue
        del p["Content-Transfer-Encoding"]
        if how == "b64":
            enc = base64.encodebytes(raw).decode()
            p["Content-Transfer-Encoding"] = "base64"
        else:
            enc = quopri.encodestring(raw).decode("ascii")
            p["Content-Transfer-Encoding"] = "quoted-printable"
        p.set_payload(enc); changed = True
    return changed
def T_dsn_removed(m):
    return drop(m, lambda k: k.get_content_type() in ("message/delivery-status", "message/global-delivery-status"))
def T_no_original(m):
    return drop(m, lambda k: k.get_content_type() in ("message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"))
def T_b64(m): return reencode(m, "b64")
def T_qp(m): return reencode(m, "qp")
ENH=re.compile(r'(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])')
RC=re.compile(r'(?<![\d.])[245]\d\d(?=[ -]|$)', re.M)
def rewrite_text(m, fn):
    """replaces each text part's decoded text t by fn(t), sent as 8bit UTF-8"""
    changed = False
    for p in text_parts(m):
        raw = p.get_payload(decode=True)
        if raw is None: continue
        t = raw.decode("utf-8", "replace")
        t2 = fn(t)
        if t2 != t:
            del p["Content-Transfer-Encoding"]
            p["Content-Transfer-Encoding"] = "8bit"
            p.set_payload(t2.encode("utf-8"), "utf-8")
            changed = True
    return changed
def below(m, text):
    """the report's text parts with `text` added below, after a blank line"""
    return rewrite_text(m, lambda t: t.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n")
def above(m, text):
    """the report's text parts with `text` added above, before a blank line"""
    return rewrite_text(m, lambda t: text + "\n\n" + t)
def T_words_only(m):
    """an old MTA: no DSN part, no codes in the text"""
    T_dsn_removed(m)
    return rewrite_text(m, lambda t: RC.sub("", ENH.sub("", t)))
def rewrap(t):
    import textwrap
    out = []
    for line in t.split("\n"):
        if len(line) > 60:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(textwrap.wrap(line, 60, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False) or [line])
        else:
            out.append(line)
    return "\n".join(out)
def T_rewrapped(m):
    """the text re-wrapped at 60 columns, as some relays and clients do"""
    return rewrite_text(m, rewrap)
def T_unknown_from(m):
    if m["From"] is None: return False
    m.replace_header("From", "Mail Delivery System <system@relay.unknown.example>"); return True
def T_person_from(m):
    """the sender replaced by a person: may lose evidence, must never add a recipient"""
    if m["From"] is None: return False
    m.replace_header("From", "Ann Example <ann@home.example>"); return True
AUTO_HEADERS = ("auto-submitted", "x-autoreply", "x-autorespond", "precedence", "x-auto-response-suppress", "x-mailer")
def T_no_auto_headers(m):
    """auto-reply header fields taken out (a client that drops them, a forwarder)"""
    found = [h for h in m.keys() if h.lower() in AUTO_HEADERS]
    for h in set(found):
        del m[h]
    return bool(found)
def T_no_subject(m):
    if m["Subject"] is None: return False
    del m["Subject"]; return True
def paraphrase_groups():
    path = os.path.join(HERE, "..", "tests", "data", "paraphrases.txt")
    rows = [l.split(" | ") for l in open(path).read().splitlines() if l.strip() and not l.startswith("#")]
    # "recipient" also stands in field names copied into the text ("Final-Recipient:").
    return [g for g in rows if "addressee" not in g]
GROUPS = paraphrase_groups()
def paraphrase(t):
    """every wording of tests/data/paraphrases.txt replaced by the next one of its group (whole
    words, any case), longest first, in one pass"""
    table = {}
    for g in GROUPS:
        for i, w in enumerate(g):
            table.setdefault(w, g[(i + 1) % len(g)])
    words = sorted(table, key=len, reverse=True)
    # not inside a host name or an address ("mailer.acme.email", "a@email.example")
    rx = re.compile(r"(?<![\w.@-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w@-]|\.\w)", re.I)
    return rx.sub(lambda m: table.get(m.group(0).lower(), m.group(0)), t)
def T_paraphrased(m):
    """the text's cause said in other words (tests/data/paraphrases.txt), the DSN part kept"""
    return rewrite_text(m, paraphrase)
def T_words_only_paraphrased(m):
    """an old MTA in other words: no DSN part, no codes, the cause said in other words"""
    T_dsn_removed(m)
    return rewrite_text(m, lambda t: paraphrase(RC.sub("", ENH.sub("", t))))
ADDR = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
def shout(t):
    """upper case everywhere but inside addresses"""
    out, last = [], 0
    for a in ADDR.finditer(t):
        out.append(t[last:a.start()].upper()); out.append(a.group(0)); last = a.end()
    out.append(t[last:].upper())
    return "".join(out)
def T_upper(m):
    """an old MTA that writes its report in capitals (addresses kept as they were)"""
    return rewrite_text(m, shout)
def T_lower(m):
    """a gateway that lower-cases the report text (addresses kept as they were)"""
    return rewrite_text(m, lambda t: "".join(
        x if ADDR.fullmatch(x) else x.lower() for x in re.split(r"([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", t)))
CONTACT_PLAIN = "For assistance, contact the help desk at help-desk@support.example.net."
CONTACT_FAILURE = ("If you believe this message was rejected in error, or the address should exist, "
                   "please contact postmaster@relay.example.net with the error above.")
def T_contact_bottom(m):
    """a help-desk address at the foot of the report (the provider's contact line)"""
    return below(m, CONTACT_PLAIN + "\n")
def T_contact_top(m):
    """a help-desk address above the report"""
    return above(m, CONTACT_PLAIN)
def T_contact_failure(m):
    """a contact line that itself speaks of rejections and missing addresses"""
    return below(m, CONTACT_FAILURE + "\n")
SIGNATURE = "-- \nExample ISP Mail Operations\nmail-ops@isp.example.net\nhttps://isp.example.net/help\n"
DISCLAIMER = ("CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended "
              "solely for the addressee. If you are not the intended recipient, or have received "
              "this message in error, please notify the sender immediately and delete it. Any "
              "unauthorised use or disclosure is prohibited.")
LIST_FOOTER = ("_______________________________________________\nOps-Discuss mailing list\n"
               "ops-discuss@lists.example.org\nhttps://lists.example.org/mailman/listinfo/ops-discuss\n")
def T_signature(m):
    """a signature block under the report, its address alone on a line"""
    return below(m, SIGNATURE)
def T_disclaimer(m):
    """a gateway's legal disclaimer under the report ("intended recipient", "in error", "prohibited")"""
    return below(m, DISCLAIMER + "\n")
def T_list_footer(m):
    """a mailing list's footer, as on a report passed through a list to its owners"""
    return below(m, LIST_FOOTER)
def T_regards(m):
    """a closing and a signature without the `-- ` delimiter"""
    return below(m, "Regards,\nThe Mail Team\nmail-ops@isp.example.net\n")
def T_named_sender(m):
    """the report signed by its sender with a name and an address in angle brackets"""
    return below(m, "The Mail Team <mail-ops@isp.example.net>\n")
NOREPLY_TOP = ("THIS IS AN AUTOMATED MESSAGE - PLEASE DO NOT REPLY DIRECTLY TO THIS EMAIL. This mailbox "
               "is not monitored and replies sent to it will be deleted.")
NOREPLY_BOTTOM = ("Note: this notification was sent from an unattended mailbox. Messages sent to this "
                  "address are not read and will be discarded.")
def T_noreply_top(m):
    """a "do not reply, this mailbox is not monitored" banner above the report"""
    return above(m, NOREPLY_TOP)
def T_noreply_bottom(m):
    """an "unattended mailbox, messages will be discarded" note below the report"""
    return below(m, NOREPLY_BOTTOM + "\n")
def T_success_list(m):
    """a partial delivery: the recipients it did reach listed below the failure"""
    return below(m, "Your message was successfully delivered to the "
                        "following recipients:\n\n    delivered-one@reached.example.org\n"
                        "    delivered-two@reached.example.org\n")
def T_relayed_list(m):
    """recipients relayed onwards without a delivery notice (RFC 3464 "relayed"), listed in words"""
    return below(m, "The message was relayed to the following "
                        "recipients; no further notification will be sent:\n\n"
                        "    relayed-one@onward.example.org\n")
def T_transient_list(m):
    """Sendmail's section of addresses still being tried, below the failures"""
    return below(m, "   ----- The following addresses had transient "
                        "non-fatal errors -----\n<still-trying@slow.example.org>\n\n"
                        "   ----- Transcript of session follows -----\n"
                        "<still-trying@slow.example.org>... Deferred: Connection timed out with slow.example.org.\n")
def T_retrying_list(m):
    """a relay's note of recipients it is still retrying, in words, below the failures"""
    return below(m, "Delivery to the following recipients has been "
                        "delayed; the server will keep trying for 5 days:\n\n    still-trying@slow.example.org\n")
def T_url_address(m):
    """a help link whose query holds an address (a provider's lookup page, a tracking link)"""
    return below(m, "More information: "
                        "https://help.isp.example.net/lookup?ref=mail-ops@isp.example.net&lang=en\n")
def T_mailto_line(m):
    """a plain-text rendering of a web mailer's links: the help address in angle brackets after its name"""
    return below(m, "Help Center <https://help.isp.example.net/> | "
                        "Postmaster <mailto:mail-ops@isp.example.net>\n")
def T_contact_ja(m):
    """a Japanese provider's contact lines: the address before "までお問い合わせください", after "お問い合わせ先：" """
    return below(m, "ご不明な点は support@isp.example.ne.jp までお問い合わせください。\n"
                        "お問い合わせ先：help-desk@isp.example.ne.jp\n")
DISCLAIMERS = [
    "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind oder "
    "diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort den Absender und vernichten "
    "Sie diese Mail. Das unerlaubte Kopieren sowie die unbefugte Weitergabe dieser Mail ist nicht gestattet.",
    "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de "
    "ses destinataires. Si vous avez reçu ce message par erreur, merci de le détruire et d'en avertir "
    "immédiatement l'expéditeur. Toute utilisation non autorisée est interdite.",
    "本メールは送信専用のアドレスから配信されています。このメールに心当たりのない場合は、お手数ですが破棄して"
    "ください。本メールの内容を許可なく転載することを禁止します。",
]
def T_disclaimer_intl(m):
    """legal disclaimers in German, French and Japanese below the report"""
    return below(m, "\n\n".join(DISCLAIMERS) + "\n")
def T_new_address(m):
    """a moved recipient's new address given as advice below the failure (RFC 5321's 551)"""
    return below(m, "The recipient has moved. Their new address is "
                        "moved-to@new.example.org; please update your records.\n")
def T_addressed_to(m):
    """the message's whole recipient list named above the report"""
    return rewrite_text(m, lambda t: "Your message was addressed to: all-one@team.example.org, "
                        "all-two@team.example.org\n\n" + t)
def T_bullets(m):
    """list items marked with a typographic bullet ("• a@x", "→ a@x"), as rich-text renderings write them"""
    def f(t):
        out = []
        for i, line in enumerate(t.split("\n")):
            stripped = line.strip().strip("<>")
            if ADDR.fullmatch(stripped):
                line = line[: len(line) - len(line.lstrip())] + ("• " if i % 2 else "→ ") + line.lstrip()
            out.append(line)
        return "\n".join(out)
    return rewrite_text(m, f)
def T_policy_footer(m):
    """a provider's standing footer naming its policies ("Anti-Spam Policy", "blacklist removal")"""
    return below(m, "Please read our Anti-Spam Policy and Acceptable "
                        "Use Policy at https://isp.example.net/policy. Blacklist removal requests: "
                        "https://isp.example.net/delist\n")
def T_survey_footer(m):
    """a provider's standing footer with a survey and an unsubscribe-style link"""
    return below(m, "Was this message helpful? Tell us: "
                        "https://isp.example.net/survey. You are receiving this notification because "
                        "delivery notifications are enabled for your account.\n")
def to_html(t, links):
    """a text report as the HTML part of an Exchange or web-mail report: paragraphs, line breaks,
    no newline in the source, addresses as mailto links when `links`"""
    import html
    paras = []
    for para in re.split(r"\n\s*\n", t.strip("\n")):
        lines = [html.escape(l) for l in para.split("\n")]
        if links:
            lines = [ADDR.sub(lambda a: f'<a href="mailto:{a.group(0)}">{a.group(0)}</a>', l) for l in lines]
        paras.append("<p>" + "<br>".join(lines) + "</p>")
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style>p {margin:0 0 1em}</style></head><body><div>' + "".join(paras) + "</div></body></html>")
def html_only(m, links):
    changed = False
    for p in list(text_parts(m)):
        raw = p.get_payload(decode=True)
        if raw is None: continue
        h = to_html(raw.decode("utf-8", "replace"), links)
        del p["Content-Transfer-Encoding"]
        p.set_type("text/html")
        p["Content-Transfer-Encoding"] = "8bit"
        p.set_payload(h.encode("utf-8"), "utf-8")
        changed = True
    return changed
def T_html_extras(m):
    """the report sent as HTML with links, a contact line, a signature and a list of recipients
    reached below it (the extras of this file's plain transforms, in an HTML report)"""
    below(m, CONTACT_PLAIN)
    below(m, SIGNATURE)
    below(m, "Your message was successfully delivered to the following recipients:\n\n"
          "    delivered-one@reached.example.org\n")
    return html_only(m, True)
def T_html_only(m):
    """the report's text sent as HTML alone, on one source line (Exchange, web mail)"""
    return html_only(m, False)
def T_html_links(m):
    """as html_only, the addresses written as mailto links"""
    return html_only(m, True)
def T_stub_plain(m):
    """the report as multipart/alternative: its text as HTML, and a plain part that only says to
    read the HTML (as some web-mail and gateway writers send)"""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    changed = False
    for p in walk_top(m):
        if not p.is_multipart() or p.get_content_maintype() == "message":
            continue
        kids = p.get_payload()
        for i, k in enumerate(kids):
            if k.get_content_type() == "text/plain" and not k.is_multipart() and k.get_filename() is None:
                raw = k.get_payload(decode=True)
                if raw is None: continue
                alt = MIMEMultipart("alternative")
                alt.attach(MIMEText("This report is in HTML. Please view it in an HTML-capable reader.\n", "plain", "utf-8"))
                alt.attach(MIMEText(to_html(raw.decode("utf-8", "replace"), False), "html", "utf-8"))
                kids[i] = alt
                changed = True
    if not changed and not m.is_multipart() and m.get_content_type() == "text/plain":
        raw = m.get_payload(decode=True)
        if raw is None: return False
        h = to_html(raw.decode("utf-8", "replace"), False)
        for f in ("Content-Type", "Content-Transfer-Encoding", "MIME-Version"):
            del m[f]
        m["MIME-Version"] = "1.0"
        m["Content-Type"] = 'multipart/alternative; boundary="stub-plain-alt"'
        m.set_payload([MIMEText("This report is in HTML. Please view it in an HTML-capable reader.\n", "plain", "utf-8"),
                       MIMEText(h, "html", "utf-8")])
        changed = True
    return changed
def T_reordered(m):
    """the top-level parts in reverse order (the returned message or the DSN first)"""
    if not m.is_multipart() or m.get_content_maintype() == "message":
        return False
    kids = m.get_payload()
    if len(kids) < 2:
        return False
    m.set_payload(list(reversed(kids)))
    return True
def T_text_attached(m):
    """the report's text sent as an attachment ("details.txt"), as some gateways send it"""
    changed = False
    for p in list(text_parts(m)):
        if p is m:
            continue
        p.add_header("Content-Disposition", "attachment", filename="details.txt")
        changed = True
    return changed
def T_tagged_subject(m):
    """the report's subject tagged by a gateway on the way in ("[EXTERNAL] Undeliverable: …")"""
    if m["Subject"] is None: return False
    subj = str(m["Subject"])
    m.replace_header("Subject", "[EXTERNAL] " + subj); return True
BANNER = ("CAUTION: This email originated from outside of the organization. Do not click links or "
          "open attachments unless you recognize the sender and know the content is safe.\n\n")
def T_banner(m):
    """a gateway's warning banner put above the report's text (Office 365 tenants and others)"""
    for p in text_parts(m):
        raw = p.get_payload(decode=True)
        if raw is None: continue
        del p["Content-Transfer-Encoding"]
        p["Content-Transfer-Encoding"] = "8bit"
        p.set_payload((BANNER + raw.decode("utf-8", "replace")).encode("utf-8"), "utf-8")
        return True
    return False
DECOY = ("Dear customer, your mailbox is full of savings! Unknown user? Not with us. Our servers never "
         "time out, accept every message and never reject mail as spam. Quota exceeded? Relay denied? "
         "Host not found? Delivery failed elsewhere, not here. This mail could not be delivered any "
         "cheaper. Unsubscribe: reply with 'remove'.\n")
def T_decoy_original(m):
    """the returned message's body replaced by marketing words that name failures: a returned
    message is any mail, so its body must never decide a status"""
    changed = False
    for p in walk_top(m):
        if p.get_content_type() in ("message/rfc822", "message/global") and p.is_multipart():
            for inner in p.get_payload():
                for q in inner.walk():
                    if q.get_content_maintype() == "text" and not q.is_multipart():
                        del q["Content-Transfer-Encoding"]
                        q["Content-Transfer-Encoding"] = "8bit"
                        q.set_payload(DECOY.encode(), "utf-8")
                        changed = True
    return changed
def T_decoy_inline(m):
    """a returned message copied inline below the report's text (Exim, qmail and many old MTAs do),
    its body speaking of failures"""
    for p in text_parts(m):
        raw = p.get_payload(decode=True)
        if raw is None: continue
        t = raw.decode("utf-8", "replace").rstrip("\n")
        t += ("\n\n------ This is a copy of the message, including all the headers. ------\n\n"
              "From: offers@shop.example\nSubject: Offers\nDate: Mon, 30 Nov 2026 08:00:00 +0900\n\n" + DECOY)
        del p["Content-Transfer-Encoding"]
        p["Content-Transfer-Encoding"] = "8bit"
        p.set_payload(t.encode("utf-8"), "utf-8")
        return True
    return False
DECOY_SUBJECT = "Mailbox full? Account suspended? Unknown user? Delivery failed? Not with our offer"
def R_decoy_subject(raw):
    """the returned message's subject, wherever the report repeats it (its own subject line, the
    text, the returned headers), replaced by one that names failures: a subject is the sender's
    text and must never decide a status"""
    m = email.message_from_bytes(raw, policy=email.policy.compat32)
    subj = None
    for p in m.walk():
        if p.get_content_type() in ("message/rfc822", "message/global") and p.is_multipart():
            subj = p.get_payload()[0]["Subject"]
        elif p.get_content_type() in ("text/rfc822-headers", "message/rfc822-headers"):
            payload = p.get_payload(decode=True) or b""
            subj = email.message_from_bytes(payload, policy=email.policy.compat32)["Subject"]
        if subj:
            break
    subj = str(subj or "").strip()
    if len(subj) < 8 or "=?" in subj:
        return None
    b = subj.encode("utf-8", "replace")
    if raw.count(b) == 0:
        return None
    return raw.replace(b, DECOY_SUBJECT.encode())
T = {k[2:]: v for k, v in globals().items() if k.startswith("T_")}
def R_broken_boundary(raw):
    """the top-level multipart's boundary parameter cut off its header by a blank line (Exchange's
    folded-header fault): the MIME parser sees no parts, the report is read from the raw body"""
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        return None
    m = re.search(rb'(?im)^content-type:[ \t]*multipart/[^\n]*(?:\n[ \t][^\n]*)*', head)
    if not m:
        return None
    field = m.group(0)
    b = re.search(rb'(?i);?\s*boundary="?([^";\s]+)"?', field)
    if not b:
        return None
    rest = field[:b.start()] + field[b.end():]
    broken = rest.rstrip() + b";"
    return head[:m.start()] + broken + head[m.end():] + b"\n\n\tboundary=\"" + b.group(1) + b"\"\n\n" + body
def R_no_content_type(raw):
    """a multipart report's top-level Content-Type (and MIME-Version) lost on the way (a relay
    that rewrote the header block): the body's delimiter lines are all that is left"""
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        return None
    m = re.search(rb'(?im)^content-type:[ \t]*multipart/[^\n]*(?:\n[ \t][^\n]*)*\n?', head + b"\n")
    if not m:
        return None
    head = (head + b"\n")[:m.start()] + (head + b"\n")[m.end():]
    head = re.sub(rb'(?im)^mime-version:[^\n]*\n?', b"", head).rstrip(b"\n")
    return head + b"\n\n" + body
def R_crlf(raw):
    """every line ended CRLF, as the message arrives over SMTP (the corpora store LF)"""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
def R_trailing_space(raw):
    """spaces and a tab left at the end of every body line (a relay that pads lines)"""
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        return None
    return head + sep + b"\n".join(l + b" \t " if l.strip() else l for l in body.split(b"\n"))
def R_mbox_from(raw):
    """an mbox envelope line above the header block, as a message cut out of an mbox keeps it"""
    return b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + raw
def R_truncated(raw):
    """the message cut a little way into the returned original's trace (an archive or a relay that
    keeps only the first kilobytes): no closing boundary, a header line cut in the middle"""
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        return None
    at = body.find(b"\nReceived: ")
    if at < 0:
        return None
    return head + sep + body[:at + 150]
DSN_CT = re.compile(rb"(?im)^content-type:[ \t]*message/delivery-status")
def dsn_body_spans(raw):
    """(start, end) of each message/delivery-status part's body: after its header block's blank
    line, up to the next delimiter line"""
    for m in DSN_CT.finditer(raw):
        start = raw.find(b"\n\n", m.end())
        if start < 0:
            continue
        end = raw.find(b"\n--", start + 2)
        yield start + 2, (end if end >= 0 else len(raw))
def R_dsn_fields_variant(raw):
    """the DSN's fields written as other MTAs write them: names in lower case, no space after the
    colon, the address type in capitals and the address in angle brackets"""
    spans = list(dsn_body_spans(raw))
    if not spans:
        return None
    out, at = [], 0
    for a, b in spans:
        out.append(raw[at:a])
        body = raw[a:b]
        body = re.sub(rb"(?m)^([A-Za-z-]+):[ \t]*", lambda m: m.group(1).lower() + b":", body)
        body = re.sub(rb"(?im)^((?:final|original)-recipient:)rfc822;[ \t]*<?([^\s>]+)>?",
                      lambda m: m.group(1) + b"RFC822;<" + m.group(2) + b">", body)
        out.append(body)
        at = b
    out.append(raw[at:])
    return b"".join(out)
def R_dsn_as_text(raw):
    """the DSN part relabelled text/plain (a relay or a list that rewrote the report)"""
    if not DSN_CT.search(raw):
        return None
    return DSN_CT.sub(b"Content-Type: text/plain", raw)
def R_mixed_not_report(raw):
    """the report sent as multipart/mixed without its report-type (a gateway's rewrite)"""
    head, sep, body = raw.partition(b"\n\n")
    new = re.sub(rb"(?i)multipart/report;([ \t\n]*)report-type=\"?[a-z-]+\"?;?", rb"multipart/mixed;\1", head)
    if new == head:
        return None
    return new + sep + body
def dsn_rewrite(raw, fn):
    """raw with every message/delivery-status body passed through fn (None when none changed)"""
    spans = list(dsn_body_spans(raw))
    if not spans:
        return None
    out, at, changed = [], 0, False
    for a, b in spans:
        out.append(raw[at:a])
        body = fn(raw[a:b])
        changed |= body != raw[a:b]
        out.append(body)
        at = b
    out.append(raw[at:])
    return b"".join(out) if changed else None
def R_dsn_no_address_type(raw):
    """the recipient fields without their address type ("Final-Recipient: a@x", as some gateways
    write them)"""
    return dsn_rewrite(raw, lambda b: re.sub(
        rb"(?im)^((?:final|original)-recipient:[ \t]*)[a-z0-9-]+;[ \t]*", rb"\1", b))
def R_dsn_no_diag_type(raw):
    """the diagnostic without its type ("Diagnostic-Code: 550 5.1.1 ...", no "smtp;")"""
    return dsn_rewrite(raw, lambda b: re.sub(
        rb"(?im)^(diagnostic-code:[ \t]*)[a-z0-9-]+;[ \t]*", rb"\1", b))
def R_dsn_no_blank_lines(raw):
    """the per-message and per-recipient field groups not separated by blank lines (one block)"""
    return dsn_rewrite(raw, lambda b: re.sub(rb"\n[ \t]*\n(?=[A-Za-z-]+:)", b"\n", b))
def R_dsn_no_status(raw):
    """the Status field left out (required by RFC 3464, missing in some MTAs' reports)"""
    return dsn_rewrite(raw, lambda b: re.sub(rb"(?im)^status:[^\n]*\n(?:[ \t][^\n]*\n)*", b"", b))
def R_dsn_display_name(raw):
    """the recipient fields with a display name ("Final-Recipient: rfc822; Jo Doe <a@x>"), as
    some gateways write them"""
    return dsn_rewrite(raw, lambda b: re.sub(
        rb"(?im)^((?:final|original)-recipient:[ \t]*[a-z0-9-]+;[ \t]*)<?([^\s<>]+@[^\s<>]+)>?",
        rb"\1Jo Doe <\2>", b))
def R_dsn_original_only(raw):
    """no Final-Recipient, only Original-Recipient (the field renamed; RFC 3464 requires the
    former, some MTAs write only the latter)"""
    return dsn_rewrite(raw, lambda b: re.sub(rb"(?im)^final-recipient:", b"Original-Recipient:",
                                             re.sub(rb"(?im)^original-recipient:[^\n]*\n", b"", b)))
R = {k[2:]: v for k, v in globals().items() if k.startswith("R_")}
# PERTURB_ONLY=a,b writes only those transforms (and `identity`)
ONLY = set(filter(None, os.environ.get("PERTURB_ONLY", "").split(",")))
if ONLY:
    T = {k: v for k, v in T.items() if k in ONLY}
    R = {k: v for k, v in R.items() if k in ONLY}
for rel, full in files():
    raw = open(full, "rb").read()
    try:
        base = email.message_from_bytes(raw, policy=email.policy.compat32)
        ident = dump(base)
    except Exception:
        continue
    os.makedirs(os.path.dirname(f"{OUT}/identity/{rel}"), exist_ok=True)
    open(f"{OUT}/identity/{rel}", "wb").write(ident)
    for name, fn in R.items():
        out = fn(ident)
        if out is None: continue
        p = f"{OUT}/{name}/{rel}"
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(out)
    for name, fn in T.items():
        m = email.message_from_bytes(raw, policy=email.policy.compat32)
        try:
            if not fn(m): continue
            out = dump(m)
        except Exception as e:
            continue
        p = f"{OUT}/{name}/{rel}"
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(out)
