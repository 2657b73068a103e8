//! `sandbox.git`: git in a sandbox, through its toolbox.

use daytona_types::toolbox::git::{
    GitAddRemoteRequest, GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitCommitResponse, GitConfigRequest,
    GitConfigResponse, GitConfigUserRequest, GitCredentialsRequest, GitInitRequest, GitRepoRequest, GitResetRequest, GitRestoreRequest, GitStatus,
    ListBranchResponse, ListRemotesResponse,
};

use crate::endpoints::git as ep;
use crate::error::Result;
use crate::sandbox::SandboxClient;

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

    /// `git.clone(url, path, branch, commitId, username, password, insecureSkipTls, depth)`.
    pub async fn clone_repo(&self, body: &GitCloneRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::clone(&self.base(), body)).await.map(drop)
    }

    pub async fn add(&self, path: &str, files: Vec<String>) -> Result<()> {
        self.sandbox.ctx().send(ep::add(&self.base(), &GitAddRequest { path: path.into(), files })).await.map(drop)
    }

    /// Commits what is staged; returns the new commit's hash.
    pub async fn commit(&self, path: &str, message: &str, author: &str, email: &str, allow_empty: Option<bool>) -> Result<String> {
        let body = GitCommitRequest { path: path.into(), message: message.into(), author: author.into(), email: email.into(), allow_empty };
        let resp: GitCommitResponse = self.sandbox.ctx().json(ep::commit(&self.base(), &body)).await?;
        Ok(resp.hash)
    }

    pub async fn push(&self, body: &GitRepoRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::push(&self.base(), body)).await.map(drop)
    }

    pub async fn pull(&self, body: &GitRepoRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::pull(&self.base(), body)).await.map(drop)
    }

    pub async fn init(&self, body: &GitInitRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::init(&self.base(), body)).await.map(drop)
    }

    pub async fn reset(&self, body: &GitResetRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::reset(&self.base(), body)).await.map(drop)
    }

    pub async fn restore(&self, body: &GitRestoreRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::restore(&self.base(), body)).await.map(drop)
    }

    pub async fn add_remote(&self, body: &GitAddRemoteRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::add_remote(&self.base(), body)).await.map(drop)
    }

    pub async fn remotes(&self, path: &str) -> Result<ListRemotesResponse> {
        self.sandbox.ctx().json(ep::remotes(&self.base(), path)).await
    }

    /// The URL of the remote `name`, if the repository has one (from the remotes list, as the
    /// official SDK does: there is no endpoint of its own).
    pub async fn remote_url(&self, path: &str, name: &str) -> Result<Option<String>> {
        Ok(self.remotes(path).await?.remotes.into_iter().find(|r| r.name == name).map(|r| r.url))
    }

    pub async fn set_config(&self, body: &GitConfigRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::set_config(&self.base(), body)).await.map(drop)
    }

    pub async fn get_config(&self, key: &str, scope: &str, path: Option<&str>) -> Result<Option<String>> {
        let resp: GitConfigResponse = self.sandbox.ctx().json(ep::get_config(&self.base(), key, path, scope)).await?;
        Ok(resp.value)
    }

    pub async fn configure_user(&self, body: &GitConfigUserRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::configure_user(&self.base(), body)).await.map(drop)
    }

    pub async fn authenticate(&self, body: &GitCredentialsRequest) -> Result<()> {
        self.sandbox.ctx().send(ep::credentials(&self.base(), body)).await.map(drop)
    }

    pub async fn branches(&self, path: &str) -> Result<ListBranchResponse> {
        self.sandbox.ctx().json(ep::branches(&self.base(), path)).await
    }

    pub async fn create_branch(&self, path: &str, name: &str) -> Result<()> {
        self.sandbox.ctx().send(ep::create_branch(&self.base(), &GitBranchRequest { path: path.into(), name: name.into() })).await.map(drop)
    }

    pub async fn delete_branch(&self, path: &str, name: &str) -> Result<()> {
        self.sandbox.ctx().send(ep::delete_branch(&self.base(), &GitBranchRequest { path: path.into(), name: name.into() })).await.map(drop)
    }

    pub async fn checkout_branch(&self, path: &str, branch: &str) -> Result<()> {
        self.sandbox.ctx().send(ep::checkout(&self.base(), &GitCheckoutRequest { path: path.into(), branch: branch.into() })).await.map(drop)
    }

    pub async fn status(&self, path: &str) -> Result<GitStatus> {
        self.sandbox.ctx().json(ep::status(&self.base(), path)).await
    }
}
