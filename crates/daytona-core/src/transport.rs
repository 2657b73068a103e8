//! What the core needs from the outside world: an HTTP round trip and a clock.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::call::Json;

/// A boxed future that need not be `Send` (wasm futures never are).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A `multipart/form-data` field.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub value: FormValue,
}

/// A field's value. `Opaque` is data the core never reads (a JS `Blob`, say): only the
/// transport that made it knows how to send it, so big uploads never pass through the core.
#[derive(Clone)]
pub enum FormValue {
    Text(String),
    Bytes(Vec<u8>),
    Opaque(Rc<dyn Any>),
}

impl std::fmt::Debug for FormValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormValue::Text(t) => write!(f, "Text({t:?})"),
            FormValue::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            FormValue::Opaque(_) => write!(f, "Opaque"),
        }
    }
}

impl PartialEq for FormValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FormValue::Text(a), FormValue::Text(b)) => a == b,
            (FormValue::Bytes(a), FormValue::Bytes(b)) => a == b,
            (FormValue::Opaque(a), FormValue::Opaque(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Body {
    #[default]
    Empty,
    Bytes(Vec<u8>),
    /// Sent as `multipart/form-data`; the transport picks the boundary.
    Form(Vec<FormPart>),
}

impl Body {
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Body::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Client-side deadline for this request; `None` means none.
    pub timeout_ms: Option<u64>,
    /// Whether sending it twice does no more than sending it once: GETs, and the few POSTs
    /// that only read (bulk downloads). Such requests are retried after any failure.
    pub repeatable: bool,
    /// The caller's way to cancel the call this request belongs to, which only the transport
    /// reads (a JS `AbortSignal`); a cancelled request fails with [`TransportError::Aborted`].
    pub signal: Option<Signal>,
    /// How many bytes of a streamed answer the transport may read before handing them on (0:
    /// each chunk as it comes). A download read whole sets it: its part head, data and closing
    /// boundary arrive as separate network reads, each else a trip of its own into the wasm.
    pub read_ahead: u32,
}

/// An opaque cancellation handle (see [`HttpRequest::signal`]).
#[derive(Clone)]
pub struct Signal(pub Rc<dyn Any>);

impl std::fmt::Debug for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signal")
    }
}

impl PartialEq for Signal {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl HttpRequest {
    pub fn new(method: Method, url: String) -> Self {
        HttpRequest { method, url, headers: Vec::new(), body: Body::Empty, timeout_ms: None, repeatable: method == Method::Get, signal: None, read_ahead: 0 }
    }

    /// A request with a JSON body (`Content-Type: application/json`).
    pub fn json<T: serde::Serialize>(method: Method, url: String, body: &T) -> Self {
        // Serializing our own DTOs to a Vec cannot fail (no maps with non-string keys). Only
        // this line is compiled per body type; the rest is `with_json`'s, compiled once.
        Self::with_json(method, url, Json(serde_json::to_vec(body).unwrap_or_default()))
    }

    /// A request whose JSON body was written elsewhere (by JS's `JSON.stringify`, say).
    pub fn with_json(method: Method, url: String, body: Json) -> Self {
        let mut req = HttpRequest::new(method, url);
        req.body = Body::Bytes(body.0);
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
    /// All headers of an error answer; of a success, transports may give only
    /// `content-type` and `etag`, the ones the core reads there.
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
    /// No response: connection refused, DNS, CORS…
    #[error("{0}")]
    Network(String),
    /// The caller cancelled the call (its [`Signal`]).
    #[error("This operation was aborted")]
    Aborted,
}

/// A response body read chunk by chunk.
pub trait ByteStream {
    /// The next chunk, `None` at the end.
    fn next_chunk(&mut self) -> LocalBoxFuture<'_, Option<Result<Vec<u8>, TransportError>>>;
}

pub struct StreamingResponse {
    pub status: u16,
    /// As [`HttpResponse::headers`].
    pub headers: Vec<(String, String)>,
    pub body: Box<dyn ByteStream>,
}

impl From<HttpResponse> for StreamingResponse {
    fn from(resp: HttpResponse) -> Self {
        StreamingResponse { status: resp.status, headers: resp.headers, body: Box::new(OneChunk(Some(resp.body))) }
    }
}

impl StreamingResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Reads the rest of the body (for error answers, which are small).
    pub async fn collect(mut self) -> Result<HttpResponse, TransportError> {
        let mut body = Vec::new();
        while let Some(chunk) = self.body.next_chunk().await {
            body.extend(chunk?);
        }
        Ok(HttpResponse { status: self.status, headers: self.headers, body })
    }
}

/// A whole body handed out as one chunk.
struct OneChunk(Option<Vec<u8>>);

impl ByteStream for OneChunk {
    fn next_chunk(&mut self) -> LocalBoxFuture<'_, Option<Result<Vec<u8>, TransportError>>> {
        Box::pin(std::future::ready(self.0.take().map(Ok)))
    }
}

