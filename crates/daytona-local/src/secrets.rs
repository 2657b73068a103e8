//! Secrets derived from the API key, and how they are compared. Derived secrets need no
//! storage and survive restarts, and a new key revokes them all.

use daytona_types::sigv4::hex;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A sandbox's preview token: what browsers (which cannot set headers on a WebSocket) put in
/// the `DAYTONA_SANDBOX_AUTH_KEY` query parameter to reach its toolbox. A token for one
/// sandbox opens no other.
pub fn preview_token(api_key: &str, sandbox_id: &str) -> String {
    hex(&derive(api_key, &format!("preview:{sandbox_id}")))
}

/// A sandbox's key for signing file URLs, at a generation (each rotation moves to the next).
pub fn signing_key(api_key: &str, sandbox_id: &str, generation: i64) -> String {
    hex(&derive(api_key, &format!("files:{sandbox_id}:{generation}")))
}

/// A secret for `purpose` (preview tokens, object-storage credentials, the SSH host key).
pub fn derive(api_key: &str, purpose: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Compares without an early exit, so response timing does not reveal how much of a guessed
/// key was right. Hand-written: it is four lines and not worth a dependency.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_differ_per_sandbox_and_key() {
        let a = super::preview_token("k", "sb-1");
        assert_eq!(a.len(), 64);
        assert_ne!(a, super::preview_token("k", "sb-2"));
        assert_ne!(a, super::preview_token("k2", "sb-1"));
        assert_eq!(a, super::preview_token("k", "sb-1"));
    }

    #[test]
    fn constant_time_eq_compares_whole_keys() {
        assert!(super::constant_time_eq(b"abc", b"abc"));
        assert!(!super::constant_time_eq(b"abc", b"abd"));
        assert!(!super::constant_time_eq(b"abc", b"abcd"));
    }
}
