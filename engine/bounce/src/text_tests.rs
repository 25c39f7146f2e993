//! Tests of `text.rs`.
use super::*;

/// The addresses found in `t`, as written.
fn written(t: &str) -> Vec<String> {
    find_addresses(t)
        .iter()
        .map(|f| f.addr.to_string())
        .collect()
}

#[test]
fn contains_ignoring_ascii_case() {
    let long = format!("{}Final-Recipient: x", "a:".repeat(70));
    for (h, n) in [
        ("Final-Recipient: x", "final-recipient:"),
        ("FINAL-RECIPIENT:", "final-recipient:"),
        (long.as_str(), "final-recipient:"),
        ("ab", "b"),
        ("aB", "b"),
        ("", ""),
        ("a", ""),
    ] {
        assert!(contains_ci(h.as_bytes(), n.as_bytes()), "{h:?}");
    }
    for (h, n) in [
        ("Final-Recipient x", "final-recipient:"),
        ("inal-recipient:", "final-recipient:"),
        ("", "a"),
        ("fFinal", "finalx"),
    ] {
        assert!(!contains_ci(h.as_bytes(), n.as_bytes()), "{h:?}");
    }
}

#[test]
fn quoted_local_parts() {
    let f = find_addresses("<\"jane\"@example.org>: user unknown, then b@example.org");
    let found: Vec<&str> = f.iter().map(|f| f.addr).collect();
    assert_eq!(found, ["\"jane\"@example.org", "b@example.org"]);
    assert_eq!(canonical(found[0]), "jane@example.org");
    let dots = find_addresses("550 <\"a..b\"@example.org>... User unknown");
    assert_eq!(dots[0].addr, "\"a..b\"@example.org");
    assert_eq!(canonical(dots[0].addr), "\"a..b\"@example.org");
    // A quote that opens on another line or spans another address is not one.
    let prose = find_addresses("she said \"write to\nme\"@example.org");
    assert!(prose.is_empty(), "{prose:?}");
}

#[test]
fn squash_ascii_agrees_with_split_whitespace() {
    for t in [
        "",
        " ",
        "a",
        " a  b\t\x0bc\x0c\r\n",
        "x\x1cy  ",
        "\n\nab cd\n",
    ] {
        let words: Vec<&str> = t.split_whitespace().collect();
        assert_eq!(squash(t), words.join(" "), "{t:?}");
    }
    assert_eq!(squash("a\u{a0} b\u{3000}c"), "a b c");
}

#[test]
fn newlines() {
    assert_eq!(&*normalize_newlines(b"a\r\nb\rc\n"), b"a\nb\nc\n");
    assert_eq!(&*normalize_newlines(b"\r\r\n\r"), b"\n\n\n");
    assert_eq!(&*normalize_newlines(b"\n\r\n\n\r\rx"), b"\n\n\n\n\nx");
    assert!(matches!(normalize_newlines(b"a\nb"), Cow::Borrowed(_)));
}

#[test]
fn leading_blank_lines() {
    assert_eq!(
        skip_leading_blank_lines(b"   \n\nFrom: a\n\nbody"),
        b"From: a\n\nbody"
    );
    assert_eq!(skip_leading_blank_lines(b"From: a\n"), b"From: a\n");
    assert_eq!(skip_leading_blank_lines(b"  \n "), b" ");
}

#[test]
fn addresses() {
    let f = find_addresses("<kijitora@example.jp>: said 'neko@example.co.jp'. x@y @z a@b.c.");
    let v: Vec<_> = f.iter().map(|f| f.addr).collect();
    assert_eq!(
        v,
        vec!["kijitora@example.jp", "neko@example.co.jp", "a@b.c"]
    );
    assert_eq!(canonical(" <A@B.Jp> "), "a@b.jp");
    assert!(find_addresses("@@@.@").is_empty());
    let x400 = find_addresses("c=US;a= ;p=IKON;o=Nexus2;dda:SMTP=userx@example.COM; on Fri");
    assert_eq!(x400.first().map(|f| f.addr), Some("userx@example.COM"));
    let url = find_addresses("www.news.example/unsubscribe.cfm?email=reader@home.example");
    assert_eq!(url.first().map(|f| f.addr), Some("reader@home.example"));
    // A leading dot inside brackets is the address as typed; a sentence's
    // ellipsis before an address is not.
    let dotted = find_addresses("<.jsmith@example.com>: bad syntax; see ...ann@x.example");
    let v: Vec<_> = dotted.iter().map(|f| f.addr).collect();
    assert_eq!(v, [".jsmith@example.com", "ann@x.example"]);
    let srs = find_addresses("SRS0=HHH=TT=example.org=alice@forwarder.example");
    assert_eq!(
        srs.first().map(|f| f.addr),
        Some("SRS0=HHH=TT=example.org=alice@forwarder.example")
    );
}

