use daytona_core::computer_use::ComputerUseClient;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::errors::JsResult;

/// The desktop's screens and windows (`computerUse.display`).
#[wasm_bindgen]
pub struct Display {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for Display {
    fn from(inner: ComputerUseClient) -> Self {
        Display { inner }
    }
}

#[wasm_bindgen]
impl Display {
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "DisplayInfoResponse")]
    pub async fn get_info(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.display_info().await?))
    }

    /// The open windows, with their titles, places and which one is active.
    #[wasm_bindgen(js_name = getWindows, unchecked_return_type = "WindowsResponse")]
    pub async fn get_windows(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.windows().await?))
    }
}
