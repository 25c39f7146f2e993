//! Where S/MIME signers are kept: one RocksDB entry per address or domain in `Cf::Auth`
//! (key `smime/` + the lower-cased address or domain; value [`Entry`] JSON), and their parsed
//! form in memory ([`Table`]), shared by the shards and the API, so intake never reads the
//! spool or parses a key per message.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};

use super::Credential;
use crate::storage::{Cf, Op, StorageError, Store};

/// Key prefix in `Cf::Auth`.
const PREFIX: &[u8] = b"smime/";

/// What is stored for one address or domain. The key is stored as given (PEM) and is only
/// ever read back by [`Table::load`]: no API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    /// Lower-cased address (`user@example.com`) or domain (`example.com`).
    pub target: String,
    /// Signer certificate and any chain certificates, PEM.
    pub certificate_pem: String,
    /// Private key, PEM.
    pub key_pem: String,
    /// When it was added, ms since the epoch.
    pub added_ms: u64,
}

/// The spool key of `target` (already lower-cased).
fn key(target: &str) -> Vec<u8> {
    let mut k = PREFIX.to_vec();
    k.extend_from_slice(target.as_bytes());
    k
}

impl Entry {
    /// The write that stores this entry (replacing any previous one for the same target).
    pub fn put_op(&self) -> Result<Op, StorageError> {
        Ok(Op::Put {
            cf: Cf::Auth,
            key: key(&self.target),
            value: serde_json::to_vec(self)?,
        })
    }

    /// The write that removes `target`'s entry.
    pub fn delete_op(target: &str) -> Op {
        Op::Delete {
            cf: Cf::Auth,
            key: key(target),
        }
    }

    /// Every stored entry, in target order.
    pub fn load_all(store: &Store) -> Result<Vec<Entry>, StorageError> {
        let mut to = PREFIX.to_vec();
        if let Some(last) = to.last_mut() {
            *last += 1;
        }
        let mut out = Vec::new();
        let mut failure = None;
        store.scan(Cf::Auth, PREFIX, Some(&to), |_k, v| {
            match serde_json::from_slice::<Entry>(v) {
                Ok(e) => out.push(e),
                Err(e) => failure = Some(e),
            }
            failure.is_none()
        })?;
        match failure {
            Some(e) => Err(e.into()),
            None => Ok(out),
        }
    }

    /// The entry of `target`, if any.
    pub fn get(store: &Store, target: &str) -> Result<Option<Entry>, StorageError> {
        match store.get(Cf::Auth, &key(target))? {
            Some(v) => Ok(Some(serde_json::from_slice(&v)?)),
            None => Ok(None),
        }
    }
}

/// A target's signer as intake sees it.
#[derive(Debug, Clone)]
pub enum Slot {
    /// Ready to sign.
    Ready(Arc<Credential>),
    /// Stored but unusable (it no longer parses: a damaged entry): its mail is refused with
    /// this reason rather than sent unsigned.
    Broken(String),
}

/// The signers in force, by lower-cased address or domain.
#[derive(Debug, Default)]
pub struct Table {
    slots: RwLock<Arc<HashMap<String, Slot>>>,
}

impl Table {
    /// Parses every stored entry. An entry that does not parse any more is kept as
    /// [`Slot::Broken`] and logged, so its sender's mail is refused, not sent unsigned.
    pub fn load(store: &Store) -> Result<Self, StorageError> {
        let mut slots = HashMap::new();
        for entry in Entry::load_all(store)? {
            let slot = match Credential::parse(&entry.certificate_pem, &entry.key_pem) {
                Ok(c) => Slot::Ready(Arc::new(c)),
                Err(e) => {
                    tracing::error!(target = %entry.target, error = %e,
                        "stored S/MIME entry unusable; its mail is refused until it is replaced");
                    Slot::Broken(e.to_string())
                }
            };
            slots.insert(entry.target, slot);
        }
        Ok(Self {
            slots: RwLock::new(Arc::new(slots)),
        })
    }

    fn current(&self) -> Arc<HashMap<String, Slot>> {
        match self.slots.read() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut HashMap<String, Slot>)) {
        let mut guard = self.slots.write().unwrap_or_else(|p| p.into_inner());
        let mut next = (**guard).clone();
        f(&mut next);
        *guard = Arc::new(next);
    }

    /// Registers (or replaces) `target`'s signer; call after the entry is durable.
    pub fn insert(&self, target: &str, credential: Arc<Credential>) {
        self.update(|m| {
            m.insert(target.to_string(), Slot::Ready(credential));
        });
    }

    /// Forgets `target`'s signer; call after the deletion is durable.
    pub fn remove(&self, target: &str) {
        self.update(|m| {
            m.remove(target);
        });
    }

    /// Whether no signer is registered (intake then skips even reading the From header).
    pub fn is_empty(&self) -> bool {
        self.current().is_empty()
    }

    /// The slot registered for exactly `target` (lower-cased), for listings.
    pub fn slot(&self, target: &str) -> Option<Slot> {
        self.current().get(target).cloned()
    }

    /// The signer for mail from `address`: the exact address (case-insensitive) first, else
    /// its domain.
    pub fn signer_for(&self, address: &str) -> Option<Slot> {
        let slots = self.current();
        let address = address.to_ascii_lowercase();
        if let Some(slot) = slots.get(&address) {
            return Some(slot.clone());
        }
        let (_, domain) = address.rsplit_once('@')?;
        slots.get(domain).cloned()
    }

    /// The signer for `message`, by its header-From address (the first one if several).
    pub fn signer_for_message(&self, message: &[u8]) -> Option<Slot> {
        if self.is_empty() {
            return None;
        }
        let parsed = crate::intake::parse_header_block(message)?;
        let from = parsed.from()?.first()?.address()?;
        self.signer_for(from)
    }
}
