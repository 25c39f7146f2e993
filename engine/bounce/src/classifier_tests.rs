//! Unit tests of the classifier's precedence rules (kept apart so that
//! `classifier.rs` stays readable).
use super::*;

#[test]
fn builtin_rules_load() {
    let c = Classifier::build("");
    assert!(c.is_ok(), "{:?}", c.err());
    assert!(Classifier::builtin().rule_count() > 1000);
}

#[test]
fn enhanced_first_then_phrases_then_code() {
    let c = Classifier::builtin();
    assert_eq!(
        c.classify(Some(550), Some("5.1.1"), "whatever"),
        ErrorStatus::UnknownUser
    );
    assert_eq!(
        c.classify(None, None, "552 5.2.2 Mailbox full"),
        ErrorStatus::OverCapacity
    );
    assert_eq!(
        c.classify(Some(550), Some("5.7.1"), "Relaying denied"),
        ErrorStatus::ReceiverError
    );
    assert_eq!(
        c.classify(Some(552), None, "zzz"),
        ErrorStatus::OverCapacity
    );
    assert_eq!(c.classify(None, None, "zzz"), ErrorStatus::Other);
}

#[test]
fn extra_rules_extend_and_win() {
    let c = Classifier::with_extra_rules(
        "# mine\n{\"status\": 8, \"pattern\": \"Frobnicated   Beyond\"}\n",
    )
    .unwrap();
    assert_eq!(
        c.classify(Some(550), None, "550 frobnicated beyond repair"),
        ErrorStatus::Oversize
    );
    assert!(matches!(
        Classifier::with_extra_rules("{\"status\": 42, \"pattern\": \"x\"}"),
        Err(RulesError::Status { line: 1, .. })
    ));
    assert!(matches!(
        Classifier::with_extra_rules("nope"),
        Err(RulesError::Json { line: 1, .. })
    ));
    assert!(matches!(
        Classifier::with_extra_rules("{\"status\": 2, \"pattern\": \" \"}"),
        Err(RulesError::EmptyPattern { .. })
    ));
}

#[test]
fn precedence_rules() {
    let c = Classifier::builtin();
    // The cause beats the expiry notice that follows it.
    assert_eq!(
        c.classify(
            None,
            None,
            "Connected to 192.0.2.1 but my name was rejected. I'm not going to try again; \
             this message has been in the queue too long."
        ),
        ErrorStatus::Rejected
    );
    // After MAIL FROM the sender is refused, not the recipient unknown.
    assert_eq!(
        c.classify(
            None,
            None,
            "SMTP error from remote mail server after MAIL FROM:<a@b.example>: 550 5.1.7 No such domain"
        ),
        ErrorStatus::Rejected
    );
    // Reply code and phrase agree against the enhanced code.
    assert_eq!(
        c.classify(
            None,
            None,
            "552 sorry, mailbox a@b.example is over quota (#5.1.1)"
        ),
        ErrorStatus::OverCapacity
    );
    // A provider's own error token beats the RFC 3463 code.
    assert_eq!(
        c.classify(
            None,
            None,
            "550 5.1.1 <a@b.example> - sent to too many recipients. IB607"
        ),
        ErrorStatus::Rejected
    );
    // A bare host name that "does not exist" is an unknown host.
    assert_eq!(
        c.classify(None, None, "553 mx.example.com does not exist"),
        ErrorStatus::UnknownHost
    );
    assert_eq!(
        c.classify(None, None, "553 <a@example.com> does not exist"),
        ErrorStatus::UnknownUser
    );
    // Rules tied to a provider code do not fire with another code.
    let d = Classifier::with_extra_rules(
        "{\"status\": 8, \"pattern\": \"frob\", \"enhanced\": \"5.4.310\"}",
    )
    .unwrap();
    assert_eq!(
        d.match_phrase(None, Some("5.4.310"), "frob"),
        Some(ErrorStatus::Oversize)
    );
    assert_eq!(d.match_phrase(None, Some("5.1.1"), "frob"), None);
}

#[test]
fn code_like_tokens_need_word_boundaries() {
    let c = Classifier::with_extra_rules("{\"status\": 8, \"pattern\": \"ZZ123\"}").unwrap();
    assert_eq!(c.match_phrase(None, None, "error AZZ1234"), None);
    assert_eq!(
        c.match_phrase(None, None, "error (ZZ123)"),
        Some(ErrorStatus::Oversize)
    );
}

#[test]
fn normalize_ascii_path_matches_the_char_path() {
    // The char path's result for ASCII text: words lower-cased, one space.
    for t in [
        "",
        "  ",
        "A",
        " 550  5.1.1\tUser\r\n Unknown \x0b",
        "x\x1cY  ",
        "\n\nAb  cD\n",
    ] {
        let words: Vec<String> = t.split_whitespace().map(str::to_lowercase).collect();
        assert_eq!(normalize(t), words.join(" "), "{t:?}");
    }
    assert_eq!(normalize("Mailbox\u{202f}FULL  é"), "mailbox full é");
}

#[test]
fn a_three_letter_abbreviation_is_a_whole_word() {
    // "rbl" inside "verbleibender" or "Überblick" names no block list.
    let c = Classifier::builtin();
    for t in [
        "Ihr verbleibender Speicherplatz",
        "Überblick über Ihr Postfach",
    ] {
        assert_eq!(c.explain(None, None, t), None, "{t}");
    }
    for t in [
        "listed in the RBL",
        "rejected: rbl.example.net",
        "RBL: 192.0.2.1",
    ] {
        assert_eq!(c.classify(None, None, t), ErrorStatus::Rejected, "{t}");
    }
}

