//! Volumes: shared storage that sandboxes mount.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub id: String,
    pub name: String,
    pub organization_id: String,
    /// `creating`, `ready`, `pending_create`, `pending_delete`, `deleting`, `deleted`, `error`.
    #[cfg_attr(feature = "ts", tsify(type = "VolumeState"))]
    pub state: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub last_used_at: Option<String>,
    #[serde(default)]
    pub error_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateVolume {
    pub name: String,
}
