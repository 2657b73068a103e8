//! File-system DTOs.

use serde::{Deserialize, Serialize};

/// One entry of `GET /files` and the answer of `GET /files/info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub name: String,
    pub size: u64,
    /// `-rw-r--r--` style, as Go's `FileMode.String()`.
    pub mode: String,
    /// Go's `time.Time.String()` form.
    pub mod_time: String,
    /// RFC 3339.
    #[serde(default)]
    pub modified_at: String,
    pub is_dir: bool,
    /// Numeric uid, as a string.
    pub owner: String,
    /// Numeric gid, as a string.
    pub group: String,
    /// Octal, `0644` style.
    pub permissions: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A `GET /files/find` hit: a line containing the pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct Match {
    pub file: String,
    /// 1-based.
    pub line: u64,
    pub content: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct SearchFilesResponse {
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceRequest {
    pub files: Vec<String>,
    pub pattern: String,
    pub new_value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ReplaceResult {
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub file: String,
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `POST /files/bulk-download` body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DownloadFilesRequest {
    pub paths: Vec<String>,
}

/// `GET /user-home-dir`, `GET /work-dir`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirResponse {
    pub dir: String,
}

/// The boundary daytona-local uses for bulk downloads (any boundary works for SDKs).
pub const DOWNLOAD_BOUNDARY: &str = "DAYTONA-FILE-BOUNDARY";

/// One file a bulk upload stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub path: String,
    pub bytes: u64,
}

/// `POST /files/upload-v2`: the file stored (`type` is always `file`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadV2Response {
    pub name: String,
    pub path: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// `POST /files/bulk-upload`: what was stored, and (status 400 or 507) what was not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadResponse {
    pub files: Vec<UploadedFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<String>>,
}
