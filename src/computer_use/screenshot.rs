use daytona_core::computer_use::{ComputerUseClient, Region, ScreenshotOptions};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, opt_from_js};
use crate::errors::JsResult;
use crate::promise::{call, try_call};

/// Screenshots of the desktop (`computerUse.screenshot`): `screenshot` is the image in
/// base64 (PNG unless a format is asked for).
#[wasm_bindgen]
pub struct Screenshot {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for Screenshot {
    fn from(inner: ComputerUseClient) -> Self {
        Screenshot { inner }
    }
}

fn cursor(show: Option<bool>) -> ScreenshotOptions {
    ScreenshotOptions { show_cursor: Some(show.unwrap_or(false)), ..Default::default() }
}

fn region_of(v: JsValue) -> JsResult<Region> {
    Ok(opt_from_js(v, "region")?.ok_or_else(|| daytona_core::Error::InvalidArgument("a region { x, y, width, height } is required".into()))?)
}

#[wasm_bindgen]
impl Screenshot {
    #[wasm_bindgen(js_name = takeFullScreen, unchecked_return_type = "Promise<ScreenshotResponse>")]
    pub fn take_full_screen(&self, #[wasm_bindgen(js_name = showCursor)] show_cursor: Option<bool>) -> Promise {
        call(self.inner.screenshot(None, &cursor(show_cursor), false))
    }

    /// A region of the screen. (The official SDK sends this region's values in the wrong
    /// order; this one sends them as given.)
    #[wasm_bindgen(js_name = takeRegion, unchecked_return_type = "Promise<ScreenshotResponse>")]
    pub fn take_region(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScreenshotRegion")] region: JsValue,
        #[wasm_bindgen(js_name = showCursor)] show_cursor: Option<bool>,
    ) -> Promise {
        try_call(region_of(region).map(|region| self.inner.screenshot(Some(region), &cursor(show_cursor), false)))
    }

    /// The screen in a format (`png`, `jpeg`, `webp`), quality (1–100) and scale (0.1–1).
    #[wasm_bindgen(js_name = takeCompressed, unchecked_return_type = "Promise<ScreenshotResponse>")]
    pub fn take_compressed(&self, #[wasm_bindgen(unchecked_optional_param_type = "ScreenshotOptions")] options: JsValue) -> Promise {
        try_call(from_js(options, "options").map(|options| self.inner.screenshot(None, &options, true)))
    }

    #[wasm_bindgen(js_name = takeCompressedRegion, unchecked_return_type = "Promise<ScreenshotResponse>")]
    pub fn take_compressed_region(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScreenshotRegion")] region: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ScreenshotOptions")] options: JsValue,
    ) -> Promise {
        try_call(region_of(region).and_then(|region| Ok(self.inner.screenshot(Some(region), &from_js(options, "options")?, true))))
    }
}
