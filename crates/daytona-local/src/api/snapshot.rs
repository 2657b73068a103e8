//! `/api/snapshots…` handlers, and the build logs of snapshots and of
//! sandboxes built from a Dockerfile.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::api::snapshot::{CreateSnapshot, PaginatedSnapshots, Snapshot, Url};
use serde::Deserialize;
use tokio::io::AsyncReadExt;

use crate::http::AppJson;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/snapshots", get(list).post(create))
        .route("/snapshots/{id}", get(get_one).delete(delete))
        .route("/snapshots/{id}/activate", post(activate))
        .route("/snapshots/{id}/build-logs-url", get(logs_url))
        .route("/snapshots/{id}/build-logs", get(logs))
        .route("/sandbox/{id}/build-logs-url", get(sandbox_logs_url))
}

#[derive(Deserialize)]
struct Page {
    page: Option<u64>,
    limit: Option<u64>,
    #[serde(rename = "sourceSandboxId")]
    source_sandbox_id: Option<String>,
}

async fn list(State(s): State<AppState>, Query(q): Query<Page>) -> Result<Json<PaginatedSnapshots>, Error> {
    Ok(Json(s.sandboxes.snapshots(q.page, q.limit, q.source_sandbox_id.as_deref())?))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateSnapshot>) -> Result<Json<Snapshot>, Error> {
    Ok(Json(s.sandboxes.create_snapshot(req)?))
}

async fn get_one(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Snapshot>, Error> {
    Ok(Json(s.sandboxes.snapshot(&id)?))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Result<(), Error> {
    s.sandboxes.delete_snapshot(&id)
}

async fn activate(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Snapshot>, Error> {
    Ok(Json(s.sandboxes.activate_snapshot(&id)?))
}

/// Without a query string: SDKs append `?follow=true`.
fn logs_url_of(s: &AppState, snapshot_id: &str) -> Json<Url> {
    Json(Url { url: format!("{}/api/snapshots/{snapshot_id}/build-logs", s.public_url) })
}

async fn logs_url(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Url>, Error> {
    Ok(logs_url_of(&s, &s.sandboxes.snapshot(&id)?.id))
}

async fn sandbox_logs_url(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Url>, Error> {
    Ok(logs_url_of(&s, &s.sandboxes.build_snapshot_of(&id)?))
}

#[derive(Deserialize)]
struct LogsQuery {
    follow: Option<bool>,
}

/// The log as raw bytes; with `follow`, kept open and fed as the build writes until the
/// build has ended.
async fn logs(State(s): State<AppState>, Path(id): Path<String>, Query(q): Query<LogsQuery>) -> Result<Response, Error> {
    let id = s.sandboxes.snapshot(&id)?.id;
    let file = tokio::fs::File::open(s.sandboxes.snapshot_log(&id)).await.map_err(|_| Error::NotFound(format!("Snapshot {id} has no build logs")))?;
    let follow = q.follow.unwrap_or(false);
    let stream = futures_util::stream::unfold(Some(file), move |file| {
        let s = s.clone();
        let id = id.clone();
        async move {
            let mut file = file?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                // Whether the build had ended before this read: then an empty read is the end.
                let ended = !follow || s.sandboxes.snapshot(&id).map_or(true, |snap| snap.is_settled());
                match file.read(&mut buf).await {
                    Ok(0) if ended => return None,
                    Ok(0) => tokio::time::sleep(Duration::from_millis(100)).await,
                    Ok(n) => return Some((Ok::<_, std::io::Error>(Bytes::copy_from_slice(&buf[..n])), Some(file))),
                    Err(e) => return Some((Err(e), None)),
                }
            }
        }
    });
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], Body::from_stream(stream)).into_response())
}
