//! The non-standard strategy: one general reader for the human-readable
//! bounce formats (Exim, Sendmail, qmail, Postfix, Exchange, Notes, carriers
//! …), driven by the marker table instead of per-MTA code.
//!
//! The text before the returned original is the error block; failed
//! recipients are the addresses that stand alone on a line (or follow a
//! recipient prefix), excluding the sender; the paragraph around each one is
//! its diagnostic.

use crate::above::{block_above, paragraph_above};
use crate::markers::{any_in, Markers};
use crate::mime::View;
use crate::paragraph::{has_code, meaningful, paragraph};
use crate::positions::collect;
use crate::regions::Regions;
use crate::report_lines::SplitLines;
use crate::text::{canonical, clip, find_addresses, squash, starts_with_ci};

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
    if found.candidates.is_empty() && worth(&view.raw_body) {
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
    let SplitLines {
        lines,
        indents,
        quoted,
        transcript,
    } = crate::report_lines::split(body);
    let mut cut = crate::report_lines::returned_copy_start(&lines);
    let (all, spans) = crate::report_lines::lowered(&lines, cut);
    let lower: Vec<&str> = spans
        .iter()
        .map(|&(a, b)| all.get(a..b).unwrap_or(""))
        .collect();
    let line_at = |pos: usize| spans.partition_point(|&(_, end)| end < pos);

    // Markers are looked for only before that cut: the returned original
    // is often most of the message.
    let upto = |line: usize| spans.get(line).map_or(all.len(), |&(a, _)| a);
    let after_first = upto(1);
    let before_cut = all.get(..upto(cut)).unwrap_or("");
    if let Some(i) =
        crate::report_lines::first_line_with(&markers.original, before_cut, after_first)
            .map(line_at)
    {
        cut = cut.min(i);
    }
    let before_cut = all.get(..upto(cut)).unwrap_or("");
    // Not a list of the recipients reached ("Your message was successfully
    // delivered to the following recipients:" holds the start's "following
    // recipient"): the failure is told elsewhere, often above it.
    let heads_reached = |i: usize| any_in(&markers.success, lower.get(i).copied().unwrap_or(""));
    let mut start =
        crate::report_lines::first_line_with(&markers.start, before_cut, 0).map(line_at);
    while let Some(i) = start.filter(|&i| i < cut && heads_reached(i)) {
        start = crate::report_lines::first_line_with(&markers.start, before_cut, upto(i + 1))
            .map(line_at);
    }
    let start = start.filter(|&i| i < cut);
    let has_start = start.is_some();
    // The start phrase in a reason of Domino's pairs ("reason" / "a@x" /
    // "Unable to deliver message: …" / "b@y"): the block begins with the
    // first pair.
    let first = start.map_or(0, |i| crate::paragraph::pairs_block(&lines, i).unwrap_or(i));
    // The start sentence inside a paragraph begun above it ("Nobody by the
    // name a@x receives" / "mail here, so your message was not delivered"):
    // that paragraph's lines above it.
    let lead = (first.saturating_sub(MAX_LEAD_LINES)..first)
        .rev()
        .take_while(|&j| lines.get(j).is_some_and(|l| !l.trim().is_empty()))
        .last();

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

    excluded.extend(crate::expanded::forward_targets_in(&lower, cut, markers));
    let mut pass = crate::positions::Pass::default();
    let crate::positions::Collected {
        mut strong,
        mut weak,
        mut delayed,
        mut told,
        mut from_headers,
    } = collect(
        &lines,
        &indents,
        &lower,
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
        let all = collect(
            &lines,
            &indents,
            &lower,
            0..cut,
            &mut pass,
            &excluded,
            markers,
        );
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
    if let Some(j) = lead {
        let above = collect(
            &lines,
            &indents,
            &lower,
            j..first,
            &mut crate::positions::Pass {
                listed: false,
                sentences_of_placed: true,
            },
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
    if !from_headers {
        crate::trace::place_declared(view, &mut strong, &mut weak);
    }
    if from_headers && crate::trace::names_another(view, &strong, &weak) {
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
    // A report naming more recipients than any message has is not analysed
    // further than that: the work per recipient must not make one message
    // from anyone on the internet cost minutes.
    // Lines read per recipient kept, which bounds the recipients too.
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // A session transcript naming recipients the server accepted, while
    // it refused others and took the message: those were delivered.
    // Whether the block quotes an SMTP session at all: its transcript is
    // read only then.
    let quotes_session =
        transcript.iter().any(|&t| t) || crate::session_transcript::has_arrows(&all);
    let session = quotes_session
        .then(|| crate::session_transcript::session(lines.get(..cut).unwrap_or(&[]), &transcript))
        .flatten();
    let delivered = |a: &String| {
        session.as_ref().is_some_and(|s| {
            !s.all_failed
                && !s.refused.is_empty()
                && s.accepted.contains(a)
                && !s.refused.iter().any(|(r, _)| r == a)
        })
    };
    // And each recipient is read on its first lines only: a text naming
    // one address on thousands of lines cost seconds (every line's
    // paragraph, each compared with all the others).
    let chosen: Vec<(String, usize)> = chosen
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
        .collect();
    // The recipients named on each line, for a line shared by several.
    let mut on_line: std::collections::HashMap<usize, Vec<&str>> = std::collections::HashMap::new();
    for (a, l) in &chosen {
        on_line.entry(*l).or_default().push(a.as_str());
    }
    // Sorted (hits come in line order): looked up by binary search.
    let mut addr_lines: Vec<usize> = chosen.iter().map(|(_, i)| *i).collect();
    addr_lines.sort_unstable();
    addr_lines.dedup();
    // The lists of recipients reached or still tried, and the transcript
    // lines of the latter ("<slow@x>... Deferred: Connection timed out"),
    // are set aside: the context explains the failures, not the others.
    // Looked for only in a text where `collect` met such a list.
    let aside = pass.listed.then(|| {
        let heading_at = lower
            .iter()
            .take(cut)
            .position(|l| crate::regions::success_heading(l, markers));
        let success_at = crate::report_lines::first_line_with(&markers.success, before_cut, 0)
            .map(line_at)
            .into_iter()
            .chain(heading_at)
            .min();
        let delay_at = crate::report_lines::first_line_with(&markers.delay_section, before_cut, 0)
            .map(line_at);
        let regions = Regions::new(markers, success_at, delay_at);
        crate::regions::set_aside(&lines, &lower, cut, regions, &delayed)
    });
    let is_aside = |i: usize| {
        aside
            .as_ref()
            .is_some_and(|a| a.get(i).copied().unwrap_or(false))
    };
    // A reply quotes some lines and writes others; a forwarded report
    // quotes them all. In a reply, the quoted lines are the answered
    // message's words, not the sender's.
    let is_quoted = |i: usize| quoted.get(i).copied().unwrap_or(false);
    let mixed = (0..cut).any(is_quoted)
        && (0..cut).any(|i| !is_quoted(i) && lines.get(i).is_some_and(|l| !l.trim().is_empty()));
    // Only the first 4 × MAX_DIAG bytes are kept: join no further.
    let mut block = String::new();
    for (k, l) in lines.get(first..cut).unwrap_or(&[]).iter().enumerate() {
        if block.len() > 4 * MAX_DIAG {
            break;
        }
        if is_aside(first + k) {
            continue;
        }
        if k > 0 {
            block.push('\n');
        }
        block.push_str(l);
    }
    let context = squash(clip(&block, 4 * MAX_DIAG));

    // A recipient's explanation is read on into the next paragraphs, but
    // not into another recipient's, nor into a list of recipients reached
    // or still tried, nor into Sendmail's session with another host about
    // another recipient (">>> RCPT To:<b@y>" below "... while talking to").
    let reads_on = |j: usize, addr: &str| {
        addr_lines.binary_search(&j).is_err()
            && !is_aside(j)
            && !lines.get(j).is_some_and(|l| {
                crate::paragraph::new_session(l)
                    && crate::paragraph::session_names_another(&lines, j, addr)
            })
    };
    let mut out: Vec<Candidate> = Vec::new();
    // The block's paragraphs, read once where a recipient needs its
    // domain's (`domain_paragraph`).
    let paragraphs = std::cell::OnceCell::new();
    for (addr, line) in &chosen {
        let (mut para, mut end) = paragraph(&lines, *line, &addr_lines);
        // Sendmail's summary line ends its recipient's part of the
        // transcript: what follows up to the next recipient is that one's.
        if crate::sendmail_summary::ends_its_part(&lines, *line, end, addr, &addr_lines) {
            para = format!("{} ", lines.get(*line).unwrap_or(&"").trim());
            end = *line + 1;
        }
        if let Some(item) = crate::above::expansion_above(&lines, *line, &addr_lines) {
            para = format!("{item} {para}");
        } else if let Some(start) = told
            .iter()
            .any(|(a, _)| a == addr)
            .then(|| crate::sentences::sentence_begun_above(&lines, &indents, *line, first))
            .flatten()
        {
            // The address continues its failure sentence begun above
            // ("Nobody by the name m.delgado exists here" / "(m.delgado@x).
            // Please …"): the sentence is the recipient's.
            let above = lines.get(start..*line).unwrap_or(&[]);
            let above: Vec<&str> = above.iter().map(|l| l.trim()).collect();
            let above = above.join(" ");
            // From the last clause's start: "(their mailbox is full), or to"
            // / "b@y (no such domain)" is b@y's "or to".
            let from = above.rfind(['.', ';', ')', '!', '?']).map_or(0, |e| e + 1);
            para = format!("{} {para}", above.get(from..).unwrap_or("").trim());
        }
        let paired = crate::paragraph::paired_above(&lines, *line);
        // (A transcript's "250 … Recipient ok" to its `RCPT TO:` says the
        // address was taken, not the message: the session failed after it.)
        let rcpt_echo = lines
            .get(*line)
            .is_some_and(|l| crate::text::contains_ci(l.as_bytes(), b"rcpt to:"));
        if !rcpt_echo && crate::paragraph::reached_line(&para) {
            continue;
        }
        // The recipient's block ends below it without a reply code and its
        // lines above quote one: the error stands before the recipient, and
        // the paragraphs below are the next recipient's.
        let ends_block = lines.get(end).is_none_or(|l| l.trim().is_empty());
        let own_above = (ends_block && !has_code(&para))
            .then(|| {
                block_above(&lines, *line, &addr_lines)
                    .or_else(|| {
                        crate::above::sentence_above(&lines, *line, addr, &addr_lines, |t| {
                            any_in(&markers.bounce_subject, t)
                        })
                    })
                    .or_else(|| crate::above::item_above(&lines, *line, &addr_lines))
            })
            .flatten()
            .filter(|&(_, from)| !(from..*line).any(is_aside));
        // A reference to a note ("see [2]"): the note is the reason, and
        // nothing is read on. Recipients sharing one error, listed above it
        // (Exim: "  a@x" / "  b@y" / "      host …: 550 …"): it is each one's.
        let note = crate::paragraph::footnote(lines.get(..cut).unwrap_or(&[]), *line);
        let said = meaningful(&para, addr) && !crate::paragraph::bare_start(&para, addr, markers);
        let shared = (!said)
            .then(|| crate::paragraph::shared_below(&lines, &indents, *line, &addr_lines))
            .flatten();
        // Whether the text is the recipient's own block; read on from an
        // address alone, it may be whatever follows (a footer).
        let own =
            paired.is_some() || note.is_some() || shared.is_some() || own_above.is_some() || said;
        if let Some(pair) = paired {
            para = pair;
        } else if let Some(note) = note {
            para = format!("{para} {note}");
        } else if let Some(shared) = shared {
            para = format!("{para} {shared}");
        } else if let Some((above, _)) = own_above {
            para = format!("{above}{para}");
        } else if let Some(about) = (!own && chosen.len() > 1)
            .then(|| {
                let all = paragraphs
                    .get_or_init(|| crate::domain_paragraph::Paragraphs::of(&lines, first, cut));
                all.about(crate::domain_paragraph::domain_of(addr))
            })
            .flatten()
        {
            // Several recipients, this one alone on its line: a paragraph
            // about its domain is its reason, wherever it stands.
            para = format!("{para} {about}");
        } else if !own {
            // "<addr>" alone: the explanation follows, often prose first
            // and the quoted server reply after it (Gmail), so read on
            // until a reply code shows up.
            // The last of a list of bare addresses ("The following
            // recipients were affected:" / "a@x" / "b@y") shares its
            // list's reason, stated above it as often as below: what
            // follows is read only when it quotes a reply.
            let last_item = line
                .checked_sub(1)
                .filter(|&p| addr_lines.binary_search(&p).is_ok())
                .and_then(|p| lines.get(p))
                .is_some_and(|l| crate::paragraph::alone_on_line(l));
            let mut extra = String::new();
            for round in 0..3 {
                if round > 0 && (has_code(&para) || has_code(&extra)) {
                    break;
                }
                let next = (end..cut).find(|&j| lines.get(j).is_some_and(|l| !l.trim().is_empty()));
                let Some(j) = next.filter(|&j| reads_on(j, addr)) else {
                    break;
                };
                let (p, e) = paragraph(&lines, j, &addr_lines);
                extra.push_str(&p);
                end = e.min(cut);
            }
            if !last_item || has_code(&extra) {
                para.push_str(&extra);
            }
        } else if !has_code(&para) {
            // A reason in words with the server's reply further down
            // (Gmail: "Your message to <addr> has been blocked." / "The
            // response from the remote server was:" / reply): the reply is
            // the better evidence. The paragraphs read on are kept only
            // when they end in a reply code before another address.
            let mut extra = String::new();
            let mut at = end;
            for _ in 0..3 {
                let next = (at..cut).find(|&j| lines.get(j).is_some_and(|l| !l.trim().is_empty()));
                let Some(j) = next.filter(|&j| reads_on(j, addr)) else {
                    break;
                };
                let (p, e) = paragraph(&lines, j, &addr_lines);
                if about_another_domain(&p, addr, &chosen) {
                    break;
                }
                extra.push_str(&p);
                at = e.min(cut);
                if has_code(&extra) {
                    para.push_str(&extra);
                    break;
                }
            }
            if !has_code(&para) {
                // A session transcript above the statement (InterScan: `Sent
                // <<< RCPT TO:<addr>` / `Received >>> 550 5.1.1 unknown
                // user.` / blank / `Unable to deliver message to <addr>`):
                // the paragraph just above, naming the same recipient with a
                // reply code, is its reply.
                if let Some(above) = paragraph_above(&lines, *line, addr) {
                    para = format!("{above} {para}");
                }
            }
        }
        // A session transcript: its refusal, far below, leads (the text
        // kept of a diagnostic would not reach it).
        let answered = session
            .as_ref()
            .and_then(|s| s.refused.iter().find(|(r, _)| r == addr))
            .map(|(_, reply)| format!("{reply} "));
        if let Some(reply) = answered.or_else(|| {
            quotes_session
                .then(|| {
                    crate::session_transcript::failing_reply(
                        lines.get(..cut).unwrap_or(&[]),
                        *line,
                        &addr_lines,
                        addr,
                    )
                })
                .flatten()
                .or_else(|| {
                    quotes_session
                        .then(|| {
                            crate::session_transcript::reply_above_summary(
                                lines.get(..cut).unwrap_or(&[]),
                                addr,
                            )
                        })
                        .flatten()
                })
        }) {
            if !clip(&para, MAX_DIAG / 2).contains(reply.trim_end()) {
                para = format!("{reply}{para}");
            }
        }
        // Several recipients on one line, each with its own reason ("a@x:
        // 550 …; b@y: 552 …"): each takes its part of the line, the last
        // the lines below too.
        let others: Vec<&str> = on_line
            .get(line)
            .map(|all| all.iter().copied().filter(|a| *a != addr).collect())
            .unwrap_or_default();
        if let Some((part, last)) = lines
            .get(*line)
            .and_then(|l| crate::paragraph::own_part(l, addr, &others))
        {
            let continues = last
                && addr_lines.binary_search(&(*line + 1)).is_err()
                && lines.get(*line + 1).is_some_and(|l| !l.trim().is_empty());
            para = if continues {
                format!("{part} {}", paragraph(&lines, *line + 1, &addr_lines).0)
            } else {
                part
            };
        }
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
                    crate::paragraph::list_heading(&lines, *line).unwrap_or_default()
                },
                diagnostic: para,
                context: context.clone(),
            }),
        }
    }
    for c in &mut out {
        c.diagnostic = clip(&c.diagnostic, MAX_DIAG).to_string();
        c.own_text = clip(&c.own_text, MAX_DIAG).to_string();
        if !meaningful(&c.diagnostic, &c.recipient) {
            // Listed alone, its reply echoed further down (Sendmail, below
            // the transcript: "550 5.1.2 <b@y>... Host unknown"): that line
            // is its own; else the block's text is all there is.
            match crate::session_transcript::echoed_reply(
                lines.get(first..cut).unwrap_or(&[]),
                &c.recipient,
            ) {
                Some(line) => {
                    c.diagnostic = clip(line.trim(), MAX_DIAG).to_string();
                    c.own_text = c.diagnostic.clone();
                }
                None => {
                    // Several recipients, this one without words: a
                    // paragraph about its domain is its reason; else the
                    // block's text is all there is.
                    let about = (chosen.len() > 1)
                        .then(|| {
                            let all = paragraphs.get_or_init(|| {
                                crate::domain_paragraph::Paragraphs::of(&lines, first, cut)
                            });
                            all.about(crate::domain_paragraph::domain_of(&c.recipient))
                        })
                        .flatten();
                    match about {
                        Some(about) => {
                            c.diagnostic = clip(&about, MAX_DIAG).to_string();
                            c.own_text = c.diagnostic.clone();
                        }
                        None => {
                            c.diagnostic = clip(&context, MAX_DIAG).to_string();
                            c.own_text.clear();
                        }
                    }
                }
            }
        }
    }
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
            let set_apart = is_aside(i) || mixed && is_quoted(i);
            !set_apart
                && crate::codes::reply_stated_in_line(
                    l.trim_start(),
                    indents.get(i).is_some_and(|&n| n > 0),
                )
        })
    };
    let mut inline_to = Vec::new();
    let mut inline_message_id = None;
    // The lines before the cut as they stand in `all` (joined by `\n`).
    let head = match cut.checked_sub(1).and_then(|l| spans.get(l)) {
        Some(&(_, end)) => all.get(..end).unwrap_or("").to_string(),
        None => String::new(),
    };
    let quoted_spans: Vec<(usize, usize)> = if mixed {
        (0..cut)
            .filter(|&i| is_quoted(i))
            .filter_map(|i| spans.get(i).copied())
            .collect()
    } else {
        Vec::new()
    };
    let statement = aside.as_ref().map(|_| {
        let kept: Vec<&str> = (0..cut)
            .filter(|&i| !is_aside(i))
            .filter_map(|i| lower.get(i).copied())
            .collect();
        kept.join("\n")
    });
    for orig in lines.iter().skip(cut) {
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
    let reply_quoted = |i: usize| is_quoted(i) && !transcript.get(i).copied().unwrap_or(false);
    let only_quoted = mixed && !chosen.is_empty() && chosen.iter().all(|&(_, i)| reply_quoted(i));
    Found {
        candidates: out,
        only_quoted,
        has_start,
        strong: is_strong,
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

/// A paragraph that names another recipient's domain and not this one's
/// ("The mail server for b.example … refused the message"): theirs.
fn about_another_domain(p: &str, addr: &str, chosen: &[(String, usize)]) -> bool {
    use crate::domain_paragraph::{domain_of, names_domain};
    let mine = domain_of(addr);
    !names_domain(p, mine)
        && chosen.iter().any(|(other, _)| {
            let theirs = domain_of(other);
            theirs != mine && names_domain(p, theirs)
        })
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
#[path = "nonstd_tests.rs"]
mod tests;
