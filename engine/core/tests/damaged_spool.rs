//! End-to-end: a queued delivery whose spool records are damaged — body missing, metadata
//! undecodable, queue entry undecodable — is never sent. The real daemon records it `failed`
//! (error status 99, the damage named), keeps the raw entry (`hikyakud queue damaged`), and
//! still delivers the intact mail next to it. The damage is made with the engine's own storage
//! functions while the daemon is stopped, as a disk fault or a bad restore would leave it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hikyaku_engine::config::StorageConfig;
use hikyaku_engine::ids::Id;
use hikyaku_engine::storage::keys::{domain_hash, queue_key};
use hikyaku_engine::storage::{Cf, Op, QueueEntry, Store};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A sink recording every recipient it accepts (RCPT TO lines).
fn sink() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let rcpts = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let rcpts = rcpts.clone();
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let _ = out.write_all(b"220 sink ESMTP\r\n");
                let mut in_data = false;
                let mut line = String::new();
                while lines.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end().to_string();
                    line.clear();
                    if in_data {
                        if l == "." {
                            in_data = false;
                            let _ = out.write_all(b"250 ok\r\n");
                        }
                        continue;
                    }
                    let upper = l.to_ascii_uppercase();
                    if upper.starts_with("RCPT TO:") {
                        rcpts.lock().unwrap().push(l[8..].trim().to_string());
                    }
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = out.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if out.write_all(reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, seen)
}

struct Daemon {
    child: Option<Child>,
    relay: SocketAddr,
    config: PathBuf,
    data: PathBuf,
    log: PathBuf,
}

impl Daemon {
    fn new(dir: &Path) -> Daemon {
        Daemon {
            child: None,
            relay: SocketAddr::from(([127, 0, 0, 1], free_port())),
            config: dir.join("hikyaku.toml"),
            data: dir.join("data"),
            log: dir.join("hikyakud.log"),
        }
    }

