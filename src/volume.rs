use daytona_core::volume::VolumeClient;
use daytona_core::Error;
use js_sys::Promise;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::convert::parse;
use crate::promise::{call, promise};

#[wasm_bindgen(typescript_custom_section)]
const VOLUME_TS: &'static str = r#"
export type VolumeState = "creating" | "ready" | "pending_create" | "pending_delete" | "deleting" | "deleted" | "error";
"#;

/// Shared storage that Sandboxes mount at creation (`volumes: [{ volumeId, mountPath, subpath? }]`).
#[wasm_bindgen]
pub struct VolumeService {
    inner: VolumeClient,
}

impl From<VolumeClient> for VolumeService {
    fn from(inner: VolumeClient) -> Self {
        VolumeService { inner }
    }
}

#[wasm_bindgen]
impl VolumeService {
    /// Every volume of the organization.
    #[wasm_bindgen(unchecked_return_type = "Promise<Volume[]>")]
    pub fn list(&self) -> Promise {
        call(self.inner.list())
    }

    /// The volume named `name`; with `create`, made when there is none.
    #[wasm_bindgen(unchecked_return_type = "Promise<Volume>")]
    pub fn get(&self, name: String, create: Option<bool>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { parse(inner.get(&name, create.unwrap_or(false)).await?) })
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Volume>")]
    pub fn create(&self, name: String) -> Promise {
        call(self.inner.create(&name))
    }

    /// Deletes a volume; refused while a Sandbox mounts it.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "Volume")] volume: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = Reflect::get(&volume, &"id".into())
                .ok()
                .and_then(|v| v.as_string())
                .ok_or_else(|| Error::InvalidArgument("delete needs a Volume (an object with its id)".into()))?;
            Ok(inner.delete(&id).await?)
        })
    }
}