#[test]
fn folded_recipient_fields_of_a_quoted_header() {
    let lower = [
        "from: \"rita\" <rita@x.example>",
        "to: <a@x.example>, <b@y.example>,",
        "    <c@z.example>",
        "subject: news",
    ];
    assert!(quoted_header_field(&lower, 1));
    assert!(quoted_header_field(&lower, 2));
    assert!(!quoted_header_field(
        &["the following failed:", "  <c@z.example>"],
        1
    ));
}

#[test]
fn folded_identifier_fields() {
    let lower = [
        "message-id:",
        "<2019.ffff@host.example>",
        "to: a@b.example",
        "x",
    ];
    assert!(folded_id_value(&lower, 1));
    assert!(!folded_id_value(&lower, 0));
    assert!(!folded_id_value(&lower, 3));
    assert!(folded_id_value(&["  references:", "<a@b.example>"], 1));
    assert!(!folded_id_value(
        &["the following recipient:", "a@b.example"],
        1
    ));
}

#[test]
fn address_literals_and_internationalised_addresses() {
    let addrs = |t: &'static str| -> Vec<&'static str> {
        find_addresses(t).into_iter().map(|f| f.addr).collect()
    };
    assert_eq!(
        addrs("<postmaster@[192.0.2.1]>: 550 and root@[IPv6:2001:db8::1]."),
        vec!["postmaster@[192.0.2.1]", "root@[IPv6:2001:db8::1]"]
    );
    // Not literals: an empty or non-address bracket, a link's anchor.
    assert!(addrs("a@[] b@[x] c@[note]").is_empty());
    assert_eq!(
        addrs("<josé.müller@bücher.example>: 550 5.1.1 User unknown"),
        vec!["josé.müller@bücher.example"]
    );
    assert_eq!(
        addrs("宛先<ユーザー@例え.jp>への配信"),
        vec!["ユーザー@例え.jp"]
    );
    // Unbracketed, the letters around it are the sentence's.
    assert_eq!(
        addrs("宛先user@example.jpへの配信"),
        vec!["user@example.jp"]
    );
    assert_eq!(addrs("宛先：<user@example.jp>様"), vec!["user@example.jp"]);
    // A bracket with a space or a second address inside is no address.
    assert_eq!(addrs("<über a@b.example>"), vec!["a@b.example"]);
    // The longest local part is found, one byte more is not bracketed.
    for (len, whole) in [(256, true), (257, false)] {
        let local = format!("ü{}", "a".repeat(len - 2));
        let t = format!("<{local}@b.example>");
        let found: Vec<String> = find_addresses(&t)
            .iter()
            .map(|f| f.addr.to_string())
            .collect();
        assert_eq!(
            found.first() == Some(&format!("{local}@b.example")),
            whole,
            "{len}"
        );
    }
}

#[test]
fn clipped_on_a_character_boundary() {
    assert_eq!(clip("日本", 4), "日");
}
#[test]
fn a_domain_ends_in_a_top_level_domain() {
    assert_eq!(
        written("to jd@mail.example.com."),
        vec!["jd@mail.example.com"]
    );
    assert_eq!(
        written("jd@xn--bcher-kva.example"),
        vec!["jd@xn--bcher-kva.example"]
    );
    assert_eq!(
        written("a@example.xn--fiqs8s"),
        vec!["a@example.xn--fiqs8s"]
    );
    // Certificate bytes read as text, a bare IP.
    assert!(written("0\x1fdhugo@netscape.com0").is_empty());
    assert!(written("root@192.168.1.10").is_empty());
}

