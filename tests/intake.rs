//! End-to-end: the relay listener of the real `hikyakud`, driven by Python's smtplib and raw
//! sockets.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_e2e::{python, Daemon, Raw};

const SEND: &str = r#"
import smtplib, sys
host, port = sys.argv[1], int(sys.argv[2])
rcpts = sys.argv[3].split(',')
s = smtplib.SMTP(host, port, timeout=20)
s.ehlo('app.e2e.test')
msg = 'From: app@e2e.test\r\nTo: someone\r\nSubject: hello e2e\r\nMessage-ID: <m1@e2e.test>\r\n\r\nbody line\r\n'
refused = s.sendmail('app@e2e.test', rcpts, msg)
code, text = s.noop()
print(code, refused)
s.quit()
"#;

#[test]
fn multi_recipient_message_is_queued_per_recipient() {
    let mut d = Daemon::start("");
    let out = python(
        SEND,
        &[
            "127.0.0.1",
            &d.relay.port().to_string(),
            "a@example.com,b@Example.COM,c@other.test",
        ],
    );
    assert_eq!(out.trim(), "250 {}");
    let q = d.queue();
    assert_eq!(q.len(), 3, "{q:?}");
    assert!(q
        .iter()
        .any(|l| l.contains("\"recipient\":\"b@Example.COM\"")
            && l.contains("\"domain\":\"example.com\"")));
    assert!(q.iter().any(|l| l.contains("\"domain\":\"other.test\"")));
    assert!(d.stop().success());
}

#[test]
fn pipelined_transaction_gets_replies_in_order() {
    let d = Daemon::start("");
    let mut c = Raw::hello(d.relay);
    c.send(b"MAIL FROM:<p@e2e.test>\r\nRCPT TO:<x@example.com>\r\nRCPT TO:<bad@-example..com>\r\nRCPT TO:<y@example.com>\r\nDATA\r\n");
    assert!(c.reply().starts_with("250"));
    assert!(c.reply().starts_with("250"));
    assert!(c.reply().starts_with("553 5.1.3"));
    assert!(c.reply().starts_with("250"));
    assert!(c.reply().starts_with("354"));
    c.send(b"Subject: piped\r\n\r\nhi\r\n.\r\nNOOP\r\nQUIT\r\n");
    let r = c.reply();
    assert!(r.starts_with("250 2.0.0 Ok: queued as "), "{r}");
    assert!(c.reply().starts_with("250"));
    assert!(c.reply().starts_with("221"));
    assert_eq!(d.queue().len(), 2);
}

#[test]
fn bdat_chunks_make_one_message() {
    let d = Daemon::start("");
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<b@e2e.test>").starts_with("250"));
    assert!(c.cmd("RCPT TO:<z@example.org>").starts_with("250"));
    let part1 = b"Subject: chunked\r\n\r\nfirst ";
    let part2 = b"second\r\n.not a terminator\r\n";
    c.send(format!("BDAT {}\r\n", part1.len()).as_bytes());
    c.send(part1);
    assert!(c.reply().starts_with("250"));
    c.send(format!("BDAT {} LAST\r\n", part2.len()).as_bytes());
    c.send(part2);
    let r = c.reply();
    assert!(r.starts_with("250 2.0.0 Ok: queued as"), "{r}");
    assert_eq!(d.queue().len(), 1);
}

