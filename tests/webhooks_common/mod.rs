//! The webhook receiver shared by the webhook end-to-end tests: a real HTTP server (Python
//! `http.server`) that verifies every POST with the independent `standardwebhooks` package,
//! using exactly the example printed in docs/operations.md, and records the events.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Child, Command};

use hikyaku_e2e::{wait_for, Daemon};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::webhooks::{WebhookCreate, WebhookCreated};

/// The receiver-side verification example of docs/operations.md ("Webhooks"), verbatim.
pub const DOC_EXAMPLE: &str = r#"from standardwebhooks.webhooks import Webhook

def verify(secret: str, headers: dict, body: bytes) -> list:
    """The events of one POST; raises WebhookVerificationError if it is not signed by us."""
    wh = Webhook(secret)  # the "whsec_..." printed by `hikyaku webhooks create`
    return wh.verify(body, {k.lower(): v for k, v in headers.items()})
"#;

/// HTTP receiver: answers 500 until the time in `fail_until` (unix seconds) and 200 after;
/// every answered-200 POST is appended to `out` as `{"ok": verified, "events": [...]}`.
const RECEIVER: &str = r#"
import sys, json, time, http.server
port_file, out_file, secret_file, fail_file = sys.argv[1:5]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        try:
            fail_until = float(open(fail_file).read())
        except Exception:
            fail_until = 0
        if time.time() < fail_until:
            self.send_response(500); self.send_header("content-length", "0"); self.end_headers()
            return
        try:
            verify(open(secret_file).read().strip(), dict(self.headers), body)
            ok = True
        except Exception:
            ok = False
        with open(out_file, "a") as f:
            f.write(json.dumps({"ok": ok, "events": json.loads(body)}) + "\n")
        self.send_response(200); self.send_header("content-length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
class S(http.server.ThreadingHTTPServer):
    # The crash-loop test kills the daemon with its connections open: a
    # reset is expected there, not a receiver error worth a traceback.
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)
srv = S(("127.0.0.1", 0), H)
open(port_file + ".tmp", "w").write(str(srv.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
"#;

pub struct Receiver {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Receiver {
    pub fn start() -> Receiver {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n).display().to_string();
        let script = format!("{DOC_EXAMPLE}\n{RECEIVER}");
        let child = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args([p("port"), p("out"), p("secret"), p("fail")])
            .spawn()
            .unwrap();
        let port_file = dir.path().join("port");
        let port = wait_for("the receiver's port", || {
            std::fs::read_to_string(&port_file).ok()?.parse().ok()
        });
        Receiver { child, dir, port }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    pub fn fail_for(&self, secs: f64) {
        let until = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
            + secs;
        std::fs::write(self.path("fail"), until.to_string()).unwrap();
    }

    /// Every POST received: (verified, events).
    pub fn posts(&self) -> Vec<(bool, Vec<serde_json::Value>)> {
        let text = std::fs::read_to_string(self.path("out")).unwrap_or_default();
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| {
                (
                    v["ok"].as_bool().unwrap_or(false),
                    v["events"].as_array().cloned().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// Events deduplicated by id, in arrival order.
    pub fn events(&self) -> Vec<serde_json::Value> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (_, events) in self.posts() {
            for e in events {
                if seen.insert(e["id"].as_str().unwrap_or_default().to_string()) {
                    out.push(e);
                }
            }
        }
        out
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn create(d: &Daemon, token: &str, r: &Receiver, events: &[&str]) -> WebhookCreated {
    let created = d
        .call(
            Some(token),
            m::WEBHOOKS_CREATE,
            &WebhookCreate {
                url: r.url(),
                events: events.iter().map(|e| e.to_string()).collect(),
                filter: None,
            },
        )
        .unwrap();
    std::fs::write(r.path("secret"), &created.secret).unwrap();
    created
}

pub fn kinds_by_recipient(events: &[serde_json::Value]) -> HashMap<String, Vec<String>> {
    let mut by: HashMap<String, Vec<String>> = HashMap::new();
    for e in events {
        by.entry(e["recipient"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(e["type"].as_str().unwrap_or_default().to_string());
    }
    by
}

/// How many times each event id arrived, over every POST.
pub fn arrivals(r: &Receiver) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for (_, events) in r.posts() {
        for e in events {
            *n.entry(e["id"].as_str().unwrap_or_default().to_string())
                .or_default() += 1;
        }
    }
    n
}
