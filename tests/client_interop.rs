//! End-to-end: the relay listener of the real `hikyakud` against SMTP clients written by other
//! people, each with its own habits, so that intake is not only proven against the clients the
//! rest of the suite uses (Python's smtplib, raw sockets, swaks, Postfix's smtp-source):
//!
//! * curl's SMTP client (libcurl): declares `SIZE=` on MAIL when it knows the upload's length,
//!   aborts the whole transaction when one recipient is refused, STARTTLS with `--ssl-reqd`;
//! * msmtp (the sendmail replacement of many servers and cron jobs): pipelines MAIL/RCPT/DATA,
//!   GnuTLS for STARTTLS, recipients from the headers with `-t`;
//! * Perl's Net::SMTP (libnet, core Perl; IO::Socket::SSL for STARTTLS, Authen::SASL for AUTH):
//!   does its own dot-stuffing and line-ending conversion, never declares a size.
//!
//! Every message a client reports as sent is followed to a capturing SMTP sink behind the
//! engine (`[delivery] smart_host`), where its body must be byte-identical to what the client
//! was given and its recipients exactly the ones requested. Every refusal must make the client
//! fail (non-zero exit) and leave nothing queued or delivered. The tools are installed by
//! `scripts/ensure-deps.sh`; a missing one fails the test saying so.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{message_sink, wait_for, Captured, Captures, Daemon};

const USER: &str = "interop";
const PASSWORD: &str = "interop-secret-pass";

/// Loopback may relay without AUTH (the default); AUTH is still offered after STARTTLS.
const OPEN: &str = "[relay]\nplain_auth_allowed = false\n";
/// Nobody may relay without AUTH, and AUTH only after STARTTLS.
const AUTH_ONLY: &str = "[relay]\nallowed_ips = []\nplain_auth_allowed = false\n";

/// A daemon relaying everything to a fresh capturing sink, with the API user [`USER`].
fn daemon(relay_toml: &str) -> (Daemon, Captures) {
    let (sink, captures) = message_sink();
    let mut d = Daemon::start(&format!(
        "sandbox = false\n{relay_toml}\n[delivery]\nsmart_host = \"{sink}\"\n"
    ));
    d.stop();
    let out = d.command(&["user", "add", USER], Some(&format!("{PASSWORD}\n")));
    assert!(
        out.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.spawn();
    (d, captures)
}

/// Seconds a client may take before it counts as hung (and is killed).
const CLIENT_SECS: &str = "120";

/// A command line for an external client, run under coreutils' `timeout` so that a client and
/// server waiting on each other fail the test instead of stalling it.
fn client(program: &str) -> Command {
    let mut cmd = Command::new("timeout");
    cmd.args(["--kill-after=5", CLIENT_SECS, program]);
    cmd
}

/// Runs a [`client`], feeding `stdin`. A client that is not installed fails the test with the
/// way to install it; one that hangs fails it too.
fn run(cmd: &mut Command, stdin: &[u8]) -> Output {
    let program = cmd
        .get_args()
        .nth(2)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting timeout(1) for {program} failed ({e})"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // A client that gives up early closes its stdin: that is its exit status's business.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    match out.status.code() {
        Some(126 | 127) => panic!(
            "{program} could not be run ({}); run scripts/ensure-deps.sh to install it",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Some(124 | 137) | None => panic!(
            "{program} hung (killed after {CLIENT_SECS} s): {}",
            describe(&out)
        ),
        _ => out,
    }
}

fn describe(out: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The client failed (non-zero exit) and said why: `reason` is in its output.
fn assert_failed(out: &Output, reason: &str, what: &str) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.status.success() && all.contains(reason),
        "{what}: expected a failure naming {reason:?}: {}",
        describe(out)
    );
}

/// A deterministic body of about `bytes` octets, CRLF line ends: lines of every length from 0 to
/// the 998 octets RFC 5322 allows, many starting with '.', some that are exactly "." or ".."
/// (a client that does not dot-stuff would end DATA there), some with trailing spaces.
fn body(bytes: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut out = String::with_capacity(bytes + 1000);
    let mut n = 0usize;
    while out.len() < bytes {
        let len = match n % 7 {
            0 => 998,
            1 => 0,
            _ => next() % 999,
        };
        let mut line: String = (0..len)
            .map(|i| char::from(b' ' + ((next() + i) % 95) as u8))
            .collect();
        match n % 5 {
            0 => line.insert(0, '.'),
            1 if n % 3 == 0 => line = ".".repeat(1 + n % 2),
            _ => {}
        }
        line.truncate(998);
        out.push_str(&line);
        out.push_str("\r\n");
        n += 1;
    }
    out.push_str(".\r\n..\r\n. \r\nlast line\r\n");
    out
}

