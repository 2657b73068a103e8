//! The jail every sandbox process runs in: commands, sessions, PTYs, interpreter contexts,
//! code-run and git alike.
//!
//! - Namespaces: each running sandbox has a [`holder`], a bubblewrap process that makes the
//!   sandbox's PID, mount, IPC, UTS (hostname = sandbox id) and network namespaces, with the
//!   sandbox's view of the machine as its mount namespace, and its own [`network`].
//!   Every process of the sandbox joins them on its way to exec ([`enter`]) and drops every
//!   capability. Killing the holder's PID 1 kills every process of the sandbox at once.
//! - Resources: cgroups ([`cgroups`]). Processes are spawned on a thread of the sandbox's
//!   own that sits in its groups ([`thread`]; on cgroup v2 each joins before it execs), so
//!   nothing a sandbox starts escapes them.
//! - Disk: a filesystem image per sandbox ([`disk`]).
//! - Speed: a [`pool`] makes namespaces and disks ahead of time.
//!
//! Bubblewrap does the mount and capability work because it is the well-kept tool for
//! exactly that.

mod cgroups;
mod disk;
mod enter;
mod holder;
mod network;
mod pool;
mod programs;
mod thread;
mod tree;

use std::collections::HashMap;
use std::ffi::CString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use daytona_types::api::sandbox::Sandbox;

use cgroups::Cgroups;
pub use cgroups::{Resources, Usage};
use disk::Disks;
use enter::Entry;
use holder::Holder;
use network::{Network, Policy};
pub use network::{EGRESS_MARK, LINK_NET};
use pool::Pool;
pub use programs::find_program;
use thread::SandboxThread;
pub use tree::{Tree, HOME, TMP};

/// The CA bundle sandboxes trust (Debian's place for it), which `Jail::on`'s `trust` replaces.
pub const TRUSTED_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";
/// Where a sandbox's processes see their trees.
const GIB: f64 = (1u64 << 30) as f64;
/// The cgroup of what is made ahead of time (not a sandbox id: those are UUIDs).
const POOL: &str = "pool";

pub struct Jail {
    isolation: Option<Isolation>,
}

struct Isolation {
    /// How to make a holder with no sandbox yet.
    generic: holder::Spec,
    network: Arc<Network>,
    cgroups: Cgroups,
    disks: Arc<Disks>,
    pool: Pool,
    pids_max: u64,
    /// The highest capability number this kernel knows (all are dropped).
    last_cap: i32,
    /// Each sandbox's slot for its holder; a slot is locked while its holder starts, so
    /// concurrent requests to a sandbox start one holder, and other sandboxes wait for none.
    holders: Mutex<HashMap<String, Slot>>,
}

type Slot = Arc<Mutex<Option<Arc<Running>>>>;

/// A running sandbox: its namespaces, and the thread its processes are spawned on.
struct Running {
    holder: Holder,
    thread: SandboxThread,
    /// Out-of-memory kills before the sandbox last started, which are not its news.
    oom_base: AtomicU64,
    /// The egress proxy's port in the namespace, and what keeps it serving (dropped with
    /// the namespace), while secrets are mounted.
    intercept: Mutex<Option<(u16, Box<dyn Send + Sync>)>>,
}

