use std::rc::Rc;

use daytona_core::params::{CreateSandboxParams, ListSandboxesQuery, SandboxFilter};
use daytona_core::{DaytonaClient, DaytonaConfig, SandboxPage};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::callbacks::JsCallback;
use crate::convert::{field_of, from_js, opt_from_js};
use crate::errors::{JsErr, JsResult};
use crate::image::{take_image, upload_image};
use crate::platform::{env_var, FetchTransport, JsClock, JsWebSockets};
use crate::promise::{cancellable, promise};
use crate::sandbox::Sandbox;
use crate::secret::SecretService;
use crate::snapshot::SnapshotService;
use crate::volume::VolumeService;
use crate::warm_pool::WarmPoolService;

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

/// `create(params, options)`: options is `{ timeout }` or, as the official SDK allows, a number.
pub(crate) fn create_timeout(options: JsValue) -> JsResult<Option<f64>> {
    match options.as_f64() {
        Some(t) => Ok(Some(t)),
        None => field_of(options, "options", "timeout"),
    }
}

fn page_number(v: Option<f64>) -> Option<u64> {
    v.map(|n| n.max(0.0) as u64)
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    /// The result of `list()`: awaitable (the first callback's page) and async-iterable (the
    /// second callback's pages, from cursor `undefined` until it gives no next cursor).
    #[wasm_bindgen(js_name = __sandboxList)]
    fn sandbox_list(page: &js_sys::Function, next_page: &js_sys::Function) -> JsValue;
}

/// `{ items, total, page, totalPages }` of the seed SDK's `list`.
fn page_object(page: SandboxPage) -> JsResult<JsValue> {
    let items: js_sys::Array = page.items.into_iter().map(|s| JsValue::from(Sandbox::from(s))).collect();
    let out = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&out, &k.into(), &v).map(drop);
    set("items", items.into())
        .and(set("total", (page.total as f64).into()))
        .and(set("page", (page.page as f64).into()))
        .and(set("totalPages", (page.total_pages as f64).into()))
        .map_err(JsErr::from_js)?;
    Ok(out.into())
}

/// `{ items, nextCursor }` for the iterator in `__sandboxList`.
fn cursor_page(items: js_sys::Array, next: Option<String>) -> JsValue {
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"items".into(), &items);
    let _ = js_sys::Reflect::set(&out, &"nextCursor".into(), &next.map_or(JsValue::UNDEFINED, JsValue::from));
    out.into()
}

