//! `sandbox.codeInterpreter`: stateful Python contexts; each run streams
//! over a WebSocket until the server's `completed`/`interrupted` control message.

use std::collections::BTreeMap;

use daytona_types::toolbox::process::InterpreterRunRequest;
use serde::Serialize;
use serde_json::Value;

use crate::args::{required_field, Fields, FromArg};
use crate::call::{read, Call, Json};
use crate::endpoints::segment;
use crate::error::{Error, Result};
use crate::json_object::JsonObject;
use crate::sandbox::SandboxClient;
use crate::transport::{HttpRequest, LocalBoxFuture, Method, WsMessage};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ExecutionError {
    pub name: String,
    pub value: String,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub traceback: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ExecutionResult {
    pub stdout: String,
    pub stderr: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ExecutionError>,
}

/// `runCode` options, minus the callbacks.
#[derive(Debug, Clone, Default)]
pub struct RunCodeOptions {
    pub context_id: Option<String>,
    pub envs: Option<BTreeMap<String, String>>,
    /// Seconds; absent = the server's 10 minutes, 0 = none.
    pub timeout: Option<f64>,
}

impl FromArg for RunCodeOptions {
    /// `{ context: { id }, envs, timeout }`.
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        let context_id = f.opt::<Value>("context").map(|c| context_id(&c)).transpose()?;
        f.done(RunCodeOptions { context_id, envs: f.opt("envs"), timeout: f.opt("timeout") })
    }
}

/// The `id` of an `InterpreterContext` given back.
pub fn context_id(context: &Value) -> Result<String> {
    required_field(context, "context", "id")
}

/// Receives a run's output as it happens; futures so JS Promises are awaited in order.
pub trait RunSink {
    fn stdout(&mut self, text: String) -> LocalBoxFuture<'_, Result<()>>;
    fn stderr(&mut self, text: String) -> LocalBoxFuture<'_, Result<()>>;
    fn error(&mut self, error: ExecutionError) -> LocalBoxFuture<'_, Result<()>>;
}

#[derive(Clone)]
pub struct CodeInterpreterClient {
    sandbox: SandboxClient,
}

impl CodeInterpreterClient {
    pub fn new(sandbox: SandboxClient) -> Self {
        CodeInterpreterClient { sandbox }
    }

    /// This client for one cancellable call: its requests and socket stop when `signal` aborts.
    pub fn with_signal(&self, signal: crate::transport::Signal) -> Self {
        CodeInterpreterClient { sandbox: self.sandbox.with_signal(signal) }
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/process/interpreter/context{rest}", self.sandbox.toolbox_base())
    }

    /// `InterpreterContext`.
    pub fn create_context(&self, cwd: Option<String>) -> Call<Json> {
        let body = match cwd {
            Some(cwd) => serde_json::json!({ "cwd": cwd }),
            None => serde_json::json!({}),
        };
        self.sandbox.call(HttpRequest::json(Method::Post, self.url(""), &body), read::json)
    }

    /// `ListContextsResponse`: `{ contexts: InterpreterContext[] }`.
    pub fn list_contexts(&self) -> Call<Json> {
        self.sandbox.call(HttpRequest::new(Method::Get, self.url("")), read::json)
    }

    pub fn delete_context(&self, id: &str) -> Call<()> {
        self.sandbox.call(HttpRequest::new(Method::Delete, self.url(&format!("/{}", segment(id)))), read::nothing)
    }

    /// Runs code; variables persist within the context.
    pub async fn run_code(&self, code: &str, opts: RunCodeOptions, sink: &mut dyn RunSink) -> Result<ExecutionResult> {
        if code.trim().is_empty() {
            return Err(Error::InvalidArgument("Code is required for execution".into()));
        }
        let conn = self.sandbox.ws_connect("/process/interpreter/execute", Vec::new()).await?;
        let first =
            InterpreterRunRequest { code: Some(code.into()), context_id: opts.context_id, envs: opts.envs.filter(|e| !e.is_empty()), timeout: opts.timeout };
        let first = serde_json::to_string(&first).unwrap_or_default();
        conn.send(WsMessage::Text(first)).map_err(|e| Error::Connection(format!("Failed to execute code: {e}")))?;
        let mut result = ExecutionResult::default();
        while let Some(msg) = conn.recv().await {
            let text = match msg {
                WsMessage::Text(t) => t,
                WsMessage::Binary(b) => String::from_utf8_lossy(&b.into_vec()).into_owned(),
                WsMessage::Close(code, reason) => {
                    return match code {
                        Some(1000) | Some(1001) | None => Ok(result),
                        Some(4008) => Err(Error::Timeout("Execution timed out: operation exceeded the configured `timeout`".into())),
                        Some(c) if reason.is_empty() => Err(Error::Connection(format!("Code execution failed: WebSocket closed with code {c}"))),
                        Some(c) => Err(Error::Connection(format!("{reason} (close code {c})"))),
                    };
                }
            };
            // `{type, text, name, value, traceback}`, every field optional.
            // `from_slice`, as every answer is read: `from_str` would compile a second JSON reader.
            let Ok(chunk) = serde_json::from_slice::<JsonObject>(text.as_bytes()) else { continue };
            let field = |key: &str| chunk.text(key).unwrap_or_default().to_string();
            match chunk.text("type").unwrap_or_default() {
                "stdout" => {
                    let text = field("text");
                    result.stdout.push_str(&text);
                    sink.stdout(text).await?;
                }
                "stderr" => {
                    let text = field("text");
                    result.stderr.push_str(&text);
                    sink.stderr(text).await?;
                }
                "error" => {
                    let e = ExecutionError { name: field("name"), value: field("value"), traceback: field("traceback") };
                    result.error = Some(e.clone());
                    sink.error(e).await?;
                }
                "control" if matches!(chunk.text("text"), Some("completed" | "interrupted")) => {
                    conn.close();
                    return Ok(result);
                }
                _ => {}
            }
        }
        Ok(result)
    }
}
