//! End-to-end: bounce handling of the real daemon. Mail goes through hikyakud to a local sink
//! that answers 250 and records the envelope; a DSN for that delivery is then injected into the
//! receiving listener, and the error log, the delivery log and the block list are checked
//! through the JSON-RPC API.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;

use hikyaku_e2e::{envelope_sink, wait_for, Daemon, Raw, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::BlockQuery;
use hikyaku_rpc::types::bounces::{BounceQuery, ErrorStatsQuery};
use hikyaku_rpc::types::deliveries::{DeliveryQuery, Status};
use hikyaku_rpc::types::send::SendSingle;

fn dsn(recipient: &str, original_message_id: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.remote.test>\r\n\
To: <bounces@bounce.e2e.test>\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
I'm sorry to have to inform you that your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.remote.test\r\n\
\r\n\
Final-Recipient: rfc822; {recipient}\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\r\n\
\r\n\
--B\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
From: shop@app.test\r\n\
To: {recipient}\r\n\
Message-ID: <{original_message_id}>\r\n\
Subject: Hello\r\n\
--B--\r\n"
    )
}

/// Sends `body` to the receiving listener with MAIL FROM:<> and returns the final reply.
fn inject(addr: SocketAddr, rcpt: &str, body: &str) -> String {
    let mut c = Raw::hello(addr);
    assert!(c.cmd("MAIL FROM:<>").starts_with("250"));
    let r = c.cmd(&format!("RCPT TO:<{rcpt}>"));
    if !r.starts_with("250") {
        return r;
    }
    assert!(c.cmd("DATA").starts_with("354"));
    c.send(body.as_bytes());
    c.send(b".\r\n");
    c.reply()
}

