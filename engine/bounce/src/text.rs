//! Small text helpers shared by the strategies: line endings, addresses,
//! HTML stripping. All of them work on arbitrary input without panicking.

use std::borrow::Cow;

/// Turns CR-only and CRLF line endings into LF so that one code path serves
/// every mailbox format (Mac CR copies, Windows CRLF, Unix LF).
pub fn normalize_newlines(raw: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\r', raw).is_none() {
        return Cow::Borrowed(raw);
    }
    // The runs between CRs are copied whole (most of a CRLF message is
    // text between line ends, found by SIMD search); each CR becomes an LF
    // and the LF of a CRLF is dropped.
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    for cr in memchr::memchr_iter(b'\r', raw) {
        out.extend_from_slice(raw.get(at..cr).unwrap_or_default());
        out.push(b'\n');
        at = cr + 1 + usize::from(raw.get(cr + 1) == Some(&b'\n'));
    }
    out.extend_from_slice(raw.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// `text.lines()` (split at LF, the CR of a CRLF dropped, no empty line
/// after a final LF) with the line ends found by a SIMD search: the
/// standard library's `lines()` looks for each LF a word at a time, a cost
/// the reports' long texts, split several times over, made visible.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let t = rest?;
        let Some(lf) = memchr::memchr(b'\n', t.as_bytes()) else {
            rest = None;
            return Some(t);
        };
        rest = t.get(lf + 1..).filter(|n| !n.is_empty());
        let line = t.get(..lf)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// `bytes.split(|&b| b == b'\n')` (an empty piece after a final LF, one
/// for empty input) with the LFs found by a SIMD search.
pub fn split_lf(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let rest = bytes.get(start?..)?;
        match memchr::memchr(b'\n', rest) {
            Some(lf) => {
                start = start.map(|s| s + lf + 1);
                rest.get(..lf)
            }
            None => {
                start = None;
                Some(rest)
            }
        }
    })
}

/// Whether `line` starts with the ASCII `prefix`, in any case.
pub fn starts_with_ci(line: &str, prefix: &str) -> bool {
    line.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `needle` (lower-case ASCII) occurs in `hay` ignoring ASCII
/// case: `hay.to_ascii_lowercase().contains(needle)` without the copy.
pub fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    find_ci(hay, needle).is_some()
}

/// `hay` with every occurrence of `needle` replaced by `with`, ASCII case
/// ignored; an empty needle replaces nothing. (ASCII lower-casing keeps
/// every byte offset, so the matches found in the lower-cased copies cut
/// `hay` at the same places.)
pub fn replace_ci(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_string();
    }
    let (low_hay, low_needle) = (hay.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    for (at, _) in low_hay.match_indices(&low_needle) {
        out.push_str(hay.get(last..at).unwrap_or(""));
        out.push_str(with);
        last = at + low_needle.len();
    }
    out.push_str(hay.get(last..).unwrap_or(""));
    out
}

/// Where `needle` (lower-case ASCII) first occurs in `hay` ignoring ASCII
/// case. The text is searched (SIMD, `memchr`) for the needle's last byte
/// in either case (the field names searched for end in `:`, which has
/// one), and only where that byte occurs is the needle compared.
pub fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some(&last) = needle.last() else {
        return Some(0);
    };
    let (lo, up) = (last.to_ascii_lowercase(), last.to_ascii_uppercase());
    let ends_here = |i: &usize| {
        let end = i + 1;
        end >= needle.len()
            && hay
                .get(end - needle.len()..end)
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    };
    let end = if lo == up {
        memchr::memchr_iter(lo, hay).find(ends_here)
    } else {
        memchr::memchr2_iter(lo, up, hay).find(ends_here)
    };
    end.map(|i| i + 1 - needle.len())
}

