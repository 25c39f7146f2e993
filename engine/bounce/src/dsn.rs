//! RFC 3464 delivery-status fields: the standard strategy, tried first.

use std::borrow::Cow;

use crate::text::{canonical, find_addresses, squash};

/// One per-recipient block of a delivery-status part, still unclassified.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DsnRecipient {
    /// Final-Recipient (or Original-Recipient when Final is unusable).
    pub recipient: String,
    /// Original-Recipient when it names another address than `recipient`:
    /// the address the sender used, before an alias or forward replaced it.
    pub original: Option<String>,
    /// `Action` in lower case.
    pub action: Option<String>,
    /// `Status` (enhanced code).
    pub status: Option<String>,
    /// `Diagnostic-Code` without its type prefix.
    pub diagnostic: Option<String>,
    /// `Remote-MTA` without its type prefix.
    pub remote_mta: Option<String>,
    /// The per-message `Reporting-MTA`.
    pub reporting_mta: Option<String>,
    /// Seconds from the per-message `Arrival-Date` to this block's
    /// `Last-Attempt-Date` (or to `fallback_end` given to [`parse`]): how
    /// long the reporting MTA kept retrying.
    pub queued_secs: Option<i64>,
}

/// A date field as a Unix timestamp.
pub fn timestamp(v: &str) -> Option<i64> {
    mail_parser::DateTime::parse_rfc822(v.trim()).map(|d| d.to_timestamp())
}

/// One field: name as written (compared ignoring ASCII case), unfolded
/// value (borrowed unless folded).
type Field<'a> = (&'a str, Cow<'a, str>);

/// Unfolds header-style fields of one blank-line separated block (its
/// lines).
fn fields<'a>(block: &[&'a str]) -> Vec<Field<'a>> {
    let mut out: Vec<Field<'a>> = Vec::new();
    for &line in block {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                let v = v.to_mut();
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && !name.contains(' ') {
                out.push((name, Cow::Borrowed(value.trim())));
                continue;
            }
        }
        // A gateway that cut lines at a fixed width leaves the rest of a
        // recipient's address on a line of its own ("…@riverbend-freight-
        // logistics.e" / "xample"), or the whole address below its type
        // ("rfc822;" / "claims@x.example"): one token of address bytes, no
        // field.
        if let Some((name, v)) = out.last_mut() {
            let token = !line.is_empty()
                && line
                    .bytes()
                    .all(|b| crate::text::is_local_byte(b) || matches!(b, b'@' | b'<' | b'>'));
            let cut = v.ends_with(';') && line.contains('@')
                || v.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if token
                && cut
                && RECIPIENT_FIELDS
                    .iter()
                    .any(|f| name.eq_ignore_ascii_case(f))
            {
                v.to_mut().push_str(line);
            }
        }
    }
    out
}

/// The fields that carry a recipient's address.
const RECIPIENT_FIELDS: [&str; 3] = [
    "final-recipient",
    "original-recipient",
    "x-actual-recipient",
];

/// Removes the `rfc822;` / `smtp;` / `dns;` type prefix of a DSN value.
fn untyped(v: &str) -> &str {
    match v.split_once(';') {
        Some((t, rest)) if !t.contains(' ') && !t.contains('@') && t.len() < 16 => rest.trim(),
        _ => v.trim(),
    }
}

fn address(v: &str) -> Option<String> {
    let decoded = utf8_addr_escapes(v);
    let v = decoded.as_deref().unwrap_or(v);
    let a = canonical(untyped(v));
    // Some MTAs append a comment or put the address in brackets after a name.
    let a = match (a.find('<'), a.rfind('>')) {
        (Some(s), Some(e)) if s < e => a.get(s + 1..e).unwrap_or("").to_string(),
        _ => a.split_whitespace().next().unwrap_or("").to_string(),
    };
    // A trailing dot (an absolute domain) is no part of the address.
    let relative = |a: String| match a.strip_suffix('.') {
        Some(r) => r.to_string(),
        None => a,
    };
    let a = relative(canonical(&a));
    // A comma only in the domain of one address is a mistyped dot
    // (`a@host,example`); before the last `@` it parts a list.
    let usable = |a: &str| {
        a.contains('@')
            && !a.starts_with('@')
            && !a.ends_with('@')
            && !a.contains(['<', '>', '(', ')', '[', ']', ';', ' '])
            && !a.rsplit_once('@').is_some_and(|(l, _)| l.contains(','))
            && !a.split('@').next().is_some_and(|l| l.contains(':'))
    };
    if usable(&a) {
        return Some(a);
    }
    // Decorated values (`SMTP:a@b`, `(a@b)`, `[a@b]`, `a@b<mailto:a@b>`, a type
    // given twice): the first address in it. Not in a program or a file
    // (`|/usr/bin/filter a@b`), whose arguments may be anyone.
    let value = untyped(v);
    if value.starts_with(['|', '/']) {
        return None;
    }
    find_addresses(value)
        .first()
        .map(|f| relative(canonical(f.addr)))
        .filter(|a| usable(a) || quoted_with_space(a))
        .or_else(|| as_typed(value))
}

