//! The bridge from Rust to JS promises, shared by every async method.
//!
//! `#[wasm_bindgen] async fn` compiles the executor glue and a state machine per method.
//! Most methods are one request and a reader of its answer (a [`Call`]): they are plain
//! functions that hand the call to [`call`], whose one future serves them all.

use std::future::Future;
use std::pin::Pin;

use daytona_core::transport::Signal;
use daytona_core::{Call, Json};
use js_sys::Promise;
use wasm_bindgen::JsValue;

use crate::convert::parse;
use crate::errors::{JsErr, JsResult};

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = __raceAbort)]
    fn race_abort(promise: &Promise, signal: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = __signalOf, catch)]
    fn signal_of(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// The `signal` of a call's options, if it has one (an `AbortSignal`).
fn signal(options: &JsValue) -> JsResult<Option<JsValue>> {
    let s = signal_of(options).map_err(JsErr::from_js)?;
    Ok((!s.is_undefined()).then_some(s))
}

/// A client for one call with these options, and the options' `signal`: `with_signal` gives
/// the client whose requests carry it.
pub fn for_call<C: Clone>(client: &C, options: &JsValue, with_signal: impl Fn(&C, Signal) -> C) -> JsResult<(C, Option<JsValue>)> {
    let signal = signal(options)?;
    let client = match &signal {
        Some(s) => with_signal(client, Signal(std::rc::Rc::new(s.clone()))),
        None => client.clone(),
    };
    Ok((client, signal))
}

/// [`abortable`] run on the client [`for_call`] gives: the shape of every call that takes
/// an `AbortSignal` in its options.
pub fn cancellable<C: Clone, T: Resolved, F: Future<Output = JsResult<T>> + 'static>(
    client: &C,
    options: &JsValue,
    with_signal: impl Fn(&C, Signal) -> C,
    work: impl FnOnce(C) -> F,
) -> Promise {
    match for_call(client, options, with_signal) {
        Ok((client, signal)) => abortable(signal, work(client)),
        Err(e) => Promise::reject(&e.into()),
    }
}

/// [`abortable`] by the `signal` of a call's options, for work that sends no request.
pub fn abortable_by<T: Resolved>(options: &JsValue, f: impl Future<Output = JsResult<T>> + 'static) -> Promise {
    match signal(options) {
        Ok(signal) => abortable(signal, f),
        Err(e) => Promise::reject(&e.into()),
    }
}

/// [`promise`], rejected with an `AbortError` as soon as `signal` aborts (the work behind it
/// stops too: its requests carry the signal).
pub fn abortable<T: Resolved>(signal: Option<JsValue>, f: impl Future<Output = JsResult<T>> + 'static) -> Promise {
    let p = promise(f);
    match signal {
        Some(s) => race_abort(&p, &s),
        None => p,
    }
}

/// Sends `c` and resolves to what its reader makes of the answer.
pub fn call<T: Resolved + 'static>(c: Call<T>) -> Promise {
    let (ctx, req, read) = c.into_parts();
    promise(async move { Ok(read(ctx.send(req).await?)?) })
}

/// [`call`] for a call whose arguments may not have converted: a rejection if they did not.
pub fn try_call<T: Resolved + 'static>(c: JsResult<Call<T>>) -> Promise {
    match c {
        Ok(c) => call(c),
        Err(e) => Promise::reject(&e.into()),
    }
}

/// A promise already settled with `r`: for methods the official SDK makes async whose work is
/// done at once (no future, no executor round).
pub fn settled<T: Resolved>(r: JsResult<T>) -> Promise {
    match r.and_then(Resolved::into_js) {
        Ok(v) => Promise::resolve(&v),
        Err(e) => Promise::reject(&e.into()),
    }
}

/// A promise of what `f` resolves to; it rejects with the error's JS value.
pub fn promise<T: Resolved>(f: impl Future<Output = JsResult<T>> + 'static) -> Promise {
    spawn(Box::pin(async move { f.await.and_then(Resolved::into_js).map_err(JsValue::from) }))
}

/// Not generic, so the executor glue behind it is compiled once.
fn spawn(f: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(f)
}

/// What a promise can resolve to.
pub trait Resolved {
    fn into_js(self) -> JsResult<JsValue>;
}

impl Resolved for () {
    fn into_js(self) -> JsResult<JsValue> {
        Ok(JsValue::UNDEFINED)
    }
}

impl Resolved for Json {
    fn into_js(self) -> JsResult<JsValue> {
        parse(self)
    }
}

/// Types that already convert (a blanket impl would collide with `()`'s).
macro_rules! resolved_as_into {
    ($($t:ty),*) => {$(
        impl Resolved for $t {
            fn into_js(self) -> JsResult<JsValue> {
                Ok(self.into())
            }
        }
    )*};
}

resolved_as_into!(JsValue, String, bool, Option<String>, Option<f64>, crate::sandbox::Sandbox, crate::lsp_server::LspServer, crate::pty_handle::PtyHandle);
