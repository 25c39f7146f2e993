//! Graph counters (issue 15): how many delivery-log records of each status and error status
//! were written per hour, overall, per destination domain, per API user and per API user and
//! domain (plus per-day copies of the two domain dimensions, so a domain pie over 40 days
//! reads 40 days of keys rather than 960 hours of them). Kept at record time with RocksDB merge
//! operands (`+n`) in the `stats` family, in the record's own batch; `stats.graph` reads them
//! with a few range scans and never touches the delivery log.
//!
//! Key: `dim (1) · bucket (4, BE: hours or days since the epoch, UTC) · parts · status (1) ·
//! error status (1)`, where `parts` are the dimension's values, each followed by `0x00`.
//! Value: `u64` big-endian, summed by the merge operator. Ordering by dimension then bucket
//! makes retention one range delete per dimension.

use rocksdb::{MergeOperands, Options};

use super::{Cf, DeliveryLogRecord, Op};

/// Name RocksDB records in the OPTIONS file; changing it makes old spools refuse to open.
const NAME: &str = "hikyaku.counter_add_u64.v1";

/// A counter dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Dim {
    /// Every record, per hour.
    Global = 0,
    /// Per destination domain, per hour.
    Domain = 1,
    /// Per API user, per hour.
    User = 2,
    /// Per API user and destination domain, per hour.
    UserDomain = 3,
    /// Per destination domain, per day.
    DomainDay = 4,
    /// Per API user and destination domain, per day.
    UserDomainDay = 5,
}

impl Dim {
    /// Every dimension (retention).
    pub const ALL: [Dim; 6] = [
        Dim::Global,
        Dim::Domain,
        Dim::User,
        Dim::UserDomain,
        Dim::DomainDay,
        Dim::UserDomainDay,
    ];

    /// Whether the bucket is a day (else an hour).
    pub fn daily(self) -> bool {
        matches!(self, Dim::DomainDay | Dim::UserDomainDay)
    }
}

const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;

/// The bucket of `ms` in `dim`'s unit.
pub fn bucket_of(dim: Dim, ms: u64) -> u32 {
    let unit = if dim.daily() { DAY_MS } else { HOUR_MS };
    u32::try_from(ms / unit).unwrap_or(u32::MAX)
}

fn value(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_be_bytes)
}

fn add(_key: &[u8], existing: Option<&[u8]>, operands: &MergeOperands) -> Option<Vec<u8>> {
    let mut total = existing.map_or(0, value);
    for op in operands {
        total = total.saturating_add(value(op));
    }
    Some(total.to_be_bytes().to_vec())
}

/// Installs the merge operator on the `stats` family.
pub fn install(cf: Cf, options: &mut Options) {
    if cf == Cf::Stats {
        options.set_merge_operator_associative(NAME, add);
    }
}

/// The key prefix of one dimension and bucket (the parts follow).
pub fn prefix(dim: Dim, bucket: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(48);
    k.push(dim as u8);
    k.extend_from_slice(&bucket.to_be_bytes());
    k
}

fn key(dim: Dim, bucket: u32, parts: &[&str], status: u8, error_status: u8) -> Vec<u8> {
    let mut k = prefix(dim, bucket);
    for p in parts {
        // A NUL inside a domain or user name would shift the parts; neither can hold one, but
        // the key must stay decodable whatever the record says.
        k.extend(p.bytes().filter(|b| *b != 0));
        k.push(0);
    }
    k.push(status);
    k.push(error_status);
    k
}

