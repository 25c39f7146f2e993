//! Helpers for end-to-end tests: start the real `hikyakud` on free loopback ports, talk to it
//! with raw sockets or Python's smtplib, stop it with signals.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub mod browser;
mod sink;
pub use sink::{message_sink, Captured, Captures, Sink};

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    // The kernel may hand out the same ephemeral port to two binds in a row once the first is
    // closed, and a daemon needs three distinct ones: never return a port twice per process.
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut given = GIVEN.lock().unwrap_or_else(|p| p.into_inner());
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// Path of a workspace binary built by `cargo build` (tests run from target/<profile>/deps).
pub fn binary(name: &str) -> PathBuf {
    if let Ok(p) = std::env::var("HIKYAKUD_BIN") {
        if name == "hikyakud" {
            return PathBuf::from(p);
        }
    }
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} not found: build it first (`cargo build --workspace --bins`)",
        path.display()
    );
    path
}

/// The default API user's key every test daemon starts with (first-start bootstrap).
pub const API_KEY: &str = "hk_e2e_default_api_key_0123456789";
/// The first group administrator's password of every test daemon.
pub const ADMIN_PASSWORD: &str = "e2e-admin-password";

/// A single-threaded tokio runtime for one blocking client call.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A running daemon with its own data directory and relay port.
pub struct Daemon {
    pub child: Option<Child>,
    pub relay: SocketAddr,
    /// JSON-RPC listener.
    pub rpc: SocketAddr,
    /// Receiving (bounce) listener.
    pub receive: SocketAddr,
    /// One-click unsubscribe (HTTPS) listener.
    pub unsubscribe: SocketAddr,
    /// Web console (HTTPS) listener.
    pub console: SocketAddr,
    pub data: PathBuf,
    pub config_path: PathBuf,
    pub log_path: PathBuf,
    /// Extra command-line arguments of every (re)start.
    pub args: Vec<String>,
    _dir: Option<tempfile::TempDir>,
}

impl Daemon {
    /// Starts hikyakud with `extra_toml` appended to a config that sets ports and the data dir.
    pub fn start(extra_toml: &str) -> Daemon {
        Daemon::start_with_args(extra_toml, &[])
    }

    /// [`Daemon::start`] with extra command-line arguments.
    pub fn start_with_args(extra_toml: &str, args: &[&str]) -> Daemon {
        Daemon::start_bound(extra_toml, args, std::net::Ipv4Addr::LOCALHOST.into())
    }

    /// [`Daemon::start_with_args`] with every listener bound to `ip` (e.g. `0.0.0.0` or `::`,
    /// so that tests can connect from a non-loopback address or as an IPv4-mapped IPv6 peer).
    pub fn start_bound(extra_toml: &str, args: &[&str], ip: std::net::IpAddr) -> Daemon {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut d = Daemon {
            child: None,
            relay: SocketAddr::new(ip, free_port()),
            rpc: SocketAddr::new(ip, free_port()),
            receive: SocketAddr::new(ip, free_port()),
            unsubscribe: SocketAddr::new(ip, free_port()),
            console: SocketAddr::new(ip, free_port()),
            config_path: dir.path().join("hikyaku.toml"),
            log_path: dir.path().join("hikyakud.log"),
            args: args.iter().map(|a| a.to_string()).collect(),
            data,
            _dir: Some(dir),
        };
        // Unless the test is about delivery, hold everything in the queue: no sandbox, and every
        // domain routed to a closed port, so accepted recipients stay queued (deferred) and
        // intake tests can count them.
        let (head, tail) = if extra_toml.contains("sandbox") {
            ("", "")
        } else {
            (
                "sandbox = false\n",
                "\n[delivery.default]\ntransport = \"127.0.0.1:9\"\n",
            )
        };
        let toml = format!(
            "data_dir = {:?}\nhostname = \"mx.e2e.test\"\ndrain_timeout_secs = 10\n{head}{extra_toml}\n{tail}",
            d.data.display().to_string()
        );
        std::fs::write(&d.config_path, toml).unwrap();
        // A port free a moment ago can be taken before the daemon binds it (an outgoing
        // connection's ephemeral port, another test's daemon): then start on fresh ports.
        for _ in 0..4 {
            match d.try_spawn() {
                Ok(()) => return d,
                Err(log) if log.contains("Address already in use") => {
                    d.relay = SocketAddr::new(ip, free_port());
                    d.rpc = SocketAddr::new(ip, free_port());
                    d.receive = SocketAddr::new(ip, free_port());
                    d.unsubscribe = SocketAddr::new(ip, free_port());
                    d.console = SocketAddr::new(ip, free_port());
                }
                Err(log) => panic!("{log}"),
            }
        }
        d.spawn();
        d
    }

