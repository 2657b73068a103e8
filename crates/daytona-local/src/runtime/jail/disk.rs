//! Disk limits: each sandbox's tree is a filesystem of its own, an ext4 image of the
//! sandbox's disk size mounted through a loop device, so a writer inside gets "No space left
//! on device" at the limit and no other sandbox or the host is touched. This kernel has no
//! quota formats (no ext4/XFS project quotas), which is why it is images and not quotas.
//! The images are sparse: they take only the space written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

const GIB: u64 = 1 << 30;

pub struct Disks {
    dir: PathBuf,
    /// Where disks made ahead of time are mounted until a sandbox takes one.
    warm_dir: PathBuf,
    /// Held while a template is made (the pool and a request may want it at once).
    template_lock: Mutex<()>,
}

/// A disk made ahead of time: formatted, mounted, with the sandbox's directories made.
pub struct WarmDisk {
    image: PathBuf,
    mount: PathBuf,
}

fn run(cmd: &mut Command) -> io::Result<()> {
    run_up_to(cmd, 0)
}

/// Runs a tool for which exit codes up to `ok` mean success.
fn run_up_to(cmd: &mut Command, ok: i32) -> io::Result<()> {
    let out = cmd.output().map_err(|e| io::Error::new(e.kind(), format!("{:?}: {e}", cmd.get_program())))?;
    if out.status.code().is_some_and(|c| c <= ok) {
        return Ok(());
    }
    let said = [out.stderr, out.stdout].map(|b| String::from_utf8_lossy(&b).trim().to_string()).join(" ");
    Err(io::Error::other(format!("{:?} failed ({}): {}", cmd.get_program(), out.status, said.trim())))
}

fn bytes(gib: f64) -> u64 {
    (gib * GIB as f64) as u64
}

fn umount(at: &Path, flags: i32) -> io::Result<()> {
    let c = std::ffi::CString::new(at.as_os_str().as_encoded_bytes()).map_err(io::Error::other)?;
    // SAFETY: a valid NUL-terminated path; umount2 keeps no pointer.
    if unsafe { libc::umount2(c.as_ptr(), flags) } != 0 {
        let e = io::Error::last_os_error();
        return Err(io::Error::new(e.kind(), format!("unmount {}: {e}", at.display())));
    }
    Ok(())
}

/// The device mounted at `at`, if anything is.
fn mounted_source(at: &Path) -> Option<String> {
    let at = at.to_str()?;
    fs::read_to_string("/proc/self/mountinfo").ok()?.lines().find_map(|l| {
        let fields: Vec<&str> = l.split(' ').collect();
        let sep = fields.iter().position(|f| *f == "-")?;
        (fields.get(4) == Some(&at)).then(|| fields.get(sep + 2).map(|s| s.to_string())).flatten()
    })
}

impl Disks {
    pub fn new(data_dir: &Path) -> io::Result<Self> {
        let dir = data_dir.join("disks");
        let warm_dir = data_dir.join("warm");
        fs::create_dir_all(&dir)?;
        // Disks made ahead by an earlier run (their mounts ended with it) are not anyone's.
        for e in fs::read_dir(&dir)?.flatten() {
            if e.file_name().to_string_lossy().starts_with("warm-") {
                let _ = fs::remove_file(e.path());
            }
        }
        let _ = fs::remove_dir_all(&warm_dir);
        fs::create_dir_all(&warm_dir)?;
        Ok(Disks { dir, warm_dir, template_lock: Mutex::new(()) })
    }

    fn image(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.ext4"))
    }

    /// An empty ext4 image of `size` bytes, made once.
    fn template(&self, size: u64) -> io::Result<PathBuf> {
        let template = self.dir.join(format!("template-{size}.ext4"));
        let _making = self.template_lock.lock().unwrap_or_else(|e| e.into_inner());
        if !template.exists() {
            let partial = template.with_extension("partial");
            fs::File::create(&partial)?.set_len(size)?;
            run(Command::new("mkfs.ext4").args(["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1"]).arg(&partial))?;
            fs::rename(&partial, &template)?;
        }
        Ok(template)
    }

