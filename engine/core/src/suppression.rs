//! Suppression lists: the block list (error status 10) and the unsubscribe list (status 11).
//!
//! Keys are `b:` or `u:` followed by the lower-cased address, so membership is one point lookup
//! and comparison is case-insensitive everywhere (SPEC §13.1). The value records when and why
//! the address was added. Entries are only ever removed explicitly (SPEC §7: changing the
//! auto-block threshold never unblocks anyone).

use serde::{Deserialize, Serialize};

use crate::storage::{counters, Cf, Op, StorageError, Store};

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

/// The write that counts one more blocking error for `address`: a merge operand, so two
/// shards counting the same address at the same instant both count (`storage::counters`).
/// Counters only grow, so lowering or raising the threshold never unblocks anyone.
pub fn count_error_op(address: &str) -> Op {
    counters::add_op(Cf::Suppression, counter_key(address), 1)
}

/// The blocking errors counted for `address` so far.
pub fn error_count(store: &Store, address: &str) -> Result<u32, StorageError> {
    Ok(store
        .get(Cf::Suppression, &counter_key(address))?
        .map_or(0, |v| counters::decode(&v)))
}

/// A blocking error just counted (committed) for an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// The address.
    pub address: String,
    /// Its error status.
    pub error_status: u8,
    /// The status's reason text.
    pub reason: String,
    /// Where the error came from: `smtp` or `bounce`.
    pub source: &'static str,
}

/// Automatic blocking, decided after the counts are committed: the addresses of `counted`
/// whose count reached `block_after` and that are not blocked yet, and the writes that block
/// them. Reading the merged count after the commit is what makes the decision exact when
/// several shards count one address at once; two of them may both decide to block, which
/// writes the same entry twice (harmless).
pub fn auto_block(
    store: &Store,
    counted: &[Counted],
    block_after: u32,
    now_ms: u64,
) -> Result<(Vec<Op>, Vec<String>), StorageError> {
    let mut ops = Vec::new();
    let mut blocked: Vec<String> = Vec::new();
    for c in counted {
        let lower = c.address.trim().to_lowercase();
        if blocked.contains(&lower) || contains(store, List::Blocked, &c.address)? {
            continue;
        }
        let count = error_count(store, &c.address)?;
        if count >= block_after {
            let reason = format!(
                "auto-blocked: {count} error(s) of a blocking status, last {} ({}) from {}",
                c.error_status, c.reason, c.source
            );
            ops.push(add_op(List::Blocked, &c.address, &reason, now_ms)?);
            blocked.push(lower);
        }
    }
    Ok((ops, blocked))
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

    fn counted(address: &str) -> Counted {
        Counted {
            address: address.into(),
            error_status: 2,
            reason: "unknown user".into(),
            source: "smtp",
        }
    }

    #[test]
    fn auto_block_after_the_threshold_and_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let bump = |a: &str| store.write_ops(&[count_error_op(a)], false).unwrap();
        bump("Who@Example.com");
        let (ops, blocked) = auto_block(&store, &[counted("who@example.com")], 2, 5).unwrap();
        assert!(ops.is_empty() && blocked.is_empty());
        bump("who@example.COM");
        assert_eq!(error_count(&store, "WHO@example.com").unwrap(), 2);
        // The same address counted twice in one batch is blocked once.
        let twice = [counted("who@example.com"), counted("WHO@example.com")];
        let (ops, blocked) = auto_block(&store, &twice, 2, 5).unwrap();
        assert_eq!((ops.len(), blocked.len()), (1, 1));
        store.write_ops(&ops, false).unwrap();
        assert_eq!(
            check(&store, "who@example.com").unwrap(),
            Some(List::Blocked)
        );
        let entry = &list(&store, List::Blocked).unwrap()[0];
        assert!(entry.reason.contains("2 error(s)"), "{}", entry.reason);
        // Already blocked: nothing more.
        bump("who@example.com");
        let (ops, _) = auto_block(&store, &[counted("who@example.com")], 2, 6).unwrap();
        assert!(ops.is_empty());
    }
}
