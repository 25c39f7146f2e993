//! What the text around an address says about it, for the non-standard
//! reader (`nonstd`): a sender's or contact's prefix, a failed recipient's
//! position, an example in advice, a placeholder, a pasted log line. Kept
//! apart from the reader so each rule is one predicate with its own test.

use crate::markers::Markers;

/// The text right before an address ends in a `[sender-prefix]` marker
/// ("from:", "please contact", "e.g."): the address is a sender, a
/// contact or an example, not a failed recipient.
pub fn is_sender_context(prefix: &str, markers: &Markers) -> bool {
    let p = prefix.trim_end_matches([' ', '\t', '<', '"', '\'', '(', '[']);
    markers
        .sender_prefix
        .ending(p)
        .any(|s| ends_with_word(p, s))
}

/// A line that lists addresses after a sender's or a reached list's lead-in
/// and runs on to the next line ("Your message did reach a@x and" / "b@y";
/// "reached most of its recipients: a@x," / "b@y and c@z"): an address
/// opening the next line is one more of that list. `line`: lower case.
pub fn continues_sender_list(line: &str, markers: &Markers) -> bool {
    let t = line.trim_end();
    let runs_on = t.ends_with(',') || t.ends_with(" and") || t.ends_with(" or");
    let found = crate::text::find_addresses(t);
    let Some(first) = found.first().filter(|_| runs_on) else {
        return false;
    };
    // Between and after the addresses, only separators and conjunctions.
    let separators = |gap: &str| {
        gap.split(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '>' | ';'))
            .all(|w| w.is_empty() || matches!(w, "and" | "or" | "und" | "et" | "y" | "e"))
    };
    let mut gaps = found
        .windows(2)
        .map(|pair| match pair {
            [a, b] => t.get(a.end..b.start).unwrap_or("x"),
            _ => "",
        })
        .chain(found.last().map(|f| t.get(f.end..).unwrap_or("x")));
    let listed_only = gaps.all(separators);
    listed_only && is_sender_context(t.get(..first.start).unwrap_or(""), markers)
}

/// The line opens with a sender's field label ("From: Perry E. Metzger <",
/// "> *From:* Crispin Cowan [mailto:", "| Reply-To: "): the quoted or
/// forwarded message's header names its sender, a display name between
/// the label and the address. `prefix` is the lower-case line up to the
/// address.
pub fn is_sender_field(prefix: &str, markers: &Markers) -> bool {
    let p = prefix.trim_start_matches(['>', '|', '*', ' ', '\t']);
    // (A byte search for the ASCII colon; the full-width one only in
    // text that has other than ASCII.)
    let Some(colon) = p
        .find(':')
        .or_else(|| (!p.is_ascii()).then(|| p.find('：')).flatten())
    else {
        return false;
    };
    // A label is a word or two, not a sentence; "*From:*" renders rich
    // text, and French typography puts a space before the colon ("De : …").
    let label = p.get(..colon).unwrap_or("").trim_start_matches('*').trim();
    label.len() <= 16
        && label.split_whitespace().count() <= 2
        && markers.sender_prefix.iter().any(|s| {
            s.strip_suffix([':', '：'])
                .is_some_and(|name| !name.is_empty() && name == label)
        })
        // One address a field: "From: a@x, b@y" is a list, said otherwise.
        && !p.get(colon..).unwrap_or("").contains('@')
}

