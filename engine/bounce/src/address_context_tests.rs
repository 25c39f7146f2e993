//! Tests of what the text around an address says about it (`address_context.rs`).

use super::*;

#[test]
fn cause_labels() {
    for (prefix, rest) in [
        ("mailbox full: ", ""),
        ("- user unknown: <", ">"),
        ("  550 host unknown: ", "."),
        ("utilisateur inconnu : ", ""),
        ("mailbox quota exceeded\u{ff1a}", ""),
        ("宛先不明：", ""),
        // IMail's "Forwarding failed for a@x": a line of its own.
        ("forwarding failed for ", ""),
        ("mailbox full for ", ""),
        // IMail quotes its reason in the label.
        (
            "bad destination host 'dns hard error looking up b.example (mx):  nxdomain' : ",
            "",
        ),
    ] {
        assert!(is_cause_label(prefix, rest), "{prefix:?} {rest:?}");
    }
    for (prefix, rest) in [
        // refusal wording names no cause
        ("rejected: ", ""),
        ("error: ", ""),
        // a quoted header field, a longer sentence, text after the address
        ("subject: mailbox full: ", ""),
        ("we could not deliver to the user unknown to us at: ", ""),
        ("mailbox full: ", " and bob@example.org"),
        // a quoted subject line is no quoted reason
        ("subject: 'mailbox full' : ", ""),
        // no colon, a longer sentence: running text
        (
            "the message could not be delivered as the mailbox is full for ",
            "",
        ),
    ] {
        assert!(!is_cause_label(prefix, rest), "{prefix:?} {rest:?}");
    }
}

#[test]
fn prose_lead_ins_and_numbered_recipients() {
    let m = Markers::builtin();
    for prefix in [
        "regarding ",
        "in the case of ",
        "we were unable to reach ",
        "your message also bounced from ",
        "für ",
        "письмо для ",
        "recipient 2 of 3 - ",
    ] {
        assert!(is_strong_position(prefix, m), "{prefix}");
    }
    for prefix in [
        "recipient of ",
        "2 of 3 - ",
        "please write to the ",
        "für fragen: ",
    ] {
        assert!(!is_strong_position(prefix, m), "{prefix}");
    }
}

#[test]
fn lists_of_reached_recipients_run_on() {
    let m = Markers::builtin();
    assert!(continues_sender_list(
        "your message did reach judy.p@riverbend.example and",
        m
    ));
    assert!(continues_sender_list(
        "reached most of its recipients: s.patel@k.example,",
        m
    ));
    // A failure sentence running on is no such list.
    assert!(!continues_sender_list(
        "we could not deliver to a@x.example and",
        m
    ));
    assert!(!continues_sender_list("did reach a@x.example.", m));
}

#[test]
fn named_mailto_links() {
    assert!(is_named_mailto(
        "help center <https://h.example/> | postmaster <mailto:"
    ));
    assert!(is_named_mailto(
        "web: https://h.example/, abuse desk (mailto:"
    ));
    assert!(!is_named_mailto("a@x.example<mailto:"));
    // Exchange's recipient line: the display name alone before the link.
    assert!(!is_named_mailto("neko<mailto:"));
    assert!(!is_named_mailto("mailto:"));
    assert!(!is_named_mailto("to: "));
}

#[test]
fn team_signatures() {
    let m = Markers::builtin();
    for (prefix, rest) in [
        ("the mail team <", ">"),
        ("customer care <", "> "),
        ("\"example support\" <", ">"),
        ("-- isp helpdesk ", ""),
        ("サポートセンター <", ">"),
    ] {
        assert!(is_team_signature(prefix, rest, m), "{prefix}");
    }
    for (prefix, rest) in [
        ("jane member <", ">"),
        ("to: the mail team <", ">"),
        ("the mail team <", ">: 550 user unknown"),
        ("", ""),
        ("postmaster <", ">"),
        ("teammate <", ">"),
        ("a b c d e f support <", ">"),
    ] {
        assert!(!is_team_signature(prefix, rest, m), "{prefix}");
    }
}

#[test]
fn syslog_lines() {
    assert!(is_syslog_line(
        "Sep  4 09:12:07 mx1 postfix/smtpd[4411]: reject: RCPT from x: 554; to=<a@b.example>"
    ));
    assert!(is_syslog_line(
        "Dec 14 23:01:59 relay sendmail[99]: g1: to=<a@b.example>, stat=Sent"
    ));
    // Quoted in a message typed or relayed in capitals.
    assert!(is_syslog_line(
        "SEP  4 09:12:07 MX1 POSTFIX/SMTPD[4411]: REJECT: RCPT FROM X: 554; TO=<A@B.EXAMPLE>"
    ));
    assert!(!is_syslog_line(
        "Sep  4 09:12:07 2002: user unknown <a@b.example>"
    ));
    assert!(!is_syslog_line("Sept 4 the mail to a@b.example failed"));
    // Its fields wrapped onto a line of their own.
    assert!(is_log_fields_line(
        "from=<derek@smallbiz.example> to=<accounts@isp.example.net> proto=esmtp"
    ));
    assert!(is_log_fields_line(
        "  to=<a@b.example>, relay=mx.b.example[192.0.2.1]:25"
    ));
    assert!(!is_log_fields_line("to=<a@b.example>"));
    assert!(!is_log_fields_line(
        "delivery to=<a@b.example> failed: 550 unknown"
    ));
    assert!(!is_syslog_line(
        "<a@b.example>: host mx.b.example said: 550 5.1.1"
    ));
}

