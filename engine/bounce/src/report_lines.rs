//! A report's text as lines: the quote marks of a forwarded bounce taken
//! off, each line's indent kept, where the returned copy starts, and the
//! lines above it lower-cased into one buffer for the marker lists.

/// The lines of a report's text and what each one's start says.
pub(crate) struct SplitLines<'a> {
    /// Each line without its quote marks and leading spaces.
    pub(crate) lines: Vec<&'a str>,
    /// The indent of each line after any quote marks: continuation lines
    /// of a recipient's paragraph are indented deeper than the recipient.
    pub(crate) indents: Vec<usize>,
    /// The line was quoted (`> `).
    pub(crate) quoted: Vec<bool>,
    /// Sendmail's transcript lines (`>>> RCPT To:<a@x>`), no reply's quote.
    pub(crate) transcript: Vec<bool>,
}

/// Forwarded bounces quote every line with "> "; the quote marks are
/// noise.
pub(crate) fn split(body: &str) -> SplitLines<'_> {
    let line_count = memchr::memchr_iter(b'\n', body.as_bytes()).count() + 1;
    let mut out = SplitLines {
        lines: Vec::with_capacity(line_count),
        indents: Vec::with_capacity(line_count),
        quoted: Vec::with_capacity(line_count),
        transcript: Vec::with_capacity(line_count),
    };
    for l in crate::text::lines(body) {
        out.quoted.push(l.trim_start().starts_with('>'));
        out.transcript.push(l.trim_start().starts_with(">>>"));
        let q = l.trim_start_matches('>');
        out.indents.push(q.len() - q.trim_start().len());
        out.lines.push(l.trim_start_matches(['>', ' ']));
    }
    out
}

/// End of the error block: the returned original (its trace or its return
/// path), or the number of lines. Everything below it is read only for the
/// original's `To:` and `Message-ID:` lines. Not the header block right below
/// a forward's opener ("Begin forwarded message:"): a person forwarding a
/// report inline shows the report's own header fields there, `Return-Path:`
/// among them, and the report follows.
pub(crate) fn returned_copy_start(lines: &[&str], markers: &crate::markers::Markers) -> usize {
    lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|&(i, l)| {
            let t = l.trim_start();
            (crate::text::starts_with_ci(t, "received: from")
                || crate::text::starts_with_ci(t, "return-path:"))
                && !below_forward_opener(lines, i, markers)
        })
        .map_or(lines.len(), |(i, _)| i)
}

/// Whether line `i` belongs to the header block right below a forward's
/// opener: above it only header fields, then at most two blank lines, then
/// the opener. Asked of trace lines only (a few a message), not of every
/// line.
fn below_forward_opener(lines: &[&str], i: usize, markers: &crate::markers::Markers) -> bool {
    let mut k = i;
    while k > 0
        && lines
            .get(k - 1)
            .is_some_and(|l| header_field_line(l.trim()))
    {
        k -= 1;
    }
    for _ in 0..2 {
        if k > 0 && lines.get(k - 1).is_some_and(|l| l.trim().is_empty()) {
            k -= 1;
        }
    }
    k > 0
        && lines
            .get(k - 1)
            .is_some_and(|l| forward_opener(l.trim(), markers))
}

/// A forward's opener line: short, ending in a colon or a run of dashes
/// ("Begin forwarded message:", "---------- Forwarded message ---------"),
/// with the words of `[forward-opener]`.
fn forward_opener(t: &str, markers: &crate::markers::Markers) -> bool {
    let t = t.trim_end();
    if t.len() > 80 || !(t.ends_with(':') || t.ends_with('-') || t.ends_with('：')) {
        return false;
    }
    // Lower-cased on the stack: report lines ending in a colon or dashes
    // ("----- The following addresses had permanent fatal errors -----")
    // are many, openers few.
    let mut buf = [0u8; 80];
    match buf.get_mut(..t.len()) {
        Some(low) if t.is_ascii() => {
            low.copy_from_slice(t.as_bytes());
            low.make_ascii_lowercase();
            std::str::from_utf8(low)
                .is_ok_and(|l| crate::markers::any_in(&markers.forward_opener, l))
        }
        _ => crate::markers::any_in(&markers.forward_opener, &t.to_lowercase()),
    }
}

