//! The operation log (SPEC §11): who logged in, failed to, or changed what, when and from
//! where. One JSON record per entry in the admin family under `oplog/` + an [`Id`] (8 bytes,
//! big-endian: milliseconds since the epoch in the top 44 bits), so the log reads in time order
//! with one range scan and retention is one range delete of the oldest prefix.
//!
//! Entries are written by the API in the same batch as the change they describe (see
//! `api::oplog`). Each batch also carries the retention in force (`oplog-retention`, days, 8
//! bytes BE): the daily purge (`maintenance`) runs on a shard and reads it from there rather
//! than from the settings, so the setting applies from the first entry written under it. The
//! marker sorts before `oplog/` (`-` < `/`), outside the range the purge deletes.

use serde::{Deserialize, Serialize};

use super::{Cf, Op, StorageError, Store};
use crate::ids::Id;

const PREFIX: &[u8] = b"oplog/";
const RETENTION: &[u8] = b"oplog-retention";
/// Retention when no entry has recorded one (nothing to purge then anyway).
pub const DEFAULT_RETENTION_DAYS: u64 = 90;
const DAY_MS: u64 = 86_400_000;

/// What kind of credential acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// An account (its session, or a login naming it).
    Account,
    /// An API user's key.
    ApiUser,
    /// No credential.
    Anonymous,
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OplogRecord {
    /// When, ms since the epoch.
    pub time_ms: u64,
    /// Account or API user name (for logins: the name tried).
    pub actor: String,
    /// What kind of credential.
    pub kind: ActorKind,
    /// The caller's IP address.
    pub ip: String,
    /// `login`, `login_failed`, `locked`, `logout` or a method name (`settings.apply`).
    pub action: String,
    /// What the action was done to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further facts (a settings diff, counts, a failure's reason).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
}

fn key(id: Id) -> Vec<u8> {
    let mut k = PREFIX.to_vec();
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The first id of millisecond `ms` (ids of earlier milliseconds sort before it).
fn first_id_of(ms: u64) -> Id {
    Id(ms.saturating_mul(1 << 20))
}

/// The writes appending `record` under `id` (minted at `record.time_ms`) and recording the
/// retention in force.
pub fn append_ops(
    id: Id,
    record: &OplogRecord,
    retention_days: u64,
) -> Result<Vec<Op>, StorageError> {
    Ok(vec![
        Op::Put {
            cf: Cf::Admin,
            key: key(id),
            value: serde_json::to_vec(record)?,
        },
        Op::Put {
            cf: Cf::Admin,
            key: RETENTION.to_vec(),
            value: retention_days.to_be_bytes().to_vec(),
        },
    ])
}

/// The retention recorded by the last entry written.
pub fn retention_days(store: &Store) -> Result<u64, StorageError> {
    Ok(store
        .get(Cf::Admin, RETENTION)?
        .and_then(|v| v.get(..8).and_then(|b| b.try_into().ok()))
        .map(u64::from_be_bytes)
        .unwrap_or(DEFAULT_RETENTION_DAYS))
}

/// The range delete of entries older than the recorded retention at `now_ms` (for the daily
/// purge, in its batch).
pub fn retention_ops(store: &Store, now_ms: u64) -> Result<Vec<Op>, StorageError> {
    let days = retention_days(store)?;
    Ok(vec![cutoff_op(
        now_ms.saturating_sub(days.saturating_mul(DAY_MS)),
    )])
}

/// Deletes every entry recorded before `cutoff_ms`.
pub fn cutoff_op(cutoff_ms: u64) -> Op {
    Op::DeleteRange {
        cf: Cf::Admin,
        from: key(Id(0)),
        to: key(first_id_of(cutoff_ms)),
    }
}

/// A search: `[from_ms, to_ms)`, optional actor (case-insensitive) and action (exact, or a
/// prefix when it ends in `*`), after an entry (paging), at most `limit` entries.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Inclusive start, ms.
    pub from_ms: u64,
    /// Exclusive end, ms.
    pub to_ms: u64,
    /// Actor name.
    pub actor: Option<String>,
    /// Action or `prefix*`.
    pub action: Option<String>,
    /// Continue after this entry.
    pub after: Option<Id>,
    /// Page size.
    pub limit: usize,
}

impl Filter {
    fn matches(&self, r: &OplogRecord) -> bool {
        let actor = self
            .actor
            .as_deref()
            .is_none_or(|a| a.eq_ignore_ascii_case(&r.actor));
        let action = match self.action.as_deref() {
            None => true,
            Some(a) => match a.strip_suffix('*') {
                Some(prefix) => r.action.starts_with(prefix),
                None => r.action == a,
            },
        };
        actor && action
    }
}

