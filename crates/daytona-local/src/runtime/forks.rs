//! Forks (`POST /sandbox/{id}/fork`): a new sandbox whose files are a copy of a started
//! sandbox's at one instant, and the family tree forks make (parent, ancestors, forks).

use std::path::Path;

use daytona_types::api::sandbox::{Sandbox, SandboxState};

use crate::runtime::copy_tree::copy_tree;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::store::Record;
use crate::runtime::time::{iso, now_ms};
use crate::runtime::Error;

impl SandboxManager {
    /// Copies the sandbox's home (and `tmp`, given a place for it) as they are at one instant:
    /// its processes stand still meanwhile where the jail can freeze them.
    pub(crate) fn copy_files_at_once(&self, dto: &Sandbox, home: &Path, tmp: Option<&Path>) -> Result<(), Error> {
        let from = self.tree(&dto.id);
        let frozen = dto.state == Some(SandboxState::Started) && self.jail.freeze(&dto.id, true).is_ok();
        let copied = copy_tree(&from.home, home).and_then(|()| tmp.map_or(Ok(()), |tmp| copy_tree(&from.tmp, tmp)));
        if frozen {
            self.jail.freeze(&dto.id, false).map_err(|e| anyhow::anyhow!("resuming sandbox {}: {e}", dto.id))?;
        }
        copied.map_err(|e| Error::Internal(anyhow::anyhow!("copying the files of sandbox {}: {e}", dto.id)))
    }

    /// A started copy of a started sandbox: its settings, and its files as they are now (its
    /// processes are not copied). Named `name`, or its id.
    pub fn fork(&self, id: &str, name: Option<String>) -> Result<Sandbox, Error> {
        let parent = self.load(id)?;
        if parent.dto.state != Some(SandboxState::Started) {
            let state = parent.dto.state.map_or("unknown", SandboxState::as_str);
            return Err(Error::invalid(format!("Sandbox {} must be started to be forked (it is {state})", parent.dto.id)));
        }
        self.ensure_running(&parent.dto)?;
        let child_id = uuid::Uuid::new_v4().to_string();
        let now = now_ms();
        let mut rec = Record {
            dto: Sandbox {
                id: child_id.clone(),
                name: name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| child_id.clone()),
                created_at: Some(iso(now)),
                auto_destroy_at: None,
                error_reason: None,
                // A fork joins no link network.
                linked_sandbox_id: None,
                ..parent.dto.clone()
            },
            created_ms: now,
            last_activity_ms: now,
            state_changed_ms: now,
        };
        Self::touch(&mut rec, now);
        Self::set_state(&mut rec, SandboxState::Started, now);
        rec.dto.updated_at = Some(iso(now));
        let made = self.mount(&rec.dto).and_then(|()| Ok(self.make_tree(&child_id)?)).and_then(|()| {
            let to = self.tree(&child_id);
            self.copy_files_at_once(&parent.dto, &to.home, Some(&to.tmp))
        });
        let started = made.and_then(|()| self.insert(&rec)).and_then(|()| {
            self.store.insert_fork(&child_id, &parent.dto.id)?;
            self.ensure_running(&rec.dto)
        });
        if let Err(e) = started {
            let _ = self.store.delete(&child_id);
            self.remove_tree(&child_id);
            return Err(e);
        }
        tracing::info!(sandbox = %child_id, parent = %parent.dto.id, "forked");
        self.events.saved(&rec.dto);
        Ok(rec.dto)
    }

    /// The sandbox `id` was forked from; a 404 when it was not forked, or its parent is gone.
    pub fn parent(&self, id: &str) -> Result<Sandbox, Error> {
        let rec = self.load(id)?;
        let parent = self.store.parent_of(&rec.dto.id)?.ok_or_else(|| Error::NotFound(format!("Sandbox {} was not forked from another", rec.dto.id)))?;
        self.get(&parent)
    }

    /// The sandboxes `id` descends from, its parent first, as far as they still exist.
    pub fn ancestors(&self, id: &str) -> Result<Vec<Sandbox>, Error> {
        let mut at = self.load(id)?.dto.id;
        let mut found = Vec::new();
        while let Some(parent) = self.store.parent_of(&at)? {
            if let Ok(dto) = self.get(&parent) {
                found.push(dto);
            }
            at = parent;
        }
        Ok(found)
    }

    /// The sandboxes forked from `id` that still exist, oldest first.
    pub fn forks(&self, id: &str) -> Result<Vec<Sandbox>, Error> {
        let id = self.load(id)?.dto.id;
        Ok(self.store.forks_of(&id)?.iter().filter_map(|child| self.get(child).ok()).collect())
    }
}

#[cfg(test)]
mod tests {
    use daytona_types::api::sandbox::CreateSandbox;

    use crate::runtime::sandboxes::SandboxManager;

    #[test]
    fn forks_copy_files_and_know_their_family() {
        let dir = tempfile::tempdir().unwrap();
        let m = SandboxManager::for_tests(dir.path());
        let a = m.create(CreateSandbox::default()).unwrap().id;
        std::fs::write(m.tree(&a).home.join("f.txt"), "from a").unwrap();
        let b = m.fork(&a, Some("b".into())).unwrap();
        assert_eq!((b.name.as_str(), std::fs::read_to_string(m.tree(&b.id).home.join("f.txt")).unwrap().as_str()), ("b", "from a"));
        let c = m.fork("b", None).unwrap().id;
        let ids = |v: Vec<daytona_types::api::sandbox::Sandbox>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(m.parent(&c).unwrap().id, b.id);
        assert_eq!(ids(m.ancestors(&c).unwrap()), [b.id.clone(), a.clone()]);
        assert_eq!(ids(m.forks(&a).unwrap()), std::slice::from_ref(&b.id));
        assert!(m.parent(&a).is_err(), "the first one was forked from nothing");
        // A deleted member is skipped, and the tree still reaches past it.
        m.delete(&b.id).unwrap();
        assert_eq!(ids(m.ancestors(&c).unwrap()), std::slice::from_ref(&a));
        assert!(m.fork(&b.id, None).is_err());
        m.stop(&a).unwrap();
        assert_eq!(m.fork(&a, None).unwrap_err().status(), 400, "a stopped sandbox is not forked");
        assert_eq!(m.fork(&c, Some(m.get(&a).unwrap().name)).unwrap_err().status(), 409, "names stay unique");
    }
}