/// A whole message with the given header lines (each without line end) and body.
fn message(headers: &[&str], body: &str) -> String {
    let mut m = String::new();
    for h in headers {
        m.push_str(h);
        m.push_str("\r\n");
    }
    m.push_str("\r\n");
    m.push_str(body);
    m
}

/// The body of a delivered message (after the first empty line).
fn body_of(c: &Captured) -> &str {
    c.data
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no header/body separator in {:?}", c.data))
}

/// Compares bodies without printing megabytes: lengths and the first difference.
fn assert_same_body(got: &str, want: &str, what: &str) {
    if got == want {
        return;
    }
    let at = got
        .bytes()
        .zip(want.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around = |s: &str| {
        let from = at.saturating_sub(40);
        String::from_utf8_lossy(&s.as_bytes()[from..(at + 40).min(s.len())]).into_owned()
    };
    panic!(
        "{what}: body altered: {} octets delivered, {} sent, first difference at {at}:\n  \
         delivered {:?}\n  sent      {:?}",
        got.len(),
        want.len(),
        around(got),
        around(want)
    );
}

/// Waits until the sink holds exactly the recipients `rcpts` (in any order and any split into
/// transactions), the queue is empty, and checks every delivered body against `want`.
fn assert_delivered(d: &Daemon, captures: &Captures, rcpts: &[&str], want: &str, what: &str) {
    let mut expected: Vec<String> = rcpts.iter().map(|r| r.to_string()).collect();
    expected.sort();
    let got = wait_for(&format!("{what} at the sink"), || {
        let c = captures.lock().unwrap().clone();
        let n: usize = c.iter().map(|c| c.rcpts.len()).sum();
        (n >= expected.len()).then_some(c)
    });
    let mut delivered: Vec<String> = got.iter().flat_map(|c| c.rcpts.clone()).collect();
    delivered.sort();
    assert_eq!(delivered, expected, "{what}: recipients");
    for c in &got {
        assert_same_body(body_of(c), want, what);
    }
    wait_for(&format!("{what}: an empty queue"), || {
        d.queue().is_empty().then_some(())
    });
}

/// After a refusal: nothing was queued; then a control message must be the only one delivered
/// (so nothing from the refused transaction was on its way either).
fn assert_nothing_delivered(
    d: &Daemon,
    captures: &Captures,
    control: impl FnOnce() -> (Vec<String>, String),
    what: &str,
) {
    let q = d.queue();
    assert!(q.is_empty(), "{what}: queued after a refusal: {q:?}");
    assert!(
        captures.lock().unwrap().is_empty(),
        "{what}: delivered after a refusal"
    );
    let (rcpts, body) = control();
    let rcpts: Vec<&str> = rcpts.iter().map(String::as_str).collect();
    assert_delivered(
        d,
        captures,
        &rcpts,
        &body,
        &format!("{what}: control message"),
    );
}

// ---------------------------------------------------------------------------------- curl

fn curl(relay: SocketAddr, rcpts: &[&str], file: &Path, extra: &[&str]) -> Output {
    let mut cmd = client("curl");
    cmd.args(["-sS", "--max-time", "60"])
        .arg(format!("smtp://{relay}/client.e2e.test"))
        .args(["--mail-from", "app@e2e.test"]);
    for r in rcpts {
        cmd.args(["--mail-rcpt", r]);
    }
    cmd.arg("-T").arg(file).args(extra);
    run(&mut cmd, b"")
}

fn write_message(dir: &Path, name: &str, m: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, m).unwrap();
    path
}

