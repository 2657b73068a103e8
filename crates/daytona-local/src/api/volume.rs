//! `/api/volumes…` handlers.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use daytona_types::api::volume::{CreateVolume, Volume};

use crate::error::{ApiError, AppJson};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/volumes", get(list).post(create)).route("/volumes/by-name/{name}", get(by_name)).route("/volumes/{id}", get(by_id).delete(delete))
}

async fn list(State(s): State<AppState>) -> Result<Json<Vec<Volume>>, ApiError> {
    Ok(Json(s.sandboxes.volumes()?))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateVolume>) -> Result<Json<Volume>, ApiError> {
    Ok(Json(s.sandboxes.create_volume(&req.name)?))
}

async fn by_name(State(s): State<AppState>, Path(name): Path<String>) -> Result<Json<Volume>, ApiError> {
    Ok(Json(s.sandboxes.volume(&name)?))
}

async fn by_id(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Volume>, ApiError> {
    Ok(Json(s.sandboxes.volume(&id)?))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Result<(), ApiError> {
    s.sandboxes.delete_volume(&id)
}
