mod display;
mod keyboard;
mod mouse;
mod recording;
mod screenshot;

use daytona_core::computer_use::ComputerUseClient;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::errors::JsResult;
pub use display::Display;
pub use keyboard::Keyboard;
pub use mouse::Mouse;
pub use recording::RecordingService;
pub use screenshot::Screenshot;

#[wasm_bindgen(typescript_custom_section)]
const COMPUTER_USE_TS: &'static str = r#"
export interface ComputerUseStartResponse { message: string; status: Record<string, ProcessStatus>; }
export type ComputerUseStopResponse = ComputerUseStartResponse;
"#;

/// The Sandbox's desktop (`sandbox.computerUse`): its processes, and through `mouse`,
/// `keyboard`, `screenshot`, `display` and `recording`, what a user of it does.
///
/// @example
/// await sandbox.computerUse.start();
/// await sandbox.computerUse.mouse.click(100, 200);
/// const { screenshot } = await sandbox.computerUse.screenshot.takeFullScreen();
#[wasm_bindgen]
pub struct ComputerUse {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for ComputerUse {
    fn from(inner: ComputerUseClient) -> Self {
        ComputerUse { inner }
    }
}

#[wasm_bindgen]
impl ComputerUse {
    #[wasm_bindgen(getter)]
    pub fn mouse(&self) -> Mouse {
        self.inner.clone().into()
    }

    #[wasm_bindgen(getter)]
    pub fn keyboard(&self) -> Keyboard {
        self.inner.clone().into()
    }

    #[wasm_bindgen(getter)]
    pub fn screenshot(&self) -> Screenshot {
        self.inner.clone().into()
    }

    #[wasm_bindgen(getter)]
    pub fn display(&self) -> Display {
        self.inner.clone().into()
    }

    #[wasm_bindgen(getter)]
    pub fn recording(&self) -> RecordingService {
        self.inner.clone().into()
    }

    /// Starts the desktop (display and window manager).
    #[wasm_bindgen(unchecked_return_type = "ComputerUseStartResponse")]
    pub async fn start(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.start().await?))
    }

    /// Stops the desktop (and any recording).
    #[wasm_bindgen(unchecked_return_type = "ComputerUseStopResponse")]
    pub async fn stop(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.stop().await?))
    }

    /// `{ status }`: `active`, `partial` or `inactive`.
    #[wasm_bindgen(js_name = getStatus, unchecked_return_type = "ComputerUseStatusResponse")]
    pub async fn get_status(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.status().await?))
    }

    #[wasm_bindgen(js_name = getProcessStatus, unchecked_return_type = "ProcessStatusResponse")]
    pub async fn get_process_status(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.process(&process_name, "status").await?))
    }

    #[wasm_bindgen(js_name = restartProcess, unchecked_return_type = "ProcessRestartResponse")]
    pub async fn restart_process(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.process(&process_name, "restart").await?))
    }

    #[wasm_bindgen(js_name = getProcessLogs, unchecked_return_type = "ProcessLogsResponse")]
    pub async fn get_process_logs(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.process(&process_name, "logs").await?))
    }

    #[wasm_bindgen(js_name = getProcessErrors, unchecked_return_type = "ProcessErrorsResponse")]
    pub async fn get_process_errors(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.process(&process_name, "errors").await?))
    }
}
