//! The scrape: what the atomics hold plus the queue depth and RocksDB sizes handed in by the
//! caller, encoded by prometheus-client in the Prometheus text format (0.0.4).
//!
//! A fresh `Registry` with one `Collector` is built per scrape: the collector reads the
//! atomics when the encoder asks, so nothing is registered (or locked) on the hot paths.

use std::sync::Arc;

use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

use super::{HistogramSnapshot, Listener, Metrics, Outcome, Refusal, ERROR_STATUSES};

/// `Content-Type` of the response.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Domains listed by `hikyaku_queue_domain_recipients` (bounded cardinality).
pub const TOP_DOMAINS: usize = 10;

/// Queue depth over all shards, gathered at scrape time from each shard's in-memory queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueDepth {
    /// Recipients queued (ready, deferred and held; not those in a delivery attempt now).
    pub total: u64,
    /// Recipients waiting for a retry time.
    pub deferred: u64,
    /// Recipients held by prohibited hours.
    pub held: u64,
    /// The largest domain queues, most recipients first, at most [`TOP_DOMAINS`].
    pub domains: Vec<(String, u64)>,
}

impl QueueDepth {
    /// Adds another shard's depth. Each domain is owned by exactly one shard, so the global
    /// top N is found among the shards' own top N lists.
    pub fn merge(&mut self, other: QueueDepth) {
        self.total = self.total.saturating_add(other.total);
        self.deferred = self.deferred.saturating_add(other.deferred);
        self.held = self.held.saturating_add(other.held);
        self.domains.extend(other.domains);
        self.domains = top_domains(std::mem::take(&mut self.domains));
    }
}

/// The [`TOP_DOMAINS`] largest of `(domain, recipients)`, largest first (ties by name, so a
/// scrape is stable).
pub fn top_domains(mut domains: Vec<(String, u64)>) -> Vec<(String, u64)> {
    domains.retain(|(_, n)| *n > 0);
    domains.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    domains.truncate(TOP_DOMAINS);
    domains
}

/// RocksDB sizes of one column family, from its properties (`None`: not reported).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilySizes {
    /// Column family name.
    pub name: &'static str,
    /// `rocksdb.total-sst-files-size`.
    pub sst_bytes: Option<u64>,
    /// `rocksdb.estimate-live-data-size`.
    pub live_data_bytes: Option<u64>,
    /// `rocksdb.cur-size-all-mem-tables`.
    pub memtable_bytes: Option<u64>,
    /// `rocksdb.total-blob-file-size` (bodies in the `messages` family).
    pub blob_bytes: Option<u64>,
}

/// RocksDB sizes per column family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RocksSizes {
    /// One entry per column family.
    pub families: Vec<FamilySizes>,
}

/// The webhook outbox of one endpoint (`webhooks::outbox_gauges`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxGauge {
    /// Endpoint id, as the RPC shows it.
    pub endpoint: String,
    /// Events waiting to be posted.
    pub pending: u64,
    /// Age of the oldest pending event, seconds (0 when none).
    pub oldest_age_seconds: f64,
}

/// What a scrape needs besides the atomics, gathered by the caller.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    /// Queue depth over the shards; `None` when they did not answer (shutting down): the
    /// queue metrics are then left out rather than reported as zero.
    pub queue: Option<QueueDepth>,
    /// RocksDB sizes.
    pub rocks: RocksSizes,
    /// Webhook outbox per endpoint.
    pub outbox: Vec<OutboxGauge>,
    /// The spool's disk (`None` leaves the metrics out).
    pub space: Option<crate::storage::space::SpaceStatus>,
}

/// Encodes a scrape.
pub fn render(metrics: &Arc<Metrics>, gathered: Gathered) -> Result<String, super::MetricsError> {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(Scrape {
        metrics: metrics.clone(),
        gathered,
    }));
    let mut out = String::with_capacity(16 * 1024);
    prometheus_client::encoding::prometheus_text::encode(&mut out, &registry)?;
    Ok(out)
}

#[derive(Debug)]
struct Scrape {
    metrics: Arc<Metrics>,
    gathered: Gathered,
}

type Fmt = Result<(), std::fmt::Error>;

fn load(a: &std::sync::atomic::AtomicU64) -> u64 {
    a.load(std::sync::atomic::Ordering::Relaxed)
}

fn load_i(a: &std::sync::atomic::AtomicI64) -> i64 {
    a.load(std::sync::atomic::Ordering::Relaxed)
}

/// One counter family: `name_total`, one series per label set.
fn counters<'l>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (Vec<(&'l str, String)>, u64)>,
) -> Fmt {
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Counter)?;
    for (labels, v) in series {
        ConstCounter::new(v).encode(m.encode_family(&labels)?)?;
    }
    Ok(())
}

/// One gauge family.
fn gauges<'l>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (Vec<(&'l str, String)>, i64)>,
) -> Fmt {
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Gauge)?;
    for (labels, v) in series {
        ConstGauge::new(v).encode(m.encode_family(&labels)?)?;
    }
    Ok(())
}

