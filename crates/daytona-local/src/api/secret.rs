//! `/api/secret…` handlers ([`crate::runtime::vault`]).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use daytona_types::api::secret::{CreateSecret, ListSecretsResponse, Secret, UpdateSecret};

use crate::http::AppJson;
use crate::runtime::vault::ListQuery;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/secret", get(list_all).post(create))
        .route("/secret/paginated", get(list))
        .route("/secret/{id}", get(one).patch(update).delete(delete))
}

async fn create(State(s): State<AppState>, AppJson(req): AppJson<CreateSecret>) -> Result<Json<Secret>, Error> {
    Ok(Json(s.sandboxes.vault.create(&s.sandboxes.store, req)?))
}

async fn list(State(s): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<ListSecretsResponse>, Error> {
    Ok(Json(s.sandboxes.vault.list(&s.sandboxes.store, q)?))
}

/// `GET /secret`: every secret, newest first.
async fn list_all(State(s): State<AppState>) -> Result<Json<Vec<Secret>>, Error> {
    Ok(Json(s.sandboxes.vault.all(&s.sandboxes.store)?))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Secret>, Error> {
    Ok(Json(s.sandboxes.vault.get(&s.sandboxes.store, &id)?))
}

async fn update(State(s): State<AppState>, Path(id): Path<String>, AppJson(req): AppJson<UpdateSecret>) -> Result<Json<Secret>, Error> {
    Ok(Json(s.sandboxes.vault.update(&s.sandboxes.store, &id, req)?))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, Error> {
    s.sandboxes.vault.delete(&s.sandboxes.store, &id)?;
    Ok(StatusCode::OK)
}
