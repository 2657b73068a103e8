use std::rc::Rc;

use daytona_core::args::{Fields, FromArg};
use daytona_core::endpoints::files::Upload;
use daytona_core::file_system::{Download, DownloadItem, FilePermissionsParams, FileSystemClient, READ_AHEAD};
use daytona_core::transport::FormValue;
use js_sys::Promise;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::callbacks::JsCallback;
use crate::convert::{from_js, to_js};
use crate::errors::{JsErr, JsResult};
use crate::platform::{aborted, host_bytes, host_stream};
use crate::promise::{call, cancellable, for_call, promise, try_call};

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = __toBlob, catch)]
    fn to_blob_now(source: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __openWriter, catch)]
    async fn open_writer(path: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = __byteStream)]
    fn byte_stream(pull: &js_sys::Function, cancel: &js_sys::Function, signal: &JsValue, on_progress: &JsValue, total_bytes: Option<f64>) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const FILE_SYSTEM_TS: &'static str = r#"
export type UploadSource = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | string;
export type UploadProgress = { bytesSent: number };
export type UploadStreamOptions = { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal; timeout?: number };
export type DownloadProgress = { bytesReceived: number; totalBytes?: number };
export interface DownloadMetadata { destination?: string; error?: string; errorDetails?: FileDownloadErrorDetails; result?: HostBytes | string | Uint8Array; }
export type DownloadStreamOptions = { onProgress?: (progress: DownloadProgress) => void; signal?: AbortSignal; timeout?: number };
export interface FileUpload { source: UploadSource; destination: string; }
export interface FileDownloadRequest { source: string; destination?: string; }
export interface FileDownloadErrorDetails { message: string; statusCode?: number; code?: string; source?: string; }
export interface FileDownloadResponse { source: string; result?: HostBytes | string; error?: string; errorDetails?: FileDownloadErrorDetails; }
export interface FileInfo { name: string; size: number; mode: string; modTime: string; modifiedAt: string; isDir: boolean; owner: string; group: string; permissions: string; path?: string; }
export interface FileSystem {
  /** Downloads a file into memory; `options.signal` cancels it. */
  downloadFile(remotePath: string, timeout?: number, options?: CallOptions): Promise<HostBytes>;
  /** Downloads a file straight to a local path, streaming (Node, Bun, Deno); `options.signal` cancels it. */
  downloadFile(remotePath: string, localPath: string, timeout?: number, options?: CallOptions): Promise<void>;
}
"#;

/// File operations in a Sandbox: listing, details, folders, permissions, search, and
/// streamed uploads and downloads. Relative paths start at the Sandbox's home directory.
#[wasm_bindgen]
pub struct FileSystem {
    inner: FileSystemClient,
}

impl From<FileSystemClient> for FileSystem {
    fn from(inner: FileSystemClient) -> Self {
        FileSystem { inner }
    }
}

struct DownloadRequest {
    source: String,
    destination: Option<String>,
}

impl FromArg for DownloadRequest {
    fn from_arg(v: &serde_json::Value, name: &str) -> daytona_core::Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(DownloadRequest { source: f.required("source"), destination: f.opt("destination") })
    }
}

/// Any upload source as a Blob (see `__toBlob`): awaited only when JS must read it first.
async fn to_blob(source: &JsValue) -> Result<JsValue, JsValue> {
    match to_blob_now(source)?.dyn_into::<Promise>() {
        Ok(pending) => JsFuture::from(pending).await,
        Err(blob) => Ok(blob),
    }
}

/// An upload source as a Blob handle the transport sends as is (never copied into wasm).
async fn upload_data(source: &JsValue) -> JsResult<FormValue> {
    let blob = to_blob(source).await.map_err(JsErr::from_js)?;
    Ok(FormValue::Opaque(Rc::new(blob)))
}

