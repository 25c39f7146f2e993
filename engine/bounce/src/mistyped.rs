//! Addresses the strict address finder refuses, taken where a report sets
//! them apart: as a sender mistyped them (`a@@x.example`, `a@x,example`),
//! which a report of an address format error names exactly so, and a
//! server's "unknown user" for one is the sender's slip, not a mailbox
//! gone; and internationalised ones (`anfragen@bücher.example`) standing
//! alone, whose letters stop the ASCII scan; and local parts holding a
//! comma that a report quotes as sent (CompuServe IDs, a bracketed slip).

use crate::text::{is_domain_byte, is_local_byte};
use crate::ErrorStatus;

/// How far before and after a token its line's label and reason are looked
/// for: a longer line is read as if it began (or ended) there.
const LINE_REACH: usize = 1024;

/// The whitespace-delimited token around the `@` at `at` (not before
/// `from`), when a report sets it apart: between angle brackets, alone on
/// its line, as a field's value ("Recipient address: …", "rfc822;…"), or
/// first on its line before a colon ("…: malformed"). With whether it
/// stands in brackets.
fn token_set_apart(text: &str, at: usize, from: usize) -> Option<(usize, usize, bool)> {
    let b = text.as_bytes();
    let stop = |c: u8| c.is_ascii_whitespace() || c == b'<' || c == b'>';
    // An address is at most 254 bytes (RFC 5321 §4.5.3.1), and neither
    // reading takes a token with another `@` than a doubled one: a longer
    // token, or one with a third `@`, is none, so a line of many `@`s costs
    // no more per `@`.
    let mut s = at;
    while s > from && b.get(s - 1).is_some_and(|&c| !stop(c)) {
        if at - s > 254 || s < at && b.get(s - 1) == Some(&b'@') {
            return None;
        }
        s -= 1;
    }
    let mut e = at;
    while b.get(e).is_some_and(|&c| !stop(c)) && e - s <= 254 {
        if e > at + 1 && b.get(e) == Some(&b'@') {
            return None;
        }
        e += 1;
    }
    while e > at
        && b.get(e - 1)
            .is_some_and(|&c| matches!(c, b':' | b';' | b','))
    {
        e -= 1;
    }
    while !text.is_char_boundary(s) {
        s += 1;
    }
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    let bracketed = s > 0 && b.get(s - 1) == Some(&b'<') && b.get(e) == Some(&b'>');
    // The line around it, looked for as far as a label and a reason reach
    // (`LINE_REACH`): what stands further off is not this line's label.
    let mut reach_back = s.saturating_sub(LINE_REACH);
    while !text.is_char_boundary(reach_back) {
        reach_back += 1;
    }
    let line_start = text
        .get(reach_back..s)?
        .rfind('\n')
        .map_or(reach_back, |n| reach_back + n + 1);
    let window = crate::text::clip(text.get(e..)?, LINE_REACH);
    let line_end = e + window.find('\n').unwrap_or(window.len());
    // A list item's bullet before it, a dash or colon parting it from its
    // reason after it ("• a@@x – This isn't a valid address").
    let before = text
        .get(line_start..s)?
        .trim()
        .trim_start_matches(|c: char| crate::address_context::is_bullet(c) || c == '*')
        .trim();
    let after = text.get(e..line_end)?.trim();
    // (Smail and Sendmail part an address from its error by "...": "
    // a@@x ... error in address: parse error".)
    let parted = after.starts_with(':')
        || after.starts_with(['–', '—'])
        || after.starts_with("- ")
        || after.starts_with("...");
    let alone = (before.is_empty() || before.ends_with([':', ';']) && !before.contains('@'))
        && (after.is_empty() || before.is_empty() && parted);
    (bracketed || alone).then_some((s, e, bracketed))
}

