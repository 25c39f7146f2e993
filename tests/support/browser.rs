//! Headless Chromium driven over the DevTools protocol, for the web console's tests.
//!
//! The protocol runs over the pipe transport (`--remote-debugging-pipe`: the browser reads
//! commands on fd 3 and writes replies on fd 4, each message a JSON text ended by NUL), so no
//! WebSocket client is needed. Every wait is bounded.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One browser with one page.
pub struct Browser {
    child: Child,
    to: File,
    from: BufReader<File>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

fn pipe() -> (RawFd, RawFd) {
    let mut fds = [0; 2];
    let rc = unsafe_pipe(&mut fds);
    assert_eq!(rc, 0, "pipe: {}", std::io::Error::last_os_error());
    (fds[0], fds[1])
}

#[allow(unsafe_code)]
fn unsafe_pipe(fds: &mut [RawFd; 2]) -> i32 {
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }
}

#[allow(unsafe_code)]
fn give_child_fds(cmd: &mut Command, read_end: RawFd, write_end: RawFd) {
    // SAFETY: between fork and exec only async-signal-safe calls (fcntl, dup2) are made. The
    // ends are first copied above fd 10, so that neither dup2 overwrites the other end (a pipe
    // end may itself be fd 3 or 4) nor is a no-op that would leave close-on-exec set; dup2
    // clears close-on-exec on fds 3 and 4, which the browser inherits.
    unsafe {
        cmd.pre_exec(move || {
            let r = libc::fcntl(read_end, libc::F_DUPFD, 10);
            let w = libc::fcntl(write_end, libc::F_DUPFD, 10);
            if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[allow(unsafe_code)]
fn file(fd: RawFd) -> File {
    // SAFETY: `fd` was just created by pipe2 and is owned by nothing else.
    unsafe { File::from_raw_fd(fd) }
}

#[allow(unsafe_code)]
fn close(fd: RawFd) {
    // SAFETY: the child has its own copies; the parent's end is not used again.
    unsafe {
        libc::close(fd);
    }
}

impl Browser {
    /// Starts headless Chromium (installed by `scripts/ensure-deps.sh`) with a fresh profile
    /// that accepts the console's self-signed certificate, and opens one page.
    pub fn launch(width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (cmd_read, cmd_write) = pipe();
        let (reply_read, reply_write) = pipe();
        let mut cmd = Command::new("chromium");
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--ignore-certificate-errors",
            "--remote-debugging-pipe",
            &format!("--window-size={width},{height}"),
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("about:blank")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        give_child_fds(&mut cmd, cmd_read, reply_write);
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("starting chromium failed ({e}); run scripts/ensure-deps.sh to install it")
        });
        close(cmd_read);
        close(reply_write);
        let mut b = Browser {
            child,
            to: file(cmd_write),
            from: BufReader::new(file(reply_read)),
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = b.send("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.send(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b.send("Page.enable", json!({}));
        b.send("Runtime.enable", json!({}));
        b.send(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        b
    }

    /// Sends one command (to the page's session once attached) and returns its result.
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send_to(&session, method, params)
    }

    /// Sends one command to the browser itself (`session` empty) or to a page's session.
    fn send_to(&mut self, session: &str, method: &str, params: Value) -> Value {
        match self.try_send_to(session, method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e}"),
        }
    }

    /// Like `send_to`, with DevTools' error object returned instead of a panic.
    fn try_send_to(&mut self, session: &str, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !session.is_empty() {
            msg["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        loop {
            let mut buf = Vec::new();
            let n = self.from.read_until(0, &mut buf).unwrap();
            assert!(n > 0, "chromium closed the DevTools pipe");
            buf.pop();
            let reply: Value = serde_json::from_slice(&buf).unwrap();
            if reply["id"].as_u64() == Some(id) {
                if let Some(e) = reply.get("error") {
                    return Err(e.clone());
                }
                return Ok(reply["result"].clone());
            }
        }
    }

    /// Evaluates `expr` in the page (promises awaited) and returns its value.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.send(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{expr}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Polls `expr` until it is true (30 s at most).
    pub fn wait_until(&mut self, what: &str, expr: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let session = self.session.clone();
            // A page navigating away while the expression runs destroys
            // its context ("Inspected target navigated or closed"): that
            // is the navigation being waited for, not a failure; ask again.
            let v = match self.try_send_to(
                &session,
                "Runtime.evaluate",
                json!({"expression": expr, "returnByValue": true}),
            ) {
                Ok(v) => v,
                Err(e) if is_navigation_race(&e) => Value::Null,
                Err(e) => panic!("Runtime.evaluate failed: {e}"),
            };
            if v["result"]["value"] == json!(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; page: {}",
                self.location()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens `url` and waits until the page has loaded.
    pub fn goto(&mut self, url: &str) {
        self.eval("window.__hikyaku_marker = 1");
        self.send("Page.navigate", json!({"url": url}));
        self.wait_loaded();
    }

    /// Waits for a navigation started by the page itself (a submitted form, a link).
    pub fn wait_loaded(&mut self) {
        self.wait_until(
            "the next page",
            "window.__hikyaku_marker === undefined && document.readyState === 'complete'",
        );
    }

    /// Runs `action` (which navigates) and waits for the new page.
    pub fn act(&mut self, action: &str) {
        self.eval("window.__hikyaku_marker = 1");
        let session = self.session.clone();
        // The action's own navigation may end its evaluation early.
        match self.try_send_to(
            &session,
            "Runtime.evaluate",
            json!({"expression": action, "returnByValue": true, "awaitPromise": true}),
        ) {
            Ok(r) => {
                if let Some(e) = r.get("exceptionDetails") {
                    panic!("{action}: {e}");
                }
            }
            Err(e) if is_navigation_race(&e) => {}
            Err(e) => panic!("Runtime.evaluate failed: {e}"),
        }
        self.wait_loaded();
    }

    /// The current URL.
    pub fn location(&mut self) -> String {
        let v = self.send(
            "Runtime.evaluate",
            json!({"expression": "location.href", "returnByValue": true}),
        );
        v["result"]["value"].as_str().unwrap_or("").to_string()
    }

    /// The cookies the browser holds (with their `secure`, `httpOnly`, `sameSite` flags).
    pub fn cookies(&mut self) -> Vec<Value> {
        let r = self.send("Network.getCookies", json!({}));
        r["cookies"].as_array().cloned().unwrap_or_default()
    }

    /// Clicks the link `selector` as a user would and returns the file the browser
    /// downloaded (30 s at most).
    pub fn download(&mut self, selector: &str, file_name: &str) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        self.send_to(
            "",
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": dir.path().to_str().unwrap()}),
        );
        self.eval(&format!("document.querySelector({selector:?}).click()"));
        let path = dir.path().join(file_name);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let partial = std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"));
            if path.exists() && !partial {
                return std::fs::read(&path).unwrap();
            }
            assert!(Instant::now() < deadline, "no download of {file_name}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the page as it is rendered now.
    pub fn screenshot(&mut self, path: &Path) {
        let r = self.send(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            r["data"].as_str().unwrap(),
        )
        .unwrap();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// DevTools errors that only mean the page navigated while a command ran.
fn is_navigation_race(e: &Value) -> bool {
    let msg = e["message"].as_str().unwrap_or("");
    [
        "Inspected target navigated or closed",
        "Execution context was destroyed",
        "Cannot find context with specified id",
    ]
    .iter()
    .any(|m| msg.contains(m))
}
