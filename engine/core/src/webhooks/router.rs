//! Which endpoints an event goes to, and the [`Hook`] the spool calls for every write.
//!
//! The hook is inside [`crate::storage::Store`]: `add_to_batch` asks it for the outbox writes
//! implied by each op, which then go into the same `WriteBatch` as the record that caused
//! them. With no endpoint the cost is one atomic load per op.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::event::{derive, Event, EventKind};
use super::store::{dead_info_put, outbox_key, DeadInfo, Endpoint, DEAD, PENDING};
use super::WebhookError;
use crate::policy::filter::{Filter, Target};
use crate::storage::{Cf, Op};

/// Live state of one endpoint, kept across router swaps.
#[derive(Debug, Default)]
pub struct EndpointState {
    /// Pending events (in memory; counted at start, raised per routed event, lowered when
    /// the sender deletes or dead-letters).
    pub pending: AtomicU64,
    /// Wakes the endpoint's sender after a write that gave it events.
    pub notify: tokio::sync::Notify,
    /// Set when the endpoint is removed: its sender stops.
    pub removed: AtomicBool,
    /// The last delivery error, for `webhooks.status`.
    pub last_error: Mutex<Option<String>>,
    /// When the last "outbox full" warning was logged (ms), to log it once a minute.
    warned_ms: AtomicU64,
    /// An event was routed here since the last wake.
    dirty: AtomicBool,
}

/// One endpoint with its compiled filter.
pub struct Route {
    /// The stored endpoint.
    pub endpoint: Endpoint,
    filter: Option<Filter>,
    /// Shared live state.
    pub state: Arc<EndpointState>,
}

/// The endpoints events are routed to (immutable; swapped whole).
#[derive(Default)]
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    /// Compiles the endpoints; live state of endpoints already in `previous` is kept.
    pub fn build(endpoints: Vec<Endpoint>, previous: &Router) -> Result<Router, WebhookError> {
        let mut old: HashMap<u64, Arc<EndpointState>> = previous
            .routes
            .iter()
            .map(|r| (r.endpoint.id, r.state.clone()))
            .collect();
        let mut routes = Vec::with_capacity(endpoints.len());
        for endpoint in endpoints {
            let filter = match &endpoint.filter {
                Some(f) => Some(Filter::compile(&f.header, &f.pattern)?),
                None => None,
            };
            let state = old.remove(&endpoint.id).unwrap_or_default();
            routes.push(Route {
                endpoint,
                filter,
                state,
            });
        }
        for gone in old.values() {
            gone.removed.store(true, Ordering::SeqCst);
            gone.notify.notify_one();
        }
        Ok(Router { routes })
    }

    /// Every endpoint.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The endpoint with this id.
    pub fn get(&self, id: u64) -> Option<&Route> {
        self.routes.iter().find(|r| r.endpoint.id == id)
    }

    /// Endpoints subscribed to `event` whose filter matches it. `header` gives the value of
    /// a header the filter names (`To` is the event's recipient, or any of `recipients`).
    fn matching<'a>(
        &'a self,
        kind: EventKind,
        recipients: &'a [String],
        header: &'a dyn Fn(&str) -> Option<String>,
    ) -> impl Iterator<Item = &'a Route> + 'a {
        self.routes.iter().filter(move |r| {
            r.endpoint.events.contains(&kind)
                && r.filter.as_ref().is_none_or(|f| match f.target() {
                    Target::Recipient => recipients.iter().any(|rcpt| f.matches(rcpt)),
                    Target::Header(name) => header(name).is_some_and(|v| f.matches(&v)),
                })
        })
    }
}

/// The router and the outbox sequence, held by the spool.
#[derive(Default)]
pub struct Hook {
    active: AtomicBool,
    router: RwLock<Arc<Router>>,
    seq: AtomicU64,
    max_pending: AtomicU64,
}

