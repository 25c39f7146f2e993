//! Reports and notices written for the twenty-fifth round by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, twenty-first wave), each grounded in a
//! page it looked up: bounces quoted on help pages of ISPs, universities, web hosts and list
//! hosts that explain returned mail to their users (`helpdesk_pages`); the example error messages
//! printed in RFCs and IETF drafts, RFC 1211's appendix of 1991 mailing-list errors first
//! (`rfc_examples`); bounces and replies of Japanese carriers, ISPs and hosts as Japanese pages
//! quote them (`japan_pasted`); and automatic non-failures a bounce mailbox receives, from the
//! products' documentation (`nonfail_modern`: recall reports, success DSNs, quarantine and hold
//! notices, moderation notices, read receipts, ticket acknowledgements, reports); and failure
//! reports people pasted of the less common causes (unknown host, forwarding, the receiving
//! server, size, address format, give-ups: `status_spread`). Labelled before the parser ran on
//! them; a label changed by the project's rules is named in its line's `why`;
//! the misses left are listed with their reasons.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "rfc_examples/01-sendmail561-deferred-mixed.eml arivera@clearpoint.example",
        "Sendmail 5.61 (1991) lists its deferrals ('451 … reply: read error') in the same transcript as its failures, with no heading between: named as failed (3)",
    ),
    (
        "rfc_examples/01-sendmail561-deferred-mixed.eml dwatson@hobbes.tymnet.example",
        "as above ('451 … timeout waiting for input'): named (7)",
    ),
    (
        "rfc_examples/04-hdb-uucp-warning.eml kind",
        "a UUCP warning that names only a bang path ('sigbox!ietf-interest'): read as ordinary mail (NotBounce); it names nobody either way",
    ),
    (
        "rfc_examples/06-uucp-hidden-host-unknown.eml adam_greene.safari@gatorcorp",
        "an address whose domain has no dot is no address to the address finder",
    ),
    (
        "rfc_examples/06-uucp-hidden-host-unknown.eml mary_lebrun.safari@gatorcorp",
        "as above",
    ),
    (
        "rfc_examples/08-sunos-no-postmaster.eml postmaster",
        "a bare local part ('Postmaster... User unknown') is no address",
    ),
    (
        "rfc_examples/13-sendmail-forward-user-unknown.eml sdukov@allspice.lcs.mit.example",
        "the .forward's target host's name in '550 /u/sdukov/.forward: line 0: tabasco… User unknown' is read as one more failed address (2)",
    ),
    (
        "rfc_examples/15-sendmail-arpa-host-lookup.eml hartley@oad-ems.arpa",
        "the third of three addresses sharing one '... Host unknown', on an indented continuation line below the other two: not named",
    ),
    (
        "rfc_examples/18-decwrl-mail11-diralloc.eml pcarlo@levers.enet.dec.example",
        "DECwrl's mail11 report (1991) of one address bounced, one queued and one sent: its 'queued' reads as a delay warning and nobody is named",
    ),
    (
        "rfc_examples/20-rfc3464-multi-recipient-dsn.eml arajan@vnet.ibm.example",
        "'is not a registered gateway user' is a refusal (4) by the shared corpus's labels (rfc3464-35); the label says an unknown user (2)",
    ),
    (
        "rfc_examples/21-rfc3464-message-router-gateway.eml nagy_s",
        "a bare local part ('Final-Recipient: unknown; nagy_s') is no address",
    ),
    (
        "nonfail_modern/12-mimecast-held-sender-notice.eml kind",
        "Mimecast's notice to the sender that a message is held for review reads as a list manager's hold notice (ListOwner); the label says a content filter; it names nobody either way",
    ),
    (
        "nonfail_modern/17-google-groups-invite-only.eml kind",
        "as above, its answer to a request to join",
    ),
    (
        "nonfail_modern/21-sympa-forwarded-to-moderator-ja.eml kind",
        "Sympa's Japanese notice that a post went to the moderators: read as an auto-reply; the label says a list manager's notice; it names nobody either way",
    ),
    (
        "nonfail_modern/24-thunderbird-mdn-deleted-de.eml kind",
        "Thunderbird's German receipt 'gelöscht' (deleted unread) is read as an auto-reply; the label says ordinary mail; it names nobody either way",
    ),
    (
        "nonfail_modern/31-freshdesk-ticket-received.eml kind",
        "a help desk's acknowledgement marked auto-generated, quoting a forwarded bounce: read as an auto-reply, the label says ordinary mail; it names nobody either way",
    ),
    (
        "nonfail_modern/32-otrs-auto-reply-new-ticket.eml kind",
        "as above, OTRS's, marked auto-replied",
    ),
    (
        "nonfail_modern/40-user-forwards-ndr-to-it.eml kind",
        "a person forwarding an Exchange report to the help desk (FW:) with a question above it: read as the report it forwards, as the shared corpus's sisimai labels read a forwarded bounce (lhost-sendmail-14) and precision_traps lists its own such forward",
    ),
    (
        "nonfail_modern/40-user-forwards-ndr-to-it.eml r.alvarez@contractor.example",
        "as above: the forwarded report names its recipient",
    ),
    (
        "status_spread/03-exo-transport-rules-loop.eml rooms-desk@uni.example",
        "'550 5.7.128 TRANSPORT.RULES.RejectMessage; Transport rules loop count exceeded and message rejected': read as the transport rule's refusal (4); the label says a loop (7)",
    ),
    (
        "status_spread/08-postfix-forwarding-loop.eml jan@example.org",
        "Postfix's 'mail forwarding loop for …' is a loop of the receiving system (7), as the shared corpus's sisimai reasons read it (networkerror); the label says a forwarding error (6)",
    ),
    (
        "status_spread/40-mailu-forwarding-loop-and-smtputf8.eml lucia@familia-garcia.example",
        "as above",
    ),
    (
        "status_spread/25-postfix-smtputf8-two-recipients.eml dev-alice@example.com",
        "Postfix's 'SMTPUTF8 is required, but was not offered by host' (5.6.7) for a message with UTF-8 addresses in its header is the receiving server's want of a feature (7); the label says the address's format (9), though this recipient's address is ASCII",
    ),
    (
        "status_spread/25-postfix-smtputf8-two-recipients.eml bob.review@example.net",
        "as above",
    ),
    (
        "status_spread/26-nl-postfix-smtputf8.eml r.devries@partner.example",
        "as above",
    ),
    (
        "status_spread/40-mailu-forwarding-loop-and-smtputf8.eml p.janssen@old-isp.example",
        "as above",
    ),
    (
        "status_spread/35-postfix-hostnotfound-and-size.eml email@receivingdomain.example_",
        "an address whose domain ends in '_' is mistyped, and a mistyped address's failed lookup is its format's (9, `mistyped.rs`); the label says an unknown host (1)",
    ),
    (
        "old_isp_pages/30-earthlink-2009-blockedby-autoresponse.eml kind",
        "EarthLink's automatic answer to mail sent to its unblocking address, under a bounce's subject ('Returned mail: see transcript for details'), names its own address at the start of a line with blocking words: read as a failure report naming it (4); the label says an auto-reply",
    ),
    (
        "old_isp_pages/30-earthlink-2009-blockedby-autoresponse.eml blockedbyearthlink@abuse.earthlink.example",
        "as above",
    ),
    (
        "multi_pasted/05-sendmail814-partial-mailbox.eml prof.adams@campus.example",
        "Sendmail's item for the alias's expansion into a file ('/home/adams/Mail/incoming' / '(reason: Can't create output: Permission denied)' / '(expanded from: <addr>)') reads as the receiving system's failure (7); the label says the forward's (6), from the transcript's '.forward: line 1'",
    ),
    (
        "multi_pasted/22-outlook-es-sin-entregar-syntax-relay.eml jlsotorrio@lsanvicente.example",
        "'501 Syntax error in parameters or arguments' is a syntax error of the command (99), as the shared corpus's sisimai reasons read it (syntaxerror); the label says the address's format (9)",
    ),
    (
        "nonfail_pasted2/26-discourse-auto-generated-reject.eml kind",
        "Discourse's refusal of a reply by mail ('Email issue -- Auto Generated Reply') has no list header the markers know: ordinary mail (NotBounce); the label says a list manager's notice; it names nobody either way",
    ),
    (
        "nonfail_pasted2/27-discourse-topic-closed-reject.eml kind",
        "as above, its refusal for a closed topic",
    ),
    (
        "nonfail_pasted2/34-quota-warning-93-full.eml kind",
        "a mailbox owner's quota warning ('This is a warning only. New mail is still being delivered') reads as a delay warning by its decisive wording; the label says ordinary mail; it names nobody either way",
    ),
    (
        "gateways_pasted/06-exchange2016-ironport-esets-spam-two.eml servis@lesprom-sk.example",
        "Exchange quoting Cisco's '5.3.0 - Other mail system problem 550-'5.7.0 Rejected by ESETS_SMFI (spam)' (delivery attempts: 0)': the weak 'attempts:' outweighs the weak 'spam' by length and reads as the retries' end (3); a phrase '(spam)' named other recipients in two prose reports and was left out; the label says a spam refusal (4)",
    ),
    (
        "gateways_pasted/06-exchange2016-ironport-esets-spam-two.eml kovac@lesprom-sk.example",
        "as above",
    ),
    (
        "gateways_pasted/10-postfix-hornetsecurity-ldap-and-spam.eml reservierung@seeterrasse-events.example",
        "Hornetsecurity's '554 5.7.1 unknown domain or unknown recipient (LDAP check)' names the domain and the recipient unknown alike: read as the domain's (1); the label says the recipient's (2)",
    ),
    (
        "intl_pasted2/10-qmail-tw-url-bad-host-databytes-limit-mailfolder-quota.eml chen@herolighting@example",
        "an address with two '@' ('chen@herolighting@example') is no address to the address finder",
    ),
    (
        "intl_pasted2/18-tin-it-dsn-mailbox-full-bad-destination-routing-failure.eml sempronio@liberoo.example",
        "'5.4.3 (routing server failure)' reads by its code as the receiving system's routing (7); the label says an unknown host (1)",
    ),
    (
        "intl_pasted2/26-exim-th-rejected-as-spam-content-filtering-and-bad-address-format.eml wanida.k@thaimail.example.",
        "the address with a trailing dot is named without it (the next entry): the same recipient",
    ),
    (
        "intl_pasted2/26-exim-th-rejected-as-spam-content-filtering-and-bad-address-format.eml wanida.k@thaimail.example",
        "as above",
    ),
];

