//! Messages that arrive on the bounce domain but report no failure (issue 18,
//! item 2): DMARC/TLS reports, challenge-response requests, content-filter
//! notices, list-manager notices and delay warnings. Each is its own
//! [`Kind`]; none of them may fail a delivery or count towards blocking.
//!
//! Recognition is by structure first (report types, attachment types, the
//! DSN `Action` field), then by wording in the error block only: the
//! returned original is the sender's own text and may say anything.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::dsn::DsnRecipient;
use crate::markers::Markers;
use crate::mime::View;
use crate::report::Kind;

/// A DMARC aggregate report (RFC 7489 §7.2) or an SMTP TLS report (RFC 8460).
pub fn is_report(view: &View) -> bool {
    if view.report_type.as_deref() == Some("tlsrpt") {
        return true;
    }
    if view
        .part_types
        .iter()
        .any(|t| t.starts_with("application/tlsrpt"))
    {
        return true;
    }
    // RFC 7489 §7.2.1.1: "Report Domain: <domain> Submitter: <domain>",
    // with the XML zipped or gzipped.
    // Reporters also write "Report Domain: … Report-ID: …" without the
    // submitter, or name the report "DMARC Aggregate Report for …".
    let subject = view.subject.to_ascii_lowercase();
    let dmarc_subject = subject.contains("report domain:")
        && (subject.contains("submitter:") || subject.contains("report-id:"))
        || subject.contains("dmarc") && subject.contains("aggregate");
    // The XML as sent: zipped or gzipped under any of the types reporters
    // give it (`application/x-zip`, `application/x-gzip-compressed`), or a
    // file so named under `application/octet-stream`.
    let archive = view
        .part_types
        .iter()
        .any(|t| t.contains("zip") || t.ends_with("/xml") || t.ends_with("+xml"))
        || view.file_names.iter().any(|n| {
            let n = n.to_ascii_lowercase();
            [".xml", ".xml.gz", ".zip", ".gz"]
                .iter()
                .any(|e| n.ends_with(e))
        });
    // The file name alone is enough: its two timestamps between `!`s are in
    // no other kind of mail, and reporters vary the subject (or lose it).
    let named = view.file_names.iter().any(|n| dmarc_file_name(n));
    dmarc_subject && archive || named
}

/// RFC 7489 §7.2.1.1's report file name, `receiver "!" policy-domain "!"
/// begin "!" end [ "!" unique-id ] "." ("xml" / "xml.gz" / "zip")`, begin
/// and end in seconds since the epoch: some senders label the file
/// `application/octet-stream`.
fn dmarc_file_name(name: &str) -> bool {
    let Some(stem) = [".xml.gz", ".xml", ".zip", ".gz"]
        .iter()
        .find_map(|e| name.strip_suffix(e))
    else {
        return false;
    };
    let parts: Vec<&str> = stem.split('!').collect();
    let stamp = |i: usize| {
        parts
            .get(i)
            .is_some_and(|p| p.len() >= 9 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    parts.len() >= 4 && parts[0].contains('.') && parts[1].contains('.') && stamp(2) && stamp(3)
}

/// Which notice wordings occur in a text, found in one pass.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    /// Challenge-response wording.
    pub challenge: bool,
    /// Mailing-list manager wording.
    pub list_owner: bool,
    /// Anti-virus / content-filter wording.
    pub content_filter: bool,
    /// Delay wording.
    pub delay: bool,
    /// Wording of a permanent failure.
    pub permanent: bool,
    /// A statement only delay warnings make.
    pub delay_certain: bool,
    /// A statement that the retries go on (`[retrying]`).
    pub retrying: bool,
    /// Delivery-receipt wording.
    pub success: bool,
    /// A challenge system's name (`[challenge-product]`): alone, a
    /// challenge only when that system sent the message ([`product_sender`]).
    pub challenge_product: bool,
    /// A request to click or confirm (`[challenge-ask]`): a challenge only
    /// with `challenge` or a challenge product.
    pub challenge_ask: bool,
    /// A warning to a mailbox's owner that it is filling up
    /// (`[quota-warning]`): the mailbox has failed nothing yet.
    pub quota_warning: bool,
}

/// One automaton over every notice list (eleven lists, ~150 phrases): a
/// substring search per phrase would read the error block 130 times.
struct Matcher {
    ac: Option<AhoCorasick>,
    list: Vec<u8>,
    /// Per phrase: a single ASCII word (a product's name), matched only
    /// whole. (Japanese phrases run on without spaces: never whole words.)
    single_word: Vec<bool>,
}

fn matcher(markers: &Markers) -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let lists = [
            &markers.challenge,
            &markers.list_owner,
            &markers.content_filter,
            &markers.delay,
            &markers.permanent,
            &markers.delay_certain,
            &markers.success,
            &markers.challenge_ask,
            &markers.challenge_product,
            &markers.quota_warning,
            &markers.retrying,
        ];
        let mut phrases: Vec<&str> = Vec::new();
        let mut list = Vec::new();
        let mut single_word = Vec::new();
        for (i, l) in (0u8..).zip(lists) {
            for p in l.iter() {
                phrases.push(p);
                list.push(i);
                single_word.push(p.bytes().all(|b| b.is_ascii_alphanumeric()));
            }
        }
        Matcher {
            // The shipped phrases are covered by tests; without an automaton
            // no notice is recognised, which fails safe towards failures.
            // A DFA: the error block of every message is searched.
            ac: AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&phrases)
                .ok(),
            list,
            single_word,
        }
    })
}

