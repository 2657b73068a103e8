//! The organization's secrets (`/secret`). Values are stored encrypted (AES-256-GCM, with a
//! key derived from the API key as the other credentials are, and the secret's id bound in
//! as associated data) and no answer ever carries one: a secret shows its name, description,
//! hosts and placeholder (`dtn_secret_<id>`), what a sandbox's environment gets in its place.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use daytona_types::api::secret::{CreateSecret, ListSecretsResponse, Secret, UpdateSecret};
use rand::RngExt;

use crate::runtime::store::{Store, StoreError};
use crate::runtime::time::{iso, now_ms};
use crate::runtime::Error;

const NONCE: usize = 12;
const MAX_LIMIT: u64 = 200;

pub struct Vault {
    cipher: Aes256Gcm,
}

/// What a sandbox's environment holds in the place of secret `id`'s value.
pub fn placeholder(id: &str) -> String {
    format!("dtn_secret_{id}")
}

/// `GET /secret/paginated` query.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub limit: Option<u64>,
    pub name: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
}

impl Vault {
    pub fn new(api_key: &str) -> Vault {
        let key = crate::secrets::derive(api_key, "vault");
        Vault { cipher: Aes256Gcm::new_from_slice(&key).expect("HMAC-SHA256 gives the 32 bytes AES-256 takes") }
    }

    fn seal(&self, id: &str, value: &str) -> Result<Vec<u8>, Error> {
        let nonce: [u8; NONCE] = rand::rng().random();
        let sealed = self.cipher.encrypt(&Nonce::from(nonce), Payload { msg: value.as_bytes(), aad: id.as_bytes() });
        let sealed = sealed.map_err(|_| Error::Internal(anyhow::anyhow!("could not encrypt the secret")))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// A stored value in clear, for the sandbox side only (never for an API answer). A value
    /// sealed under another API key does not open.
    pub fn open(&self, id: &str, sealed: &[u8]) -> Result<String, Error> {
        let failed = || Error::Internal(anyhow::anyhow!("secret {id} cannot be decrypted with this API key"));
        let (nonce, body) = sealed.split_at_checked(NONCE).ok_or_else(failed)?;
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| failed())?;
        let clear = self.cipher.decrypt(&Nonce::from(nonce), Payload { msg: body, aad: id.as_bytes() }).map_err(|_| failed())?;
        String::from_utf8(clear).map_err(|_| failed())
    }

    pub fn create(&self, store: &Store, req: CreateSecret) -> Result<Secret, Error> {
        check_name(&req.name)?;
        check_value(&req.value)?;
        let hosts = check_hosts(req.hosts.unwrap_or_default())?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = iso(now_ms());
        let secret = Secret {
            placeholder: placeholder(&id),
            id: id.clone(),
            name: req.name,
            description: req.description.filter(|d| !d.is_empty()),
            hosts,
            created_at: now.clone(),
            updated_at: now,
        };
        match store.insert_secret(&secret, &self.seal(&id, &req.value)?) {
            Err(StoreError::NameTaken) => Err(Error::Conflict(format!("Secret with name {} already exists", secret.name))),
            other => other.map(|()| secret).map_err(Into::into),
        }
    }

    pub fn get(&self, store: &Store, id: &str) -> Result<Secret, Error> {
        store.secret(id)?.map(|(s, _)| s).ok_or_else(|| Error::NotFound(format!("Secret {id} not found")))
    }

    pub fn update(&self, store: &Store, id: &str, req: UpdateSecret) -> Result<Secret, Error> {
        let (mut secret, mut sealed) = store.secret(id)?.ok_or_else(|| Error::NotFound(format!("Secret {id} not found")))?;
        if let Some(value) = req.value {
            check_value(&value)?;
            sealed = self.seal(&secret.id, &value)?;
        }
        if let Some(hosts) = req.hosts {
            secret.hosts = check_hosts(hosts)?;
        }
        if let Some(description) = req.description {
            secret.description = Some(description).filter(|d| !d.is_empty());
        }
        secret.updated_at = iso(now_ms());
        store.update_secret(&secret, &sealed)?;
        Ok(secret)
    }

