//! A sandbox's directories: where they are on the host, and where the jail shows them.

use std::path::{Path, PathBuf};

pub const HOME: &str = "/home/daytona";
pub const TMP: &str = "/tmp";
pub(super) const RUN: &str = "/run/daytona";

/// A sandbox's directories on the host. `dir` holds the others (and is its disk).
#[derive(Debug, Clone)]
pub struct Tree {
    pub dir: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
    /// Server-made files the sandbox's processes use (session FIFOs).
    pub run: PathBuf,
    /// The sandbox's `/etc/hosts` (its name, its linked sandboxes'), read-only inside.
    pub hosts: PathBuf,
    /// Volumes: (directory on this machine, mount path inside the home or `/tmp`).
    pub volumes: Vec<(PathBuf, String)>,
}

impl Tree {
    pub fn new(dir: PathBuf) -> Self {
        Tree { home: dir.join("home"), tmp: dir.join("tmp"), run: dir.join("run"), hosts: dir.join("hosts"), dir, volumes: Vec::new() }
    }

    /// Where a host path in this tree appears inside the jail.
    pub(super) fn seen(&self, host: &Path) -> PathBuf {
        let volumes = self.volumes.iter().map(|(h, v)| (h, v.as_str()));
        volumes
            .chain([(&self.home, HOME), (&self.tmp, TMP), (&self.run, RUN)])
            .find_map(|(h, v)| host.strip_prefix(h).ok().map(|rest| Path::new(v).join(rest)))
            .unwrap_or_else(|| host.to_path_buf())
    }
}
