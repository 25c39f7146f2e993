//! End-to-end: the relay under hostile input (issue 17 §3). SMTP-smuggling end-of-data forms
//! in DATA (lock-step and pipelined) and BDAT, checked at the next hop; the open-relay paths
//! (address outside the allow list, AUTH before STARTTLS off loopback, a user without the
//! sending right, source routes and `%` hacks, IPv4-mapped IPv6 peers); TLS below 1.2; and
//! connection floods from one address. `intake_limits.rs` has the single-limit checks.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

mod hostile_common;

use hikyaku_e2e::{message_sink, non_loopback_ipv4, python, wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::AddApiUser;
use hostile_common::{end_of_data, raw_sink, RawCapture};

/// End-of-data look-alikes: none may end a message (only `<CRLF>.<CRLF>` does).
const FORMS: [(&str, &[u8]); 8] = [
    ("LF.LF", b"\n.\n"),
    ("CR.CR", b"\r.\r"),
    ("LF.CRLF", b"\n.\r\n"),
    ("CRLF.LF", b"\r\n.\n"),
    ("CR.CRLF", b"\r.\r\n"),
    ("CRLF.CR", b"\r\n.\r"),
    ("CRLF-NUL.CRLF", b"\r\n\0.\r\n"),
    ("CRLF.NUL-CRLF", b"\r\n.\0\r\n"),
];

/// Whether a form carries a bare CR or LF (refused in `reject` mode); the NUL forms do not.
fn has_bare_line_ending(form: &[u8]) -> bool {
    let mut i = 0;
    while i < form.len() {
        match (form[i], form.get(i + 1)) {
            (b'\r', Some(b'\n')) => i += 2,
            (b'\r' | b'\n', _) => return true,
            _ => i += 1,
        }
    }
    false
}

/// How the message is handed over.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// MAIL, RCPT, DATA one by one, then the content.
    Data,
    /// MAIL, RCPT, DATA in one write; the content and QUIT in the next.
    Pipelined,
    /// One `BDAT n LAST` chunk (no terminator at all: the count ends it).
    Bdat,
}

/// A message whose body carries `form` followed by a complete second transaction.
fn smuggling_payload(n: usize, form: &[u8]) -> Vec<u8> {
    let mut p =
        format!("Subject: smuggling case {n}\r\nMessage-ID: <legit-{n}@e2e.test>\r\n\r\nbody")
            .into_bytes();
    p.extend_from_slice(form);
    p.extend_from_slice(
        format!(
            "MAIL FROM:<evil@e2e.test>\r\nRCPT TO:<victim-{n}@sink.test>\r\nDATA\r\n\
             Subject: smuggled {n}\r\n\r\nevil\r\n"
        )
        .as_bytes(),
    );
    p
}

/// Submits case `n`; returns the reply to the message.
fn submit(relay: SocketAddr, n: usize, form: &[u8], mode: Mode) -> String {
    let mut c = Raw::hello(relay);
    let payload = smuggling_payload(n, form);
    let envelope = format!("MAIL FROM:<app@e2e.test>\r\nRCPT TO:<legit-{n}@sink.test>\r\n");
    let reply = match mode {
        Mode::Data => {
            assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
            assert!(c
                .cmd(&format!("RCPT TO:<legit-{n}@sink.test>"))
                .starts_with("250"));
            assert!(c.cmd("DATA").starts_with("354"));
            c.send(&payload);
            c.send(b".\r\n");
            let r = c.reply();
            // No second transaction was opened by the smuggled commands.
            let after = c.cmd("RCPT TO:<late@sink.test>");
            assert!(after.starts_with("503"), "case {n} {mode:?}: {after}");
            r
        }
        Mode::Pipelined => {
            c.send(format!("{envelope}DATA\r\n").as_bytes());
            assert!(c.reply().starts_with("250"));
            assert!(c.reply().starts_with("250"));
            assert!(c.reply().starts_with("354"));
            let mut rest = payload;
            rest.extend_from_slice(b".\r\nQUIT\r\n");
            c.send(&rest);
            let r = c.reply();
            // The very next reply answers QUIT: nothing in the content was taken as a command.
            let after = c.reply();
            assert!(after.starts_with("221"), "case {n} {mode:?}: {after}");
            r
        }
        Mode::Bdat => {
            c.send(envelope.as_bytes());
            assert!(c.reply().starts_with("250"));
            assert!(c.reply().starts_with("250"));
            let mut chunk = format!("BDAT {} LAST\r\n", payload.len() + 3).into_bytes();
            chunk.extend_from_slice(&payload);
            chunk.extend_from_slice(b".\r\n");
            c.send(&chunk);
            let r = c.reply();
            let after = c.cmd("QUIT");
            assert!(after.starts_with("221"), "case {n} {mode:?}: {after}");
            r
        }
    };
    reply
}

