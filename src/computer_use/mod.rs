mod accessibility;
mod display;
mod keyboard;
mod mouse;
mod recording;
mod screenshot;

use daytona_core::computer_use::ComputerUseClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::promise::call;
pub use accessibility::Accessibility;
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
/// `keyboard`, `screenshot`, `display`, `recording` and `accessibility`, what a user of it
/// does.
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

    #[wasm_bindgen(getter)]
    pub fn accessibility(&self) -> Accessibility {
        self.inner.clone().into()
    }

    /// Starts the desktop (display and window manager).
    #[wasm_bindgen(unchecked_return_type = "Promise<ComputerUseStartResponse>")]
    pub fn start(&self) -> Promise {
        call(self.inner.start())
    }

    /// Stops the desktop (and any recording).
    #[wasm_bindgen(unchecked_return_type = "Promise<ComputerUseStopResponse>")]
    pub fn stop(&self) -> Promise {
        call(self.inner.stop())
    }

    /// `{ status }`: `active`, `partial` or `inactive`.
    #[wasm_bindgen(js_name = getStatus, unchecked_return_type = "Promise<ComputerUseStatusResponse>")]
    pub fn get_status(&self) -> Promise {
        call(self.inner.status())
    }

    #[wasm_bindgen(js_name = getProcessStatus, unchecked_return_type = "Promise<ProcessStatusResponse>")]
    pub fn get_process_status(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> Promise {
        call(self.inner.process(&process_name, "status"))
    }

    #[wasm_bindgen(js_name = restartProcess, unchecked_return_type = "Promise<ProcessRestartResponse>")]
    pub fn restart_process(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> Promise {
        call(self.inner.process(&process_name, "restart"))
    }

    #[wasm_bindgen(js_name = getProcessLogs, unchecked_return_type = "Promise<ProcessLogsResponse>")]
    pub fn get_process_logs(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> Promise {
        call(self.inner.process(&process_name, "logs"))
    }

    #[wasm_bindgen(js_name = getProcessErrors, unchecked_return_type = "Promise<ProcessErrorsResponse>")]
    pub fn get_process_errors(&self, #[wasm_bindgen(js_name = processName)] process_name: String) -> Promise {
        call(self.inner.process(&process_name, "errors"))
    }
}
