//! `/lsp/…`: a sandbox's language servers ([`crate::runtime::language_servers`]).

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::toolbox::lsp::{CompletionList, LspCompletionParams, LspDocumentRequest, LspServerRequest, LspSymbol};
use serde::Deserialize;

use crate::http::AppJson;
use crate::runtime::language_servers::{self as servers, Project};
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lsp/start", post(start))
        .route("/lsp/stop", post(stop))
        .route("/lsp/did-open", post(did_open))
        .route("/lsp/did-close", post(did_close))
        .route("/lsp/completions", post(completions))
        .route("/lsp/document-symbols", get(document_symbols))
        .route("/lsp/workspacesymbols", get(workspace_symbols))
}

fn project<'a>(language_id: &'a str, path: &'a str) -> Project<'a> {
    Project { language_id, path }
}

async fn start(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspServerRequest>) -> Result<(), Error> {
    servers::start(&state.sandboxes, &sb, &project(&req.language_id, &req.path_to_project)).await
}

async fn stop(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspServerRequest>) -> Result<(), Error> {
    servers::stop(&state.sandboxes, &sb, &project(&req.language_id, &req.path_to_project)).await
}

async fn did_open(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspDocumentRequest>) -> Result<(), Error> {
    servers::did_open(&state.sandboxes, &sb, &project(&req.language_id, &req.path_to_project), &req.uri).await
}

async fn did_close(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspDocumentRequest>) -> Result<(), Error> {
    servers::did_close(&state.sandboxes, &sb, &project(&req.language_id, &req.path_to_project), &req.uri).await
}

async fn completions(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspCompletionParams>) -> Result<Json<CompletionList>, Error> {
    let p = project(&req.language_id, &req.path_to_project);
    Ok(Json(servers::completions(&state.sandboxes, &sb, &p, &req.uri, req.position).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SymbolsQuery {
    language_id: String,
    path_to_project: String,
    uri: Option<String>,
    query: Option<String>,
}

async fn document_symbols(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<SymbolsQuery>) -> Result<Json<Vec<LspSymbol>>, Error> {
    let uri = q.uri.as_deref().ok_or_else(|| Error::Invalid("uri is required".into()))?;
    Ok(Json(servers::document_symbols(&state.sandboxes, &sb, &project(&q.language_id, &q.path_to_project), uri).await?))
}

async fn workspace_symbols(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<SymbolsQuery>) -> Result<Json<Vec<LspSymbol>>, Error> {
    let query = q.query.as_deref().unwrap_or_default();
    Ok(Json(servers::workspace_symbols(&state.sandboxes, &sb, &project(&q.language_id, &q.path_to_project), query).await?))
}
