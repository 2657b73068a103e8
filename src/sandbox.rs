use std::collections::BTreeMap;

use daytona_core::code_interpreter::CodeInterpreterClient;
use daytona_core::computer_use::ComputerUseClient;
use daytona_core::file_system::FileSystemClient;
use daytona_core::git::GitClient;
use daytona_core::lsp::LspServerClient;
use daytona_core::metrics::MetricsAnswer;
use daytona_core::params::ResizeParams;
use daytona_core::process::ProcessClient;
use daytona_core::pty::PtyClient;
use daytona_core::SandboxClient;
use daytona_types::file_urls;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::code_interpreter::CodeInterpreter;
use crate::computer_use::ComputerUse;
use crate::convert::{from_js, opt_from_js, parse, to_js, value_to_js};
use crate::file_system::FileSystem;
use crate::git::Git;
use crate::lsp_server::LspServer;
use crate::process::Process;
use crate::promise::{call, cancellable, promise, settled};

/// A Daytona Sandbox: its properties (read from the last server answer) and its lifecycle.
///
/// Properties are getters over shared state: after `refreshData()` or any lifecycle call,
/// every reference to the Sandbox sees the new values.
#[wasm_bindgen]
pub struct Sandbox {
    inner: SandboxClient,
}

impl From<SandboxClient> for Sandbox {
    fn from(inner: SandboxClient) -> Self {
        Sandbox { inner }
    }
}

#[wasm_bindgen(module = "/src/js/runtime.js")]
extern "C" {
    #[wasm_bindgen(js_name = __sandboxMetrics)]
    fn sandbox_metrics(m: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = __pivotMetrics)]
    fn pivot_metrics(answer: JsValue, is_series: bool) -> JsValue;
}

/// One getter per DTO field, as the server sent it: `rust_name => "jsName": "TS type"`.
macro_rules! dto_getters {
    ($($field:ident => $js:literal : $ts:literal),* $(,)?) => {
        #[wasm_bindgen]
        impl Sandbox {
            $(
                #[wasm_bindgen(getter, js_name = $js, unchecked_return_type = $ts)]
                pub fn $field(&self) -> JsValue {
                    self.inner.dto().get($js).map_or(JsValue::UNDEFINED, value_to_js)
                }
            )*
        }
    };
}

dto_getters! {
    id => "id": "string",
    name => "name": "string",
    organization_id => "organizationId": "string",
    snapshot => "snapshot": "string | undefined",
    user => "user": "string",
    env => "env": "Record<string, string> | undefined",
    labels => "labels": "Record<string, string>",
    public => "public": "boolean",
    target => "target": "string",
    cpu => "cpu": "number",
    gpu => "gpu": "number",
    gpu_type => "gpuType": "GpuType | undefined",
    memory => "memory": "number",
    disk => "disk": "number",
    state => "state": "SandboxState | undefined",
    desired_state => "desiredState": "string | undefined",
    error_reason => "errorReason": "string | undefined",
    recoverable => "recoverable": "boolean | undefined",
    backup_state => "backupState": "string | undefined",
    auto_stop_interval => "autoStopInterval": "number | undefined",
    auto_archive_interval => "autoArchiveInterval": "number | undefined",
    auto_delete_interval => "autoDeleteInterval": "number | undefined",
    volumes => "volumes": "SandboxVolume[] | undefined",
    build_info => "buildInfo": "BuildInfo | undefined",
    created_at => "createdAt": "string | undefined",
    updated_at => "updatedAt": "string | undefined",
    last_activity_at => "lastActivityAt": "string | undefined",
    network_block_all => "networkBlockAll": "boolean",
    network_allow_list => "networkAllowList": "string | undefined",
    sandbox_class => "sandboxClass": "string | undefined",
    daemon_version => "daemonVersion": "string | undefined",
    toolbox_proxy_url => "toolboxProxyUrl": "string",
    auto_pause_interval => "autoPauseInterval": "number | undefined",
    auto_destroy_at => "autoDestroyAt": "string | undefined",
    backup_created_at => "backupCreatedAt": "string | undefined",
    linked_sandbox_id => "linkedSandboxId": "string | undefined",
    warm_pool_id => "warmPoolId": "string | undefined",
    domain_allow_list => "domainAllowList": "string | undefined",
    spot => "spot": "boolean | undefined",
    spot_evicted_at => "spotEvictedAt": "string | undefined",
    kvm => "kvm": "boolean | undefined",
    outbound_proxy_url => "outboundProxyUrl": "string | undefined",
    otel_endpoint_override => "otelEndpointOverride": "string | undefined",
}