/// The address ends a contact sentence: the clause before it ("For
/// assistance, contact the help desk at", "If you have questions, please
/// get in touch with") holds a `[contact-word]`, followed by at most six
/// words, none of them a `[contact-blocker]` ("about the delivery to"
/// makes the address the subject of the sentence again), the last a
/// `[contact-join]` ("at", "to", "via") or the contact word itself
/// ("For help, contact:"). Providers put such a line under every report;
/// the address is a help desk, not a failed recipient.
pub fn is_contact_context(prefix: &str, markers: &Markers) -> bool {
    // The clause: what follows the last sentence end on the line, and of it
    // no more than the contact phrase and six words can hold.
    let mut from = prefix.len().saturating_sub(CONTACT_TAIL_BYTES);
    while !prefix.is_char_boundary(from) {
        from += 1;
    }
    let tail = prefix.get(from..).unwrap_or("");
    // Cheap exit, the common case: no contact word at all.
    if !crate::markers::any_in(&markers.contact_word, tail) {
        return false;
    }
    let clause = [". ", "! ", "? ", "; "]
        .iter()
        .filter_map(|end| tail.rfind(end).map(|at| at + end.len()))
        .max()
        .and_then(|at| tail.get(at..))
        .unwrap_or(tail);
    let words: Vec<&str> = clause
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '(' | '"' | '[' | '*'))
        .map(|w| w.trim_end_matches([':', '\'', '：', '　']))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(last) = words.last() else {
        return false;
    };
    // Scripts without spaces: the phrase ends the word before the address
    // ("お問い合わせ先：").
    if markers
        .contact_word
        .iter()
        .any(|p| !p.is_ascii() && last.ends_with(p.as_str()))
    {
        return true;
    }
    let joined = words.join(" ");
    // Where the last contact phrase ends, in words from the clause's end.
    let after = markers
        .contact_word
        .iter()
        .filter_map(|p| {
            let mut from = 0;
            let mut best = None;
            while let Some(at) = joined.get(from..).and_then(|rest| rest.find(p.as_str())) {
                let start = from + at;
                let end = start + p.len();
                let bounded = (start == 0 || joined.as_bytes().get(start - 1) == Some(&b' '))
                    && joined.as_bytes().get(end).is_none_or(|&b| b == b' ');
                if bounded {
                    best = Some(end);
                }
                from = end;
            }
            best
        })
        .max()
        .map(|end| {
            joined
                .get(end..)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
        });
    let Some(after) = after else {
        return false;
    };
    after.len() <= 6
        && !after
            .iter()
            .any(|w| markers.contact_blocker.iter().any(|b| b == w))
        && (after.is_empty()
            || clause.trim_end().ends_with(':')
            // The contact's address in brackets after its name ("please
            // ask the school office (a@x)").
            || clause.trim_end().ends_with('(')
            || markers.contact_join.iter().any(|j| j == last))
}

/// A reply's attribution line ("On Fri, 13 Sep 2002, carlo@x wrote:", "Op
/// … schreef Ellen (ellen@x):"): it ends in a colon and holds an
/// `[attribution]` verb as a whole word. `low` is the lower-case line.
/// The address there wrote what is quoted below it.
pub fn is_attribution(low: &str, markers: &Markers) -> bool {
    let t = low.trim_end();
    if !(t.ends_with(':') || t.ends_with('：')) || t.len() > 300 {
        return false;
    }
    let Some(ac) = markers.attribution.automaton() else {
        return false;
    };
    ac.find_overlapping_iter(t).any(|hit| {
        let verb = t.get(hit.range()).unwrap_or("");
        let before = t.get(..hit.start()).and_then(|b| b.chars().next_back());
        let after = t.get(hit.end()..).and_then(|a| a.chars().next());
        // Scripts without spaces (写道) need no word boundary.
        verb.chars().all(|c| u32::from(c) >= 0x3000)
            || before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A team's signature line: a display name holding a `[team-word]` ("The
/// Mail Team", "Customer Care", at most six words, no label colon) right
/// before the address, and nothing but closing brackets after it. `prefix`
/// is the lower-case line up to the address.
pub fn is_team_signature(prefix: &str, rest: &str, markers: &Markers) -> bool {
    if !rest.trim_matches(['>', ' ', '\t', '\u{3000}']).is_empty() {
        return false;
    }
    let name = prefix
        .trim_end_matches(['<', '"', ' ', '\t', '\u{3000}'])
        .trim_start();
    let name = name.trim_start_matches(['"', '-', '*', ' ']);
    if name.is_empty() || name.ends_with(':') || name.contains(['@', ':']) {
        return false;
    }
    // At most six words, kept without allocating (this runs for every
    // address with text before it and nothing after it).
    let mut words = [""; 6];
    let mut n = 0;
    for w in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let Some(slot) = words.get_mut(n) else {
            return false;
        };
        *slot = w;
        n += 1;
    }
    let words = words.get(..n).unwrap_or(&[]);
    markers.team_word.iter().any(|t| {
        if !t.is_ascii() {
            return name.contains(t.as_str());
        }
        let k = t.split(' ').count();
        words
            .windows(k)
            .any(|win| win.iter().zip(t.split(' ')).all(|(a, b)| *a == b))
    })
}

/// The text right after an address (`rest`) makes it a contact: Japanese
/// puts the verb after it ("support@… までお問い合わせください").
pub fn is_contact_suffix(rest: &str, markers: &Markers) -> bool {
    let r = rest.trim_start_matches(['>', ')', ']', ' ', '　', '\t']);
    markers
        .contact_suffix
        .iter()
        .any(|s| r.starts_with(s.as_str()))
}

/// How far back from an address a contact sentence is read: its longest
/// phrase and six words fit.
const CONTACT_TAIL_BYTES: usize = 120;

/// A typographic bullet of a rich-text rendering ("• a@x", "→ a@x"): a
/// list mark like `*` and `-`.
pub fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '·' | '◦' | '▪' | '‣' | '→' | '–' | '—' | '►' | '■' | '□' | '○' | '●'
    )
}

