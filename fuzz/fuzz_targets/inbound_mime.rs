//! Fuzzes what the receiving listener makes of a message from the internet, without I/O: the
//! header facts it lists messages by (`intake::HeaderFacts::scan`), the received record
//! (`receiving::record_of`), the inbound webhook payload (`inbound::payload`, mail-parser
//! MIME decoding of headers, bodies and attachments) and its routing to inbound webhook
//! endpoints with filters (`webhooks::inbound_ops`), as `inbound::webhook_ops` does.
//!
//! Invariants: no panic; the record keeps the raw size; header values are unfolded (no line
//! break, no surrounding blanks); an attachment's content is present exactly when it is not
//! larger than the limit and decodes to its stated size; the payload serialises to JSON; the
//! endpoint without a filter always gets the event, each outbox value is the event's JSON
//! with the payload, and no endpoint gets it twice.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use hikyaku_engine::bounces::Processed;
use hikyaku_engine::inbound::{payload, InboundEnvelope};
use hikyaku_engine::intake::HeaderFacts;
use hikyaku_engine::receiving::{record_of, Envelope};
use hikyaku_engine::storage::Op;
use hikyaku_engine::webhooks::event::{rfc3339, Event, EventKind};
use hikyaku_engine::webhooks::{inbound_ops, Endpoint, FilterSpec, Hook, Router};
use libfuzzer_sys::fuzz_target;

/// Small enough that fuzzed attachments fall on both sides of it.
const MAX_ATTACHMENT: usize = 48;
const RECIPIENT: &str = "user@example.com";

fn endpoint(id: u64, filter: Option<(&str, &str)>) -> Endpoint {
    Endpoint {
        id,
        url: format!("https://hooks.example/{id}"),
        events: vec![EventKind::Inbound],
        filter: filter.map(|(header, pattern)| FilterSpec {
            header: header.into(),
            pattern: pattern.into(),
        }),
        secret: "whsec_AAAA".into(),
        created_ms: 1,
    }
}

/// The endpoints, built once (filters compile to regexes).
fn hook() -> &'static Hook {
    static HOOK: OnceLock<Hook> = OnceLock::new();
    HOOK.get_or_init(build_hook)
}

fn build_hook() -> Hook {
    let hook = Hook::default();
    let endpoints = vec![
        endpoint(1, None),
        endpoint(2, Some(("To", ".+@example\\.com"))),
        endpoint(3, Some(("Subject", "(?i).*invoice.*"))),
        endpoint(4, Some(("From", ".*<?[^@]+@example\\.net>?"))),
    ];
    let router = Router::build(endpoints, &Router::default()).expect("the filters compile");
    hook.install(router);
    hook
}

fuzz_target!(|raw: &[u8]| {
    let _ = HeaderFacts::scan(raw);
    let envelope = Envelope {
        time_ms: 1_700_000_000_000,
        mail_from: "sender@example.net".into(),
        recipients: vec![RECIPIENT.into()],
        peer_ip: std::net::IpAddr::from([192, 0, 2, 1]),
        helo: "mx.example.net".into(),
        tls: true,
    };
    let record = record_of(envelope.clone(), raw, &Processed::default());
    assert_eq!(record.size, raw.len() as u64);

    let message = payload(
        "0000000000000001",
        InboundEnvelope {
            from: envelope.mail_from.clone(),
            to: envelope.recipients.clone(),
            remote_ip: envelope.peer_ip.to_string(),
            helo: envelope.helo.clone(),
            tls: envelope.tls,
        },
        raw,
        MAX_ATTACHMENT,
        None,
    );
    for h in &message.headers {
        assert!(!h.value.contains('\n'), "folded value kept: {:?}", h.value);
        assert_eq!(h.value.trim(), h.value, "value not trimmed");
    }
    for a in &message.attachments {
        assert_eq!(a.omitted, a.size > MAX_ATTACHMENT);
        assert_eq!(a.content.is_some(), !a.omitted);
        if let Some(content) = &a.content {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content)
                .expect("attachment content is base64");
            assert_eq!(bytes.len(), a.size);
        }
        assert_eq!(a.content_type, a.content_type.to_ascii_lowercase());
    }
    let data = serde_json::to_value(&message).expect("the payload serialises");

    let header = |name: &str| -> Option<String> {
        message
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    let event = Event {
        id: "ev_i0000000000000001".into(),
        kind: EventKind::Inbound,
        time: rfc3339(envelope.time_ms),
        time_ms: envelope.time_ms,
        delivery_id: None,
        message_id: None,
        api_user: None,
        recipient: Some(RECIPIENT.into()),
        domain: Some("example.com".into()),
        status: None,
        error_status: None,
        reply: None,
        remote_host: None,
        remote_ip: Some(envelope.peer_ip.to_string()),
        tags: Vec::new(),
        subject: message.subject.clone(),
        data: Some(data.clone()),
    };
    let ops = inbound_ops(
        hook(),
        &event,
        &envelope.recipients,
        &header,
        envelope.time_ms,
    );
    // Endpoint 1 (no filter) and 2 (To matches the recipient) always get it.
    assert!(
        ops.len() >= 2 && ops.len() <= 4,
        "{} outbox writes",
        ops.len()
    );
    let mut endpoints = Vec::new();
    for op in &ops {
        let Op::Put { key, value, .. } = op else {
            panic!("inbound_ops wrote something other than a put");
        };
        endpoints.push(key.get(1..9).map(<[u8]>::to_vec));
        let posted: Event = serde_json::from_slice(value).expect("the outbox value is an event");
        assert_eq!(posted.data.as_ref(), Some(&data));
        assert_eq!(posted.kind, EventKind::Inbound);
    }
    endpoints.sort();
    endpoints.dedup();
    assert_eq!(
        endpoints.len(),
        ops.len(),
        "an endpoint got the event twice"
    );
});
