//! LSP: real language servers per sandbox project, bridged to the toolbox's
//! LSP endpoints. TypeScript and JavaScript get `typescript-language-server` (over the
//! `typescript` package), Python gets `pyright-langserver`; both run in the sandbox's jail,
//! so they see the sandbox's paths. Paths (`file://` + path) that are relative are taken
//! from the home directory, as every toolbox path is.

mod client;

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use daytona_types::toolbox::lsp::{CompletionItem, CompletionList, LspCompletionParams, LspDocumentRequest, LspLocation, LspServerRequest, LspSymbol, Range};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http::AppJson;
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::Error;
use crate::state::AppState;
use client::{file_uri, LanguageServer};

/// Largest document sent to a language server.
const MAX_DOCUMENT: u64 = 16 << 20;

/// The running language servers, by sandbox and `languageId` + project path.
pub type Lsps = PerSandbox<LanguageServer>;

/// The sandboxes' lsps, kept by the sandbox manager with the rest of what lives while a sandbox runs.
pub fn lsps(state: &AppState) -> std::sync::Arc<Lsps> {
    state.sandboxes.live.of()
}

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

/// The language server program for a `languageId`, and its arguments.
fn program(language_id: &str) -> Result<(&'static str, &'static [&'static str]), Error> {
    match language_id {
        "typescript" | "javascript" => Ok(("typescript-language-server", &["--stdio"])),
        "python" => Ok(("pyright-langserver", &["--stdio"])),
        other => Err(Error::Invalid(format!("unsupported languageId {other:?}: typescript, javascript or python"))),
    }
}

/// The project directory as the sandbox sees it, and the registry key of its server.
fn project(sb: &SandboxCtx, language_id: &str, path: &str) -> Result<(String, String), Error> {
    program(language_id)?;
    let dir = sb.fs.resolve(path)?;
    if !dir.host.is_dir() {
        return Err(Error::Invalid(format!("pathToProject {path} is not a directory")));
    }
    let key = format!("{language_id}:{}", dir.virt);
    Ok((dir.virt, key))
}

fn not_started(language_id: &str, path: &str) -> Error {
    Error::coded(400, "LSP_SERVER_NOT_INITIALIZED", format!("no {language_id} language server is started for {path}: call start() first"))
}

/// The started server of a request.
fn server(state: &AppState, sb: &SandboxCtx, language_id: &str, path: &str) -> Result<std::sync::Arc<LanguageServer>, Error> {
    let (_, key) = project(sb, language_id, path)?;
    lsps(state).get(&sb.dto.id, &key).filter(|s| s.alive()).ok_or_else(|| not_started(language_id, path))
}

async fn start(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspServerRequest>) -> Result<(), Error> {
    let (root, key) = project(&sb, &req.language_id, &req.path_to_project)?;
    if lsps(&state).get(&sb.dto.id, &key).is_some_and(|s| s.alive()) {
        return Ok(());
    }
    let (program, args) = program(&req.language_id)?;
    let server = LanguageServer::start(&state, &sb, program, args, &root).await?;
    lsps(&state).insert(&sb.dto.id, &key, std::sync::Arc::new(server));
    Ok(())
}

async fn stop(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspServerRequest>) -> Result<(), Error> {
    let (_, key) = project(&sb, &req.language_id, &req.path_to_project)?;
    let server = lsps(&state).remove(&sb.dto.id, &key).ok_or_else(|| not_started(&req.language_id, &req.path_to_project))?;
    server.shutdown().await;
    Ok(())
}

/// A document of a request: its canonical URI and its sandbox path on the host.
fn document(sb: &SandboxCtx, uri: &str) -> Result<(String, std::path::PathBuf), Error> {
    let path = uri.strip_prefix("file://").unwrap_or(uri);
    let path = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| Error::Invalid(format!("bad uri {uri}")))?;
    let doc = sb.fs.resolve(&path)?;
    Ok((file_uri(&doc.virt), doc.host))
}

/// The languageId of a document, from its extension.
fn document_language(uri: &str, server_language: &str) -> &'static str {
    match uri.rsplit('.').next().unwrap_or_default() {
        "ts" | "mts" | "cts" => "typescript",
        "tsx" => "typescriptreact",
        "js" | "mjs" | "cjs" => "javascript",
        "jsx" => "javascriptreact",
        "py" | "pyi" => "python",
        _ if server_language == "python" => "python",
        _ => "typescript",
    }
}

/// Opens (or re-opens, with what the file holds now) a document in the server.
async fn open(server: &LanguageServer, uri: &str, host: &std::path::Path, server_language: &str) -> Result<(), Error> {
    if tokio::fs::metadata(host).await.is_ok_and(|m| m.len() > MAX_DOCUMENT) {
        return Err(Error::Invalid(format!("{uri} is larger than {} MiB, too large to open in a language server", MAX_DOCUMENT >> 20)));
    }
    let text = tokio::fs::read_to_string(host).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::coded(404, "FILE_NOT_FOUND", format!("file not found: {uri}")),
        _ => Error::Invalid(format!("cannot read {uri} as text: {e}")),
    })?;
    let reopened = server.open.lock().unwrap_or_else(|e| e.into_inner()).remove(uri).is_some();
    if reopened {
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await?;
    }
    let doc = json!({ "uri": uri, "languageId": document_language(uri, server_language), "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": doc })).await?;
    server.open.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.to_string(), 1);
    Ok(())
}