    pub fn delete(&self, store: &Store, id: &str) -> Result<(), Error> {
        if !store.delete_secret(id)? {
            return Err(Error::NotFound(format!("Secret {id} not found")));
        }
        Ok(())
    }

    /// A page of secrets: `name` filters by part of the name; sorted by `createdAt` (the
    /// default), `name` or `updatedAt`, newest first unless `order` is `asc`; `cursor` is
    /// where the previous page stopped.
    pub fn list(&self, store: &Store, q: ListQuery) -> Result<ListSecretsResponse, Error> {
        let limit = q.limit.unwrap_or(100);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Error::invalid(format!("limit must be between 1 and {MAX_LIMIT}")));
        }
        let start: usize = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => c.parse().map_err(|_| Error::invalid("Invalid cursor"))?,
            None => 0,
        };
        let all = self.sorted(store, q.name.as_deref(), q.sort.as_deref(), q.order.as_deref())?;
        let total = all.len() as u64;
        let end = start.saturating_add(limit as usize).min(all.len());
        let items = all.get(start..end).map(<[Secret]>::to_vec).unwrap_or_default();
        Ok(ListSecretsResponse { items, total, next_cursor: (end < all.len()).then(|| end.to_string()) })
    }

    /// Every secret, newest first.
    pub fn all(&self, store: &Store) -> Result<Vec<Secret>, Error> {
        self.sorted(store, None, None, None)
    }

    fn sorted(&self, store: &Store, name: Option<&str>, sort: Option<&str>, order: Option<&str>) -> Result<Vec<Secret>, Error> {
        let filter = name.unwrap_or_default().to_lowercase();
        let mut all: Vec<Secret> = store.secrets()?.into_iter().filter(|s| s.name.to_lowercase().contains(&filter)).collect();
        match sort.unwrap_or("createdAt") {
            "createdAt" => all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.name.cmp(&b.name))),
            "updatedAt" => all.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.name.cmp(&b.name))),
            "name" => all.sort_by(|a, b| a.name.cmp(&b.name)),
            other => return Err(Error::invalid(format!("sort must be name, createdAt or updatedAt, not {other}"))),
        }
        match order.unwrap_or("desc") {
            "desc" => all.reverse(),
            "asc" => {}
            other => return Err(Error::invalid(format!("order must be asc or desc, not {other}"))),
        }
        Ok(all)
    }
}

/// `^[a-zA-Z_][a-zA-Z0-9_-]*$`, as Daytona takes names.
fn check_name(name: &str) -> Result<(), Error> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if !ok || name.len() > 255 {
        return Err(Error::invalid("name must start with a letter or '_' and hold only letters, digits, '_' and '-'"));
    }
    Ok(())
}

fn check_value(value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid("value must not be empty"));
    }
    Ok(())
}

/// Host names (`api.example.com`) or wildcards (`*.example.com`), without ports.
fn check_hosts(hosts: Vec<String>) -> Result<Vec<String>, Error> {
    for host in &hosts {
        let name = host.strip_prefix("*.").unwrap_or(host);
        let labels_ok = name.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !labels_ok || name.len() > 253 {
            return Err(Error::invalid(format!("Invalid host {host:?}: a host name or a *. wildcard, without a port")));
        }
    }
    Ok(hosts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_open_only_with_their_key_and_id() {
        let vault = Vault::new("key-1");
        let sealed = vault.seal("id-1", "s3cret").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"), "stored encrypted");
        assert_eq!(vault.open("id-1", &sealed).unwrap(), "s3cret");
        assert!(vault.open("id-2", &sealed).is_err(), "bound to its id");
        assert!(Vault::new("key-2").open("id-1", &sealed).is_err(), "bound to the API key");
        assert_ne!(sealed, vault.seal("id-1", "s3cret").unwrap(), "a fresh nonce each time");
    }

    #[test]
    fn names_and_hosts_are_checked() {
        for ok in ["API_KEY", "_x", "a-b_c9"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "9abc", "a b", "a.b", "ä"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_hosts(vec!["api.example.com".into(), "*.example.com".into(), "localhost".into()]).is_ok());
        for bad in ["example.com:443", "*example.com", "a..b", "https://x.y", ""] {
            assert!(check_hosts(vec![bad.into()]).is_err(), "{bad}");
        }
    }
}
