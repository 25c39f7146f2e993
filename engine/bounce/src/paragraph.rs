//! The paragraph that explains a failed recipient in a human-readable
//! bounce (`nonstd`): where it starts and ends, whether it says anything
//! beyond the address, and the session transcript just above it.

use crate::text::starts_with_ci;

pub(crate) const MAX_PARAGRAPH_LINES: usize = 8;

/// The most bytes of one paragraph kept (diagnostics keep 1,200).
pub(crate) const MAX_PARAGRAPH_BYTES: usize = 8 * 1024;

/// The paragraph starting at `from`, and the index of the line after it;
/// it ends at a blank line or at one of `addr_lines` (sorted).
pub fn paragraph(lines: &[&str], from: usize, addr_lines: &[usize]) -> (String, usize) {
    let mut out = String::new();
    let mut n = 0;
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(from) {
        if i > from
            && (line.trim().is_empty()
                || addr_lines.binary_search(&i).is_ok() && !original_address_field(line)
                || new_session(line)
                || bracketed_local_part(line))
        {
            end = i;
            break;
        }
        // A line can be megabytes long (one line naming thousands of
        // addresses): a paragraph is kept to what a diagnostic can use.
        let room = MAX_PARAGRAPH_BYTES.saturating_sub(out.len());
        out.push_str(crate::text::clip(line.trim(), room));
        out.push(' ');
        n += 1;
        if n >= MAX_PARAGRAPH_LINES {
            end = i + 1;
            break;
        }
    }
    (out, end)
}

/// A block's field naming the recipient's address as the sender wrote it
/// (Sun/Oracle Messaging Server's "Recipient address: x" / "Original
/// address: y" / "Reason: Over quota"): the same recipient's block goes on
/// below it.
fn original_address_field(line: &str) -> bool {
    let line = line.trim_start();
    [
        "original address:",
        "original-recipient:",
        "original recipient:",
    ]
    .iter()
    .any(|f| starts_with_ci(line, f))
}

/// A local recipient alone on its line in brackets (Sendmail's "<tveit>"
/// below another's "(reason: …)"): the next item of the list.
fn bracketed_local_part(line: &str) -> bool {
    line.trim()
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        })
}

/// Sendmail's transcript opens a new SMTP session, with another host
/// ("... while talking to mx.example.:"): what follows is that host's.
pub fn new_session(line: &str) -> bool {
    starts_with_ci(
        line.trim_start().trim_start_matches('.').trim_start(),
        "while talking to ",
    )
}

/// The session opened at line `at` ([`new_session`]) sends `RCPT TO` for
/// an address other than `recipient`, or ends in Sendmail's summary line
/// for one (a refusal at `MAIL FROM`, "552 5.3.4 Message size exceeds …" /
/// "554 <b@y>... Service unavailable", names its recipient only there),
/// before its end (a blank line or the next session): it is another
/// recipient's.
pub fn session_names_another(lines: &[&str], at: usize, recipient: &str) -> bool {
    let summary_for_another = |l: &str| {
        crate::text::find_addresses(l).first().is_some_and(|f| {
            let a = crate::text::canonical(f.addr);
            a != recipient && crate::sendmail_summary::is_summary_line(l, &a)
        })
    };
    lines
        .iter()
        .skip(at + 1)
        .take(MAX_PARAGRAPH_LINES)
        .take_while(|l| !l.trim().is_empty() && !new_session(l))
        .any(|l| {
            crate::session_transcript::rcpt_for_another(l, recipient) || summary_for_another(l)
        })
}

/// The text quotes an SMTP reply code or an enhanced status code.
pub fn has_code(text: &str) -> bool {
    crate::codes::find_reply_code(text).is_some() || crate::codes::find_enhanced(text).is_some()
}