/// One histogram family.
fn histograms<'l>(
    enc: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    series: impl IntoIterator<Item = (Vec<(&'l str, String)>, HistogramSnapshot)>,
) -> Fmt {
    let mut m = enc.encode_descriptor(name, help, None, MetricType::Histogram)?;
    for (labels, h) in series {
        m.encode_family(&labels)?
            .encode_histogram::<NoLabelSet>(h.sum, h.count, &h.buckets, None)?;
    }
    Ok(())
}

fn label(key: &str, value: impl Into<String>) -> Vec<(&str, String)> {
    vec![(key, value.into())]
}

fn gauge_u64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl prometheus_client::collector::Collector for Scrape {
    fn encode(&self, mut enc: DescriptorEncoder) -> Fmt {
        let m = &self.metrics;
        counters(
            &mut enc,
            "hikyaku_intake_accepted_messages",
            "Messages accepted (answered 250 / queued after the durable write), per listener.",
            Listener::ALL
                .iter()
                .map(|l| (label("listener", l.label()), load(&m.accepted[*l as usize]))),
        )?;
        counters(
            &mut enc,
            "hikyaku_intake_accepted_recipients",
            "Recipients of accepted messages, per listener.",
            Listener::ALL.iter().map(|l| {
                let v = load(&m.accepted_recipients[*l as usize]);
                (label("listener", l.label()), v)
            }),
        )?;
        let refused = Listener::ALL.iter().flat_map(|l| {
            Refusal::ALL
                .iter()
                // The API refuses bad input with RPC errors before anything is stored; only
                // its durable-write failures are intake refusals.
                .filter(move |r| *l != Listener::Api || **r == Refusal::Storage)
                .map(move |r| {
                    let labels = vec![("listener", l.label().into()), ("reason", r.label().into())];
                    (labels, load(&m.refused[*l as usize][*r as usize]))
                })
        });
        counters(
            &mut enc,
            "hikyaku_intake_refused",
            "Messages (for reason=connection_limit: connections) refused at intake, per listener and reason.",
            refused,
        )?;
        counters(
            &mut enc,
            "hikyaku_delivery_outcomes",
            "Delivery attempts recorded, per outcome status (per recipient).",
            Outcome::ALL
                .iter()
                .map(|o| (label("status", o.label()), load(&m.outcomes[*o as usize]))),
        )?;
        let failures = (0..ERROR_STATUSES).filter_map(|i| {
            let v = load(&m.failures[i]);
            let known = u8::try_from(i)
                .ok()
                .and_then(hikyaku_bounce::ErrorStatus::from_u8);
            // The product's statuses are always listed; any other number only once seen.
            if known.is_none() && v == 0 {
                return None;
            }
            let reason = known.map_or("other", hikyaku_bounce::ErrorStatus::reason);
            let labels = vec![("error_status", i.to_string()), ("reason", reason.into())];
            Some((labels, v))
        });
        counters(
            &mut enc,
            "hikyaku_delivery_failures",
            "Deliveries recorded failed, per error status (1-11, 99; 0 = unclassified).",
            failures,
        )?;
        histograms(
            &mut enc,
            "hikyaku_smtp_accept_seconds",
            "SMTP accept latency: end of DATA to the 250 (durable write included).",
            [Listener::Relay, Listener::Receive]
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let h = m.accept_latency.get(i)?;
                    Some((label("listener", l.label()), h.snapshot()))
                }),
        )?;
        histograms(
            &mut enc,
            "hikyaku_delivery_seconds",
            "Delivery latency: queued to the final outcome (succeeded or failed).",
            [Outcome::Succeeded, Outcome::Failed]
                .iter()
                .zip(&m.delivery_latency)
                .map(|(o, h)| (label("status", o.label()), h.snapshot())),
        )?;
        histograms(
            &mut enc,
            "hikyaku_commit_batch_requests",
            "Write requests (messages, outcome batches) per group commit, i.e. per fsync.",
            [(Vec::new(), m.commit_batch.snapshot())],
        )?;
        histograms(
            &mut enc,
            "hikyaku_commit_fsync_seconds",
            "Duration of one group commit's synced RocksDB write (WAL fsync included).",
            [(Vec::new(), m.commit_fsync.snapshot())],
        )?;
        counters(
            &mut enc,
            "hikyaku_commit_failures",
            "Group commits whose synced write failed.",
            [(Vec::new(), load(&m.commit_failures))],
        )?;
        let ins = [Listener::Relay, Listener::Receive];
        gauges(
            &mut enc,
            "hikyaku_smtp_connections_in",
            "Inbound SMTP connections open now, per listener.",
            ins.iter()
                .zip(&m.connections_in)
                .map(|(l, v)| (label("listener", l.label()), load_i(v))),
        )?;
        counters(
            &mut enc,
            "hikyaku_smtp_connections_accepted",
            "Inbound SMTP connections accepted (including those refused over the limit).",
            ins.iter()
                .zip(&m.connections_accepted)
                .map(|(l, v)| (label("listener", l.label()), load(v))),
        )?;
        gauges(
            &mut enc,
            "hikyaku_smtp_connections_out",
            "Outbound SMTP connections open now (in use or parked for reuse).",
            [(Vec::new(), load_i(&m.connections_out))],
        )?;
        counters(
            &mut enc,
            "hikyaku_shaping_rules_fired",
            "Shaping rules that fired, by action.",
            super::SHAPING_ACTIONS
                .iter()
                .zip(&m.shaping_fired)
                .map(|(a, v)| (label("action", *a), load(v))),
        )?;
        if let Some(q) = &self.gathered.queue {
            self.encode_queue(&mut enc, q)?;
        }
        self.encode_rocks(&mut enc)?;
        self.encode_space(&mut enc)?;
        self.encode_outbox(&mut enc)
    }
}

