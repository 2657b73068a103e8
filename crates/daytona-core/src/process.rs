//! `sandbox.process`: commands, code-run and sessions in a sandbox.

use std::collections::BTreeMap;

use daytona_types::toolbox::process::{CodeRunRequest, ExecuteRequest, SessionExecuteRequest};
use serde::Serialize;

use daytona_types::framing::demux::{Demuxer, Stream};
use daytona_types::framing::utf8::Utf8Decoder;

use serde_json::Value;

use crate::args::{Fields, FromArg};
use crate::call::{read, Call, Json};
use crate::context::missing_field;
use crate::endpoints::process as ep;
use crate::endpoints::segment;
use crate::error::{Error, Result};
use crate::json_object::JsonObject;
use crate::params::CODE_TOOLBOX_LANGUAGE_LABEL;
use crate::sandbox::SandboxClient;
use crate::transport::{LocalBoxFuture, WsMessage};

/// What `executeCommand` and `codeRun` resolve to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteResult {
    pub exit_code: i32,
    pub result: String,
    pub artifacts: Artifacts,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(type_prefix = "Execution"))]
pub struct Artifacts {
    pub stdout: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "Chart[]"))]
    pub charts: Option<Vec<serde_json::Value>>,
}

/// An `ExecuteResponse` (`{ exitCode, result }`) or a `CodeRunResponse` (and `artifacts.charts`,
/// handed on as sent when `charts`), read field by field: one reader, no typed decoder each.
fn execute_result(answer: JsonObject, charts: bool) -> Result<ExecuteResult> {
    let exit_code = answer.get("exitCode").and_then(Value::as_i64).and_then(|c| i32::try_from(c).ok()).ok_or_else(|| missing_field("exitCode"))?;
    let result = answer.text("result").ok_or_else(|| missing_field("result"))?.to_string();
    let charts = charts.then(|| answer.get("artifacts").and_then(|a| a.get("charts")?.as_array()).cloned().unwrap_or_default());
    Ok(ExecuteResult { exit_code, artifacts: Artifacts { stdout: result.clone(), charts }, result })
}

/// `codeRun`'s `params`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeRunParams {
    pub argv: Option<Vec<String>>,
    pub env: Option<BTreeMap<String, String>>,
}

impl FromArg for CodeRunParams {
    fn from_arg(v: &Value, name: &str) -> Result<Self> {
        let f = Fields::of(v, name)?;
        f.done(CodeRunParams { argv: f.opt("argv"), env: f.opt("env") })
    }
}

/// Receives streamed session output. Futures, so a JS callback's Promise is awaited before
/// the next chunk (back-pressure).
pub trait LogSink {
    fn stdout(&mut self, text: String) -> LocalBoxFuture<'_, Result<()>>;
    fn stderr(&mut self, text: String) -> LocalBoxFuture<'_, Result<()>>;
}

/// Demultiplexes a marked log stream into text, never splitting a character.
#[derive(Default)]
struct LogDecoder {
    demux: Demuxer,
    out: Utf8Decoder,
    err: Utf8Decoder,
}

impl LogDecoder {
    async fn feed(&mut self, bytes: &[u8], sink: &mut dyn LogSink) -> Result<()> {
        for (stream, run) in self.demux.push(bytes) {
            self.emit(stream, &run, sink).await?;
        }
        Ok(())
    }

    async fn emit(&mut self, stream: Stream, bytes: &[u8], sink: &mut dyn LogSink) -> Result<()> {
        let text = match stream {
            Stream::Stdout => self.out.push(bytes),
            Stream::Stderr => self.err.push(bytes),
        };
        match stream {
            _ if text.is_empty() => Ok(()),
            Stream::Stdout => sink.stdout(text).await,
            Stream::Stderr => sink.stderr(text).await,
        }
    }

    async fn finish(&mut self, sink: &mut dyn LogSink) -> Result<()> {
        for (stream, run) in self.demux.finish() {
            self.emit(stream, &run, sink).await?;
        }
        let (out, err) = (self.out.finish(), self.err.finish());
        if !out.is_empty() {
            sink.stdout(out).await?;
        }
        if !err.is_empty() {
            sink.stderr(err).await?;
        }
        Ok(())
    }
}

