use std::cell::Cell;
use std::rc::Rc;

use daytona_core::transport::{Body, ByteStream, FormValue, LocalBoxFuture, Signal, StreamingResponse};
use daytona_core::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, ReadableStreamDefaultReader, RequestInit, Response};

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// The global `fetch`, stopped by the caller's signal too, and with forms of local files
    /// streamed in Node (see `__fetch`).
    #[wasm_bindgen(js_name = __fetch)]
    fn global_fetch(url: &str, init: &RequestInit, parts: Option<js_sys::Array>, signal: Option<JsValue>) -> Promise;
}

/// HTTP over the runtime's global `fetch`. A request's deadline is an `AbortController`
/// timer that also covers reading the body, and is always cleared, so no timer outlives a
/// request.
pub struct FetchTransport;

/// The message of a rejected fetch, with its `cause` (Node puts ECONNREFUSED there).
fn describe(err: &JsValue) -> String {
    let text = |v: &JsValue| Reflect::get(v, &"message".into()).ok().and_then(|m| m.as_string());
    let msg = text(err).or_else(|| err.as_string()).unwrap_or_else(|| "network error".into());
    match Reflect::get(err, &"cause".into()).ok().filter(|c| c.is_object()).and_then(|c| text(&c)) {
        Some(cause) => format!("{msg}: {cause}"),
        None => msg,
    }
}

/// Aborts the request when the deadline passes; clears its timer when dropped.
struct Deadline {
    ms: u64,
    fired: Rc<Cell<bool>>,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(ms: u64, ctrl: AbortController) -> Self {
        let fired = Rc::new(Cell::new(false));
        let flag = fired.clone();
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            ctrl.abort();
        });
        let timer = super::set_timeout(on_timeout.as_ref().unchecked_ref(), ms as f64);
        Deadline { ms, fired, timer, _on_timeout: on_timeout }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        super::clear_timeout(&self.timer);
    }
}

/// Maps a JS failure: the caller's abort is an abort, our own a timeout, anything else a
/// network error.
fn transport_error(e: &JsValue, deadline: &Option<Deadline>, signal: &Option<JsValue>) -> TransportError {
    match deadline {
        _ if signal.as_ref().is_some_and(aborted) => TransportError::Aborted,
        Some(d) if d.fired.get() => TransportError::Timeout(d.ms),
        _ => TransportError::Network(describe(e)),
    }
}

/// The caller's `AbortSignal`, if the request carries one.
fn signal_of(req: &HttpRequest) -> Option<JsValue> {
    req.signal.as_ref().and_then(js_signal).cloned()
}

/// The JS `AbortSignal` a core [`Signal`] holds (the facade only ever puts one there).
pub fn js_signal(signal: &Signal) -> Option<&JsValue> {
    signal.0.downcast_ref::<JsValue>()
}

/// Whether an `AbortSignal` (or anything else passed as one) has aborted.
pub fn aborted(signal: &JsValue) -> bool {
    Reflect::get(signal, &"aborted".into()).ok().and_then(|a| a.as_bool()) == Some(true)
}

fn build_init(req: &HttpRequest, deadline_ms: Option<u64>) -> Result<(RequestInit, Option<Array>, Option<Deadline>), JsValue> {
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    let headers = Headers::new()?;
    for (k, v) in &req.headers {
        headers.append(k, v)?;
    }
    init.set_headers(&headers);
    let mut form = None;
    match &req.body {
        Body::Empty => {}
        Body::Bytes(b) => init.set_body(&Uint8Array::from(b.as_slice())),
        // `[name, filename, value]` each: JS writes the multipart framing (`__fetch`).
        Body::Form(parts) => {
            let list = Array::new();
            for p in parts {
                let value = match &p.value {
                    FormValue::Text(t) => JsValue::from_str(t),
                    FormValue::Bytes(b) => Uint8Array::from(b.as_slice()).into(),
                    FormValue::Opaque(v) => v.downcast_ref::<JsValue>().ok_or_else(|| JsValue::from_str("form value is not a JS value"))?.clone(),
                };
                list.push(&Array::of3(&JsValue::from_str(&p.name), &p.filename.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str), &value));
            }
            form = Some(list);
        }
    }
    let deadline = match deadline_ms {
        Some(ms) => {
            let ctrl = AbortController::new()?;
            init.set_signal(Some(&ctrl.signal()));
            Some(Deadline::start(ms, ctrl))
        }
        None => None,
    };
    Ok((init, form, deadline))
}

/// A success carries only the headers the core reads on success, `content-type` and (object
/// storage's part uploads) `etag`: each header is several calls across the JS boundary. An
/// error carries all of them, as they become the error's `headers`.
fn response_headers(resp: &Response) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if resp.ok() {
        for name in ["content-type", "etag"] {
            out.extend(resp.headers().get(name).ok().flatten().map(|v| (name.to_string(), v)));
        }
    } else if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for entry in iter.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
    }
    out
}

/// Sends the request; the deadline (if any) is returned so it keeps running while the body
/// is read.
async fn start(req: HttpRequest) -> Result<(Response, Option<Deadline>, Option<JsValue>), TransportError> {
    let signal = signal_of(&req);
    if signal.as_ref().is_some_and(aborted) {
        return Err(TransportError::Aborted);
    }
    let (init, form, deadline) = build_init(&req, req.timeout_ms).map_err(|e| TransportError::Network(describe(&e)))?;
    match JsFuture::from(global_fetch(&req.url, &init, form, signal.clone())).await {
        Ok(resp) => Ok((resp.unchecked_into(), deadline, signal)),
        Err(e) => Err(transport_error(&e, &deadline, &signal)),
    }
}

/// A response body read through its stream reader; cancels the read when dropped early.
struct JsBodyStream {
    reader: Option<ReadableStreamDefaultReader>,
    deadline: Option<Deadline>,
    signal: Option<JsValue>,
}

impl ByteStream for JsBodyStream {
    fn next_chunk(&mut self) -> LocalBoxFuture<'_, Option<Result<Vec<u8>, TransportError>>> {
        Box::pin(async move {
            let reader = self.reader.as_ref()?;
            match JsFuture::from(reader.read()).await {
                Ok(result) => {
                    if Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
                        self.reader = None;
                        self.deadline = None;
                        return None;
                    }
                    let value = Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED);
                    Some(Ok(Uint8Array::new(&value).to_vec()))
                }
                Err(e) => {
                    self.reader = None;
                    Some(Err(transport_error(&e, &self.deadline, &self.signal)))
                }
            }
        })
    }
}

impl Drop for JsBodyStream {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.cancel();
        }
    }
}

impl HttpTransport for FetchTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let (resp, deadline, signal) = start(req).await?;
            let status = resp.status();
            let headers = response_headers(&resp);
            let buffer = resp.array_buffer().map_err(|e| TransportError::Network(describe(&e)))?;
            let body = JsFuture::from(buffer).await.map_err(|e| transport_error(&e, &deadline, &signal))?;
            Ok(HttpResponse { status, headers, body: Uint8Array::new(&body).to_vec() })
        })
    }

    fn send_streaming(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<StreamingResponse, TransportError>> {
        Box::pin(async move {
            let (resp, deadline, signal) = start(req).await?;
            let reader = resp.body().map(|body| body.get_reader().unchecked_into::<ReadableStreamDefaultReader>());
            Ok(StreamingResponse { status: resp.status(), headers: response_headers(&resp), body: Box::new(JsBodyStream { reader, deadline, signal }) })
        })
    }
}
