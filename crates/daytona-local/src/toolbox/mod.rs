//! The toolbox: the per-sandbox daemon API, mounted at `/toolbox/{sandbox_id}` (the
//! `toolboxProxyUrl` of every sandbox DTO). Every handler gets a [`SandboxCtx`](sandbox_ctx::SandboxCtx), which
//! resolves the sandbox, requires it to be started, and records the activity.

pub mod command;
pub mod computer_use;
mod files;
mod git;
pub mod lsp;
pub mod process;
pub mod sandbox_ctx;
pub mod ws;

use axum::routing::get;
use axum::{Json, Router};
use daytona_types::toolbox::files::DirResponse;
use daytona_types::toolbox::VersionResponse;

use crate::runtime::sandbox_fs::HOME;
use crate::state::AppState;
use sandbox_ctx::SandboxCtx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/user-home-dir", get(home_dir))
        .route("/work-dir", get(home_dir))
        .route("/version", get(version))
        .merge(files::router())
        .merge(git::router())
        .merge(lsp::router())
        .merge(computer_use::router())
        .merge(process::router())
}

async fn home_dir(_sb: SandboxCtx) -> Json<DirResponse> {
    Json(DirResponse { dir: HOME.into() })
}

async fn version(_sb: SandboxCtx) -> Json<VersionResponse> {
    Json(VersionResponse { version: env!("CARGO_PKG_VERSION").into() })
}
