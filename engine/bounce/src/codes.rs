//! SMTP reply codes and RFC 3463 enhanced status codes: finding them in free
//! text and what they mean for the error status.

use crate::status::ErrorStatus;

/// How much an enhanced status code alone says about the failure.
///
/// Many servers send a generic code (`5.0.0`, `5.7.1`) with a precise text, so
/// only the specific codes may override the phrase table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// The code is specific enough to decide on its own (`5.1.1`, `5.2.2`).
    Strong,
    /// A hint used only when no phrase matches (`5.7.1`, `5.4.4`).
    Weak,
}

fn is_digit(b: Option<&u8>) -> bool {
    b.is_some_and(|c| c.is_ascii_digit())
}

/// Parses an enhanced code `class.subject.detail` starting at `i`; returns its end.
fn enhanced_at(b: &[u8], i: usize) -> Option<usize> {
    let class = *b.get(i)?;
    if !matches!(class, b'2' | b'4' | b'5') || b.get(i + 1) != Some(&b'.') {
        return None;
    }
    if i > 0 {
        let prev = b.get(i - 1).copied().unwrap_or(b' ');
        // `550-5.1.1` is a multi-line reply's line prefix and its code; other
        // digits before a hyphen (`2004-5.1.10`) are not.
        let continuation = i >= 4
            && b.get(i - 4)
                .is_some_and(|c| matches!(c, b'2' | b'4' | b'5'))
            && is_digit(b.get(i - 3))
            && is_digit(b.get(i - 2))
            && (i == 4 || !b.get(i - 5).is_some_and(u8::is_ascii_alphanumeric));
        if prev.is_ascii_alphanumeric()
            || prev == b'.'
            || prev == b'-' && is_digit(b.get(i.wrapping_sub(2))) && !continuation
        {
            return None;
        }
    }
    let mut j = i + 2;
    let mut n = 0;
    while is_digit(b.get(j)) {
        j += 1;
        n += 1;
    }
    if n == 0 || n > 3 || b.get(j) != Some(&b'.') {
        return None;
    }
    j += 1;
    let mut m = 0;
    while is_digit(b.get(j)) {
        j += 1;
        m += 1;
    }
    if m == 0 || m > 3 {
        return None;
    }
    // Reject the middle of an IP address or version string (`1.2.3.4`).
    if b.get(j) == Some(&b'.') && is_digit(b.get(j + 1)) {
        return None;
    }
    if b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(j)
}

/// How specific a code is: `x.y.z` with a non-zero detail beats `x.y.0`,
/// which beats `x.0.0`.
pub(crate) fn specificity(code: &str) -> u8 {
    let mut it = code.split('.').skip(1);
    let subject = it.next().unwrap_or("0");
    let detail = it.next().unwrap_or("0");
    if !detail.trim_start_matches('0').is_empty() {
        2
    } else if !subject.trim_start_matches('0').is_empty() {
        1
    } else {
        0
    }
}

/// Whether a DSN's `Status` is only its reply code translated, because the
/// server gave no enhanced code of its own: Sendmail's `smtptodsn()` (552
/// to 5.2.2 whatever the reply says, "552 … mailbox not found"; 553 to
/// 5.1.0, and 5.1.3 or 5.3.4 when refused at MAIL). Such a Status is no
/// second witness beside the reply code against the reply's words.
pub(crate) fn derived_from_reply(reply: u16, status: &str) -> bool {
    let derived: &[&str] = match reply {
        450 => &["4.2.0"],
        451 => &["4.3.0"],
        452 => &["4.3.1"],
        550 => &["5.2.0"],
        551 => &["5.1.6"],
        552 => &["5.2.2", "5.3.4"],
        553 => &["5.1.0", "5.1.3"],
        _ => &[],
    };
    derived.contains(&status)
}

