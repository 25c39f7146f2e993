//! An in-memory authoritative DNS server on loopback, for tests and benchmarks that must route
//! mail without the internet or the system resolver.
//!
//! It answers MX, A and AAAA from a [`Zone`] and can play the failure cases routing has to handle:
//! NXDOMAIN, NODATA, SERVFAIL, REFUSED, and silence (a timeout). Plain std threads and sockets
//! (UDP, plus TCP for truncated answers), so it runs beside any runtime. hickory-proto (through
//! hickory-resolver's re-export) decodes queries and encodes answers.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use hickory_resolver::proto::op::Message;
use hickory_resolver::proto::serialize::binary::BinEncodable;

pub use crate::zone::{Zone, ZoneError};

struct Shared {
    zone: RwLock<Zone>,
    queries: AtomicU64,
    stop: AtomicBool,
}

impl Shared {
    /// Decodes a query, counts it and encodes the answer; over UDP an answer larger than the
    /// client's EDNS payload size (512 bytes without EDNS) is sent truncated so it retries on TCP.
    fn handle(&self, packet: &[u8], udp: bool) -> Option<Vec<u8>> {
        let request = Message::from_vec(packet).ok()?;
        self.queries.fetch_add(1, Ordering::Relaxed);
        let response = {
            let zone = self
                .zone
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            zone.respond(&request)?
        };
        let bytes = response.to_bytes().ok()?;
        let limit = request
            .edns
            .as_ref()
            .map_or(512, |e| usize::from(e.max_payload()).max(512));
        if udp && bytes.len() > limit {
            return response.truncate().to_bytes().ok();
        }
        Some(bytes)
    }
}

/// A running test DNS server; stops (and joins its threads) when dropped.
pub struct TestDns {
    addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl TestDns {
    /// Serves `zone` on 127.0.0.1 at a free port (UDP and TCP on the same port).
    pub fn start(zone: Zone) -> io::Result<Self> {
        Self::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), zone)
    }

    /// Serves `zone` on `addr`, for the benchmark binary; port 0 picks a free one.
    pub fn bind(addr: SocketAddr, zone: Zone) -> io::Result<Self> {
        let (udp, tcp) = bind_pair(addr)?;
        let addr = udp.local_addr()?;
        udp.set_read_timeout(Some(Duration::from_millis(250)))?;
        let shared = Arc::new(Shared {
            zone: RwLock::new(zone),
            queries: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let s = Arc::clone(&shared);
        let udp_thread = std::thread::Builder::new()
            .name("testdns-udp".into())
            .spawn(move || serve_udp(&udp, &s))?;
        let s = Arc::clone(&shared);
        let tcp_thread = std::thread::Builder::new()
            .name("testdns-tcp".into())
            .spawn(move || serve_tcp(&tcp, &s))?;
        Ok(Self {
            addr,
            shared,
            threads: vec![udp_thread, tcp_thread],
        })
    }

    /// Where to point [`crate::DnsConfig::servers`].
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the zone, e.g. to show that a cached answer outlives a change until its TTL.
    pub fn set_zone(&self, zone: Zone) {
        *self
            .shared
            .zone
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = zone;
    }

    /// Queries received so far (timed-out ones included), to check what the cache saved.
    pub fn queries(&self) -> u64 {
        self.shared.queries.load(Ordering::Relaxed)
    }

    /// Blocks until the server threads end, i.e. forever unless they fail; for the binary.
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for TestDns {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake {
                SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
            });
        }
        let local = SocketAddr::new(
            if wake.is_ipv4() {
                Ipv4Addr::LOCALHOST.into()
            } else {
                Ipv6Addr::LOCALHOST.into()
            },
            0,
        );
        if let Ok(sock) = UdpSocket::bind(local) {
            let _ = sock.send_to(&[], wake);
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(250));
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Binds UDP and TCP on one port; with port 0 retries if the UDP port is taken for TCP.
fn bind_pair(addr: SocketAddr) -> io::Result<(UdpSocket, TcpListener)> {
    let mut last_err = None;
    for _ in 0..16 {
        let udp = UdpSocket::bind(addr)?;
        match TcpListener::bind(udp.local_addr()?) {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(e) if addr.port() == 0 => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| io::Error::other("no free port for UDP and TCP")))
}

fn serve_udp(sock: &UdpSocket, shared: &Shared) {
    let mut buf = vec![0u8; 4096];
    while !shared.stop.load(Ordering::Relaxed) {
        let (len, peer) = match sock.recv_from(&mut buf) {
            Ok(x) => x,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) =>
            {
                continue
            }
            Err(e) => {
                tracing::warn!("test DNS UDP: {e}");
                continue;
            }
        };
        if let Some(answer) = buf
            .get(..len)
            .and_then(|packet| shared.handle(packet, true))
        {
            let _ = sock.send_to(&answer, peer);
        }
    }
}

fn serve_tcp(listener: &TcpListener, shared: &Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(stream) = conn else { continue };
        let s = Arc::clone(shared);
        let _ = std::thread::Builder::new()
            .name("testdns-conn".into())
            .spawn(move || serve_conn(stream, &s));
    }
}

fn serve_conn(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(250)));
    let mut len = [0u8; 2];
    while !shared.stop.load(Ordering::Relaxed) {
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue
            }
            Err(_) => return,
        }
        let mut packet = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if stream.read_exact(&mut packet).is_err() {
            return;
        }
        let Some(answer) = shared.handle(&packet, false) else {
            continue;
        };
        let Ok(n) = u16::try_from(answer.len()) else {
            continue;
        };
        if stream
            .write_all(&n.to_be_bytes())
            .and_then(|()| stream.write_all(&answer))
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_resolver::proto::op::Query;
    use hickory_resolver::proto::rr::{Name, RecordType};

    #[test]
    fn large_udp_answers_are_truncated_but_tcp_answers_are_whole() {
        let mut zone = Zone::new();
        for i in 0..60 {
            zone = zone.mx(
                "big.test",
                i,
                &format!("mx{i}.a-rather-long-mail-exchanger-name.big.test"),
            );
        }
        let shared = Shared {
            zone: RwLock::new(zone),
            queries: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        };
        let mut q = Message::query();
        q.metadata.id = 7;
        q.add_query(Query::query(
            Name::from_ascii("big.test.").unwrap(),
            RecordType::MX,
        ));
        let packet = q.to_bytes().unwrap();
        let udp = Message::from_vec(&shared.handle(&packet, true).unwrap()).unwrap();
        assert!(udp.metadata.truncation && udp.answers.is_empty());
        let tcp = Message::from_vec(&shared.handle(&packet, false).unwrap()).unwrap();
        assert_eq!((tcp.metadata.truncation, tcp.answers.len()), (false, 60));
        assert_eq!(shared.queries.load(Ordering::Relaxed), 2);
    }
}
