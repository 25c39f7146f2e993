//! The lines above a recipient's line that are its own: the error a layout
//! gives before its recipient, a sentence wrapped before the address, a list
//! item begun above it, an alias's expansion, the paragraph above naming it
//! with a reply code. Read on below instead, a recipient would take the next
//! one's error.

use crate::paragraph::{has_code, is_rule, MAX_PARAGRAPH_BYTES, MAX_PARAGRAPH_LINES};

/// The lines right above line `at` in its own block (no blank line and no
/// other recipient's line between), from its first line, when they quote a
/// reply code: a layout that gives the error before the recipient
/// ("Error: 550 5.1.1 …" / "Recipient: a@x", a blank line, the next pair).
/// Read on below, such a recipient would take the next pair's error. A
/// block longer than a paragraph is not a recipient's own.
pub fn block_above(lines: &[&str], at: usize, addr_lines: &[usize]) -> Option<(String, usize)> {
    let (text, start) = own_lines_above(lines, at, addr_lines)?;
    has_code(&text).then_some((text, start))
}

/// The lines right above line `at` in its own block, joined, and where
/// they start: up to a blank line or a rule ("-----" parts blocks as a
/// blank line does: @nifty's "■宛先" / "■理由" blocks between rules); none
/// when another recipient's line or more than a paragraph's lines stand
/// between.
fn own_lines_above(lines: &[&str], at: usize, addr_lines: &[usize]) -> Option<(String, usize)> {
    let mut start = at;
    while let Some(j) = start.checked_sub(1) {
        if lines.get(j)?.trim().is_empty() || is_rule(lines.get(j)?) {
            break;
        }
        if addr_lines.binary_search(&j).is_ok() || at - j > MAX_PARAGRAPH_LINES {
            return None;
        }
        start = j;
    }
    Some((joined_lines(lines, start, at)?, start))
}

/// Lines `from..to`, trimmed and joined by spaces, to a paragraph's size.
fn joined_lines(lines: &[&str], from: usize, to: usize) -> Option<String> {
    let mut text = String::new();
    for line in lines.get(from..to)? {
        let room = MAX_PARAGRAPH_BYTES.saturating_sub(text.len());
        text.push_str(crate::text::clip(line.trim(), room));
        text.push(' ');
    }
    Some(text)
}

/// The most text standing before an address on its line for the line
/// above to run on into it ("to ", "your message to ").
const MAX_LEAD_BYTES: usize = 40;

/// The lines right above line `at` in its own block, as [`block_above`]
/// finds them, when the sentence they end runs on into line `at` as a
/// failure's "… to" (prose wrapped before the address: "Because the
/// recipient's storage is full, we could not deliver your message to" /
/// "a@x. The recipient must …"): the sentence's start is the recipient's
/// too. `failed` says whether lower-case text tells of a failed delivery.
pub fn sentence_above(
    lines: &[&str],
    at: usize,
    addr: &str,
    addr_lines: &[usize],
    failed: impl Fn(&str) -> bool,
) -> Option<(String, usize)> {
    // The sentence up to the address: the line above and what stands
    // before the address on its own line ("… it was not delivered" / "to
    // a@x").
    let here = lines.get(at)?.to_lowercase();
    let before = here.get(..here.find(addr)?)?.trim();
    if before.len() > MAX_LEAD_BYTES {
        return None;
    }
    let above = lines.get(at.checked_sub(1)?)?.trim_end().to_lowercase();
    let joined = format!("{above} {before}");
    let joined = joined.trim_end_matches([' ', '<', '"', '\'']);
    let ends_to = joined
        .strip_suffix("to")
        .is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace));
    if !ends_to || !failed(joined) {
        return None;
    }
    own_lines_above(lines, at, addr_lines)
}

