//! `{toolbox}/lsp/…`.

use daytona_types::toolbox::lsp::{LspCompletionParams, LspDocumentRequest, LspServerRequest};

use super::query;
use crate::transport::{HttpRequest, Method};

pub fn start(base: &str, body: &LspServerRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/lsp/start"), body)
}

pub fn stop(base: &str, body: &LspServerRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/lsp/stop"), body)
}

pub fn did_open(base: &str, body: &LspDocumentRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/lsp/did-open"), body)
}

pub fn did_close(base: &str, body: &LspDocumentRequest) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/lsp/did-close"), body)
}

pub fn completions(base: &str, body: &LspCompletionParams) -> HttpRequest {
    HttpRequest::json(Method::Post, format!("{base}/lsp/completions"), body)
}

pub fn document_symbols(base: &str, server: &LspServerRequest, uri: &str) -> HttpRequest {
    let q = query([("languageId", Some(server.language_id.clone())), ("pathToProject", Some(server.path_to_project.clone())), ("uri", Some(uri.into()))]);
    HttpRequest::new(Method::Get, format!("{base}/lsp/document-symbols{q}"))
}

pub fn workspace_symbols(base: &str, server: &LspServerRequest, search: &str) -> HttpRequest {
    let q = query([("query", Some(search.into())), ("languageId", Some(server.language_id.clone())), ("pathToProject", Some(server.path_to_project.clone()))]);
    HttpRequest::new(Method::Get, format!("{base}/lsp/workspacesymbols{q}"))
}
