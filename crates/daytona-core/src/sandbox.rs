//! One sandbox: its last known DTO plus the lifecycle and settings calls.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use daytona_types::api::sandbox::{CreateSandboxSnapshot, ForkSandbox, SandboxState, UpdateSandboxNetworkSettings};

use crate::call::{read, Call, Json, Read};
use crate::context::{require_text, ClientContext};
use crate::endpoints::sandbox::{self as ep, Interval};
use crate::error::Result;
use crate::json_object::JsonObject;
use crate::params::{minutes, timeout_secs, whole_minutes, ResizeParams};
use crate::sandbox_dto::SandboxDto;
use crate::transport::{HttpRequest, LocalBoxFuture, Signal, WsConnection};
use crate::wait::Wait;

const DEFAULT_TIMEOUT_S: f64 = 60.0;

/// A map of strings as a DTO field's JSON object.
fn text_map(m: BTreeMap<String, String>) -> serde_json::Value {
    // Inserted one by one: `collect` into a map compiles a sort of its own.
    let mut map = serde_json::Map::new();
    for (k, v) in m {
        map.insert(k, v.into());
    }
    serde_json::Value::Object(map)
}

/// Cheap to clone; clones share the DTO, so every JS handle sees the latest state.
#[derive(Clone)]
pub struct SandboxClient {
    ctx: ClientContext,
    dto: Rc<RefCell<SandboxDto>>,
    /// The toolbox WebSocket token, fetched once.
    preview_token: Rc<RefCell<Option<String>>>,
    /// The file-URL signing key, and when it was fetched (clock ms).
    pub(crate) signing_key: Rc<RefCell<Option<(String, f64)>>>,
}

fn failed_to(verb: &'static str) -> impl Fn(&SandboxDto) -> String {
    move |sb| {
        let state = sb.state().map(SandboxState::as_str).unwrap_or("unknown");
        let reason = sb.error_reason().unwrap_or("");
        format!("Sandbox {} failed to {verb} with status: {state}, error reason: {reason}", sb.id())
    }
}

/// The official SDK words the failures of its newer waits (pause, resize) so.
fn failed(what: &'static str) -> impl Fn(&SandboxDto) -> String {
    move |sb| {
        let state = sb.state().map(SandboxState::as_str).unwrap_or("unknown");
        let reason = sb.error_reason().unwrap_or("");
        format!("Sandbox {} {what} failed with state: {state}, error reason: {reason}", sb.id())
    }
}

impl SandboxClient {
    pub fn new(ctx: ClientContext, dto: SandboxDto) -> Self {
        SandboxClient { ctx, dto: Rc::new(RefCell::new(dto)), preview_token: Rc::default(), signing_key: Rc::default() }
    }