/// The notice wordings in `head` (lower case). `markers` must be the
/// built-in table: the automaton is built from it once per process.
pub fn wording(markers: &Markers, head: &str) -> Wording {
    let m = matcher(markers);
    let mut w = Wording::default();
    let Some(ac) = &m.ac else {
        return w;
    };
    let bytes = head.as_bytes();
    // "No virus found in this message" is no "virus found in": looked for
    // once a content-filter marker is found.
    let mut not_causes = None;
    let word_byte = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(|b| b.is_ascii_alphanumeric())
    };
    for hit in ac.find_overlapping_iter(head) {
        // A one-word marker ("tmda", "boxbe") is a product's name: a whole
        // word, not letters inside base64 or another word.
        if m.single_word.get(hit.pattern().as_usize()) == Some(&true)
            && (word_byte(hit.start().checked_sub(1)) || word_byte(Some(hit.end())))
        {
            continue;
        }
        let list = m.list.get(hit.pattern().as_usize());
        if list == Some(&2)
            && crate::not_causes::inside(
                not_causes.get_or_insert_with(|| crate::not_causes::spans(head)),
                &hit.range(),
            )
        {
            continue;
        }
        match list {
            Some(0) => w.challenge = true,
            Some(1) => w.list_owner = true,
            Some(2) => w.content_filter = true,
            Some(3) => w.delay = true,
            Some(4) => w.permanent = true,
            Some(5) => w.delay_certain = true,
            Some(6) => w.success = true,
            // A challenge system's name or a request to click is talk
            // about one on its own (a list thread): the caller decides.
            Some(7) => w.challenge_ask = true,
            Some(8) => w.challenge_product = true,
            Some(9) => w.quota_warning = true,
            Some(10) => w.retrying = true,
            _ => {}
        }
    }
    w
}

