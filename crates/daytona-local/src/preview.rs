//! Preview tokens and derived secrets. Preview tokens: what browsers (which cannot set headers on a WebSocket) put in the
//! `DAYTONA_SANDBOX_AUTH_KEY` query parameter to reach a sandbox's toolbox (protocol §6.1).
//! Derived from the API key, so they need no storage and survive restarts, and a token for
//! one sandbox opens no other.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn token(api_key: &str, sandbox_id: &str) -> String {
    derive(api_key, &format!("preview:{sandbox_id}")).iter().map(|b| format!("{b:02x}")).collect()
}

/// A secret for `purpose`, derived from the API key (preview tokens, object-storage
/// credentials): nothing to store, and a new key revokes them all.
pub fn derive(api_key: &str, purpose: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_differ_per_sandbox_and_key() {
        let a = super::token("k", "sb-1");
        assert_eq!(a.len(), 64);
        assert_ne!(a, super::token("k", "sb-2"));
        assert_ne!(a, super::token("k2", "sb-1"));
        assert_eq!(a, super::token("k", "sb-1"));
    }
}