fn cases() -> Vec<(usize, &'static str, &'static [u8], Mode)> {
    let mut out = Vec::new();
    for mode in [Mode::Data, Mode::Pipelined, Mode::Bdat] {
        for (name, form) in FORMS {
            out.push((out.len(), name, form, mode));
        }
    }
    out
}

/// Every form, in every mode, reaches the next hop as one message carrying the smuggled
/// commands as text; no transaction for a `victim-*` recipient exists anywhere. The bytes the
/// next hop gets hold no bare CR or LF, and neither a receiver keeping NULs nor one dropping
/// them (strict or lenient about line ends) finds an end of data before ours: a line of NULs
/// and a dot goes out stuffed (`.` NUL `.`), so the NUL forms too.
#[test]
fn smuggled_end_of_data_forms_reach_the_next_hop_as_one_message() {
    let (sink, captures) = raw_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n"
    ));
    let cases = cases();
    for &(n, name, form, mode) in &cases {
        let r = submit(d.relay, n, form, mode);
        assert!(r.starts_with("250 2.0.0"), "{name} {mode:?}: {r}");
    }
    let q = d.queue().join("\n");
    assert!(!q.contains("victim"), "smuggled recipient queued: {q}");
    let got: Vec<RawCapture> = wait_for("every case at the sink", || {
        let c = captures.lock().unwrap().clone();
        (c.len() >= cases.len()).then_some(c)
    });
    // Give a smuggled extra transaction the time to show up, had there been one.
    std::thread::sleep(Duration::from_millis(1500));
    let got_now = captures.lock().unwrap().clone();
    assert_eq!(got_now.len(), cases.len(), "{got_now:#?}");
    for &(n, name, form, mode) in &cases {
        let mine: Vec<&RawCapture> = got
            .iter()
            .filter(|c| c.rcpts.iter().any(|r| r == &format!("legit-{n}@sink.test")))
            .collect();
        assert_eq!(mine.len(), 1, "{name} {mode:?}: {mine:#?}");
        let c = mine[0];
        assert_eq!(c.from, "app@e2e.test");
        assert_eq!(c.rcpts.len(), 1, "{name} {mode:?}: {c:?}");
        let data = c.data();
        assert!(
            data.contains(&format!("RCPT TO:<victim-{n}@sink.test>")),
            "{name} {mode:?}: smuggled text not kept as content: {data:?}"
        );
        let wire = String::from_utf8_lossy(&c.stream);
        assert!(
            !has_bare_line_ending(&c.stream),
            "{name} {mode:?}: bare line ending sent: {wire:?}"
        );
        for (strip_nul, lenient) in [(false, false), (false, true), (true, false), (true, true)] {
            let (end, len) = end_of_data(&c.stream, strip_nul, lenient);
            assert_eq!(
                end,
                Some(len),
                "{name} {mode:?}: a receiver (NULs dropped {strip_nul}, lenient {lenient}) ends early: {wire:?}"
            );
        }
        // The NUL forms, byte for byte: the dot after NULs is stuffed before them. A line
        // `.NUL` sent in DATA is un-stuffed on the way in (stored as NUL); BDAT keeps it.
        let sent: &[u8] = match (form, mode) {
            (b"\r\n\0.\r\n", _) => b"body\r\n.\0.\r\nMAIL FROM:",
            (b"\r\n.\0\r\n", Mode::Bdat) => b"body\r\n..\0\r\nMAIL FROM:",
            (b"\r\n.\0\r\n", _) => b"body\r\n\0\r\nMAIL FROM:",
            _ => b"",
        };
        assert!(
            sent.is_empty() || c.stream.windows(sent.len()).any(|w| w == sent),
            "{name} {mode:?}: {wire:?}"
        );
    }
    assert!(got
        .iter()
        .all(|c| c.from != "evil@e2e.test" && !c.rcpts.iter().any(|r| r.contains("victim"))));
}