/// Whether a challenge system's name (`[challenge-product]`) is in the
/// sender's address or display name, as whole words: the system signing
/// its own notice ("notify@boxbe.com", "Jane via Boxbe").
pub fn product_sender(markers: &Markers, from_addr: &str, from_name: &str) -> bool {
    let words = |s: &str| -> String {
        s.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sender = format!(" {} {} ", words(from_addr), words(from_name));
    markers
        .challenge_product
        .iter()
        .any(|p| sender.contains(&format!(" {} ", words(p))))
}

/// Challenge-response, list-manager or content-filter wording, in that order.
/// A hold ("your message is being held") with a filter's words and no
/// request to the sender to click or confirm is the filter's: an
/// administrator reviews it, not the sender.
pub fn wording_kind(w: Wording) -> Option<Kind> {
    if w.challenge && (w.challenge_ask || !w.content_filter) {
        Some(Kind::ChallengeResponse)
    } else if w.list_owner {
        Some(Kind::ListOwner)
    } else if w.content_filter {
        Some(Kind::ContentFilter)
    } else {
        None
    }
}

/// A DSN block that says "still trying": `Action: delayed`, or no action and
/// a 4.x.x status. `Action: failed` wins over a 4.x.x status (Postfix gives
/// up on a temporary failure with `failed` + `4.4.1`: that is final).
pub fn dsn_delayed(d: &DsnRecipient) -> bool {
    match d.action.as_deref() {
        Some(a) => a.starts_with("delayed"),
        None => d.status.as_deref().is_some_and(|s| s.starts_with('4')),
    }
}

/// A DSN block that says nothing either way: an `Action` that is none of
/// RFC 3464's five (a report cut short in the field: "Action: dela") and
/// no `Status`. The report's words decide it.
pub fn dsn_undecided(d: &DsnRecipient) -> bool {
    const ACTIONS: [&str; 5] = ["failed", "delayed", "delivered", "relayed", "expanded"];
    d.status.is_none()
        && d.action
            .as_deref()
            .is_some_and(|a| !ACTIONS.iter().any(|k| a.starts_with(k)))
}

/// A delivery receipt in words: success wording and neither failure nor
/// delay wording anywhere in the error block.
pub fn text_success(w: Wording) -> bool {
    w.success && !w.permanent && !w.delay && !w.delay_certain
}

/// A human-readable delay warning: a statement only warnings make, or
/// delay wording and no wording of a permanent failure anywhere in the
/// error block.
pub fn text_delayed(w: Wording) -> bool {
    w.delay_certain || w.delay && !w.permanent
}

/// The lower-case subject and error block, where notice wording counts,
/// with every run of whitespace made one space: templates wrap their
/// sentences anywhere ("verify that you\nare a real live human being").
/// After an `[original-subject-prefix]` ("Undeliverable: …") the subject
/// is the returned message's, which is the sender's text: it is left out,
/// and so is a forward's whole subject ("Fwd: …").
pub fn head_of(view: &View, markers: &Markers, block: &str) -> String {
    let mut subject = view.subject.to_lowercase();
    if let Some(p) = crate::detect::report_subject_prefix(&subject, markers) {
        subject = p.to_string();
    } else if crate::detect::forwarded_subject(&subject, markers) {
        subject.clear();
    }
    let mut h: Vec<u8> = Vec::with_capacity(subject.len() + 1 + block.len());
    // Word by word (the error block can be most of a message): only ASCII
    // whitespace is collapsed, so the result stays valid UTF-8.
    for text in [subject.as_bytes(), block.as_bytes()] {
        crate::text::join_words(&mut h, text, |b| b.is_ascii_whitespace());
    }
    String::from_utf8(h).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dmarc_report_file_name() {
        assert!(dmarc_file_name(
            "google.com!example.org!1700000000!1700086399.zip"
        ));
        assert!(dmarc_file_name(
            "protection.outlook.com!example.org!1700000000!1700086400!abc.xml.gz"
        ));
        assert!(!dmarc_file_name("a!b!c!d.zip"));
        assert!(!dmarc_file_name("holiday!photos!2023!final.zip"));
        assert!(!dmarc_file_name(
            "google.com!example.org!1700000000!1700086399.pdf"
        ));
    }

    #[test]
    fn a_product_name_is_a_whole_word() {
        let m = Markers::builtin();
        let w = wording(m, "this message was held by tmda until you confirm");
        assert!(w.challenge_product);
        // A product's name alone is no challenge wording: the caller asks
        // who sent it (`product_sender`).
        assert!(!w.challenge);
        // The same letters inside base64 or another word say nothing.
        let w = wording(m, "n30xrghocvrn4bxg0uxabvjatmda8odrjkz");
        assert!(!w.challenge && !w.challenge_product);
        assert!(!wording(m, "see the boxbearer field").challenge_product);
    }

    #[test]
    fn a_product_signs_its_own_notice() {
        let m = Markers::builtin();
        assert!(product_sender(m, "notify@boxbe.example", ""));
        assert!(product_sender(m, "jd@dest.example", "Jane Doe via Boxbe"));
        assert!(!product_sender(m, "jane@home.example", "Jane Doe"));
        assert!(!product_sender(m, "tmdauser@home.example", ""));
    }

    fn view(subject: &str, types: &[&str]) -> View {
        View {
            subject: subject.into(),
            part_types: types.iter().map(|t| t.to_string()).collect(),
            ..View::default()
        }
    }

    #[test]
    fn dmarc_and_tls_reports() {
        assert!(is_report(&view(
            "Report Domain: example.jp Submitter: google.com Report-ID: <1>",
            &["text/plain", "application/zip"]
        )));
        // The subject alone (someone quoting it) is not a report.
        assert!(!is_report(&view(
            "Re: Report Domain: example.jp Submitter: google.com",
            &["text/plain"]
        )));
        // A report's file named as RFC 7489 says, sent as octet-stream.
        let mut v = view(
            "Dmarc Aggregate Report Domain: {example.jp} Submitter: {ses}",
            &["text/plain", "application/octet-stream"],
        );
        assert!(!is_report(&v));
        v.file_names = vec!["amazonses.com!example.jp!1663545600!1663632000.xml.gz".into()];
        assert!(is_report(&v));
        v.file_names = vec!["invoice.pdf".into()];
        assert!(!is_report(&v));
        // Other subjects reporters write, other archive types.
        assert!(is_report(&view(
            "DMARC Aggregate Report for example.jp",
            &["text/plain", "application/x-zip"]
        )));
        assert!(is_report(&view(
            "Report Domain: example.jp Report-ID: <2>",
            &["application/x-gzip-compressed"]
        )));
        assert!(!is_report(&view(
            "Re: DMARC aggregate reports",
            &["text/plain"]
        )));
        let mut v = view(
            "Report Domain: example.jp Submitter: mail.example",
            &["text/plain", "application/octet-stream"],
        );
        assert!(!is_report(&v));
        v.file_names = vec!["report-example.jp-2026-12-01.xml.gz".into()];
        assert!(is_report(&v));
        let mut v = view("TLS report", &["text/plain", "application/tlsrpt+gzip"]);
        assert!(is_report(&v));
        v.part_types.clear();
        v.report_type = Some("tlsrpt".into());
        assert!(is_report(&v));
    }

    #[test]
    fn wording_kinds() {
        let m = Markers::builtin();
        let kind = |t: &str| wording_kind(wording(m, t));
        assert_eq!(
            kind("please verify you are human to have your message delivered"),
            Some(Kind::ChallengeResponse)
        );
        assert_eq!(
            kind("your message to list@example.org is being held until the list moderator can review it"),
            Some(Kind::ListOwner)
        );
        assert_eq!(
            kind("banned contents alert: your message has been quarantined"),
            Some(Kind::ContentFilter)
        );
        assert_eq!(kind("550 5.1.1 user unknown"), None);
    }

    #[test]
    fn delays() {
        let m = Markers::builtin();
        let exim = "a message that you sent has not yet been delivered to one or more of its \
                    recipients after more than 24 hours on the queue";
        assert!(text_delayed(wording(m, exim)));
        let gave_up = "this is a permanent error. the following address(es) failed: \
                       retry timeout exceeded; has not yet been delivered";
        assert!(!text_delayed(wording(m, gave_up)));
        let d = |action: Option<&str>, status: Option<&str>| DsnRecipient {
            action: action.map(str::to_string),
            status: status.map(str::to_string),
            ..DsnRecipient::default()
        };
        assert!(dsn_delayed(&d(Some("delayed"), Some("4.4.7"))));
        assert!(dsn_delayed(&d(None, Some("4.2.2"))));
        assert!(!dsn_delayed(&d(Some("failed"), Some("4.4.1"))));
        assert!(!dsn_delayed(&d(None, Some("5.1.1"))));
    }
}
