//! Events derived from spool writes, without I/O.
//!
//! An event exists only because a record was stored: [`derive`] looks at one [`Op`] of a write
//! batch and returns the event it implies, or `None`. The event id is derived from the source
//! record's column family and key, so it is unique (log keys are unique) and the same across
//! endpoints; receivers deduplicate retried deliveries by it.

use serde::{Deserialize, Serialize};

use crate::bounces::{BounceRecord, ErrorSource};
use crate::receiving::{ReceivedKind, ReceivedRecord};
use crate::storage::{Cf, DeliveryLogRecord, DeliveryStatus, Op};
use crate::unsubscribe::UnsubscribedEvent;

/// Event types (`type` in the payload; `events` of an endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A delivery was accepted from the application.
    Queued,
    /// The destination accepted it.
    Succeeded,
    /// Temporary failure, will be retried.
    Deferred,
    /// Permanent failure (with an error status).
    Failed,
    /// A bounce received for a delivery (normally after it succeeded here).
    Bounced,
    /// Failed without a connection: the recipient is on the block or unsubscribe list
    /// (error status 10 or 11). Replaces `failed` for those.
    Blocked,
    /// A recipient used the one-click unsubscribe.
    Unsubscribed,
    /// An ARF feedback (abuse) report arrived on the receiving listener.
    Complained,
    /// Mail for an inbound domain (part 2 of issue 14; written through
    /// [`super::inbound_ops`]).
    Inbound,
    /// A shaping rule fired: a site (or a source IP of it) was suspended, slowed or set to
    /// bounce (`crate::shaping`).
    Shaping,
}

