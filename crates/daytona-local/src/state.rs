//! Shared state handed to every handler.

use std::sync::Arc;

use crate::runtime::sandboxes::SandboxManager;

#[derive(Clone)]
pub struct AppState {
    pub sandboxes: Arc<SandboxManager>,
    pub api_key: Arc<str>,
    /// The base URL clients reach this server at, without a trailing slash.
    pub public_url: Arc<str>,
    pub signed_urls: Arc<crate::runtime::signed_urls::SignedUrls>,
    pub ssh_accesses: Arc<crate::runtime::ssh_access::SshAccesses>,
    /// Where the SSH endpoint listens, on the host of `public_url`.
    pub ssh_port: u16,
    /// Fault-injection rules (none unless `--faults` or `PUT /api/local/faults` set some).
    pub faults: Arc<crate::faults::rules::Faults>,
}

impl AppState {
    /// The state the binary serves (and tests, through the same constructor).
    pub fn new(sandboxes: Arc<SandboxManager>, api_key: &str, public_url: &str, ssh_port: u16) -> Self {
        AppState {
            sandboxes,
            api_key: api_key.into(),
            public_url: public_url.trim_end_matches('/').into(),
            signed_urls: Default::default(),
            ssh_accesses: Default::default(),
            ssh_port,
            faults: Default::default(),
        }
    }

    /// Where SDKs send toolbox calls: `{toolboxProxyUrl}/{sandboxId}/…`.
    pub fn toolbox_proxy_url(&self) -> String {
        format!("{}/toolbox", self.public_url)
    }
}
