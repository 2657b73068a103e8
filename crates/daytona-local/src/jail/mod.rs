//! The jail every sandbox process runs in: commands, sessions, PTYs, interpreter contexts,
//! code-run and git alike.
//!
//! - Namespaces: each sandbox has a *holder*, a bubblewrap process that owns the sandbox's
//!   PID, IPC, UTS (hostname = sandbox id) and, with `networkBlockAll`, network namespaces.
//!   Every process is started by a bubblewrap that joins those namespaces and builds a fresh
//!   mount namespace: the host read-only, the sandbox's home at `/home/daytona`, its own
//!   `/tmp` and `/run/daytona`, a minimal `/dev`, its own `/proc`, the data dir (every
//!   other sandbox) hidden, and no capabilities. Killing the holder's PID 1 kills every
//!   process of the sandbox at once.
//! - Resources: cgroups (see [`cgroups`]); a process joins the sandbox's groups before it
//!   execs, so nothing it starts escapes them.
//! - Disk: a filesystem image per sandbox (see [`disk`]).
//!
//! Bubblewrap does the mount and capability work because it is the well-kept tool for
//! exactly that; what it lacks (joining an existing set of namespaces and cgroups) is done
//! here in `pre_exec`, with raw syscalls only, as code between fork and exec must.

mod cgroups;
mod disk;

use std::collections::HashMap;
use std::ffi::{c_int, CString};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use daytona_types::api::sandbox::Sandbox;

pub use cgroups::Resources;
use cgroups::Cgroups;
use disk::Disks;

/// Where a sandbox's processes see their trees.
pub const HOME: &str = "/home/daytona";
const TMP: &str = "/tmp";
const RUN: &str = "/run/daytona";
const GIB: f64 = (1u64 << 30) as f64;

/// A sandbox's directories on the host. `dir` holds the others (and is its disk).
#[derive(Debug, Clone)]
pub struct Tree {
    pub dir: PathBuf,
    pub home: PathBuf,
    pub tmp: PathBuf,
    /// Server-made files the sandbox's processes use (session FIFOs).
    pub run: PathBuf,
}

impl Tree {
    pub fn new(dir: PathBuf) -> Self {
        Tree { home: dir.join("home"), tmp: dir.join("tmp"), run: dir.join("run"), dir }
    }
}

pub struct Jail {
    isolation: Option<Isolation>,
}

struct Isolation {
    bwrap: PathBuf,
    cgroups: Cgroups,
    disks: Disks,
    /// Hidden from every sandbox: the state database, keys and all sandboxes' trees.
    data_dir: PathBuf,
    pids_max: u64,
    holders: Mutex<HashMap<String, Arc<Holder>>>,
}

/// The process that keeps a sandbox's namespaces alive.
struct Holder {
    bwrap: Mutex<Child>,
    /// PID 1 of the sandbox's PID namespace, as the host numbers it.
    init: i32,
    pid_ns: File,
    /// Joined with setns(2) before bubblewrap runs: (namespace file, type).
    joined: [(File, c_int); 3],
}

impl Holder {
    fn alive(&self) -> bool {
        matches!(self.bwrap.lock().unwrap_or_else(|e| e.into_inner()).try_wait(), Ok(None))
    }

