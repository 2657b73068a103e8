//! Files written whole or not at all: readers never see half a file, a failure leaves the
//! old one in place, and a server killed mid-write leaves nothing behind.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A file being written for `target`. On Linux it has no name until [`commit`](Self::commit)
/// (`O_TMPFILE`), so a kill -9 mid-write leaves no partial file for anyone to see; where the
/// filesystem cannot do that, it is a hidden sibling removed on drop.
pub struct PendingFile {
    pub file: File,
    target: PathBuf,
    /// The hidden sibling, where the file has a name while it is written.
    named: Option<PathBuf>,
}

impl PendingFile {
    pub fn create(target: &Path) -> io::Result<Self> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match OpenOptions::new().write(true).mode(0o666).custom_flags(libc::O_TMPFILE).open(dir) {
            Ok(file) => Ok(PendingFile { file, target: target.into(), named: None }),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL)) => {
                let tmp = hidden_sibling(target);
                let file = File::create(&tmp)?;
                Ok(PendingFile { file, target: target.into(), named: Some(tmp) })
            }
            Err(e) => Err(e),
        }
    }

    /// Puts the file at its target, replacing what was there (whose permissions it keeps).
    pub fn commit(mut self) -> io::Result<()> {
        let tmp = match self.named.take() {
            Some(tmp) => tmp,
            None => {
                // Named only now, for the instant before the rename (link(2) cannot replace).
                let tmp = hidden_sibling(&self.target);
                let fd = cstring(Path::new(&format!("/proc/self/fd/{}", self.file.as_raw_fd())))?;
                // SAFETY: linkat with two NUL-terminated paths that outlive the call.
                if unsafe { libc::linkat(libc::AT_FDCWD, fd.as_ptr(), libc::AT_FDCWD, cstring(&tmp)?.as_ptr(), libc::AT_SYMLINK_FOLLOW) } != 0 {
                    return Err(io::Error::last_os_error());
                }
                tmp
            }
        };
        let placed = self.target.metadata().and_then(|m| std::fs::set_permissions(&tmp, m.permissions())).or_else(|e| match e.kind() {
            io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        });
        let placed = placed.and_then(|_| std::fs::rename(&tmp, &self.target));
        if placed.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        placed
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.named.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes `bytes` to `target` whole or not at all.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut pending = PendingFile::create(target)?;
    io::Write::write_all(&mut pending.file, bytes)?;
    pending.commit()
}

fn hidden_sibling(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.daytona-{}.part", uuid::Uuid::new_v4().simple()))
}

fn cstring(p: &Path) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_file_is_invisible_until_committed_and_gone_if_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.txt");
        std::fs::write(&target, "old").unwrap();
        let names = || std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect::<Vec<_>>();

        let mut dropped = PendingFile::create(&target).unwrap();
        io::Write::write_all(&mut dropped.file, b"half").unwrap();
        assert_eq!(names(), ["f.txt"], "nothing named while it is written");
        drop(dropped);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");

        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        write_atomically(&dir.path().join("fresh"), b"x").unwrap();
        let mut all = names();
        all.sort();
        assert_eq!(all, ["f.txt", "fresh"]);
    }
}