/// `diag` says something of `addr`: a reply or enhanced code, or at least
/// 8 letters once every occurrence of `addr` (lower case) is taken out. A
/// Chinese, Japanese or Korean character counts as
/// two: it carries a word's worth where a Latin letter carries a fifth of
/// one ("宛先不明" says "unknown recipient" in four). Deleting a substring
/// removes exactly its letters, so the letters left are the total less
/// those of the occurrences; these are
/// counted (on a lower-cased copy) only when a bound cannot decide: the
/// occurrences do not overlap, so there are no more of them than `@` signs
/// in `diag` when the address holds one.
pub fn meaningful(diag: &str, addr: &str) -> bool {
    letters_beyond(diag, addr)
        // A code alone says why ("a@x  5.2.2", a table's status column).
        || has_code(&diag.to_ascii_lowercase().replace(addr, " "))
}

/// At least 8 letters in `diag` beyond those of `addr` (see [`meaningful`]).
fn letters_beyond(diag: &str, addr: &str) -> bool {
    let letters = |s: &str| {
        if s.is_ascii() {
            s.bytes().filter(u8::is_ascii_alphabetic).count()
        } else {
            s.chars()
                .filter(|c| c.is_alphabetic())
                .map(|c| if is_cjk(c) { 2 } else { 1 })
                .sum()
        }
    };
    let total = letters(diag);
    if total < 8 {
        return false;
    }
    let per = letters(addr);
    let most = if addr.contains('@') {
        diag.bytes().filter(|&b| b == b'@').count()
    } else {
        diag.len() / addr.len().max(1)
    };
    if per == 0 || total - 8 >= per * most {
        return true;
    }
    let found = diag.to_ascii_lowercase().matches(addr).count();
    total.saturating_sub(found * per) >= 8
}

/// A Han ideograph, kana or Hangul syllable.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}' // Han extension A
        | '\u{4e00}'..='\u{9fff}' // Han
        | '\u{f900}'..='\u{faff}' // Han compatibility
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{ff66}'..='\u{ff9f}' // half-width katakana
    )
}

/// Line `at`'s reason in a block of pairs, each a reason line over its
/// recipient's address alone on the next line (Domino's "Failure Reasons":
/// "User not listed in public Name & Address Book" / "a@x" / "Unable to
/// deliver message: mail file … exceeded its size quota" / "b@y"): the
/// line above, with the address. At least two pairs, every odd line of the
/// block an address alone and no even one: read on below, each recipient
/// would take the next pair's reason.
pub fn paired_above(lines: &[&str], at: usize) -> Option<String> {
    if !alone_on_line(lines.get(at)?) {
        return None;
    }
    pairs_block(lines, at)?;
    let above = lines.get(at.checked_sub(1)?)?;
    let here = lines.get(at)?;
    Some(format!("{} {}", above.trim(), here.trim()))
}

/// The first line of the block of pairs holding line `at` (see
/// [`paired_above`]), if it is one.
pub fn pairs_block(lines: &[&str], at: usize) -> Option<usize> {
    // A heading between rules ("----- The following addresses had
    // permanent fatal errors -----", Sendmail's) ends a block as a blank
    // line does: it is no recipient's reason.
    let blank = |j: usize| {
        lines
            .get(j)
            .is_none_or(|l| l.trim().is_empty() || framed_heading(l))
    };
    if blank(at) {
        return None;
    }
    let mut start = at;
    while start > 0 && !blank(start - 1) && at - start < MAX_PAIRED_LINES {
        start -= 1;
    }
    let mut end = at;
    while !blank(end + 1) && end - start < MAX_PAIRED_LINES {
        end += 1;
    }
    let n = end - start + 1;
    let pairs = n % 2 == 0
        && n >= 4
        && (start..=end)
            .all(|k| lines.get(k).is_some_and(|l| alone_on_line(l)) == ((k - start) % 2 == 1));
    pairs.then_some(start)
}

/// How many lines a block of pairs may hold (both ways from one line).
const MAX_PAIRED_LINES: usize = 40;

/// The longest line an address alone can make (RFC 5321's 254 octets and
/// the brackets around them).
const MAX_ALONE_BYTES: usize = 320;

