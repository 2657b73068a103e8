//! A sandbox's holder: the bubblewrap process that makes and keeps the sandbox's namespaces
//! (PID, mount, IPC, UTS and network) while the sandbox runs, and its network's slirp4netns
//! ([`super::network`]). Its
//! mount namespace is the sandbox's view of the machine, built once here: the host
//! read-only, the sandbox's home at `/home/daytona`, its own `/tmp` and `/run/daytona`, a
//! minimal `/dev`, its own `/proc`, and the data dir (every sandbox, the database, the key)
//! replaced by an empty read-only directory. Killing its PID 1 ends every process inside.
//!
//! A holder is made without a sandbox, with empty places for the sandbox's directories, in a
//! mount namespace where no sandbox disk is mounted; [`Holder::attach`] then gives it its
//! sandbox's directories and name (about a millisecond, where making a holder takes ~10 ms,
//! mostly the kernel making namespaces, so holders are also made ahead of time).

use std::ffi::{c_int, CString};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::enter::join_cgroups;
use super::network::{Network, Outbound, Policy};
use super::tree::{Tree, HOME, RUN, TMP};

pub struct Holder {
    bwrap: Mutex<Child>,
    /// PID 1 of the sandbox's PID namespace, as the host numbers it.
    init: i32,
    /// The holder's own processes (bubblewrap outside, its PID 1 and `sleep` inside).
    pub pids: Vec<i32>,
    /// Set once it has been killed: its pids may belong to someone else afterwards.
    ended: AtomicBool,
    pub pid_ns: File,
    /// Joined with setns(2) by each new process, the mount namespace last: (file, type).
    pub namespaces: [(File, c_int); 4],
    /// Outbound access, while the sandbox has it.
    outbound: Mutex<Option<Outbound>>,
    /// Whether its rules have had the egress redirect chain.
    nat: AtomicBool,
}