/// The address stands where failed recipients stand: alone on its line
/// (after list bullets or numbering), or after a `[recipient-prefix]`
/// marker ("RCPT TO:", "Final-Recipient:").
pub fn is_strong_position(prefix: &str, markers: &Markers) -> bool {
    let p = prefix.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '"' | '\'' | '*' | '-' | '>' | '[' | '(' | ':' | '#'
            )
            || is_bullet(c)
    });
    if p.is_empty()
        || p.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
    {
        return true;
    }
    let p = prefix.trim_end_matches([' ', '\t', '<', '"', '\'', '　']);
    // A full-width colon ending the prefix ("收件人：", "宛先：") is the
    // ASCII one.
    let folded;
    let p = match p.strip_suffix('：') {
        Some(head) => {
            folded = format!("{head}:");
            folded.as_str()
        }
        None => p,
    };
    p.trim_start().eq_ignore_ascii_case("to:")
        || numbered_recipient(p)
        || markers
            .recipient_prefix
            .ending(p)
            .any(|s| ends_with_word(p, s))
}

/// A prefix ending "Recipient 1 of 3" (the dash after it trimmed): a
/// report telling each recipient in its own numbered paragraph.
fn numbered_recipient(p: &str) -> bool {
    let p = p.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | ':'));
    let words: Vec<&str> = p.split_whitespace().collect();
    let number = |w: &&str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    matches!(
        words.as_slice(),
        [.., r, n, of, m]
            if r.eq_ignore_ascii_case("recipient") && number(n) && *of == "of" && number(m)
    )
}

/// The address ends a line that a cause labels ("Mailbox full: a@x", "User
/// unknown: <a@x>", "宛先不明：a@x"): the mirror of Postfix's and
/// OpenSMTPD's "<a@x>: reason" line, written by IMail, Courier's and many
/// list managers' summaries, one line per recipient, each with its own cause.
/// The label is short, ends in a colon (or "for": "Forwarding failed for
/// a@x"), holds no other field ("Subject:
/// mailbox full: a@x" is a quoted header) and names a cause in words
/// (`Classifier::names_cause`), not mere refusal ("Rejected: a@x").
pub fn is_cause_label(prefix: &str, rest: &str) -> bool {
    let before = prefix.trim_end_matches([' ', '\t', '<', '"', '\u{3000}']);
    // (IMail also writes "Forwarding failed for a@x".)
    let Some(label) = before
        .strip_suffix(':')
        .or_else(|| before.strip_suffix('\u{ff1a}'))
        .or_else(|| before.strip_suffix(" for"))
    else {
        return false;
    };
    let label = label.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '-');
    // A server's reply before the address ("554 5.7.1 Rejected by policy,
    // sender domain … is listed on a local blocklist: <a@x>", MDaemon) is
    // as long as the reply is.
    let reply = crate::codes::reply_stated_in_line(label, false);
    let (max_len, max_words) = if reply { (240, 40) } else { (48, 6) };
    // A label quoting its reason (IMail: "Bad Destination Host 'DNS Hard
    // Error looking up b.example (MX): NXDomain' : a@x"): the words outside
    // the quotes are the label's.
    let quoted = unquoted(label);
    let core = quoted.as_deref().unwrap_or(label);
    rest.trim_start_matches(['>', '"'])
        .trim_end()
        .trim_end_matches(['.', ',', ';', ')'])
        .is_empty()
        && !core.trim().is_empty()
        && core.len() <= max_len
        && label.len() <= 240
        && !core.contains([':', '@', '<', '>'])
        && !label.contains(['@', '<', '>'])
        && core.split_whitespace().count() <= max_words
        && crate::classifier::Classifier::builtin().names_cause(label)
}

