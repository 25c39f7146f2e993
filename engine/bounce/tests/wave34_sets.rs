//! Reports written for the twenty-eighth round of issue 18 by helpers that never saw the
//! parser, its tables or its corpora (`fresh_reports/README.md`, thirty-fourth wave), labelled
//! before the parser ran on them: what a Japanese sender's bounce address receives from the
//! carriers, ISPs and company servers of 2005–2025 in ISO-2022-JP, Shift_JIS, EUC-JP and UTF-8,
//! some declared wrong (`japan3`), and reports naming several recipients whose causes differ,
//! in every layout (`many_causes`). The misses left are listed with their reasons; the test
//! fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "many_causes/03-exim469-generated-retry-blacklist.eml rudi.egger@postbox-tirol.example",
        "a forward target's SPF refusal of the forwarded mail ('Forwarded mail refused: SPF check fail') reads as the refusal it quotes (4); the label says the forward failed (6)",
    ),
    (
        "many_causes/14-zimbra86-expanded-forward-overquota-nosuchuser.eml m.hale.climbs@peakmail.example",
        "the forward target's 'SPF validation failed for forwarded message' reads as the refusal (4); the label says the forward failed (6)",
    ),
    (
        "many_causes/15-domino65-four-blocks-notlisted-quota-size-noroute.eml svogel@rheinwerk-bau.example",
        "Domino's four per-recipient blocks: this recipient's DSN block has no diagnostic and its paragraph is read across another recipient's 'No route found' (1); the label says its own 'mail file is over its quota' (5)",
    ),
    (
        "many_causes/37-hmailserver56-blocked-nomx-toobig-smtputf8.eml renée.dubois@architecte-liege.example",
        "the recipient's own '553 5.6.7 … SMTPUTF8 is required … non-ASCII characters are not allowed in the mailbox name' reads by RFC 6531's X.6.7 as a capability the receiver lacks (7); the label says 9",
    ),
    (
        "many_causes/40-netscape-msg35-recipient-reason-pairs.eml elevator.office",
        "an address without a domain ('<elevator.office>... Domain name required') is no address to the reader: not named",
    ),
];

#[test]
fn what_a_japanese_bounce_address_receives() {
    fresh_sets::check("japan3", KNOWN);
}

#[test]
fn several_recipients_each_with_its_own_cause() {
    fresh_sets::check("many_causes", KNOWN);
}