/// A mistyped address the report names as given (`<a@@x.example>`,
/// `a@host..example` alone on its line, `<a@x,example>`): a report of an
/// address format error (SPEC §13.5, 9) names the address as the sender
/// wrote it, and no strict reading finds it. Taken only where a report
/// sets it apart (`token_set_apart`), and only the typing slips the strict
/// reading refuses (a doubled `@`, an empty domain label, a comma for a
/// dot), not a domain without a dot (`<id@localhost>`, a Message-ID's
/// right side).
pub(crate) fn set_apart(text: &str, at: usize, from: usize) -> Option<(usize, usize)> {
    let (s, e, bracketed) = token_set_apart(text, at, from)?;
    let token = text.get(s..e)?;
    let first = token.find('@')?;
    let last = token.rfind('@')?;
    let local = token.get(..first)?;
    let domain = token.get(last + 1..)?;
    let shaped = !local.is_empty()
        && local.bytes().all(is_local_byte)
        && !domain.is_empty()
        && domain
            .bytes()
            .all(|c| is_domain_byte(c) || c == b',' || c == b'_')
        && domain.bytes().any(|c| c.is_ascii_alphabetic())
        && (last - first <= 1 && token.get(first..=last)?.bytes().all(|c| c == b'@'));
    // An underscore in the domain only outside brackets: a Message-ID's
    // right side may hold one (`<id@mail_gw.example>`).
    let slip = last > first
        || domain.contains("..")
        || domain.contains(',')
        || domain.starts_with('.')
        || domain.contains('_') && !bracketed;
    let dotted = domain.contains(['.', ',']);
    (shaped && slip && dotted).then_some((s, e))
}

/// An internationalised address (RFC 6531: `anfragen@bücher.example`,
/// `Dörte.Müller@firma.example`) set apart on its line (`token_set_apart`),
/// where the ASCII scan stopped at its first other letter. Letters and
/// digits of alphabetic scripts, the local part's ASCII symbols, and a
/// domain of two or more labels. Not the ideographic and syllabic scripts
/// (from U+2E80: Han, kana, Hangul): Japanese, Chinese and Korean prose
/// runs on into an address without a space ("宛先user@example.jpへの配信"),
/// and their addresses are taken between brackets only. A local part may
/// also hold pictographs (`🐈@example.jp`: RFC 6531 allows any character
/// beyond ASCII there, and no prose runs into one set apart on its line).
pub(crate) fn international(text: &str, at: usize, from: usize) -> Option<(usize, usize)> {
    let (s, e, _) = token_set_apart(text, at, from)?;
    let token = text.get(s..e)?;
    let (local, domain) = token.split_once('@')?;
    let letter = |c: char| c.is_alphanumeric() && c < '\u{2E80}';
    let pictograph = |c: char| matches!(c, '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1FAFF}');
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| letter(c) || pictograph(c) || c.is_ascii() && is_local_byte(c as u8));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| letter(c) || c == '-')
        });
    (local_ok && domain_ok && !token.is_ascii()).then_some((s, e))
}

/// Whether `status` is one a mistyped address's failure is read as: its
/// unknown user, its domain's failed lookup, or a failure naming no cause.
/// For such an address each is its format's (SPEC §13.5, 9).
pub(crate) fn reads_as_slip(status: ErrorStatus) -> bool {
    matches!(
        status,
        ErrorStatus::UnknownUser | ErrorStatus::UnknownHost | ErrorStatus::Other
    )
}

/// Whether canonical `addr` cannot be a deliverable address as written
/// (RFC 5321 §4.1.2): a doubled `@`, or a domain with an empty label, a
/// comma or an underscore. The server's "unknown user" or failed lookup of
/// such an address is the sender's typing slip (SPEC §13.5, 9). Not a
/// local part's dots (`taro..yamada.@`): Japanese carriers handed out such
/// addresses for years and still deliver to them, so their "unknown user"
/// is one.
pub fn mistyped(addr: &str) -> bool {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        // A full-width at sign in place of the ASCII one (`dsn::as_typed`).
        return addr.contains('＠');
    };
    if domain.starts_with('[') || local.starts_with('"') {
        return false;
    }
    local.is_empty()
        || local.contains('@')
        || domain.is_empty()
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || domain.contains([',', '_'])
}

