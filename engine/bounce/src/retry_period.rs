//! How long the reporting MTA kept a message before it gave up, for
//! failure reports that carry no RFC 3464 `Arrival-Date`: the report's own
//! words ("This condition occurred after 30 attempt(s) to deliver over a
//! period of 92 hour(s)", "could not be delivered for 5 days"), else the
//! returned original's newest `Received:` stamp against the report's `Date:`
//! (the copy was accepted then, and the report is the retries' end).
//!
//! A transient refusal made final after days is a resend timeout (SPEC
//! §13.5 status 3, see `Classified::after` in `lib.rs`); the same refusal
//! reported within minutes is not. Only a period stated as past counts:
//! a sentence that speaks of the future ("will be retried for 5 days") or of
//! a delay that is still going on is not the end of the retries.

use crate::dsn::timestamp;

/// Seconds per unit word, longest spelling first.
const UNITS: [(&str, i64); 6] = [
    ("day(s)", 86_400),
    ("days", 86_400),
    ("day", 86_400),
    ("hour(s)", 3_600),
    ("hours", 3_600),
    ("hour", 3_600),
];

/// Words that put a period in the past, within the few words before it.
const PAST: [&str; 6] = ["for", "after", "over", "within", "past", "than"];

/// Words that make a sentence about the future or a delay still going on.
const NOT_YET: [&str; 5] = ["will", "again in", "next", "until", "continue"];

/// The longest past retry period stated in `text`, in seconds.
pub fn stated_secs(text: &str) -> Option<i64> {
    longest_past_period(text, |_| true)
}

/// The longest past period of the sentences of `text` that `keep` accepts,
/// leaving out those about the future or a delay still going on.
fn longest_past_period(text: &str, keep: impl Fn(&str) -> bool) -> Option<i64> {
    let lower = unwrapped(&text.to_ascii_lowercase());
    sentences(&lower)
        .filter(|s| !NOT_YET.iter().any(|w| s.contains(w)) && keep(s))
        .filter_map(sentence_secs)
        .max()
}

/// The sentences of `text`: split at line ends, semicolons and full stops
/// followed by a space (not at the dots of an address or a host name).
/// `text` with a sentence wrapped over lines joined ("After 8 days (194
/// hours), your message could not be" / "fully delivered."): a line break
/// ends a sentence only after its punctuation, or before a blank line.
fn unwrapped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        let ends = line.trim_end().ends_with(['.', ':', ';', '!', '?']) || line.trim().is_empty();
        let next_blank = lines.peek().is_none_or(|n| n.trim().is_empty());
        out.push(if ends || next_blank { '\n' } else { ' ' });
    }
    out
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ';']).flat_map(|s| s.split(". "))
}

/// The longest "<past word> … <n> <unit>" period of one sentence.
fn sentence_secs(sentence: &str) -> Option<i64> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let mut best = None;
    for (i, w) in words.iter().enumerate() {
        let Some(unit) = UNITS
            .iter()
            .find(|(u, _)| w.trim_end_matches([',', '.']) == *u)
        else {
            continue;
        };
        let Some(n) = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let before = &words[i.saturating_sub(6)..i.saturating_sub(1)];
        if before.iter().any(|b| PAST.contains(b)) {
            best = best.max(Some(n.saturating_mul(unit.1)));
        }
    }
    best
}

/// Words of a sentence about the message not getting through (delivery,
/// sending, the queue, expiry): a past period there is how long the retries
/// went on ("undeliverable for 3 days", "not delivered after 72 hours",
/// "expired after 5 days in the queue"), not a mailbox's idle time ("not
/// accessed for 90 days") nor a host's silence alone.
const UNDELIVERED: [&str; 7] = [
    "deliver", "send", "sent", "queue", "expire", "transmit", "retr",
];

/// The longest past period stated in a sentence of `text` that speaks of
/// the message not getting through: the retries' length in the report's
/// own words.
pub fn undelivered_secs(text: &str) -> Option<i64> {
    longest_past_period(text, |s| UNDELIVERED.iter().any(|w| s.contains(w)))
}

