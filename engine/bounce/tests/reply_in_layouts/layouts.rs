//! The layouts of `perturb/embed_replies.py`, byte for byte: how common mail
//! systems' reports carry a remote server's reply for one recipient, and for
//! two recipients each with its own reply.

use super::text::{multiline, status_of, wrapped};

/// The failed recipient every layout names.
pub const ADDR: &str = "rcpt@dest.example";
/// The second recipient of the two-recipient layouts.
pub const ADDR2: &str = "other@dest2.example";

const HEAD: &str = "From: Mail Delivery System <MAILER-DAEMON@mail.sender.example>\n\
To: app@sender.example\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\
Message-ID: <report-1@mail.sender.example>\nMIME-Version: 1.0\n";
const ORIGINAL: &str = "From: app@sender.example\nTo: rcpt@dest.example\nSubject: Your order\n\
Message-ID: <orig-1@sender.example>\nDate: Tue, 01 Dec 2026 08:59:00 +0000\n";
const B: &str = "B0UND";

/// A layout: the whole report around one reply.
pub type Layout = fn(&str) -> String;
/// A two-recipient layout: the report around `ADDR`'s reply and `ADDR2`'s.
pub type PairLayout = fn(&str, &str) -> String;

/// The one-recipient layouts, by the script's names.
pub const LAYOUTS: &[(&str, Layout)] = &[
    ("postfix_dsn", postfix_dsn),
    ("postfix_dsn_wrapped", postfix_dsn_wrapped),
    ("postfix_text", postfix_text_report),
    ("postfix_wrapped", postfix_wrapped_report),
    ("postfix_plain", postfix_plain),
    ("exim", exim),
    ("sendmail", sendmail),
    ("qmail", qmail),
    ("exchange", exchange),
    ("exchange2003", exchange2003),
    ("gmail", gmail),
    ("courier", courier),
    ("domino", domino),
    ("imail", imail),
    ("yahoo", yahoo),
    ("exim_multiline", exim_multiline),
    ("qmail_multiline", qmail_multiline),
    ("postfix_multiline", postfix_multiline),
    ("exchange_html", exchange_html),
    ("dsn_generic", dsn_generic),
];

/// The two-recipient layouts, by the script's names.
pub const PAIR_LAYOUTS: &[(&str, PairLayout)] = &[
    ("pair_postfix_dsn", pair_postfix_dsn),
    ("pair_postfix_text", pair_postfix_text),
    ("pair_exim", pair_exim),
    ("pair_qmail", pair_qmail),
    ("pair_sendmail", pair_sendmail),
];

fn plain(subject: &str, body: &str) -> String {
    format!(
        "{HEAD}Subject: {subject}\nContent-Type: text/plain; charset=utf-8\n\
         Content-Transfer-Encoding: 8bit\n\n{body}"
    )
}

/// Postfix's notification text (the script's `postfix_text`, a body only).
fn postfix_text(reply: &str) -> String {
    [
        "This is the mail system at host mail.sender.example.\n\n",
        "I'm sorry to have to inform you that your message could not\n",
        "be delivered to one or more recipients. It's attached below.\n\n",
        "For further assistance, please send mail to postmaster.\n\n",
        "If you do so, please include this problem report. You can\n",
        "delete your own text from the attached returned message.\n\n",
        "                   The mail system\n\n",
        &format!("<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n"),
        "    command)\n",
    ]
    .concat()
}

/// The script's `postfix_text` as a layout: the body alone, no header.
fn postfix_text_report(reply: &str) -> String {
    postfix_text(reply)
}

/// Postfix's notification text folded at 78 columns (a body only).
fn postfix_wrapped(reply: &str) -> String {
    let line = format!(
        "<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n    command)\n"
    );
    let folded = wrapped(
        &format!("host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO command)"),
        &format!("<{ADDR}>: "),
        "    ",
    );
    postfix_text(reply).replace(&line, &format!("{folded}\n"))
}

/// The script's `postfix_wrapped` as a layout: the body alone, no header.
fn postfix_wrapped_report(reply: &str) -> String {
    postfix_wrapped(reply)
}

/// Postfix's folded notification as a whole message, sent as text alone (no
/// DSN part: an older Postfix, or one whose report a gateway flattened).
fn postfix_plain(reply: &str) -> String {
    plain(
        "Undelivered Mail Returned to Sender",
        &postfix_wrapped(reply),
    )
}

