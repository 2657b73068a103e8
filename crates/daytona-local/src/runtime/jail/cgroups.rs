//! Resource limits per sandbox through cgroups, v1 (one hierarchy per controller) or v2
//! (one unified hierarchy), detected at start-up. Each server keeps its sandboxes under a
//! cgroup named after its own pid, so groups a crashed server left behind are recognised
//! and removed by the next one.

use std::ffi::CString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROOT: &str = "/sys/fs/cgroup";
const PREFIX: &str = "daytona-local-";
const CPU_PERIOD_US: u64 = 100_000;

/// What a sandbox may use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resources {
    pub cpus: f64,
    pub memory_bytes: u64,
    pub pids: u64,
}

/// What a sandbox's processes use now: totals since its group was made, and memory in use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub cpu_ns: u64,
    pub memory_bytes: u64,
    /// Of `memory_bytes`, the page cache (file data the kernel can drop).
    pub cache_bytes: u64,
}

#[derive(Debug)]
pub enum Cgroups {
    /// v1: the server's base group in the memory, pids and cpu hierarchies, and where they
    /// are mounted, cpuacct (CPU time used) and freezer (pause).
    V1 { memory: PathBuf, pids: PathBuf, cpu: PathBuf, cpuacct: Option<PathBuf>, freezer: Option<PathBuf> },
    /// v2: the server's base group in the unified hierarchy.
    V2 { base: PathBuf },
}

/// The cgroup this process is in for a v1 controller (or "" for v2), from /proc/self/cgroup.
fn own_path(controller: &str) -> io::Result<String> {
    path_in(&fs::read_to_string("/proc/self/cgroup")?, controller).ok_or_else(|| io::Error::other(format!("this process is in no {controller} cgroup")))
}

/// The path for `controller` in a /proc/<pid>/cgroup text, without its leading slash.
fn path_in(text: &str, controller: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.splitn(3, ':').collect::<Vec<_>>().try_into().ok())
        .find(|[_, ctrls, _]: &[&str; 3]| ctrls.split(',').any(|c| c == controller))
        .map(|[_, _, path]| path.trim_start_matches('/').to_string())
}

fn write(path: &Path, value: &str) -> io::Result<()> {
    fs::write(path, value).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Removes a group tree, deepest first; a group that still has processes stays.
fn remove_tree(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_tree(&e.path());
            }
        }
    }
    let _ = fs::remove_dir(dir);
}

/// Kills every process in a group tree (thawed first: frozen processes cannot die).
fn kill_tree(dir: &Path) {
    let _ = fs::write(dir.join("freezer.state"), "THAWED");
    let _ = fs::write(dir.join("cgroup.freeze"), "0");
    for pid in fs::read_to_string(dir.join("cgroup.procs")).unwrap_or_default().lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
        // SAFETY: kill(2) on a pid read from the group; no memory is touched.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            kill_tree(&e.path());
        }
    }
}

/// Whether `pid` is a running daytona-local (not gone, not a zombie, not a reused pid).
fn server_runs(pid: u32) -> bool {
    let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let zombie = stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
    comm.trim() == "daytona-local" && !zombie
}

