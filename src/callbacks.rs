//! User callbacks: called with a value; a returned Promise is awaited before the next
//! call, which is the back-pressure the TypeScript types promise.

use daytona_core::transport::LocalBoxFuture;
use daytona_core::{Error, Result};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[derive(Clone)]
pub struct JsCallback(js_sys::Function);

impl JsCallback {
    /// A callback from an optional JS value (`undefined`/`null` → none).
    pub fn from_js(v: JsValue) -> Option<JsCallback> {
        v.dyn_into::<js_sys::Function>().ok().map(JsCallback)
    }

    /// The `key` property of `obj`, if it is a function.
    pub fn property(obj: &JsValue, key: &str) -> Option<JsCallback> {
        js_sys::Reflect::get(obj, &key.into()).ok().and_then(JsCallback::from_js)
    }

    /// Calls without waiting for a returned Promise, ignoring what the callback throws
    /// (log lines, which the official SDK hands over the same way).
    pub fn call_now(&self, arg: &JsValue) {
        let _ = self.0.call1(&JsValue::UNDEFINED, arg);
    }

    pub async fn call(&self, arg: &JsValue) -> Result<()> {
        let ret = self.0.call1(&JsValue::UNDEFINED, arg).map_err(|e| Error::Other(format!("callback threw: {}", describe(&e))))?;
        if let Ok(p) = ret.dyn_into::<js_sys::Promise>() {
            JsFuture::from(p).await.map_err(|e| Error::Other(format!("callback rejected: {}", describe(&e))))?;
        }
        Ok(())
    }
}

fn describe(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "error".into())
}

/// Calls an optional callback; a missing one is a no-op.
pub fn call_opt<'a>(cb: &'a Option<JsCallback>, arg: JsValue) -> LocalBoxFuture<'a, Result<()>> {
    Box::pin(async move {
        match cb {
            Some(cb) => cb.call(&arg).await,
            None => Ok(()),
        }
    })
}
