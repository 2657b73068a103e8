//! `/api/sandbox…` handlers. Thin: parse, call the manager, render.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use daytona_types::api::sandbox::{
    CreateSandbox, CreateSandboxSnapshot, ForkSandbox, ListSandboxes, PaginatedSandboxes, ResizeSandbox, Sandbox, SandboxLabels, SandboxState, ToolboxProxyUrl,
    UpdateSandboxNetworkSettings,
};
use daytona_types::api::telemetry::MetricsResponse;

use crate::http::AppJson;
use crate::runtime::sandboxes::Interval;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sandbox", post(create).get(list))
        .route("/sandbox/paginated", get(list_paginated))
        .route("/sandbox/{id}", get(get_one).delete(delete))
        .route("/sandbox/{id}/start", post(start))
        .route("/sandbox/{id}/stop", post(stop))
        .route("/sandbox/{id}/recover", post(recover))
        .route("/sandbox/{id}/archive", post(archive))
        .route("/sandbox/{id}/pause", post(pause))
        .route("/sandbox/{id}/fork", post(fork))
        .route("/sandbox/{id}/parent", get(parent))
        .route("/sandbox/{id}/ancestors", get(ancestors))
        .route("/sandbox/{id}/forks", get(forks))
        .route("/sandbox/{id}/snapshot", post(snapshot))
        .route("/sandbox/{id}/resize", post(resize))
        .route("/sandbox/{id}/network-settings", post(network_settings))
        .route("/sandbox/{id}/secrets", axum::routing::put(secrets))
        .route("/sandbox/{id}/labels", put(set_labels))
        .route("/sandbox/{id}/last-activity", post(refresh_activity))
        .route("/sandbox/{id}/toolbox-proxy-url", get(toolbox_proxy_url))
        .route("/sandbox/{id}/telemetry/metrics", get(telemetry_metrics))
        .route("/sandbox/{id}/signing-key", get(signing_key))
        .route("/sandbox/{id}/signing-key/rotate", post(rotate_signing_key))
        .route("/sandbox/{id}/{setting}/{minutes}", post(set_interval))
}

type Dto = Result<Json<Sandbox>, Error>;

/// Fills in what is not stored: how the server is reached, and what is live.
pub(crate) fn render(state: &AppState, mut dto: Sandbox) -> Sandbox {
    dto.toolbox_proxy_url = state.toolbox_proxy_url();
    state.sandboxes.present(&mut dto);
    dto
}

fn one(state: &AppState, dto: Result<Sandbox, Error>) -> Dto {
    Ok(Json(render(state, dto?)))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateSandbox>) -> Dto {
    one(&s, s.sandboxes.create(req))
}

async fn get_one(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.get(&id))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.delete(&id))
}

async fn start(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.start(&id))
}

async fn stop(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.stop(&id))
}

async fn recover(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.recover(&id))
}

async fn pause(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.pause(&id))
}

async fn fork(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<ForkSandbox>) -> Dto {
    one(&s, s.sandboxes.fork(&id, req.name))
}

async fn parent(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.parent(&id))
}

