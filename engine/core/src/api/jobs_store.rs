//! Durable bulk jobs: typed reads and writes of their records in the `admin` column family.
//! Nothing else builds these keys.
//!
//! | key | value |
//! |---|---|
//! | `jobm/<job id>` | [`JobRecord`] JSON: owner, origin, counters, state, the progress cursor |
//! | `jobd/<job id>/t` | the template: `SendBulk` JSON without recipients |
//! | `jobd/<job id>/p/<chunk, 4 B BE>` | the chunk's recipients, while not yet queued |
//! | `jobd/<job id>/d/<chunk, 4 B BE>` | the chunk's `DeliveryRef`s, once queued |
//! | `jobd/<job id>/x` | the first [`MAX_REJECTED_KEPT`] recipients refused for their format |
//!
//! The accepted recipients are cut into chunks of [`JobRecord::chunk_size`] when the job is
//! created, all in one durable batch with the record. Queuing chunk `n` is one batch too: its
//! messages, its delivery refs, the deletion of its pending recipients, and the record with
//! `next_chunk = n + 1`. So the cursor moves exactly when the mail is durable, and a job cut
//! short by a crash or a shutdown resumes at `next_chunk` without queuing anyone twice or
//! skipping anyone. Records live under their own prefix (`jobm/`) so that listing jobs at
//! start-up and at retention reads only the small records, not the chunks.
//!
//! A job id is an engine [`Id`] (16 hex digits); anything else is never used in a key.

use std::net::IpAddr;

use hikyaku_rpc::types::send::{BulkRecipient, DeliveryRef, JobState, RejectedRecipient, SendBulk};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::ids::Id;
use crate::storage::{Cf, Op, StorageError, Store};

/// Most refused recipients kept with a job (they are all in `send.bulk`'s answer and in the
/// delivery log; `send.job` shows these).
pub(crate) const MAX_REJECTED_KEPT: usize = 1000;

const META: &[u8] = b"jobm/";
/// First key after every `jobm/…` key (`'0'` follows `'/'`).
const META_END: &[u8] = b"jobm0";

/// The durable state of one job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct JobRecord {
    /// Caller key of the creator (only it, or a group administrator, sees the job).
    pub(crate) owner: String,
    /// API user the messages are submitted as.
    #[serde(default)]
    pub(crate) api_user: Option<String>,
    /// IP address of the creating call (the messages' `source_ip`).
    pub(crate) source_ip: IpAddr,
    /// Creation time, ms since the epoch.
    pub(crate) created_ms: u64,
    /// Recipients accepted.
    pub(crate) total: u64,
    /// Recipients per chunk.
    pub(crate) chunk_size: u32,
    /// The progress cursor: the first chunk not yet queued.
    pub(crate) next_chunk: u32,
    /// Recipients queued so far.
    pub(crate) queued: u64,
    /// Running, done or failed.
    pub(crate) state: JobState,
    /// Why it failed.
    #[serde(default)]
    pub(crate) error: Option<String>,
    /// When it finished (done or failed); retention counts from here.
    #[serde(default)]
    pub(crate) finished_ms: Option<u64>,
    /// Recipients refused for their format.
    #[serde(default)]
    pub(crate) rejected: u64,
}

impl JobRecord {
    /// Number of chunks of the job.
    pub(crate) fn chunks(&self) -> u32 {
        let size = u64::from(self.chunk_size.max(1));
        u32::try_from(self.total.div_ceil(size)).unwrap_or(u32::MAX)
    }
}

/// A job record that could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JobStoreError {
    /// RocksDB failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A record is missing or does not decode.
    #[error("bulk job record {key}: {reason}")]
    Corrupt {
        /// The key, printable.
        key: String,
        /// What is wrong.
        reason: String,
    },
}

impl From<JobStoreError> for super::ApiError {
    fn from(e: JobStoreError) -> Self {
        match e {
            JobStoreError::Storage(s) => s.into(),
            JobStoreError::Corrupt { .. } => {
                tracing::error!(error = %e, "corrupt bulk job record");
                super::ApiError::Unavailable(e.to_string())
            }
        }
    }
}

