//! Where a failed recipient's address stands in the error block: alone on
//! a line, after a recipient prefix, in a header field of a quoted report
//! (reliable positions), or in running text (other positions). Footers,
//! contact sentences, links and the lists of recipients reached or still
//! tried (`regions.rs`) name nobody who failed.

use crate::address_context::{
    in_url, is_contact_context, is_placeholder, is_sender_context, is_strong_position,
    is_syslog_line,
};
use crate::markers::{any_in, Markers};
use crate::regions::{Region, Regions};
use crate::sentences::{failure_to, goes_on, reached_after, runs_into};
use crate::text::{canonical, find_addresses, quoted_header_field};

pub(crate) type Hits = Vec<(String, usize)>;

/// What a recipient's forward went on to: the address right after "forwards
/// to", "is forwarded to", "redirects to" ("a@x forwards to" / "b@y, and
/// that server refused it"), on its line or ending the line above when
/// the address opens its own. The recipient is the mailbox that forwards.
pub(crate) fn forward_target(prefix: &str, above: Option<&str>) -> bool {
    const LEADS: &[&str] = &[
        "forwards to",
        "forwarded to",
        "forwarding to",
        "redirects to",
        "redirected to",
        "forwards mail to",
        "forwards all mail to",
        "forward all mail to",
        "forward all mail to:",
        "forwards its mail to",
        "forwards everything to",
        "forward everything to",
        "stuurt alle berichten door naar",
        // The same in the languages whose reports name the target after
        // the verb (German, French, Spanish, Portuguese, Italian, Dutch,
        // Russian, Chinese, Japanese).
        "weitergeleitet an",
        "weiterleitung an",
        "transféré à",
        "redirigé vers",
        "reenviado a",
        "redirigido a",
        "encaminhado para",
        "inoltrato a",
        "doorgestuurd naar",
        "переслано на",
        "пересылка на",
        "转发至",
        "转发到",
        "轉發至",
        "轉寄至",
        "転送先",
    ];
    let ends = |t: &str| {
        let t = t.trim_end_matches([' ', '\t', '<', '"', '\'', ':']);
        LEADS.iter().any(|l| t.ends_with(l))
    };
    ends(prefix) || prefix.trim().is_empty() && above.is_some_and(ends)
}

/// A contact sentence begun on the line above and ending before the
/// address on its line ("… contact the IT Service Desk, Library Building,"
/// / "room G.14, or email desk@x quoting …"): the prefix holds no sentence
/// end of its own.
fn contact_wrapped(prefix: &str, above: Option<&str>, markers: &Markers) -> bool {
    let Some(above) = above else {
        return false;
    };
    // Cheap exits first: most lines above name no contact at all.
    if prefix.contains(". ")
        || prefix.contains(['!', '?', ';'])
        || !any_in(&markers.contact_word, above)
    {
        return false;
    }
    is_contact_context(&format!("{} {prefix}", above.trim()), markers)
}

/// A line opening a bulleted item ("* ", "- ", "• ") with words after the
/// bullet, not an address right after it (that is a list of addresses).
fn opens_bullet(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    chars
        .next()
        .is_some_and(|c| matches!(c, '*' | '-') || crate::address_context::is_bullet(c))
        && chars.next().is_some_and(char::is_whitespace)
        && t.get(2..).is_some_and(|rest| {
            // Words of a sentence, not a field ("* Subject-Submission-
            // Identifier: …;<id@host>") nor an address first.
            let words: Vec<&str> = rest.split_whitespace().collect();
            words.len() >= 4
                && words
                    .first()
                    .is_some_and(|w| !w.contains('@') && !w.ends_with(':'))
        })
}

/// The line above line `i` when it is not blank.
fn above_line<'a>(lower: &[&'a str], i: usize) -> Option<&'a str> {
    lower
        .get(i.checked_sub(1)?)
        .copied()
        .filter(|l| !l.trim().is_empty())
}