/// Seconds from the newest `Received:` stamp of the returned original's
/// header blocks to `reported_at` (the report's `Date:`).
pub fn since_original(headers: &[Vec<u8>], reported_at: Option<i64>) -> Option<i64> {
    let reported_at = reported_at?;
    let accepted = headers
        .iter()
        .filter_map(|h| newest_received(&String::from_utf8_lossy(h)))
        .max()?;
    Some(reported_at - accepted).filter(|s| *s >= 0)
}

/// The date after the `;` of the first (newest) `Received:` field.
fn newest_received(headers: &str) -> Option<i64> {
    let mut field: Option<String> = None;
    for line in headers.lines() {
        match field.as_mut() {
            Some(f) if line.starts_with([' ', '\t']) => {
                f.push(' ');
                f.push_str(line.trim());
                continue;
            }
            Some(_) => break,
            None => {}
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("received") {
                field = Some(value.trim().to_string());
            }
        }
    }
    let field = field?;
    let (_, date) = field.rsplit_once(';')?;
    timestamp(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_stated_as_past() {
        let mimecast = "This condition occurred after 30 attempt(s) to deliver over\n\
                        a period of 92 hour(s) and 52 minute(s).";
        assert_eq!(stated_secs(&mimecast.replace('\n', " ")), Some(92 * 3600));
        assert_eq!(
            stated_secs("Message could not be delivered for 5 days"),
            Some(5 * 86_400)
        );
        assert_eq!(
            stated_secs("The host did not respond for more than 2 days, giving up."),
            Some(2 * 86_400)
        );
    }

    #[test]
    fn periods_of_a_message_not_getting_through() {
        for (text, secs) in [
            ("bob@x: undeliverable for 3 days", 3 * 86_400),
            (
                "Your message has not been delivered after 72 hours.",
                72 * 3600,
            ),
            ("Not delivered to bob@x.example after 72 hours.", 72 * 3600),
            ("Cannot send message within 5 days", 5 * 86_400),
            ("Message expired after 5 days in the queue", 5 * 86_400),
            ("The message was in the queue for 5 days", 5 * 86_400),
        ] {
            assert_eq!(undelivered_secs(text), Some(secs), "{text}");
        }
        for text in [
            "The mailbox has not been accessed for 90 days.",
            "The host did not respond for 2 days.",
            "Delivery will be retried for 5 days.",
            "Delivery attempts continue for 2 days.",
        ] {
            assert_eq!(undelivered_secs(text), None, "{text}");
        }
    }

    #[test]
    fn future_or_bare_periods_do_not_count() {
        assert_eq!(stated_secs("Delivery will be retried for 5 days."), None);
        assert_eq!(stated_secs("I will try again in 4 hours."), None);
        assert_eq!(stated_secs("Delivery attempts continue for 2 days."), None);
        assert_eq!(stated_secs("Your 3 days trial has ended."), None);
        assert_eq!(stated_secs("after many days"), None);
    }

    #[test]
    fn newest_received_of_the_returned_copy() {
        let h = b"Received: by 10.0.0.1 with SMTP id x;\n\
                  \tSun, 19 Oct 2008 23:10:56 -0700 (PDT)\n\
                  Received: by 10.0.0.2 with HTTP; Sun, 19 Oct 2008 23:10:50 -0700 (PDT)\n\
                  Subject: test\n"
            .to_vec();
        let sent = timestamp("Sun, 19 Oct 2008 23:10:56 -0700").unwrap();
        let reported = timestamp("Thu, 23 Oct 2008 10:50:12 -0700");
        assert_eq!(
            since_original(std::slice::from_ref(&h), reported),
            reported.map(|r| r - sent)
        );
        assert_eq!(since_original(&[h], None), None);
        assert_eq!(since_original(&[b"Subject: x\n".to_vec()], reported), None);
    }
}
