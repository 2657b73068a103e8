//! `/git/…`: git in a sandbox ([`crate::runtime::git`]).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitCommitResponse, GitConfigRequest,
    GitConfigResponse, GitConfigUserRequest, GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest, GitRestoreRequest, GitStatus,
    ListBranchResponse, ListRemotesResponse,
};

use crate::http::AppJson;
use crate::runtime::git::{self, ConfigQuery, PathQuery};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/git/clone", post(clone))
        .route("/git/add", post(add))
        .route("/git/commit", post(commit))
        .route("/git/push", post(push))
        .route("/git/pull", post(pull))
        .route("/git/branches", get(branches).post(create_branch).delete(delete_branch))
        .route("/git/checkout", post(checkout))
        .route("/git/status", get(status))
        .route("/git/init", post(init))
        .route("/git/reset", post(reset))
        .route("/git/restore", post(restore))
        .route("/git/remotes", get(remotes).post(add_remote))
        .route("/git/config", get(get_config).post(set_config))
        .route("/git/config/user", post(configure_user))
        .route("/git/credentials", post(store_credentials))
}

async fn clone(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitCloneRequest>) -> Result<StatusCode, Error> {
    git::clone(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn add(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitAddRequest>) -> Result<StatusCode, Error> {
    git::add(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn commit(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitCommitRequest>) -> Result<Json<GitCommitResponse>, Error> {
    Ok(Json(git::commit(&state.sandboxes, &sb, req).await?))
}

async fn push(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitRepoRequest>) -> Result<StatusCode, Error> {
    git::push(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn pull(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitRepoRequest>) -> Result<StatusCode, Error> {
    git::pull(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn branches(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Json<ListBranchResponse>, Error> {
    Ok(Json(git::branches(&state.sandboxes, &sb, q).await?))
}

async fn create_branch(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitBranchRequest>) -> Result<StatusCode, Error> {
    git::create_branch(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::CREATED)
}

async fn delete_branch(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitBranchRequest>) -> Result<StatusCode, Error> {
    git::delete_branch(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn checkout(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitCheckoutRequest>) -> Result<StatusCode, Error> {
    git::checkout(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn init(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitInitRequest>) -> Result<StatusCode, Error> {
    git::init(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn reset(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitResetRequest>) -> Result<StatusCode, Error> {
    git::reset(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn restore(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitRestoreRequest>) -> Result<StatusCode, Error> {
    git::restore(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn remotes(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Json<ListRemotesResponse>, Error> {
    Ok(Json(git::remotes(&state.sandboxes, &sb, q).await?))
}

async fn add_remote(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitAddRemoteRequest>) -> Result<StatusCode, Error> {
    git::add_remote(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::CREATED)
}

async fn set_config(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitConfigRequest>) -> Result<StatusCode, Error> {
    git::set_config(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn get_config(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<ConfigQuery>) -> Result<Json<GitConfigResponse>, Error> {
    Ok(Json(git::get_config(&state.sandboxes, &sb, q).await?))
}

async fn configure_user(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitConfigUserRequest>) -> Result<StatusCode, Error> {
    git::configure_user(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn store_credentials(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<GitCredentialsRequest>) -> Result<StatusCode, Error> {
    git::store_credentials(&state.sandboxes, &sb, req).await?;
    Ok(StatusCode::OK)
}

async fn status(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<PathQuery>) -> Result<Json<GitStatus>, Error> {
    Ok(Json(git::status(&state.sandboxes, &sb, q).await?))
}
