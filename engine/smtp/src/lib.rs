//! `hikyaku-smtp`: the SMTP protocol, both sides, without any I/O.
//!
//! Three things live here because all must be exactly right and all are easiest to get
//! right when they can be tested byte by byte without sockets, TLS or storage:
//!
//! * [`address`]: the SPEC §13.1 address rules, including the quoting of irregular local
//!   parts that strict parsers would refuse;
//! * [`session`]: the RFC 5321 server state machine (with PIPELINING, CHUNKING, STARTTLS,
//!   AUTH, SIZE, 8BITMIME, SMTPUTF8 and ENHANCEDSTATUSCODES), driven by bytes in and
//!   [`Event`]s out. The I/O layer (glommio sockets, rustls, the spool) performs what the
//!   events ask and reports back; see the [`session`] module docs for the loop;
//! * [`client`]: the delivery side, a state machine that sends messages over one outbound
//!   connection (EHLO/HELO, STARTTLS policy, PIPELINING, SIZE, SMTPUTF8, dot-stuffing) and
//!   turns the server's replies into per-recipient outcomes.
//!
//! ```
//! use hikyaku_smtp::{Access, BareLineEnding, Event, Reply, Session, SessionConfig, Timeouts};
//!
//! let config = SessionConfig {
//!     hostname: "mx.example".into(),
//!     max_message_size: 10 << 20,
//!     max_recipients: 100,
//!     starttls_available: false,
//!     plain_auth_allowed: false,
//!     bare_line_ending: BareLineEnding::Normalize,
//!     access: Access::Relay { ip_allowed: true },
//!     timeouts: Timeouts::default(),
//! };
//! let mut session = Session::new(config, "192.0.2.1".parse().unwrap());
//! session.feed(b"EHLO c\r\nMAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nDATA\r\nhi\r\n.\r\n");
//! loop {
//!     match session.poll() {
//!         Event::Message(transaction) => {
//!             assert_eq!(transaction.body, b"hi\r\n");
//!             // ... store durably, then:
//!             session.message_result(Reply::queued("A1"));
//!         }
//!         Event::NeedInput => break, // write session.output(), read, feed()
//!         other => unreachable!("{other:?}"),
//!     }
//! }
//! assert!(session.take_output().ends_with(b"250 2.0.0 Ok: queued as A1\r\n"));
//! ```
//!
//! Replies, including the canned ones, are in [`reply`] so the wording of every answer
//! can be reviewed in one file.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod address;
pub mod client;
pub mod reply;
pub mod session;

pub use address::{parse_address, Address, AddressError};
pub use client::{
    Capabilities, Client, ClientConfig, ClientError, ClientEvent, ClientTimeouts, DeliveryResult,
    MessageOutcome, OutboundMessage, RecipientOutcome, ServerReply, TlsPolicy,
};
pub use reply::Reply;
pub use session::{Access, BareLineEnding, Event, Session, SessionConfig, Timeouts, Transaction};
