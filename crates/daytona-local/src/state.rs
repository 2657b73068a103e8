//! Shared state handed to every handler.

use std::sync::Arc;

use crate::sandboxes::SandboxManager;
use crate::toolbox::process::{Contexts, Ptys, Sessions};

#[derive(Clone)]
pub struct AppState {
    pub sandboxes: Arc<SandboxManager>,
    pub sessions: Arc<Sessions>,
    pub ptys: Arc<Ptys>,
    pub contexts: Arc<Contexts>,
    pub lsps: Arc<crate::toolbox::lsp::Lsps>,
    pub desktops: Arc<crate::toolbox::computer_use::Desktops>,
    pub api_key: Arc<str>,
    /// The base URL clients reach this server at, without a trailing slash.
    pub public_url: Arc<str>,
    pub signed_urls: Arc<crate::preview::SignedUrls>,
    pub ssh_accesses: Arc<crate::ssh::access::SshAccesses>,
    /// Where the SSH endpoint listens, on the host of `public_url`.
    pub ssh_port: u16,
}

impl AppState {
    /// Forgets a sandbox's sessions, PTYs, interpreter contexts, language servers and desktops (when it stops or is
    /// deleted; their processes die with the sandbox's process groups).
    pub fn forget_sandbox(&self, id: &str) {
        self.sessions.remove_sandbox(id);
        self.ptys.remove_sandbox(id);
        self.contexts.remove_sandbox(id);
        self.lsps.remove_sandbox(id);
        self.desktops.remove_sandbox(id);
    }

    /// Where SDKs send toolbox calls: `{toolboxProxyUrl}/{sandboxId}/…`.
    pub fn toolbox_proxy_url(&self) -> String {
        format!("{}/toolbox", self.public_url)
    }
}
