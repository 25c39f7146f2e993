use super::CauseWords;
use crate::status::ErrorStatus;

fn status(text: &str) -> Option<ErrorStatus> {
    let cw = CauseWords::builtin();
    cw.find(text)
        .and_then(|f| cw.causes.get(f.cause))
        .map(|c| c.status)
}

#[test]
fn shipped_file_is_read_whole() {
    let cw = CauseWords::builtin();
    // One cause per status, subject set and side, whatever the lines.
    let kinds = super::CAUSE_WORDS
        .lines()
        .filter(|l| l.trim_start().starts_with("cause "))
        .filter_map(|l| l.split_once('='))
        .map(|(head, _)| head.split_whitespace().collect::<Vec<_>>())
        .collect::<std::collections::HashSet<_>>();
    assert_eq!(
        cw.causes.len(),
        kinds.len(),
        "a cause line was not understood"
    );
    let names = super::CAUSE_WORDS
        .lines()
        .filter_map(|l| l.strip_prefix("subjects "))
        .filter_map(|l| l.split_whitespace().next())
        .collect::<std::collections::HashSet<_>>();
    assert_eq!(
        cw.subject_sets.len(),
        names.len(),
        "one set per name, in every language"
    );
    assert!(cw.stop.contains("not"));
    for name in ["mailbox", "host"] {
        let set = cw.subject_sets.iter().find(|s| s.name == name);
        assert!(
            set.is_some_and(|s| s.stop_before.contains("sender")),
            "{name}"
        );
    }
}

#[test]
fn subject_and_cause_in_one_clause() {
    use ErrorStatus::*;
    let cases = [
        ("mailbox deactivated for this recipient", Some(UnknownUser)),
        ("this account is quota full", Some(OverCapacity)),
        ("maildrop: maildir exceeded quota.", Some(OverCapacity)),
        (
            "recipient address rejected: suspended account",
            Some(UnknownUser),
        ),
        ("the user's mailbox is out of space", Some(OverCapacity)),
        (
            "553 the domain example.org does not exist",
            Some(UnknownHost),
        ),
        ("unknown host example.org", Some(UnknownHost)),
        ("550 mail account is deactivated", Some(UnknownUser)),
        ("550 recipient domain is not existing", Some(UnknownHost)),
        (
            "552 the message exceeds the size limit of this server",
            Some(Oversize),
        ),
        ("oversized message refused", Some(Oversize)),
        ("your email is too big to be delivered", Some(Oversize)),
        // A forward that failed, its target's address between.
        (
            "554 5.4.6 forwarding to b.king@home.example failed",
            Some(ForwardingError),
        ),
        (
            "redirection to b@new.example was unsuccessful",
            Some(ForwardingError),
        ),
        ("please forward this to your administrator", None),
        // Negated, hedged, or about someone else: nothing.
        ("the mailbox is not full", None),
        ("the account or domain may not exist", None),
        ("sender address unknown", None),
        ("your mailbox is full", None),
        ("reverse dns of your ip address not found", None),
        // Another verb of another subject.
        (
            "was not delivered to this recipient and has been removed from the queue",
            None,
        ),
        // Another clause.
        ("mailbox ok. unknown error", None),
        ("the user. not found", None),
        ("user name or password invalid", None),
        // A relative clause between is skipped whole.
        (
            "the account that you tried to reach does not exist",
            Some(UnknownUser),
        ),
        (
            "the mailbox you are trying to reach has been closed",
            Some(UnknownUser),
        ),
        // Time, not size: a message too long in the queue.
        ("this message has been in the queue too long", None),
        // Too far apart.
        ("the user named in the form on our site is unknown", None),
    ];
    for (text, want) in cases {
        assert_eq!(status(text), want, "{text:?}");
    }
}

#[test]
fn finds_where_the_words_stand() {
    let cw = CauseWords::builtin();
    let text = "host said: 550 mailbox is full (in reply to rcpt to)";
    let found = cw.find(text);
    assert_eq!(
        found.map(|f| &text[f.start..f.end]),
        Some("mailbox is full")
    );
}

/// The lists are matched on folded text (`spelling.rs`), so a word written
/// in a variant spelling ("mail box", "doesn't") would never match.
#[test]
fn lists_are_written_in_folded_spelling() {
    let cw = CauseWords::builtin();
    let mut all: Vec<&super::Phrase> = cw.filler.list.iter().collect();
    for s in &cw.subject_sets {
        all.extend(&s.phrases.list);
    }
    for c in &cw.causes {
        all.extend(&c.words.list);
    }
    let unfolded: Vec<String> = all
        .iter()
        .map(|p| p.join(" "))
        .filter(|p| crate::spelling::folded(p).is_some())
        .collect();
    assert!(unfolded.is_empty(), "write these folded: {unfolded:?}");
}
