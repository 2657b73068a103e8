//! Snapshots: templates sandboxes are created from, named images or built from a
//! Dockerfile.

use serde::{Deserialize, Serialize};

use super::sandbox::BuildInfo;

/// `building`, `pending`, `pulling`, `snapshotting`, `active`, `inactive`, `error`,
/// `build_failed`, `removing`.
pub type SnapshotState = String;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub general: bool,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    pub state: SnapshotState,
    #[serde(default)]
    pub size: Option<f64>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub cpu: f64,
    #[serde(default)]
    pub gpu: f64,
    /// Memory in GiB (`mem` on the wire, not `memory`).
    #[serde(default)]
    pub mem: f64,
    #[serde(default)]
    pub disk: f64,
    #[serde(default)]
    pub error_reason: Option<String>,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub last_used_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_info: Option<BuildInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_ids: Option<Vec<String>>,
}

impl Snapshot {
    /// Whether a build or pull has ended, well or not.
    pub fn is_settled(&self) -> bool {
        is_settled(&self.state)
    }
}

/// Whether a snapshot in `state` has ended its build or pull, well or not.
pub fn is_settled(state: &str) -> bool {
    matches!(state, "active" | "error" | "build_failed")
}

/// `POST /snapshots` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSnapshot {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_info: Option<BuildInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
}

/// `GET /snapshots` answer (page is 1-based).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PaginatedSnapshots {
    pub items: Vec<Snapshot>,
    pub total: u64,
    pub page: u64,
    pub total_pages: u64,
}

/// `GET …/build-logs-url` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Url {
    pub url: String,
}
