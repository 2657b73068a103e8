//! Sandbox DTOs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Sandbox states. Open on read: a state a newer server invents becomes `Unknown`
/// instead of failing the whole response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SandboxState {
    Creating,
    Restoring,
    Destroyed,
    Destroying,
    Started,
    Stopped,
    Starting,
    Stopping,
    Error,
    BuildFailed,
    PendingBuild,
    BuildingSnapshot,
    PullingSnapshot,
    Archived,
    Archiving,
    Resizing,
    Snapshotting,
    Forking,
    Pausing,
    Paused,
    Resuming,
    #[serde(other)]
    Unknown,
}

impl SandboxState {
    pub const ALL: [SandboxState; 22] = [
        Self::Creating,
        Self::Restoring,
        Self::Destroyed,
        Self::Destroying,
        Self::Started,
        Self::Stopped,
        Self::Starting,
        Self::Stopping,
        Self::Error,
        Self::BuildFailed,
        Self::PendingBuild,
        Self::BuildingSnapshot,
        Self::PullingSnapshot,
        Self::Archived,
        Self::Archiving,
        Self::Resizing,
        Self::Snapshotting,
        Self::Forking,
        Self::Pausing,
        Self::Paused,
        Self::Resuming,
        Self::Unknown,
    ];

    /// The wire name (`"started"`, `"build_failed"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creating => "creating",
            Self::Restoring => "restoring",
            Self::Destroyed => "destroyed",
            Self::Destroying => "destroying",
            Self::Started => "started",
            Self::Stopped => "stopped",
            Self::Starting => "starting",
            Self::Stopping => "stopping",
            Self::Error => "error",
            Self::BuildFailed => "build_failed",
            Self::PendingBuild => "pending_build",
            Self::BuildingSnapshot => "building_snapshot",
            Self::PullingSnapshot => "pulling_snapshot",
            Self::Archived => "archived",
            Self::Archiving => "archiving",
            Self::Resizing => "resizing",
            Self::Snapshotting => "snapshotting",
            Self::Forking => "forking",
            Self::Pausing => "pausing",
            Self::Paused => "paused",
            Self::Resuming => "resuming",
            Self::Unknown => "unknown",
        }
    }

    /// Parses a wire name; `None` for anything that is not a known state.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// States in which waiting for a target state fails.
    pub fn is_error(self) -> bool {
        matches!(self, Self::Error | Self::BuildFailed)
    }
}

/// A volume mounted into a sandbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SandboxVolume {
    pub volume_id: String,
    pub mount_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subpath: Option<String>,
}

/// How a sandbox's image is built (`FROM <image>` for a plain image name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dockerfile_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_hashes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_ref: Option<String>,
}

/// The Sandbox DTO (`GET /sandbox/{id}` and every lifecycle answer). List items use the same
/// type with `env` absent: the official SDK tells full DTOs from list items by that key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sandbox {
    pub id: String,
    #[serde(default)]
    pub organization_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    #[serde(default)]
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub network_block_all: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_allow_list: Option<String>,
    #[serde(default)]
    pub target: String,
    #[serde(default, serialize_with = "crate::num::f64")]
    pub cpu: f64,
    #[serde(default, serialize_with = "crate::num::f64")]
    pub gpu: f64,
    #[serde(default, serialize_with = "crate::num::f64")]
    pub memory: f64,
    #[serde(default, serialize_with = "crate::num::f64")]
    pub disk: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<SandboxState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recoverable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_stop_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_archive_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_delete_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<SandboxVolume>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_info: Option<BuildInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon_version: Option<String>,
    #[serde(default)]
    pub toolbox_proxy_url: String,
    /// Minutes of inactivity before the sandbox pauses (0 = never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_pause_interval: Option<i64>,
    /// When the sandbox is deleted whatever it is doing (only with a TTL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_destroy_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_created_at: Option<String>,
    /// The sandbox this one runs beside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_sandbox_id: Option<String>,
    /// The warm pool the sandbox waits in, while unclaimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_pool_id: Option<String>,
    /// Comma-separated domains the sandbox may reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_allow_list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_evicted_at: Option<String>,
    /// Whether the sandbox exposes KVM (`/dev/kvm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kvm: Option<bool>,
    /// The proxy its HTTP(S) traffic goes through (its proxy variables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_proxy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otel_endpoint_override: Option<String>,
    /// daytona-local's own field: how the sandbox is isolated from the host ("none: …" when
    /// it is not). Daytona's API does not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolation: Option<String>,
}