pub trait HttpTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Like `send`, but the body arrives in chunks. Transports that can stream override it.
    fn send_streaming(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move { Ok(self.send(req).await?.into()) })
    }
}

/// Time is injected: `std::time::Instant` panics on wasm32-unknown-unknown, and tests want a
/// clock they control.
pub trait Clock {
    fn now_ms(&self) -> f64;
    fn sleep(&self, ms: u64) -> LocalBoxFuture<'static, ()>;
}

/// A WebSocket message. `Close` is the peer's close (code, reason), always the last.
#[derive(Debug, Clone, PartialEq)]
pub enum WsMessage {
    Text(String),
    Binary(Payload),
    Close(Option<u16>, String),
}

/// Binary data: bytes of the core's own, or a buffer the host received (a JS `Uint8Array`),
/// left where it is until something reads it. A terminal's output goes to its caller as it
/// came, without a copy into the wasm and another out of it.
#[derive(Clone)]
pub enum Payload {
    Owned(Vec<u8>),
    Host(Rc<dyn HostBuffer>),
}

/// A buffer that the host holds: the core reads it only by copying it out.
pub trait HostBuffer {
    fn byte_len(&self) -> usize;
    fn to_vec(&self) -> Vec<u8>;
    /// What the transport that made it sees of it.
    fn as_any(&self) -> &dyn Any;
}

impl Payload {
    pub fn byte_len(&self) -> usize {
        match self {
            Payload::Owned(b) => b.len(),
            Payload::Host(h) => h.byte_len(),
        }
    }

    /// The bytes, copied out of the host's buffer if they are there.
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            Payload::Owned(b) => b,
            Payload::Host(h) => h.to_vec(),
        }
    }
}

impl From<Vec<u8>> for Payload {
    fn from(b: Vec<u8>) -> Self {
        Payload::Owned(b)
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Payload::Owned(b) => write!(f, "b\"{}\"", b.escape_ascii()),
            Payload::Host(h) => write!(f, "Host({} bytes)", h.byte_len()),
        }
    }
}

/// Equal bytes, wherever they are.
impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.clone().into_vec() == other.clone().into_vec()
    }
}

pub trait WsConnection {
    fn send(&self, msg: WsMessage) -> Result<(), TransportError>;
    /// The next message; `None` once the connection is gone (after its `Close`). Takes
    /// `&self` so one task can read while another sends.
    fn recv(&self) -> LocalBoxFuture<'_, Option<WsMessage>>;
    /// Closes our side (normal closure); the connection stays readable until the peer's close.
    fn close(&self);
}

/// Opens WebSockets. `url` is `ws(s)://…` with any auth already in it; the connection must
/// select one of `protocols` if any are offered. A connection opened with a call's `signal`
/// closes when it aborts.
pub trait WsConnector {
    fn connect(&self, url: String, protocols: Vec<String>, signal: Option<Signal>) -> LocalBoxFuture<'_, Result<Box<dyn WsConnection>, TransportError>>;
}
