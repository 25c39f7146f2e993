//! VERP return paths that name their delivery unforgeably.
//!
//! `b-<delivery id, 16 hex>-<MAC, 12 hex>@<bounce domain>`: the MAC is the first 48 bits of
//! HMAC-SHA256 over the delivery id with a per-installation secret (created at first start and
//! kept in the admin column family), so a bounce naming a delivery id it was not sent for is
//! recognised as forged and falls back to ordinary matching. Local parts stay well under
//! RFC 5321's 64 octets (31).

use ring::hmac;

use crate::ids::Id;
use crate::storage::{StorageError, Store};

const SECRET_KEY: &[u8] = b"verp/secret";

/// The HMAC key.
#[derive(Clone)]
pub struct Verp {
    key: hmac::Key,
}

impl std::fmt::Debug for Verp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verp(..)")
    }
}

impl Verp {
    /// A key from raw secret bytes.
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    /// Loads the installation's secret, creating it on first use.
    pub fn load_or_create(store: &Store) -> Result<Self, StorageError> {
        Ok(Self::new(&crate::storage::secrets::load_or_create(
            store, SECRET_KEY,
        )?))
    }

    fn mac(&self, delivery: Id) -> String {
        let tag = hmac::sign(&self.key, &delivery.to_be_bytes());
        tag.as_ref()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The return path for `delivery` on `bounce_domain`.
    pub fn encode(&self, delivery: Id, bounce_domain: &str) -> String {
        format!("b-{delivery}-{}@{bounce_domain}", self.mac(delivery))
    }

    /// The delivery a return path names, when its MAC is right.
    pub fn decode(&self, address: &str) -> Option<Id> {
        let (local, _) = address.trim_matches(['<', '>']).rsplit_once('@')?;
        let rest = local
            .strip_prefix("b-")
            .or_else(|| local.strip_prefix("B-"))?;
        let (id, mac) = rest.split_once('-')?;
        let id = Id::parse(&id.to_ascii_lowercase())?;
        let expected = self.mac(id);
        // Constant-time comparison of the MAC (no early exit on the first differing byte).
        let given = mac.to_ascii_lowercase();
        let ok = given.len() == expected.len()
            && given
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        ok.then_some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_forgery() {
        let v = Verp::new(b"secret");
        let id = Id(0x1a20_d8bc_dbef_f002);
        let rp = v.encode(id, "bounce.example.com");
        assert_eq!(
            rp.len(),
            "b-".len() + 16 + 1 + 12 + "@bounce.example.com".len()
        );
        assert_eq!(v.decode(&rp), Some(id));
        assert_eq!(v.decode(&rp.to_uppercase()), Some(id));
        let forged = rp.replace("-1a20", "-1a21");
        assert_eq!(v.decode(&forged), None);
        assert_eq!(Verp::new(b"other").decode(&rp), None);
        assert_eq!(v.decode("someone@example.com"), None);
        assert_eq!(v.decode("b-zz-zz@x"), None);
    }
}
