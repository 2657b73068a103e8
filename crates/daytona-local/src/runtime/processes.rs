//! Every process group a sandbox starts, so stopping or deleting the sandbox can kill them
//! all, and a timed-out command takes its whole group with it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::runtime::jail::Jail;
use crate::runtime::Error;

#[derive(Default)]
pub struct Processes {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    groups: HashMap<String, HashSet<i32>>,
    /// Builds being cancelled: a group one of them registers is killed at once, since it
    /// may have started after the cancel killed the rest.
    cancelled: HashSet<String>,
}

/// Sends SIGKILL to a whole process group.
pub fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: kill(2) with a negative pid signals the group; no memory is touched.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

impl Processes {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn register(&self, sandbox: &str, pgid: i32) {
        let mut inner = self.lock();
        if inner.cancelled.contains(sandbox) {
            kill_group(pgid);
        }
        inner.groups.entry(sandbox.to_string()).or_default().insert(pgid);
    }

    pub fn unregister(&self, sandbox: &str, pgid: i32) {
        if let Some(set) = self.lock().groups.get_mut(sandbox) {
            set.remove(&pgid);
        }
    }

    /// Kills every group the sandbox started.
    pub fn kill_all(&self, sandbox: &str) {
        for pgid in self.lock().groups.remove(sandbox).unwrap_or_default() {
            kill_group(pgid);
        }
    }

    /// Cancels a build: kills what it runs now and whatever it starts until [`forget`](Self::forget).
    pub fn cancel(&self, build: &str) {
        self.lock().cancelled.insert(build.to_string());
        self.kill_all(build);
    }

    pub fn is_cancelled(&self, build: &str) -> bool {
        self.lock().cancelled.contains(build)
    }

    /// The build has ended: its id is never used again.
    pub fn forget(&self, build: &str) {
        let mut inner = self.lock();
        inner.cancelled.remove(build);
        inner.groups.remove(build);
    }
}

/// Sends SIGKILL to every process of a session (a terminal's: an interactive shell puts
/// each job in a process group of its own, so killing one group is not enough).
pub fn kill_session(sid: i32) {
    if sid <= 1 {
        return;
    }
    let Ok(procs) = std::fs::read_dir("/proc") else { return };
    for entry in procs.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse::<i32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // After the command name in parentheses: state, ppid, pgrp, session.
        let session = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(3)?.parse::<i32>().ok());
        if session == Some(sid) {
            // SAFETY: kill(2) on a pid just read; no memory is touched.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

/// Whether any process of the group is still alive.
pub fn group_alive(pgid: i32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    pgid > 1 && unsafe { libc::kill(-pgid, 0) } == 0
}

/// A spawned child, whatever runtime made it: the process group it leads has its pid.
pub trait Child {
    fn pid(&self) -> i32;
}

impl Child for std::process::Child {
    fn pid(&self) -> i32 {
        self.id() as i32
    }
}

impl Child for tokio::process::Child {
    fn pid(&self) -> i32 {
        self.id().unwrap_or_default() as i32
    }
}

/// Starts what `spawn` spawns (a jailed command that leads a process group of its own)
/// where the sandbox's processes are made; the group is the sandbox's until dropped.
pub fn spawn<C: Child + Send + 'static>(
    jail: &Jail,
    procs: &Arc<Processes>,
    sandbox: &str,
    spawn: impl FnOnce() -> std::io::Result<C> + Send + 'static,
) -> Result<(C, Group), Error> {
    let child = jail.spawn(sandbox, spawn)??;
    let group = Group::new(procs.clone(), sandbox, child.pid());
    Ok((child, group))
}

/// A process group a sandbox started, registered from its spawn, so stopping or deleting
/// the sandbox kills it. Dropped, the group is killed and forgotten: a request that is
/// cancelled or times out, a session deleted, a PTY removed never leave processes behind.
/// [`release`](Self::release) instead lets what still runs there live on (until the
/// sandbox stops).
pub struct Group {
    procs: Arc<Processes>,
    sandbox: String,
    pgid: i32,
    armed: bool,
}

impl Group {
    pub fn new(procs: Arc<Processes>, sandbox: &str, pgid: i32) -> Self {
        procs.register(sandbox, pgid);
        Group { procs, sandbox: sandbox.to_string(), pgid, armed: true }
    }

    pub fn pgid(&self) -> i32 {
        self.pgid
    }

    /// Kills every process of the group, which stays registered until dropped.
    pub fn kill(&self) {
        kill_group(self.pgid);
    }

    /// The main process ended normally: background processes it left keep running (until
    /// the sandbox stops), and the group is forgotten once it is empty.
    pub fn release(mut self) {
        self.armed = false;
        if !group_alive(self.pgid) {
            self.procs.unregister(&self.sandbox, self.pgid);
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.armed {
            kill_group(self.pgid);
            self.procs.unregister(&self.sandbox, self.pgid);
        }
    }
}
