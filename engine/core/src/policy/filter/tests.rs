use super::*;

fn header(pattern: &str) -> Filter {
    Filter::compile("Subject", pattern).unwrap()
}

/// The seed's syntax table (SPEC §13.3), each row with values that must and must not match.
#[test]
fn the_seed_syntax_table() {
    let rows: &[(&str, &[&str], &[&str])] = &[
        ("x", &["x"], &["xx", "y", ""]),
        (r"\\", &["\\"], &["\\\\", "x"]),
        (".", &["a", "."], &["", "ab"]),
        (r"a\.b", &["a.b"], &["axb"]),
        ("X?", &["", "X"], &["XX"]),
        ("X*", &["", "X", "XXXX"], &["Y"]),
        ("X+", &["X", "XXX"], &[""]),
        ("X{3}", &["XXX"], &["XX", "XXXX"]),
        ("X{2,}", &["XX", "XXXXX"], &["X"]),
        ("X{2,3}", &["XX", "XXX"], &["X", "XXXX"]),
        ("[abc]", &["a", "b", "c"], &["d", "ab"]),
        ("[^abc]", &["d", "z"], &["a", "dd"]),
        ("[a-zA-Z]", &["q", "Q"], &["1", "qq"]),
    ];
    for (pattern, yes, no) in rows {
        let f = header(pattern);
        for v in *yes {
            assert!(f.matches(v), "{pattern:?} should match {v:?}");
        }
        for v in *no {
            assert!(!f.matches(v), "{pattern:?} should not match {v:?}");
        }
    }
}

#[test]
fn the_whole_value_must_match_like_java_matches() {
    let from = Filter::compile("From", r".*user@example\.com.*").unwrap();
    assert!(from.matches("\"User Name\" <user@example.com>"));
    let bare = Filter::compile("From", r"user@example\.com").unwrap();
    assert!(!bare.matches("\"User Name\" <user@example.com>"));
    assert!(bare.matches("user@example.com"));
    // An alternation is anchored as a whole, not just its last branch.
    let alt = header("a|b");
    assert!(alt.matches("a") && alt.matches("b") && !alt.matches("ab"));
}

#[test]
fn to_is_the_envelope_recipient_and_ignores_case() {
    let f = Filter::compile("to", r".+@Example\.com").unwrap();
    assert_eq!(f.target(), &Target::Recipient);
    assert!(f.matches("someone@example.com"));
    assert!(f.matches("Someone@EXAMPLE.COM"));
    assert!(!f.matches("someone@example.com.evil"));
    assert!(!f.matches("someone@example.net"));
    // Other headers are case-sensitive unless the pattern says otherwise.
    let s = header("Sale");
    assert!(!s.matches("sale"));
    assert!(header("(?i)Sale").matches("sale"));
}

#[test]
fn header_names_are_case_insensitive_and_multi_valued_ones_refused() {
    let f = Filter::compile("X-Priority", "1").unwrap();
    assert_eq!(f.target(), &Target::Header("x-priority".into()));
    for h in ["Received", "received", "RETURN-PATH", "DKIM-Signature"] {
        assert!(
            matches!(Filter::compile(h, ".*"), Err(FilterError::MultiValued(_))),
            "{h}"
        );
    }
    assert_eq!(
        Filter::compile(" ", "x").unwrap_err(),
        FilterError::EmptyHeader
    );
    assert!(matches!(
        Filter::compile("Bad:Name", "x"),
        Err(FilterError::BadHeader(_))
    ));
}

#[test]
fn java_features_the_regex_crate_lacks() {
    // Backreference.
    let f = header(r"(\w+) and \1");
    assert!(f.matches("this and this") && !f.matches("this and that"));
    // Look-ahead and look-behind.
    assert!(header(r"(?=.*urgent).*").matches("very urgent mail"));
    assert!(!header(r"(?!.*newsletter).*").matches("weekly newsletter"));
    assert!(header(r".*(?<=VIP)").matches("for VIP"));
    // Atomic group and possessive quantifier.
    assert!(!header(r"(?>a+)a").matches("aaa"));
    assert!(!header(r"a++a").matches("aaa"));
    // \Q…\E quotes a literal.
    let q = header(r"\Q1+1=2?\E done");
    assert!(q.matches("1+1=2? done"));
    assert!(!q.matches("11=2 done"));
    assert!(header(r"\Q*.*").matches("*.*"));
}

#[test]
fn a_bad_pattern_names_its_position() {
    match Filter::compile("Subject", "abc(def") {
        Err(FilterError::Regex { position, message }) => {
            assert!(!message.is_empty());
            assert!(position.is_some_and(|p| p <= 7), "{position:?}");
        }
        other => panic!("{other:?}"),
    }
    match Filter::compile("Subject", r"\Qa(b\E[z-a]") {
        Err(e @ FilterError::Regex { .. }) => assert!(e.to_string().contains("invalid regex")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_pattern_cannot_close_the_whole_value_group() {
    // Caught by fuzz/webhooks: wrapped as \A(?:…)\z these compiled and matched prefixes.
    for p in ["a)|(?:b", ")(?:", "x)|(?:.*"] {
        match Filter::compile("Subject", p) {
            Err(FilterError::Regex { .. }) => {}
            other => panic!("{p:?}: {other:?}"),
        }
    }
    assert!(Filter::compile("Subject", "(a)|(b)").is_ok_and(|f| !f.matches("ab")));
}

#[test]
fn an_escaped_backslash_before_q_is_no_quote() {
    // Java reads `\\Q` as a backslash and a Q; it opened a quote here (checked by fuzz/webhooks).
    let f = Filter::compile("Subject", r"\\Q\.x").unwrap();
    assert!(f.matches(r"\Q.x"));
    assert!(!f.matches(r"\Qax"));
    let f = Filter::compile("Subject", r"a\\\Q+\E").unwrap();
    assert!(f.matches(r"a\+"));
}
