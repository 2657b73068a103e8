//! The per-sandbox toolbox API (`{toolboxProxyUrl}/{sandboxId}/…`), served by the daemon.

pub mod computer_use;
pub mod files;
pub mod git;
pub mod lsp;
pub mod process;

use serde::{Deserialize, Serialize};

/// The daemon's answer when all it has to say is a message (`PTY session deleted`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageResponse {
    pub message: String,
}

/// `GET /version`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionResponse {
    pub version: String,
}

/// `{}`: what the daemon answers to an input action that has nothing to report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Empty {}

/// `POST /env`: the environment new processes of the sandbox get. `unset` is applied first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateEnvRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unset: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unset_value_prefix: Option<String>,
}

/// `GET /system/metrics`: what the sandbox uses now. Memory and disk in bytes, `cpuUsedPct`
/// of its CPU limit (`cpuCount`), `timestamp` RFC 3339 and `timestampUnix` in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemMetrics {
    pub cpu_count: f64,
    pub cpu_used_pct: f64,
    pub disk_free: u64,
    pub disk_total: u64,
    pub disk_used: u64,
    pub mem_cache: u64,
    pub mem_total: u64,
    pub mem_used: u64,
    pub timestamp: String,
    pub timestamp_unix: i64,
}
