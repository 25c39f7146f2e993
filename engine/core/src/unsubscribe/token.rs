//! Unsubscribe tokens: a delivery id and a MAC, in lower-case hex.

use ring::hmac;

use crate::ids::Id;
use crate::storage::{StorageError, Store};

const SECRET_KEY: &[u8] = b"unsubscribe/secret";
/// MAC bytes kept: 80 bits, so guessing a valid token for a chosen delivery takes 2^79 tries.
const MAC_BYTES: usize = 10;

/// Signs and verifies tokens with the spool's unsubscribe secret.
#[derive(Clone)]
pub struct Signer {
    key: hmac::Key,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    /// A signer with `secret`.
    pub fn new(secret: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
        }
    }

    /// The spool's signer, creating (and durably storing) the secret at first use.
    pub fn load_or_create(store: &Store) -> Result<Self, StorageError> {
        Ok(Self::new(&crate::storage::secrets::load_or_create(
            store, SECRET_KEY,
        )?))
    }

    fn mac(&self, delivery: Id) -> String {
        hmac::sign(&self.key, &delivery.to_be_bytes())
            .as_ref()
            .iter()
            .take(MAC_BYTES)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The token of `delivery`.
    pub fn token(&self, delivery: Id) -> String {
        format!("{delivery}{}", self.mac(delivery))
    }

    /// The delivery a token names, if its MAC is right (compared in constant time).
    pub fn verify(&self, token: &str) -> Option<Id> {
        let token = token.trim().to_ascii_lowercase();
        if token.len() != 16 + 2 * MAC_BYTES || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let (id, mac) = token.split_at(16);
        let id = Id::parse(id)?;
        let expected = self.mac(id);
        let same = mac
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        same.then_some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_resist_tampering() {
        let s = Signer::new(b"secret");
        let t = s.token(Id(0x1a2b_3c4d_5e6f_7081));
        assert_eq!(t.len(), 36);
        assert_eq!(s.verify(&t), Some(Id(0x1a2b_3c4d_5e6f_7081)));
        assert_eq!(
            s.verify(&t.to_ascii_uppercase()),
            Some(Id(0x1a2b_3c4d_5e6f_7081))
        );
        // Another delivery with this MAC, a changed MAC, another key, garbage.
        let other = format!("{}{}", Id(0x1a2b_3c4d_5e6f_7082), &t[16..]);
        assert_eq!(s.verify(&other), None);
        let mut flipped = t.clone().into_bytes();
        flipped[35] = if flipped[35] == b'0' { b'1' } else { b'0' };
        assert_eq!(s.verify(std::str::from_utf8(&flipped).unwrap()), None);
        assert_eq!(Signer::new(b"other").verify(&t), None);
        for bad in [
            "",
            "zz",
            &t[..35],
            &format!("{t}0"),
            "g".repeat(36).as_str(),
        ] {
            assert_eq!(s.verify(bad), None, "{bad:?}");
        }
    }
}
