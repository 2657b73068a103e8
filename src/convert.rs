//! JS ⇄ Rust value conversion with one policy: maps become plain objects, absent fields
//! become `undefined`, and `undefined`/`null` arguments mean "not given".

use daytona_core::{Error, Json};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::errors::JsResult;

pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    // Our own DTOs always serialize; fall back to undefined rather than panic.
    v.serialize(&ser).unwrap_or(JsValue::UNDEFINED)
}

/// [`to_js`] with `None` as `null`: for answers the official SDK passes on from the server's
/// JSON as they are, nulls included.
pub fn to_js_nulls<T: Serialize + ?Sized>(v: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    v.serialize(&ser).unwrap_or(JsValue::UNDEFINED)
}

/// An answer handed on as the server sent it, parsed by JS itself (no Rust decoder).
pub fn parse(json: Json) -> JsResult<JsValue> {
    js_sys::JSON::parse(&String::from_utf8_lossy(&json.0)).map_err(|_| Error::Other("failed to decode response: not JSON".into()).into())
}

/// Parameters as JSON, written by JS itself: they go to the API as they are.
pub fn json_body(params: &JsValue) -> JsResult<Json> {
    let text = js_sys::JSON::stringify(params).ok().and_then(|s| s.as_string()).filter(|_| params.is_object());
    Ok(Json(text.ok_or_else(|| Error::InvalidArgument("parameters must be an object".into()))?.into_bytes()))
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// A query string (`?a=1&b=x`, or nothing) of those of `keys` (comma-separated) set in
    /// `options`: written by JS itself, so no Rust reads the options.
    #[wasm_bindgen(js_name = __query)]
    pub fn query(options: &JsValue, keys: &str) -> String;
}

/// `undefined`/`null` → `None`; anything else must deserialize as `T`.
pub fn opt_from_js<T: DeserializeOwned>(v: JsValue) -> JsResult<Option<T>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    Ok(Some(serde_wasm_bindgen::from_value(v)?))
}

/// Like [`opt_from_js`], defaulting when not given.
pub fn from_js<T: DeserializeOwned + Default>(v: JsValue) -> JsResult<T> {
    Ok(opt_from_js(v)?.unwrap_or_default())
}
