//! What the core needs from the outside world: an HTTP round trip and a clock.

use std::future::Future;
use std::pin::Pin;

/// A boxed future that need not be `Send` (wasm futures never are).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Client-side deadline for this request; `None` means none.
    pub timeout_ms: Option<u64>,
}

impl HttpRequest {
    pub fn new(method: Method, url: String) -> Self {
        HttpRequest { method, url, headers: Vec::new(), body: None, timeout_ms: None }
    }

    /// A request with a JSON body (`Content-Type: application/json`).
    pub fn json<T: serde::Serialize>(method: Method, url: String, body: &T) -> Self {
        let mut req = HttpRequest::new(method, url);
        // Serializing our own DTOs to a Vec cannot fail (no maps with non-string keys).
        req.body = Some(serde_json::to_vec(body).unwrap_or_default());
        req.headers.push(("Content-Type".into(), "application/json".into()));
        req
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransportError {
    /// The request's own deadline passed before a response arrived.
    #[error("HTTP request timed out after {0}ms waiting for a response")]
    Timeout(u64),
    /// No response: connection refused, DNS, CORS, aborted…
    #[error("{0}")]
    Network(String),
}

pub trait HttpTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// Time is injected: `std::time::Instant` panics on wasm32-unknown-unknown, and tests want a
/// clock they control.
pub trait Clock {
    fn now_ms(&self) -> f64;
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
}
