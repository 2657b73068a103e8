use daytona_core::git::GitClient;
use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitCloneRequest, GitConfigRequest, GitConfigUserRequest, GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest,
    GitRestoreRequest,
};
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, opt_from_js, to_js};
use crate::errors::JsResult;

#[wasm_bindgen(typescript_custom_section)]
const GIT_TS: &'static str = r#"
export type GitFileStatusName = "Unmodified" | "Untracked" | "Modified" | "Added" | "Deleted" | "Renamed" | "Copied" | "Updated but unmerged";
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

/// `scope` as the official SDK sends it: `global` unless given.
fn scope(scope: Option<String>) -> String {
    scope.unwrap_or_else(|| "global".into())
}

#[wasm_bindgen]
impl Git {
    /// Clones `url` into `path`, optionally a branch or a specific commit (left detached).
    /// Credentials are sent to the Sandbox, never put in the URL.
    ///
    /// @example
    /// await sandbox.git.clone('https://github.com/user/repo.git', 'workspace/repo', 'main');
    #[wasm_bindgen(js_name = clone)]
    #[allow(clippy::too_many_arguments)] // the official signature
    pub async fn clone_repo(
        &self,
        url: String,
        path: String,
        branch: Option<String>,
        #[wasm_bindgen(js_name = commitId)] commit_id: Option<String>,
        username: Option<String>,
        password: Option<String>,
        #[wasm_bindgen(js_name = insecureSkipTls)] insecure_skip_tls: Option<bool>,
        depth: Option<u32>,
    ) -> JsResult<()> {
        let body = GitCloneRequest { url, path, branch, commit_id, username, password, depth, insecure_skip_tls };
        Ok(self.inner.clone_repo(&body).await?)
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

    /// Pushes `branch` (default: the current one) to `remote` (default `origin`), tracking it
    /// unless `setUpstream` is false.
    pub async fn push(
        &self,
        path: String,
        username: Option<String>,
        password: Option<String>,
        branch: Option<String>,
        remote: Option<String>,
        #[wasm_bindgen(js_name = setUpstream)] set_upstream: Option<bool>,
    ) -> JsResult<()> {
        Ok(self.inner.push(&GitRepoRequest { path, username, password, branch, remote, set_upstream }).await?)
    }

    /// Pulls (fast-forward only) from `remote` and `branch`, by default the tracked ones.
    pub async fn pull(&self, path: String, username: Option<String>, password: Option<String>, branch: Option<String>, remote: Option<String>) -> JsResult<()> {
        Ok(self.inner.pull(&GitRepoRequest { path, username, password, branch, remote, set_upstream: None }).await?)
    }

    /// Creates a repository (`bare`, with `initialBranch`) at `path`.
    pub async fn init(&self, path: String, bare: Option<bool>, #[wasm_bindgen(js_name = initialBranch)] initial_branch: Option<String>) -> JsResult<()> {
        Ok(self.inner.init(&GitInitRequest { path, bare, initial_branch }).await?)
    }

    /// Resets HEAD (or only `files`) to `target` (default HEAD); `mode` is soft, mixed
    /// (default), hard, merge or keep.
    pub async fn reset(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] mode: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] target: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string[]")] files: JsValue,
    ) -> JsResult<()> {
        let files: Option<Vec<String>> = opt_from_js(files)?;
        Ok(self.inner.reset(&GitResetRequest { path, mode, target, files }).await?)
    }

    /// Restores `files` in the work tree (default) and/or the index (`staged`), from `source`.
    pub async fn restore(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue,
        staged: Option<bool>,
        worktree: Option<bool>,
        source: Option<String>,
    ) -> JsResult<()> {
        let files: Vec<String> = from_js(files)?;
        Ok(self.inner.restore(&GitRestoreRequest { path, files, staged, worktree, source }).await?)
    }

    /// Adds a remote (or, with `overwrite`, changes its URL), and fetches it when asked.
    #[wasm_bindgen(js_name = remoteAdd)]
    pub async fn remote_add(&self, path: String, name: String, url: String, fetch: Option<bool>, overwrite: Option<bool>) -> JsResult<()> {
        Ok(self.inner.add_remote(&GitAddRemoteRequest { path, name, url, fetch, overwrite }).await?)
    }

    /// The repository's remotes and their fetch URLs.
    #[wasm_bindgen(unchecked_return_type = "ListRemotesResponse")]
    pub async fn remotes(&self, path: String) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.remotes(&path).await?))
    }

    /// The URL of remote `name`, or `undefined` when there is none.
    #[wasm_bindgen(js_name = remoteGet)]
    pub async fn remote_get(&self, path: String, name: String) -> JsResult<Option<String>> {
        Ok(self.inner.remote_url(&path, &name).await?)
    }

    /// Sets a git config key; `scope` is global (default), local (with `path`) or system.
    #[wasm_bindgen(js_name = setConfig)]
    pub async fn set_config(&self, key: String, value: String, scope: Option<String>, path: Option<String>) -> JsResult<()> {
        Ok(self.inner.set_config(&GitConfigRequest { key, value, scope: Some(self::scope(scope)), path }).await?)
    }

    /// A git config value, or `undefined` when the key is not set.
    #[wasm_bindgen(js_name = getConfig)]
    pub async fn get_config(&self, key: String, scope: Option<String>, path: Option<String>) -> JsResult<Option<String>> {
        Ok(self.inner.get_config(&key, &self::scope(scope), path.as_deref()).await?)
    }

    /// Sets `user.name` and `user.email`.
    #[wasm_bindgen(js_name = configureUser)]
    pub async fn configure_user(&self, name: String, email: String, scope: Option<String>, path: Option<String>) -> JsResult<()> {
        Ok(self.inner.configure_user(&GitConfigUserRequest { name, email, scope: Some(self::scope(scope)), path }).await?)
    }

    /// Stores credentials in the Sandbox's git credential store, in plain text, for its git
    /// to use with `host` (github.com by default) over `protocol` (https by default).
    #[wasm_bindgen(js_name = dangerouslyAuthenticate)]
    pub async fn dangerously_authenticate(&self, username: String, password: String, host: Option<String>, protocol: Option<String>) -> JsResult<()> {
        Ok(self.inner.authenticate(&GitCredentialsRequest { username, password, host, protocol }).await?)
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
