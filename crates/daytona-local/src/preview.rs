//! Preview tokens: what browsers (which cannot set headers on a WebSocket) put in the
//! `DAYTONA_SANDBOX_AUTH_KEY` query parameter to reach a sandbox's toolbox (protocol §6.1).
//! Derived from the API key, so they need no storage and survive restarts, and a token for
//! one sandbox opens no other.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn token(api_key: &str, sandbox_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"preview:");
    mac.update(sandbox_id.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
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