fn meta_key(id: Id) -> Vec<u8> {
    format!("jobm/{id}").into_bytes()
}

fn data_key(id: Id, tail: &[u8]) -> Vec<u8> {
    let mut k = format!("jobd/{id}/").into_bytes();
    k.extend_from_slice(tail);
    k
}

fn chunk_key(id: Id, kind: u8, chunk: u32) -> Vec<u8> {
    let mut tail = vec![kind, b'/'];
    tail.extend_from_slice(&chunk.to_be_bytes());
    data_key(id, &tail)
}

fn pending_key(id: Id, chunk: u32) -> Vec<u8> {
    chunk_key(id, b'p', chunk)
}

fn refs_key(id: Id, chunk: u32) -> Vec<u8> {
    chunk_key(id, b'd', chunk)
}

fn put<T: Serialize>(key: Vec<u8>, value: &T) -> Result<Op, StorageError> {
    Ok(Op::Put {
        cf: Cf::Admin,
        key,
        value: serde_json::to_vec(value)?,
    })
}

fn get<T: DeserializeOwned>(store: &Store, key: &[u8]) -> Result<Option<T>, JobStoreError> {
    match store.get(Cf::Admin, key)? {
        None => Ok(None),
        Some(bytes) => {
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| JobStoreError::Corrupt {
                    key: String::from_utf8_lossy(key).into_owned(),
                    reason: e.to_string(),
                })
        }
    }
}

fn missing(key: &[u8]) -> JobStoreError {
    JobStoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: "missing".into(),
    }
}

/// What a new job is made of.
pub(crate) struct NewJob<'a> {
    /// Its id.
    pub(crate) id: Id,
    /// Its record (state running, cursor at 0).
    pub(crate) record: &'a JobRecord,
    /// The template (its `recipients` are ignored).
    pub(crate) template: &'a SendBulk,
    /// The accepted recipients, in order.
    pub(crate) recipients: &'a [BulkRecipient],
    /// The recipients refused for their format.
    pub(crate) rejected: &'a [RejectedRecipient],
}

/// The writes that create a job (one batch with the record).
pub(crate) fn create_ops(job: NewJob<'_>) -> Result<Vec<Op>, StorageError> {
    let template = SendBulk {
        recipients: Vec::new(),
        ..job.template.clone()
    };
    let size = (job.record.chunk_size as usize).max(1);
    let mut ops = Vec::with_capacity(3 + job.recipients.len() / size + 1);
    ops.push(put(meta_key(job.id), job.record)?);
    ops.push(put(data_key(job.id, b"t"), &template)?);
    if !job.rejected.is_empty() {
        let kept = &job.rejected[..job.rejected.len().min(MAX_REJECTED_KEPT)];
        ops.push(put(data_key(job.id, b"x"), &kept)?);
    }
    for (n, chunk) in job.recipients.chunks(size).enumerate() {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        ops.push(put(pending_key(job.id, n), &chunk)?);
    }
    Ok(ops)
}

/// The write that stores `record` (state changes).
pub(crate) fn record_op(id: Id, record: &JobRecord) -> Result<Op, StorageError> {
    put(meta_key(id), record)
}

/// The writes that go in the same batch as chunk `chunk`'s messages: its delivery refs, the
/// deletion of its pending recipients, and `record` with the cursor already moved past it.
pub(crate) fn chunk_done_ops(
    id: Id,
    chunk: u32,
    refs: &[DeliveryRef],
    record: &JobRecord,
) -> Result<Vec<Op>, StorageError> {
    Ok(vec![
        put(refs_key(id, chunk), &refs)?,
        Op::Delete {
            cf: Cf::Admin,
            key: pending_key(id, chunk),
        },
        record_op(id, record)?,
    ])
}

/// A job's record.
pub(crate) fn load(store: &Store, id: Id) -> Result<Option<JobRecord>, JobStoreError> {
    get(store, &meta_key(id))
}

/// A job's template.
pub(crate) fn template(store: &Store, id: Id) -> Result<SendBulk, JobStoreError> {
    let key = data_key(id, b"t");
    get(store, &key)?.ok_or_else(|| missing(&key))
}

