//! Reports and notices written for the twenty-third round by helpers that never saw the parser,
//! its tables or its corpora, each grounded in the real systems' own text rather than in memory
//! alone (`fresh_reports/README.md`): reports built from open-source MTAs' and delivery agents'
//! source templates with replies those servers send (`mta_source`); RFC 3464, 3461 and 6533
//! edge cases as MTAs emit them (`dsn_edge`); and notices of commercial gateways, groupware and
//! providers written from their admin documentation (`vendor_docs`); a tenth wave's reports
//! carrying SMTP session transcripts (`transcripts_src`), Japanese carriers', ISPs' and gateways'
//! reports from their help pages (`japan_docs`) and non-failures from products' own templates
//! (`nonfail_src`); an eleventh wave's notices about bounces that report no failure of ours
//! (`traps_src`), sending services' and relays' reports (`relays_docs`) and 1990-2010 systems'
//! reports from their source (`historic_src`); a twelfth wave's Chinese, Korean, Russian and
//! Turkish providers' reports (`eastern_docs`) and failures of forwards, aliases and groups
//! (`forwarding_src`, relabelled by the project's rule for expansions: see the README) and give-ups
//! after retries beside delay warnings (`timeouts_src`); a thirteenth wave's large providers'
//! reports to their own users (`bigmail_docs`) and non-failures in other languages
//! (`nonfail_intl`); a fourteenth wave's Microsoft 365 and Exchange NDR families from Microsoft's
//! documentation (`m365_docs`) and bounces wrapped, nested or passed on (`nested_src`). Labelled before the parser ran on them; two labels were changed by the
//! project's rules (README); the misses left are listed with their reasons.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "nested_src/04-exim-frozen-bounce-freeze-tell.eml newsletter@promo-sender.example",
        "Exim's notice to the postmaster of a frozen bounce reads as an auto-reply: the bounce's own refused delivery (to the sender of the bounced message) is not read out of it",
    ),
    (
        "nested_src/21-outlook-de-forward-ndr-as-attachment.eml s.hoffmann@kunststoff-hoffmann.example",
        "a person's forward with the German Outlook NDR attached: the attached report is not read for the forward (the forward rule covers quoted and inline reports)",
    ),
    (
        "nested_src/22-mutt-quoted-forward-koi8r.eml d.petrov@stroy-partnr.example",
        "a mutt forward quoting an Exim bounce line by line ('> ') in KOI8-R: read as ordinary mail, the quoted report not read",
    ),
    (
        "nested_src/27-sieve-enclose-sendmail-timeout-bounce.eml mandant.rauch@rauch-immobilien.example",
        "a mailbox filter's wrapper enclosing a Sendmail report: the wrapper's own words ('a delivery failure report addressed to buero@… was archived') are read instead of the enclosed report",
    ),
    (
        "nested_src/27-sieve-enclose-sendmail-timeout-bounce.eml buero@kanzlei-nord.example",
        "as above: the enclosed report's addressee, named in the wrapper's sentence, is taken for a failed recipient",
    ),
    (
        "m365_docs/07-exo-pt-5.2.121-recipient-receive-limit.eml rafael.costa@fourthcoffee.example",
        "Exchange Online's per-hour receive limit of a recipient from one sender reads as a rate refusal (4), as Gmail's 'receiving mail too quickly' does (fresh_replies4); the label says the mailbox's capacity (5)",
    ),
    (
        "nonfail_intl/23-sympa-moderacion-es.eml kind",
        "Sympa sends its notice as a delivery-status report (its post 'Redirigido' to the moderator): read as a report of no failure (NotBounce), not a list manager's notice; it names nobody either way",
    ),
    (
        "relays_docs/07-mandrill-rejected-invalid-address.eml rafael.gomez@example..org",
        "an automation's alert relaying Mandrill's reject event, from a shop's robot: read as ordinary mail; its address, with two dots in a row, is no address to the address finder",
    ),
    (
        "transcripts_src/20-communigate-transaction-failed.eml a.smirnova@example.net",
        "'554 5.0.0 Transaction failed (no reason given)': the table reads 'transaction failed' as the receiving server's failure (7); the label names no cause (99)",
    ),
    (
        "nonfail_src/23-exchange-transport-rule-incident-report.eml kind",
        "an Exchange transport rule's incident report has no content-filter wording the markers hold ('Incident Report: PCI …'): ordinary mail; it names nobody either way",
    ),
    (
        "vendor_docs/20-seppmail-encryption-policy-no-key.eml jan.meier@kanzlei-graf.example",
        "the gateway's own encryption policy discarded the message: read as a refusal by policy (4); the label names no cause of the list (99)",
    ),
];

fn check(set: &str) {
    fresh_sets::check(set, KNOWN);
}

#[test]
fn reports_with_session_transcripts() {
    check("transcripts_src");
}

#[test]
fn japanese_reports_from_providers_help_pages() {
    check("japan_docs");
}

#[test]
fn non_failures_from_products_templates() {
    check("nonfail_src");
}

#[test]
fn notices_about_bounces_that_report_no_failure_of_ours() {
    check("traps_src");
}

#[test]
fn reports_of_sending_services_and_relays_from_their_docs() {
    check("relays_docs");
}

#[test]
fn reports_of_1990_2010_systems_from_their_source() {
    check("historic_src");
}

#[test]
fn chinese_korean_russian_and_turkish_providers_reports() {
    check("eastern_docs");
}

#[test]
fn failures_of_forwards_aliases_and_groups() {
    check("forwarding_src");
}

#[test]
fn give_ups_after_retries_and_delay_warnings() {
    check("timeouts_src");
}

#[test]
fn large_providers_reports_to_their_own_users() {
    check("bigmail_docs");
}

#[test]
fn non_failures_in_other_languages() {
    check("nonfail_intl");
}

#[test]
fn microsoft_365_and_exchange_ndr_families() {
    check("m365_docs");
}

#[test]
fn bounces_wrapped_nested_or_passed_on() {
    check("nested_src");
}

#[test]
fn reports_from_open_source_mta_templates() {
    check("mta_source");
}

#[test]
fn delivery_status_reports_at_the_rfcs_edges() {
    check("dsn_edge");
}

#[test]
fn gateway_and_groupware_notices_from_their_documentation() {
    check("vendor_docs");
}
