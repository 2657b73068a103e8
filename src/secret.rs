use daytona_core::collection::CollectionClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::json_body;
use crate::promise::{call, try_call};

#[wasm_bindgen(typescript_custom_section)]
const SECRET_TS: &'static str = r#"
/** An organization secret. Its value is write-only: a Sandbox's environment holds the
 * `placeholder`, and the value takes its place in requests to `hosts`. */
export interface Secret {
  id: string; name: string; description?: string; placeholder: string; hosts: string[];
  createdAt: string; updatedAt: string;
}
export interface CreateSecretParams { name: string; value: string; description?: string; hosts?: string[]; }
export interface UpdateSecretParams { value?: string; description?: string; hosts?: string[]; }
export interface ListSecretsQuery {
  cursor?: string; limit?: number; name?: string;
  sort?: 'name' | 'createdAt' | 'updatedAt'; order?: 'asc' | 'desc';
}
export interface ListSecretsResponse { items: Secret[]; total: number; nextCursor: string | null; }
"#;

/// The organization's secrets (`daytona.secret`). Mount them into a Sandbox with
/// `create({ secrets: { ENV_VAR: 'secret-name' } })` or `sandbox.updateSecrets`.
///
/// @example
/// const token = await daytona.secret.create({ name: 'GH_TOKEN', value: '…', hosts: ['api.github.com'] });
/// const sandbox = await daytona.create({ secrets: { GITHUB_TOKEN: 'GH_TOKEN' } });
#[wasm_bindgen]
pub struct SecretService {
    inner: CollectionClient,
}

impl From<CollectionClient> for SecretService {
    fn from(inner: CollectionClient) -> Self {
        SecretService { inner }
    }
}

#[wasm_bindgen]
impl SecretService {
    /// A page of secrets (`nextCursor` leads to the next one).
    #[wasm_bindgen(unchecked_return_type = "Promise<ListSecretsResponse>")]
    pub fn list(&self, #[wasm_bindgen(unchecked_optional_param_type = "ListSecretsQuery")] query: JsValue) -> Promise {
        call(self.inner.list(&format!("/paginated{}", crate::convert::query(&query, "cursor,limit,name,sort,order"))))
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Secret>")]
    pub fn get(&self, #[wasm_bindgen(js_name = secretId)] secret_id: String) -> Promise {
        call(self.inner.get(&secret_id))
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Secret>")]
    pub fn create(&self, #[wasm_bindgen(unchecked_param_type = "CreateSecretParams")] params: JsValue) -> Promise {
        try_call(json_body(&params).map(|body| self.inner.create(body)))
    }

    /// Changes what is given (a new value, description or hosts).
    #[wasm_bindgen(unchecked_return_type = "Promise<Secret>")]
    pub fn update(
        &self,
        #[wasm_bindgen(js_name = secretId)] secret_id: String,
        #[wasm_bindgen(unchecked_param_type = "UpdateSecretParams")] params: JsValue,
    ) -> Promise {
        try_call(json_body(&params).map(|body| self.inner.update(&secret_id, body)))
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(js_name = secretId)] secret_id: String) -> Promise {
        call(self.inner.delete(&secret_id))
    }
}