impl Running {
    fn end(&self) {
        self.holder.kill();
        self.thread.stop();
        self.intercept.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    fn policy(&self, dto: &Sandbox) -> Policy {
        let intercept = self.intercept.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|(port, _)| *port);
        Policy { intercept, ..policy(dto) }
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

/// A mount namespace copied from this server's before any sandbox disk is mounted, kept
/// by its file. Holders are made in it, so no sandbox's namespaces ever hold another
/// sandbox's disk (a copy of the server's later namespace would: every mount, if hidden),
/// and a disk unmounted here is free. Each holder gets its own sandbox's directories later
/// ([`Holder::attach`]).
fn clean_mount_namespace() -> io::Result<std::fs::File> {
    let mut cmd = Command::new("sleep");
    cmd.arg("infinity").stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    // SAFETY: unshare(2) only, between fork and exec.
    unsafe {
        cmd.pre_exec(|| if libc::unshare(libc::CLONE_NEWNS) == 0 { Ok(()) } else { Err(io::Error::last_os_error()) });
    }
    let mut child = cmd.spawn()?;
    let ns = std::fs::File::open(format!("/proc/{}/ns/mnt", child.id()));
    let _ = child.kill();
    let _ = child.wait();
    ns
}

/// What to tell someone whose host cannot isolate sandboxes.
pub fn refusal(what: &str) -> String {
    format!(
        "daytona-local cannot isolate sandboxes on this host: {what}.\n\
         It needs to run as root on Linux with bubblewrap, slirp4netns, nftables and iproute2 \
         installed (apt-get install bubblewrap slirp4netns nftables iproute2), \
         cgroups (v1 or v2) mounted at /sys/fs/cgroup, and loop devices with mkfs.ext4.\n\
         To run anyway, pass --no-isolation: sandboxes then run as plain host processes, NOT \
         isolated from the host or from each other."
    )
}

/// The host's PATH as sandboxes get it. pyenv's shims run `pyenv rehash` after every pip
/// install, which writes next to the shims: on the read-only root a sandbox sees, that
/// fails and turns a good install into exit code 1. So a shims directory is replaced by
/// the bin directory of pyenv's global version, the interpreter the shims would run.
fn sandbox_path() -> Option<&'static std::ffi::OsStr> {
    static PATH: std::sync::OnceLock<Option<std::ffi::OsString>> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let host = std::env::var_os("PATH")?;
        let dirs = std::env::split_paths(&host).map(|dir| {
            let root = dir.ends_with(".pyenv/shims").then(|| dir.parent()).flatten();
            let version = root.and_then(|r| std::fs::read_to_string(r.join("version")).ok());
            let bin = root.zip(version.as_deref().and_then(|v| v.lines().next())).map(|(r, v)| r.join("versions").join(v.trim()).join("bin"));
            bin.filter(|b| b.is_dir()).unwrap_or(dir)
        });
        std::env::join_paths(dirs.collect::<Vec<_>>()).ok().or(Some(host))
    })
    .as_deref()
}

