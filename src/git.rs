use daytona_core::git::{Credentials, GitClient};
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, to_js};
use crate::errors::JsResult;

#[wasm_bindgen(typescript_custom_section)]
const GIT_TS: &'static str = r#"
export type GitFileStatusName = "Unmodified" | "Untracked" | "Modified" | "Added" | "Deleted" | "Renamed" | "Copied" | "Updated but unmerged";
export interface FileStatus { name: string; extra: string; staging: GitFileStatusName; worktree: GitFileStatusName; }
export interface GitStatus { currentBranch: string; fileStatus: FileStatus[]; branchPublished?: boolean; ahead?: number; behind?: number; detached?: boolean; upstream?: string; }
export interface ListBranchResponse { branches: string[]; current?: string; }
export interface GitCommitResponse { sha: string; }
"#;

/// Git in a Sandbox: clone, stage, commit, push/pull with optional credentials, branches
/// and status. Paths are repository directories in the Sandbox.
#[wasm_bindgen]
pub struct Git {
    inner: GitClient,
}

impl From<GitClient> for Git {
    fn from(inner: GitClient) -> Self {
        Git { inner }
    }
}

fn creds(username: Option<String>, password: Option<String>) -> Credentials {
    Credentials { username, password }
}

#[wasm_bindgen]
impl Git {
    /// Clones `url` into `path`, optionally a branch or a specific commit (left detached).
    /// Credentials are sent to the Sandbox, never put in the URL.
    ///
    /// @example
    /// await sandbox.git.clone('https://github.com/user/repo.git', 'workspace/repo', 'main');
    #[wasm_bindgen(js_name = clone)]
    pub async fn clone_repo(
        &self,
        url: String,
        path: String,
        branch: Option<String>,
        #[wasm_bindgen(js_name = commitId)] commit_id: Option<String>,
        username: Option<String>,
        password: Option<String>,
    ) -> JsResult<()> {
        Ok(self.inner.clone_repo(&url, &path, branch, commit_id, creds(username, password)).await?)
    }

    /// Stages files (`['.']` for everything) in the repository at `path`.
    pub async fn add(&self, path: String, #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue) -> JsResult<()> {
        let files: Vec<String> = from_js(files)?;
        Ok(self.inner.add(&path, files).await?)
    }

    /// Commits what is staged; resolves to `{ sha }`.
    #[wasm_bindgen(unchecked_return_type = "GitCommitResponse")]
    pub async fn commit(
        &self,
        path: String,
        message: String,
        author: String,
        email: String,
        #[wasm_bindgen(js_name = allowEmpty)] allow_empty: Option<bool>,
    ) -> JsResult<JsValue> {
        let sha = self.inner.commit(&path, &message, &author, &email, allow_empty).await?;
        Ok(to_js(&serde_json::json!({ "sha": sha })))
    }

    /// Pushes the current branch to `origin` (and tracks it).
    pub async fn push(&self, path: String, username: Option<String>, password: Option<String>) -> JsResult<()> {
        Ok(self.inner.push(&path, creds(username, password)).await?)
    }

    /// Pulls (fast-forward only) from the tracked branch.
    pub async fn pull(&self, path: String, username: Option<String>, password: Option<String>) -> JsResult<()> {
        Ok(self.inner.pull(&path, creds(username, password)).await?)
    }

    /// Local branches, and the current one.
    #[wasm_bindgen(unchecked_return_type = "ListBranchResponse")]
    pub async fn branches(&self, path: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.branches(&path).await?))
    }

    #[wasm_bindgen(js_name = createBranch)]
    pub async fn create_branch(&self, path: String, name: String) -> JsResult<()> {
        Ok(self.inner.create_branch(&path, &name).await?)
    }

    #[wasm_bindgen(js_name = deleteBranch)]
    pub async fn delete_branch(&self, path: String, name: String) -> JsResult<()> {
        Ok(self.inner.delete_branch(&path, &name).await?)
    }

    #[wasm_bindgen(js_name = checkoutBranch)]
    pub async fn checkout_branch(&self, path: String, branch: String) -> JsResult<()> {
        Ok(self.inner.checkout_branch(&path, &branch).await?)
    }

    /// Current branch, ahead/behind counts, whether it is published, and changed files.
    #[wasm_bindgen(unchecked_return_type = "GitStatus")]
    pub async fn status(&self, path: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.status(&path).await?))
    }
}
