//! A sandbox's holder: the bubblewrap process that makes and keeps the sandbox's namespaces
//! (PID, mount, IPC, UTS, and network with `networkBlockAll`) while the sandbox runs. Its
//! mount namespace is the sandbox's view of the machine, built once here: the host
//! read-only, the sandbox's home at `/home/daytona`, its own `/tmp` and `/run/daytona`, a
//! minimal `/dev`, its own `/proc`, and the data dir (every sandbox, the database, the key)
//! replaced by an empty read-only directory. Killing its PID 1 ends every process inside.

use std::ffi::c_int;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Tree, HOME, RUN, TMP};

pub struct Holder {
    bwrap: Mutex<Child>,
    /// PID 1 of the sandbox's PID namespace, as the host numbers it.
    init: i32,
    pub pid_ns: File,
    /// Joined with setns(2) by each new process, the mount namespace last: (file, type).
    pub namespaces: [(File, c_int); 4],
}

pub struct Spec {
    pub bwrap: PathBuf,
    pub id: String,
    pub tree: Tree,
    pub data_dir: PathBuf,
    pub network: bool,
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
        cmd.args(["--unshare-pid", "--unshare-ipc", "--unshare-uts"]);
        if !spec.network {
            cmd.arg("--unshare-net");
        }
        cmd.args(["--hostname", &spec.id, "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        // The data dir first: the binds below may lie inside it on the host.
        cmd.arg("--tmpfs").arg(&spec.data_dir).arg("--remount-ro").arg(&spec.data_dir);
        cmd.args(["--tmpfs", "/home", "--tmpfs", "/run"]);
        cmd.arg("--bind").arg(&spec.tree.home).arg(HOME);
        cmd.arg("--bind").arg(&spec.tree.tmp).arg(TMP);
        cmd.arg("--bind").arg(&spec.tree.run).arg(RUN);
        cmd.args(["--remount-ro", "/home", "--remount-ro", "/run"]);
        cmd.args(["--info-fd", &info_fd.to_string(), "--", "sleep", "infinity"]);
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).process_group(0);
        cmd.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()));
        let procs = spec.procs;
        // SAFETY: async-signal-safe syscalls only, on data made before the fork.
        unsafe {
            cmd.pre_exec(move || {
                for p in &procs {
                    let fd = libc::open(p.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                    if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                        return Err(io::Error::last_os_error());
                    }
                    libc::close(fd);
                }
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
        let holder = Holder {
            init,
            pid_ns: ns("pid")?,
            namespaces: [
                (ns("net")?, libc::CLONE_NEWNET),
                (ns("ipc")?, libc::CLONE_NEWIPC),
                (ns("uts")?, libc::CLONE_NEWUTS),
                (ns("mnt")?, libc::CLONE_NEWNS),
            ],
            bwrap: Mutex::new(child),
        };
        holder.wait_ready()?;
        Ok(holder)
    }

    /// The mount namespace is complete once bubblewrap's PID 1 has started `sleep`.
    fn wait_ready(&self) -> io::Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let children = format!("/proc/{0}/task/{0}/children", self.init);
        loop {
            let started = std::fs::read_to_string(&children).unwrap_or_default().split_whitespace().any(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep")
            });
            if started {
                return Ok(());
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

    pub fn alive(&self) -> bool {
        matches!(self.bwrap.lock().unwrap_or_else(|e| e.into_inner()).try_wait(), Ok(None))
    }

    pub fn kill(&self) {
        // SAFETY: signals a pid we started; killing PID 1 of a namespace kills all in it.
        unsafe {
            libc::kill(self.init, libc::SIGKILL);
        }
        let mut child = self.bwrap.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}