/// The recipients of chunk `chunk`, which must not be queued yet.
pub(crate) fn pending(
    store: &Store,
    id: Id,
    chunk: u32,
) -> Result<Vec<BulkRecipient>, JobStoreError> {
    let key = pending_key(id, chunk);
    get(store, &key)?.ok_or_else(|| missing(&key))
}

/// Delivery refs `offset..offset + limit` (recipient order) of a job whose first `queued`
/// recipients are queued, in chunks of `chunk_size`.
pub(crate) fn deliveries(
    store: &Store,
    id: Id,
    chunk_size: u32,
    queued: u64,
    offset: u64,
    limit: u64,
) -> Result<Vec<DeliveryRef>, JobStoreError> {
    let size = u64::from(chunk_size.max(1));
    let end = offset.saturating_add(limit).min(queued);
    let mut out = Vec::new();
    let mut at = offset;
    while at < end {
        let chunk = u32::try_from(at / size).unwrap_or(u32::MAX);
        let key = refs_key(id, chunk);
        let refs: Vec<DeliveryRef> = get(store, &key)?.ok_or_else(|| missing(&key))?;
        let first = usize::try_from(at % size).unwrap_or(usize::MAX);
        let want = usize::try_from(end - at).unwrap_or(usize::MAX);
        let taken: Vec<DeliveryRef> = refs.into_iter().skip(first).take(want).collect();
        if taken.is_empty() {
            break;
        }
        at += taken.len() as u64;
        out.extend(taken);
    }
    Ok(out)
}

/// The refused recipients kept with a job (at most [`MAX_REJECTED_KEPT`]).
pub(crate) fn rejected(store: &Store, id: Id) -> Result<Vec<RejectedRecipient>, JobStoreError> {
    Ok(get(store, &data_key(id, b"x"))?.unwrap_or_default())
}

/// Every job still running according to the spool (to resume at start-up). A record that
/// cannot be read is logged and left alone.
pub(crate) fn running(store: &Store) -> Result<Vec<(Id, JobRecord)>, StorageError> {
    let mut out = Vec::new();
    store.scan(Cf::Admin, META, Some(META_END), |k, v| {
        let id = std::str::from_utf8(&k[META.len()..])
            .ok()
            .and_then(Id::parse);
        match (id, serde_json::from_slice::<JobRecord>(v)) {
            (Some(id), Ok(r)) if r.state == JobState::Running => out.push((id, r)),
            (Some(_), Ok(_)) => {}
            (_, Err(e)) => tracing::error!(
                key = %String::from_utf8_lossy(k), error = %e, "unreadable bulk job record"
            ),
            (None, Ok(_)) => {
                tracing::error!(key = %String::from_utf8_lossy(k), "bulk job record with a bad id")
            }
        }
        true
    })?;
    Ok(out)
}

