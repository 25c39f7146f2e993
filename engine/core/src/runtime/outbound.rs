//! Drives the sans-I/O SMTP client over a glommio socket (plain, then TLS after STARTTLS).

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures_rustls::TlsConnector;
use glommio::net::TcpStream;
use hikyaku_smtp::client::{
    Client, ClientConfig, ClientEvent, ClientTimeouts, MessageOutcome, OutboundMessage,
};

use super::stream::OutConn;

/// One outbound SMTP connection.
pub(super) struct Outbound {
    conn: OutConn,
    client: Client,
    tls: Option<Arc<rustls::ClientConfig>>,
    server_name: String,
    buf: Vec<u8>,
    /// When the reply being waited for is due: set at the first read after something was
    /// written, so a server trickling its reply a byte at a time cannot stretch the wait
    /// beyond the client's timeout (a per-read timeout would restart with every byte).
    reply_due: Option<Instant>,
    /// Why the connection ended, once it has.
    pub(super) closed: Option<String>,
}

/// Connecting failed for every address.
#[derive(Debug)]
pub(super) struct ConnectError(pub(super) String);

impl Outbound {
    /// Connects to `addr` (bounded by `timeout`), from `source` when given, and prepares the
    /// client with `timeouts` for the replies.
    pub(super) async fn connect(
        addr: SocketAddr,
        source: Option<std::net::IpAddr>,
        server_name: &str,
        config: ClientConfig,
        timeouts: ClientTimeouts,
        tls: Option<Arc<rustls::ClientConfig>>,
        timeout: Duration,
    ) -> Result<Outbound, ConnectError> {
        let stream = match source {
            None => TcpStream::connect_timeout(addr, timeout)
                .await
                .map_err(|e| ConnectError(format!("connect to {addr}: {e}")))?,
            Some(ip) => connect_from(ip, addr, timeout).await?,
        };
        Ok(Outbound {
            conn: OutConn::Plain(stream),
            client: Client::with_timeouts(config, timeouts),
            tls,
            server_name: server_name.to_string(),
            buf: vec![0u8; 16 * 1024],
            reply_due: None,
            closed: None,
        })
    }

    /// The local address of the connection (for logs and tests of source binding).
    pub(super) fn local_ip(&self) -> Option<std::net::IpAddr> {
        self.conn.local_addr().map(|a| a.ip())
    }

