//! Recipients of last resort, for a failure report whose text names
//! nobody: `X-Failed-Recipients`, or the one envelope recipient in the
//! returned original's `Received:` trace; and the original's envelope
//! sender from its `Return-Path:`, which is never a failed recipient. Split from `nonstd/` (the text
//! reader): these read headers, not the human-readable error block.

use crate::mime::View;
use crate::text::{canonical, find_addresses};

/// Addresses after `for` in `Received:` trace fields (`… for <a@b>; date`):
/// the envelope recipient of the returned copy, which a list's `To:` is not.
/// Only `Received:` fields count (a subject may say "for bob@example.com").
pub fn trace_recipients(headers: &str) -> Vec<String> {
    let mut received = String::new();
    let mut inside = false;
    for line in crate::text::lines(headers) {
        let t = line.trim_start();
        let name = t
            .split_once(':')
            .map(|(n, _)| n)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        match name {
            Some(n) if line.len() == t.len() || !inside => {
                inside = n.eq_ignore_ascii_case("received");
                if inside {
                    received.push('\n');
                }
            }
            _ if t.is_empty() => inside = false,
            _ => {}
        }
        if inside {
            received.push(' ');
            received.push_str(&t.to_ascii_lowercase());
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut rest = received.as_str();
    while let Some(at) = rest.find(" for ") {
        let after = rest.get(at + 5..).unwrap_or("");
        let token = after
            .trim_start()
            .split([';', ' ', '\t', '\n', ',', ')'])
            .next()
            .unwrap_or("");
        // (In a comment too: "(InterLock SMTP Gateway 1.1 for <a@b>);".)
        let addr = canonical(token.trim_matches(['<', '>', '"', '(']));
        let local = addr.split('@').next().unwrap_or("");
        let domain = addr.rsplit_once('@').map_or("", |(_, d)| d);
        if !local.is_empty() && domain.contains('.') && !out.contains(&addr) {
            out.push(addr);
        }
        rest = after;
    }
    out
}

/// Addresses of the `Delivered-To:` fields of a header block.
fn delivered_to(headers: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in crate::text::lines(headers) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if !name.eq_ignore_ascii_case("delivered-to") {
            continue;
        }
        for f in find_addresses(value) {
            let a = canonical(f.addr);
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// The addresses `read` finds in the first returned original whose header
/// block names anybody, then in originals inlined as text: read only now,
/// as this is rarely needed and the returned copy is the bulk of a bounce.
/// A copy with a null return path (`Return-Path: <>`) is itself a notice,
/// returned inside this one (a bounce of a bounce): its trace and
/// `Delivered-To:` name the mailbox that received that notice (a mail
/// administrator's), not a recipient of the sender's message.
fn named_in_copies(view: &View, read: fn(&str) -> Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = view
        .original
        .headers
        .iter()
        .map(|h| String::from_utf8_lossy(h))
        .filter(|h| !null_return_path(h))
        .map(|h| read(&h))
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    for t in view.texts.iter().filter(|t| !null_return_path(t)) {
        for a in read(t) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// Whether a line of `text` is a `Return-Path: <>` header field.
fn null_return_path(text: &str) -> bool {
    crate::text::lines(text).any(|l| {
        l.get(..12)
            .is_some_and(|n| n.eq_ignore_ascii_case("return-path:"))
            && l.get(12..).is_some_and(|v| v.trim() == "<>")
    })
}

/// The recipients `X-Failed-Recipients` (Exim, Gmail) declares failed.
pub fn declared_failures(view: &View) -> Vec<String> {
    view.header("x-failed-recipients")
        .map(|x| {
            find_addresses(x)
                .iter()
                .map(|f| canonical(f.addr))
                .collect()
        })
        .unwrap_or_default()
}

/// `X-Failed-Recipients` (Exim, Gmail) lists every failed recipient: one
/// the text names only in a sentence ("The mailbox a@x is full, so …")
/// stands where recipients do, beside those its text lists. Moves such
/// addresses, with their lines, from `weak` to `strong`.
pub(crate) fn place_declared(
    view: &View,
    strong: &mut Vec<(String, usize)>,
    weak: &mut Vec<(String, usize)>,
) {
    if weak.is_empty() {
        return;
    }
    let declared = declared_failures(view);
    if weak.iter().any(|(a, _)| declared.contains(a)) {
        let (named, rest): (Vec<_>, Vec<_>) = std::mem::take(weak)
            .into_iter()
            .partition(|(a, _)| declared.contains(a));
        *weak = rest;
        strong.extend(named);
        strong.sort_by_key(|&(_, line)| line);
    }
}

/// Recipients of last resort when the text names none: `X-Failed-Recipients`
/// (Exim) is a failure statement (`true`); otherwise the one envelope
/// recipient in the returned original's trace (`false`: it says where the
/// copy went, so it is used only when the text reports a failure). The
/// original's `To:`/`Cc:` are never used: a list address or a colleague in
/// copy is not evidence of anything (issue 18).
pub fn fallback_recipients(view: &View) -> (Vec<String>, bool) {
    let declared = declared_failures(view);
    if !declared.is_empty() {
        return (declared, true);
    }
    let mut trace = named_in_copies(view, trace_recipients);
    let ours = |a: &String| {
        view.to.contains(a) || view.original.from.as_ref() == Some(a) || &view.from_addr == a
    };
    trace.retain(|a| !ours(a));
    if trace.is_empty() {
        // No `for` clause: the `Delivered-To:` the final system wrote into
        // the copy (Postfix, qmail, Dovecot) names where it was delivered.
        trace = named_in_copies(view, delivered_to);
        trace.retain(|a| !ours(a));
    }
    // A list's post names the list in its own inbound hop ("… with spool
    // id 334411 for LING-L@…") and the subscriber in the hop after: the
    // returned copy's `To:` is the list, not who failed.
    if trace.len() > 1 {
        let listed = copy_to(view);
        if trace.iter().any(|a| !listed.contains(a)) {
            trace.retain(|a| !listed.contains(a));
        }
    }
    if trace.len() == 1 {
        (trace, false)
    } else {
        (Vec::new(), false)
    }
}

/// The one recipient of last resort ([`fallback_recipients`]: the returned
/// copy's envelope recipient) when the report's text lists it by its bare local
/// part on a line of its own: Exim's "  kijitora" under "The following
/// address(es) failed:", Sendmail's "kijitora... User unknown" for a local
/// mailbox. That line is the failure; an address elsewhere in the text (a
/// greeting's, "Your message was addressed to: …") is not.
pub fn bare_listed(view: &View, text: &str) -> Option<String> {
    let (fb, _) = fallback_recipients(view);
    let [only] = fb.as_slice() else {
        return None;
    };
    listed(text, only).then(|| only.clone())
}

/// The returned copy's one `To:` recipient whose local part the report's
/// text gives after a failure's label and nothing else ("Receiver not
/// found: 76543.2107", CompuServe; "Addressee: dale", PMDF), or by itself
/// on its line: the text names the failure and the local part, the copy
/// the domain. Never the `To:` alone.
pub fn local_part_listed(view: &View, text: &str) -> Option<String> {
    let to = copy_to(view);
    let mut hits = to.iter().filter(|a| listed(text, a) || labelled(text, a));
    let first = hits.next()?;
    hits.all(|a| a == first).then(|| first.clone())
}

/// Each of several recipients of the copy's `To:` that the text lists by
/// its local part after a failure's label (PMDF's "Addressee: KOWALSKI" /
/// "Reason: …" then "Addressee: DLUNDGREN" / "Reason: …"), with its own
/// block: its label's line up to the next such line (eight lines at most).
/// Empty unless two or more are so labelled, each once. `text` in its own
/// case: the blocks are the recipients' diagnostics.
pub fn local_parts_labelled(view: &View, text: &str) -> Vec<(String, String)> {
    let to = copy_to(view);
    let lines: Vec<&str> = crate::text::lines(text).collect();
    let owner = |line: &str| {
        to.iter()
            .find(|a| labelled(line, a) || listed_line(line, a) && line.contains('('))
            .cloned()
    };
    let starts: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| owner(l).map(|a| (i, a)))
        .collect();
    let names: std::collections::BTreeSet<&String> = starts.iter().map(|(_, a)| a).collect();
    if names.len() < 2 || names.len() != starts.len() {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, (i, a))| {
            // Its label, reason and detail: at most eight lines.
            let end = starts
                .get(k + 1)
                .map_or(lines.len(), |(j, _)| *j)
                .min(i + 8);
            let block = lines.get(*i..end).unwrap_or_default().join("\n");
            (a.clone(), block)
        })
        .collect()
}

/// Whether a line of `text` lists `addr` by its local part: alone ("  jdoe",
/// "<jdoe>"), before a colon or Sendmail's "...", or in MMDF's form ("jdoe
/// (host: x)").
fn listed(text: &str, addr: &str) -> bool {
    crate::text::lines(text).any(|line| listed_line(line, addr))
}

/// Whether `line` lists `addr` by its local part ([`listed`]), or with
/// its reason in parentheses after it (GroupWise's "undeliverable to the
/// following:" / "dmorrison (user not found)").
fn listed_line(line: &str, addr: &str) -> bool {
    let Some(local) = addr.split('@').next().filter(|l| !l.is_empty()) else {
        return false;
    };
    let t = line.trim();
    // Sendmail's transcript line keeps the reply's code before the name
    // ("550 mkline... User unknown"): then only its "..." form counts.
    let coded = without_reply_code(t);
    if let Some(c) = coded {
        return c
            .get(..local.len())
            .filter(|h| h.eq_ignore_ascii_case(local))
            .and_then(|_| c.get(local.len()..))
            .is_some_and(|r| r.starts_with("..."));
    }
    let t = t
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(t);
    let rest = t
        .get(..local.len())
        .filter(|h| h.eq_ignore_ascii_case(local))
        .and_then(|_| t.get(local.len()..));
    let reason = |r: &str| {
        r.starts_with([' ', '\t'])
            && r.trim_start().starts_with('(')
            && r.ends_with(')')
            && !r.contains('@')
    };
    matches!(rest, Some("" | ":"))
        || rest.is_some_and(|r| r.starts_with("...") || host_named(r, addr) || reason(r))
}

/// `line` after a reply code of three digits and a space, and an enhanced
/// code after it if there is one ("550 5.1.1 "); `None` without a code.
fn without_reply_code(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let coded = b.len() > 4 && b.iter().take(3).all(u8::is_ascii_digit) && b.get(3) == Some(&b' ');
    let rest = line.get(4..).filter(|_| coded)?.trim_start();
    let enhanced = rest
        .split_once(' ')
        .filter(|(c, _)| crate::codes::normalize_enhanced(c).is_some());
    Some(enhanced.map_or(rest, |(_, r)| r.trim_start()))
}

/// Whether a line of `text` is a label of a few words, a colon and the
/// local part of `addr` ("Receiver not found: 76543.2107"), or a
/// CompuServe user ID the local part maps (its comma the address's dot:
/// "76543,2107" is `76543.2107@compuserve.com`).
fn labelled(text: &str, addr: &str) -> bool {
    let Some(local) = addr.split('@').next().filter(|l| l.len() >= 2) else {
        return false;
    };
    let user_id = |v: &str| {
        v.split_once(',').is_some_and(|(a, b)| {
            local.split_once('.') == Some((a, b))
                && [a, b]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
        })
    };
    crate::text::lines(text).any(|line| {
        let t = line.trim();
        let Some((label, value)) = t.rsplit_once(':') else {
            return false;
        };
        let words = label.split_whitespace().count();
        (value.trim().eq_ignore_ascii_case(local) || user_id(value.trim()))
            && (1..=4).contains(&words)
            && label
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
    })
}

/// The returned copy's `To:`: of the attached original, and of an inlined
/// one (a `To:` line of the text: "Your message begins as follows: …").
/// Each address once, and no more than `MAX_COPY_TO` of them: every one is
/// looked for in the whole text (a text repeating a `To:` line 6,000 times
/// had cost 14 s).
fn copy_to(view: &View) -> Vec<String> {
    let mut out = view.original.to.clone();
    for t in &view.texts {
        // A `To:` field folded over lines ("To: <a@x>," / "\t<b@y>").
        let mut in_to = false;
        for line in crate::text::lines(t) {
            let named = line.get(..3).is_some_and(|n| n.eq_ignore_ascii_case("to:"));
            let folded = in_to && line.starts_with([' ', '\t']) && !line.trim().is_empty();
            in_to = named || folded;
            let value = if named {
                line.get(3..)
            } else {
                folded.then_some(line)
            };
            if let Some(value) = value {
                for f in find_addresses(value) {
                    let a = canonical(f.addr);
                    if !out.contains(&a) {
                        out.push(a);
                    }
                }
                if out.len() >= MAX_COPY_TO {
                    out.truncate(MAX_COPY_TO);
                    return out;
                }
            }
        }
    }
    out
}

/// The most `To:` recipients of a returned copy read (RFC 5321 servers
/// must take 100 per message).
const MAX_COPY_TO: usize = 100;

/// MMDF's form of a recipient ("jdoe (host: cs.example.edu) (queue: smtp)"):
/// after the local part, the host of `addr` in parentheses.
fn host_named(rest: &str, addr: &str) -> bool {
    let domain = addr.rsplit('@').next().unwrap_or("");
    rest.trim_start()
        .strip_prefix("(host:")
        .map(str::trim_start)
        .and_then(|r| r.get(..domain.len()))
        .is_some_and(|d| !domain.is_empty() && d.eq_ignore_ascii_case(domain))
}

/// The original's envelope sender, from the returned copy's `Return-Path:`
/// (an ESP's VERP address). A remote reply quoting it ("550 5.7.1
/// <bounce-…@…>... Access denied") refused the sender, and it is never the
/// failed recipient. (Not the report's own `Delivered-To:`: local delivery
/// agents and test setups deliver reports to the failed mailbox itself.)
pub(crate) fn envelope_sender(view: &View) -> Vec<String> {
    const NAME: &[u8] = b"return-path:";
    let mut out = Vec::new();
    for block in &view.original.headers {
        // Line by line on the bytes: only the field's value is decoded.
        for line in crate::text::split_lf(block) {
            let named = line
                .get(..NAME.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(NAME));
            if let Some(value) = line.get(NAME.len()..).filter(|v| named && !v.is_empty()) {
                let value = String::from_utf8_lossy(value);
                out.extend(
                    find_addresses(&value)
                        .into_iter()
                        .map(|f| canonical(f.addr)),
                );
            }
        }
    }
    out
}

/// Identifiers written like addresses in the report's text: a trace's
/// queue id (`Received: … with SMTP (PP) id <28810-0@lists.example>`), a
/// `Message-ID <…>` written without its colon, an X.400 report's submission
/// identifier (`[/PRMD=…;<28810-0@lists.example>]`, PP's own id again).
/// None of them is a mailbox.
pub(crate) fn identifiers(body: &str) -> Vec<String> {
    let b = body.as_bytes();
    let mut out: Vec<String> = Vec::new();
    for lt in memchr::memchr_iter(b'<', b) {
        let before = |k: usize| lt.checked_sub(k).and_then(|i| b.get(i)).copied();
        // "id <…>" with "id" a word (not "paid <…>"): a space, tab, line
        // start or the `-` of "Message-ID" before it; or a label of words
        // ending so (Postal's "Orginal Message ID: <…>"; not a quoted
        // `Message-ID:` field, whose value anonymised corpora set to the
        // recipient's address).
        let colon = usize::from(before(2) == Some(b':'));
        let id = before(1) == Some(b' ')
            && before(2 + colon).is_some_and(|c| c.eq_ignore_ascii_case(&b'd'))
            && before(3 + colon).is_some_and(|c| c.eq_ignore_ascii_case(&b'i'))
            && before(4 + colon)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n') || c == b'-' && colon == 0);
        // An X.400 identifier: a `;<…>` closing a bracketed O/R list.
        let x400 = before(1) == Some(b';');
        if !(id || x400) {
            continue;
        }
        let rest = body.get(lt..).unwrap_or("");
        let near = crate::text::clip(rest, 260);
        let close = near.find('>');
        // (PP also writes the X.400 form without the closing `>`:
        // "[/PRMD=…/C=us/;<9012121704.AA08993@host]".)
        let closed = match close {
            Some(c) if !x400 || rest.get(c + 1..).is_some_and(|r| r.starts_with(']')) => Some(c),
            _ if x400 => near.find(']').filter(|&e| close.is_none_or(|c| e < c)),
            _ => None,
        };
        if let Some(f) = closed.and_then(|c| {
            find_addresses(rest.get(..=c).unwrap_or(""))
                .into_iter()
                .next()
        }) {
            out.push(canonical(f.addr));
        }
    }
    out
}

/// The returned copy's one envelope recipient standing in for an
/// Exchange X.500 address (`IMCEAEX-_O=ACME_OU=…_CN=JDOE2@acme.example`):
/// Exchange writes a mailbox's legacy directory name, encapsulated, as the
/// DSN's Final-Recipient when that name no longer resolves (a migrated or
/// deleted mailbox); it is no mailbox anybody sent to. The copy's trace
/// names the SMTP address the delivery holds.
pub(crate) fn x500_stand_in(view: &View, recipient: &str) -> Option<String> {
    if !recipient.starts_with("imceaex-") {
        return None;
    }
    match fallback_recipients(view) {
        (trace, false) => trace.into_iter().next(),
        _ => None,
    }
}

/// Whether the returned copy's trace names one envelope recipient that the
/// quoted header fields `strong` and `weak` do not: the original's fields
/// quoted in a notice ("This report relates to your message: … To:
/// list@…") name who it was sent to, and a list post's copy its list, while
/// the trace names who failed (the text report's last resort).
pub(crate) fn names_another(
    view: &View,
    strong: &[(String, usize)],
    weak: &[(String, usize)],
) -> bool {
    let (trace, _) = fallback_recipients(view);
    let quoted = |t: &String| strong.iter().chain(weak).any(|(a, _)| a == t);
    trace.len() == 1 && !trace.iter().any(quoted)
}

#[cfg(test)]
mod tests {
    use super::{identifiers, labelled, listed_line, trace_recipients};

    #[test]
    fn message_ids_after_their_labels() {
        let body = "Message-ID <a1@mx.example>\nOrginal Message ID: <CAF7k2@mail.client.example>\n\
                    paid <b@x.example>\nTo: <c@x.example>\nMessage-ID: <d@x.example>\n";
        assert_eq!(
            identifiers(body),
            ["a1@mx.example", "caf7k2@mail.client.example"]
        );
    }

    #[test]
    fn a_transcripts_coded_line_lists_a_local_part() {
        let addr = "mkline@cs.example.edu";
        assert!(listed_line("550 mkline... User unknown", addr));
        assert!(listed_line("550 5.1.1 mkline... User unknown", addr));
        assert!(listed_line("mkline... User unknown", addr));
        // With a code, only Sendmail's "..." form.
        assert!(!listed_line("550 mkline", addr));
        assert!(!listed_line("550 mkline: no such user", addr));
        assert!(!listed_line("550 mklinex... User unknown", addr));
    }

    #[test]
    fn a_compuserve_user_id_is_its_addresss_local_part() {
        let addr = "76513.2207@compuserve.com";
        assert!(labelled("Receiver not found: 76513,2207\n", addr));
        assert!(labelled("Receiver not found: 76513.2207\n", addr));
        assert!(!labelled("Receiver not found: 76513,2208\n", addr));
        assert!(!labelled("Receiver not found: 2207,76513\n", addr));
        assert!(!labelled("Receiver not found: a,b\n", "a.b@x.example"));
    }

    #[test]
    fn the_envelope_recipients_of_a_trace() {
        let headers = "Received: from a.example by relay.example with SMTP id AA1\n  \
(InterLock SMTP Gateway 1.1 for <T.Wallace@genie.example>);\n  Thu, 15 Sep 1994\n\
Received: by b.example id 2 for <b@x.example>; Thu, 15 Sep 1994\n\
Subject: for c@x.example\n";
        assert_eq!(
            trace_recipients(headers),
            ["t.wallace@genie.example", "b@x.example"]
        );
    }
}