#[test]
fn a_dsn_for_a_delivered_message_fails_it_logs_it_and_blocks_the_recipient() {
    let (sink, senders) = envelope_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n[bounce]\nreturn_path_domain = \"bounce.e2e.test\"\nforward_to_sender = true\n"
    ));
    let send = |to: &str| {
        d.call(
            Some(API_KEY),
            m::SEND_SINGLE,
            &SendSingle {
                from: "shop@app.test".into(),
                to: vec![to.into()],
                subject: "Hello".into(),
                text: Some("Hi".into()),
                ..SendSingle::default()
            },
        )
        .unwrap()
    };
    let sent = send("gone@example.net");
    let delivery = sent.deliveries[0].delivery_id.clone();
    // Delivered, with a VERP return path naming the delivery.
    let verp = wait_for("delivery to the sink", || {
        senders
            .lock()
            .unwrap()
            .first()
            .map(|(_, from)| from.clone())
    });
    assert!(verp.starts_with(&format!("b-{delivery}-")), "{verp}");
    assert!(verp.ends_with("@bounce.e2e.test"), "{verp}");
    wait_for("succeeded", || {
        d.call(
            Some(API_KEY),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("gone@example.net".into()),
                status: Some(Status::Succeeded),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });

    // Only bounce and inbound domains are accepted on the receiving listener.
    let refused = inject(d.receive, "someone@elsewhere.test", "x");
    assert!(refused.starts_with("550 5.7.1"), "{refused}");

    // The DSN comes back to the VERP address.
    let reply = inject(
        d.receive,
        &verp,
        &dsn("gone@example.net", "not-the-original@x"),
    );
    assert!(reply.starts_with("250"), "{reply}");
    let rec = wait_for("error-log record", || {
        d.call(
            Some(API_KEY),
            m::BOUNCES_SEARCH,
            &BounceQuery {
                recipient: Some("GONE@example.net".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(rec.delivery_id.as_deref(), Some(delivery.as_str()));
    assert_eq!(rec.matched_by.as_deref(), Some("verp"));
    assert_eq!(rec.error_status, 2);
    assert_eq!(rec.enhanced_status.as_deref(), Some("5.1.1"));
    assert_eq!(rec.api_user.as_deref(), Some("default"));
    // The delivery is failed now too (it appears in both logs).
    let failed = d
        .call(
            Some(API_KEY),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("gone@example.net".into()),
                status: Some(Status::Failed),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(failed.records.len(), 1);
    assert_eq!(failed.records[0].delivery_id, delivery);
    assert_eq!(failed.records[0].error_status, Some(2));
    // Forwarded whole to the original sender, with the null envelope sender.
    wait_for("forwarded bounce", || {
        senders
            .lock()
            .unwrap()
            .iter()
            .any(|(_, from)| from.is_empty())
            .then_some(())
    });
    // Auto-blocked (defaults: 1 error of status 2).
    let blocks = d
        .call(Some(API_KEY), m::BLOCKS_LIST, &BlockQuery::default())
        .unwrap();
    assert_eq!(blocks.entries.len(), 1, "{blocks:?}");
    assert_eq!(blocks.entries[0].address, "gone@example.net");
    assert!(blocks.entries[0].reason.contains("auto-blocked"));

    // A forged VERP address falls back to the original Message-ID and recipient.
    let second = send("other@example.org");
    wait_for("second delivery", || {
        (senders.lock().unwrap().len() >= 2).then_some(())
    });
    let forged = format!(
        "b-{}-000000000000@bounce.e2e.test",
        second.deliveries[0].delivery_id
    );
    let reply = inject(
        d.receive,
        &forged,
        &dsn("other@example.org", &second.header_message_id),
    );
    assert!(reply.starts_with("250"), "{reply}");
    let rec = wait_for("message-id match", || {
        d.call(
            Some(API_KEY),
            m::BOUNCES_SEARCH,
            &BounceQuery {
                recipient: Some("other@example.org".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(rec.matched_by.as_deref(), Some("message_id"));
    assert_eq!(
        rec.delivery_id.as_deref(),
        Some(second.deliveries[0].delivery_id.as_str())
    );

    // A bounce for a message we never sent is kept, unmatched.
    let reply = inject(
        d.receive,
        "postmaster@bounce.e2e.test",
        &dsn("stranger@example.com", "unknown@x"),
    );
    assert!(reply.starts_with("250"), "{reply}");
    // Unmatched bounces belong to no API user: an account sees them, an API user does not.
    let admin = d.login("admin", hikyaku_e2e::ADMIN_PASSWORD);
    let rec = wait_for("unmatched", || {
        d.call(
            Some(&admin),
            m::BOUNCES_SEARCH,
            &BounceQuery {
                recipient: Some("stranger@example.com".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(rec.delivery_id, None);
    let mine = d
        .call(
            Some(API_KEY),
            m::BOUNCES_SEARCH,
            &BounceQuery {
                recipient: Some("stranger@example.com".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(mine.records.is_empty());

    // Error graph data.
    let stats = d
        .call(Some(API_KEY), m::STATS_ERRORS, &ErrorStatsQuery::default())
        .unwrap();
    assert_eq!(stats.total, 2, "{stats:?}");
    assert_eq!(stats.by_status[0].error_status, 2);
    assert_eq!(stats.by_domain.len(), 2);
    // An auto-reply is accepted but records nothing.
    let vacation = "From: a@example.net\r\nTo: b@bounce.e2e.test\r\nAuto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nI am away.\r\n";
    assert!(inject(d.receive, "x@bounce.e2e.test", vacation).starts_with("250"));
}

#[test]
fn receiving_listener_enforces_its_own_connection_and_size_limits() {
    let d = Daemon::start(
        "sandbox = true\n[receive]\nmax_connections = 1\nmax_message_size_kb = 1\ninbound_domains = [\"in.e2e.test\"]\n",
    );
    let mut first = Raw::hello(d.receive);
    // The second connection is over the limit of 1.
    let mut second = Raw::connect(d.receive);
    let greeting = second.reply();
    assert!(greeting.starts_with("421 4.7.0"), "{greeting}");
    // Inbound domains are accepted; the size limit is advertised and enforced.
    let ehlo = first.cmd("EHLO remote.test");
    assert!(ehlo.contains("SIZE 1024"), "{ehlo}");
    assert!(first
        .cmd("MAIL FROM:<a@remote.test> SIZE=4096")
        .starts_with("552"));
    assert!(first.cmd("MAIL FROM:<a@remote.test>").starts_with("250"));
    assert!(first.cmd("RCPT TO:<x@in.e2e.test>").starts_with("250"));
    // The relay is unaffected by the receiving listener's limit.
    let relay = Raw::hello(d.relay);
    drop(relay);
}

/// `hikyaku bounce parse` over an mbox and a Maildir (issue 18 item 6): the real binary, no
/// server; every message is analysed and the summary table counts them per kind and status.
#[test]
fn bounce_parse_reads_an_mbox_and_a_maildir_and_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let failed = dsn("gone@example.net", "<m1@app.test>").replace("\r\n", "\n");
    let delayed = failed
        .replace("Action: failed", "Action: delayed")
        .replace("Status: 5.1.1", "Status: 4.4.7");
    let vacation =
        "From: someone@example.net\nSubject: Out of office\nAuto-Submitted: auto-replied\n\
\nI am out of the office until Monday.\n";
    // An mbox with a ">From " line inside a body, which must not split the message.
    let mbox = format!(
        "From MAILER-DAEMON Tue Dec  2 09:00:00 2026\n{failed}\n>From the sender's text\n\n\
From MAILER-DAEMON Tue Dec  2 09:00:01 2026\n{delayed}\n\
From someone@example.net Tue Dec  2 09:00:02 2026\n{vacation}\n"
    );
    let mbox_path = dir.path().join("bounces.mbox");
    std::fs::write(&mbox_path, mbox).unwrap();
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(maildir.join("cur/1.host:2,S"), &failed).unwrap();
    std::fs::write(maildir.join("new/2.host"), vacation).unwrap();
    std::fs::write(maildir.join("tmp/3.host"), &failed).unwrap(); // being delivered: skipped

    let out = std::process::Command::new(hikyaku_e2e::binary("hikyaku"))
        .args(["bounce", "parse"])
        .arg(&mbox_path)
        .arg(&maildir)
        .env("HIKYAKU_LANG", "en")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let count = |prefix: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.split_whitespace().next() == Some(prefix))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    // Five messages: two failures, one delay warning, two auto-replies.
    assert!(count("dsn").contains(&"dsn 2".to_string()), "{text}");
    assert!(
        count("delayed").contains(&"delayed 1".to_string()),
        "{text}"
    );
    assert!(
        count("auto_reply").contains(&"auto_reply 2".to_string()),
        "{text}"
    );
    assert!(count("total").contains(&"total 5".to_string()), "{text}");
    // Two failed recipients, both unknown users; the delay warning names none.
    assert!(
        count("dsn").contains(&"dsn 2 unknown user 2".to_string()),
        "{text}"
    );
    assert!(
        text.contains("bounces.mbox:2: delay warning (gone@example.net)"),
        "{text}"
    );
    assert_eq!(
        text.matches("gone@example.net status=2").count(),
        2,
        "{text}"
    );
}

/// A plain folder is read with its subfolders (a tree of exported messages, a folder holding
/// Maildirs), by both binaries; a folder with no message is said on stderr, not summed as nothing.
#[test]
fn bounce_parse_reads_a_folder_tree_and_says_when_it_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let failed = dsn("gone@example.net", "<m1@app.test>").replace("\r\n", "\n");
    let tree = dir.path().join("export");
    std::fs::create_dir_all(tree.join("2026/12")).unwrap();
    std::fs::write(tree.join("2026/12/a.eml"), &failed).unwrap();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(tree.join("box").join(sub)).unwrap();
    }
    std::fs::write(tree.join("box/new/1.host"), &failed).unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();

    let out = std::process::Command::new(hikyaku_e2e::binary("hikyaku"))
        .args(["bounce", "parse"])
        .arg(&tree)
        .arg(&empty)
        .env("HIKYAKU_LANG", "en")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}{err}");
    assert_eq!(
        text.matches("gone@example.net status=2").count(),
        2,
        "{text}"
    );
    assert!(err.contains("no message found in"), "{err}");
    assert!(err.contains("empty"), "{err}");

    let out = std::process::Command::new(hikyaku_e2e::binary("hikyakud"))
        .args(["bounce", "parse"])
        .arg(&tree)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        text.matches("gone@example.net status=2").count(),
        2,
        "{text}"
    );
}
