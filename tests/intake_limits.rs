//! End-to-end: every relay limit of the real daemon, and SMTP smuggling attempts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use hikyaku_e2e::{Daemon, Raw};

fn open_transaction(c: &mut Raw, rcpts: usize) {
    assert!(c.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    for i in 0..rcpts {
        let r = c.cmd(&format!("RCPT TO:<r{i}@example.com>"));
        assert!(r.starts_with("250"), "{r}");
    }
}

#[test]
fn max_connections_gives_421() {
    let d = Daemon::start("[relay]\nmax_connections = 2\n");
    let _a = Raw::hello_when_free(d.relay);
    let _b = Raw::hello_when_free(d.relay);
    let mut c = Raw::connect(d.relay);
    let r = c.reply();
    assert!(r.starts_with("421 4.7.0"), "{r}");
    assert!(c.is_closed());
    drop(_a);
    // A slot frees up once a client leaves.
    let _e = Raw::hello_when_free(d.relay);
}

#[test]
fn oversize_message_gets_552_and_nothing_is_stored() {
    let d = Daemon::start("[relay]\nmax_message_size_kb = 1\n");
    let mut c = Raw::hello(d.relay);
    let ehlo = c.cmd("EHLO again.e2e.test");
    assert!(ehlo.contains("SIZE 1024"), "{ehlo}");
    assert!(c
        .cmd("MAIL FROM:<s@e2e.test> SIZE=5000")
        .starts_with("552 5.3.4"));
    open_transaction(&mut c, 1);
    assert!(c.cmd("DATA").starts_with("354"));
    let body = "x".repeat(78) + "\r\n";
    for _ in 0..40 {
        c.send(body.as_bytes());
    }
    let r = c.cmd(".");
    assert!(r.starts_with("552 5.3.4"), "{r}");
    // The session goes on.
    assert!(c.cmd("NOOP").starts_with("250"));
    assert!(d.queue().is_empty());
}

#[test]
fn too_many_recipients_gets_452() {
    let d = Daemon::start("[relay]\nmax_recipients = 2\n");
    let mut c = Raw::hello(d.relay);
    open_transaction(&mut c, 2);
    let r = c.cmd("RCPT TO:<third@example.com>");
    assert!(r.starts_with("452 4.5.3"), "{r}");
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: two\r\n\r\nx\r\n.").starts_with("250"));
    assert_eq!(d.queue().len(), 2);
}

#[test]
fn long_command_line_gets_500() {
    let d = Daemon::start("");
    let mut c = Raw::hello(d.relay);
    let line = format!("RCPT TO:<{}@example.com>", "a".repeat(1000));
    assert!(c.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    let r = c.cmd(&line);
    assert!(r.starts_with("500 5.5.2"), "{r}");
    assert!(c.cmd("NOOP").starts_with("250"));
    // Exactly 1000 octets with CRLF is allowed.
    let local = "b".repeat(1000 - "RCPT TO:<@example.com>\r\n".len());
    let r = c.cmd(&format!("RCPT TO:<{local}@example.com>"));
    assert!(r.starts_with("250"), "{r}");
}

#[test]
fn reception_interval_paces_messages_on_a_connection() {
    let d = Daemon::start("[relay]\nreception_interval_ms = 400\n");
    let mut c = Raw::hello(d.relay);
    let start = Instant::now();
    for _ in 0..3 {
        open_transaction(&mut c, 1);
        assert!(c.cmd("DATA").starts_with("354"));
        assert!(c.cmd("Subject: paced\r\n\r\nx\r\n.").starts_with("250"));
    }
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(1100),
        "3 messages took only {took:?}"
    );
}

#[test]
fn idle_client_times_out_with_421() {
    let d = Daemon::start("[relay.timeouts]\ncommand_secs = 1\n");
    let mut c = Raw::hello(d.relay);
    let start = Instant::now();
    let r = c.reply();
    assert!(r.starts_with("421 4.4.2"), "{r}");
    assert!(start.elapsed() >= Duration::from_millis(900));
    assert!(c.is_closed());
}

/// Each smuggling form must leave exactly one message with the smuggled text inside it.
#[test]
fn smuggling_forms_never_end_data_when_normalizing() {
    let d = Daemon::start("");
    let forms: [&[u8]; 4] = [b"\n.\n", b"\r.\r", b"\r\n.\n", b"\n.\r\n"];
    for form in forms {
        let mut c = Raw::hello(d.relay);
        open_transaction(&mut c, 1);
        assert!(c.cmd("DATA").starts_with("354"));
        let mut data = b"Subject: smuggle\r\n\r\nbody".to_vec();
        data.extend_from_slice(form);
        data.extend_from_slice(
            b"MAIL FROM:<evil@e2e.test>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nevil\r\n.\r\n",
        );
        c.send(&data);
        let r = c.reply();
        assert!(r.starts_with("250 2.0.0"), "{form:?}: {r}");
        // No second transaction was started by the smuggled commands.
        assert!(
            c.cmd("RCPT TO:<x@example.com>").starts_with("503"),
            "{form:?}"
        );
    }
    let q = d.queue();
    assert_eq!(q.len(), 4, "{q:?}");
    assert!(!q.iter().any(|l| l.contains("victim")));
}

#[test]
fn smuggling_rejected_in_reject_mode() {
    let d = Daemon::start("[relay]\nbare_line_ending = \"reject\"\n");
    let mut c = Raw::hello(d.relay);
    open_transaction(&mut c, 1);
    assert!(c.cmd("DATA").starts_with("354"));
    c.send(b"Subject: s\r\n\r\nbody\n.\nMAIL FROM:<evil@e2e.test>\r\n.\r\n");
    let r = c.reply();
    assert!(r.starts_with("550 5.6.11"), "{r}");
    assert!(d.queue().is_empty());
}

#[test]
fn bad_config_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[relay]\nmax_conections = 5\n").unwrap();
    let out = std::process::Command::new(hikyaku_e2e::binary("hikyakud"))
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("max_conections"), "{err}");

    std::fs::write(&path, "[relay]\nmax_recipients = 0\n").unwrap();
    let out = std::process::Command::new(hikyaku_e2e::binary("hikyakud"))
        .arg("--config")
        .arg(&path)
        .arg("config")
        .arg("check")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("relay.max_recipients"));
}