/// Where a CompuServe user ID with its comma starts ("76543,2101@
/// compuserve.com": five or six digits, a comma, three or four digits),
/// given the local part's digits after the comma at `s..at`; else `s`.
/// CompuServe's own reports and its members' mail wrote IDs so, and the
/// sender's mailer sent them as written: the comma is part of the
/// recipient, not a list's separator.
pub(crate) fn compuserve_id_start(b: &[u8], s: usize, at: usize, floor: usize) -> usize {
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(3..=4).contains(&(at - s))
        || !digits(s..at)
        || s < floor + 7
        || b.get(s - 1) != Some(&b',')
    {
        return s;
    }
    let mut j = s - 1;
    while j > floor && s - 1 - j < 7 && b.get(j - 1).is_some_and(u8::is_ascii_digit) {
        j -= 1;
    }
    let before_ok = j == floor || !b.get(j - 1).is_some_and(|&c| is_local_byte(c) || c == b',');
    if (5..=6).contains(&(s - 1 - j)) && before_ok {
        j
    } else {
        s
    }
}

/// Where a local part holding a comma starts between angle brackets
/// ("RCPT To:<oyelaran,m@example.net>": a mistyped address as it was
/// sent, refused for its syntax), given the local part found after the
/// comma at `s..at`; else `s`. The brackets hold one address: the comma is
/// part of it, not a list's separator.
pub(crate) fn bracketed_comma_start(b: &[u8], s: usize, at: usize, floor: usize) -> usize {
    if s <= floor || s == at || b.get(s - 1) != Some(&b',') {
        return s;
    }
    let mut k = s - 1;
    while k > floor && s - k < 64 && b.get(k - 1).is_some_and(|&c| is_local_byte(c) || c == b',') {
        k -= 1;
    }
    let mut e = at + 1;
    while b.get(e).is_some_and(|&c| is_domain_byte(c)) {
        e += 1;
    }
    let opened = k > floor && b.get(k - 1) == Some(&b'<') && k < s - 1;
    if opened && b.get(e) == Some(&b'>') {
        k
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::find_addresses;

    #[test]
    fn mistyped_addresses_set_apart() {
        let got = |t: &str| -> Vec<String> {
            find_addresses(t)
                .iter()
                .map(|f| f.addr.to_string())
                .collect()
        };
        assert_eq!(
            got("<p.okoye@@biology.example>: bad syntax"),
            ["p.okoye@@biology.example"]
        );
        assert_eq!(
            got("failed:\n  lee@hanguk..example\n"),
            ["lee@hanguk..example"]
        );
        assert_eq!(got("To <javier@sur,example> said"), ["javier@sur,example"]);
        assert_eq!(got("Recipient address: a@@b.example"), ["a@@b.example"]);
        assert_eq!(got("a@b..example: malformed"), ["a@b..example"]);
        assert_eq!(got("• a@@b.example – not valid"), ["a@@b.example"]);
        assert_eq!(
            got(" lpark@@mira.example ... error in address: parse error"),
            ["lpark@@mira.example"]
        );
        // Not set apart, or no slip the strict reading refuses.
        assert!(got("write to lee@hanguk..example today").is_empty());
        assert!(got("Note: write to a@b..example: soon").is_empty());
        assert!(got("Message-ID: <1234@localhost>").is_empty());
        assert!(got("<a@b@c.example>").is_empty());
        assert!(got("<@@x.example>").is_empty());
        assert!(got("<id@mail_gw.example>").is_empty());
        assert_eq!(
            got("  anfragen@bücher.example\n"),
            ["anfragen@bücher.example"]
        );
        assert_eq!(
            got("  Dörte.Müller@firma.example\n"),
            ["Dörte.Müller@firma.example"]
        );
        // A pictograph's local part (RFC 6531), set apart on its line.
        assert_eq!(
            got("     \u{1F408}@example.nyaan.jp\n"),
            ["\u{1F408}@example.nyaan.jp"]
        );
        // Prose runs on after a Japanese address: the ASCII address stays.
        assert_eq!(got("user@example.jpへのメール\n"), ["user@example.jp"]);
        assert_eq!(
            got("  orders@bakery_shop.example"),
            ["orders@bakery_shop.example"]
        );
        for a in [
            "a@@x.example",
            "a@x..example",
            "a@x,example",
            "a@b_c.example",
        ] {
            assert!(mistyped(a), "{a}");
        }
        for a in [
            "a@x.example",
            "\"a..b\"@x.example",
            "postmaster@[192.0.2.1]",
            "a.b@x.example",
            "taro..yamada.@docomo.example",
        ] {
            assert!(!mistyped(a), "{a}");
        }
    }
}