async fn ancestors(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<Sandbox>>, Error> {
    Ok(Json(s.sandboxes.ancestors(&id)?.into_iter().map(|dto| render(&s, dto)).collect()))
}

async fn forks(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<Sandbox>>, Error> {
    Ok(Json(s.sandboxes.forks(&id)?.into_iter().map(|dto| render(&s, dto)).collect()))
}

async fn snapshot(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<CreateSandboxSnapshot>) -> Dto {
    one(&s, s.sandboxes.snapshot_sandbox(&id, req.name))
}

async fn archive(State(s): State<AppState>, Path(id): Path<String>) -> Dto {
    one(&s, s.sandboxes.archive(&id))
}

async fn secrets(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<daytona_types::api::secret::UpdateSandboxSecrets>) -> Dto {
    one(&s, s.sandboxes.update_secrets(&id, &req.secrets))
}

async fn network_settings(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<UpdateSandboxNetworkSettings>) -> Dto {
    one(&s, s.sandboxes.update_network(&id, req))
}

async fn resize(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<ResizeSandbox>) -> Dto {
    one(&s, s.sandboxes.resize(&id, req))
}

/// Answers the full DTO, as the real API does; SDKs read only `labels` from it.
async fn set_labels(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<SandboxLabels>) -> Dto {
    one(&s, s.sandboxes.set_labels(&id, req.labels))
}

/// The official SDK sends `{}` (or nothing); the body carries nothing we need.
async fn refresh_activity(State(s): State<AppState>, Path(id): Path<String>) -> Result<(), Error> {
    s.sandboxes.refresh_activity(&id)
}

async fn toolbox_proxy_url(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ToolboxProxyUrl>, Error> {
    s.sandboxes.get(&id)?;
    Ok(Json(ToolboxProxyUrl { url: s.toolbox_proxy_url() }))
}

async fn set_interval(State(s): State<AppState>, Path((id, setting, minutes)): Path<(String, String, String)>) -> Dto {
    let which = match setting.as_str() {
        "autostop" => Interval::AutoStop,
        "autoarchive" => Interval::AutoArchive,
        "autodelete" => Interval::AutoDelete,
        "autopause" => Interval::AutoPause,
        "ttl" => Interval::Ttl,
        _ => return Err(Error::NotFound(format!("Cannot POST /api/sandbox/{id}/{setting}/{minutes}"))),
    };
    let minutes: i64 = minutes.parse().map_err(|_| Error::Invalid(format!("interval must be an integer, got {minutes:?}")))?;
    one(&s, s.sandboxes.set_interval(&id, which, minutes))
}

/// The key the SDK signs file URLs with (a JSON string, which the SDK reads as the key).
async fn signing_key(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<String>, Error> {
    let (id, generation) = s.sandboxes.signing_generation(&id)?;
    Ok(Json(crate::secrets::signing_key(&s.api_key, &id, generation)))
}

async fn rotate_signing_key(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<String>, Error> {
    let (id, generation) = s.sandboxes.rotate_signing_key(&id)?;
    Ok(Json(crate::secrets::signing_key(&s.api_key, &id, generation)))
}

/// `from` and `to` (RFC 3339; by default the sandbox's creation and now) and the
/// `metricNames` wanted (all by default): what was sampled in between.
async fn telemetry_metrics(State(s): State<AppState>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Result<Json<MetricsResponse>, Error> {
    let q = Query::parse(raw);
    let dto = s.sandboxes.get(&id)?;
    let time = |key: &str, default: i64| match q.one(key) {
        None => Ok(default),
        Some(t) => chrono::DateTime::parse_from_rfc3339(t).map(|t| t.timestamp_millis()).map_err(|_| Error::Invalid(format!("{key} must be an ISO 8601 date"))),
    };
    let created = dto.created_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map_or(0, |t| t.timestamp_millis());
    let (from, to) = (time("from", created)?, time("to", crate::runtime::time::now_ms())?);
    let names: Vec<String> = q.all("metricNames").flat_map(|n| n.split(',')).map(str::to_owned).collect();
    Ok(Json(MetricsResponse { series: s.sandboxes.metrics.series(&dto.id, from, to, &names) }))
}

/// Query parameters, with repeated keys kept (`states=a&states=b`).
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: Option<String>) -> Self {
        Query(form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect())
    }
    fn one(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    fn number(&self, key: &str, default: u64, min: u64, max: u64) -> Result<u64, Error> {
        match self.one(key) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| Error::Invalid(format!("{key} must be an integer between {min} and {max}"))),
        }
    }
    fn labels(&self) -> Result<Option<BTreeMap<String, String>>, Error> {
        self.one("labels").map(|v| serde_json::from_str(v).map_err(|_| Error::Invalid("labels must be a JSON object of strings".into()))).transpose()
    }
}

fn has_labels(dto: &Sandbox, labels: &Option<BTreeMap<String, String>>) -> bool {
    labels.iter().flatten().all(|(k, v)| dto.labels.get(k) == Some(v))
}

/// The seed SDK's `list(labels, page, limit)`: `{ items, total, page, totalPages }`, newest first.
async fn list_paginated(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<PaginatedSandboxes>, Error> {
    let q = Query::parse(raw);
    let page = q.number("page", 1, 1, u32::MAX as u64)?;
    let limit = q.number("limit", 100, 1, 200)?;
    let labels = q.labels()?;
    let matching: Vec<Sandbox> = s.sandboxes.listed()?.into_iter().map(|r| r.dto).filter(|d| has_labels(d, &labels)).collect();
    let total = matching.len() as u64;
    let items = matching.into_iter().skip(((page - 1) * limit) as usize).take(limit as usize).map(|d| render(&s, d)).collect();
    Ok(Json(PaginatedSandboxes { items, total, page, total_pages: total.div_ceil(limit) }))
}

/// `GET /sandbox`: the current official SDK's cursor list, with Daytona's filters and sorting
/// (default newest first). Items omit `env`, by which the SDK tells them from full DTOs. The
/// cursor is an opaque offset.
async fn list(State(s): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<ListSandboxes>, Error> {
    let q = Query::parse(raw);
    let limit = q.number("limit", 100, 1, 200)?;
    let offset = match q.one("cursor") {
        None | Some("") => 0,
        Some(c) => c.parse::<u64>().map_err(|_| Error::Invalid("invalid cursor".into()))?,
    };
    let filter = ListFilter::parse(&q)?;
    let (sort, descending) = sort_order(&q)?;
    let mut matching: Vec<Sandbox> = s.sandboxes.listed()?.into_iter().map(|r| r.dto).filter(|d| filter.admits(d)).collect();
    matching.sort_by(|a, b| {
        let by = sort(a, b).then_with(|| a.id.cmp(&b.id));
        if descending {
            by.reverse()
        } else {
            by
        }
    });
    let end = offset + limit;
    let next_cursor = (end < matching.len() as u64).then(|| end.to_string());
    let items = matching.into_iter().skip(offset as usize).take(limit as usize).map(|d| Sandbox { env: None, ..render(&s, d) }).collect();
    Ok(Json(ListSandboxes { items, next_cursor }))
}

type Compare = fn(&Sandbox, &Sandbox) -> std::cmp::Ordering;

/// `sort` (a `SandboxListSortField`, default `createdAt`) and `order` (default `desc`).
fn sort_order(q: &Query) -> Result<(Compare, bool), Error> {
    let sort: Compare = match q.one("sort").unwrap_or("createdAt") {
        "name" => |a, b| a.name.cmp(&b.name),
        "cpu" => |a, b| a.cpu.total_cmp(&b.cpu),
        "memoryGib" => |a, b| a.memory.total_cmp(&b.memory),
        "diskGib" => |a, b| a.disk.total_cmp(&b.disk),
        // ISO-8601 UTC timestamps of one format sort as strings.
        "lastActivityAt" => |a, b| a.last_activity_at.cmp(&b.last_activity_at),
        "createdAt" => |a, b| a.created_at.cmp(&b.created_at),
        other => return Err(Error::Invalid(format!("invalid sort field: {other}"))),
    };
    let descending = match q.one("order").unwrap_or("desc") {
        "desc" => true,
        "asc" => false,
        other => return Err(Error::Invalid(format!("invalid sort direction: {other}"))),
    };
    Ok((sort, descending))
}

/// The filters of `GET /sandbox`; every one given must hold.
#[derive(Default)]
struct ListFilter {
    labels: Option<BTreeMap<String, String>>,
    states: Vec<SandboxState>,
    id_prefix: Option<String>,
    name_prefix: Option<String>,
    snapshots: Vec<String>,
    targets: Vec<String>,
    /// (min, max) of cpu, memory (GiB) and disk (GiB).
    cpu: (Option<f64>, Option<f64>),
    memory: (Option<f64>, Option<f64>),
    disk: (Option<f64>, Option<f64>),
    public: Option<bool>,
    recoverable: Option<bool>,
    /// (after, before) of the creation and last-activity times.
    created: (Option<DateTime>, Option<DateTime>),
    last_activity: (Option<DateTime>, Option<DateTime>),
    /// Sandboxes here are never scheduled for destruction, so any bound on that time
    /// admits none.
    auto_destroy_bound: bool,
}

type DateTime = chrono::DateTime<chrono::FixedOffset>;

impl ListFilter {
    fn parse(q: &Query) -> Result<Self, Error> {
        let float = |key: &str| q.one(key).map(|v| v.parse::<f64>().map_err(|_| Error::Invalid(format!("{key} must be a number")))).transpose();
        let boolean = |key: &str| match q.one(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(Error::Invalid(format!("{key} must be true or false"))),
        };
        let time = |key: &str| {
            q.one(key).map(|v| chrono::DateTime::parse_from_rfc3339(v).map_err(|_| Error::Invalid(format!("{key} must be an ISO 8601 date")))).transpose()
        };
        let prefix = |key: &str| q.one(key).map(str::to_lowercase);
        let states = q
            .all("states")
            .map(|v| SandboxState::parse(v).filter(|s| *s != SandboxState::Destroyed).ok_or_else(|| Error::Invalid(format!("invalid state: {v}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ListFilter {
            labels: q.labels()?,
            states,
            id_prefix: prefix("id"),
            name_prefix: prefix("name"),
            snapshots: q.all("snapshots").map(str::to_owned).collect(),
            targets: q.all("regionIds").map(str::to_owned).collect(),
            cpu: (float("minCpu")?, float("maxCpu")?),
            memory: (float("minMemoryGiB")?, float("maxMemoryGiB")?),
            disk: (float("minDiskGiB")?, float("maxDiskGiB")?),
            public: boolean("isPublic")?,
            recoverable: boolean("isRecoverable")?,
            created: (time("createdAtAfter")?, time("createdAtBefore")?),
            last_activity: (time("lastEventAfter")?, time("lastEventBefore")?),
            auto_destroy_bound: time("autoDestroyAtAfter")?.is_some() || time("autoDestroyAtBefore")?.is_some(),
        })
    }

    fn admits(&self, d: &Sandbox) -> bool {
        let within = |v: f64, (min, max): (Option<f64>, Option<f64>)| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
        let between = |at: &Option<String>, (after, before): (Option<DateTime>, Option<DateTime>)| {
            if after.is_none() && before.is_none() {
                return true;
            }
            let Some(at) = at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) else { return false };
            after.is_none_or(|a| at > a) && before.is_none_or(|b| at < b)
        };
        let starts = |value: &str, prefix: &Option<String>| prefix.as_ref().is_none_or(|p| value.to_lowercase().starts_with(p));
        has_labels(d, &self.labels)
            && (self.states.is_empty() || d.state.is_some_and(|st| self.states.contains(&st)))
            && starts(&d.id, &self.id_prefix)
            && starts(&d.name, &self.name_prefix)
            && (self.snapshots.is_empty() || d.snapshot.as_ref().is_some_and(|s| self.snapshots.contains(s)))
            && (self.targets.is_empty() || self.targets.contains(&d.target))
            && within(d.cpu, self.cpu)
            && within(d.memory, self.memory)
            && within(d.disk, self.disk)
            && self.public.is_none_or(|p| d.public == p)
            && self.recoverable.is_none_or(|r| d.recoverable.unwrap_or(false) == r)
            && between(&d.created_at, self.created)
            && between(&d.last_activity_at, self.last_activity)
            && !self.auto_destroy_bound
    }
}
