use daytona_core::collection::CollectionClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::json_body;
use crate::promise::try_call;

/// Warm pools (`daytona.warmPool`): Sandboxes made ahead from a snapshot. A `create` that asks
/// for that snapshot gets one of them at once, and the pool makes another.
#[wasm_bindgen]
pub struct WarmPoolService {
    inner: CollectionClient,
}

impl From<CollectionClient> for WarmPoolService {
    fn from(inner: CollectionClient) -> Self {
        WarmPoolService { inner }
    }
}

#[wasm_bindgen]
impl WarmPoolService {
    /// Every warm pool, with how many Sandboxes each has ready (`currentSize`).
    #[wasm_bindgen(unchecked_return_type = "Promise<WarmPool[]>")]
    pub fn list(&self) -> Promise {
        crate::promise::call(self.inner.list(""))
    }

    /// A pool of `pool` Sandboxes made ahead from `snapshot`.
    #[wasm_bindgen(unchecked_return_type = "Promise<WarmPool>")]
    pub fn create(&self, #[wasm_bindgen(unchecked_param_type = "CreateWarmPool")] params: JsValue) -> Promise {
        try_call(json_body(&params).map(|body| self.inner.create(body)))
    }

    /// Changes how many Sandboxes the pool keeps ready.
    #[wasm_bindgen(unchecked_return_type = "Promise<WarmPool>")]
    pub fn update(
        &self,
        #[wasm_bindgen(js_name = warmPoolId)] warm_pool_id: String,
        #[wasm_bindgen(unchecked_param_type = "UpdateWarmPool")] params: JsValue,
    ) -> Promise {
        try_call(json_body(&params).map(|body| self.inner.update(&warm_pool_id, body)))
    }

    /// Deletes the pool and the Sandboxes it has ready.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(js_name = warmPoolId)] warm_pool_id: String) -> Promise {
        crate::promise::call(self.inner.delete(&warm_pool_id))
    }
}
