//! Bindings to what every JS runtime has: global `fetch`, `setTimeout`, and (in Node-like
//! runtimes only) `process.env`. Never `window`: it does not exist in Node or Workers.

mod clock;
mod env;
mod fetch;
mod local_files;
mod node_types;
mod websocket;

pub use clock::JsClock;
pub use env::env_var;
pub use fetch::FetchTransport;
pub use local_files::JsLocalFiles;
pub use node_types::{host_bytes, host_stream};
pub use websocket::JsWebSockets;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}
