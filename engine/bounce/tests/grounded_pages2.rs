//! Reports and notices written for the twenty-sixth round by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, twenty-fifth wave), each grounded in a
//! page it looked up that no earlier writer had used: reports people pasted of the less common
//! causes (`status_spread2`); bounces of 1995–2010 as mailing lists received them and as list
//! archives and Usenet posts quote them (`old_archives`: MMDF, Sendmail, qmail, Exchange 5.5,
//! Post.Office, TipJar, ZMailer, with the non-failures a list's bounce address received then);
//! Windows and groupware servers' reports from their vendors' pages and source
//! (`win_servers`: hMailServer, Kopano, Zimbra, Domino, Exchange 5.5–2019, SmarterMail, Kerio,
//! MDaemon, GroupWise, MailEnable); and the non-failures most like failure reports
//! (`nonfail_pages3`: auto-replies, ticket acknowledgements, challenges, quarantine and list
//! notices, success DSNs, receipts, reports); and, in the twenty-sixth wave, mail servers of
//! 2012–2026 from their source and issues (`modern_src`: Haraka, Postal, Stalwart, OpenSMTPD,
//! Mailu, mailcow, Microsoft 365, Google), the least represented systems of 1996–2012
//! (`old_archives2`: Exchange 4.0/5.5's X.400 reasons, Notes, CompuServe, AOL, Juno, PMDF,
//! ZMailer, qmail-ldap) and reports in 22 languages as people pasted them (`localized_pages`);
//! and, in the twenty-seventh wave, 1993–2006 reports as Usenet posts and the MTAs' own source
//! give them (`old_usenet`: Sendmail 5 to 8.13, qmail, Exim 3/4, early Postfix) and web hosts'
//! reports as their customers pasted them (`webhosting`: cPanel's Exim, Plesk's qmail and
//! Postfix, H-Sphere, Dovecot's rejections).
//! Labelled before the parser ran on them; a label changed by the project's rules is named in
//! its line's `why`; the misses left are listed with their reasons.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "nonfail_pages3/08-rt-autoreply-quoting-bounce-text.eml kind",
        "a ticket system's automatic acknowledgement (RT, with Auto-Submitted) reads as an auto-reply, which it is by RFC 3834; the label says ordinary mail; it names nobody either way",
    ),
    (
        "nonfail_pages3/09-otrs-default-auto-reply.eml kind",
        "as above (OTRS)",
    ),
    (
        "nonfail_pages3/10-osticket-new-ticket-autoresponse.eml kind",
        "as above (osTicket)",
    ),
    (
        "nonfail_pages3/11-freshdesk-ticket-received.eml kind",
        "as above (Freshdesk)",
    ),
    (
        "old_archives/15-sendmail-cannot-send-5-days.eml rossi@studio.example.it",
        "Sendmail's 'Deferred: Connection refused by …' under a give-up reads as a refusal (4), as the shared corpus's sisimai labels read it; the label says the retries' end or the connection (3 or 7)",
    ),
    (
        "win_servers/11-exchange2000-generic-and-5.1.1.eml user1@example.com",
        "the next recipient, '\"user1@example.com\"@example.com', holds this one's address inside its quoted local part: this paragraph is read on into the next one's 5.1.1 (2); the label says no reason (99)",
    ),
    (
        "modern_src/28-opensmtpd-573-two.eml amandine.escalier@etu.univ.example",
        "OpenSMTPD 5.7.3's bug: its relay-success heading ('Your message was successfully delivered to these recipients.') above two failure lines; the heading decides and nobody is named",
    ),
    (
        "modern_src/28-opensmtpd-573-two.eml tresorier@campus-mail.example",
        "as above",
    ),
    (
        "old_archives2/03-compuserve-invalid-receiver.eml 76543,2101@compuserve.example",
        "CompuServe's \"Invalid receiver address\" for an ID with its comma is read as an unknown user (2); the label says a format error (9)",
    ),
    (
        "old_archives2/16-exchange55-congestion-and-unavailable.eml mary.roe@hsd.utc-hsd.example.com",
        "Exchange 5.5's 'The recipient was unavailable to take delivery of the message' reads as an unknown user (2); the label says no cause of the table (99)",
    ),
    (
        "old_archives2/21-listserv-owner-wrapped-bounce.eml wbrennan@alumni.oldcollege.example",
        "LISTSERV forwards a bounce to the list owners as 'a possible delivery error notice': read as the list manager's notice (ListOwner, issue 18 item 2), the enclosed Sendmail report not opened; the label reads the enclosed report (1)",
    ),
    (
        "old_archives2/37-pmdf-mailserv-confirm.eml kind",
        "PMDF MAILSERV's command confirmation reads as ordinary mail; the label says a list manager's notice; it names nobody either way",
    ),
    (
        "old_archives2/38-mercury-maiser-help.eml kind",
        "Mercury MAISER's help reply, as above",
    ),
    (
        "localized_pages/33-webmail-vi-host-and-syntax.eml tran.thi.b@@zing-mail.example",
        "an address with two '@' is no address to the address finder",
    ),
    (
        "old_usenet/30-sendmail812-syntax-two.eml rchan@example.com",
        "Sendmail lists only the other address under its permanent errors; this one stands in the transcript behind a display name ('553 5.0.0 Robert Chan <rchan@example.com... Unbalanced'), a position not read as a recipient's",
    ),
    (
        "old_usenet/36-postfix2000-three-mixed.eml pat@mail.example.com",
        "Postfix 2000's 'cannot append message to destination file …: File too large' reads as a message too large (8); the label says the mailbox's file quota (5)",
    ),
    (
        "webhosting/39-exim-cpanel-could-not-deliver-and-rbl.eml contact@migrated-site.example",
        "cPanel's 'The account or domain may not exist, they may be blacklisted, or missing the proper dns entries' reads as the domain's (1), as the shared corpus reads it; the label says 7 or 2",
    ),
];

fn check(set: &str) {
    fresh_sets::check(set, KNOWN);
}

#[test]
fn reports_of_the_less_common_causes_from_new_pages() {
    check("status_spread2");
}

#[test]
fn old_reports_as_mailing_lists_received_them() {
    check("old_archives");
}

#[test]
fn windows_and_groupware_servers_reports() {
    check("win_servers");
}

#[test]
fn non_failures_most_like_failure_reports() {
    check("nonfail_pages3");
}

#[test]
fn modern_servers_reports_from_their_source_and_issues() {
    check("modern_src");
}

#[test]
fn old_reports_of_the_least_represented_systems() {
    check("old_archives2");
}

#[test]
fn localized_reports_as_pasted_in_their_languages() {
    check("localized_pages");
}

#[test]
fn old_reports_as_usenet_posts_and_mta_source_give_them() {
    check("old_usenet");
}

#[test]
fn web_hosting_reports_as_customers_pasted_them() {
    check("webhosting");
}