/// The list item holding line `at` when it began above it ("- Nobody by
/// the name s.trent exists at Ashbury College" / "  (s.trent@x). Try …"):
/// the item's lines from its bullet, no blank line and no other
/// recipient's line between. The address line itself is no new item.
pub fn item_above(lines: &[&str], at: usize, addr_lines: &[usize]) -> Option<(String, usize)> {
    let opens_item = |l: &str| {
        let t = l.trim_start();
        t.starts_with(['-', '*', '•', '·', '‣', '▪'])
            && t.chars().nth(1).is_some_and(char::is_whitespace)
            || t.split_once(['.', ')']).is_some_and(|(n, rest)| {
                !n.is_empty()
                    && n.len() <= 3
                    && n.bytes().all(|b| b.is_ascii_digit())
                    && rest.starts_with(' ')
            })
    };
    if opens_item(lines.get(at)?) {
        return None;
    }
    let mut j = at;
    while let Some(k) = j.checked_sub(1) {
        let line = lines.get(k)?;
        if line.trim().is_empty() || addr_lines.binary_search(&k).is_ok() || at - k > 4 {
            return None;
        }
        j = k;
        if opens_item(line) {
            break;
        }
    }
    if !opens_item(lines.get(j)?) {
        return None;
    }
    Some((joined_lines(lines, j, at)?, j))
}

/// Sendmail's item for an alias's expansion that failed: the expanded
/// target (a file, a program or an address) unindented, its reason and
/// then the alias, indented below it ("/home/a/Mail/incoming" / "(reason:
/// Can't create output: Permission denied)" / "(expanded from: <a@x>)").
/// For the alias's line at `at`, the item's lines from its head; `None`
/// when the head is another recipient's line (that target's own failure).
pub fn expansion_above(lines: &[&str], at: usize, addr_lines: &[usize]) -> Option<String> {
    let line = lines.get(at)?.trim_start();
    if !line
        .get(..14)
        .is_some_and(|h| h.eq_ignore_ascii_case("(expanded from"))
    {
        return None;
    }
    let mut j = at;
    loop {
        j = j.checked_sub(1)?;
        let l = lines.get(j)?;
        if l.trim().is_empty() || at - j > 4 || addr_lines.binary_search(&j).is_ok() {
            return None;
        }
        if !l.starts_with(char::is_whitespace) {
            break;
        }
    }
    joined_lines(lines, j, at)
}

/// The paragraph ending right above line `at` (one blank line between), if
/// it names `addr` and carries a reply code.
pub fn paragraph_above(lines: &[&str], at: usize, addr: &str) -> Option<String> {
    let blank = |j: usize| lines.get(j).is_none_or(|l| l.trim().is_empty());
    let mut end = at.checked_sub(1)?;
    // Without the blank line, the lines above are the same block: in Exim's
    // list (`  a@x` / `    host …` / `    550 …` / `  b@y` / …) they are the
    // other recipients' paragraphs, whose codes are not this one's.
    if !blank(end) {
        return None;
    }
    while blank(end) {
        end = end.checked_sub(1)?;
        if at - end > 2 {
            return None;
        }
    }
    let mut start = end;
    while start > 0 && !blank(start - 1) && end - start < MAX_PARAGRAPH_LINES {
        start -= 1;
    }
    let mut text = String::new();
    for line in lines.get(start..=end)? {
        let room = MAX_PARAGRAPH_BYTES.saturating_sub(text.len());
        text.push_str(crate::text::clip(line, room));
        text.push(' ');
    }
    let text = text.trim_end().to_string();
    (text.to_ascii_lowercase().contains(addr) && has_code(&text)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::{block_above, expansion_above};

    #[test]
    fn the_block_above_stops_at_a_blank_line_and_at_another_recipient() {
        let lines = [
            "Heading",
            "",
            "Error: 550 5.1.1 unknown",
            "To: a@x.example",
            "To: b@x.example",
        ];
        let (text, from) = block_above(&lines, 3, &[3, 4]).unwrap();
        assert_eq!((text.trim(), from), ("Error: 550 5.1.1 unknown", 2));
        assert!(block_above(&lines, 4, &[3, 4]).is_none());
        // No reply code above: nothing to take.
        assert!(block_above(&["Delivery failed", "To: a@x.example"], 1, &[1]).is_none());
    }

    #[test]
    fn an_expansion_item_is_its_aliass() {
        let lines = [
            "/home/adams/Mail/incoming",
            "    (reason: Can't create output: Permission denied)",
            "    (expanded from: <prof.adams@campus.example>)",
            "<other@campus.example>",
        ];
        let item = expansion_above(&lines, 2, &[2, 3]).unwrap();
        assert_eq!(
            item.trim(),
            "/home/adams/Mail/incoming (reason: Can't create output: Permission denied)"
        );
        // Headed by another recipient's line: that one's failure.
        assert!(expansion_above(&lines, 2, &[0, 2, 3]).is_none());
        assert!(expansion_above(&lines, 3, &[2, 3]).is_none());
    }
}