/// Skips whitespace-only lines before the header block: saved or pasted
/// messages sometimes start with one, which would end the headers at once.
pub fn skip_leading_blank_lines(raw: &[u8]) -> &[u8] {
    let mut start = 0;
    while let Some(nl) = raw
        .get(start..)
        .and_then(|r| r.iter().position(|&b| b == b'\n'))
    {
        let line = raw.get(start..start + nl).unwrap_or(&[]);
        if !line.iter().all(|b| b.is_ascii_whitespace()) {
            break;
        }
        start += nl + 1;
    }
    raw.get(start..).unwrap_or(&[])
}

/// Whether `raw` (leading blank lines skipped) opens with a header field
/// (`Name:`) or an mbox `From ` line. Bounce text
/// handed over without its header block (a body copied out of a mail client
/// or a webhook) does not; mail-parser would then take its first paragraph
/// for a broken header block and lose it.
pub fn starts_with_header(raw: &[u8]) -> bool {
    if raw.starts_with(b"From ") {
        return true;
    }
    // RFC 5322 allows any printable character in a field name; the names in
    // use are letters, digits and `-` (`_`, `.` seen). The stricter test
    // keeps a JSON body (`{"notificationType":…`) from passing as a header.
    let name_len = raw
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .count();
    name_len > 0 && raw.get(name_len) == Some(&b':')
}

pub(crate) fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b)
}

pub(crate) fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// An e-mail address found in free text, with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// The address as written.
    pub addr: &'a str,
}

/// The length of a multi-line reply's code (`554-`) opening the line an
/// address starts (qmail prints the reply's lines as they came: "Remote
/// host said: 554-delivery error: dd Sorry your message to" /
/// "554-rcpt@dest.example cannot be delivered."): not the local part's.
/// Text is often searched a line at a time, so the line alone decides: a
/// mailbox named `554-orders@` keeps its name anywhere but there.
fn continuation_code(text: &str, s: usize, at: usize) -> usize {
    let b = text.as_bytes();
    let code = match b.get(s..s + 4) {
        Some([d, x, y, b'-']) => {
            at > s + 4 && matches!(d, b'4' | b'5') && x.is_ascii_digit() && y.is_ascii_digit()
        }
        _ => false,
    };
    // Only blanks between the line's start and the code (read back over
    // them alone: a line of many addresses is not read again for each).
    let mut k = s;
    while code && k > 0 && matches!(b.get(k - 1), Some(b' ' | b'\t')) {
        k -= 1;
    }
    if code && (k == 0 || b.get(k - 1) == Some(&b'\n')) {
        4
    } else {
        0
    }
}

/// A local part in RFC 2156's X.400 mapping: attribute=value pairs between
/// slashes, "/G=Mark/S=Peterson/O=Corp/".
fn x400_local_part(local: &str) -> bool {
    local.len() > 4
        && local.starts_with('/')
        && local.ends_with('/')
        && local.trim_matches('/').split('/').all(|pair| {
            pair.split_once('=')
                .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())
        })
}

