//! A recipient's place in prose: the sentence around an address in a
//! report's running text. A failure told of it ("delivery to a@x failed",
//! "We couldn't find anyone called a@x", "a@x is full", "a@x 宛のメールは…
//! 届きませんでした"), a delivery told of it ("(b@y) went through fine"), and
//! whether a line opening with an address goes on with the sentence of the
//! line above. Read by `positions` for each address that no layout places.

use crate::markers::{any_in, Markers};

/// Line `above` (at indent `above_indent`) stops inside a sentence that a
/// line at `indent` continues: its last word is no label's (no colon, no
/// sentence's end), it names no address (a list of them runs on with its
/// separators) and the line below is not an item of lesser indent (Exim's
/// next recipient below the last one's reason).
pub(crate) fn runs_into(above: &str, above_indent: Option<usize>, indent: usize) -> bool {
    let t = above.trim_end();
    above_indent.is_none_or(|a| a <= indent)
        && t.ends_with(|c: char| c.is_alphanumeric() || c == ',')
        && !t.contains('@')
        // (Scripts without spaces: a line of words.)
        && (t.split_whitespace().count() >= 3 || !t.is_ascii() && t.chars().count() >= 8)
}

/// The text after an address goes on with the sentence: words, or the
/// punctuation that ends or continues one ("a@x, without any trouble.",
/// "a@x zu erreichen.", "a@x?"), not nothing (an item alone on its line).
pub(crate) fn goes_on(rest: &str) -> bool {
    let r = rest.trim_start_matches(['>', '"', ')', '\'']).trim();
    r.starts_with([',', '.', '?', '!', ';']) || r.chars().any(char::is_alphabetic)
}

/// Words opening the text right after an address that tell its delivery
/// failed ("delivery to a@x failed because …").
const FAILED_AFTER: &[&str] = &[
    "failed",
    "has failed",
    "could not be completed",
    "could not be delivered",
    "couldn't be delivered",
    "cannot be delivered",
    "can't be delivered",
    "was not delivered",
    "wasn't delivered",
    "is undeliverable",
    "was undeliverable",
    "was not possible",
    "was unsuccessful",
    "was refused",
    "was rejected",
    "is being refused",
    "are being refused",
    "were refused",
    "could not accept",
    "cannot accept",
    "bounced",
    "n'a pas pu être remis",
    "n'a pas pu être distribué",
    "no pudo ser entregado",
    "no se pudo entregar",
    "non è stato consegnato",
    "non è stato recapitato",
    "konnte nicht zugestellt werden",
    "ist fehlgeschlagen",
    "não pôde ser entregue",
    "não foi entregue",
    "nao pode ser entregue",
    "no ha podido ser entregado",
    "kon niet worden afgeleverd",
    "kon niet worden bezorgd",
    "is niet afgeleverd",
    "nie mogła zostać dostarczona",
    "nie została dostarczona",
    "не может быть доставлено",
    "не было доставлено",
    "не доставлено",
];

/// Words after an address that make it the destination in languages that
/// put the particle after the noun ("a@x 宛のメールは…", "a@x へのメール"):
/// the sentence's failure is its delivery's.
const TO_AFTER: &[&str] = &["宛", "様宛", "へ", "様へ", "에게", "으로"];

/// Prepositions ending the text before a destination ("your message to",
/// "sua mensagem para", "votre message à", "Ihre Nachricht an", "для").
const TO_BEFORE: &[&str] = &[
    "to", "para", "a", "à", "an", "aan", "naar", "do", "для", "на",
];