    /// The last DTO the server sent. Never hold this across an await.
    pub fn dto(&self) -> Ref<'_, SandboxDto> {
        self.dto.borrow()
    }

    pub(crate) fn ctx(&self) -> &ClientContext {
        &self.ctx
    }

    /// This sandbox (the same shared state) for one cancellable call: its requests carry
    /// `signal`.
    pub fn with_signal(&self, signal: Signal) -> Self {
        SandboxClient { ctx: self.ctx.with_signal(signal), ..self.clone() }
    }

    /// This sandbox without a call's signal.
    pub(crate) fn without_signal(&self) -> Self {
        SandboxClient { ctx: self.ctx.without_signal(), ..self.clone() }
    }

    /// A call on this sandbox's client context.
    pub(crate) fn call<T>(&self, req: HttpRequest, read: Read<T>) -> Call<T> {
        self.ctx.call(req, read)
    }

    /// `{toolboxProxyUrl}/{id}`: where this sandbox's toolbox calls go.
    pub fn toolbox_base(&self) -> String {
        let dto = self.dto.borrow();
        format!("{}/{}", dto.toolbox_proxy_url().trim_end_matches('/'), dto.id())
    }

    /// Opens a WebSocket to `path` (with its query) on this sandbox's toolbox. Every runtime
    /// uses the browser scheme: a preview token in the query, the SDK version
    /// as the first offered subprotocol, since browsers and Workers cannot set headers.
    pub async fn ws_connect(&self, path: &str, mut protocols: Vec<String>) -> Result<Box<dyn WsConnection>> {
        let token = self.preview_token().await?;
        let base = self.toolbox_base();
        let ws_base = if let Some(rest) = base.strip_prefix("https://") {
            format!("wss://{rest}")
        } else {
            format!("ws://{}", base.strip_prefix("http://").unwrap_or(&base))
        };
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = format!("{ws_base}{path}{sep}DAYTONA_SANDBOX_AUTH_KEY={token}");
        protocols.insert(0, format!("X-Daytona-SDK-Version~{}", crate::PROTOCOL_SDK_VERSION));
        Ok(self.ctx.ws().connect(url, protocols, self.ctx.signal()).await?)
    }

    /// The preview link of a port: its URL and the token a private sandbox's previews need.
    /// `PortPreviewUrl`.
    pub fn preview_link(&self, port: u16) -> Call<Json> {
        self.call(ep::preview_url(self.api(), &self.id(), port), read::json)
    }

    /// A URL that opens `port` without a token until it expires (default 60 s).
    /// `SignedPortPreviewUrl`.
    pub fn signed_preview_url(&self, port: u16, expires_in_s: Option<u64>) -> Call<Json> {
        self.call(ep::signed_preview_url(self.api(), &self.id(), port, expires_in_s), read::json)
    }

    pub fn expire_signed_preview_url(&self, port: u16, token: &str) -> Call<()> {
        self.call(ep::expire_signed_preview_url(self.api(), &self.id(), port, token), read::nothing)
    }

    /// SSH access for `expires_in_min` minutes (default 60); earlier accesses are revoked.
    /// `SshAccess`.
    pub fn create_ssh_access(&self, expires_in_min: Option<f64>) -> Call<Json> {
        self.call(ep::create_ssh_access(self.api(), &self.id(), expires_in_min), read::json)
    }

    /// `SshAccessValidation`.
    pub fn validate_ssh_access(&self, token: &str) -> Call<Json> {
        self.call(ep::validate_ssh_access(self.api(), token), read::json)
    }

    pub fn revoke_ssh_access(&self, token: &str) -> Call<()> {
        self.call(ep::revoke_ssh_access(self.api(), &self.id(), token), read::nothing)
    }

    async fn preview_token(&self) -> Result<String> {
        if let Some(t) = self.preview_token.borrow().clone() {
            return Ok(t);
        }
        // `PortPreviewUrl`: only its token is wanted.
        let token = self.ctx.json_text(ep::preview_url(self.api(), &self.id(), 1), "token").await?;
        *self.preview_token.borrow_mut() = Some(token.clone());
        Ok(token)
    }

    fn id(&self) -> String {
        self.dto.borrow().id().to_string()
    }

    fn api(&self) -> &str {
        self.ctx.api_url()
    }

    /// Replaces the cached DTO; fetches the toolbox URL when the DTO lacks it.
    pub(crate) fn apply(&self, dto: SandboxDto) -> LocalBoxFuture<'_, Result<()>> {
        Box::pin(self.apply_inner(dto))
    }

    async fn apply_inner(&self, mut dto: SandboxDto) -> Result<()> {
        if dto.toolbox_proxy_url().is_empty() {
            let known = self.dto.borrow().toolbox_proxy_url().to_string();
            let url = if known.is_empty() { self.ctx.json_text(ep::toolbox_proxy_url(self.api(), dto.id()), "url").await? } else { known };
            dto.set("toolboxProxyUrl", url);
        }
        *self.dto.borrow_mut() = dto;
        Ok(())
    }

    pub fn refresh_data(&self) -> LocalBoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let dto = self.ctx.json(ep::get(self.api(), &self.id())).await?;
            self.apply(dto).await
        })
    }

    pub async fn start(&self, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        let dto = self.ctx.json(ep::start(self.api(), &self.id(), t)).await?;
        self.apply(dto).await?;
        self.wait_until_started(Some(self.remaining(t, began))).await
    }

    pub async fn recover(&self, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        let dto = self.ctx.json(ep::recover(self.api(), &self.id(), t)).await?;
        self.apply(dto).await?;
        self.wait_until_started(Some(self.remaining(t, began))).await
    }

    pub async fn stop(&self, timeout: Option<f64>, force: bool) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        self.ctx.send(ep::stop(self.api(), &self.id(), force, t)).await?;
        self.wait_for(Wait {
            timeout_s: self.remaining(t, began),
            is_target: &|s| matches!(s, SandboxState::Stopped | SandboxState::Destroyed),
            tolerant: true,
            failure: &failed_to("stop"),
            timeout_message: "Sandbox failed to become stopped within the timeout period",
        })
        .await
    }

    /// Deletes the sandbox; with `wait`, polls until it is gone.
    pub async fn delete(&self, timeout: Option<f64>, wait: bool) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        let resp = self.ctx.send(ep::delete(self.api(), &self.id(), t)).await?;
        // An answer that is a Sandbox (some servers send none).
        if let Some(dto) = serde_json::from_slice::<SandboxDto>(&resp.body).ok().filter(|d| d.get("id").is_some()) {
            self.apply(dto).await?;
        }
        if !wait {
            return Ok(());
        }
        self.wait_for(Wait {
            timeout_s: self.remaining(t, began),
            is_target: &|s| s == SandboxState::Destroyed,
            tolerant: true,
            failure: &failed_to("delete"),
            timeout_message: "Sandbox failed to be destroyed within the timeout period",
        })
        .await
    }

    pub async fn archive(&self) -> Result<()> {
        self.ctx.send(ep::archive(self.api(), &self.id())).await?;
        self.refresh_data().await
    }

    pub async fn wait_until_started(&self, timeout: Option<f64>) -> Result<()> {
        self.wait_for(Wait {
            timeout_s: timeout_secs(timeout, DEFAULT_TIMEOUT_S)?,
            is_target: &|s| s == SandboxState::Started,
            tolerant: false,
            failure: &failed_to("start"),
            timeout_message: "Sandbox failed to become ready within the timeout period",
        })
        .await
    }

    pub async fn wait_until_stopped(&self, timeout: Option<f64>) -> Result<()> {
        self.wait_for(Wait {
            timeout_s: timeout_secs(timeout, DEFAULT_TIMEOUT_S)?,
            is_target: &|s| matches!(s, SandboxState::Stopped | SandboxState::Destroyed),
            tolerant: true,
            failure: &failed_to("stop"),
            timeout_message: "Sandbox failed to become stopped within the timeout period",
        })
        .await
    }

    /// `POST /sandbox/{id}/network-settings`; at least one setting must be given.
    pub async fn update_network_settings(&self, settings: UpdateSandboxNetworkSettings) -> Result<()> {
        if settings.network_block_all.is_none() && settings.network_allow_list.is_none() && settings.domain_allow_list.is_none() {
            return Err(crate::Error::InvalidArgument("At least one of networkBlockAll, networkAllowList or domainAllowList must be set".into()));
        }
        let dto = self.ctx.json(ep::network_settings(self.api(), &self.id(), &settings)).await?;
        self.apply(dto).await
    }

    /// `PUT /sandbox/{id}/secrets`: the secrets mounted in the sandbox, env var → secret name;
    /// the whole set is replaced.
    pub async fn update_secrets(&self, secrets: BTreeMap<String, String>) -> Result<()> {
        let secrets = secrets.into_iter().map(|(var, name)| BTreeMap::from([(var, name)])).collect();
        let dto = self.ctx.json(ep::secrets(self.api(), &self.id(), &daytona_types::api::secret::UpdateSandboxSecrets { secrets })).await?;
        self.apply(dto).await
    }

    /// Hot-resizes cpu/memory of a running sandbox, or disk of a stopped one (the server
    /// enforces which), then waits while it reports `resizing`.
    pub async fn resize(&self, resources: ResizeParams, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let body = resources.into_body()?;
        let began = self.ctx.clock().now_ms();
        let org = self.dto.borrow().organization_id().to_string();
        let dto = self.ctx.json(ep::resize(self.api(), &self.id(), &org, &body, t)).await?;
        self.apply(dto).await?;
        self.wait_for_resize_complete(Some(self.remaining(t, began))).await
    }

    /// Waits while the sandbox reports `resizing`.
    pub async fn wait_for_resize_complete(&self, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        if self.dto().state() != Some(SandboxState::Resizing) {
            return Ok(());
        }
        self.wait_for(Wait {
            timeout_s: t,
            is_target: &|s| s != SandboxState::Resizing,
            tolerant: false,
            failure: &failed("resize"),
            timeout_message: "Sandbox resize did not complete within the timeout period",
        })
        .await
    }

    /// A new started sandbox whose files are a copy of this one's now; waits until it is
    /// started.
    pub async fn fork(&self, name: Option<String>, timeout: Option<f64>) -> Result<SandboxClient> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        let dto: SandboxDto = self.ctx.json(ep::fork(self.api(), &self.id(), &ForkSandbox { name }, t)).await?;
        let forked = SandboxClient::new(self.ctx.clone(), SandboxDto::with_id(dto.id()));
        forked.apply(dto).await?;
        forked.wait_until_started(Some(self.remaining(t, began))).await?;
        Ok(forked)
    }

    /// Makes the sandbox's files a snapshot named `name`; waits while it is `snapshotting`.
    pub async fn create_snapshot(&self, name: &str, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        let dto = self.ctx.json(ep::create_snapshot(self.api(), &self.id(), &CreateSandboxSnapshot { name: name.into() }, t)).await?;
        self.apply(dto).await?;
        self.wait_for(Wait {
            timeout_s: self.remaining(t, began),
            is_target: &|s| s != SandboxState::Snapshotting,
            tolerant: false,
            failure: &failed("snapshot"),
            timeout_message: "Sandbox snapshot did not complete within the timeout period",
        })
        .await
    }

    /// Freezes the sandbox's processes (`start` resumes them where they were); waits until
    /// it has left `pausing`.
    pub async fn pause(&self, timeout: Option<f64>) -> Result<()> {
        let t = timeout_secs(timeout, DEFAULT_TIMEOUT_S)?;
        let began = self.ctx.clock().now_ms();
        self.ctx.send(ep::pause(self.api(), &self.id(), t)).await?;
        self.refresh_data().await?;
        self.wait_for(Wait {
            timeout_s: self.remaining(t, began),
            is_target: &|s| s != SandboxState::Pausing,
            tolerant: false,
            failure: &failed("pause"),
            timeout_message: "Sandbox failed to become paused within the timeout period",
        })
        .await
    }

    pub fn refresh_activity(&self) -> Call<()> {
        self.call(ep::refresh_activity(self.api(), &self.id()), read::nothing)
    }

    /// The user's home directory in the sandbox (`GET /user-home-dir` on its toolbox).
    pub fn user_home_dir(&self) -> Call<String> {
        self.call(crate::endpoints::info::user_home_dir(&self.toolbox_base()), |resp| require_text(&resp.body, "dir"))
    }

    /// The directory commands start in (`GET /work-dir` on its toolbox).
    pub fn work_dir(&self) -> Call<String> {
        self.call(crate::endpoints::info::work_dir(&self.toolbox_base()), |resp| require_text(&resp.body, "dir"))
    }

    /// Sets and removes (first) variables of the environment the Sandbox's new processes get;
    /// processes already running keep theirs.
    pub async fn update_env(&self, set: BTreeMap<String, String>, unset: Option<Vec<String>>) -> Result<()> {
        let req = daytona_types::toolbox::UpdateEnvRequest { set: Some(set), unset, unset_value_prefix: None };
        let env: BTreeMap<String, String> = self.ctx.json(crate::endpoints::info::update_env(&self.toolbox_base(), &req)).await?;
        self.dto.borrow_mut().set("env", text_map(env));
        Ok(())
    }

    /// Replaces all labels; returns what the server stored (`SandboxLabels`'s `labels`).
    pub async fn set_labels(&self, labels: BTreeMap<String, String>) -> Result<serde_json::Value> {
        let stored: JsonObject = self.ctx.json(ep::set_labels(self.api(), &self.id(), &labels)).await?;
        let labels = stored.get("labels").cloned().unwrap_or_default();
        self.dto.borrow_mut().set("labels", labels.clone());
        Ok(labels)
    }

    pub async fn set_autostop_interval(&self, interval: f64) -> Result<()> {
        let m = minutes("autoStopInterval", interval)?;
        self.set_interval(Interval::AutoStop, m).await?;
        self.dto.borrow_mut().set("autoStopInterval", m);
        Ok(())
    }

    /// Idle minutes after which the sandbox is paused (0 disables it).
    pub async fn set_auto_pause_interval(&self, interval: f64) -> Result<()> {
        let m = minutes("autoPauseInterval", interval)?;
        self.set_interval(Interval::AutoPause, m).await?;
        self.dto.borrow_mut().set("autoPauseInterval", m);
        Ok(())
    }

    pub async fn set_auto_archive_interval(&self, interval: f64) -> Result<()> {
        let m = minutes("autoArchiveInterval", interval)?;
        self.set_interval(Interval::AutoArchive, m).await?;
        self.dto.borrow_mut().set("autoArchiveInterval", m);
        Ok(())
    }

    /// Negative disables auto-delete, 0 deletes on stop; not validated, like the official SDK,
    /// except that it must be a whole number of minutes.
    pub async fn set_auto_delete_interval(&self, interval: f64) -> Result<()> {
        let m = whole_minutes("autoDeleteInterval", interval)?;
        self.set_interval(Interval::AutoDelete, m).await?;
        self.dto.borrow_mut().set("autoDeleteInterval", m);
        Ok(())
    }

    /// Deletes the Sandbox `ttl_minutes` from now, whatever it is doing (0 disables it);
    /// `autoDestroyAt` says when.
    pub async fn set_ttl(&self, ttl_minutes: f64) -> Result<()> {
        let m = minutes("ttlMinutes", ttl_minutes)?;
        let stored: SandboxDto = self.ctx.json(ep::set_interval(self.api(), &self.id(), Interval::Ttl, m)).await?;
        self.dto.borrow_mut().set("autoDestroyAt", stored.get("autoDestroyAt").cloned().unwrap_or_default());
        Ok(())
    }

    async fn set_interval(&self, which: Interval, m: i64) -> Result<()> {
        self.ctx.send(ep::set_interval(self.api(), &self.id(), which, m)).await.map(drop)
    }

    /// Seconds left of `timeout_s` since `began_ms`; 0 stays "no limit".
    fn remaining(&self, timeout_s: f64, began_ms: f64) -> f64 {
        if timeout_s == 0.0 {
            return 0.0;
        }
        let elapsed = (self.ctx.clock().now_ms() - began_ms) / 1000.0;
        (timeout_s - elapsed).max(0.001)
    }
}