/// The environment every sandbox process starts from: the host's PATH and locale, nothing
/// else of the server's (it may hold secrets such as the API key).
fn base_env(cmd: &mut Command, home: &Path, tmp: &Path) {
    cmd.env_clear();
    if let Some(path) = sandbox_path() {
        cmd.env("PATH", path);
    }
    for key in ["LANG", "LC_ALL"] {
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
    /// `host_access` and `server_ports` say what sandboxes may reach of the host
    /// ([`network`]).
    /// `trust` is the CA bundle sandboxes get in place of the host's.
    pub fn on(
        data_dir: &Path,
        pids_max: u64,
        default_disk_gib: f64,
        host_access: bool,
        server_ports: Vec<u16>,
        trust: Option<PathBuf>,
    ) -> Result<Self, String> {
        let bwrap = find_program("bwrap").ok_or("bubblewrap (bwrap) is not installed")?;
        let probe = Command::new(&bwrap)
            .args(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--cap-drop", "ALL", "--ro-bind", "/", "/", "--", "true"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("bwrap cannot run: {e}"))?;
        if !probe.status.success() {
            return Err(format!("namespaces are not allowed ({})", String::from_utf8_lossy(&probe.stderr).trim()));
        }
        for tool in ["mkfs.ext4", "cp", "mount", "e2fsck", "resize2fs"] {
            find_program(tool).ok_or_else(|| format!("{tool} is not installed"))?;
        }
        if !Path::new("/dev/loop-control").exists() {
            return Err("there are no loop devices (/dev/loop-control)".into());
        }
        let network = Arc::new(Network::detect(host_access, server_ports)?);
        let cgroups = Cgroups::detect().map_err(|e| format!("cgroups are not usable: {e}"))?;
        let clean_mounts = Arc::new(clean_mount_namespace().map_err(|e| format!("cannot make a mount namespace: {e}"))?);
        let disks = Arc::new(Disks::new(data_dir).map_err(|e| format!("disk images: {e}"))?);
        // What the pool makes ahead lives in a group of its own (no limits).
        cgroups.make(POOL).map_err(|e| format!("cgroups are not usable: {e}"))?;
        let resolver = network::resolver(data_dir).map_err(|e| format!("cannot write the sandboxes' resolv.conf: {e}"))?;
        let generic = holder::Spec {
            bwrap: bwrap.clone(),
            data_dir: data_dir.to_path_buf(),
            mounts: clean_mounts,
            resolver: Some(resolver),
            trust: trust.map(|t| (t, TRUSTED_BUNDLE)),
            procs: Vec::new(),
        };
        let pool = Pool::start(generic.clone(), network.clone(), disks.clone(), default_disk_gib, cgroups.thread_files(POOL));
        let last_cap = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or("cannot read /proc/sys/kernel/cap_last_cap")?;
        Ok(Jail { isolation: Some(Isolation { generic, network, cgroups, disks, pool, pids_max, last_cap, holders: Mutex::default() }) })
    }

    /// How sandboxes are isolated, as DTOs and the log say it.
    pub fn describe(&self) -> String {
        match &self.isolation {
            Some(i) => format!("namespaces (bubblewrap) + own network (slirp4netns, nftables) + {} + disk image", i.cgroups.version()),
            None => "none: sandboxes run as plain host processes, not isolated (--no-isolation)".into(),
        }
    }

    pub fn is_on(&self) -> bool {
        self.isolation.is_some()
    }

    /// Mounts the sandbox's disk at `tree.dir` (made on first use, grown to its size).
    pub fn mount(&self, dto: &Sandbox, tree: &Tree) -> io::Result<()> {
        let Some(iso) = &self.isolation else { return Ok(()) };
        if iso.disks.needs_growing(&dto.id, dto.disk) {
            // Its namespaces hold the filesystem: they go first.
            iso.end(&dto.id);
        }
        if !iso.disks.has(&dto.id) {
            if let Some(warm) = iso.pool.disk(dto.disk) {
                return iso.disks.adopt(warm, &dto.id, &tree.dir);
            }
        }
        iso.disks.mount(&dto.id, dto.disk, &tree.dir)
    }

    /// Whether the sandbox's processes can run now.
    pub fn running(&self, id: &str) -> bool {
        self.isolation.as_ref().is_none_or(|iso| iso.running(id).is_some())
    }

    /// Makes a mounted sandbox ready to run: its cgroups set, its namespaces held.
    /// Idempotent.
    pub fn start(&self, dto: &Sandbox, tree: &Tree) -> io::Result<()> {
        let Some(iso) = &self.isolation else { return Ok(()) };
        let slot = iso.slot(&dto.id);
        let mut held = slot.lock().unwrap_or_else(|e| e.into_inner());
        if held.as_ref().is_some_and(|r| r.holder.alive()) {
            return Ok(());
        }
        // None yet, or something in the sandbox ended its namespaces (`kill -9 -1`).
        if let Some(old) = held.take() {
            old.end();
        }
        iso.cgroups.create(&dto.id, iso.resources(dto))?;
        let thread = SandboxThread::start(&dto.id, iso.cgroups.thread_files(&dto.id))?;
        // One made ahead if it fits (it has the default network), else a new one given the
        // sandbox's network (off its thread: slirp4netns is not the sandbox's); then it
        // takes the sandbox's directories and name.
        let policy = policy(dto);
        let made_ahead = if policy == Policy::default() { iso.pool.holder() } else { None };
        let spawned = match made_ahead {
            Some(h) => Ok(Ok(h)),
            None => {
                let spec = holder::Spec { procs: iso.cgroups.exec_files(&dto.id), ..iso.generic.clone() };
                thread.run(move || Holder::spawn(spec)).map(|r| r.and_then(|h| h.set_network(&iso.network, &policy).map(|()| h)))
            }
        };
        let spawned = spawned.map(|r| r.and_then(|h| h.attach(tree, &dto.id).map(|()| h)));
        let holder = match spawned {
            Ok(Ok(h)) => h,
            Ok(Err(e)) | Err(e) => {
                thread.stop();
                return Err(e);
            }
        };
        *held = Some(Arc::new(Running { holder, thread, oom_base: AtomicU64::new(iso.cgroups.oom_kills(&dto.id)), intercept: Mutex::default() }));
        Ok(())
    }

    /// Applies a sandbox's changed network settings, live if it runs (else at its start).
    pub fn set_network(&self, dto: &Sandbox) -> io::Result<()> {
        match self.isolation.as_ref().and_then(|iso| Some((iso, iso.running(&dto.id)?))) {
            Some((iso, r)) => r.holder.set_network(&iso.network, &r.policy(dto)),
            None => Ok(()),
        }
    }

    /// Sends the running sandbox's connections to ports 80 and 443 to the egress proxy:
    /// `serve` is given a listener in the sandbox's namespace and gives what keeps it serving
    /// (kept until [`Jail::stop_intercepting`] or the namespace ends). Does nothing if it does
    /// already.
    pub fn intercept<G: Send + Sync + 'static>(&self, dto: &Sandbox, serve: impl FnOnce(std::net::TcpListener) -> io::Result<G>) -> io::Result<()> {
        let iso = self.isolation.as_ref().ok_or_else(|| io::Error::other("secrets need isolation"))?;
        let r = iso.running_now(&dto.id)?;
        if r.intercept.lock().unwrap_or_else(|e| e.into_inner()).is_some() {
            return Ok(());
        }
        let listener = network::listen(r.holder.netns())?;
        let port = listener.local_addr()?.port();
        let guard = serve(listener)?;
        *r.intercept.lock().unwrap_or_else(|e| e.into_inner()) = Some((port, Box::new(guard)));
        r.holder.set_network(&iso.network, &r.policy(dto))
    }

    /// Lets the sandbox's connections go straight out again (its secrets were detached).
    pub fn stop_intercepting(&self, dto: &Sandbox) -> io::Result<()> {
        let Some((iso, r)) = self.isolation.as_ref().and_then(|iso| Some((iso, iso.running(&dto.id)?))) else { return Ok(()) };
        // Not intercepting (every start of a sandbox without secrets): nothing to change.
        if r.intercept.lock().unwrap_or_else(|e| e.into_inner()).take().is_none() {
            return Ok(());
        }
        r.holder.set_network(&iso.network, &r.policy(dto))
    }

    /// A connection to `to` from inside the running sandbox's namespace, marked so that the
    /// egress redirect lets it pass (its other rules apply).
    pub fn connect_out(&self, id: &str, to: std::net::SocketAddr) -> io::Result<std::net::TcpStream> {
        let iso = self.isolation.as_ref().ok_or_else(|| io::Error::other("secrets need isolation"))?;
        network::connect_marked(iso.running_now(id)?.holder.netns(), to)
    }

    /// A connection to `port` on the sandbox's own loopback (the host's without isolation).
    pub fn connect(&self, id: &str, port: u16) -> io::Result<std::net::TcpStream> {
        match &self.isolation {
            None => std::net::TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port)),
            Some(iso) => network::connect(iso.running_now(id)?.holder.netns(), port),
        }
    }

    /// Puts running sandbox `member` on the link network of running sandbox `owner`, at
    /// address `n` of [`LINK_NET`].
    pub fn link(&self, owner: &str, member: &str, n: u8) -> io::Result<()> {
        let iso = self.isolation.as_ref().ok_or_else(|| io::Error::other("linked sandboxes need isolation"))?;
        iso.network.link(iso.running_now(owner)?.holder.netns(), iso.running_now(member)?.holder.init(), n)
    }

    /// Kills every process of the sandbox. Its namespaces, cgroups and disk stay (empty of
    /// processes) until it is deleted or the server ends, so starting it again is quick.
    pub fn stop(&self, id: &str) {
        let Some(iso) = &self.isolation else { return };
        match iso.running(id) {
            Some(r) => {
                // Frozen processes cannot die.
                let _ = iso.cgroups.freeze(id, false);
                iso.cgroups.kill_processes(id, &r.holder.pids);
                r.oom_base.store(iso.cgroups.oom_kills(id), Ordering::SeqCst);
            }
            None => iso.end(id),
        }
    }

    /// Ends the sandbox's namespaces and cgroups and deletes its disk.
    pub fn remove(&self, id: &str, tree: &Tree) {
        if let Some(iso) = &self.isolation {
            iso.end(id);
            iso.disks.remove(id, &tree.dir);
        }
    }

    /// Applies new cpu/memory limits to a running sandbox (disk applies at its next start).
    pub fn resize(&self, dto: &Sandbox) -> io::Result<()> {
        match &self.isolation {
            Some(iso) if iso.running(&dto.id).is_some() => iso.cgroups.set(&dto.id, iso.resources(dto)),
            _ => Ok(()),
        }
    }

    /// Freezes (pause) or thaws (resume) every process of a running sandbox.
    pub fn freeze(&self, id: &str, frozen: bool) -> io::Result<()> {
        self.cgroups()?.freeze(id, frozen)
    }

    /// The CPU time and memory a sandbox's processes use.
    pub fn usage(&self, id: &str) -> io::Result<Usage> {
        self.cgroups()?.usage(id)
    }

    fn cgroups(&self) -> io::Result<&Cgroups> {
        let iso = self
            .isolation
            .as_ref()
            .ok_or_else(|| io::Error::new(io::ErrorKind::Unsupported, "this needs the sandbox's cgroups, and daytona-local runs with --no-isolation"))?;
        Ok(&iso.cgroups)
    }

    /// The processes of a sandbox (with isolation off, none are told apart from the host's).
    pub fn members(&self, id: &str) -> Vec<i32> {
        self.isolation.as_ref().map(|iso| iso.cgroups.members(id)).unwrap_or_default()
    }

    /// How many of the sandbox's processes the kernel killed at its memory limit since it
    /// last started.
    pub fn oom_kills(&self, id: &str) -> u64 {
        let Some(iso) = &self.isolation else { return 0 };
        let base = iso.running(id).map_or(0, |r| r.oom_base.load(Ordering::SeqCst));
        iso.cgroups.oom_kills(id).saturating_sub(base)
    }

    /// Stops every sandbox (server shutdown; the disks go with the server's mount namespace).
    pub fn shutdown(&self) {
        let Some(iso) = &self.isolation else { return };
        iso.pool.stop(&iso.disks);
        let ids: Vec<String> = iso.holders.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        for id in ids {
            iso.end(&id);
        }
        iso.cgroups.remove_all();
    }

    /// Spawns a jailed command (`f` spawns it) where the sandbox's processes are made: on
    /// its thread, so the process starts in the sandbox's cgroups.
    pub fn spawn<T: Send + 'static>(&self, id: &str, f: impl FnOnce() -> T + Send + 'static) -> io::Result<T> {
        match &self.isolation {
            None => Ok(f()),
            Some(iso) => iso.running_now(id)?.thread.run(f),
        }
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
        match self.isolation {
            Some(_) => tree.seen(host),
            None => host.to_path_buf(),
        }
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
        let running = iso.running_now(&dto.id)?;
        let mut cmd = Command::new(program);
        base_env(&mut cmd, Path::new(HOME), Path::new(TMP));
        let cwd = CString::new(self.visible(tree, cwd).into_os_string().into_encoded_bytes()).map_err(io::Error::other)?;
        let holder = &running.holder;
        let entry = Entry {
            procs: iso.cgroups.exec_files(&dto.id),
            namespaces: holder.namespaces.iter().map(|(f, kind)| (f.as_raw_fd(), *kind)).collect(),
            pid_ns: holder.pid_ns.as_raw_fd(),
            cwd,
            last_cap: iso.last_cap,
        };
        // SAFETY: `enter` is made for a pre_exec hook; the holder (and so the namespace
        // files) lives as long as the command.
        unsafe {
            cmd.pre_exec(move || {
                let _keep = &running;
                enter::enter(&entry)
            });
        }
        Ok(cmd)
    }
}

