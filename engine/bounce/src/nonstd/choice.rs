//! Which addresses of the error block are its failed recipients: those in
//! reliable positions below the start sentence, else anywhere in the block,
//! beside those told in the paragraph begun above it; never the report's
//! own parties.

use crate::markers::Markers;
use crate::mime::View;
use crate::positions::{collect, Collected, Hits, Pass};
use crate::session_transcript::Session;
use crate::text::canonical;

use super::layout::Layout;
use super::{MAX_LINES_PER_RECIPIENT, MAX_RECIPIENTS};

/// The failed recipients chosen, with what their choice met.
pub(super) struct Choice {
    /// Each recipient with a line naming it (one entry per line).
    pub(super) chosen: Hits,
    /// Whether they stand in reliable positions.
    pub(super) strong: bool,
    /// Recipients named in a failure sentence of their own.
    pub(super) told: Hits,
    /// Addresses listed as still being tried.
    pub(super) delayed: Vec<String>,
    /// Whether a list of recipients reached or still tried was met.
    pub(super) listed: bool,
}

/// Addresses that are never a failed recipient: the report's parties, the
/// returned copy's sender and identifiers, forward `targets`.
fn excluded(view: &View, body: &str, targets: &[String]) -> Vec<String> {
    let mut excluded: Vec<String> = view
        .to
        .iter()
        .filter(|a| !view.original.to.contains(a))
        .cloned()
        .collect();
    excluded.extend(view.original.from.iter().cloned());
    // The report's own sender signs it (`postmaster@…` below the text),
    // except where our returned message went to that very address: a
    // mailbox or route that bounces in its own name (Postal's route set to
    // bounce: "Mail Delivery Service <support@…>", "Rcpt To: support@…").
    if !view.from_addr.is_empty() && !view.original.to.contains(&view.from_addr) {
        excluded.push(view.from_addr.clone());
    }
    excluded.extend(crate::trace::envelope_sender(view));
    // A Message-ID looks like an address and is never a recipient (the
    // returned copy's, quoted escaped in an HTML report's raw text).
    excluded.extend(view.original.message_id.iter().map(|m| canonical(m)));
    excluded.extend(crate::trace::identifiers(body));
    excluded.extend(targets.iter().cloned());
    excluded
}

/// Chooses the failed recipients of `layout`'s block. `session` is the
/// block's SMTP session, where it quotes one.
pub(super) fn choose(
    view: &View,
    markers: &Markers,
    body: &str,
    layout: &Layout,
    lower: &[&str],
    session: Option<&Session>,
) -> Choice {
    // The forward targets the block names; those given under a label
    // ("Dirección de reenvío: b@y") are no failed recipient even where a
    // line of the target's reply opens with them ("550 5.1.1 <b@y>: …").
    let targets = crate::expanded::forward_targets_in(lower, layout.cut, markers);
    let excluded = excluded(view, body, &targets);
    let labelled = crate::expanded::labelled_targets_in(lower, layout.cut, markers);
    let (lines, indents) = (&layout.lines, &layout.indents);
    let (first, cut) = (layout.first, layout.cut);
    let mut pass = Pass::default();
    let Collected {
        mut strong,
        mut weak,
        mut delayed,
        mut told,
        mut from_headers,
    } = collect(
        lines,
        indents,
        lower,
        first..cut,
        &mut pass,
        &excluded,
        markers,
    );
    // Nobody in a reliable position below the start marker: the whole text
    // is read again, and its reliable positions win over the marker's
    // region's others (a footer's or signature's address below the
    // marker, the failed recipient alone on its line above it).
    if strong.is_empty() && first > 0 {
        let all = collect(lines, indents, lower, 0..cut, &mut pass, &excluded, markers);
        if !all.strong.is_empty() || weak.is_empty() {
            (strong, weak, delayed, told, from_headers) = (
                all.strong,
                all.weak,
                all.delayed,
                all.told,
                all.from_headers,
            );
        }
    }
    // A recipient told in its own failure sentence there stands beside
    // those listed below (not a list item above: the whole text's reading
    // places those).
    if let Some(j) = layout.lead {
        let mut lead_pass = Pass {
            listed: false,
            sentences_of_placed: true,
        };
        let above = collect(
            lines,
            indents,
            lower,
            j..first,
            &mut lead_pass,
            &excluded,
            markers,
        );
        // (Among the others in running text where nobody is listed; in
        // place of the returned copy's header fields, read for want of any.)
        if from_headers && !above.told.is_empty() {
            strong.clear();
            weak.clear();
            from_headers = false;
        }
        let hits = if strong.is_empty() {
            &mut weak
        } else {
            &mut strong
        };
        for hit in above.told {
            if !hits.iter().any(|(a, _)| *a == hit.0) {
                told.push(hit.clone());
                hits.push(hit);
            }
        }
        hits.sort_by_key(|&(_, line)| line);
    }
    if !labelled.is_empty() {
        strong.retain(|(a, _)| !labelled.contains(a));
        weak.retain(|(a, _)| !labelled.contains(a));
    }
    if !from_headers {
        crate::trace::place_declared(view, &mut strong, &mut weak);
    }
    if from_headers
        && (crate::trace::names_another(view, &strong, &weak)
            || crate::display_names::lists_another_person(
                lower.get(first..cut).unwrap_or_default(),
                &strong
                    .iter()
                    .chain(&weak)
                    .map(|(a, _)| a)
                    .collect::<Vec<_>>(),
            ))
    {
        strong.clear();
        weak.clear();
    }
    // The report's addressee (the original's sender, a list's bounce
    // address) is no failed recipient even alone on its line: TipJar and
    // others print the envelope ("list-return@x" / "b@y") above the
    // returned copy.
    let addressee = |a: &String| view.to.contains(a) && !view.original.to.contains(a);
    if strong.iter().any(|(a, _)| !addressee(a)) {
        strong.retain(|(a, _)| !addressee(a));
    }
    let is_strong = !strong.is_empty();
    let chosen = if is_strong { strong } else { weak };
    Choice {
        chosen: bounded(chosen, session),
        strong: is_strong,
        told,
        delayed,
        listed: pass.listed,
    }
}

/// `chosen` without the recipients a session transcript shows delivered,
/// and bounded: a report naming more recipients than any message has is not
/// analysed further than that, and each recipient is read on its first
/// lines only (a text naming one address on thousands of lines cost
/// seconds: every line's paragraph, each compared with all the others). The
/// work per recipient must not make one message from anyone on the
/// internet cost minutes.
fn bounded(chosen: Hits, session: Option<&Session>) -> Hits {
    // A session transcript naming recipients the server accepted, while
    // it refused others and took the message: those were delivered.
    let delivered = |a: &String| {
        session.is_some_and(|s| {
            !s.all_failed
                && !s.refused.is_empty()
                && s.accepted.contains(a)
                && !s.refused.iter().any(|(r, _)| r == a)
        })
    };
    // Lines read per recipient kept, which bounds the recipients too.
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    chosen
        .into_iter()
        .filter(|(a, _)| !delivered(a))
        .filter(|(a, _)| {
            if !kept.contains_key(a) && kept.len() >= MAX_RECIPIENTS {
                return false;
            }
            let lines_read = kept.entry(a.clone()).or_insert(0);
            *lines_read += 1;
            *lines_read <= MAX_LINES_PER_RECIPIENT
        })
        .collect()
}