    fn kill(&self) {
        // SAFETY: signals a pid we started; killing PID 1 of a namespace kills all in it.
        unsafe {
            libc::kill(self.init, libc::SIGKILL);
        }
        let mut child = self.bwrap.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Moves this (single-threaded) process into a mount namespace of its own, so sandbox
/// disks mounted later are seen by no one else and vanish with the server however it ends.
pub fn private_mounts() -> io::Result<()> {
    // SAFETY: plain syscalls with valid NUL-terminated arguments.
    unsafe {
        if libc::unshare(libc::CLONE_NEWNS) != 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::mount(c"none".as_ptr(), c"/".as_ptr(), std::ptr::null(), libc::MS_REC | libc::MS_PRIVATE, std::ptr::null()) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// What to tell someone whose host cannot isolate sandboxes.
pub fn refusal(what: &str) -> String {
    format!(
        "daytona-local cannot isolate sandboxes on this host: {what}.\n\
         It needs to run as root on Linux with bubblewrap installed (apt-get install bubblewrap), \
         cgroups (v1 or v2) mounted at /sys/fs/cgroup, and loop devices with mkfs.ext4.\n\
         To run anyway, pass --no-isolation: sandboxes then run as plain host processes, NOT \
         isolated from the host or from each other."
    )
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/sbin:/usr/bin:/sbin:/bin".into());
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Joins cgroups and namespaces and keeps `keep` open across exec. Runs between fork and
/// exec, so it only makes syscalls on memory prepared before the fork.
fn join(procs: &[CString], joined: &[(RawFd, c_int)], keep: RawFd) -> io::Result<()> {
    // SAFETY: async-signal-safe syscalls on NUL-terminated paths and fds owned by the parent.
    unsafe {
        for p in procs {
            let fd = libc::open(p.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            // "0" moves the writing process.
            if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                return Err(io::Error::last_os_error());
            }
            libc::close(fd);
        }
        for &(fd, kind) in joined {
            if libc::setns(fd, kind) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        if keep >= 0 && libc::fcntl(keep, libc::F_SETFD, 0) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The environment every sandbox process starts from: the host's PATH and locale, nothing
/// else of the server's (it may hold secrets such as the API key).
fn base_env(cmd: &mut Command, home: &Path, tmp: &Path) {
    cmd.env_clear();
    for key in ["PATH", "LANG", "LC_ALL"] {
        if let Some(v) = std::env::var_os(key) {
            cmd.env(key, v);
        }
    }
    cmd.env("HOME", home).env("TMPDIR", tmp).env("USER", "root");
}

impl Jail {
    /// No isolation: sandbox processes are plain host processes.
    pub fn off() -> Self {
        Jail { isolation: None }
    }

    /// Checks that this host can isolate sandboxes, with an error naming what is missing.
    /// Expects [`private_mounts`] to have run.
    pub fn on(data_dir: &Path, pids_max: u64) -> Result<Self, String> {
        let bwrap = find_program("bwrap").ok_or("bubblewrap (bwrap) is not installed")?;
        let probe = Command::new(&bwrap)
            .args(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--", "true"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("bwrap cannot run: {e}"))?;
        if !probe.status.success() {
            return Err(format!("namespaces are not allowed ({})", String::from_utf8_lossy(&probe.stderr).trim()));
        }
        for tool in ["mkfs.ext4", "mount", "resize2fs"] {
            find_program(tool).ok_or_else(|| format!("{tool} is not installed"))?;
        }
        if !Path::new("/dev/loop-control").exists() {
            return Err("there are no loop devices (/dev/loop-control)".into());
        }
        let cgroups = Cgroups::detect().map_err(|e| format!("cgroups are not usable: {e}"))?;
        let disks = Disks::new(data_dir).map_err(|e| format!("disk images: {e}"))?;
        Ok(Jail {
            isolation: Some(Isolation { bwrap, cgroups, disks, data_dir: data_dir.to_path_buf(), pids_max, holders: Mutex::default() }),
        })
    }

    /// How sandboxes are isolated, as DTOs and the log say it.
    pub fn describe(&self) -> String {
        match &self.isolation {
            Some(i) => format!("namespaces (bubblewrap) + {} + disk image", i.cgroups.version()),
            None => "none: sandboxes run as plain host processes, not isolated (--no-isolation)".into(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.isolation.is_some()
    }

    /// Makes the sandbox ready to run: its disk mounted, its cgroups set, its namespaces
    /// held. Idempotent; cheap when all is in place.
    pub fn start(&self, dto: &Sandbox, tree: &Tree) -> io::Result<()> {
        let Some(iso) = &self.isolation else { return Ok(()) };
        if iso.holder(&dto.id).is_some() {
            return Ok(());
        }
        iso.disks.mount(&dto.id, dto.disk, &tree.dir)?;
        iso.cgroups.create(&dto.id, iso.resources(dto))?;
        let holder = iso.spawn_holder(dto)?;
        iso.holders.lock().unwrap_or_else(|e| e.into_inner()).insert(dto.id.clone(), Arc::new(holder));
        Ok(())
    }

    /// Kills every process of the sandbox and releases its cgroups and disk mount.
    pub fn stop(&self, id: &str, tree: &Tree) {
        let Some(iso) = &self.isolation else { return };
        if let Some(h) = iso.holders.lock().unwrap_or_else(|e| e.into_inner()).remove(id) {
            h.kill();
        }
        iso.cgroups.remove(id);
        iso.disks.unmount(&tree.dir);
    }

    /// Stops the sandbox and deletes its disk.
    pub fn remove(&self, id: &str, tree: &Tree) {
        self.stop(id, tree);
        if let Some(iso) = &self.isolation {
            iso.disks.remove(id, &tree.dir);
        }
    }

    /// Applies new cpu/memory limits to a running sandbox (disk applies at its next start).
    pub fn resize(&self, dto: &Sandbox) -> io::Result<()> {
        match &self.isolation {
            Some(iso) if iso.holder(&dto.id).is_some() => iso.cgroups.set(&dto.id, iso.resources(dto)),
            _ => Ok(()),
        }
    }

    /// How many of the sandbox's processes the kernel killed at its memory limit.
    pub fn oom_kills(&self, id: &str) -> u64 {
        self.isolation.as_ref().map_or(0, |iso| iso.cgroups.oom_kills(id))
    }

    /// Stops every sandbox (server shutdown).
    pub fn shutdown(&self, tree: impl Fn(&str) -> Tree) {
        let Some(iso) = &self.isolation else { return };
        let ids: Vec<String> = iso.holders.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        for id in ids {
            self.stop(&id, &tree(&id));
        }
        iso.cgroups.remove_all();
    }

    /// The host pid of the program a jailed command runs (bubblewrap's child), to signal
    /// it alone; `spawned` is the pid of the process that was spawned.
    pub fn program_pid(&self, spawned: i32) -> i32 {
        if self.isolation.is_none() {
            return spawned;
        }
        std::fs::read_to_string(format!("/proc/{spawned}/task/{spawned}/children"))
            .ok()
            .and_then(|t| t.split_whitespace().next()?.parse().ok())
            .unwrap_or(spawned)
    }

    /// Where a host path inside the sandbox's tree appears to its processes.
    pub fn visible(&self, tree: &Tree, host: &Path) -> PathBuf {
        if self.isolation.is_none() {
            return host.to_path_buf();
        }
        [(&tree.home, HOME), (&tree.tmp, TMP), (&tree.run, RUN)]
            .into_iter()
            .find_map(|(h, v)| host.strip_prefix(h).ok().map(|rest| Path::new(v).join(rest)))
            .unwrap_or_else(|| host.to_path_buf())
    }

    /// A command that runs `program` inside the sandbox, in `cwd` (a host path in its tree),
    /// with a clean environment. The sandbox must be started ([`Jail::start`]).
    pub fn command(&self, dto: &Sandbox, tree: &Tree, program: &str, cwd: &Path) -> io::Result<Command> {
        let Some(iso) = &self.isolation else {
            let mut cmd = Command::new(program);
            cmd.current_dir(cwd);
            base_env(&mut cmd, &tree.home, &tree.tmp);
            return Ok(cmd);
        };
        let holder = iso.holder(&dto.id).ok_or_else(|| io::Error::other("sandbox is not running"))?;
        let mut cmd = Command::new(&iso.bwrap);
        let pid_fd = holder.pid_ns.as_raw_fd();
        let hide = iso.data_dir.as_os_str();
        cmd.arg("--pidns").arg(pid_fd.to_string());
        cmd.args(["--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        // The data dir first (a later bind may lie inside it on the host, never in the jail),
        // covered by an empty read-only tmpfs, as are the host's /home and /run.
        cmd.arg("--tmpfs").arg(hide).arg("--remount-ro").arg(hide).args(["--tmpfs", "/home", "--tmpfs", "/run"]);
        cmd.arg("--bind").arg(&tree.home).arg(HOME);
        cmd.arg("--bind").arg(&tree.tmp).arg(TMP);
        cmd.arg("--bind").arg(&tree.run).arg(RUN);
        cmd.args(["--remount-ro", "/home", "--remount-ro", "/run"]);
        cmd.arg("--chdir").arg(self.visible(tree, cwd));
        cmd.args(["--", program]);
        base_env(&mut cmd, Path::new(HOME), Path::new(TMP));
        let procs = iso.cgroups.procs_files(&dto.id);
        let joined: Vec<(RawFd, c_int)> = holder.joined.iter().map(|(f, k)| (f.as_raw_fd(), *k)).collect();
        // SAFETY: `join` makes only async-signal-safe syscalls; the holder (and so its fds)
        // is kept alive by the closure.
        unsafe {
            cmd.pre_exec(move || {
                let _keep = &holder;
                join(&procs, &joined, pid_fd)
            });
        }
        Ok(cmd)
    }
}

impl Isolation {
    fn holder(&self, id: &str) -> Option<Arc<Holder>> {
        let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
        match holders.get(id) {
            Some(h) if h.alive() => Some(h.clone()),
            Some(_) => {
                // Something in the sandbox ended its namespaces (e.g. `kill -9 -1`): start over.
                holders.remove(id);
                None
            }
            None => None,
        }
    }

    fn resources(&self, dto: &Sandbox) -> Resources {
        Resources { cpus: dto.cpu, memory_bytes: (dto.memory * GIB) as u64, pids: self.pids_max }
    }

    fn spawn_holder(&self, dto: &Sandbox) -> io::Result<Holder> {
        let (mut info, info_w) = io::pipe()?;
        let info_fd = info_w.as_raw_fd();
        let mut cmd = Command::new(&self.bwrap);
        cmd.args(["--unshare-pid", "--unshare-ipc", "--unshare-uts"]);
        if dto.network_block_all {
            cmd.arg("--unshare-net");
        }
        cmd.args(["--hostname", &dto.id, "--cap-drop", "ALL", "--ro-bind", "/", "/", "--info-fd", &info_fd.to_string(), "--", "sleep", "infinity"]);
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
        base_env(&mut cmd, Path::new(HOME), Path::new(TMP));
        let procs = self.cgroups.procs_files(&dto.id);
        // SAFETY: see `join`.
        unsafe {
            cmd.pre_exec(move || join(&procs, &[], info_fd));
        }
        let child = cmd.spawn()?;
        drop(cmd);
        drop(info_w);
        // bubblewrap writes {"child-pid": N} once the namespaces exist.
        let mut text = String::new();
        let mut buf = [0u8; 256];
        while !text.contains('}') {
            match info.read(&mut buf)? {
                0 => break,
                n => text.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        let init: i32 = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bubblewrap did not start the sandbox's namespaces: {text:?}")))?;
        let ns = |name: &str| File::open(format!("/proc/{init}/ns/{name}"));
        Ok(Holder {
            bwrap: Mutex::new(child),
            init,
            pid_ns: ns("pid")?,
            joined: [(ns("net")?, libc::CLONE_NEWNET), (ns("ipc")?, libc::CLONE_NEWIPC), (ns("uts")?, libc::CLONE_NEWUTS)],
        })
    }
}
