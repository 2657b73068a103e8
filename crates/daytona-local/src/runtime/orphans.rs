//! What a server killed mid-create left on disk with no record: a sandbox's files and disk
//! image, a volume's or a snapshot's directory. They are written before the record (which
//! must point at something whole), so a kill between the two leaves them unknown to every
//! listing; the next start removes them.

use std::collections::HashSet;
use std::path::Path;

use crate::runtime::sandboxes::SandboxManager;
use crate::runtime::store::StoreError;

/// The names in `dir` (entries whose name ends with `suffix`, without it) not in `known`.
fn unknown(dir: &Path, suffix: &str, known: &HashSet<String>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(suffix).map(str::to_string))
        .filter(|id| !id.is_empty() && !known.contains(id))
        .collect()
}

impl SandboxManager {
    pub(crate) fn sweep_orphans(&self, data_dir: &Path) -> Result<(), StoreError> {
        let sandboxes: HashSet<String> = self.store.all()?.into_iter().map(|r| r.dto.id).chain(self.store.all_warm_members()?).collect();
        // Disk images are `{id}.ext4`; the pool's and the templates' are the jail's to manage
        // (and may be in the making now).
        let disks_dir = data_dir.join("disks");
        let sandbox_disk = |n: &String| !n.starts_with("warm-") && !n.starts_with("template-");
        let disks = unknown(&disks_dir, ".ext4", &sandboxes).into_iter().filter(sandbox_disk);
        let orphans: HashSet<String> = unknown(&self.root, "", &sandboxes).into_iter().chain(disks).collect();
        for id in orphans {
            tracing::info!(sandbox = %id, "removing the files of a sandbox whose create never finished");
            self.remove_tree(&id);
        }
        // Sandbox disk images a kill caught while they were being copied.
        for name in unknown(&disks_dir, ".partial", &HashSet::new()).into_iter().filter(sandbox_disk) {
            let _ = std::fs::remove_file(disks_dir.join(format!("{name}.partial")));
        }
        let volumes: HashSet<String> = self.store.volumes()?.into_iter().map(|v| v.id).collect();
        let snapshots: HashSet<String> = self.store.snapshots()?.into_iter().map(|s| s.id).collect();
        for (root, known) in [(&self.volumes_root, volumes), (&self.snapshots_root, snapshots)] {
            for id in unknown(root, "", &known) {
                tracing::info!(dir = %root.join(&id).display(), "removing a directory whose create never finished");
                let _ = std::fs::remove_dir_all(root.join(id));
            }
        }
        Ok(())
    }
}