/// An address alone on its line (in brackets, after a bullet).
pub fn alone_on_line(line: &str) -> bool {
    // Cheap first: one word holding an `@` after any bullet (no address
    // finder for prose).
    let t = line.trim().trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '*') || crate::address_context::is_bullet(c)
    });
    if t.len() > MAX_ALONE_BYTES || !t.contains('@') || t.contains(char::is_whitespace) {
        return false;
    }
    let found = crate::text::find_addresses(line);
    let [only] = found.as_slice() else {
        return false;
    };
    let rest = |s: &str| {
        s.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '<' | '>' | '"' | '\'' | ',' | ';')
                || crate::address_context::is_bullet(c)
        })
    };
    line.get(..only.start).is_some_and(rest) && line.get(only.end..).is_some_and(rest)
}

/// The note a recipient's line refers to by a bracketed number ("a@x
/// .... see [2]" above "Notes" / "[2] mx.example said: 554 5.7.1 …"): the
/// note's lines, from the one opening with the same mark to the next mark
/// or blank line, among `lines` other than `at`.
pub fn footnote(lines: &[&str], at: usize) -> Option<String> {
    let line = lines.get(at)?;
    let mark = footnote_mark(line)?;
    let opens = |l: &str| l.trim_start().starts_with(mark);
    let from = (0..lines.len()).find(|&j| j != at && lines.get(j).is_some_and(|l| opens(l)))?;
    let mut text = String::new();
    for (k, l) in lines
        .iter()
        .enumerate()
        .skip(from)
        .take(MAX_PARAGRAPH_LINES)
    {
        let t = l.trim();
        if k > from && (t.is_empty() || t.starts_with('[')) {
            break;
        }
        text.push_str(t);
        text.push(' ');
    }
    Some(text)
}

/// The last `[n]` of a line (a number of one or two digits in brackets).
fn footnote_mark(line: &str) -> Option<&str> {
    let open = line.rfind('[')?;
    let rest = line.get(open..)?;
    let close = rest.find(']')?;
    let inner = rest.get(1..close)?;
    (!inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.get(..=close))
        .flatten()
}

/// A heading framed by rules: a line opening and ending with a run of
/// three or more `-` or `=` ("----- Transcript of session follows -----").
fn framed_heading(line: &str) -> bool {
    let t = line.trim();
    ["---", "==="]
        .iter()
        .any(|r| t.len() > 6 && t.starts_with(r) && t.ends_with(r))
}

/// A line of one repeated rule character ("-----", "=====", "_____").
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    let mut chars = t.chars();
    chars.next().is_some_and(|c| {
        matches!(
            c,
            '-' | '='
                | '_'
                | '*'
                | '~'
                | '#'
                | '─'
                | '━'
                | '═'
                | '＝'
                | '―'
                | '—'
                | '－'
                | '＿'
                | '＊'
        ) && t.chars().count() >= 3
            && chars.all(|d| d == c)
    })
}

/// The heading of the list whose item line `at` is: the first line above
/// it that is neither blank nor another item, when it ends in a colon ("The
/// following mailboxes are full:" / "" / "    a@x" / "    b@y"). Or the
/// statement right above a lone item, only blank lines between, naming no
/// address ("The user(s) account is disabled." / "" / "<a@x>": Critical
/// Path's carriers state the reason before the address).
pub fn list_heading(lines: &[&str], at: usize) -> Option<String> {
    let mut items = 0;
    // A heading set off by a rule below it ("■ 存在しないメールアドレスの
    // ため、配送できなかった宛先" / "＝＝＝＝" / "  a@x"): a heading
    // without its colon.
    let mut ruled = false;
    for j in (at.saturating_sub(MAX_LIST_ITEMS)..at).rev() {
        let line = lines.get(j)?.trim();
        if line.is_empty() {
            continue;
        }
        if crate::regions::opens_with_address(line) {
            items += 1;
            continue;
        }
        if items == 0 && !ruled && is_rule(line) {
            ruled = true;
            continue;
        }
        let statement = items == 0 && is_statement(line);
        if ruled && line.contains('@') {
            return None;
        }
        if !line.ends_with([':', '：']) && !statement && !ruled
            || statement && reason_below_its_address(lines, j)
        {
            return None;
        }
        // A heading wrapped over its paragraph ("The message was too big
        // for these recipients" / "(their server's limit is 25 MB):").
        let mut heading = line.to_string();
        for k in (j.saturating_sub(MAX_HEADING_LINES)..j).rev() {
            let above = lines.get(k)?.trim();
            if above.is_empty() || crate::regions::opens_with_address(above) || is_rule(above) {
                break;
            }
            heading = format!("{above} {heading}");
        }
        return Some(heading);
    }
    None
}

