use std::cell::Cell;
use std::rc::Rc;

use daytona_core::transport::LocalBoxFuture;
use daytona_core::{HttpRequest, HttpResponse, HttpTransport, TransportError};
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
}

/// HTTP over the runtime's global `fetch`, with the request deadline as an `AbortController`
/// timer that covers the body too and is always cleared, so no timer outlives a request.
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

async fn round_trip(req: HttpRequest, signal: Option<web_sys::AbortSignal>) -> Result<HttpResponse, JsValue> {
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    let headers = Headers::new()?;
    for (k, v) in &req.headers {
        headers.append(k, v)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    if let Some(signal) = &signal {
        init.set_signal(Some(signal));
    }
    let resp: Response = JsFuture::from(global_fetch(&req.url, &init)).await?.dyn_into()?;
    let mut out_headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&resp.headers()) {
        for entry in iter.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out_headers.push((k, v));
            }
        }
    }
    let body = Uint8Array::new(&JsFuture::from(resp.array_buffer()?).await?).to_vec();
    Ok(HttpResponse { status: resp.status(), headers: out_headers, body })
}

impl HttpTransport for FetchTransport {
    fn send(&self, req: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let deadline = req.timeout_ms;
            let fired = Rc::new(Cell::new(false));
            let (signal, timer) = match deadline {
                Some(ms) => {
                    let ctrl = AbortController::new().map_err(|e| TransportError::Network(describe(&e)))?;
                    let signal = ctrl.signal();
                    let flag = fired.clone();
                    let on_timeout = Closure::once(move || {
                        flag.set(true);
                        ctrl.abort();
                    });
                    let id = super::set_timeout(on_timeout.as_ref().unchecked_ref(), ms as f64);
                    (Some(signal), Some((id, on_timeout)))
                }
                None => (None, None),
            };
            let result = round_trip(req, signal).await;
            if let Some((id, _closure)) = timer {
                super::clear_timeout(&id);
            }
            result.map_err(|e| {
                if fired.get() {
                    TransportError::Timeout(deadline.unwrap_or_default())
                } else {
                    TransportError::Network(describe(&e))
                }
            })
        })
    }
}
