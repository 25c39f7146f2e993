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
/// original's `To:` and `Message-ID:` lines.
pub(crate) fn returned_copy_start(lines: &[&str]) -> usize {
    lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| {
            let t = l.trim_start();
            crate::text::starts_with_ci(t, "received: from")
                || crate::text::starts_with_ci(t, "return-path:")
        })
        .map_or(lines.len(), |(i, _)| i)
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
