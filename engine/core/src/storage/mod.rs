//! The durable spool: one RocksDB database, several column families (layout in [`keys`]).
//!
//! Contract: a write handed to [`Committer::commit`] is on disk (WAL fsync'd) when the future
//! resolves `Ok`; nothing else in the engine writes with `sync = true`. Writes from all shards
//! are merged by one writer thread into one synced `WriteBatch` per group (group commit), so
//! executors never block on an fsync and a thousand concurrent sessions share one. Reads are
//! plain RocksDB reads from the calling thread.

mod commit;
pub mod counters;
pub mod graph_counters;
pub mod keys;
pub mod log_index;
pub mod oplog;
mod records;
pub mod retention_mark;
pub mod secrets;
pub mod shaping_log;
pub mod space;
pub mod spool;

pub use commit::{Committer, Op};
pub use records::{
    DeliveryLogRecord, DeliveryStatus, MessageMeta, QueueEntry, Submitter, UserRecord,
};

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard};

use rocksdb::{BlockBasedOptions, Cache, ColumnFamilyDescriptor, Options, DB};

use crate::config::StorageConfig;

/// Column families, as an enum so a typo is a compile error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cf {
    /// Message bodies.
    Messages,
    /// Per-message metadata.
    MessageMeta,
    /// Queue entries (one per recipient not yet finished).
    Queue,
    /// Delivery log.
    DeliveryLog,
    /// API users.
    Users,
    /// Secondary indexes of the delivery log (see [`log_index`]).
    LogIndex,
    /// Block list and unsubscribe list (see `crate::suppression`).
    Suppression,
    /// Control-plane records: accounts, API-key index, settings versions, idempotency keys,
    /// the operation log (see [`oplog`]).
    Admin,
    /// Error log of received bounces, time-keyed, with the raw bounces (see `crate::bounces`).
    Bounces,
    /// Every message accepted on the receiving listener, with its envelope (see
    /// `crate::receiving`).
    Received,
    /// Sender authentication: DKIM keys (private keys never leave through the API) and S/MIME
    /// certificates with their keys.
    Auth,
    /// DMARC aggregate reports received on the rua address, parsed (or raw with the error).
    DmarcReports,
    /// Webhook events waiting to be posted, and dead letters (see `crate::webhooks::store`).
    Outbox,
    /// Graph counters: records per hour (and day) by status and error status, overall, per
    /// domain and per API user (see [`graph_counters`]).
    Stats,
}

impl Cf {
    /// Every column family, for opening.
    pub const ALL: [Cf; 14] = [
        Cf::Messages,
        Cf::MessageMeta,
        Cf::Queue,
        Cf::DeliveryLog,
        Cf::Users,
        Cf::LogIndex,
        Cf::Suppression,
        Cf::Admin,
        Cf::Bounces,
        Cf::Received,
        Cf::Auth,
        Cf::DmarcReports,
        Cf::Outbox,
        Cf::Stats,
    ];

    /// RocksDB name.
    pub fn name(self) -> &'static str {
        match self {
            Cf::Messages => "messages",
            Cf::MessageMeta => "message_meta",
            Cf::Queue => "queue",
            Cf::DeliveryLog => "delivery_log",
            Cf::Users => "users",
            Cf::LogIndex => "log_index",
            Cf::Suppression => "suppression",
            Cf::Admin => "admin",
            Cf::Bounces => "bounces",
            Cf::Received => "received",
            Cf::Auth => "auth",
            Cf::DmarcReports => "dmarc_reports",
            Cf::Outbox => "outbox",
            Cf::Stats => "stats",
        }
    }
}