    /// TLS version in use, e.g. "TLSv1.3".
    pub(super) fn tls_version(&self) -> Option<&'static str> {
        self.conn.tls_version()
    }

    async fn flush(&mut self) -> io::Result<()> {
        let out = self.client.output();
        if out.is_empty() {
            return Ok(());
        }
        let n = out.len();
        let _ = self.conn.set_write_timeout(self.client.timeout());
        self.conn.write_all(out).await?;
        self.client.consume_output(n);
        // Something new was said: the next reply gets a full timeout.
        self.reply_due = None;
        self.conn.flush().await
    }

    /// Runs the protocol until the client is ready for a message (`true`) or closed (`false`).
    /// A finished message's outcome arriving here is returned in `delivered`.
    async fn drive(&mut self, delivered: &mut Option<MessageOutcome>) -> bool {
        loop {
            match self.client.poll() {
                ClientEvent::Ready => return true,
                ClientEvent::Delivered(outcome) => {
                    *delivered = Some(outcome);
                    return !self.client.is_closed();
                }
                ClientEvent::Closed { reason } => {
                    let _ = self.flush().await;
                    let _ = self.conn.close().await;
                    self.closed = Some(reason);
                    return false;
                }
                ClientEvent::NeedInput => {
                    if self.flush().await.is_err() {
                        self.client.connection_lost();
                        continue;
                    }
                    let now = Instant::now();
                    let due = *self
                        .reply_due
                        .get_or_insert_with(|| now + self.client.timeout());
                    let Some(left) = due.checked_duration_since(now).filter(|l| !l.is_zero())
                    else {
                        self.client.timed_out();
                        continue;
                    };
                    let _ = self.conn.set_read_timeout(left);
                    match self.conn.read(&mut self.buf).await {
                        Ok(0) => self.client.connection_lost(),
                        Ok(n) => {
                            let (client, buf) = (&mut self.client, &self.buf);
                            client.feed(buf.get(..n).unwrap_or_default());
                        }
                        Err(e) if e.kind() == io::ErrorKind::TimedOut => self.client.timed_out(),
                        Err(_) => self.client.connection_lost(),
                    }
                }
                ClientEvent::StartTls => {
                    if self.flush().await.is_err() {
                        self.client.connection_lost();
                        continue;
                    }
                    let conn = std::mem::replace(&mut self.conn, OutConn::Closed);
                    match (conn, self.tls.clone()) {
                        (OutConn::Plain(tcp), Some(cfg)) => {
                            // SNI needs a DNS name; MX names are, address literals are not.
                            let name =
                                rustls::pki_types::ServerName::try_from(self.server_name.clone())
                                    .or_else(|_| {
                                        rustls::pki_types::ServerName::try_from(
                                            "mx.invalid".to_string(),
                                        )
                                    });
                            let Ok(name) = name else {
                                self.conn = OutConn::Plain(tcp);
                                self.client.tls_failed();
                                continue;
                            };
                            match TlsConnector::from(cfg).connect(name, tcp).await {
                                Ok(tls) => {
                                    self.conn = OutConn::Tls(Box::new(tls));
                                    self.client.tls_established();
                                }
                                Err(e) => {
                                    tracing::debug!(error = %e, host = %self.server_name, "outbound TLS handshake failed");
                                    self.client.tls_failed();
                                }
                            }
                        }
                        (other, _) => {
                            self.conn = other;
                            self.client.tls_failed();
                        }
                    }
                }
            }
        }
    }

    /// Waits for the greeting/EHLO (and STARTTLS) to complete.
    pub(super) async fn ready(&mut self) -> bool {
        let mut unexpected = None;
        self.drive(&mut unexpected).await
    }

    /// Whether the failed connection should be retried without TLS (opportunistic policy
    /// after a broken handshake).
    pub(super) fn retry_without_tls(&self) -> bool {
        self.client.retry_without_tls()
    }

    /// The result every message would get on this (failed) connection.
    pub(super) fn failure(&self) -> Option<hikyaku_smtp::client::DeliveryResult> {
        self.client.connection_failure().cloned()
    }

    /// Sends one message and waits for its per-recipient outcome; `None` when there is none
    /// (the connection failed first: `delivery::connection_plan::verdicts` defers them all).
    pub(super) async fn deliver(&mut self, msg: OutboundMessage) -> Option<MessageOutcome> {
        if self.client.send(msg).is_err() {
            return None;
        }
        let mut delivered = None;
        self.drive(&mut delivered).await;
        if self.client.is_closed() && self.closed.is_none() {
            // e.g. 421 mid-message: the outcome came first, `Closed` follows; consume it so the
            // worker stops using this connection.
            let mut ignored = None;
            self.drive(&mut ignored).await;
        }
        delivered
    }

    /// Sends QUIT and closes.
    pub(super) async fn quit(mut self) {
        self.client.quit();
        let mut ignored = None;
        let _ = self.drive(&mut ignored).await;
    }
}

/// A connection bound to a local source address. glommio cannot bind before connecting, so
/// the socket is bound and connected on the blocking pool (a thread hop per new connection,
/// only for destinations with `source_ips`) and then handed to the executor.
async fn connect_from(
    source: std::net::IpAddr,
    addr: SocketAddr,
    timeout: Duration,
) -> Result<TcpStream, ConnectError> {
    use glommio_socket2::{Domain, Protocol, Socket, Type};
    if source.is_ipv4() != addr.is_ipv4() {
        return Err(ConnectError(format!(
            "source address {source} cannot reach {addr} (address family)"
        )));
    }
    let socket = glommio::executor()
        .spawn_blocking(move || -> io::Result<Socket> {
            let domain = if addr.is_ipv4() {
                Domain::IPV4
            } else {
                Domain::IPV6
            };
            let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))?;
            socket.bind(&SocketAddr::new(source, 0).into())?;
            socket.connect_timeout(&addr.into(), timeout)?;
            Ok(socket)
        })
        .await
        .map_err(|e| ConnectError(format!("connect to {addr} from {source}: {e}")))?;
    Ok(TcpStream::from(socket))
}
