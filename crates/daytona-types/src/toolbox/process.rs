//! Process DTOs: one-shot commands, code-run and sessions.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecuteRequest {
    pub command: String,
    /// Seconds; 0 or absent = none. Whole seconds, as the daemon decodes a `uint32`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envs: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteResponse {
    pub exit_code: i32,
    pub result: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeRunRequest {
    pub code: String,
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argv: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envs: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeRunArtifacts {
    /// Charts as the in-sandbox matplotlib wrapper describes them.
    pub charts: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeRunResponse {
    pub exit_code: i32,
    pub result: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifacts: Option<CodeRunArtifacts>,
}

/// The line prefix the chart wrapper prints; such lines are removed from the output.
pub const ARTIFACT_PREFIX: &str = "dtn_artifact_k39fd2:";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionRequest {
    pub session_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SessionExecuteRequest {
    pub command: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_async: Option<bool>,
    /// Alias of `runAsync`.
    #[serde(default, rename = "async", skip_serializing_if = "Option::is_none")]
    pub is_async: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppress_input_echo: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SessionExecuteResponse {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub cmd_id: String,
    /// The raw log, with the stdout/stderr marker bytes.
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub stdout: Option<String>,
    #[serde(default)]
    pub stderr: Option<String>,
    #[serde(default)]
    pub exit_code: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Command {
    pub id: String,
    pub command: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub session_id: String,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionInputRequest {
    pub data: String,
}

/// A command's logs; a stream the server leaves out is empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(type_suffix = "Response"))]
#[serde(default)]
pub struct SessionCommandLogs {
    pub output: String,
    pub stdout: String,
    pub stderr: String,
}

/// A PTY session, as `GET /process/pty` lists it and `GET /process/pty/{id}` gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(hashmap_as_object))]
#[serde(rename_all = "camelCase")]
pub struct PtySessionInfo {
    pub id: String,
    pub cwd: String,
    pub envs: std::collections::BTreeMap<String, String>,
    pub cols: u16,
    pub rows: u16,
    pub created_at: String,
    pub active: bool,
    pub lazy_start: bool,
}

/// `GET /process/pty`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PtyListResponse {
    pub sessions: Vec<PtySessionInfo>,
}

/// How a PTY's shell ended: the reason of its WebSocket's close frame, and the `exited`
/// control message's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PtyExit {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A stateful interpreter context (`/process/interpreter/context`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterpreterContext {
    pub id: String,
    #[serde(default)]
    pub cwd: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub active: bool,
    #[serde(default)]
    pub language: String,
}

/// The first message on `WS /process/interpreter/execute`: what to run, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterpreterRunRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envs: Option<std::collections::BTreeMap<String, String>>,
    /// Seconds; absent = the server's 10 minutes, 0 = none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
}

/// `GET /process/interpreter/context`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListContextsResponse {
    pub contexts: Vec<InterpreterContext>,
}