/// Storage failures. Corrupt records are reported per record by readers, not as this error.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// RocksDB refused an operation.
    #[error("rocksdb: {0}")]
    Rocks(#[from] rocksdb::Error),
    /// The spool is opened by another process (RocksDB LOCK held).
    #[error("the spool in {0} is in use by another process (is hikyakud running?)")]
    Locked(String),
    /// A failure reported by another thread (the writer) or a missing column family.
    #[error("spool: {0}")]
    Other(String),
    /// The writer thread is gone (engine shutting down).
    #[error("the spool writer has stopped")]
    WriterGone,
    /// The spool's filesystem is under `storage.min_free_mb`: new mail waits.
    #[error("the spool's disk is nearly full (less than storage.min_free_mb free): new mail is refused until space is freed")]
    NoSpace,
    /// A record could not be encoded.
    #[error("encoding a record: {0}")]
    Encode(#[from] serde_json::Error),
    /// Creating the data directory failed.
    #[error("creating {path}: {source}")]
    Io {
        /// Directory.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
}

/// Handle on the open database, shared by all shards and the writer thread.
pub struct Store {
    /// `None` only for the moment of a reopen after a full disk (see [`space`]).
    db: RwLock<Option<DB>>,
    /// Where and how to open the database again; `None` for a read-only open.
    reopen_with: Option<(PathBuf, StorageConfig)>,
    /// Free space, the intake reserve and write failures.
    space: space::SpaceState,
    /// Event webhooks: derives outbox writes from each batch (see `crate::webhooks`).
    webhooks: crate::webhooks::Hook,
}

/// A read lock on the open database.
struct DbRef<'a>(RwLockReadGuard<'a, Option<DB>>);

impl std::ops::Deref for DbRef<'_> {
    type Target = DB;
    fn deref(&self) -> &DB {
        // Checked in `Store::db` before a `DbRef` is made, and the lock is held since.
        self.0
            .as_ref()
            .unwrap_or_else(|| unreachable!("checked when locked"))
    }
}

/// The RocksDB handle of a column family.
fn handle(db: &DB, cf: Cf) -> Result<&rocksdb::ColumnFamily, StorageError> {
    db.cf_handle(cf.name())
        .ok_or_else(|| StorageError::Other(format!("column family {} missing", cf.name())))
}

