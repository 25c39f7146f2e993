//! The settings lifecycle (SPEC §12): a versioned draft, validation that names every
//! offending key, a diff against what runs, atomic apply on every shard, and rollback.
//!
//! The settings document is the run-time part of the configuration as JSON: the `relay`,
//! `receive` and `delivery` sections, `sandbox_replies` and `rpc.allowed_ips` /
//! `rpc.rate_limit_per_sec`, with
//! the same keys as the TOML file. Keys that need a restart (listen addresses, certificates,
//! the data directory, shards) are refused in a draft. Applied versions are stored in the admin
//! column family (`settings/v/<version>`, `settings/current`), and the stored current version
//! overrides the file's values of the same keys at the next start, so an applied change
//! survives restarts; the draft is stored as `settings/draft`.

use std::sync::Mutex;

use hikyaku_rpc::types::settings::{SettingsChange, SettingsDiff, SettingsProblem, Validation};
use serde_json::{Map, Value};

use super::{lock, ApiError};
use crate::config::Config;
use crate::storage::{Cf, Op, StorageError, Store};

const CURRENT: &[u8] = b"settings/current";
const DRAFT: &[u8] = b"settings/draft";

fn version_key(v: u64) -> Vec<u8> {
    let mut k = b"settings/v/".to_vec();
    k.extend_from_slice(&v.to_be_bytes());
    k
}

/// Sections of the settings document that are the configuration's sections as they are
/// (`rpc` is a subset of its section, `sandbox_replies` a list).
const SECTIONS_AS_IS: [&str; 11] = [
    "relay",
    "receive",
    "delivery",
    "bounce",
    "policy",
    "unsubscribe",
    "dkim",
    "spf",
    "dmarc",
    "webhooks",
    "accounts",
];

/// The keys of `rpc` editable at run time (the rest are listeners and limits of the server).
const RPC_EDITABLE: [&str; 3] = ["allowed_ips", "rate_limit_per_sec", "max_users"];

/// Keys fixed at start: changing them needs a restart with a new configuration file.
const RESTART_ONLY: &[&str] = &[
    "relay.listen",
    "relay.tls_cert",
    "relay.tls_key",
    "relay.starttls",
    "receive.listen",
    "unsubscribe.listen",
    "delivery.dns_servers",
    "delivery.mx_port",
];

/// The run-time editable part of `config` as a settings document.
pub fn document(config: &Config) -> Value {
    let full = serde_json::to_value(config).unwrap_or(Value::Null);
    let mut doc = Map::new();
    for section in SECTIONS_AS_IS {
        doc.insert(section.into(), full[section].clone());
    }
    doc.insert("sandbox_replies".into(), full["sandbox_replies"].clone());
    doc.insert(
        "rpc".into(),
        serde_json::json!({
            "allowed_ips": config.rpc.allowed_ips,
            "rate_limit_per_sec": config.rpc.rate_limit_per_sec,
            "max_users": config.rpc.max_users,
        }),
    );
    Value::Object(doc)
}