    /// Runs `hikyakud` with this daemon's config and the given subcommand, returning output.
    pub fn command(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        let mut cmd = Command::new(binary("hikyakud"));
        cmd.arg("--config").arg(&self.config_path).args(args);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    }

    /// (Re)starts the process on the same data directory and waits for the greeting.
    pub fn spawn(&mut self) {
        if let Err(log) = self.try_spawn() {
            panic!("{log}");
        }
    }

    /// [`Daemon::spawn`], with an early exit returned (its status and log) instead of a panic.
    fn try_spawn(&mut self) -> Result<(), String> {
        let logged_before = self.log().len();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)
            .unwrap();
        let child = Command::new(binary("hikyakud"))
            .arg("--config")
            .arg(&self.config_path)
            .arg("--relay-listen")
            .arg(self.relay.to_string())
            .arg("--rpc-listen")
            .arg(self.rpc.to_string())
            .arg("--receive-listen")
            .arg(self.receive.to_string())
            .arg("--unsubscribe-listen")
            .arg(self.unsubscribe.to_string())
            .arg("--console-listen")
            .arg(self.console.to_string())
            .arg("--shards")
            .arg("2")
            .args(&self.args)
            .env("RUST_LOG", "info")
            .env("HIKYAKU_API_KEY", API_KEY)
            .env("HIKYAKU_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdout(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(self.log_path.with_extension("out"))
                    .unwrap(),
            )
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(mut s) = TcpStream::connect(self.relay) {
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let mut b = [0u8; 3];
                if s.read_exact(&mut b).is_ok() && &b == b"220" {
                    // Wait for the server's close, so the probe no longer holds a connection
                    // slot when the test begins (limits tests count slots exactly).
                    let _ = s.write_all(b"QUIT\r\n");
                    let _ = std::io::copy(&mut s, &mut std::io::sink());
                    return Ok(());
                }
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                let log = self.log();
                return Err(format!(
                    "hikyakud exited early ({status}); log:\n{}",
                    log.get(logged_before..).unwrap_or(&log)
                ));
            }
            assert!(
                Instant::now() < deadline,
                "hikyakud did not start; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The JSON-RPC URL.
    pub fn rpc_url(&self) -> String {
        format!("http://{}", self.rpc)
    }

    /// One typed JSON-RPC call with `token` as bearer (blocking; a runtime per call).
    pub fn call<P: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        token: Option<&str>,
        method: hikyaku_rpc::Method<P, R>,
        params: &P,
    ) -> Result<R, hikyaku_rpc::client::ClientError> {
        runtime().block_on(async {
            let client =
                hikyaku_rpc::client::Client::new(&self.rpc_url(), token, Duration::from_secs(30))?;
            client.call(method, params).await
        })
    }

    /// A call with raw JSON parameters, for malformed-input tests.
    pub fn call_raw(
        &self,
        token: Option<&str>,
        method: &str,
        params: &str,
    ) -> Result<serde_json::Value, hikyaku_rpc::client::ClientError> {
        runtime().block_on(async {
            let client =
                hikyaku_rpc::client::Client::new(&self.rpc_url(), token, Duration::from_secs(30))?;
            let raw = serde_json::value::RawValue::from_string(params.to_string()).unwrap();
            client.call_raw(method, raw).await
        })
    }

