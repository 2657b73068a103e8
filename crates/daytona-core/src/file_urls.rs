//! `sandbox.downloadUrl`, `uploadUrl` and `rotateSigningKey`: file URLs that work with no
//! other credential, signed here with the sandbox's signing key.

use daytona_types::file_urls::signature;

use crate::context::decode;
use crate::endpoints::{query, segment};
use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;
use crate::transport::{HttpRequest, HttpResponse, Method};

/// How long a fetched key is used before it is asked again, as the official SDK does.
const KEY_FRESH_MS: f64 = 15_000.0;
const DEFAULT_TTL_S: f64 = 3600.0;

/// The key is the body: a JSON string, or bare text.
fn key_of(resp: &HttpResponse) -> Result<String> {
    if resp.body.first() == Some(&b'"') {
        return decode(&resp.body);
    }
    Ok(String::from_utf8_lossy(&resp.body).trim().to_string())
}

impl SandboxClient {
    async fn fetch_signing_key(&self, rotate: bool) -> Result<String> {
        let suffix = if rotate { "/rotate" } else { "" };
        let method = if rotate { Method::Post } else { Method::Get };
        let url = format!("{}/sandbox/{}/signing-key{suffix}", self.ctx().api_url(), segment(self.dto().id()));
        let key = key_of(&self.ctx().send(HttpRequest::new(method, url)).await?)?;
        *self.signing_key.borrow_mut() = Some((key.clone(), self.ctx().clock().now_ms()));
        Ok(key)
    }

    /// A URL that does `(route, method)` (`file_urls::DOWNLOAD` or `UPLOAD`) on `path` until
    /// `ttl_s` seconds from now (default an hour; 0 or less: never expires).
    pub async fn signed_file_url(&self, (route, method): (&str, &str), path: &str, ttl_s: Option<f64>) -> Result<String> {
        let cached = self.signing_key.borrow().clone().filter(|(_, at)| self.ctx().clock().now_ms() - at <= KEY_FRESH_MS);
        let key = match cached {
            Some((key, _)) => key,
            None => self.fetch_signing_key(false).await?,
        };
        let now_s = (self.ctx().clock().now_ms() / 1000.0).floor();
        let expires = match ttl_s.unwrap_or(DEFAULT_TTL_S) {
            t if !t.is_finite() => return Err(Error::Other("ttlSeconds must be a finite number".into())),
            t if t <= 0.0 => 0,
            t => (now_s + t.floor()) as u64,
        };
        let q = query([("path", Some(path.to_string())), ("expires", Some(expires.to_string())), ("signature", Some(signature(&key, method, path, expires)))]);
        let dto = self.dto();
        Ok(format!("{}/{}{route}{q}", dto.toolbox_proxy_url().trim_end_matches('/'), dto.id()))
    }

    /// A new signing key: URLs signed earlier stop working.
    pub async fn rotate_signing_key(&self) -> Result<()> {
        self.fetch_signing_key(true).await.map(drop)
    }
}
