//! The entry point: configuration plus the sandbox collection (protocol §4.1–§4.2).

use std::collections::BTreeMap;
use std::rc::Rc;

use daytona_types::api::sandbox::{PaginatedSandboxes, Sandbox, SandboxState};

use crate::config::{DaytonaConfig, ResolvedConfig};
use crate::context::ClientContext;
use crate::endpoints::sandbox as ep;
use crate::error::{Error, Result};
use crate::params::{timeout_secs, CreateSandboxParams, SandboxFilter};
use crate::sandbox::SandboxClient;
use crate::transport::{Clock, HttpTransport, WsConnector};

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

    /// `daytona.volume`.
    pub fn volume(&self) -> crate::volume::VolumeClient {
        crate::volume::VolumeClient::new(self.ctx.clone())
    }

    async fn sandbox(&self, dto: Sandbox) -> Result<SandboxClient> {
        let sb = SandboxClient::new(self.ctx.clone(), Sandbox { id: dto.id.clone(), ..Default::default() });
        sb.apply(dto).await?;
        Ok(sb)
    }

    /// Creates a sandbox and waits until it is started, within `timeout` seconds (default 60).
    pub async fn create(&self, params: CreateSandboxParams, timeout: Option<f64>) -> Result<SandboxClient> {
        let t = timeout_secs(timeout, 60.0)?;
        let body = params.into_body(self.ctx.config().target.clone())?;
        let began = self.ctx.clock().now_ms();
        let dto = self.ctx.json(ep::create(self.ctx.api_url(), &body, t)).await?;
        let sb = self.sandbox(dto).await?;
        if sb.dto().state != Some(SandboxState::Started) {
            let left = if t == 0.0 { 0.0 } else { (t - (self.ctx.clock().now_ms() - began) / 1000.0).max(0.001) };
            sb.wait_until_started(Some(left)).await.map_err(|e| match e {
                Error::Timeout(_) => {
                    // Whole seconds print without float formatting code in the wasm.
                    let secs = if t.fract() == 0.0 { (t as u64).to_string() } else { t.to_string() };
                    Error::Timeout(format!("Failed to create and start sandbox within {secs} seconds. Operation timed out."))
                }
                other => other,
            })?;
        }
        Ok(sb)
    }

    pub async fn get(&self, id_or_name: &str) -> Result<SandboxClient> {
        if id_or_name.is_empty() {
            return Err(Error::InvalidArgument("sandboxIdOrName is required".into()));
        }
        let dto = self.ctx.json(ep::get(self.ctx.api_url(), id_or_name)).await?;
        self.sandbox(dto).await
    }

    /// Lists sandboxes with `GET /sandbox/paginated` (page is 1-based).
    pub async fn list(&self, labels: Option<BTreeMap<String, String>>, page: Option<u64>, limit: Option<u64>) -> Result<SandboxPage> {
        let resp: PaginatedSandboxes =
            self.ctx.json(ep::list_paginated(self.ctx.api_url(), labels.as_ref(), page, limit)).await?;
        let mut items = Vec::with_capacity(resp.items.len());
        for dto in resp.items {
            items.push(self.sandbox(dto).await?);
        }
        Ok(SandboxPage { items, total: resp.total, page: resp.page, total_pages: resp.total_pages })
    }

    /// The first sandbox matching an id or name, or else the labels.
    pub async fn find_one(&self, filter: SandboxFilter) -> Result<SandboxClient> {
        if let Some(key) = filter.id_or_name.or(filter.id).or(filter.name) {
            return self.get(&key).await;
        }
        let labels = filter.labels.unwrap_or_default();
        let page = self.list(Some(labels.clone()), Some(1), Some(1)).await?;
        page.items.into_iter().next().ok_or_else(|| {
            Error::NotFound(format!("No sandbox found with labels {}", serde_json::to_string(&labels).unwrap_or_default()))
        })
    }
}
