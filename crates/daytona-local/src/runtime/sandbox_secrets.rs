//! Secrets mounted in sandboxes (`secrets` at create, `PUT /sandbox/{id}/secrets`): each env
//! var holds its secret's placeholder, and while a sandbox with secrets runs, the egress proxy
//! ([`crate::egress`]) puts the values in place in its requests to the secrets' hosts. The
//! sandbox's processes also learn where the bundle that trusts the proxy is.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use daytona_types::api::sandbox::Sandbox;
use daytona_types::api::secret::Secret;

use crate::egress::{Mounted, Sandboxes};
use crate::runtime::jail::TRUSTED_BUNDLE;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::time::now_ms;
use crate::runtime::validate::env_names;
use crate::runtime::vault::placeholder;
use crate::runtime::Error;

/// What tools read for their CA bundle, where it is not the system's by default.
const TRUST_VARS: [&str; 3] = ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"];

impl SandboxManager {
    /// The secrets `requested` (`[{ "ENV": "secret-name" }, …]`), each checked: (env var,
    /// secret).
    pub(crate) fn resolve_secrets(&self, requested: &[BTreeMap<String, String>]) -> Result<Vec<(String, Secret)>, Error> {
        let pairs: Vec<(&String, &String)> = requested.iter().flatten().collect();
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        if !self.jail.is_on() {
            return Err(Error::invalid(
                "secrets need isolation (their egress proxy runs in the sandbox's network), and this daytona-local runs with --no-isolation",
            ));
        }
        env_names(pairs.iter().map(|(env, _)| *env))?;
        pairs
            .into_iter()
            .map(|(env, name)| match self.store.secret_by_name(name)? {
                Some(secret) => Ok((env.clone(), secret)),
                None => Err(Error::invalid(format!("Secret {name} does not exist"))),
            })
            .collect()
    }

    /// Puts `mounts` in the environment `env` (placeholders, and the trust bundle), taking out
    /// those of `before` that still hold their placeholder.
    pub(crate) fn mount_env(env: &mut BTreeMap<String, String>, before: &[(String, String)], mounts: &[(String, Secret)]) {
        for (var, secret_id) in before {
            if env.get(var).is_some_and(|v| *v == placeholder(secret_id)) {
                env.remove(var);
            }
        }
        for var in TRUST_VARS {
            if !mounts.is_empty() {
                env.insert(var.into(), TRUSTED_BUNDLE.into());
            } else if !before.is_empty() {
                env.remove(var);
            }
        }
        env.extend(mounts.iter().map(|(var, s)| (var.clone(), s.placeholder.clone())));
    }

    /// `PUT /sandbox/{id}/secrets`: the sandbox's whole set of secrets, at once (its running
    /// processes keep their environment).
    pub fn update_secrets(&self, id: &str, requested: &[BTreeMap<String, String>]) -> Result<Sandbox, Error> {
        let mut rec = self.load(id)?;
        let mounts = self.resolve_secrets(requested)?;
        let before = self.store.sandbox_secrets(&rec.dto.id)?;
        Self::mount_env(rec.dto.env.get_or_insert_with(BTreeMap::new), &before, &mounts);
        let ids: Vec<(String, String)> = mounts.iter().map(|(var, s)| (var.clone(), s.id.clone())).collect();
        self.store.set_sandbox_secrets(&rec.dto.id, &ids)?;
        let dto = self.save(&mut rec, now_ms())?;
        if self.jail.running(&dto.id) {
            self.intercept(&dto)?;
        }
        Ok(dto)
    }

    /// Sends a running sandbox's web traffic through the egress proxy while it has secrets.
    pub(crate) fn intercept(&self, dto: &Sandbox) -> Result<(), Error> {
        let failed = |e: std::io::Error| Error::Internal(anyhow::anyhow!("cannot start the egress proxy of sandbox {}: {e}", dto.id));
        if self.store.sandbox_secrets(&dto.id)?.is_empty() {
            return self.jail.stop_intercepting(dto).map_err(failed);
        }
        let me = self.me.upgrade().ok_or_else(|| Error::Internal(anyhow::anyhow!("the server is stopping")))?;
        let (egress, id) = (self.egress.clone(), dto.id.clone());
        self.jail
            .intercept(dto, move |listener| {
                let task = egress.serve(me, id, listener)?;
                Ok(AbortOnDrop(task))
            })
            .map_err(failed)
    }
}

/// Ends the proxy's task for a sandbox when dropped (with its namespace).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Sandboxes for SandboxManager {
    fn mounted(&self, id: &str) -> Vec<Mounted> {
        let mounts = self.store.sandbox_secrets(id).unwrap_or_default();
        mounts
            .into_iter()
            .filter_map(|(_, secret_id)| {
                let (secret, sealed) = self.store.secret(&secret_id).ok()??;
                let value = self.vault.open(&secret_id, &sealed).ok()?;
                Some(Mounted { placeholder: secret.placeholder, value, hosts: secret.hosts })
            })
            .collect()
    }

    fn connect_out(&self, id: &str, to: SocketAddr) -> std::io::Result<std::net::TcpStream> {
        self.jail.connect_out(id, to)
    }
}