/// Whether lower-case `prefix`, the text before an address on line `i`,
/// ends a sentence telling of a failed delivery "… to" ("we could not
/// deliver your message to a@x"), the sentence read back onto the line
/// above when it wraps, or the text `after` it says its delivery failed
/// ("a@x could not be delivered"): a recipient's place in prose.
pub(crate) fn failure_to(
    prefix: &str,
    after: &str,
    lower: &[&str],
    i: usize,
    markers: &Markers,
) -> bool {
    let p = prefix.trim_end_matches([' ', '\t', '<', '"', '\'']);
    // Not a forward's target ("forwarding to b@home.example failed"): the
    // recipient is the mailbox that forwards.
    let tail = p.get(p.len().saturating_sub(24)..).unwrap_or(p);
    if tail.contains("forward") || tail.contains("redirect") {
        return false;
    }
    // "… delivery to a@x failed because …", "mail to a@x could not be
    // delivered", "a@x n'a pas pu être remis": the failure follows.
    let after = after.trim_start_matches(['>', '"', '\'', ' ', ')']);
    let wrapped = wrapped_after(lower, i, after, false);
    let after = wrapped.as_ref();
    if FAILED_AFTER.iter().any(|w| after.starts_with(w)) {
        return true;
    }
    // Not where a server's reply quotes the address ("552 5.2.2 <a@x>
    // Mailbox quota exceeded" below the recipient it explains).
    if cause_after(after)
        && crate::codes::find_reply_code(p).is_none()
        && crate::codes::find_enhanced(p).is_none()
    {
        return true;
    }
    // The sentence's words after the address: a failure told there ("Для
    // a@x доставка прекращена", "a@x 宛のメールは…届きませんでした").
    let rest = sentence_rest(after);
    if TO_AFTER.iter().any(|w| after.starts_with(w)) && any_in(&markers.bounce_subject, rest) {
        return true;
    }
    // "We couldn't find anyone called a@x.", "There is no mailbox for
    // a@x": the sentence names the cause and then the address it is about.
    if NAMED_BEFORE
        .iter()
        .any(|w| crate::address_context::ends_with_word(p, w))
        && cause_before(p)
    {
        return true;
    }
    let ends_to = TO_BEFORE.iter().any(|w| {
        p.strip_suffix(w)
            .is_some_and(|b| b.is_empty() || b.ends_with(char::is_whitespace))
    });
    if ends_to {
        let here = p.get(sentence_start(p)..).unwrap_or(p);
        if any_in(&markers.bounce_subject, here) || any_in(&markers.bounce_subject, rest) {
            return true;
        }
        // The sentence began on the line above.
        if here.len() == p.len()
            && i.checked_sub(1)
                .and_then(|j| lower.get(j))
                .filter(|l| !l.trim().is_empty())
                .is_some_and(|above| {
                    let joined = format!("{} {p}", above.trim());
                    any_in(
                        &markers.bounce_subject,
                        joined.get(sentence_start(&joined)..).unwrap_or(""),
                    )
                })
        {
            return true;
        }
    }
    // Last, the costliest: the whole sentence names a cause said of it.
    cause_in_sentence(p, after)
}

/// Where the last sentence of `t` begins: after its last ". ", ";", "!" or
/// "?" (at its start if none).
fn sentence_start(t: &str) -> usize {
    t.rfind([';', '!', '?'])
        .max(t.rfind(". "))
        .map_or(0, |e| e + 1)
}

/// The sentence holding an address, and no other, names a cause: "Nurse
/// Fisk (a@x) has a full mailbox.", "Nobody by the name s.trent exists at
/// Ashbury (a@x)". `p`: the text before the address (the line above
/// joined where the sentence began there), `after`: the text after it.
fn cause_in_sentence(p: &str, after: &str) -> bool {
    let before = p.get(sentence_start(p)..).unwrap_or(p);
    let rest = sentence_rest(after);
    // Nor a forward's target, its failure the forwarding mailbox's ("the
    // forwarding address in the Person document (b@y)").
    if before.contains('@')
        || rest.contains('@')
        || before.contains("forward")
        || before.contains("redirect")
    {
        return false;
    }
    // Too few words to say anything of the address ("<a@x>:", "To: a@x"):
    // the common case, and the classifier's search is the cost here.
    let words = before.split_whitespace().count() + rest.split_whitespace().count();
    if words < 3 {
        return false;
    }
    let sentence = format!("{before} {rest}");
    words <= 30
        && crate::codes::find_reply_code(before).is_none()
        && crate::codes::find_enhanced(before).is_none()
        && crate::classifier::Classifier::builtin().names_cause(&sentence)
}

/// The text after an address on line `i`, with the next line of its
/// paragraph when the sentence, begun after the address, wraps onto it
/// (not a line of the next recipient's).
/// `ends_line`: the address may end its line, the sentence going on below
/// ("Ruth (r@x)" / "went through fine").
fn wrapped_after<'a>(
    lower: &[&str],
    i: usize,
    after: &'a str,
    ends_line: bool,
) -> std::borrow::Cow<'a, str> {
    match lower
        .get(i + 1)
        .filter(|l| !l.trim().is_empty() && !l.contains('@'))
    {
        Some(next)
            if (ends_line || !after.trim().is_empty())
                && sentence_rest(after).len() == after.len() =>
        {
            std::borrow::Cow::Owned(format!("{} {}", after.trim_end(), next.trim()))
        }
        _ => std::borrow::Cow::Borrowed(after),
    }
}

/// The sentence after an address tells that it was reached ("(b@y) went
/// through fine", "b@y 様には正常に配信されております") and names no
/// failure: a recipient reached, told beside the failures. `alone`: nothing
/// but brackets stands before the address on its line.
pub(crate) fn reached_after(
    lower: &[&str],
    i: usize,
    after: &str,
    alone: bool,
    markers: &Markers,
) -> bool {
    // (Sendmail's "<a@x>... relayed; expect no further notifications":
    // its dots part the address from what is said of it.)
    let after = after.trim_start_matches(['>', '"', '\'', ' ', ')', ',', '.']);
    // An address alone on its line is an item, its reason below it: no
    // sentence runs on from it (the common case, read at no cost).
    if alone && after.trim().is_empty() {
        return false;
    }
    let wrapped = wrapped_after(lower, i, after, true);
    let rest = sentence_rest(&wrapped);
    any_in(&markers.reached_after, rest)
        && !any_in(&markers.bounce_subject, rest)
        && !FAILED_AFTER.iter().any(|w| rest.contains(w))
        && !crate::classifier::Classifier::builtin().names_cause(rest)
}