/// A `utf-8` typed value with RFC 6533's escapes (`utf-8;j\x{FC}rgen\x{2B}x@example`,
/// utf-8-addr-xtext and -unitext): the address they stand for. `None` for
/// any other value, or where an escape is no character.
fn utf8_addr_escapes(v: &str) -> Option<String> {
    let (kind, rest) = v.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("utf-8") || !rest.contains("\\x{") {
        return None;
    }
    let mut out = String::with_capacity(rest.len());
    let mut tail = rest;
    while let Some(at) = tail.find("\\x{") {
        out.push_str(tail.get(..at)?);
        let after = tail.get(at + 3..)?;
        let end = after.find('}')?;
        let code = u32::from_str_radix(after.get(..end)?, 16).ok()?;
        out.push(char::from_u32(code)?);
        tail = after.get(end + 1..)?;
    }
    out.push_str(tail);
    Some(format!("utf-8;{out}"))
}

/// A quoted local part may hold spaces (`"john smith"@example.org`,
/// RFC 5321 §4.1.2).
fn quoted_with_space(a: &str) -> bool {
    a.rsplit_once('@').is_some_and(|(l, d)| {
        l.len() > 2
            && l.starts_with('"')
            && l.ends_with('"')
            && !d.is_empty()
            && !d.contains(char::is_whitespace)
    })
}

/// The recipient as the sender typed it, when no address can be read in
/// the field: a local part without its domain (`jsmith@`). Such a value
/// names the failed recipient all the same, and its failure is the
/// format's (`mistyped::mistyped`). Not a local part with a space
/// (`mark evans@x`): a name before an unbracketed address reads the same.
/// Nor an address typed with a full-width at sign (`liu.wei＠example.cn`,
/// an input method's), which a server refuses as a syntax error: one token
/// with that sign, kept as typed so it matches the sender's own record.
fn as_typed(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some((local, domain)) = value.split_once('＠') {
        let token = |p: &str| !p.is_empty() && !p.contains(char::is_whitespace);
        let ok = token(local) && token(domain) && !domain.contains(['@', '＠', '<', '>']);
        return ok.then(|| value.to_lowercase());
    }
    let local = value.strip_suffix('@')?;
    let ok = !local.is_empty() && local.bytes().all(crate::text::is_local_byte);
    ok.then(|| value.to_ascii_lowercase())
}

/// Whether the domain of an address has at least one dot.
fn qualified(a: &str) -> bool {
    a.rsplit_once('@').is_some_and(|(_, d)| d.contains('.'))
}

