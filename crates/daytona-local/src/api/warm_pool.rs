//! `/api/warm-pools…` handlers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use daytona_types::api::warm_pool::{CreateWarmPool, UpdateWarmPool, WarmPool};

use crate::http::AppJson;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/warm-pools", get(list).post(create)).route("/warm-pools/{id}", patch(update).delete(delete))
}

async fn list(State(s): State<AppState>) -> Result<Json<Vec<WarmPool>>, Error> {
    Ok(Json(s.sandboxes.warm_pools()?))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateWarmPool>) -> Result<Json<WarmPool>, Error> {
    Ok(Json(s.sandboxes.create_warm_pool(req)?))
}

async fn update(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<UpdateWarmPool>) -> Result<Json<WarmPool>, Error> {
    Ok(Json(s.sandboxes.update_warm_pool(&id, req.pool)?))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, Error> {
    s.sandboxes.delete_warm_pool(&id)?;
    Ok(StatusCode::OK)
}
