//! Group commit: one writer thread turns many shards' write requests into few synced batches.
//!
//! Shards send [`Op`] lists over a bounded channel and await a oneshot. The writer blocks for
//! the first request, then takes whatever else is already waiting (up to the batch limits),
//! writes all of it as one `WriteBatch` with `sync = true`, and answers every requester. While
//! an fsync is in progress new requests pile up in the channel and form the next group, so the
//! group size adapts to load by itself: one message per fsync when idle, hundreds under load.
//! The bounded channel is the back-pressure: when the disk falls behind, `commit` waits and the
//! SMTP sessions answer more slowly instead of the engine buffering without limit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use futures::channel::oneshot;

use super::{Cf, StorageError, Store};
use crate::config::StorageConfig;

/// One write in a batch.
#[derive(Debug, Clone)]
pub enum Op {
    /// Insert or replace.
    Put {
        /// Column family.
        cf: Cf,
        /// Key.
        key: Vec<u8>,
        /// Value.
        value: Vec<u8>,
    },
    /// Delete.
    Delete {
        /// Column family.
        cf: Cf,
        /// Key.
        key: Vec<u8>,
    },
    /// Merge an operand into the value (the column family's merge operator combines them; see
    /// `storage::counters`): read-modify-write without a read, atomic across shards.
    Merge {
        /// Column family.
        cf: Cf,
        /// Key.
        key: Vec<u8>,
        /// Operand.
        value: Vec<u8>,
    },
    /// Delete every key in `[from, to)` (retention: one tombstone instead of one per record).
    DeleteRange {
        /// Column family.
        cf: Cf,
        /// First key deleted.
        from: Vec<u8>,
        /// First key kept.
        to: Vec<u8>,
    },
}

impl Op {
    fn bytes(&self) -> usize {
        match self {
            Op::Put { key, value, .. } | Op::Merge { key, value, .. } => key.len() + value.len(),
            Op::Delete { key, .. } => key.len(),
            Op::DeleteRange { from, to, .. } => from.len() + to.len(),
        }
    }
}

struct Request {
    ops: Vec<Op>,
    done: oneshot::Sender<Result<(), String>>,
}

/// Cloneable handle that submits durable writes; dropping every handle stops the writer.
#[derive(Clone)]
pub struct Committer {
    tx: flume::Sender<Request>,
    store: Arc<Store>,
}

/// Join handle of the writer thread; `join` waits until every queued write is on disk.
pub struct CommitWriter {
    handle: JoinHandle<()>,
    stop: Arc<AtomicBool>,
}

impl CommitWriter {
    /// Writes everything already queued, then stops the writer and waits for it. Handles that
    /// are still alive (a task that outlived its executor) get `WriterGone` afterwards, so
    /// shutdown never waits for every `Committer` clone to be dropped.
    pub fn join(self) {
        self.stop.store(true, Ordering::SeqCst);
        if self.handle.join().is_err() {
            tracing::error!("spool writer thread panicked");
        }
    }
}

impl Committer {
    /// Starts the writer thread.
    pub fn start(
        store: Arc<Store>,
        tuning: &StorageConfig,
    ) -> std::io::Result<(Self, CommitWriter)> {
        Self::start_measured(store, tuning, None)
    }

    /// Starts the writer thread, reporting each group's size and synced-write time to
    /// `metrics` (the writer is one thread: no contention on those histograms).
    pub fn start_measured(
        store: Arc<Store>,
        tuning: &StorageConfig,
        metrics: Option<Arc<crate::metrics::Metrics>>,
    ) -> std::io::Result<(Self, CommitWriter)> {
        let (tx, rx) = flume::bounded::<Request>(tuning.commit_queue_depth);
        let max_batch = tuning.max_commit_batch;
        let max_bytes = tuning.max_commit_bytes;
        let stop = Arc::new(AtomicBool::new(false));
        let writer_stop = stop.clone();
        let writer_store = store.clone();
        let handle = std::thread::Builder::new()
            .name("spool-writer".into())
            .spawn(move || {
                writer_loop(
                    &writer_store,
                    &rx,
                    &writer_stop,
                    (max_batch, max_bytes),
                    metrics.as_deref(),
                )
            })?;
        Ok((Self { tx, store }, CommitWriter { handle, stop }))
    }