/// In `reject` mode each form with a bare CR or LF is refused with `550 5.6.11` in DATA and
/// BDAT alike, and nothing of it is stored; the NUL forms (no bare line ending) are one
/// message each.
#[test]
fn reject_mode_refuses_bare_line_endings_in_data_and_bdat() {
    let d = Daemon::start("[relay]\nbare_line_ending = \"reject\"\n");
    let mut accepted = 0;
    for (n, name, form, mode) in cases() {
        let r = submit(d.relay, n, form, mode);
        if has_bare_line_ending(form) {
            assert!(r.starts_with("550 5.6.11"), "{name} {mode:?}: {r}");
        } else {
            assert!(r.starts_with("250 2.0.0"), "{name} {mode:?}: {r}");
            accepted += 1;
        }
    }
    assert_eq!(accepted, 6);
    let q = d.queue();
    assert_eq!(q.len(), accepted, "{q:?}");
    assert!(!q.join("\n").contains("victim"));
}

/// A daemon whose relay listener is not on loopback, and the address to reach it from
/// outside its allow list. Where the machine has a non-loopback address the daemon listens on
/// 0.0.0.0 with the default allow list (loopback) and the test connects through that address;
/// otherwise the listener stays on loopback, treated as public by configuration.
fn public_relay(extra: &str) -> (Daemon, SocketAddr) {
    match non_loopback_ipv4() {
        Some(ip) => {
            let d = Daemon::start_bound(extra, &[], Ipv4Addr::UNSPECIFIED.into());
            let outside = SocketAddr::new(ip.into(), d.relay.port());
            (d, outside)
        }
        None => {
            let d = Daemon::start(&format!(
                "[relay]\nallowed_ips = [\"198.51.100.0/24\"]\nplain_auth_allowed = false\n{extra}"
            ));
            let outside = d.relay;
            (d, outside)
        }
    }
}

/// Outside the allow list nothing relays without AUTH, AUTH is not offered (538) before
/// STARTTLS, a user without the sending right cannot authenticate even over TLS, and a user
/// with it can.
#[test]
fn open_relay_paths_from_outside_the_allow_list() {
    let (d, outside) = public_relay("");
    let token = d.login("admin", ADMIN_PASSWORD);
    for (name, send) in [("mailer", true), ("reader", false)] {
        d.call(
            Some(&token),
            m::USERS_ADD_API_USER,
            &AddApiUser {
                name: name.into(),
                password: Some("a-long-smtp-password".into()),
                send,
                transactional: true,
            },
        )
        .unwrap();
    }

    let mut c = Raw::connect(outside);
    assert!(c.reply().starts_with("220"));
    let ehlo = c.cmd("EHLO outside.example");
    assert!(ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(!ehlo.contains("AUTH"), "AUTH offered before TLS: {ehlo}");
    // Every way to name a recipient elsewhere is refused at MAIL already.
    for from in [
        "MAIL FROM:<x@e2e.test>",
        "MAIL FROM:<@hop.example:x@e2e.test>",
        "MAIL FROM:<>",
    ] {
        let r = c.cmd(from);
        assert!(r.starts_with("530 5.7.0"), "{from}: {r}");
    }
    for rcpt in [
        "RCPT TO:<victim@example.com>",
        "RCPT TO:<@a.example,@b.example:victim@example.com>",
        "RCPT TO:<victim%example.com@mx.e2e.test>",
    ] {
        let r = c.cmd(rcpt);
        assert!(r.starts_with("503"), "{rcpt}: {r}");
    }
    assert!(c.cmd("DATA").starts_with("503"));
    // AUTH before STARTTLS is refused without looking at the credentials.
    let plain = base64_plain("mailer", "a-long-smtp-password");
    let r = c.cmd(&format!("AUTH PLAIN {plain}"));
    assert!(r.starts_with("538 5.7.11"), "{r}");
    assert!(c.cmd("MAIL FROM:<x@e2e.test>").starts_with("530 5.7.0"));
    drop(c);

    let script = r#"
import smtplib, ssl, sys
host, port = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for user in ('reader', 'mailer'):
    s = smtplib.SMTP(host, port, timeout=20)
    s.starttls(context=ctx)
    s.ehlo('outside.example')
    try:
        s.login(user, 'a-long-smtp-password')
        s.sendmail('x@e2e.test', ['y@example.com'], 'Subject: authed\r\n\r\nhi\r\n')
        print(user, 'sent')
    except smtplib.SMTPAuthenticationError as e:
        print(user, 'refused', e.smtp_code)
    s.quit()
"#;
    let out = python(
        script,
        &[&outside.ip().to_string(), &outside.port().to_string()],
    );
    assert!(out.contains("reader refused 535"), "{out}");
    assert!(out.contains("mailer sent"), "{out}");
    let q = d.queue();
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(q[0].contains("\"recipient\":\"y@example.com\""), "{q:?}");
}

fn base64_plain(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("\0{user}\0{password}"))
}

