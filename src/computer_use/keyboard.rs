use daytona_core::computer_use::ComputerUseClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::from_js;
use crate::promise::{call, try_call};

/// The desktop's keyboard (`computerUse.keyboard`). Keys are names such as `Return`,
/// `enter`, `esc`, `F5` or `a`; modifiers `ctrl`, `alt`, `shift`, `cmd`.
#[wasm_bindgen]
pub struct Keyboard {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for Keyboard {
    fn from(inner: ComputerUseClient) -> Self {
        Keyboard { inner }
    }
}

#[wasm_bindgen]
impl Keyboard {
    /// Types text, `delay` milliseconds between keys.
    #[wasm_bindgen(js_name = type, unchecked_return_type = "Promise<void>")]
    pub fn type_text(&self, text: String, delay: Option<u32>) -> Promise {
        call(self.inner.type_text(&text, delay))
    }

    /// Presses a key, holding `modifiers`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn press(&self, key: String, #[wasm_bindgen(unchecked_optional_param_type = "string[]")] modifiers: JsValue) -> Promise {
        try_call(from_js(modifiers, "modifiers").map(|modifiers| self.inner.press(&key, modifiers)))
    }

    /// Presses a chord such as `ctrl+c` or `ctrl+shift+t`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn hotkey(&self, keys: String) -> Promise {
        call(self.inner.hotkey(&keys))
    }
}
