//! Reports that list a failed recipient by its display name only, its
//! address standing in the returned copy's `To:`/`Cc:` (Exchange 5.5–2003:
//! "Stewart Penrose on 9/4/2002 11:26 AM" under "The following
//! recipient(s) could not be reached:", the name from its directory). The
//! recipient is the copy's address whose display name the line gives, or,
//! in Exchange's dated form, whose local part is made of the name's words.
//! Before, such a report named nobody and read as no failure at all. The
//! copy's header alone still names nobody.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

/// An Exchange 2000 report listing `listed` (a line) with `reason`, for a
/// copy sent `To: {to}`.
fn exchange(listed: &str, reason: &str, to: &str) -> String {
    format!(
        "From: System Administrator <postmaster@corp.example>\r\n\
To: n.hale@sender.example\r\nSubject: Undeliverable: Revised plans\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\n\r\n\
Your message did not reach some or all of the intended recipients.\r\n\r\n\
      Subject:\tRevised plans\r\n      Sent:\t9/4/2002 11:26 AM\r\n\r\n\
The following recipient(s) could not be reached:\r\n\r\n\
{listed}\r\n            {reason}\r\n            <SRV-EX01.corp.example #5.0.0>\r\n\r\n\
--b1\r\nContent-Type: message/rfc822\r\n\r\n\
From: Nadia Hale <n.hale@sender.example>\r\nTo: {to}\r\nSubject: Revised plans\r\n\
Message-ID: <1@sender.example>\r\n\r\nplans attached\r\n--b1--\r\n"
    )
}

fn named(raw: &str) -> Vec<(String, ErrorStatus)> {
    let r = parse(raw.as_bytes());
    r.recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect()
}

#[test]
fn exchange_dated_names_are_the_copys_recipients() {
    let full = "The recipient's mailbox is full and can't accept messages now.";
    for to in [
        "s.penrose@corp.example",
        "spenrose@corp.example",
        "stewart.penrose@corp.example",
        "\"Penrose, Stewart\" <sp1@corp.example>",
    ] {
        let raw = exchange("      Stewart Penrose on 9/4/2002 11:26 AM", full, to);
        let r = named(&raw);
        assert_eq!(r.len(), 1, "{to}: {r:?}");
        assert_eq!(r[0].1, ErrorStatus::OverCapacity, "{to}");
        assert!(to.contains(&r[0].0), "{to}: {r:?}");
    }
    // Of several recipients in copy, the one the line names.
    let raw = exchange(
        "      Stewart Penrose on 9/4/2002 11:26 AM",
        full,
        "team@corp.example, s.penrose@corp.example, \"Ann Lee\" <alee@corp.example>",
    );
    assert_eq!(
        named(&raw),
        vec![(
            "s.penrose@corp.example".to_string(),
            ErrorStatus::OverCapacity
        )]
    );
}

#[test]
fn names_that_match_nobody_name_nobody() {
    let unknown = "The e-mail account does not exist at the organization this message was sent to.";
    // A list address, another person, a local part sharing only a first name.
    for to in [
        "planning@corp.example",
        "\"Ann Lee\" <alee@corp.example>",
        "stewart@corp.example",
    ] {
        let raw = exchange("      Stewart Penrose on 9/4/2002 11:26 AM", unknown, to);
        assert!(named(&raw).is_empty(), "{to}");
    }
    // A name alone on its line is matched to the copy's display name only.
    let raw = exchange("      Stewart Penrose", unknown, "s.penrose@corp.example");
    assert!(named(&raw).is_empty());
    let raw = exchange(
        "      Stewart Penrose",
        unknown,
        "Stewart Penrose <s.penrose@corp.example>",
    );
    assert_eq!(
        named(&raw),
        vec![(
            "s.penrose@corp.example".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
}
