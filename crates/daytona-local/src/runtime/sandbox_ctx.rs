//! A started sandbox, opened for work: what toolbox routes and SSH sessions act on.

use daytona_types::api::sandbox::{Sandbox, SandboxState};

use crate::runtime::jail::Tree;
use crate::runtime::sandbox_fs::SandboxFs;
use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::Error;

/// A started sandbox: its DTO, its files (confined to it) and its directories.
pub struct SandboxCtx {
    pub dto: Sandbox,
    pub fs: SandboxFs,
    pub tree: Tree,
}

impl SandboxCtx {
    /// The sandbox `id`, which must be started; counts as activity.
    pub fn open(sandboxes: &SandboxManager, id: &str) -> Result<Self, Error> {
        let dto = sandboxes.get(id)?;
        if dto.state != Some(SandboxState::Started) {
            return Err(Error::Conflict(format!("Sandbox {id} is not started")));
        }
        sandboxes.refresh_activity(&dto.id)?;
        sandboxes.ensure_running(&dto)?;
        let tree = sandboxes.sandbox_tree(&dto);
        let fs = SandboxFs::new(tree.home.clone(), tree.tmp.clone()).with_volumes(&tree.volumes);
        Ok(SandboxCtx { dto, fs, tree })
    }
}