/// `label` without the one quoted span it ends in (`Host 'reason'`), or
/// `None` where it quotes nothing.
fn unquoted(label: &str) -> Option<String> {
    let t = label.trim_end();
    let q = t.chars().next_back().filter(|c| matches!(c, '\'' | '"'))?;
    let open = t.get(..t.len() - 1)?.find(q)?;
    (open + 1 < t.len() - 1).then(|| t.get(..open).unwrap_or("").to_string())
}

/// `text` ends with `marker`, which starts a word there: "to:" ends "RCPT
/// TO:" but not "mailto:" (a link's scheme, before a help desk's address).
pub(crate) fn ends_with_word(text: &str, marker: &str) -> bool {
    // The last bytes first: most markers end otherwise, and this is asked
    // of every marker for every address.
    if text.as_bytes().last() != marker.as_bytes().last() {
        return false;
    }
    let Some(before) = text.strip_suffix(marker) else {
        return false;
    };
    before
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() || !marker.starts_with(char::is_alphanumeric))
}

/// The address is part of a link ("https://help.example/lookup?ref=a@x",
/// "www.example/u/a@x"): the word it ends holds a scheme or starts with
/// `www.`. A page's parameter, not a failed recipient.
pub fn in_url(prefix: &str) -> bool {
    let word = prefix.rsplit(char::is_whitespace).next().unwrap_or("");
    let word = word.trim_start_matches(['<', '(', '[', '"', '\'']);
    word.contains("://") || word.starts_with("www.")
}

/// The address is the target of a `mailto:` link shown under a name among
/// a page's other links ("Help Center <https://…> | Postmaster
/// <mailto:mail-ops@…>"): a contact. Exchange writes a failed recipient's
/// link under its display name on a line of its own ("Neko<mailto:a@x>"
/// below "Delivery has failed to these recipients"), and Outlook after the
/// address itself ("a@x<mailto:a@x>"): those stay.
pub fn is_named_mailto(prefix: &str) -> bool {
    let Some(before) = prefix.strip_suffix("mailto:") else {
        return false;
    };
    let before = before.trim_end_matches(['<', '(', '[', '"', ' ', '\t']);
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    !last.contains('@') && before.contains(['|', '/', ',', ';'])
}

/// A syslog line (`Sep  4 09:12:07 mx1 postfix/smtpd[4411]: reject: …`):
/// a mail system's report never holds one, a person pasting a log does, and
/// its `to=<addr>` is the log's, not a failure this message reports.
pub fn is_syslog_line(line: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ",
        "Dec ",
    ];
    let b = line.trim_start().as_bytes();
    let (Some(month), Some(day), Some(time), Some(rest)) =
        (b.get(..4), b.get(4..6), b.get(6..15), b.get(15..))
    else {
        return false;
    };
    let digit = |c: &u8| c.is_ascii_digit();
    MONTHS
        .iter()
        .any(|m| m.as_bytes().eq_ignore_ascii_case(month))
        && (day[0] == b' ' || digit(&day[0]))
        && digit(&day[1])
        && time[0] == b' '
        && time[1..].iter().enumerate().all(|(k, c)| if k == 2 || k == 5 { *c == b':' } else { digit(c) })
        && rest.first() == Some(&b' ')
        // host, then `program[pid]:` or `program:`
        && rest
            .split(|&c| c == b' ')
            .nth(2)
            .is_some_and(|prog| prog.ends_with(b":") && prog.len() > 1)
}

/// A log entry's fields on a line of their own (a pasted syslog line
/// wrapped before them: "from=<a@x> to=<b@y> proto=ESMTP helo=<mail>"):
/// a `to=<…>` beside another of the MTA log's fields. A report's template
/// writes no such fields; the address is the log's. `low`: the line in
/// lower case.
pub fn is_log_fields_line(low: &str) -> bool {
    const FIELDS: [&str; 8] = [
        "from=<", "relay=", "proto=", "status=", "helo=", "delay=", "stat=", "ctladdr=",
    ];
    let low = low.trim_start();
    (low.starts_with("to=<") || low.contains(" to=<")) && FIELDS.iter().any(|f| low.contains(f))
}

