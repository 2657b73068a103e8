use daytona_core::lsp::LspServerClient;
use daytona_types::toolbox::lsp::Position;
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, to_js};
use crate::errors::JsResult;

/// A language server for a project in a Sandbox (`sandbox.createLspServer`): completions
/// and symbols for TypeScript, JavaScript and Python. Paths are Sandbox paths; relative
/// ones start at the Sandbox's home.
///
/// @example
/// const lsp = await sandbox.createLspServer('typescript', 'workspace/project');
/// await lsp.start();
/// await lsp.didOpen('workspace/project/src/index.ts');
/// const { items } = await lsp.completions('workspace/project/src/index.ts', { line: 4, character: 2 });
#[wasm_bindgen]
pub struct LspServer {
    inner: LspServerClient,
}

impl From<LspServerClient> for LspServer {
    fn from(inner: LspServerClient) -> Self {
        LspServer { inner }
    }
}

#[wasm_bindgen]
impl LspServer {
    #[wasm_bindgen(getter, js_name = languageId, unchecked_return_type = "LspLanguageId")]
    pub fn language_id(&self) -> String {
        self.inner.language_id().into()
    }

    #[wasm_bindgen(getter, js_name = pathToProject)]
    pub fn path_to_project(&self) -> String {
        self.inner.path_to_project().into()
    }

    /// Starts the language server; call it before the other methods.
    pub async fn start(&self) -> JsResult<()> {
        Ok(self.inner.start().await?)
    }

    /// Stops the language server.
    pub async fn stop(&self) -> JsResult<()> {
        Ok(self.inner.stop().await?)
    }

    /// Tells the server a file is open (it reads what the file holds now).
    #[wasm_bindgen(js_name = didOpen)]
    pub async fn did_open(&self, path: String) -> JsResult<()> {
        Ok(self.inner.did_open(&path).await?)
    }

    /// Tells the server a file is closed.
    #[wasm_bindgen(js_name = didClose)]
    pub async fn did_close(&self, path: String) -> JsResult<()> {
        Ok(self.inner.did_close(&path).await?)
    }

    /// Completions at a (0-based) position of a file.
    #[wasm_bindgen(unchecked_return_type = "CompletionList")]
    pub async fn completions(&self, path: String, #[wasm_bindgen(unchecked_param_type = "Position")] position: JsValue) -> JsResult<JsValue> {
        let position: Position = from_js(position)?;
        Ok(to_js(&self.inner.completions(&path, position).await?))
    }

    /// The symbols of a file (classes, functions, variables…).
    #[wasm_bindgen(js_name = documentSymbols, unchecked_return_type = "LspSymbol[]")]
    pub async fn document_symbols(&self, path: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.document_symbols(&path).await?))
    }

    /// The project's symbols matching `query`.
    #[wasm_bindgen(js_name = sandboxSymbols, unchecked_return_type = "LspSymbol[]")]
    pub async fn sandbox_symbols(&self, query: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.sandbox_symbols(&query).await?))
    }

    /// @deprecated Use `sandboxSymbols`.
    #[wasm_bindgen(js_name = workspaceSymbols, unchecked_return_type = "LspSymbol[]")]
    pub async fn workspace_symbols(&self, query: String) -> JsResult<JsValue> {
        self.sandbox_symbols(query).await
    }
}