/// Where a sandbox may connect to, from its settings.
fn policy(dto: &Sandbox) -> Policy {
    Policy::of(dto.network_block_all, dto.network_allow_list.as_deref())
}

impl Isolation {
    /// Ends the sandbox's namespaces (and every process in them), its thread and cgroups.
    fn end(&self, id: &str) {
        // Frozen processes cannot die.
        let _ = self.cgroups.freeze(id, false);
        let slot = self.holders.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
        if let Some(r) = slot.and_then(|s| s.lock().unwrap_or_else(|e| e.into_inner()).take()) {
            r.end();
        }
        self.cgroups.remove(id);
    }

    fn slot(&self, id: &str) -> Slot {
        self.holders.lock().unwrap_or_else(|e| e.into_inner()).entry(id.to_string()).or_default().clone()
    }

    /// The sandbox, if it runs.
    fn running(&self, id: &str) -> Option<Arc<Running>> {
        let slot = self.holders.lock().unwrap_or_else(|e| e.into_inner()).get(id).cloned()?;
        let held = slot.lock().unwrap_or_else(|e| e.into_inner()).clone();
        held.filter(|r| r.holder.alive())
    }

    /// The sandbox, which must be running.
    fn running_now(&self, id: &str) -> io::Result<Arc<Running>> {
        self.running(id).ok_or_else(|| io::Error::other("sandbox is not running"))
    }

