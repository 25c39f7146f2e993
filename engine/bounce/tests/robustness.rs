//! parse() must never panic: arbitrary bytes, truncated corpus messages and
//! converted line endings.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use proptest::prelude::*;

fn corpus_samples() -> Vec<Vec<u8>> {
    let dir = hikyaku_bounce::scoring::default_corpus_dir().join("maildir/bsd");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    // Every 7th message keeps the run short while covering every family.
    names
        .iter()
        .step_by(7)
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = hikyaku_bounce::parse(&data);
    }

    /// Reply texts made of the cause word lists' own words (subjects,
    /// causes, fillers, stop words), spelling variants, punctuation and
    /// non-ASCII letters: every path of the subject-and-cause search.
    #[test]
    fn classifier_never_panics_on_cause_words(words in proptest::collection::vec(
        "(mailbox|mail box|user's|account|recipient domain|domain|host|message|relay|is|has been|you are trying to reach|not|no such|full|unknown|does not exist|doesn't|can't|too large|over quota|denied|sender|your|queue|\\.|;|:|,|'|\u{2019}s|postfach|voll|boîte aux lettres|pleine|n'existe pas|é|日本|ユーザー|見つかりません|。|邮箱|已满|사용자를|550|5\\.1\\.1|[a-z]{1,6}| )",
        0..24,
    )) {
        let text = words.join(" ");
        let _ = hikyaku_bounce::Classifier::builtin().classify(None, None, &text);
        let _ = hikyaku_bounce::Classifier::builtin().classify(None, None, &words.concat());
    }

    /// HTML of tags, comments, references, `<pre>` and CR/LF anywhere: the
    /// renderer never panics and leaves no tag of these behind.
    #[test]
    fn html_renders_without_panics_or_tags(parts in proptest::collection::vec(
        "(<p>|</p>|<br>|<BR/>|<div class=x>|<pre>|</pre>|<td>|<style>x\\{\\}</style>|<!-- c -->|<!--|<a href=\"mailto:a@b.example\">|</a>|&amp;|&#x27;|&#39;|&nbsp;|&bogus;|&|<|>|\r\n|\n|\r| |\t|é|日本|[a-z]{1,6}|a@b\\.example)",
        0..40,
    )) {
        let html = parts.concat();
        let text = hikyaku_bounce::html::strip_html(&html);
        for tag in ["<p>", "<br>", "<div", "<pre>", "<td>", "<style>"] {
            prop_assert!(!text.contains(tag), "{tag} left in {text:?} from {html:?}");
        }
    }

    /// Where a source's newlines fall between line-breaking tags does not
    /// change what is read: a browser shows both alike.
    #[test]
    fn html_source_wrapping_is_no_layout(words in proptest::collection::vec("[a-z]{1,8}", 1..30), cuts in proptest::collection::vec(any::<bool>(), 30)) {
        let one_line: String = words.join(" ");
        let wrapped: String = words
            .iter()
            .zip(cuts.iter().chain(std::iter::repeat(&false)))
            .map(|(w, &cut)| if cut { format!("{w}\r\n  ") } else { format!("{w} ") })
            .collect();
        let a = hikyaku_bounce::html::strip_html(&format!("<p>{one_line}</p><p>x</p>"));
        let b = hikyaku_bounce::html::strip_html(&format!("<p>{}</p><p>x</p>", wrapped.trim_end()));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn never_panics_on_mail_like_text(s in "(From: [a-z@.]{0,20}\r?\n|Content-Type: multipart/report; boundary=b\n|--b\n|Final-Recipient: rfc822;[a-z@.<>]{0,12}\n|Status: [0-9.]{0,7}\n|[ -~]{0,40}\r?\n|\r|\n){0,40}") {
        let _ = hikyaku_bounce::parse(s.as_bytes());
    }
}

#[test]
fn never_panics_on_truncated_and_converted_corpus() {
    let samples = corpus_samples();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
    for raw in &samples {
        let len = raw.len();
        runner
            .run(&(0..=len, 0u8..3), |(cut, mode)| {
                let head = &raw[..cut];
                let data: Vec<u8> = match mode {
                    0 => head.to_vec(),
                    1 => String::from_utf8_lossy(head)
                        .replace('\n', "\r\n")
                        .into_bytes(),
                    _ => String::from_utf8_lossy(head)
                        .replace('\n', "\r")
                        .into_bytes(),
                };
                let _ = hikyaku_bounce::parse(&data);
                Ok(())
            })
            .unwrap();
    }
}

