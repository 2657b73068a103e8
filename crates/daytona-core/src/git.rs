//! `sandbox.git`: git in a sandbox, through its toolbox.

use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitConfigRequest, GitConfigUserRequest,
    GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest, GitRestoreRequest,
};

use crate::call::{read, Call, Json};
use crate::context::{decode_text, require_text};
use crate::endpoints::git as ep;
use crate::error::Result;
use crate::json_object::JsonObject;
use crate::sandbox::SandboxClient;
use crate::transport::HttpRequest;

#[derive(Clone)]
pub struct GitClient {
    sandbox: SandboxClient,
}

impl GitClient {
    pub fn new(sandbox: SandboxClient) -> Self {
        GitClient { sandbox }
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    fn done(&self, req: HttpRequest) -> Call<()> {
        self.sandbox.call(req, read::nothing)
    }

    /// `git.clone(url, path, branch, commitId, username, password, insecureSkipTls, depth)`.
    pub fn clone_repo(&self, body: &GitCloneRequest) -> Call<()> {
        self.done(ep::clone(&self.base(), body))
    }

    pub fn add(&self, path: &str, files: Vec<String>) -> Call<()> {
        self.done(ep::add(&self.base(), &GitAddRequest { path: path.into(), files }))
    }

    /// Commits what is staged; returns the new commit's hash.
    pub fn commit(&self, path: &str, message: &str, author: &str, email: &str, allow_empty: Option<bool>) -> Call<String> {
        let body = GitCommitRequest { path: path.into(), message: message.into(), author: author.into(), email: email.into(), allow_empty };
        self.sandbox.call(ep::commit(&self.base(), &body), |resp| require_text(&resp.body, "hash"))
    }

    pub fn push(&self, body: &GitRepoRequest) -> Call<()> {
        self.done(ep::push(&self.base(), body))
    }

    pub fn pull(&self, body: &GitRepoRequest) -> Call<()> {
        self.done(ep::pull(&self.base(), body))
    }

    pub fn init(&self, body: &GitInitRequest) -> Call<()> {
        self.done(ep::init(&self.base(), body))
    }

    pub fn reset(&self, body: &GitResetRequest) -> Call<()> {
        self.done(ep::reset(&self.base(), body))
    }

    pub fn restore(&self, body: &GitRestoreRequest) -> Call<()> {
        self.done(ep::restore(&self.base(), body))
    }

    pub fn add_remote(&self, body: &GitAddRemoteRequest) -> Call<()> {
        self.done(ep::add_remote(&self.base(), body))
    }

    /// `ListRemotesResponse`.
    pub fn remotes(&self, path: &str) -> Call<Json> {
        self.sandbox.call(ep::remotes(&self.base(), path), read::json)
    }

    /// The URL of the remote `name`, if the repository has one (from the remotes list, as the
    /// official SDK does: there is no endpoint of its own).
    pub async fn remote_url(&self, path: &str, name: &str) -> Result<Option<String>> {
        let list: JsonObject = self.remotes(path).await?.decode()?;
        let remotes = list.get("remotes").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let remote = remotes.iter().find(|r| r.get("name").and_then(serde_json::Value::as_str) == Some(name));
        Ok(remote.and_then(|r| r.get("url")?.as_str()).map(str::to_string))
    }

    pub fn set_config(&self, body: &GitConfigRequest) -> Call<()> {
        self.done(ep::set_config(&self.base(), body))
    }

    pub fn get_config(&self, key: &str, scope: &str, path: Option<&str>) -> Call<Option<String>> {
        self.sandbox.call(ep::get_config(&self.base(), key, path, scope), |resp| decode_text(&resp.body, "value"))
    }

    pub fn configure_user(&self, body: &GitConfigUserRequest) -> Call<()> {
        self.done(ep::configure_user(&self.base(), body))
    }

    pub fn authenticate(&self, body: &GitCredentialsRequest) -> Call<()> {
        self.done(ep::credentials(&self.base(), body))
    }

    /// `ListBranchResponse`.
    pub fn branches(&self, path: &str) -> Call<Json> {
        self.sandbox.call(ep::branches(&self.base(), path), read::json)
    }

    pub fn create_branch(&self, path: &str, name: &str) -> Call<()> {
        self.done(ep::create_branch(&self.base(), &GitBranchRequest { path: path.into(), name: name.into() }))
    }

    pub fn delete_branch(&self, path: &str, name: &str) -> Call<()> {
        self.done(ep::delete_branch(&self.base(), &GitBranchRequest { path: path.into(), name: name.into() }))
    }

    pub fn checkout_branch(&self, path: &str, branch: &str) -> Call<()> {
        self.done(ep::checkout(&self.base(), &GitCheckoutRequest { path: path.into(), branch: branch.into() }))
    }

    /// `GitStatus`.
    pub fn status(&self, path: &str) -> Call<Json> {
        self.sandbox.call(ep::status(&self.base(), path), read::json)
    }
}
