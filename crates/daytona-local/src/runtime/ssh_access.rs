//! SSH access tokens: a token is the SSH user name that opens one sandbox
//! until it expires or is revoked. Kept in memory: a server restart revokes them all.

use std::collections::HashMap;
use std::sync::Mutex;

use rand::RngExt;
use tokio::sync::watch;

/// Minutes an access lasts when the client does not say.
pub const DEFAULT_MINUTES: f64 = 60.0;

#[derive(Clone)]
pub struct Access {
    pub id: String,
    pub sandbox_id: String,
    pub token: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

struct Entry {
    access: Access,
    /// Set to true on revocation: open sessions of the token end.
    revoked: watch::Sender<bool>,
}

#[derive(Default)]
pub struct SshAccesses {
    tokens: Mutex<HashMap<String, Entry>>,
}

impl SshAccesses {
    /// A new access for `sandbox_id`, replacing (revoking) its earlier ones, as Daytona does.
    /// The token: 32 characters of `A-Za-z0-9` (nanoid's URL-safe alphabet without `_-`).
    pub fn create(&self, sandbox_id: &str, minutes: f64, now_ms: i64) -> Access {
        let token: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(32).map(char::from).collect();
        let access = Access {
            id: uuid::Uuid::new_v4().to_string(),
            sandbox_id: sandbox_id.into(),
            token: token.clone(),
            created_ms: now_ms,
            expires_ms: now_ms.saturating_add((minutes * 60_000.0).round() as i64),
        };
        let mut tokens = self.lock();
        self.revoke_where(&mut tokens, |e| e.access.sandbox_id == sandbox_id || e.access.expires_ms <= now_ms);
        tokens.insert(token, Entry { access: access.clone(), revoked: watch::channel(false).0 });
        access
    }

    /// The sandbox a live token opens, and a receiver that turns true when it is revoked.
    pub fn validate(&self, token: &str, now_ms: i64) -> Option<(String, watch::Receiver<bool>)> {
        let tokens = self.lock();
        let e = tokens.get(token).filter(|e| e.access.expires_ms > now_ms)?;
        Some((e.access.sandbox_id.clone(), e.revoked.subscribe()))
    }

    /// Revokes `token` of `sandbox_id`, or all its tokens when `token` is None.
    pub fn revoke(&self, sandbox_id: &str, token: Option<&str>) {
        let mut tokens = self.lock();
        self.revoke_where(&mut tokens, |e| e.access.sandbox_id == sandbox_id && token.is_none_or(|t| t == e.access.token));
    }

    fn revoke_where(&self, tokens: &mut HashMap<String, Entry>, gone: impl Fn(&Entry) -> bool) {
        tokens.retain(|_, e| {
            let keep = !gone(e);
            if !keep {
                e.revoked.send_replace(true);
            }
            keep
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_sandbox_until_revoked_replaced_or_expired() {
        let a = SshAccesses::default();
        let t = a.create("sb", 1.0, 0);
        assert!(t.token.len() == 32 && t.token.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(t.expires_ms, 60_000);
        let (sb, revoked) = a.validate(&t.token, 59_999).unwrap();
        assert_eq!(sb, "sb");
        assert!(a.validate(&t.token, 60_000).is_none(), "expired");

        let t2 = a.create("sb", 1.0, 0);
        assert!(*revoked.borrow(), "a new access revokes the earlier one");
        assert!(a.validate(&t.token, 0).is_none());
        let other = a.create("other", 0.5, 0);
        assert_eq!(other.expires_ms, 30_000, "fractions of a minute");
        a.revoke("sb", Some(&other.token));
        assert!(a.validate(&other.token, 0).is_some(), "a token of another sandbox is not revoked");
        a.revoke("sb", None);
        assert!(a.validate(&t2.token, 0).is_none());
    }
}