    fn resources(&self, dto: &Sandbox) -> Resources {
        Resources { cpus: dto.cpu, memory_bytes: (dto.memory * GIB) as u64, pids: self.pids_max }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_paths_map_to_where_the_jail_shows_them() {
        let t = Tree::new(PathBuf::from("/data/sandboxes/abc"));
        assert_eq!(t.seen(Path::new("/data/sandboxes/abc/home")), PathBuf::from("/home/daytona"));
        assert_eq!(t.seen(Path::new("/data/sandboxes/abc/home/a/b")), PathBuf::from("/home/daytona/a/b"));
        assert_eq!(t.seen(Path::new("/data/sandboxes/abc/tmp/x")), PathBuf::from("/tmp/x"));
        assert_eq!(t.seen(Path::new("/data/sandboxes/abc/run/sessions/1")), PathBuf::from("/run/daytona/sessions/1"));
        assert_eq!(t.seen(Path::new("/data/sandboxes/abc/homework")), PathBuf::from("/data/sandboxes/abc/homework"));
        let off = Jail::off();
        assert_eq!(off.visible(&t, Path::new("/data/sandboxes/abc/home/a")), PathBuf::from("/data/sandboxes/abc/home/a"));
        assert!(off.running("any") && off.describe().starts_with("none:"));
    }
}
