//! The entry point: configuration plus the sandbox collection.

use std::collections::BTreeMap;
use std::rc::Rc;

use daytona_types::api::sandbox::SandboxState;

use crate::build_logs::{follow, OnLogs};

use crate::config::{DaytonaConfig, ResolvedConfig};
use crate::context::{decode, ClientContext};
use crate::endpoints::sandbox as ep;
use crate::error::{Error, Result};
use crate::params::{timeout_secs, CreateSandboxParams, ListSandboxesQuery, SandboxFilter};
use crate::sandbox::SandboxClient;
use crate::sandbox_dto::SandboxDto;
use crate::transport::{Clock, HttpTransport, Signal, WsConnector};

/// The list answers, with their items kept as sent.
type PaginatedSandboxes = daytona_types::api::sandbox::PaginatedSandboxes<SandboxDto>;
type ListSandboxes = daytona_types::api::sandbox::ListSandboxes<SandboxDto>;

/// Sandboxes being built are polled once a second, as the official SDK does.
const POLL_MS: u64 = 1000;
/// How long a create that timed out waits for its sandbox's delete.
const CLEANUP_TIMEOUT_S: f64 = 30.0;

/// One page of `list(labels, page, limit)`.
pub struct SandboxPage {
    pub items: Vec<SandboxClient>,
    pub total: u64,
    pub page: u64,
    pub total_pages: u64,
}

#[derive(Clone)]
pub struct DaytonaClient {
    ctx: ClientContext,
}

impl DaytonaClient {
    /// Resolves the configuration (see [`ResolvedConfig::resolve`]); fails without credentials.
    pub fn new(
        config: Option<DaytonaConfig>,
        env: &dyn Fn(&str) -> Option<String>,
        transport: Rc<dyn HttpTransport>,
        ws: Rc<dyn WsConnector>,
        clock: Rc<dyn Clock>,
    ) -> Result<Self> {
        let config = ResolvedConfig::resolve(config, env)?;
        Ok(DaytonaClient { ctx: ClientContext::new(config, transport, ws, clock) })
    }

    pub fn context(&self) -> &ClientContext {
        &self.ctx
    }

    /// This client for one cancellable call: its requests carry `signal`.
    pub fn with_signal(&self, signal: Signal) -> Self {
        DaytonaClient { ctx: self.ctx.with_signal(signal) }
    }

    /// `daytona.snapshot`.
    pub fn snapshot(&self) -> crate::snapshot::SnapshotClient {
        crate::snapshot::SnapshotClient::new(self.ctx.clone())
    }

    /// `daytona.secret`.
    pub fn secret(&self) -> crate::collection::CollectionClient {
        crate::collection::CollectionClient::new(self.ctx.clone(), "secret")
    }

    /// `daytona.warmPool`.
    pub fn warm_pool(&self) -> crate::collection::CollectionClient {
        crate::collection::CollectionClient::new(self.ctx.clone(), "warm-pools")
    }

    /// `daytona.volume`.
    pub fn volume(&self) -> crate::volume::VolumeClient {
        crate::volume::VolumeClient::new(self.ctx.clone())
    }

    async fn sandbox(&self, dto: SandboxDto) -> Result<SandboxClient> {
        let sb = SandboxClient::new(self.ctx.clone(), SandboxDto::with_id(dto.id()));
        sb.apply(dto).await?;
        Ok(sb)
    }

    /// Creates a sandbox and waits until it is started, within `timeout` seconds (default 60).
    pub async fn create(&self, params: CreateSandboxParams, timeout: Option<f64>) -> Result<SandboxClient> {
        self.create_with_logs(params, timeout, None).await
    }

    /// [`create`](Self::create); a sandbox built from a Dockerfile streams its build log to
    /// `on_logs`.
    pub async fn create_with_logs(&self, params: CreateSandboxParams, timeout: Option<f64>, on_logs: Option<OnLogs<'_>>) -> Result<SandboxClient> {
        let t = timeout_secs(timeout, 60.0)?;
        let body = params.into_body(self.ctx.config().target.clone())?;
        let began = self.ctx.clock().now_ms();
        let timed_out = || {
            // Whole seconds print without float formatting code in the wasm.
            let secs = if t.fract() == 0.0 { (t as u64).to_string() } else { t.to_string() };
            Error::Timeout(format!("Failed to create and start sandbox within {secs} seconds. Operation timed out."))
        };
        let dto = self.ctx.json(ep::create(self.ctx.api_url(), &body, t)).await.map_err(|e| match e {
            Error::ConnectionTimeout(_) => timed_out(),
            other => other,
        })?;
        let sb = self.sandbox(dto).await?;
        let started = async {
            let state = sb.dto().state();
            if let (Some(on_line), Some(SandboxState::PendingBuild)) = (on_logs, state) {
                self.follow_build(&sb, on_line, (t > 0.0).then_some(began + t * 1000.0)).await?;
            }
            if sb.dto().state() != Some(SandboxState::Started) {
                let left = if t == 0.0 { 0.0 } else { (t - (self.ctx.clock().now_ms() - began) / 1000.0).max(0.001) };
                sb.wait_until_started(Some(left)).await?;
            }
            Ok(())
        };
        // The sandbox outlives this call's signal: later calls on it are the caller's own.
        let sb = sb.without_signal();
        match started.await {
            Ok(()) => Ok(sb),
            // Timed out or cancelled: the caller never gets this sandbox, so it must not
            // outlive the call.
            Err(e @ (Error::Timeout(_) | Error::ConnectionTimeout(_) | Error::Aborted)) => {
                let _ = sb.delete(Some(CLEANUP_TIMEOUT_S), false).await;
                Err(if e == Error::Aborted { e } else { timed_out() })
            }
            Err(e) => Err(e),
        }
    }