#[derive(Clone)]
pub struct Spec {
    pub bwrap: PathBuf,
    /// Hidden from every sandbox: the state database, keys and all sandboxes' trees.
    pub data_dir: PathBuf,
    /// The mount namespace holders are made from (see `clean_mount_namespace`).
    pub mounts: Arc<File>,
    /// The resolver file sandboxes get, and where it goes (see [`super::network::resolver`]).
    pub resolver: Option<(PathBuf, PathBuf)>,
    /// The CA bundle sandboxes trust (the host's with the egress proxy's CA), and where.
    pub trust: Option<(PathBuf, &'static str)>,
    /// `cgroup.procs` files the holder joins before it execs (cgroup v2).
    pub procs: Vec<std::ffi::CString>,
}

/// How long bubblewrap may take to build the sandbox's namespaces.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

impl Holder {
    pub fn spawn(spec: Spec) -> io::Result<Holder> {
        let (mut info, info_w) = io::pipe()?;
        let info_fd = info_w.as_raw_fd();
        let mut cmd = Command::new(&spec.bwrap);
        cmd.args(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net"]);
        cmd.args(["--hostname", "daytona", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        // The data dir first: the binds below may lie inside it on the host.
        cmd.arg("--tmpfs").arg(&spec.data_dir).arg("--remount-ro").arg(&spec.data_dir);
        // Places for the sandbox's directories, which `attach` mounts there.
        cmd.args(["--tmpfs", "/home", "--tmpfs", "/run", "--dir", HOME, "--tmpfs", TMP, "--dir", RUN]);
        if let Some((file, at)) = &spec.resolver {
            // The host's may be a link into /run, which is empty here.
            if let Some(dir) = at.parent().filter(|d| d.starts_with("/run")) {
                cmd.arg("--dir").arg(dir);
            }
            cmd.arg("--ro-bind").arg(file).arg(at);
        }
        if let Some((bundle, at)) = spec.trust.as_ref().filter(|(_, at)| Path::new(at).is_file()) {
            cmd.arg("--ro-bind").arg(bundle).arg(at);
        }
        cmd.args(["--remount-ro", "/home", "--remount-ro", "/run"]);
        cmd.args(["--info-fd", &info_fd.to_string(), "--", "sleep", "infinity"]);
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).process_group(0);
        cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()));
        let procs = spec.procs;
        let mounts = spec.mounts.clone();
        // SAFETY: async-signal-safe syscalls only, on data made before the fork.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setns(mounts.as_raw_fd(), libc::CLONE_NEWNS) != 0 {
                    return Err(io::Error::last_os_error());
                }
                join_cgroups(&procs)?;
                if libc::fcntl(info_fd, libc::F_SETFD, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        drop(cmd);
        drop(info_w);
        // bubblewrap writes {"child-pid": N} as soon as the namespaces exist.
        let mut text = String::new();
        let mut buf = [0u8; 256];
        while !text.contains('}') {
            match info.read(&mut buf)? {
                0 => break,
                n => text.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        let Some(init) = text.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).and_then(|s| s.parse::<i32>().ok()) else {
            let mut err = String::new();
            let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
            let _ = child.wait();
            return Err(io::Error::other(format!("bubblewrap could not make the sandbox's namespaces: {}", err.trim())));
        };
        let ns = |name: &str| File::open(format!("/proc/{init}/ns/{name}"));
        let mut holder = Holder {
            init,
            pids: Vec::new(),
            ended: AtomicBool::new(false),
            pid_ns: ns("pid")?,
            namespaces: [(ns("net")?, libc::CLONE_NEWNET), (ns("ipc")?, libc::CLONE_NEWIPC), (ns("uts")?, libc::CLONE_NEWUTS), (ns("mnt")?, libc::CLONE_NEWNS)],
            bwrap: Mutex::new(child),
            outbound: Mutex::new(None),
            nat: AtomicBool::new(false),
        };
        let sleep = holder.wait_ready()?;
        holder.pids = vec![holder.bwrap.lock().unwrap_or_else(|e| e.into_inner()).id() as i32, init, sleep];
        Ok(holder)
    }

    /// The mount namespace is complete once bubblewrap's PID 1 has started `sleep`.
    /// Returns the pid of `sleep`.
    fn wait_ready(&self) -> io::Result<i32> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let children = format!("/proc/{0}/task/{0}/children", self.init);
        loop {
            let sleep = std::fs::read_to_string(&children).unwrap_or_default().split_whitespace().find_map(|pid| {
                let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
                (comm.trim() == "sleep").then(|| pid.parse().ok()).flatten()
            });
            if let Some(pid) = sleep {
                return Ok(pid);
            }
            if !self.alive() || Instant::now() > deadline {
                let mut err = String::new();
                let mut child = self.bwrap.lock().unwrap_or_else(|e| e.into_inner());
                let _ = child.kill();
                let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
                let _ = child.wait();
                return Err(io::Error::other(format!("bubblewrap could not set up the sandbox: {}", err.trim())));
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Gives a generic holder its sandbox: binds the sandbox's directories and volumes into
    /// its mount namespace and names its host. A child process does it, because only a
    /// single-threaded process may enter a mount namespace.
    pub fn attach(&self, tree: &Tree, hostname: &str) -> io::Result<()> {
        const OPEN_TREE_CLONE: u32 = 1;
        const MOVE_MOUNT_F_EMPTY_PATH: u32 = 4;
        let cstr = |p: &Path| CString::new(p.as_os_str().as_encoded_bytes()).map_err(io::Error::other);
        let dirs = [(&tree.home, HOME), (&tree.tmp, TMP), (&tree.run, RUN)];
        let volumes = tree.volumes.iter().map(|(host, at)| (host, at.as_str()));
        // Per mount: the tree to move, its target, and (for volumes) the directories to make
        // first, each ancestor below the home or /tmp that holds it.
        let mut mounts = Vec::new();
        for (i, (host, seen)) in dirs.into_iter().chain(volumes).enumerate() {
            let mut make = Vec::new();
            if i >= dirs.len() {
                // Mount paths lie inside the home or /tmp (checked at create), both writable.
                let area = if seen.starts_with(HOME) { HOME } else { TMP };
                let mut at = PathBuf::from(area);
                for part in Path::new(&seen[area.len()..]).components().filter(|c| matches!(c, Component::Normal(_))) {
                    at.push(part);
                    make.push(cstr(&at)?);
                }
            }
            mounts.push((open_tree(&cstr(host)?, OPEN_TREE_CLONE | libc::AT_RECURSIVE as u32)?, cstr(Path::new(seen))?, make));
        }
        // The hosts file goes over the host's, read-only: the server rewrites it in place.
        if tree.hosts.is_file() && Path::new("/etc/hosts").is_file() {
            let fd = open_tree(&cstr(&tree.hosts)?, OPEN_TREE_CLONE)?;
            let attr = MountAttr { attr_set: MOUNT_ATTR_RDONLY, ..MountAttr::default() };
            // SAFETY: mount_setattr(2) on a detached mount we own, with a valid attribute block.
            let set = unsafe { libc::syscall(libc::SYS_mount_setattr, fd.as_raw_fd(), c"".as_ptr(), libc::AT_EMPTY_PATH, &attr, size_of::<MountAttr>()) };
            if set != 0 {
                return Err(io::Error::last_os_error());
            }
            mounts.push((fd, c"/etc/hosts".into(), Vec::new()));
        }
        let name = CString::new(hostname).map_err(io::Error::other)?;
        let (mnt, uts) = (self.namespaces[3].0.as_raw_fd(), self.namespaces[2].0.as_raw_fd());
        // SAFETY: the child makes only async-signal-safe syscalls on data made before the
        // fork, then _exits; the parent waits for it.
        unsafe {
            let pid = libc::fork();
            if pid < 0 {
                return Err(io::Error::last_os_error());
            }
            if pid == 0 {
                let mut step = 1;
                let mut ok = libc::setns(mnt, libc::CLONE_NEWNS) == 0;
                for (fd, target, make) in &mounts {
                    step += 1;
                    for dir in make {
                        // An existing directory is fine; anything else fails the move below.
                        libc::mkdir(dir.as_ptr(), 0o755);
                    }
                    ok = ok && libc::syscall(libc::SYS_move_mount, fd.as_raw_fd(), c"".as_ptr(), libc::AT_FDCWD, target.as_ptr(), MOVE_MOUNT_F_EMPTY_PATH) == 0;
                }
                ok = ok && libc::setns(uts, libc::CLONE_NEWUTS) == 0 && libc::sethostname(name.as_ptr(), name.as_bytes().len()) == 0;
                libc::_exit(if ok { 0 } else { step });
            }
            let mut status = 0;
            while libc::waitpid(pid, &mut status, 0) < 0 {
                if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    return Err(io::Error::last_os_error());
                }
            }
            if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
                return Err(io::Error::other(format!("could not give the sandbox its directories (step {})", libc::WEXITSTATUS(status))));
            }
        }
        Ok(())
    }

    /// The sandbox's network namespace.
    pub fn netns(&self) -> &File {
        &self.namespaces[0].0
    }

    /// PID 1 of the sandbox, as the host numbers it.
    pub fn init(&self) -> i32 {
        self.init
    }

    /// Gives the sandbox the network `policy` asks for, live: outbound access unless it is
    /// blocked, and the rules. Blocking puts the rules first, opening the access first.
    pub fn set_network(&self, network: &Network, policy: &Policy) -> io::Result<()> {
        let mut outbound = self.outbound.lock().unwrap_or_else(|e| e.into_inner());
        if !policy.block_all && outbound.is_none() {
            *outbound = Some(network.outbound(self.init)?);
        }
        network.apply(self.netns(), policy, self.nat.load(Ordering::SeqCst))?;
        if policy.intercept.is_some() {
            self.nat.store(true, Ordering::SeqCst);
        }
        if policy.block_all {
            *outbound = None;
        }
        Ok(())
    }

    pub fn alive(&self) -> bool {
        matches!(self.bwrap.lock().unwrap_or_else(|e| e.into_inner()).try_wait(), Ok(None))
    }

    /// Ends the holder and so every process in its namespaces. Once only: afterwards its
    /// pids may be reused.
    pub fn kill(&self) {
        if self.ended.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut child = self.bwrap.lock().unwrap_or_else(|e| e.into_inner());
        // bubblewrap outlives its PID 1 (it waits for it), so while bubblewrap runs, that
        // pid is still the sandbox's. Killing PID 1 of a namespace kills all in it.
        if matches!(child.try_wait(), Ok(None)) {
            // SAFETY: kill(2) on a pid that is ours (see above); no memory is touched.
            unsafe {
                libc::kill(self.init, libc::SIGKILL);
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        self.outbound.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// `struct mount_attr` of mount_setattr(2).
#[repr(C)]
#[derive(Default)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

const MOUNT_ATTR_RDONLY: u64 = 1;

/// A detached copy of the mount at `path` (open_tree(2) with `flags`), to move elsewhere.
fn open_tree(path: &CString, flags: u32) -> io::Result<OwnedFd> {
    // SAFETY: open_tree(2) with a valid path; it returns a new fd or -1.
    let fd = unsafe { libc::syscall(libc::SYS_open_tree, libc::AT_FDCWD, path.as_ptr(), flags | libc::O_CLOEXEC as u32) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the fd was just returned to us and is owned by nothing else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

impl Drop for Holder {
    /// A holder nobody holds any more must not keep a sandbox's namespaces alive.
    fn drop(&mut self) {
        self.kill();
    }
}