/// Finds plausible e-mail addresses in `text` (ASCII addresses only, which
/// is what SMTP envelopes carry without SMTPUTF8).
pub fn find_addresses(text: &str) -> Vec<Found<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_end = 0;
    while i < b.len() {
        if b.get(i) != Some(&b'@') {
            // On to the next `@` (a SIMD search, not a byte loop).
            match b.get(i..).and_then(|rest| memchr::memchr(b'@', rest)) {
                Some(at) => i += at,
                None => break,
            }
            continue;
        }
        let mut s = i;
        // A quoted local part (`"jane"@example.org`, `"a..b"@example.org`):
        // back to its opening quote, on the same line.
        if i > last_end + 1 && b.get(i - 1) == Some(&b'"') {
            let open = text
                .get(last_end..i - 1)
                .and_then(|t| t.rfind('"'))
                .map(|q| last_end + q)
                .filter(|&q| {
                    i - q <= 66
                        && q + 1 < i - 1
                        && text
                            .get(q + 1..i - 1)
                            .is_some_and(|l| !l.contains(['\n', '\r', '<', '>', '@']))
                });
            if let Some(q) = open {
                s = q;
            }
        }
        let quoted = s < i;
        while !quoted && s > last_end && b.get(s - 1).is_some_and(|&c| is_local_byte(c)) {
            s -= 1;
        }
        if !quoted {
            s = crate::mistyped::compuserve_id_start(b, s, i, last_end);
            s = crate::mistyped::bracketed_comma_start(b, s, i, last_end);
        }
        // Quotes and apostrophes are rarely part of a real local part but often wrap one.
        // Not the slash opening an X.400 address mapped by RFC 2156
        // ("/G=Mark/S=Peterson/O=Corp/@gw.example"): it is the address's.
        let unwrapped = s;
        let x400 = text.get(s..i).is_some_and(x400_local_part);
        while s < i
            && b.get(s).is_some_and(|&c| {
                matches!(c, b'.' | b'\'' | b'`' | b'=' | b'{' | b'|') || c == b'/' && !x400
            })
        {
            s += 1;
        }
        // Inside angle brackets a leading dot is the address as typed
        // ("<.jsmith@x>: 501 5.1.3 Bad recipient address syntax"), not a
        // sentence's punctuation: read without it, it would name another
        // mailbox.
        if s > unwrapped
            && unwrapped > 0
            && b.get(unwrapped - 1) == Some(&b'<')
            && b.get(unwrapped..s)
                .is_some_and(|p| p.iter().all(|&c| c == b'.'))
        {
            s = unwrapped;
        }
        // A URL's query ("…/unsubscribe.cfm?email=user@example.com"): the
        // address is the parameter's value, not the path before it. Only
        // with a `?` in the local part, which real mailboxes do not use and
        // which SRS and BATV tags (`SRS0=…=…@`, `prvs=…=…@`) do not carry.
        if let Some(q) = text.get(s..i).and_then(|l| l.rfind('?')) {
            let l = text.get(s..i).unwrap_or("");
            let cut = l.rfind(['=', '&', '/']).filter(|&c| c > q).unwrap_or(q);
            s += cut + 1;
        }
        // An X.400 domain-defined attribute carries the Internet address
        // after its type (Exchange 5.5 `c=US;…;dda:SMTP=user@example.com;`).
        if text.get(s..i).is_some_and(|l| {
            l.len() > 5 && l.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("smtp="))
        }) {
            s += 5;
        }
        s += continuation_code(text, s, i);
        let mut e = i + 1;
        while e < b.len() && b.get(e).is_some_and(|&c| is_domain_byte(c)) {
            e += 1;
        }
        while e > i + 1 && b.get(e - 1).is_some_and(|&c| c == b'.' || c == b'-') {
            e -= 1;
        }
        // An address literal (`postmaster@[192.0.2.1]`, RFC 5321 §4.1.3).
        let literal = (e == i + 1).then(|| address_literal(text, i + 1)).flatten();
        if let Some(end) = literal {
            e = end;
        }
        // An internationalised address (RFC 6531) stops the ASCII scan at
        // its first other letter; between angle brackets it is taken whole.
        // Unbracketed, the letters around an address are as often the
        // sentence's own (Japanese text runs on without spaces).
        let stopped = |at: usize| b.get(at).is_some_and(|&c| c >= 0x80);
        if (s > 0 && stopped(s - 1)) || stopped(e) {
            if let Some((ls, le)) = bracketed(text, i) {
                (s, e) = (ls, le);
            } else if s > 0 && stopped(s - 1) || !ascii_domain_ok(text.get(i + 1..e).unwrap_or(""))
            {
                // Set apart on its line, taken whole; not when only the
                // text after a whole ASCII address runs on ("…@x.jpへ").
                if let Some((ls, le)) = crate::mistyped::international(text, i, last_end) {
                    (s, e) = (ls, le);
                }
            }
        }
        let domain = text.get(i + 1..e).unwrap_or("");
        let domain_ok = literal.is_some() || ascii_domain_ok(domain);
        if s < i && domain_ok {
            if let Some(addr) = text.get(s..e) {
                out.push(Found {
                    start: s,
                    end: e,
                    addr,
                });
            }
        } else if let Some((ms, me)) = crate::mistyped::set_apart(text, i, last_end) {
            if let Some(addr) = text.get(ms..me) {
                out.push(Found {
                    start: ms,
                    end: me,
                    addr,
                });
            }
            e = me;
        }
        last_end = e.max(i + 1);
        i = last_end;
    }
    out
}

