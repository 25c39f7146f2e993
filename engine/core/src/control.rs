//! The control plane's line to the shards: bounded channels, one per shard, carrying the few
//! requests that must run on the shard that owns the state (its in-memory queue, its copy of
//! the settings). Runtime-neutral (flume), so the tokio-based RPC server and the glommio shards
//! meet here without either importing the other's runtime.

use std::sync::Arc;

use crate::config::Snapshot;
use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::queue::spread::HotDomains;

/// Requests a shard serves for the control plane.
pub enum ControlRequest {
    /// Durable recipients (queued through the RPC sending API) to add to the owner's queue.
    Enqueue(Vec<QueuedNotice>),
    /// Make deferred entries due now; answers how many moved.
    ForceSend {
        /// Only this domain.
        domain: Option<String>,
        /// Only this delivery.
        delivery: Option<Id>,
        /// Receives the count.
        reply: flume::Sender<usize>,
    },
    /// The shard's queue depth for `/metrics` (totals and its largest domains).
    QueueDepth {
        /// Receives the depth.
        reply: flume::Sender<crate::metrics::QueueDepth>,
    },
    /// Switch to new settings; answers once the shard uses them.
    Apply {
        /// The new settings, compiled.
        settings: Arc<Snapshot>,
        /// Receives an acknowledgement.
        reply: flume::Sender<()>,
    },
}

/// Why a request could not reach the shards.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// A shard has stopped (the engine is shutting down).
    #[error("the engine is shutting down")]
    ShardsGone,
}

/// Cloneable sender side: one channel per shard.
#[derive(Clone)]
pub struct EngineLink {
    shards: Vec<flume::Sender<ControlRequest>>,
    /// Which domains the control plane's sends make hot (`queue::spread`); locked once per
    /// batch of recipients.
    hot: Arc<std::sync::Mutex<HotDomains>>,
}

impl EngineLink {
    /// Creates the channels; the receivers go to the shards, in shard order.
    pub fn new(shards: usize, depth: usize) -> (Self, Vec<flume::Receiver<ControlRequest>>) {
        let (txs, rxs) = (0..shards).map(|_| flume::bounded(depth)).unzip();
        (
            Self {
                shards: txs,
                hot: Arc::default(),
            },
            rxs,
        )
    }

    /// Number of shards.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// Hands durable recipients to the shards that queue them: their domain's home shard, or
    /// any shard for a hot domain (`queue::spread`).
    pub async fn enqueue(&self, notices: Vec<QueuedNotice>) -> Result<(), ControlError> {
        let n = self.shards.len().max(1);
        let mut per: Vec<Vec<QueuedNotice>> = (0..n).map(|_| Vec::new()).collect();
        {
            let mut hot = self.hot.lock().unwrap_or_else(|p| p.into_inner());
            for notice in notices {
                let (owner, _) = hot.owner(notice.domain_hash, notice.delivery_id, n);
                if let Some(v) = per.get_mut(owner) {
                    v.push(notice);
                }
            }
        }
        for (tx, batch) in self.shards.iter().zip(per) {
            if !batch.is_empty() {
                tx.send_async(ControlRequest::Enqueue(batch))
                    .await
                    .map_err(|_| ControlError::ShardsGone)?;
            }
        }
        Ok(())
    }

    /// Force send on every shard: neither a delivery id nor a domain tells the shard (a hot
    /// domain's recipients are on all of them).
    pub async fn force_send(
        &self,
        domain: Option<String>,
        delivery: Option<Id>,
    ) -> Result<usize, ControlError> {
        let mut total = 0;
        for tx in &self.shards {
            let (reply, wait) = flume::bounded(1);
            tx.send_async(ControlRequest::ForceSend {
                domain: domain.clone(),
                delivery,
                reply,
            })
            .await
            .map_err(|_| ControlError::ShardsGone)?;
            total += wait
                .recv_async()
                .await
                .map_err(|_| ControlError::ShardsGone)?;
        }
        Ok(total)
    }

    /// Queue depth over every shard (for `/metrics`): each shard answers from its in-memory
    /// queue, so a scrape costs one walk of each shard's domain table and nothing per message.
    pub async fn queue_depth(&self) -> Result<crate::metrics::QueueDepth, ControlError> {
        let mut waits = Vec::with_capacity(self.shards.len());
        for tx in &self.shards {
            let (reply, wait) = flume::bounded(1);
            tx.send_async(ControlRequest::QueueDepth { reply })
                .await
                .map_err(|_| ControlError::ShardsGone)?;
            waits.push(wait);
        }
        let mut depths = Vec::with_capacity(waits.len());
        for w in waits {
            depths.push(w.recv_async().await.map_err(|_| ControlError::ShardsGone)?);
        }
        Ok(merge_depths(depths))
    }

    /// Sends new settings to every shard and waits until all of them use them.
    pub async fn apply(&self, settings: Arc<Snapshot>) -> Result<usize, ControlError> {
        let mut waits = Vec::with_capacity(self.shards.len());
        for tx in &self.shards {
            let (reply, wait) = flume::bounded(1);
            tx.send_async(ControlRequest::Apply {
                settings: settings.clone(),
                reply,
            })
            .await
            .map_err(|_| ControlError::ShardsGone)?;
            waits.push(wait);
        }
        for w in waits {
            w.recv_async().await.map_err(|_| ControlError::ShardsGone)?;
        }
        Ok(self.shards.len())
    }
}

/// The shards' depths added up. A hot domain is queued on several shards, so its counts are
/// summed by name before the largest are kept; each shard reports its own largest domains
/// only, and a spread domain is among them on every shard since it is spread evenly.
fn merge_depths(depths: Vec<crate::metrics::QueueDepth>) -> crate::metrics::QueueDepth {
    let mut total = crate::metrics::QueueDepth::default();
    let mut domains: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for d in depths {
        total.total = total.total.saturating_add(d.total);
        total.deferred = total.deferred.saturating_add(d.deferred);
        total.held = total.held.saturating_add(d.held);
        for (name, n) in d.domains {
            let sum = domains.entry(name).or_insert(0);
            *sum = sum.saturating_add(n);
        }
    }
    total.domains = crate::metrics::top_domains(domains.into_iter().collect());
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::QueueDepth;

    #[test]
    fn depths_of_a_spread_domain_add_up() {
        let shard = |hot: u64, other: &str| QueueDepth {
            total: hot + 5,
            deferred: 1,
            held: 0,
            domains: vec![("gmail.com".into(), hot), (other.into(), 5)],
        };
        let merged = merge_depths(vec![shard(40, "a.test"), shard(35, "b.test")]);
        assert_eq!(merged.total, 85);
        assert_eq!(merged.deferred, 2);
        assert_eq!(
            merged.domains,
            vec![
                ("gmail.com".to_string(), 75),
                ("a.test".to_string(), 5),
                ("b.test".to_string(), 5)
            ]
        );
    }
}