/// An allowed client: a source route is dropped (RFC 5321 §4.1.1.3: the last hop's domain
/// counts), a `%` or `!` in the local part stays in the local part, a second `@` makes the
/// local part a quoted string; the next hop is always the one of the domain after the last `@`.
#[test]
fn source_routes_and_percent_hacks_never_pick_another_next_hop() {
    let (sink, captures) = message_sink();
    let d = Daemon::start(&format!(
        "[delivery.domains.\"sink.test\"]\ntransport = \"{sink}\"\n"
    ));
    let mut c = Raw::hello(d.relay);
    let r = c.cmd("MAIL FROM:<@hop.example:app@e2e.test>");
    assert!(r.starts_with("250"), "{r}");
    for (rcpt, ok) in [
        ("<@victim.example,@hop.example:route@sink.test>", true),
        ("<pct%victim.example@sink.test>", true),
        ("<victim.example!bang@sink.test>", true),
        ("<two@victim.example@sink.test>", true),
        ("<pct%victim.example>", false),
    ] {
        let r = c.cmd(&format!("RCPT TO:{rcpt}"));
        assert_eq!(r.starts_with("250"), ok, "{rcpt}: {r}");
        if !ok {
            assert!(
                r.starts_with("553 5.1.3") || r.starts_with("501"),
                "{rcpt}: {r}"
            );
        }
    }
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: routes\r\n\r\nx\r\n.").starts_with("250"));
    let got = wait_for("the routed message at the sink", || {
        let c = captures.lock().unwrap().clone();
        (!c.is_empty()).then_some(c)
    });
    let mut rcpts: Vec<String> = got.iter().flat_map(|c| c.rcpts.clone()).collect();
    rcpts.sort();
    assert_eq!(
        rcpts,
        [
            "\"two@victim.example\"@sink.test",
            "pct%victim.example@sink.test",
            "route@sink.test",
            "victim.example!bang@sink.test"
        ]
    );
    assert!(got.iter().all(|c| c.from == "app@e2e.test"), "{got:?}");
    assert!(!d
        .queue()
        .join("\n")
        .contains("\"domain\":\"victim.example\""));
}

/// On a dual-stack listener an IPv4 client arrives as `::ffff:a.b.c.d`: it matches IPv4
/// entries of the allow list, and nothing else does.
#[test]
fn ipv4_mapped_ipv6_peers_are_judged_by_their_ipv4_address() {
    let any6 = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
    let d = Daemon::start_bound("[relay]\nallowed_ips = [\"127.0.0.1/32\"]\n", &[], any6);
    let v4 = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), d.relay.port());
    let v6 = SocketAddr::new(Ipv6Addr::LOCALHOST.into(), d.relay.port());
    let mut c = Raw::hello(v4);
    assert!(c.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    assert!(c.cmd("RCPT TO:<r@example.com>").starts_with("250"));
    // ::1 is not 127.0.0.1.
    let mut c = Raw::hello(v6);
    let r = c.cmd("MAIL FROM:<s@e2e.test>");
    assert!(r.starts_with("530"), "{r}");
    drop(d);

    let d = Daemon::start_bound(
        "[relay]\nallowed_ips = [\"198.51.100.0/24\", \"::ffff:198.51.100.0/120\"]\n",
        &[],
        any6,
    );
    let v4 = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), d.relay.port());
    let mut c = Raw::hello(v4);
    let r = c.cmd("MAIL FROM:<s@e2e.test>");
    assert!(r.starts_with("530"), "{r}");
    if let Some(ip) = non_loopback_ipv4() {
        let mut c = Raw::hello(SocketAddr::new(ip.into(), d.relay.port()));
        let r = c.cmd("MAIL FROM:<s@e2e.test>");
        assert!(r.starts_with("530"), "{ip}: {r}");
    }
    assert!(d.queue().is_empty());
}