#[test]
fn a_live_reply_that_names_no_phrase_takes_its_words_vote() {
    let c = Classifier::builtin();
    // 550 alone says unknown user; the words say where the trouble is.
    assert_eq!(
        c.classify(Some(550), None, "550 The mailbox has hit its storage cap"),
        ErrorStatus::OverCapacity
    );
    assert_eq!(
        c.classify(
            Some(554),
            Some("5.0.0"),
            "554 5.0.0 identified as junk and discarded"
        ),
        ErrorStatus::Rejected
    );
    // An enhanced code that names the class keeps it; no vote, no change.
    assert_eq!(
        c.classify(
            Some(552),
            Some("5.6.0"),
            "552 5.6.0 Headers too large (3 max)"
        ),
        ErrorStatus::Rejected
    );
    assert_eq!(
        c.classify(Some(550), None, "550 frobnicated beyond repair"),
        ErrorStatus::UnknownUser
    );
}

#[test]
fn refusal_wording_that_names_no_cause_gives_way_to_the_vote() {
    let c = Classifier::builtin();
    assert_eq!(
        c.classify(
            None,
            None,
            "550 Recipient address rejected: the mailbox has hit its storage cap"
        ),
        ErrorStatus::OverCapacity
    );
    // Refusal wording alone keeps what the wording says.
    let alone = "554 Recipient address rejected: Access denied";
    assert_eq!(
        c.classify(None, None, alone),
        c.classify_evidence(None, None, alone).0
    );
}

#[test]
fn an_address_is_no_wording_and_a_refusal_label_gives_way_to_its_reason() {
    let c = Classifier::builtin();
    // The local part of an address names nobody's cause ("dmarc" is a
    // rejection word): the bare 550 decides.
    assert_eq!(
        c.classify(
            None,
            None,
            "<dmarc@reports.example>: host mx.example[192.0.2.1] said: 550 5.0.1 Recipient \
rejected (in reply to RCPT TO command)"
        ),
        ErrorStatus::UnknownUser
    );
    // A word set off from the address by a colon is the reply's own.
    assert_eq!(
        c.classify(
            None,
            None,
            "550 permanent failure for one or more recipients (jd@x.example:blocked)"
        ),
        ErrorStatus::Rejected
    );
    // "Recipient rejected" names no cause; what follows the colon does.
    assert_eq!(
        c.classify(
            None,
            None,
            "550 5.7.1 <events@venue.example>: Recipient rejected: SPF check failed"
        ),
        ErrorStatus::Rejected
    );
}

#[test]
fn two_codes_agreeing_on_syntax_decide_what_invalid_means() {
    let c = Classifier::builtin();
    assert_eq!(
        c.classify(None, None, "553 5.1.3 Dirección de destinatario no válida"),
        ErrorStatus::AddressFormat
    );
    // The syntax code alone decides what "invalid" means…
    assert_eq!(
        c.classify(None, None, "550 5.1.3 the address is invalid"),
        ErrorStatus::AddressFormat
    );
    // …but not over a phrase that says unknown, which 550 sides with.
    assert_eq!(
        c.classify(None, None, "550 5.1.3 user unknown"),
        ErrorStatus::UnknownUser
    );
}

#[test]
fn giving_up_in_words_beside_a_permanent_refusal_is_the_refusal() {
    let c = Classifier::builtin();
    let (s, _) = c.classify_evidence(
        None,
        None,
        "The recipient's server did not accept the message and we have stopped trying to \
         deliver it. 550 5.7.1 Sender IP listed on b.barracudacentral.org",
    );
    assert_eq!(s, ErrorStatus::Rejected);
    // A transient reply or an expiry code keeps the words' reading.
    for reply in [
        "451 4.3.0 try again later",
        "550 4.4.7 QUEUE.Expired",
        "554 5.4.7 delivery time expired",
    ] {
        let (s, _) = c.classify_evidence(None, None, &format!("we have stopped trying. {reply}"));
        assert_eq!(s, ErrorStatus::ResendTimeout, "{reply}");
    }
}

#[test]
fn a_550_or_554_that_names_no_cause_is_other() {
    let c = Classifier::builtin();
    let other = [
        "550 Requested action not taken",
        "554 5.0.0 Delivery failed",
        "smtp; 550",
        "554 5.0.0 Error",
        "550 Message rejected",
        "554 Message not accepted",
        "550 Zustellung fehlgeschlagen",
    ];
    for reply in other {
        assert_eq!(c.classify(None, None, reply), ErrorStatus::Other, "{reply}");
    }
    // A cause said with them, another code, a specific enhanced code or
    // another refusal beside them keeps its reading.
    let kept = [
        (
            "550 Requested action not taken: mailbox unavailable",
            ErrorStatus::UnknownUser,
        ),
        (
            "553 Requested action not taken: mailbox name not allowed",
            ErrorStatus::AddressFormat,
        ),
        ("554 5.7.1 Message rejected", ErrorStatus::Rejected),
        ("550 Message rejected: spam detected", ErrorStatus::Rejected),
        (
            "550 permanent failure for one or more recipients (jd@x.example:blocked)",
            ErrorStatus::Rejected,
        ),
        (
            "451 Requested action aborted: error in processing",
            ErrorStatus::ReceiverError,
        ),
        ("550 rcpt unknown", ErrorStatus::UnknownUser),
    ];
    for (reply, status) in kept {
        assert_eq!(c.classify(None, None, reply), status, "{reply}");
    }
}
