//! `/warm-pools`: sandboxes made ahead from a snapshot, which `POST /sandbox` takes from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPool {
    pub id: String,
    pub organization_id: String,
    pub snapshot: String,
    pub target: String,
    /// How many ready sandboxes the pool keeps.
    pub pool: u32,
    /// How many it has now.
    pub current_size: u32,
    #[serde(serialize_with = "crate::num::f64")]
    pub cpu: f64,
    #[serde(serialize_with = "crate::num::f64")]
    pub mem: f64,
    #[serde(serialize_with = "crate::num::f64")]
    pub disk: f64,
    pub os_user: String,
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateWarmPool {
    pub snapshot: String,
    pub pool: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UpdateWarmPool {
    pub pool: u32,
}