/// Words ending a sentence's text before the address it names.
const NAMED_BEFORE: &[&str] = &[
    "called",
    "named",
    "address",
    "mailbox",
    "account",
    "user",
    "recipient",
    "for",
];

/// The sentence ending in `p`, the text before an address, names a cause.
fn cause_before(p: &str) -> bool {
    let start = p
        .rfind(['.', ';', '!', '?', ':', '(', '"'])
        .map_or(0, |e| e + 1);
    let here = p.get(start..).unwrap_or(p);
    // Not a server's reply quoting the address ("550 Unknown user a@x"
    // below the recipient it explains).
    here.split_whitespace().count() <= 12
        && crate::codes::find_reply_code(here).is_none()
        && crate::codes::find_enhanced(here).is_none()
        && crate::classifier::Classifier::builtin().names_cause(here)
}

/// The rest of the sentence after an address, up to its end or
/// [`MAX_CLAUSE_BYTES`].
fn sentence_rest(after: &str) -> &str {
    let after = crate::text::clip(after, MAX_CLAUSE_BYTES);
    // One pass over the bytes (asked for every address): ". ", ";", "!",
    // "?" or the ideographic full stop, all ending at a character boundary.
    let b = after.as_bytes();
    let end = b
        .iter()
        .enumerate()
        .position(|(i, &c)| match c {
            b';' | b'!' | b'?' => true,
            b'.' => b.get(i + 1) == Some(&b' '),
            0xE3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x82][..]),
            _ => false,
        })
        .unwrap_or(b.len());
    after.get(..end).unwrap_or(after)
}

/// The words a clause opens with when its subject, the address, is left
/// out ("a@x is full", "a@x has run out of space").
const SUBJECT_VERBS: &[&str] = &[
    "is", "has", "was", "had", "have", "does", "did", "cannot", "can't", "could", "will", "no",
    "not", "exceeds", "exceeded", "reached",
];

/// The most of the text after an address [`cause_after`] reads.
const MAX_CLAUSE_BYTES: usize = 200;

/// The clause right after an address names its cause ("The address a@x
/// does not exist.", "a@x is over its quota"): the address is the
/// sentence's subject and the failure is said of it. The clause ends at
/// the sentence's end; a long one ("… if the problem persists, write to
/// …") or one joined by a conjunction is about something else.
fn cause_after(after: &str) -> bool {
    // A clause of ten words fits in this much: a line naming thousands of
    // addresses is not searched to its end for each of them.
    let after = crate::text::clip(after, MAX_CLAUSE_BYTES);
    let end = after
        .find(". ")
        .into_iter()
        .chain(after.find([';', '!', '?', '(', ',']))
        .min()
        .unwrap_or(after.len());
    let clause = after.get(..end).unwrap_or(after).trim_end_matches('.');
    let mut words = clause.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    !matches!(
        first,
        "and" | "or" | "if" | "when" | "to" | "for" | "at" | "via" | "from"
    ) && first.starts_with(char::is_alphabetic)
        && clause.split_whitespace().count() <= 10
        && {
            let cl = crate::classifier::Classifier::builtin();
            // The address is the clause's subject ("a@x is full", "a@x has
            // run out of space"): said of an address, a cause of
            // `cause_words.txt` with its subject left out.
            cl.names_cause(clause)
                || SUBJECT_VERBS.contains(&first) && cl.names_cause(&format!("address {clause}"))
        }
}

/// Where the sentence that line `i` continues began, when line `i` opens
/// with its address and the lines above, of its paragraph and no higher
/// than `first`, run into it ([`runs_into`]) naming no address:
/// at most [`MAX_LEAD_LINES`](crate::nonstd::MAX_LEAD_LINES) lines up.
pub(crate) fn sentence_begun_above(
    lines: &[&str],
    indents: &[usize],
    i: usize,
    first: usize,
) -> Option<usize> {
    let opens = lines.get(i).is_some_and(|l| {
        l.trim_start()
            .trim_start_matches(['(', '<', '"'])
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains('@'))
    });
    let j = i.checked_sub(1).filter(|&j| opens && j >= first)?;
    let above = lines.get(j)?;
    if above.trim().is_empty()
        || !runs_into(
            above,
            indents.get(j).copied(),
            indents.get(i).copied().unwrap_or(0),
        )
    {
        return None;
    }
    // Up to the paragraph's start, or the line whose sentence ended.
    let mut start = j;
    while start > first && i - start < crate::nonstd::MAX_LEAD_LINES {
        let Some(prev) = lines.get(start - 1) else {
            break;
        };
        let t = prev.trim_end();
        if t.is_empty() || t.contains('@') || t.ends_with(['.', ':', '!', '?']) {
            break;
        }
        start -= 1;
    }
    Some(start)
}
