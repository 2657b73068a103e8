use daytona_core::transport::{Body, ByteStream, FormValue, LocalBoxFuture, Signal, StreamingResponse};
use daytona_core::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// One exchange through the global `fetch`, deadline and signal included (see `__send`):
    /// a call per request across the boundary rather than one per header, timer and read.
    #[wasm_bindgen(js_name = __send)]
    #[allow(clippy::too_many_arguments)]
    fn js_send(
        method: &str,
        url: &str,
        headers: &str,
        body: JsValue,
        parts: Option<Array>,
        signal: Option<JsValue>,
        timeout_ms: f64,
        stream: bool,
        read_ahead: u32,
    ) -> Promise;

    /// A streamed answer's body: `next()` resolves to `[chunks, ended]`.
    type JsChunks;
    #[wasm_bindgen(method)]
    fn next(this: &JsChunks) -> Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &JsChunks);
}

/// HTTP over the runtime's global `fetch`. A request's deadline is a timer in `__send` that
/// also covers reading the body, and is always cleared, so no timer outlives a request.
pub struct FetchTransport;

/// The JS `AbortSignal` a core [`Signal`] holds (the facade only ever puts one there).
pub fn js_signal(signal: &Signal) -> Option<&JsValue> {
    signal.0.downcast_ref::<JsValue>()
}

/// Whether an `AbortSignal` (or anything else passed as one) has aborted.
pub fn aborted(signal: &JsValue) -> bool {
    Reflect::get(signal, &"aborted".into()).ok().and_then(|a| a.as_bool()) == Some(true)
}

/// What `__send` rejects with: the caller's abort, the request's deadline, or the network.
fn failure(e: &JsValue, timeout_ms: Option<u64>) -> TransportError {
    let field = |k: &str| Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string());
    match field("kind").as_deref() {
        Some("aborted") => TransportError::Aborted,
        Some("timeout") => TransportError::Timeout(timeout_ms.unwrap_or_default()),
        _ => TransportError::Network(field("message").unwrap_or_else(|| "network error".into())),
    }
}

/// Names and values joined by NUL, the one byte no header can hold: a header that does is
/// refused here, as `fetch` would refuse it, rather than split.
fn joined_headers(headers: &[(String, String)]) -> Result<String, TransportError> {
    let mut out = String::new();
    for (k, v) in headers {
        if k.contains('\0') || v.contains('\0') {
            return Err(TransportError::Network(format!("header {k} holds a NUL byte, which fetch refuses")));
        }
        if !out.is_empty() {
            out.push('\0');
        }
        out.extend([k.as_str(), "\0", v.as_str()]);
    }
    Ok(out)
}

fn split_headers(joined: &str) -> Vec<(String, String)> {
    if joined.is_empty() {
        return Vec::new();
    }
    let mut parts = joined.split('\0');
    std::iter::from_fn(|| Some((parts.next()?.to_string(), parts.next()?.to_string()))).collect()
}

/// The body as `fetch` takes it, or a form's `[name, filename, value]` parts (JS writes the
/// multipart framing).
fn js_body(body: &Body) -> Result<(JsValue, Option<Array>), TransportError> {
    let parts = match body {
        Body::Empty => return Ok((JsValue::UNDEFINED, None)),
        Body::Bytes(b) => return Ok((Uint8Array::from(b.as_slice()).into(), None)),
        Body::Form(parts) => parts,
    };
    let list = Array::new();
    for p in parts {
        let value = match &p.value {
            FormValue::Text(t) => JsValue::from_str(t),
            FormValue::Bytes(b) => Uint8Array::from(b.as_slice()).into(),
            FormValue::Opaque(v) => v.downcast_ref::<JsValue>().ok_or_else(|| TransportError::Network("form value is not a JS value".into()))?.clone(),
        };
        list.push(&Array::of3(&JsValue::from_str(&p.name), &p.filename.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str), &value));
    }
    Ok((JsValue::UNDEFINED, Some(list)))
}

/// Sends `req`: the answer as `__send` gives it (status, headers, body, and for a stream the
/// chunks already read and whether they were all).
async fn exchange(req: HttpRequest, stream: bool) -> Result<Array, TransportError> {
    let (body, parts) = js_body(&req.body)?;
    let signal = req.signal.as_ref().and_then(js_signal).cloned();
    let sent = js_send(
        req.method.as_str(),
        &req.url,
        &joined_headers(&req.headers)?,
        body,
        parts,
        signal,
        req.timeout_ms.unwrap_or_default() as f64,
        stream,
        req.read_ahead,
    );
    Ok(JsFuture::from(sent).await.map_err(|e| failure(&e, req.timeout_ms))?.unchecked_into())
}

fn status_and_headers(answer: &Array) -> (u16, Vec<(String, String)>) {
    (answer.get(0).as_f64().unwrap_or_default() as u16, split_headers(&answer.get(1).as_string().unwrap_or_default()))
}

/// Chunks read in JS, as one buffer.
fn joined(chunks: &Array) -> Vec<u8> {
    let parts: Vec<Uint8Array> = chunks.iter().map(JsCast::unchecked_into).collect();
    let mut out = vec![0; parts.iter().map(|p| p.length() as usize).sum()];
    let mut at = 0;
    for p in parts {
        let end = at + p.length() as usize;
        p.copy_to(&mut out[at..end]);
        at = end;
    }
    out
}

/// A streamed body read through `__send`'s reader; cancelled when dropped before its end.
struct JsBodyStream {
    chunks: Option<JsChunks>,
    /// What `__send` read already, not yet handed on.
    first: Option<Array>,
    timeout_ms: Option<u64>,
}

impl ByteStream for JsBodyStream {
    fn next_chunk(&mut self) -> LocalBoxFuture<'_, Option<Result<Vec<u8>, TransportError>>> {
        Box::pin(async move {
            if let Some(first) = self.first.take().filter(|c| c.length() > 0) {
                return Some(Ok(joined(&first)));
            }
            // `next()` gives `[chunks, ended]`; no chunks only at the end.
            loop {
                let read: Array = match JsFuture::from(self.chunks.as_ref()?.next()).await {
                    Ok(read) => read.unchecked_into(),
                    Err(e) => {
                        self.chunks = None;
                        return Some(Err(failure(&e, self.timeout_ms)));
                    }
                };
                if read.get(1).is_truthy() {
                    // Its end was read: nothing left to cancel.
                    self.chunks = None;
                }
                let chunks: Array = read.get(0).unchecked_into();
                if chunks.length() > 0 {
                    return Some(Ok(joined(&chunks)));
                }
            }
        })
    }
}

impl Drop for JsBodyStream {
    fn drop(&mut self) {
        if let Some(chunks) = self.chunks.take() {
            chunks.cancel();
        }
    }
}

impl HttpTransport for FetchTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let answer = exchange(req, false).await?;
            let (status, headers) = status_and_headers(&answer);
            Ok(HttpResponse { status, headers, body: Uint8Array::new(&answer.get(2)).to_vec() })
        })
    }

    fn send_streaming(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let timeout_ms = req.timeout_ms;
            let answer = exchange(req, true).await?;
            let (status, headers) = status_and_headers(&answer);
            // `__send` may have read the whole body already (`answer[4]`): then there is no
            // reader left to call or cancel.
            let chunks = (!answer.get(4).is_truthy()).then(|| answer.get(2).unchecked_into());
            Ok(StreamingResponse { status, headers, body: Box::new(JsBodyStream { chunks, first: Some(answer.get(3).unchecked_into()), timeout_ms }) })
        })
    }
}