fn check(set: &str) {
    fresh_sets::check(set, KNOWN);
}

#[test]
fn bounces_quoted_on_help_pages() {
    check("helpdesk_pages");
}

#[test]
fn error_messages_printed_in_rfcs() {
    check("rfc_examples");
}

#[test]
fn japanese_reports_as_japanese_pages_quote_them() {
    check("japan_pasted");
}

#[test]
fn automatic_non_failures_from_product_documentation() {
    check("nonfail_modern");
}

#[test]
fn reports_of_the_less_common_causes_as_people_pasted_them() {
    check("status_spread");
}

#[test]
fn old_isp_reports_as_pages_quote_them() {
    check("old_isp_pages");
}

#[test]
fn delay_warnings_and_give_ups_as_people_pasted_them() {
    check("delays_pasted");
}

#[test]
fn bounces_posted_to_lists_and_threads() {
    check("list_archive_pasted");
}

#[test]
fn reports_of_several_recipients_as_people_pasted_them() {
    check("multi_pasted");
}

#[test]
fn non_failures_carrying_failure_words_as_people_pasted_them() {
    check("nonfail_pasted2");
}

#[test]
fn security_gateways_reports_and_notices_as_people_pasted_them() {
    check("gateways_pasted");
}

#[test]
fn national_providers_reports_as_pasted_in_their_languages() {
    check("intl_pasted2");
}
