//! The non-standard strategy: one general reader for the human-readable
//! bounce formats (Exim, Sendmail, qmail, Postfix, Exchange, Notes, carriers
//! …), driven by the marker table instead of per-MTA code.
//!
//! The text before the returned original is the error block; failed
//! recipients are the addresses that stand alone on a line (or follow a
//! recipient prefix), excluding the sender; the paragraph around each one is
//! its diagnostic.

mod choice;
mod explain;
mod layout;

use crate::markers::Markers;
use crate::mime::View;
use crate::regions::Regions;
use crate::text::{canonical, clip, find_addresses, squash, starts_with_ci};

use choice::Choice;
use explain::Reading;
use layout::Layout;

pub use crate::scan_result::{Candidate, Found};

const MAX_DIAG: usize = 1200;

/// The most recipients one report is read for (RFC 5321 servers must take
/// 100 per message; a report names those of one message and one domain).
pub const MAX_RECIPIENTS: usize = 1000;

/// The most lines one recipient is read on (its diagnostic keeps
/// `MAX_DIAG` bytes of them anyway).
const MAX_LINES_PER_RECIPIENT: usize = 32;

/// Runs the strategy over the view's human-readable text.
pub fn scan(view: &View, markers: &Markers) -> Found {
    let mut body = String::new();
    for t in &view.texts {
        body.push_str(t);
        body.push('\n');
    }
    let found = scan_text(view, markers, &body);
    // Broken MIME (unfolded parameters, missing boundaries) can hide the
    // text from the MIME parser: read the raw body instead. Decoded only
    // here: most bounces never need it. A part the parser could not delimit
    // is still in its transfer encoding: quoted-printable's soft breaks
    // split addresses ("kijitora@cr.ne=" / "ko.nyaan.jp"), base64 hides
    // every word. Without an `@` once decoded, it names nobody.
    let worth = |raw: &[u8]| {
        memchr::memchr(b'@', raw).is_some() || crate::text::contains_ci(raw, b"base64")
    };
    // A message whose top level declares base64 or quoted-printable is one
    // part, decoded whole by the parser (a multipart's top level is 7bit):
    // its raw body is that text still encoded, read wrong ("=E3=81=AE…").
    let one_encoded_part = view.header("content-transfer-encoding").is_some_and(|c| {
        let c = c.trim();
        c.eq_ignore_ascii_case("base64") || c.eq_ignore_ascii_case("quoted-printable")
    });
    if found.candidates.is_empty() && !one_encoded_part && worth(&view.raw_body) {
        let Some(raw) = crate::raw_transfer::body_as_text(view) else {
            return found;
        };
        let again = scan_text(view, markers, &raw);
        if !again.candidates.is_empty() {
            return again;
        }
    }
    found
}

/// The most of a report's human-readable text read for failures. A report's
/// own words take a few kilobytes and come first; what runs on past this is
/// a returned copy's body or junk (a mangled message, a flood of addresses),
/// whose reading would only cost time.
pub const MAX_TEXT: usize = 256 * 1024;

/// The most lines of its paragraph read above a start sentence.
pub(crate) const MAX_LEAD_LINES: usize = 4;

