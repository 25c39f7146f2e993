//! Suppression lists: the block list (error status 10) and the unsubscribe list (status 11).
//!
//! Keys are `b:` or `u:` followed by the lower-cased address, so membership is one point lookup
//! and comparison is case-insensitive everywhere (SPEC §13.1). The value records when and why
//! the address was added. Entries are only ever removed explicitly (SPEC §7: changing the
//! auto-block threshold never unblocks anyone).

use serde::{Deserialize, Serialize};

use crate::storage::{Cf, Op, StorageError, Store};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum List {
    /// Block list.
    Blocked,
    /// Unsubscribe list.
    Unsubscribed,
}

impl List {
    fn prefix(self) -> &'static [u8] {
        match self {
            List::Blocked => b"b:",
            List::Unsubscribed => b"u:",
        }
    }
}

/// Why and when an address was suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The address as given when added.
    pub address: String,
    /// When, ms since the epoch.
    pub added_ms: u64,
    /// Free text: "manual", "auto: 1 x unknown user", "one-click unsubscribe", …
    pub reason: String,
}

fn key(list: List, address: &str) -> Vec<u8> {
    let mut k = list.prefix().to_vec();
    k.extend_from_slice(address.trim().to_lowercase().as_bytes());
    k
}

/// The write that adds `address` to `list` (committed by the caller, possibly with others).
pub fn add_op(list: List, address: &str, reason: &str, now_ms: u64) -> Result<Op, StorageError> {
    let entry = Entry {
        address: address.trim().to_string(),
        added_ms: now_ms,
        reason: reason.to_string(),
    };
    Ok(Op::Put {
        cf: Cf::Suppression,
        key: key(list, address),
        value: serde_json::to_vec(&entry)?,
    })
}

/// The write that removes `address` from `list`.
pub fn remove_op(list: List, address: &str) -> Op {
    Op::Delete {
        cf: Cf::Suppression,
        key: key(list, address),
    }
}

/// Which list, if any, suppresses `address` (the block list wins when on both).
pub fn check(store: &Store, address: &str) -> Result<Option<List>, StorageError> {
    for list in [List::Blocked, List::Unsubscribed] {
        if store.get(Cf::Suppression, &key(list, address))?.is_some() {
            return Ok(Some(list));
        }
    }
    Ok(None)
}

/// Entries of one list, in address order.
pub fn list(store: &Store, list: List) -> Result<Vec<Entry>, StorageError> {
    let prefix = list.prefix();
    let mut end = prefix.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let mut out = Vec::new();
    store.scan(Cf::Suppression, prefix, Some(&end), |_, v| {
        if let Ok(e) = serde_json::from_slice::<Entry>(v) {
            out.push(e);
        }
        true
    })?;
    Ok(out)
}

fn counter_key(address: &str) -> Vec<u8> {
    let mut k = b"c:".to_vec();
    k.extend_from_slice(address.trim().to_lowercase().as_bytes());
    k
}

/// Counts one more blocking error for `address`: the new count and the write that stores it.
/// Counters only grow, so lowering or raising the threshold never unblocks anyone.
pub fn bump_error_count(store: &Store, address: &str) -> Result<(u32, Op), StorageError> {
    let key = counter_key(address);
    let current = store
        .get(Cf::Suppression, &key)?
        .and_then(|v| <[u8; 4]>::try_from(v.as_slice()).ok())
        .map_or(0, u32::from_be_bytes);
    let next = current.saturating_add(1);
    Ok((
        next,
        Op::Put {
            cf: Cf::Suppression,
            key,
            value: next.to_be_bytes().to_vec(),
        },
    ))
}

/// Whether `address` is on `list`.
pub fn contains(store: &Store, list: List, address: &str) -> Result<bool, StorageError> {
    Ok(store.get(Cf::Suppression, &key(list, address))?.is_some())
}

/// One page of a list in address order: entries after `after` whose address contains
/// `needle` (case-insensitive), at most `limit`, and whether more follow.
pub fn page(
    store: &Store,
    list: List,
    after: Option<&str>,
    needle: Option<&str>,
    limit: usize,
) -> Result<(Vec<Entry>, bool), StorageError> {
    let prefix = list.prefix();
    let mut end = prefix.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let start = match after {
        Some(a) => {
            let mut k = key(list, a);
            k.push(0);
            k
        }
        None => prefix.to_vec(),
    };
    let needle = needle.map(str::to_lowercase);
    let mut out = Vec::new();
    let mut more = false;
    store.scan(Cf::Suppression, &start, Some(&end), |_, v| {
        if let Ok(e) = serde_json::from_slice::<Entry>(v) {
            if needle
                .as_ref()
                .is_none_or(|n| e.address.to_lowercase().contains(n))
            {
                if out.len() == limit {
                    more = true;
                    return false;
                }
                out.push(e);
            }
        }
        true
    })?;
    Ok((out, more))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    #[test]
    fn membership_is_case_insensitive_and_removal_explicit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let ops = vec![
            add_op(List::Blocked, "Who@Example.com", "manual", 1).unwrap(),
            add_op(List::Unsubscribed, "news@example.org", "one-click", 2).unwrap(),
            add_op(List::Unsubscribed, "who@example.com", "one-click", 3).unwrap(),
        ];
        store.write_ops(&ops, false).unwrap();
        assert_eq!(
            check(&store, "WHO@example.COM").unwrap(),
            Some(List::Blocked)
        );
        assert_eq!(
            check(&store, "news@EXAMPLE.org").unwrap(),
            Some(List::Unsubscribed)
        );
        assert_eq!(check(&store, "free@example.org").unwrap(), None);
        assert_eq!(list(&store, List::Unsubscribed).unwrap().len(), 2);
        store
            .write_ops(&[remove_op(List::Blocked, "who@example.com")], false)
            .unwrap();
        assert_eq!(
            check(&store, "who@example.com").unwrap(),
            Some(List::Unsubscribed)
        );
        assert_eq!(list(&store, List::Blocked).unwrap().len(), 0);
    }
}