/// The entries matching `f`, oldest first, with their ids; and how many unreadable entries
/// were skipped.
pub fn search(store: &Store, f: &Filter) -> Result<(Vec<(Id, OplogRecord)>, usize), StorageError> {
    let start = match f.after {
        Some(id) => Id(id.0.saturating_add(1)).max(first_id_of(f.from_ms)),
        None => first_id_of(f.from_ms),
    };
    let (from, to) = (key(start), key(first_id_of(f.to_ms)));
    let mut found = Vec::new();
    let mut corrupt = 0;
    store.scan(Cf::Admin, &from, Some(&to), |k, v| {
        let Some(id) = k
            .get(PREFIX.len()..)
            .and_then(|b| b.try_into().ok())
            .map(|b| Id(u64::from_be_bytes(b)))
        else {
            corrupt += 1;
            return true;
        };
        match serde_json::from_slice::<OplogRecord>(v) {
            Ok(r) if f.matches(&r) => found.push((id, r)),
            Ok(_) => {}
            Err(_) => corrupt += 1,
        }
        found.len() < f.limit
    })?;
    Ok((found, corrupt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;
    use crate::ids::IdGen;

    fn record(time_ms: u64, actor: &str, action: &str) -> OplogRecord {
        OplogRecord {
            time_ms,
            actor: actor.into(),
            kind: ActorKind::Account,
            ip: "127.0.0.1".into(),
            action: action.into(),
            target: None,
            details: serde_json::Value::Null,
        }
    }

    #[test]
    fn search_filters_pages_and_retention_purges_the_oldest() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let mut ids = IdGen::new(255);
        let day = DAY_MS;
        let t0 = 1_700_000_000_000;
        let entries = [
            (t0, "Alice", "login"),
            (t0 + 1, "bob", "login_failed"),
            (t0 + day, "alice", "settings.set"),
            (t0 + day, "alice", "settings.apply"),
            (t0 + 2 * day, "alice", "users.add_account"),
        ];
        for (t, who, what) in entries {
            store
                .write_ops(
                    &append_ops(ids.next(t), &record(t, who, what), 30).unwrap(),
                    true,
                )
                .unwrap();
        }
        let all = |f: Filter| {
            search(&store, &f)
                .unwrap()
                .0
                .into_iter()
                .map(|(_, r)| r.action)
                .collect::<Vec<_>>()
        };
        let whole = Filter {
            from_ms: 0,
            to_ms: t0 + 3 * day,
            limit: 100,
            ..Filter::default()
        };
        assert_eq!(all(whole.clone()).len(), 5);
        assert_eq!(
            all(Filter {
                actor: Some("ALICE".into()),
                action: Some("settings.*".into()),
                ..whole.clone()
            }),
            ["settings.set", "settings.apply"]
        );
        assert_eq!(
            all(Filter {
                action: Some("login".into()),
                ..whole.clone()
            }),
            ["login"]
        );
        // The range is [from, to).
        assert_eq!(
            all(Filter {
                from_ms: t0 + day,
                to_ms: t0 + 2 * day,
                ..whole.clone()
            }),
            ["settings.set", "settings.apply"]
        );
        // Paging: two at a time, each page after the last id of the previous one.
        let mut after = None;
        let mut pages = Vec::new();
        loop {
            let (page, _) = search(
                &store,
                &Filter {
                    after,
                    limit: 2,
                    ..whole.clone()
                },
            )
            .unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|(id, _)| *id);
            pages.push(page.len());
        }
        assert_eq!(pages, [2, 2, 1]);
        // Retention: 30 days recorded; just before t0 + 31 days the first day's entries go,
        // the second day's stay.
        assert_eq!(retention_days(&store).unwrap(), 30);
        store
            .write_ops(&retention_ops(&store, t0 + 31 * day - 10).unwrap(), false)
            .unwrap();
        assert_eq!(
            all(whole.clone()),
            ["settings.set", "settings.apply", "users.add_account"]
        );
        // The marker survives the purge.
        assert_eq!(retention_days(&store).unwrap(), 30);
    }

    #[test]
    fn the_daily_purge_applies_the_oplog_retention_not_the_report_retention() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let mut ids = IdGen::new(255);
        let now = 1_800_000_000_000;
        for (age_days, action) in [(91, "old"), (89, "kept"), (1, "recent")] {
            let t = now - age_days * DAY_MS;
            let ops = append_ops(ids.next(t), &record(t, "a", action), 90).unwrap();
            store.write_ops(&ops, true).unwrap();
        }
        // Report data is kept 40 days here; the operation log its own 90.
        crate::maintenance::apply_retention(&store, now, 40).unwrap();
        let (left, _) = search(
            &store,
            &Filter {
                from_ms: 0,
                to_ms: now,
                limit: 10,
                ..Filter::default()
            },
        )
        .unwrap();
        let left: Vec<String> = left.into_iter().map(|(_, r)| r.action).collect();
        assert_eq!(left, ["kept", "recent"]);
    }
}