    /// Streams a sandbox's build log: once it has left
    /// `pending_build`, until the log ends or the sandbox is up or failed.
    async fn follow_build(&self, sb: &SandboxClient, on_line: OnLogs<'_>, deadline_ms: Option<f64>) -> Result<()> {
        let clock = self.ctx.clock();
        while sb.dto().state() == Some(SandboxState::PendingBuild) {
            if deadline_ms.is_some_and(|d| clock.now_ms() >= d) {
                return Err(Error::Timeout("Sandbox build did not start in time".into()));
            }
            clock.sleep(POLL_MS).await;
            sb.refresh_data().await?;
        }
        let id = sb.dto().id().to_string();
        let url = self.ctx.json_text(ep::build_logs_url(self.ctx.api_url(), &id), "url").await?;
        // Ends with the build, or at the create's deadline (the wait after it then times out).
        let ended = async {
            use SandboxState::*;
            while !matches!(sb.dto().state(), Some(Started | Starting | Error | BuildFailed)) && !deadline_ms.is_some_and(|d| clock.now_ms() >= d) {
                clock.sleep(POLL_MS).await;
                // A failed poll is retried; the wait after the log reports lasting trouble.
                let _ = sb.refresh_data().await;
            }
        };
        follow(&self.ctx, &url, on_line, ended).await;
        Ok(())
    }

    pub async fn get(&self, id_or_name: &str) -> Result<SandboxClient> {
        if id_or_name.is_empty() {
            return Err(Error::InvalidArgument("sandboxIdOrName is required".into()));
        }
        let dto = self.ctx.json(ep::get(self.ctx.api_url(), id_or_name)).await?;
        self.sandbox(dto).await
    }

    /// The seed SDK's `list(labels, page, limit)` (page is 1-based): `GET /sandbox/paginated`,
    /// or, on a server without it, the cursor list read whole and cut to the page.
    pub async fn list(&self, labels: Option<BTreeMap<String, String>>, page: Option<u64>, limit: Option<u64>) -> Result<SandboxPage> {
        let resp: PaginatedSandboxes = match self.ctx.json(ep::list_paginated(self.ctx.api_url(), labels.as_ref(), page, limit)).await {
            Err(e) if e.status() == Some(404) => self.paginate_cursor_list(labels, page, limit).await?,
            other => other?,
        };
        let mut items = Vec::with_capacity(resp.items.len());
        for dto in resp.items {
            items.push(self.sandbox(dto).await?);
        }
        Ok(SandboxPage { items, total: resp.total, page: resp.page, total_pages: resp.total_pages })
    }

    async fn paginate_cursor_list(&self, labels: Option<BTreeMap<String, String>>, page: Option<u64>, limit: Option<u64>) -> Result<PaginatedSandboxes> {
        let (page, limit) = (page.unwrap_or(1).max(1), limit.unwrap_or(100).clamp(1, 200));
        let query = ListSandboxesQuery { labels, limit: Some(200), ..Default::default() };
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let (items, next) = self.list_dtos(&query, cursor.as_deref()).await?;
            all.extend(items);
            match next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        let total = all.len() as u64;
        let items = all.into_iter().skip(((page - 1) * limit) as usize).take(limit as usize).collect();
        Ok(PaginatedSandboxes { items, total, page, total_pages: total.div_ceil(limit) })
    }

    /// One page of the current official SDK's `list(query)` from `cursor` (`None` for the
    /// first), and the cursor of the next page if there is one.
    pub async fn list_cursor(&self, query: &ListSandboxesQuery, cursor: Option<&str>) -> Result<(Vec<SandboxClient>, Option<String>)> {
        let (dtos, next) = self.list_dtos(query, cursor).await?;
        let mut items = Vec::with_capacity(dtos.len());
        for dto in dtos {
            items.push(self.sandbox(dto).await?);
        }
        Ok((items, next))
    }

    /// `GET /sandbox`. Servers that predate the cursor list answer it with every sandbox as
    /// an array; servers without it (404) are read through `GET /sandbox/paginated`, whose
    /// page number then is the cursor and which filters by labels only.
    async fn list_dtos(&self, query: &ListSandboxesQuery, cursor: Option<&str>) -> Result<(Vec<SandboxDto>, Option<String>)> {
        match self.ctx.send(ep::list(self.ctx.api_url(), query, cursor)).await {
            // Told apart by the first byte, not an untagged enum: that costs ~10 KB of wasm.
            Ok(resp) if resp.body.trim_ascii_start().starts_with(b"[") => Ok((decode(&resp.body)?, None)),
            Ok(resp) => {
                let page: ListSandboxes = decode(&resp.body)?;
                Ok((page.items, page.next_cursor.filter(|c| !c.is_empty())))
            }
            Err(e) if e.status() == Some(404) => {
                let page = cursor.and_then(|c| c.parse::<u64>().ok()).unwrap_or(1);
                let resp: PaginatedSandboxes = self.ctx.json(ep::list_paginated(self.ctx.api_url(), query.labels.as_ref(), Some(page), query.limit)).await?;
                Ok((resp.items, (page < resp.total_pages).then(|| (page + 1).to_string())))
            }
            Err(e) => Err(e),
        }
    }

    /// The first sandbox matching an id or name, or else the labels.
    pub async fn find_one(&self, filter: SandboxFilter) -> Result<SandboxClient> {
        if let Some(key) = filter.id_or_name.or(filter.id).or(filter.name) {
            return self.get(&key).await;
        }
        let labels = filter.labels.unwrap_or_default();
        let page = self.list(Some(labels.clone()), Some(1), Some(1)).await?;
        page.items
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound(format!("No sandbox found with labels {}", serde_json::to_string(&labels).unwrap_or_default())))
    }
}