/// A timeout in whole seconds (the daemon decodes it as an unsigned integer).
fn whole_seconds(timeout: Option<f64>) -> Result<Option<u32>> {
    match timeout {
        None => Ok(None),
        Some(t) if t >= 0.0 && t.fract() == 0.0 && t <= u32::MAX as f64 => Ok(Some(t as u32)),
        Some(_) => Err(Error::InvalidArgument("timeout must be a non-negative whole number of seconds".into())),
    }
}

fn non_empty(envs: Option<BTreeMap<String, String>>) -> Option<BTreeMap<String, String>> {
    envs.filter(|e| !e.is_empty())
}

#[derive(Clone)]
pub struct ProcessClient {
    sandbox: SandboxClient,
}

impl ProcessClient {
    /// This client for one cancellable call: its requests carry `signal`.
    pub fn with_signal(&self, signal: crate::transport::Signal) -> Self {
        ProcessClient { sandbox: self.sandbox.with_signal(signal) }
    }

    pub fn new(sandbox: SandboxClient) -> Self {
        ProcessClient { sandbox }
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    pub async fn execute_command(
        &self,
        command: &str,
        cwd: Option<String>,
        env: Option<BTreeMap<String, String>>,
        timeout: Option<f64>,
    ) -> Result<ExecuteResult> {
        let body = ExecuteRequest { command: command.into(), timeout: whole_seconds(timeout)?, cwd, envs: non_empty(env) };
        execute_result(self.sandbox.ctx().json(ep::execute(&self.base(), &body)).await?, false)
    }

    /// Runs code in the sandbox's language (its `code-toolbox-language` label).
    pub async fn code_run(&self, code: &str, params: CodeRunParams, timeout: Option<f64>) -> Result<ExecuteResult> {
        let language = self
            .sandbox
            .dto()
            .get("labels")
            .and_then(|l| l.get(CODE_TOOLBOX_LANGUAGE_LABEL)?.as_str().map(str::to_string))
            .ok_or_else(|| Error::InvalidArgument("Code language is required for codeRun".into()))?;
        let body = CodeRunRequest { code: code.into(), language, argv: params.argv, envs: non_empty(params.env), timeout: whole_seconds(timeout)? };
        execute_result(self.sandbox.ctx().json(ep::code_run(&self.base(), &body)).await?, true)
    }

    pub fn create_session(&self, session_id: &str) -> Call<()> {
        self.sandbox.call(ep::create_session(&self.base(), session_id), read::nothing)
    }

    /// `Session`.
    pub fn get_session(&self, session_id: &str) -> Call<Json> {
        self.sandbox.call(ep::get_session(&self.base(), session_id), read::json)
    }

    /// `Vec<Session>`.
    pub fn list_sessions(&self) -> Call<Json> {
        self.sandbox.call(ep::list_sessions(&self.base()), read::json)
    }

    pub fn delete_session(&self, session_id: &str) -> Call<()> {
        self.sandbox.call(ep::delete_session(&self.base(), session_id), read::nothing)
    }

    /// Runs a command in a session; with `runAsync` it returns at once with the command id.
    /// `SessionExecuteResponse` as sent, with `stdout` and `stderr` always strings.
    pub async fn execute_session_command(&self, session_id: &str, req: SessionExecuteRequest, timeout: Option<f64>) -> Result<JsonObject> {
        if req.command.trim().is_empty() {
            return Err(Error::InvalidArgument("command is required".into()));
        }
        let mut resp: JsonObject = self.sandbox.ctx().json(ep::session_exec(&self.base(), session_id, &req, timeout)).await?;
        for key in ["stdout", "stderr"] {
            if resp.text(key).is_none() {
                resp.set(key, "");
            }
        }
        Ok(resp)
    }

    /// `Command`.
    pub fn get_session_command(&self, session_id: &str, command_id: &str) -> Call<Json> {
        self.sandbox.call(ep::session_command(&self.base(), session_id, command_id), read::json)
    }

    /// `SessionCommandLogs`.
    pub fn get_session_command_logs(&self, session_id: &str, command_id: &str) -> Call<Json> {
        self.sandbox.call(ep::session_command_logs(&self.base(), session_id, command_id), read::json)
    }

    /// Streams a command's output to `sink` until the command ends (the server closes).
    pub async fn follow_session_command_logs(&self, session_id: &str, command_id: &str, sink: &mut dyn LogSink) -> Result<()> {
        self.follow_logs(&format!("/process/session/{}/command/{}/logs?follow=true", segment(session_id), segment(command_id)), sink).await
    }

    /// The session the sandbox's entrypoint runs in (`GET /process/session/entrypoint`).
    pub fn get_entrypoint_session(&self) -> Call<Json> {
        self.get_session("entrypoint")
    }

    /// The entrypoint's output so far (`GET /process/session/entrypoint/logs`).
    /// `SessionCommandLogs`.
    pub fn get_entrypoint_logs(&self) -> Call<Json> {
        self.sandbox.call(ep::entrypoint_logs(&self.base()), read::json)
    }

    /// Streams the entrypoint's output to `sink` until it ends.
    pub async fn follow_entrypoint_logs(&self, sink: &mut dyn LogSink) -> Result<()> {
        self.follow_logs("/process/session/entrypoint/logs?follow=true", sink).await
    }

    /// Reads a log WebSocket (`path` on the toolbox) into `sink` until the server closes it.
    /// The server closes with 1000 once the log is whole; any other end is a dropped
    /// connection, reported rather than passed off as the end of the log.
    async fn follow_logs(&self, path: &str, sink: &mut dyn LogSink) -> Result<()> {
        let conn = self.sandbox.ws_connect(path, Vec::new()).await?;
        let mut decoder = LogDecoder::default();
        let mut code = None;
        while let Some(msg) = conn.recv().await {
            match msg {
                WsMessage::Binary(b) => decoder.feed(&b.into_vec(), sink).await?,
                WsMessage::Text(t) => decoder.feed(t.as_bytes(), sink).await?,
                WsMessage::Close(c, _) => {
                    code = c;
                    break;
                }
            }
        }
        decoder.finish(sink).await?;
        match code {
            Some(1000) => Ok(()),
            other => Err(Error::Connection(format!(
                "the log stream was cut off (close code {}) before the log ended; output may be incomplete",
                other.map_or_else(|| "none".to_string(), |c| c.to_string())
            ))),
        }
    }

    pub fn send_session_command_input(&self, session_id: &str, command_id: &str, data: &str) -> Call<()> {
        self.sandbox.call(ep::session_input(&self.base(), session_id, command_id, data), read::nothing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(v: serde_json::Value) -> JsonObject {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn execute_results_are_read_as_the_official_sdk_returns_them() {
        let run = execute_result(answer(serde_json::json!({ "exitCode": 0, "result": "hi\n" })), false).unwrap();
        assert_eq!(serde_json::to_value(&run).unwrap(), serde_json::json!({ "exitCode": 0, "result": "hi\n", "artifacts": { "stdout": "hi\n" } }));
        let chart = serde_json::json!({ "type": "line", "title": null });
        let code = execute_result(answer(serde_json::json!({ "exitCode": 1, "result": "", "artifacts": { "charts": [chart] } })), true).unwrap();
        assert_eq!((code.exit_code, code.artifacts.charts), (1, Some(vec![chart])));
        let no_charts = execute_result(answer(serde_json::json!({ "exitCode": 0, "result": "" })), true).unwrap();
        assert_eq!(no_charts.artifacts.charts, Some(Vec::new()));
        let broken = execute_result(answer(serde_json::json!({ "result": "" })), false);
        assert!(matches!(broken, Err(Error::Other(m)) if m == "failed to decode response: missing field `exitCode`"));
    }
}