/// `POST /sandbox` body. Every field is optional on the wire; `env` and `labels` are always
/// sent by the official SDK.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSandbox {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_info: Option<BuildInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub cpu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub gpu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub memory: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub disk: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_stop_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_archive_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_delete_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<Vec<SandboxVolume>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_block_all: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_allow_list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_pause_interval: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kvm: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_allow_list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_proxy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otel_endpoint_override: Option<String>,
    /// The sandbox (id or name) the new one is linked to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_sandbox: Option<String>,
    /// `[{ "ENV_VAR": "secret-name" }, …]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<BTreeMap<String, String>>>,
}

/// `POST /sandbox/{id}/network-settings` body: what to change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct UpdateSandboxNetworkSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_block_all: Option<bool>,
    /// Comma-separated CIDRs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_allow_list: Option<String>,
    /// Comma-separated domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_allow_list: Option<String>,
}

/// `POST /sandbox/{id}/resize` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResizeSandbox {
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub cpu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub memory: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "crate::num::opt_f64")]
    pub disk: Option<f64>,
}

/// `PUT /sandbox/{id}/labels` body and (declared) response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SandboxLabels {
    pub labels: BTreeMap<String, String>,
}

/// `GET /sandbox/paginated` answer: the seed SDK's `list(labels, page, limit)`. Generic over
/// the item, which the SDK keeps as sent (`SandboxDto`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginatedSandboxes<T = Sandbox> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub total_pages: u64,
}

/// `GET /sandbox` answer: the current official SDK's cursor pagination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSandboxes<T = Sandbox> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// `GET /sandbox/{id}/toolbox-proxy-url` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolboxProxyUrl {
    pub url: String,
}

/// `GET /sandbox/{id}/ports/{port}/preview-url` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PortPreviewUrl {
    pub sandbox_id: String,
    pub url: String,
    pub token: String,
}

/// `GET /sandbox/{id}/ports/{port}/signed-preview-url` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SignedPortPreviewUrl {
    pub sandbox_id: String,
    pub port: u16,
    pub token: String,
    pub url: String,
}

/// `POST /sandbox/{id}/ssh-access` answer: the token is the SSH user name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(type_suffix = "Dto"))]
#[serde(rename_all = "camelCase")]
pub struct SshAccess {
    pub id: String,
    pub sandbox_id: String,
    pub token: String,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
    pub ssh_command: String,
}

/// `GET /sandbox/ssh-access/validate` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[cfg_attr(feature = "ts", tsify(type_suffix = "Dto"))]
#[serde(rename_all = "camelCase")]
pub struct SshAccessValidation {
    pub valid: bool,
    #[cfg_attr(feature = "ts", tsify(type = "string | null"))]
    pub sandbox_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_names_round_trip() {
        for st in SandboxState::ALL {
            let json = serde_json::to_string(&st).unwrap();
            assert_eq!(json, format!("\"{}\"", st.as_str()));
            assert_eq!(SandboxState::parse(st.as_str()), Some(st));
        }
        assert_eq!(SandboxState::parse("bogus"), None);
    }

    #[test]
    fn unknown_state_from_a_newer_server_is_tolerated() {
        let sb: Sandbox = serde_json::from_str(r#"{"id":"a","state":"hibernating"}"#).unwrap();
        assert_eq!(sb.state, Some(SandboxState::Unknown));
    }

    #[test]
    fn list_item_without_env_stays_without_env() {
        let sb: Sandbox = serde_json::from_str(r#"{"id":"a","labels":{"x":"y"},"toolboxProxyUrl":"http://h/toolbox"}"#).unwrap();
        assert!(sb.env.is_none());
        let back = serde_json::to_value(&sb).unwrap();
        assert!(back.get("env").is_none());
        assert_eq!(back["labels"]["x"], "y");
    }

    #[test]
    fn create_body_omits_unset_fields() {
        let body = CreateSandbox { labels: [("code-toolbox-language".into(), "python".into())].into(), ..Default::default() };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"env":{},"labels":{"code-toolbox-language":"python"}}"#);
    }
}

/// `POST /sandbox/{id}/fork`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForkSandbox {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `POST /sandbox/{id}/snapshot`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateSandboxSnapshot {
    pub name: String,
}
