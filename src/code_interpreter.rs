use daytona_core::code_interpreter::{context_id, CodeInterpreterClient, ExecutionError, RunCodeOptions, RunSink};
use daytona_core::transport::LocalBoxFuture;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::callbacks::{call_opt, JsCallback};
use crate::convert::{from_js, parse, to_js};
use crate::promise::{call, cancellable, promise};

#[wasm_bindgen(typescript_custom_section)]
const INTERPRETER_TS: &'static str = r#"
export interface InterpreterContext { id: string; cwd: string; createdAt: string; active: boolean; language: string; }
export interface OutputMessage { output: string; }
export interface RunCodeOptions {
  context?: InterpreterContext;
  envs?: Record<string, string>;
  /** Seconds (default 10 minutes, 0 = none). At the timeout the run is interrupted. */
  timeout?: number;
  onStdout?: (message: OutputMessage) => any;
  onStderr?: (message: OutputMessage) => any;
  onError?: (error: ExecutionError) => any;
  /** Cancels the run: it rejects with an `AbortError` and its socket closes. */
  signal?: AbortSignal;
}
"#;

/// Stateful Python: variables persist within a context, contexts are isolated from each
/// other, and output streams to callbacks as it is produced.
#[wasm_bindgen]
pub struct CodeInterpreter {
    inner: CodeInterpreterClient,
}

impl From<CodeInterpreterClient> for CodeInterpreter {
    fn from(inner: CodeInterpreterClient) -> Self {
        CodeInterpreter { inner }
    }
}

struct JsRunSink {
    out: Option<JsCallback>,
    err: Option<JsCallback>,
    error: Option<JsCallback>,
}

fn message(text: String) -> JsValue {
    to_js(&serde_json::json!({ "output": text }))
}

impl RunSink for JsRunSink {
    fn stdout(&mut self, text: String) -> LocalBoxFuture<'_, daytona_core::Result<()>> {
        call_opt(&self.out, message(text))
    }
    fn stderr(&mut self, text: String) -> LocalBoxFuture<'_, daytona_core::Result<()>> {
        call_opt(&self.err, message(text))
    }
    fn error(&mut self, error: ExecutionError) -> LocalBoxFuture<'_, daytona_core::Result<()>> {
        call_opt(&self.error, to_js(&error))
    }
}

#[wasm_bindgen]
impl CodeInterpreter {
    /// Creates an isolated context (its own Python process), optionally in `cwd`.
    #[wasm_bindgen(js_name = createContext, unchecked_return_type = "Promise<InterpreterContext>")]
    pub fn create_context(&self, cwd: Option<String>) -> Promise {
        call(self.inner.create_context(cwd))
    }

    #[wasm_bindgen(js_name = listContexts, unchecked_return_type = "Promise<InterpreterContext[]>")]
    pub fn list_contexts(&self) -> Promise {
        let list = self.inner.list_contexts();
        promise(async move {
            let contexts = js_sys::Reflect::get(&parse(list.await?)?, &"contexts".into()).unwrap_or_default();
            Ok(if contexts.is_array() { contexts } else { js_sys::Array::new().into() })
        })
    }

    /// Deletes a context and its Python process.
    #[wasm_bindgen(js_name = deleteContext, unchecked_return_type = "Promise<void>")]
    pub fn delete_context(&self, #[wasm_bindgen(unchecked_param_type = "InterpreterContext")] context: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let context: serde_json::Value = from_js(context, "context")?;
            Ok(inner.delete_context(&context_id(&context)?).await?)
        })
    }

    /// Runs Python code (in the default context unless `options.context` is given).
    /// Resolves with `{ stdout, stderr, error? }`; a run that hits its timeout is
    /// interrupted and resolves with what it printed, or rejects with `DaytonaTimeoutError`
    /// if it could not be interrupted.
    /// `options.signal`, an `AbortSignal`, cancels the run: its socket closes.
    #[wasm_bindgen(js_name = runCode, unchecked_return_type = "Promise<ExecutionResult>")]
    pub fn run_code(&self, code: String, #[wasm_bindgen(unchecked_optional_param_type = "RunCodeOptions")] options: JsValue) -> js_sys::Promise {
        cancellable(&self.inner, &options.clone(), CodeInterpreterClient::with_signal, |inner| async move {
            let mut sink = JsRunSink {
                out: JsCallback::property(&options, "onStdout"),
                err: JsCallback::property(&options, "onStderr"),
                error: JsCallback::property(&options, "onError"),
            };
            let opts: RunCodeOptions = from_js(options, "options")?;
            Ok(to_js(&inner.run_code(&code, opts, &mut sink).await?))
        })
    }
}
