//! End-to-end shaping against a next hop that behaves like a throttling provider: the site's
//! message rate holds, a throttle reply (`421 4.7.28`) fires the suspend rule, no attempt is
//! made while the site is suspended (its mail is held, not retried in a loop), everything is
//! delivered after it, and `shaping.status` / `hikyaku shaping` show and clear the action (which
//! releases the held mail at once).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts_common;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use accounts_common::{cli, ok};
use hikyaku_e2e::{wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::shaping::{ShapingClear, ShapingQuery, ShapingStatus};

/// What the provider saw: each MAIL FROM with its time and the reply it got.
type Seen = Arc<Mutex<Vec<(Instant, bool)>>>;

/// A next hop that accepts mail, except that the MAIL FROMs numbered in `throttle` (0-based,
/// counting every MAIL FROM) get `421 4.7.28` and the connection is closed, as Gmail does.
fn provider(throttle: Vec<usize>) -> (SocketAddr, Seen, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let delivered = Arc::new(Mutex::new(0usize));
    let (s, dl) = (seen.clone(), delivered.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (seen, delivered, throttle) = (s.clone(), dl.clone(), throttle.clone());
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let _ = out.write_all(b"220 provider.test ESMTP\r\n");
                let (mut in_data, mut line) = (false, String::new());
                while lines.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end().to_ascii_uppercase();
                    line.clear();
                    if in_data {
                        if l == "." {
                            in_data = false;
                            *delivered.lock().unwrap() += 1;
                            let _ = out.write_all(b"250 2.0.0 ok\r\n");
                        }
                        continue;
                    }
                    let reply: &[u8] = if l.starts_with("EHLO") {
                        b"250-provider.test\r\n250 PIPELINING\r\n"
                    } else if l.starts_with("MAIL FROM:") {
                        let mut s = seen.lock().unwrap();
                        let n = s.len();
                        let throttled = throttle.contains(&n);
                        s.push((Instant::now(), throttled));
                        if throttled {
                            let _ = out.write_all(
                                b"421 4.7.28 Our system has detected an unusual rate of mail from your IP\r\n",
                            );
                            return;
                        }
                        b"250 2.1.0 ok\r\n"
                    } else if l.starts_with("DATA") {
                        in_data = true;
                        b"354 go\r\n"
                    } else if l.starts_with("QUIT") {
                        let _ = out.write_all(b"221 bye\r\n");
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    if out.write_all(reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, seen, delivered)
}

fn submit(d: &Daemon, rcpts: &[String]) {
    let mut c = Raw::hello(d.relay);
    for r in rcpts {
        assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
        assert!(c.cmd(&format!("RCPT TO:<{r}>")).starts_with("250"));
        assert!(c.cmd("DATA").starts_with("354"));
        assert!(c
            .cmd(&format!("Subject: s\r\nMessage-ID: <{r}>\r\n\r\nhi\r\n."))
            .starts_with("250"));
    }
    c.cmd("QUIT");
}

fn config(sink: SocketAddr, rules: &str) -> String {
    format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\nretry_first_secs = 1\nretry_max_secs = 2\n\
         [shaping]\nprovider_rules = false\n\
         [shaping.sites.sim]\ndomains = [\"a.test\", \"b.test\"]\nrate = \"20/s\"\nburst = 1\n{rules}"
    )
}

/// `shaping.status` of the site `sim` once an action is in force there.
fn suspended(d: &Daemon, admin: &str) -> ShapingStatus {
    wait_for("the suspension", || {
        let s: ShapingStatus = d
            .call(
                Some(admin),
                m::SHAPING_STATUS,
                &ShapingQuery {
                    site: Some("sim".into()),
                },
            )
            .unwrap();
        s.sites.first().and_then(|x| x.action.clone()).map(|_| s)
    })
}

const SUSPEND: &str = "[[shaping.rules]]\nsite = \"sim\"\nmatch = \"4\\\\.7\\\\.28\"\n\
                       threshold = \"2/1min\"\naction = \"suspend\"\nduration = \"4s\"\nramp = \"2s\"\n";

#[test]
fn a_throttled_site_is_suspended_held_then_ramped_back_and_its_rate_holds() {
    // The 11th and 12th MAIL FROM are throttled: two matches fire the rule.
    let (sink, seen, delivered) = provider(vec![10, 11]);
    let d = Daemon::start(&config(sink, SUSPEND));
    let admin = d.login("admin", ADMIN_PASSWORD);
    let rcpts: Vec<String> = (0..40)
        .map(|i| format!("user{i}@{}", if i % 2 == 0 { "a.test" } else { "b.test" }))
        .collect();
    submit(&d, &rcpts);
    let status = suspended(&d, &admin);
    let site = &status.sites[0];
    let action = site.action.as_ref().unwrap();
    assert_eq!(
        (action.action.as_str(), action.rule.as_str()),
        ("suspend", "shaping.rules[0]")
    );
    assert!(action.reply.contains("4.7.28"), "{action:?}");
    assert_eq!(status.fired.len(), 1, "{status:?}");
    assert_eq!(site.origin, "settings");
    // The CLI shows it.
    let table = ok(&cli(
        &d,
        Some(&admin),
        &["shaping", "status", "--site", "sim"],
        None,
    ));
    assert!(
        table.contains("sim") && table.contains("suspend until"),
        "{table}"
    );
    wait_for("every message delivered", || {
        (*delivered.lock().unwrap() == 40).then_some(())
    });
    let seen = seen.lock().unwrap().clone();
    // No attempt while suspended: the gap after the second throttle reply covers the 4 s.
    let second = seen.iter().filter(|(_, t)| *t).nth(1).unwrap().0;
    let next = seen.iter().find(|(at, t)| !*t && *at > second).unwrap().0;
    assert!(
        next - second >= Duration::from_millis(3_800),
        "{:?}",
        next - second
    );
    // The rate (20/s, burst 1) holds: no 1-second window has more than 21 MAIL FROMs.
    for (i, (start, _)) in seen.iter().enumerate() {
        let in_window = seen[i..]
            .iter()
            .take_while(|(t, _)| *t - *start < Duration::from_secs(1))
            .count();
        assert!(in_window <= 21, "{in_window} in a second from #{i}");
    }
    // Exactly two throttle replies: nothing was retried in a loop against the suspended site.
    assert_eq!(seen.iter().filter(|(_, t)| *t).count(), 2);
}

#[test]
fn an_operator_clears_a_suspension_and_mail_goes_at_once() {
    let (sink, _seen, delivered) = provider(vec![0, 1]);
    let long = SUSPEND.replace("duration = \"4s\"", "duration = \"1h\"");
    let d = Daemon::start(&config(sink, &long));
    let admin = d.login("admin", ADMIN_PASSWORD);
    submit(
        &d,
        &["first@a.test".to_string(), "second@a.test".to_string()],
    );
    suspended(&d, &admin);
    // Their retry (1–2 s) comes while the site is suspended: both are held for the hour.
    std::thread::sleep(Duration::from_millis(3_000));
    let bad = d.call(
        Some(&admin),
        m::SHAPING_CLEAR,
        &ShapingClear {
            site: Some("sim".into()),
            source_ip: Some("not-an-ip".into()),
        },
    );
    assert!(format!("{bad:?}").contains("source_ip"), "{bad:?}");
    let out = ok(&cli(
        &d,
        Some(&admin),
        &["shaping", "clear", "--site", "sim"],
        None,
    ));
    assert!(out.contains("1 action(s) cleared"), "{out}");
    // The held two are released at once (not at the end of their hour), and new mail for
    // the site goes too.
    submit(&d, &["third@b.test".to_string()]);
    wait_for("the held and the new messages delivered", || {
        (*delivered.lock().unwrap() == 3).then_some(())
    });
    let log = ok(&cli(
        &d,
        Some(&admin),
        &["oplog", "--action", "shaping.clear"],
        None,
    ));
    assert!(log.contains("shaping.clear"), "{log}");
}
