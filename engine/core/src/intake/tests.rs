use super::*;
use hikyaku_smtp::parse_address;

fn tx(body: &str, rcpts: &[&str]) -> Transaction {
    Transaction {
        helo: "client.test".into(),
        mail_from: Some(parse_address("sender@app.test", false).unwrap()),
        recipients: rcpts
            .iter()
            .map(|r| parse_address(r, false).unwrap())
            .collect(),
        body: body.as_bytes().to_vec(),
        smtputf8: false,
        eight_bit_mime: false,
        auth_user: Some("app1".into()),
        tls: true,
    }
}

fn ctx() -> IntakeContext<'static> {
    IntakeContext {
        hostname: "mx.hikyaku.test",
        peer_ip: "127.0.0.1".parse().unwrap(),
        tls_version: Some("TLSv1.3"),
        tags: &[],
        policy: &crate::policy::NO_POLICY,
    }
}

#[test]
fn one_body_and_one_entry_plus_log_per_recipient() {
    let t = tx(
        "Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?=\r\nMessage-ID: <abc@app.test>\r\nDate: Tue, 24 Nov 2026 08:00:00 +0000\r\n\r\nhello\r\n",
        &["a@Example.COM", "b@example.net", "c@example.com"],
    );
    let mut ids = IdGen::new(0);
    let p = prepare(&t, &ctx(), &mut ids, 1_700_000_000_000).unwrap();
    let count = |cf: Cf| {
        p.ops
            .iter()
            .filter(|op| matches!(op, Op::Put { cf: c, .. } if *c == cf))
            .count()
    };
    assert_eq!(count(Cf::Messages), 1);
    assert_eq!(count(Cf::MessageMeta), 1);
    assert_eq!(count(Cf::Queue), 3);
    assert_eq!(count(Cf::DeliveryLog), 3);
    // Five index entries per recipient plus the Message-ID header index of the message.
    assert_eq!(count(Cf::LogIndex), 16);
    assert_eq!(p.notices.len(), 3);
    assert_eq!(p.notices[0].domain, "example.com");
    assert_eq!(p.notices[0].domain_hash, p.notices[2].domain_hash);
    let meta = p
        .ops
        .iter()
        .find_map(|op| match op {
            Op::Put {
                cf: Cf::MessageMeta,
                value,
                ..
            } => Some(serde_json::from_slice::<MessageMeta>(value).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(meta.subject, "こんにちは");
    assert_eq!(meta.header_message_id, "abc@app.test");
    assert_eq!(meta.submitter.api_user.as_deref(), Some("app1"));
}

#[test]
fn received_and_missing_headers_are_added() {
    let t = tx("Subject: hi\r\n\r\nbody\r\n", &["x@example.com"]);
    let mut ids = IdGen::new(1);
    let p = prepare(&t, &ctx(), &mut ids, 1_700_000_000_000).unwrap();
    let body = p
        .ops
        .iter()
        .find_map(|op| match op {
            Op::Put {
                cf: Cf::Messages,
                value,
                ..
            } => Some(String::from_utf8(value.clone()).unwrap()),
            _ => None,
        })
        .unwrap();
    assert!(body.starts_with("Received: from client.test ([127.0.0.1])\r\n\tby mx.hikyaku.test (hikyaku) with ESMTPSA (TLSv1.3) id "), "{body}");
    assert!(body.contains(&format!(
        "Message-ID: <{}@mx.hikyaku.test>\r\n",
        p.message_id
    )));
    assert!(
        body.contains("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"),
        "{body}"
    );
    assert!(body.ends_with("Subject: hi\r\n\r\nbody\r\n"));
}

#[test]
fn dates_are_rfc5322() {
    assert_eq!(rfc5322_date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
    assert_eq!(
        rfc5322_date(1_795_510_432_000),
        "Tue, 24 Nov 2026 08:53:52 +0000"
    );
}

#[test]
fn strip_received_table() {
    let rows: &[(&str, &str)] = &[
        // Nothing to strip.
        ("Subject: a\r\n\r\nbody\r\n", "Subject: a\r\n\r\nbody\r\n"),
        // Folded fields go whole; any case; others stay in order.
        (
            "Received: from a\r\n\tby b;\r\n\tdate\r\nSubject: s\r\nreceived: from c\r\nX-A: 1\r\n\r\nbody\r\n",
            "Subject: s\r\nX-A: 1\r\n\r\nbody\r\n",
        ),
        // The body is never touched, even a line that looks like a header.
        (
            "X: 1\r\n\r\nReceived: not a header here\r\n",
            "X: 1\r\n\r\nReceived: not a header here\r\n",
        ),
        // A field that only starts like Received is kept.
        (
            "Received-SPF: pass\r\nReceivedX: y\r\n\r\nb",
            "Received-SPF: pass\r\nReceivedX: y\r\n\r\nb",
        ),
        // Bare LF line ends, and a message without a body.
        ("Received: x\n y\nSubject: s\n", "Subject: s\n"),
    ];
    for (input, want) in rows {
        let got = headers::strip_received(input.as_bytes());
        assert_eq!(String::from_utf8(got).unwrap(), *want, "{input:?}");
    }
}

#[test]
fn a_full_disk_is_452_other_storage_failures_451() {
    let wire = |e: StorageError| String::from_utf8(storage_refusal(&e).to_bytes()).unwrap();
    assert_eq!(
        wire(StorageError::NoSpace),
        "452 4.3.1 Insufficient system storage\r\n"
    );
    for e in [
        StorageError::WriterGone,
        StorageError::Other("fsync: No space left on device".into()),
    ] {
        assert!(wire(e).starts_with("451 4.3.0 "));
    }
}