/// How [`collect`] reads a span, and what it tells of it besides its hits.
#[derive(Default)]
pub(crate) struct Pass {
    /// Out: a list of recipients reached or still tried was met.
    pub(crate) listed: bool,
    /// In: an address placed (alone on its line, after a label) is also
    /// read for a failure sentence of its own; otherwise only the others
    /// are, that reading being the costliest part of placing an address.
    pub(crate) sentences_of_placed: bool,
}

/// What [`collect`] found.
pub(crate) struct Collected {
    /// Addresses in reliable positions, with their lines.
    pub(crate) strong: Hits,
    /// Addresses in other positions.
    pub(crate) weak: Hits,
    /// Addresses listed as still being tried.
    pub(crate) delayed: Vec<String>,
    /// Addresses each named in its own failure sentence.
    pub(crate) told: Hits,
    /// Whether the hits are the original's header fields quoted in the
    /// notice, taken because nothing else was named.
    pub(crate) from_headers: bool,
}

/// Addresses in lines `from..cut`, split into reliable and other positions.
/// Footers and the lists of recipients reached or still tried name no
/// failures (`regions.rs`): `pass.listed` is set when a list is met; the
/// addresses listed as still being tried are returned apart, to be kept
/// out of every position.
pub(crate) fn collect(
    lines: &[&str],
    indents: &[usize],
    lower: &[&str],
    span: std::ops::Range<usize>,
    pass: &mut Pass,
    excluded: &[String],
    markers: &Markers,
) -> Collected {
    let mut regions = Regions::footers(markers);
    let (from, cut) = (span.start, span.end);
    let mut strong: Hits = Vec::new();
    let mut weak: Hits = Vec::new();
    // Role addresses ("contact postmaster@…") are usually advice, but a
    // failure sentence can be about one: "error delivering your mail to
    // <postmaster@example.org>". Kept apart, used when nobody else is named.
    let mut role: Hits = Vec::new();
    let mut header_hits: (Hits, Hits) = (Vec::new(), Vec::new());
    // The recipient that opened the current paragraph, with its indent: an
    // address on a deeper-indented line below it, before a blank line, is
    // inside that recipient's quoted reply (Postfix: `<rcpt>: host … said:
    // 550 5.1.1` / `    <our-sender>: unauthorized sender`), not another
    // recipient. Exim lists its recipients at one indent, so they stay.
    let mut owner: Option<(String, usize)> = None;
    // The last line whose address was an example (see `wrapped` below).
    let mut example_line: Option<usize> = None;
    // Alias targets replaced by the address asked for: the transcript
    // below names the target again ("550 5.1.1 target... User unknown"),
    // the same failure, not another recipient.
    let mut targets: Vec<String> = Vec::new();
    let mut delayed: Vec<String> = Vec::new();
    let mut told: Hits = Vec::new();
    for (i, line) in lines.iter().enumerate().take(cut).skip(from) {
        let low = lower.get(i).copied().unwrap_or("");
        if line.trim().is_empty() {
            owner = None;
            regions.blank();
            continue;
        }
        let region = match regions.line(i, line, low) {
            Region::Statement if line.contains('@') => {
                crate::regions::listed_under(lines, lower, indents, i, from, markers)
            }
            other => other,
        };
        if matches!(region, Region::Reached | Region::Delayed) {
            pass.listed = true;
        }
        match region {
            Region::Statement => {}
            Region::Delayed => {
                // A list item (`listed_under` places no other line): its
                // first address, not those in its reasons ("after MAIL
                // FROM:<sender>").
                if let Some(f) = find_addresses(line).first() {
                    delayed.push(canonical(f.addr));
                }
                continue;
            }
            Region::Footer | Region::Reached => continue,
        }
        let indent = indents.get(i).copied().unwrap_or(0);
        let inside = owner.as_ref().is_some_and(|(_, at)| indent > *at);
        // Sendmail's `(expanded from: <addr>)`: see `expanded`.
        if let Some(asked) = crate::expanded::asked_address(low, line) {
            match owner.as_mut() {
                // Below the alias's target: the asked address replaces it.
                Some((target, _)) if inside => {
                    if let Some(hit) = strong.iter_mut().rev().find(|(a, _)| a == target) {
                        hit.0.clone_from(&asked);
                    }
                    targets.push(std::mem::replace(target, asked));
                    continue;
                }
                // Below a program or a file, which is no address.
                None => {
                    strong.push((asked, i));
                    continue;
                }
                Some(_) => {}
            }
        }
        // Exim's failed pipe or file, and the address that generated it:
        // a recipient's item of its own, ending the one above.
        let above = i
            .checked_sub(1)
            .and_then(|j| lower.get(j))
            .copied()
            .unwrap_or("");
        // Sun/Oracle Messaging Server's "Original address: x" right below
        // its "Recipient address: y": y as the sender wrote it, no
        // recipient of its own (kept as y's original: `expanded`).
        if crate::expanded::is_original_below_recipient(low, above) {
            continue;
        }
        if let Some(asked) = crate::expanded::generated_by(low, line, above) {
            owner = Some((asked.clone(), indent));
            strong.push((asked, i));
            continue;
        }
        // The original's header fields quoted in the notice name its
        // recipients, not the failed ones: they count only when nothing
        // else is named (Yahoo's "… the following message. / To: …").
        let quoted_line = quoted_header_field(lower, i);
        if is_syslog_line(line)
            || crate::address_context::is_log_fields_line(low)
            || crate::address_context::is_assignment_line(line)
        {
            continue;
        }
        let found_here = find_addresses(line);
        // A bulleted item naming one address in its sentence ("  * Mail
        // for a@x kept going around in a loop …", "- There is no one
        // called a@x here."): a list of failures, one recipient an item.
        let bullet_item = found_here.len() == 1 && opens_bullet(line);
        if !found_here.is_empty() && crate::address_context::is_attribution(low, markers) {
            continue;
        }
        // An address the line itself calls the sender ("<a@x>... Domain of
        // sender address a@x does not exist") is the sender wherever it
        // stands on that line.
        let senders_here: Vec<String> = found_here
            .iter()
            .filter(|f| {
                let prefix = crate::text::prefix_before(low, f.start);
                is_sender_context(prefix, markers)
                    || crate::address_context::is_sender_field(prefix, markers)
            })
            .map(|f| canonical(f.addr))
            .collect();
        // Where the last address this line placed as a recipient ends: the
        // addresses listed after it ("delivered to: a@x, b@y; <c@z>") stand
        // where it stands.
        let mut listed_after: Option<usize> = None;
        for f in found_here {
            let addr = canonical(f.addr);
            if targets.contains(&addr) || senders_here.contains(&addr) {
                continue;
            }
            let prefix = crate::text::prefix_before(low, f.start);
            // An address opening a line inside running prose: the sentence
            // began on the line above ("Herr Brandt ist jetzt unter" /
            // "a@x zu erreichen.", "including the ward office" / "(a@x),
            // received the message") and goes on after it. The line above
            // is its prefix: no list's item stands there.
            let joined;
            let mut runs_on = false;
            let prefix = match above_line(lower, i).filter(|_| i > from) {
                Some(above)
                    if prefix.trim_matches([' ', '\t', '(', '<', '"']).is_empty()
                        && runs_into(above, indents.get(i - 1).copied(), indent)
                        && goes_on(line.get(f.end..).unwrap_or("")) =>
                {
                    runs_on = true;
                    joined = format!("{} {}", above.trim(), prefix.trim_start());
                    joined.as_str()
                }
                _ => prefix,
            };
            // An address opening a line may continue the sentence of the
            // line above, wrapped there ("… e.g., if" / "mike@… fails, try
            // …"), or stand in a list that sentence introduces ("… e.g." /
            // blank / "    a@…" / "    b@…"): that line's end is its
            // prefix too, for each address line of the list.
            // Not a line indented less than the one above: that starts a new
            // item (Exim's `  b@y` below `    550 … during MAIL FROM`). The
            // line above counts also where the block starts on the address's
            // own line ("… sent from" / "a@x, could not be delivered …").
            let opens = prefix.trim().is_empty();
            let wrapped = opens
                && (example_line.is_some_and(|at| at + 1 == i)
                    || (from.min(i.saturating_sub(1))..i)
                        .rev()
                        .take(2)
                        .find(|&j| lower.get(j).is_some_and(|l| !l.trim().is_empty()))
                        .filter(|&j| indents.get(j).is_none_or(|&above| above <= indent))
                        .is_some_and(|j| {
                            let above = lower.get(j).copied().unwrap_or("");
                            is_sender_context(above, markers)
                                || crate::address_context::continues_sender_list(above, markers)
                                || is_contact_context(above, markers)
                                || sentence_above(lower, j)
                                    .is_some_and(|s| is_contact_context(&s, markers))
                        }));
            if wrapped {
                example_line = Some(i);
            }
            if wrapped
                || is_sender_context(prefix, markers)
                || (is_contact_context(prefix, markers)
                    || crate::address_context::is_team_signature(
                        prefix,
                        line.get(f.end..).unwrap_or(""),
                        markers,
                    ))
                    && !listed_below_start(lower, i, markers)
                || crate::address_context::is_contact_suffix(
                    text_after(lines, i, line.get(f.end..).unwrap_or("")),
                    markers,
                )
                || is_placeholder(f.addr)
                || !quoted_line
                    && reached_after(
                        lower,
                        i,
                        low.get(f.end..).unwrap_or(""),
                        prefix.trim_matches([' ', '\t', '<', '"']).is_empty(),
                        markers,
                    )
                || prefix.trim_start().trim_start_matches('<').is_empty()
                    && crate::text::folded_id_value(lower, i)
                || in_url(prefix)
                || crate::address_context::is_named_mailto(prefix)
                || forward_target(prefix, opens.then(|| above_line(lower, i)).flatten())
                || !opens && contact_wrapped(prefix, above_line(lower, i), markers)
            {
                continue;
            }
            let local = addr.split('@').next().unwrap_or("");
            let is_role = matches!(
                local,
                "mailer-daemon" | "postmaster" | "mailer_daemon" | "noreply" | "no-reply"
            );
            if is_role {
                // The report's own sender, the returned copy's: never.
                if excluded.contains(&addr) {
                    continue;
                }
                // Otherwise a role address is advice unless the report's
                // structure makes it a recipient: it opens its own block,
                // follows a cause label, has a start marker on its line, or
                // is an item of a list under a start sentence, a
                // transcript's command.
                let rest = line
                    .get(f.end..)
                    .map(|r| r.trim_start_matches(['>', ']', ')', '"', ' ']));
                let reason =
                    rest.is_some_and(|r| r.starts_with(':') && r.chars().any(char::is_alphabetic));
                let alone = rest.is_some_and(|r| r.trim().is_empty());
                // (A bullet or bracket before it: "* [a@x]: 550 …".)
                let opens_line = prefix
                    .trim_matches(|c: char| {
                        c.is_whitespace()
                            || matches!(c, '<' | '[' | '(' | '"' | '*' | '-')
                            || crate::address_context::is_bullet(c)
                    })
                    .is_empty();
                // qmail's "<addr>:" over its reason's line.
                let reason_below = rest.is_some_and(|r| r.trim() == ":")
                    && lines.get(i + 1).is_some_and(|l| !l.trim().is_empty());
                // Opening its own "<addr>: reason" line, it is placed like
                // any recipient there, and owns the reply quoted below it
                // (Postfix: `<noreply@x>: host … said: 550 5.1.1` /
                // `    <our-sender>: unauthorized sender`).
                if (reason || reason_below) && opens_line && !inside && !quoted_line {
                    owner = Some((addr.clone(), indent));
                    listed_after = Some(f.end);
                    strong.push((addr, i));
                    continue;
                }
                // "User unknown: postmaster@x" (IMail, list managers).
                let cause_labelled = !quoted_line
                    && crate::address_context::is_cause_label(
                        prefix,
                        line.get(f.end..).unwrap_or(""),
                    );
                // (OpenSMTPD: `postmaster@example.org: Domain does not
                // exist`; Gmail's "Delivery to the following recipient
                // failed permanently:" / "     postmaster@x".)
                if any_in(&markers.start, low)
                    || cause_labelled
                    || reason && opens_line
                    || (alone || rest.is_some_and(dated))
                        && opens_line
                        && listed_below_start(lower, i, markers)
                {
                    role.push((addr, i));
                    continue;
                }
                // An item of a list under a start sentence (Exchange's X.400
                // "…;dda:SMTP=noreply@x; on <date>"), or the SMTP command of
                // a transcript ("RCPT TO:<noreply@x>"): read as any address
                // there, unless it stands in another recipient's quoted reply.
                let rcpt_command = prefix.trim_end_matches(['<', ' ']).ends_with("rcpt to:");
                if quoted_line || !rcpt_command && !listed_below_start(lower, i, markers) {
                    continue;
                }
                if !(inside && owner.as_ref().is_some_and(|(o, _)| *o != addr)) {
                    role.push((addr, i));
                }
                continue;
            }
            let at_line_start = prefix
                .trim_matches(|c: char| {
                    c.is_whitespace()
                        || c == '<'
                        || c == '"'
                        || crate::address_context::is_bullet(c)
                })
                .is_empty();
            let quoted = inside && owner.as_ref().is_some_and(|(o, _)| *o != addr);
            // A cause label places a recipient not placed yet: a server's
            // reply quoting one already listed ("550 5.1.0 Recipient
            // rejected: <a@x>" below `a@x`) is its explanation, not a new
            // line of the list.
            let labelled = !quoted
                && !quoted_line
                && crate::address_context::is_cause_label(prefix, line.get(f.end..).unwrap_or(""))
                && !strong.iter().any(|(a, _)| *a == addr);
            // Not in a quoted header field: "To: a@x, b@y" lists the
            // message's recipients, of which the report may name one.
            let in_list = !quoted_line
                && listed_after
                    .and_then(|end| line.get(end..f.start))
                    .is_some_and(continues_list);
            // Nor does "a@x: 550 …; b@y: 552 …": each address with its own
            // reason, in the form of the one placed before it on the line.
            let sibling = !quoted_line
                && listed_after.is_some_and(|end| gives_reason(line.get(end..).unwrap_or("")))
                && gives_reason(line.get(f.end..).unwrap_or(""))
                && prefix
                    .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '<' | '"'))
                    .ends_with([';', ',', '|']);
            // A failure sentence ending "… to" before the address, its
            // start wrapped on the line above ("we could not deliver" /
            // "your message to a@x. Former …").
            // Kept beside the reliable ones when there are any (each
            // recipient of a prose report told in its own sentence),
            // placing no list after it.
            // (The returned message's `To:` does not keep a recipient out
            // of its own failure sentence.)
            // Not a fragment of a longer token ("76543,2109@compuserve.com",
            // a CompuServe ID with its comma: "2109@…" is nobody's).
            let whole = prefix.chars().next_back().is_none_or(|c| {
                c.is_whitespace() || matches!(c, '<' | '(' | '"' | '\'' | ':' | '[')
            });
            let placed = !quoted
                && (is_strong_position(prefix, markers) || labelled || in_list || sibling)
                && (at_line_start || !excluded.contains(&addr));
            // (Asked of a placed address only where `pass` says so.)
            let told_here = (!placed || pass.sentences_of_placed)
                && !quoted
                && !quoted_line
                && whole
                && (bullet_item
                    || failure_to(prefix, low.get(f.end..).unwrap_or(""), lower, i, markers));
            if told_here {
                told.push((addr.clone(), i));
            }
            if placed {
                listed_after = Some(f.end);
                if at_line_start && !inside {
                    owner = Some((addr.clone(), indent));
                }
                if quoted_line {
                    &mut header_hits.0
                } else {
                    &mut strong
                }
                .push((addr, i));
            // (A recipient opening its line in its own failure sentence is
            // read as one opening it alone: PP signs its report with the
            // failed address.)
            } else if !excluded.contains(&addr) || runs_on && told_here {
                if quoted_line {
                    &mut header_hits.1
                } else {
                    &mut weak
                }
                .push((addr, i));
            }
        }
    }
    // A role address the report places (see above) before the quoted
    // header fields, which are no evidence of their own: Exchange's "did
    // not reach the following recipient(s):" / "noreply@x on <date>" over
    // the original's `To:`, a list.
    if strong.is_empty() && weak.is_empty() {
        strong = role;
    }
    let mut from_headers = false;
    if strong.is_empty() && weak.is_empty() {
        (strong, weak) = header_hits;
        from_headers = !(strong.is_empty() && weak.is_empty());
    }
    let told_hits = told.clone();
    if !strong.is_empty() {
        for hit in told {
            if !strong.iter().any(|(a, _)| *a == hit.0) {
                strong.push(hit);
            }
        }
        strong.sort_by_key(|&(_, line)| line);
    }
    if !delayed.is_empty() {
        strong.retain(|(a, _)| !delayed.contains(a));
        weak.retain(|(a, _)| !delayed.contains(a));
    }
    Collected {
        strong,
        weak,
        delayed,
        told: told_hits,
        from_headers,
    }
}