/// Parses every delivery-status body; blocks without a recipient are the
/// per-message fields. `fallback_end` (the report's own `Date:`) stands in
/// for a missing `Last-Attempt-Date`.
pub fn parse<S: AsRef<str>>(parts: &[S], fallback_end: Option<i64>) -> Vec<DsnRecipient> {
    let mut out = Vec::new();
    for part in parts {
        let part = part.as_ref();
        let normalized: Cow<'_, str> = if memchr::memchr(b'\r', part.as_bytes()).is_some() {
            Cow::Owned(part.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(part)
        };
        let mut reporting: Option<String> = None;
        let mut arrival: Option<i64> = None;
        // An `Action` written among the per-message fields (Boxbe's
        // "Reporting-MTA / Remote-MTA / Action: failed", its recipient's
        // block below without one): the recipients' own field misplaced,
        // theirs where they give none.
        let mut message_action: Option<String> = None;
        // Blank-line separated blocks, as their lines.
        let mut blocks: Vec<Vec<&str>> = Vec::new();
        let mut cur: Vec<&str> = Vec::new();
        for line in crate::text::lines(&normalized) {
            if line.trim().is_empty() {
                if !cur.is_empty() {
                    blocks.push(std::mem::take(&mut cur));
                }
            } else {
                cur.push(line);
            }
        }
        if !cur.is_empty() {
            blocks.push(cur);
        }
        let mut records: Vec<Vec<Field<'_>>> = Vec::new();
        for block in &blocks {
            // Some MTAs omit the blank line between recipients: a second
            // Final-/Original-Recipient starts a new record.
            let mut cur: Vec<Field<'_>> = Vec::new();
            for (k, v) in fields(block) {
                if (k.eq_ignore_ascii_case("final-recipient")
                    || k.eq_ignore_ascii_case("original-recipient"))
                    && cur.iter().any(|(c, _)| c.eq_ignore_ascii_case(k))
                {
                    records.push(std::mem::take(&mut cur));
                }
                cur.push((k, v));
            }
            records.push(cur);
        }
        for f in &records {
            let get = |n: &str| {
                f.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.as_ref())
            };
            if let Some(r) = get("reporting-mta") {
                reporting = Some(untyped(r).to_string());
            }
            if let Some(a) = get("arrival-date").and_then(timestamp) {
                arrival = Some(a);
            }
            let final_r = get("final-recipient").and_then(address);
            let orig_r = get("original-recipient").and_then(address);
            let actual = get("x-actual-recipient").and_then(address);
            // A Final-Recipient that is not a routable address (a source
            // route to an internal host such as `user@server`) is the
            // receiver's internal name: the Original-Recipient is what the
            // sender wrote.
            let final_r = match final_r {
                Some(f) if !qualified(&f) && orig_r.as_deref().is_some_and(qualified) => None,
                f => f,
            };
            let action = get("action").map(|a| a.trim().to_ascii_lowercase());
            let Some(recipient) = final_r.or(orig_r.clone()).or(actual) else {
                if action.is_some() {
                    message_action = action;
                }
                continue;
            };
            let original = orig_r.filter(|o| *o != recipient);
            let diag = get("diagnostic-code")
                .map(|d| squash(untyped(d)))
                .filter(|d| !d.is_empty());
            // As many as the text strategy reads (`nonstd::MAX_RECIPIENTS`).
            if out.len() >= crate::nonstd::MAX_RECIPIENTS {
                return out;
            }
            out.push(DsnRecipient {
                recipient,
                original,
                action: action.or_else(|| message_action.clone()),
                status: get("status")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                diagnostic: diag,
                remote_mta: get("remote-mta").map(|r| untyped(r).to_string()),
                reporting_mta: reporting.clone(),
                queued_secs: get("last-attempt-date")
                    .and_then(timestamp)
                    .or(fallback_end)
                    .zip(arrival)
                    .map(|(end, start)| end - start),
            });
        }
    }
    out
}

/// DSN fields written into the report's text (a relay that relabelled the
/// part, a bounce of a bounce quoting the first report): the texts holding
/// a recipient field, parsed as a delivery-status part.
pub fn parse_in_texts(texts: &[String], sent_at: Option<i64>) -> Vec<DsnRecipient> {
    let texts: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        // One scan for both field names (and `X-Actual-Recipient:`).
        .filter(|t| crate::text::contains_ci(t.as_bytes(), b"-recipient:"))
        .collect();
    parse(&texts, sent_at)
}

