//! Reports written for the twenty-ninth round of issue 18 by a helper that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, thirty-eighth wave), labelled before the
//! parser ran on them: what a sending application receives from mail security gateways and
//! filtering services of 2010–2026, the refusals its own MTA reports and the gateways' own
//! non-delivery notices, beside the quarantine digests, held and released notices, encryption
//! portal mails, scan delays, a sender verification and data-loss-prevention notices that look
//! like them (`gateway_notices`). The misses left are listed with their reasons; the test fails
//! when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "gateway_notices/05-mimecast-held-notification-sender.eml kind",
        "Mimecast's 'Your message has been held for review' reads as a moderation notice (list_owner), a notice naming nobody either way; the label says content_filter",
    ),
    (
        "gateway_notices/30-mimecast-held-then-rejected-by-admin.eml c.rafferty@ashworth-partners.example",
        "marked Auto-Submitted: auto-replied, and its reason ('Suspected impersonation / phishing') stands in a field of its own below the recipient's line: read as an automatic reply naming nobody; the label says the administrator's rejection failed it (4)",
    ),
    (
        "gateway_notices/40-google-workspace-dlp-rule-blocked.eml kind",
        "Google's DLP notice from the mailer-daemon without a report part reads as an automatic reply (auto_reply); a notice naming nobody either way; the label says content_filter",
    ),
];

#[test]
fn what_a_sender_receives_from_security_gateways() {
    fresh_sets::check("gateway_notices", KNOWN);
}