#[wasm_bindgen]
impl Daytona {
    /// Creates a client. Throws `DaytonaAuthenticationError` when no credentials are found
    /// and `DaytonaInvalidArgumentError` for an invalid config.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_optional_param_type = "DaytonaConfig")] config: JsValue) -> JsResult<Daytona> {
        let config: Option<DaytonaConfig> = opt_from_js(config, "config")?;
        let inner = DaytonaClient::new(config, &env_var, Rc::new(FetchTransport), Rc::new(JsWebSockets), Rc::new(JsClock))?;
        Ok(Daytona { inner })
    }

    /// Creates a Sandbox from a snapshot (default) or an image name and waits until it is
    /// started.
    ///
    /// @param params - Sandbox parameters: language, resources (with `image`), env, labels,
    ///   intervals, network settings, volumes.
    /// @param options - `{ timeout, onSnapshotCreateLogs, signal }`: timeout in seconds
    ///   (default 60, 0 = no limit), or the timeout itself; the callback gets the build log of
    ///   a Sandbox made from an `Image`, line by line; an `AbortSignal` cancels the create (a
    ///   sandbox it made is deleted).
    /// @throws {DaytonaTimeoutError} if the Sandbox is not started in time.
    ///
    /// @example
    /// const sandbox = await daytona.create({ language: 'typescript', labels: { team: 'a' } }, { timeout: 120 });
    #[wasm_bindgen(unchecked_return_type = "Promise<Sandbox>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CreateSandboxFromSnapshotParams | CreateSandboxFromImageParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ timeout?: number; onSnapshotCreateLogs?: (chunk: string) => void; signal?: AbortSignal } | number")]
        options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options.clone(), DaytonaClient::with_signal, |client| async move {
            let (params, image) = take_image(params)?;
            let mut params: CreateSandboxParams = from_js(params, "params")?;
            (params.dockerfile, params.context_hashes) = upload_image(client.context(), image).await?;
            let on_logs = JsCallback::property(&options, "onSnapshotCreateLogs");
            let timeout = create_timeout(options)?;
            let say = |line: &str| on_logs.as_ref().map_or((), |f| f.call_now(&line.into()));
            Ok(Sandbox::from(client.create_with_logs(params, timeout, on_logs.is_some().then_some(&say as &dyn Fn(&str))).await?))
        })
    }

    /// Gets a Sandbox by id or name.
    /// @throws {DaytonaNotFoundError} if there is none.
    #[wasm_bindgen(unchecked_return_type = "Promise<Sandbox>")]
    pub fn get(&self, #[wasm_bindgen(js_name = sandboxIdOrName)] sandbox_id_or_name: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(Sandbox::from(inner.get(&sandbox_id_or_name).await?)) })
    }

    /// Finds one Sandbox by id or name, or else the first whose labels match.
    /// @throws {DaytonaNotFoundError} if none matches.
    #[wasm_bindgen(js_name = findOne, unchecked_return_type = "Promise<Sandbox>")]
    pub fn find_one(&self, #[wasm_bindgen(unchecked_param_type = "SandboxFilter")] filter: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let filter: SandboxFilter = from_js(filter, "filter")?;
            Ok(Sandbox::from(inner.find_one(filter).await?))
        })
    }

    pub(crate) fn client(&self) -> &DaytonaClient {
        &self.inner
    }

    /// Snapshots: templates Sandboxes are created from.
    #[wasm_bindgen(getter)]
    pub fn snapshot(&self) -> SnapshotService {
        self.inner.snapshot().into()
    }

    /// The organization's secrets, which Sandboxes mount as environment variables.
    #[wasm_bindgen(getter)]
    pub fn secret(&self) -> SecretService {
        self.inner.secret().into()
    }

    /// Warm pools: Sandboxes made ahead from a snapshot, which `create` takes from.
    #[wasm_bindgen(getter, js_name = warmPool)]
    pub fn warm_pool(&self) -> WarmPoolService {
        self.inner.warm_pool().into()
    }

    /// Volumes: shared storage Sandboxes mount at creation.
    #[wasm_bindgen(getter)]
    pub fn volume(&self) -> VolumeService {
        self.inner.volume().into()
    }

    /// Lists Sandboxes in either of the official SDK's forms, told apart by how the result
    /// is used:
    /// - iterated (`for await (const sb of daytona.list({ labels, sort, limit }))`): every
    ///   Sandbox matching the `ListSandboxesQuery`, fetched page by page as it is consumed;
    /// - awaited (`await daytona.list(labels, page, limit)`): one page,
    ///   `{ items, total, page, totalPages }`, of the Sandboxes carrying all the labels
    ///   (page 1-based, default 1; limit default 100, at most 200).
    #[wasm_bindgen(skip_typescript)]
    pub fn list(&self, query_or_labels: JsValue, page: Option<f64>, limit: Option<f64>) -> JsValue {
        let (client, arg) = (self.inner.clone(), query_or_labels.clone());
        let first_page = Closure::<dyn FnMut() -> js_sys::Promise>::new(move || {
            let (client, labels) = (client.clone(), arg.clone());
            let page = async move { page_object(client.list(opt_from_js(labels, "labels")?, page_number(page), page_number(limit)).await?) };
            promise(page)
        });
        let client = self.inner.clone();
        let next_page = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |cursor: JsValue| {
            let (client, query) = (client.clone(), query_or_labels.clone());
            let page = async move {
                let query: ListSandboxesQuery = from_js(query, "query")?;
                let (items, next) = client.list_cursor(&query, cursor.as_string().as_deref()).await?;
                let items: js_sys::Array = items.into_iter().map(|s| JsValue::from(Sandbox::from(s))).collect();
                JsResult::Ok(cursor_page(items, next))
            };
            promise(page)
        });
        sandbox_list(&first_page.into_js_value().unchecked_into(), &next_page.into_js_value().unchecked_into())
    }

    /// Starts a Sandbox and waits until it is started (timeout in seconds, default 60);
    /// `options.signal` cancels the wait.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn start(
        &self,
        sandbox: &Sandbox,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        sandbox.start(timeout, options)
    }

    /// Stops a Sandbox and waits until it is stopped; `options.signal` cancels the wait.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(&self, sandbox: &Sandbox, #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue) -> Promise {
        sandbox.stop(None, None, options)
    }

    /// For `await using daytona = new Daytona()`. The official client closes its event socket
    /// and telemetry here; this one holds neither (waits poll), so there is nothing to close.
    /// Its memory goes with `[Symbol.dispose]` (`free`) or the garbage collector.
    #[wasm_bindgen(js_name = "[Symbol.asyncDispose]", unchecked_return_type = "Promise<void>")]
    pub fn async_dispose(&self) -> js_sys::Promise {
        js_sys::Promise::resolve(&JsValue::UNDEFINED)
    }

    /// Forks a Sandbox (`sandbox.fork(params, timeout)`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Sandbox>")]
    pub fn fork(
        &self,
        sandbox: &Sandbox,
        #[wasm_bindgen(unchecked_optional_param_type = "ForkSandboxParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
    ) -> js_sys::Promise {
        sandbox.fork(params, timeout)
    }

    /// @deprecated Use `fork`.
    #[wasm_bindgen(js_name = _experimental_fork, unchecked_return_type = "Promise<Sandbox>")]
    pub fn experimental_fork(
        &self,
        sandbox: &Sandbox,
        #[wasm_bindgen(unchecked_optional_param_type = "ForkSandboxParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
    ) -> js_sys::Promise {
        sandbox.fork(params, timeout)
    }

    /// Deletes a Sandbox; with `wait`, waits until it is gone (`options.signal` cancels the wait).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        sandbox: &Sandbox,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] wait: Option<bool>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        sandbox.delete(timeout, wait, options)
    }
}
