//! The fixed wordings of MTA and provider bounce templates (qmail, Exim,
//! Postfix, Sendmail, Exchange/Office 365, Domino, Gmail, Yahoo, Hotmail)
//! classify to the SPEC §13.5 status an operator would give them. The texts
//! are written from the templates themselves, not copied from a corpus, so
//! this guards the generalising rules (issue 18) rather than corpus rows.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{Classifier, ErrorStatus};

const CASES: &[(u8, &str)] = &[
    // qmail
    (1, "Sorry, I couldn't find any host named example.com. (#5.1.2)"),
    (1, "Sorry, I couldn't find any host by that name."),
    (1, "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"),
    (2, "Sorry, no mailbox here by that name. (#5.1.1)"),
    (2, "Sorry, no mailbox by that name."),
    (5, "Recipient's mailbox is full, message returned to sender. (#5.2.2)"),
    (8, "Sorry, I don't accept messages larger than 10000000 bytes (#5.3.4)"),
    // Exim
    (1, "Unrouteable address"),
    (1, "all host address lookups failed permanently"),
    (5, "mailbox is full: retry timeout exceeded"),
    (3, "retry timeout exceeded"),
    (4, "451 Could not complete sender verify callout"),
    // Postfix
    (1, "Host or domain name not found. Name service error for name=example.com type=A: Host not found"),
    (2, "unknown user: \"jdoe\""),
    (5, "cannot update mailbox /var/mail/jdoe for user jdoe. error writing message: File too large"),
    (5, "maildir delivery failed: Sorry, the user's maildir has overdrawn his diskspace quota (#5.2.3)"),
    (8, "message size 20000000 exceeds size limit 10240000 of server mx.example.com[192.0.2.1]"),
    (1, "450 4.1.2 <x@nodomain.example>: Recipient address rejected: Domain not found"),
    (4, "553 5.1.8 <s@example.org>: Sender address rejected: Domain not found"),
    (7, "554 5.7.1 <x@example.com>: Relay access denied"),
    // Sendmail
    (1, "550 5.1.2 <x@example.com>... Host unknown (Name server: example.com: host not found)"),
    (4, "553 5.1.8 <s@example.org>... Domain of sender address s@example.org does not exist"),
    (3, "Message could not be delivered for 5 days"),
    (3, "This message has been undeliverable for 5 days"),
    // Exchange 2003-2016, Office 365
    (2, "The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message."),
    (2, "The recipient's e-mail address was not found in the recipient's e-mail system."),
    (2, "The recipient name is not recognized"),
    (2, "Your message to x@example.com couldn't be delivered. x wasn't found at example.com."),
    (8, "The message was rejected because it's too large."),
    (1, "The domain name in the e-mail address is incorrect. Check the address and try again."),
    (1, "The destination server for this recipient could not be found in Domain Name Service (DNS)."),
    (1, "The message could not be delivered because the recipient's destination email system is unknown or invalid."),
    (3, "The server has tried to deliver this message, without success, and has stopped trying."),
    (3, "Despite repeated attempts to contact the recipient's email system it didn't respond."),
    (7, "No transport provider was available for delivery to this recipient."),
    (5, "The recipient has exceeded their mailbox limit."),
    (4, "Your message wasn't delivered due to a permission or security issue."),
    // Domino
    (2, "User jdoe (jdoe@example.com) not listed in Domino Directory"),
    (1, "No route found to domain example.com from server MAIL1/ACME"),
    (8, "Maximum message size exceeded"),
    // Localised Exchange / MTA wordings
    (2, "Die E-Mail-Adresse, die Sie eingegeben haben, wurde nicht gefunden."),
    (5, "Das Postfach des Empfängers ist voll"),
    (2, "L'adresse de messagerie que vous avez entrée est introuvable."),
    (5, "La boîte aux lettres du destinataire est pleine"),
    (2, "La dirección de correo electrónico que escribió no se encontró"),
    (2, "550 utente sconosciuto"),
    (2, "550 usuário desconhecido"),
    // Gmail, Yahoo, Hotmail
    (2, "Your message wasn't delivered to x@example.com because the address couldn't be found, or is unable to receive mail."),
    (1, "DNS Error: DNS server returned answer with no data"),
    (2, "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0]"),
    (4, "550 SC-001 Mail rejected by Windows Live Hotmail for policy reasons."),
    (7, "TLS is required, but was not offered by host"),
    // RFC 3463 X.1.3 is bad mailbox address syntax; RFC 7505 null MX is
    // an unknown host (SPEC 13.5 status 1); qmail's sender-domain check.
    (9, "501 5.1.3 Bad recipient address syntax"),
    (9, "553 5.1.3 The recipient address <x@@example.com> is not a valid RFC-5321 address."),
    (1, "Domain example.com does not accept mail (nullMX)"),
    (1, "556 5.1.10 Recipient address has null MX"),
    (4, "553 sorry, your envelope sender domain must exist (#5.7.1)"),
    (2, "554 5.7.1 <x@example.com>: Recipient address rejected: Account closed"),
    // X.3.0 / X.4.0: the receiving system's own trouble, with no phrase.
    (7, "451 4.3.0 Temporary system failure. Please try again later."),
    (7, "554 5.4.0 Error"),
    (4, "550 5.7.0 Local Policy Violation"),
    // qmail's relay refusal, Exchange's NXDOMAIN verdict, address syntax
    // in words (RFC 3463 X.1.3): not a user unknown.
    (7, "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"),
    (1, "554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain"),
    (9, "553 5.1.3 Invalid address format"),
    (9, "553 Invalid address syntax"),
    (9, "malformed address: <x@example.net> may not follow y@example.com"),
    (2, "550 Invalid recipient <x@example.com>"),
    (5, "552 Requested mail action aborted: exceeded mailbox size limit"),
    (2, "Receiver not found: jdoe"),
    (2, "User account is unavailable"),
    (5, "user has exceeded their storage space"),
    (8, "message is larger than the maximum allowed"),
    (1, "Domain example.com has no MX or A record"),
    (9, "501 5.1.3 Invalid recipient address syntax"),
    (3, "This message has been in the queue for 5 days"),
];

