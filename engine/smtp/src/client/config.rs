//! What the runtime hands the client: connection settings, timeouts and messages.

use std::sync::Arc;
use std::time::Duration;

/// How much TLS the destination demands (SPEC §5: opportunistic by default, per-domain
/// policy can require it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsPolicy {
    /// Never deliver in plain text: without a TLS session every message is deferred.
    Required,
    /// Use STARTTLS when offered, fall back to plain text when it is not.
    Opportunistic,
    /// Never try STARTTLS (used for the reconnect after a failed handshake, or for
    /// destinations known to have broken TLS).
    Disabled,
}

/// Per-connection settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Our name in EHLO/HELO; receivers check it against our reverse DNS.
    pub helo_name: String,
    /// The destination's TLS policy.
    pub tls_policy: TlsPolicy,
    /// The runtime can run a TLS handshake on this connection (has a TLS config).
    pub tls_available: bool,
    /// Use BDAT when the server offers CHUNKING with PIPELINING (see `transaction.rs`);
    /// `false` always sends DATA, for a destination whose BDAT handling is broken.
    pub chunking: bool,
}

/// RFC 5321 §4.5.3.2 client timeouts; [`Client::timeout`](super::Client::timeout) picks the
/// one for the current wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTimeouts {
    /// The `220` greeting (5 minutes).
    pub greeting: Duration,
    /// EHLO/HELO and STARTTLS replies (5 minutes, like any command).
    pub ehlo: Duration,
    /// MAIL (and RSET, QUIT) replies (5 minutes).
    pub mail: Duration,
    /// Each RCPT reply (5 minutes).
    pub rcpt: Duration,
    /// The `354` after DATA (2 minutes).
    pub data_init: Duration,
    /// Each write of message data (3 minutes).
    pub data_block: Duration,
    /// The reply after the final `.` (10 minutes: the server may be filtering or
    /// delivering synchronously, and giving up early risks duplicate deliveries).
    pub data_end: Duration,
}

impl Default for ClientTimeouts {
    fn default() -> ClientTimeouts {
        let minutes = |m: u64| Duration::from_secs(m * 60);
        ClientTimeouts {
            greeting: minutes(5),
            ehlo: minutes(5),
            mail: minutes(5),
            rcpt: minutes(5),
            data_init: minutes(2),
            data_block: minutes(3),
            data_end: minutes(10),
        }
    }
}

/// One message for one destination, as the queue stores it.
#[derive(Debug, Clone)]
pub struct OutboundMessage {
    /// The reverse-path in wire form without brackets; `""` is the null sender (bounces).
    pub mail_from: String,
    /// Forward-paths in wire form without brackets; outcomes come back in this order.
    pub recipients: Vec<String>,
    /// Header fields sent before `body` for this transaction only (a DKIM signature, the
    /// per-recipient unsubscribe fields): complete CRLF-terminated lines. Kept apart so the
    /// shared stored body is never copied to prepend them.
    pub head: Vec<u8>,
    /// The message with CRLF line endings, not dot-stuffed. Shared so that the same stored
    /// body can go to several destinations without copies.
    pub body: Arc<[u8]>,
    /// The message needs SMTPUTF8 (internationalized headers); non-ASCII addresses imply it.
    pub smtputf8: bool,
    /// The body has 8-bit content; `BODY=8BITMIME` is declared when the server offers it.
    pub eight_bit: bool,
    /// The message size declared with `SIZE=` (head and body) and checked against the
    /// server's limit.
    pub size: usize,
}