    /// Logs an account in and returns its session token.
    pub fn login(&self, account: &str, password: &str) -> String {
        self.call(
            None,
            hikyaku_rpc::methods::USERS_LOGIN,
            &hikyaku_rpc::types::users::Login {
                account: account.into(),
                password: password.into(),
                totp: None,
            },
        )
        .unwrap()
        .token
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// What the daemon wrote to standard output (the first-start credentials).
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.log_path.with_extension("out")).unwrap_or_default()
    }

    pub fn pid(&self) -> i32 {
        self.child.as_ref().unwrap().id() as i32
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY-free: libc::kill is a plain syscall wrapper.
        let rc = unsafe_kill(self.pid(), sig);
        assert_eq!(rc, 0, "kill failed");
    }

    /// Waits for the process to exit.
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(st) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                return st;
            }
            assert!(
                Instant::now() < deadline,
                "hikyakud did not exit; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM and wait for a clean exit.
    pub fn stop(&mut self) -> ExitStatus {
        self.signal(libc::SIGTERM);
        self.wait(Duration::from_secs(30))
    }

    /// Queue entries as JSON lines, read with `hikyakud queue list --json`.
    pub fn queue(&self) -> Vec<String> {
        let out = self.command(&["queue", "list", "--json"], None);
        assert!(
            out.status.success(),
            "queue list failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
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

#[allow(unsafe_code)]
fn unsafe_kill(pid: i32, sig: i32) -> i32 {
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe { libc::kill(pid, sig) }
}

/// A line-oriented raw SMTP client for protocol-level tests.
pub struct Raw {
    pub reader: BufReader<TcpStream>,
    pub writer: TcpStream,
}

impl Raw {
    pub fn connect(addr: SocketAddr) -> Raw {
        let s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Raw {
            writer: s.try_clone().unwrap(),
            reader: BufReader::new(s),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
    }

    /// Reads one (possibly multi-line) reply; returns its lines joined by '\n'.
    pub fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).unwrap();
            assert!(
                n > 0,
                "connection closed while waiting for a reply (got {all:?})"
            );
            all.push_str(line.trim_end());
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return all;
            }
            all.push('\n');
        }
    }

    /// Like `send`, but reports failure instead of panicking (for tests that kill the server).
    pub fn try_send(&mut self, bytes: &[u8]) -> bool {
        self.writer.write_all(bytes).is_ok()
    }

    /// Like `reply`, but `None` when the connection fails.
    pub fn try_reply(&mut self) -> Option<String> {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(n) if n > 0 => {}
                _ => return None,
            }
            all.push_str(line.trim_end());
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                return Some(all);
            }
            all.push('\n');
        }
    }

    /// Sends a command line and returns the reply.
    pub fn cmd(&mut self, line: &str) -> String {
        self.send(format!("{line}\r\n").as_bytes());
        self.reply()
    }

    /// Reads the greeting and does EHLO.
    pub fn hello(addr: SocketAddr) -> Raw {
        let mut r = Raw::connect(addr);
        let g = r.reply();
        assert!(g.starts_with("220"), "{g}");
        let e = r.cmd("EHLO client.e2e.test");
        assert!(e.starts_with("250"), "{e}");
        r
    }

    /// Like `hello`, but retries while the server answers `421` (a slot held by a client that
    /// has just left is released asynchronously after its socket closes).
    pub fn hello_when_free(addr: SocketAddr) -> Raw {
        wait_for("a free connection slot", || {
            let mut r = Raw::connect(addr);
            let g = r.try_reply()?;
            if !g.starts_with("220") {
                return None;
            }
            let e = r.cmd("EHLO client.e2e.test");
            assert!(e.starts_with("250"), "{e}");
            Some(r)
        })
    }

    /// True when the server closed the connection.
    pub fn is_closed(&mut self) -> bool {
        let mut line = String::new();
        matches!(self.reader.read_line(&mut line), Ok(0) | Err(_))
    }
}