/// `base` with the document's values put in; every problem names its key.
pub fn merged(base: &Config, doc: &Value) -> Result<Config, Vec<SettingsProblem>> {
    let mut problems = Vec::new();
    let Some(obj) = doc.as_object() else {
        return Err(vec![SettingsProblem {
            key: "settings".into(),
            message: "must be a JSON object with relay, receive, delivery and rpc sections".into(),
        }]);
    };
    let current = document(base);
    let mut full = serde_json::to_value(base).unwrap_or(Value::Null);
    for (section, value) in obj {
        if !SECTIONS_AS_IS.contains(&section.as_str())
            && !["rpc", "sandbox_replies"].contains(&section.as_str())
        {
            problems.push(SettingsProblem {
                key: section.clone(),
                message: "unknown section (editable: relay, receive, delivery, bounce, policy, unsubscribe, dkim, spf, dmarc, webhooks, accounts, rpc, sandbox_replies)".into(),
            });
            continue;
        }
        if section == "rpc" {
            if let Some(o) = value.as_object() {
                for (k, v) in o {
                    if RPC_EDITABLE.contains(&k.as_str()) {
                        full["rpc"][k] = v.clone();
                    } else {
                        problems.push(SettingsProblem {
                            key: format!("rpc.{k}"),
                            message: "not editable at run time (editable: allowed_ips, rate_limit_per_sec, max_users)".into(),
                        });
                    }
                }
            }
            continue;
        }
        full[section] = value.clone();
    }
    for key in RESTART_ONLY {
        let (s, k) = key.split_once('.').unwrap_or((key, ""));
        let now = &current[s][k];
        let wanted = &obj.get(s).map(|v| v[k].clone()).unwrap_or(Value::Null);
        if !wanted.is_null() && wanted != now {
            problems.push(SettingsProblem {
                key: (*key).to_string(),
                message: "needs a restart: change it in the configuration file".into(),
            });
        }
    }
    let config: Config = match serde_json::from_value(full) {
        Ok(c) => c,
        Err(e) => {
            problems.push(SettingsProblem {
                key: "settings".into(),
                message: e.to_string(),
            });
            return Err(problems);
        }
    };
    if let Err(e) = config.validate() {
        match e {
            crate::config::ConfigError::Invalid(list) => {
                for line in list {
                    let (k, m) = line.split_once(": ").unwrap_or(("settings", &line));
                    problems.push(SettingsProblem {
                        key: k.to_string(),
                        message: m.to_string(),
                    });
                }
            }
            other => problems.push(SettingsProblem {
                key: "settings".into(),
                message: other.to_string(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// The stored current version applied over the file's configuration (called at start).
pub fn effective_config(store: &Store, file: &Config) -> Result<(Config, u64), StorageError> {
    let Some(v) = store.get(Cf::Admin, CURRENT)? else {
        return Ok((file.clone(), 0));
    };
    let version = v
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0);
    let Some(doc) = store.get(Cf::Admin, &version_key(version))? else {
        return Ok((file.clone(), 0));
    };
    let doc: Value = serde_json::from_slice(&doc)?;
    match merged(file, &doc) {
        Ok(c) => Ok((c, version)),
        Err(problems) => {
            tracing::error!(
                version,
                ?problems,
                "stored settings no longer valid with this configuration file; using the file"
            );
            Ok((file.clone(), version))
        }
    }
}

/// Versions and the draft, in memory and in the store.
pub(crate) struct SettingsState {
    inner: Mutex<Inner>,
}

struct Inner {
    applied_version: u64,
    draft: Option<Value>,
}

fn dotted(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v.as_object() {
        Some(o) if !o.is_empty() => {
            for (k, child) in o {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                dotted(&key, child, out);
            }
        }
        _ => out.push((prefix.to_string(), v.clone())),
    }
}

/// RFC 7386 JSON merge patch.
/// `(key, before, after)` for every dotted key whose value differs between two documents.
fn changed_keys(before: &Value, after: &Value) -> Vec<(String, Option<Value>, Option<Value>)> {
    let mut a = Vec::new();
    dotted("", before, &mut a);
    let mut b = Vec::new();
    dotted("", after, &mut b);
    let a: std::collections::BTreeMap<_, _> = a.into_iter().collect();
    let b: std::collections::BTreeMap<_, _> = b.into_iter().collect();
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (k.clone(), a.get(k).cloned(), b.get(k).cloned()))
        .collect()
}

/// The changes as the operation log records them: `[{key, from, to}]` (`from`/`to` absent
/// for a key added or removed).
fn changes_json(before: &Value, after: &Value) -> Value {
    changed_keys(before, after)
        .into_iter()
        .map(|(key, from, to)| {
            let mut o = Map::new();
            o.insert("key".into(), Value::String(key));
            if let Some(v) = from {
                o.insert("from".into(), v);
            }
            if let Some(v) = to {
                o.insert("to".into(), v);
            }
            Value::Object(o)
        })
        .collect()
}

/// Makes the writes recording a settings change (its operation-log entry) from the change's
/// details; they go into the same batch as the change.
pub(crate) type Audit<'a> = &'a dyn Fn(Value) -> Result<Vec<Op>, ApiError>;

fn merge_patch(target: &mut Value, patch: &Value) {
    match patch.as_object() {
        Some(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Some(t) = target.as_object_mut() {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        None => *target = patch.clone(),
    }
}

impl SettingsState {
    pub(crate) fn load(store: &Store, _config: &Config) -> Result<Self, ApiError> {
        let applied_version = store
            .get(Cf::Admin, CURRENT)?
            .and_then(|v| {
                v.get(..8)
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_be_bytes)
            })
            .unwrap_or(0);
        let draft = match store.get(Cf::Admin, DRAFT)? {
            Some(d) => serde_json::from_slice(&d).ok(),
            None => None,
        };
        Ok(Self {
            inner: Mutex::new(Inner {
                applied_version,
                draft,
            }),
        })
    }

    /// Applied version number.
    pub(crate) fn applied_version(&self) -> u64 {
        lock(&self.inner).applied_version
    }

    /// The draft, or the applied document when there is none.
    pub(crate) fn draft(&self, applied: &Config) -> (u64, Value) {
        let inner = lock(&self.inner);
        let doc = inner.draft.clone().unwrap_or_else(|| document(applied));
        (inner.applied_version + 1, doc)
    }

    /// Replaces or patches the draft, stores it — with the writes `audit` makes of the change
    /// (its operation-log entry), in one batch — and validates it.
    pub(crate) fn set(
        &self,
        store: &Store,
        applied: &Config,
        (settings, merge): (Value, bool),
        audit: Audit<'_>,
    ) -> Result<Validation, ApiError> {
        if !settings.is_object() {
            return Err(ApiError::invalid("settings", "must be a JSON object"));
        }
        let (version, before) = self.draft(applied);
        let mut doc = before.clone();
        if merge {
            merge_patch(&mut doc, &settings);
        } else {
            doc = settings;
        }
        let checked = validation(version, applied, &doc);
        let mut ops = vec![Op::Put {
            cf: Cf::Admin,
            key: DRAFT.to_vec(),
            value: serde_json::to_vec(&doc)?,
        }];
        ops.extend(audit(serde_json::json!({
            "draft_version": version,
            "merge": merge,
            "valid": checked.valid,
            "changes": changes_json(&before, &doc),
        }))?);
        store.write_ops(&ops, true)?;
        lock(&self.inner).draft = Some(doc);
        Ok(checked)
    }

    /// Validates the draft.
    pub(crate) fn validate(&self, applied: &Config) -> Validation {
        let (version, doc) = self.draft(applied);
        validation(version, applied, &doc)
    }

    /// Keys that differ between applied and draft.
    pub(crate) fn diff(&self, applied: &Config) -> SettingsDiff {
        let (draft_version, doc) = self.draft(applied);
        let changes = changed_keys(&document(applied), &doc)
            .into_iter()
            .map(|(key, applied, draft)| SettingsChange {
                key,
                applied,
                draft,
            })
            .collect();
        SettingsDiff {
            applied_version: draft_version - 1,
            draft_version,
            changes,
        }
    }

    /// Checks the draft and stores it as the next applied version, with `audit`'s writes of
    /// the change (the diff from the applied version); the caller swaps it in.
    pub(crate) fn commit_draft(
        &self,
        store: &Store,
        applied: &Config,
        audit: Audit<'_>,
    ) -> Result<(u64, Config), ApiError> {
        let (version, doc) = self.draft(applied);
        let config = merged(applied, &doc).map_err(|p| problems_error(&p))?;
        let extra = audit(serde_json::json!({
            "version": version,
            "changes": changes_json(&document(applied), &doc),
        }))?;
        self.store_applied(store, version, &doc, extra)?;
        lock(&self.inner).draft = None;
        Ok((version, config))
    }

    /// The version before the applied one, stored as a new applied version, with `audit`'s
    /// writes of the change.
    pub(crate) fn commit_rollback(
        &self,
        store: &Store,
        applied: &Config,
        audit: Audit<'_>,
    ) -> Result<(u64, Config), ApiError> {
        let current = self.applied_version();
        if current == 0 {
            return Err(ApiError::Conflict(
                "nothing to roll back: no settings version has been applied".into(),
            ));
        }
        let doc = if current == 1 {
            None
        } else {
            store.get(Cf::Admin, &version_key(current - 1))?
        };
        let doc: Value = match doc {
            Some(d) => serde_json::from_slice(&d)?,
            // Version 1's predecessor is the configuration file itself.
            None => document(&boot_defaults(applied, store)?),
        };
        let config = merged(applied, &doc).map_err(|p| problems_error(&p))?;
        let version = current + 1;
        let extra = audit(serde_json::json!({
            "version": version,
            "restores_version": current - 1,
            "changes": changes_json(&document(applied), &doc),
        }))?;
        self.store_applied(store, version, &doc, extra)?;
        Ok((version, config))
    }

    fn store_applied(
        &self,
        store: &Store,
        version: u64,
        doc: &Value,
        extra: Vec<Op>,
    ) -> Result<(), ApiError> {
        let mut ops = vec![
            Op::Put {
                cf: Cf::Admin,
                key: version_key(version),
                value: serde_json::to_vec(doc)?,
            },
            Op::Put {
                cf: Cf::Admin,
                key: CURRENT.to_vec(),
                value: version.to_be_bytes().to_vec(),
            },
            Op::Delete {
                cf: Cf::Admin,
                key: DRAFT.to_vec(),
            },
        ];
        ops.extend(extra);
        store.write_ops(&ops, true)?;
        lock(&self.inner).applied_version = version;
        Ok(())
    }
}

/// The configuration the process started from (file values), stored at start as version 0.
fn boot_defaults(applied: &Config, store: &Store) -> Result<Config, ApiError> {
    match store.get(Cf::Admin, &version_key(0))? {
        Some(d) => {
            let doc: Value = serde_json::from_slice(&d)?;
            merged(applied, &doc).map_err(|p| problems_error(&p))
        }
        None => Ok(applied.clone()),
    }
}

/// Records the file's settings as version 0 (the base a rollback of version 1 returns to).
pub fn record_boot(store: &Store, file: &Config) -> Result<(), StorageError> {
    store.write_ops(
        &[Op::Put {
            cf: Cf::Admin,
            key: version_key(0),
            value: serde_json::to_vec(&document(file))?,
        }],
        true,
    )
}

fn validation(version: u64, applied: &Config, doc: &Value) -> Validation {
    match merged(applied, doc) {
        Ok(_) => Validation {
            version,
            valid: true,
            problems: Vec::new(),
        },
        Err(problems) => Validation {
            version,
            valid: false,
            problems,
        },
    }
}

fn problems_error(p: &[SettingsProblem]) -> ApiError {
    let first = p.first();
    ApiError::invalid(
        first.map_or("settings".to_string(), |f| f.key.clone()),
        p.iter()
            .map(|x| format!("{}: {}", x.key, x.message))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Unavailable(format!("settings record: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_names_bad_keys() {
        let base = Config::default();
        let mut doc = document(&base);
        doc["delivery"]["default"]["max_connections"] = 0.into();
        doc["relay"]["listen"] = "0.0.0.0:25".into();
        let problems = merged(&base, &doc).unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"relay.listen"), "{problems:?}");
        assert!(
            keys.iter().any(|k| k.contains("max_connections")),
            "{problems:?}"
        );
        let mut typo = document(&base);
        typo["relay"]["max_conections"] = 5.into();
        let problems = merged(&base, &typo).unwrap_err();
        assert!(
            problems[0].message.contains("max_conections"),
            "{problems:?}"
        );
    }

    #[test]
    fn unchanged_document_is_valid_and_merge_patch_works() {
        let base = Config::default();
        assert!(merged(&base, &document(&base)).is_ok());
        let mut doc = document(&base);
        merge_patch(
            &mut doc,
            &serde_json::json!({"relay": {"max_connections": 7}}),
        );
        assert_eq!(merged(&base, &doc).unwrap().relay.max_connections, 7);
    }

    #[test]
    fn sender_authentication_sections_are_editable() {
        let base = Config::default();
        let mut doc = document(&base);
        merge_patch(
            &mut doc,
            &serde_json::json!({"dkim": {"sign_with_parent": true}}),
        );
        assert!(merged(&base, &doc).unwrap().dkim.sign_with_parent);
        merge_patch(&mut doc, &serde_json::json!({"dkim": {"bogus": 1}}));
        assert!(merged(&base, &doc).is_err());
    }
}
