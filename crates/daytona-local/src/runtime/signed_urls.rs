//! Signed preview URLs (`GET /api/sandbox/{id}/ports/{port}/signed-preview-url`).

/// Signed preview URLs: a random token standing for (sandbox, port) until it expires or is
/// expired by hand. Kept in memory: a server restart expires them all.
#[derive(Default)]
pub struct SignedUrls {
    tokens: std::sync::Mutex<std::collections::HashMap<String, Signed>>,
}

struct Signed {
    sandbox_id: String,
    port: u16,
    expires: std::time::Instant,
}

impl SignedUrls {
    /// A new token: 16 characters of `a-z0-9`, as Daytona's.
    pub fn issue(&self, sandbox_id: &str, port: u16, ttl_secs: u64) -> String {
        let token: String = uuid::Uuid::new_v4().simple().to_string().chars().take(16).collect();
        let expires = std::time::Instant::now() + std::time::Duration::from_secs(ttl_secs);
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.retain(|_, s| s.expires > std::time::Instant::now());
        tokens.insert(token.clone(), Signed { sandbox_id: sandbox_id.into(), port, expires });
        token
    }

    /// The sandbox a live token opens `port` of.
    pub fn resolve(&self, token: &str, port: u16) -> Option<String> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.get(token).filter(|s| s.port == port && s.expires > std::time::Instant::now()).map(|s| s.sandbox_id.clone())
    }

    /// Ends a token of `sandbox_id` for `port`; false if there was none.
    pub fn expire(&self, sandbox_id: &str, port: u16, token: &str) -> bool {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let ours = tokens.get(token).is_some_and(|s| s.sandbox_id == sandbox_id && s.port == port);
        ours && tokens.remove(token).is_some()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signed_tokens_open_one_port_until_expired() {
        let urls = super::SignedUrls::default();
        let t = urls.issue("sb", 3000, 60);
        assert!(t.len() == 16 && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_eq!(urls.resolve(&t, 3000).as_deref(), Some("sb"));
        assert_eq!(urls.resolve(&t, 3001), None);
        assert!(!urls.expire("other", 3000, &t));
        assert!(urls.expire("sb", 3000, &t));
        assert_eq!(urls.resolve(&t, 3000), None);
        let gone = urls.issue("sb", 1, 0);
        assert_eq!(urls.resolve(&gone, 1), None, "a zero TTL is already expired");
    }
}