#[test]
fn curl_plain_delivers_every_recipient_byte_identical() {
    let (d, captures) = daemon(OPEN);
    let dir = tempfile::tempdir().unwrap();
    let b = body(200_000, 1);
    let m = message(
        &["From: app@e2e.test", "To: b@example.com", "Subject: curl"],
        &b,
    );
    let file = write_message(dir.path(), "m.eml", &m);
    let rcpts = ["b@example.com", "c@example.net", "d@example.org"];
    let out = curl(d.relay, &rcpts, &file, &[]);
    assert!(out.status.success(), "curl: {}", describe(&out));
    assert_delivered(&d, &captures, &rcpts, &b, "curl plain");
    let c = captures.lock().unwrap().clone();
    assert!(
        c.iter().all(|c| c.from == "app@e2e.test"),
        "{:?}",
        c[0].from
    );
    assert!(c.iter().all(|c| c.data.contains("\r\nSubject: curl\r\n")));
}

#[test]
fn curl_starttls_with_auth_delivers_and_without_auth_is_refused() {
    let (d, captures) = daemon(AUTH_ONLY);
    let dir = tempfile::tempdir().unwrap();
    let b = body(50_000, 2);
    let file = write_message(
        dir.path(),
        "m.eml",
        &message(&["From: app@e2e.test", "Subject: curl tls"], &b),
    );
    // No credentials: the relay is not open, whatever the transport.
    for extra in [&[][..], &["--ssl-reqd", "--insecure"][..]] {
        let out = curl(d.relay, &["x@example.com"], &file, extra);
        assert_failed(
            &out,
            "MAIL failed: 530",
            &format!("curl {extra:?} without AUTH"),
        );
    }
    let wrong = format!("{USER}:not-the-password");
    let out = curl(
        d.relay,
        &["x@example.com"],
        &file,
        &["--ssl-reqd", "--insecure", "--user", &wrong],
    );
    assert_failed(&out, "Login denied", "curl, wrong password");
    let user = format!("{USER}:{PASSWORD}");
    let rcpts = ["tls1@example.com", "tls2@example.net"];
    assert_nothing_delivered(
        &d,
        &captures,
        || {
            let out = curl(
                d.relay,
                &rcpts,
                &file,
                &["--ssl-reqd", "--insecure", "--user", &user],
            );
            assert!(out.status.success(), "curl TLS+AUTH: {}", describe(&out));
            (rcpts.iter().map(|r| r.to_string()).collect(), b.clone())
        },
        "curl without AUTH",
    );
    // TLS 1.2 too (the SPEC's floor), with the OpenSSL under curl.
    captures.lock().unwrap().clear();
    let out = curl(
        d.relay,
        &["tls12@example.com"],
        &file,
        &[
            "-v",
            "--ssl-reqd",
            "--insecure",
            "--tls-max",
            "1.2",
            "--user",
            &user,
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && err.contains("SSL connection using TLSv1.2"),
        "curl TLS 1.2: {}",
        describe(&out)
    );
    assert_delivered(&d, &captures, &["tls12@example.com"], &b, "curl TLS 1.2");
}

#[test]
fn curl_refusals_fail_the_client_and_deliver_nothing() {
    let (d, captures) = daemon(&format!("{OPEN}max_message_size_kb = 64\n"));
    let dir = tempfile::tempdir().unwrap();
    // Larger than the limit: curl declares SIZE= from the file's length and is refused at MAIL.
    let big = body(100_000, 3);
    let file = write_message(dir.path(), "big.eml", &message(&["Subject: too big"], &big));
    let out = curl(d.relay, &["big@example.com"], &file, &[]);
    assert_failed(&out, "MAIL failed: 552", "curl, over-size");
    // One malformed recipient among good ones: curl abandons the whole transaction.
    let small = body(10_000, 4);
    let file = write_message(dir.path(), "small.eml", &message(&["Subject: s"], &small));
    let out = curl(
        d.relay,
        &["good@example.com", "bad@-example..com"],
        &file,
        &[],
    );
    assert_failed(&out, "RCPT failed: 553", "curl, malformed recipient");
    assert_nothing_delivered(
        &d,
        &captures,
        || {
            // With --mail-rcpt-allowfails curl goes on with the accepted recipients only.
            let out = curl(
                d.relay,
                &["good@example.com", "bad@-example..com", "also@example.net"],
                &file,
                &["--mail-rcpt-allowfails"],
            );
            assert!(out.status.success(), "allowfails: {}", describe(&out));
            (
                vec!["good@example.com".into(), "also@example.net".into()],
                small.clone(),
            )
        },
        "curl refusals",
    );
}

// --------------------------------------------------------------------------------- msmtp

/// An msmtp configuration for the relay (mode 0600: msmtp refuses a readable file holding a
/// password).
fn msmtp_config(dir: &Path, relay: SocketAddr, tls: bool, password: Option<&str>) -> String {
    let mut conf = format!(
        "defaults\nlogfile -\naccount hk\nhost {}\nport {}\nfrom app@e2e.test\ndomain client.e2e.test\n",
        relay.ip(),
        relay.port()
    );
    if tls {
        conf.push_str("tls on\ntls_starttls on\ntls_certcheck off\n");
    } else {
        conf.push_str("tls off\n");
    }
    match password {
        Some(p) => conf.push_str(&format!("auth on\nuser {USER}\npassword {p}\n")),
        None => conf.push_str("auth off\n"),
    }
    conf.push_str("account default : hk\n");
    let path = dir.join(format!("msmtprc-{tls}-{}", password.is_some()));
    std::fs::write(&path, conf).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path.to_string_lossy().into_owned()
}

fn msmtp(config: &str, args: &[&str], message: &str) -> Output {
    let mut cmd = client("msmtp");
    cmd.arg("-C").arg(config).args(args);
    run(&mut cmd, message.as_bytes())
}

#[test]
fn msmtp_plain_lf_only_input_with_recipients_from_headers() {
    let (d, captures) = daemon(OPEN);
    let dir = tempfile::tempdir().unwrap();
    let conf = msmtp_config(dir.path(), d.relay, false, None);
    let b = body(300_000, 5);
    let m = message(
        &[
            "From: app@e2e.test",
            "To: one@example.com, Two <two@example.net>",
            "Cc: three@example.org",
            "Bcc: hidden@example.com",
            "Subject: msmtp -t",
        ],
        &b,
    );
    // As cron and sendmail callers pipe it: LF line ends, which msmtp sends as CRLF.
    let out = msmtp(&conf, &["-t"], &m.replace("\r\n", "\n"));
    assert!(out.status.success(), "msmtp -t: {}", describe(&out));
    assert_delivered(
        &d,
        &captures,
        &[
            "one@example.com",
            "two@example.net",
            "three@example.org",
            "hidden@example.com",
        ],
        &b,
        "msmtp -t",
    );
    let c = captures.lock().unwrap().clone();
    assert!(c.iter().all(|c| !c.data.contains("hidden@")), "Bcc kept");
}

#[test]
fn msmtp_starttls_auth_delivers_and_refusals_fail() {
    let (d, captures) = daemon(AUTH_ONLY);
    let dir = tempfile::tempdir().unwrap();
    let b = body(120_000, 6);
    let m = message(&["From: app@e2e.test", "Subject: msmtp tls"], &b);
    let wrong = msmtp_config(dir.path(), d.relay, true, Some("not-the-password"));
    let out = msmtp(&wrong, &["w@example.com"], &m);
    assert_failed(&out, "smtpstatus=535", "msmtp, wrong password");
    let none = msmtp_config(dir.path(), d.relay, false, None);
    let out = msmtp(&none, &["n@example.com"], &m);
    assert_failed(&out, "smtpstatus=530", "msmtp without AUTH");
    let good = msmtp_config(dir.path(), d.relay, true, Some(PASSWORD));
    // One malformed recipient in the pipelined MAIL/RCPT/DATA: msmtp gives the message up.
    let out = msmtp(&good, &["a@example.com", "bad@-example..com"], &m);
    assert_failed(&out, "smtpstatus=553", "msmtp, malformed recipient");
    assert_nothing_delivered(
        &d,
        &captures,
        || {
            let out = msmtp(&good, &["a@example.com", "b@example.net"], &m);
            assert!(out.status.success(), "msmtp TLS+AUTH: {}", describe(&out));
            let log = String::from_utf8_lossy(&out.stdout);
            assert!(
                log.contains("tls=on auth=on") && log.contains("exitcode=EX_OK"),
                "{log}"
            );
            (
                vec!["a@example.com".into(), "b@example.net".into()],
                b.clone(),
            )
        },
        "msmtp refusals",
    );
}

// ----------------------------------------------------------------------------- Net::SMTP

/// Sends the message on stdin with Net::SMTP: STARTTLS, AUTH, `datasend` in pieces of varying
/// size (Net::SMTP dot-stuffs and turns LF into CRLF itself); exits 1 when any step fails.
const PERL_SEND: &str = r#"
use strict; use warnings;
use Net::SMTP; use IO::Socket::SSL; use Authen::SASL;
my ($host, $port, $user, $pass, @rcpts) = @ARGV;
binmode STDIN; my $msg = do { local $/; <STDIN> };
$msg =~ s/\r\n/\n/g;
my $smtp = Net::SMTP->new($host, Port => $port, Hello => 'perl.e2e.test', Timeout => 60)
  or die "connect: $@";
$smtp->starttls(SSL_verify_mode => SSL_VERIFY_NONE) or die "starttls: " . $smtp->message;
$smtp->auth($user, $pass) or die "auth: " . $smtp->code . " " . $smtp->message;
$smtp->mail('app@e2e.test') or die "mail: " . $smtp->message;
for my $r (@rcpts) { $smtp->to($r) or die "rcpt $r: " . $smtp->message; }
$smtp->data() or die "data: " . $smtp->message;
my ($at, $step) = (0, 1);
while ($at < length $msg) {
  my $piece = substr($msg, $at, $step);
  $smtp->datasend($piece) or die "datasend at $at";
  $at += length $piece;
  $step = $step * 3 % 65521 + 1;
}
$smtp->dataend() or die "dataend: " . $smtp->code . " " . $smtp->message;
print "accepted: ", $smtp->message;
$smtp->quit;
"#;

fn perl_send(relay: SocketAddr, password: &str, rcpts: &[&str], message: &str) -> Output {
    let mut cmd = client("perl");
    cmd.arg("-e")
        .arg(PERL_SEND)
        .arg(relay.ip().to_string())
        .arg(relay.port().to_string())
        .args([USER, password])
        .args(rcpts);
    let out = run(&mut cmd, message.as_bytes());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("Can't locate"),
        "a Perl module is missing ({err}); run scripts/ensure-deps.sh to install it"
    );
    out
}