impl Scrape {
    fn encode_queue(&self, enc: &mut DescriptorEncoder, q: &QueueDepth) -> Fmt {
        gauges(
            enc,
            "hikyaku_queue_recipients",
            "Recipients queued over all shards (ready, deferred, held).",
            [(Vec::new(), gauge_u64(q.total))],
        )?;
        gauges(
            enc,
            "hikyaku_queue_deferred_recipients",
            "Queued recipients waiting for a retry time.",
            [(Vec::new(), gauge_u64(q.deferred))],
        )?;
        gauges(
            enc,
            "hikyaku_queue_held_recipients",
            "Queued recipients held by prohibited hours.",
            [(Vec::new(), gauge_u64(q.held))],
        )?;
        gauges(
            enc,
            "hikyaku_queue_domain_recipients",
            "Recipients queued for the 10 largest destination domains.",
            q.domains
                .iter()
                .map(|(d, n)| (label("domain", d.as_str()), gauge_u64(*n))),
        )
    }

    fn encode_rocks(&self, enc: &mut DescriptorEncoder) -> Fmt {
        type Pick = fn(&FamilySizes) -> Option<u64>;
        let kinds: [(&str, &str, Pick); 4] = [
            (
                "hikyaku_rocksdb_sst_bytes",
                "Total size of the SST files of a column family (rocksdb.total-sst-files-size).",
                |f| f.sst_bytes,
            ),
            (
                "hikyaku_rocksdb_live_data_bytes",
                "Estimated live data of a column family (rocksdb.estimate-live-data-size).",
                |f| f.live_data_bytes,
            ),
            (
                "hikyaku_rocksdb_memtable_bytes",
                "Memtable size of a column family (rocksdb.cur-size-all-mem-tables).",
                |f| f.memtable_bytes,
            ),
            (
                "hikyaku_rocksdb_blob_bytes",
                "Blob file size of a column family (rocksdb.total-blob-file-size; message bodies).",
                |f| f.blob_bytes,
            ),
        ];
        for (name, help, pick) in kinds {
            gauges(
                enc,
                name,
                help,
                self.gathered
                    .rocks
                    .families
                    .iter()
                    .filter_map(|f| Some((label("cf", f.name), gauge_u64(pick(f)?)))),
            )?;
        }
        Ok(())
    }

    fn encode_space(&self, enc: &mut DescriptorEncoder) -> Fmt {
        let Some(s) = self.gathered.space else {
            return Ok(());
        };
        let one = |v: i64| [(Vec::new(), v)];
        gauges(
            enc,
            "hikyaku_spool_free_bytes",
            "Bytes free for the engine on the spool's filesystem.",
            one(gauge_u64(s.free_bytes)),
        )?;
        gauges(
            enc,
            "hikyaku_spool_reserve_bytes",
            "storage.min_free_mb in bytes: below it new mail is refused.",
            one(gauge_u64(s.reserve_bytes)),
        )?;
        gauges(
            enc,
            "hikyaku_spool_intake_paused",
            "1 while new mail is refused for lack of space on the spool's disk.",
            one(i64::from(s.intake_paused)),
        )?;
        gauges(
            enc,
            "hikyaku_spool_write_failing",
            "1 while spool writes fail (a full disk); the engine reopens the spool once space is back.",
            one(i64::from(s.failing_since_ms.is_some())),
        )?;
        counters(
            enc,
            "hikyaku_spool_recoveries",
            "Times the spool was reopened after failed writes, since start.",
            [(Vec::new(), s.recoveries)],
        )
    }

    fn encode_outbox(&self, enc: &mut DescriptorEncoder) -> Fmt {
        let outbox = &self.gathered.outbox;
        gauges(
            enc,
            "hikyaku_webhook_outbox_pending",
            "Webhook events waiting in the durable outbox, per endpoint.",
            outbox
                .iter()
                .map(|o| (label("endpoint", o.endpoint.as_str()), gauge_u64(o.pending))),
        )?;
        let mut m = enc.encode_descriptor(
            "hikyaku_webhook_outbox_oldest_age_seconds",
            "Age of the oldest pending webhook event, per endpoint (0 when none is pending).",
            None,
            MetricType::Gauge,
        )?;
        for o in outbox {
            ConstGauge::new(o.oldest_age_seconds)
                .encode(m.encode_family(&label("endpoint", o.endpoint.as_str()))?)?;
        }
        Ok(())
    }
}
