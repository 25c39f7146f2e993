//! Fuzzes the tokens that come back from the network naming one of our deliveries: the
//! one-click unsubscribe token (`/u/TOKEN` and `mailto:u-TOKEN@domain`), the VERP return path
//! a bounce is addressed to (`b-ID-MAC@domain`) and the 16-hex-digit ids RPC parameters carry.
//!
//! Invariants: no panic; a token or return path is accepted only in the form we issue
//! (accepted ⇒ it is exactly what we would have issued for that delivery, up to case and
//! surrounding blanks/angle brackets), and what we issue is accepted again (round trip); an
//! accepted id prints back as the text it was parsed from (lower case).
#![no_main]

use hikyaku_engine::bounces::Verp;
use hikyaku_engine::ids::Id;
use hikyaku_engine::unsubscribe::{token_of_address, Signer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let signer = Signer::new(b"fuzz unsubscribe secret");
    let verp = Verp::new(b"fuzz verp secret");
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    // Ids in RPC parameters and in tokens.
    if let Some(id) = Id::parse(text) {
        assert_eq!(
            id.to_string(),
            text.to_ascii_lowercase(),
            "non-canonical id accepted"
        );
    }

    // Unsubscribe tokens.
    if let Some(id) = signer.verify(text) {
        assert_eq!(signer.token(id), text.trim().to_ascii_lowercase());
    }
    if let Some(token) = token_of_address(text) {
        assert!(text.contains(token));
        if let Some(id) = signer.verify(token) {
            assert_eq!(signer.token(id), token.trim().to_ascii_lowercase());
        }
    }

    // VERP return paths.
    if let Some(id) = verp.decode(text) {
        let issued = verp.encode(id, "x");
        let (issued_local, _) = issued.split_once('@').unwrap_or_default();
        let (local, _) = text
            .trim_matches(['<', '>'])
            .rsplit_once('@')
            .unwrap_or_default();
        assert_eq!(
            local.to_ascii_lowercase(),
            issued_local,
            "non-canonical VERP accepted"
        );
    }

    // What we issue comes back.
    if data.len() >= 8 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[..8]);
        let id = Id(u64::from_be_bytes(b));
        let token = signer.token(id);
        assert_eq!(signer.verify(&token), Some(id));
        assert_eq!(signer.verify(&token.to_ascii_uppercase()), Some(id));
        let domain = String::from_utf8_lossy(&data[8..]).replace(['@', '<', '>'], "");
        let mailto = format!("<u-{token}@{domain}>");
        assert_eq!(token_of_address(&mailto), Some(token.as_str()));
        let path = verp.encode(id, &domain);
        assert_eq!(verp.decode(&path), Some(id));
        assert_eq!(
            verp.decode(&format!("<{}>", path.to_ascii_uppercase())),
            Some(id)
        );
        assert_eq!(Id::parse(&id.to_string()), Some(id));
    }
});
