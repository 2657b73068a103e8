use daytona_core::computer_use::ComputerUseClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::promise::call;

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
    #[wasm_bindgen(js_name = getInfo, unchecked_return_type = "Promise<DisplayInfoResponse>")]
    pub fn get_info(&self) -> Promise {
        call(self.inner.display_info())
    }

    /// The open windows, with their titles, places and which one is active.
    #[wasm_bindgen(js_name = getWindows, unchecked_return_type = "Promise<WindowsResponse>")]
    pub fn get_windows(&self) -> Promise {
        call(self.inner.windows())
    }
}