/// A line ending a sentence and naming no address: a reason stated on
/// its own line.
fn is_statement(line: &str) -> bool {
    line.ends_with(['.', '。']) && !line.contains('@')
}

/// Whether the statement on line `j` is the reason of the address above
/// it rather than of the one below: going up, addresses alone and
/// statements alternate (blank lines between), and the first of them is
/// an address ("… to the following addresses:" / "<a@x>" / "Reason: 550
/// … spam." / "<b@y>" / "Reason: 554 … expired"): each address has its
/// reason below it. Where a statement comes first ("The user(s) account is
/// disabled." / "<a@x>"), each reason stands above its address.
fn reason_below_its_address(lines: &[&str], j: usize) -> bool {
    let mut top_is_address = false;
    let mut expect_address = true;
    let mut k = j;
    for _ in 0..MAX_LIST_ITEMS {
        let Some(above) = (0..k)
            .rev()
            .find(|&i| lines.get(i).is_some_and(|l| !l.trim().is_empty()))
        else {
            break;
        };
        let line = lines.get(above).map_or("", |l| l.trim());
        let fits = if expect_address {
            crate::regions::opens_with_address(line) && alone_on_line(line)
        } else {
            is_statement(line)
        };
        if !fits {
            break;
        }
        top_is_address = expect_address;
        expect_address = !expect_address;
        k = above;
    }
    top_is_address
}

/// How many lines above its last one a list's heading may begin.
const MAX_HEADING_LINES: usize = 3;

/// How far above its item a list's heading is looked for.
const MAX_LIST_ITEMS: usize = 30;

/// The error below a group of recipients that share it (Exim lists them
/// one a line, then the error indented below the last: "  a@x" / "  b@y" /
/// "      host mx.x [192.0.2.1]: 550 …"; a gateway writes "  - all refused
/// with:" below its list), for the address alone on line `at`: the other
/// addresses alone at its indent are skipped, and the paragraph right
/// below them (no blank line between) is returned.
pub fn shared_below(
    lines: &[&str],
    indents: &[usize],
    at: usize,
    addr_lines: &[usize],
) -> Option<String> {
    let indent = *indents.get(at)?;
    let mut k = at + 1;
    while k - at <= MAX_SHARED_GROUP
        && indents.get(k) == Some(&indent)
        && lines.get(k).is_some_and(|l| alone_on_line(l))
    {
        k += 1;
    }
    // Sendmail's "(reason: …)" stands under the one address it is about
    // ("<a@x>" / "<b@y>" / "    (reason: 552 …)": b's alone).
    let own_reason = |l: &str| starts_with_ci(l.trim_start(), "(reason:");
    // Nor is the next recipient's own line ("c@z  (host not found)").
    (k > at + 1
        && addr_lines.binary_search(&k).is_err()
        && lines
            .get(k)
            .is_some_and(|l| !l.trim().is_empty() && !own_reason(l)))
    .then(|| paragraph(lines, k, addr_lines).0)
}

/// How many recipients one shared error may follow.
const MAX_SHARED_GROUP: usize = 50;

/// A recipient's line in a report listing the ones reached too ("b@y  250
/// 2.0.0 Ok: queued as …", "b@y  2.0.0  yes"): a short paragraph stating
/// a success and no failure.
pub fn reached_line(para: &str) -> bool {
    para.len() <= MAX_SUCCESS_LINE && crate::codes::states_success(para)
}

/// The longest paragraph read as a reached recipient's line.
const MAX_SUCCESS_LINE: usize = 400;

/// How many recipients one line may hold, each with a part of its own.
const MAX_OWN_PARTS: usize = 16;