/// Found by fuzz/bounce: a multipart whose part is a `message/rfc822` holding another empty
/// one trips a `debug_assert!` inside mail-parser 0.11. The workspace builds mail-parser
/// without debug assertions (root Cargo.toml), as a release build would; this keeps it so.
#[test]
fn a_nested_empty_message_rfc822_does_not_panic() {
    let raw = include_bytes!("data/nested-empty-rfc822.eml");
    let report = hikyaku_bounce::parse(raw);
    assert!(report.recipients.is_empty(), "{report:?}");
}

/// A report from anyone on the internet may name tens of thousands of
/// addresses, on their own lines, as DSN blocks or all on one line: it is
/// read for the first `MAX_RECIPIENTS` of them, and a megabyte-long line
/// is not copied into every recipient's paragraph. (Before, 80,000 address
/// lines took 55 s and one line of 100,000 addresses 2 GB of memory; the
/// bench `bounce/many_recipients` measures it.)
#[test]
fn huge_recipient_lists_are_read_up_to_the_cap() {
    let cap = hikyaku_bounce::nonstd::MAX_RECIPIENTS;
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
This is the mail system at host x.example.\n\n";
    let lines: String = (0..5 * cap)
        .map(|i| {
            format!(
                "<user{i}@example{}.com>: host mx said: 550 5.1.1 unknown\n",
                i % 97
            )
        })
        .collect();
    let r = hikyaku_bounce::parse(format!("{head}{lines}").as_bytes());
    assert_eq!(r.recipients.len(), cap);
    assert_eq!(r.recipients[0].recipient, "user0@example0.com");
    assert!(r.recipients.iter().all(|f| f.status.as_u8() == 2));

    let one_line: Vec<String> = (0..20 * cap)
        .map(|i| format!("w{i}@d{i}.example"))
        .collect();
    let text = format!(
        "{head}The following addresses had permanent fatal errors: {}\n",
        one_line.join(" ")
    );
    let r = hikyaku_bounce::parse(text.as_bytes());
    assert!(r.recipients.len() <= cap, "{}", r.recipients.len());
    assert!(r.recipients.iter().all(|f| f.diagnostic.len() <= 1200));

    let blocks: String = (0..3 * cap)
        .map(|i| {
            format!("Final-Recipient: rfc822; u{i}@example.com\nAction: failed\nStatus: 5.1.1\n\n")
        })
        .collect();
    let dsn = format!(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\n\n\
--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\n{blocks}--B--\n"
    );
    let r = hikyaku_bounce::parse(dsn.as_bytes());
    assert_eq!(r.recipients.len(), cap);
}

/// Lines of nothing but `@`s, or addresses run together without a space,
/// after a report's failure (found by `perturb/mutfuzz.py`: each `@` once
/// cost a search to its line's ends, an 80 KB line 3 s, a 17 MB copy of
/// them 58 s): the failure above is still read, and none of the flood is
/// named. The bench `bounce/at_sign_lines` and its neighbours measure it.
#[test]
fn floods_of_at_signs_leave_the_failure_above_them() {
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
<jdoe@example.com>: host mx.example.com said: 550 5.1.1 user unknown\n\n";
    for flood in [
        format!("{}\n", "@".repeat(100)).repeat(5_000),
        format!("{}\n", "@".repeat(300_000)),
        format!("{}\n", "@@x.example,".repeat(20_000)),
    ] {
        let r = hikyaku_bounce::parse(format!("{head}{flood}").as_bytes());
        let named: Vec<&str> = r.recipients.iter().map(|f| f.recipient.as_str()).collect();
        assert_eq!(
            named,
            ["jdoe@example.com"],
            "{}",
            flood.get(..40).unwrap_or("")
        );
        assert_eq!(r.recipients[0].status.as_u8(), 2);
    }
}

/// One failure line repeated on thousands of lines (found by
/// `perturb/mutfuzz.py`: each line's paragraph was compared with every
/// other hit, 12 s for 9,000 lines): the recipient is named once, with its
/// cause. The bench `bounce/one_address_many_lines` measures it.
#[test]
fn one_address_on_thousands_of_lines_is_named_once() {
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n";
    let lines = "550 5.1.1 <a@b.example>: user unknown\n".repeat(9_000);
    let r = hikyaku_bounce::parse(format!("{head}{lines}").as_bytes());
    let named: Vec<(&str, u8)> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.as_str(), f.status.as_u8()))
        .collect();
    assert_eq!(named, [("a@b.example", 2)]);
}

