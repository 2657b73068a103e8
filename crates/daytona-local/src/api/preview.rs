//! Preview links: `/sandbox/{id}/ports/{port}/…`. The links point at
//! this server's preview proxy ([`crate::proxy`]).

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::api::sandbox::{PortPreviewUrl, SignedPortPreviewUrl};
use serde::Deserialize;

use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sandbox/{id}/ports/{port}/preview-url", get(preview_url))
        .route("/sandbox/{id}/ports/{port}/signed-preview-url", get(signed_preview_url))
        .route("/sandbox/{id}/ports/{port}/signed-preview-url/{token}/expire", post(expire))
}

/// Ports are 1-65535 (0 is not one).
fn port_of(raw: &str) -> Result<u16, Error> {
    raw.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| Error::Invalid(format!("Invalid port {raw}: must be 1-65535")))
}

/// The token also opens the sandbox's toolbox WebSockets from browsers.
async fn preview_url(State(s): State<AppState>, Path((id, port)): Path<(String, String)>) -> Result<Json<PortPreviewUrl>, Error> {
    let port = port_of(&port)?;
    let dto = s.sandboxes.get(&id)?;
    let token = crate::secrets::preview_token(&s.api_key, &dto.id);
    Ok(Json(PortPreviewUrl { url: format!("{}/preview/{}/{port}", s.public_url, dto.id), sandbox_id: dto.id, token }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ttl {
    expires_in_seconds: Option<u64>,
}

async fn signed_preview_url(
    State(s): State<AppState>,
    Path((id, port)): Path<(String, String)>,
    Query(q): Query<Ttl>,
) -> Result<Json<SignedPortPreviewUrl>, Error> {
    let port = port_of(&port)?;
    let ttl = q.expires_in_seconds.unwrap_or(60);
    if !(1..=86_400).contains(&ttl) {
        return Err(Error::Invalid("expiresInSeconds must be between 1 and 86400".into()));
    }
    let dto = s.sandboxes.get(&id)?;
    let token = s.signed_urls.issue(&dto.id, port, ttl);
    Ok(Json(SignedPortPreviewUrl { url: format!("{}/preview/{token}/{port}", s.public_url), sandbox_id: dto.id, port, token }))
}

async fn expire(State(s): State<AppState>, Path((id, port, token)): Path<(String, String, String)>) -> Result<(), Error> {
    let port = port_of(&port)?;
    let dto = s.sandboxes.get(&id)?;
    if !s.signed_urls.expire(&dto.id, port, &token) {
        return Err(Error::NotFound(format!("No signed preview URL {token} for port {port} of sandbox {}", dto.id)));
    }
    Ok(())
}
