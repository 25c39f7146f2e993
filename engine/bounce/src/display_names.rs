//! A failed recipient the report lists by its display name only, its
//! address in the returned copy's `To:`/`Cc:` (Exchange 5.5–2003 lists a
//! directory entry so: "Stewart Penrose on 9/4/2002 11:26 AM" under "The
//! following recipient(s) could not be reached:"). The text names the
//! failure and the person, the copy the address; the copy's header alone
//! is never evidence (issue 18, item 1).

use mail_parser::{Address, MessageParser};

use crate::mime::View;
use crate::text::canonical;

/// The most words of a display name on its line.
const MAX_NAME_WORDS: usize = 4;

/// The one recipient of the returned copy whose display name a line of
/// `head` (the error block, lower case) lists: alone, or with Exchange's
/// " on <date>" after it. The name is the copy's display name for the
/// address, or matches its local part ("s.penrose", "spenrose",
/// "stewart_penrose" for "Stewart Penrose").
pub(crate) fn name_listed(view: &View, head: &str) -> Option<String> {
    let people = copy_people(view);
    if people.is_empty() {
        return None;
    }
    let mut found: Option<String> = None;
    for line in crate::text::lines(head) {
        let Some((name, dated)) = listed_name(line) else {
            continue;
        };
        for (addr, display) in &people {
            let same_name = display.as_deref().is_some_and(|d| same_words(d, &name));
            if !(same_name || dated && local_part_of(addr, &name)) {
                continue;
            }
            match &found {
                Some(f) if f != addr => return None,
                _ => found = Some(addr.clone()),
            }
        }
    }
    found
}

/// The copy's `To:` and `Cc:` recipients with their display names (lower
/// case), from every returned header block.
fn copy_people(view: &View) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for block in &view.original.headers {
        let Some(msg) = MessageParser::default().parse_headers(block.as_slice()) else {
            continue;
        };
        for field in [msg.to(), msg.cc()].into_iter().flatten() {
            let addrs: Vec<_> = match field {
                Address::List(list) => list.iter().collect(),
                Address::Group(groups) => groups.iter().flat_map(|g| g.addresses.iter()).collect(),
            };
            for a in addrs {
                let Some(addr) = a.address.as_deref().map(canonical) else {
                    continue;
                };
                if !out.iter().any(|(o, _)| *o == addr) {
                    out.push((addr, a.name.as_deref().map(str::to_lowercase)));
                }
            }
        }
    }
    out
}

/// The name a line lists: two to four words of letters (a dot after an
/// initial, a hyphen or apostrophe inside), alone or before " on " and a
/// date's digit (Exchange's form, `true`). "Last, First" is read as
/// written. A name alone on its line (a signature's, a greeting's) is
/// matched only to the copy's display name; Exchange's form also to a
/// local part.
fn listed_name(line: &str) -> Option<(Vec<String>, bool)> {
    let t = line.trim();
    let (name, dated) = match t.find(" on ") {
        Some(at) if t.get(at + 4..).is_some_and(starts_with_date) => (t.get(..at)?, true),
        _ => (t, false),
    };
    let words: Vec<String> = name
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_string())
        .collect();
    let wordlike = |w: &String| {
        w.starts_with(char::is_alphabetic)
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
    };
    ((2..=MAX_NAME_WORDS).contains(&words.len()) && words.iter().all(wordlike))
        .then_some((words, dated))
}

/// Whether `lines` (lower case) list a failed recipient by a dated
/// display name (Exchange's "Brian Kowalski on 3/15/1999 9:58 AM") that
/// none of `addrs` is the mailbox of. Exchange quotes the message's own
/// `To:` above that list ("Your message / To: list@x / … did not reach
/// the following recipient(s):"): with the returned copy cut off, that
/// field names a mailing list, not the person who failed.
pub(crate) fn lists_another_person(lines: &[&str], addrs: &[&String]) -> bool {
    lines.iter().any(|line| {
        listed_name(line)
            .is_some_and(|(name, dated)| dated && !addrs.iter().any(|a| local_part_of(a, &name)))
    })
}

