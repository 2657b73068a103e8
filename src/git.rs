use daytona_core::git::GitClient;
use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitCloneRequest, GitConfigRequest, GitConfigUserRequest, GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest,
    GitRestoreRequest,
};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::{from_js, opt_from_js, to_js};
use crate::promise::{call, promise, try_call};

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
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn clone_repo(
        &self,
        url: String,
        path: String,
        branch: Option<String>,
        #[wasm_bindgen(js_name = commitId)] commit_id: Option<String>,
        username: Option<String>,
        password: Option<String>,
        #[wasm_bindgen(js_name = insecureSkipTls)] insecure_skip_tls: Option<bool>,
        depth: Option<u32>,
    ) -> Promise {
        let body = GitCloneRequest { url, path, branch, commit_id, username, password, depth, insecure_skip_tls };
        call(self.inner.clone_repo(&body))
    }

    /// Stages files (`['.']` for everything) in the repository at `path`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn add(&self, path: String, #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue) -> Promise {
        try_call(from_js(files, "files").map(|files| self.inner.add(&path, files)))
    }

    /// Commits what is staged; resolves to `{ sha }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<GitCommitResponse>")]
    pub fn commit(
        &self,
        path: String,
        message: String,
        author: String,
        email: String,
        #[wasm_bindgen(js_name = allowEmpty)] allow_empty: Option<bool>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let sha = inner.commit(&path, &message, &author, &email, allow_empty).await?;
            Ok(to_js(&serde_json::json!({ "sha": sha })))
        })
    }

    /// Pushes `branch` (default: the current one) to `remote` (default `origin`), tracking it
    /// unless `setUpstream` is false.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn push(
        &self,
        path: String,
        username: Option<String>,
        password: Option<String>,
        branch: Option<String>,
        remote: Option<String>,
        #[wasm_bindgen(js_name = setUpstream)] set_upstream: Option<bool>,
    ) -> Promise {
        call(self.inner.push(&GitRepoRequest { path, username, password, branch, remote, set_upstream }))
    }

    /// Pulls (fast-forward only) from `remote` and `branch`, by default the tracked ones.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn pull(&self, path: String, username: Option<String>, password: Option<String>, branch: Option<String>, remote: Option<String>) -> Promise {
        call(self.inner.pull(&GitRepoRequest { path, username, password, branch, remote, set_upstream: None }))
    }

    /// Creates a repository (`bare`, with `initialBranch`) at `path`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn init(&self, path: String, bare: Option<bool>, #[wasm_bindgen(js_name = initialBranch)] initial_branch: Option<String>) -> Promise {
        call(self.inner.init(&GitInitRequest { path, bare, initial_branch }))
    }

    /// Resets HEAD (or only `files`) to `target` (default HEAD); `mode` is soft, mixed
    /// (default), hard, merge or keep.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn reset(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] mode: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] target: Option<String>,
        #[wasm_bindgen(unchecked_optional_param_type = "string[]")] files: JsValue,
    ) -> Promise {
        try_call(opt_from_js(files, "files").map(|files| self.inner.reset(&GitResetRequest { path, mode, target, files })))
    }

    /// Restores `files` in the work tree (default) and/or the index (`staged`), from `source`.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn restore(
        &self,
        path: String,
        #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue,
        staged: Option<bool>,
        worktree: Option<bool>,
        source: Option<String>,
    ) -> Promise {
        try_call(from_js(files, "files").map(|files| self.inner.restore(&GitRestoreRequest { path, files, staged, worktree, source })))
    }

    /// Adds a remote (or, with `overwrite`, changes its URL), and fetches it when asked.
    #[wasm_bindgen(js_name = remoteAdd, unchecked_return_type = "Promise<void>")]
    pub fn remote_add(&self, path: String, name: String, url: String, fetch: Option<bool>, overwrite: Option<bool>) -> Promise {
        call(self.inner.add_remote(&GitAddRemoteRequest { path, name, url, fetch, overwrite }))
    }

    /// The repository's remotes and their fetch URLs.
    #[wasm_bindgen(unchecked_return_type = "Promise<ListRemotesResponse>")]
    pub fn remotes(&self, path: String) -> Promise {
        call(self.inner.remotes(&path))
    }

    /// The URL of remote `name`, or `undefined` when there is none.
    #[wasm_bindgen(js_name = remoteGet, unchecked_return_type = "Promise<string | undefined>")]
    pub fn remote_get(&self, path: String, name: String) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.remote_url(&path, &name).await?) })
    }

    /// Sets a git config key; `scope` is global (default), local (with `path`) or system.
    #[wasm_bindgen(js_name = setConfig, unchecked_return_type = "Promise<void>")]
    pub fn set_config(&self, key: String, value: String, scope: Option<String>, path: Option<String>) -> Promise {
        call(self.inner.set_config(&GitConfigRequest { key, value, scope: Some(self::scope(scope)), path }))
    }

    /// A git config value, or `undefined` when the key is not set.
    #[wasm_bindgen(js_name = getConfig, unchecked_return_type = "Promise<string | undefined>")]
    pub fn get_config(&self, key: String, scope: Option<String>, path: Option<String>) -> Promise {
        call(self.inner.get_config(&key, &self::scope(scope), path.as_deref()))
    }

    /// Sets `user.name` and `user.email`.
    #[wasm_bindgen(js_name = configureUser, unchecked_return_type = "Promise<void>")]
    pub fn configure_user(&self, name: String, email: String, scope: Option<String>, path: Option<String>) -> Promise {
        call(self.inner.configure_user(&GitConfigUserRequest { name, email, scope: Some(self::scope(scope)), path }))
    }

    /// Stores credentials in the Sandbox's git credential store, in plain text, for its git
    /// to use with `host` (github.com by default) over `protocol` (https by default).
    #[wasm_bindgen(js_name = dangerouslyAuthenticate, unchecked_return_type = "Promise<void>")]
    pub fn dangerously_authenticate(&self, username: String, password: String, host: Option<String>, protocol: Option<String>) -> Promise {
        call(self.inner.authenticate(&GitCredentialsRequest { username, password, host, protocol }))
    }

    /// Local branches, and the current one.
    #[wasm_bindgen(unchecked_return_type = "Promise<ListBranchResponse>")]
    pub fn branches(&self, path: String) -> Promise {
        call(self.inner.branches(&path))
    }

    #[wasm_bindgen(js_name = createBranch, unchecked_return_type = "Promise<void>")]
    pub fn create_branch(&self, path: String, name: String) -> Promise {
        call(self.inner.create_branch(&path, &name))
    }

    #[wasm_bindgen(js_name = deleteBranch, unchecked_return_type = "Promise<void>")]
    pub fn delete_branch(&self, path: String, name: String) -> Promise {
        call(self.inner.delete_branch(&path, &name))
    }

    #[wasm_bindgen(js_name = checkoutBranch, unchecked_return_type = "Promise<void>")]
    pub fn checkout_branch(&self, path: String, branch: String) -> Promise {
        call(self.inner.checkout_branch(&path, &branch))
    }

    /// Current branch, ahead/behind counts, whether it is published, and changed files.
    #[wasm_bindgen(unchecked_return_type = "Promise<GitStatus>")]
    pub fn status(&self, path: String) -> Promise {
        call(self.inner.status(&path))
    }
}
