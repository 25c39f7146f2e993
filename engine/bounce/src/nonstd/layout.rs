//! Where a report's error block lies: its lines, the returned copy's start
//! (the cut), the start sentence and the paragraph begun above it.

use crate::markers::{any_in, Markers};
use crate::report_lines::SplitLines;

use super::MAX_LEAD_LINES;

/// A report's text as lines, with the block read for failures marked out.
pub(super) struct Layout<'a> {
    /// Each line without quote marks and leading spaces.
    pub(super) lines: Vec<&'a str>,
    /// Each line's indent after its quote marks.
    pub(super) indents: Vec<usize>,
    /// The line was quoted (`> `).
    pub(super) quoted: Vec<bool>,
    /// Sendmail's client lines (`>>> RCPT To:<a@x>`).
    pub(super) transcript: Vec<bool>,
    /// The lines above the cut lower-cased, joined by `\n`.
    pub(super) all: String,
    /// Each line's byte range in `all`.
    pub(super) spans: Vec<(usize, usize)>,
    /// The first line of the returned copy (or the number of lines).
    pub(super) cut: usize,
    /// Whether a start sentence ("could not be delivered to") stands above
    /// the cut.
    pub(super) has_start: bool,
    /// The block's first line: the start sentence's, or the first of
    /// Domino's pairs it stands in; 0 without a start sentence.
    pub(super) first: usize,
    /// The first line of the paragraph begun above `first`, if any.
    pub(super) lead: Option<usize>,
}

impl<'a> Layout<'a> {
    /// Splits `body` (newlines only) and finds its block.
    pub(super) fn of(body: &'a str, markers: &Markers) -> Self {
        let SplitLines {
            lines,
            indents,
            quoted,
            transcript,
        } = crate::report_lines::split(body);
        let mut cut = crate::report_lines::returned_copy_start(&lines, markers);
        let (all, spans) = crate::report_lines::lowered(&lines, cut);
        let mut layout = Layout {
            lines,
            indents,
            quoted,
            transcript,
            all,
            spans,
            cut,
            has_start: false,
            first: 0,
            lead: None,
        };
        // Markers are looked for only before that cut: the returned
        // original is often most of the message.
        // Not a mail client's heading over a report it forwards ("-----
        // Original Message -----" / "From: "Mail Delivery Subsystem"
        // <MAILER-DAEMON@…>"): the report follows it, quoted.
        let mut from = layout.upto(1);
        while let Some(i) =
            crate::report_lines::first_line_with(&markers.original, layout.before_cut(), from)
                .map(|p| layout.line_at(p))
        {
            if i >= cut || !crate::report_lines::heads_forwarded_report(&layout.lines, i, markers) {
                cut = cut.min(i);
                break;
            }
            from = layout.upto(i + 1);
        }
        layout.cut = cut;
        let before_cut = layout.before_cut();
        // Not a list of the recipients reached ("Your message was
        // successfully delivered to the following recipients:" holds the
        // start's "following recipient"): the failure is told elsewhere,
        // often above it.
        let heads_reached = |i: usize| {
            let line = layout.spans.get(i).and_then(|&(a, b)| layout.all.get(a..b));
            any_in(&markers.success, line.unwrap_or(""))
        };
        let mut start = crate::report_lines::first_line_with(&markers.start, before_cut, 0)
            .map(|p| layout.line_at(p));
        while let Some(i) = start.filter(|&i| i < cut && heads_reached(i)) {
            start = crate::report_lines::first_line_with(
                &markers.start,
                before_cut,
                layout.upto(i + 1),
            )
            .map(|p| layout.line_at(p));
        }
        let start = start.filter(|&i| i < cut);
        // The start phrase in a reason of Domino's pairs ("reason" / "a@x" /
        // "Unable to deliver message: …" / "b@y"): the block begins with
        // the first pair.
        let first = start.map_or(0, |i| {
            crate::paragraph::pairs_block(&layout.lines, i).unwrap_or(i)
        });
        // The start sentence inside a paragraph begun above it ("Nobody by
        // the name a@x receives" / "mail here, so your message was not
        // delivered"): that paragraph's lines above it.
        let lead = (first.saturating_sub(MAX_LEAD_LINES)..first)
            .rev()
            .take_while(|&j| layout.lines.get(j).is_some_and(|l| !l.trim().is_empty()))
            .last();
        layout.has_start = start.is_some();
        layout.first = first;
        layout.lead = lead;
        layout
    }

    /// Each line above the cut lower-cased (empty below it).
    pub(super) fn lower(&self) -> Vec<&str> {
        self.spans
            .iter()
            .map(|&(a, b)| self.all.get(a..b).unwrap_or(""))
            .collect()
    }

    /// The line holding byte `pos` of `all`.
    pub(super) fn line_at(&self, pos: usize) -> usize {
        self.spans.partition_point(|&(_, end)| end < pos)
    }

    /// Where `line` starts in `all` (its end past the last line).
    pub(super) fn upto(&self, line: usize) -> usize {
        self.spans.get(line).map_or(self.all.len(), |&(a, _)| a)
    }

    /// The lower-cased text above the cut.
    pub(super) fn before_cut(&self) -> &str {
        self.all.get(..self.upto(self.cut)).unwrap_or("")
    }

    /// The lines above the cut.
    pub(super) fn above_cut(&self) -> &[&'a str] {
        self.lines.get(..self.cut).unwrap_or(&[])
    }

    /// Whether line `i` was quoted.
    pub(super) fn is_quoted(&self, i: usize) -> bool {
        self.quoted.get(i).copied().unwrap_or(false)
    }
}
