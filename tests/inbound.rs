//! End-to-end inbound webhooks: mail for an inbound domain arrives on the receiving listener of
//! the real daemon, and the webhook whose filter matches its envelope recipient receives it as
//! JSON (envelope, decoded fields, text and HTML, headers, attachments — a large one without
//! its content) with SPF/DKIM/DMARC results evaluated against the project's test DNS server,
//! signed per Standard Webhooks (checked with the `standardwebhooks` package). Mail no filter
//! matches is not posted but stays listable.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use hikyaku_dns::{TestDns, Zone};
use hikyaku_e2e::{python, wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::received::ReceivedQuery;
use hikyaku_rpc::types::webhooks::{WebhookCreate, WebhookFilter};

/// One POST: its headers (lower-cased names) and body.
#[derive(Clone, Debug)]
struct Post {
    headers: Vec<(String, String)>,
    body: String,
}

/// A minimal HTTP/1.1 receiver answering 200 to every POST (keep-alive), recording them.
fn receiver() -> (SocketAddr, Arc<Mutex<Vec<Post>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let posts: Arc<Mutex<Vec<Post>>> = Arc::default();
    let seen = posts.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut headers = Vec::new();
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).unwrap_or(0) == 0 {
                            return;
                        }
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        if let Some((k, v)) = h.split_once(':') {
                            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                        }
                    }
                    let len: usize = headers
                        .iter()
                        .find(|(k, _)| k == "content-length")
                        .map_or(0, |(_, v)| v.parse().unwrap());
                    let mut body = vec![0; len];
                    r.read_exact(&mut body).unwrap();
                    seen.lock().unwrap().push(Post {
                        headers,
                        body: String::from_utf8(body).unwrap(),
                    });
                    let _ = w.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                }
            });
        }
    });
    (addr, posts)
}

fn message(to: &str, big: usize) -> String {
    let big_b64 = {
        use base64::Engine;
        let data = vec![b'z'; big];
        base64::engine::general_purpose::STANDARD.encode(data)
    };
    format!(
        "From: Ann <ann@sender.test>\r\nTo: {to}\r\nCc: carol@example.com\r\nSubject: contact form\r\n\
Date: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <in1@sender.test>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n\
name: Ann\r\n--b1\r\nContent-Type: text/plain; name=\"note.txt\"\r\n\
Content-Disposition: attachment; filename=\"note.txt\"\r\n\r\nsmall attachment\r\n--b1\r\n\
Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\n{big_b64}\r\n--b1--\r\n"
    )
}

fn send(d: &Daemon, to: &str, body: &str) {
    let mut c = Raw::hello(d.receive);
    assert!(c.cmd("MAIL FROM:<ann@sender.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{to}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!("{body}."));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

#[test]
fn inbound_mail_is_posted_as_json_to_the_matching_webhook() {
    let dns = TestDns::start(
        Zone::new()
            .txt("sender.test", "v=spf1 ip4:127.0.0.1 -all")
            .txt("_dmarc.sender.test", "v=DMARC1; p=none"),
    )
    .unwrap();
    let (hook_addr, posts) = receiver();
    let d = Daemon::start(&format!(
        "sandbox = true\n[receive]\ninbound_domains = [\"mailform.example.com\"]\ninbound_attachment_max_kb = 1\n\
         [delivery]\ndns_servers = [\"{}\"]\n",
        dns.addr()
    ));
    let token = d.login("admin", ADMIN_PASSWORD);
    let t = Some(token.as_str());
    let created = d
        .call(
            t,
            m::WEBHOOKS_CREATE,
            &WebhookCreate {
                url: format!("http://{hook_addr}/inbound"),
                events: vec!["inbound".into()],
                filter: Some(WebhookFilter {
                    header: "To".into(),
                    pattern: "info@mailform\\.example\\.com".into(),
                }),
            },
        )
        .unwrap();

    send(
        &d,
        "info@mailform.example.com",
        &message("info@mailform.example.com", 4000),
    );
    send(
        &d,
        "sales@mailform.example.com",
        &message("sales@mailform.example.com", 10),
    );

    let post = wait_for("the inbound POST", || {
        posts.lock().unwrap().first().cloned()
    });
    let events: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e["type"], "inbound");
    assert_eq!(e["recipient"], "info@mailform.example.com");
    let data = &e["data"];
    assert_eq!(data["envelope"]["from"], "ann@sender.test");
    assert_eq!(data["envelope"]["to"][0], "info@mailform.example.com");
    assert_eq!(data["from"][0]["address"], "ann@sender.test");
    assert_eq!(data["from"][0]["name"], "Ann");
    assert_eq!(data["cc"][0]["address"], "carol@example.com");
    assert_eq!(data["subject"], "contact form");
    assert_eq!(data["message_id"], "in1@sender.test");
    assert_eq!(data["date"], "2026-12-01T10:00:00Z");
    assert_eq!(data["text"].as_str().unwrap().trim(), "name: Ann");
    assert!(data["headers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["name"] == "Subject" && h["value"] == "contact form"));
    let attachments = data["attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 2, "{attachments:?}");
    assert_eq!(attachments[0]["filename"], "note.txt");
    assert_eq!(attachments[0]["omitted"], false);
    assert!(attachments[0]["content"].is_string());
    assert_eq!(attachments[1]["filename"], "big.bin");
    assert_eq!(attachments[1]["size"], 4000);
    assert_eq!(attachments[1]["omitted"], true);
    assert!(attachments[1].get("content").is_none());
    // Sender authentication through the test DNS server: SPF passes for 127.0.0.1, there is
    // no DKIM signature, and DMARC passes on the aligned SPF.
    assert_eq!(data["auth"]["spf"], "pass", "{data}");
    assert_eq!(data["auth"]["dkim"].as_array().unwrap().len(), 0);
    assert_eq!(data["auth"]["dmarc"], "pass", "{data}");
    assert_eq!(data["auth"]["dmarc_policy"], "none");

    // The signature verifies with the standardwebhooks package.
    let header = |name: &str| {
        post.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let verdict = python(
        r#"
import sys, standardwebhooks
wh = standardwebhooks.Webhook(sys.argv[1])
wh.verify(sys.argv[2], {"webhook-id": sys.argv[3], "webhook-timestamp": sys.argv[4], "webhook-signature": sys.argv[5]})
print("verified")
"#,
        &[
            &created.secret,
            &post.body,
            &header("webhook-id"),
            &header("webhook-timestamp"),
            &header("webhook-signature"),
        ],
    );
    assert_eq!(verdict.trim(), "verified");

    // The message no filter matched was not posted, but it is kept and listable.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let all: Vec<String> = posts
        .lock()
        .unwrap()
        .iter()
        .map(|p| p.body.clone())
        .collect();
    assert!(all.iter().all(|b| !b.contains("sales@mailform")), "{all:?}");
    let listed = d
        .call(
            t,
            m::RECEIVED_LIST,
            &ReceivedQuery {
                recipient: Some("sales@mailform.example.com".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(listed.records.len(), 1);
}