/// Joins chunks into one Uint8Array in JS memory.
fn concat(chunks: &[Uint8Array]) -> Uint8Array {
    let total: u32 = chunks.iter().map(|c| c.length()).sum();
    let out = Uint8Array::new_with_length(total);
    let mut at = 0;
    for c in chunks {
        out.set(c, at);
        at += c.length();
    }
    out
}

async fn js_call(target: &JsValue, method: &str, arg: Option<&JsValue>) -> JsResult<()> {
    let f: js_sys::Function = Reflect::get(target, &method.into()).map_err(JsErr::from_js)?.unchecked_into();
    let ret = match arg {
        Some(a) => f.call1(target, a),
        None => f.call0(target),
    }
    .map_err(JsErr::from_js)?;
    if let Ok(p) = ret.dyn_into::<js_sys::Promise>() {
        JsFuture::from(p).await.map_err(JsErr::from_js)?;
    }
    Ok(())
}

/// Streams one file's data to a local writer.
async fn save(dl: &mut Download, path: &str) -> JsResult<()> {
    let writer = open_writer(path).await.map_err(JsErr::from_js)?;
    let result = async {
        while let Some(chunk) = dl.next_data().await? {
            js_call(&writer, "write", Some(&Uint8Array::from(chunk.as_slice()).into())).await?;
        }
        Ok::<_, JsErr>(())
    }
    .await;
    js_call(&writer, "close", None).await?;
    result
}

/// Writes bytes to a local file (Node, Bun, Deno; elsewhere a `DaytonaInvalidArgumentError`).
pub(crate) async fn write_local(path: &str, bytes: &[u8]) -> JsResult<()> {
    let writer = open_writer(path).await.map_err(JsErr::from_js)?;
    let written = js_call(&writer, "write", Some(&Uint8Array::from(bytes).into())).await;
    js_call(&writer, "close", None).await?;
    written
}

#[wasm_bindgen]
impl FileSystem {
    /// Creates a folder (and its parents) with an octal mode such as `"755"`.
    #[wasm_bindgen(js_name = createFolder, unchecked_return_type = "Promise<void>")]
    pub fn create_folder(&self, path: String, mode: String) -> Promise {
        call(self.inner.create_folder(&path, &mode))
    }

    /// Deletes a file, or a directory with `recursive`.
    #[wasm_bindgen(js_name = deleteFile, unchecked_return_type = "Promise<void>")]
    pub fn delete_file(&self, path: String, recursive: Option<bool>) -> Promise {
        call(self.inner.delete_file(&path, recursive))
    }

    /// Details of a file or directory.
    #[wasm_bindgen(js_name = getFileDetails, unchecked_return_type = "Promise<FileInfo>")]
    pub fn get_file_details(&self, path: String) -> Promise {
        call(self.inner.get_file_details(&path))
    }

    /// The entries of a directory.
    #[wasm_bindgen(js_name = listFiles, unchecked_return_type = "Promise<FileInfo[]>")]
    pub fn list_files(&self, path: String, #[wasm_bindgen(unchecked_optional_param_type = "{ depth?: number }")] options: JsValue) -> Promise {
        let depth = Reflect::get(&options, &"depth".into()).ok().filter(|d| !d.is_undefined());
        let depth = depth.map(|d| d.as_f64().unwrap_or(f64::NAN));
        try_call(self.inner.list_files(&path, depth).map_err(Into::into))
    }

    /// Moves or renames; fails if the destination exists.
    #[wasm_bindgen(js_name = moveFiles, unchecked_return_type = "Promise<void>")]
    pub fn move_files(&self, source: String, destination: String) -> Promise {
        call(self.inner.move_files(&source, &destination))
    }

