//! Finding the host's programs, which the sandboxes see too.

use std::path::PathBuf;

/// `name` as found on the host's PATH (the sandboxes see the host's programs).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/sbin:/usr/bin:/sbin:/bin".into());
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}