#[test]
fn starttls_negotiates_tls13_and_auth_works_after_it() {
    let d = Daemon::start("[relay]\nplain_auth_allowed = false\nallowed_ips = []\n");
    let out = d.command(&["user", "add", "app1"], Some("s3cret-pass\n"));
    // The daemon holds the spool lock: offline user creation must refuse clearly.
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another process"));
    drop(d);

    let mut d = Daemon::start("[relay]\nplain_auth_allowed = false\nallowed_ips = []\n");
    d.stop();
    let out = d.command(&["user", "add", "app1"], Some("s3cret-pass\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.spawn();
    let script = r#"
import smtplib, ssl, sys
port = int(sys.argv[1])
s = smtplib.SMTP('127.0.0.1', port, timeout=20)
s.ehlo('tls.e2e.test')
assert 'auth' not in s.esmtp_features, 'AUTH offered before TLS'
try:
    s.mail('x@e2e.test'); r = s.rcpt('y@example.com')
    print('before-tls', s.mail('x@e2e.test')[0])
except smtplib.SMTPException as e:
    pass
s.rset()
code, _ = s.docmd('MAIL FROM:<x@e2e.test>')
print('mail-before-tls', code)
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s.starttls(context=ctx)
print('version', s.sock.version())
s.ehlo('tls.e2e.test')
print('auth-offered', 'auth' in s.esmtp_features)
try:
    s.login('app1', 'wrong-password')
except smtplib.SMTPAuthenticationError as e:
    print('bad-login', e.smtp_code)
s.login('app1', 's3cret-pass')
s.sendmail('x@e2e.test', ['y@example.com'], 'Subject: tls\r\n\r\nhi\r\n')
print('sent')
s.quit()
"#;
    let out = python(script, &[&d.relay.port().to_string()]);
    assert!(out.contains("mail-before-tls 530"), "{out}");
    assert!(out.contains("version TLSv1.3"), "{out}");
    assert!(out.contains("auth-offered True"), "{out}");
    assert!(out.contains("bad-login 535"), "{out}");
    assert!(out.contains("sent"), "{out}");
    let q = d.queue();
    assert_eq!(q.len(), 1);
}

#[test]
fn auth_login_and_plain_on_loopback_listener() {
    let mut d = Daemon::start("[relay]\nallowed_ips = []\n");
    d.stop();
    assert!(d
        .command(&["user", "add", "app2"], Some("another-secret\n"))
        .status
        .success());
    d.spawn();
    let script = r#"
import smtplib, sys
port = int(sys.argv[1])
for mech in ('PLAIN', 'LOGIN'):
    s = smtplib.SMTP('127.0.0.1', port, timeout=20)
    s.ehlo('a.e2e.test')
    s.user, s.password = 'app2', 'another-secret'
    code, _ = s.auth(mech, s.auth_plain if mech == 'PLAIN' else s.auth_login)
    print(mech, code)
    s.sendmail('x@e2e.test', ['y@example.com'], 'Subject: auth\r\n\r\nhi\r\n')
    s.quit()
"#;
    let out = python(script, &[&d.relay.port().to_string()]);
    assert!(out.contains("PLAIN 235"), "{out}");
    assert!(out.contains("LOGIN 235"), "{out}");
    assert_eq!(d.queue().len(), 2);
    assert!(d.queue()[0].contains("\"recipient\":\"y@example.com\""));
}

#[test]
fn relay_denied_without_auth_and_outside_allow_list() {
    // AUTH can be offered (loopback listener): 530 5.7.0.
    let d = Daemon::start("[relay]\nallowed_ips = [\"192.0.2.0/24\"]\n");
    let mut c = Raw::hello(d.relay);
    let r = c.cmd("MAIL FROM:<x@e2e.test>");
    assert!(r.starts_with("530 5.7.0"), "{r}");
    assert!(c.cmd("RCPT TO:<y@example.com>").starts_with("503"));
    assert!(c.cmd("DATA").starts_with("503"));
    drop(d);
    // No AUTH possible at all (no TLS, no plain auth): 554 5.7.1.
    let d = Daemon::start(
        "[relay]\nallowed_ips = [\"192.0.2.0/24\"]\nstarttls = false\nplain_auth_allowed = false\n",
    );
    let mut c = Raw::hello(d.relay);
    let r = c.cmd("MAIL FROM:<x@e2e.test>");
    assert!(r.starts_with("554 5.7.1"), "{r}");
    assert!(d.queue().is_empty());
}

#[test]
fn irregular_local_parts_are_quoted_and_malformed_refused() {
    let d = Daemon::start("");
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    assert!(c
        .cmd("RCPT TO:<irregular..pattern@example.com>")
        .starts_with("250"));
    assert!(c
        .cmd("RCPT TO:<hello\\(^^)@example.com>")
        .starts_with("250"));
    assert!(c.cmd("RCPT TO:<no-at-sign>").starts_with("553 5.1.3"));
    assert!(c.cmd("RCPT TO:<a@.bad.example>").starts_with("553 5.1.3"));
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: q\r\n\r\nx\r\n.").starts_with("250"));
    let q = d.queue().join("\n");
    assert!(
        q.contains(r#""recipient":"\"irregular..pattern\"@example.com""#),
        "{q}"
    );
    assert!(
        q.contains(r#""recipient":"\"hello\\\\(^^)\"@example.com""#),
        "{q}"
    );
}

#[test]
fn vrfy_help_noop_rset() {
    let d = Daemon::start("");
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("VRFY someone").starts_with("252"));
    assert!(c.cmd("HELP").starts_with("214"));
    assert!(c.cmd("NOOP").starts_with("250"));
    assert!(c.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    assert!(c.cmd("RSET").starts_with("250"));
    assert!(c.cmd("RCPT TO:<y@example.com>").starts_with("503"));
    assert!(c.cmd("FOO").starts_with("500"));
    assert!(c.cmd("QUIT").starts_with("221"));
}
