//! The next hop of the hostile-input tests: a sink that keeps the DATA stream byte for byte,
//! and the end-of-data rule of receivers that keep or drop NULs.
#![allow(clippy::unwrap_used, dead_code)]

use std::net::SocketAddr;

/// One transaction as a next hop receives it: the envelope and the DATA stream byte for
/// byte, still dot-stuffed, up to and including the terminator.
#[derive(Debug, Clone)]
pub struct RawCapture {
    /// MAIL FROM address.
    pub from: String,
    /// RCPT TO addresses.
    pub rcpts: Vec<String>,
    /// The DATA stream, terminator included.
    pub stream: Vec<u8>,
}

impl RawCapture {
    /// The message as a receiver that keeps NULs reads it (dot-unstuffed).
    pub fn data(&self) -> String {
        let body = self.stream.strip_suffix(b".\r\n").unwrap_or(&self.stream);
        let lines = body.split_inclusive(|b| *b == b'\n');
        let unstuffed: Vec<u8> = lines
            .flat_map(|l| l.strip_prefix(b".").unwrap_or(l).to_vec())
            .collect();
        String::from_utf8_lossy(&unstuffed).into_owned()
    }
}

/// A plain SMTP next hop (PIPELINING only, so the relay uses DATA) keeping each DATA stream
/// as it came off the wire: what a next hop that drops NULs, or reads bare line endings as
/// line ends, would make of it is then decided from the very bytes we sent.
pub fn raw_sink() -> (
    SocketAddr,
    std::sync::Arc<std::sync::Mutex<Vec<RawCapture>>>,
) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let _ = w.write_all(b"220 raw.test ESMTP\r\n");
                let mut cur = RawCapture {
                    from: String::new(),
                    rcpts: Vec::new(),
                    stream: Vec::new(),
                };
                let (mut in_data, mut line) = (false, Vec::new());
                while r.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                    if in_data {
                        cur.stream.extend_from_slice(&line);
                        if line == b".\r\n" {
                            in_data = false;
                            seen.lock().unwrap().push(cur.clone());
                            cur.stream.clear();
                            let _ = w.write_all(b"250 2.0.0 kept\r\n");
                        }
                        line.clear();
                        continue;
                    }
                    let l = String::from_utf8_lossy(&line).trim_end().to_string();
                    line.clear();
                    let addr_of = |s: &str| s.trim_matches(['<', '>', ' ']).to_string();
                    let upper = l.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-raw.test\r\n250 PIPELINING\r\n"
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

/// Where a receiver sees the end of data in `stream`: after the first line that is a lone
/// dot, lines ending at CRLF or (`lenient`) at any LF, with every NUL dropped first if
/// `strip_nul`. Positions count the bytes the receiver kept.
pub fn end_of_data(stream: &[u8], strip_nul: bool, lenient: bool) -> (Option<usize>, usize) {
    let kept: Vec<u8> = stream
        .iter()
        .copied()
        .filter(|b| !strip_nul || *b != 0)
        .collect();
    let mut start = 0;
    for (i, b) in kept.iter().enumerate() {
        if *b != b'\n' || (!lenient && kept.get(i.wrapping_sub(1)) != Some(&b'\r')) {
            continue;
        }
        let line = &kept[start..i];
        if line == b"." || line == b".\r" {
            return (Some(i + 1), kept.len());
        }
        start = i + 1;
    }
    (None, kept.len())
}
