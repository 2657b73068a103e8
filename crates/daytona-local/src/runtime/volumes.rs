//! Volumes: a directory per volume in the data dir, mounted into the
//! sandboxes that name it at create, shared live between them, and deletable only when no
//! sandbox uses it.

use std::path::PathBuf;

use daytona_types::api::sandbox::{Sandbox, SandboxVolume};
use daytona_types::api::volume::Volume;

use crate::runtime::jail::{HOME, TMP};
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::store::StoreError;
use crate::runtime::time::{iso, now_ms};
use crate::runtime::validate::validate_name;
use crate::runtime::Error;

fn not_found(id_or_name: &str) -> Error {
    Error::NotFound(format!("Volume {id_or_name} not found"))
}

/// `/a/b` made of plain names: no empty, `.` or `..` segment.
fn plain(path: &str) -> bool {
    path.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// A mount path must be a plain absolute path inside the sandbox's home or `/tmp` (the
/// rest of a jail is the host's, read-only, where no mount point can be made).
fn check_mount_path(path: &str) -> Result<(), Error> {
    let inside = [HOME, TMP].iter().any(|area| path.strip_prefix(area).is_some_and(|rest| rest.starts_with('/') && plain(&rest[1..])));
    if !inside {
        return Err(Error::invalid(format!("mountPath {path:?} must be an absolute path inside {HOME} or {TMP} on daytona-local")));
    }
    Ok(())
}

impl SandboxManager {
    fn volume_dir(&self, id: &str) -> PathBuf {
        self.volumes_root.join(id)
    }

    pub fn create_volume(&self, name: &str) -> Result<Volume, Error> {
        validate_name(name)?;
        let now = now_ms();
        let dto = Volume {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.into(),
            organization_id: self.organization_id.clone(),
            state: "ready".into(),
            created_at: iso(now),
            updated_at: iso(now),
            last_used_at: None,
            error_reason: None,
        };
        std::fs::create_dir_all(self.volume_dir(&dto.id))?;
        match self.store.insert_volume(&dto, now) {
            Ok(()) => Ok(dto),
            Err(e) => {
                let _ = std::fs::remove_dir(self.volume_dir(&dto.id));
                Err(match e {
                    StoreError::NameTaken => Error::Conflict(format!("Volume with name {name} already exists")),
                    other => other.into(),
                })
            }
        }
    }

    pub fn volume(&self, id_or_name: &str) -> Result<Volume, Error> {
        self.store.volume(id_or_name)?.ok_or_else(|| not_found(id_or_name))
    }

    pub fn volumes(&self) -> Result<Vec<Volume>, Error> {
        Ok(self.store.volumes()?)
    }

    /// Deletes a volume and its files, unless a sandbox mounts it.
    pub fn delete_volume(&self, id: &str) -> Result<(), Error> {
        let vol = self.volume(id)?;
        let users: Vec<String> =
            self.store.all()?.into_iter().filter(|r| r.dto.volumes.iter().flatten().any(|v| v.volume_id == vol.id)).map(|r| r.dto.id).collect();
        if !users.is_empty() {
            return Err(Error::Conflict(format!("Volume {} is in use by sandbox {}", vol.name, users.join(", "))));
        }
        self.store.delete_volume(&vol.id)?;
        let _ = std::fs::remove_dir_all(self.volume_dir(&vol.id));
        Ok(())
    }

    /// A create's volumes, checked, with each volume named by its id.
    pub fn resolve_volumes(&self, wanted: &[SandboxVolume]) -> Result<Vec<SandboxVolume>, Error> {
        if !self.jail.is_on() {
            return Err(Error::invalid("volumes need isolation, and this daytona-local runs with --no-isolation"));
        }
        let mut out: Vec<SandboxVolume> = Vec::new();
        for v in wanted {
            check_mount_path(&v.mount_path)?;
            if out.iter().any(|o| o.mount_path == v.mount_path) {
                return Err(Error::invalid(format!("two volumes are mounted at {}", v.mount_path)));
            }
            if let Some(sub) = v.subpath.as_deref().filter(|s| !s.is_empty()) {
                if !plain(sub.trim_end_matches('/')) {
                    return Err(Error::invalid(format!("subpath {sub:?} must be a relative path without '.' or '..'")));
                }
            }
            let vol = self.volume(&v.volume_id)?;
            out.push(SandboxVolume { volume_id: vol.id, ..v.clone() });
        }
        Ok(out)
    }

    /// Each of a sandbox's volumes as (directory on this machine, mount path).
    pub fn volume_mounts(&self, dto: &Sandbox) -> Vec<(PathBuf, String)> {
        dto.volumes
            .iter()
            .flatten()
            .map(|v| {
                let dir = self.volume_dir(&v.volume_id);
                let dir = match v.subpath.as_deref().filter(|s| !s.is_empty()) {
                    Some(sub) => dir.join(sub.trim_end_matches('/')),
                    None => dir,
                };
                (dir, v.mount_path.clone())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_paths_stay_in_writable_areas() {
        for ok in ["/home/daytona/vol", "/home/daytona/a/b", "/tmp/x"] {
            assert!(check_mount_path(ok).is_ok(), "{ok}");
        }
        for refused in ["/home/daytona", "/home/daytona/", "/etc", "/home/daytona/../x", "/home/daytonax", "rel", "/tmp//x", "/tmp/./x"] {
            assert!(check_mount_path(refused).is_err(), "{refused}");
        }
    }
}