/// Whether an `Action` value means the delivery did not fail.
pub fn is_success(action: Option<&str>) -> bool {
    action.is_some_and(|a| {
        a.starts_with("delivered")
            || a.starts_with("relayed")
            || a.starts_with("expanded")
            // Postfix's address verification report (`sendmail -bv`,
            // "Mail Delivery Status Report"): nothing was sent.
            || a.starts_with("deliverable")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_cut_at_a_fixed_width_is_joined() {
        let ds = "Final-Recipient: rfc822; m.okonkwo@riverbend-logistics.e\nxample\nAction: failed\n\
Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <m.okonkwo@riverbend-lo\ngistics.example>: unknown\n";
        let r = parse(&[ds], None);
        assert_eq!(r[0].recipient, "m.okonkwo@riverbend-logistics.example");
        assert_eq!(r[0].action.as_deref(), Some("failed"));
        // The address below its type.
        let below = "Final-Recipient: rfc822;\nclaims@tyneside.example\nAction: failed\n";
        assert_eq!(
            parse(&[below], None)[0].recipient,
            "claims@tyneside.example"
        );
        // Words below a field are no address's rest.
        let words = "Final-Recipient: rfc822; a@x.example\nplease check\nAction: failed\n";
        assert_eq!(parse(&[words], None)[0].recipient, "a@x.example");
    }

    #[test]
    fn parses_rfc3464_blocks() {
        let ds = "Reporting-MTA: dns; mx.example.jp\r\n\r\nFinal-Recipient: RFC822; <Kijitora@Example.JP>\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: SMTP; 550 5.1.1 <kijitora@example.jp>...\r\n  User Unknown\r\n\r\nOriginal-Recipient: rfc822;neko@example.org\r\nAction: delivered\r\n";
        let r = parse(&[ds.to_string()], None);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].recipient, "kijitora@example.jp");
        assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(
            r[0].diagnostic.as_deref(),
            Some("550 5.1.1 <kijitora@example.jp>... User Unknown")
        );
        assert_eq!(r[0].reporting_mta.as_deref(), Some("mx.example.jp"));
        assert_eq!(r[1].recipient, "neko@example.org");
        assert!(is_success(r[1].action.as_deref()));
        assert_eq!(r[0].original, None);
        let alias = "Final-Recipient: rfc822; jane.internal@store.example.org\nOriginal-Recipient: rfc822;Jane@example.org\nAction: failed\nStatus: 5.1.1\n";
        let a = parse(&[alias.to_string()], None);
        assert_eq!(a[0].recipient, "jane.internal@store.example.org");
        assert_eq!(a[0].original.as_deref(), Some("jane@example.org"));
        let internal = "Original-recipient: rfc822;kuro@example.net\nFinal-recipient: rfc822;@smtp.example.net:kuro@server\nAction: failed\n";
        for decorated in [
            "SMTP:Jane@example.org",
            "(jane@example.org)",
            "[jane@example.org]",
            "jane@example.org.",
            "jane@example.org<mailto:jane@example.org>",
            "rfc822;jane@example.org",
            "\"jane\"@example.org",
        ] {
            let block = format!("Final-Recipient: rfc822; {decorated}\nAction: failed\n");
            let r = parse(&[block], None);
            assert_eq!(r[0].recipient, "jane@example.org", "{decorated}");
        }
        // RFC 6533's escapes in a utf-8 typed address.
        let utf8 =
            "Final-Recipient: utf-8;j\\x{FC}rgen\\x{2B}rechnung@beispiel.example\nAction: failed\n";
        assert_eq!(
            parse(&[utf8.to_string()], None)[0].recipient,
            "jürgen+rechnung@beispiel.example"
        );
        let comma = "Final-Recipient: rfc822; javier@sur,example\nAction: failed\n";
        assert_eq!(
            parse(&[comma.to_string()], None)[0].recipient,
            "javier@sur,example"
        );
        let list = "Final-Recipient: rfc822; a@x.example,b@y.example\nAction: failed\n";
        assert_ne!(
            parse(&[list.to_string()], None)
                .first()
                .map(|r| r.recipient.as_str()),
            Some("a@x.example,b@y.example")
        );
        for (typed, want) in [
            ("\"john smith\"@example.org", "\"john smith\"@example.org"),
            ("jsmith@", "jsmith@"),
            ("Liu.Wei＠huaxin.example", "liu.wei＠huaxin.example"),
        ] {
            let block = format!("Final-Recipient: rfc822; {typed}\nAction: failed\n");
            assert_eq!(parse(&[block], None)[0].recipient, want, "{typed}");
        }
        for junk in ["a＠", "＠b.example", "a ＠b.example", "a＠b＠c.example"] {
            let block = format!("Final-Recipient: rfc822; {junk}\nAction: failed\n");
            assert!(parse(&[block], None).is_empty(), "{junk}");
        }
        let i = parse(&[internal.to_string()], None);
        assert_eq!(i[0].recipient, "kuro@example.net");
        assert_eq!(i[0].original, None);
    }
}
