//! Sendmail's own summary line below a session transcript.
//!
//! Sendmail quotes the remote server's reply (`<<< 553 http://…spamhaus…`)
//! and then writes its own line for the recipient, `550 5.1.1 <a@x>... User
//! unknown`. When the remote reply came with another reply code and no
//! enhanced code, that line's enhanced code and words are Sendmail's guess
//! from the reply's class (a 55x to `RCPT` becomes "5.1.1 User unknown"),
//! not the receiver's word: a refusal for a block list would read as an
//! unknown mailbox, and the enhanced code outweighs the remote's words. The
//! summary is recognised by its shape, a reply code, an enhanced code and
//! an address followed by Sendmail's `... `, after a `<<<` reply with
//! another reply code; the texts are then classified without it. A summary
//! repeating the remote code (`<<< 550 5.1.1 …` / `550 5.1.1 <a@x>... …`)
//! is the same reply and stays; so does version 5's `554 <a@x>... Remote
//! protocol error`, which has no enhanced code to outweigh anything and
//! whose 554 is the better reading of a refusal at `DATA` than the remote's
//! bare 550.

use std::borrow::Cow;

/// `text` without a Sendmail summary that contradicts the `<<<` reply
/// above it (see the module documentation); borrowed when there is none.
pub fn without_guess(text: &str) -> Cow<'_, str> {
    // `contains` is the vectorised search; most texts hold no transcript.
    if !text.contains("<<< ") {
        return Cow::Borrowed(text);
    }
    let Some(at) = text.rfind("<<< ") else {
        return Cow::Borrowed(text);
    };
    let after = at + 4;
    let Some(remote) = reply_code_at(text, after) else {
        return Cow::Borrowed(text);
    };
    let mut from = after + 3;
    while let Some(rel) = text.get(from..).and_then(|t| t.find(">... ")) {
        let gt = from + rel;
        if let Some(start) = summary_start(text, after + 3, gt) {
            if reply_code_at(text, start).is_some_and(|c| c != remote) {
                let end = line_end(text, gt);
                let mut out = String::with_capacity(text.len());
                out.push_str(text.get(..start).unwrap_or("").trim_end());
                out.push_str(text.get(end..).unwrap_or(""));
                return Cow::Owned(out);
            }
        }
        from = gt + 5;
    }
    Cow::Borrowed(text)
}

/// Whether `line` is Sendmail's summary line for `addr` (lower case):
/// `550 <a@x>... Host unknown`, `550 5.1.1 <a@x>... User unknown`. Its
/// transcript prints a recipient's own trouble above that line (`553
/// relay.example config error: mail loops back to myself` / `554
/// <b@y>... Local configuration error`): the lines below it are the next
/// recipient's.
pub fn is_summary_line(line: &str, addr: &str) -> bool {
    let t = line.trim_start();
    if reply_code_at(t, 0).is_none() {
        return false;
    }
    let rest = t.get(4..).unwrap_or("").trim_start();
    let rest = match rest.split_once(' ') {
        Some((first, more)) if is_enhanced(first) => more.trim_start(),
        _ => rest,
    };
    let rest = rest.strip_prefix('<').unwrap_or(rest);
    rest.get(..addr.len())
        .is_some_and(|a| a.eq_ignore_ascii_case(addr))
        && rest
            .get(addr.len()..)
            .is_some_and(|r| r.trim_start_matches('>').starts_with("... "))
}

/// Whether the paragraph read for `addr` from its summary line `at` to line
/// `end` runs into the next recipient's part: the lines between the summary
/// and the next recipient's line (one of `addr_lines`, sorted) are that
/// one's, unless one of them is a summary for a host ("550 x.example
/// (smtp)... Host unknown", which speaks of every address there).
pub fn ends_its_part(
    lines: &[&str],
    at: usize,
    end: usize,
    addr: &str,
    addr_lines: &[usize],
) -> bool {
    end > at + 1
        && is_summary_line(lines.get(at).unwrap_or(&""), addr)
        && lines
            .get(end)
            .is_some_and(|l| addr_lines.binary_search(&end).is_ok() && !l.trim().is_empty())
        && lines
            .get(at + 1..end)
            .is_some_and(|between| !between.iter().any(|l| l.contains("... ")))
}

/// The 4xx/5xx reply code starting at byte `at`, followed by a space, a
/// hyphen or the end.
fn reply_code_at(text: &str, at: usize) -> Option<&str> {
    let code = text.get(at..at + 3)?;
    let b = code.as_bytes();
    let ok = matches!(b.first(), Some(b'4' | b'5'))
        && b.iter().all(u8::is_ascii_digit)
        && text
            .as_bytes()
            .get(at + 3)
            .is_none_or(|&c| c == b' ' || c == b'-');
    ok.then_some(code)
}

