//! `GET /config`: what the platform says of itself.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaytonaConfiguration {
    pub version: String,
    pub oidc: OidcConfig,
    pub linked_accounts_enabled: bool,
    pub announcements: std::collections::BTreeMap<String, serde_json::Value>,
    pub proxy_template_url: String,
    pub proxy_toolbox_url: String,
    pub default_snapshot: String,
    pub dashboard_url: String,
    pub max_auto_archive_interval: i64,
    /// Spelled so on the wire.
    pub maintanance_mode: bool,
    pub environment: String,
    /// Where the SDK reads metrics series from; without it, from the API itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics_api_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub audience: String,
}
