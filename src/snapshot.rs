use daytona_core::params::CreateSnapshotParams;
use daytona_core::snapshot::SnapshotClient;
use daytona_core::Error;
use js_sys::Promise;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::callbacks::JsCallback;
use crate::convert::parse;
use crate::convert::{from_js, to_js};
use crate::daytona::{create_timeout, Daytona};
use crate::errors::JsResult;
use crate::image::{image_parts, take_image, upload_image};
use crate::promise::{call, cancellable, promise};

#[wasm_bindgen(typescript_custom_section)]
const SNAPSHOT_TS: &'static str = r#"
export interface Snapshot { id: string; organizationId?: string; general: boolean; name: string; imageName?: string; state: SnapshotState; size?: number | null; entrypoint?: string[] | null; cpu: number; gpu: number; mem: number; disk: number; errorReason?: string | null; createdAt: string; updatedAt: string; lastUsedAt?: string | null; buildInfo?: BuildInfo; regionIds?: string[]; }
/** What `snapshot.list(query)` filters by. */
export interface ListSnapshotsQuery { page?: number; limit?: number; sourceSandboxId?: string; }
export interface SnapshotService {
  /** One page of snapshots (today's official form). */
  list(query?: ListSnapshotsQuery): Promise<PaginatedSnapshots>;
  /** One page of snapshots (the seed's form). */
  list(page?: number, limit?: number): Promise<PaginatedSnapshots>;
}
"#;

/// Snapshots: templates Sandboxes are created from, named images or built from an `Image`.
#[wasm_bindgen]
pub struct SnapshotService {
    inner: SnapshotClient,
}

impl From<SnapshotClient> for SnapshotService {
    fn from(inner: SnapshotClient) -> Self {
        SnapshotService { inner }
    }
}

/// A Snapshot object's id, or a name (or id) looked up first.
async fn id_of(client: &SnapshotClient, snapshot: &JsValue) -> JsResult<String> {
    if let Some(name) = snapshot.as_string() {
        let found = parse(client.get(&name).await?)?;
        return id_field(&found);
    }
    id_field(snapshot)
}

fn id_field(snapshot: &JsValue) -> JsResult<String> {
    let id = Reflect::get(snapshot, &"id".into()).ok().and_then(|v| v.as_string());
    Ok(id.ok_or_else(|| Error::InvalidArgument("expected a Snapshot or its name".into()))?)
}

#[wasm_bindgen]
impl SnapshotService {
    /// Uploads an `Image`'s local context (what `addLocalFile`/`addLocalDir` and the like add)
    /// to object storage, skipping what is stored already, and returns the hashes a build
    /// refers to it by, as `create` does before a build. The official SDK passes its internal
    /// object-storage client first; here it is the `Daytona` client to upload through.
    #[wasm_bindgen(js_name = processImageContext, unchecked_return_type = "Promise<string[]>")]
    pub fn process_image_context(daytona: &Daytona, #[wasm_bindgen(unchecked_param_type = "Image")] image: JsValue) -> Promise {
        let ctx = daytona.client().context().clone();
        promise(async move {
            let (_, hashes) = upload_image(&ctx, Some(image_parts(&image)?)).await?;
            Ok(to_js(&hashes))
        })
    }

    /// One page of snapshots, newest first (page is 1-based; limit default 100, at most
    /// 200): `list({ page, limit, sourceSandboxId })` as today's official SDK takes it, or
    /// `list(page, limit)` as the seed's does.
    #[wasm_bindgen(skip_typescript, unchecked_return_type = "Promise<any>")]
    pub fn list(&self, page_or_query: JsValue, limit: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let whole = |v: Option<f64>| v.map(|n| n.max(0.0) as u64);
            let field = |key: &str| Reflect::get(&page_or_query, &key.into()).unwrap_or(JsValue::UNDEFINED);
            let (page, limit, source) = if page_or_query.is_object() {
                (field("page").as_f64(), field("limit").as_f64(), field("sourceSandboxId").as_string())
            } else {
                (page_or_query.as_f64(), limit, None)
            };
            parse(inner.list(whole(page), whole(limit), source.as_deref()).await?)
        })
    }

    /// A snapshot by name (or id).
    /// @throws {DaytonaNotFoundError} if there is none.
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot>")]
    pub fn get(&self, name: String) -> Promise {
        call(self.inner.get(&name))
    }

    /// Creates a snapshot from an image name or an `Image` and waits until it is active.
    /// A build's log goes to `options.onLogs` line by line as it runs (exceptions thrown by
    /// the callback are ignored).
    ///
    /// @param options - `{ onLogs, timeout, signal }`: timeout in seconds for the create
    ///   request (default 0 = none); the build itself is waited for without a limit; an
    ///   `AbortSignal` stops the wait and the log stream (the build goes on: the snapshot is
    ///   listed, and can be deleted).
    /// @throws {DaytonaError} if the build fails, with its reason.
    ///
    /// @example
    /// const image = Image.base('python:3.12').pipInstall(['numpy']);
    /// await daytona.snapshot.create({ name: 'numpy', image }, { onLogs: console.log });
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateSnapshotParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ onLogs?: (chunk: string) => void; timeout?: number; signal?: AbortSignal }")] options: JsValue,
    ) -> js_sys::Promise {
        cancellable(&self.inner, &options.clone(), SnapshotClient::with_signal, |inner| async move {
            let (params, image) = take_image(params)?;
            let mut params: CreateSnapshotParams = from_js(params, "params")?;
            (params.dockerfile, params.context_hashes) = upload_image(inner.context(), image).await?;
            let on_logs = JsCallback::property(&options, "onLogs");
            let timeout = create_timeout(options)?;
            let say = |line: &str| on_logs.as_ref().map_or((), |f| f.call_now(&line.into()));
            let snap = inner.create(params, on_logs.is_some().then_some(&say as &dyn Fn(&str)), timeout).await?;
            Ok(to_js(&snap))
        })
    }

    /// Deletes a snapshot (a Snapshot object, or its name).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] snapshot: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = id_of(&inner, &snapshot).await?;
            Ok(inner.delete(&id).await?)
        })
    }

    /// Activates a snapshot (a Snapshot object, or its name).
    #[wasm_bindgen(unchecked_return_type = "Promise<Snapshot>")]
    pub fn activate(&self, #[wasm_bindgen(unchecked_param_type = "Snapshot | string")] snapshot: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = id_of(&inner, &snapshot).await?;
            parse(inner.activate(&id).await?)
        })
    }
}