    /// Sets the mode (octal string), owner and/or group of a file.
    #[wasm_bindgen(js_name = setFilePermissions, unchecked_return_type = "Promise<void>")]
    pub fn set_file_permissions(&self, path: String, #[wasm_bindgen(unchecked_param_type = "FilePermissionsParams")] permissions: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: FilePermissionsParams = from_js(permissions, "permissions")?;
            Ok(inner.set_file_permissions(&path, p).await?)
        })
    }

    /// Lines containing `pattern` (literal), in text files under `path`.
    #[wasm_bindgen(js_name = findFiles, unchecked_return_type = "Promise<Match[]>")]
    pub fn find_files(&self, path: String, pattern: String) -> Promise {
        call(self.inner.find_files(&path, &pattern))
    }

    /// Files and directories under `path` whose names match a glob such as `*.ts`.
    #[wasm_bindgen(js_name = searchFiles, unchecked_return_type = "Promise<SearchFilesResponse>")]
    pub fn search_files(&self, path: String, pattern: String) -> Promise {
        call(self.inner.search_files(&path, &pattern))
    }

    /// Replaces every occurrence of `pattern` (literal) with `newValue` in the given files.
    #[wasm_bindgen(js_name = replaceInFiles, unchecked_return_type = "Promise<ReplaceResult[]>")]
    pub fn replace_in_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue,
        pattern: String,
        #[wasm_bindgen(js_name = newValue)] new_value: String,
    ) -> Promise {
        try_call(from_js(files, "files").map(|files| self.inner.replace_in_files(files, &pattern, &new_value)))
    }

    /// Uploads one file. `source` is a Uint8Array, ArrayBuffer, Blob or ReadableStream, or
    /// in Node a local path (streamed from disk). Parent folders are created.
    /// @param timeout - Seconds (default 1800, 0 = no limit).
    /// @param options - `{ signal }`: an `AbortSignal` that stops the upload.
    #[wasm_bindgen(js_name = uploadFile, unchecked_return_type = "Promise<void>")]
    pub fn upload_file(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UploadSource")] source: JsValue,
        #[wasm_bindgen(js_name = remotePath)] remote_path: String,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, FileSystemClient::with_signal, |inner| async move {
            let data = upload_data(&source).await?;
            Ok(inner.upload_files(vec![Upload { data, destination: remote_path }], timeout)?.await?)
        })
    }

    /// Uploads one file from any upload source (a Node `Readable` too, or a local path),
    /// with the official SDK's options: `onProgress({ bytesSent })`, `signal` (stops the
    /// upload, with the official SDK's `Upload cancelled` error), `timeout` (seconds). `fetch`
    /// reports no progress inside a request body, so `onProgress` hears once, when every byte
    /// is sent.
    #[wasm_bindgen(js_name = uploadFileStream, unchecked_return_type = "Promise<void>")]
    pub fn upload_file_stream(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UploadSource | AsyncIterable<Uint8Array>")] source: JsValue,
        #[wasm_bindgen(js_name = remotePath)] remote_path: String,
        #[wasm_bindgen(unchecked_optional_param_type = "UploadStreamOptions")] options: JsValue,
    ) -> Promise {
        let (inner, signal) = match for_call(&self.inner, &options, FileSystemClient::with_signal) {
            Ok(v) => v,
            Err(e) => return Promise::reject(&e.into()),
        };
        promise(async move {
            let option = |key: &str| Reflect::get(&options, &key.into()).unwrap_or(JsValue::UNDEFINED);
            let cancelled = || daytona_core::Error::Other(format!("Upload cancelled: {remote_path}"));
            if signal.as_ref().is_some_and(aborted) {
                return Err(cancelled().into());
            }
            let blob = to_blob(&source).await.map_err(JsErr::from_js)?;
            let size = Reflect::get(&blob, &"size".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
            let upload = Upload { data: FormValue::Opaque(Rc::new(blob)), destination: remote_path.clone() };
            inner.upload_files(vec![upload], option("timeout").as_f64())?.await.map_err(|e| match e {
                daytona_core::Error::Aborted => cancelled(),
                other => other,
            })?;
            if let Some(on_progress) = JsCallback::from_js(option("onProgress")) {
                let progress = js_sys::Object::new();
                let _ = Reflect::set(&progress, &"bytesSent".into(), &size.into());
                on_progress.call_now(&progress);
            }
            Ok(())
        })
    }

    /// Uploads several files in one request.
    #[wasm_bindgen(js_name = uploadFiles, unchecked_return_type = "Promise<void>")]
    pub fn upload_files(&self, #[wasm_bindgen(unchecked_param_type = "FileUpload[]")] files: JsValue, timeout: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let mut uploads = Vec::new();
            for f in Array::from(&files).iter() {
                let source = Reflect::get(&f, &"source".into()).map_err(JsErr::from_js)?;
                let destination = Reflect::get(&f, &"destination".into())
                    .ok()
                    .and_then(|d| d.as_string())
                    .ok_or_else(|| daytona_core::Error::InvalidArgument("every upload needs a destination string".into()))?;
                uploads.push(Upload { data: upload_data(&source).await?, destination });
            }
            Ok(inner.upload_files(uploads, timeout)?.await?)
        })
    }

    /// Downloads a file: into memory (`downloadFile(path, timeout?)` → Uint8Array), or in
    /// Node straight to disk (`downloadFile(path, localPath, timeout?)`). Streams either way.
    #[wasm_bindgen(js_name = downloadFile, skip_typescript)]
    pub fn download_file(&self, remote_path: String, local_or_timeout: JsValue, timeout_or_options: JsValue, options: JsValue) -> Promise {
        let (local, timeout, options) = match local_or_timeout.as_string() {
            Some(local) => (Some(local), timeout_or_options.as_f64(), options),
            None => (None, local_or_timeout.as_f64(), timeout_or_options),
        };
        cancellable(&self.inner, &options, FileSystemClient::with_signal, |inner| async move {
            let mut dl = inner.download(vec![remote_path], timeout, READ_AHEAD).await?;
            if let Some(local) = local {
                save(&mut dl, &local).await?;
                return Ok(JsValue::UNDEFINED);
            }
            let mut chunks = Vec::new();
            while let Some(chunk) = dl.next_data().await? {
                chunks.push(Uint8Array::from(chunk.as_slice()));
            }
            Ok(host_bytes(concat(&chunks)))
        })
    }

    /// Downloads several files in one request. Never throws per file: each result has
    /// `result` (the bytes, or the local path written) or `error` and `errorDetails`.
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the download.
    #[wasm_bindgen(js_name = downloadFiles, unchecked_return_type = "Promise<FileDownloadResponse[]>")]
    pub fn download_files(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FileDownloadRequest[]")] files: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, FileSystemClient::with_signal, |inner| async move {
            let requests: Vec<DownloadRequest> = from_js(files, "files")?;
            let mut dl = inner.download(requests.iter().map(|r| r.source.clone()).collect(), timeout, READ_AHEAD).await?;
            let mut outcomes: Vec<Option<Result<JsValue, daytona_core::Error>>> = requests.iter().map(|_| None).collect();
            while let Some(item) = dl.next().await? {
                let (path, outcome) = match item {
                    DownloadItem::Start { path, .. } => {
                        let Some(i) = requests.iter().position(|r| r.source == path) else { continue };
                        let outcome = match &requests[i].destination {
                            Some(dest) => save(&mut dl, dest).await.map(|_| JsValue::from_str(dest)),
                            None => {
                                let mut chunks = Vec::new();
                                while let Some(chunk) = dl.next_data().await? {
                                    chunks.push(Uint8Array::from(chunk.as_slice()));
                                }
                                Ok(host_bytes(concat(&chunks)))
                            }
                        };
                        (path, Ok(outcome?))
                    }
                    DownloadItem::Failed { path, error } => (path, Err(error)),
                    DownloadItem::Data(_) | DownloadItem::End => continue,
                };
                for (i, r) in requests.iter().enumerate() {
                    if r.source == path && outcomes[i].is_none() {
                        outcomes[i] = Some(outcome.clone());
                    }
                }
            }
            let out = Array::new();
            for (r, outcome) in requests.iter().zip(outcomes) {
                let item = js_sys::Object::new();
                let set = |k: &str, v: JsValue| Reflect::set(&item, &k.into(), &v).map(drop).map_err(JsErr::from_js);
                set("source", r.source.clone().into())?;
                match outcome {
                    Some(Ok(v)) => set("result", v)?,
                    Some(Err(e)) => {
                        set("error", e.to_string().into())?;
                        set("errorDetails", error_details(&e))?;
                    }
                    None => set("error", "No data received for this file".into())?,
                }
                out.push(&item);
            }
            Ok(JsValue::from(out))
        })
    }

    /// Downloads a file as a stream read from the network as it is consumed: a Node
    /// `Readable` in Node, Bun and Deno, a web `ReadableStream<Uint8Array>` elsewhere. Takes
    /// a timeout in seconds, or the official SDK's options: `onProgress({ bytesReceived,
    /// totalBytes })`, `signal` (aborting errors the stream with "Download cancelled"),
    /// `timeout`. A file that cannot be sent fails the call, before any byte. Cancel (or
    /// destroy) the stream to stop the transfer.
    #[wasm_bindgen(js_name = downloadFileStream, unchecked_return_type = "Promise<Promise<HostStream>>")]
    pub fn download_file_stream(
        &self,
        #[wasm_bindgen(js_name = remotePath)] remote_path: String,
        #[wasm_bindgen(js_name = timeoutOrOptions, unchecked_optional_param_type = "number | DownloadStreamOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let option = |key: &str| Reflect::get(&options, &key.into()).unwrap_or(JsValue::UNDEFINED);
            let (signal, timeout) = (option("signal"), options.as_f64().or_else(|| option("timeout").as_f64()));
            let cancelled = || -> JsResult<JsValue> { Err(daytona_core::Error::Other("Download cancelled".into()).into()) };
            if aborted(&signal) {
                return cancelled();
            }
            // Chunk by chunk: its reader sees progress and cancels as the bytes come.
            let mut dl = inner.download(vec![remote_path], timeout, 0).await?;
            let size = dl.open().await?;
            if aborted(&signal) {
                return cancelled();
            }
            let source = Rc::new(std::cell::RefCell::new(Some(dl)));
            let stopped = Rc::new(std::cell::Cell::new(false));
            let (puller, stopper) = (source.clone(), stopped.clone());
            let pull = Closure::<dyn FnMut() -> js_sys::Promise>::new(move || {
                let (source, stopped) = (puller.clone(), stopped.clone());
                promise(async move {
                    // Pulls never overlap: the stream waits for each promise before the next.
                    let Some(mut d) = source.borrow_mut().take() else { return Ok(JsValue::UNDEFINED) };
                    Ok(match d.next_data().await? {
                        // Cancelled while this chunk was on its way: `d` is dropped, ending the body.
                        Some(_) if stopped.get() => JsValue::UNDEFINED,
                        Some(chunk) => {
                            *source.borrow_mut() = Some(d);
                            Uint8Array::from(chunk.as_slice()).into()
                        }
                        None => JsValue::UNDEFINED,
                    })
                })
            });
            let cancel = Closure::<dyn FnMut()>::new(move || {
                stopper.set(true);
                source.borrow_mut().take();
            });
            let stream = byte_stream(
                &pull.into_js_value().unchecked_into(),
                &cancel.into_js_value().unchecked_into(),
                &signal,
                &option("onProgress"),
                size.map(|s| s as f64),
            );
            Ok(host_stream(stream))
        })
    }
}

/// `{ message, statusCode, code, source }` of a per-file failure, as the official SDK reports.
fn error_details(e: &daytona_core::Error) -> JsValue {
    let (status, code, origin) = match e {
        daytona_core::Error::Api { status, code, origin, .. } => (Some(*status), code.clone(), origin.clone()),
        _ => (None, None, None),
    };
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Details {
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        status_code: Option<u16>,
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    }
    to_js(&Details { message: e.to_string(), status_code: status, code, source: origin })
}
