use std::rc::Rc;

use daytona_core::params::{CreateSandboxParams, SandboxFilter};
use daytona_core::{DaytonaClient, DaytonaConfig};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::callbacks::JsCallback;
use crate::convert::{from_js, opt_from_js};
use crate::errors::JsResult;
use crate::image::{take_image, upload_image};
use crate::platform::{env_var, FetchTransport, JsClock, JsWebSockets};
use crate::sandbox::Sandbox;
use crate::snapshot::SnapshotService;
use crate::volume::VolumeService;

/// Main class for interacting with the Daytona API: creates, finds, lists and manages
/// Sandboxes.
///
/// @example
/// // From the environment (DAYTONA_API_KEY, DAYTONA_API_URL, DAYTONA_TARGET where
/// // `process.env` exists), or an explicit config:
/// const daytona = new Daytona({ apiKey: 'key', apiUrl: 'http://127.0.0.1:3986/api' });
/// const sandbox = await daytona.create();
#[wasm_bindgen]
pub struct Daytona {
    inner: DaytonaClient,
}

#[derive(Deserialize, Default)]
struct CreateOptions {
    timeout: Option<f64>,
}

/// `create(params, options)`: options is `{ timeout }` or, as the official SDK allows, a number.
pub(crate) fn create_timeout(options: JsValue) -> JsResult<Option<f64>> {
    match options.as_f64() {
        Some(t) => Ok(Some(t)),
        None => Ok(from_js::<CreateOptions>(options)?.timeout),
    }
}

fn page_number(v: Option<f64>) -> Option<u64> {
    v.map(|n| n.max(0.0) as u64)
}

#[wasm_bindgen]
impl Daytona {
    /// Creates a client. Throws `DaytonaAuthenticationError` when no credentials are found
    /// and `DaytonaInvalidArgumentError` for an invalid config.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "DaytonaConfig")] config: JsValue) -> JsResult<Daytona> {
        let config: Option<DaytonaConfig> = opt_from_js(config)?;
        let inner = DaytonaClient::new(config, &env_var, Rc::new(FetchTransport), Rc::new(JsWebSockets), Rc::new(JsClock))?;
        Ok(Daytona { inner })
    }

    /// Creates a Sandbox from a snapshot (default) or an image name and waits until it is
    /// started.
    ///
    /// @param params - Sandbox parameters: language, resources (with `image`), env, labels,
    ///   intervals, network settings, volumes.
    /// @param options - `{ timeout, onSnapshotCreateLogs }`: timeout in seconds (default 60,
    ///   0 = no limit), or the timeout itself; the callback gets the build log of a Sandbox
    ///   made from an `Image`, line by line.
    /// @throws {DaytonaTimeoutError} if the Sandbox is not started in time.
    ///
    /// @example
    /// const sandbox = await daytona.create({ language: 'typescript', labels: { team: 'a' } }, { timeout: 120 });
    pub async fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateSandboxFromSnapshotParams | CreateSandboxFromImageParams")] params: JsValue,
        #[wasm_bindgen(unchecked_param_type = "{ timeout?: number; onSnapshotCreateLogs?: (chunk: string) => void } | number")] options: JsValue,
    ) -> JsResult<Sandbox> {
        let (params, image) = take_image(params)?;
        let mut params: CreateSandboxParams = from_js(params)?;
        (params.dockerfile, params.context_hashes) = upload_image(self.inner.context(), image).await?;
        let on_logs = JsCallback::property(&options, "onSnapshotCreateLogs");
        let timeout = create_timeout(options)?;
        let say = |line: &str| on_logs.as_ref().map_or((), |f| f.call_now(&line.into()));
        Ok(self.inner.create_with_logs(params, timeout, on_logs.is_some().then_some(&say as &dyn Fn(&str))).await?.into())
    }

    /// Gets a Sandbox by id or name.
    /// @throws {DaytonaNotFoundError} if there is none.
    pub async fn get(&self, #[wasm_bindgen(js_name = sandboxIdOrName)] sandbox_id_or_name: String) -> JsResult<Sandbox> {
        Ok(self.inner.get(&sandbox_id_or_name).await?.into())
    }

    /// Finds one Sandbox by id or name, or else the first whose labels match.
    /// @throws {DaytonaNotFoundError} if none matches.
    #[wasm_bindgen(js_name = findOne)]
    pub async fn find_one(&self, #[wasm_bindgen(unchecked_param_type = "SandboxFilter")] filter: JsValue) -> JsResult<Sandbox> {
        let filter: SandboxFilter = from_js(filter)?;
        Ok(self.inner.find_one(filter).await?.into())
    }

    /// Snapshots: templates Sandboxes are created from.
    #[wasm_bindgen(getter)]
    pub fn snapshot(&self) -> SnapshotService {
        self.inner.snapshot().into()
    }

    /// Volumes: shared storage Sandboxes mount at creation.
    #[wasm_bindgen(getter)]
    pub fn volume(&self) -> VolumeService {
        self.inner.volume().into()
    }

    /// Lists Sandboxes, newest first, optionally only those with all the given labels.
    ///
    /// @param labels - Labels every returned Sandbox must carry.
    /// @param page - 1-based page number (default 1).
    /// @param limit - Items per page (default 100, at most 200).
    #[wasm_bindgen(unchecked_return_type = "PaginatedSandboxes")]
    pub async fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] labels: JsValue,
        page: Option<f64>,
        limit: Option<f64>,
    ) -> JsResult<JsValue> {
        let page_data = self.inner.list(opt_from_js(labels)?, page_number(page), page_number(limit)).await?;
        let items: js_sys::Array = page_data.items.into_iter().map(|s| JsValue::from(Sandbox::from(s))).collect();
        let out = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &k.into(), &v).map(drop);
        set("items", items.into()).and(set("total", (page_data.total as f64).into()))
            .and(set("page", (page_data.page as f64).into()))
            .and(set("totalPages", (page_data.total_pages as f64).into()))
            .map_err(|_| daytona_core::Error::Other("failed to build the page object".into()))?;
        Ok(out.into())
    }

    /// Starts a Sandbox and waits until it is started (timeout in seconds, default 60).
    pub async fn start(&self, sandbox: &Sandbox, timeout: Option<f64>) -> JsResult<()> {
        sandbox.start(timeout).await
    }

    /// Stops a Sandbox and waits until it is stopped.
    pub async fn stop(&self, sandbox: &Sandbox) -> JsResult<()> {
        sandbox.stop(None, None).await
    }

    /// Deletes a Sandbox; with `wait`, waits until it is gone.
    pub async fn delete(&self, sandbox: &Sandbox, timeout: Option<f64>, wait: Option<bool>) -> JsResult<()> {
        sandbox.delete(timeout, wait).await
    }
}