/// Ends what servers that died (say, `kill -9`) left behind: their sandboxes' processes,
/// then their groups.
fn remove_stale(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREFIX).and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !server_runs(pid) {
            tracing::info!(cgroup = %e.path().display(), "removing what a stopped server left");
            kill_tree(&e.path());
            let deadline = Instant::now() + Duration::from_secs(2);
            while e.path().exists() && Instant::now() < deadline {
                remove_tree(&e.path());
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

fn make_base(parent: PathBuf) -> io::Result<PathBuf> {
    remove_stale(&parent);
    let base = parent.join(format!("{PREFIX}{}", std::process::id()));
    fs::create_dir_all(&base).map_err(|e| io::Error::new(e.kind(), format!("cannot create cgroup {}: {e}", base.display())))?;
    Ok(base)
}

impl Cgroups {
    /// Finds the hierarchy and makes this server's base group.
    pub fn detect() -> io::Result<Self> {
        let root = Path::new(ROOT);
        if root.join("cgroup.controllers").exists() {
            let available = fs::read_to_string(root.join("cgroup.controllers"))?;
            for c in ["cpu", "memory", "pids"] {
                if !available.split_whitespace().any(|a| a == c) {
                    return Err(io::Error::other(format!("cgroup v2 controller {c} is not available")));
                }
            }
            let parent = root.join(own_path("")?);
            // Controllers must be enabled for children; v2 allows that only where no process
            // sits, so the base group lives beside this server's own group.
            let parent = if parent == root { parent } else { parent.parent().unwrap_or(root).to_path_buf() };
            write(&parent.join("cgroup.subtree_control"), "+cpu +memory +pids")?;
            let base = make_base(parent)?;
            write(&base.join("cgroup.subtree_control"), "+cpu +memory +pids")?;
            return Ok(Cgroups::V2 { base });
        }
        let v1 = |c: &str| -> io::Result<PathBuf> {
            let mount = root.join(c);
            if !mount.join("cgroup.procs").exists() {
                return Err(io::Error::other(format!("cgroup v1 controller {c} is not mounted at {}", mount.display())));
            }
            make_base(mount.join(own_path(c)?))
        };
        Ok(Cgroups::V1 { memory: v1("memory")?, pids: v1("pids")?, cpu: v1("cpu")?, cpuacct: v1("cpuacct").ok(), freezer: v1("freezer").ok() })
    }

    pub fn version(&self) -> &'static str {
        match self {
            Cgroups::V1 { .. } => "cgroup-v1",
            Cgroups::V2 { .. } => "cgroup-v2",
        }
    }

    /// The sandbox's group in each hierarchy.
    fn dirs(&self, id: &str) -> Vec<PathBuf> {
        match self {
            Cgroups::V1 { memory, pids, cpu, cpuacct, freezer } => [memory, pids, cpu].into_iter().chain(cpuacct).chain(freezer).map(|h| h.join(id)).collect(),
            Cgroups::V2 { base } => vec![base.join(id)],
        }
    }

    /// Creates (or keeps) a group, without limits of its own.
    pub fn make(&self, id: &str) -> io::Result<()> {
        self.dirs(id).iter().try_for_each(fs::create_dir_all)
    }

    /// Creates (or keeps) the sandbox's groups and applies its limits.
    pub fn create(&self, id: &str, r: Resources) -> io::Result<()> {
        self.make(id)?;
        self.set(id, r)
    }

    /// Applies limits, live: processes already running are held to them at once.
    pub fn set(&self, id: &str, r: Resources) -> io::Result<()> {
        let quota = (r.cpus * CPU_PERIOD_US as f64) as u64;
        match self {
            Cgroups::V1 { memory, pids, cpu, .. } => {
                let (m, c) = (memory.join(id), cpu.join(id));
                // memsw (memory + swap) must never be below memory: order the writes so it is not.
                let memsw = m.join("memory.memsw.limit_in_bytes");
                let current: u64 = fs::read_to_string(m.join("memory.limit_in_bytes"))?.trim().parse().unwrap_or(u64::MAX);
                let mem = r.memory_bytes.to_string();
                if memsw.exists() && r.memory_bytes > current {
                    write(&memsw, &mem)?;
                }
                write(&m.join("memory.limit_in_bytes"), &mem)?;
                if memsw.exists() {
                    write(&memsw, &mem)?;
                }
                write(&pids.join(id).join("pids.max"), &r.pids.to_string())?;
                write(&c.join("cpu.cfs_period_us"), &CPU_PERIOD_US.to_string())?;
                write(&c.join("cpu.cfs_quota_us"), &quota.to_string())
            }
            Cgroups::V2 { base } => {
                let d = base.join(id);
                write(&d.join("memory.max"), &r.memory_bytes.to_string())?;
                if d.join("memory.swap.max").exists() {
                    write(&d.join("memory.swap.max"), "0")?;
                }
                write(&d.join("pids.max"), &r.pids.to_string())?;
                write(&d.join("cpu.max"), &format!("{quota} {CPU_PERIOD_US}"))
            }
        }
    }

    /// v1: the `tasks` files the sandbox's spawning thread joins (v1 places single threads,
    /// and what a thread forks starts in its groups). v2 places only whole processes.
    pub fn thread_files(&self, id: &str) -> Vec<PathBuf> {
        match self {
            // Not the freezer's: a frozen sandbox must not freeze this server's thread.
            Cgroups::V1 { freezer, .. } => {
                self.dirs(id).into_iter().filter(|d| freezer.as_ref().is_none_or(|f| !d.starts_with(f))).map(|d| d.join("tasks")).collect()
            }
            Cgroups::V2 { .. } => Vec::new(),
        }
    }

    /// Moves the calling thread into the groups of [`Cgroups::thread_files`].
    pub fn join_thread(tasks: &[PathBuf]) -> io::Result<()> {
        // "0" moves the writing thread.
        tasks.iter().try_for_each(|t| write(t, "0"))
    }

    /// The files each new process writes "0" to before it execs: v2's `cgroup.procs`, v1's
    /// freezer `tasks` (which the spawning thread stays out of).
    pub fn exec_files(&self, id: &str) -> Vec<CString> {
        let file = match self {
            Cgroups::V1 { freezer: None, .. } => return Vec::new(),
            Cgroups::V1 { freezer: Some(f), .. } => f.join(id).join("tasks"),
            Cgroups::V2 { base } => base.join(id).join("cgroup.procs"),
        };
        CString::new(file.into_os_string().into_encoded_bytes()).into_iter().collect()
    }

    /// Freezes (pause) or thaws (resume) every process of the sandbox, and waits until the
    /// kernel says it is done.
    pub fn freeze(&self, id: &str, frozen: bool) -> io::Result<()> {
        let (file, value, done_file, done) = match self {
            Cgroups::V1 { freezer: None, .. } => return Err(io::Error::new(io::ErrorKind::Unsupported, "the cgroup v1 freezer is not mounted")),
            Cgroups::V1 { freezer: Some(f), .. } => {
                let state = f.join(id).join("freezer.state");
                let value = if frozen { "FROZEN" } else { "THAWED" };
                (state.clone(), value, state, value)
            }
            Cgroups::V2 { base } => (
                base.join(id).join("cgroup.freeze"),
                if frozen { "1" } else { "0" },
                base.join(id).join("cgroup.events"),
                if frozen { "frozen 1" } else { "frozen 0" },
            ),
        };
        write(&file, value)?;
        let deadline = Instant::now() + Duration::from_secs(5);
        while !fs::read_to_string(&done_file)?.lines().any(|l| l.trim() == done) {
            if Instant::now() > deadline {
                return Err(io::Error::new(io::ErrorKind::TimedOut, format!("{} did not become {done}", done_file.display())));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        Ok(())
    }

    /// CPU time and memory the sandbox's processes use.
    pub fn usage(&self, id: &str) -> io::Result<Usage> {
        let read = |p: PathBuf| fs::read_to_string(&p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())));
        let number = |t: String| t.trim().parse::<u64>().map_err(io::Error::other);
        let stat = |t: &str, key: &str| t.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(' ')?.trim().parse::<u64>().ok()).unwrap_or(0);
        match self {
            Cgroups::V1 { cpuacct: None, .. } => Err(io::Error::new(io::ErrorKind::Unsupported, "the cgroup v1 cpuacct controller is not mounted")),
            Cgroups::V1 { memory, cpuacct: Some(acct), .. } => {
                let m = memory.join(id);
                let stats = read(m.join("memory.stat"))?;
                Ok(Usage {
                    cpu_ns: number(read(acct.join(id).join("cpuacct.usage"))?)?,
                    memory_bytes: number(read(m.join("memory.usage_in_bytes"))?)?,
                    cache_bytes: stat(&stats, "total_cache").max(stat(&stats, "cache")),
                })
            }
            Cgroups::V2 { base } => {
                let d = base.join(id);
                Ok(Usage {
                    cpu_ns: stat(&read(d.join("cpu.stat"))?, "usage_usec") * 1000,
                    memory_bytes: number(read(d.join("memory.current"))?)?,
                    cache_bytes: stat(&read(d.join("memory.stat"))?, "file"),
                })
            }
        }
    }

    /// Kills every process in the sandbox's groups but `spare` and this server's own
    /// threads (v1 places the sandbox's spawning thread there), until none is left.
    pub fn kill_processes(&self, id: &str, spare: &[i32]) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let victims: Vec<i32> = self.members(id).into_iter().filter(|p| !spare.contains(p)).collect();
            if victims.is_empty() || Instant::now() > deadline {
                return;
            }
            for pid in victims {
                // SAFETY: kill(2) on a pid read from the group; no memory is touched.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The sandbox's processes (v1: their threads), without this server's own threads.
    pub fn members(&self, id: &str) -> Vec<i32> {
        let list = match self {
            Cgroups::V1 { pids, .. } => pids.join(id).join("tasks"),
            Cgroups::V2 { base } => base.join(id).join("cgroup.procs"),
        };
        fs::read_to_string(list)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .filter(|p| !Path::new(&format!("/proc/self/task/{p}")).exists())
            .collect()
    }

    /// How many processes the kernel killed for going over the memory limit.
    pub fn oom_kills(&self, id: &str) -> u64 {
        let (file, key) = match self {
            Cgroups::V1 { memory, .. } => (memory.join(id).join("memory.oom_control"), "oom_kill"),
            Cgroups::V2 { base } => (base.join(id).join("memory.events"), "oom_kill"),
        };
        fs::read_to_string(file).ok().and_then(|t| t.lines().find_map(|l| l.strip_prefix(key).and_then(|v| v.trim().parse().ok()))).unwrap_or(0)
    }

    /// Removes the sandbox's groups once their processes are gone (they were just killed,
    /// and the kernel takes a moment to take them out).
    pub fn remove(&self, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(2);
        for d in self.dirs(id) {
            while d.exists() && fs::remove_dir(&d).is_err() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if d.exists() {
                tracing::warn!(cgroup = %d.display(), "cgroup still has processes; left in place");
            }
        }
    }

    /// Removes this server's base groups (at shutdown, after every sandbox stopped).
    pub fn remove_all(&self) {
        match self {
            Cgroups::V1 { memory, pids, cpu, cpuacct, freezer } => [memory, pids, cpu].into_iter().chain(cpuacct).chain(freezer).for_each(|b| remove_tree(b)),
            Cgroups::V2 { base } => remove_tree(base),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn own_groups_are_read_per_controller() {
        let text = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/5ffd\n2:cpu,cpuacct:/a/b\n0::/user.slice\n";
        assert_eq!(super::path_in(text, "memory").as_deref(), Some("process_api/5ffd"));
        assert_eq!(super::path_in(text, "pids").as_deref(), Some(""));
        assert_eq!(super::path_in(text, "cpu").as_deref(), Some("a/b"));
        assert_eq!(super::path_in(text, "").as_deref(), Some("user.slice"), "the v2 line has no controllers");
        assert_eq!(super::path_in(text, "blkio"), None);
    }
}
