//! `sandbox.git`: git in a sandbox, through its toolbox (protocol §7.3).

use daytona_types::toolbox::git::{
    GitAddRequest, GitBranchRequest, GitCheckoutRequest, GitCloneRequest, GitCommitRequest, GitCommitResponse, GitRepoRequest,
    GitStatus, ListBranchResponse,
};

use crate::endpoints::git as ep;
use crate::error::Result;
use crate::sandbox::SandboxClient;

#[derive(Clone)]
pub struct GitClient {
    sandbox: SandboxClient,
}

/// Credentials for a remote; sent only when both are given, as the official SDK does.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub username: Option<String>,
    pub password: Option<String>,
}

impl GitClient {
    pub fn new(sandbox: SandboxClient) -> Self {
        GitClient { sandbox }
    }

    fn base(&self) -> String {
        self.sandbox.toolbox_base()
    }

    pub async fn clone_repo(&self, url: &str, path: &str, branch: Option<String>, commit_id: Option<String>, creds: Credentials) -> Result<()> {
        let body = GitCloneRequest {
            url: url.into(),
            path: path.into(),
            branch,
            commit_id,
            username: creds.username,
            password: creds.password,
            depth: None,
        };
        self.sandbox.ctx().send(ep::clone(&self.base(), &body)).await.map(drop)
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

    pub async fn push(&self, path: &str, creds: Credentials) -> Result<()> {
        let body = GitRepoRequest { path: path.into(), username: creds.username, password: creds.password };
        self.sandbox.ctx().send(ep::push(&self.base(), &body)).await.map(drop)
    }

    pub async fn pull(&self, path: &str, creds: Credentials) -> Result<()> {
        let body = GitRepoRequest { path: path.into(), username: creds.username, password: creds.password };
        self.sandbox.ctx().send(ep::pull(&self.base(), &body)).await.map(drop)
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