    /// Whether the sandbox has a disk yet.
    pub fn has(&self, id: &str) -> bool {
        self.image(id).exists()
    }

    /// Makes disk number `n` ahead of time.
    pub fn warm(&self, n: u64, gib: f64) -> io::Result<WarmDisk> {
        let name = format!("warm-{n}");
        let warm = WarmDisk { image: self.image(&name), mount: self.warm_dir.join(&name) };
        self.mount(&name, gib, &warm.mount)?;
        for sub in ["home", "tmp", "run"] {
            fs::create_dir_all(warm.mount.join(sub))?;
        }
        Ok(warm)
    }

    /// Makes a disk made ahead the sandbox's (which has none yet), mounted at `at`.
    pub fn adopt(&self, warm: WarmDisk, id: &str, at: &Path) -> io::Result<()> {
        fs::rename(&warm.image, self.image(id))?;
        fs::create_dir_all(at)?;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).map_err(io::Error::other);
        let (from, to) = (c(&warm.mount)?, c(at)?);
        // SAFETY: mount(2) with valid NUL-terminated paths; MS_MOVE moves the mounted disk.
        if unsafe { libc::mount(from.as_ptr(), to.as_ptr(), std::ptr::null(), libc::MS_MOVE, std::ptr::null()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let _ = fs::remove_dir(&warm.mount);
        Ok(())
    }

    /// Unmounts and deletes a disk made ahead.
    pub fn discard(&self, warm: WarmDisk) {
        self.unmount(&warm.mount);
        let _ = fs::remove_file(&warm.image);
        let _ = fs::remove_dir(&warm.mount);
    }

    /// Whether the sandbox's disk is smaller than `gib` (it was resized while stopped).
    pub fn needs_growing(&self, id: &str, gib: f64) -> bool {
        fs::metadata(self.image(id)).is_ok_and(|m| m.len() < bytes(gib))
    }

    /// Makes the sandbox's image if it has none, grows it to `gib` if it is smaller (disk
    /// only ever grows; nothing may be using it then), and mounts it at `at` unless it is
    /// mounted there already.
    pub fn mount(&self, id: &str, gib: f64, at: &Path) -> io::Result<()> {
        let img = self.image(id);
        let size = bytes(gib);
        if !img.exists() {
            // A sparse copy of an empty filesystem of this size (~1 MB of metadata) is much
            // quicker than formatting each time.
            let template = self.template(size)?;
            let partial = img.with_extension("partial");
            run(Command::new("cp").arg("--sparse=always").arg(&template).arg(&partial))?;
            fs::rename(&partial, &img)?;
        }
        if fs::metadata(&img)?.len() < size {
            tracing::info!(sandbox = id, gib, "growing the disk");
            // Offline: this kernel refuses ext4's online resize.
            if mounted_source(at).is_some() {
                umount(at, 0)?;
            }
            fs::OpenOptions::new().write(true).open(&img)?.set_len(size)?;
            // e2fsck: 1 and 2 mean it corrected something, and it is fine to go on.
            run_up_to(Command::new("e2fsck").args(["-f", "-p"]).arg(&img), 2)?;
            run(Command::new("resize2fs").arg(&img))?;
        }
        if mounted_source(at).is_none() {
            fs::create_dir_all(at)?;
            run(Command::new("mount").args(["-o", "loop,nosuid,nodev"]).arg(&img).arg(at))?;
        }
        Ok(())
    }

    /// Unmounts the sandbox's filesystem (its loop device goes with it), lazily if it is
    /// still busy.
    fn unmount(&self, at: &Path) {
        if mounted_source(at).is_some() {
            if let Err(e) = umount(at, 0).or_else(|_| umount(at, libc::MNT_DETACH)) {
                tracing::warn!(at = %at.display(), error = %e, "unmount failed");
            }
        }
    }

    /// Unmounts and deletes the sandbox's image.
    pub fn remove(&self, id: &str, at: &Path) {
        self.unmount(at);
        let _ = fs::remove_file(self.image(id));
    }
}