fn scan_text(view: &View, markers: &Markers, body: &str) -> Found {
    // Cut at a line's end: a line cut short names a cut address ("<a@b.examp").
    let body = match clip(body, MAX_TEXT) {
        cut if cut.len() < body.len() => memchr::memrchr(b'\n', cut.as_bytes())
            .and_then(|nl| cut.get(..=nl))
            .unwrap_or(cut),
        whole => whole,
    };
    let unixed;
    let body = if memchr::memchr(b'\r', body.as_bytes()).is_some() {
        unixed = body.replace("\r\n", "\n").replace('\r', "\n");
        unixed.as_str()
    } else {
        body
    };
    let layout = Layout::of(body, markers);
    let lower = layout.lower();
    let (lines, cut, first) = (&layout.lines, layout.cut, layout.first);
    // Whether the block quotes an SMTP session at all: its transcript is
    // read only then.
    let quotes_session =
        layout.transcript.iter().any(|&t| t) || crate::session_transcript::has_arrows(&layout.all);
    let session = quotes_session
        .then(|| crate::session_transcript::session(layout.above_cut(), &layout.transcript))
        .flatten();
    let Choice {
        chosen,
        strong,
        told,
        delayed,
        listed,
    } = choice::choose(view, markers, body, &layout, &lower, session.as_ref());
    // The lists of recipients reached or still tried, and the transcript
    // lines of the latter ("<slow@x>... Deferred: Connection timed out"),
    // are set aside: the context explains the failures, not the others.
    // Looked for only in a text where `collect` met such a list.
    let aside = listed.then(|| {
        let before_cut = layout.before_cut();
        let heading_at = lower
            .iter()
            .take(cut)
            .position(|l| crate::regions::success_heading(l, markers));
        let success_at = crate::report_lines::first_line_with(&markers.success, before_cut, 0)
            .map(|p| layout.line_at(p))
            .into_iter()
            .chain(heading_at)
            .min();
        let delay_at = crate::report_lines::first_line_with(&markers.delay_section, before_cut, 0)
            .map(|p| layout.line_at(p));
        let regions = Regions::new(markers, success_at, delay_at);
        crate::regions::set_aside(lines, &lower, cut, regions, &delayed)
    });
    let reading = Reading::new(
        &layout,
        markers,
        &chosen,
        &told,
        aside,
        session.as_ref(),
        quotes_session,
    );
    // A reply quotes some lines and writes others; a forwarded report
    // quotes them all. In a reply, the quoted lines are the answered
    // message's words, not the sender's.
    let is_quoted = |i: usize| layout.is_quoted(i);
    let mixed = (0..cut).any(is_quoted)
        && (0..cut).any(|i| !is_quoted(i) && lines.get(i).is_some_and(|l| !l.trim().is_empty()));
    let context = squash(clip(&block_text(&reading), 4 * MAX_DIAG));

    let mut out: Vec<Candidate> = Vec::new();
    for (addr, line) in &chosen {
        let Some((para, own)) = reading.explain(addr, *line) else {
            continue;
        };
        let para = squash(&para);
        match out.iter_mut().find(|c| &c.recipient == addr) {
            Some(c) => {
                if c.diagnostic.len() < MAX_DIAG && !c.diagnostic.contains(&para) {
                    c.diagnostic.push(' ');
                    c.diagnostic.push_str(&para);
                }
                if own && c.own_text.len() < MAX_DIAG && !c.own_text.contains(&para) {
                    c.own_text.push(' ');
                    c.own_text.push_str(&para);
                }
            }
            None => out.push(Candidate {
                recipient: addr.clone(),
                own_text: if own { para.clone() } else { String::new() },
                heading: if own {
                    String::new()
                } else {
                    crate::paragraph::list_heading(lines, *line).unwrap_or_default()
                },
                diagnostic: para,
                context: context.clone(),
            }),
        }
    }
    reading.fill_wordless(&mut out, &context);
    let has_codes = crate::codes::find_reply_code(&context).is_some()
        || crate::codes::find_enhanced(&context).is_some();
    // Where a reply code stands in the sender's own lines (a reply's
    // quoted lines set apart), as far as the context reads.
    let states_reply = has_codes && {
        let mut budget = 4 * MAX_DIAG;
        (first..cut).any(|i| {
            let Some(l) = lines.get(i).filter(|_| budget > 0) else {
                return false;
            };
            budget = budget.saturating_sub(l.len() + 1);
            let set_apart = reading.is_aside(i) || mixed && is_quoted(i);
            !set_apart
                && crate::codes::reply_stated_in_line(
                    l.trim_start(),
                    layout.indents.get(i).is_some_and(|&n| n > 0),
                )
        })
    };
    // The lines before the cut as they stand in `all` (joined by `\n`).
    let head = match cut.checked_sub(1).and_then(|l| layout.spans.get(l)) {
        Some(&(_, end)) => layout.all.get(..end).unwrap_or("").to_string(),
        None => String::new(),
    };
    let quoted_spans: Vec<(usize, usize)> = if mixed {
        (0..cut)
            .filter(|&i| is_quoted(i))
            .filter_map(|i| layout.spans.get(i).copied())
            .collect()
    } else {
        Vec::new()
    };
    let statement = reading.aside.as_ref().map(|_| {
        let kept: Vec<&str> = (0..cut)
            .filter(|&i| !reading.is_aside(i))
            .filter_map(|i| lower.get(i).copied())
            .collect();
        kept.join("\n")
    });
    let (inline_to, inline_message_id) = returned_fields(lines.get(cut..).unwrap_or(&[]));
    let reply_quoted =
        |i: usize| is_quoted(i) && !layout.transcript.get(i).copied().unwrap_or(false);
    let only_quoted = mixed && !chosen.is_empty() && chosen.iter().all(|&(_, i)| reply_quoted(i));
    Found {
        candidates: out,
        only_quoted,
        has_start: layout.has_start,
        strong,
        has_codes,
        states_reply,
        inline_to,
        inline_message_id,
        head,
        quoted_spans,
        opener: lower.get(cut).map_or_else(String::new, |l| l.to_string()),
        delayed,
        statement,
        told: told.into_iter().map(|(a, _)| a).collect(),
    }
}

/// The block's lines joined, without those set aside; only the first
/// 4 × `MAX_DIAG` bytes are kept, so it joins no further.
fn block_text(reading: &Reading) -> String {
    let l = reading.layout;
    let mut block = String::new();
    for (k, line) in l
        .lines
        .get(l.first..l.cut)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        if block.len() > 4 * MAX_DIAG {
            break;
        }
        if reading.is_aside(l.first + k) {
            continue;
        }
        if k > 0 {
            block.push('\n');
        }
        block.push_str(line);
    }
    block
}

/// The `To:` addresses and `Message-ID:` of an original inlined as text
/// below the block (`returned`: the lines from the cut on).
fn returned_fields(returned: &[&str]) -> (Vec<String>, Option<String>) {
    let mut inline_to = Vec::new();
    let mut inline_message_id = None;
    for orig in returned {
        if inline_to.is_empty() && starts_with_ci(orig, "to:") {
            inline_to = find_addresses(orig)
                .iter()
                .map(|f| canonical(f.addr))
                .collect();
        } else if inline_message_id.is_none() && starts_with_ci(orig, "message-id:") {
            let v = orig.get(11..).unwrap_or("").trim();
            if !v.is_empty() {
                inline_message_id = Some(v.to_string());
            }
        }
    }
    (inline_to, inline_message_id)
}

/// Candidates for `recipients` that all share one explanatory paragraph (used when a header or
/// a fallback names the recipients but the text around them is the only diagnostic).
pub fn candidates(recipients: Vec<String>, context: &str) -> Vec<Candidate> {
    recipients
        .into_iter()
        .map(|recipient| Candidate {
            recipient,
            diagnostic: clip(context, MAX_DIAG).to_string(),
            context: context.to_string(),
            ..Candidate::default()
        })
        .collect()
}

#[cfg(test)]
mod tests;
