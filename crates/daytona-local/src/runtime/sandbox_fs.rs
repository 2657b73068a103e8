//! Maps the paths a client names to files on this machine, confined to the sandbox.
//!
//! A sandbox sees two writable trees: its home, `/home/daytona` (also the working
//! directory), and its own `/tmp`, plus the volumes mounted inside them. Relative paths
//! start at the home. Anything else, `..` that climbs out, and symlinks that lead out are
//! refused: no request can touch a file outside the sandbox's own directories.

use std::path::{Component, Path, PathBuf};

use crate::runtime::Error;

pub const HOME: &str = "/home/daytona";
const TMP: &str = "/tmp";

#[derive(Debug, Clone)]
pub struct SandboxFs {
    /// (virtual prefix, host directory) pairs, the longest prefix first (a volume mounted
    /// in the home wins over the home).
    areas: Vec<(String, PathBuf)>,
}

/// A resolved path: where it lives on the host, and the name the client knows it by.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub host: PathBuf,
    pub virt: String,
}

fn outside(path: &str) -> Error {
    Error::coded(403, "FILE_ACCESS_DENIED", format!("forbidden: path {path:?} is outside the sandbox"))
}

/// Lexically normalizes `path` against the home: `.` dropped, `..` applied, never above `/`.
fn normalize(path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{HOME}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl SandboxFs {
    pub fn new(home: PathBuf, tmp: PathBuf) -> Self {
        SandboxFs { areas: vec![(HOME.into(), home), (TMP.into(), tmp)] }
    }

    /// Adds volumes: (host directory, mount path) pairs.
    pub fn with_volumes(mut self, volumes: &[(PathBuf, String)]) -> Self {
        self.areas.extend(volumes.iter().map(|(dir, at)| (at.clone(), dir.clone())));
        self.areas.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        self
    }

    fn area(&self, prefix: &str) -> &Path {
        self.areas.iter().find(|(p, _)| p == prefix).map_or(Path::new("/nonexistent"), |(_, dir)| dir)
    }

    /// Resolves a client path. The file need not exist, but every existing ancestor
    /// (symlinks followed) must stay inside the sandbox.
    pub fn resolve(&self, path: &str) -> Result<Resolved, Error> {
        if path.contains('\0') {
            return Err(Error::coded(400, "INVALID_FILE_PATH", "bad request: path contains a NUL byte"));
        }
        let virt = normalize(if path.is_empty() { "." } else { path });
        for (prefix, root) in &self.areas {
            let rest = match virt.strip_prefix(prefix.as_str()) {
                Some("") => "",
                Some(r) if r.starts_with('/') => &r[1..],
                _ => continue,
            };
            let host = if rest.is_empty() { root.clone() } else { root.join(rest) };
            self.check_real(&host, root, path)?;
            return Ok(Resolved { host, virt });
        }
        Err(outside(path))
    }

    /// The deepest existing ancestor of `host`, with symlinks resolved, must lie in `root`.
    fn check_real(&self, host: &Path, root: &Path, shown: &str) -> Result<(), Error> {
        let real_root = root.canonicalize()?;
        let mut probe = host.to_path_buf();
        loop {
            match probe.canonicalize() {
                Ok(real) if real.starts_with(&real_root) => return Ok(()),
                Ok(_) => return Err(outside(shown)),
                Err(_) => {
                    // A dangling symlink cannot be followed; refuse it rather than guess.
                    if probe.symlink_metadata().is_ok() {
                        return Err(outside(shown));
                    }
                    if !probe.pop() || !probe.starts_with(root) {
                        return Err(outside(shown));
                    }
                }
            }
        }
    }

    /// The sandbox home on the host.
    pub fn home(&self) -> &Path {
        self.area(HOME)
    }

    /// The sandbox's `/tmp` on the host.
    pub fn tmp(&self) -> &Path {
        self.area(TMP)
    }

    /// Whether `host` is the home, `/tmp` or a volume itself.
    pub fn is_root(&self, host: &Path) -> bool {
        self.areas.iter().any(|(_, root)| root == host)
    }

    /// The client's name for a host path inside the sandbox.
    pub fn virt(&self, host: &Path) -> Option<String> {
        self.areas.iter().find_map(|(prefix, root)| {
            let rest = host.strip_prefix(root).ok()?;
            let mut v = prefix.clone();
            for c in rest.components() {
                if let Component::Normal(s) = c {
                    v.push('/');
                    v.push_str(&s.to_string_lossy());
                }
            }
            Some(v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs() -> (tempfile::TempDir, SandboxFs) {
        let dir = tempfile::tempdir().unwrap();
        let (home, tmp) = (dir.path().join("home"), dir.path().join("tmp"));
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        (dir, SandboxFs::new(home, tmp))
    }

    #[test]
    fn relative_and_absolute_paths_map_into_the_sandbox() {
        let (dir, fs) = fs();
        let r = fs.resolve("a/b.txt").unwrap();
        assert_eq!((r.host, r.virt.as_str()), (dir.path().join("home/a/b.txt"), "/home/daytona/a/b.txt"));
        assert_eq!(fs.resolve("/tmp/x").unwrap().host, dir.path().join("tmp/x"));
        assert_eq!(fs.resolve("").unwrap().virt, HOME);
        assert_eq!(fs.resolve("/home/daytona/./c/../d").unwrap().virt, "/home/daytona/d");
        assert_eq!(fs.virt(&dir.path().join("tmp/q/r")).as_deref(), Some("/tmp/q/r"));
    }

    #[test]
    fn volumes_map_to_their_directories_and_win_over_the_home() {
        let (dir, fs) = fs();
        let vol = dir.path().join("vol");
        std::fs::create_dir_all(&vol).unwrap();
        let fs = fs.with_volumes(&[(vol.clone(), "/home/daytona/data".into())]);
        assert_eq!(fs.resolve("data/x.txt").unwrap().host, vol.join("x.txt"));
        assert_eq!(fs.resolve("/home/daytona/data").unwrap().host, vol);
        assert_eq!(fs.resolve("datax").unwrap().host, dir.path().join("home/datax"));
        assert_eq!(fs.virt(&vol.join("y")).as_deref(), Some("/home/daytona/data/y"));
        assert!(fs.is_root(&vol));
        assert!(fs.resolve("data/../../../etc").is_err());
        assert_eq!(fs.home(), dir.path().join("home"));
    }

    #[test]
    fn escapes_are_refused() {
        let (dir, fs) = fs();
        for bad in ["../x", "../../etc/passwd", "/etc/passwd", "/home/daytonax", "/", "/tmp/../etc", "a\0b"] {
            assert!(fs.resolve(bad).is_err(), "{bad:?} must be refused");
        }
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, dir.path().join("home/link")).unwrap();
        assert!(fs.resolve("link/file").is_err());
        assert!(fs.resolve("link").is_err());
        std::os::unix::fs::symlink("/nonexistent", dir.path().join("home/dangling")).unwrap();
        assert!(fs.resolve("dangling").is_err());
        std::os::unix::fs::symlink(dir.path().join("home"), dir.path().join("home/inside")).unwrap();
        assert!(fs.resolve("inside/ok").is_ok(), "a link that stays inside is fine");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever the path, through `..`, links out and in, NULs and the other areas' names:
        /// it is refused, or it resolves to a place whose real location is in the home or
        /// `/tmp`, under a normalized name.
        #[test]
        fn no_path_resolves_outside_the_sandbox(
            segs in proptest::collection::vec(proptest::prop_oneof!["\\.\\.", "\\.", "", "a", "link_out", "link_in", "etc", "tmp", "home", "daytona", "x\\x00y", "[a-z%]{1,3}"], 0..8),
            absolute: bool,
        ) {
            let (dir, fs) = fs();
            std::fs::create_dir_all(dir.path().join("outside")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("outside"), dir.path().join("home/link_out")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("home/a"), dir.path().join("home/link_in")).unwrap();
            std::fs::create_dir_all(dir.path().join("home/a")).unwrap();
            let path = format!("{}{}", if absolute { "/" } else { "" }, segs.join("/"));
            if let Ok(r) = fs.resolve(&path) {
                let roots = [dir.path().join("home").canonicalize().unwrap(), dir.path().join("tmp").canonicalize().unwrap()];
                let mut probe = r.host.clone();
                while probe.canonicalize().is_err() {
                    proptest::prop_assert!(probe.pop());
                }
                let real = probe.canonicalize().unwrap();
                proptest::prop_assert!(roots.iter().any(|root| real.starts_with(root)), "{path:?} resolved to {real:?}");
                proptest::prop_assert!(r.virt == HOME || r.virt == TMP || r.virt.starts_with("/home/daytona/") || r.virt.starts_with("/tmp/"), "{}", r.virt);
                proptest::prop_assert!(!r.virt.split('/').any(|s| s == ".." || s == "."));
            }
        }
    }
}
