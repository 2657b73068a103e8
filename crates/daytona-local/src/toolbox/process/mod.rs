//! `/process/…`: commands, code-run and sessions, run as real processes in the sandbox's
//! home with its environment, each in a process group the sandbox owns.

mod interpreter;
pub mod pty;
pub mod session;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use daytona_types::toolbox::process::{CodeRunRequest, CodeRunResponse, ExecuteRequest, ExecuteResponse};

use crate::http::AppJson;
use crate::runtime::exec::{code_run, one_shot};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process/execute", post(execute))
        .route("/process/code-run", post(run_code))
        .merge(session::router())
        .merge(pty::router())
        .merge(interpreter::router())
}

async fn execute(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<ExecuteRequest>) -> Result<Json<ExecuteResponse>, Error> {
    Ok(Json(one_shot::execute(&state.sandboxes, &sb, req).await?))
}

async fn run_code(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<CodeRunRequest>) -> Result<Json<CodeRunResponse>, Error> {
    Ok(Json(code_run::code_run(&state.sandboxes, &sb, req).await?))
}
