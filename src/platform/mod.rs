//! Bindings to what every JS runtime has: global `fetch`, `setTimeout`, and (in Node-like
//! runtimes only) `process.env`. Never `window`: it does not exist in Node or Workers.
//!
//! Written on web-sys rather than gloo-net, checked against gloo-net 0.7.0's source: its
//! fetch does use the global `fetch`, but a streamed body, deadlines and Node's error
//! `cause` would still be ours, and an invalid header throws instead of failing. Its
//! WebSocket cannot serve every runtime we support: it sends binary frames as `Blob`s,
//! which workerd's `send` does not take; it builds only on the global `WebSocket`, which
//! Node 20 lacks; and dropping an open socket dispatches a `CloseEvent` that Node before 23
//! cannot construct, leaving a listener on a freed closure. It would also add gloo-utils
//! (with web-sys' `Window` and `Document`), http, bytes, futures-channel, futures-sink and
//! pin-project to the wasm build.

mod clock;
mod env;
mod fetch;
mod local_files;
mod node_types;
mod websocket;

pub use clock::JsClock;
pub use env::env_var;
pub use fetch::{aborted, js_signal, FetchTransport};
pub use local_files::JsLocalFiles;
pub use node_types::{host_bytes, host_stream};
pub use websocket::{js_bytes, JsWebSockets};

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}
