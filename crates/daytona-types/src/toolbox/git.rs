//! Git DTOs. Note the snake_case keys some bodies use.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCloneRequest {
    pub url: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_skip_tls: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitAddRequest {
    pub path: String,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCommitRequest {
    pub path: String,
    pub message: String,
    pub author: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_empty: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCommitResponse {
    pub hash: String,
}

/// `push` and `pull` (`set_upstream` is push's only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitRepoRequest {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_upstream: Option<bool>,
}

/// `POST /git/init`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitInitRequest {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bare: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_branch: Option<String>,
}

/// `POST /git/reset`: `mode` is soft, mixed (default), hard, merge or keep; `target` HEAD by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitResetRequest {
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
}

/// `POST /git/restore`: the work tree when neither `staged` nor `worktree` is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitRestoreRequest {
    pub path: String,
    pub files: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staged: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worktree: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `POST /git/remotes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitAddRemoteRequest {
    pub path: String,
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overwrite: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitRemote {
    pub name: String,
    pub url: String,
}

/// `GET /git/remotes` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ListRemotesResponse {
    #[cfg_attr(feature = "ts", tsify(type = "{ name: string; url: string }[]"))]
    pub remotes: Vec<GitRemote>,
}

/// `POST /git/config`: `scope` is global (what the SDK sends by default), local (with `path`)
/// or system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitConfigRequest {
    pub key: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// `GET /git/config` answer: no `value` when the key is not set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitConfigResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// `POST /git/config/user`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitConfigUserRequest {
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// `POST /git/credentials`: stored in the sandbox's git credential store (host github.com and
/// protocol https by default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCredentialsRequest {
    pub username: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitBranchRequest {
    pub path: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GitCheckoutRequest {
    pub path: String,
    pub branch: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct ListBranchResponse {
    pub branches: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
}

/// One changed file. `staging`/`worktree` are `Unmodified`, `Untracked`, `Modified`,
/// `Added`, `Deleted`, `Renamed`, `Copied` or `Updated but unmerged`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
pub struct FileStatus {
    pub name: String,
    pub extra: String,
    #[cfg_attr(feature = "ts", tsify(type = "GitFileStatusName"))]
    pub staging: String,
    #[cfg_attr(feature = "ts", tsify(type = "GitFileStatusName"))]
    pub worktree: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct GitStatus {
    pub current_branch: String,
    pub file_status: Vec<FileStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_published: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ahead: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behind: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detached: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
}