/// A quoted header block repeated thousands of times, each with the same
/// `To:` line, below a failure that names nobody (found by
/// `perturb/mutfuzz.py`: the copy's `To:` was gathered once per line and
/// each looked for in the whole text, 14 s for 1 MB, 5 s for this one): a
/// copy's `To:` alone names nobody. The bench
/// `bounce/copy_to_lines_repeated` measures it.
#[test]
fn repeated_to_lines_name_nobody() {
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
The following recipient failed: user unknown\n\n";
    let quoted: String = (0..6_000)
        .map(|i| format!("Received: from a.example by x.example id {i}\nTo: same@dest.example\n"))
        .collect();
    let r = hikyaku_bounce::parse(format!("{head}{quoted}").as_bytes());
    assert!(r.recipients.is_empty(), "{:?}", r.recipients);
}

/// The text read for failures ends at `nonstd::MAX_TEXT`: a report's own
/// words come first, and what runs on past it is a returned copy or junk.
#[test]
fn the_text_read_for_failures_is_bounded() {
    let cap = hikyaku_bounce::nonstd::MAX_TEXT;
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
<first@example.com>: host mx.example.com said: 550 5.1.1 user unknown\n\n";
    let filler = "The quick brown fox jumps over the lazy dog.\n".repeat(cap / 40);
    let tail = "<late@example.com>: host mx.example.com said: 550 5.1.1 user unknown\n";
    let r = hikyaku_bounce::parse(format!("{head}{filler}\n{tail}").as_bytes());
    let named: Vec<&str> = r.recipients.iter().map(|f| f.recipient.as_str()).collect();
    assert_eq!(named, ["first@example.com"]);
}

/// Thousands of recipients alone on their lines, each without words of its
/// own, and paragraphs about domains below them: the block's paragraphs
/// are split once for all (`domain_paragraph::Paragraphs`), not once per
/// recipient, and each recipient takes its own domain's paragraph.
#[test]
fn many_lone_recipients_read_their_domains_paragraph() {
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
The following addresses failed:\n\n";
    let listed: String = (0..3_000)
        .map(|i| {
            format!(
                "  u{i}@{}.example\n",
                if i % 2 == 0 { "full" } else { "gone" }
            )
        })
        .collect();
    let reasons =
        "\nThe mail server for full.example refused the message: mailbox quota exceeded.\n\n\
The domain gone.example does not exist.\n";
    let started = std::time::Instant::now();
    let r = hikyaku_bounce::parse(format!("{head}{listed}{reasons}").as_bytes());
    let took = started.elapsed();
    // A bound against quadratic work, not a timing target.
    assert!(took.as_secs() < 20, "{took:?}");
    for f in r.recipients.iter().take(50) {
        let want = if f.recipient.ends_with("@full.example") {
            5
        } else {
            1
        };
        assert_eq!(f.status.as_u8(), want, "{f:?}");
    }
}

/// An HTML part of megabytes (a returned newsletter, or a mutated message's
/// run of `<`) is rendered up to `html::MAX_HTML`: the report's words above
/// it are read, and nothing past the bound is rendered.
#[test]
fn a_huge_html_part_is_rendered_up_to_its_bound() {
    let cap = hikyaku_bounce::html::MAX_HTML;
    let html = format!(
        "<html><body><p>Delivery to the following recipient failed permanently:</p>\
<p>jd@dest.example</p><p>550 5.1.1 The email account that you tried to reach does not exist.</p>\
{}<p>late@dest.example</p></body></html>",
        "<".repeat(8 * cap)
    );
    let raw = format!(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\
Subject: Delivery Status Notification (Failure)\nMIME-Version: 1.0\n\
Content-Type: text/html; charset=utf-8\n\n{html}\n"
    );
    let started = std::time::Instant::now();
    let r = hikyaku_bounce::parse(raw.as_bytes());
    let took = started.elapsed();
    // A bound against work per byte of junk, not a timing target.
    assert!(took.as_secs() < 20, "{took:?}");
    let named: Vec<(&str, u8)> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.as_str(), f.status.as_u8()))
        .collect();
    assert_eq!(named, [("jd@dest.example", 2)]);
}
