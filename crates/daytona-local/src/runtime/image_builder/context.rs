//! `COPY` from a build context: the tars clients upload to object storage,
//! whose entries are named by their archive paths (`tmp/x/a.txt` for `/tmp/x/a.txt`).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::runtime::sandbox_fs::SandboxFs;

/// An archive path as tar entries name it: no leading `/` or `./`, no trailing `/`.
fn archive_name(path: &str) -> String {
    let p = path.trim_start_matches("./").trim_start_matches('/');
    p.trim_end_matches('/').to_string()
}

/// Copies `source` (a file or directory of the context) to `dest` (a path in the sandbox,
/// already absolute). Only regular files and directories are taken: a link in a context
/// could point anywhere, so links are skipped and reported. Every target is resolved
/// through the sandbox's confinement. Answers how many files were copied and what was
/// skipped.
pub fn copy(contexts: &[PathBuf], source: &str, dest: &str, fs: &SandboxFs) -> Result<(usize, Vec<String>), String> {
    let wanted = archive_name(source);
    let into_dir = dest.ends_with('/');
    for tar in contexts {
        let found = copy_from(tar, &wanted, dest, into_dir, fs).map_err(|e| format!("COPY {source}: {e}"))?;
        if let Some(done) = found {
            return Ok(done);
        }
    }
    Err(format!("COPY {source}: not in the build context"))
}

fn copy_from(tar: &Path, wanted: &str, dest: &str, into_dir: bool, fs: &SandboxFs) -> Result<Option<(usize, Vec<String>)>, String> {
    let file = File::open(tar).map_err(|e| format!("cannot open the context {}: {e}", tar.display()))?;
    let mut archive = tar::Archive::new(file);
    let mut found = false;
    let (mut files, mut skipped) = (0, Vec::new());
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        let name = archive_name(&entry.path().map_err(|e| e.to_string())?.to_string_lossy());
        let rel = if name == wanted {
            None
        } else if let Some(rel) = name.strip_prefix(wanted).and_then(|r| r.strip_prefix('/')) {
            Some(rel.to_string())
        } else {
            continue;
        };
        found = true;
        let kind = entry.header().entry_type();
        let target = match (&rel, kind.is_dir()) {
            (Some(rel), _) => format!("{}/{rel}", dest.trim_end_matches('/')),
            // The source itself: a directory's contents go into `dest`; a file goes to
            // `dest`, or into it when it ends with `/`.
            (None, true) => dest.to_string(),
            (None, false) if into_dir => format!("{dest}{}", wanted.rsplit('/').next().unwrap_or(wanted)),
            (None, false) => dest.to_string(),
        };
        let host = fs.resolve(&target).map_err(|e| format!("{target}: {e}"))?.host;
        if kind.is_dir() {
            std::fs::create_dir_all(&host).map_err(|e| format!("{target}: {e}"))?;
        } else if kind.is_file() {
            if let Some(parent) = host.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{target}: {e}"))?;
            }
            unpack_file(&mut entry, &host).map_err(|e| format!("{target}: {e}"))?;
            files += 1;
        } else {
            skipped.push(name);
        }
    }
    Ok(found.then_some((files, skipped)))
}

fn unpack_file(entry: &mut tar::Entry<'_, File>, host: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = entry.header().mode().unwrap_or(0o644) & 0o777;
    let mut out = File::create(host)?;
    io::copy(entry, &mut out)?;
    out.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(dir: &Path) -> PathBuf {
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("tmp/x/dir/sub")).unwrap();
        std::fs::write(src.join("tmp/x/a.txt"), "hi\n").unwrap();
        std::fs::write(src.join("tmp/x/dir/sub/f"), "f\n").unwrap();
        std::os::unix::fs::symlink("/etc", src.join("tmp/x/dir/link")).unwrap();
        let path = dir.join("context.tar");
        let mut b = tar::Builder::new(File::create(&path).unwrap());
        b.follow_symlinks(false);
        b.append_dir_all("tmp/x", src.join("tmp/x")).unwrap();
        b.finish().unwrap();
        path
    }

    #[test]
    fn copies_files_and_directories_and_skips_links() {
        let dir = tempfile::tempdir().unwrap();
        let tar = context(dir.path());
        let (home, tmp) = (dir.path().join("home"), dir.path().join("tmp"));
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        let fs = SandboxFs::new(home.clone(), tmp);
        let ctx = [tar];
        assert_eq!(copy(&ctx, "/tmp/x/a.txt", "/home/daytona/data/", &fs).unwrap().0, 1);
        assert_eq!(std::fs::read_to_string(home.join("data/a.txt")).unwrap(), "hi\n");
        assert_eq!(copy(&ctx, "/tmp/x/a.txt", "/home/daytona/b.txt", &fs).unwrap().0, 1);
        assert!(home.join("b.txt").is_file());
        let (n, skipped) = copy(&ctx, "/tmp/x/dir", "/home/daytona/d", &fs).unwrap();
        assert_eq!((n, skipped), (1, vec!["tmp/x/dir/link".to_string()]));
        assert_eq!(std::fs::read_to_string(home.join("d/sub/f")).unwrap(), "f\n");
        assert!(copy(&ctx, "/tmp/x/none", "/home/daytona/n", &fs).unwrap_err().contains("not in the build context"));
        assert!(copy(&ctx, "/tmp/x/a.txt", "/etc/passwd", &fs).unwrap_err().contains("outside the sandbox"));
    }
}
