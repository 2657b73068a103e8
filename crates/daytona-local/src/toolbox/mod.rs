//! The toolbox: the per-sandbox daemon API, mounted at `/toolbox/{sandbox_id}` (the
//! `toolboxProxyUrl` of every sandbox DTO). Every handler gets a [`SandboxCtx`], which
//! resolves the sandbox, requires it to be started, and records the activity.

pub mod computer_use;
mod files;
mod git;
pub mod lsp;
pub mod process;
pub mod ws;

use axum::extract::State;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::toolbox::files::DirResponse;
use daytona_types::toolbox::{SystemMetrics, UpdateEnvRequest, VersionResponse};

use crate::http::AppJson;

use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandbox_fs::HOME;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/user-home-dir", get(home_dir))
        .route("/work-dir", get(home_dir))
        .route("/version", get(version))
        .route("/env", post(update_env))
        .route("/system/metrics", get(metrics))
        .merge(files::router())
        .merge(git::router())
        .merge(lsp::router())
        .merge(computer_use::router())
        .merge(process::router())
}

/// The sandbox a toolbox request is for: the `{sandbox_id}` in its path, which must be started.
impl FromRequestParts<AppState> for SandboxCtx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| Error::NotFound("sandbox id missing".into()))?;
        let id = params.iter().find(|(k, _)| *k == "sandbox_id").map(|(_, v)| v.to_string()).unwrap_or_default();
        SandboxCtx::open(&state.sandboxes, &id)
    }
}

async fn home_dir(_sb: SandboxCtx) -> Json<DirResponse> {
    Json(DirResponse { dir: HOME.into() })
}

/// What the sandbox uses now (measuring CPU may take a moment: off the async threads).
async fn metrics(State(s): State<AppState>, sb: SandboxCtx) -> Result<Json<SystemMetrics>, Error> {
    let sandboxes = s.sandboxes.clone();
    let measured = tokio::task::spawn_blocking(move || sandboxes.measure(&sb.dto)).await.map_err(anyhow::Error::from)?;
    Ok(Json(measured?))
}

async fn version(_sb: SandboxCtx) -> Json<VersionResponse> {
    Json(VersionResponse { version: env!("CARGO_PKG_VERSION").into() })
}

/// The environment the sandbox's new processes, sessions and terminals get.
async fn update_env(
    State(state): State<AppState>,
    sb: SandboxCtx,
    AppJson(req): AppJson<UpdateEnvRequest>,
) -> Result<Json<std::collections::BTreeMap<String, String>>, Error> {
    if req.unset_value_prefix.as_deref().is_some_and(|p| !p.is_empty()) {
        return Err(Error::invalid("unsetValuePrefix is not supported by daytona-local"));
    }
    Ok(Json(state.sandboxes.update_env(&sb.dto.id, req.set.unwrap_or_default(), req.unset.unwrap_or_default())?))
}