#[wasm_bindgen]
impl Sandbox {
    /// File operations in this Sandbox.
    #[wasm_bindgen(getter)]
    pub fn fs(&self) -> FileSystem {
        FileSystemClient::new(self.inner.clone()).into()
    }

    /// Commands, code and sessions in this Sandbox.
    #[wasm_bindgen(getter)]
    pub fn process(&self) -> Process {
        Process::new(ProcessClient::new(self.inner.clone()), PtyClient::new(self.inner.clone()))
    }

    /// Stateful Python execution in this Sandbox.
    #[wasm_bindgen(getter, js_name = codeInterpreter)]
    pub fn code_interpreter(&self) -> CodeInterpreter {
        CodeInterpreterClient::new(self.inner.clone()).into()
    }

    /// The Sandbox's desktop: mouse, keyboard, screenshots, windows and recordings.
    #[wasm_bindgen(getter, js_name = computerUse)]
    pub fn computer_use(&self) -> ComputerUse {
        ComputerUseClient::new(self.inner.clone()).into()
    }

    /// Git operations in this Sandbox.
    #[wasm_bindgen(getter)]
    pub fn git(&self) -> Git {
        GitClient::new(self.inner.clone()).into()
    }

    /// A language server for the project at `pathToProject`: `typescript`, `javascript` or
    /// `python` (anything else is a `DaytonaInvalidArgumentError`).
    #[wasm_bindgen(js_name = createLspServer, unchecked_return_type = "Promise<LspServer>")]
    pub fn create_lsp_server(
        &self,
        #[wasm_bindgen(js_name = languageId, unchecked_param_type = "LspLanguageId | string")] language_id: String,
        #[wasm_bindgen(js_name = pathToProject)] path_to_project: String,
    ) -> Promise {
        settled(LspServerClient::new(self.inner.clone(), &language_id, &path_to_project).map(LspServer::from).map_err(Into::into))
    }

