//! JS ⇄ Rust values through JSON text, which JS writes and parses itself, so the wasm needs no
//! second encoding of each type. `undefined`/`null` arguments mean "not given"; arguments are
//! read by `daytona_core::args`.

use daytona_core::args::{field, FromArg};
use daytona_core::{Error, Json};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::errors::JsResult;

/// A value as JS's own `JSON.parse` makes it from our JSON (the serializer the request bodies
/// need anyway): a `None` the type does not skip is `null`.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    // Our own DTOs always serialize; fall back to undefined rather than panic.
    serde_json::to_string(v).ok().and_then(|s| js_sys::JSON::parse(&s).ok()).unwrap_or(JsValue::UNDEFINED)
}

/// A field as the server sent it: scalars directly (getters are read often), objects and
/// lists through [`to_js`].
pub fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => n.as_f64().map_or(JsValue::UNDEFINED, JsValue::from_f64),
        Value::String(s) => JsValue::from_str(s),
        _ => to_js(v),
    }
}

/// An answer handed on as the server sent it, parsed by JS itself (no Rust decoder).
pub fn parse(json: Json) -> JsResult<JsValue> {
    js_sys::JSON::parse(&String::from_utf8_lossy(&json.0)).map_err(|_| Error::Other("failed to decode response: not JSON".into()).into())
}

/// Parameters as JSON, written by JS itself: they go to the API as they are.
pub fn json_body(params: &JsValue) -> JsResult<Json> {
    let text = json_arg(params).filter(|_| params.is_object());
    Ok(Json(text.ok_or_else(|| Error::InvalidArgument("parameters must be an object".into()))?.into_bytes()))
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// A query string (`?a=1&b=x`, or nothing) of those of `keys` (comma-separated) set in
    /// `options`: written by JS itself, so no Rust reads the options.
    #[wasm_bindgen(js_name = __query)]
    pub fn query(options: &JsValue, keys: &str) -> String;
    /// An argument as JSON text (non-finite numbers as strings, so they fail as the wrong
    /// type rather than pass as `null`); `undefined` when it has none (a BigInt, a cycle).
    #[wasm_bindgen(js_name = __jsonArg)]
    fn json_arg(v: &JsValue) -> Option<String>;
}

/// `undefined`/`null` → `None`; anything else is read as `T` from the JSON JS writes of it
/// (`name` is the parameter, for errors).
pub fn opt_from_js<T: FromArg>(v: JsValue, name: &str) -> JsResult<Option<T>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let value = json_arg(&v).and_then(|text| serde_json::from_slice::<Value>(text.as_bytes()).ok());
    let value = value.ok_or_else(|| Error::InvalidArgument(format!("invalid argument: `{name}` cannot be written as JSON")))?;
    Ok(Some(T::from_arg(&value, name)?))
}

/// The one field `key` of the optional object argument `v` (named `name`).
pub fn field_of<T: FromArg>(v: JsValue, name: &str, key: &str) -> JsResult<Option<T>> {
    match opt_from_js::<Value>(v, name)? {
        Some(o) => Ok(field(&o, name, key)?),
        None => Ok(None),
    }
}

/// Like [`opt_from_js`], defaulting when not given.
pub fn from_js<T: FromArg + Default>(v: JsValue, name: &str) -> JsResult<T> {
    Ok(opt_from_js(v, name)?.unwrap_or_default())
}
