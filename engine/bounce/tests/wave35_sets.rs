//! Reports written for the twenty-ninth round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, thirty-fifth wave), labelled before the
//! parser ran on them: reports naming several recipients whose causes differ, from the classic
//! mail systems of 1998–2015 (`many_causes2`) and the providers, gateways and relays of
//! 2015–2026 (`many_causes3`); what a mailing list's bounce or owner address receives, failures
//! of list posts and the notices that look like them (`list_owner_mail`); and reports in odd MIME
//! structures and encodings, with the forwards, receipts and ticket mails that quote them
//! (`odd_structures`). The misses left are listed with their reasons; the test fails when one
//! becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "list_owner_mail/15-exim471-forward-generated-from.eml rfoster@alumni.example.edu",
        "Exim's 'rfoster@oldjob-corp.example (generated from rfoster@alumni.example.edu)': the failed address is the forward target Exim names, the member's address is kept as its original_recipient (so a report matches the delivery); the label names the member",
    ),
    (
        "list_owner_mail/15-exim471-forward-generated-from.eml rfoster@oldjob-corp.example",
        "as above: the target is named",
    ),
    (
        "list_owner_mail/18-postfix25-alias-expanded-from-blocklisted.eml kpatel@alumni.example.edu",
        "Postfix's DSN gives the alias target as Final-Recipient and the member as Original-Recipient: the target is named, the member kept as original_recipient; the label names the member",
    ),
    (
        "list_owner_mail/18-postfix25-alias-expanded-from-blocklisted.eml kpatel@oldisp.example",
        "as above: the target is named",
    ),
    (
        "many_causes2/13-zimbra7-postfix-quota-user-blocked-syntax.eml r.dunn@[county-clerk.example]",
        "a domain name in brackets ('r.dunn@[county-clerk.example]') is neither a domain nor an address literal: no address to the reader, not named",
    ),
    (
        "many_causes2/31-netqmail106-user-queuetoolong-barecode-content.eml shop@kiln-and-glaze.example",
        "no cause named: the bare 550 is the mailbox's (2); the label says 99",
    ),
    (
        "many_causes3/27-ironport-asyncos-three-reasons.eml ops-desk@brightline-freight.example",
        "'5.3.0 - Other mail system problem' reads by RFC 3463's X.3.0 as the receiving system's trouble (7); the label says 99",
    ),
    (
        "odd_structures/12-request-tracker-ticket-created-from-bounce.eml kind",
        "a ticket system's notice quoting the report it received: read as the report it quotes, as a person's forward is (grounded_pages: nonfail_modern/40, the shared corpus's lhost-sendmail-14)",
    ),
    (
        "odd_structures/12-request-tracker-ticket-created-from-bounce.eml f.lindqvist@soderhamn-tra.example",
        "as above: the quoted report names its recipient",
    ),
    (
        "odd_structures/24-fw-undeliverable-forwarded-inline-by-user.eml kind",
        "a person forwarding an Exchange report (FW:) with a question above it: read as the report it forwards (grounded_pages: nonfail_modern/40, the shared corpus's lhost-sendmail-14)",
    ),
    (
        "odd_structures/24-fw-undeliverable-forwarded-inline-by-user.eml dispatch@bluegrass-brokerage.example",
        "as above: the forwarded report names its recipient",
    ),
    (
        "odd_structures/34-helpdesk-ticket-html-notification-quoting-ndr.eml kind",
        "a help desk's HTML ticket notice quoting the report it received: read as the report it quotes",
    ),
    (
        "odd_structures/34-helpdesk-ticket-html-notification-quoting-ndr.eml rosa.delgado@sunmail.example",
        "as above: the quoted report names its recipient",
    ),
];

#[test]
fn several_recipients_each_with_its_own_cause_classic_systems() {
    fresh_sets::check("many_causes2", KNOWN);
}

#[test]
fn several_recipients_each_with_its_own_cause_modern_systems() {
    fresh_sets::check("many_causes3", KNOWN);
}

#[test]
fn what_a_lists_bounce_address_receives() {
    fresh_sets::check("list_owner_mail", KNOWN);
}

#[test]
fn reports_in_odd_structures_and_what_quotes_them() {
    fresh_sets::check("odd_structures", KNOWN);
}