/// A program's `NAME=value` line (an environment printed by a failed pipe,
/// `RECIPIENT=a@x`, `SENDER=b@y`): the value is a variable's, no recipient
/// the report lists. The name is capitals and underscores, three or more
/// (an SRS address, `SRS0=…@fwd`, is no such line).
pub fn is_assignment_line(line: &str) -> bool {
    let t = line.trim();
    // Most lines start otherwise: one byte decides.
    if !t.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let Some(eq) = memchr::memchr(b'=', t.as_bytes()) else {
        return false;
    };
    let (Some(name), Some(value)) = (t.get(..eq), t.get(eq + 1..)) else {
        return false;
    };
    name.len() >= 3
        && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        && !value.is_empty()
        && !value.contains(char::is_whitespace)
}

/// A help text's placeholder (`finger NAME@directory.example.edu`): a
/// capitalised word for a local part under a lower-case domain. Systems
/// that upper-case addresses (VM, Notes) upper-case the domain too.
pub fn is_placeholder(addr: &str) -> bool {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return false;
    };
    let upper = local.len() >= 3
        && local
            .bytes()
            .all(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-' | b'.'))
        && domain.bytes().any(|b| b.is_ascii_lowercase());
    // A word standing for any name, or a domain written as a product's
    // name ("J.SMITH@ABC.CompuServe.com" in CompuServe's help): an
    // example. An upper-case mailbox under a lower-case domain (Delphi's
    // "MBURKE@delphi.com": PMDF upper-cases the local part only) is a
    // recipient.
    let placeholder_word = |w: &str| PLACEHOLDER_WORDS.iter().any(|p| p.eq_ignore_ascii_case(w));
    let product_domain = domain.bytes().any(|b| b.is_ascii_uppercase());
    // Or made of such words alone under a domain written as a product's
    // name ("name@organization.CompuServe.com", X.400's
    // "/s=surname/g=givenname/@prmd.X400.CompuServe.com").
    let parts = || {
        local
            .split(['_', '-', '.', '/', '='])
            .filter(|w| !w.is_empty())
    };
    // A text written all in capitals loses the case that marks a
    // placeholder: there, a local part that is a word standing for a
    // name and never a mailbox's ("ADDRESS@GENIE.GEIS.COM",
    // "NAME@YALE.EDU") is still one; "USER@" and "RECIPIENT@" are
    // example domains' real mailboxes.
    let shouted = !addr.bytes().any(|b| b.is_ascii_lowercase())
        && SHOUTED_PLACEHOLDERS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(local));
    upper && (product_domain || parts().any(placeholder_word))
        || shouted
        || product_domain
            && domain.bytes().any(|b| b.is_ascii_lowercase())
            && parts().any(placeholder_word)
            && parts().all(|w| w.len() == 1 || placeholder_word(w))
}

/// Local parts that stand for a name even in capitals.
const SHOUTED_PLACEHOLDERS: &[&str] = &["name", "address", "yourname", "loginname", "userid"];

/// Words a help text writes for a mailbox's name.
const PLACEHOLDER_WORDS: &[&str] = &[
    "name",
    "names",
    "user",
    "username",
    "userid",
    "user-id",
    "address",
    "addr",
    "yourname",
    "your",
    "login",
    "loginname",
    "logon",
    "id",
    "account",
    "mailbox",
    "email",
    "mail",
    "you",
    "nickname",
    "person",
    "someone",
    "somebody",
    "recipient",
    "first",
    "last",
    "firstname",
    "lastname",
    "surname",
    "givenname",
    "initial",
    "initials",
    "xxx",
    "xxxx",
    "xxxxx",
    "abc",
    "alias",
    "handle",
    "member",
    "memberid",
    "screenname",
    "number",
];

/// Whether `norm[start..end]` lies inside an e-mail address
/// (`<dmarc@reports.example>`): a run of address characters holding `@`.
/// Anything else ends the run (`(jd@x.example:blocked)` says "blocked").
pub(crate) fn inside_address(norm: &str, start: usize, end: usize) -> bool {
    let in_address =
        |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '@' | '=');
    let (Some(before), Some(matched), Some(after)) =
        (norm.get(..start), norm.get(start..end), norm.get(end..))
    else {
        return false;
    };
    if !matched.chars().all(in_address) {
        return false;
    }
    let head = before.rsplit(|c: char| !in_address(c)).next().unwrap_or("");
    let tail = after.split(|c: char| !in_address(c)).next().unwrap_or("");
    head.contains('@') || tail.contains('@') || matched.contains('@')
}

#[cfg(test)]
#[path = "address_context_tests.rs"]
mod tests;