/// A domain of two labels or more, none empty, its last a top-level
/// domain's.
fn ascii_domain_ok(domain: &str) -> bool {
    domain.contains('.')
        && !domain.starts_with('.')
        && !domain.contains("..")
        && top_level_ok(domain)
}

/// A domain's last label can be a top-level domain: letters, an IDN's
/// `xn--` form, or non-ASCII letters. "netscape.com0" (bytes of a
/// certificate read as text) and "192.168.1.10" are no mail domains.
fn top_level_ok(domain: &str) -> bool {
    let tld = domain.rsplit('.').next().unwrap_or("");
    !tld.is_empty()
        && (tld.bytes().all(|b| b.is_ascii_alphabetic())
            || tld.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
            || !tld.is_ascii())
}

/// The end of an address literal opening at `at` (`[192.0.2.1]`,
/// `[IPv6:2001:db8::1]`).
fn address_literal(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?.strip_prefix('[')?;
    let close = rest.get(..rest.len().min(50))?.find(']')?;
    let inner = rest.get(..close)?;
    let ip = inner
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("ipv6:"))
        .map_or(inner, |_| inner.get(5..).unwrap_or(""));
    let ok = !ip.is_empty()
        && ip
            .bytes()
            .all(|c| c.is_ascii_hexdigit() || c == b'.' || c == b':')
        && (ip.contains('.') || ip.contains(':'));
    ok.then_some(at + 1 + close + 1)
}

/// The span of the address between angle brackets around the `@` at `at`:
/// no space, bracket or second `@` inside, a dot in the domain. The
/// brackets are looked for only as far as a local part (256 bytes) and a
/// domain (255) reach: a text of many `@`s costs no more per `@`.
fn bracketed(text: &str, at: usize) -> Option<(usize, usize)> {
    let bad = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '@' | '"' | ',');
    let mut from = at.saturating_sub(257);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let lt = from + text.get(from..at)?.rfind('<')?;
    let local = text.get(lt + 1..at)?;
    let after = text.get(at + 1..)?;
    let gt = clip(after, 256).find('>')?;
    let domain = after.get(..gt)?;
    let ok = !local.is_empty()
        && !local.contains(bad)
        && !domain.contains(bad)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.');
    ok.then_some((lt + 1, at + 1 + gt))
}

/// Canonical form for comparing recipients: trimmed, no brackets, lower case.
pub fn canonical(addr: &str) -> String {
    let mut a = addr
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    // RFC 5321 source routes: "@relay:user@domain".
    if a.starts_with('@') {
        if let Some((_, rest)) = a.split_once(':') {
            a = rest;
        }
    }
    for q in ['"', '\'', '`'] {
        if a.len() > 1 && a.starts_with(q) && a.ends_with(q) {
            a = a.get(1..a.len() - 1).unwrap_or(a);
        }
    }
    // A quoted local part that needs no quoting (`"jane"@example.org`) is the
    // same mailbox as the plain one (RFC 5321 §4.1.2); `"a..b"@x` keeps them.
    if let Some((local, domain)) = a.rsplit_once('@') {
        if let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
            // A dot-atom: no dot first, last or twice in a row (those need the quotes).
            let dot_atom =
                !inner.starts_with('.') && !inner.ends_with('.') && !inner.contains("..");
            if !inner.is_empty() && dot_atom && inner.bytes().all(|b| is_local_byte(b) && b != b'"')
            {
                return format!("{inner}@{domain}").trim().to_ascii_lowercase();
            }
        }
    }
    a.trim().to_ascii_lowercase()
}

/// How far before an address its line's own words are read (a label, a
/// "forwarded to", a URL it is part of): a line of thousands of addresses
/// (a quoted header, a mangled copy) costs no more per address.
pub const PREFIX_REACH: usize = 1024;

