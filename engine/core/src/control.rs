//! The control plane's line to the shards: bounded channels, one per shard, carrying the few
//! requests that must run on the shard that owns the state (its in-memory queue, its copy of
//! the settings). Runtime-neutral (flume), so the tokio-based RPC server and the glommio shards
//! meet here without either importing the other's runtime.

use std::sync::Arc;

use crate::config::Snapshot;
use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::storage::keys::owner_shard;

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
}

impl EngineLink {
    /// Creates the channels; the receivers go to the shards, in shard order.
    pub fn new(shards: usize, depth: usize) -> (Self, Vec<flume::Receiver<ControlRequest>>) {
        let (txs, rxs) = (0..shards).map(|_| flume::bounded(depth)).unzip();
        (Self { shards: txs }, rxs)
    }

    /// Number of shards.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// Hands durable recipients to the shards that own their domains.
    pub async fn enqueue(&self, notices: Vec<QueuedNotice>) -> Result<(), ControlError> {
        let n = self.shards.len().max(1);
        let mut per: Vec<Vec<QueuedNotice>> = (0..n).map(|_| Vec::new()).collect();
        for notice in notices {
            if let Some(v) = per.get_mut(owner_shard(notice.domain_hash, n)) {
                v.push(notice);
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

    /// Force send on every shard (a delivery id does not tell its shard; a domain does).
    pub async fn force_send(
        &self,
        domain: Option<String>,
        delivery: Option<Id>,
    ) -> Result<usize, ControlError> {
        let targets: Vec<&flume::Sender<ControlRequest>> = match &domain {
            Some(d) => {
                let owner = owner_shard(
                    crate::storage::keys::domain_hash(d),
                    self.shards.len().max(1),
                );
                self.shards.get(owner).into_iter().collect()
            }
            None => self.shards.iter().collect(),
        };
        let mut total = 0;
        for tx in targets {
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
        let mut total = crate::metrics::QueueDepth::default();
        for w in waits {
            total.merge(w.recv_async().await.map_err(|_| ControlError::ShardsGone)?);
        }
        Ok(total)
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