#[test]
fn perl_net_smtp_large_dotted_body_over_starttls() {
    let (d, captures) = daemon(&format!("{AUTH_ONLY}max_message_size_kb = 4096\n"));
    let b = body(3 << 20, 7);
    let m = message(&["From: app@e2e.test", "Subject: Net::SMTP 3 MB"], &b);
    let rcpts = ["big1@example.com", "big2@example.net"];
    let out = perl_send(d.relay, PASSWORD, &rcpts, &m);
    assert!(out.status.success(), "Net::SMTP: {}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Ok: queued as"),
        "{}",
        describe(&out)
    );
    assert_delivered(&d, &captures, &rcpts, &b, "Net::SMTP 3 MB");
}

#[test]
fn perl_net_smtp_refusals_fail_and_deliver_nothing() {
    let (d, captures) = daemon(&format!("{AUTH_ONLY}max_message_size_kb = 1024\n"));
    // Net::SMTP declares no size: the whole 2 MB goes out and DATA's end gets 552.
    let big = message(&["Subject: too big"], &body(2 << 20, 8));
    let out = perl_send(d.relay, PASSWORD, &["x@example.com"], &big);
    assert_failed(&out, "dataend: 552", "Net::SMTP, over-size");
    let small_body = body(500_000, 9);
    let small = message(&["Subject: fits"], &small_body);
    let out = perl_send(d.relay, "not-the-password", &["y@example.com"], &small);
    assert_failed(&out, "auth: 535", "Net::SMTP, wrong password");
    assert_nothing_delivered(
        &d,
        &captures,
        || {
            let out = perl_send(d.relay, PASSWORD, &["z@example.com"], &small);
            assert!(out.status.success(), "Net::SMTP: {}", describe(&out));
            (vec!["z@example.com".into()], small_body.clone())
        },
        "Net::SMTP refusals",
    );
}

/// What the tests above compare against must itself be right: the generated body has the
/// shapes that matter, and stays within RFC 5322's line limit.
#[test]
fn generated_bodies_have_dot_lines_and_legal_lengths() {
    let b = body(100_000, 10);
    let lines: Vec<&str> = b.split("\r\n").collect();
    assert!(lines.contains(&"."));
    assert!(lines.contains(&".."));
    assert!(lines.iter().filter(|l| l.starts_with('.')).count() > 50);
    assert!(lines.iter().any(|l| l.len() == 998));
    assert!(lines.iter().any(|l| l.is_empty()));
    assert!(lines.iter().all(|l| l.len() <= 998 && !l.contains('\r')));
}