/// Where the summary ending in the address whose `>` is at `gt` starts:
/// `NNN <addr>` or `NNN X.Y.Z <addr>` right before it, not before `floor`.
fn summary_start(text: &str, floor: usize, gt: usize) -> Option<usize> {
    let head = text.get(floor..gt)?;
    let lt = floor + head.rfind('<')?;
    let addr = text.get(lt + 1..gt)?;
    if !addr.contains('@') || addr.contains(char::is_whitespace) {
        return None;
    }
    let before = text.get(floor..lt)?.trim_end();
    let mut words = before.rsplitn(3, char::is_whitespace);
    let last = words.next()?;
    let end = floor + before.len();
    if !is_enhanced(last) {
        return None;
    }
    let code = words.next()?;
    (code.len() == 3).then(|| end - last.len() - 1 - code.len())
}

/// `X.Y.Z` with a class digit of 4 or 5.
fn is_enhanced(w: &str) -> bool {
    let mut parts = w.split('.');
    let ok = |p: Option<&str>, max: usize| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(w.as_bytes().first(), Some(b'4' | b'5'))
        && ok(parts.next(), 1)
        && ok(parts.next(), 3)
        && ok(parts.next(), 3)
        && parts.next().is_none()
}

/// The end of the summary: its line's end, or in squashed text the next
/// `<<<`/`>>>` of the transcript, or the end of the text.
fn line_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    let mut end = rest.len();
    for stop in ["\n", "<<< ", ">>> "] {
        if let Some(i) = rest.find(stop) {
            end = end.min(i);
        }
    }
    from + end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn summary_lines_are_told_by_their_shape() {
        let a = "a@x.example";
        assert!(is_summary_line("550 <a@x.example>... Host unknown", a));
        assert!(is_summary_line(
            "550 5.1.1 <A@x.example>... User unknown",
            a
        ));
        assert!(is_summary_line(
            "  554 a@x.example... Local configuration error",
            a
        ));
        assert!(!is_summary_line("550 <b@x.example>... Host unknown", a));
        assert!(!is_summary_line(
            "553 relay.example config error: mail loops back to myself",
            a
        ));
        assert!(!is_summary_line("<a@x.example>... Host unknown", a));
        assert!(!is_summary_line("550 <a@x.example>: Host unknown", a));
    }

    proptest! {
        /// Transcripts of the pieces a summary is recognised by, in any
        /// order and with multi-byte letters anywhere: no panic, and what
        /// is left out is one piece from the middle, never anything added.
        #[test]
        fn never_panics_and_only_cuts(parts in proptest::collection::vec(
            "(<<< 553 refused |550 5\\.1\\.1 <a@x\\.example>\\.\\.\\. User unknown|<<< |>>> |550|553|554|5\\.1\\.1|4\\.2\\.2|<a@x\\.example>|<a b@x>|\\.\\.\\. |>\\.\\.\\. |User unknown|\n| |-|é|日本|<|>|@)",
            0..24,
        )) {
            let text = parts.concat();
            let out = without_guess(&text);
            prop_assert!(out.len() <= text.len());
            if out.len() < text.len() {
                let common = text.bytes().zip(out.bytes()).take_while(|(a, b)| a == b).count();
                let rest = out.get(common..).unwrap_or("x");
                prop_assert!(text.ends_with(rest), "{text:?} -> {out:?}");
            }
        }
    }

    #[test]
    fn a_guess_from_another_reply_code_is_left_out() {
        let t = "<a@x.example> (reason: 553 http://www.spamhaus.org/query/bl?ip=192.0.2.1) \
                 RCPT To:<a@x.example> <<< 553 http://www.spamhaus.org/query/bl?ip=192.0.2.1 \
                 550 5.1.1 <a@x.example>... User unknown";
        let out = without_guess(t);
        assert!(out.ends_with("bl?ip=192.0.2.1"), "{out}");
        assert!(!out.contains("User unknown"));
    }

    #[test]
    fn a_summary_on_its_own_line() {
        let t = "<<< 551 not our customer\n550 5.1.1 <a@x.example>... User unknown\nmore";
        assert_eq!(without_guess(t), "<<< 551 not our customer\nmore");
    }

    #[test]
    fn the_same_reply_repeated_stays() {
        for t in [
            "<<< 550 5.1.1 <a@x.example>... User unknown 550 5.1.1 <a@x.example>... User unknown",
            "<<< 550 mailbox unavailable\n550 <a@x.example>... mailbox unavailable",
            "no transcript: 550 5.1.1 <a@x.example>... User unknown",
            "<<< 553 refused 550 5.1.1 a@x.example... no angle brackets",
            "<<< abc 550 5.1.1 <a@x.example>... not a reply",
            "<<< 553",
            "<<< 550 redundant\n554 <a@x.example>... Remote protocol error",
        ] {
            assert_eq!(without_guess(t), t);
        }
    }
}