/// The part of `line` that is `addr`'s own when `others` stand on it too:
/// from the end of `addr` to the next of them, when that part says more
/// than separators (`a@x, b@y: 550 …` shares one reason). Whether `addr`
/// is the line's last recipient comes second.
pub fn own_part(line: &str, addr: &str, others: &[&str]) -> Option<(String, bool)> {
    // A line of many addresses is a list sharing one statement: reading it
    // again for each would cost the square of its length.
    if others.is_empty() || others.len() >= MAX_OWN_PARTS {
        return None;
    }
    let found = crate::text::find_addresses(line);
    let canon = |f: &crate::text::Found<'_>| crate::text::canonical(f.addr);
    let me = found.iter().find(|f| canon(f) == addr)?;
    let next = found
        .iter()
        .filter(|f| f.start > me.start && others.contains(&canon(f).as_str()))
        .map(|f| f.start)
        .min();
    let part = line.get(me.end..next.unwrap_or(line.len()))?;
    let words = part.trim_matches(|c: char| !c.is_alphanumeric());
    (words.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .then(|| (format!("{addr}{part}"), next.is_none()))
}

/// A server's one reply for several recipients, each with its reason after
/// its address and a colon (Barracuda: "550 permanent failure for one or
/// more recipients (a@x:blocked,b@y:550 5.1.1 <b@y>... User unknown)"):
/// `addr`'s reason, which the reply's other parts are not.
pub fn reply_share(diag: &str, addr: &str) -> Option<String> {
    let found = crate::text::find_addresses(diag);
    let canon = |f: &crate::text::Found<'_>| crate::text::canonical(f.addr);
    let me = found.iter().find(|f| canon(f) == addr)?;
    if diag.as_bytes().get(me.end) != Some(&b':') {
        return None;
    }
    let others: Vec<String> = found.iter().map(canon).filter(|a| a != addr).collect();
    // Another recipient's share too, likewise marked.
    let paired = found
        .iter()
        .any(|f| canon(f) != addr && diag.as_bytes().get(f.end) == Some(&b':'));
    if !paired {
        return None;
    }
    let others: Vec<&str> = others.iter().map(String::as_str).collect();
    own_part(diag, addr, &others).map(|(part, _)| part)
}

/// The recipient's paragraph is a start statement and its address only
/// ("无法发送到 a@x", QQ Mail's heading over its "退信原因" row; "Unable to
/// send to a@x"): it names no cause, and the reason follows it.
pub fn bare_start(para: &str, addr: &str, markers: &crate::markers::Markers) -> bool {
    let lower = para.to_lowercase();
    let rest = lower.replacen(addr, " ", 1);
    let rest = rest.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | ':' | '：' | '.' | ',' | '"' | '\'')
    });
    !rest.is_empty() && markers.start.iter().any(|p| p.as_str() == rest)
}

#[cfg(test)]
mod tests {
    use super::{meaningful, reply_share};

    #[test]
    fn each_recipients_share_of_one_reply() {
        let d = "550 permanent failure for one or more recipients (a@x.example:blocked,\
                 b@y.example:550 5.1.1 <b@y.example>... User unknown)";
        assert_eq!(
            reply_share(d, "a@x.example").as_deref(),
            Some("a@x.example:blocked,")
        );
        let b = reply_share(d, "b@y.example").unwrap_or_default();
        assert!(b.contains("User unknown") && !b.contains("blocked"), "{b}");
        // One recipient's reply quoting itself: no shares.
        assert_eq!(
            reply_share("550 5.1.1 <a@x.example>: User unknown", "a@x.example"),
            None
        );
        assert_eq!(
            reply_share("550 a@x.example: unknown, cc b@y.example", "a@x.example"),
            None
        );
    }

    #[test]
    fn a_cause_in_a_few_ideographs_is_meaningful() {
        assert!(meaningful("宛先不明：a@x.example", "a@x.example"));
        assert!(meaningful("User unknown: a@x.example", "a@x.example"));
        assert!(!meaningful("不明：a@x.example", "a@x.example"));
        assert!(!meaningful("<a@x.example>: (x)", "a@x.example"));
    }
}