    /// Writes the config (all mail to `transport`) and starts the daemon.
    fn start(&mut self, transport: SocketAddr) {
        let toml = format!(
            "data_dir = {:?}\nsandbox = false\nhostname = \"mx.e2e.test\"\n[delivery]\nretry_first_secs = 1\nretry_max_secs = 1\nconnect_timeout_secs = 1\n[delivery.default]\ntransport = \"{transport}\"\n",
            self.data.display().to_string()
        );
        std::fs::write(&self.config, toml).unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_hikyakud"))
            .arg("--config")
            .arg(&self.config)
            .arg("--relay-listen")
            .arg(self.relay.to_string())
            .arg("--rpc-listen")
            .arg(format!("127.0.0.1:{}", free_port()))
            .arg("--receive-listen")
            .arg(format!("127.0.0.1:{}", free_port()))
            .arg("--shards")
            .arg("2")
            .env("HIKYAKU_API_KEY", "hk_damaged_spool_test_key_0123456789")
            .env("HIKYAKU_ADMIN_PASSWORD", "damaged-spool-admin")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(mut s) = TcpStream::connect(self.relay) {
                let mut b = [0u8; 3];
                if s.read_exact(&mut b).is_ok() && &b == b"220" {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "no greeting:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        let mut child = self.child.take().unwrap();
        #[allow(unsafe_code)]
        // SAFETY: kill(2) has no memory-safety preconditions.
        let rc = unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        assert_eq!(rc, 0);
        let status = child.wait().unwrap();
        assert!(status.success(), "{status}:\n{}", self.log());
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_hikyakud"))
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn send(&self, rcpt: &str) {
        let s = TcpStream::connect(self.relay).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        let mut reply = || {
            let mut all = String::new();
            loop {
                let mut l = String::new();
                r.read_line(&mut l).unwrap();
                all.push_str(&l);
                if l.as_bytes().get(3) != Some(&b'-') {
                    return all;
                }
            }
        };
        assert!(reply().starts_with("220"));
        for (cmd, want) in [
            ("EHLO t".to_string(), "250"),
            ("MAIL FROM:<app@e2e.test>".to_string(), "250"),
            (format!("RCPT TO:<{rcpt}>"), "250"),
            ("DATA".to_string(), "354"),
            ("Subject: spool\r\n\r\nbody\r\n.".to_string(), "250"),
            ("QUIT".to_string(), "221"),
        ] {
            w.write_all(format!("{cmd}\r\n").as_bytes()).unwrap();
            let got = reply();
            assert!(got.starts_with(want), "{cmd}: {got}");
        }
    }

    fn queue(&self) -> Vec<QueueEntry> {
        self.run(&["queue", "list", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Delivery-log records as JSON values.
    fn log_records(&self) -> Vec<serde_json::Value> {
        self.run(&["log", "search", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn wait_until(what: &str, d: &Daemon, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out: {what}\n{}", d.log());
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn damaged_deliveries_are_failed_kept_and_never_sent() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Daemon::new(dir.path());
    // Phase 1: nothing listens on the transport, so every delivery is deferred and stays queued.
    let closed = SocketAddr::from(([127, 0, 0, 1], free_port()));
    d.start(closed);
    for rcpt in [
        "no-body@damage.test",
        "bad-meta@damage.test",
        "bad-entry@damage.test",
        "intact@damage.test",
    ] {
        d.send(rcpt);
    }
    wait_until("four deferrals", &d, || {
        d.log_records()
            .iter()
            .filter(|r| r["status"] == "deferred")
            .count()
            >= 4
    });
    d.stop();

    // Phase 2: damage three of the four, offline.
    let queue = d.queue();
    assert_eq!(queue.len(), 4);
    let entry = |rcpt: &str| queue.iter().find(|e| e.recipient == rcpt).unwrap().clone();
    let message = |e: &QueueEntry| Id::parse(&e.message_id).unwrap().to_be_bytes().to_vec();
    let no_body = entry("no-body@damage.test");
    let bad_meta = entry("bad-meta@damage.test");
    let bad_entry = entry("bad-entry@damage.test");
    {
        let store = Store::open(&d.data, &StorageConfig::default()).unwrap();
        let ops = vec![
            Op::Delete {
                cf: Cf::Messages,
                key: message(&no_body),
            },
            Op::Put {
                cf: Cf::MessageMeta,
                key: message(&bad_meta),
                value: b"\x00\x01 not json".to_vec(),
            },
            Op::Put {
                cf: Cf::Queue,
                key: queue_key(
                    domain_hash(&bad_entry.domain),
                    Id::parse(&bad_entry.delivery_id).unwrap(),
                )
                .to_vec(),
                value: b"{\"truncated\":".to_vec(),
            },
        ];
        store.write_ops(&ops, true).unwrap();
        store.flush().unwrap();
    }

    // Phase 3: restart with a live next hop.
    let (sink, accepted) = sink();
    d.start(sink);
    wait_until("the intact message delivered, the rest failed", &d, || {
        let records = d.log_records();
        let final_status = |rcpt: &str, status: &str| {
            records
                .iter()
                .any(|r| r["recipient"] == rcpt && r["status"] == status)
        };
        final_status("intact@damage.test", "succeeded")
            && final_status("no-body@damage.test", "failed")
            && final_status("bad-meta@damage.test", "failed")
            && records.iter().any(|r| {
                r["delivery_id"] == bad_entry.delivery_id.as_str() && r["status"] == "failed"
            })
    });
    // Never sent: the sink saw only the intact recipient.
    assert_eq!(
        *accepted.lock().unwrap(),
        vec!["<intact@damage.test>".to_string()]
    );

    let records = d.log_records();
    let failure = |delivery: &str| {
        records
            .iter()
            .find(|r| r["delivery_id"] == delivery && r["status"] == "failed")
            .unwrap()
            .clone()
    };
    for (e, damage) in [
        (&no_body, "message body missing"),
        (&bad_meta, "message metadata corrupt"),
        (&bad_entry, "queue entry corrupt"),
    ] {
        let r = failure(&e.delivery_id);
        assert_eq!(r["error_status"], 99, "{r}");
        let reply = r["smtp_reply"].as_str().unwrap();
        assert!(
            reply.starts_with(&format!("not sent: spool damage: {damage}")),
            "{reply}"
        );
    }
    assert!(d.queue().is_empty(), "damaged entries left in the queue");

    // Kept for inspection, with the raw entry.
    let damaged: Vec<serde_json::Value> = d
        .run(&["queue", "damaged", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(damaged.len(), 3, "{damaged:?}");
    let kept = damaged
        .iter()
        .find(|r| r["delivery_id"] == bad_entry.delivery_id.as_str())
        .unwrap();
    assert_eq!(kept["raw_entry"], "{\"truncated\":");
    d.stop();
}
