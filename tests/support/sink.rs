//! `hikyaku-sink`, the load-test SMTP sink, as a test peer: records Message-IDs, can answer
//! chosen recipients with chosen replies (`--reply-rcpt`), prints its counters on SIGTERM.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{binary, free_port};

/// A `hikyaku-sink` process recording Message-IDs.
pub struct Sink {
    child: Child,
    pub addr: SocketAddr,
    ids: std::path::PathBuf,
    stats: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Sink {
    pub fn start(extra: &[&str]) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let ids = dir.path().join("ids.txt");
        let stats = dir.path().join("stats.json");
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let child = Command::new(binary("hikyaku-sink"))
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--ids-file")
            .arg(&ids)
            .args(extra)
            .stdout(std::fs::File::create(&stats).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "sink did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Sink {
            child,
            addr,
            ids,
            stats,
            _dir: dir,
        }
    }

    /// Stops the sink (SIGTERM) and returns its final JSON stats line.
    pub fn finish(&mut self) -> String {
        #[allow(unsafe_code)]
        // SAFETY: kill(2) has no memory-safety preconditions.
        let rc = unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        assert_eq!(rc, 0);
        let _ = self.child.wait();
        std::fs::read_to_string(&self.stats).unwrap()
    }

    pub fn received(&self) -> Vec<String> {
        std::fs::read_to_string(&self.ids)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One transaction seen by [`message_sink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// MAIL FROM address (without brackets).
    pub from: String,
    /// RCPT TO addresses (without brackets).
    pub rcpts: Vec<String>,
    /// The message as received (dot-unstuffed, CRLF line ends).
    pub data: String,
}

/// Every transaction [`message_sink`] accepted, in order.
pub type Captures = std::sync::Arc<std::sync::Mutex<Vec<Captured>>>;

/// A plain SMTP sink (no extensions but PIPELINING) that keeps every message whole, for tests
/// that look at what was delivered: envelope, headers, order.
pub fn message_sink() -> (SocketAddr, Captures) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Captures = Default::default();
    let out = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let _ = w.write_all(b"220 capture.test ESMTP\r\n");
                let mut cur = Captured {
                    from: String::new(),
                    rcpts: Vec::new(),
                    data: String::new(),
                };
                let mut in_data = false;
                let mut line = String::new();
                while r.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end_matches(['\r', '\n']).to_string();
                    line.clear();
                    if in_data {
                        if l == "." {
                            in_data = false;
                            seen.lock().unwrap().push(cur.clone());
                            cur.rcpts.clear();
                            cur.data.clear();
                            let _ = w.write_all(b"250 2.0.0 kept\r\n");
                        } else {
                            cur.data.push_str(l.strip_prefix('.').unwrap_or(&l));
                            cur.data.push_str("\r\n");
                        }
                        continue;
                    }
                    let upper = l.to_ascii_uppercase();
                    let addr_of = |s: &str| {
                        s.trim()
                            .trim_start_matches('<')
                            .split('>')
                            .next()
                            .unwrap_or("")
                            .to_string()
                    };
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-capture.test\r\n250 PIPELINING\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        cur.from = addr_of(&l[10..]);
                        cur.rcpts.clear();
                        b"250 2.1.0 ok\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        cur.rcpts.push(addr_of(&l[8..]));
                        b"250 2.1.5 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if w.write_all(reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, out)
}
