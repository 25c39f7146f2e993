//! A connection that starts plain and may be upgraded to TLS by STARTTLS, for both directions:
//! `MaybeTls<server::TlsStream<_>>` for SMTP sessions we serve, `MaybeTls<client::TlsStream<_>>`
//! for outbound delivery.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::io::{AsyncRead, AsyncWrite};
use glommio::net::TcpStream;

/// Plain TCP, TLS over it after STARTTLS, or nothing (while upgrading, or after a failed
/// handshake consumed the socket).
pub(super) enum MaybeTls<T> {
    /// Before STARTTLS.
    Plain(TcpStream),
    /// After a successful handshake.
    Tls(Box<T>),
    /// No socket any more.
    Closed,
}

/// Access to the TCP socket under a TLS stream and to the negotiated version, common to
/// futures-rustls' server and client streams.
pub(super) trait TlsInfo {
    /// The socket below.
    fn tcp(&self) -> &TcpStream;
    /// Negotiated protocol version.
    fn version(&self) -> Option<rustls::ProtocolVersion>;
}

impl TlsInfo for futures_rustls::server::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
    fn version(&self) -> Option<rustls::ProtocolVersion> {
        self.get_ref().1.protocol_version()
    }
}

impl TlsInfo for futures_rustls::client::TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
    fn version(&self) -> Option<rustls::ProtocolVersion> {
        self.get_ref().1.protocol_version()
    }
}

impl<T: TlsInfo> MaybeTls<T> {
    fn tcp(&self) -> Option<&TcpStream> {
        match self {
            MaybeTls::Plain(s) => Some(s),
            MaybeTls::Tls(t) => Some(t.tcp()),
            MaybeTls::Closed => None,
        }
    }

    /// The local address of the socket.
    pub(super) fn local_addr(&self) -> Option<std::net::SocketAddr> {
        self.tcp().and_then(|s| s.local_addr().ok())
    }

    /// Sets the socket read timeout (the RFC 5321 timeout of the protocol's current phase).
    pub(super) fn set_read_timeout(&self, d: Duration) -> io::Result<()> {
        match self.tcp() {
            Some(s) => s.set_read_timeout(Some(d)).map_err(io::Error::from),
            None => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    /// Sets the socket write timeout (a peer that stops reading must not hold a write forever).
    pub(super) fn set_write_timeout(&self, d: Duration) -> io::Result<()> {
        match self.tcp() {
            Some(s) => s.set_write_timeout(Some(d)).map_err(io::Error::from),
            None => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    /// Negotiated TLS version, e.g. "TLSv1.3".
    pub(super) fn tls_version(&self) -> Option<&'static str> {
        match self {
            MaybeTls::Tls(t) => t.version().map(|v| match v {
                rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3",
                rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2",
                _ => "TLS",
            }),
            _ => None,
        }
    }
}

fn closed<T>() -> Poll<io::Result<T>> {
    Poll::Ready(Err(io::ErrorKind::NotConnected.into()))
}

impl<T: AsyncRead + Unpin> AsyncRead for MaybeTls<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MaybeTls::Tls(t) => Pin::new(t.as_mut()).poll_read(cx, buf),
            MaybeTls::Closed => closed(),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for MaybeTls<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MaybeTls::Tls(t) => Pin::new(t.as_mut()).poll_write(cx, buf),
            MaybeTls::Closed => closed(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_flush(cx),
            MaybeTls::Tls(t) => Pin::new(t.as_mut()).poll_flush(cx),
            MaybeTls::Closed => Poll::Ready(Ok(())),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MaybeTls::Plain(s) => Pin::new(s).poll_close(cx),
            MaybeTls::Tls(t) => Pin::new(t.as_mut()).poll_close(cx),
            MaybeTls::Closed => Poll::Ready(Ok(())),
        }
    }
}

/// The server side's connection type.
pub(super) type Conn = MaybeTls<futures_rustls::server::TlsStream<TcpStream>>;
/// The delivery side's connection type.
pub(super) type OutConn = MaybeTls<futures_rustls::client::TlsStream<TcpStream>>;