/// Deletes every job that finished before `cutoff_ms` (delivery-log retention), with all its
/// data, and unreadable records whose id is older than that; running jobs are kept whatever
/// their age. Returns how many jobs were deleted.
pub(crate) fn prune(store: &Store, cutoff_ms: u64) -> Result<usize, StorageError> {
    let mut doomed: Vec<Vec<u8>> = Vec::new();
    store.scan(Cf::Admin, META, Some(META_END), |k, v| {
        let id = std::str::from_utf8(&k[META.len()..])
            .ok()
            .and_then(Id::parse);
        let old = match serde_json::from_slice::<JobRecord>(v) {
            Ok(r) => r.state != JobState::Running && r.finished_ms.unwrap_or(0) < cutoff_ms,
            Err(_) => id.is_none_or(|id| id.millis() < cutoff_ms),
        };
        if old {
            doomed.push(k.to_vec());
        }
        true
    })?;
    for key in &doomed {
        let mut ops = vec![Op::Delete {
            cf: Cf::Admin,
            key: key.clone(),
        }];
        if let Some(id) = std::str::from_utf8(&key[META.len()..])
            .ok()
            .and_then(Id::parse)
        {
            ops.push(Op::DeleteRange {
                cf: Cf::Admin,
                from: format!("jobd/{id}/").into_bytes(),
                to: format!("jobd/{id}0").into_bytes(),
            });
        }
        store.write_ops(&ops, false)?;
    }
    Ok(doomed.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    fn record(total: u64, state: JobState, finished_ms: Option<u64>) -> JobRecord {
        JobRecord {
            owner: "u:app".into(),
            api_user: Some("app".into()),
            source_ip: IpAddr::from([127, 0, 0, 2]),
            created_ms: 1,
            total,
            chunk_size: 3,
            next_chunk: 0,
            queued: 0,
            state,
            error: None,
            finished_ms,
            rejected: 0,
        }
    }

    fn recipients(n: usize) -> Vec<BulkRecipient> {
        (0..n)
            .map(|i| BulkRecipient {
                to: format!("r{i}@example.com"),
                values: Default::default(),
            })
            .collect()
    }

    fn create(store: &Store, id: Id, r: &JobRecord) {
        let ops = create_ops(NewJob {
            id,
            record: r,
            template: &SendBulk::default(),
            recipients: &recipients(r.total as usize),
            rejected: &[],
        })
        .unwrap();
        store.write_ops(&ops, false).unwrap();
    }

    #[test]
    fn chunks_move_from_pending_to_refs_with_the_cursor() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let id = Id(0x0123_4567_89ab_cdef);
        let mut r = record(7, JobState::Running, None);
        create(&store, id, &r);
        assert_eq!(r.chunks(), 3);
        assert_eq!(pending(&store, id, 2).unwrap().len(), 1);
        for chunk in 0..2 {
            let batch = pending(&store, id, chunk).unwrap();
            let refs: Vec<DeliveryRef> = batch
                .iter()
                .map(|b| DeliveryRef {
                    recipient: b.to.clone(),
                    delivery_id: format!("d-{}", b.to),
                })
                .collect();
            r.next_chunk = chunk + 1;
            r.queued += refs.len() as u64;
            store
                .write_ops(&chunk_done_ops(id, chunk, &refs, &r).unwrap(), false)
                .unwrap();
        }
        assert_eq!(load(&store, id).unwrap().unwrap(), r);
        assert!(matches!(
            pending(&store, id, 0),
            Err(JobStoreError::Corrupt { .. })
        ));
        assert_eq!(pending(&store, id, 2).unwrap()[0].to, "r6@example.com");
        let page = deliveries(&store, id, 3, r.queued, 2, 3).unwrap();
        let names: Vec<&str> = page.iter().map(|d| d.recipient.as_str()).collect();
        assert_eq!(
            names,
            ["r2@example.com", "r3@example.com", "r4@example.com"]
        );
        // Never past what is queued.
        assert_eq!(
            deliveries(&store, id, 3, r.queued, 5, 100).unwrap().len(),
            1
        );
        assert_eq!(running(&store).unwrap(), vec![(id, r)]);
    }

    #[test]
    fn retention_deletes_only_jobs_finished_before_the_cutoff() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let old = Id(1 << 20);
        let recent = Id(2 << 20);
        let running_old = Id(3 << 20);
        create(&store, old, &record(4, JobState::Done, Some(1_000)));
        create(&store, recent, &record(4, JobState::Failed, Some(5_000)));
        create(&store, running_old, &record(4, JobState::Running, None));
        assert_eq!(prune(&store, 2_000).unwrap(), 1);
        assert!(load(&store, old).unwrap().is_none());
        assert!(template(&store, old).is_err());
        let mut left = 0;
        store
            .scan(Cf::Admin, b"jobd/", Some(b"jobd0"), |k, _| {
                assert!(!k.starts_with(format!("jobd/{old}").as_bytes()));
                left += 1;
                true
            })
            .unwrap();
        assert!(left > 0);
        assert!(load(&store, recent).unwrap().is_some());
        assert!(load(&store, running_old).unwrap().is_some());
        assert_eq!(prune(&store, 2_000).unwrap(), 0);
    }
}
