use daytona_core::computer_use::ComputerUseClient;
use js_sys::Promise;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::promise::{call, promise};

/// Screen recordings of the desktop (`computerUse.recording`), as MP4 files in the Sandbox.
#[wasm_bindgen]
pub struct RecordingService {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for RecordingService {
    fn from(inner: ComputerUseClient) -> Self {
        RecordingService { inner }
    }
}

#[wasm_bindgen]
impl RecordingService {
    #[wasm_bindgen(unchecked_return_type = "Promise<Recording>")]
    pub fn start(&self, label: Option<String>) -> Promise {
        call(self.inner.recording_start(label))
    }

    /// Stops a recording; resolves when its file is finished.
    #[wasm_bindgen(unchecked_return_type = "Promise<Recording>")]
    pub fn stop(&self, id: String) -> Promise {
        call(self.inner.recording_stop(&id))
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<ListRecordingsResponse>")]
    pub fn list(&self) -> Promise {
        call(self.inner.recordings())
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Recording>")]
    pub fn get(&self, id: String) -> Promise {
        call(self.inner.recording(&id))
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: String) -> Promise {
        call(self.inner.recording_delete(&id))
    }

    /// A finished recording's file: written to `localPath` (Node, Bun, Deno), or without
    /// one, resolved as bytes.
    #[wasm_bindgen(unchecked_return_type = "Promise<Promise<void | HostBytes>>")]
    pub fn download(&self, id: String, #[wasm_bindgen(js_name = localPath)] local_path: Option<String>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let bytes = inner.recording_download(&id).await?;
            match local_path {
                Some(path) => crate::file_system::write_local(&path, &bytes).await.map(|_| JsValue::UNDEFINED),
                None => Ok(crate::platform::host_bytes(Uint8Array::from(bytes.as_slice()))),
            }
        })
    }
}
