//! A sandbox's language servers: one per language and project, each with the documents it
//! has open. TypeScript and JavaScript get `typescript-language-server` (over the
//! `typescript` package), Python gets `pyright-langserver`; both run in the sandbox's jail,
//! so they see the sandbox's paths. Paths (`file://` + path) that are relative are taken
//! from the home directory, as every sandbox path is.

use std::sync::Arc;

use daytona_types::toolbox::lsp::{CompletionItem, CompletionList, LspLocation, LspSymbol, Position, Range};
use serde_json::{json, Value};

use crate::runtime::language_server::{file_uri, LanguageServer};
use crate::runtime::registry::PerSandbox;
use crate::runtime::sandbox_ctx::SandboxCtx;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// Largest document sent to a language server.
const MAX_DOCUMENT: u64 = 16 << 20;

/// The running language servers, by sandbox and `languageId` + project path.
pub type Lsps = PerSandbox<LanguageServer>;

/// The sandboxes' language servers, kept by the sandbox manager with the rest of what lives
/// while a sandbox runs.
pub fn lsps(sandboxes: &SandboxManager) -> Arc<Lsps> {
    sandboxes.live.of()
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

/// The started server of a project.
fn server(sandboxes: &SandboxManager, sb: &SandboxCtx, project_of: &Project) -> Result<Arc<LanguageServer>, Error> {
    let (_, key) = project(sb, project_of.language_id, project_of.path)?;
    lsps(sandboxes).get(&sb.dto.id, &key).filter(|s| s.alive()).ok_or_else(|| not_started(project_of.language_id, project_of.path))
}

/// A language server's project, as requests name it.
pub struct Project<'a> {
    pub language_id: &'a str,
    /// The project directory (a sandbox path).
    pub path: &'a str,
}

/// Starts the project's server, unless it runs.
pub async fn start(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>) -> Result<(), Error> {
    let (root, key) = project(sb, p.language_id, p.path)?;
    if lsps(sandboxes).get(&sb.dto.id, &key).is_some_and(|s| s.alive()) {
        return Ok(());
    }
    let (program, args) = program(p.language_id)?;
    let server = LanguageServer::start(sandboxes, sb, program, args, &root).await?;
    lsps(sandboxes).insert(&sb.dto.id, &key, Arc::new(server));
    Ok(())
}

pub async fn stop(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>) -> Result<(), Error> {
    let (_, key) = project(sb, p.language_id, p.path)?;
    let server = lsps(sandboxes).remove(&sb.dto.id, &key).ok_or_else(|| not_started(p.language_id, p.path))?;
    server.shutdown().await;
    Ok(())
}

/// Opens (or re-opens, with what the file holds now) a document in the project's server.
pub async fn did_open(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>, uri: &str) -> Result<(), Error> {
    let server = server(sandboxes, sb, p)?;
    let (uri, host) = document(sb, uri)?;
    open(&server, &uri, &host, p.language_id).await
}

pub async fn did_close(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>, uri: &str) -> Result<(), Error> {
    let server = server(sandboxes, sb, p)?;
    let (uri, _) = document(sb, uri)?;
    if server.open.lock().unwrap_or_else(|e| e.into_inner()).remove(&uri).is_some() {
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await?;
    }
    Ok(())
}

pub async fn completions(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>, uri: &str, position: Position) -> Result<CompletionList, Error> {
    let server = server(sandboxes, sb, p)?;
    let (uri, host) = document(sb, uri)?;
    ensure_open(&server, &uri, &host, p.language_id).await?;
    let answer = server.request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position })).await?;
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
    Ok(CompletionList { is_incomplete, items })
}

pub async fn document_symbols(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>, uri: &str) -> Result<Vec<LspSymbol>, Error> {
    let server = server(sandboxes, sb, p)?;
    let (uri, host) = document(sb, uri)?;
    ensure_open(&server, &uri, &host, p.language_id).await?;
    let answer = server.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } })).await?;
    let mut out = Vec::new();
    symbols(&answer, &uri, &mut out);
    Ok(out)
}

pub async fn workspace_symbols(sandboxes: &SandboxManager, sb: &SandboxCtx, p: &Project<'_>, query: &str) -> Result<Vec<LspSymbol>, Error> {
    let server = server(sandboxes, sb, p)?;
    let answer = server.request("workspace/symbol", json!({ "query": query })).await?;
    let mut out = Vec::new();
    symbols(&answer, "", &mut out);
    Ok(out)
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