impl Store {
    /// Opens (creating if needed) the spool under `data_dir/spool`. The directory is made
    /// private to the engine's user (mode 0700, like Postfix's queue): it holds the mail, the
    /// secrets and the DKIM and S/MIME private keys, and RocksDB creates its files with the
    /// process umask.
    pub fn open(data_dir: &Path, tuning: &StorageConfig) -> Result<Arc<Self>, StorageError> {
        let path = data_dir.join("spool");
        std::fs::create_dir_all(&path).map_err(|source| StorageError::Io {
            path: path.display().to_string(),
            source,
        })?;
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).map_err(
                |source| StorageError::Io {
                    path: path.display().to_string(),
                    source,
                },
            )?;
        }
        let db = Self::open_db(&path, tuning)?;
        let store = Arc::new(Self {
            db: RwLock::new(Some(db)),
            reopen_with: Some((path.clone(), tuning.clone())),
            space: space::SpaceState::new(tuning.min_free_mb.saturating_mul(1 << 20)),
            webhooks: crate::webhooks::Hook::default(),
        });
        crate::webhooks::load(&store).map_err(|e| StorageError::Other(e.to_string()))?;
        Self::watch_space(&store, path)?;
        Ok(store)
    }

    /// Opens the database in `path` with the engine's options.
    fn open_db(path: &Path, tuning: &StorageConfig) -> Result<DB, StorageError> {
        let mut opts = Options::default();
        opts.create_if_missing(true);
        opts.create_missing_column_families(true);
        opts.set_compression_type(rocksdb::DBCompressionType::Lz4);
        opts.increase_parallelism(2);
        opts.set_max_background_jobs(2);
        // Large memtables absorb intake bursts; queue entries are short-lived, and many are
        // deleted again before they would ever reach an SST file.
        opts.set_write_buffer_size(64 << 20);
        // One budget for all column families' memtables: without it each of the 7 families may
        // hold 2 × its write buffer, and resident memory grows with every queued message.
        opts.set_db_write_buffer_size(tuning.memtable_budget_mb << 20);
        // Overwrite old WAL files instead of appending to new ones: their blocks are already
        // allocated and the size does not change, so the fdatasync behind every `250` writes
        // data only, without an inode update (measured on ext4: 100 µs instead of 146 µs per
        // fsync). Ceph's BlueStore runs RocksDB the same way; it relies on the default
        // point-in-time WAL recovery, which RocksDB keeps compatible with recycling.
        opts.set_recycle_log_file_num(4);
        let cache = Cache::new_lru_cache(tuning.block_cache_mb << 20);
        let cfs = Cf::ALL.iter().map(|cf| {
            let mut o = Options::default();
            o.set_compression_type(rocksdb::DBCompressionType::Lz4);
            let mut block = BlockBasedOptions::default();
            block.set_block_cache(&cache);
            o.set_block_based_table_factory(&block);
            counters::install(*cf, &mut o);
            graph_counters::install(*cf, &mut o);
            if *cf == Cf::Messages {
                // Bodies are written once and read once: keep them out of compaction.
                o.set_enable_blob_files(true);
                o.set_min_blob_size(tuning.blob_min_size);
                o.set_blob_compression_type(rocksdb::DBCompressionType::Lz4);
                o.set_write_buffer_size(128 << 20);
            }
            ColumnFamilyDescriptor::new(cf.name(), o)
        });
        DB::open_cf_descriptors(&opts, path, cfs).map_err(|e| {
            if e.to_string().contains("lock") {
                StorageError::Locked(path.display().to_string())
            } else {
                StorageError::Rocks(e)
            }
        })
    }

    /// Starts the thread that reads the free space every [`space::POLL`] and reopens the
    /// database when writes have failed and room is back. It ends with the store.
    fn watch_space(store: &Arc<Self>, path: PathBuf) -> Result<(), StorageError> {
        let weak = Arc::downgrade(store);
        let observe = move |s: &Self| match space::free_bytes(&path) {
            Ok(free) => s.space.observe(free),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the spool's free space");
                false
            }
        };
        observe(store);
        std::thread::Builder::new()
            .name("spool-space".into())
            .spawn(move || loop {
                std::thread::sleep(space::POLL);
                let Some(store) = weak.upgrade() else { return };
                if observe(&store) {
                    match store.reopen() {
                        Ok(()) => {
                            tracing::info!("spool reopened after failed writes; writes resume")
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "reopening the spool failed; will retry")
                        }
                    }
                }
            })
            .map(drop)
            .map_err(|source| StorageError::Io {
                path: "spool-space thread".into(),
                source,
            })
    }

    /// Closes and reopens the database: RocksDB refuses every write after a failed one (its
    /// background error) until then. Readers and writers wait for the moment it takes.
    pub fn reopen(&self) -> Result<(), StorageError> {
        let Some((path, tuning)) = &self.reopen_with else {
            return Err(StorageError::Other(
                "a read-only spool is not reopened".into(),
            ));
        };
        let mut db = self
            .db
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drop(db.take());
        let opened = Self::open_db(path, tuning)?;
        *db = Some(opened);
        self.space.recovered();
        Ok(())
    }

    /// The spool's space state.
    pub fn space(&self) -> &space::SpaceState {
        &self.space
    }

    fn db(&self) -> Result<DbRef<'_>, StorageError> {
        let guard = self
            .db
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none() {
            return Err(StorageError::Other("the spool is being reopened".into()));
        }
        Ok(DbRef(guard))
    }

    /// The event-webhook hook (router and outbox sequence).
    pub fn webhooks(&self) -> &crate::webhooks::Hook {
        &self.webhooks
    }

    /// Opens an existing spool read-only (works while the daemon runs; sees its flushed state).
    ///
    /// Only the column families the database has are opened: a spool written by an older
    /// release lacks the families added since (a read-only open cannot create them, and
    /// naming a missing one fails the whole open). Reads of a missing family find nothing.
    pub fn open_read_only(data_dir: &Path) -> Result<Arc<Self>, StorageError> {
        let path = data_dir.join("spool");
        let opts = Options::default();
        let existing = DB::list_cf(&opts, &path)?;
        // Each family with the options its reads need (the counters' merge operator).
        let cfs: Vec<ColumnFamilyDescriptor> = Cf::ALL
            .iter()
            .filter(|c| existing.iter().any(|e| e == c.name()))
            .map(|c| {
                let mut o = Options::default();
                counters::install(*c, &mut o);
                graph_counters::install(*c, &mut o);
                ColumnFamilyDescriptor::new(c.name(), o)
            })
            .collect();
        let db = DB::open_cf_descriptors_read_only(&opts, &path, cfs, false)?;
        Ok(Arc::new(Self {
            db: RwLock::new(Some(db)),
            reopen_with: None,
            space: space::SpaceState::new(0),
            webhooks: crate::webhooks::Hook::default(),
        }))
    }

    /// Reads one value (`None` also when the column family is missing: a read-only open of
    /// an older spool, see [`Store::open_read_only`]).
    pub fn get(&self, cf: Cf, key: &[u8]) -> Result<Option<Vec<u8>>, StorageError> {
        let db = self.db()?;
        let Some(handle) = db.cf_handle(cf.name()) else {
            return Ok(None);
        };
        Ok(db.get_cf(handle, key)?)
    }

    /// Visits every `(key, value)` with `from <= key < to` (`to = None`: to the end) in order.
    /// The visitor returns `false` to stop early. A missing column family (read-only open of
    /// an older spool) is empty.
    pub fn scan(
        &self,
        cf: Cf,
        from: &[u8],
        to: Option<&[u8]>,
        mut visit: impl FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StorageError> {
        let db = self.db()?;
        let Some(handle) = db.cf_handle(cf.name()) else {
            return Ok(());
        };
        let mut it = db.raw_iterator_cf(handle);
        it.seek(from);
        while it.valid() {
            let (Some(k), Some(v)) = (it.key(), it.value()) else {
                break;
            };
            if let Some(to) = to {
                if k >= to {
                    break;
                }
            }
            if !visit(k, v) {
                break;
            }
            it.next();
        }
        it.status()?;
        Ok(())
    }

    /// Applies a batch synchronously (used by the writer thread and by offline commands).
    pub fn write_ops(&self, ops: &[Op], sync: bool) -> Result<(), StorageError> {
        let db = self.db()?;
        let mut batch = rocksdb::WriteBatch::default();
        for op in ops {
            self.add_to_batch(&db, &mut batch, op)?;
        }
        let mut wo = rocksdb::WriteOptions::default();
        wo.set_sync(sync);
        let bytes = u64::try_from(batch.size_in_bytes()).unwrap_or(u64::MAX);
        match db.write_opt(batch, &wo) {
            Ok(()) => {
                self.space.write_result(true, 0);
                self.space.wrote(bytes);
            }
            Err(e) => {
                let full = space::out_of_space(e.as_ref());
                self.space.write_failed(full, crate::clock::now_ms());
                return Err(e.into());
            }
        }
        self.webhooks.after_write();
        Ok(())
    }

    fn add_to_batch(
        &self,
        db: &DB,
        batch: &mut rocksdb::WriteBatch,
        op: &Op,
    ) -> Result<(), StorageError> {
        match op {
            Op::Put { cf, key, value } => batch.put_cf(handle(db, *cf)?, key, value),
            Op::Delete { cf, key } => batch.delete_cf(handle(db, *cf)?, key),
            Op::Merge { cf, key, value } => batch.merge_cf(handle(db, *cf)?, key, value),
            Op::DeleteRange { cf, from, to } => batch.delete_range_cf(handle(db, *cf)?, from, to),
        }
        // Events of the op go into the same batch as the record that causes them.
        if self.webhooks.is_active() {
            for (key, value) in self.webhooks.outbox_puts(op, crate::clock::now_ms()) {
                batch.put_cf(handle(db, Cf::Outbox)?, key, value);
            }
        }
        Ok(())
    }

    /// Flushes memtables and the WAL (shutdown).
    pub fn flush(&self) -> Result<(), StorageError> {
        let db = self.db()?;
        db.flush_wal(true)?;
        for cf in Cf::ALL {
            db.flush_cf(handle(&db, cf)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
