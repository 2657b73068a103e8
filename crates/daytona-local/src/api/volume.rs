//! `/api/volumes…` handlers.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use daytona_types::api::volume::{CreateVolume, Volume};

use crate::http::AppJson;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/volumes", get(list).post(create)).route("/volumes/by-name/{name}", get(by_name)).route("/volumes/{id}", get(by_id).delete(delete))
}

async fn list(State(s): State<AppState>) -> Result<Json<Vec<Volume>>, Error> {
    Ok(Json(s.sandboxes.volumes()?))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateVolume>) -> Result<Json<Volume>, Error> {
    Ok(Json(s.sandboxes.create_volume(&req.name)?))
}

async fn by_name(State(s): State<AppState>, Path(name): Path<String>) -> Result<Json<Volume>, Error> {
    Ok(Json(s.sandboxes.volume(&name)?))
}

async fn by_id(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Volume>, Error> {
    Ok(Json(s.sandboxes.volume(&id)?))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Result<(), Error> {
    s.sandboxes.delete_volume(&id)
}