/// The words before the address at `at` on `line`: at most `PREFIX_REACH`
/// bytes, from a character boundary.
pub fn prefix_before(line: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(PREFIX_REACH);
    while from < at && !line.is_char_boundary(from) {
        from += 1;
    }
    line.get(from..at).unwrap_or("")
}

/// Truncates to at most `max` bytes on a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Header fields of the original quoted in a notice's text, which the
/// original's recipients are named in but which are no failure statement:
/// a `To:`/`Cc:` line next to another quoted field (`From:`, `Subject:`,
/// `Date:`, `Sent:`, `Message-id:`), as in "This report relates to a
/// message you sent with the following header fields:" (Sun/iPlanet
/// Messaging Server) or Exchange's "Your message / To: … / Subject: …".
/// `lower` holds the lines lower-cased.
pub fn quoted_header_field(lower: &[&str], i: usize) -> bool {
    const FIELDS: [&str; 7] = [
        "to:",
        "cc:",
        "from:",
        "subject:",
        "date:",
        "sent:",
        "message-id:",
    ];
    let field = |l: &str| {
        let t = l.trim_start();
        FIELDS.iter().any(|f| t.starts_with(f))
    };
    let Some(line) = lower.get(i) else {
        return false;
    };
    let t = line.trim_start();
    if !(t.starts_with("to:") || t.starts_with("cc:")) {
        // A quoted `To:` or `Cc:` folded over lines ("To: <a@x>, <b@y>," /
        // "    <c@z>"): each line above ends in a comma, up to the field.
        let mut j = i;
        while let Some(above) = j.checked_sub(1).and_then(|k| lower.get(k)) {
            if !above.trim_end().ends_with(',') || i - j >= 20 {
                return false;
            }
            j -= 1;
            let a = above.trim_start();
            if a.starts_with("to:") || a.starts_with("cc:") {
                return quoted_header_field(lower, j);
            }
        }
        return false;
    }
    let before = lower.get(..i).unwrap_or(&[]);
    let after = lower.get(i + 1..).unwrap_or(&[]);
    let nearest = |mut it: std::slice::Iter<'_, &str>, back: bool| {
        let mut next = || if back { it.next_back() } else { it.next() };
        while let Some(l) = next() {
            if !l.trim().is_empty() {
                return field(l);
            }
        }
        false
    };
    nearest(before.iter(), true) || nearest(after.iter(), false)
}

/// Line `i` continues an identifier field folded after its name
/// ("Message-ID:" / "<2019…@host>", "References:" / "<…>"): what looks like
/// an address there is a message's identifier. `lower` holds the lines
/// lower-cased.
pub fn folded_id_value(lower: &[&str], i: usize) -> bool {
    const FIELDS: [&str; 5] = [
        "message-id:",
        "in-reply-to:",
        "references:",
        "content-id:",
        "resent-message-id:",
    ];
    i.checked_sub(1)
        .and_then(|j| lower.get(j))
        .is_some_and(|above| {
            let t = above.trim();
            FIELDS.iter().any(|f| t.ends_with(f))
        })
}

/// Collapses whitespace runs into single spaces (keeps case).
pub fn squash(s: &str) -> String {
    if s.is_ascii() {
        return squash_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// [`squash`] of ASCII text: the same words as `split_whitespace`, whose
/// whitespace in ASCII is exactly these six bytes (vertical tab included,
/// unlike `u8::is_ascii_whitespace`), copied a word at a time.
pub(crate) fn squash_ascii(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    join_words(&mut out, s.as_bytes(), |b| {
        matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
    });
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the words of `text` (runs of bytes `space` does not hold) to
/// `out`, one space between each and after what `out` held. `space` must
/// hold ASCII bytes only, for UTF-8 in to stay UTF-8 out. (A word at a
/// time: a byte-at-a-time copy, branch-free or not, cost more instructions.)
pub(crate) fn join_words(out: &mut Vec<u8>, text: &[u8], space: impl Fn(u8) -> bool) {
    for word in text.split(|&b| space(b)).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