fn postfix_dsn_wrapped(reply: &str) -> String {
    let diag = wrapped(&format!("smtp; {reply}"), "Diagnostic-Code: ", "    ");
    let status = status_of(reply);
    [
        HEAD,
        "Subject: Undelivered Mail Returned to Sender\n",
        &format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{B}\"\n\n"),
        &format!("--{B}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\n\n"),
        &postfix_wrapped(reply),
        &format!("\n--{B}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"),
        "Reporting-MTA: dns; mail.sender.example\n\n",
        &format!("Final-Recipient: rfc822; {ADDR}\nAction: failed\n"),
        &format!("Status: {status}\nRemote-MTA: dns; mx.dest.example\n{diag}\n"),
        &format!("\n--{B}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"),
        ORIGINAL,
        &format!("\n--{B}--\n"),
    ]
    .concat()
}

fn exchange2003(reply: &str) -> String {
    plain(
        "Undeliverable: Your order",
        &[
            "Your message did not reach some or all of the intended recipients.\n\n",
            "      Subject:\tYour order\n      Sent:\t12/1/2026 8:59 AM\n\n",
            "The following recipient(s) cannot be reached:\n\n",
            &format!("      {ADDR} on 12/1/2026 9:00 AM\n            {reply}\n"),
        ]
        .concat(),
    )
}