/// `openssl s_client` offering only TLS 1.0 or 1.1 (with the client's own floor lowered, so
/// the refusal is the server's) gets no session; TLS 1.2 does.
#[test]
fn starttls_below_tls_1_2_is_refused() {
    let d = Daemon::start("");
    let attempt = |version: &str| -> (bool, String) {
        let out = std::process::Command::new("openssl")
            .args(["s_client", "-connect", &d.relay.to_string()])
            .args(["-starttls", "smtp", version])
            .args(["-cipher", "DEFAULT:@SECLEVEL=0"])
            .stdin(std::process::Stdio::null())
            .output()
            .expect("openssl is required for this test");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let established = text.contains("Cipher is ") && !text.contains("Cipher is (NONE)");
        (established, text)
    };
    for old in ["-tls1", "-tls1_1"] {
        let (ok, text) = attempt(old);
        assert!(!ok, "{old} negotiated:\n{text}");
        // The server's alert ("sslv3 alert ..." names an alert received from the peer).
        assert!(
            text.contains("sslv3 alert protocol version")
                || text.contains("sslv3 alert handshake failure"),
            "{old}: refused for another reason:\n{text}"
        );
    }
    let (ok, text) = attempt("-tls1_2");
    assert!(ok, "TLS 1.2 failed:\n{text}");
    assert!(text.contains("TLSv1.2"), "{text}");
}

/// Raises this process's open-file limit towards its hard limit (the daemons started next
/// inherit it) and returns the soft limit now in force.
fn raise_open_files(want: u64) -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    #[allow(unsafe_code)]
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
            }
        }
    }
    lim.rlim_cur
}

/// One address opens the whole connection limit with idle and trickling sessions: the rest
/// get `421 4.7.0` at once, the API stays responsive, the command timeout frees the slots of
/// idle and trickling clients alike, and a legitimate client is then served. At the issue's
/// scale (800 idle + 200 trickling filling the default limit of 1,000, 200 more refused) where
/// the open-file limit allows it, else at 40 + 20 of 60.
#[test]
fn a_connection_flood_from_one_address_is_bounded_and_recovers() {
    // The command timeout must outlast opening the whole limit (a second or two for 1,000).
    let (limit, trickle, timeout_secs) = if raise_open_files(4096) >= 4096 {
        (1000, 200, 4)
    } else {
        (60, 20, 2)
    };
    let d = Daemon::start(&format!(
        "[relay]\nmax_connections = {limit}\n[relay.timeouts]\ncommand_secs = {timeout_secs}\n"
    ));
    let mut idle = Vec::new();
    for _ in 0..limit - trickle {
        let mut c = Raw::connect(d.relay);
        assert!(c.reply().starts_with("220"));
        idle.push(c);
    }
    let mut trickling = Vec::new();
    for _ in 0..trickle {
        let mut c = Raw::connect(d.relay);
        assert!(c.reply().starts_with("220"));
        trickling.push(c);
    }
    let over: Vec<String> = (0..trickle)
        .map(|_| {
            let mut c = Raw::connect(d.relay);
            c.try_reply().unwrap_or_default()
        })
        .collect();
    assert!(over.iter().all(|r| r.starts_with("421 4.7.0")), "{over:?}");
    // The API answers while the relay is full.
    let token = d.login("admin", ADMIN_PASSWORD);
    let t = Instant::now();
    d.call(
        Some(&token),
        m::SYSTEM_STATUS,
        &hikyaku_rpc::types::NoParams {},
    )
    .unwrap();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());

    // Trickle one byte of an endless command line every 300 ms for three command timeouts:
    // the timeout bounds the whole command, not the gap between bytes.
    let trickle_until = Instant::now() + Duration::from_secs(3 * timeout_secs);
    while Instant::now() < trickle_until {
        for c in &mut trickling {
            let _ = c.try_send(b"X");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    for (i, c) in trickling.iter_mut().enumerate() {
        let r = c.try_reply().unwrap_or_default();
        assert!(r.starts_with("421 4.4.2"), "trickling client {i}: {r:?}");
        assert!(c.is_closed(), "trickling client {i} still connected");
    }
    for c in &mut idle {
        let r = c.try_reply().unwrap_or_default();
        assert!(r.starts_with("421 4.4.2"), "{r}");
    }
    let mut legit = Raw::hello(d.relay);
    assert!(legit.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    assert!(legit.cmd("RCPT TO:<r@example.com>").starts_with("250"));
    assert!(legit.cmd("DATA").starts_with("354"));
    assert!(legit
        .cmd("Subject: after the flood\r\n\r\nx\r\n.")
        .starts_with("250"));
    assert_eq!(d.queue().len(), 1);
}