/// Completions and symbols need the document open in the server: it is opened if it is not.
async fn ensure_open(server: &LanguageServer, uri: &str, host: &std::path::Path, server_language: &str) -> Result<(), Error> {
    let is_open = server.open.lock().unwrap_or_else(|e| e.into_inner()).contains_key(uri);
    if is_open {
        Ok(())
    } else {
        open(server, uri, host, server_language).await
    }
}

async fn did_open(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspDocumentRequest>) -> Result<(), Error> {
    let server = server(&state, &sb, &req.language_id, &req.path_to_project)?;
    let (uri, host) = document(&sb, &req.uri)?;
    open(&server, &uri, &host, &req.language_id).await
}

async fn did_close(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspDocumentRequest>) -> Result<(), Error> {
    let server = server(&state, &sb, &req.language_id, &req.path_to_project)?;
    let (uri, _) = document(&sb, &req.uri)?;
    if server.open.lock().unwrap_or_else(|e| e.into_inner()).remove(&uri).is_some() {
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await?;
    }
    Ok(())
}

async fn completions(State(state): State<AppState>, sb: SandboxCtx, AppJson(req): AppJson<LspCompletionParams>) -> Result<Json<CompletionList>, Error> {
    let server = server(&state, &sb, &req.language_id, &req.path_to_project)?;
    let (uri, host) = document(&sb, &req.uri)?;
    ensure_open(&server, &uri, &host, &req.language_id).await?;
    let answer = server.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": req.position })).await?;
    // A CompletionList, a bare array of items, or null.
    let (is_incomplete, items) = match answer {
        Value::Array(items) => (false, items),
        Value::Object(mut list) => (
            list.get("isIncomplete").and_then(Value::as_bool).unwrap_or(false),
            match list.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
        ),
        _ => (false, Vec::new()),
    };
    let items = items.into_iter().filter_map(|i| serde_json::from_value::<CompletionItem>(i).ok()).collect();
    Ok(Json(CompletionList { is_incomplete, items }))
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
    let server = server(&state, &sb, &q.language_id, &q.path_to_project)?;
    let (uri, host) = document(&sb, q.uri.as_deref().ok_or_else(|| Error::Invalid("uri is required".into()))?)?;
    ensure_open(&server, &uri, &host, &q.language_id).await?;
    let answer = server.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await?;
    let mut out = Vec::new();
    symbols(&answer, &uri, &mut out);
    Ok(Json(out))
}

async fn workspace_symbols(State(state): State<AppState>, sb: SandboxCtx, Query(q): Query<SymbolsQuery>) -> Result<Json<Vec<LspSymbol>>, Error> {
    let server = server(&state, &sb, &q.language_id, &q.path_to_project)?;
    let answer = server.request("workspace/symbol", json!({ "query": q.query.unwrap_or_default() })).await?;
    let mut out = Vec::new();
    symbols(&answer, "", &mut out);
    Ok(Json(out))
}

/// Flattens what a server answers for symbols into `{ name, kind, location }`s: a
/// `SymbolInformation` (or `WorkspaceSymbol`) has a location; a `DocumentSymbol` has a range
/// in `uri` and children.
fn symbols(answer: &Value, uri: &str, out: &mut Vec<LspSymbol>) {
    for s in answer.as_array().into_iter().flatten() {
        let (Some(name), Some(kind)) = (s["name"].as_str(), s["kind"].as_u64()) else { continue };
        let location = match (s.get("location"), s.get("range")) {
            (Some(l), _) => LspLocation { uri: l["uri"].as_str().unwrap_or(uri).to_string(), range: range(&l["range"]) },
            (None, Some(r)) => LspLocation { uri: uri.to_string(), range: range(r) },
            (None, None) => continue,
        };
        out.push(LspSymbol { name: name.to_string(), kind: kind as u32, location });
        if let Some(children) = s.get("children") {
            symbols(children, uri, out);
        }
    }
}

fn range(v: &Value) -> Range {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_flatten_document_symbols_and_keep_symbol_information() {
        let r = json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 3, "character": 1 } });
        let tree = json!([{ "name": "Greeter", "kind": 5, "range": r, "selectionRange": r, "children": [{ "name": "greet", "kind": 6, "range": r, "selectionRange": r }] }]);
        let mut out = Vec::new();
        symbols(&tree, "file:///a.ts", &mut out);
        assert_eq!(out.iter().map(|s| (s.name.as_str(), s.kind)).collect::<Vec<_>>(), [("Greeter", 5), ("greet", 6)]);
        assert_eq!(out[1].location.uri, "file:///a.ts");
        assert_eq!(out[1].location.range.end.line, 3);

        let flat = json!([{ "name": "f", "kind": 12, "location": { "uri": "file:///b.py", "range": r } }, { "name": "no kind" }]);
        let mut out = Vec::new();
        symbols(&flat, "", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].location.uri, "file:///b.py");
    }

    #[test]
    fn document_languages_follow_extensions() {
        assert_eq!(document_language("file:///a/x.tsx", "typescript"), "typescriptreact");
        assert_eq!(document_language("file:///a/x.mjs", "typescript"), "javascript");
        assert_eq!(document_language("file:///a/x", "python"), "python");
    }
}