/// Exchange's "a@x on <date>" list item: the text after the address
/// (`rest`, its closing bracket taken off) is "on " and a date.
fn dated(rest: &str) -> bool {
    rest.strip_prefix("on ")
        .is_some_and(crate::display_names::starts_with_date)
}

/// The text between two addresses of one list: separators only (`, `,
/// `; `, `>, <`, "and").
fn continues_list(between: &str) -> bool {
    let t = between.trim_matches(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'));
    let t = t.strip_suffix("and").unwrap_or(t).trim_end();
    matches!(t, "," | ";" | "")
}

/// Line `j` with the line before it, when that one is in the same
/// paragraph: a contact sentence wrapped over both ("… you can contact
/// the mailing" / "list owner at", then the address below a blank line).
fn sentence_above(lower: &[&str], j: usize) -> Option<String> {
    let prev = lower.get(j.checked_sub(1)?)?;
    let here = lower.get(j)?;
    (!prev.trim().is_empty()).then(|| format!("{} {}", prev.trim(), here.trim()))
}

/// The text after an address gives its reason: a colon, then words
/// (`a@x: 550 5.1.1 user unknown`).
fn gives_reason(after: &str) -> bool {
    after
        .trim_start_matches(['>', '"', ' ', '\t'])
        .strip_prefix(':')
        .is_some_and(|r| r.chars().take(40).any(char::is_alphanumeric))
}

/// The text after an address: the rest of its line, or when only closing
/// brackets are left there, the next line (Japanese wraps anywhere: the
/// verb of "<support@x>" / "へご連絡ください。" on the line below).
fn text_after<'a>(lines: &[&'a str], i: usize, rest: &'a str) -> &'a str {
    let closing = rest.trim_matches(['>', ')', ']', ' ', '\u{3000}', '\t']);
    match lines.get(i + 1) {
        Some(next) if closing.is_empty() => next,
        _ => rest,
    }
}

/// Line `i` stands right below a failure list's header, a start marker
/// introducing a list ("Delivery has failed to these recipients:" / blank /
/// "Sales Team <help@x>"): a recipient listed by its display name, whatever
/// the name says. Below a sentence ("… could not be delivered.") a team's
/// name signs.
fn listed_below_start(lower: &[&str], i: usize, markers: &Markers) -> bool {
    lower
        .get(..i)
        .unwrap_or(&[])
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|above| above.trim_end().ends_with(':') && any_in(&markers.start, above))
}
