use std::rc::Rc;

use daytona_core::object_storage::{ObjectStorage as CoreObjectStorage, ObjectStorageConfig};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::from_js;
use crate::errors::JsResult;
use crate::platform::{FetchTransport, JsClock, JsLocalFiles};
use crate::promise::promise;

/// Uploads build contexts to S3-compatible object storage, signed with AWS SigV4 (Node,
/// Bun and Deno: it reads local files).
///
/// @example
/// const storage = new ObjectStorage({ endpointUrl, accessKeyId, secretAccessKey, sessionToken, bucketName });
/// const hash = await storage.upload('./app', organizationId, 'app');
#[wasm_bindgen]
pub struct ObjectStorage {
    inner: Rc<CoreObjectStorage>,
}

#[wasm_bindgen]
impl ObjectStorage {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ObjectStorageConfig")] config: JsValue) -> JsResult<ObjectStorage> {
        let config: ObjectStorageConfig = from_js(config, "config")?;
        Ok(ObjectStorage { inner: Rc::new(CoreObjectStorage::new(config, Rc::new(FetchTransport), Rc::new(JsClock))) })
    }

    /// Uploads a local file or directory as `<organizationId>/<hash>/context.tar`, archived
    /// under `archiveBasePath`, unless that hash is stored already. Resolves to the hash.
    /// @throws {DaytonaNotFoundError} if the path does not exist.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn upload(
        &self,
        path: String,
        #[wasm_bindgen(js_name = organizationId)] organization_id: String,
        #[wasm_bindgen(js_name = archiveBasePath)] archive_base_path: String,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.upload(&JsLocalFiles("upload"), &path, &organization_id, &archive_base_path).await?) })
    }
}