    /// Writes new mail (a message accepted by SMTP, the API or the receiving listener): like
    /// [`Committer::commit`], but refused with [`StorageError::NoSpace`] while the spool's
    /// filesystem is under its free-space reserve, which stays for what drains the queue.
    pub async fn commit_new_mail(&self, ops: Vec<Op>) -> Result<(), StorageError> {
        if self.store.space().intake_paused() {
            return Err(StorageError::NoSpace);
        }
        match self.commit(ops).await {
            // The write ran the filesystem out of space (the writer paused intake before
            // answering): the sender hears `452 4.3.1`, as for mail refused by the reserve.
            Err(StorageError::Other(_)) if self.store.space().intake_paused() => {
                Err(StorageError::NoSpace)
            }
            other => other,
        }
    }

    /// Writes `ops` atomically and durably; resolves once they are fsync'd.
    pub async fn commit(&self, ops: Vec<Op>) -> Result<(), StorageError> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send_async(Request { ops, done })
            .await
            .map_err(|_| StorageError::WriterGone)?;
        match wait.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(msg)) => Err(StorageError::Other(msg)),
            Err(_) => Err(StorageError::WriterGone),
        }
    }
}

fn writer_loop(
    store: &Store,
    rx: &flume::Receiver<Request>,
    stop: &AtomicBool,
    (max_batch, max_bytes): (usize, usize),
    metrics: Option<&crate::metrics::Metrics>,
) {
    let mut group: Vec<Request> = Vec::with_capacity(max_batch);
    let mut ops: Vec<Op> = Vec::new();
    loop {
        let first = match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(req) => req,
            Err(flume::RecvTimeoutError::Timeout) if !stop.load(Ordering::SeqCst) => continue,
            Err(flume::RecvTimeoutError::Timeout) => match rx.try_recv() {
                Ok(req) => req,
                Err(_) => return,
            },
            Err(flume::RecvTimeoutError::Disconnected) => return,
        };
        let mut bytes: usize = first.ops.iter().map(Op::bytes).sum();
        group.push(first);
        while group.len() < max_batch && bytes < max_bytes {
            match rx.try_recv() {
                Ok(req) => {
                    bytes += req.ops.iter().map(Op::bytes).sum::<usize>();
                    group.push(req);
                }
                Err(_) => break,
            }
        }
        for req in &mut group {
            ops.append(&mut req.ops);
        }
        let started = std::time::Instant::now();
        let result = store.write_ops(&ops, true).map_err(|e| e.to_string());
        if let Some(m) = metrics {
            m.commit(group.len(), started.elapsed(), result.is_ok());
        }
        if let Err(e) = &result {
            tracing::error!(error = %e, messages = group.len(), "synced spool write failed");
        }
        ops.clear();
        for req in group.drain(..) {
            // A requester that went away (connection dropped) simply is not told.
            let _ = req.done.send(result.clone());
        }
    }
}

impl Store {
    /// RocksDB sizes per column family for `/metrics` (properties are in-memory counters of
    /// RocksDB: cheap, no I/O). A family the spool lacks is left out.
    pub fn sizes(&self) -> crate::metrics::RocksSizes {
        let Ok(db) = self.db() else {
            return crate::metrics::RocksSizes::default();
        };
        let prop = |handle: &rocksdb::ColumnFamily, name: &str| {
            db.property_int_value_cf(handle, name).ok().flatten()
        };
        let families = Cf::ALL
            .iter()
            .filter_map(|cf| {
                let handle = db.cf_handle(cf.name())?;
                Some(crate::metrics::FamilySizes {
                    name: cf.name(),
                    sst_bytes: prop(handle, "rocksdb.total-sst-files-size"),
                    live_data_bytes: prop(handle, "rocksdb.estimate-live-data-size"),
                    memtable_bytes: prop(handle, "rocksdb.cur-size-all-mem-tables"),
                    blob_bytes: prop(handle, "rocksdb.total-blob-file-size"),
                })
            })
            .collect();
        crate::metrics::RocksSizes { families }
    }
}