/// The merges that count `record`: 3 for mail without an API user, 6 with one.
pub fn record_ops(record: &DeliveryLogRecord) -> Vec<Op> {
    let status = record.status.code();
    let err = record.error_status.unwrap_or(0);
    let hour = bucket_of(Dim::Global, record.time_ms);
    let day = bucket_of(Dim::DomainDay, record.time_ms);
    let domain = record.domain.to_ascii_lowercase();
    let one = 1u64.to_be_bytes().to_vec();
    let merge = |key: Vec<u8>| Op::Merge {
        cf: Cf::Stats,
        key,
        value: one.clone(),
    };
    let mut ops = vec![
        merge(key(Dim::Global, hour, &[], status, err)),
        merge(key(Dim::Domain, hour, &[&domain], status, err)),
        merge(key(Dim::DomainDay, day, &[&domain], status, err)),
    ];
    if let Some(user) = record.api_user.as_deref() {
        let user = user.to_ascii_lowercase();
        ops.push(merge(key(Dim::User, hour, &[&user], status, err)));
        ops.push(merge(key(
            Dim::UserDomain,
            hour,
            &[&user, &domain],
            status,
            err,
        )));
        ops.push(merge(key(
            Dim::UserDomainDay,
            day,
            &[&user, &domain],
            status,
            err,
        )));
    }
    ops
}

/// One decoded counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// Bucket (hours or days since the epoch).
    pub bucket: u32,
    /// The dimension's values (domain; user; user and domain).
    pub parts: Vec<String>,
    /// Delivery status code (`DeliveryStatus::code`).
    pub status: u8,
    /// Error status (0: none).
    pub error_status: u8,
    /// How many records.
    pub n: u64,
}

fn decode(key: &[u8], value_bytes: &[u8]) -> Option<Count> {
    let bucket = u32::from_be_bytes(key.get(1..5)?.try_into().ok()?);
    let (tail, codes) = key.get(5..)?.split_at(key.len().checked_sub(7)?);
    let parts = tail
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    Some(Count {
        bucket,
        parts,
        status: *codes.first()?,
        error_status: *codes.get(1)?,
        n: value(value_bytes),
    })
}

/// Visits every counter of `dim` with a bucket in `[from, to)` whose parts start with
/// `lead` (e.g. the API user of `UserDomain`); the visitor returns `false` to stop.
pub fn scan(
    store: &super::Store,
    dim: Dim,
    (from, to): (u32, u32),
    lead: &[&str],
    mut visit: impl FnMut(Count) -> bool,
) -> Result<(), super::StorageError> {
    for bucket in from..to {
        let mut start = prefix(dim, bucket);
        for p in lead {
            start.extend_from_slice(p.as_bytes());
            start.push(0);
        }
        let mut end = start.clone();
        if lead.is_empty() {
            end = prefix(dim, bucket.saturating_add(1));
        } else if let Some(last) = end.last_mut() {
            *last = 1;
        }
        let mut go = true;
        store.scan(Cf::Stats, &start, Some(&end), |k, v| {
            if let Some(c) = decode(k, v) {
                go = visit(c);
            }
            go
        })?;
        if !go {
            break;
        }
    }
    Ok(())
}

/// The range deletes that drop every counter older than `cutoff_ms` (whole hours and days).
pub fn retention_ops(cutoff_ms: u64) -> Vec<Op> {
    Dim::ALL
        .iter()
        .map(|dim| Op::DeleteRange {
            cf: Cf::Stats,
            from: prefix(*dim, 0),
            to: prefix(*dim, bucket_of(*dim, cutoff_ms)),
        })
        .collect()
}

/// A delivery-log record with just what the counters read (tests of the counters and graphs).
#[cfg(test)]
pub(crate) fn sample_record(
    time_ms: u64,
    domain: &str,
    api_user: Option<&str>,
    status: super::DeliveryStatus,
    error_status: Option<u8>,
) -> DeliveryLogRecord {
    DeliveryLogRecord {
        time_ms,
        delivery_id: "01".into(),
        message_id: "02".into(),
        api_user: api_user.map(str::to_string),
        source_ip: "127.0.0.1".into(),
        envelope_from: String::new(),
        recipient: format!("a@{domain}"),
        domain: domain.into(),
        status,
        error_status,
        smtp_reply: None,
        size: 1,
        subject: String::new(),
        tags: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