/// `Name: value`, the name a header field's (letters, digits, dashes).
fn header_field_line(t: &str) -> bool {
    t.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.len() <= 40
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// The lines up to `cut` and the opener line itself, lower-cased into one
/// buffer (one allocation, and the marker lists are searched once over it
/// instead of once per line), with each line's span in it: the returned
/// original is often most of the message.
pub(crate) fn lowered(lines: &[&str], cut: usize) -> (String, Vec<(usize, usize)>) {
    let mut all = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut spans = Vec::with_capacity(lines.len());
    for l in lines.iter().take(cut.saturating_add(1)) {
        let from = all.len();
        if l.is_ascii() {
            all.push_str(l);
            if let Some(added) = all.get_mut(from..) {
                added.make_ascii_lowercase();
            }
        } else {
            for ch in l.chars() {
                if ch.is_ascii() {
                    all.push(ch.to_ascii_lowercase());
                } else {
                    all.extend(ch.to_lowercase());
                }
            }
        }
        spans.push((from, all.len()));
        all.push('\n');
    }
    (all, spans)
}

/// Start offset of the first marker of `list` in `all` at or after `from`.
/// Markers never span a line break, so the earliest-ending match lies in the
/// earliest line that holds any marker.
pub(crate) fn first_line_with(
    list: &crate::markers::PhraseList,
    all: &str,
    from: usize,
) -> Option<usize> {
    let hay = all.get(from..)?;
    match list.automaton() {
        Some(ac) => ac.find(hay).map(|m| from + m.start()),
        None => {
            let mut at = 0;
            for line in hay.split('\n') {
                if crate::markers::any_in(list, line) {
                    return Some(from + at);
                }
                at += line.len() + 1;
            }
            None
        }
    }
}

/// Whether the heading at line `i` stands over a mail client's header block
/// (a few `Name: value` lines) whose `From:` is a mail system: a person
/// forwarding a report, which follows. Trace fields head a returned copy (a
/// report of a report), never a client's display.
pub(crate) fn heads_forwarded_report(
    lines: &[&str],
    i: usize,
    markers: &crate::markers::Markers,
) -> bool {
    let block: Vec<&str> = lines
        .iter()
        .skip(i + 1)
        .take(8)
        .map(|l| l.trim())
        .take_while(|l| !l.is_empty())
        .collect();
    let field = |l: &str, name: &str| crate::text::starts_with_ci(l, name);
    let from_mail_system = block.iter().enumerate().any(|(k, l)| {
        // Its value may wrap: Outlook Express puts the address on the next line.
        field(l, "from:") && {
            let next = block.get(k + 1).copied().unwrap_or("");
            let value = format!("{} {next}", l.get(5..).unwrap_or("")).to_lowercase();
            crate::markers::any_in(&markers.bounce_from, &value)
        }
    });
    from_mail_system
        && block.iter().any(|l| field(l, "subject:"))
        && !block
            .iter()
            .any(|l| field(l, "received:") || field(l, "return-path:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(body: &str) -> usize {
        let lines: Vec<&str> = body.lines().collect();
        returned_copy_start(&lines, crate::markers::Markers::builtin())
    }

    #[test]
    fn a_forwarded_reports_header_block_opens_no_returned_copy() {
        // Apple Mail's inline forward of a Sendmail report: the report's
        // own header fields, its Return-Path among them, then the report.
        let forwarded =
            "Begin forwarded message:\n\nFrom: Mail Delivery Subsystem <MAILER-DAEMON>\n\
Subject: Returned mail\nReturn-Path: <MAILER-DAEMON>\n\n\
----- The following addresses had permanent fatal errors -----\n<a@x.example>\n\n\
Return-Path: <sender@y.example>\nReceived: from y.example\n";
        assert_eq!(cut(forwarded), 9);
        let gmail =
            "---------- Forwarded message ---------\nFrom: x\nReceived: from a by b\n\ntext\n";
        assert_eq!(cut(gmail), 5);
        // No opener: the first trace line is the returned copy's start.
        assert_eq!(cut("Hi\nFrom: x\nReturn-Path: <a@b>\n"), 2);
        // An opener's block ends at its blank line.
        assert_eq!(
            cut("Begin forwarded message:\nFrom: x\n\nbody\nReturn-Path: <a@b>\n"),
            4
        );
    }

    #[test]
    fn a_clients_heading_over_a_forwarded_report() {
        let m = crate::markers::Markers::builtin();
        let forward = [
            "----- Original Message -----",
            "From: \"Mail Delivery Subsystem\"",
            "<MAILER-DAEMON@mailgate.example.edu>",
            "To: <will@example.com>",
            "Subject: Returned mail: see transcript for details",
            "",
            "----- The following addresses had permanent fatal errors -----",
        ];
        assert!(heads_forwarded_report(&forward, 0, m));
        // A person's message under the heading: a reply's quoted original.
        let reply = [
            "----- Original Message -----",
            "From: \"Jo Bloggs\" <jo@example.com>",
            "Subject: lunch",
        ];
        assert!(!heads_forwarded_report(&reply, 0, m));
        // A returned copy's header block is no mail client's display.
        let returned = [
            "----- Original message -----",
            "Received: from a.example by b.example",
            "From: MAILER-DAEMON@x.example",
            "Subject: Undelivered Mail Returned to Sender",
        ];
        assert!(!heads_forwarded_report(&returned, 0, m));
    }
}
