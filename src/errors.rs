//! Core errors → instances of the JS classes in `js/runtime.js`.

use daytona_core::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = createDaytonaError)]
    fn create_daytona_error(message: &str, status: u16, headers: JsValue, code: Option<String>, source: Option<String>) -> JsValue;
    #[wasm_bindgen(js_name = __createLocalError)]
    fn create_local_error(kind: &str, message: &str) -> JsValue;
}

/// A rejected value: always a `DaytonaError` subclass instance.
pub struct JsErr(JsValue);

pub type JsResult<T> = Result<T, JsErr>;

impl JsErr {
    /// A rejection that already is a JS value (thrown by our JS glue or user callbacks).
    pub fn from_js(v: JsValue) -> Self {
        JsErr(v)
    }
}

impl From<Error> for JsErr {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Api { status, message, code, origin, headers } => {
                let h = js_sys::Object::new();
                for (k, v) in headers {
                    let _ = js_sys::Reflect::set(&h, &k.to_ascii_lowercase().into(), &v.into());
                }
                return JsErr(create_daytona_error(message, *status, h.into(), code.clone(), origin.clone()));
            }
            Error::InvalidArgument(_) => "invalidArgument",
            Error::Authentication(_) => "authentication",
            Error::Timeout(_) => "timeout",
            Error::Connection(_) => "connection",
            Error::ConnectionTimeout(_) => "connectionTimeout",
            Error::NotFound(_) => "notFound",
            Error::Aborted => "aborted",
            _ => "other",
        };
        JsErr(create_local_error(kind, &e.to_string()))
    }
}

impl From<JsErr> for JsValue {
    fn from(e: JsErr) -> Self {
        e.0
    }
}