fn imail(reply: &str) -> String {
    plain(
        "Undeliverable Mail",
        &[
            "The following addresses had delivery problems:\n\n",
            &format!("<{ADDR}>\n  Permanent Failure: {reply}\n"),
            "  Delivery last attempted at Tue, 01 Dec 2026 09:00:00 -0000\n\n",
            "------ Original message ------\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn yahoo(reply: &str) -> String {
    plain(
        "Failure Notice",
        &[
            "Sorry, we were unable to deliver your message to the following address.\n\n",
            &format!("<{ADDR}>:\nRemote host said: {reply} [RCPT_TO]\n\n"),
            "--- Below this line is a copy of the message.\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn exim_multiline(reply: &str) -> String {
    exim(reply).replacen(
        &format!("    {reply}\n"),
        &format!("{}\n", multiline(reply, "    ")),
        1,
    )
}

/// qmail-remote writes each line of a multi-line reply on its own line.
fn qmail_multiline(reply: &str) -> String {
    qmail(reply).replacen(
        &format!("Remote host said: {reply}\n"),
        &format!("Remote host said: {}\n", multiline(reply, "")),
        1,
    )
}

/// Postfix joins a multi-line reply's lines with spaces, then folds the
/// paragraph at 78 columns.
fn postfix_multiline(reply: &str) -> String {
    let joined = multiline(reply, "").replace('\n', " ");
    let folded = wrapped(
        &format!("host mx.dest.example[192.0.2.25] said: {joined} (in reply to RCPT TO command)"),
        &format!("<{ADDR}>: "),
        "    ",
    );
    let line = format!(
        "<{ADDR}>: host mx.dest.example[192.0.2.25] said: {reply} (in reply to RCPT TO\n    command)\n"
    );
    plain(
        "Undelivered Mail Returned to Sender",
        &postfix_text(reply).replace(&line, &format!("{folded}\n")),
    )
}

fn html_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Exchange Online's NDR, sent as HTML only.
fn exchange_html(reply: &str) -> String {
    let body = [
        "<html><head><title>Undeliverable</title></head><body>",
        "<table><tr><td><p><b><span style=\"color:#C00000\">Your message to ",
        &format!("{ADDR} couldn't be delivered.</span></b></p></td></tr>"),
        "<tr><td><p>There's a problem with the recipient's mailbox.</p></td></tr></table>",
        "<p><b>Diagnostic information for administrators:</b></p>",
        &format!(
            "<p>Generating server: EX01.sender.example<br><br>{}<br>",
            html_escape(ADDR)
        ),
        &format!(
            "Remote server returned '{}'<br><br>Original message headers:</p>",
            html_escape(reply)
        ),
        "<pre>",
        &html_escape(ORIGINAL),
        "</pre></body></html>\n",
    ]
    .concat();
    [
        HEAD,
        "Subject: Undeliverable: Your order\nContent-Type: text/html; charset=utf-8\n",
        "Content-Transfer-Encoding: 8bit\n\n",
        &body,
    ]
    .concat()
}

/// A DSN whose fields say only 5.0.0: the reply stands in the text part alone.
fn dsn_generic(reply: &str) -> String {
    [
        HEAD,
        "Subject: Delivery Status Notification (Failure)\n",
        &format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{B}\"\n\n"),
        &format!("--{B}\nContent-Type: text/plain; charset=utf-8\n\n"),
        &format!("Delivery to the following recipient failed permanently:\n\n     {ADDR}\n\n"),
        &format!("Technical details of permanent failure:\n{reply}\n"),
        &format!("\n--{B}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.sender.example\n\n"),
        &format!("Final-Recipient: rfc822; {ADDR}\nAction: failed\nStatus: 5.0.0\n"),
        &format!("\n--{B}\nContent-Type: text/rfc822-headers\n\n"),
        ORIGINAL,
        &format!("\n--{B}--\n"),
    ]
    .concat()
}

fn postfix_dsn(reply: &str) -> String {
    let status = status_of(reply);
    [
        HEAD,
        "Subject: Undelivered Mail Returned to Sender\n",
        &format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{B}\"\n\n"),
        &format!("--{B}\nContent-Description: Notification\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"),
        &postfix_text(reply),
        &format!("\n--{B}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"),
        "Reporting-MTA: dns; mail.sender.example\nArrival-Date: Tue,  1 Dec 2026 08:59:00 +0000\n\n",
        &format!("Final-Recipient: rfc822; {ADDR}\nOriginal-Recipient: rfc822;{ADDR}\nAction: failed\n"),
        &format!("Status: {status}\nRemote-MTA: dns; mx.dest.example\nDiagnostic-Code: smtp; {reply}\n"),
        &format!("\n--{B}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"),
        ORIGINAL,
        &format!("\n--{B}--\n"),
    ]
    .concat()
}

fn exim(reply: &str) -> String {
    plain(
        "Mail delivery failed: returning message to sender",
        &[
            "This message was created automatically by mail delivery software.\n\n",
            "A message that you sent could not be delivered to one or more of its\n",
            "recipients. This is a permanent error. The following address(es) failed:\n\n",
            &format!("  {ADDR}\n    host mx.dest.example [192.0.2.25]\n"),
            &format!(
                "    SMTP error from remote mail server after RCPT TO:<{ADDR}>:\n    {reply}\n\n"
            ),
            "------ This is a copy of the message, including all the headers. ------\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn sendmail(reply: &str) -> String {
    plain(
        "Returned mail: see transcript for details",
        &[
            "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\n",
            "from localhost [127.0.0.1]\n\n",
            "   ----- The following addresses had permanent fatal errors -----\n",
            &format!("<{ADDR}>\n    (reason: {reply})\n\n"),
            "   ----- Transcript of session follows -----\n",
            "... while talking to mx.dest.example.:\n",
            &format!(">>> RCPT To:<{ADDR}>\n<<< {reply}\n\n"),
            "   ----- Original message follows -----\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn qmail(reply: &str) -> String {
    plain(
        "failure notice",
        &[
            "Hi. This is the qmail-send program at mail.sender.example.\n",
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n",
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n",
            &format!("<{ADDR}>:\n192.0.2.25 does not like recipient.\nRemote host said: {reply}\n"),
            "Giving up on 192.0.2.25.\n\n",
            "--- Below this line is a copy of the message.\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn exchange(reply: &str) -> String {
    plain(
        "Undeliverable: Your order",
        &[
            "Delivery has failed to these recipients or groups:\n\n",
            &format!("{ADDR}\nA problem occurred during the delivery of this message to this e-mail address. "),
            "Try sending this message again. If the problem continues, please contact your helpdesk.\n\n",
            "Diagnostic information for administrators:\n\nGenerating server: ex01.sender.example\n\n",
            &format!("{ADDR}\nmx.dest.example #{reply} ##\n\nOriginal message headers:\n\n"),
            ORIGINAL,
        ]
        .concat(),
    )
}

fn gmail(reply: &str) -> String {
    plain(
        "Delivery Status Notification (Failure)",
        &[
            "** Message not delivered **\n\n",
            &format!("There was a problem delivering your message to {ADDR}. See the technical details below.\n\n"),
            &format!("The response from the remote server was:\n{reply}\n\n"),
            "----- Original message -----\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn courier(reply: &str) -> String {
    plain(
        "DELIVERY FAILURE",
        &[
            "This is a delivery status notification from mail.sender.example,\n",
            "running the Courier mail server, version 1.1.\n\n",
            "The original message was received on Tue, 1 Dec 2026 08:59:00 +0000\n",
            "from [192.0.2.1]\n\n",
            "---------------------------------------------------------------------------\n\n",
            "                           UNDELIVERABLE MAIL\n\n",
            "Your message to the following recipients cannot be delivered:\n\n",
            &format!("<{ADDR}>:\n    mx.dest.example [192.0.2.25]:\n>>> RCPT TO:<{ADDR}>\n<<< {reply}\n\n"),
            "---------------------------------------------------------------------------\n",
        ]
        .concat(),
    )
}

fn domino(reply: &str) -> String {
    let head: String = reply.chars().take(60).collect();
    plain(
        &format!("DELIVERY FAILURE: {head}"),
        &format!(
            "Your message\n\n  Subject: Your order\n\nwas not delivered to:\n\n  {ADDR}\n\n\
             because:\n\n  {reply}\n"
        ),
    )
}

/// The two recipients with their replies, in the report's order.
fn both<'a>(r1: &'a str, r2: &'a str) -> [(&'static str, &'a str); 2] {
    [(ADDR, r1), (ADDR2, r2)]
}

/// The recipient's domain, `a.split('@')[1]`.
fn domain(a: &str) -> &str {
    a.split('@').nth(1).unwrap_or_default()
}

fn pair_postfix_dsn(r1: &str, r2: &str) -> String {
    let text: String = both(r1, r2)
        .iter()
        .map(|(a, r)| {
            let d = domain(a);
            format!("<{a}>: host mx.{d}[192.0.2.25] said: {r} (in reply to RCPT TO command)\n\n")
        })
        .collect();
    let fields: String = both(r1, r2)
        .iter()
        .map(|(a, r)| {
            let s = status_of(r);
            format!("\nFinal-Recipient: rfc822; {a}\nAction: failed\nStatus: {s}\nDiagnostic-Code: smtp; {r}\n")
        })
        .collect();
    [
        HEAD,
        "Subject: Undelivered Mail Returned to Sender\n",
        &format!("Content-Type: multipart/report; report-type=delivery-status; boundary=\"{B}\"\n\n"),
        &format!("--{B}\nContent-Type: text/plain; charset=utf-8\n\nThis is the mail system at host mail.sender.example.\n\n"),
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n",
        &format!("                   The mail system\n\n{text}"),
        &format!("--{B}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.sender.example\n{fields}"),
        &format!("\n--{B}\nContent-Type: text/rfc822-headers\n\n"),
        ORIGINAL,
        &format!("\n--{B}--\n"),
    ]
    .concat()
}

fn pair_postfix_text(r1: &str, r2: &str) -> String {
    plain(
        "Undelivered Mail Returned to Sender",
        &postfix_text(r1).replace(
            "    command)\n",
            &format!(
                "    command)\n\n<{ADDR2}>: host mx.dest2.example[192.0.2.26] said: {r2} (in reply to RCPT TO\n    command)\n"
            ),
        ),
    )
}

fn pair_exim(r1: &str, r2: &str) -> String {
    let paragraphs: String = both(r1, r2)
        .iter()
        .map(|(a, r)| {
            let d = domain(a);
            format!(
                "  {a}\n    host mx.{d} [192.0.2.25]\n    SMTP error from remote mail server after RCPT TO:<{a}>:\n    {r}\n"
            )
        })
        .collect();
    plain(
        "Mail delivery failed: returning message to sender",
        &[
            "This message was created automatically by mail delivery software.\n\n",
            "A message that you sent could not be delivered to one or more of its\n",
            "recipients. This is a permanent error. The following address(es) failed:\n\n",
            &paragraphs,
            "\n------ This is a copy of the message, including all the headers. ------\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn pair_qmail(r1: &str, r2: &str) -> String {
    let paragraphs: String = both(r1, r2)
        .iter()
        .map(|(a, r)| {
            format!(
                "<{a}>:\n192.0.2.25 does not like recipient.\nRemote host said: {r}\nGiving up on 192.0.2.25.\n\n"
            )
        })
        .collect();
    plain(
        "failure notice",
        &[
            "Hi. This is the qmail-send program at mail.sender.example.\n",
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n",
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n",
            &paragraphs,
            "--- Below this line is a copy of the message.\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}

fn pair_sendmail(r1: &str, r2: &str) -> String {
    let reasons: String = both(r1, r2)
        .iter()
        .map(|(a, r)| format!("<{a}>\n    (reason: {r})\n"))
        .collect();
    let transcript: String = both(r1, r2)
        .iter()
        .map(|(a, r)| {
            let d = domain(a);
            format!("... while talking to mx.{d}.:\n>>> RCPT To:<{a}>\n<<< {r}\n")
        })
        .collect();
    plain(
        "Returned mail: see transcript for details",
        &[
            "The original message was received at Tue, 1 Dec 2026 08:59:00 GMT\nfrom localhost [127.0.0.1]\n\n",
            "   ----- The following addresses had permanent fatal errors -----\n",
            &reasons,
            "\n   ----- Transcript of session follows -----\n",
            &transcript,
            "\n   ----- Original message follows -----\n\n",
            ORIGINAL,
            "\nHello\n",
        ]
        .concat(),
    )
}
