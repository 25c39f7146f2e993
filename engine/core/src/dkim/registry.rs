//! The active DKIM keys in memory, loaded once and then changed by the API (create, activate,
//! remove) right after the durable write, so delivery never reads the spool to sign. One
//! `Arc<Registry>` is shared by the API thread and every shard: a read lock per transaction
//! (uncontended in practice: writes happen when an operator changes a key).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::sign::MessageSigner;
use super::store::{self, KeyStoreError};
use super::{DkimKey, KeyState};
use crate::storage::Store;

/// Active signers by domain.
#[derive(Debug, Default)]
pub struct Registry {
    active: RwLock<HashMap<String, Arc<MessageSigner>>>,
}

impl Registry {
    /// The registry of the keys stored as active. A key that does not load is reported and
    /// skipped (its domain's mail then goes unsigned, with this error in the log at start and
    /// in `dkim.list`), rather than keeping the engine from starting.
    pub fn load(store: &Store) -> Result<Self, KeyStoreError> {
        let registry = Self::default();
        for key in store::list(store, None)? {
            if key.state == KeyState::Active {
                if let Err(e) = registry.set_active(&key) {
                    tracing::error!(error = %e, "DKIM key not loaded; its domain is not signed");
                }
            }
        }
        Ok(registry)
    }

    /// Makes `key` the signer of its domain.
    pub fn set_active(&self, key: &DkimKey) -> Result<(), super::SignError> {
        let signer = Arc::new(MessageSigner::new(key)?);
        self.write().insert(key.domain.to_ascii_lowercase(), signer);
        Ok(())
    }

    /// Stops signing for `domain` if `selector` is its active key.
    pub fn remove(&self, domain: &str, selector: &str) {
        let mut map = self.write();
        let domain = domain.to_ascii_lowercase();
        if map
            .get(&domain)
            .is_some_and(|s| s.selector().eq_ignore_ascii_case(selector))
        {
            map.remove(&domain);
        }
    }

    /// The signer for mail whose header-From domain is `from_domain`: the domain's own active
    /// key, else (when `parents` is set) the nearest parent domain's, never a bare top-level
    /// label. Relaxed DMARC alignment accepts a parent's signature.
    pub fn signer_for(&self, from_domain: &str, parents: bool) -> Option<Arc<MessageSigner>> {
        if from_domain.is_empty() {
            return None;
        }
        let map = self.read();
        if map.is_empty() {
            return None;
        }
        let domain = from_domain.to_ascii_lowercase();
        if let Some(s) = map.get(&domain) {
            return Some(s.clone());
        }
        if !parents {
            return None;
        }
        let mut rest = domain.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            if !parent.contains('.') {
                break;
            }
            if let Some(s) = map.get(parent) {
                return Some(s.clone());
            }
            rest = parent;
        }
        None
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Arc<MessageSigner>>> {
        self.active.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<MessageSigner>>> {
        self.active.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::keys::test_key;
    use crate::dkim::Algorithm;

    fn key(domain: &str, selector: &str) -> DkimKey {
        test_key(domain, selector, Algorithm::Ed25519)
    }

    #[test]
    fn exact_domain_first_then_parents_when_allowed() {
        let r = Registry::default();
        r.set_active(&key("example.com", "s1")).unwrap();
        r.set_active(&key("com", "s1")).unwrap();
        assert_eq!(
            r.signer_for("Example.COM", false).unwrap().domain(),
            "example.com"
        );
        assert!(r.signer_for("news.example.com", false).is_none());
        assert_eq!(
            r.signer_for("a.news.example.com", true).unwrap().domain(),
            "example.com"
        );
        // A top-level label never signs for its subdomains.
        assert!(r.signer_for("other.com", true).is_none());
        r.remove("example.com", "other-selector");
        assert!(r.signer_for("example.com", false).is_some());
        r.remove("example.com", "S1");
        assert!(r.signer_for("example.com", false).is_none());
    }
}