    /// Starts the Sandbox and waits until it is started.
    /// @param timeout - Seconds (default 60, 0 = no limit).
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn start(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, SandboxClient::with_signal, |inner| async move { Ok(inner.start(timeout).await?) })
    }

    /// Stops the Sandbox and waits until it is stopped.
    /// @param timeout - Seconds (default 60, 0 = no limit).
    /// @param force - Stop without waiting for processes to exit.
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] force: Option<bool>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, SandboxClient::with_signal, |inner| async move { Ok(inner.stop(timeout, force.unwrap_or(false)).await?) })
    }

    /// Archives a stopped Sandbox: its files are kept, it can be started again.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn archive(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.archive().await?) })
    }

    /// Deletes the Sandbox and everything in it.
    /// @param timeout - Seconds for the request (default 60, 0 = no limit).
    /// @param wait - Wait until the Sandbox is gone (default false).
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] wait: Option<bool>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, SandboxClient::with_signal, |inner| async move { Ok(inner.delete(timeout, wait.unwrap_or(false)).await?) })
    }

    /// Recovers a Sandbox from an error state and waits until it is started.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn recover(&self, timeout: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.recover(timeout).await?) })
    }

    /// Waits until the Sandbox is started.
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait.
    /// @throws {DaytonaError} if it ends in an error state; {DaytonaTimeoutError} on timeout.
    #[wasm_bindgen(js_name = waitUntilStarted, unchecked_return_type = "Promise<void>")]
    pub fn wait_until_started(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, SandboxClient::with_signal, |inner| async move { Ok(inner.wait_until_started(timeout).await?) })
    }

    /// What the Sandbox uses now: CPU (`cpuUsedPct` of `cpuCount`), memory and disk in bytes.
    #[wasm_bindgen(js_name = getMetricsLatest, unchecked_return_type = "Promise<SandboxMetrics>")]
    pub fn get_metrics_latest(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(sandbox_metrics(parse(inner.metrics_latest().await?)?)) })
    }

    /// What the Sandbox used from `start` (default: its creation) to `end` (default: now),
    /// oldest sample first.
    #[wasm_bindgen(js_name = getMetrics, unchecked_return_type = "Promise<SandboxMetrics[]>")]
    pub fn get_metrics(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Date")] start: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Date")] end: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let date = |v: JsValue| v.dyn_into::<js_sys::Date>().ok();
            let to = date(end).unwrap_or_else(js_sys::Date::new_0);
            let created = inner.dto().created_at().map(str::to_string);
            let from = date(start).or_else(|| created.map(|c| js_sys::Date::new(&c.into()))).unwrap_or_else(|| to.clone());
            let (from, to) = (String::from(from.to_iso_string()), String::from(to.to_iso_string()));
            Ok(match inner.metrics(&from, &to).await? {
                MetricsAnswer::Series(json) => pivot_metrics(parse(json)?, true),
                MetricsAnswer::Points(json) => pivot_metrics(parse(json)?, false),
            })
        })
    }

    /// A URL that downloads `path` with a plain GET and no other credential, for
    /// `ttlSeconds` (default 3600; 0 or less: for good, until `rotateSigningKey`).
    #[wasm_bindgen(js_name = downloadUrl, unchecked_return_type = "Promise<string>")]
    pub fn download_url(&self, path: String, #[wasm_bindgen(js_name = ttlSeconds)] ttl_seconds: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.signed_file_url(file_urls::DOWNLOAD, &path, ttl_seconds).await?) })
    }

    /// A URL that uploads to `path` with a POST (a form's `file` field, or the raw body) and
    /// no other credential, for `ttlSeconds` as `downloadUrl`.
    #[wasm_bindgen(js_name = uploadUrl, unchecked_return_type = "Promise<string>")]
    pub fn upload_url(&self, path: String, #[wasm_bindgen(js_name = ttlSeconds)] ttl_seconds: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.signed_file_url(file_urls::UPLOAD, &path, ttl_seconds).await?) })
    }

    /// A new signing key for the Sandbox: every URL signed before stops working.
    #[wasm_bindgen(js_name = rotateSigningKey, unchecked_return_type = "Promise<void>")]
    pub fn rotate_signing_key(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.rotate_signing_key().await?) })
    }

    /// A new started Sandbox whose files are a copy of this one's now (its settings too;
    /// not its running processes), named `params.name` or by the server.
    #[wasm_bindgen(unchecked_return_type = "Promise<Sandbox>")]
    pub fn fork(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ForkSandboxParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        let name = if params.is_object() { js_sys::Reflect::get(&params, &"name".into()).ok().and_then(|n| n.as_string()) } else { None };
        promise(async move { Ok(Sandbox::from(inner.fork(name, timeout).await?)) })
    }

    /// @deprecated Use `fork`.
    #[wasm_bindgen(js_name = _experimental_fork, unchecked_return_type = "Promise<Sandbox>")]
    pub fn experimental_fork(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ForkSandboxParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
    ) -> js_sys::Promise {
        self.fork(params, timeout)
    }

    /// Makes the Sandbox's files a snapshot named `name`, which new Sandboxes can be created
    /// from (`daytona.snapshot` lists it).
    #[wasm_bindgen(js_name = createSnapshot, unchecked_return_type = "Promise<void>")]
    pub fn create_snapshot(&self, name: String, timeout: Option<f64>) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.create_snapshot(&name, timeout).await?) })
    }

    /// @deprecated Use `createSnapshot`.
    #[wasm_bindgen(js_name = _experimental_createSnapshot, unchecked_return_type = "Promise<void>")]
    pub fn experimental_create_snapshot(&self, name: String, timeout: Option<f64>) -> js_sys::Promise {
        self.create_snapshot(name, timeout)
    }

    /// Pauses the Sandbox: its processes are frozen, memory and all, until `start` resumes
    /// them where they were.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn pause(&self, timeout: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.pause(timeout).await?) })
    }

    /// Waits while the Sandbox is `resizing`.
    #[wasm_bindgen(js_name = waitForResizeComplete, unchecked_return_type = "Promise<void>")]
    pub fn wait_for_resize_complete(&self, timeout: Option<f64>) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.wait_for_resize_complete(timeout).await?) })
    }

    /// Waits until the Sandbox is stopped (or gone).
    /// @param options - `{ signal }`: an `AbortSignal` that cancels the wait.
    #[wasm_bindgen(js_name = waitUntilStopped, unchecked_return_type = "Promise<void>")]
    pub fn wait_until_stopped(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timeout: Option<f64>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        cancellable(&self.inner, &options, SandboxClient::with_signal, |inner| async move { Ok(inner.wait_until_stopped(timeout).await?) })
    }

    /// Changes cpu and memory of a running Sandbox, or disk of a stopped one (disk can only
    /// grow). GPU cannot be changed.
    ///
    /// @example
    /// await sandbox.resize({ cpu: 2, memory: 4 });
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn resize(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Pick<Resources, 'cpu' | 'memory' | 'disk'>")] resources: JsValue,
        timeout: Option<f64>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let resources: ResizeParams = from_js(resources, "resources")?;
            Ok(inner.resize(resources, timeout).await?)
        })
    }

    /// The preview link of a port: `{ sandboxId, url, token }`. A private Sandbox's preview
    /// needs the token, in the `X-Daytona-Preview-Token` header.
    #[wasm_bindgen(js_name = getPreviewLink, unchecked_return_type = "Promise<PortPreviewUrl>")]
    pub fn get_preview_link(&self, port: u16) -> Promise {
        call(self.inner.preview_link(port))
    }

    /// A preview URL that needs no token until it expires: `{ sandboxId, port, token, url }`.
    /// @param expiresInSeconds - 1 to 86400 (default 60).
    #[wasm_bindgen(js_name = getSignedPreviewUrl, unchecked_return_type = "Promise<SignedPortPreviewUrl>")]
    pub fn get_signed_preview_url(&self, port: u16, #[wasm_bindgen(js_name = expiresInSeconds)] expires_in_seconds: Option<f64>) -> Promise {
        call(self.inner.signed_preview_url(port, expires_in_seconds.map(|s| s.max(0.0) as u64)))
    }

    /// Ends a signed preview URL before its time.
    #[wasm_bindgen(js_name = expireSignedPreviewUrl, unchecked_return_type = "Promise<void>")]
    pub fn expire_signed_preview_url(&self, port: u16, token: String) -> Promise {
        call(self.inner.expire_signed_preview_url(port, &token))
    }

    /// SSH access for `expiresInMinutes` (default 60): `{ token, sshCommand, expiresAt, … }`.
    /// The token is the SSH user name; creating one revokes the Sandbox's earlier ones.
    #[wasm_bindgen(js_name = createSshAccess, unchecked_return_type = "Promise<SshAccessDto>")]
    pub fn create_ssh_access(&self, #[wasm_bindgen(js_name = expiresInMinutes)] expires_in_minutes: Option<f64>) -> Promise {
        call(self.inner.create_ssh_access(expires_in_minutes))
    }

    /// Whether an SSH token is still good: `{ valid, sandboxId }`.
    #[wasm_bindgen(js_name = validateSshAccess, unchecked_return_type = "Promise<SshAccessValidationDto>")]
    pub fn validate_ssh_access(&self, token: String) -> Promise {
        call(self.inner.validate_ssh_access(&token))
    }

    /// Revokes an SSH token; sessions it opened end too.
    #[wasm_bindgen(js_name = revokeSshAccess, unchecked_return_type = "Promise<void>")]
    pub fn revoke_ssh_access(&self, token: String) -> Promise {
        call(self.inner.revoke_ssh_access(&token))
    }

    /// Changes the Sandbox's network settings (at least one of them).
    /// @throws {DaytonaInvalidArgumentError} when none is given.
    #[wasm_bindgen(js_name = updateNetworkSettings, unchecked_return_type = "Promise<void>")]
    pub fn update_network_settings(&self, #[wasm_bindgen(unchecked_param_type = "UpdateSandboxNetworkSettings")] settings: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.update_network_settings(from_js(settings, "settings")?).await?) })
    }

    /// Replaces the organization secrets mounted in the Sandbox: env var name → secret name
    /// (`{}` detaches them all). New processes see each secret's placeholder; daytona-local
    /// puts the value in its place in requests to the secret's hosts.
    #[wasm_bindgen(js_name = updateSecrets, unchecked_return_type = "Promise<void>")]
    pub fn update_secrets(&self, #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] secrets: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.update_secrets(from_js(secrets, "secrets")?).await?) })
    }

    /// The user's home directory in the Sandbox.
    #[wasm_bindgen(js_name = getUserHomeDir, unchecked_return_type = "Promise<string | undefined>")]
    pub fn get_user_home_dir(&self) -> Promise {
        call(self.inner.user_home_dir())
    }

    /// @deprecated Use `getUserHomeDir`.
    #[wasm_bindgen(js_name = getUserRootDir, unchecked_return_type = "Promise<string | undefined>")]
    pub fn get_user_root_dir(&self) -> Promise {
        self.get_user_home_dir()
    }

    /// The directory commands start in.
    #[wasm_bindgen(js_name = getWorkDir, unchecked_return_type = "Promise<string | undefined>")]
    pub fn get_work_dir(&self) -> Promise {
        call(self.inner.work_dir())
    }

    /// Resets the auto-stop timer.
    #[wasm_bindgen(js_name = refreshActivity, unchecked_return_type = "Promise<void>")]
    pub fn refresh_activity(&self) -> Promise {
        call(self.inner.refresh_activity())
    }

    /// Reloads the Sandbox's properties from the API.
    #[wasm_bindgen(js_name = refreshData, unchecked_return_type = "Promise<void>")]
    pub fn refresh_data(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.refresh_data().await?) })
    }

    /// Replaces the Sandbox's labels; resolves to the labels now stored.
    #[wasm_bindgen(js_name = setLabels, unchecked_return_type = "Promise<Record<string, string>>")]
    pub fn set_labels(&self, #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] labels: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let labels: BTreeMap<String, String> = from_js(labels, "labels")?;
            Ok(to_js(&inner.set_labels(labels).await?))
        })
    }

    /// Minutes of inactivity before the Sandbox stops (0 = never).
    #[wasm_bindgen(js_name = setAutostopInterval, unchecked_return_type = "Promise<void>")]
    pub fn set_autostop_interval(&self, interval: f64) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.set_autostop_interval(interval).await?) })
    }

    /// Idle minutes before the Sandbox is paused (0 = never); not with an auto-stop interval.
    #[wasm_bindgen(js_name = setAutoPauseInterval, unchecked_return_type = "Promise<void>")]
    pub fn set_auto_pause_interval(&self, interval: f64) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.set_auto_pause_interval(interval).await?) })
    }

    /// Minutes stopped before the Sandbox is archived (0 = the maximum).
    #[wasm_bindgen(js_name = setAutoArchiveInterval, unchecked_return_type = "Promise<void>")]
    pub fn set_auto_archive_interval(&self, interval: f64) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.set_auto_archive_interval(interval).await?) })
    }

    /// Minutes stopped before the Sandbox is deleted (negative = never, 0 = on stop).
    #[wasm_bindgen(js_name = setAutoDeleteInterval, unchecked_return_type = "Promise<void>")]
    pub fn set_auto_delete_interval(&self, interval: f64) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.set_auto_delete_interval(interval).await?) })
    }

    /// Sets (and first removes, `options.unset`) variables of the environment the Sandbox's new
    /// processes, sessions and PTYs get; processes already running keep theirs.
    #[wasm_bindgen(js_name = updateEnv, unchecked_return_type = "Promise<void>")]
    pub fn update_env(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] env: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ unset?: string[] }")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let unset = if options.is_object() { js_sys::Reflect::get(&options, &"unset".into()).unwrap_or_default() } else { JsValue::UNDEFINED };
            Ok(inner.update_env(from_js(env, "env")?, opt_from_js(unset, "unset")?).await?)
        })
    }

    /// Deletes the Sandbox this many minutes from now, whatever it is doing (0 disables the
    /// time to live); `autoDestroyAt` says when.
    #[wasm_bindgen(js_name = setTtl, unchecked_return_type = "Promise<void>")]
    pub fn set_ttl(&self, #[wasm_bindgen(js_name = ttlMinutes)] ttl_minutes: f64) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.set_ttl(ttl_minutes).await?) })
    }
}
