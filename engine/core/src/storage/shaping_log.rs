//! Shaping rule firings, kept in the admin column family under
//! `shaping/<time_ms BE><sequence BE>`: the durable log behind `shaping.status`'s history and
//! the source of the `shaping` webhook event (`webhooks::event::derive`).

use super::{Cf, Op, StorageError, Store};
use crate::shaping::Fired;

/// Key prefix.
pub const PREFIX: &[u8] = b"shaping/";

/// The write of one firing; `seq` tells apart firings of the same millisecond.
pub fn fired_op(f: &Fired, seq: u32) -> Result<Op, serde_json::Error> {
    let mut key = PREFIX.to_vec();
    key.extend_from_slice(&f.time_ms.to_be_bytes());
    key.extend_from_slice(&seq.to_be_bytes());
    Ok(Op::Put {
        cf: Cf::Admin,
        key,
        value: serde_json::to_vec(f)?,
    })
}

/// Firings recorded since `from_ms`, oldest first, at most `limit`.
pub fn since(store: &Store, from_ms: u64, limit: usize) -> Result<Vec<Fired>, StorageError> {
    let mut from = PREFIX.to_vec();
    from.extend_from_slice(&from_ms.to_be_bytes());
    let mut out = Vec::new();
    store.scan(Cf::Admin, &from, Some(b"shaping0"), |_, v| {
        if let Ok(f) = serde_json::from_slice(v) {
            out.push(f);
        }
        out.len() < limit
    })?;
    Ok(out)
}

/// Range delete of the firings recorded before `cutoff_ms`: they are report data, purged with
/// the delivery log (`delivery.log_retention_days`).
pub fn retention_op(cutoff_ms: u64) -> Op {
    let mut to = PREFIX.to_vec();
    to.extend_from_slice(&cutoff_ms.to_be_bytes());
    Op::DeleteRange {
        cf: Cf::Admin,
        from: PREFIX.to_vec(),
        to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    fn firing(time_ms: u64) -> Fired {
        Fired {
            time_ms,
            site: "gmail".into(),
            source_ip: None,
            scope: "site".into(),
            rule: "shaping.rules[0]".into(),
            action: "suspend".into(),
            until_ms: time_ms + 30_000,
            ramp_until_ms: time_ms + 60_000,
            factor: None,
            matches: 3,
            reply: "421 4.7.28 slow down".into(),
            domain: "gmail.com".into(),
        }
    }

    #[test]
    fn retention_deletes_only_older_firings_and_nothing_else_of_the_admin_family() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let ops = vec![
            fired_op(&firing(1_000), 0).unwrap(),
            fired_op(&firing(1_000), 1).unwrap(),
            fired_op(&firing(5_000), 0).unwrap(),
            Op::Put {
                cf: Cf::Admin,
                key: b"settings/x".to_vec(),
                value: b"kept".to_vec(),
            },
        ];
        store.write_ops(&ops, false).unwrap();
        assert_eq!(since(&store, 0, 10).unwrap().len(), 3);
        store.write_ops(&[retention_op(5_000)], false).unwrap();
        let left = since(&store, 0, 10).unwrap();
        assert_eq!(left.iter().map(|f| f.time_ms).collect::<Vec<_>>(), [5_000]);
        assert_eq!(
            store.get(Cf::Admin, b"settings/x").unwrap().as_deref(),
            Some(&b"kept"[..])
        );
    }
}
