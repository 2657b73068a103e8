use daytona_core::computer_use::ComputerUseClient;
use wasm_bindgen::prelude::*;

use crate::convert::from_js;
use crate::errors::JsResult;

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
    #[wasm_bindgen(js_name = type)]
    pub async fn type_text(&self, text: String, delay: Option<u32>) -> JsResult<()> {
        Ok(self.inner.type_text(&text, delay).await?)
    }

    /// Presses a key, holding `modifiers`.
    pub async fn press(&self, key: String, #[wasm_bindgen(unchecked_optional_param_type = "string[]")] modifiers: JsValue) -> JsResult<()> {
        let modifiers: Vec<String> = from_js(modifiers)?;
        Ok(self.inner.press(&key, modifiers).await?)
    }

    /// Presses a chord such as `ctrl+c` or `ctrl+shift+t`.
    pub async fn hotkey(&self, keys: String) -> JsResult<()> {
        Ok(self.inner.hotkey(&keys).await?)
    }
}