impl EventKind {
    /// Every kind, in documentation order.
    pub const ALL: [EventKind; 10] = [
        EventKind::Queued,
        EventKind::Succeeded,
        EventKind::Deferred,
        EventKind::Failed,
        EventKind::Bounced,
        EventKind::Blocked,
        EventKind::Unsubscribed,
        EventKind::Complained,
        EventKind::Inbound,
        EventKind::Shaping,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Queued => "queued",
            EventKind::Succeeded => "succeeded",
            EventKind::Deferred => "deferred",
            EventKind::Failed => "failed",
            EventKind::Bounced => "bounced",
            EventKind::Blocked => "blocked",
            EventKind::Unsubscribed => "unsubscribed",
            EventKind::Complained => "complained",
            EventKind::Inbound => "inbound",
            EventKind::Shaping => "shaping",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One event as posted (an element of the JSON array of a POST).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id (dedup key for receivers).
    pub id: String,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// When it happened, RFC 3339 UTC.
    pub time: String,
    /// When it happened, ms since the epoch.
    pub time_ms: u64,
    /// Delivery id (hex), when the event concerns one delivery.
    pub delivery_id: Option<String>,
    /// Our message id (hex).
    pub message_id: Option<String>,
    /// The API user that sent the message.
    pub api_user: Option<String>,
    /// The recipient.
    pub recipient: Option<String>,
    /// The recipient's domain (lower case).
    pub domain: Option<String>,
    /// Delivery status (SPEC §13.4) of the record behind the event.
    pub status: Option<String>,
    /// Error status (SPEC §13.5).
    pub error_status: Option<u8>,
    /// SMTP reply or diagnostic text.
    pub reply: Option<String>,
    /// Remote host name, from the reply's `(host NAME [IP] …)` suffix or the bounce record.
    pub remote_host: Option<String>,
    /// Remote host address, from the same suffix.
    pub remote_ip: Option<String>,
    /// Tags given at sending.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Subject (complaints: of the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Extra data of the type (`inbound`: the parsed message; `complained`: the report's
    /// envelope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

/// Time in RFC 3339 (UTC, milliseconds).
pub fn rfc3339(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(|m| jiff::Timestamp::from_millisecond(m).ok())
        .map_or_else(|| ms.to_string(), |t| format!("{t:.3}"))
}

/// Event id of a source record: `ev_` + family tag + hex key.
fn event_id(tag: &str, key: &[u8]) -> String {
    let mut s = String::with_capacity(4 + tag.len() + key.len() * 2);
    s.push_str("ev_");
    s.push_str(tag);
    for b in key {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Splits the `(host NAME [IP] tls…)` suffix that delivery appends to the reply.
pub fn remote_of(reply: &str) -> (Option<String>, Option<String>) {
    let Some(start) = reply.rfind(" (host ") else {
        return (None, None);
    };
    let inner = reply[start + 7..].trim_end().trim_end_matches(')');
    let mut parts = inner.split_whitespace();
    let host = parts.next().map(str::to_string);
    let ip = parts
        .next()
        .filter(|p| p.starts_with('[') && p.ends_with(']'))
        .map(|p| p.trim_matches(|c| c == '[' || c == ']').to_string());
    (host, ip)
}

fn blank(kind: EventKind, id: String, time_ms: u64) -> Event {
    Event {
        id,
        kind,
        time: rfc3339(time_ms),
        time_ms,
        delivery_id: None,
        message_id: None,
        api_user: None,
        recipient: None,
        domain: None,
        status: None,
        error_status: None,
        reply: None,
        remote_host: None,
        remote_ip: None,
        tags: Vec::new(),
        subject: None,
        data: None,
    }
}

/// The event a stored record implies, if any. Records that fail to decode imply none (their
/// readers report them; an event of a record we cannot read would be made up).
pub fn derive(op: &Op) -> Option<Event> {
    let Op::Put { cf, key, value } = op else {
        return None;
    };
    match cf {
        Cf::DeliveryLog => from_log(key, value),
        Cf::Bounces => from_bounce(key, value),
        Cf::Admin if key.starts_with(b"event/") => from_unsubscribe(key, value),
        Cf::Admin if key.starts_with(crate::storage::shaping_log::PREFIX) => {
            from_shaping(key, value)
        }
        Cf::Received if key.first() == Some(&0) => from_received(key, value),
        _ => None,
    }
}

fn from_log(key: &[u8], value: &[u8]) -> Option<Event> {
    let r: DeliveryLogRecord = serde_json::from_slice(value).ok()?;
    let kind = match r.status {
        DeliveryStatus::Queued => EventKind::Queued,
        DeliveryStatus::Succeeded => EventKind::Succeeded,
        DeliveryStatus::Deferred => EventKind::Deferred,
        DeliveryStatus::Failed if matches!(r.error_status, Some(10 | 11)) => EventKind::Blocked,
        DeliveryStatus::Failed => EventKind::Failed,
    };
    let status = serde_json::to_value(r.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    let (remote_host, remote_ip) = r.smtp_reply.as_deref().map_or((None, None), remote_of);
    let mut e = blank(kind, event_id("l", key), r.time_ms);
    e.delivery_id = Some(r.delivery_id);
    e.message_id = Some(r.message_id);
    e.api_user = r.api_user;
    e.recipient = Some(r.recipient);
    e.domain = Some(r.domain);
    e.status = status;
    e.error_status = r.error_status;
    e.reply = r.smtp_reply;
    e.remote_host = remote_host;
    e.remote_ip = remote_ip;
    e.tags = r.tags;
    e.subject = Some(r.subject);
    Some(e)
}

fn from_bounce(key: &[u8], value: &[u8]) -> Option<Event> {
    // The raw bounce (last key byte 0xFF) is not JSON; SMTP failures already gave `failed`.
    if key.last() == Some(&0xff) {
        return None;
    }
    let r: BounceRecord = serde_json::from_slice(value).ok()?;
    if r.source != ErrorSource::Bounce {
        return None;
    }
    let mut e = blank(EventKind::Bounced, event_id("b", key), r.time_ms);
    e.delivery_id = r.delivery_id;
    e.message_id = r.message_id;
    e.api_user = r.api_user;
    e.recipient = Some(r.recipient);
    e.domain = Some(r.domain);
    e.status = Some("failed".into());
    e.error_status = Some(r.error_status);
    e.reply = Some(r.diagnostic);
    e.remote_host = r.reporting_mta.or(r.remote_host);
    Some(e)
}

fn from_unsubscribe(key: &[u8], value: &[u8]) -> Option<Event> {
    let r: UnsubscribedEvent = serde_json::from_slice(value).ok()?;
    let mut e = blank(EventKind::Unsubscribed, event_id("u", key), r.time_ms);
    e.domain = r
        .recipient
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase());
    e.recipient = Some(r.recipient);
    e.delivery_id = Some(r.delivery_id);
    e.api_user = r.api_user;
    e.data = serde_json::to_value(r.channel)
        .ok()
        .map(|c| serde_json::json!({ "channel": c }));
    Some(e)
}

fn from_shaping(key: &[u8], value: &[u8]) -> Option<Event> {
    let f: crate::shaping::Fired = serde_json::from_slice(value).ok()?;
    let mut e = blank(EventKind::Shaping, event_id("s", key), f.time_ms);
    e.domain = Some(f.domain.clone());
    e.data = serde_json::to_value(&f).ok();
    Some(e)
}

fn from_received(key: &[u8], value: &[u8]) -> Option<Event> {
    let r: ReceivedRecord = serde_json::from_slice(value).ok()?;
    if r.kind != ReceivedKind::Feedback {
        return None;
    }
    let mut e = blank(EventKind::Complained, event_id("r", key), r.time_ms);
    e.subject = r.subject;
    e.api_user = r.api_users.first().cloned();
    e.remote_ip = Some(r.peer_ip.clone());
    e.remote_host = Some(r.helo.clone());
    e.data = Some(serde_json::json!({
        "received_id": key.get(9..17).map(|k| k.iter().map(|b| format!("{b:02x}")).collect::<String>()),
        "mail_from": r.mail_from,
        "recipients": r.recipients,
        "message_id": r.header_message_id,
    }));
    Some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(status: DeliveryStatus, error_status: Option<u8>, reply: Option<&str>) -> Op {
        let r = DeliveryLogRecord {
            time_ms: 1_700_000_000_000,
            delivery_id: "00aa".into(),
            message_id: "00bb".into(),
            api_user: Some("app".into()),
            source_ip: "127.0.0.1".into(),
            envelope_from: "a@example.com".into(),
            recipient: "who@example.net".into(),
            domain: "example.net".into(),
            status,
            error_status,
            smtp_reply: reply.map(str::to_string),
            size: 10,
            subject: "hi".into(),
            tags: vec!["t1".into()],
        };
        Op::Put {
            cf: Cf::DeliveryLog,
            key: vec![1, 2, 3],
            value: serde_json::to_vec(&r).unwrap(),
        }
    }

    #[test]
    fn log_records_become_status_events() {
        let e = derive(&log(DeliveryStatus::Queued, None, None)).unwrap();
        assert_eq!(e.kind, EventKind::Queued);
        assert_eq!(e.id, "ev_l010203");
        assert_eq!(e.tags, vec!["t1".to_string()]);
        assert_eq!(e.time, "2023-11-14T22:13:20.000Z");
        let e = derive(&log(
            DeliveryStatus::Succeeded,
            None,
            Some("250 ok (host mx.example.net [192.0.2.1] TLSv1.3)"),
        ))
        .unwrap();
        assert_eq!(e.kind, EventKind::Succeeded);
        assert_eq!(e.remote_host.as_deref(), Some("mx.example.net"));
        assert_eq!(e.remote_ip.as_deref(), Some("192.0.2.1"));
        assert_eq!(
            derive(&log(DeliveryStatus::Failed, Some(2), None))
                .unwrap()
                .kind,
            EventKind::Failed
        );
        assert_eq!(
            derive(&log(DeliveryStatus::Failed, Some(10), None))
                .unwrap()
                .kind,
            EventKind::Blocked
        );
        assert_eq!(
            derive(&log(DeliveryStatus::Failed, Some(11), None))
                .unwrap()
                .kind,
            EventKind::Blocked
        );
        assert_eq!(
            derive(&log(DeliveryStatus::Deferred, None, None))
                .unwrap()
                .status
                .as_deref(),
            Some("deferred")
        );
    }

    #[test]
    fn other_writes_imply_nothing() {
        let put = |cf, key: &[u8], value: &[u8]| Op::Put {
            cf,
            key: key.to_vec(),
            value: value.to_vec(),
        };
        assert!(derive(&put(Cf::Queue, b"k", b"{}")).is_none());
        assert!(derive(&put(Cf::Admin, b"idem/x", b"{}")).is_none());
        assert!(derive(&put(Cf::DeliveryLog, b"k", b"not json")).is_none());
        assert!(derive(&put(Cf::Bounces, &[0, 0xff], b"raw mail")).is_none());
        assert!(derive(&put(Cf::Received, &[1, 0], b"raw mail")).is_none());
        assert!(derive(&Op::Delete {
            cf: Cf::DeliveryLog,
            key: vec![1]
        })
        .is_none());
    }

    #[test]
    fn remote_suffix_parses() {
        assert_eq!(remote_of("250 ok"), (None, None));
        assert_eq!(
            remote_of("550 no (host mx1.example [2001:db8::1])"),
            (Some("mx1.example".into()), Some("2001:db8::1".into()))
        );
        assert_eq!(remote_of("421 (host mx)"), (Some("mx".into()), None));
    }

    #[test]
    fn kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.name()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
        assert_eq!(EventKind::parse("nope"), None);
    }

    fn put(cf: Cf, key: &[u8], value: serde_json::Value) -> Op {
        Op::Put {
            cf,
            key: key.to_vec(),
            value: serde_json::to_vec(&value).unwrap(),
        }
    }

    fn bounce(source: &str) -> serde_json::Value {
        serde_json::json!({
            "time_ms": 1_700_000_000_000u64, "delivery_id": "00aa", "message_id": "00bb",
            "api_user": "app", "recipient": "Gone@Example.net", "domain": "example.net",
            "error_status": 2, "reason": "no such user", "smtp_status": 550,
            "enhanced_status": "5.1.1", "diagnostic": "550 5.1.1 user unknown",
            "reporting_mta": "mx.example.net", "matched_by": "verp", "raw_key": "0102ff",
            "source": source, "remote_host": null,
        })
    }

    #[test]
    fn received_bounces_become_bounced() {
        let e = derive(&put(Cf::Bounces, &[1, 2], bounce("bounce"))).unwrap();
        assert_eq!(e.kind, EventKind::Bounced);
        assert_eq!(e.id, "ev_b0102");
        assert_eq!(e.delivery_id.as_deref(), Some("00aa"));
        assert_eq!(e.message_id.as_deref(), Some("00bb"));
        assert_eq!(e.api_user.as_deref(), Some("app"));
        assert_eq!(e.recipient.as_deref(), Some("Gone@Example.net"));
        assert_eq!(e.domain.as_deref(), Some("example.net"));
        assert_eq!(e.status.as_deref(), Some("failed"));
        assert_eq!(e.error_status, Some(2));
        assert_eq!(e.reply.as_deref(), Some("550 5.1.1 user unknown"));
        assert_eq!(e.remote_host.as_deref(), Some("mx.example.net"));
        assert_eq!(e.time_ms, 1_700_000_000_000);
        // Without a reporting MTA, the remote host of the record is used.
        let mut v = bounce("bounce");
        v["reporting_mta"] = serde_json::Value::Null;
        v["remote_host"] = "mx2.example.net".into();
        let e = derive(&put(Cf::Bounces, &[1, 3], v)).unwrap();
        assert_eq!(e.remote_host.as_deref(), Some("mx2.example.net"));
        // Records written before `source` existed are bounces.
        let mut v = bounce("bounce");
        v.as_object_mut().unwrap().remove("source");
        assert!(derive(&put(Cf::Bounces, &[1, 4], v)).is_some());
        // Our own SMTP failures already gave `failed`: no second event.
        assert!(derive(&put(Cf::Bounces, &[1, 5], bounce("smtp"))).is_none());
    }

    #[test]
    fn unsubscribe_records_become_unsubscribed() {
        let v = serde_json::json!({
            "event": "unsubscribed", "time_ms": 1_700_000_000_000u64,
            "recipient": "Reader@Dest.Test", "delivery_id": "00cc", "api_user": "app",
            "channel": "mailto",
        });
        let e = derive(&put(Cf::Admin, b"event/\x01", v.clone())).unwrap();
        assert_eq!(e.kind, EventKind::Unsubscribed);
        assert_eq!(e.id, "ev_u6576656e742f01");
        assert_eq!(e.recipient.as_deref(), Some("Reader@Dest.Test"));
        assert_eq!(e.domain.as_deref(), Some("dest.test"));
        assert_eq!(e.delivery_id.as_deref(), Some("00cc"));
        assert_eq!(e.api_user.as_deref(), Some("app"));
        assert_eq!(e.data, Some(serde_json::json!({"channel": "mailto"})));
        assert_eq!(e.status, None);
        // Other admin keys with the same value imply nothing.
        assert!(derive(&put(Cf::Admin, b"events", v)).is_none());
    }

    fn received(kind: &str) -> serde_json::Value {
        serde_json::json!({
            "time_ms": 1_700_000_000_000u64, "mail_from": "", "recipients": ["abuse@b.test"],
            "peer_ip": "192.0.2.9", "helo": "fbl.isp.test", "tls": true, "size": 900,
            "kind": kind, "subject": "Abuse report", "header_message_id": "arf@isp.test",
            "error_log_keys": [], "api_users": ["app", "other"],
        })
    }

    #[test]
    fn feedback_reports_become_complained() {
        let key = [
            0u8, 0, 0, 1, 0x8b, 0xcf, 0xe5, 0x68, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd,
        ];
        let e = derive(&put(Cf::Received, &key, received("feedback"))).unwrap();
        assert_eq!(e.kind, EventKind::Complained);
        assert!(e.id.starts_with("ev_r00"), "{}", e.id);
        assert_eq!(e.subject.as_deref(), Some("Abuse report"));
        assert_eq!(e.api_user.as_deref(), Some("app"));
        assert_eq!(e.remote_ip.as_deref(), Some("192.0.2.9"));
        assert_eq!(e.remote_host.as_deref(), Some("fbl.isp.test"));
        assert_eq!(e.recipient, None);
        assert_eq!(
            e.data,
            Some(serde_json::json!({
                "received_id": "000000000000abcd", "mail_from": "",
                "recipients": ["abuse@b.test"], "message_id": "arf@isp.test",
            }))
        );
        // Other received mail, and the raw-message part, imply nothing.
        for kind in ["bounce", "auto_reply", "other"] {
            assert!(derive(&put(Cf::Received, &key, received(kind))).is_none());
        }
        let mut raw = key;
        raw[0] = 1;
        assert!(derive(&put(Cf::Received, &raw, received("feedback"))).is_none());
    }
}