/// Runs a Python script (with smtplib etc.), passing args; returns stdout, panics on failure.
pub fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is required for end-to-end tests");
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Background clients that submit one-recipient messages until stopped or until the server
/// goes away, recording every acknowledged message as `(queue id from the 250, Message-ID)`.
pub struct Flood {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
    acked: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

impl Flood {
    /// Starts `clients` sessions against `addr`.
    pub fn start(addr: SocketAddr, clients: usize) -> Flood {
        use std::sync::atomic::Ordering;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let acked: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
        let threads = (0..clients)
            .map(|t| {
                let (stop, acked) = (stop.clone(), acked.clone());
                std::thread::spawn(move || {
                    let mut c = Raw::hello(addr);
                    for i in 0..1_000_000u64 {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        let id = format!("<f{t}-{i}@e2e.test>");
                        let cmds = format!(
                            "MAIL FROM:<s@e2e.test>\r\nRCPT TO:<r{t}-{i}@d{}.example>\r\nDATA\r\n",
                            i % 7
                        );
                        if !c.try_send(cmds.as_bytes()) {
                            return;
                        }
                        let (Some(a), Some(b), Some(e)) =
                            (c.try_reply(), c.try_reply(), c.try_reply())
                        else {
                            return;
                        };
                        if !(a.starts_with("250") && b.starts_with("250") && e.starts_with("354")) {
                            return;
                        }
                        let data = format!("Message-ID: {id}\r\nSubject: flood\r\n\r\nx\r\n.\r\n");
                        if !c.try_send(data.as_bytes()) {
                            return;
                        }
                        match c
                            .try_reply()
                            .as_deref()
                            .and_then(|r| r.strip_prefix("250 2.0.0 Ok: queued as "))
                        {
                            Some(qid) => acked.lock().unwrap().push((qid.to_string(), id)),
                            None => return,
                        }
                    }
                })
            })
            .collect();
        Flood {
            stop,
            threads,
            acked,
        }
    }

    /// Stops the clients and returns what was acknowledged.
    pub fn finish(self) -> Vec<(String, String)> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for t in self.threads {
            let _ = t.join();
        }
        let acked = self.acked.lock().unwrap().clone();
        acked
    }
}

/// A minimal SMTP sink that answers 250 to everything and records each MAIL FROM with the
/// peer address it came from.
/// What [`envelope_sink`] saw: (peer address, MAIL FROM) per transaction.
pub type Envelopes = Arc<Mutex<Vec<(std::net::IpAddr, String)>>>;

pub fn envelope_sink() -> (SocketAddr, Envelopes) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let senders = Arc::new(Mutex::new(Vec::new()));
    let seen = senders.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let peer = stream.peer_addr().unwrap().ip();
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let _ = out.write_all(b"220 sink.test ESMTP\r\n");
                let mut in_data = false;
                let mut line = String::new();
                while lines.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end().to_string();
                    line.clear();
                    if in_data {
                        if l == "." {
                            in_data = false;
                            let _ = out.write_all(b"250 2.0.0 queued\r\n");
                        }
                        continue;
                    }
                    let upper = l.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink.test\r\n250 PIPELINING\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        let from = l[10..].trim().trim_matches(['<', '>']).to_string();
                        seen.lock().unwrap().push((peer, from));
                        b"250 2.1.0 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
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
    (addr, senders)
}

/// A local IPv4 address that is not loopback (the first one of an interface that is up), for
/// tests that must connect from outside the loopback allow lists; `None` on a machine with
/// loopback only.
pub fn non_loopback_ipv4() -> Option<std::net::Ipv4Addr> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    #[allow(unsafe_code)]
    // SAFETY: getifaddrs fills `head` with a list we only read and then free once.
    unsafe {
        if libc::getifaddrs(&mut head) != 0 {
            return None;
        }
        let mut found = None;
        let mut cur = head;
        while !cur.is_null() && found.is_none() {
            let ifa = &*cur;
            let up = ifa.ifa_flags & (libc::IFF_UP as u32) != 0;
            if up
                && !ifa.ifa_addr.is_null()
                && i32::from((*ifa.ifa_addr).sa_family) == libc::AF_INET
            {
                let sin = &*(ifa.ifa_addr as *const libc::sockaddr_in);
                let ip = std::net::Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                if !ip.is_loopback() && !ip.is_unspecified() {
                    found = Some(ip);
                }
            }
            cur = ifa.ifa_next;
        }
        libc::freeifaddrs(head);
        found
    }
}

/// Polls `f` every 100 ms until it yields a value (at most 20 s; then the test fails naming
/// `what`). Deliveries and bounces are asynchronous, so tests wait for their effects.
pub fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
