//! Error bodies. Daytona servers answer errors in three shapes; the SDK
//! reads `message`, then `error`, then the raw body, and `code`/`error_code` and `source`.

use serde::{Deserialize, Serialize};

/// The REST API's (NestJS) error body, which daytona-local writes for every error.
/// Every field is optional on read because daemons and proxies send subsets of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<serde_json::Value>,
    /// The HTTP reason phrase in NestJS bodies, or the whole message in `{error}` bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<serde_json::Value>,
    #[serde(default, rename = "error_code", skip_serializing_if = "Option::is_none")]
    pub error_code: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}
