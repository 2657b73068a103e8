//! Byte and stream results in the types of the runtime: `Buffer` and Node `Readable` where the
//! Node entry registered them (Node, Bun, Deno, as the official SDK returns there), web
//! `Uint8Array` and `ReadableStream` elsewhere.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// A `Uint8Array` as a `Buffer` over the same memory, where there are Buffers.
    #[wasm_bindgen(js_name = __hostBytes)]
    pub fn host_bytes(bytes: js_sys::Uint8Array) -> JsValue;
    /// A web `ReadableStream` as a Node `Readable`, where there are those.
    #[wasm_bindgen(js_name = __hostStream)]
    pub fn host_stream(stream: JsValue) -> JsValue;
}
