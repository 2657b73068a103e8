//! `sandbox.createLspServer(languageId, pathToProject)`: a language server of a project in
//! the sandbox, through its toolbox. Documents are named by path; the wire
//! carries `file://` + path, as the official SDK sends it.

use daytona_types::toolbox::lsp::{LspCompletionParams, LspDocumentRequest, LspServerRequest, Position};

use crate::call::{read, Call, Json};
use crate::endpoints::lsp as ep;
use crate::error::{Error, Result};
use crate::sandbox::SandboxClient;

/// The languages a server can be made for, in the official SDK's order.
pub const LANGUAGES: [&str; 3] = ["python", "typescript", "javascript"];

#[derive(Clone)]
pub struct LspServerClient {
    sandbox: SandboxClient,
    server: LspServerRequest,
}

impl LspServerClient {
    /// Refuses an unknown `language_id` before anything is sent, as the official SDK does.
    pub fn new(sandbox: SandboxClient, language_id: &str, path_to_project: &str) -> Result<Self> {
        if !LANGUAGES.contains(&language_id) {
            return Err(Error::InvalidArgument(format!("Invalid languageId: {language_id}. Supported values are: {}", LANGUAGES.join(", "))));
        }
        Ok(LspServerClient { sandbox, server: LspServerRequest { language_id: language_id.into(), path_to_project: path_to_project.into() } })
    }

    pub fn language_id(&self) -> &str {
        &self.server.language_id
    }

    pub fn path_to_project(&self) -> &str {
        &self.server.path_to_project
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    fn document(&self, path: &str) -> LspDocumentRequest {
        LspDocumentRequest { language_id: self.server.language_id.clone(), path_to_project: self.server.path_to_project.clone(), uri: uri(path) }
    }

    pub fn start(&self) -> Call<()> {
        self.sandbox.call(ep::start(&self.base(), &self.server), read::nothing)
    }

    pub fn stop(&self) -> Call<()> {
        self.sandbox.call(ep::stop(&self.base(), &self.server), read::nothing)
    }

    pub fn did_open(&self, path: &str) -> Call<()> {
        self.sandbox.call(ep::did_open(&self.base(), &self.document(path)), read::nothing)
    }

    pub fn did_close(&self, path: &str) -> Call<()> {
        self.sandbox.call(ep::did_close(&self.base(), &self.document(path)), read::nothing)
    }

    /// `CompletionList`.
    pub fn completions(&self, path: &str, position: Position) -> Call<Json> {
        let LspDocumentRequest { language_id, path_to_project, uri } = self.document(path);
        let body = LspCompletionParams { language_id, path_to_project, uri, position };
        self.sandbox.call(ep::completions(&self.base(), &body), read::json)
    }

    /// `Vec<LspSymbol>`.
    pub fn document_symbols(&self, path: &str) -> Call<Json> {
        self.sandbox.call(ep::document_symbols(&self.base(), &self.server, &uri(path)), read::json)
    }

    /// Symbols of the whole project matching `query`.
    /// `Vec<LspSymbol>`.
    pub fn sandbox_symbols(&self, query: &str) -> Call<Json> {
        self.sandbox.call(ep::workspace_symbols(&self.base(), &self.server, query), read::json)
    }
}

fn uri(path: &str) -> String {
    format!("file://{path}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{json, FakeClock, FnTransport, NoWs};
    use crate::transport::Body;
    use crate::{DaytonaClient, DaytonaConfig};
    use daytona_types::toolbox::lsp::CompletionList;
    use futures_executor::block_on;

    fn lsp(language: &str) -> (Result<LspServerClient>, std::rc::Rc<FnTransport>) {
        let t = FnTransport::new(|req| {
            json(
                200,
                if req.url.contains("symbols") {
                    serde_json::json!([])
                } else {
                    serde_json::json!({"isIncomplete": false, "items": [{"label": "greet", "kind": 2}]})
                },
            )
        });
        let cfg = DaytonaConfig { api_key: Some("k".into()), api_url: Some("http://h/api".into()), ..Default::default() };
        let client = DaytonaClient::new(Some(cfg), &|_| None, t.clone(), std::rc::Rc::new(NoWs), FakeClock::new()).unwrap();
        let dto = serde_json::from_value(serde_json::json!({"id": "sb", "toolboxProxyUrl": "http://h/toolbox"})).unwrap();
        (LspServerClient::new(SandboxClient::new(client.context().clone(), dto), language, "work/proj"), t)
    }

    #[test]
    fn unknown_languages_are_refused_before_sending() {
        let (lsp, t) = lsp("rust");
        let Err(Error::InvalidArgument(m)) = lsp else { panic!("accepted rust") };
        assert_eq!(m, "Invalid languageId: rust. Supported values are: python, typescript, javascript");
        assert!(t.sent.borrow().is_empty());
    }

    #[test]
    fn requests_carry_the_server_and_file_uris_as_the_official_sdk_sends_them() {
        let (lsp, t) = lsp("typescript");
        let lsp = lsp.unwrap();
        let list = block_on(lsp.completions("work/proj/a.ts", Position { line: 1, character: 2 }).send()).unwrap();
        let list: CompletionList = list.decode().unwrap();
        assert_eq!(list.items[0].label, "greet");
        block_on(lsp.document_symbols("/abs/a.ts").send()).unwrap();
        block_on(lsp.sandbox_symbols("Gre et").send()).unwrap();
        let sent = t.sent.borrow();
        assert_eq!(sent[0].url, "http://h/toolbox/sb/lsp/completions");
        let Body::Bytes(body) = &sent[0].body else { panic!("no body") };
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(body).unwrap(),
            serde_json::json!({"languageId": "typescript", "pathToProject": "work/proj", "uri": "file://work/proj/a.ts", "position": {"line": 1, "character": 2}})
        );
        assert_eq!(sent[1].url, "http://h/toolbox/sb/lsp/document-symbols?languageId=typescript&pathToProject=work%2Fproj&uri=file%3A%2F%2F%2Fabs%2Fa.ts");
        assert_eq!(sent[2].url, "http://h/toolbox/sb/lsp/workspacesymbols?query=Gre+et&languageId=typescript&pathToProject=work%2Fproj");
    }
}
