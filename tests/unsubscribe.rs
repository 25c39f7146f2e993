//! End-to-end: one-click unsubscribe (RFC 8058). A policy rule adds the headers; the test
//! takes the URL from the delivered message's header, as a mailbox provider would, POSTs it
//! with Python's urllib over HTTPS, and then sees error status 11 on the next send. GET
//! changes nothing, forged tokens get 400, and the mailto address works on the receiving
//! listener.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;

use hikyaku_e2e::{message_sink, python, wait_for, Captures, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockQuery, ListName};
use hikyaku_rpc::types::deliveries::{DeliveryQuery, Status};

const HTTP: &str = r#"
import ssl, sys, urllib.request, urllib.error
url, method = sys.argv[1], sys.argv[2]
data = b"List-Unsubscribe=One-Click" if method == "POST" else None
headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
req = urllib.request.Request(url, data=data, method=method, headers=headers)
try:
    r = urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=10)
    print(r.status); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode())
"#;

/// (status, body) of an HTTPS request made by Python.
fn http(url: &str, method: &str) -> (u16, String) {
    let out = python(HTTP, &[url, method]);
    let (status, body) = out.split_once('\n').unwrap_or((&out, ""));
    (status.trim().parse().unwrap(), body.to_string())
}

fn send(d: &Daemon, rcpt: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<news@shop.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{rcpt}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!("Subject: {subject}\r\n\r\nhello\r\n."));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// The unfolded `List-Unsubscribe` value of the message delivered to `rcpt`.
fn header_of(seen: &Captures, rcpt: &str, name: &str) -> Option<String> {
    let all = seen.lock().unwrap();
    let msg = all.iter().find(|c| c.rcpts == [rcpt])?;
    let head = msg.data.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string))
}

fn links(value: &str) -> (String, String) {
    let parts: Vec<&str> = value
        .split(',')
        .map(|p| p.trim().trim_start_matches('<').trim_end_matches('>'))
        .collect();
    let url = parts.iter().find(|p| p.starts_with("https://")).unwrap();
    let mailto = parts.iter().find(|p| p.starts_with("mailto:")).unwrap();
    (
        url.to_string(),
        mailto.trim_start_matches("mailto:").to_string(),
    )
}

fn unsubscribed(d: &Daemon, token: &str) -> Vec<String> {
    d.call(
        Some(token),
        m::BLOCKS_LIST,
        &BlockQuery {
            list: ListName::Unsubscribe,
            ..Default::default()
        },
    )
    .unwrap()
    .entries
    .into_iter()
    .map(|e| e.address)
    .collect()
}

#[test]
fn one_click_unsubscribe_by_https_and_by_mail() {
    let (sink, seen) = message_sink();
    let d = Daemon::start(&format!(
        r#"sandbox = false
[delivery]
smart_host = "{sink}"
[bounce]
return_path_domain = "bounce.e2e.test"
[[policy.rules]]
header = "Subject"
match = "news .*"
unsubscribe = true
"#
    ));
    let port = d.unsubscribe.port();
    let admin = d.login("admin", ADMIN_PASSWORD);
    send(&d, "reader@dest.test", "news 1");
    send(&d, "other@dest.test", "receipt 1");
    send(&d, "reader2@dest.test", "news 2");
    wait_for("three deliveries", || {
        (seen.lock().unwrap().len() >= 3).then_some(())
    });

    // Only matching mail carries the headers, each with its own token.
    assert_eq!(
        header_of(&seen, "other@dest.test", "List-Unsubscribe"),
        None
    );
    let value = header_of(&seen, "reader@dest.test", "List-Unsubscribe").unwrap();
    assert_eq!(
        header_of(&seen, "reader@dest.test", "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let (url, mailto) = links(&value);
    assert!(
        url.starts_with(&format!("https://127.0.0.1:{port}/u/")),
        "{url}"
    );
    assert!(
        mailto.starts_with("u-") && mailto.ends_with("@bounce.e2e.test"),
        "{mailto}"
    );

    // GET shows a confirmation page and changes nothing (scanners follow links).
    let (status, page) = http(&url, "GET");
    assert_eq!(status, 200);
    assert!(page.contains("<form method=\"post\""), "{page}");
    assert!(unsubscribed(&d, &admin).is_empty());

    // A forged or altered token: 400, nothing changes.
    let mut forged = url.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    assert_eq!(http(&forged, "POST").0, 400);
    assert!(unsubscribed(&d, &admin).is_empty());

    // The provider's one-click POST, twice (idempotent).
    assert_eq!(http(&url, "POST").0, 200);
    assert_eq!(http(&url, "POST").0, 200);
    assert_eq!(
        unsubscribed(&d, &admin),
        vec!["reader@dest.test".to_string()]
    );

    // The next message to the recipient fails with status 11 and never reaches the sink.
    let before = seen.lock().unwrap().len();
    send(&d, "reader@dest.test", "news 3");
    wait_for("status 11", || {
        d.call(
            Some(&admin),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("reader@dest.test".into()),
                status: Some(Status::Failed),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .iter()
        .any(|r| r.error_status == Some(11))
        .then_some(())
    });
    assert_eq!(seen.lock().unwrap().len(), before);

    // By mail: the mailto address of reader2's message, sent to the receiving listener.
    let value2 = header_of(&seen, "reader2@dest.test", "List-Unsubscribe").unwrap();
    let (_, mailto2) = links(&value2);
    let receive: SocketAddr = d.receive;
    let mut c = Raw::hello(receive);
    assert!(c.cmd("MAIL FROM:<reader2@dest.test>").starts_with("250"));
    let r = c.cmd(&format!("RCPT TO:<{mailto2}>"));
    assert!(r.starts_with("250"), "{r}");
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: unsubscribe\r\n\r\n.").starts_with("250"));
    c.cmd("QUIT");
    let mut list = unsubscribed(&d, &admin);
    list.sort();
    assert_eq!(list, vec!["reader2@dest.test", "reader@dest.test"]);
}