#[test]
fn template_wordings_classify() {
    let c = Classifier::builtin();
    let mut wrong = Vec::new();
    for (want, text) in CASES {
        let got = c.classify(None, None, text);
        if got != ErrorStatus::from_u8(*want).unwrap() {
            wrong.push(format!("want {want} got {} <- {text}", got.as_u8()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Whole notices written from MTA templates: the parser's verdict per message.
#[test]
fn template_notices() {
    let msg = |from: &str, subject: &str, body: &str| {
        format!(
            "From: {from}\nTo: sender@example.org\nSubject: {subject}\n\
             Date: Mon, 1 Feb 2010 10:00:00 +0000\n\n{body}\n"
        )
    };
    // Postfix's text delay warning also says "could not be delivered for
    // more than 4 hour(s)": the warning statement decides.
    let postfix_delay = msg(
        "MAILER-DAEMON@mx.example.com (Mail Delivery System)",
        "Delayed Mail (still being retried)",
        "This is the mail system at host mx.example.com.\n\n\
         # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\n\
         Your message could not be delivered for more than 4 hour(s).\n\
         It will be retried until it is 5 day(s) old.\n\n\
         <jdoe@example.net>: connect to mx.example.net[192.0.2.9]:25: Connection timed out",
    );
    let r = hikyaku_bounce::parse(postfix_delay.as_bytes());
    assert_eq!(r.kind, hikyaku_bounce::Kind::Delayed, "{r:?}");
    assert!(r.recipients.is_empty());
    // MailScanner's virus warning to the sender names the recipient but is
    // not a failure.
    let av = msg(
        "MailScanner <postmaster@example.com>",
        "Warning: E-mail viruses detected",
        "Our virus detector has just been triggered by a message you sent:-\n\
         \x20 To: jdoe@example.net\n  Subject: hello\n\
         Any infected parts of the message have not been delivered.",
    );
    let r = hikyaku_bounce::parse(av.as_bytes());
    assert_eq!(r.kind, hikyaku_bounce::Kind::ContentFilter, "{r:?}");
    assert!(r.recipients.is_empty());
    // A delivery receipt lists its recipients as a failure report would.
    let delivered = msg(
        "postmaster@example.com",
        "Delivered: hello",
        "Your message has been delivered to the following recipients:\n\n\
         jdoe@example.net (jdoe@example.net)\n\nSubject: hello",
    );
    let r = hikyaku_bounce::parse(delivered.as_bytes());
    assert_eq!(r.kind, hikyaku_bounce::Kind::NotBounce, "{r:?}");
    assert!(r.recipients.is_empty());
    // Lotus Domino: the address on its own line after "was not delivered to:".
    let notes = msg(
        "Postmaster <postmaster@example.com>",
        "DELIVERY FAILURE: User jdoe (jdoe@example.com) not listed in Domino Directory",
        "Your message\n\n  Subject: hello\n\nwas not delivered to:\n\n  jdoe@example.com\n\n\
         because:\n\n  User jdoe (jdoe@example.com) not listed in Domino Directory",
    );
    let r = hikyaku_bounce::parse(notes.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].recipient, "jdoe@example.com");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
}
