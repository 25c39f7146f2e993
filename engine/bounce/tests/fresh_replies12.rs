//! More replies and delivery-error texts as people pasted them into issue threads and Q&A pages
//! (`tests/data/fresh_replies12.tsv`), collected for the twenty-fourth round by a second helper
//! that never saw the parser, its tables or its corpora, labelled before the parser ran on them.
//! Each must classify, as the SMTP client classifies a live reply, as one of the statuses it
//! accepts; the rows still misread are listed, and the test fails when one becomes right. 48 were
//! misread at 628e957 (the round's start).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

const KNOWN: &[(&str, &str)] = &[
    (
        "503 Bad sequence of commands (TLS required)",
        "read as 99 by '503 bad sequence of commands'; the label says 4,7",
    ),
    (
        "remote mailserver example.com (192.0.2.191): MinimumTlsRequirementNotMetError: Expected at least TLS1_0 but got TLS_NONE (5.0.0)",
        "no phrase or cause word of the tables holds this wording: read as 99 from the code or nothing; the label says 4,7",
    ),
    (
        "421 mwinf5c10 ME Service refuse. Veuillez essayer plus tard.",
        "no phrase or cause word of the tables holds this wording: read as 7 from the code or nothing; the label says 4",
    ),
    (
        "Risposta server: '550 <someone@example.com>... Inoltro negato', porta: 25, sicuro (SSL): No, errore del server: 550, numero di errore: 0x800CCC79",
        "no phrase or cause word of the tables holds this wording: read as 2 from the code or nothing; the label says 7",
    ),
    (
        "421-failure in DNS look-up.",
        "no phrase or cause word of the tables holds this wording: read as 1 from the code or nothing; the label says 4",
    ),
    (
        "SMTPRecipientsRefused: {u'admin@example.com': (501, '5.1.5 Recipient address reserved by RFC 2606')}",
        "read as 2 by 'recipient address reserved by rfc 2606'; the label says 9,1",
    ),
    (
        "Error Sending Email - 422 try again in 15 seconds.",
        "no phrase or cause word of the tables holds this wording: read as 99 from the code or nothing; the label says 4",
    ),
    (
        "<info@example.co.tz>: host mx.zoho.com[192.0.2.121] said: 554 5.2.3 MailPolicy violation Error delivering to mailboxes (in reply to end of DATA command)",
        "read as 8 by 'policy'; the label says 4",
    ),
    (
        "550 User has no permission",
        "no phrase or cause word of the tables holds this wording: read as 2 from the code or nothing; the label says 4",
    ),
    (
        "Diagnostic-Code: smtp; 550-Requested action not taken: mailbox unavailable 550 invalid DNS MX or A/AAAA resource record",
        "read as 2 by 'requested action not taken: mailbox unavailable'; the label says 4",
    ),
    (
        "421 Error in SmtpServerSession: Invalid EnvelopeAddress value \"info@\"@example.com: expected user@domain form, but after splitting by @ there are 3 fields",
        "no phrase or cause word of the tables holds this wording: read as 7 from the code or nothing; the label says 9",
    ),
    (
        "stat=Deferred: Connection refused by [mail.example.com]",
        "read as 4 by 'connection refused by'; the label says 7,1,3",
    ),
    (
        "[192.0.2.2] The IP you're using to send mail is not authorized to 550-5.7.1 send email directly to our servers. Please use the SMTP relay at your 550-5.7.1 service provider instead. Learn more at 550 5.7.1 https://support.google.com/mail/?p=NotAuthorizedError h1si7104782plt.44 - gsmtp (in reply to end of DATA command)",
        "read as 7 by 'is not authorized to send email directly to our servers'; the label says 4",
    ),
    (
        "SMTP failed to set data: Transaction failed: 5.7.1 <DATA>: Data command rejected: limit of 400 rcpts per 24 hours for client user@example.me reached",
        "read as 7 by 'transaction failed'; the label says 4",
    ),
    (
        "We are currently unable to send email to <user@yahoo.com>. We received a soft \"bounce\" from your email provider when trying to forward emails to you.",
        "no phrase or cause word of the tables holds this wording: read as 99 from the code or nothing; the label says 6",
    ),
    (
        "The mail server sent an incorrect greeting: nschwcmgw08p BigPond Outbound [OB105. Connection refused. (192.0.2.1) is listed on the Exploits Block List (XBL).",
        "read as 3 by 'connection refused'; the label says 4",
    ),
    (
        "<user@example.net>... Deferred: Connection refused by mail.example.com. Warning: message still undelivered after 14 hours Will keep trying until message is 5 days old",
        "read as 4 by 'connection refused by'; the label says 7,1,3",
    ),
    (
        "DNS Error: 18395279 DNS type 'mx' lookup of gmail responded with code NOERROR 18395279 DNS type 'mx' lookup of gmail had no relevant answers. 18395279 DNS type 'a' lookup of gmail had no relevant answers",
        "read as 7 by 'had no relevant answers.'; the label says 1",
    ),
    (
        "failure: 192.0.2.48_does_not_like_recipient./Remote_host_said:_/_Zdalny_host_odpowiedzial:_500_No_such_user/Giving_up_on_192.0.2.48.",
        "no phrase or cause word of the tables holds this wording: read as 99 from the code or nothing; the label says 2",
    ),
];

#[test]
fn more_replies_pasted_in_threads_classify_as_labelled() {
    let rows = reply_table::rows("fresh_replies12.tsv");
    assert_eq!(rows.len(), 200);
    reply_table::check(&rows, KNOWN, false);
}
