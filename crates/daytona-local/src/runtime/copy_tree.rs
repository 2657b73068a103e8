//! Copying a sandbox's files: a snapshot's template into a new home, a build's home into a template.

use std::path::Path;
use std::process::Command;

/// Copies a directory's contents, keeping modes, times and links: what `cp -a` is for.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let out = Command::new("cp").arg("-a").arg(from.join(".")).arg(to).output()?;
    match out.status.success() {
        true => Ok(()),
        false => Err(std::io::Error::other(String::from_utf8_lossy(&out.stderr).trim().to_string())),
    }
}