#[test]
fn lines_split_as_the_standard_library_does() {
    for t in [
        "",
        "\n",
        "a",
        "a\n",
        "a\r\nb",
        "a\n\nb\n",
        "\r\n\r\n",
        "x\ry\n",
        "x\r",
        "a\nx\r",
        "é\n日本\r\n",
    ] {
        assert_eq!(
            lines(t).collect::<Vec<_>>(),
            t.lines().collect::<Vec<_>>(),
            "{t:?}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn lines_agree_with_the_standard_library(t in "[a\r\né ]{0,30}") {
        proptest::prop_assert_eq!(lines(&t).collect::<Vec<_>>(), t.lines().collect::<Vec<_>>());
    }
}

proptest::proptest! {
    #[test]
    fn split_lf_agrees_with_the_standard_library(t in proptest::collection::vec(proptest::sample::select(vec![b'a', b'\n', b'\r']), 0..30)) {
        let ours: Vec<&[u8]> = split_lf(&t).collect();
        let std: Vec<&[u8]> = t.split(|&b| b == b'\n').collect();
        proptest::prop_assert_eq!(ours, std);
    }
}

proptest::proptest! {
    /// Joining byte by byte gives the words of a split joined by spaces,
    /// after whatever the buffer held.
    #[test]
    fn join_words_joins_the_split_words(held in "[a ]{0,3}", t in "[ab \t\n\r\x0b\x0cé]{0,30}") {
        let mut ours = held.clone().into_bytes();
        join_words(&mut ours, t.as_bytes(), |b| b.is_ascii_whitespace());
        let mut theirs = held.into_bytes();
        for w in t.as_bytes().split(u8::is_ascii_whitespace).filter(|w| !w.is_empty()) {
            if !theirs.is_empty() {
                theirs.push(b' ');
            }
            theirs.extend_from_slice(w);
        }
        proptest::prop_assert_eq!(ours, theirs);
    }
}

#[test]
fn a_multiline_replys_code_is_not_the_local_part() {
    // qmail prints a multi-line reply's lines as they came.
    let t = "Remote host said: 554-delivery error: dd Sorry your message to\n\
             554-rcpt@dest.example cannot be delivered. This mailbox is\n554 disabled";
    let found: Vec<&str> = find_addresses(t).iter().map(|f| f.addr).collect();
    assert_eq!(found, ["rcpt@dest.example"]);
    let indented = find_addresses("  451-b@dest.example try again later");
    assert_eq!(indented[0].addr, "b@dest.example");
    // Elsewhere, and with a code no reply starts with, the name stays.
    for (t, want) in [
        (
            "write to 554-orders@shop.example today",
            "554-orders@shop.example",
        ),
        ("354-desk@shop.example", "354-desk@shop.example"),
        ("5544-a@shop.example", "5544-a@shop.example"),
        ("554-@shop.example", "554-@shop.example"),
    ] {
        let f = find_addresses(t);
        assert_eq!(f.first().map(|f| f.addr), Some(want), "{t}");
    }
}

#[test]
fn compuserve_ids_keep_their_comma() {
    assert_eq!(
        written("? Invalid receiver address: 76543,2101@compuserve.com"),
        ["76543,2101@compuserve.com"]
    );
    assert_eq!(
        written("To: 100123,4567@CompuServe.COM"),
        ["100123,4567@CompuServe.COM"]
    );
    // A list's comma, or digits that are no user ID, stay separators.
    assert_eq!(
        written("a@x.example,12345@y.example"),
        ["a@x.example", "12345@y.example"]
    );
    assert_eq!(written("ref 1234,5678@host.example"), ["5678@host.example"]);
    assert_eq!(written("user,1234@host.example"), ["1234@host.example"]);
}

#[test]
fn a_comma_between_angle_brackets_is_the_address_s() {
    assert_eq!(
        written("--> RCPT To:<oyelaran,m@quickmail.example.net>"),
        ["oyelaran,m@quickmail.example.net"]
    );
    // Addresses listed with commas, bracketed or not, stay apart.
    assert_eq!(
        written("<a@x.example>,<b@y.example>"),
        ["a@x.example", "b@y.example"]
    );
    assert_eq!(written("To: <team,a@x.example"), ["a@x.example"]);
    assert_eq!(
        written("a@x.example,b@y.example"),
        ["a@x.example", "b@y.example"]
    );
}

#[test]
fn an_x400_mapping_keeps_its_opening_slash() {
    assert_eq!(
        written("not delivered to: /G=Mark/S=Peterson/O=Corp/C=US/@x400gw.example.com for"),
        ["/G=Mark/S=Peterson/O=Corp/C=US/@x400gw.example.com"]
    );
    // A path before an address is no X.400 mapping: the slash goes.
    assert_eq!(written("see /home/jdoe@x.example"), ["home/jdoe@x.example"]);
    assert_eq!(written("at /jdoe@x.example"), ["jdoe@x.example"]);
}