impl Hook {
    /// Whether any endpoint exists (the only cost of the hook when none does).
    #[inline]
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    /// The current router.
    pub fn router(&self) -> Arc<Router> {
        match self.router.read() {
            Ok(r) => r.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Replaces the router (endpoints created or removed).
    pub fn install(&self, router: Router) {
        let active = !router.routes.is_empty();
        match self.router.write() {
            Ok(mut r) => *r = Arc::new(router),
            Err(p) => *p.into_inner() = Arc::new(router),
        }
        self.active.store(active, Ordering::SeqCst);
    }

    /// Raises the sequence to follow `seen` (start-up: the highest stored key).
    pub fn seen_seq(&self, seen: u64) {
        self.seq.fetch_max(seen, Ordering::SeqCst);
    }

    /// A new outbox sequence number.
    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Sets the per-endpoint bound of pending events (`[webhooks] max_pending`).
    pub fn set_max_pending(&self, max: u64) {
        self.max_pending.store(max, Ordering::Relaxed);
    }

    /// The outbox puts (keys and values in `outbox`) implied by one op of a write batch.
    pub fn outbox_puts(&self, op: &Op, now_ms: u64) -> Vec<(Vec<u8>, Vec<u8>)> {
        let Some(event) = derive(op) else {
            return Vec::new();
        };
        let recipients: Vec<String> = event.recipient.iter().cloned().collect();
        let subject = event.subject.clone();
        let header = move |name: &str| (name == "subject").then(|| subject.clone()).flatten();
        self.route(&event, &recipients, &header, now_ms)
    }

    fn route(
        &self,
        event: &Event,
        recipients: &[String],
        header: &dyn Fn(&str) -> Option<String>,
        now_ms: u64,
    ) -> Vec<(Vec<u8>, Vec<u8>)> {
        let router = self.router();
        let mut out = Vec::new();
        let mut body: Option<Vec<u8>> = None;
        let max = self.max_pending.load(Ordering::Relaxed);
        for route in router.matching(event.kind, recipients, header) {
            let value = match &body {
                Some(b) => b.clone(),
                None => match serde_json::to_vec(event) {
                    Ok(b) => {
                        body = Some(b.clone());
                        b
                    }
                    Err(_) => return out,
                },
            };
            let id = route.endpoint.id;
            let state = &route.state;
            let seq = self.next_seq();
            if max > 0 && state.pending.load(Ordering::Relaxed) >= max {
                let last = state.warned_ms.load(Ordering::Relaxed);
                if now_ms.saturating_sub(last) >= 60_000 {
                    state.warned_ms.store(now_ms, Ordering::Relaxed);
                    tracing::warn!(
                        endpoint = %super::store::id_text(id),
                        max_pending = max,
                        "webhook outbox full: new events go to the dead letters (replayable)"
                    );
                }
                out.push((outbox_key(DEAD, id, seq), value));
                let info = DeadInfo {
                    dead_ms: now_ms,
                    error: format!("outbox full (max_pending {max})"),
                };
                out.push(dead_info_put(id, seq, &info));
            } else {
                state.pending.fetch_add(1, Ordering::Relaxed);
                state.dirty.store(true, Ordering::Relaxed);
                out.push((outbox_key(PENDING, id, seq), value));
            }
        }
        out
    }

    /// After a write: wakes the senders of endpoints that got events.
    pub fn after_write(&self) {
        if !self.is_active() {
            return;
        }
        for r in self.router().routes() {
            if r.state.dirty.swap(false, Ordering::Relaxed) {
                r.state.notify.notify_one();
            }
        }
    }
}

/// The outbox writes that post an `inbound` event to every endpoint subscribed to `inbound`
/// whose filter matches (`To` = any of the envelope `recipients`; other headers through
/// `header`, given a lower-cased name). Empty when none matches: the caller keeps the message
/// listable instead. Put them in the same commit as the received message.
pub fn inbound_ops(
    hook: &Hook,
    event: &Event,
    recipients: &[String],
    header: &dyn Fn(&str) -> Option<String>,
    now_ms: u64,
) -> Vec<Op> {
    hook.route(event, recipients, header, now_ms)
        .into_iter()
        .map(|(key, value)| Op::Put {
            cf: Cf::Outbox,
            key,
            value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::store::{FilterSpec, PENDING};

    fn endpoint(id: u64, events: &[EventKind], filter: Option<(&str, &str)>) -> Endpoint {
        Endpoint {
            id,
            url: "http://127.0.0.1:1/".into(),
            events: events.to_vec(),
            filter: filter.map(|(h, m)| FilterSpec {
                header: h.into(),
                pattern: m.into(),
            }),
            secret: "whsec_AAAA".into(),
            created_ms: 0,
        }
    }

    fn log_op(recipient: &str, status: &str) -> Op {
        let v = serde_json::json!({
            "time_ms": 1, "delivery_id": "01", "message_id": "02", "api_user": null,
            "source_ip": "127.0.0.1", "envelope_from": "", "recipient": recipient,
            "domain": "example.com", "status": status, "size": 1, "subject": "Hello",
        });
        Op::Put {
            cf: Cf::DeliveryLog,
            key: vec![7],
            value: serde_json::to_vec(&v).unwrap(),
        }
    }

    #[test]
    fn inactive_without_endpoints() {
        let hook = Hook::default();
        assert!(!hook.is_active());
        hook.install(Router::build(vec![], &Router::default()).unwrap());
        assert!(!hook.is_active());
        assert!(hook
            .outbox_puts(&log_op("a@example.com", "queued"), 0)
            .is_empty());
    }

    #[test]
    fn routes_by_type_and_filter() {
        let hook = Hook::default();
        hook.seen_seq(41);
        let router = Router::build(
            vec![
                endpoint(1, &[EventKind::Queued, EventKind::Failed], None),
                endpoint(2, &[EventKind::Queued], Some(("To", ".+@Example\\.com"))),
                endpoint(3, &[EventKind::Queued], Some(("Subject", "Bye"))),
                endpoint(4, &[EventKind::Succeeded], None),
            ],
            &Router::default(),
        )
        .unwrap();
        hook.install(router);
        assert!(hook.is_active());
        let puts = hook.outbox_puts(&log_op("who@example.com", "queued"), 0);
        let keys: Vec<Vec<u8>> = puts.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            keys,
            vec![outbox_key(PENDING, 1, 42), outbox_key(PENDING, 2, 43)]
        );
        let event: Event = serde_json::from_slice(&puts[0].1).unwrap();
        assert_eq!(event.kind, EventKind::Queued);
        assert!(hook
            .outbox_puts(&log_op("who@example.org", "queued"), 0)
            .iter()
            .all(|(k, _)| k[8] == 1));
        assert_eq!(
            hook.router()
                .get(1)
                .unwrap()
                .state
                .pending
                .load(Ordering::SeqCst),
            2
        );
    }

    #[test]
    fn full_outbox_goes_to_dead_letters() {
        let hook = Hook::default();
        hook.set_max_pending(2);
        hook.install(
            Router::build(
                vec![endpoint(9, &[EventKind::Queued], None)],
                &Router::default(),
            )
            .unwrap(),
        );
        let puts: Vec<(Vec<u8>, Vec<u8>)> = (0..4)
            .flat_map(|_| hook.outbox_puts(&log_op("a@b.c", "queued"), 5))
            .collect();
        let parts: Vec<u8> = puts.iter().map(|(k, _)| k[0]).collect();
        assert_eq!(
            parts,
            vec![
                PENDING,
                PENDING,
                DEAD,
                crate::webhooks::store::DEAD_INFO,
                DEAD,
                crate::webhooks::store::DEAD_INFO
            ]
        );
        // Each dead letter says when and why, under its own sequence.
        assert_eq!(puts[3].0[1..], puts[2].0[1..]);
        let info: DeadInfo = serde_json::from_slice(&puts[3].1).unwrap();
        assert_eq!(info.dead_ms, 5);
        assert_eq!(info.error, "outbox full (max_pending 2)");
    }

    #[test]
    fn swaps_keep_state_and_stop_removed_senders() {
        let first = Router::build(
            vec![
                endpoint(1, &[EventKind::Queued], None),
                endpoint(2, &[EventKind::Queued], None),
            ],
            &Router::default(),
        )
        .unwrap();
        first
            .get(1)
            .unwrap()
            .state
            .pending
            .store(5, Ordering::SeqCst);
        let second = Router::build(vec![endpoint(1, &[EventKind::Queued], None)], &first).unwrap();
        assert_eq!(
            second.get(1).unwrap().state.pending.load(Ordering::SeqCst),
            5
        );
        assert!(first.get(2).unwrap().state.removed.load(Ordering::SeqCst));
        assert!(Router::build(
            vec![endpoint(3, &[EventKind::Queued], Some(("Received", ".*")))],
            &second
        )
        .is_err());
    }

    #[test]
    fn inbound_goes_to_matching_inbound_endpoints_only() {
        let hook = Hook::default();
        hook.install(
            Router::build(
                vec![
                    endpoint(
                        1,
                        &[EventKind::Inbound],
                        Some(("To", "info@mailform\\.example\\.com")),
                    ),
                    endpoint(2, &[EventKind::Queued], None),
                    endpoint(3, &[EventKind::Inbound], Some(("X-Tag", "a+"))),
                ],
                &Router::default(),
            )
            .unwrap(),
        );
        let mut event =
            serde_json::from_slice::<Event>(&hook.outbox_puts(&log_op("x@y.z", "queued"), 0)[0].1)
                .unwrap();
        event.kind = EventKind::Inbound;
        let rcpts = vec!["INFO@mailform.example.com".to_string()];
        let header = |n: &str| (n == "x-tag").then(|| "aaa".to_string());
        let ops = inbound_ops(&hook, &event, &rcpts, &header, 0);
        let eps: Vec<u8> = ops
            .iter()
            .map(|op| match op {
                Op::Put { key, .. } => key[8],
                _ => 0,
            })
            .collect();
        assert_eq!(eps, vec![1, 3]);
        assert!(inbound_ops(&hook, &event, &["other@x".into()], &|_| None, 0).is_empty());
    }
}
