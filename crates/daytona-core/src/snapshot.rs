//! `daytona.snapshot`: templates sandboxes are created from, pulled by name or built from
//! an `Image` with the build log streamed.

use std::cell::RefCell;

use crate::build_logs::{follow, OnLogs};
use crate::call::{read, Call, Json};
use crate::endpoints::snapshots as ep;
use crate::error::{Error, Result};
use crate::json_object::json_dto;
use crate::params::{timeout_secs, CreateSnapshotParams};
use crate::ClientContext;

/// The official SDK polls a snapshot being made once a second.
const POLL_MS: u64 = 1000;

json_dto! {
    /// `Snapshot`, as sent: `create` resolves to it; it is read for its name, state and id.
    Snapshot
}

impl Snapshot {
    fn name(&self) -> &str {
        self.text("name").unwrap_or_default()
    }

    fn state(&self) -> &str {
        self.text("state").unwrap_or_default()
    }

    fn is_settled(&self) -> bool {
        daytona_types::api::snapshot::is_settled(self.state())
    }
}

#[derive(Clone)]
pub struct SnapshotClient {
    ctx: ClientContext,
}

/// What `create` reports as the snapshot's state moves on.
struct Progress<'a> {
    on_logs: Option<OnLogs<'a>>,
    last_state: RefCell<String>,
}

impl Progress<'_> {
    fn saw(&self, s: &Snapshot) {
        if *self.last_state.replace(s.state().to_string()) != *s.state() && !s.is_settled() {
            self.say(&format!("Creating snapshot {} ({})", s.name(), s.state()));
        }
    }

    fn say(&self, line: &str) {
        if let Some(f) = self.on_logs {
            f(line);
        }
    }
}

impl SnapshotClient {
    pub fn new(ctx: ClientContext) -> Self {
        SnapshotClient { ctx }
    }

    /// This client for one cancellable call: its requests carry `signal`.
    pub fn with_signal(&self, signal: crate::transport::Signal) -> Self {
        SnapshotClient { ctx: self.ctx.with_signal(signal) }
    }

    pub fn context(&self) -> &ClientContext {
        &self.ctx
    }

    /// `GET /snapshots`: one page, optionally of the snapshots taken of one sandbox.
    /// `PaginatedSnapshots`.
    pub fn list(&self, page: Option<u64>, limit: Option<u64>, source_sandbox_id: Option<&str>) -> Call<Json> {
        self.ctx.call(ep::list(self.ctx.api_url(), page, limit, source_sandbox_id), read::json)
    }

    /// `Snapshot`.
    pub fn get(&self, id_or_name: &str) -> Call<Json> {
        self.ctx.call(ep::get(self.ctx.api_url(), id_or_name), read::json)
    }

    pub fn delete(&self, id: &str) -> Call<()> {
        self.ctx.call(ep::delete(self.ctx.api_url(), id), read::nothing)
    }

    /// `Snapshot`.
    pub fn activate(&self, id: &str) -> Call<Json> {
        self.ctx.call(ep::activate(self.ctx.api_url(), id), read::json)
    }

    /// Polls until `until` holds (checking at once, then once a second).
    async fn poll(&self, name: &str, progress: &Progress<'_>, until: impl Fn(&Snapshot) -> bool) -> Result<Snapshot> {
        loop {
            let s: Snapshot = self.ctx.json(ep::get(self.ctx.api_url(), name)).await?;
            progress.saw(&s);
            if until(&s) {
                return Ok(s);
            }
            self.ctx.clock().sleep(POLL_MS).await;
        }
    }

    /// Creates a snapshot and waits until it is active; a failed build rejects with its
    /// reason. With `on_logs`, state changes and the build log are reported as they come.
    /// `timeout` (seconds, 0 = none) bounds the create request only, as in the official SDK.
    pub async fn create(&self, params: CreateSnapshotParams, on_logs: Option<OnLogs<'_>>, timeout: Option<f64>) -> Result<Snapshot> {
        let t = timeout_secs(timeout, 0.0)?;
        let body = params.into_body(self.ctx.config().target.clone())?;
        let snap: Snapshot = self.ctx.json(ep::create(self.ctx.api_url(), &body, t)).await?;
        let name = snap.name().to_string();
        let progress = Progress { on_logs, last_state: RefCell::new(snap.state().to_string()) };
        progress.say(&format!("Creating snapshot {name} ({})", snap.state()));
        if let (Some(on_line), true, false) = (on_logs, body.build_info.is_some(), snap.is_settled()) {
            // The log exists once the build has left `pending`.
            let building = if snap.state() == "pending" { self.poll(&name, &progress, |s| s.state() != "pending").await? } else { snap };
            if !building.is_settled() {
                let url = self.ctx.json_text(ep::build_logs_url(self.ctx.api_url(), building.text("id").unwrap_or_default()), "url").await?;
                let ended = async {
                    // A failed poll ends the wait for the log; the poll below reports it.
                    let _ = self.poll(&name, &progress, Snapshot::is_settled).await;
                };
                follow(&self.ctx, &url, on_line, ended).await;
            }
        }
        let done = self.poll(&name, &progress, Snapshot::is_settled).await?;
        if done.state() != "active" {
            let reason = done.text("errorReason").unwrap_or("unknown");
            return Err(Error::Other(format!("Failed to create snapshot. Name: {name} Reason: {reason}")));
        }
        progress.say(&format!("Created snapshot {name} (active)"));
        Ok(done)
    }
}
