use daytona_core::lsp::LspServerClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::from_js;
use crate::promise::{call, try_call};

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
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn start(&self) -> Promise {
        call(self.inner.start())
    }

    /// Stops the language server.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(&self) -> Promise {
        call(self.inner.stop())
    }

    /// Tells the server a file is open (it reads what the file holds now).
    #[wasm_bindgen(js_name = didOpen, unchecked_return_type = "Promise<void>")]
    pub fn did_open(&self, path: String) -> Promise {
        call(self.inner.did_open(&path))
    }

    /// Tells the server a file is closed.
    #[wasm_bindgen(js_name = didClose, unchecked_return_type = "Promise<void>")]
    pub fn did_close(&self, path: String) -> Promise {
        call(self.inner.did_close(&path))
    }

    /// Completions at a (0-based) position of a file.
    #[wasm_bindgen(unchecked_return_type = "Promise<CompletionList>")]
    pub fn completions(&self, path: String, #[wasm_bindgen(unchecked_param_type = "Position")] position: JsValue) -> Promise {
        try_call(from_js(position, "position").map(|position| self.inner.completions(&path, position)))
    }

    /// The symbols of a file (classes, functions, variables…).
    #[wasm_bindgen(js_name = documentSymbols, unchecked_return_type = "Promise<LspSymbol[]>")]
    pub fn document_symbols(&self, path: String) -> Promise {
        call(self.inner.document_symbols(&path))
    }

    /// The project's symbols matching `query`.
    #[wasm_bindgen(js_name = sandboxSymbols, unchecked_return_type = "Promise<LspSymbol[]>")]
    pub fn sandbox_symbols(&self, query: String) -> Promise {
        call(self.inner.sandbox_symbols(&query))
    }

    /// @deprecated Use `sandboxSymbols`.
    #[wasm_bindgen(js_name = workspaceSymbols, unchecked_return_type = "Promise<LspSymbol[]>")]
    pub fn workspace_symbols(&self, query: String) -> Promise {
        self.sandbox_symbols(query)
    }
}