#[test]
fn contact_sentences() {
    let m = Markers::builtin();
    let yes = [
        "for assistance, contact the help desk at ",
        "if you have questions, please email our support team at ",
        "questions? get in touch with us via ",
        "delivery failed. for more information, contact: ",
        "bei fragen wenden sie sich bitte an ",
        "please contact ",
        "お問い合わせ先：",
        "if you are not a spammer, send an e-mail message from another address to ",
    ];
    for p in yes {
        assert!(is_contact_context(p, m), "{p}");
    }
    let no = [
        "",
        "delivery to the following recipient failed permanently: ",
        "please contact your administrator about the delivery to ",
        "unable to contact the mail server for ",
        "the address in question, ",
        "contact us. your message to ",
        "your email to ",
    ];
    for p in no {
        assert!(!is_contact_context(p, m), "{p}");
    }
}

#[test]
fn prefixes_start_a_word() {
    let m = Markers::builtin();
    assert!(is_strong_position("rcpt to:<", m));
    assert!(is_strong_position("     • ", m), "a bullet");
    assert!(is_strong_position("收件人：", m), "a full-width colon");
    assert!(is_strong_position("宛先：", m));
    assert!(
        !is_strong_position("postmaster <mailto:", m),
        "a link, not \"to:\""
    );
    assert!(is_sender_context("mail from:<", m));
    assert!(is_sender_context("sent by ", m));
    assert!(!is_sender_context("the office nearby ", m));
}

#[test]
fn contact_after_the_address() {
    let m = Markers::builtin();
    assert!(is_contact_suffix(" までお問い合わせください。", m));
    assert!(is_contact_suffix("> へご連絡ください", m));
    assert!(!is_contact_suffix(" は存在しません", m));
    assert!(!is_contact_suffix(": user unknown", m));
}

#[test]
fn addresses_inside_links() {
    assert!(in_url(
        "more information: https://help.isp.example/lookup?ref="
    ));
    assert!(in_url("see <http://example.org/u/"));
    assert!(in_url("www.example.org/profile/"));
    assert!(!in_url("delivery to "));
    assert!(!in_url("<mailto:"), "a mailto link names its address");
    assert!(
        !in_url("https://example.org/help "),
        "a link before the address"
    );
}

#[test]
fn a_quoted_senders_field() {
    let m = Markers::builtin();
    for p in [
        "from: perry e. metzger <",
        "> *from:* crispin cowan [mailto:",
        "| reply-to: the list <",
        ">> sender: \"jo\" <",
        "von: max muster <",
        "de : jean dupont <",
        "差出人: 山田 太郎 <",
        "差出人：山田 <",
    ] {
        assert!(is_sender_field(p, m), "{p:?}");
    }
    for p in [
        "to: jo <",
        "mail from the list of: ",
        "your message from yesterday to the members: ",
        "from: a@x, ",
    ] {
        assert!(!is_sender_field(p, m), "{p:?}");
    }
}

#[test]
fn reply_attribution_lines() {
    let m = Markers::builtin();
    for line in [
        "on fri, sep 13, 2002 at 03:21:08pm +0200, carlo@example.org wrote:",
        "op 12-09-2002 00:35 schreef ellen clary (ellen@example.com):",
        "am 03.02.2024 um 10:00 schrieb jo <jo@example.de>:",
        "le 3 févr. 2024 à 10:00, jo <jo@example.fr> a écrit :",
        "jo@example.org writes:",
        "张三 <zs@example.cn> 写道：",
    ] {
        assert!(is_attribution(line, m), "{line:?}");
    }
    for line in [
        "<a@x>: host mx.x[192.0.2.1] said:",
        "the following address had permanent fatal errors:",
        "jo@example.org: rewrote headers",
        "carlo@example.org wrote the filter, and it works",
    ] {
        assert!(!is_attribution(line, m), "{line:?}");
    }
}

#[test]
fn placeholders_are_not_addresses() {
    assert!(is_placeholder("NAME@directory.example.edu"));
    assert!(
        !is_placeholder("JOHN@EXAMPLE.COM"),
        "an upper-cased address"
    );
    assert!(!is_placeholder("Name@example.edu"));
    assert!(!is_placeholder("AB@example.edu"), "initials");
    assert!(is_placeholder("ADDRESS@genie.example"));
    // All in capitals: placeholder words alone, not a capitalised mailbox.
    assert!(is_placeholder("ADDRESS@GENIE.EXAMPLE"));
    assert!(is_placeholder("NAME@DIRECTORY.YALE.EDU"));
    assert!(!is_placeholder("T.WALLACE3@GENIE.EXAMPLE"));
    assert!(!is_placeholder("JOHN@EXAMPLE.COM"));
    assert!(is_placeholder("USER_ID@host.example.edu"));
    assert!(is_placeholder("J.SMITH@ABC.CompuServe.example"));
    // Placeholder words alone under a product's name as a domain.
    assert!(is_placeholder("name@organization.CompuServe.example"));
    assert!(is_placeholder(
        "/s=surname/g=givenname/@prmd.X400.CompuServe.example"
    ));
    assert!(
        !is_placeholder("john.name@Example.COM"),
        "a real word beside the placeholder"
    );
    assert!(!is_placeholder("name@example.com"), "a lower-case domain");
    assert!(
        !is_placeholder("MBURKE@delphi.example"),
        "a mailbox upper-cased by its system"
    );
}