/// Finds the most telling enhanced status code in a diagnostic text.
///
/// Servers and gateways often put a summarising `x.0.0` or `x.y.0` in front
/// of the remote server's own specific code (`5.1.0 - Unknown address error
/// '5.2.2 ... Mailbox full'`), so the first code with a non-zero detail
/// wins, then the first with a non-zero subject, then the first at all.
pub fn find_enhanced(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut best: Option<(&str, u8)> = None;
    let mut i = 0;
    while i < b.len() {
        // A code is a digit before a `.`: on to the byte before the next
        // `.` (a SIMD search over the bytes).
        match b.get(i..).and_then(|rest| memchr::memchr(b'.', rest)) {
            Some(dot) => i = (i + dot).saturating_sub(1).max(i),
            None => break,
        }
        if let Some(end) = enhanced_at(b, i) {
            let code = text.get(i..end)?;
            if !code.starts_with('2') {
                let spec = specificity(code);
                if spec == 2 {
                    return Some(code.to_string());
                }
                if best.is_none_or(|(_, s)| spec > s) {
                    best = Some((code, spec));
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    best.map(|(c, _)| c.to_string())
}

/// Whether `text` states a success and no failure: a `2.x.x` enhanced code,
/// or a 2xx reply saying "ok", "queued" or "accepted", and no 4xx/5xx reply
/// or `4.x.x`/`5.x.x` code. A report's line for a recipient it reached
/// ("b@y  250 2.0.0 Ok: queued", "b@y  2.0.0  yes") names no failure.
pub fn states_success(text: &str) -> bool {
    if find_reply_code(text).is_some() || find_enhanced(text).is_some() {
        return false;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(at) = b.get(i..).and_then(|rest| memchr::memchr(b'2', rest)) {
        i += at;
        if enhanced_at(b, i).is_some() || success_reply_at(b, i) {
            return true;
        }
        i += 1;
    }
    false
}

/// A 2xx reply code at `i`, standing as a word, followed by its success
/// word.
fn success_reply_at(b: &[u8], i: usize) -> bool {
    let word_before = i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_alphanumeric);
    if word_before
        || !b.get(i + 1).is_some_and(|d| (b'0'..=b'5').contains(d))
        || !is_digit(b.get(i + 2))
        || !matches!(b.get(i + 3), Some(b' ' | b'-'))
    {
        return false;
    }
    let rest = b.get(i + 4..).unwrap_or_default();
    ["ok", "queued", "accepted"].iter().any(|w| {
        rest.get(..w.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
            && !rest.get(w.len()).is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Finds the first 4xx/5xx SMTP reply code that stands as a word in `text`.
pub fn find_reply_code(text: &str) -> Option<u16> {
    reply_codes(text).next().map(|(_, code)| code)
}

/// Every 4xx/5xx reply code standing as a word in `text`, with its byte offset.
fn reply_codes(text: &str) -> impl Iterator<Item = (usize, u16)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Jumps from one `4` or `5` to the next: most text holds few digits.
        while let Some(at) = b
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'4', b'5', rest))
        {
            i += at;
            if i + 3 > b.len() {
                break;
            }
            let here = i;
            i += 1;
            if is_digit(b.get(here + 1))
                && is_digit(b.get(here + 2))
                && (here == 0
                    || b.get(here - 1).is_some_and(|p| {
                        matches!(
                            p,
                            b' ' | b'\t'
                                | b'('
                                | b':'
                                | b'"'
                                | b'\''
                                | b'<'
                                | b'['
                                | b'='
                                | b'\n'
                                | b'#'
                        )
                    }))
                && b.get(here + 3).is_none_or(|n| {
                    matches!(
                        n,
                        b' ' | b'-' | b'\t' | b'\n' | b')' | b',' | b';' | b']' | b'"'
                    )
                })
                && !quantity(b.get(here + 3..).unwrap_or_default())
                && !phone_number(b, here)
            {
                let Some(n) = text.get(here..here + 3).and_then(|s| s.parse::<u16>().ok()) else {
                    continue;
                };
                // Reply codes have a second digit of 0..=5.
                if n % 100 / 10 <= 5 {
                    return Some((here, n));
                }
            }
        }
        i = b.len();
        None
    })
}

/// The three digits at `here` open a telephone number, not a reply: an
/// area code in brackets before more digits ("(555) 010-4477") or a group
/// before a dash and three or more digits ("555-010-4477", "555-0123"; a
/// reply's continuation, "550-5.1.1", has one).
fn phone_number(b: &[u8], here: usize) -> bool {
    let digits_from = |k: usize| {
        b.get(k..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let bracketed =
        here > 0 && b.get(here - 1) == Some(&b'(') && b.get(here + 3) == Some(&b')') && {
            let k = if b.get(here + 4) == Some(&b' ') {
                here + 5
            } else {
                here + 4
            };
            digits_from(k) >= 3
        };
    bracketed || b.get(here + 3) == Some(&b'-') && digits_from(here + 4) >= 3
}

/// Whether `text` states a server's reply: a 4xx/5xx reply code or a
/// 4.x.x/5.x.x enhanced code where replies stand: a reply code first on
/// its line (a transcript's `550 …`); either code after `<<<`, `#`
/// (`#5.1.1`), a colon or a quote ("said: 550", "returned '550") or after a
/// word that introduces one ("error 550", "status 5.1.1"); an enhanced
/// code after a reply code (`550 5.1.1`) — and
/// followed by the reply's text, an enhanced code or a continuation
/// (`550-5.1.1`). A phone number ("(408) 471-3016", "+1 412-268-7090"), a
/// street address ("445 South Street"), a product ("Atari 400") or a
/// version ("PHP 4.2.0 and 4.2.1") is none: those are what an ordinary
/// message's signature and text hold. `text` keeps its line breaks.
pub fn reply_stated(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        reply_stated_in_line(t, t.len() != l.len())
    })
}

/// [`reply_stated`] for one line without its leading white space;
/// `indented`: the line had some.
pub fn reply_stated_in_line(line: &str, indented: bool) -> bool {
    let b = line.as_bytes();
    let reply = reply_codes(line).any(|(at, _)| {
        let after = b.get(at + 3..).unwrap_or_default();
        let rest = after.get(1..).unwrap_or_default();
        let (text_follows, code_follows) = match after.first() {
            None => (true, false),
            Some(b'-') => (
                rest.first().is_some_and(u8::is_ascii_alphabetic),
                enhanced_at(rest, 0).is_some(),
            ),
            Some(b' ' | b'\t') => (
                rest.first()
                    .is_some_and(|c| c.is_ascii_alphabetic() || b"<[(\"'".contains(c)),
                enhanced_at(rest, 0).is_some(),
            ),
            Some(b')' | b']' | b'"' | b';') => (true, false),
            Some(_) => (false, false),
        };
        // A number opening an indented line followed by words is as often
        // prose wrapped there ("  400 Bad Request" quoted from a web page).
        (code_follows || text_follows && !(indented && at == 0)) && placed(line, at, false)
    });
    reply
        || memchr::memchr_iter(b'.', b).any(|dot| {
            let Some(at) = dot.checked_sub(1) else {
                return false;
            };
            let Some(end) = enhanced_at(b, at) else {
                return false;
            };
            b.get(at) != Some(&b'2')
                && b.get(end).is_none_or(|n| {
                    matches!(
                        n,
                        b' ' | b'\t' | b')' | b',' | b';' | b']' | b'"' | b'\'' | b'>'
                    )
                })
                && placed(line, at, true)
        })
}

/// Whether the code at `at` of `line` stands where a reply does (see
/// [`reply_stated`]); `enhanced`: it may follow a reply code.
fn placed(line: &str, at: usize, enhanced: bool) -> bool {
    const INTRODUCERS: [&str; 8] = [
        "error", "code", "reply", "replied", "said", "returned", "response", "status",
    ];
    let before = line.get(..at).unwrap_or("").trim_end();
    let after_reply = || {
        let t = before.trim_end_matches('-');
        let digits = t.bytes().rev().take_while(u8::is_ascii_digit).count();
        digits == 3
            && t.get(..t.len() - 3)
                .is_some_and(|p| p.is_empty() || p.ends_with(|c: char| !c.is_ascii_alphanumeric()))
    };
    // An enhanced code alone at a line's start is as often a version
    // wrapped onto the next line ("4.1.2  which does not contain …").
    before.is_empty() && !enhanced
        || before.ends_with([':', ';', '\'', '"', '<', '#', '=', '['])
        || enhanced && after_reply()
        || INTRODUCERS.iter().any(|w| {
            before
                .get(before.len().saturating_sub(w.len())..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(w))
        })
}

/// Whether the bytes after a three-digit number make it a quantity ("500
/// MB", "450 days", "400 KB"): a size or a period in a notice, no reply.
fn quantity(after: &[u8]) -> bool {
    const UNITS: [&[u8]; 14] = [
        b"kb", b"mb", b"gb", b"kib", b"mib", b"gib", b"bytes", b"kbytes", b"mbytes", b"days",
        b"hours", b"minutes", b"seconds", b"%",
    ];
    let Some(rest) = after.strip_prefix(b" ") else {
        return false;
    };
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphabetic() || **b == b'%')
        .count();
    let word = rest.get(..len).unwrap_or_default();
    UNITS.iter().any(|u| u.eq_ignore_ascii_case(word))
}

/// Normalises an enhanced code: trims, keeps only `d.d.d`, and rejects junk so
/// that callers can pass header values verbatim.
pub fn normalize_enhanced(code: &str) -> Option<String> {
    let t = code.trim();
    let end = enhanced_at(t.as_bytes(), 0)?;
    t.get(..end).map(str::to_string)
}

/// The RFC 3463 meaning of an enhanced status code, if it has one for us.
pub fn map_enhanced(code: &str) -> Option<(ErrorStatus, Strength)> {
    use ErrorStatus::*;
    use Strength::*;
    let mut it = code.split('.');
    let class = it.next()?;
    let subject: u16 = it.next()?.parse().ok()?;
    let detail: u16 = it.next()?.parse().ok()?;
    if class == "2" {
        return None;
    }
    let temp = class == "4";
    let r = match (subject, detail) {
        (1, 1) => (UnknownUser, Strong),
        (1, 2) => (UnknownHost, Strong),
        (1, 3) => (AddressFormat, Weak),
        (1, 4) | (1, 5) | (1, 0) => (UnknownUser, Weak),
        (1, 6) => (ForwardingError, Strong),
        (1, 7) | (1, 8) => (Rejected, Weak),
        (1, 10) => (ReceiverError, Weak),
        (2, 1) => (UnknownUser, Weak),
        (2, 2) => (OverCapacity, Strong),
        (2, 3) => (Oversize, Strong),
        (3, 1) => (OverCapacity, Weak),
        (3, 4) => (Oversize, Strong),
        // X.3.0 other mail system status, X.3.3 system not capable of the
        // features asked for: the receiving system's own trouble.
        (3, 0) | (3, 2) | (3, 3) | (3, 5) => (ReceiverError, Weak),
        (4, 0) | (4, 1) | (4, 2) | (4, 3) | (4, 5) => (ReceiverError, Weak),
        (4, 4) => (UnknownHost, Weak),
        (4, 6) => (ReceiverError, Weak),
        (4, 7) => (ResendTimeout, Strong),
        (5, 3) => (Rejected, Weak),
        (5, _) => (Other, Weak),
        // X.6.7 (RFC 6531): "non-ASCII addresses not permitted for that
        // recipient": the address as written is one the receiver refuses,
        // as two writers of fresh reports read it independently; not a
        // content refusal.
        (6, 7) => (AddressFormat, Weak),
        (6, _) => (Rejected, Weak),
        (7, 1) if temp => (Rejected, Weak),
        (7, 23) | (7, 24) | (7, 25) | (7, 26) | (7, 27) => (Rejected, Strong),
        (7, _) => (Rejected, Weak),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_telephone_number_is_no_reply() {
        for text in [
            "call (555) 010-4477 between 9 and 5",
            "call (555)010-4477",
            "phone 555-010-4477 or write",
            "extension 555-0123",
        ] {
            assert_eq!(find_reply_code(text), None, "{text}");
        }
        for text in [
            "550-5.1.1 No such user",
            "(550) mailbox unavailable",
            "554-Rejected",
        ] {
            assert!(find_reply_code(text).is_some(), "{text}");
        }
    }

    #[test]
    fn replies_stated_where_replies_stand() {
        for reply in [
            "host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@x>: user unknown",
            "<<< 550 Requested action not taken: mailbox unavailable",
            "----- Transcript of session follows -----\n550 <a@x>... User unknown",
            "550-5.1.1 The email account that you tried to reach does not exist.",
            "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'",
            "Remote host said: 554 delivery error",
            "SMTP error 550",
            "Diagnostic-Code: smtp; 550",
            "Status: 5.1.1",
            "a@x\n    #5.1.1 not found",
            "   550 5.7.1 relaying denied",
        ] {
            assert!(reply_stated(reply), "{reply:?}");
        }
        for prose in [
            "Phone: +1 412-268-7090 (24-hour hotline)",
            "TEL;WORK;PREF;MSG:(408) 471 - 3016",
            "Room MRE 2D-296, 445 South Street, Morristown",
            "It's been about 20 years since a new Atari 400 or Vic 20",
            "Systems running PHP versions 4.2.0 or 4.2.1",
            "the version of PHP\n          4.1.2  which does not contain it",
            "  400 Bad Request",
            " 419 fraud by replying to an unsolicited fax",
            "410, <GEN23> line 1.",
        ] {
            assert!(!reply_stated(prose), "{prose:?}");
        }
    }

    #[test]
    fn finds_codes() {
        assert_eq!(
            find_enhanced("550 5.1.1 <a@b>: unknown"),
            Some("5.1.1".into())
        );
        assert_eq!(
            find_enhanced("host 192.0.2.5 said 550 (#5.5.0)"),
            Some("5.5.0".into())
        );
        assert_eq!(find_enhanced("5.0.0 x 5.2.2 full"), Some("5.2.2".into()));
        assert_eq!(
            find_enhanced("5.1.0 - Unknown address error '5.2.2 <a@b>... Full'"),
            Some("5.2.2".into())
        );
        assert_eq!(find_enhanced("5.0.0 x 5.1.0 y"), Some("5.1.0".into()));
        assert_eq!(find_enhanced("Exim 4.72 ok 1.2.3.4"), None);
        assert_eq!(find_reply_code("said: 550 5.1.1 no"), Some(550));
        assert_eq!(find_reply_code("550-5.1.1 no"), Some(550));
        assert_eq!(find_reply_code("id 12550 x"), None);
        assert_eq!(find_reply_code("port 587."), None);
        // A size or a period is no reply.
        assert_eq!(find_reply_code("460 MB of 500 MB used"), None);
        assert_eq!(find_reply_code("kept for 450 days"), None);
        assert_eq!(
            find_reply_code("552 Message size exceeds 500 KB"),
            Some(552)
        );
        assert_eq!(find_reply_code("limit 500 MB: 552 too big"), Some(552));
        assert_eq!(normalize_enhanced(" 5.7.1 (x)"), Some("5.7.1".into()));
    }

    #[test]
    fn codes_after_dots_and_multibyte_text() {
        assert_eq!(
            find_enhanced("宛先不明。. 550 5.1.1 x").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(find_enhanced("5.2.2").as_deref(), Some("5.2.2"));
        assert_eq!(
            find_enhanced("v1.2.3.4 then (4.2.2)").as_deref(),
            Some("4.2.2")
        );
        assert_eq!(find_enhanced("no code. none."), None);
        assert_eq!(find_enhanced("."), None);
    }

    #[test]
    fn maps_rfc3463() {
        assert_eq!(
            map_enhanced("5.1.1"),
            Some((ErrorStatus::UnknownUser, Strength::Strong))
        );
        assert_eq!(
            map_enhanced("4.4.7").map(|x| x.0),
            Some(ErrorStatus::ResendTimeout)
        );
        assert_eq!(map_enhanced("2.0.0"), None);
        assert_eq!(map_enhanced("5.0.0"), None);
    }
}
