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