/// A date as Exchange writes it after the name: "9/4/2002 11:26 AM", or
/// Exchange 5.5's "Mon, 15 Mar 1999 09:58:41 -0500".
pub(crate) fn starts_with_date(d: &str) -> bool {
    const DAYS: [&str; 7] = [
        "mon, ", "tue, ", "wed, ", "thu, ", "fri, ", "sat, ", "sun, ",
    ];
    let d = DAYS
        .iter()
        .find(|w| crate::text::starts_with_ci(d, w))
        .and_then(|w| d.get(w.len()..))
        .unwrap_or(d);
    d.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a display name holds the same words as `name`, in any order
/// ("Penrose, Stewart").
fn same_words(display: &str, name: &[String]) -> bool {
    let mut d: Vec<&str> = display
        .split([' ', ',', '"', '\''])
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut n: Vec<&str> = name.iter().map(String::as_str).collect();
    d.sort_unstable();
    n.sort_unstable();
    d == n
}

/// Whether `addr`'s local part is made of `name`'s words: each of its
/// parts ("s.penrose", "stewart_penrose") a different word or that word's
/// initial, one of them a whole word of three letters or more; or, in one
/// piece, a first word (or its initial) and a last word run together
/// ("spenrose", "stewartp", "penroses").
fn local_part_of(addr: &str, name: &[String]) -> bool {
    let local = addr.split('@').next().unwrap_or("");
    let parts: Vec<&str> = local
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        let mut used = vec![false; name.len()];
        let mut whole = false;
        for p in &parts {
            let at = name.iter().enumerate().position(|(i, w)| {
                !used.get(i).copied().unwrap_or(true)
                    && (w == p || p.chars().count() == 1 && w.starts_with(p))
            });
            let Some(i) = at else {
                return false;
            };
            whole |= name
                .get(i)
                .is_some_and(|w| w == p && w.chars().count() >= 3);
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
        }
        return whole;
    }
    let (Some(first), Some(last)) = (name.first(), name.last()) else {
        return false;
    };
    let initial = |w: &str| w.chars().next().map(String::from).unwrap_or_default();
    local.chars().count() >= 5
        && [
            format!("{first}{last}"),
            format!("{}{last}", initial(first)),
            format!("{first}{}", initial(last)),
            format!("{last}{first}"),
            format!("{last}{}", initial(first)),
        ]
        .iter()
        .any(|c| c == local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Vec<String> {
        listed_name(s).map(|(n, _)| n).unwrap_or_default()
    }

    #[test]
    fn a_dated_name_that_is_none_of_the_quoted_addresses() {
        let lines = [
            "did not reach the following recipient(s):",
            "brian kowalski on mon, 15 mar 1999 09:58:41 -0500",
        ];
        let list = "woodworking@lists.example.org".to_string();
        let own = "bkowalski@hartwell.example".to_string();
        assert!(lists_another_person(&lines, &[&list]));
        assert!(!lists_another_person(&lines, &[&own]));
        assert!(!lists_another_person(&lines[..1], &[&list]));
    }

    #[test]
    fn names_on_their_lines() {
        assert_eq!(
            listed_name("      stewart penrose on 9/4/2002 11:26 am"),
            Some((vec!["stewart".to_string(), "penrose".to_string()], true))
        );
        assert_eq!(name("penrose, stewart"), ["penrose", "stewart"]);
        assert_eq!(name("mary-jo o'neil"), ["mary-jo", "o'neil"]);
        // Sentences, labels and single words are no names.
        assert!(listed_name("the following recipient(s) could not be reached:").is_none());
        assert!(listed_name("subject: revised plans").is_none());
        assert!(listed_name("postmaster").is_none());
        assert!(listed_name("your message did not reach some or all of them").is_none());
    }

    #[test]
    fn local_parts_made_of_names() {
        let n = name("stewart penrose");
        for local in [
            "s.penrose",
            "stewart.penrose",
            "penrose.s",
            "spenrose",
            "stewart_penrose",
        ] {
            assert!(local_part_of(&format!("{local}@x.example"), &n), "{local}");
        }
        for local in ["sales", "s.p", "penrose.team", "stewart", "info.penrose"] {
            assert!(!local_part_of(&format!("{local}@x.example"), &n), "{local}");
        }
        assert!(same_words("penrose, stewart", &n));
        assert!(!same_words("stewart penrose jr", &n));
    }
}
